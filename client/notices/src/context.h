// Internal: the data a template sees, and placeholder expansion.
//
// The context document is {"case": to_json(Case) + display helpers, "notice": the envelope,
// "item": the catalogue item (when known), "template": {kind, title}}. Paths in placeholders are
// dotted ("case.applicant.name"); errors name the JSON pointer ("/case/applicant/name").
#pragma once

#include "ow/notices/notice.h"
#include "ow/notices/template.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace ow::notices::detail {

/// One parsed placeholder: alternatives ("a,b"), optional ('?'), filter ("|date").
struct Placeholder {
    std::vector<std::string> paths;
    bool optional = false;
    std::string filter;
};

/// Splits text into literal pieces and placeholders; throws TemplateError (with `where`) on bad
/// syntax or an unknown filter.
struct TextPiece {
    std::string literal;
    std::optional<Placeholder> placeholder;
};
std::vector<TextPiece> parse_text(std::string_view text, const std::string& where);

/// The context document for one rendering (helpers added to checklist entries: status_name,
/// form_name, requirement, why, where; notice.issued_on filled with today when absent).
nlohmann::json build_context(const NoticeInput& input, const NoticeTemplate& tmpl);

/// The element a repeated block is currently at.
struct Row {
    std::string pointer;  // JSON pointer of the element
    const nlohmann::json* value = nullptr;
    std::size_t number = 0;  // 1-based, after filtering
};

class Expander {
public:
    Expander(const nlohmann::json& context, std::string kind) : ctx_(context), kind_(std::move(kind)) {}

    /// Replaces the placeholders of `text`. Throws NoticeDataError naming the first missing field.
    std::string expand(std::string_view text, const Row* row = nullptr) const;
    /// "when" conditions: present and not false / 0 / "" / empty.
    bool truthy(std::string_view path, const Row* row = nullptr) const;
    /// Resolves a dotted path: its JSON pointer and value (nullptr when absent).
    std::pair<std::string, const nlohmann::json*> resolve(std::string_view path, const Row* row) const;
    /// The elements of the first non-empty array among `paths` ("a,b"), filtered by `where`
    /// ({"key": value or [values]}). Returns the array's pointer too (for errors).
    std::pair<std::string, std::vector<Row>> rows(std::string_view paths, const nlohmann::json& where) const;

    /// Throws NoticeDataError for a "requires" entry that does not hold.
    void check(const nlohmann::json& requirement) const;

    const std::string& kind() const { return kind_; }
    /// The pointer of the last field a placeholder resolved to (for errors about the value).
    const std::string& last_pointer() const { return last_pointer_; }

private:
    std::string value_text(const Placeholder& p, const Row* row) const;
    [[noreturn]] void missing(const std::string& pointer, const std::string& others = {}) const;

    const nlohmann::json& ctx_;
    std::string kind_;
    mutable std::string last_pointer_;
};

}  // namespace ow::notices::detail
