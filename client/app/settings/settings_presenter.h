// SettingsPresenter: the desk's settings screen (F10) without wx — every setting of the registry
// (ow/store/settings_registry.h, the table `onewindow-cli settings` uses too) with its value, whether
// the signed-in user may change it and the reason the last value typed was refused; the device
// plugins per capability and a test of each; the calendar's official years and the import of a
// calendar file (store::import_calendar, as `calendar import`).
//
// The enrolment block (接入平台): enrol() redeems a one-time code at the platform and keeps the
// connection (sync::enrol_terminal + sync::save_connection, as `onewindow-cli platform enrol`);
// prepare_enrolment() on the desk's thread, run_enrolment() on a worker, enrolment_done() back on
// the desk's thread (the rows read again, sync woken so that it picks the new connection up).
//
// apply() stores a value through store::SettingValues (checked, authorised, audited) or refuses it
// with the registry's code ("settings.bad_url" …), which the view shows as an inline error in the
// desk's language; nothing is stored then. Signed in only.
#pragma once

#include "shell/desk_services.h"

#include "ow/plugins/host.h"
#include "ow/store/settings_registry.h"
#include "ow/sync/enrolment.h"

#include <filesystem>
#include <memory>
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

/// The enrolment block before a try.
struct EnrolForm {
    bool may_enrol = false;  ///< store::may_administer (an administrator, or a store without one)
    bool connected = false;  ///< a platform is connected now
    std::string url;         ///< platform.url, else kTrainingPlatformUrl
    std::string name;        ///< the terminal's name: window.label
};

/// The training platform's address offered to a terminal not connected yet (docs/platform-sim.md).
inline constexpr const char* kTrainingPlatformUrl = "http://127.0.0.1:8080";

/// The outcome of an enrolment, for the view to say in the desk's language.
struct EnrolOutcome {
    bool ok = false;
    /// Refused: the platform's or the client's code ("enrol.code_used", "enrol.code_unknown",
    /// "enrol.code_expired", "net.connect", "tls.untrusted", "auth.other_terminal",
    /// "config.client_cert" …), or a local one: "enrol.empty_code", "settings.bad_url",
    /// "settings.insecure_url", "store.not_authorised".
    std::string code;
    std::string kind;     ///< the sync::ErrorKind of a platform refusal ("rejected", "retryable", "tls", "auth", "config"); empty otherwise
    std::string message;  ///< English, for the log (never shown to the clerk)
    std::string platform, centre, terminal_code;  ///< ok: what the platform said
    std::vector<std::string> warnings;            ///< ok: codes of sync::EnrolWarning
};

/// A sentence to tell the clerk: an English msgid (OW_N_-marked: the view translates it) whose
/// "%s" are filled with `args` in order after translation.
struct EnrolText {
    std::string msgid;
    std::vector<std::string> args;
};

/// An enrolment ready to run on a worker: its own connection to the store and the request
/// (the code inside is wiped by run_enrolment). `refused` set: nothing to run, that is the outcome.
struct EnrolJob {
    std::unique_ptr<store::Store> store;
    sync::EnrolRequest request;
    std::optional<EnrolOutcome> refused;
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

    /// What the enrolment block shows before a try.
    EnrolForm enrol_form();
    /// Checks who may enrol, the address and the code, and prepares the job (desk's thread). The
    /// code moves into the job; `code` is wiped whatever happens. Uses the connected platform's
    /// CA bundle, pin and proxy (a terminal enrolled again keeps them).
    EnrolJob prepare_enrolment(const std::string& url, const std::string& name, std::string& code);
    /// Enrols and saves the connection (blocking, network: run it on a worker).
    static EnrolOutcome run_enrolment(EnrolJob& job);
    /// After an enrolment (desk's thread): reads the rows again and wakes sync when it worked.
    void enrolment_done(const EnrolOutcome& outcome);
    /// What to tell the clerk of an outcome: 已接入 with the platform, centre and terminal code, then
    /// one sentence per warning; or why it was refused, per code and error kind (never the
    /// platform's own English words).
    static std::vector<EnrolText> enrol_text(const EnrolOutcome& outcome);
    /// The three on the caller's thread (tests).
    EnrolOutcome enrol(const std::string& url, const std::string& name, std::string& code);

private:
    SettingRow* find(std::string_view key);
    DeskServices& services_;
    std::vector<SettingRow> rows_;
};

}  // namespace ow::app
