// Form definitions: the "form" section of a service item (forms/catalog/items/*.json) and the
// merged form of a bundle (forms/catalog/bundles/*.json). The format is documented in
// docs/forms.md and described by forms/catalog/schema/*.schema.json.
//
// Loading is strict: every problem throws DefinitionError whose message names the source and the
// JSON pointer of the offending value. Limits on sizes and nesting keep hostile definitions from
// hanging or exhausting memory. A loaded FormDefinition is immutable and thread-safe to share.
#pragma once

#include "ow/core/catalog.h"
#include "ow/core/error.h"
#include "ow/forms/expr.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ow::forms {

/// A definition that cannot be accepted; the message is "<source>: <json pointer>: <what>".
class DefinitionError : public core::InvalidData {
public:
    using core::InvalidData::InvalidData;
};

enum class Lang { zh_CN, zh_TW, en };

/// A text in zh_CN and en (both required) and optionally zh_TW (falls back to zh_CN).
struct LocalText {
    std::string zh_CN;
    std::string en;
    std::string zh_TW;
    const std::string& get(Lang lang) const;
    bool empty() const { return zh_CN.empty() && en.empty(); }
};

enum class FieldType {
    text, multiline, integer, decimal, money, date, choice, multi_choice, boolean,
    resident_id, uscc, phone, postal_code, address, person, attachment, group, repeat,
};
std::string_view to_code(FieldType t);

enum class Requirement { none, required, soft };
enum class Severity { error, warning };
enum class PrefillSource { applicant, id_card, e_licence, earlier };

struct Option {
    std::string value;
    LocalText label;
};

struct Constraint {
    Expression rule;
    LocalText message;
};

struct Prefill {
    PrefillSource source = PrefillSource::applicant;
    std::string key;  // applicant / id_card key, "<licence type>.<key>" for e-licences, a field id for earlier answers
};

struct Field {
    std::string id;
    FieldType type = FieldType::text;
    LocalText label;
    LocalText help;
    Requirement required = Requirement::none;
    std::vector<Expression> required_if;  // required when any holds
    std::optional<Expression> visible_if;
    std::optional<Expression> compute;
    std::vector<Constraint> constraints;
    std::optional<std::int64_t> min_length, max_length;   // characters (text types)
    std::optional<double> min, max;                       // integer, decimal, money (fen)
    int scale = 2;                                        // decimal places of a decimal
    std::vector<Option> options;                          // choice, multi_choice
    std::optional<Prefill> prefill;
    std::string material;                                 // attachment: a material code of the item
    std::size_t min_count = 0, max_count = 0;             // repeat rows
    std::vector<int> children;                            // group / repeat: indexes into fields()
    int parent = -1;
    int repeat = -1;                                      // the enclosing repeat, if any
    std::string item;                                     // bundles: the item this field came from ("" = shared)
    /// Bundles, an attachment asked once for several items: (item code, material code) of each.
    std::vector<std::pair<std::string, std::string>> shared_materials;
    std::string pointer;                                  // where it was defined (JSON pointer)
};

/// A cross-field check of the whole form.
struct Check {
    std::string id;
    Expression rule;
    LocalText message;
    Severity severity = Severity::error;
    std::vector<std::string> fields;  // fields the message is about (the first one is the path)
};

/// A material of the checklist and when each item needs it.
struct MaterialRule {
    std::string code;  // the item's material code; bundles: a shared id or "<alias>.<code>"
    core::MaterialSpec spec;
    struct Use {
        std::string item;                  // item code
        std::string material;              // the material's code in that item
        std::optional<Expression> condition;  // none: always
        core::Necessity necessity = core::Necessity::required;
    };
    std::vector<Use> uses;
};

/// The items of a bundle and how their fields map into the merged form.
struct BundlePart {
    std::string item;    // item code
    std::string alias;
    std::string version; // the item definition's version
    /// item field id -> merged field id, for every field of the item (also inside groups and
    /// repeats). Fields asked once have the same merged id in several parts.
    std::map<std::string, std::string> field_ids;
};

class FormDefinition {
public:
    static constexpr std::size_t kMaxFields = 2000;
    static constexpr int kMaxDepth = 6;          // nesting of groups
    static constexpr std::size_t kMaxOptions = 500;
    static constexpr std::size_t kMaxText = 4000;  // bytes of a label / help / message
    static constexpr std::size_t kMaxRows = 1000;  // max_count of a repeat
    static constexpr std::size_t kMaxFileBytes = 4 * 1024 * 1024;

    /// The form of a service item (its "form" member; an item without one has an empty form).
    /// Also parses the item itself with ow::core::parse_item. Throws DefinitionError.
    static FormDefinition from_item(const nlohmann::json& item, const std::string& source);
    /// The merged form of a bundle; `items` must hold the definitions of the bundle's items.
    /// Fields the bundle's "elements" map together (top-level fields, groups and repeats, whose
    /// fields merge recursively) are asked once. Throws DefinitionError naming the bundle's JSON
    /// pointer, e.g. for mapped fields of different types or bounds that no answer satisfies.
    static FormDefinition from_bundle(const nlohmann::json& bundle, const std::string& source,
                                      const std::map<std::string, std::shared_ptr<const FormDefinition>>& items);

    const std::string& code() const { return code_; }
    const std::string& name() const { return name_; }
    const std::string& name_en() const { return name_en_; }
    const std::string& version() const { return version_; }
    bool is_bundle() const { return is_bundle_; }
    const core::ServiceItem* item() const { return item_ ? &*item_ : nullptr; }
    const core::Bundle* bundle() const { return bundle_ ? &*bundle_ : nullptr; }

    const std::vector<Field>& fields() const { return fields_; }
    const std::vector<int>& roots() const { return roots_; }
    /// Index of a field id, or -1.
    int find(std::string_view id) const;
    const std::vector<Check>& checks() const { return checks_; }
    const std::vector<MaterialRule>& materials() const { return materials_; }
    const std::vector<BundlePart>& parts() const { return parts_; }
    /// Fields in dependency order (computed values and visibility before what reads them).
    const std::vector<int>& order() const { return order_; }

private:
    friend class DefinitionBuilder;
    std::string code_, name_, name_en_, version_;
    bool is_bundle_ = false;
    std::optional<core::ServiceItem> item_;
    std::optional<core::Bundle> bundle_;
    std::vector<Field> fields_;
    std::vector<int> roots_;
    std::unordered_map<std::string, int> by_id_;
    std::vector<Check> checks_;
    std::vector<MaterialRule> materials_;
    std::vector<BundlePart> parts_;
    std::vector<int> order_;
};

/// Every item and bundle of a catalogue directory with their forms.
class FormCatalogue {
public:
    /// Loads <dir>/items/*.json and <dir>/bundles/*.json. Throws DefinitionError (or
    /// ow::core::ParseError for bad JSON) naming the file and the JSON pointer.
    static FormCatalogue load_directory(const std::filesystem::path& dir);
    static FormCatalogue load_shipped();
    /// Builds a catalogue from (type, body) pairs as the platform delivers them and the store
    /// caches them: type "item" or "bundle", body the whole definition as JSON text (at most
    /// kMaxFileBytes). Items are added first, then bundles, each in the given order. Throws
    /// DefinitionError / core::ParseError naming `source`, the entry's position and JSON pointer.
    /// (Defined in catalogue.cpp; see ow/forms/catalogue.h for both catalogues at once.)
    static FormCatalogue from_entries(const std::vector<std::pair<std::string, std::string>>& entries,
                                      const std::string& source);

    std::shared_ptr<const FormDefinition> find(std::string_view code) const;
    /// Items in file order, then bundles.
    const std::vector<std::shared_ptr<const FormDefinition>>& all() const { return all_; }
    const std::map<std::string, std::shared_ptr<const FormDefinition>>& items() const { return items_; }

    /// Adds an item / bundle definition (the bundle's items must be there). Throws DefinitionError.
    void add_item(const nlohmann::json& j, const std::string& source);
    void add_bundle(const nlohmann::json& j, const std::string& source);

private:
    std::vector<std::shared_ptr<const FormDefinition>> all_;
    std::map<std::string, std::shared_ptr<const FormDefinition>> items_;
    std::map<std::string, std::shared_ptr<const FormDefinition>> bundles_;
};

/// Reads a JSON file of at most FormDefinition::kMaxFileBytes; ParseError / DefinitionError.
nlohmann::json read_definition_file(const std::filesystem::path& file);

}  // namespace ow::forms
