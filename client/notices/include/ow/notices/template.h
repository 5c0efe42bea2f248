// Notice templates: layouts as data (assets/notices/*.json, format "onewindow-notice-template" 1).
//
// A template is a list of blocks laid out top to bottom on A4 pages; content that does not fit
// flows onto further pages, each with "第 N 页 共 M 页". Text holds placeholders resolved against
// the input document ({"case": …, "notice": …, "item": …}, see docs/notices.md):
//   {{case.applicant.name}}        required: missing or empty → NoticeDataError naming the field
//   {{notice.pickup,item.spec.pickup}}   the first non-empty of several fields
//   {{case.handover.carrier?}}     optional: empty when missing
//   {{case.accepted_at|date}}      a filter (date, doc_type, item_kind, handover_mode, days)
//   {{row.name}}, {{#}}            inside a repeated block: the current element, its 1-based number
// Blocks (directive "type"): title, heading, paragraph, note, fields, table, list, qr, signature,
// seal, spacer, rule. Any block may carry "when": "path" (rendered only when the field is
// non-empty / true). "table" and "list" repeat over "each" (an array field) filtered by "where",
// and require at least "min" elements. The full reference is docs/notices.md.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ow::notices {

struct NoticeTemplate {
    std::string kind;     // code, e.g. "acceptance_receipt"
    std::string title;    // Chinese title, e.g. 受理回执
    std::string title_en;
    int order = 0;        // position in `notice kinds`
    bool sealed = false;  // has a seal block (the seal anchor text （盖章）)
    nlohmann::json checks = nlohmann::json::array();  // "requires": checked before layout
    nlohmann::json blocks = nlohmann::json::array();     // validated layout blocks

    /// Parses and checks one template file's JSON. `source` names it in errors (TemplateError).
    static NoticeTemplate parse(const nlohmann::json& j, const std::string& source);
};

/// The templates of a directory, ordered by `order` then kind.
class TemplateSet {
public:
    /// Loads every *.json of a directory. Throws TemplateError (bad file, duplicate kind, none).
    static TemplateSet load_directory(const std::filesystem::path& dir);
    /// The templates shipped with OneWindow: <data dir>/notices.
    static TemplateSet load_shipped();

    void add(NoticeTemplate t);
    const std::vector<NoticeTemplate>& all() const { return templates_; }
    /// nullptr when the kind is unknown.
    const NoticeTemplate* find(std::string_view kind) const;

private:
    std::vector<NoticeTemplate> templates_;
};

}  // namespace ow::notices
