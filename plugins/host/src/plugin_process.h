// One helper process running one plugin (internal to ow_plugins).
#pragma once

#include "ow/plugins/host.h"
#include "ow/plugins/manifest.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

namespace ow::plugins {

class PluginProcess {
public:
    using Clock = std::chrono::steady_clock;

    PluginProcess(Manifest manifest, std::filesystem::path helper, std::size_t max_message_bytes, bool pass_stderr);
    ~PluginProcess();
    PluginProcess(const PluginProcess&) = delete;
    PluginProcess& operator=(const PluginProcess&) = delete;

    /// Starts the helper and waits for it to load the plugin. Throws PluginRefused when the
    /// helper refuses the plugin, PluginFailed when it dies or does not report in time.
    void start(std::chrono::milliseconds timeout);

    /// One call. Throws as PluginHost::call(). On crash, timeout, garbage or a too large answer
    /// the helper has been killed when this throws (running() is false).
    nlohmann::json call(const std::string& action, const nlohmann::json& request, std::chrono::milliseconds timeout);

    /// Is the helper alive (reaps it if it died meanwhile)?
    bool running();
    int pid() const { return pid_; }

    /// Closes the helper's stdin and waits briefly for it to exit; kills it otherwise.
    void stop();
    /// Kills the helper (and anything it started) at once and reaps it.
    void kill();

private:
    std::string read_line(Clock::time_point deadline, const char* during);
    void write_line(const std::string& line);
    [[noreturn]] void fail(const std::string& code, const std::string& what);
    std::string describe_exit();
    void close_fds();

    Manifest manifest_;
    std::filesystem::path helper_;
    std::size_t max_message_bytes_;
    bool pass_stderr_;
    int pid_ = 0;
    int to_child_ = -1;
    int from_child_ = -1;
    int exit_status_ = 0;
    bool reaped_ = false;
    std::string buffer_;
    std::uint64_t next_id_ = 1;
};

}  // namespace ow::plugins
