// The training platform for the desk's tests: a real onewindow-platform-sim process serving one
// database on 127.0.0.1 (a free port), over http or over https with a server certificate of a test
// CA the simulator makes (make-certs), and its administration commands (enrol-code, stats).
// Header-only; the including target defines OW_PLATFORM_SIM as the simulator's path (and depends
// on it). Processes are started with posix_spawn (safe in a process that has threads: the GUI
// tests) and stopped by the destructor.
//
// Use:
//   ow::test::PlatformSim sim(tmp / "platform", /*https=*/true);
//   sim.url(); sim.ca_pem(); auto code = sim.enrol_code(); sim.stats()["counters"]
// Both throw std::runtime_error naming the step that failed.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

namespace ow::test {

class PlatformSim {
public:
    /// Makes `dir`, a database with one terminal (the simulator's `enroll`), and serves it.
    explicit PlatformSim(std::filesystem::path dir, bool https = false) : dir_(std::move(dir)), https_(https) {
        std::filesystem::create_directories(dir_);
        db_ = dir_ / "sim.db";
        run({"enroll", "--db", db_.string(), "--terminal", "seed"});
        std::vector<std::string> argv = {"serve", "--db", db_.string(), "--listen", "127.0.0.1:0", "--port-file", (dir_ / "port").string(), "--quiet"};
        if (https_) {
            run({"make-certs", "--dir", (dir_ / "certs").string(), "--host", "127.0.0.1"});
            argv.insert(argv.end(), {"--tls-cert", (dir_ / "certs" / "server.pem").string(), "--tls-key", (dir_ / "certs" / "server.key").string()});
        }
        pid_ = spawn(argv, dir_ / "sim.out", dir_ / "sim.err");
        for (int i = 0; i < 400; ++i) {
            std::ifstream in(dir_ / "port");
            if (in >> port_ && port_ > 0) return;
            int status = 0;
            if (waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                throw std::runtime_error("the simulator exited at start: " + slurp(dir_ / "sim.err"));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        stop();
        throw std::runtime_error("the simulator did not listen within 10 s");
    }
    ~PlatformSim() { stop(); }
    PlatformSim(const PlatformSim&) = delete;
    PlatformSim& operator=(const PlatformSim&) = delete;

    std::string url() const { return std::string(https_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_); }
    /// https: the test CA that signed the server's certificate (PEM).
    std::string ca_pem() const { return slurp(dir_ / "certs" / "ca.pem"); }
    const std::filesystem::path& db() const { return db_; }

    /// A new one-time enrolment code.
    std::string enrol_code() const {
        std::string code = run({"enrol-code", "--db", db_.string()});
        while (!code.empty() && (code.back() == '\n' || code.back() == '\r' || code.back() == ' ')) code.pop_back();
        return code;
    }
    /// The simulator's counters (`stats`).
    nlohmann::json stats() const { return nlohmann::json::parse(run({"stats", "--db", db_.string()})); }

    /// Runs a simulator command to completion; its stdout, or std::runtime_error when it fails.
    std::string run(const std::vector<std::string>& args) const {
        const auto out = dir_ / "cmd.out", err = dir_ / "cmd.err";
        pid_t pid = spawn(args, out, err);
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            throw std::runtime_error("onewindow-platform-sim " + args.front() + " failed: " + slurp(err));
        return slurp(out);
    }

    void stop() {
        if (pid_ <= 0) return;
        kill(pid_, SIGTERM);
        for (int i = 0; i < 100; ++i) {
            if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
                pid_ = -1;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }

private:
    static std::string slurp(const std::filesystem::path& p) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    /// Starts the simulator with `args`, stdout and stderr to files (truncated), stdin /dev/null.
    static pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& out, const std::filesystem::path& err) {
        std::vector<std::string> all = {OW_PLATFORM_SIM};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        pid_t pid = -1;
        const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        if (rc != 0) throw std::runtime_error(std::string("cannot start ") + argv[0]);
        return pid;
    }

    std::filesystem::path dir_, db_;
    bool https_ = false;
    pid_t pid_ = -1;
    int port_ = 0;
};

}  // namespace ow::test
