// Faults from the network and the platform, with real processes: a client killed -9 mid-sync,
// a large scan cut mid-upload, untrusted certificates, refused credentials, garbage from the
// platform, a platform that lost cases (full resync), the back office deciding, clock skew.
#include <boost/test/unit_test.hpp>

#include "live.h"

#include "ow/store/audit.h"
#include "ow/store/blobs.h"
#include "ow/store/cases.h"
#include "ow/store/sync_queue.h"

#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <csignal>
#include <sys/wait.h>

using namespace ow;
using namespace ow::live;
using namespace std::chrono_literals;

namespace {

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> cli_sync_args(Terminal& t, bool small_batches = false) {
    std::vector<std::string> a = {cli_binary(), "sync", "--store", t.dir.string(), "--password-file", t.password_file.string(), "--once",
                                  "--max-failures", "30", "--max-wait-s", "1", "--quiet"};
    if (small_batches) a.insert(a.end(), {"--batch-max", "40"});
    return a;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(faults)

BOOST_AUTO_TEST_CASE(killed_fifty_times_during_sync_then_restarted) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-kill");
    // Slow answers and small batches, so that each of the 50 runs is cut somewhere in the middle.
    Sim sim(db, {"--decide-after-s", "100000", "--latency-ms", "100"});
    Terminal t;
    t.seed(2000, 200, 2);
    auto mutations = t.outbox_size();
    t.connect(sim.url(), cred);
    t.store.reset();  // the CLI processes own the store from here
    std::mt19937 rng(2024);
    int killed = 0, finished_early = 0;
    for (int round = 0; round < 50; ++round) {
        pid_t pid = spawn(cli_sync_args(t, true), tmp.path, "cli");
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(50, 800)(rng)));
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            ++finished_early;
            continue;
        }
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        ++killed;
    }
    BOOST_TEST_MESSAGE("killed " << killed << " times, " << finished_early << " runs ended on their own");
    BOOST_CHECK_GE(killed, 45);  // (a run that ended on its own before its kill does not count)
    auto last = run(cli_sync_args(t));
    BOOST_CHECK_MESSAGE(last.rc == 0, "final sync exit " << last.rc << ": " << last.err);
    t.store = store::Store::open(t.dir, "clerk", "live test password");
    auto st = sim.stats();
    BOOST_CHECK_EQUAL(st["cases"].get<std::int64_t>(), 2000);
    BOOST_CHECK_EQUAL(st["distinct_cases"].get<std::int64_t>(), 2000);
    BOOST_CHECK_EQUAL(st["mutations_applied"].get<std::int64_t>(), mutations);
    BOOST_CHECK_EQUAL(st["mutations_distinct"].get<std::int64_t>(), mutations);
    BOOST_CHECK_EQUAL(st["blobs"].get<std::int64_t>(), 200);
    BOOST_CHECK(st["refused"].empty());
    BOOST_CHECK_EQUAL(t.outbox_size(), 0);
    BOOST_CHECK_EQUAL(store::SyncLedger(t.db()).state(), store::SyncLedger::state_of(store::SyncLedger(t.db()).held_cases()));
    BOOST_CHECK_EQUAL(t.db().query_int("SELECT count(*) FROM sync_cases"), 2000);
    for (const auto& d : sim.blob_digests()) BOOST_CHECK(d.at("ok").get<bool>());
}

BOOST_AUTO_TEST_CASE(a_30_mb_scan_cut_at_70_percent_resumes_from_the_acknowledged_offset) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-upload");
    Sim sim(db, {"--cut-uploads-at", "0.7", "--decide-after-s", "100000"});
    Terminal t;
    t.seed(1, 0, 4);
    std::string scan(30u << 20, '\0');
    std::mt19937_64 rng(99);
    for (std::size_t i = 0; i + 8 <= scan.size(); i += 8) {
        auto v = rng();
        std::memcpy(scan.data() + i, &v, 8);
    }
    store::BlobStore blobs(t.db(), t.store->dir(), t.store->key());
    std::istringstream in(scan);
    auto sha = blobs.put(in, "application/pdf");
    auto id = *core::Uuid::parse(*t.db().query_text("SELECT id FROM cases LIMIT 1"));
    store::CaseStore(t.db(), calendar()).attach_blob(id, sha, "scan", "M1", {"clerk", core::Role::clerk, core::Post::none, ""}, core::now());
    t.connect(sim.url(), cred);
    auto opts = test_options();
    opts.chunk_start = opts.chunk_max = 1 << 20;  // fixed 1 MiB chunks: the bound below is one of them
    opts.chunk_min = 1 << 20;
    auto r = sync_until_drained(t, 3, opts);
    BOOST_REQUIRE_MESSAGE(r.drained(), why(r));
    BOOST_CHECK_EQUAL(sim.stats()["faults"].value("cut_upload", 0), 1);  // the cut happened (libcurl may re-send the cut chunk itself)
    std::int64_t resent = r.upload_bytes_sent - std::int64_t(scan.size());
    BOOST_TEST_MESSAGE("upload bytes on the wire " << r.upload_bytes_sent << ", re-sent " << resent);
    BOOST_CHECK_GE(resent, 0);
    BOOST_CHECK_LE(resent, 1 << 20);
    auto digests = sim.blob_digests();
    BOOST_REQUIRE_EQUAL(digests.size(), 1u);
    BOOST_CHECK_EQUAL(digests[0]["sha256"], sha);
    BOOST_CHECK(digests[0].at("ok").get<bool>());
}

BOOST_AUTO_TEST_CASE(untrusted_certificates_are_refused_and_nothing_is_sent) {
    TempDir tmp;
    auto certs = tmp.path / "certs";
    auto mk = run({sim_binary(), "make-certs", "--dir", certs.string(), "--host", "127.0.0.1"});
    BOOST_REQUIRE_MESSAGE(mk.rc == 0, mk.err);
    std::string ca = read_text(certs / "ca.pem");
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-tls");
    Terminal t;
    t.seed(10, 1, 6);
    struct Case {
        const char* cert;
        const char* key;
        bool trust_ca;
        bool ok;
    };
    const Case cases[] = {{"server.pem", "server.key", true, true},  {"expired.pem", "expired.key", true, false},
                          {"wrong-host.pem", "wrong-host.key", true, false}, {"self-signed.pem", "self-signed.key", true, false},
                          {"server.pem", "server.key", false, false}};
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.cert << (c.trust_ca ? " with the test CA" : " with the system CAs only")) {
            BOOST_REQUIRE(fs::exists(certs / c.cert));
            auto before = fs::exists(db) ? run_json({sim_binary(), "stats", "--db", db.string()}) : json::object();
            // A terminal enrolled by the `enroll` command has no client certificate (test_trust.cpp covers mTLS).
            Sim sim(db, {"--tls-cert", (certs / c.cert).string(), "--tls-key", (certs / c.key).string(), "--decide-after-s", "100000",
                         "--client-certs", "optional"},
                    "https");
            t.connect(sim.url(), cred, c.trust_ca ? ca : std::string());
            auto opts = test_options();
            opts.max_consecutive_failures = 1;
            auto r = sync::SyncEngine(*t.store, opts).run_once();
            if (c.ok) {
                BOOST_CHECK(!r.error);
                BOOST_CHECK(r.drained());
            } else {
                BOOST_REQUIRE(r.error);
                BOOST_CHECK_MESSAGE(r.error->kind() == sync::ErrorKind::tls, why(r));
                BOOST_CHECK(std::string(r.error->what()).find("not trusted") != std::string::npos);
                auto after = sim.stats();
                // The simulator never saw a request: TLS stopped before any byte of HTTP.
                BOOST_CHECK_EQUAL(after["requests"].dump(), before.value("requests", json::object()).dump());
            }
        }
    }
    // A wrong pin is refused too, the right one accepted.
    Sim sim(db, {"--tls-cert", (certs / "server.pem").string(), "--tls-key", (certs / "server.key").string(), "--client-certs", "optional"},
            "https");
    t.connect(sim.url(), cred, ca, "sha256//" + std::string(43, 'A') + "=");
    auto r = sync::SyncEngine(*t.store, test_options()).run_once();
    BOOST_REQUIRE(r.error);
    BOOST_CHECK(r.error->kind() == sync::ErrorKind::tls);
}

BOOST_AUTO_TEST_CASE(refused_credentials_are_an_auth_error_that_stops_the_pass) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-auth");
    auto other = enrol(db, "window-other");
    Sim sim(db);
    Terminal t;
    t.seed(5, 0, 7);
    auto bad = cred;
    bad["secret"] = other["secret"];  // someone else's secret
    t.connect(sim.url(), bad);
    auto r = sync::SyncEngine(*t.store, test_options()).run_once();
    BOOST_REQUIRE(r.error);
    BOOST_CHECK(r.error->kind() == sync::ErrorKind::auth);
    BOOST_CHECK_EQUAL(r.error->code(), "auth.bad_signature");
    BOOST_CHECK_EQUAL(r.retries, 0);  // no hammering
    BOOST_CHECK_EQUAL(sync::read_status(t.db()).last_error_code, "auth.bad_signature");
    // The CLI says so and exits 2.
    t.store.reset();
    auto cli = run(cli_sync_args(t));
    BOOST_CHECK_EQUAL(cli.rc, 2);
    BOOST_CHECK(cli.err.find("auth") != std::string::npos);
    // A revoked terminal is refused as well.
    t.store = store::Store::open(t.dir, "clerk", "live test password");
    t.connect(sim.url(), cred);
    BOOST_REQUIRE_EQUAL(run({sim_binary(), "revoke", "--db", db.string(), "--terminal", cred["terminal_id"]}).rc, 0);
    auto r2 = sync::SyncEngine(*t.store, test_options()).run_once();
    BOOST_REQUIRE(r2.error);
    BOOST_CHECK(r2.error->kind() == sync::ErrorKind::auth);
}

BOOST_AUTO_TEST_CASE(a_skewed_platform_clock_is_corrected_for) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-skew");
    Sim sim(db, {"--clock-skew-s", "3600", "--decide-after-s", "100000"});
    Terminal t;
    t.seed(20, 0, 8);
    t.connect(sim.url(), cred);
    auto r = sync_until_drained(t, 2);
    BOOST_CHECK_MESSAGE(!r.error, why(r));
    BOOST_CHECK(r.drained());
    auto off = sync::read_status(t.db()).clock_offset_s;
    BOOST_CHECK_GE(off, 3590);
    BOOST_CHECK_LE(off, 3610);
}

BOOST_AUTO_TEST_CASE(garbage_from_the_platform_changes_nothing) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-garbage");
    Terminal t;
    t.seed(30, 0, 10);
    {
        // Get everything up first, with the back office deciding at once, so the feed has changes.
        Sim sim(db, {"--decide-after-s", "0"});
        t.connect(sim.url(), cred);
        auto opts = test_options();
        opts.pull = false;
        BOOST_REQUIRE(sync_until_drained(t, 2, opts).drained());
        std::this_thread::sleep_for(2500ms);  // the back office's thread runs about once a second
    }
    auto before = t.case_data_digest();
    for (const char* kind : {"json", "types", "huge"}) {
        BOOST_TEST_CONTEXT("malformed " << kind) {
            Sim sim(db, {"--malformed-rate", "1", "--malformed-kinds", kind, "--decide-after-s", "100000"});
            t.connect(sim.url(), cred);
            auto opts = test_options();
            opts.max_consecutive_failures = 3;
            store::SyncLedger(t.db()).set_status("feed_fail_count", "0");  // each kind starts strict
            auto r = sync::SyncEngine(*t.store, opts).run_once();
            BOOST_CHECK_EQUAL(r.changes_applied, 0);
            BOOST_CHECK_EQUAL(t.case_data_digest(), before);
            BOOST_REQUIRE(r.error);
            BOOST_CHECK(r.error->retryable());  // it backs off and tries later
            BOOST_CHECK(r.error->code() == "platform.malformed" || r.error->code() == "platform.response_too_large");
        }
    }
    // The same page keeps failing: after five failures its bad change becomes a problem record and
    // the feed moves on (the good changes of the page are applied, the bad one never).
    {
        Sim sim(db, {"--malformed-rate", "1", "--malformed-kinds", "types", "--decide-after-s", "100000"});
        t.connect(sim.url(), cred);
        auto opts = test_options();
        opts.max_consecutive_failures = 2;
        sync::SyncReport r;
        for (int pass = 0; pass < 4 && (pass == 0 || r.error); ++pass) r = sync::SyncEngine(*t.store, opts).run_once();
        BOOST_CHECK_MESSAGE(!r.error || r.error->code() != "platform.malformed", why(r));
        BOOST_CHECK_GT(store::SyncIssues(t.db()).open_count("problem"), 0);
    }
    before = t.case_data_digest();
    // Unknown codes: the change is recorded as a problem and skipped; the cases are untouched.
    {
        Sim sim(db, {"--malformed-rate", "1", "--malformed-kinds", "enum", "--decide-after-s", "100000"});
        t.connect(sim.url(), cred);
        auto r = sync::SyncEngine(*t.store, test_options()).run_once();
        BOOST_CHECK_GT(r.problems, 0);
        BOOST_CHECK_EQUAL(r.changes_applied, 0);
        BOOST_CHECK_EQUAL(t.case_data_digest(), before);
        BOOST_CHECK_GT(store::SyncIssues(t.db()).open_count("problem"), 0);
    }
}

BOOST_AUTO_TEST_CASE(back_office_decisions_arrive_and_conflicts_are_kept_for_the_clerk) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-bo");
    Terminal t;
    t.seed(80, 0, 12);
    Sim sim(db, {"--decide-after-s", "0"});
    t.connect(sim.url(), cred);
    auto opts = test_options();
    opts.pull = false;
    auto pushed = sync_until_drained(t, 2, opts);
    BOOST_REQUIRE_MESSAGE(pushed.drained(), why(pushed) << "; quarantined: "
                                                        << t.db().query_text("SELECT group_concat(kind || ' ' || coalesce(last_error, '') || ' ' || "
                                                                             "case_id, ' | ') FROM outbox WHERE state = 'quarantined'").value_or(""));
    auto waiting = t.db().query_int("SELECT count(*) FROM cases WHERE state = 'accepted'");
    BOOST_REQUIRE_GT(waiting, 3);
    // One accepted case is escalated at the window while the back office takes it up.
    // (a promised item: immediate ones are decided at the window, never by the back office)
    auto id = *core::Uuid::parse(*t.db().query_text(
        "SELECT id FROM cases WHERE state = 'accepted' AND json_extract(body, '$.kind') = 'promised' ORDER BY id LIMIT 1"));
    std::this_thread::sleep_for(3s);
    store::CaseStore cs(t.db(), calendar());
    cs.commit(id, {core::CaseAction::escalate, {"chief-a", core::Role::chief, core::Post::A, ""}, core::now(), "需上级审批", {{"to", "市级"}}});
    auto r = sync_until_drained(t, 3);
    BOOST_CHECK(r.feed_complete);
    BOOST_CHECK_GT(r.changes_applied, 0);
    // Decided by the platform, with the platform as actor in the history.
    BOOST_CHECK_GT(t.db().query_int("SELECT count(*) FROM case_history WHERE role = 'platform'"), 0);
    BOOST_CHECK_LT(t.db().query_int("SELECT count(*) FROM cases WHERE state = 'accepted'"), waiting);
    // The escalation met a case the back office had already taken: a conflict the clerk sees.
    BOOST_CHECK_GE(store::SyncIssues(t.db()).open_count("conflict"), 1);
    bool found = false;
    for (const auto& i : store::SyncIssues(t.db()).open("conflict")) found = found || i.case_id == id.to_string();
    BOOST_CHECK(found);
    BOOST_CHECK(store::AuditLog(t.db()).verify().intact);
}

BOOST_AUTO_TEST_CASE(a_platform_that_lost_cases_gets_them_again_by_full_resync) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-resync");
    Terminal t;
    t.seed(50, 5, 13);
    Sim sim(db, {"--decide-after-s", "100000"});
    t.connect(sim.url(), cred);
    BOOST_REQUIRE(sync_until_drained(t, 2).drained());
    auto lost = t.db().query_text("SELECT id FROM cases ORDER BY id LIMIT 1 OFFSET 7");
    auto lost2 = t.db().query_text("SELECT id FROM cases ORDER BY id LIMIT 1 OFFSET 31");
    BOOST_REQUIRE_EQUAL(run({sim_binary(), "forget", "--db", db.string(), "--case", *lost}).rc, 0);
    BOOST_REQUIRE_EQUAL(run({sim_binary(), "forget", "--db", db.string(), "--case", *lost2}).rc, 0);
    BOOST_CHECK_EQUAL(sim.stats()["distinct_cases"].get<std::int64_t>(), 48);
    sync::SyncEngine engine(*t.store, test_options());
    auto r = engine.run_once();  // the pull gets 412, resyncs, and sends snapshots of the lost cases
    BOOST_CHECK_EQUAL(r.resyncs, 1);
    BOOST_CHECK(!r.error);
    BOOST_CHECK(r.drained());
    auto st = sim.stats();
    BOOST_CHECK_EQUAL(st["distinct_cases"].get<std::int64_t>(), 50);
    BOOST_CHECK_EQUAL(st["cases"].get<std::int64_t>(), 50);
    BOOST_CHECK_EQUAL(t.db().query_int("SELECT count(*) FROM sync_cases"), 50);
    // The next pull passes the checksum without another resync.
    auto again = sync_until_drained(t, 1);
    BOOST_CHECK_EQUAL(again.resyncs, 0);
    BOOST_CHECK(!again.error);
}

BOOST_AUTO_TEST_CASE(a_full_resync_first_applies_the_changes_not_yet_pulled) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-resync-feed");
    Terminal t;
    t.seed(60, 0, 14);
    Sim sim(db, {"--decide-after-s", "0"});
    t.connect(sim.url(), cred);
    auto push_only = test_options();
    push_only.pull = false;
    BOOST_REQUIRE(sync_until_drained(t, 2, push_only).drained());
    std::this_thread::sleep_for(3s);  // the back office decides; this terminal has not pulled
    auto lost = t.db().query_text("SELECT id FROM cases ORDER BY id LIMIT 1 OFFSET 3");
    BOOST_REQUIRE_EQUAL(run({sim_binary(), "forget", "--db", db.string(), "--case", *lost}).rc, 0);
    BOOST_REQUIRE_EQUAL(t.db().query_int("SELECT count(*) FROM case_history WHERE role = 'platform'"), 0);
    sync::SyncEngine engine(*t.store, test_options());
    auto r = engine.run_once();
    BOOST_CHECK_MESSAGE(!r.error, why(r));
    BOOST_CHECK_EQUAL(r.resyncs, 1);
    // The decisions made before the resync reached the store (not skipped by jumping to the
    // index's feed position).
    BOOST_CHECK_GT(r.changes_applied, 0);
    BOOST_CHECK_GT(t.db().query_int("SELECT count(*) FROM case_history WHERE role = 'platform'"), 0);
    BOOST_CHECK(r.feed_complete);
    BOOST_CHECK_EQUAL(sim.stats()["distinct_cases"].get<std::int64_t>(), 60);
}

BOOST_AUTO_TEST_SUITE_END()
