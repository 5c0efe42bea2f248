#include "ow/plugins/host.h"

#include "ow/core/paths.h"
#include "plugin_process.h"

#include <cstdlib>

namespace ow::plugins {

struct PluginHost::Slot {
    std::mutex mutex;  // one call at a time per plugin
    std::unique_ptr<PluginProcess> process;
    DeviceStatus status;
    int starts = 0;
    std::chrono::steady_clock::time_point rest_until{};  // no calls before this after repeated failures
    std::optional<PluginRefused> refusal;  // the helper refused the plugin: retrying will not help
};

std::filesystem::path helper_executable(const HostOptions& options) {
    if (!options.helper.empty()) return options.helper;
    if (const char* env = std::getenv("ONEWINDOW_PLUGIN_HOST"); env && *env) return env;
#if defined(_WIN32)
    return core::executable_dir() / "onewindow-plugin-host.exe";
#else
    return core::executable_dir() / "onewindow-plugin-host";
#endif
}

PluginHost::PluginHost(HostOptions options) : options_(std::move(options)) {
    if (options_.search_path.empty()) options_.search_path = default_search_path();
    if (!options_.helper_stderr) {
        const char* dbg = std::getenv("ONEWINDOW_PLUGIN_DEBUG");
        options_.helper_stderr = dbg && *dbg && std::string(dbg) != "0";
    }
    discovery_ = discover(options_.search_path);
}

PluginHost::~PluginHost() {
    stop_all();
}

PluginHost::Slot& PluginHost::slot(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto& s = slots_[name];
    if (!s) s = std::make_unique<Slot>();
    return *s;
}

nlohmann::json PluginHost::call(const std::string& name, const std::string& action, const nlohmann::json& request,
                                std::optional<std::chrono::milliseconds> timeout) {
    const Manifest* manifest = discovery_.find(name);
    if (!manifest) {
        if (const Refusal* r = discovery_.find_refusal(name)) throw PluginRefused(r->code, name, r->reason);
        throw PluginNotFound("plugin.not_found", name, "no plugin named '" + name + "' was found");
    }
    if (!manifest->has_action(action)) {
        std::string known;
        for (const auto& a : manifest->actions)
            known += (known.empty() ? "" : ", ") + a;
        throw PluginRequestError("plugin.unknown_action", name,
                                 "plugin '" + name + "' has no action '" + action + "' (it offers: " + known + ")");
    }
    if (!request.is_object())
        throw PluginRequestError("plugin.bad_request", name,
                                 "the request for plugin '" + name + "' must be a JSON object");

    Slot& s = slot(name);
    std::lock_guard lock(s.mutex);
    auto limit = std::min(timeout.value_or(manifest->timeout), options_.max_timeout);
    auto set_status = [&](DeviceState st, std::string reason) {
        std::lock_guard guard(mutex_);
        s.status.state = st;
        s.status.reason = std::move(reason);
        s.status.restarts = s.starts > 1 ? s.starts - 1 : 0;
    };
    if (s.refusal) throw *s.refusal;
    if (std::chrono::steady_clock::now() < s.rest_until) {
        std::string reason = "plugin '" + name + "' failed " + std::to_string(s.status.consecutive_failures) +
                             " times in a row and is resting; try again later";
        set_status(DeviceState::unavailable, reason);
        throw DeviceUnavailable("plugin.cooling_down", name, reason);
    }
    try {
        if (!s.process || !s.process->running()) {
            s.process = std::make_unique<PluginProcess>(*manifest, helper_executable(options_),
                                                        options_.max_message_bytes, *options_.helper_stderr);
            ++s.starts;
            s.process->start(std::min(options_.start_timeout, options_.max_timeout));
        }
        auto answer = s.process->call(action, request, limit);
        set_status(DeviceState::ready, "");
        std::lock_guard guard(mutex_);
        s.status.consecutive_failures = 0;
        return answer;
    } catch (const PluginRefused& e) {
        set_status(DeviceState::refused, e.what());
        s.refusal = e;
        throw;
    } catch (const PluginRequestError&) {
        set_status(DeviceState::ready, "");
        throw;
    } catch (const PluginError& e) {
        set_status(DeviceState::unavailable, e.what());
        if (!s.process || !s.process->running()) {  // the helper died or was killed
            std::lock_guard guard(mutex_);
            ++s.status.consecutive_failures;
            if (options_.max_consecutive_failures > 0 &&
                s.status.consecutive_failures >= options_.max_consecutive_failures)
                s.rest_until = std::chrono::steady_clock::now() + options_.failure_cooldown;
        }
        throw;
    }
}

DeviceStatus PluginHost::status(const std::string& name) const {
    std::lock_guard lock(mutex_);
    if (!discovery_.find(name)) {
        if (const Refusal* r = discovery_.find_refusal(name)) return {DeviceState::refused, r->reason, 0};
    }
    auto it = slots_.find(name);
    return it == slots_.end() ? DeviceStatus{} : it->second->status;
}

int PluginHost::helper_pid(const std::string& name) const {
    Slot* s = nullptr;
    {
        std::lock_guard lock(mutex_);
        auto it = slots_.find(name);
        if (it == slots_.end()) return 0;
        s = it->second.get();
    }
    std::lock_guard lock(s->mutex);
    return s->process && s->process->running() ? s->process->pid() : 0;
}

void PluginHost::stop_all() {
    // Lock order everywhere: a slot's mutex before mutex_ (slots are never removed).
    std::vector<Slot*> all;
    {
        std::lock_guard lock(mutex_);
        for (auto& [name, s] : slots_)
            all.push_back(s.get());
    }
    for (Slot* s : all) {
        std::lock_guard guard(s->mutex);
        if (s->process) s->process->stop();
        s->process.reset();
        std::lock_guard lock(mutex_);
        s->status = DeviceStatus{DeviceState::idle, "", s->status.restarts, 0};
        s->rest_until = {};
    }
}

void PluginHost::reset(const std::string& name) {
    Slot& s = slot(name);
    std::lock_guard guard(s.mutex);
    std::lock_guard lock(mutex_);
    s.rest_until = {};
    s.refusal.reset();
    s.status.consecutive_failures = 0;
}

}  // namespace ow::plugins
