// FormSession: answers in, every problem out (as issues, never exceptions), visibility,
// computed values, checklist, answers JSON with the version, prefill.
#include "helpers.h"

#include "ow/core/json_reader.h"

#include <boost/test/unit_test.hpp>

using namespace ow::forms;
using namespace test;

namespace {

const ow::core::Date kToday = ow::core::parse_date("2025-10-09");
const char* kId = "11010519491231002X";  // a valid resident ID number

json materials() {
    return json::array({{{"code", "id"}, {"name", "身份证"}, {"form", "original"}, {"originals", 1}, {"necessity", "required"}},
                        {{"code", "poa"}, {"name", "授权委托书"}, {"form", "original"}, {"necessity", "required"},
                         {"condition", "agent_present == true"}},
                        {{"code", "scan"}, {"name", "照片"}, {"form", "electronic"}, {"necessity", "optional"}}});
}

std::shared_ptr<const FormDefinition> sample() {
    static auto d = load(item(
        json::array({field("name", "text", {{"required", true}, {"max_length", 10}, {"prefill", {{"source", "id_card"}, {"key", "name"}}}}),
                     field("id", "resident_id", {{"required", true}, {"prefill", {{"source", "applicant"}, {"key", "doc_number"}}}}),
                     field("phone", "phone", {{"required", "soft"}}),
                     field("age", "integer", {{"compute", "age(id_birth(id))"}}),
                     field("capital", "money", {{"min", 1}}),
                     field("ratio", "decimal", {{"scale", 1}, {"max", 12}}),
                     field("kind", "choice", {{"options", json::array({{{"value", "a"}, {"label", label("甲", "A")}},
                                                                       {{"value", "b"}, {"label", label("乙", "B")}}})}}),
                     field("agent_present", "boolean", {{"required", true}}),
                     field("agent", "person", {{"visible_if", "agent_present"}, {"required_if", "agent_present"}}),
                     field("home", "address"),
                     field("photo", "attachment", {{"material", "scan"}}),
                     field("holders", "repeat", {{"min_count", 1}, {"max_count", 3},
                                                 {"fields", json::array({field("h_name", "text", {{"required", true}}),
                                                                         field("h_share", "integer", {{"required", true},
                                                                          {"constraints", json::array({{{"rule", "h_share <= 100"},
                                                                           {"message", label("份额不超过100", "At most 100")}}})}})})}}),
                     field("total", "integer", {{"compute", "sum(h_share)"}}),
                     field("extra", "group", {{"visible_if", "kind == 'b'"},
                                              {"fields", json::array({field("note", "multiline", {{"required", true}})})}})}),
        json::array({{{"id", "shares"}, {"rule", "count(holders) == 0 || total == 100"},
                      {"message", label("份额合计应为100", "Shares must total 100")}, {"fields", json::array({"holders"})}}}),
        materials()));
    return d;
}

json good() {
    return {{"name", "张三"}, {"id", kId}, {"phone", "13800138000"}, {"agent_present", false},
            {"holders", json::array({{{"h_name", "甲"}, {"h_share", 60}}, {{"h_name", "乙"}, {"h_share", 40}}})}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(form_session)

BOOST_AUTO_TEST_CASE(valid_answers) {
    FormSession s(sample(), kToday);
    s.set_answers(good());
    auto r = s.validate();
    BOOST_CHECK_MESSAGE(r.valid, dump(r));
    BOOST_CHECK(r.issues.empty());
    BOOST_CHECK(s.value("age") == Value(75));
    BOOST_CHECK(s.value("total") == Value(100));
    json a = s.answers_json();
    BOOST_CHECK_EQUAL(a["form"], "TEST-0001");
    BOOST_CHECK_EQUAL(a["version"], "t1");
    BOOST_CHECK_EQUAL(a["answers"]["total"], 100);
    BOOST_CHECK_EQUAL(a["answers"]["age"], 75);
    BOOST_CHECK_EQUAL(a["answers"]["id"], kId);
    BOOST_CHECK(!a["answers"].contains("agent"));
}

BOOST_AUTO_TEST_CASE(every_error_at_once_with_paths_and_two_languages) {
    FormSession s(sample(), kToday);
    s.set_answers({{"id", "110105194912310021"}, {"phone", "12345"}, {"capital", 0}, {"ratio", 1.25}, {"kind", "z"},
                   {"agent_present", true}, {"home", {{"region", "999999"}, {"detail", "x"}}},
                   {"holders", json::array({{{"h_name", "甲"}, {"h_share", 120}}, {{"h_share", "40"}}})}});
    auto r = s.validate();
    BOOST_CHECK(!r.valid);
    BOOST_TEST_MESSAGE(dump(r));
    BOOST_CHECK(has_issue(r, "/name", "field.required"));
    BOOST_CHECK(has_issue(r, "/id", "answer.resident_id"));
    BOOST_CHECK(has_issue(r, "/phone", "answer.phone"));
    BOOST_CHECK(has_issue(r, "/capital", "answer.too_small"));
    BOOST_CHECK(has_issue(r, "/ratio", "answer.scale"));
    BOOST_CHECK(has_issue(r, "/kind", "answer.option"));
    BOOST_CHECK(has_issue(r, "/agent", "field.required"));
    BOOST_CHECK(has_issue(r, "/home", "answer.region"));
    BOOST_CHECK(has_issue(r, "/holders/0/h_share", "field.constraint"));
    BOOST_CHECK(has_issue(r, "/holders/1/h_name", "field.required"));
    BOOST_CHECK(has_issue(r, "/holders/1/h_share", "answer.type"));
    BOOST_CHECK(!has_issue(r, "/id", "field.required"));  // present but invalid: one issue, not two
    for (const auto& i : r.issues) {
        BOOST_CHECK_MESSAGE(!i.message_zh_CN.empty() && !i.message_en.empty(), i.code);
        BOOST_CHECK(i.message_en.find("{x}") == std::string::npos);
    }
    for (const auto& i : r.issues)
        if (i.code == "field.constraint") {
            BOOST_CHECK_EQUAL(i.message_zh_CN, "份额不超过100");
            BOOST_CHECK_EQUAL(i.message_en, "At most 100");
        }
}

BOOST_AUTO_TEST_CASE(soft_required_warns_only) {
    FormSession s(sample(), kToday);
    json a = good();
    a.erase("phone");
    s.set_answers(a);
    auto r = s.validate();
    BOOST_CHECK(r.valid);
    BOOST_REQUIRE_EQUAL(r.issues.size(), 1u);
    BOOST_CHECK_EQUAL(r.issues[0].code, "field.soft_required");
    BOOST_CHECK(r.issues[0].severity == Severity::warning);
    BOOST_CHECK_EQUAL(r.warnings(), 1u);
}

BOOST_AUTO_TEST_CASE(cross_field_check) {
    FormSession s(sample(), kToday);
    json a = good();
    a["holders"][1]["h_share"] = 30;
    s.set_answers(a);
    auto r = s.validate();
    BOOST_CHECK(!r.valid);
    BOOST_CHECK(has_issue(r, "/holders", "check.shares"));
}

BOOST_AUTO_TEST_CASE(repeat_counts) {
    FormSession s(sample(), kToday);
    json a = good();
    a["holders"] = json::array();
    s.set_answers(a);
    BOOST_CHECK(has_issue(s.validate(), "/holders", "answer.rows_min"));
    a["holders"] = json::array({{{"h_name", "a"}, {"h_share", 25}}, {{"h_name", "b"}, {"h_share", 25}},
                                {{"h_name", "c"}, {"h_share", 25}}, {{"h_name", "d"}, {"h_share", 25}}});
    s.set_answers(a);
    BOOST_CHECK(has_issue(s.validate(), "/holders", "answer.rows_max"));
}

BOOST_AUTO_TEST_CASE(visibility_hides_fields_and_their_answers) {
    FormSession s(sample(), kToday);
    json a = good();
    a["extra"] = {{"note", "写给隐藏组"}};
    s.set_answers(a);
    BOOST_CHECK(s.validate().valid);
    auto paths = [&] {
        std::vector<std::string> out;
        for (const auto& v : s.visible_fields()) out.push_back(v.path);
        return out;
    };
    auto p = paths();
    BOOST_CHECK(std::find(p.begin(), p.end(), "/extra") == p.end());
    BOOST_CHECK(std::find(p.begin(), p.end(), "/holders/1/h_share") != p.end());
    BOOST_CHECK(!s.answers_json()["answers"].contains("extra"));
    s.set_answer("/kind", "b");
    s.set_answer("/extra/note", nullptr);
    p = paths();
    BOOST_CHECK(std::find(p.begin(), p.end(), "/extra/note") != p.end());
    BOOST_CHECK(has_issue(s.validate(), "/extra/note", "field.required"));
    s.set_answer("/agent_present", true);
    bool agent_required = false;
    for (const auto& v : s.visible_fields())
        if (v.path == "/agent") agent_required = v.required;
    BOOST_CHECK(agent_required);
}

BOOST_AUTO_TEST_CASE(bad_answers_are_issues_not_exceptions) {
    FormSession s(sample(), kToday);
    for (json bad : {json(nullptr), json(42), json("text"), json::array({1, 2}),
                     json{{"name", 7}, {"holders", "many"}, {"agent", {{"name", 1}}}, {"ghost", 1}},
                     json{{"name", std::string(70000, 'x')}, {"home", "Beijing"}, {"photo", {{"sha256", "xyz"}}}},
                     json{{"holders", json::array({1, "two", nullptr, json::array()})}},
                     json{{"capital", 1e300}, {"ratio", "1"}, {"kind", json::array({"a"})}, {"agent_present", "yes"}},
                     json{{"id", std::string(1000, '1')}, {"phone", json::object()}, {"extra", json::array()}},
                     json{{"name", std::string("\xff\xfe", 2)}, {std::string("\xff", 1), 1}},
                     json{{"form", "OTHER"}, {"version", "t0"}, {"answers", {{"name", "x"}}}},
                     json{{"form", "TEST-0001"}, {"version", 3}, {"answers", 5}}}) {
        BOOST_TEST_CONTEXT(bad.dump(-1, ' ', true, json::error_handler_t::replace).substr(0, 80)) {
            BOOST_CHECK_NO_THROW(s.set_answers(bad));
            ValidationResult r;
            BOOST_CHECK_NO_THROW(r = s.validate());
            BOOST_CHECK(!r.valid);
            BOOST_CHECK_NO_THROW(s.visible_fields());
            BOOST_CHECK_NO_THROW(s.checklist());
            BOOST_CHECK_NO_THROW(s.answers_json().dump());
            BOOST_CHECK_NO_THROW(to_json(r).dump());
        }
    }
    s.set_answers({{"ghost", 1}, {"holders", json::array({{{"h_name", "a"}, {"h_share", 1}, {"stray", 2}}})}});
    auto r = s.validate();
    BOOST_CHECK(has_issue(r, "/ghost", "answer.unknown_field"));
    BOOST_CHECK(has_issue(r, "/holders/0/stray", "answer.unknown_field"));
    s.set_answers({{"name", std::string(11, 'x')}});
    BOOST_CHECK(has_issue(s.validate(), "/name", "answer.too_long"));
    s.set_answers({{"form", "OTHER"}, {"version", "t0"}, {"answers", {{"name", "x"}}}});
    r = s.validate();
    BOOST_CHECK(has_issue(r, "/form", "answer.form"));
    BOOST_CHECK(has_issue(r, "/version", "answer.version"));
}

BOOST_AUTO_TEST_CASE(deeply_nested_answers_are_refused_without_recursion) {
    FormSession s(sample(), kToday);
    std::string deep = "{\"name\": " + std::string(200000, '[') + std::string(200000, ']') + "}";
    json a = ow::core::parse_json_text(deep, "deep.json");
    BOOST_CHECK_NO_THROW(s.set_answers(a));
    auto r = s.validate();
    BOOST_CHECK(!r.valid);
    BOOST_CHECK(has_issue(r, "", "answer.too_deep"));
}

BOOST_AUTO_TEST_CASE(expensive_rules_are_bounded_per_pass) {
    // 1000 rows of one repeat each summing the 1000 values of another: ~8 million steps
    json heavy = json::array({{{"rule", "sum(x) + sum(x) + sum(x) + sum(x) >= 0"}, {"message", label("x", "x")}}});
    auto d = load(item(json::array({field("a", "repeat", {{"max_count", 1000}, {"fields", json::array({field("x", "integer")})}}),
                                    field("b", "repeat", {{"max_count", 1000},
                                                          {"fields", json::array({field("y", "integer", {{"constraints", heavy}})})}})})));
    json rows_a = json::array(), rows_b = json::array();
    for (int i = 0; i < 1000; ++i) {
        rows_a.push_back({{"x", i}});
        rows_b.push_back({{"y", i}});
    }
    FormSession s(d, kToday);
    s.set_answers({{"a", rows_a}, {"b", rows_b}});
    auto r = s.validate();  // returns (no time is asserted), with the work cut off
    BOOST_CHECK(!r.valid);
    BOOST_CHECK(std::any_of(r.issues.begin(), r.issues.end(), [](const Issue& i) { return i.code == "rule.error"; }));
    BOOST_CHECK(!has_issue(r, "/b/0/y", "rule.error"));  // the first rows were checked
}

BOOST_AUTO_TEST_CASE(many_unknown_members_are_summarised) {
    FormSession s(sample(), kToday);
    json a = good();
    for (int i = 0; i < 5000; ++i) a["junk" + std::to_string(i)] = i;
    s.set_answers(a);
    auto r = s.validate();
    BOOST_CHECK(!r.valid);
    BOOST_CHECK_LE(r.issues.size(), FormSession::kMaxIssues + 1);
    BOOST_CHECK(has_issue(r, "", "answer.too_many_issues"));
}

BOOST_AUTO_TEST_CASE(set_answer_paths) {
    FormSession s(sample(), kToday);
    s.set_answer("/holders/0/h_name", "甲");
    s.set_answer("/holders/0/h_share", 100);
    BOOST_CHECK(s.value("total") == Value(100));
    BOOST_CHECK_THROW(s.set_answer("holders", 1), ow::core::InvalidData);
    BOOST_CHECK_THROW(s.set_answer("", 1), ow::core::InvalidData);
    BOOST_CHECK_THROW(s.set_answer("/holders/999999/h_name", "x"), ow::core::InvalidData);
    BOOST_CHECK_THROW(s.set_answer("/holders/0/h_name/deeper", "x"), ow::core::InvalidData);
}

BOOST_AUTO_TEST_CASE(checklist_follows_the_answers) {
    FormSession s(sample(), kToday);
    json a = good();
    s.set_answers(a);
    auto codes = [&] {
        std::vector<std::string> out;
        for (const auto& e : s.checklist().entries) out.push_back(e.material_code);
        return out;
    };
    BOOST_CHECK((codes() == std::vector<std::string>{"id", "scan"}));
    a["agent_present"] = true;
    s.set_answers(a);
    BOOST_CHECK((codes() == std::vector<std::string>{"id", "poa", "scan"}));
    const std::string sha(64, 'a');
    a["photo"] = {{"sha256", sha}, {"file_name", "photo.jpg"}};
    s.set_answers(a);
    auto cl = s.checklist();
    const auto* scan = cl.find("scan");
    BOOST_REQUIRE(scan);
    BOOST_CHECK_EQUAL(scan->blob_sha256, sha);
    BOOST_CHECK(scan->status == ow::core::MaterialStatus::scanned);
    BOOST_CHECK((cl.find("id")->serves_items == std::vector<std::string>{"TEST-0001"}));
    BOOST_CHECK(cl.find("poa")->necessity == ow::core::Necessity::required);
}

BOOST_AUTO_TEST_CASE(prefill_fills_only_empty_fields) {
    FormSession s(sample(), kToday);
    s.set_answer("/name", "已填写");
    PrefillData p;
    p.id_card = {{"name", "读卡姓名"}, {"id_number", kId}};
    p.applicant = {{"doc_number", kId}};
    auto filled = s.prefill(p);
    BOOST_CHECK((filled == std::vector<std::string>{"/id"}));
    BOOST_CHECK(s.value("name") == Value("已填写"));
    BOOST_CHECK(s.value("id") == Value(kId));
}

// The applicant key "person" fills a person field (a guardian applying for a child) with the
// applicant as a person value; an organisation is no person; other fields may not use it.
BOOST_AUTO_TEST_CASE(prefill_a_person_from_the_applicant) {
    auto d = load(item(json::array({field("guardian", "person", {{"prefill", {{"source", "applicant"}, {"key", "person"}}}})})));
    FormSession s(d, kToday);
    PrefillData p;
    p.applicant = {{"kind", "person"}, {"name", "王小测"}, {"doc_type", 111}, {"doc_number", kId}};
    BOOST_CHECK((s.prefill(p) == std::vector<std::string>{"/guardian"}));
    BOOST_CHECK_MESSAGE(s.validate().valid, dump(s.validate()));
    BOOST_CHECK_EQUAL(s.answers_json()["answers"]["guardian"]["doc_number"], kId);
    FormSession org(d, kToday);
    p.applicant["kind"] = "organisation";
    BOOST_CHECK(org.prefill(p).empty());
    BOOST_CHECK_THROW(load(item(json::array({field("n", "text", {{"prefill", {{"source", "applicant"}, {"key", "person"}}}})}))),
                      DefinitionError);
    BOOST_CHECK_THROW(load(item(json::array({field("g", "person", {{"prefill", {{"source", "applicant"}, {"key", "name"}}}})}))),
                      DefinitionError);
}

BOOST_AUTO_TEST_CASE(round_trip_of_the_answers_envelope) {
    FormSession s(sample(), kToday);
    s.set_answers(good());
    json saved = s.answers_json();
    FormSession t(sample(), kToday);
    t.set_answers(saved);
    auto r = t.validate();
    BOOST_CHECK_MESSAGE(r.valid, dump(r));
    BOOST_CHECK_EQUAL(t.answers_json().dump(), saved.dump());
}

BOOST_AUTO_TEST_CASE(rule_that_fails_at_run_time_is_an_issue) {
    auto d = load(item(json::array({field("a", "text"), field("b", "integer", {{"compute", "a - 1"}}),
                                    field("c", "text", {{"visible_if", "a < 3"}})})));
    FormSession s(d, kToday);
    s.set_answers({{"a", "x"}});
    auto r = s.validate();
    BOOST_CHECK(!r.valid);
    BOOST_CHECK(has_issue(r, "/b", "rule.error"));
    BOOST_CHECK(has_issue(r, "/c", "rule.error"));
}

BOOST_AUTO_TEST_SUITE_END()
