// The shipped catalogue: every definition loads and validates; realistic answers pass; the
// bundles merge as declared.
#include "helpers.h"

#include "ow/forms/regions.h"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace ow::forms;
using namespace test;

namespace {

const ow::core::Date kToday = ow::core::parse_date("2025-10-09");

const FormCatalogue& shipped() {
    static const FormCatalogue cat = FormCatalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog");
    return cat;
}

std::string id_with_check(const std::string& first17) { return first17 + ow::core::resident_id_check_char(first17); }

}  // namespace

BOOST_AUTO_TEST_SUITE(shipped_catalogue)

BOOST_AUTO_TEST_CASE(every_definition_loads) {
    const auto& cat = shipped();
    std::size_t items = 0, bundles = 0;
    for (const auto& d : cat.all()) {
        BOOST_TEST_CONTEXT(d->code()) {
            BOOST_CHECK(!d->version().empty());
            BOOST_CHECK(!d->fields().empty());
            if (d->is_bundle()) {
                ++bundles;
                BOOST_CHECK_GE(d->parts().size(), 2u);
            } else {
                ++items;
                BOOST_REQUIRE(d->item());
                const auto& it = *d->item();
                BOOST_CHECK_LE(it.spec.promised_limit_days, it.spec.legal_limit_days);
                BOOST_CHECK(!it.spec.materials.empty());
                BOOST_CHECK(!it.spec.legal_basis.empty());
            }
            for (const auto& f : d->fields()) {
                BOOST_CHECK_MESSAGE(!f.label.zh_CN.empty() && !f.label.en.empty(), f.id);
            }
            // an empty answer set never throws and is not valid (every form has required fields)
            FormSession s(d, kToday);
            s.set_answers(json::object());
            auto r = s.validate();
            BOOST_CHECK(!r.valid);
            BOOST_CHECK_NO_THROW(s.checklist());
        }
    }
    BOOST_CHECK_GE(items, 15u);
    BOOST_CHECK_GE(bundles, 4u);
    for (const char* code : {"BUNDLE-QYKB", "BUNDLE-XSECS", "BUNDLE-ESFGH", "BUNDLE-WGRLZ", "370102-SC-0001-001",
                             "370102-ZR-0031-002", "370102-ZR-0012-001", "370102-GA-0610-001"})
        BOOST_CHECK_MESSAGE(cat.find(code), code);
    BOOST_CHECK_EQUAL(cat.find("370102-SC-0001-001")->item()->kind == ow::core::ItemKind::immediate, true);
    BOOST_CHECK(cat.find("370102-ZR-0031-002")->item()->kind == ow::core::ItemKind::immediate);
    BOOST_CHECK_EQUAL(cat.find("BUNDLE-QYKB")->bundle()->promised_limit_days, 1);
}

BOOST_AUTO_TEST_CASE(individual_business_walkthrough) {
    FormSession s(shipped().find("370102-SC-0001-001"), kToday);
    json a{{"operator_name", "李四"}, {"operator_id", id_with_check("37010219900307123")}, {"operator_phone", "13905310000"},
           {"organisation", "individual"}, {"business_name", "历下李四小吃店"}, {"business_scope", "小吃服务"},
           {"premises", {{"region", "370102"}, {"detail", "泉城路1号"}}}, {"capital_fen", 5000000}, {"employees", 2},
           {"agent_present", false}};
    s.set_answers(a);
    auto r = s.validate();
    BOOST_CHECK_MESSAGE(r.valid, dump(r));
    auto codes = [&] {
        std::set<std::string> out;
        for (const auto& e : s.checklist().entries) out.insert(e.material_code);
        return out;
    };
    BOOST_CHECK((codes() == std::set<std::string>{"application", "operator_id", "premises"}));
    a["agent_present"] = true;
    a["organisation"] = "family";
    s.set_answers(a);
    r = s.validate();
    BOOST_CHECK(has_issue(r, "/agent", "field.required"));
    BOOST_CHECK(has_issue(r, "/family_members", "field.required"));
    BOOST_CHECK(codes().count("agent_authorisation"));
    // a minor cannot be the operator
    a["operator_id"] = id_with_check("37010220150307123");
    s.set_answers(a);
    BOOST_CHECK(has_issue(s.validate(), "/operator_id", "field.constraint"));
}

BOOST_AUTO_TEST_CASE(company_capital_must_add_up) {
    FormSession s(shipped().find("370102-SC-0002-001"), kToday);
    json a{{"company_name", "济南某某科技有限公司"}, {"company_type", "one_person_llc"},
           {"domicile", {{"region", "370102"}, {"detail", "经十路1号"}}}, {"registered_capital_fen", 10000000},
           {"legal_rep_name", "王五"}, {"legal_rep_id", id_with_check("37010219850101123")}, {"contact_phone", "13905310001"},
           {"business_scope", "软件开发"}, {"employees_expected", 3}, {"agent_present", false},
           {"shareholders", json::array({{{"holder_name", "王五"}, {"holder_kind", "natural"},
                                          {"holder_id", id_with_check("37010219850101123")},
                                          {"contribution_fen", 10000000}, {"contribution_date", "2029-12-31"}}})}};
    s.set_answers(a);
    auto r = s.validate();
    BOOST_CHECK_MESSAGE(r.valid, dump(r));
    BOOST_CHECK(s.value("shareholder_count") == Value(1));
    a["shareholders"][0]["contribution_fen"] = 5000000;
    a["shareholders"][0]["contribution_date"] = "2035-01-01";
    a["shareholders"].push_back({{"holder_name", "某公司"}, {"holder_kind", "legal"}, {"holder_uscc", "91350100MA01B2C37P"},
                                 {"contribution_fen", 1000000}, {"contribution_date", "2026-01-01"}});
    s.set_answers(a);
    r = s.validate();
    BOOST_CHECK(has_issue(r, "/registered_capital_fen", "check.capital_matches"));
    BOOST_CHECK(has_issue(r, "/shareholders", "check.one_person"));
    BOOST_CHECK(has_issue(r, "/shareholders/0/contribution_date", "field.constraint"));
}

BOOST_AUTO_TEST_CASE(starting_a_business_bundle) {
    auto d = shipped().find("BUNDLE-QYKB");
    BOOST_REQUIRE(d);
    BOOST_CHECK_EQUAL(d->parts().size(), 5u);
    FormSession s(d, kToday);
    s.set_answers({{"company_name", "济南某某科技有限公司"}});
    auto cl = s.checklist();
    const auto* lic = cl.find("licence");
    BOOST_REQUIRE(lic);
    BOOST_CHECK_EQUAL(lic->serves_items.size(), 4u);  // collected once for four items
    auto per = s.item_answers();
    BOOST_CHECK_EQUAL(per.size(), 5u);
    BOOST_CHECK_EQUAL(per["370102-GA-0210-001"]["answers"]["org_name"], "济南某某科技有限公司");
    BOOST_CHECK_EQUAL(per["370102-RS-0201-001"]["answers"]["employer_name"], "济南某某科技有限公司");
    BOOST_CHECK_EQUAL(per["370102-SC-0002-001"]["answers"]["company_name"], "济南某某科技有限公司");
    // the company name is asked once
    std::size_t asked = 0;
    for (const auto& v : s.visible_fields())
        if (v.field->label.zh_CN.find("名称") != std::string::npos && v.field->item.empty()) ++asked;
    BOOST_CHECK_EQUAL(asked, 1u);
    // the USCC is not known before the licence is issued: not required in the bundle
    BOOST_CHECK(!has_issue(s.validate(), "/company_uscc", "field.required"));
}

BOOST_AUTO_TEST_CASE(starting_a_business_lists_the_employees_once) {
    // 单位社保登记 and 公积金缴存登记 both list the employees: one repeat, rows split back per item
    auto d = shipped().find("BUNDLE-QYKB");
    BOOST_REQUIRE(d);
    BOOST_CHECK_LT(d->find("sb_employees"), 0);
    BOOST_CHECK_LT(d->find("gjj_employees"), 0);
    BOOST_REQUIRE_GE(d->find("employees"), 0);
    const Field& emp = d->fields()[std::size_t(d->find("employees"))];
    BOOST_CHECK(emp.type == FieldType::repeat);
    std::vector<std::string> kids;
    for (int c : emp.children) kids.push_back(d->fields()[std::size_t(c)].id);
    BOOST_CHECK((kids == std::vector<std::string>{"emp_name", "emp_id", "sb_emp_start", "sb_emp_wage_fen", "gjj_emp_base_fen"}));
    FormSession s(d, kToday);
    std::string id1 = id_with_check("37010219850101123"), id2 = id_with_check("37010219900307123");
    s.set_answers({{"employees", json::array({{{"emp_name", "王五"}, {"emp_id", id1}, {"sb_emp_start", "2025-10-09"},
                                               {"sb_emp_wage_fen", 600000}, {"gjj_emp_base_fen", 600000}},
                                              {{"emp_name", "赵六"}, {"emp_id", id2}, {"sb_emp_start", "2025-10-09"},
                                               {"sb_emp_wage_fen", 500000}, {"gjj_emp_base_fen", 450000}}})}});
    for (const auto& i : s.validate().issues) BOOST_CHECK_MESSAGE(i.path.rfind("/employees", 0) != 0, i.path + " " + i.code);
    auto per = s.item_answers();
    BOOST_CHECK_EQUAL(per["370102-RS-0201-001"]["answers"]["employees"],
                      json::array({{{"emp_name", "王五"}, {"emp_id", id1}, {"emp_start", "2025-10-09"}, {"emp_wage_fen", 600000}},
                                   {{"emp_name", "赵六"}, {"emp_id", id2}, {"emp_start", "2025-10-09"}, {"emp_wage_fen", 500000}}}));
    BOOST_CHECK_EQUAL(per["370102-GJ-0301-001"]["answers"]["employees"],
                      json::array({{{"emp_name", "王五"}, {"emp_id", id1}, {"emp_base_fen", 600000}},
                                   {{"emp_name", "赵六"}, {"emp_id", id2}, {"emp_base_fen", 450000}}}));
    BOOST_CHECK(!per["370102-SC-0002-001"]["answers"].contains("employees"));
}

BOOST_AUTO_TEST_CASE(newborn_bundle_asks_the_child_once) {
    auto d = shipped().find("BUNDLE-XSECS");
    BOOST_REQUIRE(d);
    // every item's own name / birth date field is the one merged field
    const std::map<std::string, std::pair<std::string, std::string>> own{
        {"370102-WJ-0501-001", {"baby_name", "birth_date"}}, {"370102-GA-0220-001", {"baby_name", "birth_date"}},
        {"370102-YB-0107-001", {"insured_name", "birth_date"}}, {"370102-RS-0211-001", {"holder_name", "holder_birth"}}};
    for (const auto& part : d->parts()) {
        BOOST_CHECK_EQUAL(part.field_ids.at(own.at(part.item).first), "baby_name");
        BOOST_CHECK_EQUAL(part.field_ids.at(own.at(part.item).second), "birth_date");
    }
    FormSession s(d, kToday);
    s.set_answers({{"baby_name", "小明"}, {"birth_date", "2025-10-01"}, {"father_known", false},
                   {"mother", {{"name", "李红"}, {"doc_type", 111}, {"doc_number", id_with_check("37010219900307122")}}}});
    std::size_t names = 0, births = 0;
    for (const auto& v : s.visible_fields()) {
        if (v.field->type == FieldType::text && v.field->label.zh_CN.find("姓名") != std::string::npos &&
            v.field->id.find("household") == std::string::npos)
            ++names;
        if (v.field->type == FieldType::date && v.field->label.zh_CN.find("出生日期") != std::string::npos) ++births;
    }
    BOOST_CHECK_EQUAL(names, 1u);
    BOOST_CHECK_EQUAL(births, 1u);
    auto per = s.item_answers();
    for (const auto& [item, ids] : own) {
        BOOST_CHECK_EQUAL(per[item]["answers"][ids.first], "小明");
        BOOST_CHECK_EQUAL(per[item]["answers"][ids.second], "2025-10-01");
    }
    // the parents too: asked once, given to the birth certificate and the household registration
    BOOST_CHECK_EQUAL(per["370102-WJ-0501-001"]["answers"]["mother"]["name"], "李红");
    BOOST_CHECK_EQUAL(per["370102-GA-0220-001"]["answers"]["mother"]["name"], "李红");
}

BOOST_AUTO_TEST_CASE(region_codes) {
    BOOST_CHECK(find_region("370102"));
    BOOST_CHECK_EQUAL(find_region("370000")->name, std::string("山东省"));
    BOOST_CHECK(region_code_plausible("370211"));   // a county of a shipped prefecture
    BOOST_CHECK(!region_code_plausible("379900"));
    BOOST_CHECK(!region_code_plausible("990101"));
    BOOST_CHECK(!region_code_plausible("37010"));
    BOOST_CHECK(!region_code_plausible("37010x"));
    std::string prev;
    for (const auto& r : regions()) {
        BOOST_CHECK_LT(prev, std::string(r.code));
        prev = r.code;
    }
}

BOOST_AUTO_TEST_SUITE_END()
