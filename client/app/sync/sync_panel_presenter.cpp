#include "sync/sync_panel_presenter.h"

#include "ow/store/sync_queue.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace ow::app {

std::string china_clock(const std::string& rfc3339) {
    if (rfc3339.empty()) return {};
    try {
        return core::format_china_minute(core::parse_instant(rfc3339)).substr(5);  // "MM-DD HH:MM"
    } catch (const core::Error&) {
        return {};
    }
}

SyncPanel load_sync_panel(store::Db& db, int limit) {
    SyncPanel p;
    p.status = sync::read_status(db);
    p.last_success = china_clock(p.status.last_success);
    store::Outbox outbox(db);
    for (const auto& i : store::SyncIssues(db).open("", limit)) {
        SyncIssueRow r;
        r.id = i.id;
        r.kind = i.kind == "conflict" ? SyncIssueRow::Kind::conflict
                 : i.kind == "quarantine" ? SyncIssueRow::Kind::quarantine
                                          : SyncIssueRow::Kind::problem;
        r.code = i.code;
        r.message = i.message;
        r.at = china_clock(i.created_at);
        r.mutation_id = i.mutation_id;
        if (!i.case_id.empty()) {
            if (auto n = store::case_numbers(db, i.case_id)) {
                r.receipt_no = n->receipt_no;
                r.item_code = n->item_code;
            }
        }
        if (r.receipt_no.empty()) {
            // A case this store does not hold: the platform's number is all there is to go by.
            auto detail = nlohmann::json::parse(i.detail, nullptr, false);
            if (detail.is_object() && detail.contains("case_no") && detail["case_no"].is_string())
                r.receipt_no = detail["case_no"].get<std::string>();
        }
        if (!i.mutation_id.empty()) r.can_resend = outbox.is_quarantined(i.mutation_id);
        p.issues.push_back(std::move(r));
    }
    return p;
}

bool resend_issue(store::Db& db, const SyncIssueRow& row, const std::string& by, core::Instant at) {
    if (row.mutation_id.empty()) return false;
    return store::Outbox(db).resend(row.mutation_id, by, at);
}

bool resolve_issue(store::Db& db, const SyncIssueRow& row, const std::string& note, const std::string& by, core::Instant at) {
    if (note.empty()) throw std::invalid_argument("a note is required to mark a sync record dealt with");
    return store::SyncIssues(db).resolve(row.id, note, by, at);
}

}  // namespace ow::app
