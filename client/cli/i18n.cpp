#include "i18n.h"

#include "ow/core/messages.h"
#include "ow/core/paths.h"

#include <clocale>
#include <cstdlib>
#include <filesystem>
#include <libintl.h>
#include <system_error>

namespace ow::cli {
namespace {

constexpr const char* kDomain = "onewindow";

std::string& chosen() {
    static std::string lang = "en";
    return lang;
}

/// zh_CN, zh_TW, en, or "" for a language we have no catalogue for ("fr_FR").
std::string map_one(std::string_view value) {
    std::string v(value.substr(0, value.find_first_of(".@")));
    for (auto& c : v)
        if (c == '-') c = '_';
    if (v == "C" || v == "POSIX") return "en";
    if (v.substr(0, 2) == "en" && (v.size() == 2 || v[2] == '_')) return "en";
    if (v.substr(0, 2) != "zh" || (v.size() > 2 && v[2] != '_')) return "";
    const std::string rest = v.size() > 2 ? v.substr(3) : "";
    for (const char* t : {"TW", "HK", "MO", "Hant"})
        if (rest.find(t) != std::string::npos) return "zh_TW";
    return "zh_CN";
}

bool set(const char* v) { return v && *v; }

std::filesystem::path catalogue_dir() {
    std::error_code ec;
    const auto here = core::locale_dir();
    if (std::filesystem::exists(here / chosen() / "LC_MESSAGES" / "onewindow.mo", ec)) return here;
#ifdef OW_INSTALL_LOCALEDIR
    return OW_INSTALL_LOCALEDIR;
#else
    return here;
#endif
}

}  // namespace

std::string pick_language(const char* language, const char* lc_all, const char* lc_messages, const char* lang) {
    // The locale setting LC_MESSAGES takes from the environment (POSIX: LC_ALL, LC_MESSAGES, LANG).
    const char* locale = set(lc_all) ? lc_all : set(lc_messages) ? lc_messages : set(lang) ? lang : nullptr;
    const bool c_locale = !locale || std::string_view(locale) == "C" || std::string_view(locale) == "POSIX";
    // gettext honours LANGUAGE unless the locale is C: its first language we have a catalogue for
    // (then the locale's language does not count).
    if (set(language) && !c_locale) {
        std::string_view list(language);
        while (!list.empty()) {
            const auto colon = list.find(':');
            const auto one = map_one(list.substr(0, colon));
            if (!one.empty()) return one;
            if (colon == std::string_view::npos) break;
            list.remove_prefix(colon + 1);
        }
        return "en";  // as gettext: none of the listed languages has a catalogue
    }
    if (c_locale) return "en";
    const auto one = map_one(locale);
    return one.empty() ? "en" : one;
}

void init_language() {
    chosen() = pick_language(std::getenv("LANGUAGE"), std::getenv("LC_ALL"), std::getenv("LC_MESSAGES"), std::getenv("LANG"));
    if (chosen() == "en") return;  // nothing looked up: the English source text, unchanged
    const auto dir = catalogue_dir();
    std::error_code ec;
    if (!std::filesystem::exists(dir / chosen() / "LC_MESSAGES" / "onewindow.mo", ec)) {
        chosen() = "en";  // no catalogue: English throughout rather than half of it
        return;
    }
    // gettext ignores LANGUAGE in the C locale, and zh_CN.UTF-8 is often not generated: take the
    // message category (only that one) from C.UTF-8, which glibc always has, and say the language
    // with LANGUAGE. The catalogue's UTF-8 comes out as UTF-8 whatever LC_CTYPE is.
    if (!std::setlocale(LC_MESSAGES, "C.UTF-8")) std::setlocale(LC_MESSAGES, "C.utf8");
    ::setenv("LANGUAGE", chosen().c_str(), 1);
    ::bindtextdomain(kDomain, dir.c_str());
    ::bind_textdomain_codeset(kDomain, "UTF-8");
}

const std::string& language() { return chosen(); }

const char* tr(const char* english) {
    if (chosen() == "en" || !english || !*english) return english;  // "" is the catalogue's header
    return ::dgettext(kDomain, english);
}

/// subst() for values in an array.
std::string subst_views(std::string_view pattern, const std::string_view* values, std::size_t count);

std::string subst(std::string_view pattern, std::initializer_list<std::string_view> values) {
    return subst_views(pattern, values.begin(), values.size());
}

std::string subst_views(std::string_view pattern, const std::string_view* values, std::size_t count) {
    std::string out;
    out.reserve(pattern.size() + 32);
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '%' && i + 1 < pattern.size()) {
            const char n = pattern[i + 1];
            if (n == '%') {
                out += '%';
                ++i;
                continue;
            }
            if (n >= '1' && n <= '9' && std::size_t(n - '1') < count) {
                out += values[n - '1'];
                ++i;
                continue;
            }
        }
        out += c;
    }
    return out;
}

std::string subst(std::string_view pattern, const std::vector<std::string>& values) {
    std::vector<std::string_view> views(values.begin(), values.end());
    return subst_views(pattern, views.data(), views.size());
}

std::string error_text(const core::Error& e) {
    if (chosen() == "en") return e.what();
    if (const char* text = core::outcome_message(e.code())) return std::string(tr(text)) + "（" + e.code() + "）";
    return tr(e.what());
}

std::string coded_text(const core::Error& e) {
    if (chosen() != "en" && core::outcome_message(e.code())) return error_text(e);
    return error_text(e) + " [" + e.code() + "]";
}

}  // namespace ow::cli
