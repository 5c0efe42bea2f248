// The desk's prefs the lock screen needs BEFORE unlock — language, large font, the last user who
// signed in. Nothing secret: they sit in <store>/desk.json beside keys.json, outside the encrypted
// database (docs/security-model.md, "Desk prefs before unlock"). A missing, damaged or foreign
// file gives the defaults and a reason for the log, never an error.
//
// Here (not in the desk) so that `onewindow-cli settings` and the desk read and write the one file
// the same way (the keys ui.language and ui.large_font of ow/store/settings_registry.h).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace ow::store {

enum class Language { zh_CN, zh_TW, en };
/// "zh_CN", "zh_TW", "en" (the --lang values and the gettext catalogue names).
const char* to_code(Language l);
/// The language for a code ("zh_CN", "zh_TW", "en"); nothing for anything else.
std::optional<Language> parse_language(std::string_view code);

struct DeskPrefs {
    Language language = Language::zh_CN;  ///< default: simplified Chinese
    bool large_font = false;
    std::string last_user;  ///< who signed in last (listed first on the lock screen); empty: nobody yet
};

struct LoadedPrefs {
    DeskPrefs prefs;
    /// Empty when the file was read whole (or did not exist yet). Otherwise why (part of) it was
    /// ignored, in English for the log: the affected fields have their defaults.
    std::string problem;
};

inline constexpr const char* kPrefsFileName = "desk.json";

/// Reads <store_dir>/desk.json. Never throws: a missing file gives the defaults silently; an
/// unreadable, oversized (> 64 KiB), malformed or foreign file, or a field of the wrong type or
/// value, gives the defaults for what could not be used and says why in `problem`.
LoadedPrefs load_prefs(const std::filesystem::path& store_dir);
/// Writes <store_dir>/desk.json atomically, 0600 (core::write_secret_file: readers see the old
/// or the whole new file). The folder must exist (the store's); throws core::Error ("io.write")
/// when it cannot be written and core::InvalidData when desk.json is a symbolic link.
void save_prefs(const std::filesystem::path& store_dir, const DeskPrefs& prefs);

/// Number of UTF-8 characters, or nothing when `s` is not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view s);

}  // namespace ow::store
