#include "ow/store/queues.h"

#include "ow/core/error.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace ow::store {
namespace {

// The columns every queue's page returns, then what the queue is about (see QueueRow).
constexpr const char* kCaseColumns =
    "c.id, COALESCE(c.receipt_no, ''), c.item_code, COALESCE(json_extract(c.body, '$.item_name'), ''), c.applicant_name, "
    "c.state, COALESCE(c.due_date, ''), COALESCE(json_extract(c.body, '$.promised_provisional'), 0), c.updated_at, "
    "COALESCE(json_extract(c.body, '$.due_at'), ''), COALESCE(json_extract(c.body, '$.kind'), '')";
constexpr const char* kNoExtras = "'', '', '', 0, '', '', ''";
// Every case row names its helper (帮办代办) and agent: the assisted queue is about them, and the
// desk shows them beside any case.
constexpr const char* kAssistExtras =
    ", COALESCE(c.helper, ''), COALESCE(json_extract(c.body, '$.assistance.mode'), ''), "
    "COALESCE(json_extract(c.body, '$.applicant.agent_name'), '')";

// Migration 5's partial index cases_clock_due has this exact WHERE; a query repeats it word for
// word so that SQLite may use the index (it does not reason about subsets of an IN list), and
// names the index: left to itself, SQLite takes cases_state_due (one range per state), whose rows
// come out of due_date order, so a page would sort the whole queue first.
constexpr const char* kClockRunning = "FROM cases c INDEXED BY cases_clock_due WHERE c.state IN ('accepted', 'under_review', 'escalated')";

struct CodeName {
    Queue queue;
    std::string_view code;
};
constexpr CodeName kCodes[] = {
    {Queue::today, "today"},
    {Queue::due_soon, "due-soon"},
    {Queue::overdue, "overdue"},
    {Queue::awaiting_correction, "awaiting-correction"},
    {Queue::deferred_due, "deferred-due"},
    {Queue::awaiting_decision, "awaiting-decision"},
    {Queue::to_issue, "to-issue"},
    {Queue::follow_ups, "follow-ups"},
    {Queue::sync_problems, "sync-problems"},
    {Queue::appointments, "appointments"},
    {Queue::closing, "closing"},
    {Queue::assisted, "assisted"},
    {Queue::remote_calls, "remote-calls"},
    {Queue::acceptance_due, "acceptance-due"},
};

/// The UTC instant (as stored) at which the China date `d` begins.
std::string china_midnight_utc(core::Date d) {
    return core::format_instant(core::Instant{d} - std::chrono::hours{8});
}

}  // namespace

std::string_view to_code(Queue q) {
    for (const auto& c : kCodes)
        if (c.queue == q) return c.code;
    return "unknown";
}

std::optional<Queue> parse_queue(std::string_view code) {
    for (const auto& c : kCodes)
        if (c.code == code) return c.queue;
    return std::nullopt;
}

/// A queue as SQL: `from_where` (FROM … WHERE …, with ? for `args`), the page's extra columns and
/// its ORDER BY. The count is SELECT count(*) over the same FROM/WHERE.
struct CaseQueues::Query {
    std::string from_where;
    std::string extras = kNoExtras;
    std::string order;
    std::vector<std::string> args;
    std::string prefix;  // a WITH clause, when the queue needs one

    std::string count_from_where;  // when counting needs less than the page (e.g. no join)
    bool cases = true;             // rows are cases (green first); false: appointments

    std::string count_sql() const { return prefix + "SELECT count(*) " + (count_from_where.empty() ? from_where : count_from_where); }
    enum class Part { all, green, others };
    /// The page of the whole queue, of its green cases or of the others (an appointments page is
    /// always whole). The green part walks the partial index cases_green (only flagged cases, few)
    /// and looks each up, instead of the queue's own index, which would read every case of the
    /// queue to find them: the queue's INDEXED BY is dropped for it.
    std::string page_sql(Part part) const {
        if (!cases) return prefix + "SELECT " + extras + " " + from_where + " ORDER BY " + order + " LIMIT ? OFFSET ?";
        std::string fw = part == Part::green ? green_from_where() : from_where;
        if (part == Part::others) fw += " AND c.green = 0";
        return prefix + "SELECT " + kCaseColumns + ", " + extras + kAssistExtras + ", c.green " + fw + " ORDER BY " + order +
               " LIMIT ? OFFSET ?";
    }
    /// How many green cases the queue holds.
    std::string green_count_sql() const { return prefix + "SELECT count(*) " + green_from_where(); }
    std::string green_from_where() const {
        std::string fw = from_where;
        if (auto at = fw.find(" INDEXED BY "); at != std::string::npos) fw.erase(at, fw.find(' ', at + 12) - at);
        return fw + " AND c.id IN (SELECT id FROM cases INDEXED BY cases_green WHERE green = 1)";
    }
};

CaseQueues::Query CaseQueues::query(Queue q, core::Date today) const {
    const std::string day = core::format_date(today);
    Query r;
    switch (q) {
        case Queue::today:
            r.from_where = "FROM cases c WHERE c.updated_at >= ? AND c.updated_at < ?";
            r.args = {china_midnight_utc(today), china_midnight_utc(today + core::Date::duration{1})};
            r.order = "c.updated_at DESC, c.rowid DESC";
            break;
        case Queue::due_soon:
            r.from_where = std::string(kClockRunning) + " AND c.due_date >= ? AND c.due_date <= ? AND c.state <> 'escalated'";
            r.args = {day, core::format_date(calendar_.add_working_days(today, 2))};
            r.order = "c.due_date, c.rowid";
            break;
        case Queue::overdue:
            r.from_where = std::string(kClockRunning) + " AND c.due_date < ?";
            r.args = {day};
            r.order = "c.due_date, c.rowid";
            break;
        case Queue::awaiting_correction:
            r.from_where = "FROM cases c WHERE c.state = 'correction_requested'";
            r.order = "c.updated_at, c.rowid";
            break;
        case Queue::awaiting_decision:
            r.from_where = "FROM cases c WHERE c.state = 'under_review'";
            r.order = "c.updated_at, c.rowid";
            break;
        case Queue::to_issue:
            // Partial index cases_to_issue has this exact WHERE (see kClockRunning).
            r.from_where = "FROM cases c INDEXED BY cases_to_issue WHERE c.state IN ('approved', 'denied')";
            r.order = "c.updated_at, c.rowid";
            break;
        case Queue::deferred_due:
            // cases.deferred_due: the earliest promised_by of the case's deferred materials or check
            // date of its commitments not yet verified, with follow_up_code / follow_up_name saying
            // which (Case::next_follow_up; kept by CaseStore; NULL when nothing is pending, or the
            // case was refused or denied).
            r.from_where = "FROM cases c WHERE c.deferred_due IS NOT NULL AND c.deferred_due <= ?";
            r.args = {core::format_date(calendar_.add_working_days(today, 2))};
            r.extras = "COALESCE(c.follow_up_code, ''), COALESCE(c.follow_up_name, ''), c.deferred_due, 0, '', '', ''";
            r.order = "c.deferred_due, c.rowid";
            break;
        case Queue::follow_ups:
            r.from_where = "FROM ratings r JOIN cases c ON c.id = r.case_id WHERE r.follow_up_state = 'open'";
            // Every rating belongs to a stored case (foreign key): the count needs no lookup of it.
            r.count_from_where = "FROM ratings r WHERE r.follow_up_state = 'open'";
            r.extras = "'', '', '', r.level, r.at, COALESCE(r.follow_up_due, ''), ''";
            r.order = "r.at, r.rowid";
            break;
        case Queue::sync_problems:
            r.prefix =
                "WITH p(case_id) AS (SELECT case_id FROM sync_issues WHERE resolved_at IS NULL AND case_id <> '' "
                "UNION SELECT case_id FROM outbox WHERE state = 'quarantined') ";
            // CROSS JOIN keeps p (small) the outer loop: with the green filter SQLite would
            // otherwise walk the whole cases table in id order.
            r.from_where = "FROM p CROSS JOIN cases c ON c.id = p.case_id WHERE 1";
            r.extras =
                "'', '', '', 0, '', '', COALESCE((SELECT i.code FROM sync_issues i WHERE i.case_id = c.id AND i.resolved_at IS NULL ORDER BY i.id LIMIT 1), "
                "(SELECT COALESCE(o.reason_code, '') FROM outbox o WHERE o.case_id = c.id AND o.state = 'quarantined' ORDER BY o.seq LIMIT 1), '')";
            r.order = "c.id";
            break;
        case Queue::closing:
            // The end of the China date `today` as a stored UTC instant: due_at (RFC 3339 UTC,
            // fixed width) compares as text; a due_date's end is that date at 16:00Z.
            r.from_where =
                "FROM cases c WHERE c.state IN ('received', 'accepted', 'under_review') "
                "AND (json_extract(c.body, '$.kind') = 'immediate' OR c.due_date <= ? OR json_extract(c.body, '$.due_at') < ?) "
                "AND NOT EXISTS (SELECT 1 FROM json_each(c.body, '$.special_procedures') p WHERE json_extract(p.value, '$.ended') IS NULL)";
            r.args = {day, china_midnight_utc(today + core::Date::duration{1})};
            r.order = "COALESCE(json_extract(c.body, '$.due_at'), c.due_date || 'T16:00:00.000Z', '9999'), c.rowid";
            break;
        case Queue::assisted:
            // cases.helper: the helper's user id while the case is open and has one (CaseStore keeps
            // it; NULL otherwise), indexed with updated_at (cases_helper, migration 11).
            if (helper_.empty()) {
                r.from_where = "FROM cases c INDEXED BY cases_helper WHERE c.helper IS NOT NULL";
                r.order = "c.helper, c.updated_at, c.rowid";
            } else {
                r.from_where = "FROM cases c INDEXED BY cases_helper WHERE c.helper = ?";
                r.args = {helper_};
                r.order = "c.updated_at, c.rowid";
            }
            break;
        case Queue::remote_calls:
            // cases.call_due: the unanswered call's due instant while the case is open (CaseStore
            // keeps it), indexed (cases_call_due, migration 13). The department and the due
            // instant ride in the material_name / promised_by slots (page() moves them).
            r.from_where = "FROM cases c INDEXED BY cases_call_due WHERE c.call_due IS NOT NULL";
            r.extras = "'', COALESCE(json_extract(c.body, '$.remote_call.department'), ''), c.call_due, 0, '', '', ''";
            r.order = "c.call_due, c.rowid";
            break;
        case Queue::acceptance_due:
            // cases.accept_due: the acceptance decision's date while the case is received (CaseStore
            // keeps it), indexed (cases_accept_due, migration 14); it rides in the promised_by slot.
            r.from_where = "FROM cases c INDEXED BY cases_accept_due WHERE c.accept_due IS NOT NULL";
            r.extras = "'', '', c.accept_due, 0, '', '', ''";
            r.order = "c.accept_due, c.rowid";
            break;
        case Queue::appointments:
            r.cases = false;
            r.from_where = "FROM appointments a WHERE a.day = ?";
            r.args = {day};
            r.extras =
                "a.case_id, a.item_code, a.item_name, a.applicant_name, a.id, a.slot_start, a.slot_end, a.status, "
                "COALESCE((SELECT c.green FROM cases c WHERE c.id = a.case_id), 0), "
                "COALESCE((SELECT c.receipt_no FROM cases c WHERE c.id = a.case_id), ''), "
                "COALESCE((SELECT c.state FROM cases c WHERE c.id = a.case_id), ''), a.updated_at";
            r.order = "a.slot_start, a.id";
            break;
    }
    return r;
}

std::int64_t CaseQueues::count(Queue q, core::Date today) {
    Query r = query(q, today);
    Stmt st(db_, r.count_sql());
    int i = 1;
    for (const auto& a : r.args) st.bind(i++, a);
    st.step();
    return st.int64(0);
}

std::vector<QueueRow> CaseQueues::page(Queue q, core::Date today, int limit, int offset) {
    if (limit < 1 || limit > 1000) throw core::InvalidData("a queue page holds 1 to 1000 cases");
    if (offset < 0) throw core::InvalidData("a queue offset cannot be negative");
    Query r = query(q, today);
    std::vector<QueueRow> rows;
    auto run = [&](const std::string& sql, int lim, std::int64_t off) {
        Stmt st(db_, sql);
        int i = 1;
        for (const auto& a : r.args) st.bind(i++, a);
        st.bind(i, lim).bind(i + 1, off);
        while (st.step()) {
            QueueRow row;
            if (!r.cases) {
                row.case_id = st.text(0);
                row.item_code = st.text(1);
                row.item_name = st.text(2);
                row.applicant_name = st.text(3);
                row.appointment_id = st.text(4);
                row.slot_start = st.text(5);
                row.slot_end = st.text(6);
                row.appointment_status = st.text(7);
                row.green = st.int64(8) != 0;
                row.receipt_no = st.text(9);
                row.state = st.text(10);
                row.updated_at = st.text(11);
                rows.push_back(std::move(row));
                continue;
            }
            row.case_id = st.text(0);
            row.receipt_no = st.text(1);
            row.item_code = st.text(2);
            row.item_name = st.text(3);
            row.applicant_name = st.text(4);
            row.state = st.text(5);
            row.due_date = st.text(6);
            row.promised_provisional = st.int64(7) != 0;
            row.updated_at = st.text(8);
            row.due_at = st.text(9);
            row.kind = st.text(10);
            row.material_code = st.text(11);
            row.material_name = st.text(12);
            row.promised_by = st.text(13);
            row.rating_level = int(st.int64(14));
            row.rated_at = st.text(15);
            row.follow_up_due = st.text(16);
            row.sync_code = st.text(17);
            row.helper = st.text(18);
            row.assist_mode = st.text(19);
            row.agent_name = st.text(20);
            row.green = st.int64(21) != 0;
            if (q == Queue::remote_calls) {
                row.call_department = std::exchange(row.material_name, "");
                row.call_due = std::exchange(row.promised_by, "");
            }
            if (q == Queue::acceptance_due) row.accept_due = std::exchange(row.promised_by, "");
            rows.push_back(std::move(row));
        }
    };
    // Green first (see queues.h): the page's part of the green cases, then of the others. With no
    // green case in the store (one probe of cases_green) the queue is read as it always was.
    if (!r.cases || db_.query_int("SELECT EXISTS (SELECT 1 FROM cases INDEXED BY cases_green WHERE green = 1)") == 0) {
        run(r.page_sql(Query::Part::all), limit, offset);
        return rows;
    }
    run(r.page_sql(Query::Part::green), limit, offset);
    if (int(rows.size()) < limit) {
        Stmt st(db_, r.green_count_sql());
        int i = 1;
        for (const auto& a : r.args) st.bind(i++, a);
        st.step();
        const std::int64_t green = st.int64(0);
        run(r.page_sql(Query::Part::others), limit - int(rows.size()), std::max<std::int64_t>(0, offset - green));
    }
    return rows;
}

std::int64_t CaseQueues::late_acceptances(core::Date today) {
    Stmt st(db_, "SELECT count(*) FROM cases INDEXED BY cases_accept_due WHERE accept_due IS NOT NULL AND accept_due < ?");
    st.bind(1, core::format_date(today));
    st.step();
    return st.int64(0);
}

std::int64_t CaseQueues::late_calls(core::Instant now) {
    // call_due is stored as format_instant writes it (fixed width, UTC): it compares as text.
    Stmt st(db_, "SELECT count(*) FROM cases INDEXED BY cases_call_due WHERE call_due IS NOT NULL AND call_due < ?");
    st.bind(1, core::format_instant(now));
    st.step();
    return st.int64(0);
}

std::vector<std::string> CaseQueues::explain(Queue q, core::Date today) {
    Query r = query(q, today);
    std::vector<std::string> lines;
    auto run = [&](const std::string& label, const std::string& sql, bool paged) {
        Stmt st(db_, "EXPLAIN QUERY PLAN " + sql);
        int i = 1;
        for (const auto& a : r.args) st.bind(i++, a);
        if (paged) st.bind(i, 50).bind(i + 1, 0);
        while (st.step()) lines.push_back(label + st.text(3));
    };
    run("count: ", r.count_sql(), false);
    run("page: ", r.page_sql(r.cases ? Query::Part::others : Query::Part::all), true);
    if (r.cases) {
        run("page: ", r.page_sql(Query::Part::all), true);
        run("green page: ", r.page_sql(Query::Part::green), true);
        run("green count: ", r.green_count_sql(), false);
    }
    return lines;
}

}  // namespace ow::store
