// FormPresenter: intake step 3's view model over a FormSession (the shipped 新生儿出生一件事 bundle
// and small inline forms); tested without a display.
#include <boost/test/unit_test.hpp>

#include "intake/form_presenter.h"

#include "../forms/helpers.h"

#include "ow/forms/definition.h"
#include "ow/forms/session.h"

#include <algorithm>
#include <optional>
#include <ostream>

namespace ow::forms {
std::ostream& operator<<(std::ostream& o, Requirement r) { return o << int(r); }
std::ostream& operator<<(std::ostream& o, Severity s) { return o << (s == Severity::error ? "error" : "warning"); }
}  // namespace ow::forms
namespace ow::app {
std::ostream& operator<<(std::ostream& o, FormRowKind k) { return o << int(k); }
}  // namespace ow::app
namespace std {
std::ostream& operator<<(std::ostream& o, const std::optional<std::string>& s) { return o << (s ? *s : "<none>"); }
std::ostream& operator<<(std::ostream& o, const std::optional<ow::app::FormProblem>& p) { return o << (p ? p->code : "<none>"); }
}  // namespace std

using namespace ow;
using app::FormChanges;
using app::FormPresenter;
using app::FormRow;
using app::FormRowKind;
using nlohmann::json;
using test::field;
using test::label;

namespace {

const core::Date kToday = core::parse_date("2026-12-06");
const char* kId = "11010519491231002X";  // a valid resident ID number

const forms::FormCatalogue& catalogue() {
    static forms::FormCatalogue c = forms::FormCatalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog");
    return c;
}

std::shared_ptr<const forms::FormDefinition> newborn() {
    auto d = catalogue().find("BUNDLE-XSECS");
    BOOST_REQUIRE(d);
    BOOST_REQUIRE(d->is_bundle());
    return d;
}

const FormRow& row(const FormPresenter& p, const std::string& path) {
    int i = p.row_of(path);
    BOOST_REQUIRE_MESSAGE(i >= 0, "no row " << path);
    return p.rows()[std::size_t(i)];
}

bool changed(const FormChanges& ch, const FormPresenter& p, const std::string& path) {
    int i = p.row_of(path);
    return std::any_of(ch.rows.begin(), ch.rows.end(), [&](const app::FormRowChange& c) { return int(c.row) == i; });
}

json options(std::initializer_list<const char*> values) {
    json a = json::array();
    for (const char* v : values) a.push_back({{"value", v}, {"label", label(std::string("选") + v, std::string("Opt ") + v)}});
    return a;
}

/// Every field type of the engine, a group, a repeat with a computed total and a condition.
std::shared_ptr<const forms::FormDefinition> every_type() {
    static auto d = test::load(test::item(
        json::array({
            field("name", "text", {{"required", true}}),
            field("note", "multiline", {{"required", "soft"}}),
            field("count", "integer", {{"min", 0}, {"max", 99}}),
            field("ratio", "decimal", {{"scale", 1}}),
            field("fee", "money", {{"min", 0}}),
            field("day", "date"),
            field("kind", "choice", {{"options", options({"a", "b"})}}),
            field("tags", "multi_choice", {{"options", options({"x", "y", "z"})}}),
            field("agent_present", "boolean"),
            field("agent", "person", {{"visible_if", "agent_present == true"}, {"required_if", "agent_present == true"}}),
            field("id", "resident_id"),
            field("org", "uscc"),
            field("mobile", "phone"),
            field("post", "postal_code"),
            field("home", "address"),
            field("photo", "attachment", {{"material", "scan"}}),
            field("extra", "group", {{"visible_if", "kind == 'b'"},
                                     {"fields", json::array({field("extra_note", "text", {{"required", true}})})}}),
            field("holders", "repeat", {{"min_count", 1}, {"max_count", 3},
                                        {"fields", json::array({field("h_name", "text", {{"required", true}}),
                                                                field("h_share", "integer", {{"required", true},
                                                                 {"constraints", json::array({{{"rule", "h_share <= 100"},
                                                                  {"message", label("份额不超过100", "At most 100")}}})}}),
                                                                field("h_person", "person")})}}),
            field("total", "integer", {{"compute", "sum(h_share)"}}),
            field("after", "text"),
        }),
        json::array(),
        json::array({{{"code", "scan"}, {"name", "照片"}, {"form", "electronic"}, {"necessity", "optional"}}})));
    return d;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(form_presenter)

BOOST_AUTO_TEST_CASE(rows_follow_the_paper_form_and_shared_fields_come_once) {
    forms::FormSession s(newborn(), kToday);
    FormPresenter p(s, forms::Lang::zh_CN);
    // the paper order is the definition's tree order (roots, then each group's children)
    std::vector<std::string> expected;
    const auto& fields = s.definition().fields();
    auto walk = [&](auto&& self, const std::vector<int>& kids) -> void {
        for (int c : kids) {
            expected.push_back(fields[std::size_t(c)].id);
            if (fields[std::size_t(c)].type == forms::FieldType::group) self(self, fields[std::size_t(c)].children);
        }
    };
    walk(walk, s.definition().roots());
    std::vector<std::string> got;
    for (const auto& r : p.rows()) got.push_back(r.id);
    BOOST_TEST(got == expected, boost::test_tools::per_element());
    BOOST_TEST(p.rows().size() > 20u);
    // 新生儿姓名 is asked by all four items and shown once; the label is the definition's
    BOOST_TEST(std::count(got.begin(), got.end(), "baby_name") == 1);
    BOOST_TEST(row(p, "/baby_name").label == "新生儿姓名");
    BOOST_TEST(std::none_of(got.begin(), got.end(), [](const std::string& id) { return id.find("insured_name") != std::string::npos; }));
    // hidden until its condition holds; required marks now
    BOOST_TEST(!row(p, "/father").visible);
    BOOST_TEST(row(p, "/baby_name").requirement == forms::Requirement::required);
    BOOST_TEST(row(p, "/birth_certificate_no").requirement == forms::Requirement::soft);
    // the attachment is read-only here and names its material
    BOOST_TEST(row(p, "/sbk_photo").read_only);
    BOOST_TEST(!row(p, "/sbk_photo").material.empty());
    // counts for the step's status (every empty required field is an error already)
    BOOST_TEST(p.errors() == s.validate().errors());
    BOOST_TEST(p.warnings() == s.validate().warnings());
}

BOOST_AUTO_TEST_CASE(a_required_fields_error_appears_and_goes) {
    forms::FormSession s(newborn(), kToday);
    FormPresenter p(s, forms::Lang::zh_CN);
    std::size_t errors = p.errors();
    // untouched: the * says it; the error line stays quiet
    BOOST_TEST(!row(p, "/baby_name").problem);
    auto ch = p.set_text("/baby_name", "王小明");
    BOOST_TEST(ch.refused.empty());
    BOOST_TEST(!row(p, "/baby_name").problem);
    BOOST_TEST(p.errors() == errors - 1);
    BOOST_TEST(s.raw_answers()["baby_name"] == "王小明");
    // only the edited row changed
    BOOST_TEST(ch.rows.size() == 1u);
    BOOST_TEST(changed(ch, p, "/baby_name"));
    ch = p.set_text("/baby_name", "");
    BOOST_REQUIRE(row(p, "/baby_name").problem);
    BOOST_TEST(row(p, "/baby_name").problem->code == "field.required");
    BOOST_TEST(row(p, "/baby_name").problem->message == "此项为必填项");
    BOOST_TEST(changed(ch, p, "/baby_name"));
    BOOST_TEST(ch.rows[0].problem);
    BOOST_TEST(p.errors() == errors);
    ch = p.set_text("/baby_name", "王小明");
    BOOST_TEST(!row(p, "/baby_name").problem);
    BOOST_TEST(ch.rows[0].problem);

    // leaving a field untouched-but-empty shows it; reveal_all shows every one
    BOOST_TEST(!row(p, "/contact_phone").problem);
    ch = p.touch("/contact_phone");
    BOOST_TEST(changed(ch, p, "/contact_phone"));
    BOOST_TEST(row(p, "/contact_phone").problem);
    BOOST_TEST(!row(p, "/cs_hospital").problem);
    p.reveal_all();
    BOOST_TEST(row(p, "/cs_hospital").problem);
    BOOST_TEST(row(p, "/birth_certificate_no").problem->severity == forms::Severity::warning);
}

BOOST_AUTO_TEST_CASE(a_bad_id_number_shows_inline_and_goes_when_fixed) {
    forms::FormSession s(newborn(), kToday);
    FormPresenter p(s, forms::Lang::en);
    p.set_text("/baby_id", "11010519491231002");  // one digit short, as while typing
    BOOST_REQUIRE(row(p, "/baby_id").problem);
    BOOST_TEST(row(p, "/baby_id").problem->code == "answer.resident_id");
    BOOST_TEST(row(p, "/baby_id").problem->message == "Not a valid resident ID number");
    BOOST_TEST(row(p, "/baby_id").parts[0].text == "11010519491231002");
    auto ch = p.set_text("/baby_id", "11010519491231002x");
    BOOST_TEST(!row(p, "/baby_id").problem);
    BOOST_TEST(changed(ch, p, "/baby_id"));
    BOOST_TEST(s.raw_answers()["baby_id"] == "11010519491231002x");
    BOOST_TEST(s.answers_json()["answers"]["baby_id"] == kId);  // normalised by the engine
}

BOOST_AUTO_TEST_CASE(a_condition_shows_and_hides_a_field) {
    forms::FormSession s(newborn(), kToday);
    FormPresenter p(s, forms::Lang::zh_CN);
    BOOST_TEST(p.next_field("/father_known") == std::optional<std::string>("/contact_phone"));
    auto ch = p.set_bool("/father_known", true);
    BOOST_TEST(row(p, "/father").visible);
    BOOST_TEST(ch.layout);
    BOOST_TEST(changed(ch, p, "/father"));
    auto it = std::find_if(ch.rows.begin(), ch.rows.end(), [&](const auto& c) { return int(c.row) == p.row_of("/father"); });
    BOOST_TEST(it->visibility);
    BOOST_TEST(row(p, "/father_known").value == "true");
    BOOST_TEST(p.next_field("/father_known") == std::optional<std::string>("/father"));
    ch = p.set_text("/father_known", "否");  // typed: 是/否 yes/no true/false
    BOOST_TEST(!row(p, "/father").visible);
    BOOST_TEST(row(p, "/father_known").value == "false");
    BOOST_TEST(changed(ch, p, "/father"));
    ch = p.set_bool("/father_known", std::nullopt);
    BOOST_TEST(!s.raw_answers().contains("father_known"));
}

BOOST_AUTO_TEST_CASE(enter_skips_read_only_and_hidden_fields) {
    forms::FormSession s(newborn(), kToday);
    FormPresenter p(s, forms::Lang::zh_CN);
    BOOST_TEST(p.first_field() == std::optional<std::string>("/baby_name"));
    BOOST_TEST(p.next_field("/baby_name") == std::optional<std::string>("/baby_sex"));
    // 证件照 is an attachment (read-only: scanned on the materials step)
    BOOST_TEST(p.next_field("/sbk_bank") == std::optional<std::string>("/sbk_mail"));
    // the mail address is hidden until 邮寄到家
    BOOST_TEST(p.next_field("/sbk_mail") == std::optional<std::string>());
    p.set_bool("/sbk_mail", true);
    BOOST_TEST(p.next_field("/sbk_mail") == std::optional<std::string>("/sbk_mail_address"));

    forms::FormSession t(every_type(), kToday);
    FormPresenter q(t, forms::Lang::zh_CN);
    // a computed field is skipped: after the table comes "after"
    BOOST_TEST(q.next_field("/holders") == std::optional<std::string>("/after"));
    BOOST_TEST(q.next_field("/holders/0/h_name") == std::optional<std::string>("/after"));  // a cell counts as its table
    BOOST_TEST(q.next_field("/after") == std::optional<std::string>());
    BOOST_TEST(q.next_field("/nope") == std::optional<std::string>());
}

BOOST_AUTO_TEST_CASE(every_field_type_renders) {
    forms::FormSession s(every_type(), kToday);
    for (auto lang : {forms::Lang::zh_CN, forms::Lang::zh_TW, forms::Lang::en}) {
        FormPresenter p(s, lang);
        for (const char* id : {"name", "note", "count", "ratio", "fee", "day", "kind", "tags", "agent_present", "agent", "id",
                               "org", "mobile", "post", "home", "photo", "extra", "holders", "total", "after"}) {
            const FormRow& r = row(p, std::string("/") + id);
            BOOST_TEST(r.id == id);
            BOOST_TEST(!r.label.empty());
        }
        BOOST_TEST(row(p, "/extra/extra_note").depth == 1);
        BOOST_TEST(row(p, "/extra").kind == FormRowKind::section);
        BOOST_TEST(row(p, "/holders").kind == FormRowKind::table);
        BOOST_TEST(row(p, "/home").parts.size() == 2u);
        BOOST_TEST(row(p, "/agent").parts.size() == 3u);
        BOOST_TEST(!row(p, "/agent").parts[1].options.empty());  // document types
        BOOST_TEST(row(p, "/kind").options.size() == 2u);
        BOOST_TEST(row(p, "/tags").options.size() == 3u);
        BOOST_TEST(row(p, "/photo").read_only);
        BOOST_TEST(row(p, "/photo").material == "照片");
        BOOST_TEST(!row(p, "/photo").note.empty());
        BOOST_TEST(row(p, "/total").read_only);
        // table columns: the repeat's fields, a person in three
        const FormRow& t = row(p, "/holders");
        BOOST_TEST(t.columns.size() == 5u);
        BOOST_TEST(t.min_rows == 1u);
        BOOST_TEST(t.max_rows == 3u);
    }
    FormPresenter en(s, forms::Lang::en);
    BOOST_TEST(row(en, "/kind").options[1].label == "Opt b");
    BOOST_TEST(row(en, "/home").parts[0].label == "Region code");
    FormPresenter zh(s, forms::Lang::zh_CN);
    BOOST_TEST(row(zh, "/home").parts[0].label == "行政区划代码");
}

BOOST_AUTO_TEST_CASE(choices_multi_choices_and_composites) {
    forms::FormSession s(every_type(), kToday);
    FormPresenter p(s, forms::Lang::zh_CN);
    // a choice by value or by label; the group behind it appears
    auto ch = p.set_text("/kind", "选b");
    BOOST_TEST(row(p, "/kind").value == "b");
    BOOST_TEST(row(p, "/extra").visible);
    BOOST_TEST(row(p, "/extra/extra_note").visible);
    BOOST_TEST(changed(ch, p, "/extra/extra_note"));
    p.set_text("/kind", "c");
    BOOST_REQUIRE(row(p, "/kind").problem);
    BOOST_TEST(row(p, "/kind").problem->code == "parse.choice");
    BOOST_TEST(row(p, "/kind").parts[0].text == "c");
    // multi-choice: typed list or selected values, stored in option order
    p.set_text("/tags", "z, x");
    BOOST_TEST(s.raw_answers()["tags"] == json::array({"x", "z"}));
    BOOST_TEST((row(p, "/tags").selected == std::vector<std::string>{"x", "z"}));
    p.set_selected("/tags", {"y"});
    BOOST_TEST(s.raw_answers()["tags"] == json::array({"y"}));
    BOOST_TEST(!p.set_selected("/tags", {"nope"}).refused.empty());
    // a person typed part by part: the missing part is named
    p.set_bool("/agent_present", true);
    p.set_text("/agent", "李四", "name");
    BOOST_REQUIRE(row(p, "/agent").problem);
    BOOST_TEST(row(p, "/agent").problem->code == "parse.person_number");
    p.set_text("/agent", kId, "doc_number");
    BOOST_TEST(!row(p, "/agent").problem);
    BOOST_TEST(s.raw_answers()["agent"]["name"] == "李四");
    p.set_text("/agent", "414", "doc_type");  // a passport: the resident ID is not a passport number
    BOOST_TEST(s.raw_answers()["agent"]["doc_type"] == 414);
    p.set_text("/agent", "护照X", "doc_type");
    BOOST_TEST(row(p, "/agent").problem->code == "parse.doc_type");
    // an address: the region's name as a note
    p.set_text("/home", "370102", "region");
    p.set_text("/home", "经十路 1 号", "detail");
    BOOST_TEST(!row(p, "/home").problem);
    BOOST_TEST(!row(p, "/home").note.empty());
    BOOST_TEST(s.raw_answers()["home"] == (json{{"region", "370102"}, {"detail", "经十路 1 号"}}));
    // refused, never thrown
    BOOST_TEST(!p.set_text("/nope", "x").refused.empty());
    BOOST_TEST(!p.set_text("/total", "5").refused.empty());
    BOOST_TEST(!p.set_text("/photo", "x").refused.empty());
    BOOST_TEST(!p.set_text("/home", "x", "colour").refused.empty());
    BOOST_TEST(!p.set_bool("/name", true).refused.empty());
}

BOOST_AUTO_TEST_CASE(money_and_dates_parse_and_bad_text_is_kept) {
    forms::FormSession s(every_type(), kToday);
    FormPresenter p(s, forms::Lang::zh_CN);
    p.set_text("/fee", "1,234.5");
    BOOST_TEST(s.raw_answers()["fee"] == 123450);  // fen
    BOOST_TEST(row(p, "/fee").parts[0].text == "1,234.5");  // as typed while editing
    BOOST_TEST(!row(p, "/fee").problem);
    p.set_text("/fee", "¥12");
    BOOST_TEST(s.raw_answers()["fee"] == 1200);
    p.set_text("/fee", "0.07");
    BOOST_TEST(s.raw_answers()["fee"] == 7);
    std::size_t errors = p.errors();
    p.set_text("/fee", "12.345");
    BOOST_REQUIRE(row(p, "/fee").problem);
    BOOST_TEST(row(p, "/fee").problem->code == "parse.money");
    BOOST_TEST(row(p, "/fee").problem->message == "请输入金额（元），如 1234.50");
    BOOST_TEST(row(p, "/fee").parts[0].text == "12.345");
    BOOST_TEST(p.errors() == errors + 1);  // the form is not valid while it is there
    p.set_text("/fee", "-1");
    BOOST_TEST(row(p, "/fee").problem->code == "answer.too_small");
    p.set_text("/fee", "88");
    p.reload();  // after a wholesale change the value is shown formatted
    BOOST_TEST(row(p, "/fee").parts[0].text == "88.00");

    p.set_text("/day", "2024/1/5");
    BOOST_TEST(s.raw_answers()["day"] == "2024-01-05");
    p.set_text("/day", "20240229");
    BOOST_TEST(s.raw_answers()["day"] == "2024-02-29");
    p.set_text("/day", "2023-02-29");
    BOOST_REQUIRE(row(p, "/day").problem);
    BOOST_TEST(row(p, "/day").problem->code == "answer.date");

    p.set_text("/count", "12a");
    BOOST_TEST(row(p, "/count").problem->code == "parse.integer");
    p.set_text("/count", "100");
    BOOST_TEST(row(p, "/count").problem->code == "answer.too_large");
    p.set_text("/count", "42");
    BOOST_TEST(!row(p, "/count").problem);
    BOOST_TEST(s.raw_answers()["count"] == 42);
    p.set_text("/ratio", "2.5");
    BOOST_TEST(s.raw_answers()["ratio"] == 2.5);
    p.set_text("/ratio", "2.55");
    BOOST_TEST(row(p, "/ratio").problem->code == "answer.scale");
    p.set_text("/ratio", "x");
    BOOST_TEST(row(p, "/ratio").problem->code == "parse.decimal");
    p.set_text("/agent_present", "maybe");
    BOOST_TEST(row(p, "/agent_present").problem->code == "parse.boolean");
}

BOOST_AUTO_TEST_CASE(repeat_rows_add_remove_cell_errors_and_a_computed_total) {
    forms::FormSession s(every_type(), kToday);
    FormPresenter p(s, forms::Lang::en);
    const std::string t = "/holders";
    BOOST_TEST(row(p, t).cells.empty());
    auto ch = p.add_row(t);
    BOOST_TEST(ch.refused.empty());
    BOOST_TEST(ch.layout);
    BOOST_TEST(changed(ch, p, t));
    BOOST_TEST(row(p, t).cells.size() == 1u);
    BOOST_TEST(row(p, t).cells[0].size() == 5u);
    BOOST_TEST(row(p, t).cells[0][0].path == "/holders/0/h_name");
    BOOST_TEST(row(p, t).cells[0][0].requirement == forms::Requirement::required);
    p.add_row(t);
    p.set_text("/holders/0/h_name", "A");
    ch = p.set_text("/holders/0/h_share", "60");
    // the computed total follows, and is reported changed
    BOOST_TEST(row(p, "/total").value == "60");
    BOOST_TEST(changed(ch, p, "/total"));
    p.set_text("/holders/1/h_name", "B");
    ch = p.set_text("/holders/1/h_share", "150");
    BOOST_TEST(row(p, "/total").value == "210");
    // the table's cell error: the definition's constraint message
    BOOST_REQUIRE(row(p, t).cells[1][1].problem);
    BOOST_TEST(row(p, t).cells[1][1].problem->message == "At most 100");
    BOOST_TEST(!row(p, t).cells[0][1].problem);
    auto ct = std::find_if(ch.rows.begin(), ch.rows.end(), [&](const auto& c) { return int(c.row) == p.row_of(t); });
    BOOST_REQUIRE(ct != ch.rows.end());
    BOOST_TEST(ct->table);
    // text that does not parse stays in its cell, with its problem
    p.set_text("/holders/1/h_share", "4O");
    BOOST_TEST(row(p, t).cells[1][1].text == "4O");
    BOOST_TEST(row(p, t).cells[1][1].problem->code == "parse.integer");
    p.add_row(t);
    BOOST_TEST(!p.add_row(t).refused.empty());  // max 3
    BOOST_TEST(!p.set_text("/holders/7/h_name", "x").refused.empty());  // no such row
    // removing row 0: row 1 (with its text as typed) moves up
    ch = p.remove_row(t, 0);
    BOOST_TEST(ch.refused.empty());
    BOOST_TEST(row(p, t).cells.size() == 2u);
    BOOST_TEST(row(p, t).cells[0][0].text == "B");
    BOOST_TEST(row(p, t).cells[0][1].text == "4O");
    BOOST_TEST(row(p, t).cells[0][1].problem->code == "parse.integer");
    BOOST_TEST(s.raw_answers()["holders"].size() == 2u);
    BOOST_TEST(!p.remove_row(t, 5).refused.empty());
    p.remove_row(t, 1);
    p.remove_row(t, 0);
    BOOST_TEST(row(p, t).cells.empty());
    // min_count 1: the empty table's problem shows once touched
    BOOST_REQUIRE(row(p, t).problem);
    BOOST_TEST(row(p, t).problem->code == "answer.rows_min");
    // a person in a table: its parts are columns
    p.add_row(t);
    p.set_text("/holders/0/h_person", "王五", "name");
    BOOST_TEST(row(p, t).cells[0][2].text == "王五");
    BOOST_TEST(row(p, t).cells[0][3].text == "111");
    BOOST_TEST(row(p, t).cells[0][2].problem->code == "parse.person_number");
}

BOOST_AUTO_TEST_CASE(problems_in_the_ui_language) {
    forms::FormSession s(every_type(), kToday);
    FormPresenter tw(s, forms::Lang::zh_TW);
    tw.set_text("/fee", "abc");
    BOOST_TEST(row(tw, "/fee").problem->message == "請輸入金額（元），如 1234.50");
    FormPresenter en(s, forms::Lang::en);
    // another presenter over the same session: the text kept there gets the same words
    BOOST_TEST(row(en, "/fee").problem->message == "Enter an amount in yuan, e.g. 1234.50");
    en.set_text("/fee", "-5");
    BOOST_TEST(row(en, "/fee").problem->message == "Must be at least 0");  // the engine's
}

BOOST_AUTO_TEST_CASE(text_kept_as_typed_comes_back_with_a_draft) {
    forms::FormSession s(every_type(), kToday);
    FormPresenter p(s, forms::Lang::zh_CN);
    p.set_text("/fee", "12.345");
    p.set_text("/count", "4O");
    p.set_text("/kind", "丙");
    p.set_text("/agent_present", "是");
    p.set_text("/agent", "李四", "name");
    json draft = s.raw_answers();  // what the intake's draft keeps
    forms::FormSession resumed(every_type(), kToday);
    resumed.set_answers(draft);
    FormPresenter q(resumed, forms::Lang::zh_CN);
    q.reveal_all();
    for (const char* path : {"/fee", "/count", "/kind", "/agent"}) {
        BOOST_TEST(row(q, path).parts[0].text == row(p, path).parts[0].text, path);
        BOOST_REQUIRE_MESSAGE(row(q, path).problem, path);
        BOOST_TEST(row(q, path).problem->code == row(p, path).problem->code, path);
    }
    BOOST_TEST(q.errors() == p.errors());
}

BOOST_AUTO_TEST_CASE(reload_after_a_wholesale_change) {
    forms::FormSession s(newborn(), kToday);
    FormPresenter p(s, forms::Lang::zh_CN);
    p.set_text("/baby_name", "x");
    s.set_answers(json{{"baby_name", "王小明"}, {"father_known", true}, {"bogus", 1}});
    auto ch = p.reload();
    BOOST_TEST(ch.rows.size() == p.rows().size());
    BOOST_TEST(row(p, "/baby_name").value == "王小明");
    BOOST_TEST(row(p, "/father").visible);
    // a problem at no row's path is the form's own
    BOOST_REQUIRE(p.form_problems().size() == 1u);
    BOOST_TEST(p.form_problems()[0].code == "answer.unknown_field");
}

BOOST_AUTO_TEST_SUITE_END()
