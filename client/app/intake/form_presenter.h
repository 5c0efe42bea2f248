// FormPresenter: the logic behind intake step 3 (表单), the form rendered from its definition, free
// of wx so that tests drive it without a display.
//
// It works over a forms::FormSession that someone else owns (the IntakePresenter: the case's item
// form or the bundle's merged form) and turns it into a view model: rows in the paper form's order
// (FormDefinition::roots / children — the tab order), one per field of the definition whether
// visible now or not (so a row's index never changes while the definition stays), groups as headed
// sections, repeat groups as tables. Each row carries what to show: label and help in the UI
// language, requirement now, the text to show, options, read-only for computed fields and
// attachments, and the inline problem at its path (FormSession::validate(), errors before
// warnings; parse errors of the presenter's own when typed text is not a value of the field's type).
//
// Intents (set a path's text, choose, check, add / remove a repeat row) never throw for bad input:
// text that does not parse is kept as typed and shown with its problem. Each intent returns a
// FormChanges naming the rows whose content changed (value, problem, requirement, visibility,
// computed values, table rows), so a view updates only those.
#pragma once

#include "ow/forms/definition.h"
#include "ow/forms/session.h"

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ow::app {

enum class FormRowKind {
    section,  ///< a group: a heading over its fields (which follow it, one depth deeper)
    field,    ///< a value field outside repeats
    table,    ///< a repeat group: columns × rows
};

/// A problem shown beside a field (or a table cell), in the UI language.
struct FormProblem {
    forms::Severity severity = forms::Severity::error;
    std::string code;     ///< the engine's code ("field.required", "answer.resident_id" …) or "parse.<type>"
    std::string message;  ///< in the presenter's UI language
    bool operator==(const FormProblem&) const = default;
};

struct FormOption {
    std::string value;  ///< what is stored
    std::string label;  ///< in the UI language
    bool operator==(const FormOption&) const = default;
};

/// One input of a field. Most types have one part (key ""); an address has "region" and "detail",
/// a person "name", "doc_type" (a choice of document types) and "doc_number".
struct FormPart {
    std::string key;
    std::string label;                ///< the part's label (UI language); "" for a single-part field
    std::string text;                 ///< what the input shows (as typed while it does not parse)
    std::vector<FormOption> options;  ///< a choice part (person's doc_type)
    bool operator==(const FormPart&) const = default;
};

/// A column of a table: one part of one field of the repeat (fields in a group inside the repeat
/// are flattened into columns).
struct FormColumn {
    int field = -1;        ///< index into FormDefinition::fields()
    std::string id;        ///< field id
    std::string part;      ///< part key ("" for a single-part field)
    std::string label;     ///< the field's label (and the part's, for composite types)
    forms::FieldType type = forms::FieldType::text;
    bool read_only = false;
    std::vector<FormOption> options;  ///< choice columns
    bool operator==(const FormColumn&) const = default;
};

/// One cell of a table: one part of one field in one row.
struct FormCell {
    std::string path;                    ///< JSON pointer of the field in that row ("/children/1/name")
    std::string text;                    ///< what the cell shows
    bool visible = true;                 ///< the field's visible_if holds in that row
    forms::Requirement requirement = forms::Requirement::none;  ///< now
    std::optional<FormProblem> problem;  ///< on the field in that row (the same for each part)
    bool operator==(const FormCell&) const = default;
};

struct FormRow {
    FormRowKind kind = FormRowKind::field;
    int field = -1;             ///< index into FormDefinition::fields()
    std::string id;             ///< field id (widget names: "form.<id>")
    std::string path;           ///< JSON pointer of the field ("/mother/name"); tables: of the repeat
    int depth = 0;              ///< sections it is nested in
    forms::FieldType type = forms::FieldType::text;
    std::string label, help;    ///< in the UI language
    forms::Requirement requirement = forms::Requirement::none;  ///< now (required_if evaluated)
    bool visible = false;       ///< visible now (its own visible_if and every enclosing group's)
    bool read_only = false;     ///< computed, or an attachment (scanned on the materials step)

    /// The field's value as a string: text types as shown; choice: the option value; boolean
    /// "true" / "false"; multi_choice: the selected values in option order, joined by ",";
    /// "" when unanswered. Equal to parts[0].text for single-part text types.
    std::string value;
    std::vector<FormPart> parts;      ///< the inputs (one for most types; see FormPart)
    std::vector<FormOption> options;  ///< choice, multi_choice
    std::vector<std::string> selected;  ///< multi_choice: selected values, in option order
    std::string material;             ///< attachment: the material's name it belongs to
    std::string note;                 ///< a hint under the input (address: the region's name; attachment: scanned or not)
    std::optional<FormProblem> problem;  ///< the first problem at `path` (errors first)

    // tables
    std::vector<FormColumn> columns;
    std::vector<std::vector<FormCell>> cells;  ///< [row][column]
    std::size_t min_rows = 0, max_rows = 0;

    bool operator==(const FormRow&) const = default;
};

/// What an intent changed.
struct FormRowChange {
    std::size_t row = 0;       ///< index into FormPresenter::rows()
    bool value = false;        ///< value / parts / selected / note (also a computed value)
    bool problem = false;
    bool requirement = false;
    bool visibility = false;
    bool table = false;        ///< a table's rows or cells (count, values, problems)
};

struct FormChanges {
    std::vector<FormRowChange> rows;  ///< in row order
    bool layout = false;              ///< a row appeared or disappeared, or a table's row count changed
    bool form_problems = false;       ///< form_problems() changed
    /// The intent's own problem (e.g. "no such field", "at most N rows"); empty when it applied.
    std::string refused;
    bool empty() const { return rows.empty() && !form_problems && refused.empty(); }
};

class FormPresenter {
public:
    /// Builds the view model of `session`'s current answers. `session` must outlive the presenter.
    FormPresenter(forms::FormSession& session, forms::Lang lang);

    /// Rebuilds everything after the session changed wholesale (set_answers, prefill, resume):
    /// forgets text kept as typed and which fields were touched (not reveal_all()). Returns every
    /// row as changed.
    FormChanges reload();

    const forms::FormDefinition& definition() const;
    forms::Lang language() const { return lang_; }
    /// The rows, in paper order; hidden rows have visible == false.
    const std::vector<FormRow>& rows() const { return rows_; }
    /// The row of a path: a field's or a table's (a cell's path gives its table's row). -1 when none.
    int row_of(const std::string& path) const;
    /// Problems of the whole form, not at any row's path (cross-field checks without a field,
    /// unknown members of resumed answers, rules that failed), in the UI language.
    const std::vector<FormProblem>& form_problems() const { return form_problems_; }
    std::size_t errors() const { return errors_; }
    std::size_t warnings() const { return warnings_; }

    // --- intents ---------------------------------------------------------------------------
    /// Sets a field from typed text, parsed for its type: integer ("1234"), decimal ("12.5"),
    /// money in yuan ("1,234.50", "¥12" → fen), date (YYYY-MM-DD, also YYYYMMDD and YYYY/M/D),
    /// boolean (true/false, 是/否, yes/no, 1/0), choice (option value or label), multi_choice
    /// (values or labels separated by commas), resident_id, uscc, phone, postal_code, text. `part`
    /// names the input of an address / person ("" otherwise). Text that does not parse is kept
    /// and the field shows a parse problem; "" removes the answer. A path inside a table is a
    /// cell's ("/children/0/name"). Unknown paths and read-only fields are refused (changes.refused).
    FormChanges set_text(const std::string& path, const std::string& text, const std::string& part = {});
    /// Boolean fields: true / false, or unanswered.
    FormChanges set_bool(const std::string& path, std::optional<bool> value);
    /// Multi-choice fields: the selected option values (unknown values are refused).
    FormChanges set_selected(const std::string& path, const std::vector<std::string>& values);
    /// Appends an empty row to the table at `repeat_path` (refused at max_rows).
    FormChanges add_row(const std::string& repeat_path);
    /// Removes row `index` of the table at `repeat_path` (text kept as typed moves with its row).
    FormChanges remove_row(const std::string& repeat_path, std::size_t index);

    /// The clerk left the field (or table cell) at `path`: from now on its "required" problem
    /// shows. Until a field is touched (left, or edited by any intent) or reveal_all() is called,
    /// the problems that only say it is empty (field.required, field.soft_required,
    /// answer.rows_min) are not shown at its row — the * / ○ marks say it — but errors() and
    /// warnings() count them all the same.
    FormChanges touch(const std::string& path);
    /// Shows every problem at every row (the clerk wants to go on; a resumed draft).
    FormChanges reveal_all();

    /// Enter: the path of the next visible, editable field or table after `path` in paper order
    /// (a cell's path counts as its table's); nullopt after the last one.
    std::optional<std::string> next_field(const std::string& path) const;
    /// The first visible, editable field or table; nullopt when there is none.
    std::optional<std::string> first_field() const;

private:
    /// A table's leaf field: where it sits relative to a row ("grp/leaf" or "leaf").
    struct TableField {
        int field = -1;
        std::string relative;  // JSON pointer tail after "/<repeat>/<row>"
    };
    struct Located {
        int row = -1;        // index into rows_
        int field = -1;      // the field at the path
        std::string path;    // normalised path of the field
    };
    void build_skeleton();
    /// Recomputes every row's dynamic content from the session; returns what differs.
    FormChanges refresh(bool everything = false);
    Located locate(const std::string& path) const;
    FormChanges apply(const Located& at, const nlohmann::json& value);
    std::string typed_key(const std::string& path, const std::string& part) const { return path + "#" + part; }
    FormProblem own_problem(const std::string& code) const;
    std::string format(const forms::Field& f, const nlohmann::json* v, const std::string& part) const;
    void fill_field(FormRow& row, const forms::Field& f, const std::string& path, const nlohmann::json& raw,
                    const nlohmann::json& computed) const;

    forms::FormSession& session_;
    forms::Lang lang_;
    std::vector<FormRow> rows_;
    std::map<std::string, int> row_by_path_;              // field and table rows by path
    std::map<int, std::vector<TableField>> table_fields_;  // table row -> its leaf fields
    std::vector<FormProblem> form_problems_;
    std::size_t errors_ = 0, warnings_ = 0;
    std::set<std::string> touched_;  // paths the clerk left or edited
    bool revealed_ = false;
    /// Text kept as typed, keyed by "<path>#<part>", with its parse problem (if any).
    std::map<std::string, std::pair<std::string, std::optional<FormProblem>>> typed_;
};

}  // namespace ow::app
