// Bundles whose items share a group and a repeat: each is asked once, their fields merge
// recursively (same id, or a nested element), answers split back into each item's own ids row by
// row, a conflict inside a shared group is refused with the pointer; the shipped bundles use it.
#include "helpers.h"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace ow::forms;
using namespace test;

namespace {

const ow::core::Date kToday = ow::core::parse_date("2025-10-09");
const std::string kSha(64, 'a');

std::string id_with_check(const std::string& first17) { return first17 + ow::core::resident_id_check_char(first17); }

json mat(const std::string& code) { return {{"code", code}, {"name", "材料" + code}, {"form", "original"}, {"necessity", "required"}}; }

json msg(const std::string& zh) { return label(zh, "message"); }

/// Item P-1: an applicant group and a repeat of people.
json item_p() {
    json it = item(
        json::array({field("applicant", "group",
                           {{"fields", json::array({field("name", "text", {{"required", true}, {"max_length", 30}}),
                                                    field("id", "resident_id", {{"required", true}}),
                                                    field("phone", "phone", {{"required", "soft"}}),
                                                    field("photo", "attachment", {{"material", "photo"}})})}}),
                     field("people", "repeat",
                           {{"min_count", 1}, {"max_count", 10},
                            {"fields", json::array({field("p_name", "text", {{"required", true}}),
                                                    field("p_age", "integer", {{"min", 0}}),
                                                    field("p_rel", "choice", {{"options", json::array({{{"value", "a"}, {"label", label("甲", "A")}},
                                                                                                      {{"value", "b"}, {"label", label("乙", "B")}}})}})})}}),
                     field("p_only", "text")}),
        json::array(), json::array({mat("photo")}));
    it["code"] = "P-1";
    return it;
}

/// Item Q-1: the same data as "person" (mobile instead of phone, an address more) and "members".
json item_q() {
    json it = item(
        json::array({field("person", "group",
                           {{"fields", json::array({field("name", "text", {{"required", true}, {"max_length", 20}}),
                                                    field("id", "resident_id", {{"required", true}}),
                                                    field("mobile", "phone", {{"required", true}}),
                                                    field("photo", "attachment", {{"material", "pic"}}),
                                                    field("address", "address")})}}),
                     field("members", "repeat",
                           {{"max_count", 5},
                            {"fields", json::array({field("p_name", "text", {{"required", true}}),
                                                    field("p_age", "integer", {{"max", 150}, {"constraints", json::array({{{"rule", "p_age < 130"},
                                                                                                                          {"message", msg("年龄不合理")}}})}}),
                                                    field("q_note", "text")})}})}),
        json::array({{{"id", "few"}, {"rule", "count(members) <= 3"}, {"message", msg("至多三人")}, {"fields", {"members"}}}}),
        json::array({mat("pic")}));
    it["code"] = "Q-1";
    it["version"] = "q2";
    it["form"]["version"] = "q2";
    return it;
}

json bundle_json() {
    return {{"code", "BUNDLE-S"}, {"name", "共享测试一件事"}, {"zone", "livelihood"}, {"items", {"P-1", "Q-1"}},
            {"promised_limit_days", 1},
            {"form", {{"version", "s1"},
                      {"aliases", {{"P-1", "a"}, {"Q-1", "b"}}},
                      {"elements", json::array({{{"id", "applicant"},
                                                 {"fields", json::array({{{"item", "P-1"}, {"field", "applicant"}},
                                                                         {{"item", "Q-1"}, {"field", "person"}}})},
                                                 {"elements", json::array({{{"id", "applicant_phone"},
                                                                            {"fields", json::array({{{"item", "P-1"}, {"field", "phone"}},
                                                                                                    {{"item", "Q-1"}, {"field", "mobile"}}})}}})}},
                                                {{"id", "people"},
                                                 {"fields", json::array({{{"item", "P-1"}, {"field", "people"}},
                                                                         {{"item", "Q-1"}, {"field", "members"}}})}}})},
                      {"materials", json::array({{{"id", "photo"}, {"uses", json::array({{{"item", "P-1"}, {"material", "photo"}},
                                                                                        {{"item", "Q-1"}, {"material", "pic"}}})}}})}}}};
}

std::map<std::string, std::shared_ptr<const FormDefinition>> items() { return {{"P-1", load(item_p())}, {"Q-1", load(item_q())}}; }

std::shared_ptr<const FormDefinition> merged(const json& b = bundle_json()) {
    return std::make_shared<const FormDefinition>(FormDefinition::from_bundle(b, "bundle.json", items()));
}

std::string bundle_rejection(const json& b) {
    try {
        FormDefinition::from_bundle(b, "bundle.json", items());
    } catch (const DefinitionError& e) {
        return e.what();
    }
    return "<accepted>";
}

std::vector<std::string> child_ids(const FormDefinition& d, const std::string& id) {
    std::vector<std::string> out;
    for (int c : d.fields()[std::size_t(d.find(id))].children) out.push_back(d.fields()[std::size_t(c)].id);
    return out;
}

const Field& field_of(const FormDefinition& d, const std::string& id) {
    int i = d.find(id);
    BOOST_REQUIRE_MESSAGE(i >= 0, "no field " + id);
    return d.fields()[std::size_t(i)];
}

json answers(const std::string& id) {
    return {{"applicant", {{"name", "王五"}, {"id", id}, {"applicant_phone", "13800138000"}, {"photo", {{"sha256", kSha}}},
                           {"b_address", {{"region", "370102"}, {"detail", "泉城路1号"}}}}},
            {"people", json::array({{{"p_name", "王一"}, {"p_age", 30}, {"a_p_rel", "a"}, {"b_q_note", "户主"}},
                                    {{"p_name", "王二"}, {"p_age", 3}}})}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bundles_shared_groups_and_repeats)

BOOST_AUTO_TEST_CASE(a_shared_group_and_repeat_are_asked_once) {
    auto d = merged();
    std::vector<std::string> roots;
    for (int r : d->roots()) roots.push_back(d->fields()[std::size_t(r)].id);
    BOOST_CHECK((roots == std::vector<std::string>{"applicant", "people", "a_p_only"}));
    for (const char* dup : {"a_applicant", "b_person", "a_people", "b_members", "a_name", "b_name", "a_p_name", "b_p_name"})
        BOOST_CHECK_MESSAGE(d->find(dup) < 0, dup);
    // same id → one field; the bundle's nested element joins phone and mobile; the rest stays the item's own
    BOOST_CHECK((child_ids(*d, "applicant") == std::vector<std::string>{"name", "id", "applicant_phone", "photo", "b_address"}));
    BOOST_CHECK((child_ids(*d, "people") == std::vector<std::string>{"p_name", "p_age", "a_p_rel", "b_q_note"}));
    BOOST_CHECK(field_of(*d, "applicant").type == FieldType::group);
    BOOST_CHECK(field_of(*d, "applicant").item.empty());
    BOOST_CHECK_EQUAL(field_of(*d, "b_address").item, "Q-1");
    const Field& people = field_of(*d, "people");
    BOOST_CHECK(people.type == FieldType::repeat);
    BOOST_CHECK_EQUAL(people.min_count, 1u);  // the stricter of each bound
    BOOST_CHECK_EQUAL(people.max_count, 5u);
    BOOST_CHECK_EQUAL(*field_of(*d, "name").max_length, 20);
    BOOST_CHECK_EQUAL(*field_of(*d, "p_age").min, 0.0);
    BOOST_CHECK_EQUAL(*field_of(*d, "p_age").max, 150.0);
    BOOST_CHECK(field_of(*d, "applicant_phone").required == Requirement::required);  // soft (P) and required (Q)
    BOOST_CHECK_EQUAL(field_of(*d, "p_age").repeat, d->find("people"));
    BOOST_CHECK_EQUAL(field_of(*d, "b_q_note").repeat, d->find("people"));
    BOOST_CHECK_EQUAL(field_of(*d, "b_address").parent, d->find("applicant"));
    // each part maps its own ids to the merged ones
    BOOST_CHECK_EQUAL(d->parts()[0].field_ids.at("phone"), "applicant_phone");
    BOOST_CHECK_EQUAL(d->parts()[1].field_ids.at("mobile"), "applicant_phone");
    BOOST_CHECK_EQUAL(d->parts()[1].field_ids.at("members"), "people");
    BOOST_CHECK_EQUAL(d->parts()[1].field_ids.at("q_note"), "b_q_note");
}

BOOST_AUTO_TEST_CASE(answered_once_it_validates_for_both_items_row_by_row) {
    auto d = merged();
    FormSession s(d, kToday);
    std::string id = id_with_check("37010219900307123");
    s.set_answers(answers(id));
    auto r = s.validate();
    BOOST_CHECK_MESSAGE(r.valid, dump(r));

    auto per = s.item_answers();
    BOOST_REQUIRE_EQUAL(per.size(), 2u);
    BOOST_CHECK_EQUAL(per["P-1"]["answers"],
                      json({{"applicant", {{"name", "王五"}, {"id", id}, {"phone", "13800138000"}, {"photo", {{"sha256", kSha}}}}},
                            {"people", json::array({{{"p_name", "王一"}, {"p_age", 30}, {"p_rel", "a"}}, {{"p_name", "王二"}, {"p_age", 3}}})}}));
    BOOST_CHECK_EQUAL(per["Q-1"]["version"], "q2");
    BOOST_CHECK_EQUAL(per["Q-1"]["answers"],
                      json({{"person", {{"name", "王五"}, {"id", id}, {"mobile", "13800138000"}, {"photo", {{"sha256", kSha}}},
                                        {"address", {{"region", "370102"}, {"detail", "泉城路1号"}}}}},
                            {"members", json::array({{{"p_name", "王一"}, {"p_age", 30}, {"q_note", "户主"}}, {{"p_name", "王二"}, {"p_age", 3}}})}}));
    for (auto& [code, env] : per) {
        FormSession one(items()[code], kToday);
        one.set_answers(env);
        auto ri = one.validate();
        BOOST_CHECK_MESSAGE(ri.valid, code + ": " + dump(ri));
    }

    // the photo is collected once for both items, and the scan given in the form is on the checklist
    auto cl = s.checklist();
    BOOST_REQUIRE_EQUAL(cl.entries.size(), 1u);
    BOOST_CHECK_EQUAL(cl.entries[0].material_code, "photo");
    BOOST_CHECK((cl.entries[0].serves_items == std::vector<std::string>{"P-1", "Q-1"}));
    BOOST_CHECK_EQUAL(cl.entries[0].blob_sha256, kSha);

    // every item's rules still apply, in each row: Q's constraint, Q's check over its rows, Q's length
    json a = answers(id);
    a["applicant"]["name"] = std::string(21, 'x');
    a["people"][1]["p_age"] = 140;
    for (int i = 0; i < 2; ++i) a["people"].push_back({{"p_name", "某"}});
    s.set_answers(a);
    r = s.validate();
    BOOST_CHECK(!r.valid);
    BOOST_CHECK_MESSAGE(has_issue(r, "/applicant/name", "answer.too_long"), dump(r));
    BOOST_CHECK_MESSAGE(has_issue(r, "/people/1/p_age", "field.constraint"), dump(r));
    BOOST_CHECK_MESSAGE(has_issue(r, "/people", "check.b_few"), dump(r));
    BOOST_CHECK(!has_issue(r, "/people/0/p_age", "field.constraint"));
}

BOOST_AUTO_TEST_CASE(conflicts_inside_a_shared_group_are_refused_with_pointers) {
    json b = bundle_json();
    auto with_q = [&](auto&& change) {
        json q = item_q();
        change(q);
        std::map<std::string, std::shared_ptr<const FormDefinition>> its{{"P-1", load(item_p())}, {"Q-1", load(q)}};
        try {
            FormDefinition::from_bundle(b, "bundle.json", its);
        } catch (const DefinitionError& e) {
            return std::string(e.what());
        }
        return std::string("<accepted>");
    };
    // the same id inside the shared group, of another type
    std::string e = with_q([](json& q) { q["form"]["fields"][0]["fields"][1]["type"] = "text"; });
    BOOST_CHECK_MESSAGE(e.find("bundle.json: /form/elements/0/fields/1/field: 'applicant/id': type text differs from resident_id "
                               "(item Q-1 /form/fields/0/fields/1 vs item P-1 /form/fields/0/fields/1)") != std::string::npos,
                        e);
    // inside the shared repeat, other option values
    e = with_q([](json& q) {
        q["form"]["fields"][1]["fields"][2] = field("p_rel", "choice", {{"options", json::array({{{"value", "z"}, {"label", label("丙", "C")}}})}});
    });
    BOOST_CHECK_MESSAGE(e.find("/form/elements/1/fields/1/field: 'people/p_rel': options differ") != std::string::npos, e);
    // bounds that no answer satisfies
    e = with_q([](json& q) { q["form"]["fields"][1]["fields"][1]["min"] = -10; q["form"]["fields"][1]["fields"][1]["max"] = -5; });
    BOOST_CHECK_MESSAGE(e.find("/form/elements/1/fields/1/field: 'p_age': no answer satisfies every item's bounds (item Q-1 "
                               "/form/fields/1/fields/1)") != std::string::npos,
                        e);
    // a group mapped to a repeat
    b["form"]["elements"][1]["fields"][1]["field"] = "person";
    b["form"]["elements"].erase(0);
    e = bundle_rejection(b);
    BOOST_CHECK_MESSAGE(e.find("/form/elements/0/fields/1/field: type group differs from repeat") != std::string::npos, e);
    // a nested element must name a field of the enclosing element's group, of an item it maps
    b = bundle_json();
    b["form"]["elements"][0]["elements"][0]["fields"][1]["field"] = "q_note";
    e = bundle_rejection(b);
    BOOST_CHECK_MESSAGE(e.find("/form/elements/0/elements/0/fields/1/field: 'q_note' is not a field of item Q-1's 'person'") !=
                            std::string::npos,
                        e);
    b = bundle_json();
    b["form"]["elements"][1]["fields"].erase(1);
    b["form"]["elements"][1]["elements"] = json::array({{{"id", "x"}, {"fields", json::array({{{"item", "Q-1"}, {"field", "q_note"}}})}}});
    e = bundle_rejection(b);
    BOOST_CHECK_MESSAGE(e.find("/form/elements/1/elements/0/fields/0/item: item Q-1 is not mapped by the enclosing element") !=
                            std::string::npos,
                        e);
    b = bundle_json();
    b["form"]["elements"].push_back({{"id", "y"}, {"fields", json::array({{{"item", "P-1"}, {"field", "p_only"}}})},
                                     {"elements", json::array()}});
    e = bundle_rejection(b);
    BOOST_CHECK_MESSAGE(e.find("/form/elements/2/elements: only an element of groups or repeats has nested elements") != std::string::npos, e);
}

BOOST_AUTO_TEST_CASE(groups_and_repeats_inside_a_shared_group_merge_recursively) {
    auto household = [](const std::string& extra) {
        return field("household", "group",
                     {{"fields", json::array({field("head", "group", {{"fields", json::array({field("head_name", "text", {{"required", true}}),
                                                                                             field(extra, "text")})}}),
                                              field("kids", "repeat", {{"fields", json::array({field("kid_name", "text", {{"required", true}})})}})})}});
    };
    json x = item(json::array({household("x_note")}));
    x["code"] = "X-1";
    json y = item(json::array({household("y_note")}));
    y["code"] = "Y-1";
    std::map<std::string, std::shared_ptr<const FormDefinition>> its{{"X-1", load(x)}, {"Y-1", load(y)}};
    json b{{"code", "BUNDLE-H"}, {"name", "户"}, {"zone", "livelihood"}, {"items", {"X-1", "Y-1"}}, {"promised_limit_days", 1},
           {"form", {{"version", "h1"},
                     {"aliases", {{"X-1", "x"}, {"Y-1", "y"}}},
                     {"elements", json::array({{{"id", "household"}, {"fields", json::array({{{"item", "X-1"}, {"field", "household"}},
                                                                                            {{"item", "Y-1"}, {"field", "household"}}})}}})}}}};
    auto d = std::make_shared<const FormDefinition>(FormDefinition::from_bundle(b, "bundle.json", its));
    BOOST_CHECK((child_ids(*d, "household") == std::vector<std::string>{"head", "kids"}));
    BOOST_CHECK((child_ids(*d, "head") == std::vector<std::string>{"head_name", "x_x_note", "y_y_note"}));
    BOOST_CHECK((child_ids(*d, "kids") == std::vector<std::string>{"kid_name"}));
    BOOST_CHECK_EQUAL(field_of(*d, "kid_name").repeat, d->find("kids"));
    BOOST_CHECK_EQUAL(d->fields().size(), 7u);  // household, head, head_name, x_x_note, y_y_note, kids, kid_name
    FormSession s(d, kToday);
    s.set_answers({{"household", {{"head", {{"head_name", "张三"}, {"x_x_note", "x"}, {"y_y_note", "y"}}},
                                  {"kids", json::array({{{"kid_name", "张小一"}}, {{"kid_name", "张小二"}}})}}}});
    BOOST_CHECK_MESSAGE(s.validate().valid, dump(s.validate()));
    auto per = s.item_answers();
    BOOST_CHECK_EQUAL(per["X-1"]["answers"], json({{"household", {{"head", {{"head_name", "张三"}, {"x_note", "x"}}},
                                                                   {"kids", json::array({{{"kid_name", "张小一"}}, {{"kid_name", "张小二"}}})}}}}));
    BOOST_CHECK_EQUAL(per["Y-1"]["answers"], json({{"household", {{"head", {{"head_name", "张三"}, {"y_note", "y"}}},
                                                                   {"kids", json::array({{{"kid_name", "张小一"}}, {{"kid_name", "张小二"}}})}}}}));
    // a row missing a name is reported once, at the merged path
    s.set_answer("/household/kids/1/kid_name", nullptr);
    auto r = s.validate();
    std::size_t n = 0;
    for (const auto& i : r.issues) n += i.path == "/household/kids/1/kid_name" && i.code == "field.required";
    BOOST_CHECK_EQUAL(n, 1u);
}

BOOST_AUTO_TEST_SUITE_END()
