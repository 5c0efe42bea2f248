// Template files: parsing, checks and placeholder rules.
#include "fixtures.h"

#include <boost/test/unit_test.hpp>

using namespace ow::notices;
using namespace ow::notices::test;
using nlohmann::json;

namespace {

json minimal(json blocks) {
    return {{"format", "onewindow-notice-template"}, {"format_version", 1}, {"kind", "t"}, {"title", "测试"}, {"blocks", blocks}};
}

std::string error_of(const json& j) {
    try {
        NoticeTemplate::parse(j, "t.json");
    } catch (const TemplateError& e) {
        return e.what();
    }
    return "no error";
}

NoticeInput input_for(const std::string& kind) { return realistic(kind); }

}  // namespace

BOOST_AUTO_TEST_SUITE(templates)

BOOST_AUTO_TEST_CASE(bad_templates_are_refused_with_the_place) {
    BOOST_TEST(error_of(minimal(json::array())) == "no error");
    BOOST_TEST(error_of(minimal({{{"type", "marquee"}}})).find("/blocks/0: unknown block type 'marquee'") != std::string::npos);
    BOOST_TEST(error_of(minimal({{{"type", "paragraph"}}})).find("needs \"text\"") != std::string::npos);
    BOOST_TEST(error_of(minimal({{{"type", "paragraph"}, {"text", "{{case.x"}}})).find("unclosed") != std::string::npos);
    BOOST_TEST(error_of(minimal({{{"type", "paragraph"}, {"text", "{{case.x|upper}}"}}})).find("unknown filter") != std::string::npos);
    BOOST_TEST(error_of(minimal({{{"type", "paragraph"}, {"text", "{{case..x}}"}}})).find("bad placeholder") != std::string::npos);
    BOOST_TEST(error_of(minimal({{{"type", "paragraph"}, {"text", "x"}, {"colour", "red"}}})).find("unknown attribute") != std::string::npos);
    BOOST_TEST(error_of(minimal({{{"type", "paragraph"}, {"text", "x"}, {"size", 1000}}})).find("/blocks/0/size: must be between") !=
               std::string::npos);
    BOOST_TEST(error_of(minimal({{{"type", "paragraph"}, {"text", "x"}, {"align", "justify"}}})).find("/blocks/0/align") !=
               std::string::npos);
    BOOST_TEST(error_of(minimal({{{"type", "table"}, {"each", "case.checklist"}, {"min", -1},
                                  {"columns", {{{"title", "a"}, {"text", "b"}, {"width", 1}}}}}})).find("/blocks/0/min") != std::string::npos);
    json wrong = minimal(json::array());
    wrong["format_version"] = 2;
    BOOST_TEST(error_of(wrong).find("/format_version") != std::string::npos);
    wrong = minimal(json::array());
    wrong["kind"] = "Bad Kind";
    BOOST_TEST(error_of(wrong).find("/kind") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_template_from_data_renders_placeholders_filters_and_repeats) {
    json t = minimal({
        {{"type", "title"}, {"text", "{{template.title}}"}},
        {{"type", "paragraph"}, {"text", "申请人：{{case.applicant.name}}，证件：{{case.applicant.doc_type|doc_type}}，"
                                         "类型：{{case.kind|item_kind}}，受理：{{case.accepted_at|date}}，"
                                         "备注：{{case.platform_case_no?}}，领取：{{notice.pickup,item.spec.pickup}}"}},
        {{"type", "list"}, {"each", "case.checklist"}, {"where", {{"status", "missing"}}}, {"text", "第{{#}}项={{row.name}}"}},
        {{"type", "paragraph"}, {"when", "case.platform_case_no"}, {"text", "不应出现"}},
        {{"type", "paragraph"}, {"when", "!case.platform_case_no"}, {"text", "尚未同步"}},
    });
    TemplateSet set;
    set.add(NoticeTemplate::parse(t, "t.json"));
    NoticeRenderer renderer(std::move(set));
    TempDir dir;
    auto pdf = dir.path / "t.pdf";
    renderer.render_to_file("t", input_for("acceptance_receipt"), pdf);
    std::string text = text_of(pdf);
    BOOST_TEST(text.find(squeeze("申请人：王秀英，证件：居民身份证，类型：承诺件，受理：2025年10月9日，备注：，领取：综合窗口当场领取")) !=
               std::string::npos);
    BOOST_TEST(text.find("第1项=经营场所使用证明") != std::string::npos);
    BOOST_TEST(text.find("不应出现") == std::string::npos);
    BOOST_TEST(text.find("尚未同步") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(trailing_space_never_makes_an_empty_page) {
    json t = minimal({{{"type", "paragraph"}, {"text", "正文"}}, {{"type", "spacer"}, {"mm", 200}}, {{"type", "spacer"}, {"mm", 200}}});
    t["running_header"] = "{{template.title}}（续页）";
    TemplateSet set;
    set.add(NoticeTemplate::parse(t, "t.json"));
    NoticeRenderer renderer(std::move(set));
    BOOST_TEST(renderer.render("t", input_for("acceptance_receipt")).pages == 1);
    // Content after the space does go to the next page, under the running header.
    t["blocks"].push_back({{"type", "paragraph"}, {"text", "下一页"}});
    TemplateSet set2;
    set2.add(NoticeTemplate::parse(t, "t.json"));
    TempDir dir;
    auto r = NoticeRenderer(std::move(set2)).render_to_file("t", input_for("acceptance_receipt"), dir.path / "t.pdf");
    BOOST_TEST(r.pages == 2);
    BOOST_TEST(text_of(dir.path / "t.pdf").find("测试（续页）") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(duplicate_kinds_are_refused) {
    TemplateSet set;
    set.add(NoticeTemplate::parse(minimal(json::array()), "a.json"));
    BOOST_CHECK_THROW(set.add(NoticeTemplate::parse(minimal(json::array()), "b.json")), TemplateError);
}

BOOST_AUTO_TEST_SUITE_END()
