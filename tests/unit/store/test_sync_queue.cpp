// What the sync engine reads and writes in the store: outbox batches with held cases, the
// ledger and its checksum, remote events without outbox rows, platform-owned fields surviving a
// stale commit, snapshots superseding unsent mutations, sequential blob reads, the upload queue,
// platform calendars and the staged catalogue.
#include <boost/test/unit_test.hpp>

#include "fixture.h"

#include <algorithm>
#include <array>

#include "ow/store/audit.h"
#include "ow/store/blobs.h"
#include "ow/store/demo.h"
#include "ow/store/errors.h"
#include "ow/store/repositories.h"
#include "ow/store/sync_queue.h"

using namespace ow;
using namespace ow::test;
using core::CaseAction;
using nlohmann::json;

namespace {

core::Instant at(int minute) {
    return core::Instant{core::Date{std::chrono::year{2025} / std::chrono::October / 9}} + std::chrono::hours{1} +
           std::chrono::minutes{minute};
}

core::Case new_case(StoreFixture& f, const std::string& name) {
    const auto* item = catalogue().item("370102-SC-0002-001");
    BOOST_REQUIRE(item);
    core::Case c = core::Case::create(*item, applicant(name, store::synthetic_resident_id("370102", core::parse_date("1985-03-07"), 1), "13800138000"));
    f.cases().create(c, clerk(), at(0), {});
    f.cases().commit(c, {CaseAction::receive, clerk(), at(1), "", json::object()});
    return c;
}

std::int64_t outbox_rows(store::Db& db, const std::string& case_id) {
    store::Stmt q(db, "SELECT count(*) FROM outbox WHERE case_id = ?");
    q.bind(1, case_id);
    q.step();
    return q.int64(0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sync_queue)

BOOST_FIXTURE_TEST_CASE(batches_follow_commit_order_and_hold_a_quarantined_case, StoreFixture) {
    auto a = new_case(*this, "甲");
    auto b = new_case(*this, "乙");
    store::Outbox ob(s->db());
    auto all = ob.next_batch(100, 1 << 20);
    BOOST_REQUIRE_EQUAL(all.size(), 4u);  // create + receive, for each case
    for (std::size_t i = 1; i < all.size(); ++i) BOOST_CHECK_LT(all[i - 1].seq, all[i].seq);
    BOOST_CHECK_EQUAL(all[0].kind, "create");
    BOOST_CHECK_EQUAL(ob.next_batch(3, 1 << 20).size(), 3u);
    BOOST_CHECK_EQUAL(ob.next_batch(100, 1).size(), 1u);  // the byte budget stops after one entry
    // The platform refuses a's create: a's later mutation is held, b's go on.
    ob.quarantine(all[0], "invalid.applicant.doc_type", "unknown code", "{}", at(5));
    auto next = ob.next_batch(100, 1 << 20);
    BOOST_REQUIRE_EQUAL(next.size(), 2u);
    for (const auto& e : next) BOOST_CHECK_EQUAL(e.case_id, b.id.to_string());
    auto counts = ob.counts();
    BOOST_CHECK_EQUAL(counts.pending, 3);
    BOOST_CHECK_EQUAL(counts.held, 1);
    BOOST_CHECK_EQUAL(counts.quarantined, 1);
    auto totals = ob.totals();  // what a sync pass reports: the two totals only
    BOOST_CHECK_EQUAL(totals.pending, 3);
    BOOST_CHECK_EQUAL(totals.quarantined, 1);
    BOOST_CHECK_EQUAL(totals.held + totals.pending_cases, 0);
    auto issues = store::SyncIssues(s->db()).open("quarantine");
    BOOST_REQUIRE_EQUAL(issues.size(), 1u);
    BOOST_CHECK_EQUAL(issues[0].code, "invalid.applicant.doc_type");
    BOOST_CHECK_EQUAL(issues[0].case_id, a.id.to_string());
    // Settled entries leave the outbox and are counted; a released one is sent again first.
    ob.settle({next[0].mutation_id, next[1].mutation_id, "not-a-mutation"});
    BOOST_CHECK_EQUAL(ob.counts().settled, 2);
    BOOST_CHECK_EQUAL(outbox_rows(s->db(), b.id.to_string()), 0);
    BOOST_CHECK_EQUAL(ob.release_generation(), 0);
    BOOST_CHECK(ob.release(all[0].mutation_id));
    BOOST_CHECK(!ob.release(all[0].mutation_id));
    BOOST_CHECK_EQUAL(ob.release_generation(), 1);  // batches formed from now on get new keys
    auto again = ob.next_batch(100, 1 << 20);
    BOOST_REQUIRE_EQUAL(again.size(), 2u);
    BOOST_CHECK_EQUAL(again[0].mutation_id, all[0].mutation_id);
    BOOST_CHECK(!ob.has_unsettled_creates());
    ob.record_attempt({again[0].mutation_id}, "net.broken");
    BOOST_CHECK(ob.has_unsettled_creates());
    BOOST_CHECK_EQUAL(ob.next_batch(1, 1 << 20)[0].attempts, 1);
}

BOOST_FIXTURE_TEST_CASE(conflicts_are_quarantined_as_conflict_issues, StoreFixture) {
    auto a = new_case(*this, "甲");
    store::Outbox ob(s->db());
    auto e = ob.next_batch(1, 1 << 20);
    ob.quarantine(e[0], "conflict.state", "the case is approved on the platform", R"({"platform_state":"approved"})", at(3));
    BOOST_CHECK_EQUAL(store::SyncIssues(s->db()).open_count("conflict"), 1);
    BOOST_CHECK_EQUAL(store::SyncIssues(s->db()).open_count("quarantine"), 0);
    auto issue = store::SyncIssues(s->db()).open("conflict").at(0);
    BOOST_CHECK(store::SyncIssues(s->db()).resolve(issue.id, "accepted the platform's decision", at(4)));
    BOOST_CHECK(!store::SyncIssues(s->db()).resolve(issue.id, "twice", at(4)));
    BOOST_CHECK_EQUAL(store::SyncIssues(s->db()).open_count(), 0);
    // A problem seen on every pass is recorded once while it is open; again once it was resolved.
    store::SyncIssues is(s->db());
    auto p1 = is.add_once("problem", "", "", "blob.refused", "refused", R"({"sha256":"ab"})", at(5));
    BOOST_CHECK_EQUAL(is.add_once("problem", "", "", "blob.refused", "refused again", R"({"sha256":"ab"})", at(6)), p1);
    BOOST_CHECK_NE(is.add_once("problem", "", "", "blob.refused", "another blob", R"({"sha256":"cd"})", at(6)), p1);
    BOOST_CHECK_EQUAL(is.open_count("problem"), 2);
    BOOST_CHECK(is.resolve(p1, "checked", at(7)));
    BOOST_CHECK_NE(is.add_once("problem", "", "", "blob.refused", "refused", R"({"sha256":"ab"})", at(8)), p1);
    BOOST_CHECK_EQUAL(is.open_count("problem"), 2);
}

BOOST_FIXTURE_TEST_CASE(a_retry_and_a_resolve_by_a_clerk_are_audited_with_the_change, StoreFixture) {
    auto a = new_case(*this, "乙");
    store::Outbox ob(s->db());
    auto e = ob.next_batch(1, 1 << 20);
    ob.quarantine(e[0], "record.invalid", "refused", "{}", at(3));
    auto audit_rows = [&](const std::string& action) {
        store::Stmt q(s->db(), "SELECT user_id, case_id, detail FROM audit WHERE action = ? ORDER BY seq");
        q.bind(1, action);
        std::vector<std::array<std::string, 3>> rows;
        while (q.step()) rows.push_back({q.text(0), q.text(1), q.text(2)});
        return rows;
    };
    BOOST_CHECK(!ob.resend("no-such-mutation", "clerk1", at(4)));
    BOOST_CHECK(audit_rows("sync.retry").empty());
    BOOST_CHECK(ob.resend(e[0].mutation_id, "clerk1", at(4)));
    auto retry = audit_rows("sync.retry");
    BOOST_REQUIRE_EQUAL(retry.size(), 1u);
    BOOST_CHECK_EQUAL(retry[0][0], "clerk1");
    BOOST_CHECK_EQUAL(json::parse(retry[0][2])["mutation_id"], e[0].mutation_id);

    store::SyncIssues is(s->db());
    auto id = is.add("problem", a.id.to_string(), "", "platform.clock_offset", "clock", "{}", at(5));
    BOOST_CHECK(is.resolve(id, "told the province", "clerk2", at(6)));
    BOOST_CHECK(!is.resolve(id, "twice", "clerk2", at(7)));
    auto resolved = audit_rows("sync.resolve");
    BOOST_REQUIRE_EQUAL(resolved.size(), 1u);
    BOOST_CHECK_EQUAL(resolved[0][0], "clerk2");
    BOOST_CHECK_EQUAL(resolved[0][1], a.id.to_string());
    auto detail = json::parse(resolved[0][2]);
    BOOST_CHECK_EQUAL(detail["issue"], id);
    BOOST_CHECK_EQUAL(detail["code"], "platform.clock_offset");
    BOOST_CHECK_EQUAL(detail["note"], "told the province");
    BOOST_CHECK_EQUAL(*s->db().query_text("SELECT resolution FROM sync_issues WHERE id = " + std::to_string(id)),
                      "told the province (clerk2)");
    BOOST_CHECK(store::AuditLog(s->db()).verify().intact);
}

BOOST_FIXTURE_TEST_CASE(the_ledger_checksum_is_the_xor_of_held_cases, StoreFixture) {
    store::SyncLedger l(s->db());
    BOOST_CHECK_EQUAL(l.state(), "0:" + std::string(64, '0'));
    std::vector<std::string> ids = {"0190c6f2-0000-7000-8000-000000000001", "0190c6f2-0000-7000-8000-000000000002",
                                    "0190c6f2-0000-7000-8000-000000000003"};
    for (const auto& id : ids) l.acknowledge_case(id, "", at(1));
    l.acknowledge_case(ids[1], "N-2", at(2));  // idempotent; fills the number
    BOOST_CHECK_EQUAL(l.state(), store::SyncLedger::state_of(ids));
    BOOST_CHECK_EQUAL(l.state().substr(0, 2), "3:");
    l.forget_case(ids[0]);
    l.forget_case(ids[0]);
    BOOST_CHECK_EQUAL(l.state(), store::SyncLedger::state_of({ids[1], ids[2]}));
    BOOST_CHECK(l.holds(ids[1]) && !l.holds(ids[0]));
    BOOST_CHECK_EQUAL(store::SyncLedger::state_of({ids[2], ids[1]}), store::SyncLedger::state_of({ids[1], ids[2]}));
    BOOST_CHECK_EQUAL(*s->db().query_text("SELECT case_no FROM sync_cases WHERE case_id = '" + ids[1] + "'"), "N-2");
    BOOST_CHECK(!l.cursor("changes"));
    l.set_cursor("changes", "v1.42", at(3));
    BOOST_CHECK_EQUAL(*l.cursor("changes"), "v1.42");
    l.clear_cursor("changes");
    BOOST_CHECK(!l.cursor("changes"));
    l.set_status("last_success", "x");
    BOOST_CHECK_EQUAL(*l.status("last_success"), "x");
}

BOOST_FIXTURE_TEST_CASE(acknowledging_and_forgetting_many_cases_keeps_the_same_checksum_as_one_by_one, StoreFixture) {
    store::SyncLedger l(s->db());
    std::vector<std::string> ids;
    for (int i = 1; i <= 40; ++i) {
        char id[40];
        std::snprintf(id, sizeof id, "0190c6f2-0000-7000-8000-%012d", i);
        ids.emplace_back(id);
    }
    l.acknowledge_case(ids[0], "N-1", at(1));  // already held: not counted again
    std::vector<std::pair<std::string, std::string>> many;
    for (std::size_t i = 0; i < ids.size(); ++i) many.emplace_back(ids[i], i == 5 ? "N-6" : "");
    many.emplace_back(ids[3], "N-4");  // a case twice in one call: counted once, the number filled
    BOOST_CHECK_EQUAL(l.acknowledge_cases(many, at(2)), 39);
    BOOST_CHECK_EQUAL(l.state(), store::SyncLedger::state_of(ids));
    BOOST_CHECK_EQUAL(l.state().substr(0, 3), "40:");
    BOOST_CHECK_EQUAL(*s->db().query_text("SELECT case_no FROM sync_cases WHERE case_id = '" + ids[3] + "'"), "N-4");
    BOOST_CHECK_EQUAL(*s->db().query_text("SELECT case_no FROM sync_cases WHERE case_id = '" + ids[5] + "'"), "N-6");
    BOOST_CHECK_EQUAL(*s->db().query_text("SELECT case_no FROM sync_cases WHERE case_id = '" + ids[0] + "'"), "N-1");
    BOOST_CHECK_EQUAL(l.acknowledge_cases({}, at(3)), 0);
    // Forgetting: cases not held are skipped; the rest leave the checksum as one by one would.
    std::vector<std::string> drop(ids.begin(), ids.begin() + 30);
    drop.push_back("0190c6f2-0000-7000-8000-999999999999");
    BOOST_CHECK_EQUAL(l.forget_cases(drop), 30);
    BOOST_CHECK_EQUAL(l.forget_cases(drop), 0);
    BOOST_CHECK_EQUAL(l.state(), store::SyncLedger::state_of(std::vector<std::string>(ids.begin() + 30, ids.end())));
    BOOST_CHECK(!l.holds(ids[0]) && l.holds(ids[30]));
    BOOST_CHECK_EQUAL(l.forget_cases(std::vector<std::string>(ids.begin() + 30, ids.end())), 10);
    BOOST_CHECK_EQUAL(l.state(), "0:" + std::string(64, '0'));
}

BOOST_FIXTURE_TEST_CASE(the_settled_events_of_every_case_read_at_once_match_one_by_one, StoreFixture) {
    auto a = new_case(*this, "甲");
    auto b = new_case(*this, "乙");
    auto c = new_case(*this, "丙");
    store::Outbox ob(s->db());
    store::SyncLedger ledger(s->db());
    // a: everything settled; b: its create settled, its receive still queued; c: nothing settled.
    std::vector<std::string> settle;
    for (const auto& e : ob.next_batch(100, 1 << 20))
        if (e.case_id == a.id.to_string() || (e.case_id == b.id.to_string() && e.kind == "create")) settle.push_back(e.mutation_id);
    ob.settle(settle);
    // A platform event on a (a history row as apply_remote writes it) does not count as a's own.
    s->db().exec("INSERT INTO case_history VALUES ('" + a.id.to_string() +
                 "', 99, 'start_review', 'accepted', 'under_review', 'platform', 'platform', 'none', '', '2025-10-09T02:00:00Z', '', '{}')");
    // Nor does a's rating (it goes to the rating interface, not into the platform's case record).
    s->db().exec("INSERT INTO case_history VALUES ('" + a.id.to_string() +
                 "', 98, 'rate', 'result_issued', 'rated', 'clerk', 'clerk', 'none', '', '2025-10-09T02:00:00Z', '', '{}')");
    auto all = ledger.settled_client_seqs();
    BOOST_CHECK_EQUAL(all.size(), 3u);
    for (const auto& x : {a, b, c}) {
        const auto id = x.id.to_string();
        BOOST_REQUIRE(all.count(id));
        BOOST_CHECK_EQUAL(all.at(id), ledger.settled_client_seq(id));
    }
    BOOST_CHECK_EQUAL(all.at(a.id.to_string()), 1);
    BOOST_CHECK_EQUAL(all.at(b.id.to_string()), 0);
    BOOST_CHECK_EQUAL(all.at(c.id.to_string()), 0);
    BOOST_CHECK(!all.count("0190c6f2-0000-7000-8000-000000000001"));
}

BOOST_FIXTURE_TEST_CASE(the_platform_case_number_survives_a_commit_from_a_stale_copy, StoreFixture) {
    auto c = new_case(*this, "甲");
    auto desk_copy = *cases().load(c.id);  // the desk read the case before sync set the number
    cases().set_platform_case_no(c.id, "370102-20251009-000001", at(2));
    BOOST_CHECK_THROW(cases().set_platform_case_no(c.id, "", at(2)), core::InvalidData);
    cases().commit(desk_copy, {CaseAction::mark_material, clerk(), at(3), "",
                               {{"material_code", desk_copy.checklist.entries.front().material_code}, {"status", "original_received"}}});
    auto back = cases().load(c.id);
    BOOST_CHECK_EQUAL(back->platform_case_no, "370102-20251009-000001");
    BOOST_CHECK_EQUAL(*s->db().query_text("SELECT platform_case_no FROM cases"), "370102-20251009-000001");
    BOOST_CHECK_EQUAL(cases().search("370102-20251009-000001").size(), 1u);
}

BOOST_FIXTURE_TEST_CASE(a_snapshot_supersedes_unsent_mutations_and_requeues_attachments, StoreFixture) {
    auto c = new_case(*this, "甲");
    store::BlobStore blobs(s->db(), s->dir(), s->key());
    std::istringstream scan("scan bytes");
    auto sha = blobs.put(scan, "image/png");
    cases().attach_blob(c.id, sha, "scan", "M1", clerk(), at(2));
    store::Outbox ob(s->db());
    ob.quarantine(ob.next_batch(1, 1 << 20)[0], "invalid.x", "bad", "{}", at(3));
    // An unsent rating (it goes to the rating interface, not into the case record).
    s->db().exec("INSERT INTO outbox(mutation_id, case_id, kind, payload, created_at) VALUES "
                 "('rating-1', '" + c.id.to_string() + "', 'rate', '{\"score\":5}', '2025-10-09T01:03:00Z')");
    cases().enqueue_snapshot(c.id, at(4));
    auto rows = ob.next_batch(100, 1 << 20);
    BOOST_REQUIRE_EQUAL(rows.size(), 3u);
    BOOST_CHECK_EQUAL(rows[0].kind, "snapshot");
    BOOST_CHECK_EQUAL(rows[1].kind, "attach_blob");
    BOOST_CHECK_EQUAL(rows[2].kind, "rate");  // after the snapshot, under its own mutation id
    BOOST_CHECK_EQUAL(rows[2].mutation_id, "rating-1");
    BOOST_CHECK_EQUAL(rows[2].payload, R"({"score":5})");
    auto payload = json::parse(rows[0].payload);
    BOOST_CHECK_EQUAL(payload["case"]["history"].size(), 1u);
    BOOST_CHECK_EQUAL(json::parse(rows[1].payload)["sha256"], sha);
    BOOST_CHECK_EQUAL(ob.counts().quarantined, 0);
    BOOST_CHECK_EQUAL(store::SyncIssues(s->db()).open_count("quarantine"), 0);  // resolved: superseded
}

BOOST_FIXTURE_TEST_CASE(a_blob_reads_back_in_pieces_and_from_an_offset, StoreFixture) {
    store::BlobStore blobs(s->db(), s->dir(), s->key());
    std::string data(300 * 1024 + 17, '\0');
    std::mt19937 rng(5);
    for (auto& ch : data) ch = char(rng());
    std::istringstream in(data);
    auto sha = blobs.put(in, "application/pdf");
    {
        store::BlobReader r(blobs, sha);
        BOOST_CHECK_EQUAL(r.size(), data.size());
        std::string back;
        std::vector<char> buf(9999);
        for (std::size_t n; (n = r.read(buf.data(), buf.size())) > 0;) back.append(buf.data(), n);
        BOOST_CHECK(back == data);
        BOOST_CHECK_EQUAL(r.position(), data.size());
    }
    {
        store::BlobReader r(blobs, sha);
        r.skip(200000);
        std::vector<char> buf(100);
        BOOST_REQUIRE_EQUAL(r.read(buf.data(), 100), 100u);
        BOOST_CHECK(std::string(buf.data(), 100) == data.substr(200000, 100));
        BOOST_CHECK_THROW(r.skip(1 << 20), core::InvalidData);
    }
    // A damaged file is detected while reading, never uploaded as if it were good.
    auto file = blobs.file_of(sha);
    std::string raw = read_file(file);
    raw[raw.size() / 2] ^= 0x20;
    write_file(file, raw);
    store::BlobReader r(blobs, sha);
    std::vector<char> buf(data.size());
    BOOST_CHECK_THROW(r.read(buf.data(), buf.size()), store::CorruptStore);
    BOOST_CHECK_THROW(store::BlobReader(blobs, std::string(64, 'a')), core::InvalidData);
}

BOOST_FIXTURE_TEST_CASE(the_upload_queue_keeps_acknowledged_offsets, StoreFixture) {
    store::BlobStore blobs(s->db(), s->dir(), s->key());
    std::istringstream a("first scan"), b("second scan, longer");
    auto sa = blobs.put(a, "image/png");
    auto sb = blobs.put(b, "image/png");
    store::UploadQueue q(s->db());
    BOOST_CHECK_EQUAL(q.pending_count(), 2);
    BOOST_CHECK_EQUAL(q.pending_bytes(), 10 + 19);
    q.save_progress(sb, "upl-1", 7, 19);
    auto p = q.pending();
    BOOST_REQUIRE_EQUAL(p.size(), 2u);
    for (const auto& x : p)
        if (x.sha256 == sb) {
            BOOST_CHECK_EQUAL(x.upload_id, "upl-1");
            BOOST_CHECK_EQUAL(x.acked_offset, 7);
        }
    BOOST_CHECK_EQUAL(q.pending_bytes(), 10 + 12);
    q.reset(sb);
    BOOST_CHECK_EQUAL(q.pending_bytes(), 29);
    q.mark_uploaded(sa);
    BOOST_CHECK_EQUAL(q.pending_count(), 1);
    BOOST_CHECK(blobs.info(sa).uploaded);
}

BOOST_FIXTURE_TEST_CASE(platform_calendars_extend_the_shipped_years, StoreFixture) {
    store::PlatformCalendars cals(s->db());
    auto before = cals.calendar();
    BOOST_CHECK(before.add_working_days_answer(core::parse_date("2026-12-30"), 5).provisional);
    cals.put("test revision", read_file(std::string(OW_TEST_DATA) + "/calendar/test-2027.json"));
    BOOST_CHECK_THROW(cals.put("x", "{\"year\": 2027}"), core::Error);
    auto years = cals.years();
    BOOST_REQUIRE_EQUAL(years.size(), 1u);
    BOOST_CHECK_EQUAL(years[0].first, 2027);
    auto cal = cals.calendar();
    // 2026-12-31 (Thu), 2027-01-01 is the test holiday, then Mon 01-04, Tue 01-05 …
    BOOST_CHECK_EQUAL(core::format_date(cal.add_working_days(core::parse_date("2026-12-30"), 3)), "2027-01-05");
    BOOST_CHECK(!cal.add_working_days_answer(core::parse_date("2026-12-30"), 3).provisional);
}

namespace {

// A case of 企业设立登记 (promised: 1 working day) accepted at 09:00 China time on `day`.
core::Case accepted_case(store::CaseStore& cs, const std::string& day) {
    const auto* item = catalogue().item("370102-SC-0002-001");
    BOOST_REQUIRE(item);
    core::Case c = core::Case::create(*item, applicant("赵六", store::synthetic_resident_id("370102", core::parse_date("1980-01-02"), 7),
                                                       "13800138000"));
    core::Instant t = core::Instant{core::parse_date(day)} + std::chrono::hours{1};  // 09:00 CST
    cs.create(c, clerk(), t, {});
    cs.commit(c, {core::CaseAction::receive, clerk(), t, "", nlohmann::json::object()});
    std::vector<std::string> required;  // commit() replaces c: collect first
    for (const auto& m : c.checklist.entries)
        if (m.necessity != core::Necessity::optional) required.push_back(m.material_code);
    for (const auto& code : required)
        cs.commit(c, {core::CaseAction::mark_material, clerk(), t, "", {{"material_code", code}, {"status", "original_received"}}});
    cs.commit(c, {core::CaseAction::accept, clerk(), t, "", nlohmann::json::object()});
    return c;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(an_official_year_recomputes_the_open_provisional_cases, StoreFixture) {
    auto cs = cases();  // the shipped calendar: 2027 is provisional
    core::Case late = accepted_case(cs, "2026-12-31");   // Thu + 1: (元旦, weekend) Mon 2027-01-04
    core::Case early = accepted_case(cs, "2026-12-30");  // Wed + 1: Thu 2026-12-31
    BOOST_CHECK_EQUAL(core::format_date(*late.due_date), "2027-01-04");
    BOOST_CHECK(late.promised_provisional);
    BOOST_CHECK(!early.promised_provisional);
    BOOST_CHECK_EQUAL(cs.load(late.id)->promised_provisional, true);  // persisted in the case JSON

    // Nothing official yet: nothing to do.
    BOOST_CHECK_EQUAL(cs.recompute_provisional(clerk(), core::now(), "no change"), 0);

    store::PlatformCalendars cals(s->db());
    cals.put("official-1", R"({"format": "onewindow-calendar", "format_version": 1, "year": 2027,
        "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-04"}], "workdays": []})");
    auto official = cals.calendar();
    store::CaseStore with_official(s->db(), official);
    auto& db = s->db();
    auto outbox_before = db.query_int("SELECT count(*) FROM outbox");
    auto audit_before = db.query_int("SELECT count(*) FROM audit");
    core::Actor admin{"admin", core::Role::admin, core::Post::none, ""};
    BOOST_CHECK_EQUAL(with_official.recompute_provisional(admin, core::now(), "official calendar 2027"), 1);

    auto reloaded = with_official.load(late.id);
    BOOST_REQUIRE(reloaded);
    BOOST_CHECK_EQUAL(core::format_date(*reloaded->due_date), "2027-01-05");
    BOOST_CHECK(!reloaded->promised_provisional);
    const auto& h = reloaded->history.back();
    BOOST_CHECK(h.action == core::CaseAction::recompute_due);
    BOOST_CHECK_EQUAL(h.actor.user_id, "admin");
    BOOST_CHECK_EQUAL(h.reason, "official calendar 2027");
    BOOST_CHECK_EQUAL(h.data.value("from_due_date", ""), "2027-01-04");
    BOOST_CHECK_EQUAL(h.data.value("to_due_date", ""), "2027-01-05");
    BOOST_CHECK_EQUAL(h.data.value("from_provisional", false), true);
    BOOST_CHECK_EQUAL(h.data.value("to_provisional", true), false);
    BOOST_CHECK_EQUAL(*db.query_text("SELECT due_date FROM cases WHERE id = '" + late.id.to_string() + "'"), "2027-01-05");
    // One outbox entry (the platform gets the event) and one audit entry; the other case untouched.
    BOOST_CHECK_EQUAL(db.query_int("SELECT count(*) FROM outbox"), outbox_before + 1);
    BOOST_CHECK_EQUAL(*db.query_text("SELECT kind FROM outbox ORDER BY seq DESC LIMIT 1"), "recompute_due");
    BOOST_CHECK_EQUAL(db.query_int("SELECT count(*) FROM audit"), audit_before + 1);
    BOOST_CHECK_EQUAL(with_official.load(early.id)->history.size(), early.history.size());
    BOOST_CHECK(store::AuditLog(db).verify().intact);
    // Done once: a second run changes nothing.
    BOOST_CHECK_EQUAL(with_official.recompute_provisional(admin, core::now(), "again"), 0);
}

BOOST_FIXTURE_TEST_CASE(a_staged_catalogue_replaces_the_cache_only_when_it_all_parses, StoreFixture) {
    store::CatalogCache cache(s->db());
    std::vector<std::pair<std::string, std::string>> first, second;
    for (const auto& e : catalogue_entries()) (e.first == "bundle" ? second : first.size() < 5 ? first : second).push_back(e);
    cache.stage("2026.12.1", first);
    BOOST_CHECK_EQUAL(cache.staged_version(), "2026.12.1");
    cache.stage("2026.12.1", second);
    BOOST_CHECK_EQUAL(cache.version(), "");  // nothing replaced before the last page
    cache.promote_staged();
    BOOST_CHECK_EQUAL(cache.version(), "2026.12.1");
    BOOST_CHECK_EQUAL(cache.load()->items().size(), catalogue().items().size());
    BOOST_CHECK_EQUAL(cache.staged_version(), "");
    BOOST_CHECK(cache.entries() == catalogue_entries());  // stored as delivered
    // A check of the caller's (the form engine's, in ow_catalogue) can refuse it too.
    cache.stage("2026.12.4", first);
    BOOST_CHECK_THROW(cache.promote_staged([](const auto&) { throw core::InvalidData("refused"); }), core::InvalidData);
    BOOST_CHECK_EQUAL(cache.version(), "2026.12.1");
    BOOST_CHECK_EQUAL(cache.staged_version(), "2026.12.4");
    // A bad entry: refused with its position, the cache keeps the last good catalogue.
    cache.stage("2026.12.2", {{"item", R"({"code": "X"})"}});
    BOOST_CHECK_THROW(cache.promote_staged(), core::Error);
    BOOST_CHECK_EQUAL(cache.version(), "2026.12.1");
    cache.stage("2026.12.3", first);  // a new version clears the old staging
    BOOST_CHECK_EQUAL(s->db().query_int("SELECT count(*) FROM catalog_staging"), std::int64_t(first.size()));
    BOOST_CHECK_THROW(cache.stage("2026.12.3", {{"form", "{}"}}), core::InvalidData);
}

BOOST_FIXTURE_TEST_CASE(the_platform_setting_round_trips_inside_the_store, StoreFixture) {
    store::Settings st(s->db());
    BOOST_CHECK(!st.platform());
    store::PlatformConfig p;
    p.url = "https://zwfw.example.gov.cn";
    p.terminal_id = "trm-1";
    p.secret = "c2VjcmV0LWtleS1mb3ItdGVzdHMtMDEyMzQ1Njc4OQ==";
    p.pin = "sha256//abc";
    st.set_platform(p);
    auto back = store::Settings(s->db()).platform();
    BOOST_REQUIRE(back);
    BOOST_CHECK_EQUAL(back->terminal_id, "trm-1");
    BOOST_CHECK_EQUAL(back->secret, p.secret);
    BOOST_CHECK_EQUAL(back->pin, "sha256//abc");
    BOOST_CHECK_EQUAL(back->algorithm, "hmac-sha256");
    p.secret.clear();
    BOOST_CHECK_THROW(st.set_platform(p), core::InvalidData);
}

BOOST_FIXTURE_TEST_CASE(the_lookups_of_the_sync_engine_and_panel, StoreFixture) {
    // What ow_sync and the sync panel ask the store (they run no SQL of their own).
    auto a = new_case(*this, "甲");
    auto b = new_case(*this, "乙");
    const std::string ida = a.id.to_string();
    store::Outbox ob(s->db());
    BOOST_CHECK_EQUAL(ob.counts().pending_cases, 2);
    // Case numbers: the receipt number and item now, the platform's number once assigned.
    auto n = store::case_numbers(s->db(), ida);
    BOOST_REQUIRE(n);
    BOOST_CHECK_EQUAL(n->receipt_no, a.receipt_no);
    BOOST_CHECK_EQUAL(n->item_code, "370102-SC-0002-001");
    BOOST_CHECK_EQUAL(n->platform_case_no, "");
    cases().set_platform_case_no(a.id, "370102-20251009-000009", at(2));
    BOOST_CHECK_EQUAL(store::case_numbers(s->db(), ida)->platform_case_no, "370102-20251009-000009");
    BOOST_CHECK(!store::case_numbers(s->db(), "no-such-case"));
    // a's create carries no event, its receive is event 1: nothing of a is settled yet.
    BOOST_CHECK_EQUAL(ob.first_queued_event_seq(ida).value_or(-1), 1);
    store::SyncLedger ledger(s->db());
    BOOST_CHECK_EQUAL(ledger.settled_client_seq(ida), 0);
    auto batch = ob.next_batch(100, 1 << 20);
    BOOST_REQUIRE_EQUAL(batch.size(), 4u);
    std::vector<std::string> of_a;
    for (const auto& e : batch)
        if (e.case_id == ida) of_a.push_back(e.mutation_id);
    ob.settle(of_a);
    BOOST_CHECK(!ob.first_queued_event_seq(ida));
    BOOST_CHECK_EQUAL(ledger.settled_client_seq(ida), 1);
    BOOST_CHECK_EQUAL(ob.counts().pending_cases, 1);
    // Quarantine: only the refused mutation can be sent again.
    const auto& first_b = *std::find_if(batch.begin(), batch.end(), [&](const auto& e) { return e.case_id != ida; });
    BOOST_CHECK(!ob.is_quarantined(first_b.mutation_id));
    ob.quarantine(first_b, "invalid.applicant.doc_type", "unknown code", "{}", at(5));
    BOOST_CHECK(ob.is_quarantined(first_b.mutation_id));
    BOOST_CHECK(!ob.is_quarantined("no-such-mutation"));
    BOOST_CHECK_EQUAL(ob.counts().pending_cases, 1);  // b's receive is still pending (held)
}

BOOST_AUTO_TEST_SUITE_END()
