#include "settings/settings_presenter.h"

#include "ow/core/error.h"
#include "ow/store/errors.h"
#include "ow/store/repositories.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace ow::app {
namespace {

constexpr std::uintmax_t kMaxFileBytes = 1024 * 1024;

/// The text of a small file, or nothing (missing, unreadable, larger than 1 MiB).
std::optional<std::string> read_small_file(const std::filesystem::path& file) {
    std::error_code ec;
    auto size = std::filesystem::file_size(file, ec);
    if (ec || size > kMaxFileBytes) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return ss.str();
}

SettingApplied refused(const std::string& code, const std::string& message) {
    SettingApplied out;
    out.code = code;
    out.message = message;
    return out;
}

}  // namespace

SettingsPresenter::SettingsPresenter(DeskServices& services) : services_(services) { reload(); }

void SettingsPresenter::reload() {
    rows_.clear();
    auto& store = services_.store();
    store::SettingValues values(store);
    for (const auto& d : store::setting_defs()) {
        SettingRow r;
        r.def = &d;
        r.value = values.get(d.name);
        r.is_default = !values.is_set(d.name);
        r.may_change = store::may_change_setting(store, d);
        rows_.push_back(std::move(r));
    }
}

const SettingRow* SettingsPresenter::row(std::string_view key) const {
    for (const auto& r : rows_)
        if (r.def->name == key) return &r;
    return nullptr;
}

SettingRow* SettingsPresenter::find(std::string_view key) { return const_cast<SettingRow*>(std::as_const(*this).row(key)); }

namespace {

/// The password of a URL's user part ("http://user:pw@host" → "pw"), if it has one.
std::optional<std::pair<std::size_t, std::size_t>> password_span(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) return std::nullopt;
    const auto start = scheme + 3;
    const auto at = url.find('@', start);
    const auto slash = url.find('/', start);
    if (at == std::string::npos || (slash != std::string::npos && slash < at)) return std::nullopt;
    const auto colon = url.find(':', start);
    if (colon == std::string::npos || colon > at) return std::nullopt;
    return std::make_pair(colon + 1, at - colon - 1);
}

}  // namespace

std::string SettingsPresenter::keep_hidden_password(const std::string& typed, const std::string& stored) {
    // The field shows the stored proxy as user:***@host (shown_value): when the clerk edits another
    // part and leaves the stars, the stored password stays — the stars are not a new password.
    const auto t = password_span(typed);
    const auto s = password_span(stored);
    if (!t || !s || typed.compare(t->first, t->second, "***") != 0) return typed;
    return typed.substr(0, t->first) + stored.substr(s->first, s->second) + typed.substr(t->first + t->second);
}

SettingApplied SettingsPresenter::apply(const std::string& key, const std::string& text) {
    SettingRow* r = find(key);
    if (!r) return refused("settings.unknown_key", "no setting '" + key + "'");
    SettingApplied out;
    try {
        const std::string before = r->value;
        const std::string value = r->def && r->def->type == store::SettingType::proxy ? keep_hidden_password(text, before) : text;
        out.value = store::SettingValues(services_.store()).set(key, value);
        out.stored = true;
        out.language_changed = key == "ui.language" && out.value != before;
        out.font_changed = key == "ui.large_font" && out.value != before;
        r->value = out.value;
        r->is_default = false;
        r->error.clear();
        r->detail.clear();
    } catch (const core::Error& e) {  // SettingRefused, NotAuthorised, a store that cannot write
        out = refused(e.code(), e.what());
        r->error = out.code;
        r->detail = out.message;
    }
    return out;
}

SettingApplied SettingsPresenter::apply_file(const std::string& key, const std::filesystem::path& file) {
    auto text = read_small_file(file);
    if (!text) {
        auto out = refused("io.read", file.string() + ": cannot be read, or larger than 1 MiB");
        if (SettingRow* r = find(key)) {
            r->error = out.code;
            r->detail = out.message;
        }
        return out;
    }
    return apply(key, *text);
}

std::optional<plugins::Capability> SettingsPresenter::capability_of(std::string_view key) {
    if (key == "devices.id_reader") return plugins::Capability::id_reader;
    if (key == "devices.scanner") return plugins::Capability::scanner;
    if (key == "devices.rating_device") return plugins::Capability::rating_device;
    if (key == "devices.signature") return plugins::Capability::signature;
    return std::nullopt;
}

std::vector<std::string> SettingsPresenter::plugins_for(std::string_view key) {
    std::vector<std::string> out;
    auto cap = capability_of(key);
    if (!cap) return out;
    for (const auto& m : services_.plugins().discovery().plugins)
        if (std::find(m.capabilities.begin(), m.capabilities.end(), *cap) != m.capabilities.end()) out.push_back(m.name);
    std::sort(out.begin(), out.end());
    return out;
}

DeviceProbe SettingsPresenter::probe_for(std::string_view key) {
    DeviceProbe p;
    p.key = std::string(key);
    auto cap = capability_of(key);
    if (!cap) return p;
    const SettingRow* r = row(key);
    std::string chosen = r ? r->value : std::string();
    const plugins::Manifest* found = nullptr;
    for (const auto& m : services_.plugins().discovery().plugins) {
        if (std::find(m.capabilities.begin(), m.capabilities.end(), *cap) == m.capabilities.end()) continue;
        if (chosen.empty() ? (!found || m.name < found->name) : m.name == chosen) found = &m;
    }
    if (!found) return p;
    p.plugin = found->name;
    // A cheap question first (a device's state or list), else the capability's own action.
    for (const char* a : {"status", "devices", "list"})
        if (found->has_action(a)) {
            p.action = a;
            return p;
        }
    const char* main = *cap == plugins::Capability::id_reader ? "read"
                       : *cap == plugins::Capability::scanner ? "scan"
                       : *cap == plugins::Capability::rating_device ? "rate"
                                                                    : "sign";
    p.action = found->has_action(main) ? main : (found->actions.empty() ? main : found->actions.front().c_str());
    return p;
}

DeviceTestResult SettingsPresenter::run_probe(plugins::PluginHost& host, const DeviceProbe& probe, std::chrono::milliseconds timeout) {
    DeviceTestResult out;
    if (probe.plugin.empty()) {
        out.code = "device.none";
        out.detail = "no plugin with this capability was found";
        return out;
    }
    try {
        auto answer = host.call(probe.plugin, probe.action, nlohmann::json::object(), timeout);
        out.ok = true;
        out.detail = answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        if (out.detail.size() > 200) out.detail = out.detail.substr(0, 200) + "…";
    } catch (const core::Error& e) {  // the plugin host's errors: not found, refused, unavailable, failed
        out.code = e.code();
        out.detail = e.what();
    }
    return out;
}

std::vector<int> SettingsPresenter::official_years() const {
    // Read from the store (not the session's calendar) so that an import shows at once.
    return store::PlatformCalendars(services_.store().db()).calendar().years();
}

SettingApplied SettingsPresenter::import_calendar(const std::filesystem::path& file) {
    auto text = read_small_file(file);
    if (!text) return refused("io.read", file.string() + ": cannot be read, or larger than 1 MiB");
    try {
        auto done = store::import_calendar(services_.store(), *text, file.filename().string());
        SettingApplied out;
        out.stored = true;
        out.value = std::to_string(done.year);
        return out;
    } catch (const core::Error& e) {
        return refused(e.code(), e.what());
    }
}

}  // namespace ow::app
