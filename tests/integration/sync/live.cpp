#include "live.h"

#include "ow/sync/signing.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ow::live {

TempDir::TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("ow-live-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
}

namespace {

std::vector<char*> c_args(const std::vector<std::string>& argv) {
    std::vector<char*> out;
    for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
    out.push_back(nullptr);
    return out;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

int status_code(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace

RunResult run(const std::vector<std::string>& argv, const std::string& stdin_text) {
    TempDir io;
    auto out = io.path / "out", err = io.path / "err", in = io.path / "in";
    std::ofstream(in, std::ios::binary) << stdin_text;
    pid_t pid = fork();
    if (pid == 0) {
        int fi = open(in.c_str(), O_RDONLY), fo = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600),
            fe = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fi, 0);
        dup2(fo, 1);
        dup2(fe, 2);
        auto args = c_args(argv);
        execv(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return {status_code(status), slurp(out), slurp(err)};
}

json run_json(const std::vector<std::string>& argv) {
    auto r = run(argv);
    BOOST_REQUIRE_MESSAGE(r.rc == 0, argv[0] << " " << (argv.size() > 1 ? argv[1] : "") << " failed (" << r.rc << "): " << r.err);
    return json::parse(r.out);
}

pid_t spawn(const std::vector<std::string>& argv, const fs::path& log_dir, const std::string& name) {
    pid_t pid = fork();
    if (pid == 0) {
        int fo = open((log_dir / (name + ".out")).c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        int fe = open((log_dir / (name + ".err")).c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        int fi = open("/dev/null", O_RDONLY);
        dup2(fi, 0);
        dup2(fo, 1);
        dup2(fe, 2);
        auto args = c_args(argv);
        execv(args[0], args.data());
        _exit(127);
    }
    return pid;
}

void stop(pid_t pid) {
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    for (int i = 0; i < 100; ++i) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
}

const std::string& sim_binary() {
    static std::string p = OW_PLATFORM_SIM;
    return p;
}

const std::string& cli_binary() {
    static std::string p = OW_CLI;
    return p;
}

Sim::Sim(fs::path db, std::vector<std::string> extra_args, std::string scheme)
    : db_(std::move(db)), logs_(db_.parent_path()), args_(std::move(extra_args)), scheme_(std::move(scheme)) {
    start();
}

Sim::~Sim() { stop(); }

void Sim::start() {
    auto port_file = logs_ / "sim.port";
    fs::remove(port_file);
    std::vector<std::string> argv = {sim_binary(), "serve", "--db", db_.string(), "--listen", port_ ? "127.0.0.1:" + std::to_string(port_) : "127.0.0.1:0",
                                     "--port-file", port_file.string(), "--quiet"};
    argv.insert(argv.end(), args_.begin(), args_.end());
    pid_ = spawn(argv, logs_, "sim");
    for (int i = 0; i < 200; ++i) {
        std::ifstream in(port_file);
        int port = 0;
        if (in >> port && port > 0) {
            port_ = port;
            return;
        }
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            BOOST_FAIL("the simulator exited at start: " + slurp(logs_ / "sim.err"));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    BOOST_FAIL("the simulator did not start listening within 5 s");
}

void Sim::restart(std::vector<std::string> extra_args) {
    stop();
    args_ = std::move(extra_args);
    start();
}

void Sim::stop() {
    live::stop(pid_);
    pid_ = -1;
}

json Sim::stats() const { return run_json({sim_binary(), "stats", "--db", db_.string()}); }

std::vector<json> Sim::blob_digests() const {
    auto r = run({sim_binary(), "blob-digests", "--db", db_.string()});
    BOOST_REQUIRE_MESSAGE(r.rc == 0, "blob-digests failed: " << r.err);
    std::vector<json> out;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(json::parse(line));
    return out;
}

json enrol(const fs::path& sim_db, const std::string& terminal, const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {sim_binary(), "enroll", "--db", sim_db.string(), "--terminal", terminal};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_json(argv);
}

const core::Catalogue& catalogue() {
    static core::Catalogue c = core::Catalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog");
    return c;
}

const core::WorkCalendar& calendar() {
    static core::WorkCalendar c = core::WorkCalendar::load_directory(std::string(OW_SOURCE_DIR) + "/assets/calendar");
    return c;
}

Terminal::Terminal() {
    std::ofstream(password_file) << "live test password";
    store::Store::init(dir, "clerk", core::Role::clerk, "live test password", store::KdfParams{1, std::size_t(8) << 20});
    store = store::Store::open(dir, "clerk", "live test password");
}

workflow::SeedReport Terminal::seed(int cases, int scans, std::uint64_t seed) {
    // Large seeds are made once per test run and copied (seeding commits every event on its own).
    static TempDir cache;
    fs::path tmpl = cache.path / (std::to_string(cases) + "-" + std::to_string(scans) + "-" + std::to_string(seed));
    workflow::SeedReport report;
    if (!fs::exists(tmpl)) {
        workflow::SeedOptions o;
        o.cases = cases;
        o.scans = scans;
        o.seed = seed;
        static const forms::FormCatalogue forms = forms::FormCatalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog");
        report = workflow::seed_demo(*store, catalogue(), forms, calendar(), o);
        if (cases < 500) return report;
        store.reset();
        fs::copy(dir, tmpl, fs::copy_options::recursive);
    } else {
        store.reset();
        fs::remove_all(dir);
        fs::copy(tmpl, dir, fs::copy_options::recursive);
        report.cases = cases;
        report.scans = scans;
    }
    store = store::Store::open(dir, "clerk", "live test password");
    return report;
}

void Terminal::connect(const std::string& url, const json& cred, const std::string& ca_pem, const std::string& pin) {
    store::PlatformConfig cfg;
    cfg.url = url;
    cfg.terminal_id = cred.at("terminal_id");
    cfg.secret = cred.at("secret");
    cfg.algorithm = cred.value("algorithm", "hmac-sha256");
    cfg.centre = cred.value("centre", "");
    cfg.terminal_code = cred.value("terminal_code", "");
    cfg.ca_pem = ca_pem;
    cfg.pin = pin;
    store::Settings(db()).set_platform(cfg);
}

std::string Terminal::case_data_digest() {
    std::string all;
    for (const char* sql : {"SELECT id || state || version || body FROM cases ORDER BY id",
                            "SELECT case_id || seq || action || data FROM case_history ORDER BY case_id, seq",
                            "SELECT case_id || material_code || status FROM checklist ORDER BY case_id, material_code"}) {
        store::Stmt q(db(), sql);
        while (q.step()) all += q.text(0) + "\n";
    }
    return sync::sha256_hex(all);
}

std::string why(const sync::SyncReport& r) {
    std::string s = r.error ? std::string(r.error->code()) + ": " + r.error->what() : std::string("no error");
    return s + " (remaining " + std::to_string(r.remaining_mutations) + " mutations, " + std::to_string(r.remaining_blobs) +
           " blobs, " + std::to_string(r.quarantined_total) + " quarantined)";
}

sync::SyncOptions test_options() {
    sync::SyncOptions o;
    o.backoff_base = std::chrono::milliseconds(20);
    o.backoff_cap = std::chrono::milliseconds(400);
    o.breaker_cool_down = std::chrono::milliseconds(300);
    o.max_consecutive_failures = 30;
    o.seed = 11;
    o.transport.connect_timeout = std::chrono::milliseconds(15000);  // TLS handshakes are slow under the sanitizers
    o.transport.total_timeout = std::chrono::seconds(60);
    o.transport.low_speed_time = std::chrono::seconds(10);
    return o;
}

sync::SyncReport sync_until_drained(Terminal& t, int max_passes, sync::SyncOptions opts) {
    sync::SyncEngine engine(*t.store, opts);
    sync::SyncReport total;
    for (int i = 0; i < max_passes; ++i) {
        auto r = engine.run_once();
        // Counts add up over the passes; what remains and the error are the last pass's.
        for (auto [sum, add] : {std::pair{&total.settled, r.settled}, {&total.duplicates, r.duplicates}, {&total.quarantined, r.quarantined},
                                {&total.conflicts, r.conflicts}, {&total.problems, r.problems}, {&total.blobs_uploaded, r.blobs_uploaded},
                                {&total.upload_bytes_sent, r.upload_bytes_sent}, {&total.changes_applied, r.changes_applied},
                                {&total.resyncs, r.resyncs}, {&total.retries, r.retries}})
            *sum += add;
        total.requests += r.requests;
        total.bytes_up += r.bytes_up;
        total.bytes_down += r.bytes_down;
        total.remaining_mutations = r.remaining_mutations;
        total.remaining_blobs = r.remaining_blobs;
        total.quarantined_total = r.quarantined_total;
        total.feed_complete = r.feed_complete;
        total.error = r.error;
        if (r.drained() && r.feed_complete) break;
    }
    return total;
}

}  // namespace ow::live
