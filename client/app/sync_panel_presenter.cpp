#include "sync_panel_presenter.h"

#include "ow/store/sync_queue.h"
#include "ow/sync/engine.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace ow::app {

std::string china_clock(const std::string& rfc3339) {
    if (rfc3339.empty()) return {};
    core::Instant t;
    try {
        t = core::parse_instant(rfc3339);
    } catch (const core::Error&) {
        return {};
    }
    auto local = t + std::chrono::hours(8);  // China Standard Time
    auto midnight = std::chrono::floor<std::chrono::days>(local);
    std::chrono::year_month_day ymd{midnight};
    std::chrono::hh_mm_ss hms{std::chrono::duration_cast<std::chrono::minutes>(local - midnight)};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02u-%02u %02d:%02d", unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                  int(hms.minutes().count()));
    return buf;
}

SyncPanel load_sync_panel(store::Db& db, int limit) {
    SyncPanel p;
    auto st = sync::read_status(db);
    p.queued_mutations = st.queued_mutations;
    p.queued_cases = st.queued_cases;
    p.held = st.held_mutations;
    p.quarantined = st.quarantined;
    p.blobs = st.blobs_pending;
    p.blob_bytes = st.blob_bytes_pending;
    p.last_success = china_clock(st.last_success);
    p.last_error = st.last_error;
    store::Stmt c(db, "SELECT receipt_no, item_code FROM cases WHERE id = ?");
    store::Stmt q(db, "SELECT state FROM outbox WHERE mutation_id = ?");
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
            c.bind(1, i.case_id);
            if (c.step()) {
                r.receipt_no = c.is_null(0) ? "" : c.text(0);
                r.item_code = c.text(1);
            }
            c.reset();
        }
        if (r.receipt_no.empty()) {
            // A case this store does not hold: the platform's number is all there is to go by.
            auto detail = nlohmann::json::parse(i.detail, nullptr, false);
            if (detail.is_object() && detail.contains("case_no") && detail["case_no"].is_string())
                r.receipt_no = detail["case_no"].get<std::string>();
        }
        if (!i.mutation_id.empty()) {
            q.bind(1, i.mutation_id);
            r.can_resend = q.step() && q.text(0) == "quarantined";
            q.reset();
        }
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
    return store::SyncIssues(db).resolve(row.id, note + " (" + by + ")", at);
}

}  // namespace ow::app
