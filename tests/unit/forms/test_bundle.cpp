// Bundles: declared data-element mapping, fields asked once, materials collected once, merged
// checklist naming the items served, per-item answer extraction; bad mappings rejected.
#include "helpers.h"

#include <boost/test/unit_test.hpp>

using namespace ow::forms;
using namespace test;

namespace {

const ow::core::Date kToday = ow::core::parse_date("2025-10-09");

json mat(const std::string& code, const std::string& necessity, const std::string& condition = "") {
    json m{{"code", code}, {"name", "材料" + code}, {"form", "original"}, {"necessity", necessity}};
    if (!condition.empty()) m["condition"] = condition;
    return m;
}

json item_a() {
    json it = item(json::array({field("name", "text", {{"required", true}}), field("phone", "phone", {{"required", "soft"}}),
                                field("agent", "boolean"),
                                field("rows", "repeat", {{"fields", json::array({field("v", "integer")})}}),
                                field("total", "integer", {{"compute", "sum(v)"}})}),
                   json::array(), json::array({mat("id", "required"), mat("poa", "required", "agent == true"), mat("own", "optional")}));
    it["code"] = "A-1";
    return it;
}

json item_b() {
    json it = item(json::array({field("org", "text", {{"required", true}, {"constraints", json::array({{{"rule", "len(org) >= 2"},
                                 {"message", label("至少两个字", "At least two characters")}}})}}),
                                field("tel", "phone", {{"required", true}}), field("seals", "integer", {{"min", 1}})}),
                   json::array(), json::array({mat("ident", "deferrable"), mat("lic", "required")}));
    it["code"] = "B-1";
    it["version"] = "b7";
    it["form"]["version"] = "b7";
    return it;
}

json bundle_json() {
    return {{"code", "BUNDLE-T"}, {"name", "测试一件事"}, {"zone", "livelihood"}, {"items", {"A-1", "B-1"}},
            {"promised_limit_days", 1},
            {"form", {{"version", "bt1"},
                      {"aliases", {{"A-1", "a"}, {"B-1", "b"}}},
                      {"elements", json::array({{{"id", "applicant"}, {"fields", json::array({{{"item", "A-1"}, {"field", "name"}},
                                                                                                {{"item", "B-1"}, {"field", "org"}}})}},
                                                {{"id", "phone"}, {"fields", json::array({{{"item", "A-1"}, {"field", "phone"}},
                                                                                            {{"item", "B-1"}, {"field", "tel"}}})}}})},
                      {"materials", json::array({{{"id", "identity"}, {"uses", json::array({{{"item", "A-1"}, {"material", "id"}},
                                                                                            {{"item", "B-1"}, {"material", "ident"}}})}}})}}}};
}

std::map<std::string, std::shared_ptr<const FormDefinition>> items() {
    return {{"A-1", load(item_a())}, {"B-1", load(item_b())}};
}

std::string bundle_rejection(const json& b) {
    try {
        FormDefinition::from_bundle(b, "bundle.json", items());
    } catch (const DefinitionError& e) {
        return e.what();
    }
    return "<accepted>";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bundles)

BOOST_AUTO_TEST_CASE(shared_fields_are_asked_once) {
    auto d = std::make_shared<const FormDefinition>(FormDefinition::from_bundle(bundle_json(), "bundle.json", items()));
    BOOST_CHECK(d->is_bundle());
    BOOST_CHECK_EQUAL(d->version(), "bt1");
    std::vector<std::string> roots;
    for (int r : d->roots()) roots.push_back(d->fields()[std::size_t(r)].id);
    BOOST_CHECK((roots == std::vector<std::string>{"applicant", "phone", "a_agent", "a_rows", "a_total", "b_seals"}));
    const Field& phone = d->fields()[std::size_t(d->find("phone"))];
    BOOST_CHECK(phone.required == Requirement::required);  // the strongest of soft (A) and required (B)
    const Field& applicant = d->fields()[std::size_t(d->find("applicant"))];
    BOOST_CHECK_EQUAL(applicant.constraints.size(), 1u);     // B's rule still applies
    BOOST_CHECK_EQUAL(d->fields()[std::size_t(d->find("a_v"))].item, "A-1");

    FormSession s(d, kToday);
    s.set_answers({{"applicant", "王"}, {"a_rows", json::array({{{"a_v", 2}}, {{"a_v", 3}}})}, {"b_seals", 0}});
    auto r = s.validate();
    BOOST_CHECK(!r.valid);
    BOOST_CHECK(has_issue(r, "/applicant", "field.constraint"));
    BOOST_CHECK(has_issue(r, "/phone", "field.required"));
    BOOST_CHECK(has_issue(r, "/b_seals", "answer.too_small"));
    BOOST_CHECK(s.value("a_total") == Value(5));
}

BOOST_AUTO_TEST_CASE(materials_collected_once_and_checklist_names_the_items) {
    auto d = std::make_shared<const FormDefinition>(FormDefinition::from_bundle(bundle_json(), "bundle.json", items()));
    FormSession s(d, kToday);
    s.set_answers({{"applicant", "王五"}, {"phone", "13800138000"}, {"a_agent", true}});
    auto cl = s.checklist();
    std::vector<std::string> codes;
    for (const auto& e : cl.entries) codes.push_back(e.material_code);
    BOOST_CHECK((codes == std::vector<std::string>{"identity", "a.poa", "a.own", "b.lic"}));
    const auto* id = cl.find("identity");
    BOOST_REQUIRE(id);
    BOOST_CHECK((id->serves_items == std::vector<std::string>{"A-1", "B-1"}));
    BOOST_CHECK(id->necessity == ow::core::Necessity::required);  // required for A, deferrable for B
    BOOST_CHECK((cl.find("a.poa")->serves_items == std::vector<std::string>{"A-1"}));
    s.set_answer("/a_agent", false);
    BOOST_CHECK(!s.checklist().find("a.poa"));
}

BOOST_AUTO_TEST_CASE(per_item_answers) {
    auto d = std::make_shared<const FormDefinition>(FormDefinition::from_bundle(bundle_json(), "bundle.json", items()));
    FormSession s(d, kToday);
    s.set_answers({{"applicant", "王五"}, {"phone", "13800138000"}, {"a_agent", false},
                   {"a_rows", json::array({{{"a_v", 1}}})}, {"b_seals", 2}});
    BOOST_CHECK(s.validate().valid);
    auto per = s.item_answers();
    BOOST_REQUIRE_EQUAL(per.size(), 2u);
    json a = per["A-1"], b = per["B-1"];
    BOOST_CHECK_EQUAL(a["form"], "A-1");
    BOOST_CHECK_EQUAL(a["version"], "t1");
    BOOST_CHECK_EQUAL(a["bundle"], "BUNDLE-T");
    BOOST_CHECK_EQUAL(a["answers"], json({{"name", "王五"}, {"phone", "13800138000"}, {"agent", false},
                                          {"rows", json::array({{{"v", 1}}})}, {"total", 1}}));
    BOOST_CHECK_EQUAL(b["version"], "b7");
    BOOST_CHECK_EQUAL(b["answers"], json({{"org", "王五"}, {"tel", "13800138000"}, {"seals", 2}}));
    // each extracted answer set validates against its own item
    for (auto& [code, env] : per) {
        FormSession one(items()[code], kToday);
        one.set_answers(env);
        auto r = one.validate();
        BOOST_CHECK_MESSAGE(r.valid, code + ": " + dump(r));
    }
}

BOOST_AUTO_TEST_CASE(bad_mappings_are_rejected_with_pointers) {
    json b = bundle_json();
    b["form"]["elements"][0]["fields"][1]["field"] = "nope";
    BOOST_CHECK_NE(bundle_rejection(b).find("bundle.json: /form/elements/0/fields/1/field: item B-1 has no field 'nope'"), std::string::npos);
    b = bundle_json();
    b["form"]["elements"][1]["fields"][0]["item"] = "Z-9";
    BOOST_CHECK_NE(bundle_rejection(b).find("/form/elements/1/fields/0/item: not an item of this bundle"), std::string::npos);
    b = bundle_json();
    b["form"]["elements"][1]["fields"][1]["field"] = "seals";  // phone vs integer
    BOOST_CHECK_NE(bundle_rejection(b).find("/form/elements/1/fields/1/field: type integer differs"), std::string::npos);
    b = bundle_json();
    b["form"]["elements"][1]["fields"][0]["field"] = "name";  // already mapped by element 0
    BOOST_CHECK_NE(bundle_rejection(b).find("/form/elements/1/fields/0/field: field mapped by two elements"), std::string::npos);
    b = bundle_json();
    b["form"]["elements"][0]["fields"][0]["field"] = "v";  // inside the repeat "rows"
    BOOST_CHECK_NE(bundle_rejection(b).find("/form/elements/0/fields/0/field: only top-level fields can be mapped"), std::string::npos);
    b = bundle_json();
    b["form"]["elements"][0]["fields"][0]["field"] = "rows";  // a repeat and a text field
    BOOST_CHECK_NE(bundle_rejection(b).find("/form/elements/0/fields/1/field: type text differs from repeat (item B-1 "),
                   std::string::npos);
    b = bundle_json();
    b["form"]["materials"][0]["uses"][1]["material"] = "ghost";
    BOOST_CHECK_NE(bundle_rejection(b).find("/form/materials/0/uses/1/material: item B-1 has no material 'ghost'"), std::string::npos);
    b = bundle_json();
    b["items"] = {"A-1", "Q-7"};
    BOOST_CHECK_NE(bundle_rejection(b).find("/items/1: bundle names unknown item Q-7"), std::string::npos);
    b = bundle_json();
    b["form"]["aliases"].erase("B-1");
    BOOST_CHECK_NE(bundle_rejection(b).find("/form/aliases: no alias for item B-1"), std::string::npos);
    b = bundle_json();
    b["form"]["checks"] = json::array({{{"id", "x"}, {"rule", "a_name == 1"}, {"message", label("x", "x")}}});
    BOOST_CHECK_NE(bundle_rejection(b).find("/form/checks/0/rule: the rule names a missing field 'a_name'"), std::string::npos);
    b = bundle_json();
    b["form"]["elements"][0]["extra"] = 1;
    BOOST_CHECK_NE(bundle_rejection(b).find("/form/elements/0/extra: unknown member"), std::string::npos);
}

BOOST_AUTO_TEST_CASE(bundle_can_relax_a_shared_element) {
    json b = bundle_json();
    b["form"]["elements"][1]["required"] = false;
    auto d = FormDefinition::from_bundle(b, "bundle.json", items());
    BOOST_CHECK(d.fields()[std::size_t(d.find("phone"))].required == Requirement::none);
}

// "prefill": false on an element drops the first mapping's prefill (the newborn bundle: the ID
// card read is the parent's, the insured person's name and number are the baby's); anything else
// than false is refused with the pointer.
BOOST_AUTO_TEST_CASE(an_element_can_drop_the_prefill) {
    json a = item_a();
    a["form"]["fields"][0]["prefill"] = {{"source", "id_card"}, {"key", "name"}};
    std::map<std::string, std::shared_ptr<const FormDefinition>> its{{"A-1", load(a)}, {"B-1", load(item_b())}};
    json b = bundle_json();
    auto kept = FormDefinition::from_bundle(b, "bundle.json", its);
    BOOST_CHECK(kept.fields()[std::size_t(kept.find("applicant"))].prefill.has_value());
    b["form"]["elements"][0]["prefill"] = false;
    auto dropped = FormDefinition::from_bundle(b, "bundle.json", its);
    BOOST_CHECK(!dropped.fields()[std::size_t(dropped.find("applicant"))].prefill.has_value());
    FormSession s(std::make_shared<const FormDefinition>(dropped), kToday);
    PrefillData data;
    data.id_card = {{"name", "王小测"}};
    BOOST_CHECK(s.prefill(data).empty());
    b["form"]["elements"][0]["prefill"] = true;
    BOOST_CHECK_THROW(FormDefinition::from_bundle(b, "bundle.json", its), DefinitionError);
    try {
        FormDefinition::from_bundle(b, "bundle.json", its);
    } catch (const DefinitionError& e) {
        BOOST_CHECK_MESSAGE(std::string(e.what()).find("/form/elements/0/prefill") != std::string::npos, e.what());
    }
}

// The shipped newborn bundle: reading the parent's ID card fills neither the baby's name nor its
// ID number.
BOOST_AUTO_TEST_CASE(newborn_bundle_keeps_the_card_out_of_the_babys_fields) {
    auto cat = FormCatalogue::load_shipped();
    auto d = cat.find("BUNDLE-XSECS");
    BOOST_REQUIRE(d);
    FormSession s(d, kToday);
    PrefillData data;
    data.id_card = {{"name", "王小测"}, {"id_number", "11010519900307291X"}};
    const auto filled = s.prefill(data);
    for (const auto& p : filled) BOOST_CHECK_MESSAGE(p != "/baby_name" && p != "/baby_id", "prefilled " << p);
    BOOST_CHECK(s.value("baby_name").is_null());
    BOOST_CHECK(s.value("baby_id").is_null());
}

BOOST_AUTO_TEST_SUITE_END()
