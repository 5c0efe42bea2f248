// The trust chain with real processes on loopback and real TLS (docs/security-model.md, "Trust
// chain"): enrolment over https issues the terminal's client certificate for a key made on the
// terminal; a sync with it works; without it, or with it revoked, the platform refuses; renewal
// before expiry; the audit head anchored at the platform catches a rewritten local trail.
#include <boost/test/unit_test.hpp>

#include "live.h"

#include "ow/store/audit.h"
#include "ow/store/sync_queue.h"
#include "ow/sync/client_cert.h"

#include <fstream>
#include <sstream>

using namespace ow;
using namespace ow::live;

namespace {

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// The simulator over https with the test CA's server certificate, a terminal store and an
/// enrolment code; `enrol_cli()` enrols the store through `onewindow-cli platform enrol`.
struct HttpsPlatform {
    TempDir tmp;
    fs::path certs = tmp.path / "certs", db = tmp.path / "sim.db";
    std::string ca;
    std::unique_ptr<Sim> sim;
    Terminal t;

    explicit HttpsPlatform(std::vector<std::string> extra = {}) {
        auto mk = run({sim_binary(), "make-certs", "--dir", certs.string(), "--host", "127.0.0.1"});
        BOOST_REQUIRE_MESSAGE(mk.rc == 0, mk.err);
        ca = read_text(certs / "ca.pem");
        enrol(db, "seed");  // makes the database
        std::vector<std::string> args = {"--tls-cert", (certs / "server.pem").string(), "--tls-key", (certs / "server.key").string(),
                                         "--decide-after-s", "100000"};
        args.insert(args.end(), extra.begin(), extra.end());
        sim = std::make_unique<Sim>(db, args, "https");
    }

    /// `platform enrol` over https; returns the CLI's result. The store is closed meanwhile.
    RunResult enrol_cli(const std::vector<std::string>& extra = {}) {
        auto code = run({sim_binary(), "enrol-code", "--db", db.string()});
        BOOST_REQUIRE_EQUAL(code.rc, 0);
        std::ofstream(tmp.path / "code") << code.out;
        t.store.reset();
        std::vector<std::string> argv = {cli_binary(), "platform", "enrol", "--store", t.dir.string(), "--password-file",
                                         t.password_file.string(), "--url", sim->url(), "--code-file", (tmp.path / "code").string(),
                                         "--ca", (certs / "ca.pem").string(), "--name", "window 7"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        auto r = run(argv);
        t.store = store::Store::open(t.dir, "clerk", "live test password");
        return r;
    }

    store::PlatformConfig config() { return *store::Settings(t.db()).platform(); }
    sync::SyncReport sync_once() { return sync::SyncEngine(*t.store, test_options()).run_once(); }
    RunResult cli_sync() {
        t.store.reset();
        auto r = run({cli_binary(), "sync", "--store", t.dir.string(), "--password-file", t.password_file.string(), "--once", "--quiet"});
        t.store = store::Store::open(t.dir, "clerk", "live test password");
        return r;
    }
};

/// Rewrites the audit entry `seq` (its detail) and re-hashes the chain after it and the head in
/// meta, the way someone holding the store key would: `audit verify` then finds nothing wrong.
void rewrite_audit_entry(store::Db& db, std::int64_t seq, const std::string& detail) {
    db.exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");
    store::Transaction tx(db);
    std::string prev;
    {
        store::Stmt q(db, "SELECT hash FROM audit WHERE seq = " + std::to_string(seq - 1));
        BOOST_REQUIRE(q.step());
        prev = q.text(0);
    }
    std::vector<store::AuditEntry> entries;
    {
        store::Stmt q(db, "SELECT seq, at, user_id, post, acting_for, action, case_id, detail FROM audit WHERE seq >= " +
                              std::to_string(seq) + " ORDER BY seq");
        while (q.step()) {
            store::AuditEntry e;
            e.seq = q.int64(0);
            e.at = q.text(1);
            e.user_id = q.text(2);
            const std::string post = q.text(3);
            e.post = post == "A" ? core::Post::A : post == "B" ? core::Post::B : core::Post::none;
            e.acting_for = q.text(4);
            e.action = q.text(5);
            e.case_id = q.text(6);
            e.detail = e.seq == seq ? detail : q.text(7);
            entries.push_back(e);
        }
    }
    for (const auto& e : entries) {
        const std::string h = store::AuditLog::entry_hash(prev, e);
        store::Stmt u(db, "UPDATE audit SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?");
        u.bind(1, e.detail).bind(2, prev).bind(3, h).bind(4, e.seq).run();
        prev = h;
    }
    store::Stmt m(db, "UPDATE meta SET value = ? WHERE key = 'audit_head'");
    m.bind(1, std::to_string(entries.back().seq) + ":" + prev).run();
    tx.commit();
    db.exec("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
            "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;");
}

std::int64_t audit_entries(store::Db& db) { return db.query_int("SELECT count(*) FROM audit"); }

}  // namespace

BOOST_AUTO_TEST_SUITE(trust_chain)

BOOST_AUTO_TEST_CASE(enrolment_over_https_issues_a_client_certificate_and_a_sync_with_it_works) {
    HttpsPlatform p;
    p.t.seed(12, 1, 21);
    auto r = p.enrol_cli();
    BOOST_REQUIRE_MESSAGE(r.rc == 0, r.err);
    auto cfg = p.config();
    BOOST_REQUIRE(!cfg.client_cert_pem.empty());
    BOOST_REQUIRE(!cfg.client_key_pem.empty());
    // The certificate is the platform's, for this terminal, for the key made here.
    auto info = sync::read_client_cert(cfg.client_cert_pem, cfg.client_key_pem);
    BOOST_CHECK(info.subject.find("CN=" + cfg.terminal_id) != std::string::npos);
    BOOST_CHECK_LE(info.not_after_s - info.not_before_s, 31 * 86400);  // short-lived
    auto ca = run({sim_binary(), "terminal-ca", "--db", p.db.string()});
    BOOST_REQUIRE_EQUAL(ca.rc, 0);
    BOOST_CHECK(ca.out.find("BEGIN CERTIFICATE") != std::string::npos);
    // The private key is in no file of the store in the clear (it is inside the encrypted database).
    for (const auto& f : fs::recursive_directory_iterator(p.t.dir))
        if (f.is_regular_file()) BOOST_CHECK_MESSAGE(read_text(f.path()).find("PRIVATE KEY") == std::string::npos, f.path());
    auto show = run({cli_binary(), "platform", "show", "--store", p.t.dir.string(), "--password-file", p.t.password_file.string()});
    BOOST_CHECK(show.out.find("PRIVATE") == std::string::npos);
    BOOST_CHECK_EQUAL(json::parse(show.out)["client_certificate"]["serial"], info.serial);

    auto report = p.sync_once();
    BOOST_CHECK_MESSAGE(!report.error, why(report));
    BOOST_CHECK(report.drained());
    BOOST_CHECK_EQUAL(report.audit_anchor, "anchored");
    auto stats = p.sim->stats();
    BOOST_CHECK_EQUAL(stats["client_certs"], 1);
    BOOST_CHECK_GE(stats["distinct_cases"].get<int>(), 12);
    BOOST_CHECK(stats["refused"].empty());
}

BOOST_AUTO_TEST_CASE(a_terminal_without_its_certificate_is_refused) {
    HttpsPlatform p;
    auto r = p.enrol_cli();
    BOOST_REQUIRE_MESSAGE(r.rc == 0, r.err);
    p.t.seed(6, 0, 22);
    // The same terminal and secret (the HMAC signature is good), but no certificate.
    auto cfg = p.config();
    cfg.client_cert_pem.clear();
    cfg.client_key_pem.clear();
    store::Settings(p.t.db()).set_platform(cfg);
    auto before = p.sim->stats()["distinct_cases"].get<int>();
    auto report = p.sync_once();
    BOOST_REQUIRE(report.error);
    BOOST_CHECK(report.error->kind() == sync::ErrorKind::auth);
    BOOST_CHECK_EQUAL(report.error->code(), "auth.client_cert_required");
    BOOST_CHECK_EQUAL(report.error->http_status(), 401);
    BOOST_CHECK_EQUAL(p.sim->stats()["distinct_cases"].get<int>(), before);  // nothing was taken
    BOOST_CHECK_EQUAL(sync::read_status(p.t.db()).last_error_code, "auth.client_cert_required");
    // The CLI exits 2 and says why.
    auto cli = p.cli_sync();
    BOOST_CHECK_EQUAL(cli.rc, 2);
    BOOST_CHECK_MESSAGE(cli.err.find("auth.client_cert_required") != std::string::npos, cli.err);
    // A terminal enrolled without a certificate (the `enroll` command) is refused as well.
    auto bare = enrol(p.db, "window-bare");
    Terminal other;
    other.connect(p.sim->url(), bare, p.ca);
    auto r2 = sync::SyncEngine(*other.store, test_options()).run_once();
    BOOST_REQUIRE(r2.error);
    BOOST_CHECK_EQUAL(r2.error->code(), "auth.client_cert_required");
    // A certificate the platform did not issue (another CA's) fails at the TLS layer: the
    // platform closes the connection in the handshake, which the client cannot tell from a
    // broken link (a retryable net./tls. error; see docs/security-model.md).
    cfg = p.config();
    cfg.client_cert_pem = read_text(p.certs / "server.pem");
    cfg.client_key_pem = read_text(p.certs / "server.key");
    store::Settings(p.t.db()).set_platform(cfg);
    auto opts = test_options();
    opts.max_consecutive_failures = 1;
    auto r3 = sync::SyncEngine(*p.t.store, opts).run_once();
    BOOST_REQUIRE(r3.error);
    BOOST_CHECK_MESSAGE(r3.error->code().rfind("tls.", 0) == 0 || r3.error->code().rfind("net.", 0) == 0, why(r3));
    BOOST_CHECK_EQUAL(p.sim->stats()["distinct_cases"].get<int>(), before);
}

BOOST_AUTO_TEST_CASE(a_revoked_certificate_is_refused) {
    HttpsPlatform p;
    auto r = p.enrol_cli();
    BOOST_REQUIRE_MESSAGE(r.rc == 0, r.err);
    auto first = p.sync_once();
    BOOST_REQUIRE_MESSAGE(!first.error, why(first));
    const std::string id = p.config().terminal_id;
    auto rv = run({sim_binary(), "revoke-cert", "--db", p.db.string(), "--terminal", id});
    BOOST_REQUIRE_MESSAGE(rv.rc == 0, rv.err);
    BOOST_CHECK_EQUAL(json::parse(rv.out)["certificates_revoked"], 1);
    p.t.seed(4, 0, 23);
    auto report = p.sync_once();
    BOOST_REQUIRE(report.error);
    BOOST_CHECK(report.error->kind() == sync::ErrorKind::auth);
    BOOST_CHECK_EQUAL(report.error->code(), "auth.client_cert_revoked");
    BOOST_CHECK_EQUAL(report.error->http_status(), 403);
    BOOST_CHECK_GT(report.remaining_mutations, 0);  // nothing was taken
    auto cli = p.cli_sync();
    BOOST_CHECK_EQUAL(cli.rc, 2);
    BOOST_CHECK_MESSAGE(cli.err.find("revoked") != std::string::npos, cli.err);
    BOOST_CHECK_GE(p.sim->stats()["refused"].value("auth.client_cert_revoked", 0), 2);
    // Enrolling again gives a new certificate, and the terminal works again.
    auto again = p.enrol_cli();
    BOOST_REQUIRE_MESSAGE(again.rc == 0, again.err);
    auto after = p.sync_once();
    BOOST_CHECK_MESSAGE(!after.error, why(after));
    BOOST_CHECK(after.drained());
}

BOOST_AUTO_TEST_CASE(the_client_renews_its_certificate_before_it_expires) {
    // 60 s certificates (valid from 5 minutes back): a third of the lifetime is always left over.
    HttpsPlatform p({"--client-cert-valid-s", "60"});
    auto r = p.enrol_cli();
    BOOST_REQUIRE_MESSAGE(r.rc == 0, r.err);
    const auto old = sync::read_client_cert(p.config().client_cert_pem, p.config().client_key_pem);
    const std::string old_key = p.config().client_key_pem;
    auto report = p.sync_once();
    BOOST_REQUIRE_MESSAGE(!report.error, why(report));
    BOOST_CHECK(report.certificate_renewed);
    auto cfg = p.config();
    auto fresh = sync::read_client_cert(cfg.client_cert_pem, cfg.client_key_pem);
    BOOST_CHECK_NE(fresh.serial, old.serial);
    BOOST_CHECK(cfg.client_key_pem != old_key);  // a new key pair, made here
    BOOST_CHECK_EQUAL(p.t.db().query_int("SELECT count(*) FROM audit WHERE action = 'platform.cert_renewed'"), 1);
    BOOST_CHECK_EQUAL(p.sim->stats()["counters"].value("client_certs.renewed", 0), 1);
    // The next pass goes over the new certificate.
    auto next = p.sync_once();
    BOOST_CHECK_MESSAGE(!next.error, why(next));
}

BOOST_AUTO_TEST_CASE(a_rewritten_audit_trail_is_reported_by_the_platform) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-audit");
    Sim sim(db, {"--decide-after-s", "100000"});
    Terminal t;
    t.seed(8, 0, 24);
    t.connect(sim.url(), cred);
    auto first = sync::SyncEngine(*t.store, test_options()).run_once();
    BOOST_REQUIRE_MESSAGE(!first.error, why(first));
    BOOST_CHECK_EQUAL(first.audit_anchor, "anchored");
    const std::int64_t anchored = audit_entries(t.db());
    BOOST_CHECK_EQUAL(first.audit_anchored_seq, anchored);

    // An honest trail that grew extends the anchored head: accepted (the proof is the hash at the
    // anchored seq), also when the terminal forgot which seq was anchored (the platform asks).
    core::Actor actor{"clerk", core::Role::clerk, core::Post::none, ""};
    store::AuditLog(t.db()).append(actor, core::now(), "test.entry", "", "{}");
    t.db().exec("DELETE FROM meta WHERE key = 'sync.audit_anchored_seq'");
    auto second = sync::SyncEngine(*t.store, test_options()).run_once();
    BOOST_REQUIRE_MESSAGE(!second.error, why(second));
    BOOST_CHECK_EQUAL(second.audit_anchor, "anchored");
    BOOST_CHECK_EQUAL(second.audit_anchored_seq, anchored + 1);

    // Someone with the store key rewrites an early entry and re-hashes the chain: locally the
    // trail verifies.
    rewrite_audit_entry(t.db(), 3, R"({"rewritten":true})");
    store::AuditLog(t.db()).append(actor, core::now(), "test.entry", "", "{}");
    BOOST_REQUIRE(store::AuditLog(t.db()).verify().intact);
    auto third = sync::SyncEngine(*t.store, test_options()).run_once();
    BOOST_REQUIRE(third.error);
    BOOST_CHECK_EQUAL(third.error->code(), "audit.rewritten");
    BOOST_CHECK_EQUAL(third.audit_anchor, "rewritten");
    BOOST_CHECK_EQUAL(third.audit_anchored_seq, anchored + 1);  // the platform keeps what it anchored
    auto status = sync::read_status(t.db());
    BOOST_CHECK_EQUAL(status.audit_anchor, "rewritten");
    BOOST_CHECK_EQUAL(status.last_error_code, "audit.rewritten");
    auto problems = store::SyncIssues(t.db()).open("problem");
    BOOST_REQUIRE_EQUAL(problems.size(), 1u);
    BOOST_CHECK_EQUAL(problems[0].code, "audit.rewritten");
    // The CLI exits 2, says so, and its JSON report names it; a second pass adds no second problem.
    t.store.reset();
    auto cli = run({cli_binary(), "sync", "--store", t.dir.string(), "--password-file", t.password_file.string(), "--once", "--quiet"});
    BOOST_CHECK_EQUAL(cli.rc, 2);
    BOOST_CHECK_MESSAGE(cli.err.find("audit.rewritten") != std::string::npos, cli.err);
    auto cli_report = json::parse(cli.out);
    BOOST_CHECK_EQUAL(cli_report["audit_anchor"], "rewritten");
    BOOST_CHECK_EQUAL(cli_report["error"]["code"], "audit.rewritten");
    auto st = run_json({cli_binary(), "sync", "status", "--store", t.dir.string(), "--password-file", t.password_file.string()});
    BOOST_CHECK_EQUAL(st["audit_anchor"], "rewritten");
    BOOST_CHECK_EQUAL(st["problems_open"], 1);
    // The platform logged and exports it.
    auto alarms = run({sim_binary(), "audit-alarms", "--db", db.string()});
    BOOST_CHECK_EQUAL(alarms.rc, 0);
    auto alarm = json::parse(alarms.out.substr(0, alarms.out.find('\n')));
    BOOST_CHECK_EQUAL(alarm["terminal_id"], cred["terminal_id"]);
    BOOST_CHECK_EQUAL(alarm["anchored_seq"], anchored + 1);
    BOOST_CHECK_EQUAL(sim.stats()["counters"].value("audit.rewritten", 0), 2);
    sim.stop();
    BOOST_CHECK(read_text(tmp.path / "sim.err").find("AUDIT ALARM terminal " + cred["terminal_id"].get<std::string>()) != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
