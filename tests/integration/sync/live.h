// Shared fixtures of the live sync tests: the real simulator process on loopback
// (onewindow-platform-sim serve), a real encrypted store with demo cases, and helpers to run
// the built binaries and read their JSON. Every process a test starts is stopped by the test.
#pragma once

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/store/repositories.h"
#include "ow/store/store.h"
#include "ow/sync/engine.h"
#include "ow/workflow/demo.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

namespace ow::live {

namespace fs = std::filesystem;
using nlohmann::json;

struct TempDir {
    fs::path path;
    TempDir();
    ~TempDir();
};

struct RunResult {
    int rc = -1;  // exit status, or 128 + signal
    std::string out, err;
};

/// Runs argv to completion and captures stdout and stderr.
RunResult run(const std::vector<std::string>& argv, const std::string& stdin_text = {});
json run_json(const std::vector<std::string>& argv);
/// Starts argv in the background (stdout/stderr to files in `log_dir`); returns its pid.
pid_t spawn(const std::vector<std::string>& argv, const fs::path& log_dir, const std::string& name);
/// SIGTERM, then SIGKILL after a grace period; reaps it.
void stop(pid_t pid);

const std::string& sim_binary();
const std::string& cli_binary();

/// The platform simulator serving one database on 127.0.0.1 (a free port).
class Sim {
public:
    Sim(fs::path db, std::vector<std::string> extra_args = {}, std::string scheme = "http");
    ~Sim();
    Sim(const Sim&) = delete;
    Sim& operator=(const Sim&) = delete;
    void restart(std::vector<std::string> extra_args);
    void stop();
    std::string url() const { return scheme_ + "://127.0.0.1:" + std::to_string(port_); }
    int port() const { return port_; }
    json stats() const;
    /// sha256 → size of every blob the platform holds, each re-hashed by the simulator.
    std::vector<json> blob_digests() const;

private:
    void start();
    fs::path db_, logs_;
    std::vector<std::string> args_;
    std::string scheme_;
    pid_t pid_ = -1;
    int port_ = 0;
};

/// Enrols a terminal in the simulator's database and returns its credentials file's JSON.
json enrol(const fs::path& sim_db, const std::string& terminal, const std::vector<std::string>& extra = {});

const core::Catalogue& catalogue();
const core::WorkCalendar& calendar();

struct Terminal {
    TempDir tmp;
    fs::path dir = tmp.path / "store";
    fs::path password_file = tmp.path / "password";
    std::unique_ptr<store::Store> store;
    Terminal();
    /// Demo cases (and scans) through the normal commit path.
    workflow::SeedReport seed(int cases, int scans, std::uint64_t seed = 1);
    void connect(const std::string& url, const json& credentials, const std::string& ca_pem = {}, const std::string& pin = {});
    store::Db& db() { return store->db(); }
    std::int64_t outbox_size() { return db().query_int("SELECT count(*) FROM outbox"); }
    /// A digest of everything about cases in the store (bodies, history, checklists): equal before and after means unchanged.
    std::string case_data_digest();
};

/// What a report says went wrong, for messages.
std::string why(const sync::SyncReport& r);

/// Fast options for tests: short backoff, patient budget.
sync::SyncOptions test_options();
/// Runs passes until the store is drained (or `max_passes`): counts summed over the passes, what
/// remains and the error from the last one.
sync::SyncReport sync_until_drained(Terminal& t, int max_passes, sync::SyncOptions opts = test_options());

}  // namespace ow::live
