// The demo seed (ow_workflow): cases made through the clerk's and the chief representative's acts.
// Deterministic, every case queued and audited, nothing in plaintext on disk, every catalogue item
// seeded with answers its form accepts; with notices, every notice kind and sealed decisions.
#include <boost/test/unit_test.hpp>

#include "fixture.h"

#include "ow/core/validators.h"
#include "ow/forms/definition.h"
#include "ow/notices/renderer.h"
#include "ow/store/audit.h"
#include "ow/store/blobs.h"
#include "ow/store/documents.h"
#include "ow/store/errors.h"
#include "ow/store/queues.h"
#include "ow/store/repositories.h"
#include "ow/store/sync_queue.h"
#include "ow/workflow/demo.h"

#include <set>

using namespace ow;
using namespace ow::test;
using core::CaseAction;
using nlohmann::json;

namespace {

std::int64_t count(store::Db& db, const std::string& table) { return db.query_int("SELECT count(*) FROM " + table); }

const forms::FormCatalogue& form_catalogue() {
    static forms::FormCatalogue f = forms::FormCatalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog");
    return f;
}

core::Instant at(int minute) {
    return core::Instant{core::Date{std::chrono::year{2025} / std::chrono::October / 9}} + std::chrono::hours{1} +
           std::chrono::minutes{minute};
}

std::int64_t outbox_rows(store::Db& db, const std::string& case_id) {
    store::Stmt q(db, "SELECT count(*) FROM outbox WHERE case_id = ?");
    q.bind(1, case_id);
    q.step();
    return q.int64(0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(at_rest)

BOOST_FIXTURE_TEST_CASE(no_plaintext_in_any_file_after_seeding, StoreFixture) {
    workflow::SeedOptions o;
    o.cases = 60;
    o.scans = 5;
    o.seed = 3;
    auto r = workflow::seed_demo(*s, catalogue(), form_catalogue(), calendar(), o);
    BOOST_CHECK_EQUAL(r.cases, 60);
    BOOST_CHECK_EQUAL(r.scans, 5);
    BOOST_CHECK_EQUAL(count(s->db(), "blobs"), 5);
    std::vector<std::string> needles;
    {
        store::Stmt q(s->db(), "SELECT name, doc_number, phone FROM applicants");
        while (q.step()) {
            needles.push_back(q.text(0));
            needles.push_back(q.text(1));
            needles.push_back(q.text(2));
        }
    }
    BOOST_REQUIRE_GT(needles.size(), 30u);
    auto utf16 = [](const std::string& text) {
        std::string out;
        for (unsigned char ch : text) {  // ASCII digits / X: UTF-16LE is byte + NUL
            if (ch >= 0x80) return std::string();
            out.push_back(char(ch));
            out.push_back('\0');
        }
        return out;
    };
    std::size_t scanned = 0;
    for (auto& e : std::filesystem::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        std::string raw = read_file(e.path());
        scanned += raw.size();
        for (const auto& n : needles) {
            BOOST_CHECK_MESSAGE(raw.find(n) == std::string::npos, "plaintext '" << n << "' in " << e.path());
            std::string w = utf16(n);
            if (!w.empty()) BOOST_CHECK_MESSAGE(raw.find(w) == std::string::npos, "UTF-16 plaintext in " << e.path());
        }
    }
    BOOST_TEST_MESSAGE("scanned " << scanned << " bytes of store files");
    BOOST_CHECK_GT(scanned, 100000u);
}

BOOST_FIXTURE_TEST_CASE(seeding_is_deterministic_and_uses_the_command_path, StoreFixture) {
    workflow::SeedOptions o;
    o.cases = 40;
    o.seed = 11;
    o.cases_per_commit = 7;  // five batches of seven and one of five
    workflow::seed_demo(*s, catalogue(), form_catalogue(), calendar(), o);
    StoreFixture other;
    o.cases_per_commit = 0;  // every act its own commit, as at the desk: the same store
    workflow::seed_demo(*other.s, catalogue(), form_catalogue(), calendar(), o);
    auto dump = [](store::Db& db) {
        std::string all;
        store::Stmt q(db, "SELECT id, receipt_no, applicant_name, applicant_doc, state, version FROM cases ORDER BY id");
        while (q.step()) all += q.text(0) + q.text(1) + q.text(2) + q.text(3) + q.text(4) + q.text(5) + "\n";
        store::Stmt h(db, "SELECT case_id, seq, action, at FROM case_history ORDER BY case_id, seq");
        while (h.step()) all += h.text(0) + h.text(1) + h.text(2) + h.text(3) + "\n";
        store::Stmt a(db, "SELECT action, case_id FROM audit ORDER BY seq");
        while (a.step()) all += a.text(0) + a.text(1) + "\n";
        return all;
    };
    BOOST_CHECK_EQUAL(dump(s->db()), dump(other.s->db()));
    BOOST_CHECK_EQUAL(count(s->db(), "cases"), 40);
    o.cases_per_commit = -1;
    o.seed = 12;
    BOOST_CHECK_THROW(workflow::seed_demo(*s, catalogue(), form_catalogue(), calendar(), o), core::InvalidData);
    BOOST_CHECK_EQUAL(count(s->db(), "cases"), 40);
    // Every case and every event went through the outbox and the audit trail. A draft is held
    // until its applicant is known (case new, then case applicant): its creation is audited but
    // not queued; the applicant's commit queues the whole draft as one snapshot.
    BOOST_CHECK_EQUAL(count(s->db(), "outbox"), count(s->db(), "case_history") + count(s->db(), "case_blobs"));
    BOOST_CHECK_EQUAL(count(s->db(), "audit"), count(s->db(), "outbox") + count(s->db(), "cases"));
    BOOST_CHECK_EQUAL(s->db().query_int("SELECT count(*) FROM outbox WHERE kind = 'snapshot'"), count(s->db(), "cases"));
    BOOST_CHECK_EQUAL(count(s->db(), "held_cases"), 0);
    BOOST_CHECK(store::AuditLog(s->db()).verify().intact);
    // Several lifecycle states, and every seeded ID valid.
    BOOST_CHECK_GE(s->db().query_int("SELECT count(DISTINCT state) FROM cases"), 6);
    store::Stmt q(s->db(), "SELECT doc_number FROM applicants");
    while (q.step()) BOOST_CHECK(core::check_resident_id(q.text(0)).valid);
}

// With a `today`, the seed fills every work queue of that day — the desk's home screen shows
// realistic work in each — and stays deterministic; without one, nothing is refused and no case
// is dated after 2026-08 (the older seeds, which the contract checks rely on, are unchanged).
BOOST_FIXTURE_TEST_CASE(with_a_today_every_queue_has_cases, StoreFixture) {
    workflow::SeedOptions o;
    o.cases = 240;
    o.seed = 5;
    o.today = core::parse_date("2026-12-01");
    auto r = workflow::seed_demo(*s, catalogue(), form_catalogue(), calendar(), o);
    BOOST_CHECK_EQUAL(r.cases, 240);
    store::CaseQueues queues(s->db(), calendar());
    for (auto q : store::kAllQueues) BOOST_CHECK_MESSAGE(queues.count(q, *o.today) > 0, "queue " << store::to_code(q) << " is empty");
    // The refusal was recorded as sync records one: a quarantined mutation and its open issue.
    BOOST_CHECK_EQUAL(s->db().query_int("SELECT count(*) FROM outbox WHERE state = 'quarantined'"), 1);
    BOOST_CHECK_EQUAL(store::SyncIssues(s->db()).open_count("quarantine"), 1);
    BOOST_CHECK(store::AuditLog(s->db()).verify().intact);

    StoreFixture other;
    workflow::seed_demo(*other.s, catalogue(), form_catalogue(), calendar(), o);
    auto dump = [](store::Db& db) {
        std::string all;
        store::Stmt q(db, "SELECT id, receipt_no, state, COALESCE(due_date, ''), updated_at FROM cases ORDER BY id");
        while (q.step()) all += q.text(0) + q.text(1) + q.text(2) + q.text(3) + q.text(4) + "\n";
        return all;
    };
    BOOST_CHECK_EQUAL(dump(s->db()), dump(other.s->db()));
    // Without a today: no change after 2026-08 and nothing refused.
    StoreFixture plain;
    o.today.reset();
    o.cases = 60;
    workflow::seed_demo(*plain.s, catalogue(), form_catalogue(), calendar(), o);
    BOOST_CHECK_EQUAL(plain.s->db().query_int("SELECT count(*) FROM outbox WHERE state = 'quarantined'"), 0);
    BOOST_CHECK_EQUAL(plain.s->db().query_int("SELECT count(*) FROM cases WHERE updated_at >= '2026-09'"), 0);
    // A today before the seed's span is refused.
    o.today = core::parse_date("2024-12-31");
    BOOST_CHECK_THROW(workflow::seed_demo(*plain.s, catalogue(), form_catalogue(), calendar(), o), core::InvalidData);
}

BOOST_FIXTURE_TEST_CASE(every_item_is_seeded_through_its_form_and_scans_are_exact, StoreFixture) {
    // Enough cases (and a scan for each) that every item comes up, the one whose form needs a
    // photo too; every act succeeds, so each item's demo answers pass its form.
    workflow::SeedOptions o;
    o.cases = 150;
    o.scans = 150;
    o.seed = 21;
    auto r = workflow::seed_demo(*s, catalogue(), form_catalogue(), calendar(), o);
    BOOST_CHECK_EQUAL(r.cases, 150);
    BOOST_CHECK_EQUAL(r.scans, 150);
    BOOST_CHECK_EQUAL(count(s->db(), "blobs"), 150);
    BOOST_CHECK_EQUAL(s->db().query_int("SELECT count(DISTINCT item_code) FROM cases"), std::int64_t(catalogue().items().size()));
    BOOST_CHECK(r.notices.empty());
    BOOST_CHECK_EQUAL(count(s->db(), "case_documents"), 0);  // no notices unless asked for
    // Every case has its form answered and its applicant identified (a draft too).
    BOOST_CHECK_EQUAL(s->db().query_int("SELECT count(DISTINCT case_id) FROM case_history WHERE action = 'answer_form'"), 150);
    BOOST_CHECK_EQUAL(s->db().query_int("SELECT count(*) FROM cases WHERE applicant_doc IS NULL OR applicant_doc = ''"), 0);
    // The acts were done by the synthetic users, each in their role.
    BOOST_CHECK_EQUAL(s->db().query_int("SELECT count(*) FROM case_history WHERE action IN ('approve', 'deny') AND "
                                        "(role <> 'chief' OR post NOT IN ('A', 'B'))"), 0);
    BOOST_CHECK_EQUAL(s->db().query_int("SELECT count(*) FROM case_history WHERE action = 'accept' AND user_id <> 'clerk-demo'"), 0);
    // Exactly M scans: the same scan count with fewer cases than items needing one.
    StoreFixture other;
    o.cases = 40;
    o.scans = 0;
    auto r0 = workflow::seed_demo(*other.s, catalogue(), form_catalogue(), calendar(), o);
    BOOST_CHECK_EQUAL(r0.scans, 0);
    BOOST_CHECK_EQUAL(count(other.s->db(), "blobs"), 0);
}

BOOST_FIXTURE_TEST_CASE(seeding_a_seed_twice_is_refused_clearly, StoreFixture) {
    workflow::SeedOptions o;
    o.cases = 3;
    o.seed = 4;
    workflow::seed_demo(*s, catalogue(), form_catalogue(), calendar(), o);
    auto before = count(s->db(), "audit");
    try {
        workflow::seed_demo(*s, catalogue(), form_catalogue(), calendar(), o);
        BOOST_FAIL("seeding the same seed twice should be refused");
    } catch (const core::InvalidData& e) {
        BOOST_CHECK_NE(std::string(e.what()).find("use another --seed"), std::string::npos);
    }
    BOOST_CHECK_EQUAL(count(s->db(), "audit"), before);
    o.seed = 5;
    BOOST_CHECK_EQUAL(workflow::seed_demo(*s, catalogue(), form_catalogue(), calendar(), o).cases, 3);
}

BOOST_FIXTURE_TEST_CASE(notices_need_an_administrator, StoreFixture) {
    notices::NoticeRenderer renderer(notices::TemplateSet::load_directory(std::string(OW_SOURCE_DIR) + "/assets/notices"));
    workflow::SeedOptions o;
    o.cases = 2;
    o.renderer = &renderer;
    auto before = count(s->db(), "audit");
    BOOST_CHECK_THROW(workflow::seed_demo(*s, catalogue(), form_catalogue(), calendar(), o), store::NotAuthorised);
    BOOST_CHECK_EQUAL(count(s->db(), "audit"), before);
    BOOST_CHECK_EQUAL(count(s->db(), "cases"), 0);
    BOOST_CHECK(!s->user_info("chief-a"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(seed_and_the_store)

BOOST_FIXTURE_TEST_CASE(bad_ratings_open_a_follow_up, StoreFixture) {
    workflow::SeedOptions o;
    o.cases = 150;
    o.seed = 5;
    workflow::seed_demo(*s, catalogue(), form_catalogue(), calendar(), o);
    store::Ratings r(s->db());
    auto open = r.open_follow_ups();
    std::int64_t bad = s->db().query_int("SELECT count(*) FROM ratings WHERE level >= 4");
    BOOST_CHECK_EQUAL(std::int64_t(open.size()), bad);
    BOOST_REQUIRE(!open.empty());
    for (const auto& row : open) {
        BOOST_CHECK_GE(row.level, 4);
        BOOST_CHECK(!row.reason.empty());
    }
    r.close_follow_up(open.front().case_id);
    BOOST_CHECK_EQUAL(r.open_follow_ups().size(), open.size() - 1);
    BOOST_CHECK_THROW(r.close_follow_up(open.front().case_id), core::InvalidData);
}

BOOST_FIXTURE_TEST_CASE(remote_events_are_recorded_but_not_sent_back, StoreFixture) {
    workflow::SeedOptions o;
    o.cases = 60;
    o.seed = 3;
    workflow::seed_demo(*s, catalogue(), form_catalogue(), calendar(), o);
    auto id = core::Uuid::parse(*s->db().query_text("SELECT id FROM cases WHERE state = 'accepted' LIMIT 1"));
    BOOST_REQUIRE(id);
    auto cs = cases();
    auto c = cs.load(*id);
    auto rows = outbox_rows(s->db(), id->to_string());
    auto audits = s->db().query_int("SELECT count(*) FROM audit");
    core::Actor platform{"platform:bo-1", core::Role::platform, core::Post::none, ""};
    BOOST_CHECK_THROW(cs.apply_remote(*c, {CaseAction::start_review, clerk(), at(10), "", json::object()}), core::InvalidData);
    cs.apply_remote(*c, {CaseAction::start_review, platform, at(10), "", json::object()});
    cs.apply_remote(*c, {CaseAction::approve, platform, at(11), "材料齐全", {{"legal_basis", "第三十八条"}}});
    BOOST_CHECK(cs.load(*id)->state == core::CaseState::approved);
    BOOST_CHECK_EQUAL(outbox_rows(s->db(), id->to_string()), rows);
    BOOST_CHECK_EQUAL(s->db().query_int("SELECT count(*) FROM audit"), audits + 2);
    BOOST_CHECK(store::AuditLog(s->db()).verify().intact);
    // The clerk's next step is queued as usual.
    cs.commit(*c, {CaseAction::issue_result, clerk(), at(20), "", {{"mode", "pickup"}, {"recipient", "甲"}}});
    BOOST_CHECK_EQUAL(outbox_rows(s->db(), id->to_string()), rows + 1);
}

BOOST_AUTO_TEST_SUITE_END()
