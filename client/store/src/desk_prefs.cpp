#include "ow/store/desk_prefs.h"

#include "ow/core/error.h"
#include "ow/core/secure_file.h"
#include "ow/store/keys.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>

namespace ow::store {
namespace {

using json = nlohmann::json;

constexpr std::uintmax_t kMaxPrefsBytes = 64 * 1024;
constexpr const char* kPrefsFormat = "onewindow-desk";

bool has_control(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

void add_problem(std::string& problems, const std::string& what) {
    if (!problems.empty()) problems += "; ";
    problems += what;
}

}  // namespace

const char* to_code(Language l) {
    switch (l) {
    case Language::zh_CN: return "zh_CN";
    case Language::zh_TW: return "zh_TW";
    case Language::en: return "en";
    }
    return "zh_CN";
}

std::optional<Language> parse_language(std::string_view code) {
    for (Language l : {Language::zh_CN, Language::zh_TW, Language::en})
        if (code == to_code(l)) return l;
    return std::nullopt;
}

LoadedPrefs load_prefs(const std::filesystem::path& store_dir) {
    LoadedPrefs out;
    const auto path = store_dir / kPrefsFileName;
    std::error_code ec;
    auto st = std::filesystem::symlink_status(path, ec);
    if (st.type() == std::filesystem::file_type::not_found) return out;  // first start: the defaults
    const std::string where = path.string() + ": ";
    if (ec || st.type() != std::filesystem::file_type::regular) {
        out.problem = where + "not a regular file; using the default desk prefs";
        return out;
    }
    auto size = std::filesystem::file_size(path, ec);
    if (ec || size > kMaxPrefsBytes) {
        out.problem = where + (ec ? "cannot be read" : "larger than 64 KiB") + "; using the default desk prefs";
        return out;
    }
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
        out.problem = where + "cannot be read; using the default desk prefs";
        return out;
    }
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || doc.value("format", "") != kPrefsFormat) {
        out.problem = where + "not a desk prefs file (damaged?); using the default desk prefs";
        return out;
    }
    std::string problems;
    if (auto it = doc.find("language"); it != doc.end()) {
        auto l = it->is_string() ? parse_language(it->get<std::string>()) : std::nullopt;
        if (l) out.prefs.language = *l;
        else add_problem(problems, "unknown language (using zh_CN)");
    }
    if (auto it = doc.find("large_font"); it != doc.end()) {
        if (it->is_boolean()) out.prefs.large_font = it->get<bool>();
        else add_problem(problems, "large_font is not true or false (using false)");
    }
    if (auto it = doc.find("last_user"); it != doc.end()) {
        // Any name the store takes (the CLI may have made "wang fang"), but nothing that could
        // garble the lock screen.
        const std::string name = it->is_string() ? it->get<std::string>() : std::string("\n");
        if (name.size() <= kMaxUserNameBytes && utf8_length(name) && !has_control(name))
            out.prefs.last_user = name;
        else add_problem(problems, "last_user is not a user name (ignored)");
    }
    if (!problems.empty()) out.problem = where + problems;
    return out;
}

void save_prefs(const std::filesystem::path& store_dir, const DeskPrefs& prefs) {
    json doc = {{"format", kPrefsFormat},
                {"format_version", 1},
                {"language", to_code(prefs.language)},
                {"large_font", prefs.large_font},
                {"last_user", prefs.last_user}};
    std::error_code ec;
    if (!std::filesystem::is_directory(store_dir, ec))
        throw core::Error("io.write", "cannot write the desk prefs: " + store_dir.string() + " is not a folder");
    core::write_secret_file(store_dir / kPrefsFileName, doc.dump(2) + "\n");
}

std::optional<std::size_t> utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++n) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        if (len == 0 || i + len > s.size()) return std::nullopt;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return std::nullopt;
        i += len;
    }
    return n;
}

}  // namespace ow::store
