// The clerk's work queues as store queries: each queue is a count and pages of case rows, read
// through indexes (schema migration 5) so both stay fast at a million cases (bench/bench_queues.cpp,
// docs/benchmarks.md). `today` is a China date (Asia/Shanghai, UTC+8); stored instants are UTC.
//
// Definitions (docs/architecture.md, "Work queues"):
//   today                cases touched today: updated_at (a UTC instant) falls on the China date
//                        `today`, i.e. in [today 00:00 +08:00, today+1 00:00 +08:00). Newest first.
//   due-soon             clock running (state accepted or under_review) and due_date between today
//                        and WorkCalendar::add_working_days(today, 2), both inclusive. Earliest first.
//   overdue              clock running (accepted, under_review, escalated) and due_date < today.
//                        Earliest first.
//   awaiting-correction  state correction_requested. Longest waiting (oldest updated_at) first.
//   deferred-due         a checklist row with status 'deferred' whose promised_by is on or before
//                        add_working_days(today, 2) (past dates included), the case neither archived
//                        nor refused. Earliest promise first; the row names that material.
//   awaiting-decision    state under_review (submitted for the chief representative's decision).
//                        Longest waiting first.
//   to-issue             state approved or denied (the result is not yet handed out). Longest
//                        waiting first.
//   follow-ups           a rating with follow_up_state 'open' (a bad rating). Oldest rating first.
//   sync-problems        an unresolved sync_issues row or a quarantined outbox row for the case.
//                        In case id order (UUIDv7: creation order).
//   appointments         the appointments (预约, appointments.h) of the China date `today`, by
//                        slot, then id — booked, arrived, no-show and cancelled alike; a row is an
//                        appointment (case_id: the intake started at its check-in, else empty).
//                        Not a case queue: not in kAllQueues (the desk lists it apart).
//   closing              the closing-time list (issue 21, 延时服务): open cases that can still be
//                        finished today — state received, accepted or under_review (not waiting
//                        for the applicant, not escalated), no special procedure running, and
//                        either an immediate item (即办件), or due_date on or before today, or
//                        a limit in hours due (due_at) before the end of the China date `today`.
//                        Earliest promise first (due_at, else the end of due_date, immediate
//                        cases without a date last). Open cases are few: it reads them through
//                        an index on the state (one search per state) and sorts them. Apart from kAllQueues, like appointments.
//   assisted             帮办代办 (issue 21): open cases with a helper (Case::assistance) — of the
//                        helper CaseQueues::set_helper names, longest unchanged first; of every
//                        helper (none named), by helper, then longest unchanged. Open: not refused,
//                        result not yet handed out. Apart from kAllQueues: the desk's is the signed-in
//                        user's own list.
//   remote-calls         事进人不进 (issue 21): open cases whose acceptance called a remote
//                        department's chief representative (Case::remote_call) who has not taken
//                        the case up yet — cases.call_due, the answer's due instant (indexed,
//                        migration 13). Earliest due first; past due is the alarm. The row's
//                        call_due and call_department say which. Apart from kAllQueues.
//   acceptance-due       网上申报 (issue 21): cases received (接件) and not yet accepted, refused or
//                        answered with the one-time notice — cases.accept_due, the date the
//                        decision is due by (Case::acceptance_due, 行政许可法 art. 32; indexed,
//                        migration 14). Earliest first; a date before today is late (the law deems
//                        the application accepted). The row's accept_due. Apart from kAllQueues.
// Ties are broken by insertion order (rowid), so pages are stable while nothing changes.
// Green channel (绿色通道, issue 19): in every case queue the cases with a green flag (cases.green)
// come first, in the queue's order, then the others in the queue's order. A page reads the green
// cases of the queue (few) first, then the others through the queue's index, so neither sorts the
// whole queue.
#pragma once

#include "ow/core/calendar.h"
#include "ow/core/date.h"
#include "ow/store/db.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ow::store {

enum class Queue { today, due_soon, overdue, awaiting_correction, deferred_due, awaiting_decision, to_issue, follow_ups, sync_problems,
                   appointments, closing, assisted, remote_calls, acceptance_due };

/// Every case queue, in the order the desk lists them (Queue::appointments is apart: its rows are
/// appointments).
inline constexpr std::array<Queue, 9> kAllQueues = {
    Queue::today, Queue::due_soon, Queue::overdue, Queue::awaiting_correction, Queue::deferred_due,
    Queue::awaiting_decision, Queue::to_issue, Queue::follow_ups, Queue::sync_problems};

/// The queue's code name: today, due-soon, overdue, awaiting-correction, deferred-due,
/// awaiting-decision, to-issue, follow-ups, sync-problems, appointments, closing, assisted,
/// remote-calls, acceptance-due.
std::string_view to_code(Queue q);
/// The queue with this code name, or nothing (exact, case-sensitive).
std::optional<Queue> parse_queue(std::string_view code);

/// One case in a queue, with what the queue is about.
struct QueueRow {
    std::string case_id;
    std::string receipt_no;
    std::string item_code;
    std::string item_name;
    std::string applicant_name;
    std::string state;      // core::CaseState code
    std::string due_date;   // YYYY-MM-DD, empty before acceptance
    std::string due_at;     // RFC 3339 UTC: the promise of a limit in hours (Case::due_at), else empty
    std::string kind;       // core::ItemKind code (immediate, promised, escalated)
    bool promised_provisional = false;
    std::string updated_at; // RFC 3339 UTC, the case's last change
    // deferred-due: the earliest deferred material and its promised date.
    std::string material_code, material_name, promised_by;
    // follow-ups: the rating (GB/T 39046 level, 4–5 bad), when it was given, and the follow-up's
    // due date (ratings.follow_up_due, set with the bad rating; empty for ratings made without one).
    int rating_level = 0;
    std::string rated_at, follow_up_due;
    // sync-problems: the code of the case's oldest open sync issue (e.g. conflict.state), else
    // the reason code of its quarantined mutation.
    std::string sync_code;
    /// The case has a green-channel flag (绿色通道): it comes first in the queue.
    bool green = false;
    // Every case row: its helper (帮办代办; user id, while the case is open), the mode (help, agency,
    // contact) and the applicant's agent (代理人) by name — empty when there is none.
    std::string helper, assist_mode, agent_name;
    // appointments: the appointment, its slot and status (booked, cancelled, arrived, no_show);
    // applicant_name, item_code and item_name are the appointment's; case_id is set once checked in.
    std::string appointment_id, slot_start, slot_end, appointment_status;
    // remote-calls: when the remote department's answer is due (RFC 3339 UTC) and the department.
    std::string call_due, call_department;
    // acceptance-due: the date the acceptance decision is due by (YYYY-MM-DD).
    std::string accept_due;
};

/// The queues over one connection. Reads only (no transaction of its own).
class CaseQueues {
public:
    /// `calendar` counts the two working days of due-soon and deferred-due; it must outlive this.
    CaseQueues(Db& db, const core::WorkCalendar& calendar) : db_(db), calendar_(calendar) {}

    /// How many cases are in the queue on the China date `today`. Throws StoreError, or
    /// core::CalendarRangeError when `today` lies outside the calendar's range (2000–2099).
    std::int64_t count(Queue q, core::Date today);
    /// Up to `limit` rows (1–1000) of the queue, after skipping `offset` (>= 0), in the queue's
    /// order. core::InvalidData for a limit or offset out of range; otherwise as count().
    std::vector<QueueRow> page(Queue q, core::Date today, int limit, int offset = 0);
    /// SQLite's query plan (EXPLAIN QUERY PLAN detail lines) of the count query, then the page
    /// query, each line prefixed "count: " or "page: " — for tests and diagnostics.
    std::vector<std::string> explain(Queue q, core::Date today);
    /// How many remote calls (the remote-calls queue) are past their answer time at `now`: the alarm.
    std::int64_t late_calls(core::Instant now);
    /// How many received cases are past their acceptance decision's date on `today` (acceptance-due).
    std::int64_t late_acceptances(core::Date today);
    /// Whose cases the assisted queue lists (a user id); empty (the default): every helper's.
    void set_helper(std::string user) { helper_ = std::move(user); }

private:
    struct Query;
    Query query(Queue q, core::Date today) const;

    Db& db_;
    const core::WorkCalendar& calendar_;
    std::string helper_;
};

}  // namespace ow::store
