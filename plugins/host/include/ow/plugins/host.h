// PluginHost: runs each plugin in its own helper process (onewindow-plugin-host) and talks to it
// over pipes (one JSON message per line). A helper that crashes, does not answer within the
// call's timeout, answers garbage or too much is killed; the next call to that plugin starts a new
// one. The calling process never loads plugin code.
//
// Thread-safety: calls to different plugins may run concurrently; calls to one plugin are
// serialised. Destroying the host stops every helper.
#pragma once

#include "ow/plugins/discovery.h"
#include "ow/plugins/errors.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ow::plugins {

struct HostOptions {
    /// Where to look for plugins; empty = default_search_path().
    std::vector<std::filesystem::path> search_path;
    /// The helper executable; empty = $ONEWINDOW_PLUGIN_HOST, else onewindow-plugin-host next
    /// to the running executable.
    std::filesystem::path helper;
    /// Limit for starting a helper and loading its plugin.
    std::chrono::milliseconds start_timeout{10000};
    /// Upper bound for any call's timeout (the manifest's timeout applies below it).
    std::chrono::milliseconds max_timeout{600000};
    /// Largest answer accepted from a helper, in bytes.
    std::size_t max_message_bytes = 8 * 1024 * 1024;
    /// After this many helper failures in a row (crash, timeout, garbage, too large) a plugin
    /// rests for `failure_cooldown`: calls fail at once with DeviceUnavailable
    /// ("plugin.cooling_down") instead of waiting for another timeout. 0 = never rest.
    int max_consecutive_failures = 3;
    std::chrono::milliseconds failure_cooldown{30000};
    /// Let helpers write to our stderr (diagnostics); otherwise their stderr goes to /dev/null.
    /// Default: on when $ONEWINDOW_PLUGIN_DEBUG is set.
    std::optional<bool> helper_stderr;
};

/// What the desk shows for a device.
enum class DeviceState {
    idle,         // not started yet (or stopped)
    ready,        // helper running, last call fine
    unavailable,  // the device or plugin is unusable for now (see reason); the next call retries
    refused,      // the plugin was refused (manifest, ABI); retrying will not help
};

struct DeviceStatus {
    DeviceState state = DeviceState::idle;
    std::string reason;  // for unavailable / refused
    int restarts = 0;    // helpers started after the first one
    int consecutive_failures = 0;  // helper failures since the last good call
};

class PluginProcess;  // one helper process (internal)

class PluginHost {
public:
    explicit PluginHost(HostOptions options = {});
    ~PluginHost();
    PluginHost(const PluginHost&) = delete;
    PluginHost& operator=(const PluginHost&) = delete;

    /// The plugins found when the host was made.
    const Discovery& discovery() const { return discovery_; }

    /// Calls ACTION of plugin NAME with a JSON object as request and returns its answer object.
    /// timeout: limit for this call (default: the manifest's), capped by max_timeout.
    /// Throws PluginNotFound, PluginRefused, DeviceUnavailable, PluginFailed, PluginRequestError.
    nlohmann::json call(const std::string& name, const std::string& action,
                        const nlohmann::json& request = nlohmann::json::object(),
                        std::optional<std::chrono::milliseconds> timeout = std::nullopt);

    /// The device state of a plugin (idle for unknown names).
    DeviceStatus status(const std::string& name) const;

    /// The helper's process id while one runs (0 otherwise) — for tests and diagnostics.
    int helper_pid(const std::string& name) const;

    /// Stops every helper (they are started again on demand) and ends any rest.
    void stop_all();

    /// Ends a plugin's rest after repeated failures, and forgets a refusal by its helper (e.g. a
    /// fixed data file), so that the next call starts a helper again (the desk's "try again").
    void reset(const std::string& name);

    const HostOptions& options() const { return options_; }

private:
    struct Slot;
    Slot& slot(const std::string& name);

    HostOptions options_;
    Discovery discovery_;
    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Slot>> slots_;
};

/// The helper executable that PluginHost uses with these options.
std::filesystem::path helper_executable(const HostOptions& options);

}  // namespace ow::plugins
