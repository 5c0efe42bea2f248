// The settings registry: one table of every setting a terminal has — its key ("platform.url",
// "lock.idle_minutes" …), type, default, check, description and whether only an administrator
// may change it. `onewindow-cli settings` and the desk's settings screen both read and write
// settings through it, so a key, a default or a rule exists once.
//
// Values travel as text (the CLI's argument, the desk's field); check_setting() turns a text into
// the value's canonical form or refuses it with a SettingRefused naming the reason. Where a value
// lives (the `settings` table of the encrypted store, the platform connection, or desk.json for
// the prefs the lock screen needs before unlock) is the registry's business, not the caller's.
//
// Free of wx and of the network: the platform's enrolment itself is sync::PlatformClient::enrol
// (the CLI's `platform enrol`, the desk's settings screen); these keys change a connected
// terminal's address, CA bundle and proxy.
#pragma once

#include "ow/core/date.h"
#include "ow/core/error.h"
#include "ow/store/store.h"

#include <array>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ow::store {

enum class SettingType {
    text,     ///< UTF-8 without control characters, at most `max` characters (0 = may be empty … max)
    integer,  ///< a whole number in [min, max]
    boolean,  ///< "true" or "false" (also read: yes/no, on/off, 1/0)
    choice,   ///< one of `choices`
    url,      ///< the platform's address: https://HOST[:PORT][/PATH], or http:// on loopback
    proxy,    ///< a proxy URL: http, https, socks5 or socks5h://[USER[:PASSWORD]@]HOST[:PORT]; empty: none
    pem,      ///< PEM certificates (one or more CERTIFICATE blocks); empty: none
    plugin,   ///< a device plugin's name (as `onewindow-cli plugins list` shows it); empty: the first found
    hours,    ///< opening hours of a working day: "09:00-12:00,13:30-17:00"
    windows,  ///< service windows on given days: "mon-fri 17:00-19:00; sat 09:00-12:00"; empty: none
    roster,   ///< who is on duty on which days: "mon-fri 王芳; sat 李强,张伟"; empty: none
};
const char* to_code(SettingType t);

/// Where a setting's value is kept.
enum class SettingHome {
    store,       ///< the `settings` table of the encrypted store
    platform,    ///< a field of the platform connection (Settings::platform); needs a connected terminal
    desk_prefs,  ///< <store>/desk.json (ow/store/desk_prefs.h), readable before unlock
};

struct SettingDef {
    std::string name;           ///< "group.key"
    SettingType type = SettingType::text;
    std::string default_value;  ///< canonical text form
    std::string description;    ///< English, for `settings list` (the desk has its own labels)
    bool admin_only = false;    ///< see may_change_setting
    SettingHome home = SettingHome::store;
    long min = 0, max = 0;      ///< integer: the range; text: at most `max` characters
    std::vector<std::string> choices;  ///< choice: the allowed values
    /// Shown, never set through the registry (platform.client_cert: issued to the terminal at
    /// enrolment and renewed at sync, with its private key; SettingValues::set refuses "read_only").
    bool read_only = false;
};

/// A value refused: code() is "settings.<reason>" (unknown_key, empty, too_long,
/// control_character, not_a_number, out_of_range, not_boolean, not_a_choice, bad_url,
/// insecure_url, bad_proxy, bad_pem, bad_plugin, bad_hours, bad_roster, overlap, not_connected, read_only), what() an
/// English sentence naming the key and the reason.
class SettingRefused : public core::Error {
public:
    SettingRefused(const std::string& reason, const std::string& message) : core::Error("settings." + reason, message) {}
};

/// Every setting, in the order `settings list` and the desk show them.
const std::vector<SettingDef>& setting_defs();
/// The setting of a key, or nullptr.
const SettingDef* find_setting(std::string_view name);
/// The value's canonical text (trimmed, normalised: "On" → "true", "Mon-Fri 9:00-12:00" →
/// "mon-fri 09:00-12:00"), or SettingRefused with the reason. Never touches a store.
std::string check_setting(const SettingDef& def, std::string_view text);

/// A value as it may be shown or logged: a proxy's password replaced by "***" (as `platform show`
/// does); other values unchanged.
std::string shown_value(const SettingDef& def, const std::string& value);

/// The idle lock the desk offers, in minutes (lock.idle_minutes): there is no "never" — the desk
/// holds applicants' personal data on laptops in public halls and 等保 asks for a session time-out.
inline constexpr long kIdleLockMinMinutes = 1;
inline constexpr long kIdleLockMaxMinutes = 120;
/// The longest window label (window.label), in characters.
inline constexpr long kWindowLabelMaxChars = 20;

/// A span of a day in minutes since midnight, start < end.
struct TimeSpan {
    int start = 0, end = 0;
    bool operator==(const TimeSpan&) const = default;
};
/// Windows on some days of the week (days[0] = Monday … days[6] = Sunday).
struct DayWindow {
    std::array<bool, 7> days{};
    TimeSpan span;
    bool operator==(const DayWindow&) const = default;
};
/// Parses an `hours` value ("09:00-12:00,13:30-17:00"); SettingRefused otherwise.
std::vector<TimeSpan> parse_hours(std::string_view text);
/// Parses a `windows` value ("mon-fri 17:00-19:00; sat,sun 09:00-12:00"); SettingRefused otherwise.
std::vector<DayWindow> parse_windows(std::string_view text);

/// The longest name in a duty roster, in characters, and the most names on one day.
inline constexpr std::size_t kDutyNameMaxChars = 20;
inline constexpr std::size_t kDutyNamesMax = 10;
/// One line of the duty roster (hours.duty): who staffs this terminal's window on some days of
/// the week (days[0] = Monday … days[6] = Sunday).
struct DutyEntry {
    std::array<bool, 7> days{};
    std::vector<std::string> names;
    bool operator==(const DutyEntry&) const = default;
};
/// Parses a `roster` value: entries "DAYS NAME[,NAME…]" separated by ';', DAYS as in `windows`
/// (mon-fri, sat,sun …); each day in at most one entry (SettingRefused "overlap"); names 1–20
/// characters without ',', ';' or control characters, at most 10 a day ("bad_roster"). Empty: none.
std::vector<DutyEntry> parse_roster(std::string_view text);
/// Who is on duty on the China date `day` by its day of the week (a make-up Saturday counts as a
/// Saturday): the names of the entry naming that day, else none.
std::vector<std::string> on_duty(const std::vector<DutyEntry>& roster, core::Date day);

/// Administrators may change admin-only settings; so may anyone on a store that has no
/// administrator at all (one clerk's laptop, set up by that clerk, who holds its recovery key:
/// there is nobody above them to ask). Others may change the rest.
bool may_administer(const Store& store);
bool may_change_setting(const Store& store, const SettingDef& def);

/// The settings of one open store (and its desk.json).
class SettingValues {
public:
    explicit SettingValues(Store& store) : store_(store) {}
    /// The value's canonical text: the stored one, or the default. SettingRefused("unknown_key").
    /// A stored value that no longer passes the check (another version wrote it) reads as the default.
    std::string get(std::string_view name) const;
    /// True when a value is stored (not the default).
    bool is_set(std::string_view name) const;
    /// Checks, authorises and stores a value, with an audit entry "settings.changed" {key, before,
    /// after} in the same transaction (certificates as their SHA-256, a proxy without its
    /// password). Nothing is written when it is refused: SettingRefused (bad value, unknown key,
    /// no platform connected for platform.*), NotAuthorised (an admin-only key), or what the store
    /// throws (read-only, locked). Returns the canonical value stored.
    std::string set(std::string_view name, std::string_view text);

private:
    Store& store_;
};

/// What import_calendar did.
struct CalendarImport {
    int year = 0;
    std::string revision;  ///< "imported <first 16 hex digits of the file's SHA-256>"
    int recomputed = 0;    ///< open cases whose provisional promised date was computed again
};
/// Stores an official working-day calendar year from a calendar file's text (administrators only:
/// NotAuthorised), audited ("calendar.import"), and computes again the promised dates of open
/// cases that were provisional — in one transaction. `source` names the file for the audit entry
/// and messages. core::ParseError / core::InvalidData for a bad file (checked before the store is
/// touched).
CalendarImport import_calendar(Store& store, const std::string& text, const std::string& source);

}  // namespace ow::store
