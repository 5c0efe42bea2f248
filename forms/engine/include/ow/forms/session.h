// FormSession: one clerk filling one form (an item's or a bundle's), GUI-free.
//   load (a FormDefinition) → set answers (whole or one path; prefill) → validate (every problem at
//   once, each with its answers path and zh_CN + en messages) → visible fields → checklist → answers
//   JSON for the case (with the definition version), and for bundles the per-item answer sets.
// Answers are JSON: an object keyed by field id; groups are objects, repeats arrays of objects;
// paths are JSON pointers into it ("/shareholders/2/name").
// Bad answers (wrong types, unknown fields, oversized values) never throw: they are issues.
// A session is not thread-safe; several sessions may share one definition.
#pragma once

#include "ow/core/case.h"
#include "ow/core/date.h"
#include "ow/forms/definition.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ow::forms {

struct Issue {
    std::string path;   // JSON pointer into the answers; "" = the whole form
    std::string field;  // field id ("" for the form or an unknown member)
    std::string code;   // stable code, e.g. "field.required", "answer.type", "check.<id>"
    Severity severity = Severity::error;
    std::string message_zh_CN;
    std::string message_en;
};

struct ValidationResult {
    bool valid = true;  // no issue of severity error (warnings do not block)
    std::vector<Issue> issues;
    std::size_t errors() const;
    std::size_t warnings() const;
};

struct VisibleField {
    std::string path;
    const Field* field = nullptr;
    bool required = false;  // required now (required, or a required_if holds)
    bool soft_required = false;
};

/// Data to prefill from (see Prefill): JSON objects; e_licence is {"<type>": {"<key>": …}}.
struct PrefillData {
    nlohmann::json applicant = nlohmann::json::object();
    nlohmann::json id_card = nlohmann::json::object();
    nlohmann::json e_licence = nlohmann::json::object();
    nlohmann::json earlier = nlohmann::json::object();  // earlier answers (plain or an answers envelope)
};

class FormSession {
public:
    static constexpr std::size_t kMaxIssues = 500;  // further issues are summarised in one

    /// `today` fixes today() / age() in rules (default: today in China).
    explicit FormSession(std::shared_ptr<const FormDefinition> definition, std::optional<core::Date> today = std::nullopt);

    const FormDefinition& definition() const { return *def_; }

    /// Replaces all answers. Accepts a plain answers object or an envelope
    /// {"form": code, "version": v, "answers": {…}} as written by answers_json().
    void set_answers(const nlohmann::json& answers);
    /// Sets one answer by JSON pointer (null removes it). Throws ow::core::InvalidData for a
    /// malformed pointer or a row index beyond FormDefinition::kMaxRows.
    void set_answer(const std::string& pointer, const nlohmann::json& value);
    /// Fills fields that have a prefill source and no answer yet; returns the paths filled.
    std::vector<std::string> prefill(const PrefillData& data);

    /// The answers as given (set_answers' inner answers object, set_answer, prefill), before any
    /// check: invalid values and answers of hidden fields included. A form view reads what the
    /// clerk typed from it, and writes a repeat back whole when a row is removed; a draft keeps it
    /// so that set_answers() brings the form back as it was typed.
    const nlohmann::json& raw_answers() const { return raw_; }

    ValidationResult validate() const;
    std::vector<VisibleField> visible_fields() const;
    /// The materials the answers call for (a material whose condition does not hold is left
    /// out), as ow::core::Checklist entries; in bundles, serves_items names the items served.
    core::Checklist checklist() const;
    /// {"form": code, "version": v, "answers": {…}}: visible answers only, computed values filled.
    nlohmann::json answers_json() const;
    /// Bundles: one answers envelope per item ({"form", "version", "bundle", "answers"}), keyed by
    /// item code. Items: the item's own envelope.
    std::map<std::string, nlohmann::json> item_answers() const;
    /// The effective value of a top-level or non-repeated field (null when hidden or empty).
    Value value(std::string_view field_id) const;

    struct Slot {
        bool present = false;   // something was given (even if invalid)
        bool visible = false;
        Value value;            // as rules see it (null when hidden, empty or invalid)
        nlohmann::json normal;  // normalised answer (null when none)
        std::optional<Issue> issue;  // a problem with the value itself
    };
    struct State {
        std::vector<std::vector<Slot>> slots;  // per field: one per row (one outside repeats)
        std::vector<std::size_t> rows;         // per field: rows of a repeat
        std::vector<Issue> issues;             // about the answers document itself
        std::vector<Issue> rule_issues;        // rules that could not be evaluated
    };

private:
    const State& state() const;
    std::string path_of(int field, std::size_t row) const;

    std::shared_ptr<const FormDefinition> def_;
    core::Date today_;
    nlohmann::json raw_ = nlohmann::json::object();
    std::vector<Issue> envelope_issues_;
    mutable std::optional<State> state_;
};

/// JSON forms of results (as printed by `onewindow-cli forms check`).
nlohmann::json to_json(const Issue& issue);
nlohmann::json to_json(const ValidationResult& result);
nlohmann::json to_json(const core::ChecklistEntry& entry);

}  // namespace ow::forms
