// Command groups `platform` (connect this terminal to the provincial platform, enrol, look up
// e-licences) and `sync` (one pass, the background loop, status, and the records a clerk acts
// on). Exit codes of `sync --once` (a contract): 0 when the outbox and the blob queue are empty
// afterwards, 3 when work remains (offline, platform failing, quarantined records), 2 on an error
// that retrying will not fix (credentials, certificate, configuration), with the reason on stderr.
#include "cli.h"
#include "i18n.h"
#include "options.h"
#include "store_access.h"

#include "ow/core/date.h"
#include "ow/core/secure_file.h"
#include "ow/store/keys.h"
#include "ow/store/repositories.h"
#include "ow/store/settings_registry.h"
#include "ow/store/sync_queue.h"
#include "ow/seal/seal.h"
#include "ow/sync/client.h"
#include "ow/sync/client_cert.h"
#include "ow/sync/engine.h"
#include "ow/sync/enrolment.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace ow::cli {
namespace {

using nlohmann::json;

constexpr int kWorkRemains = 3;

std::string read_text_file(const std::string& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw core::InvalidData(std::string("cannot read the ") + what + " file " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    if (text.size() > (std::size_t(4) << 20)) throw core::InvalidData(std::string("the ") + what + " file is larger than 4 MiB");
    return text;
}

json error_json(const sync::SyncError& e) { return {{"kind", sync::to_code(e.kind())}, {"code", e.code()}, {"message", e.what()}}; }

/// The reason an error gives the user, on stderr.
void tell(const sync::SyncError& e) {
    std::cerr << "onewindow-cli: sync: " << sync::to_code(e.kind()) << ": " << coded_text(e) << "\n";
}

json report_json(const sync::SyncReport& r) {
    return {{"settled", r.settled},
            {"duplicates", r.duplicates},
            {"quarantined", r.quarantined},
            {"conflicts", r.conflicts},
            {"problems", r.problems},
            {"blobs_uploaded", r.blobs_uploaded},
            {"upload_bytes_sent", r.upload_bytes_sent},
            {"changes_applied", r.changes_applied},
            {"resyncs", r.resyncs},
            {"retries", r.retries},
            {"requests", r.requests},
            {"bytes_up", r.bytes_up},
            {"bytes_down", r.bytes_down},
            {"body_bytes_up", r.body_bytes_up},
            {"remaining_mutations", r.remaining_mutations},
            {"remaining_blobs", r.remaining_blobs},
            {"quarantined_total", r.quarantined_total},
            {"feed_complete", r.feed_complete},
            {"documents_timestamped", r.documents_timestamped},
            {"documents_awaiting_timestamp", r.documents_awaiting_timestamp},
            {"appointments_pulled", r.appointments_pulled},
            {"appointments_reported", r.appointments_reported},
            {"remote_documents", r.remote_documents},
            {"applications_pulled", r.applications_pulled},
            {"timestamp_error", r.timestamp_error.empty() ? json(nullptr) : json(r.timestamp_error)},
            {"audit_anchor", r.audit_anchor.empty() ? json(nullptr) : json(r.audit_anchor)},
            {"audit_anchored_seq", r.audit_anchored_seq},
            {"certificate_renewed", r.certificate_renewed},
            {"error", r.error ? error_json(*r.error) : json(nullptr)}};
}

/// Reads and checks a credentials file; the file's text (it holds the secret) is wiped.
sync::Credentials read_credentials(const std::string& path) {
    std::string text = read_text_file(path, "credentials");
    try {
        auto cred = sync::Credentials::parse(text, path);
        sync::wipe_secret(text);
        return cred;
    } catch (...) {
        sync::wipe_secret(text);
        throw;
    }
}

/// The platform configuration from the options and the credentials (whose secret moves into it).
store::PlatformConfig config_from(const Options& o, sync::Credentials& cred) {
    store::PlatformConfig cfg;
    cfg.url = o.require("--url");
    cfg.terminal_id = cred.terminal_id;
    cfg.secret = std::move(cred.secret);
    sync::wipe_secret(cred.secret);
    cfg.algorithm = cred.algorithm;
    cfg.centre = cred.centre;
    cfg.terminal_code = cred.terminal_code;
    cfg.platform_name = cred.platform;
    if (auto ca = o.get("--ca")) {
        cfg.ca_pem = read_text_file(*ca, "CA");
        sync::check_ca_bundle(cfg.ca_pem);
    }
    if (auto pin = o.get("--pin")) cfg.pin = sync::normalise_pin(*pin);
    cfg.proxy = o.get("--proxy").value_or("");
    return cfg;
}

/// Only an administrator changes the platform settings (URL, credentials, CA, pin, proxy). A
/// store that has no administrator at all (one clerk's laptop, set up by that clerk, who holds
/// its recovery key) leaves them to its users: there is nobody above them to ask.
bool may_change_platform(const store::Store& s) { return store::may_administer(s); }

int refuse_platform_change(const store::Store& s) {
    std::cerr << "onewindow-cli: "
              << subst(tr("only an administrator may change the platform settings; %1 is a %2 (nothing was changed)"), s.user().name,
                       core::to_code(s.user().role))
              << "\n";
    return kNo;
}

/// Verifies the configuration against the platform and saves it with the terminal identity
/// (sync::save_connection). `action` names the audit entry ("platform.connect", "platform.enrol").
int save_connection(store::Store& s, store::PlatformConfig cfg, bool verify, const char* action) {
    sync::SavedConnection saved;
    try {
        saved = sync::save_connection(s, std::move(cfg), verify, action);
    } catch (const sync::SyncError& e) {
        if (e.code() == "auth.other_terminal") {
            std::cerr << "onewindow-cli: " << error_text(e) << "\n";
            return kNo;
        }
        tell(e);
        if (e.kind() == sync::ErrorKind::auth || e.kind() == sync::ErrorKind::tls) return kNo;
        std::cerr << "onewindow-cli: " << tr("nothing was saved (use --offline to save without checking)") << "\n";
        return kUsage;
    }
    for (const auto& w : saved.warnings) std::cerr << "onewindow-cli: " << subst(tr("warning: %1"), tr(w.message.c_str())) << "\n";
    json out = {{"connected", saved.connected}, {"platform_url", saved.platform_url}, {"terminal_id", saved.terminal_id},
                {"platform", saved.platform_name}, {"centre", saved.centre}, {"terminal_code", saved.terminal_code},
                {"saved", true}};
    std::cout << out.dump() << "\n";
    return kOk;
}

int platform_connect(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--url", "--credentials", "--ca", "--pin", "--proxy"}), {"--offline"});
    auto s = open_store(o);
    if (!may_change_platform(*s)) return refuse_platform_change(*s);
    auto cred = read_credentials(o.require("--credentials"));
    auto cfg = config_from(o, cred);
    return save_connection(*s, std::move(cfg), !o.has("--offline"), "platform.connect");
}

int platform_enrol(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--url", "--code", "--code-file", "--name", "--ca", "--pin", "--proxy", "--credentials-out"}),
                            {"--no-client-cert"});
    if (o.get("--code"))
        throw UsageError{tr("the enrolment code is not taken on the command line (it would stay in the shell history and "
                            "the process list): put it in a file and give --code-file FILE, or --code-file - to type it")};
    const std::string code_source = o.require("--code-file");
    sync::EnrolRequest req;
    req.url = o.require("--url");
    auto s = open_store(o);
    if (!may_change_platform(*s)) return refuse_platform_change(*s);
    if (auto ca = o.get("--ca")) {
        req.transport.ca_pem = read_text_file(*ca, "CA");
        sync::check_ca_bundle(req.transport.ca_pem);
    }
    if (auto pin = o.get("--pin")) req.transport.pin = sync::normalise_pin(*pin);
    req.transport.proxy = o.get("--proxy").value_or("");
    req.code = read_input_line(code_source, "enrolment code");
    req.name = o.get("--name").value_or("OneWindow terminal");
    req.client_cert = !o.has("--no-client-cert");
    sync::Enrolled enrolled;
    struct WipeEnrolled {
        sync::Enrolled& e;
        ~WipeEnrolled() {
            sync::wipe_secret(e.credentials.secret);
            sync::wipe_secret(e.client_key_pem);
        }
    } wipe_enrolled{enrolled};
    try {
        enrolled = sync::enrol_terminal(req);  // wipes the code
    } catch (const sync::SyncError& e) {
        tell(e);
        return e.kind() == sync::ErrorKind::rejected || e.kind() == sync::ErrorKind::auth ? kNo : kUsage;
    }
    const auto& cred = enrolled.credentials;
    if (auto out = o.get("--credentials-out")) {
        json j = {{"terminal_id", cred.terminal_id}, {"secret", cred.secret}, {"algorithm", cred.algorithm},
                  {"centre", cred.centre}, {"terminal_code", cred.terminal_code}, {"platform", cred.platform}};
        std::string text = j.dump(2) + "\n";
        sync::wipe_secret(j["secret"].get_ref<std::string&>());
        try {
            core::write_secret_file(*out, text);
        } catch (...) {
            sync::wipe_secret(text);
            throw;
        }
        sync::wipe_secret(text);
    }
    std::vector<sync::EnrolWarning> warnings;
    store::PlatformConfig cfg;
    try {
        cfg = sync::enrolled_config(enrolled, req.url, req.transport, warnings);
    } catch (const sync::SyncError& e) {
        tell(e);
        return kUsage;
    }
    for (const auto& w : warnings) std::cerr << "onewindow-cli: " << subst(tr("warning: %1"), tr(w.message.c_str())) << "\n";
    return save_connection(*s, std::move(cfg), true, "platform.enrol");
}

/// The client certificate as `platform show` tells it (never the key): null without one.
json client_cert_json(const store::PlatformConfig& c) {
    if (c.client_cert_pem.empty()) return nullptr;
    try {
        auto info = sync::read_client_cert(c.client_cert_pem, c.client_key_pem);
        return {{"serial", info.serial}, {"subject", info.subject},
                {"not_before", core::format_instant(core::Instant(std::chrono::seconds(info.not_before_s)))},
                {"not_after", core::format_instant(core::Instant(std::chrono::seconds(info.not_after_s)))}};
    } catch (const sync::SyncError& e) {
        return {{"error", e.what()}};
    }
}

int platform_show(const std::vector<std::string>& args) {
    auto o = Options::parse(args, kOpenOptions);
    auto s = open_store(o);
    auto cfg = store::Settings(s->db()).platform();
    if (!cfg) {
        std::cerr << "onewindow-cli: " << tr("no platform is connected") << "\n";
        return kNo;
    }
    std::cout << json{{"platform_url", cfg->url}, {"terminal_id", cfg->terminal_id}, {"algorithm", cfg->algorithm},
                      {"platform", cfg->platform_name}, {"centre", cfg->centre}, {"terminal_code", cfg->terminal_code},
                      {"ca_bundle", !cfg->ca_pem.empty()}, {"pin", cfg->pin}, {"proxy", sync::redact_url_password(cfg->proxy)},
                      {"profile", cfg->profile}, {"client_certificate", client_cert_json(*cfg)}}
                     .dump(2)
              << "\n";
    sync::wipe_secret(cfg->secret);
    sync::wipe_secret(cfg->client_key_pem);
    return kOk;
}

int platform_elicence(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--doc", "--doc-type"}));
    auto s = open_store(o);
    auto cfg = store::Settings(s->db()).platform();
    if (!cfg) throw UsageError{tr("no platform is connected (platform connect)")};
    try {
        sync::PlatformClient client(*cfg);
        auto list = client.elicences(int(o.number("--doc-type", 111, 1, 999)), o.require("--doc"));
        for (const auto& l : list)
            std::cout << json{{"type_code", l.type_code}, {"name", l.name}, {"number", l.number}, {"issuer", l.issuer},
                              {"holder_name", l.holder_name}, {"valid_from", l.valid_from}, {"valid_to", l.valid_to},
                              {"status", l.status}}
                             .dump()
                      << "\n";
        return list.empty() ? kNo : kOk;
    } catch (const sync::SyncError& e) {
        tell(e);
        return kUsage;
    }
}

json status_json(store::Db& db) {
    auto st = sync::read_status(db);
    return {{"configured", st.configured},
            {"platform_url", st.platform_url},
            {"terminal_id", st.terminal_id},
            {"queued_mutations", st.queued_mutations},
            {"queued_cases", st.queued_cases},
            {"held_mutations", st.held_mutations},
            {"quarantined", st.quarantined},
            {"settled_total", st.settled_total},
            {"blobs_pending", st.blobs_pending},
            {"blob_bytes_pending", st.blob_bytes_pending},
            {"conflicts_open", st.conflicts_open},
            {"problems_open", st.problems_open},
            {"last_success", st.last_success.empty() ? json(nullptr) : json(st.last_success)},
            {"last_attempt", st.last_attempt.empty() ? json(nullptr) : json(st.last_attempt)},
            {"last_error", st.last_error.empty() ? json(nullptr) : json{{"code", st.last_error_code}, {"message", st.last_error}}},
            {"connectivity", st.connectivity},
            {"clock_offset_s", st.clock_offset_s},
            {"changes_cursor", st.changes_cursor},
            {"audit_anchor", st.audit_anchor.empty() ? json(nullptr) : json(st.audit_anchor)},
            {"audit_anchored_seq", st.audit_anchored_seq},
            {"client_cert_not_after", st.client_cert_not_after.empty() ? json(nullptr) : json(st.client_cert_not_after)}};
}

int sync_status(const std::vector<std::string>& args) {
    auto o = Options::parse(args, kOpenOptions);
    auto s = open_store(o);
    std::cout << status_json(s->db()).dump(2) << "\n";
    return kOk;
}

int sync_issues(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--kind", "--limit"}));
    std::string kind = o.get("--kind").value_or("");
    if (!kind.empty() && kind != "conflict" && kind != "quarantine" && kind != "problem")
        throw UsageError{tr("--kind must be conflict, quarantine or problem")};
    auto s = open_store(o);
    auto list = store::SyncIssues(s->db()).open(kind, int(o.number("--limit", 200, 1, 100000)));
    for (const auto& i : list)
        std::cout << json{{"id", i.id}, {"kind", i.kind}, {"case_id", i.case_id}, {"mutation_id", i.mutation_id},
                          {"code", i.code}, {"message", i.message}, {"detail", json::parse(i.detail, nullptr, false)},
                          {"created_at", i.created_at}}
                         .dump()
                  << "\n";
    return list.empty() ? kNo : kOk;
}

int sync_retry(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--mutation"}));
    auto s = open_store(o);
    std::string id = o.require("--mutation");
    if (!store::Outbox(s->db()).resend(id, s->user().name, core::now())) {
        std::cerr << "onewindow-cli: " << subst(tr("mutation %1 is not quarantined"), id) << "\n";
        return kNo;
    }
    std::cout << "mutation " << id << " will be sent again\n";
    return kOk;
}

int sync_resolve(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--issue", "--note"}));
    auto s = open_store(o);
    auto id = o.number("--issue", 0, 1, std::numeric_limits<long>::max());
    if (!store::SyncIssues(s->db()).resolve(id, o.require("--note"), s->user().name, core::now())) {
        std::cerr << "onewindow-cli: " << subst(tr("issue %1 is not open"), std::to_string(id)) << "\n";
        return kNo;
    }
    std::cout << "issue " << id << " resolved\n";
    return kOk;
}

std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop = true; }

/// Progress lines on stderr, at most twice a second.
class ProgressPrinter final : public sync::SyncListener {
public:
    explicit ProgressPrinter(bool on) : on_(on) {}
    void on_progress(const sync::SyncProgress& p) override {
        if (!on_) return;
        auto now = std::chrono::steady_clock::now();
        if (now - last_ < std::chrono::milliseconds(500) && p.phase == phase_) return;
        last_ = now;
        phase_ = p.phase;
        std::cerr << "sync: " << sync::to_code(p.phase);
        if (p.items_total > 0) std::cerr << " " << p.items_done << "/" << p.items_total;
        if (p.bytes_total > 0) std::cerr << " · " << (p.bytes_done >> 10) << "/" << (p.bytes_total >> 10) << " KiB";
        std::cerr << " · " << subst(tr("up %1 KiB, down %2 KiB"), std::to_string(p.bytes_up >> 10), std::to_string(p.bytes_down >> 10)) << "\n";
    }
    void on_connectivity(sync::Connectivity c) override {
        if (on_) std::cerr << "sync: " << subst(tr("platform %1"), sync::to_code(c)) << "\n";
    }

private:
    bool on_;
    sync::Phase phase_ = sync::Phase::idle;
    std::chrono::steady_clock::time_point last_{};
};

int sync_run(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--max-failures", "--max-wait-s", "--interval-s", "--batch", "--batch-max", "--depth", "--only"}),
                            {"--once", "--watch", "--progress", "--quiet"});
    if (o.has("--once") == o.has("--watch")) throw UsageError{tr("give --once or --watch")};
    auto s = open_store(o);
    sync::SyncOptions opts;
    opts.max_consecutive_failures = int(o.number("--max-failures", opts.max_consecutive_failures, 0, 1000));
    opts.backoff_cap = std::chrono::seconds(o.number("--max-wait-s", 30, 1, 3600));
    opts.watch_interval = std::chrono::seconds(o.number("--interval-s", 30, 1, 86400));
    opts.batch_max = int(o.number("--batch-max", opts.batch_max, 1, opts.batch_max));
    opts.batch_start = int(o.number("--batch", std::min(opts.batch_start, opts.batch_max), 1, opts.batch_max));
    opts.pipeline_depth = int(o.number("--depth", opts.pipeline_depth, 1, 8));  // push batches in flight
    opts.put_depth = opts.pipeline_depth + 2;                                      // small blobs: two more (SyncOptions)
    if (auto only = o.get("--only")) {
        // e.g. --only push,upload (benchmarks): the other steps of a pass are skipped
        opts.push = only->find("push") != std::string::npos;
        opts.upload = only->find("upload") != std::string::npos;
        opts.pull = only->find("pull") != std::string::npos;
        opts.refresh = only->find("refresh") != std::string::npos;
        opts.anchor_audit = only->find("anchor") != std::string::npos;
    }
    // Documents sealed offline get their document timestamp from the platform's TSA.
    opts.timestamp_document = [](const auto& in, const auto& out, const auto& tsa) { seal::timestamp_document(in, out, tsa); };
    ProgressPrinter printer(o.has("--progress") || (!o.has("--quiet") && ::isatty(2)));
    sync::SyncEngine engine(*s, opts);
    engine.set_listener(&printer);
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    if (o.has("--once")) {
        std::thread watcher([&] {
            while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
            engine.cancel();
        });
        auto report = engine.run_once();
        g_stop = true;
        watcher.join();
        std::cout << report_json(report).dump() << "\n";
        if (report.error) {
            tell(*report.error);
            if (!report.error->retryable() && report.error->kind() != sync::ErrorKind::cancelled) return kUsage;
        }
        if (!report.drained()) {
            std::cerr << "onewindow-cli: sync: "
                      << subst(tr("work remains: %1 mutations (%2 quarantined), %3 blobs"), std::to_string(report.remaining_mutations),
                               std::to_string(report.quarantined_total), std::to_string(report.remaining_blobs))
                      << "\n";
            return kWorkRemains;
        }
        return kOk;
    }
    struct PassPrinter final : sync::SyncListener {
        ProgressPrinter& inner;
        explicit PassPrinter(ProgressPrinter& p) : inner(p) {}
        void on_progress(const sync::SyncProgress& p) override { inner.on_progress(p); }
        void on_connectivity(sync::Connectivity c) override { inner.on_connectivity(c); }
        void on_pass(const sync::SyncReport& r) override { std::cout << report_json(r).dump() << std::endl; }
    } passes(printer);
    engine.set_listener(&passes);
    engine.start();
    while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    engine.stop();
    return kOk;
}

}  // namespace

void register_sync_commands() {
    auto& c = commands();
    c.push_back({"platform", "connect",
                 "--store DIR --password-file F --url URL --credentials FILE [--ca PEM] [--pin SHA256] [--proxy URL] [--offline]",
                 TR_N_("connect this terminal to the platform (checks the credentials and the certificate, keeps them in the store; "
                 "administrators)"),
                 run_guarded<platform_connect>});
    c.push_back({"platform", "enrol",
                 "--store DIR --password-file F --url URL --code-file F|- [--name NAME] [--ca PEM] [--pin SHA256] [--proxy URL] "
                 "[--credentials-out F] [--no-client-cert]",
                 TR_N_("redeem a one-time enrolment code (read from a file or stdin, never argv) and connect (administrators); over "
                 "https the terminal's client certificate is issued for a key made here and kept in the store"),
                 run_guarded<platform_enrol>});
    c.push_back({"platform", "show", "--store DIR --password-file F", TR_N_("the platform this terminal is connected to (JSON, no secret)"),
                 run_guarded<platform_show>});
    c.push_back({"platform", "elicence", "--store DIR --password-file F --doc NUMBER [--doc-type 111]",
                 TR_N_("look up a holder's electronic licences (%1) at the platform (JSON lines; online only)"), run_guarded<platform_elicence>, {"电子证照"}});
    c.push_back({"sync", "status", "--store DIR --password-file F",
                 TR_N_("queued mutations, blobs pending, last success, quarantined, open conflicts (JSON)"), run_guarded<sync_status>});
    c.push_back({"sync", "issues", "--store DIR --password-file F [--kind conflict|quarantine|problem]",
                 TR_N_("records a clerk must see: quarantined mutations, conflicts, problems (JSON lines; exit 1 when none)"),
                 run_guarded<sync_issues>});
    c.push_back({"sync", "retry", "--store DIR --password-file F --mutation ID", TR_N_("send a quarantined mutation again"),
                 run_guarded<sync_retry>});
    c.push_back({"sync", "resolve", "--store DIR --password-file F --issue N --note TEXT", TR_N_("mark a conflict or problem as dealt with"),
                 run_guarded<sync_resolve>});
    c.push_back({"sync", "", "--store DIR --password-file F --once | --watch [--progress] [--max-failures N] [--max-wait-s S] "
                         "[--interval-s S] [--batch N] [--batch-max N] [--depth N] [--only push,upload,pull,refresh]",
                 TR_N_("sync with the platform: one pass (exit 0 drained, 3 work remains, 2 error) or in the background until stopped"),
                 run_guarded<sync_run>});
}

}  // namespace ow::cli
