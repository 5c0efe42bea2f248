// The work queues (ow/store/queues.h): membership of every queue for cases made through CaseStore
// and CaseMachine in a real SQLCipher store, counts, paging, the working-day bound of due-soon
// across the 2025 National Day holiday, the China-date bound of today, the migration's backfill,
// and query plans that read indexes, never the whole cases table.
#include <boost/test/unit_test.hpp>

#include "fixture.h"

#include "ow/forms/definition.h"
#include "ow/store/appointments.h"
#include "ow/store/demo.h"
#include "ow/workflow/demo.h"
#include "ow/store/queues.h"
#include "ow/store/schema.h"
#include "ow/store/sync_queue.h"

#include <algorithm>
#include <map>
#include <set>

using namespace ow;
using namespace ow::test;
using core::CaseAction;
using core::CaseState;
using nlohmann::json;
using store::Queue;

namespace {

core::Date d(const char* text) { return core::parse_date(text); }

/// An instant on China wall-clock time (UTC+8).
core::Instant china(core::Date day, int hour, int minute = 0) {
    return core::Instant{day} + std::chrono::hours{hour - 8} + std::chrono::minutes{minute};
}

const core::Actor kChiefA{"chief-a", core::Role::chief, core::Post::A, ""};

/// A promised item with a deferrable material (for the deferred-due cases).
const core::ServiceItem& deferrable_item() {
    for (const auto& i : catalogue().items()) {
        if (i.kind != core::ItemKind::promised) continue;
        for (const auto& m : i.spec.materials)
            if (m.necessity == core::Necessity::deferrable) return i;
    }
    BOOST_FAIL("the catalogue has no promised item with a deferrable material");
    throw 0;
}

/// The promised item with the longest time limit (for the others: acceptance days then lie well
/// before the promised dates the tests need).
const core::ServiceItem& item() {
    const core::ServiceItem* best = nullptr;
    for (const auto& i : catalogue().items())
        if (i.kind == core::ItemKind::promised && (!best || i.spec.promised_limit_days > best->spec.promised_limit_days)) best = &i;
    BOOST_REQUIRE(best && best->spec.promised_limit_days >= 3);
    return *best;
}

struct QueueFixture : StoreFixture {
    int n = 0;
    std::map<std::string, std::string> names;  // case id -> label

    /// A case made through CaseStore::create/commit, driven to `target` with all its events on the
    /// China date `day`; its deferrable material deferred to `deferred_until` when given.
    core::Case make(const std::string& label, CaseState target, core::Date day,
                    std::optional<core::Date> deferred_until = std::nullopt, const core::ServiceItem* which = nullptr,
                    json accept_data = json::object(), int hour = 9) {
        struct {
            CaseState target;
            core::Date day;
            std::optional<core::Date> deferred_until;
        } p{target, day, deferred_until};
        const core::ServiceItem& it = which ? *which : deferred_until ? deferrable_item() : item();
        core::Applicant a = applicant("申请人" + label, store::synthetic_resident_id("370102", d("1980-01-01"), ++n), "13800138000");
        core::Case c = core::Case::create(it, a);
        core::Instant t = china(p.day, hour);
        auto cs = cases();
        cs.create(c, clerk(), t, {});
        auto run = [&](CaseAction act, const core::Actor& who, std::string reason = {}, json data = json::object()) {
            t += std::chrono::minutes{1};
            cs.commit(c, core::CaseEvent{act, who, t, std::move(reason), std::move(data)});
        };
        run(CaseAction::receive, clerk());
        bool gap = p.target == CaseState::correction_requested;
        for (const auto& m : it.spec.materials) {
            if (gap) {
                run(CaseAction::mark_material, clerk(), {}, {{"material_code", m.code}, {"status", "missing"}});
                gap = false;
            } else if (p.deferred_until && m.necessity == core::Necessity::deferrable) {
                run(CaseAction::defer_material, clerk(), {}, {{"material_code", m.code}, {"promised_by", core::format_date(*p.deferred_until)}});
            } else {
                run(CaseAction::mark_material, clerk(), {}, {{"material_code", m.code}, {"status", "original_received"}});
            }
        }
        if (p.target == CaseState::correction_requested) run(CaseAction::request_correction, clerk());
        else if (p.target == CaseState::refused)
            run(CaseAction::refuse, clerk(), "不属于本机关职权范围", {{"legal_basis", "《中华人民共和国行政许可法》第三十二条"}});
        else if (p.target != CaseState::received) {
            run(CaseAction::accept, clerk(), {}, accept_data);
            if (p.target != CaseState::accepted) {
                run(CaseAction::start_review, kChiefA);
                if (p.target == CaseState::denied)
                    run(CaseAction::deny, kChiefA, "不符合法定条件", {{"legal_basis", "《中华人民共和国行政许可法》第三十八条"}});
                else if (p.target != CaseState::under_review) {
                    for (const auto& m : it.spec.materials)
                        if (c.checklist.find(m.code)->status == core::MaterialStatus::deferred)
                            run(CaseAction::fulfil_material, clerk(), {}, {{"material_code", m.code}, {"status", "original_received"}});
                    run(CaseAction::approve, kChiefA, "材料齐全", {{"legal_basis", "《中华人民共和国行政许可法》第三十八条"}});
                    if (p.target != CaseState::approved) {
                        run(CaseAction::issue_result, clerk(), {}, {{"mode", "pickup"}, {"recipient", a.name}});
                        if (p.target == CaseState::rated) run(CaseAction::rate, clerk(), "等候时间过长", {{"level", 5}, {"channel", "window_device"}});
                    }
                }
            }
        }
        BOOST_REQUIRE(c.state == p.target);
        names[c.id.to_string()] = label;
        return c;
    }

    /// The China date on which a case accepted then has its promised date on `due`.
    core::Date accept_day_for(core::Date due) {
        for (core::Date a = due - std::chrono::days{90}; a < due; a += std::chrono::days{1})
            if (calendar().is_workday(a) && calendar().add_working_days(a, item().spec.promised_limit_days) == due) return a;
        BOOST_FAIL("no acceptance day gives this promised date");
        return due;
    }

    /// The labels of a queue's members (all pages), checking the count agrees.
    std::set<std::string> members(Queue q, core::Date today) {
        store::CaseQueues queues(s->db(), calendar());
        auto rows = queues.page(q, today, 1000);
        BOOST_CHECK_EQUAL(queues.count(q, today), std::int64_t(rows.size()));
        std::set<std::string> out;
        for (const auto& r : rows) out.insert(names.count(r.case_id) ? names[r.case_id] : r.case_id);
        std::string all;
        for (const auto& l : out) all += l + " ";
        BOOST_TEST_MESSAGE(store::to_code(q) << " on " << core::format_date(today) << ": " << all);
        return out;
    }
};

using Labels = std::set<std::string>;

}  // namespace

BOOST_AUTO_TEST_SUITE(queues)

BOOST_AUTO_TEST_CASE(code_names_round_trip) {
    const char* codes[] = {"today", "due-soon", "overdue", "awaiting-correction", "deferred-due",
                           "awaiting-decision", "to-issue", "follow-ups", "sync-problems"};
    BOOST_REQUIRE_EQUAL(std::size(codes), store::kAllQueues.size());
    for (std::size_t i = 0; i < store::kAllQueues.size(); ++i) {
        BOOST_CHECK_EQUAL(store::to_code(store::kAllQueues[i]), codes[i]);
        BOOST_CHECK(store::parse_queue(codes[i]) == store::kAllQueues[i]);
    }
    BOOST_CHECK(!store::parse_queue("Today"));
    BOOST_CHECK(!store::parse_queue("due_soon"));
    BOOST_CHECK(!store::parse_queue(""));
}

BOOST_FIXTURE_TEST_CASE(every_queue_holds_exactly_its_cases, QueueFixture) {
    // Today is Tuesday 2025-09-30, the last working day before the National Day holiday
    // (10-01…10-08 off; Saturday 10-11 worked): two working days later is Friday 10-10.
    const core::Date today = d("2025-09-30");
    BOOST_REQUIRE(calendar().add_working_days(today, 2) == d("2025-10-10"));
    const core::Date before = d("2025-09-01");

    make("received-today", CaseState::received, today);
    make("due-today", CaseState::accepted, accept_day_for(today));
    make("due-10-10", CaseState::accepted, accept_day_for(d("2025-10-10")));
    make("due-10-11", CaseState::accepted, accept_day_for(d("2025-10-11")));  // the third working day: not yet
    make("review-due-10-09", CaseState::under_review, accept_day_for(d("2025-10-09")));
    make("review-overdue", CaseState::under_review, accept_day_for(d("2025-09-29")));
    make("accepted-overdue", CaseState::accepted, accept_day_for(d("2025-09-15")));
    make("correction", CaseState::correction_requested, before);
    make("approved", CaseState::approved, before);
    make("denied", CaseState::denied, before);
    make("issued", CaseState::result_issued, before);
    make("rated-bad", CaseState::rated, before);
    make("deferred-10-05", CaseState::received, before, d("2025-10-05"));     // within the bound (a holiday)
    make("deferred-past", CaseState::received, before, d("2025-09-10"));      // past promises stay in the queue
    make("deferred-10-13", CaseState::received, before, d("2025-10-13"));     // after the bound
    make("deferred-refused", CaseState::refused, before, d("2025-09-10"));    // refused: not any more
    auto quarantined = make("quarantined", CaseState::received, before);
    auto with_issue = make("sync-issue", CaseState::received, before);
    auto resolved = make("sync-resolved", CaseState::received, before);
    // A good rating opens no follow-up: a second rated case rated 1 (very satisfied) by hand.
    {
        auto c = make("rated-good", CaseState::result_issued, before);
        cases().commit(c, {CaseAction::rate, clerk(), china(before, 17), "", {{"level", 1}, {"channel", "window_device"}}});
    }

    store::Outbox ob(s->db());
    for (const auto& e : ob.next_batch(1000, std::size_t(1) << 30))
        if (e.case_id == quarantined.id.to_string()) {
            ob.quarantine(e, "invalid.applicant.doc_type", "unknown code", "{}", china(before, 18));
            break;
        }
    store::SyncIssues issues(s->db());
    issues.add("conflict", with_issue.id.to_string(), "", "conflict.state", "the platform moved on", "{}", china(before, 18));
    auto gone = issues.add("problem", resolved.id.to_string(), "", "change.unknown_type", "x", "{}", china(before, 18));
    issues.resolve(gone, "dealt with", china(before, 19));
    issues.add("problem", "", "", "change.unknown_case", "a case this store does not hold", "{}", china(before, 18));

    BOOST_CHECK(members(Queue::today, today) == Labels({"received-today"}));
    BOOST_CHECK(members(Queue::due_soon, today) == Labels({"due-today", "due-10-10", "review-due-10-09"}));
    BOOST_CHECK(members(Queue::overdue, today) == Labels({"review-overdue", "accepted-overdue"}));
    BOOST_CHECK(members(Queue::awaiting_correction, today) == Labels({"correction"}));
    BOOST_CHECK(members(Queue::deferred_due, today) == Labels({"deferred-10-05", "deferred-past"}));
    BOOST_CHECK(members(Queue::awaiting_decision, today) == Labels({"review-due-10-09", "review-overdue"}));
    BOOST_CHECK(members(Queue::to_issue, today) == Labels({"approved", "denied"}));
    BOOST_CHECK(members(Queue::follow_ups, today) == Labels({"rated-bad"}));
    BOOST_CHECK(members(Queue::sync_problems, today) == Labels({"quarantined", "sync-issue"}));

    // What each queue is about, on its rows.
    store::CaseQueues q(s->db(), calendar());
    auto deferred = q.page(Queue::deferred_due, today, 10);
    BOOST_REQUIRE_EQUAL(deferred.size(), 2u);
    BOOST_CHECK_EQUAL(deferred[0].promised_by, "2025-09-10");  // earliest promise first
    BOOST_CHECK_EQUAL(deferred[1].promised_by, "2025-10-05");
    BOOST_CHECK(!deferred[0].material_code.empty());
    BOOST_CHECK(!deferred[0].material_name.empty());
    auto follow = q.page(Queue::follow_ups, today, 10);
    BOOST_REQUIRE_EQUAL(follow.size(), 1u);
    BOOST_CHECK_EQUAL(follow[0].rating_level, 5);
    BOOST_CHECK(!follow[0].rated_at.empty());
    auto sync = q.page(Queue::sync_problems, today, 10);
    std::map<std::string, std::string> codes;
    for (const auto& r : sync) codes[names[r.case_id]] = r.sync_code;
    BOOST_CHECK_EQUAL(codes["quarantined"], "invalid.applicant.doc_type");
    BOOST_CHECK_EQUAL(codes["sync-issue"], "conflict.state");
    auto soon = q.page(Queue::due_soon, today, 10);
    BOOST_REQUIRE_EQUAL(soon.size(), 3u);
    BOOST_CHECK_EQUAL(soon[0].due_date, "2025-09-30");  // earliest first
    BOOST_CHECK_EQUAL(soon[2].due_date, "2025-10-10");
    const auto& row = soon[0];
    BOOST_CHECK_EQUAL(row.item_code, item().code);
    BOOST_CHECK_EQUAL(row.item_name, item().name);
    BOOST_CHECK_EQUAL(row.applicant_name, "申请人due-today");
    BOOST_CHECK_EQUAL(row.state, "accepted");
    BOOST_CHECK(!row.receipt_no.empty());
    BOOST_CHECK(!row.promised_provisional);

    // On the holiday (10-01) the bound is still 10-10 and due-today is overdue; on 10-09, the first
    // working day after it, the bound is the worked Saturday 10-11.
    BOOST_CHECK(members(Queue::due_soon, d("2025-10-01")) == Labels({"due-10-10", "review-due-10-09"}));
    BOOST_CHECK(members(Queue::overdue, d("2025-10-01")) == Labels({"due-today", "review-overdue", "accepted-overdue"}));
    BOOST_CHECK(members(Queue::due_soon, d("2025-10-09")) == Labels({"due-10-10", "due-10-11", "review-due-10-09"}));
    // Delivering the deferred material takes the case out of deferred-due.
    {
        auto id = std::find_if(names.begin(), names.end(), [](const auto& kv) { return kv.second == "deferred-past"; })->first;
        auto c = *cases().load(*core::Uuid::parse(id));
        std::vector<std::string> outstanding;  // (a commit replaces c: collect first, then commit)
        for (const auto& e : c.checklist.entries)
            if (e.status == core::MaterialStatus::deferred) outstanding.push_back(e.material_code);
        BOOST_REQUIRE(!outstanding.empty());
        for (const auto& code : outstanding)
            cases().commit(c, {CaseAction::fulfil_material, clerk(), china(before, 20), "", {{"material_code", code}, {"status", "original_received"}}});
    }
    BOOST_CHECK(members(Queue::deferred_due, today) == Labels({"deferred-10-05"}));
}

BOOST_FIXTURE_TEST_CASE(today_is_the_china_date, QueueFixture) {
    // Each case's last change at an instant around the China midnights that bound 2025-09-30.
    const core::Date today = d("2025-09-30");
    auto touch = [&](const std::string& label, core::Instant at) {
        auto c = make(label, CaseState::received, d("2025-09-01"));
        const auto& m = item().spec.materials.front();
        cases().commit(c, {CaseAction::mark_material, clerk(), at, "", {{"material_code", m.code}, {"status", "copy_received"}}});
    };
    touch("09-29 23:59 China", china(d("2025-09-29"), 23, 59));  // 2025-09-29T15:59Z
    touch("09-30 00:00 China", china(today, 0, 0));               // 2025-09-29T16:00Z: a UTC date of yesterday
    touch("09-30 23:59 China", china(today, 23, 59));             // 2025-09-30T15:59Z
    touch("10-01 00:00 China", china(d("2025-10-01"), 0, 0));     // 2025-09-30T16:00Z: the UTC date is still today
    BOOST_CHECK(members(Queue::today, today) == Labels({"09-30 00:00 China", "09-30 23:59 China"}));
    auto rows = store::CaseQueues(s->db(), calendar()).page(Queue::today, today, 10);
    BOOST_REQUIRE_EQUAL(rows.size(), 2u);
    BOOST_CHECK_EQUAL(names[rows[0].case_id], "09-30 23:59 China");  // newest first
    BOOST_CHECK_EQUAL(rows[0].updated_at, "2025-09-30T15:59:00.000Z");
}

BOOST_FIXTURE_TEST_CASE(pages_are_stable_and_complete, QueueFixture) {
    for (int i = 0; i < 7; ++i) make("c" + std::to_string(i), CaseState::correction_requested, d("2025-09-01") + std::chrono::days{i});
    store::CaseQueues q(s->db(), calendar());
    const core::Date today = d("2025-09-30");
    BOOST_CHECK_EQUAL(q.count(Queue::awaiting_correction, today), 7);
    std::vector<std::string> seen;
    for (int offset = 0; offset < 9; offset += 3) {
        auto page = q.page(Queue::awaiting_correction, today, 3, offset);
        BOOST_CHECK_EQUAL(page.size(), std::size_t(std::min(3, 7 - offset)));
        for (const auto& r : page) seen.push_back(names[r.case_id]);
    }
    // Oldest first, each case once.
    const std::vector<std::string> expected = {"c0", "c1", "c2", "c3", "c4", "c5", "c6"};
    BOOST_CHECK_EQUAL_COLLECTIONS(seen.begin(), seen.end(), expected.begin(), expected.end());
    BOOST_CHECK(q.page(Queue::awaiting_correction, today, 3, 7).empty());
    BOOST_CHECK_THROW(q.page(Queue::awaiting_correction, today, 0), core::InvalidData);
    BOOST_CHECK_THROW(q.page(Queue::awaiting_correction, today, 1001), core::InvalidData);
    BOOST_CHECK_THROW(q.page(Queue::awaiting_correction, today, 10, -1), core::InvalidData);
}

BOOST_FIXTURE_TEST_CASE(green_cases_come_first_in_every_page, QueueFixture) {
    // Issue 19: a green-channel case (绿色通道) is first in its queue, whatever the queue's order.
    std::map<std::string, core::Case> made;
    for (int i = 0; i < 7; ++i) {
        std::string label = "c" + std::to_string(i);
        made[label] = make(label, CaseState::correction_requested, d("2025-09-01") + std::chrono::days{i});
    }
    auto cs = cases();
    core::Instant t = china(d("2025-09-20"), 9);
    for (const char* label : {"c5", "c2"}) {
        t += std::chrono::minutes{1};
        cs.commit(made[label], core::CaseEvent{CaseAction::flag_green, clerk(), t, "", {{"flag", "elderly"}, {"on", true}}});
    }
    store::CaseQueues q(s->db(), calendar());
    const core::Date today = d("2025-09-30");
    BOOST_CHECK_EQUAL(q.count(Queue::awaiting_correction, today), 7);
    std::vector<std::string> seen;
    std::vector<bool> green;
    for (int offset = 0; offset < 9; offset += 3)
        for (const auto& r : q.page(Queue::awaiting_correction, today, 3, offset)) {
            seen.push_back(names[r.case_id]);
            green.push_back(r.green);
        }
    // The green ones first (in the queue's order: longest waiting first), then the others.
    const std::vector<std::string> expected = {"c5", "c2", "c0", "c1", "c3", "c4", "c6"};
    BOOST_CHECK_EQUAL_COLLECTIONS(seen.begin(), seen.end(), expected.begin(), expected.end());
    const std::vector<bool> expected_green = {true, true, false, false, false, false, false};
    BOOST_CHECK(green == expected_green);
    // A page that starts inside the green part and ends in the other.
    auto mid = q.page(Queue::awaiting_correction, today, 2, 1);
    BOOST_REQUIRE_EQUAL(mid.size(), 2u);
    BOOST_CHECK_EQUAL(names[mid[0].case_id], "c2");
    BOOST_CHECK_EQUAL(names[mid[1].case_id], "c0");
    // The flag cleared: back in the queue's order.
    cs.commit(made["c5"], core::CaseEvent{CaseAction::flag_green, clerk(), t + std::chrono::minutes{5}, "", {{"flag", "elderly"}, {"on", false}}});
    auto first = q.page(Queue::awaiting_correction, today, 1);
    BOOST_REQUIRE_EQUAL(first.size(), 1u);
    BOOST_CHECK_EQUAL(names[first[0].case_id], "c2");
    auto all = q.page(Queue::awaiting_correction, today, 10);
    BOOST_CHECK_EQUAL(names[all.back().case_id], "c5");  // now the most recently touched of the others
}

BOOST_FIXTURE_TEST_CASE(the_closing_list_holds_what_can_still_be_finished_today, QueueFixture) {
    // Tue 30 Sep 2025, the last working day before National Day (1–8 Oct off).
    const core::Date today = d("2025-09-30");
    const core::ServiceItem* immediate = catalogue().item("370102-SC-0001-001");  // 个体工商户设立登记, 即办件
    const core::ServiceItem* hours = catalogue().item("370102-SC-0002-001");      // 企业设立登记, 4 hours
    BOOST_REQUIRE(immediate && immediate->kind == core::ItemKind::immediate);
    BOOST_REQUIRE(hours && hours->spec.promised_limit_minutes == 240);
    const json opening = {{"opening_hours", "09:00-12:00,13:30-17:00"}};

    make("immediate-received", CaseState::received, today, std::nullopt, immediate);
    make("immediate-correction", CaseState::correction_requested, today, std::nullopt, immediate);  // waits for the applicant
    auto hours_today = make("hours-today", CaseState::accepted, today, std::nullopt, hours, opening, 9);
    auto hours_later = make("hours-after-the-holiday", CaseState::accepted, today, std::nullopt, hours, opening, 16);
    make("hours-without-opening-hours", CaseState::accepted, today, std::nullopt, hours);  // its day limit: 9 Oct
    make("due-today", CaseState::accepted, accept_day_for(today));
    make("due-today-review", CaseState::under_review, accept_day_for(today));
    make("overdue", CaseState::accepted, accept_day_for(d("2025-09-26")));
    make("due-later", CaseState::accepted, today);
    make("decided", CaseState::approved, accept_day_for(today));
    auto stopped = make("due-today-procedure", CaseState::under_review, accept_day_for(today));
    cases().commit(stopped, core::CaseEvent{CaseAction::start_special_procedure, kChiefA, china(today, 11), "现场核查", {{"kind", "inspection"}}});
    BOOST_REQUIRE(hours_today.due_at && core::china_date(*hours_today.due_at) == today);
    BOOST_REQUIRE(hours_later.due_at && core::china_date(*hours_later.due_at) == d("2025-10-09"));

    BOOST_CHECK((members(Queue::closing, today) ==
                 Labels{"immediate-received", "hours-today", "due-today", "due-today-review", "overdue"}));
    // Earliest promise first: the overdue case (26 Sep), the hours case (its instant today), the
    // cases due by the end of today, then the immediate case without a date.
    store::CaseQueues q(s->db(), calendar());
    auto rows = q.page(Queue::closing, today, 10);
    BOOST_REQUIRE_EQUAL(rows.size(), 5u);
    BOOST_CHECK_EQUAL(names[rows[0].case_id], "overdue");
    BOOST_CHECK_EQUAL(names[rows[1].case_id], "hours-today");
    BOOST_CHECK_EQUAL(rows[1].due_at, core::format_instant(*hours_today.due_at));
    BOOST_CHECK_EQUAL(rows[1].kind, "promised");
    BOOST_CHECK_EQUAL(names[rows[4].case_id], "immediate-received");
    BOOST_CHECK_EQUAL(rows[4].kind, "immediate");
    BOOST_CHECK(rows[4].due_at.empty());
    // On 9 October the later hours case and the one without opening hours are due.
    auto later = members(Queue::closing, d("2025-10-09"));
    BOOST_CHECK(later.count("hours-after-the-holiday") && later.count("hours-without-opening-hours"));
    BOOST_CHECK(store::parse_queue("closing") == Queue::closing);
    BOOST_CHECK_EQUAL(store::to_code(Queue::closing), "closing");
    // It reads the open cases through an index on the state, never the whole cases table.
    for (const auto& line : q.explain(Queue::closing, today)) {
        BOOST_TEST_MESSAGE(line);
        const std::string detail = line.substr(line.find(": ") + 2);
        BOOST_CHECK_MESSAGE(detail.rfind("SCAN c", 0) != 0 || detail.find(" INDEX ") != std::string::npos, line);
    }
}

BOOST_FIXTURE_TEST_CASE(the_appointments_queue_lists_the_day_by_slot, StoreFixture) {
    store::Appointments book(s->db());
    auto at = core::now();
    auto make = [&](std::string id, std::string day, std::string start, std::string end) {
        store::Appointment a;
        a.id = std::move(id);
        a.applicant_name = "王芳";
        a.doc_number = "3701**********002X";
        a.doc_masked = true;
        a.phone = "13800138000";
        a.item_code = "370102-SC-0002-001";
        a.item_name = "企业设立登记";
        a.day = std::move(day);
        a.slot_start = std::move(start);
        a.slot_end = std::move(end);
        a.channel = "3";
        book.upsert_from_platform(a, at);
    };
    make("apt-3", "2025-09-30", "14:00", "14:30");
    make("apt-1", "2025-09-30", "09:00", "09:30");
    make("apt-2", "2025-09-30", "09:00", "09:30");
    make("apt-x", "2025-10-08", "09:00", "09:30");
    BOOST_CHECK_THROW(make("apt-bad", "2025-09-30", "10:00", "09:30"), core::InvalidData);
    store::CaseQueues q(s->db(), calendar());
    BOOST_CHECK_EQUAL(q.count(Queue::appointments, d("2025-09-30")), 3);
    auto rows = q.page(Queue::appointments, d("2025-09-30"), 10);
    BOOST_REQUIRE_EQUAL(rows.size(), 3u);
    BOOST_CHECK_EQUAL(rows[0].appointment_id, "apt-1");
    BOOST_CHECK_EQUAL(rows[1].appointment_id, "apt-2");
    BOOST_CHECK_EQUAL(rows[2].appointment_id, "apt-3");
    BOOST_CHECK_EQUAL(rows[0].appointment_status, "booked");
    BOOST_CHECK_EQUAL(rows[0].slot_end, "09:30");
    BOOST_CHECK(rows[0].case_id.empty());
    // An outcome recorded here is queued as a report and survives a later pull of the same booking.
    book.record_outcome("apt-2", "no_show", "", "rep-1", at);
    make("apt-2", "2025-09-30", "09:00", "09:30");
    BOOST_CHECK_EQUAL(book.get("apt-2")->status, "no_show");
    BOOST_REQUIRE_EQUAL(book.pending_reports().size(), 1u);
    BOOST_CHECK_THROW(book.record_outcome("apt-2", "arrived", "", "rep-2", at), store::StoreError);
    book.reports_sent({"apt-2"});
    BOOST_CHECK(book.pending_reports().empty());
    BOOST_CHECK(store::parse_queue("appointments") == Queue::appointments);
    auto plan = q.explain(Queue::appointments, d("2025-09-30"));
    std::string all;
    for (const auto& line : plan) all += line + "; ";
    BOOST_CHECK_MESSAGE(all.find("appointments_day") != std::string::npos, all);
}

BOOST_FIXTURE_TEST_CASE(queries_read_indexes_not_the_cases_table, StoreFixture) {
    // Some data in the tables; the store keeps no ANALYZE statistics, so these are its real plans.
    workflow::SeedOptions o;
    o.cases = 40;
    o.seed = 11;
    workflow::seed_demo(*s, catalogue(), forms::FormCatalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog"), calendar(), o);
    const std::map<Queue, std::string> index = {
        {Queue::today, "cases_updated"},        {Queue::due_soon, "cases_clock_due"},
        {Queue::overdue, "cases_clock_due"},    {Queue::awaiting_correction, "cases_state_"},
        {Queue::deferred_due, "cases_deferred_due"}, {Queue::awaiting_decision, "cases_state_"},
        {Queue::to_issue, "cases_to_issue"},    {Queue::follow_ups, "ratings_follow_up_open"},
        {Queue::sync_problems, "sync_issues_case_open"},
    };
    store::CaseQueues q(s->db(), calendar());
    for (Queue queue : store::kAllQueues) {
        BOOST_TEST_CONTEXT("queue " << store::to_code(queue)) {
            auto plan = q.explain(queue, core::parse_date("2025-09-30"));
            BOOST_REQUIRE(!plan.empty());
            bool count_uses_index = false;
            for (const auto& line : plan) {
                const std::string detail = line.substr(line.find(": ") + 2);
                // The green cases' part of a page (issue 19) walks the partial index cases_green,
                // which holds only flagged cases (few), or the queue's own index; it may sort them.
                if (line.rfind("green ", 0) == 0) {
                    if (detail.rfind("SCAN ", 0) == 0) BOOST_CHECK_MESSAGE(detail.find(" INDEX ") != std::string::npos || detail == "SCAN p", line);
                    continue;
                }
                // The cases table is searched (by an index range or its key), or walked through a
                // partial index that holds only the queue's cases; never scanned whole.
                if (detail.rfind("SCAN c", 0) == 0)
                    BOOST_CHECK_MESSAGE(detail == "SCAN c USING INDEX cases_to_issue" || detail == "SCAN c USING COVERING INDEX cases_to_issue", line);
                // Any other scan walks a (partial) index, or the small result of the WITH clause.
                if (detail.rfind("SCAN ", 0) == 0) BOOST_CHECK_MESSAGE(detail.find(" INDEX ") != std::string::npos || detail == "SCAN p", line);
                // The first page never sorts the whole queue.
                if (queue != Queue::sync_problems) BOOST_CHECK_MESSAGE(detail.find("TEMP B-TREE FOR ORDER BY") == std::string::npos, line);
                if (line.rfind("count: ", 0) == 0 && detail.find(index.at(queue)) != std::string::npos) count_uses_index = true;
            }
            std::string all;
            for (const auto& line : plan) all += line + "; ";
            BOOST_CHECK_MESSAGE(count_uses_index, "the count does not use " << index.at(queue) << ": " << all);
        }
    }
}

BOOST_AUTO_TEST_CASE(migration_5_backfills_the_deferred_due_column) {
    TempDir t;
    auto key = store::SecretKey::random();
    auto db = store::open_connection(t.path / "m.db", *key, true);
    store::migrate(*db, 3);
    BOOST_REQUIRE_EQUAL(store::schema_version(*db), 3);
    // Rows as a version-3 CaseStore wrote them: two deferred materials on an open case, one on a refused case.
    db->exec(R"sql(
INSERT INTO cases(id, receipt_no, platform_case_no, item_code, applicant_id, applicant_name, applicant_doc, applicant_phone,
                  state, due_date, version, created_at, updated_at, body)
VALUES ('a', 'R-1', '', 'X', NULL, '甲', 'D1', '', 'received', NULL, 3, '2025-09-01T01:00:00.000Z', '2025-09-01T01:00:00.000Z', '{}'),
       ('b', 'R-2', '', 'X', NULL, '乙', 'D2', '', 'refused', NULL, 4, '2025-09-01T01:00:00.000Z', '2025-09-01T01:00:00.000Z', '{}'),
       ('c', 'R-3', '', 'X', NULL, '丙', 'D3', '', 'accepted', '2025-10-10', 4, '2025-09-01T01:00:00.000Z', '2025-09-01T01:00:00.000Z', '{}');
INSERT INTO checklist(case_id, material_code, name, necessity, status, promised_by) VALUES
  ('a', 'm1', '材料一', 'deferrable', 'deferred', '2025-10-09'), ('a', 'm2', '材料二', 'deferrable', 'deferred', '2025-09-20'),
  ('a', 'm3', '材料三', 'required', 'original_received', NULL),
  ('b', 'm1', '材料一', 'deferrable', 'deferred', '2025-09-20'), ('c', 'm1', '材料一', 'required', 'original_received', NULL);
)sql");
    store::migrate(*db);
    BOOST_CHECK_EQUAL(db->query_text("SELECT deferred_due FROM cases WHERE id = 'a'").value_or("NULL"), "2025-09-20");
    BOOST_CHECK_EQUAL(db->query_text("SELECT deferred_due FROM cases WHERE id = 'b'").value_or("NULL"), "NULL");
    BOOST_CHECK_EQUAL(db->query_text("SELECT deferred_due FROM cases WHERE id = 'c'").value_or("NULL"), "NULL");
    store::CaseQueues q(*db, calendar());
    BOOST_CHECK_EQUAL(q.count(Queue::deferred_due, core::parse_date("2025-09-30")), 1);
    BOOST_CHECK_EQUAL(q.count(Queue::due_soon, core::parse_date("2025-09-30")), 1);
}

BOOST_AUTO_TEST_SUITE_END()
