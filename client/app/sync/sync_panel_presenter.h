// SyncPanelPresenter: what the desk's sync panel shows — the queues and the records a clerk must
// see (quarantined mutations with the platform's reason, conflicts with the platform's decision,
// problems) — and the two things a clerk does with them: send a fixed record again, or mark a
// record dealt with. Free of wx (tests drive it on a real store); the view translates the kinds.
#pragma once

#include "ow/core/date.h"
#include "ow/store/db.h"
#include "ow/sync/engine.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ow::app {

struct SyncIssueRow {
    enum class Kind { conflict, quarantine, problem };
    std::int64_t id = 0;
    Kind kind = Kind::problem;
    std::string receipt_no;  // the case's receipt number (the platform's case number for a case this
                             // store does not hold), empty when the record is about no case
    std::string item_code;
    std::string code;         // the reason code (e.g. invalid.applicant.doc_type, conflict.state)
    std::string message;      // the platform's or the engine's words (English or the platform's language)
    std::string at;           // "MM-DD HH:MM", China time
    std::string mutation_id;  // the refused mutation, if any
    bool can_resend = false;  // the mutation is still quarantined: it can be sent again
};

struct SyncPanel {
    sync::SyncStatus status;           // the queues and the last pass, as the store has them
    std::string last_success;          // "MM-DD HH:MM" China time, empty: never
    std::vector<SyncIssueRow> issues;  // open, oldest first
};

/// Reads the panel from the store (at most `limit` issues).
SyncPanel load_sync_panel(store::Db& db, int limit = 500);

/// Sends the row's mutation again (it leaves quarantine; its issues are resolved). False when it
/// is not quarantined any more.
bool resend_issue(store::Db& db, const SyncIssueRow& row, const std::string& by, core::Instant at);

/// Marks the row dealt with; `note` says how (required). False when it was not open.
bool resolve_issue(store::Db& db, const SyncIssueRow& row, const std::string& note, const std::string& by, core::Instant at);

/// "MM-DD HH:MM" in China time for an RFC 3339 instant; empty for empty or unreadable text.
std::string china_clock(const std::string& rfc3339);

}  // namespace ow::app
