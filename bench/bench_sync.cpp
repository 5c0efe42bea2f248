// bench_sync: pushing queued cases to the platform simulator on loopback.
//   bench_sync [--cases 10000] [--runs 3] [--depth N] [--lost N] [--work DIR] [--sim PATH] [--json]
// Seeds a store once (demo cases through the normal commit path; not timed), then for each run
// copies it, enrols a fresh simulator database, starts `onewindow-platform-sim serve` and times
// one push pass of SyncEngine (push only: no uploads, no pull). Reports cases/s, mutations/s,
// requests per case, bytes on the wire per case, and the client's and the simulator's CPU time.
// With --lost N, each run then goes on with a full resync: the simulator is stopped, loses its
// newest N cases (`forget --newest N`, as if restored from a backup taken before them) and starts
// again, and one pass with pull and push is timed: the 412, the feed read to its end, the case
// index (every case the platform holds), the checksum rebuilt, a snapshot queued for each lost
// case and pushed. Reported: the whole pass and the resync step alone (index to queued snapshots).
// Nothing here asserts on time (docs/benchmarks.md has the numbers).
#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/forms/definition.h"
#include "ow/store/repositories.h"
#include "ow/store/store.h"
#include "ow/sync/engine.h"
#include "ow/workflow/demo.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;
using namespace ow;

namespace {

const char* kPassword = "bench password";

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] == name) return argv[i + 1];
    return fallback;
}

bool flag(int argc, char** argv, const std::string& name) {
    for (int i = 1; i < argc; ++i)
        if (argv[i] == name) return true;
    return false;
}

std::string run_capture(const std::vector<std::string>& argv) {
    int pipefd[2];
    if (pipe(pipefd) != 0) throw std::runtime_error("pipe");
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        std::vector<char*> a;
        for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
        a.push_back(nullptr);
        execv(a[0], a.data());
        _exit(127);
    }
    close(pipefd[1]);
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = read(pipefd[0], buf, sizeof buf)) > 0;) out.append(buf, std::size_t(n));
    close(pipefd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error(argv[0] + " " + argv[1] + " failed");
    return out;
}

struct SimRun {
    pid_t pid = -1;
    int port = 0;
};

SimRun start_sim(const std::string& sim, const fs::path& db, const fs::path& dir) {
    auto port_file = dir / "sim.port";
    fs::remove(port_file);
    SimRun r;
    r.pid = fork();
    if (r.pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0);
        dup2(devnull, 1);
        std::vector<std::string> argv = {sim, "serve", "--db", db.string(), "--listen", "127.0.0.1:0", "--port-file", port_file.string(),
                                         "--quiet", "--decide-after-s", "1000000"};
        std::vector<char*> a;
        for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
        a.push_back(nullptr);
        execv(a[0], a.data());
        _exit(127);
    }
    for (int i = 0; i < 400 && r.port == 0; ++i) {
        std::ifstream in(port_file);
        in >> r.port;
        if (r.port == 0) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    if (r.port == 0) throw std::runtime_error("the simulator did not start");
    return r;
}

double stop_sim(SimRun& r) {  // returns the simulator's CPU seconds
    kill(r.pid, SIGTERM);
    int status = 0;
    rusage ru{};
    wait4(r.pid, &status, 0, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/// Times the resync step (from the resyncing phase to the pull that follows it).
struct PhaseClock : sync::SyncListener {
    std::chrono::steady_clock::time_point resync_start, resync_end;
    sync::Phase last = sync::Phase::idle;
    void on_progress(const sync::SyncProgress& p) override {
        if (p.phase == sync::Phase::resyncing && last != sync::Phase::resyncing) resync_start = std::chrono::steady_clock::now();
        if (p.phase != sync::Phase::resyncing && last == sync::Phase::resyncing) resync_end = std::chrono::steady_clock::now();
        last = p.phase;
    }
};

double self_cpu() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/// One timed pass of `engine` against the running simulator, which is stopped after it.
struct Timed {
    sync::SyncReport report;
    double seconds = 0, client_cpu = 0, sim_cpu = 0;
};

Timed timed_pass(sync::SyncEngine& engine, SimRun& sim) {
    Timed t;
    double cpu0 = self_cpu();
    auto t0 = std::chrono::steady_clock::now();
    t.report = engine.run_once();
    t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    t.client_cpu = self_cpu() - cpu0;
    t.sim_cpu = stop_sim(sim);
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        bool takes_value = a == "--cases" || a == "--runs" || a == "--depth" || a == "--lost" || a == "--work" || a == "--sim";
        if (a == "--help" || a == "-h" || (!takes_value && a != "--json") || (takes_value && i + 1 >= argc)) {
            std::cerr << (a == "--help" || a == "-h" ? "" : "bench_sync: unknown or incomplete option '" + a + "'\n")
                      << "usage: bench_sync [--cases 10000] [--runs 3] [--depth N] [--lost N] [--work DIR] [--sim PATH] [--json]\n";
            return a == "--help" || a == "-h" ? 0 : 2;
        }
        if (takes_value) ++i;
    }
    try {
        int cases = std::stoi(arg(argc, argv, "--cases", "10000"));
        int runs = std::stoi(arg(argc, argv, "--runs", "3"));
        int lost = std::stoi(arg(argc, argv, "--lost", "0"));
        if (lost < 0 || lost > cases) throw std::runtime_error("--lost must lie in 0 … --cases");
        fs::path work = arg(argc, argv, "--work", (fs::temp_directory_path() / "ow-bench-sync").string());
        std::string sim = arg(argc, argv, "--sim", (fs::canonical("/proc/self/exe").parent_path() / "onewindow-platform-sim").string());
        fs::create_directories(work);
        fs::path tmpl = work / ("store-" + std::to_string(cases));
        if (!fs::exists(tmpl / "seeded")) {
            fs::remove_all(tmpl);
            std::cerr << "seeding " << cases << " cases (once, not timed)…\n";
            store::Store::init(tmpl, "clerk", core::Role::clerk, kPassword, store::KdfParams{1, std::size_t(8) << 20});
            auto s = store::Store::open(tmpl, "clerk", kPassword);
            workflow::SeedOptions o;
            o.cases = cases;
            o.seed = 42;
            workflow::seed_demo(*s, core::Catalogue::load_shipped(), forms::FormCatalogue::load_shipped(), core::WorkCalendar::load_shipped(), o);
            s.reset();
            std::ofstream(tmpl / "seeded") << cases;
        }
        json results = json::array();
        for (int run = 0; run < runs; ++run) {
            fs::path dir = work / ("run-" + std::to_string(run));
            fs::remove_all(dir);
            fs::create_directories(dir);
            fs::copy(tmpl, dir / "store", fs::copy_options::recursive);
            auto cred = json::parse(run_capture({sim, "enroll", "--db", (dir / "sim.db").string(), "--terminal", "bench"}));
            auto s = store::Store::open(dir / "store", "clerk", kPassword);
            std::int64_t mutations = s->db().query_int("SELECT count(*) FROM outbox");
            SimRun simrun = start_sim(sim, dir / "sim.db", dir);
            store::PlatformConfig cfg;
            cfg.url = "http://127.0.0.1:" + std::to_string(simrun.port);
            cfg.terminal_id = cred.at("terminal_id");
            cfg.secret = cred.at("secret");
            cfg.algorithm = cred.value("algorithm", "hmac-sha256");
            store::Settings(s->db()).set_platform(cfg);
            sync::SyncOptions opts;
            opts.upload = opts.pull = opts.refresh = false;
            opts.pipeline_depth = std::stoi(arg(argc, argv, "--depth", std::to_string(opts.pipeline_depth)));
            sync::SyncEngine engine(*s, opts);
            auto [report, secs, cpu, sim_cpu] = timed_pass(engine, simrun);
            if (report.error) throw std::runtime_error("the push failed: " + std::string(report.error->what()));
            if (report.remaining_mutations != 0)
                throw std::runtime_error("the push did not drain: " + std::to_string(report.remaining_mutations) + " mutations left");
            json r = {{"run", run},
                      {"cases", cases},
                      {"mutations", mutations},
                      {"seconds", secs},
                      {"cases_per_s", cases / secs},
                      {"mutations_per_s", double(mutations) / secs},
                      {"requests", report.requests},
                      {"requests_per_case", double(report.requests) / cases},
                      {"bytes_up_per_case", double(report.bytes_up) / cases},
                      {"bytes_down_per_case", double(report.bytes_down) / cases},
                      {"client_cpu_s", cpu},
                      {"sim_cpu_s", sim_cpu}};
            if (!flag(argc, argv, "--json")) {
                char line[400];
                std::snprintf(line, sizeof line,
                              "run %d: %d cases (%lld mutations) in %.2f s = %.0f cases/s, %.0f mutations/s; %.3f requests/case; "
                              "%.0f B up, %.0f B down per case; CPU client %.2f s, simulator %.2f s\n",
                              run, cases, static_cast<long long>(mutations), secs, cases / secs, double(mutations) / secs,
                              double(report.requests) / cases, double(report.bytes_up) / cases, double(report.bytes_down) / cases, cpu,
                              sim_cpu);
                std::cout << line;
            }
            if (lost > 0) {
                // The platform restored from a backup taken before its newest `lost` cases.
                auto forgot = json::parse(run_capture({sim, "forget", "--db", (dir / "sim.db").string(), "--newest", std::to_string(lost)}));
                simrun = start_sim(sim, dir / "sim.db", dir);
                cfg.url = "http://127.0.0.1:" + std::to_string(simrun.port);
                store::Settings(s->db()).set_platform(cfg);
                sync::SyncOptions ro = opts;
                ro.pull = true;
                sync::SyncEngine again(*s, ro);
                PhaseClock clock;
                again.set_listener(&clock);
                auto [rr, rsecs, rcpu, rsim_cpu] = timed_pass(again, simrun);
                if (rr.error) throw std::runtime_error("the resync pass failed: " + std::string(rr.error->what()));
                if (rr.resyncs != 1 || rr.remaining_mutations != 0) throw std::runtime_error("the resync pass did not resync and drain");
                double step = std::chrono::duration<double>(clock.resync_end - clock.resync_start).count();
                r["resync"] = {{"lost", forgot.at("forgotten_count")},
                               {"seconds", rsecs},
                               {"resync_step_seconds", step},
                               {"settled", rr.settled},
                               {"requests", rr.requests},
                               {"client_cpu_s", rcpu},
                               {"sim_cpu_s", rsim_cpu}};
                if (!flag(argc, argv, "--json")) {
                    char line[400];
                    std::snprintf(line, sizeof line,
                                  "run %d resync: platform lost %lld of %d cases; pass %.2f s (resync step %.2f s), %lld mutations "
                                  "re-sent, %llu requests; CPU client %.2f s, simulator %.2f s\n",
                                  run, static_cast<long long>(forgot.at("forgotten_count").get<std::int64_t>()), cases, rsecs, step,
                                  static_cast<long long>(rr.settled), static_cast<unsigned long long>(rr.requests), rcpu, rsim_cpu);
                    std::cout << line;
                }
            }
            results.push_back(r);
            s.reset();
            fs::remove_all(dir);
        }
        if (flag(argc, argv, "--json")) std::cout << results.dump(2) << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "bench_sync: " << e.what() << "\n";
        return 2;
    }
}
