// SettingsPresenter: the desk's settings screen (F10) without wx — every setting of the registry
// (ow/store/settings_registry.h, the table `onewindow-cli settings` uses too) with its value, whether
// the signed-in user may change it and the reason the last value typed was refused; the device
// plugins per capability and a test of each; the calendar's official years and the import of a
// calendar file (store::import_calendar, as `calendar import`).
//
// apply() stores a value through store::SettingValues (checked, authorised, audited) or refuses it
// with the registry's code ("settings.bad_url" …), which the view shows as an inline error in the
// desk's language; nothing is stored then. Signed in only.
#pragma once

#include "shell/desk_services.h"

#include "ow/plugins/host.h"
#include "ow/store/settings_registry.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ow::app {

struct SettingRow {
    const store::SettingDef* def = nullptr;
    std::string value;        ///< as stored (or the default), canonical
    bool is_default = true;
    bool may_change = false;  ///< the signed-in user may change it (admin-only keys: administrators)
    std::string error;        ///< the code of the last refusal ("settings.bad_url"); empty: none
    std::string detail;       ///< …its English message, for the log and the tooltip
};

struct SettingApplied {
    bool stored = false;
    std::string code;     ///< refusal: "settings.<reason>", "store.not_authorised", "io.read"
    std::string message;  ///< refusal: English, for the log
    std::string value;    ///< stored: the canonical value
    bool language_changed = false;
    bool font_changed = false;
};

/// What a device test calls: the plugin and the action (empty plugin: none with the capability).
struct DeviceProbe {
    std::string key;     ///< "devices.scanner"
    std::string plugin;  ///< the chosen plugin, else the first with the capability; empty: none
    std::string action;  ///< its "status", "devices" or "list" action, else its main one (read, scan …)
};

struct DeviceTestResult {
    bool ok = false;
    std::string code;    ///< failure: "device.none", or the plugin host's code ("plugin.unavailable" …)
    std::string detail;  ///< the plugin's answer (ok) or the reason, English, for the log and tooltip
};

class SettingsPresenter {
public:
    explicit SettingsPresenter(DeskServices& services);

    /// Reads every value again (keeps no error).
    void reload();
    const std::vector<SettingRow>& rows() const { return rows_; }
    /// The row of a key, or null.
    const SettingRow* row(std::string_view key) const;

    /// Stores a value typed for `key`, or refuses it (the row keeps the code; nothing stored).
    SettingApplied apply(const std::string& key, const std::string& text);
    /// Stores the text of a file (a PEM bundle) for `key`; "io.read" when it cannot be read or
    /// is larger than 1 MiB.
    SettingApplied apply_file(const std::string& key, const std::filesystem::path& file);
    /// A proxy typed back with the password still shown as "***" (store::shown_value) keeps the
    /// password `stored` has; any other text is returned as typed.
    static std::string keep_hidden_password(const std::string& typed, const std::string& stored);

    /// The capability a devices.* key stands for; nothing for other keys.
    static std::optional<plugins::Capability> capability_of(std::string_view key);
    /// The discovered plugins with the capability of a devices.* key, by name.
    std::vector<std::string> plugins_for(std::string_view key);
    /// What testing a device calls (on the desk's thread).
    DeviceProbe probe_for(std::string_view key);
    /// Calls the probe (blocking, up to `timeout`: run it on a worker; PluginHost is thread-safe).
    static DeviceTestResult run_probe(plugins::PluginHost& host, const DeviceProbe& probe,
                                      std::chrono::milliseconds timeout = std::chrono::milliseconds(15000));

    /// The years the calendar holds officially (shipped, from the platform, imported); other years
    /// are provisional (counted with the statutory holidays, no 调休).
    std::vector<int> official_years() const;
    /// Imports a calendar file (administrators; audited): stored = true with value "YEAR", or the
    /// code of the refusal ("store.not_authorised", "invalid_data", "parse", "io.read").
    SettingApplied import_calendar(const std::filesystem::path& file);

private:
    SettingRow* find(std::string_view key);
    DeskServices& services_;
    std::vector<SettingRow> rows_;
};

}  // namespace ow::app
