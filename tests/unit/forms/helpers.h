// Small builders shared by the ow_forms tests.
#pragma once

#include "ow/forms/definition.h"
#include "ow/forms/session.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace test {

using nlohmann::json;

inline json label(const std::string& zh, const std::string& en) { return {{"zh_CN", zh}, {"en", en}}; }

inline json field(const std::string& id, const std::string& type, json extra = json::object()) {
    json f{{"id", id}, {"type", type}, {"label", label("字段" + id, "Field " + id)}};
    for (auto& [k, v] : extra.items()) f[k] = v;
    return f;
}

/// A minimal valid item with the given form fields (and optional checks / materials).
inline json item(json fields, json checks = json::array(), json materials = json::array()) {
    json it{{"code", "TEST-0001"},
            {"name", "测试事项"},
            {"department", "测试部门"},
            {"kind", "immediate"},
            {"zone", "livelihood"},
            {"version", "t1"},
            {"spec", {{"legal_limit_days", 5}, {"promised_limit_days", 0}, {"materials", materials}}},
            {"form", {{"version", "t1"}, {"fields", fields}}}};
    if (!checks.empty()) it["form"]["checks"] = checks;
    return it;
}

inline std::shared_ptr<const ow::forms::FormDefinition> load(const json& j) {
    return std::make_shared<const ow::forms::FormDefinition>(ow::forms::FormDefinition::from_item(j, "test.json"));
}

/// The message of the DefinitionError that loading `j` throws, or "<accepted>".
inline std::string rejection(const json& j) {
    try {
        ow::forms::FormDefinition::from_item(j, "test.json");
    } catch (const ow::forms::DefinitionError& e) {
        return e.what();
    }
    return "<accepted>";
}

inline bool has_issue(const ow::forms::ValidationResult& r, const std::string& path, const std::string& code) {
    for (const auto& i : r.issues)
        if (i.path == path && i.code == code) return true;
    return false;
}

inline std::string dump(const ow::forms::ValidationResult& r) {
    std::string s;
    for (const auto& i : r.issues) s += i.path + " " + i.code + "; ";
    return s;
}

}  // namespace test
