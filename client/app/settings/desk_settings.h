// The desk's settings, with their defaults in this one place (those the store keeps are defaulted
// by store::Settings, which this header reads through). Two kinds:
//
//  (a) Prefs the lock screen needs BEFORE unlock — language, large font, the last user who signed
//      in. Nothing secret: they sit in <store>/desk.json beside keys.json, outside the encrypted
//      database (docs/security-model.md, "Desk prefs before unlock"). A missing, damaged or
//      foreign file gives the defaults and a reason for the log, never an error.
//  (b) Settings inside the encrypted store, for the signed-in desk: the idle lock time and the
//      window label ("3号窗口").
//
// Also the field checks shared by the first-run screen and the settings screen. They return a
// Problem the view translates for its inline error; no English sentence reaches the user from here.
// Free of wx (ow_desk_logic).
#pragma once

#include "ow/store/desk_prefs.h"
#include "ow/store/settings_registry.h"
#include "ow/store/store.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace ow::app {

/// What is wrong with one field, for the view's inline error (it translates the value).
enum class Problem {
    none,
    empty,              ///< required and empty (or only spaces)
    too_long,           ///< longer than the field allows (see the check)
    control_character,  ///< holds a control character (tab, newline …) or is not UTF-8
    mismatch,           ///< the passphrase typed twice differs
    too_short,          ///< a passphrase shorter than kMinPassphraseChars
    bad_user_name,      ///< a user name with a space, or the reserved name "recovery"
    bad_centre,         ///< centre code: 4–12 of A–Z and 0–9 (receipt numbers carry it)
    bad_terminal,       ///< terminal id: 1–4 of A–Z and 0–9 (e.g. "T3"; receipt numbers carry it)
    out_of_range,       ///< a number outside the allowed range (see the check)
};
/// A stable code for logs and tests ("empty", "too_short" …).
const char* to_code(Problem p);

// ---- (a) prefs before unlock: <store>/desk.json ----

// The prefs file lives in the store module (ow/store/desk_prefs.h), which `onewindow-cli settings`
// shares; the desk names them here as before.
using store::DeskPrefs;
using store::Language;
using store::LoadedPrefs;
using store::kPrefsFileName;
using store::load_prefs;
using store::parse_language;
using store::save_prefs;
using store::to_code;

// ---- (b) settings inside the store (signed in) ----

/// The idle lock the desk offers: whole minutes from 1 to 120. There is no "never": the desk
/// holds applicants' personal data on laptops in public halls, and 等保 asks for a session
/// time-out. The default (10 min) is store::Settings'.
inline constexpr std::chrono::minutes kIdleLockMin{store::kIdleLockMinMinutes};
inline constexpr std::chrono::minutes kIdleLockMax{store::kIdleLockMaxMinutes};

/// Problem::out_of_range outside [kIdleLockMin, kIdleLockMax], else none.
Problem check_idle_lock(std::chrono::minutes m);
/// The idle lock time of the store, in minutes. A stored value outside the desk's range (another
/// tool may store 30 s – 24 h) is used clamped into it; seconds round up to a whole minute.
std::chrono::minutes idle_lock(store::Store& store);
/// Stores the idle lock time, or refuses it (nothing written) and returns why.
Problem set_idle_lock(store::Store& store, std::chrono::minutes m);

/// The longest window label, in characters (it sits in the header beside the user's name).
inline constexpr std::size_t kWindowLabelMaxChars = store::kWindowLabelMaxChars;
/// A window label ("3号窗口"): empty allowed (none: the header shows the terminal id); at most
/// kWindowLabelMaxChars characters of UTF-8 without control characters. Leading and trailing
/// spaces do not count (set_window_label trims them).
Problem check_window_label(std::string_view label);
std::string window_label(store::Store& store);
/// Stores the label trimmed, or refuses it (nothing written) and returns why.
Problem set_window_label(store::Store& store, std::string_view label);

/// Where notices are printed (settings print.printer, print.paper): the printer's name (empty:
/// the system's default) and the paper ("A4", "A5", "A3", "B5", "Letter").
struct PrintSetup {
    std::string printer;
    std::string paper = "A4";
    bool operator==(const PrintSetup&) const = default;
};
PrintSetup print_setup(store::Store& store);

// ---- field checks shared with the first-run screen ----

/// The shortest passphrase the desk accepts, in characters (Chinese characters count one each);
/// never fewer bytes than the store's own minimum (store::kMinPasswordBytes).
inline constexpr std::size_t kMinPassphraseChars = 8;
/// The longest passphrase: the capacity of the guarded buffer the view types into.
inline constexpr std::size_t kMaxPassphraseBytes = 1023;

/// A sign-in name: 1–64 bytes (store::kMaxUserNameBytes), no spaces or control characters, not
/// "recovery" (the audit trail's name for recovery-key sessions).
Problem check_user_name(std::string_view name);
/// A display name (shown on the desk and on notices as 经办人): required, at most 32 characters
/// and 100 bytes, no control characters. Surrounding spaces do not count.
Problem check_display_name(std::string_view name);
/// A new passphrase: empty, too_short (below kMinPassphraseChars characters or
/// store::kMinPasswordBytes bytes), too_long (above kMaxPassphraseBytes), control_character
/// (also for bytes that are not UTF-8). Spaces count: they are part of the passphrase.
Problem check_passphrase(std::string_view passphrase);
/// Centre code and terminal id as receipt numbers need them (core::ReceiptNumberIssuer's rule:
/// centre 4–12, terminal 1–4 of A–Z and 0–9). Upper case only: see normalise_code.
Problem check_centre(std::string_view centre);
Problem check_terminal(std::string_view terminal);
/// A typed code as the checks want it: trimmed, ASCII letters in upper case ("t3 " → "T3").
std::string normalise_code(std::string_view code);

/// Number of UTF-8 characters, or nothing when `s` is not valid UTF-8 (the store's).
using store::utf8_length;
/// `s` without leading and trailing ASCII spaces and tabs.
std::string_view trim(std::string_view s);

}  // namespace ow::app
