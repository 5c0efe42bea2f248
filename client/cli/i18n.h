// The CLI's language: its human messages (stderr, --help) through gettext with the desk's
// catalogue (text domain "onewindow", i18n/*.po), never its machine output (stdout JSON, CSV, IDs).
// wx-free: glibc's dgettext on a catalogue bound here.
//
// The language comes from the environment the gettext way: LANGUAGE (a list, its first language
// with a catalogue; honoured unless the locale is C or POSIX, as gettext does), else the first set
// of LC_ALL, LC_MESSAGES, LANG. zh_CN, zh_SG, zh_Hans, zh → zh_CN; zh_TW, zh_HK, zh_MO, zh_Hant →
// zh_TW; anything else, C, POSIX or nothing → English (also when the language's catalogue is not
// found), and in English nothing is looked up at all: the output is byte for byte the source text.
// Only the message catalogue changes: LC_NUMERIC, LC_CTYPE and the rest stay "C" (numbers, JSON).
#pragma once

#include "ow/core/error.h"

#include <string>
#include <string_view>
#include <vector>

namespace ow::cli {

/// Marks a string for xgettext (keyword TR_N_) without translating it (tables of static texts).
#define TR_N_(text) text

/// "zh_CN", "zh_TW" or "en" for the given values of LANGUAGE, LC_ALL, LC_MESSAGES and LANG
/// (nullptr = unset). Pure: the rules above, testable without the environment.
std::string pick_language(const char* language, const char* lc_all, const char* lc_messages, const char* lang);

/// Picks the language from the environment and, unless English, binds the catalogue
/// (<exe>/../share/locale, else the install prefix's). Call once at start, before any tr().
void init_language();

/// The language init_language() chose ("en" before it is called).
const std::string& language();

/// The translation of an English source text (a msgid of the "onewindow" domain); the text itself
/// in English or when the catalogue has no translation.
const char* tr(const char* english);

/// `pattern` with %1 … %9 replaced by the values (positional, so translators can reorder);
/// %% is a percent sign.
std::string subst(std::string_view pattern, std::initializer_list<std::string_view> values);
std::string subst(std::string_view pattern, const std::vector<std::string>& values);
template <class... V>
std::string subst(std::string_view pattern, const V&... values) {
    return subst(pattern, {std::string_view(values)...});
}

/// A core error for a person: in English e.what() (as always); otherwise the translated sentence
/// of its code (ow/core/messages.h) followed by the code, e.g. "缺少必需材料…（workflow.materials_missing）",
/// or the translated e.what() when the code is unknown (e.what() itself when no translation).
std::string error_text(const core::Error& e);

/// The same with the code always shown: in English "e.what() [code]" (as always); otherwise
/// error_text(e) when it carries the code, else "translated e.what() [code]".
std::string coded_text(const core::Error& e);

}  // namespace ow::cli
