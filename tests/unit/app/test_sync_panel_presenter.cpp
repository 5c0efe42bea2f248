// SyncPanelPresenter on a real encrypted store: the queues and the open records a clerk must
// see (with the case's receipt number), and the two actions — send again, mark dealt with.
#include <boost/test/unit_test.hpp>

#include "fixture.h"
#include "sync/sync_panel_presenter.h"

#include "ow/store/sync_queue.h"
#include "ow/workflow/demo.h"

using namespace ow;
using namespace ow::test;
using app::SyncIssueRow;

namespace {
const core::Instant kAt = core::parse_instant("2026-12-01T02:30:00Z");  // 12-01 10:30 in China
}

BOOST_AUTO_TEST_SUITE(sync_panel)

BOOST_FIXTURE_TEST_CASE(shows_queues_and_records_and_acts_on_them, StoreFixture) {
    workflow::SeedOptions o;
    o.cases = 3;
    o.seed = 7;
    workflow::seed_demo(*s, catalogue(), forms::FormCatalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog"), calendar(), o);
    store::Outbox ob(s->db());
    auto first = ob.next_batch(1, 1 << 20).at(0);
    ob.quarantine(first, "invalid.applicant.doc_type", "unknown document type code", "{}", kAt);
    store::SyncIssues(s->db()).add("problem", "", "", "blob.damaged", "blob ab… is damaged", R"({"sha256":"ab"})", kAt);

    auto p = app::load_sync_panel(s->db());
    BOOST_CHECK_EQUAL(p.status.quarantined, 1);
    BOOST_CHECK_GT(p.status.held_mutations, 0);  // the case's later changes wait behind the refused one
    BOOST_CHECK_EQUAL(p.status.queued_mutations + p.status.quarantined, s->db().query_int("SELECT count(*) FROM outbox"));
    BOOST_CHECK_EQUAL(p.last_success, "");
    BOOST_REQUIRE_EQUAL(p.issues.size(), 2u);
    const auto& q = p.issues[0];
    BOOST_CHECK(q.kind == SyncIssueRow::Kind::quarantine);
    BOOST_CHECK_EQUAL(q.code, "invalid.applicant.doc_type");
    BOOST_CHECK_EQUAL(q.at, "12-01 10:30");
    BOOST_CHECK(q.can_resend);
    BOOST_CHECK_EQUAL(q.receipt_no, *s->db().query_text("SELECT receipt_no FROM cases WHERE id = '" + first.case_id + "'"));
    BOOST_CHECK(!q.receipt_no.empty());
    const auto& b = p.issues[1];
    BOOST_CHECK(b.kind == SyncIssueRow::Kind::problem);
    BOOST_CHECK(!b.can_resend);
    BOOST_CHECK_EQUAL(b.receipt_no, "");

    // Send again: the mutation is pending once more, its record resolved, the batch keys change.
    BOOST_CHECK(app::resend_issue(s->db(), q, "clerk", kAt));
    BOOST_CHECK(!app::resend_issue(s->db(), q, "clerk", kAt));  // not quarantined any more
    BOOST_CHECK_EQUAL(ob.counts().quarantined, 0);
    BOOST_CHECK_EQUAL(ob.release_generation(), 1);
    auto after = app::load_sync_panel(s->db());
    BOOST_REQUIRE_EQUAL(after.issues.size(), 1u);
    BOOST_CHECK_EQUAL(after.issues[0].id, b.id);

    // Mark dealt with: a note is required and kept with who wrote it.
    BOOST_CHECK_THROW(app::resolve_issue(s->db(), b, "", "clerk", kAt), std::invalid_argument);
    BOOST_CHECK(app::resolve_issue(s->db(), b, "rescanned the page", "clerk", kAt));
    BOOST_CHECK(!app::resolve_issue(s->db(), b, "twice", "clerk", kAt));
    BOOST_CHECK(app::load_sync_panel(s->db()).issues.empty());
    BOOST_CHECK_EQUAL(*s->db().query_text("SELECT resolution FROM sync_issues WHERE id = " + std::to_string(b.id)),
                      "rescanned the page (clerk)");
    // Both acts of the panel are in the audit trail, by the clerk who did them.
    BOOST_CHECK_EQUAL(s->db().query_int("SELECT count(*) FROM audit WHERE action = 'sync.retry' AND user_id = 'clerk'"), 1);
    BOOST_CHECK_EQUAL(s->db().query_int("SELECT count(*) FROM audit WHERE action = 'sync.resolve' AND user_id = 'clerk'"), 1);
}

BOOST_AUTO_TEST_CASE(china_clock_formats_instants_in_china_time) {
    BOOST_CHECK_EQUAL(app::china_clock("2026-12-01T22:12:00Z"), "12-02 06:12");
    BOOST_CHECK_EQUAL(app::china_clock(""), "");
    BOOST_CHECK_EQUAL(app::china_clock("yesterday"), "");
}

BOOST_AUTO_TEST_SUITE_END()
