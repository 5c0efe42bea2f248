// Pushing to the real simulator: exactly once under injected faults, poison records quarantined
// while the queue moves on, the platform's case numbers and the ledger checksum kept.
#include <boost/test/unit_test.hpp>

#include "live.h"

#include "ow/store/audit.h"
#include "ow/store/blobs.h"
#include "ow/store/sync_queue.h"

#include <map>
#include <set>

using namespace ow;
using namespace ow::live;

namespace {

/// The simulator holds each case and blob exactly once, every mutation applied once.
void check_exactly_once(Terminal& t, const Sim& sim, std::int64_t cases, std::int64_t blobs, std::int64_t mutations) {
    auto st = sim.stats();
    BOOST_TEST_MESSAGE("simulator: " << st.dump());
    BOOST_CHECK_EQUAL(st["cases"].get<std::int64_t>(), cases);
    BOOST_CHECK_EQUAL(st["distinct_cases"].get<std::int64_t>(), cases);
    BOOST_CHECK_EQUAL(st["mutations_applied"].get<std::int64_t>(), mutations);
    BOOST_CHECK_EQUAL(st["mutations_distinct"].get<std::int64_t>(), mutations);
    BOOST_CHECK_EQUAL(st["blobs"].get<std::int64_t>(), blobs);
    BOOST_CHECK(st["refused"].empty());
    // Every blob's content at the platform hashes to its digest, and is one the terminal holds.
    store::BlobStore local(t.db(), t.store->dir(), t.store->key());
    auto digests = sim.blob_digests();
    BOOST_CHECK_EQUAL(std::int64_t(digests.size()), blobs);
    for (const auto& d : digests) {
        std::string sha = d.at("sha256");
        BOOST_CHECK_MESSAGE(d.at("ok").get<bool>(), "blob " << sha << " is damaged at the platform");
        BOOST_REQUIRE(local.has(sha));
        BOOST_CHECK_EQUAL(d.at("size").get<std::int64_t>(), local.info(sha).size);
    }
    // Locally: nothing left, every case numbered by the platform, the checksum the platform's.
    BOOST_CHECK_EQUAL(t.outbox_size(), 0);
    BOOST_CHECK_EQUAL(t.db().query_int("SELECT count(*) FROM blobs WHERE uploaded = 0"), 0);
    BOOST_CHECK_EQUAL(t.db().query_int("SELECT count(*) FROM cases WHERE platform_case_no = ''"), 0);
    BOOST_CHECK_EQUAL(t.db().query_int("SELECT count(*) FROM sync_cases"), cases);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(push)

BOOST_AUTO_TEST_CASE(a_clean_link_delivers_everything_once) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-1");
    Sim sim(db, {"--decide-after-s", "100000"});
    Terminal t;
    t.seed(300, 30);
    auto mutations = t.outbox_size();
    t.connect(sim.url(), cred);
    auto r = sync_until_drained(t, 3);
    BOOST_REQUIRE_MESSAGE(!r.error, why(r));
    BOOST_CHECK(r.drained());
    BOOST_CHECK(r.feed_complete);
    BOOST_CHECK_EQUAL(r.duplicates, 0);
    BOOST_CHECK_EQUAL(r.settled, mutations);
    BOOST_CHECK_LT(double(r.requests) / 300.0, 0.5);  // batched: far fewer requests than cases
    check_exactly_once(t, sim, 300, 30, mutations);
    auto status = sync::read_status(t.db());
    BOOST_CHECK(!status.last_success.empty());
    BOOST_CHECK_EQUAL(status.queued_mutations, 0);
    // A second pass has nothing to send and changes nothing at the platform.
    auto again = sync_until_drained(t, 1);
    BOOST_CHECK(!again.error);
    BOOST_CHECK_EQUAL(again.settled, 0);
    BOOST_CHECK_EQUAL(sim.stats()["mutations_applied"].get<std::int64_t>(), mutations);
}

BOOST_AUTO_TEST_CASE(the_round_trip_is_remembered_so_the_next_pass_needs_no_ping) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-rt");
    Sim sim(db, {"--decide-after-s", "100000"});
    Terminal t;
    t.seed(30, 0);
    t.connect(sim.url(), cred);  // the settings only: nothing is known of the link yet
    auto pings = [&] { return sim.stats()["counters"].value("pings", std::int64_t(0)); };
    store::SyncLedger ledger(t.db());
    auto remembered = [&] {
        auto text = ledger.status(sync::kRoundTripStatus).value_or("");
        BOOST_TEST_MESSAGE("remembered round trip: '" << text << "'");
        return text.empty() ? -1.0 : std::stod(text);
    };
    BOOST_CHECK_LT(remembered(), 0);
    auto r = sync_until_drained(t, 1);
    BOOST_REQUIRE_MESSAGE(!r.error, why(r));
    BOOST_CHECK(r.drained());
    BOOST_CHECK_GE(pings(), 1);  // measured first
    const double first = remembered();
    BOOST_CHECK(first >= 0 && first < 100);  // loopback
    const auto pinged = pings();
    // The next pass sends at once (nothing to push: the pull is its first request).
    auto again = sync_until_drained(t, 1);
    BOOST_REQUIRE_MESSAGE(!again.error, why(again));
    BOOST_CHECK_EQUAL(pings(), pinged);
    // A remembered far link that is not the one now: the pass works, and remembers what it measured.
    ledger.set_status(sync::kRoundTripStatus, "350.000");
    t.seed(30, 0, 2);
    auto far = sync_until_drained(t, 1);
    BOOST_REQUIRE_MESSAGE(!far.error, why(far));
    BOOST_CHECK_EQUAL(pings(), pinged);
    BOOST_CHECK(remembered() >= 0 && remembered() < 100);
    // Garbage is not a round trip: the pass pings again.
    ledger.set_status(sync::kRoundTripStatus, "fast");
    auto garbage = sync_until_drained(t, 1);
    BOOST_REQUIRE_MESSAGE(!garbage.error, why(garbage));
    BOOST_CHECK_GT(pings(), pinged);
    BOOST_CHECK(remembered() >= 0 && remembered() < 100);
}

BOOST_AUTO_TEST_CASE(two_thousand_cases_through_errors_resets_and_truncations) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-2");
    Sim sim(db, {"--fail-rate", "0.2", "--reset-rate", "0.1", "--truncate-rate", "0.1", "--seed", "7", "--decide-after-s", "100000"});
    Terminal t;
    t.seed(2000, 200, 2);
    auto mutations = t.outbox_size();
    t.connect(sim.url(), cred);
    auto opts = test_options();
    opts.chunk_max = 64 << 10;  // many chunks, so uploads meet faults too
    auto r = sync_until_drained(t, 40, opts);
    BOOST_REQUIRE_MESSAGE(r.drained(), "not drained: " << (why(r)) << " remaining " << r.remaining_mutations);
    sim.stop();
    auto st = sim.stats();
    BOOST_CHECK_GT(st["duplicates_refused"].get<std::int64_t>(), 0);  // answers were lost and the batches re-sent
    check_exactly_once(t, sim, 2000, 200, mutations);
}

BOOST_AUTO_TEST_CASE(a_poison_record_is_quarantined_and_the_queue_moves_on) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-3");
    Sim sim(db, {"--decide-after-s", "100000"});
    Terminal t;
    t.seed(40, 0, 5);
    // One case's first mutation (its snapshot: a draft goes to the platform whole once its applicant
    // is known) claims an unknown document type (as a damaged or hand-edited record would).
    auto poison_case = *t.db().query_text("SELECT case_id FROM outbox WHERE kind = 'snapshot' ORDER BY seq LIMIT 1 OFFSET 10");
    t.db().exec("UPDATE outbox SET payload = json_set(payload, '$.case.applicant.doc_number', '12345') "
                "WHERE kind = 'snapshot' AND case_id = '" + poison_case + "'");
    auto poison_rows = t.db().query_int("SELECT count(*) FROM outbox WHERE case_id = '" + poison_case + "'");
    t.connect(sim.url(), cred);
    sync::SyncEngine engine(*t.store, test_options());
    auto r = engine.run_once();
    BOOST_CHECK(!r.error);
    BOOST_CHECK_EQUAL(r.quarantined, 1);  // only the create: its case's later mutations are held, not refused
    BOOST_CHECK_EQUAL(r.quarantined_total, 1);
    BOOST_CHECK_EQUAL(r.remaining_mutations, poison_rows - 1);  // held behind the poison record
    BOOST_CHECK(!r.drained());
    auto issues = store::SyncIssues(t.db()).open("quarantine");
    BOOST_REQUIRE_EQUAL(issues.size(), 1u);
    BOOST_CHECK_EQUAL(issues[0].case_id, poison_case);
    BOOST_CHECK_EQUAL(issues[0].code.rfind("invalid.", 0), 0u);
    BOOST_CHECK_EQUAL(sim.stats()["distinct_cases"].get<std::int64_t>(), 39);
    // The clerk fixes the record and sends it again: everything arrives.
    t.db().exec("UPDATE outbox SET payload = json_set(payload, '$.case.applicant.doc_number', "
                "json_extract((SELECT body FROM cases WHERE id = '" + poison_case + "'), '$.applicant.doc_number')) "
                "WHERE kind = 'snapshot' AND case_id = '" + poison_case + "'");
    BOOST_REQUIRE(store::Outbox(t.db()).release(issues[0].mutation_id));
    auto r2 = engine.run_once();
    BOOST_CHECK(r2.drained());
    BOOST_CHECK_EQUAL(sim.stats()["distinct_cases"].get<std::int64_t>(), 40);
}

BOOST_AUTO_TEST_CASE(interleaved_cases_keep_their_order_with_batches_in_flight) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-order");
    Sim sim(db, {"--decide-after-s", "100000"});
    Terminal t;
    t.seed(8, 0, 21);
    // Interleave the cases in the outbox two entries at a time (each case's own order kept):
    // X1 X2 Y1 Y2 Z1 Z2 … X3 X4 Y3 Y4 …, so a case's next entry comes up while its earlier one is
    // in flight, and the one after that once the earlier one has landed.
    t.db().exec("UPDATE outbox SET seq = seq + 1000000");
    t.db().exec("WITH r AS (SELECT seq, row_number() OVER (PARTITION BY case_id ORDER BY seq) - 1 AS k, "
                "dense_rank() OVER (ORDER BY case_id) AS c FROM outbox) "
                "UPDATE outbox SET seq = (r.k / 2) * 1000 + r.c * 2 + r.k % 2 FROM r WHERE r.seq = outbox.seq");
    auto mutations = t.outbox_size();
    BOOST_REQUIRE_GT(mutations, 24);
    t.connect(sim.url(), cred);
    auto opts = test_options();
    opts.batch_start = opts.batch_max = 1;  // one entry per request, three requests in flight
    opts.pipeline_depth = 3;
    opts.pull = false;
    auto r = sync_until_drained(t, 3, opts);
    BOOST_CHECK_MESSAGE(r.drained(), why(r));
    BOOST_CHECK_EQUAL(r.quarantined, 0);  // a case's later entry sent before an earlier one is refused
    BOOST_CHECK_EQUAL(store::SyncIssues(t.db()).open_count(), 0);
    check_exactly_once(t, sim, 8, 0, mutations);
}

BOOST_AUTO_TEST_CASE(a_refused_blob_is_a_problem_record_and_the_rest_goes_on) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-blob-refused");
    Sim sim(db, {"--decide-after-s", "100000"});
    Terminal t;
    t.seed(20, 6, 22);
    // One scan lost its media type (a damaged record): the platform refuses to open an upload for it.
    auto bad = *t.db().query_text("SELECT sha256 FROM blobs ORDER BY created_at, sha256 LIMIT 1");
    t.db().exec("UPDATE blobs SET media_type = '' WHERE sha256 = '" + bad + "'");
    t.connect(sim.url(), cred);
    // Chunks smaller than the scans: every scan takes the resumable path (open, append, finalize).
    auto opts = test_options();
    opts.chunk_start = opts.chunk_min = std::size_t(4) << 10;
    opts.chunk_max = std::size_t(8) << 10;
    BOOST_REQUIRE_GT(t.db().query_int("SELECT min(size) FROM blobs"), 8 << 10);
    sync::SyncEngine engine(*t.store, opts);
    auto r = engine.run_once();
    BOOST_CHECK_MESSAGE(!r.error, why(r));  // the pass goes on: the other scans and the pull
    BOOST_CHECK(r.feed_complete);
    BOOST_CHECK_EQUAL(r.blobs_uploaded, 5);
    BOOST_CHECK_EQUAL(r.remaining_blobs, 1);
    BOOST_CHECK_EQUAL(sim.stats()["blobs"].get<std::int64_t>(), 5);
    auto problems = store::SyncIssues(t.db()).open("problem");
    BOOST_REQUIRE_EQUAL(problems.size(), 1u);
    BOOST_CHECK_EQUAL(problems[0].code, "blob.refused");
    BOOST_CHECK_NE(problems[0].detail.find(bad), std::string::npos);
    // The next pass tries again and still records the problem once.
    auto r2 = engine.run_once();
    BOOST_CHECK(!r2.error);
    BOOST_CHECK_EQUAL(store::SyncIssues(t.db()).open_count("problem"), 1);
}

BOOST_AUTO_TEST_CASE(ratings_reach_the_rating_interface_in_its_own_codes) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-4");
    Sim sim(db, {"--decide-after-s", "100000"});
    Terminal t;
    t.seed(120, 0, 9);
    auto rated = t.db().query_int("SELECT count(*) FROM outbox WHERE kind = 'rate'");
    BOOST_REQUIRE_GT(rated, 5);
    t.connect(sim.url(), cred);
    auto r = sync_until_drained(t, 2);
    BOOST_CHECK(r.drained());
    auto st = sim.stats();
    BOOST_CHECK_EQUAL(st["ratings"].get<std::int64_t>(), rated);
    BOOST_CHECK(st["refused"].empty());
}

BOOST_AUTO_TEST_CASE(ratings_go_alongside_the_case_batches_and_never_before_their_cases) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-ratings-along");
    Sim sim(db, {"--decide-after-s", "100000"});
    Terminal t;
    t.seed(120, 0, 9);
    auto rated = t.db().query_int("SELECT count(*) FROM outbox WHERE kind = 'rate'");
    BOOST_REQUIRE_GT(rated, 10);
    auto mutations = t.outbox_size();
    t.connect(sim.url(), cred);
    // Small batches and a request of ratings every three: ratings are ready while case batches are
    // in flight, some of them for cases whose create or result is in one of those batches. A rating
    // sent before its case's earlier entries would be refused (unknown_case) or leave the case
    // unrated at the platform, and its archive event would then be a conflict.
    auto opts = test_options();
    opts.batch_start = opts.batch_max = 25;
    opts.pipeline_depth = 3;
    opts.ratings_per_request = 3;
    opts.pull = false;
    auto r = sync_until_drained(t, 3, opts);
    BOOST_CHECK_MESSAGE(r.drained(), why(r));
    BOOST_CHECK_EQUAL(r.quarantined, 0);
    BOOST_CHECK_EQUAL(r.conflicts, 0);
    BOOST_CHECK_EQUAL(sim.stats()["ratings"].get<std::int64_t>(), rated);
    check_exactly_once(t, sim, 120, 0, mutations);
}

BOOST_AUTO_TEST_SUITE_END()
