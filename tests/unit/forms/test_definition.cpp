// Loading definitions: strict, with the JSON pointer of every problem; bounded sizes.
#include "helpers.h"

#include "ow/core/json_reader.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

using namespace ow::forms;
using namespace test;

namespace {

void check_rejected(const json& j, const std::string& pointer, const std::string& what) {
    std::string msg = rejection(j);
    BOOST_TEST_CONTEXT(msg) {
        BOOST_CHECK_NE(msg, "<accepted>");
        BOOST_CHECK_NE(msg.find("test.json: " + pointer + ":"), std::string::npos);
        BOOST_CHECK_NE(msg.find(what), std::string::npos);
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(definition_loading)

BOOST_AUTO_TEST_CASE(a_good_definition_loads) {
    auto d = load(item(json::array({field("name", "text", {{"required", true}}),
                                    field("age", "integer", {{"min", 0}, {"max", 150}}),
                                    field("kids", "repeat", {{"max_count", 5},
                                                             {"fields", json::array({field("kid", "text")})}}),
                                    field("n", "integer", {{"compute", "count(kids)"}})})));
    BOOST_CHECK_EQUAL(d->fields().size(), 5u);
    BOOST_CHECK_EQUAL(d->roots().size(), 4u);
    BOOST_CHECK_EQUAL(d->version(), "t1");
    BOOST_CHECK_EQUAL(d->find("kid"), 3);
    BOOST_CHECK_EQUAL(d->fields()[3].repeat, 2);
    BOOST_CHECK_EQUAL(d->find("nope"), -1);
    // dependency order: kids before n
    const auto& o = d->order();
    auto pos = [&](int i) { return std::find(o.begin(), o.end(), i) - o.begin(); };
    BOOST_CHECK_LT(pos(2), pos(4));
}

BOOST_AUTO_TEST_CASE(unknown_field_type) {
    check_rejected(item(json::array({field("a", "text"), field("b", "colour")})), "/form/fields/1/type", "unknown field type 'colour'");
}

BOOST_AUTO_TEST_CASE(rule_naming_a_missing_field) {
    check_rejected(item(json::array({field("a", "text", {{"visible_if", "b == 1"}})})), "/form/fields/0/visible_if",
                   "missing field 'b'");
    check_rejected(item(json::array({field("a", "text", {{"constraints", json::array({{{"rule", "len(zz) < 3"},
                                                                                      {"message", label("短", "short")}}})}})})),
                   "/form/fields/0/constraints/0/rule", "missing field 'zz'");
    check_rejected(item(json::array({field("a", "text")}), json::array({{{"id", "c1"}, {"rule", "q > 1"}, {"message", label("x", "x")}}})),
                   "/form/checks/0/rule", "missing field 'q'");
    json mats = json::array({{{"code", "m1"}, {"name", "材料"}, {"form", "copy"}, {"necessity", "required"},
                              {"condition", "ghost == true"}}});
    check_rejected(item(json::array({field("a", "text")}), json::array(), mats), "/spec/materials/0/condition", "missing field 'ghost'");
}

BOOST_AUTO_TEST_CASE(bad_expression_syntax_names_the_rule) {
    check_rejected(item(json::array({field("a", "text", {{"required_if", "a =="}})})), "/form/fields/0/required_if",
                   "unexpected end of expression");
}

BOOST_AUTO_TEST_CASE(cyclic_computed_fields) {
    check_rejected(item(json::array({field("a", "integer", {{"compute", "b + 1"}}), field("b", "integer", {{"compute", "c + 1"}}),
                                    field("c", "integer", {{"compute", "a + 1"}})})),
                   "/form/fields/0/compute", "cyclic dependency: a -> b -> c -> a");
    std::string msg = rejection(item(json::array({field("x", "integer", {{"compute", "x + 1"}})})));
    BOOST_CHECK_NE(msg.find("/form/fields/0/compute: cyclic dependency: x -> x"), std::string::npos);
    // visibility cycles too
    check_rejected(item(json::array({field("p", "text", {{"visible_if", "q"}}), field("q", "text", {{"visible_if", "p"}})})),
                   "/form/fields/0/visible_if", "cyclic dependency");
}

BOOST_AUTO_TEST_CASE(structure_errors) {
    check_rejected(item(json::array({field("a", "text"), field("a", "text")})), "/form/fields/1/id", "duplicate field id");
    check_rejected(item(json::array({field("Bad-Id", "text")})), "/form/fields/0/id", "must match");
    check_rejected(item(json::array({field("a", "text", {{"colour", "red"}})})), "/form/fields/0/colour", "unknown member");
    check_rejected(item(json::array({field("a", "choice")})), "/form/fields/0/options", "missing");
    check_rejected(item(json::array({field("a", "text", {{"options", json::array()}})})), "/form/fields/0/options", "not allowed");
    check_rejected(item(json::array({field("a", "group", {{"fields", json::array()}})})), "/form/fields/0/fields", "at least one");
    check_rejected(item(json::array({field("a", "attachment", {{"material", "nope"}})})), "/form/fields/0/material", "names no material");
    check_rejected(item(json::array({field("a", "text", {{"prefill", {{"source", "psychic"}, {"key", "x"}}}})})),
                   "/form/fields/0/prefill/source", "unknown prefill source");
    check_rejected(item(json::array({field("a", "text", {{"prefill", {{"source", "id_card"}, {"key", "shoe_size"}}}})})),
                   "/form/fields/0/prefill/key", "unknown ID card key");
    check_rejected(item(json::array({field("a", "text", {{"min_length", 5}, {"max_length", 2}})})), "/form/fields/0/min_length",
                   "greater than");
    check_rejected(item(json::array({field("a", "repeat", {{"fields", json::array({field("b", "repeat", {{"fields", json::array({field("c", "text")})}})})}})})),
                   "/form/fields/0/fields/0", "cannot contain another repeat");
    json nolabel = field("a", "text");
    nolabel["label"] = {{"zh_CN", "甲"}};
    check_rejected(item(json::array({nolabel})), "/form/fields/0/label/en", "missing");
    json it = item(json::array({field("a", "text")}));
    it["form"]["fields"][0]["required"] = "maybe";
    check_rejected(it, "/form/fields/0/required", "true, false or \"soft\"");
    it = item(json::array({field("a", "text")}));
    it["form"].erase("version");
    check_rejected(it, "/form/version", "missing");
    it = item(json::array());
    it["form"]["fields"] = "lots";
    check_rejected(it, "/form/fields", "must be an array");
}

BOOST_AUTO_TEST_CASE(absurd_sizes) {
    json many = json::array();
    for (int i = 0; i < 2100; ++i) many.push_back(field("f" + std::to_string(i), "text"));
    check_rejected(item(many), "/form/fields", "too many fields");
    check_rejected(item(json::array({field("a", "repeat", {{"max_count", 100000}, {"fields", json::array({field("b", "text")})}})})),
                   "/form/fields/0/max_count", "between");
    check_rejected(item(json::array({field("a", "text", {{"max_length", 10'000'000}})})), "/form/fields/0/max_length", "between");
    json opts = json::array();
    for (int i = 0; i < 600; ++i) opts.push_back({{"value", "v" + std::to_string(i)}, {"label", label("x", "x")}});
    check_rejected(item(json::array({field("a", "choice", {{"options", opts}})})), "/form/fields/0/options", "options");
    json big = field("a", "text");
    big["label"]["zh_CN"] = std::string(5000, 'x');
    check_rejected(item(json::array({big})), "/form/fields/0/label", "text too long");
    check_rejected(item(json::array({field("a", "text", {{"visible_if", std::string(3000, '1')}})})), "/form/fields/0/visible_if",
                   "expression too long");
    check_rejected(item(json::array({field("a", "decimal", {{"min", 1e300}})})), "/form/fields/0/min", "out of range");
}

BOOST_AUTO_TEST_CASE(deep_nesting) {
    json inner = field("leaf", "text");
    for (int i = 0; i < 10; ++i) inner = field("g" + std::to_string(i), "group", {{"fields", json::array({inner})}});
    std::string msg = rejection(item(json::array({inner})));
    BOOST_CHECK_NE(msg.find("nested too deeply"), std::string::npos);
    BOOST_CHECK_NE(msg.find("/form/fields/0/fields/0/fields/0/fields/0/fields/0/fields/0"), std::string::npos);
    // a deeply nested JSON document (not a form) is refused without a crash (parsed, never copied)
    std::string text = item(json::array()).dump();
    std::string deep = std::string(100000, '[') + std::string(100000, ']');
    text.replace(text.find("\"fields\":[]"), 11, "\"fields\":[" + deep + "]");
    json it = ow::core::parse_json_text(text, "deep.json");
    BOOST_CHECK_NE(rejection(it).find("/form/fields/0: must be an object"), std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_json_files) {
    auto dir = std::filesystem::temp_directory_path() / "ow_test_forms_bad_json";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "items");
    BOOST_CHECK_THROW(ow::core::parse_json_text("[1E99999]", "overflow.json"), ow::core::ParseError);  // found by fuzzing
    std::ofstream(dir / "items" / "broken.json") << R"({"code": "X", )";
    BOOST_CHECK_THROW(FormCatalogue::load_directory(dir), ow::core::ParseError);
    try {
        FormCatalogue::load_directory(dir);
    } catch (const ow::core::ParseError& e) {
        BOOST_CHECK_NE(std::string(e.what()).find("broken.json"), std::string::npos);
    }
    {
        std::ofstream big(dir / "items" / "broken.json");
        big << "[\"" << std::string(FormDefinition::kMaxFileBytes + 10, 'x') << "\"]";
    }
    try {
        FormCatalogue::load_directory(dir);
        BOOST_FAIL("accepted");
    } catch (const DefinitionError& e) {
        BOOST_CHECK_NE(std::string(e.what()).find("file too large"), std::string::npos);
    }
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(item_without_form_has_only_materials) {
    json it = item(json::array());
    it.erase("form");
    auto d = load(it);
    BOOST_CHECK(d->fields().empty());
    BOOST_CHECK_EQUAL(d->version(), "t1");
    BOOST_CHECK(d->item() != nullptr);
}

BOOST_AUTO_TEST_CASE(labels_fall_back) {
    LocalText t{"中文", "English", ""};
    BOOST_CHECK_EQUAL(t.get(Lang::zh_TW), "中文");
    BOOST_CHECK_EQUAL(t.get(Lang::en), "English");
    t.zh_TW = "繁體";
    BOOST_CHECK_EQUAL(t.get(Lang::zh_TW), "繁體");
}

BOOST_AUTO_TEST_SUITE_END()
