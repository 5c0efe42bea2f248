#include "ow/store/settings_registry.h"

#include "ow/core/date.h"
#include "ow/store/audit.h"
#include "ow/store/cases.h"
#include "ow/store/desk_prefs.h"
#include "ow/store/errors.h"
#include "ow/store/keys.h"
#include "ow/store/repositories.h"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace ow::store {
namespace {

using json = nlohmann::json;

[[noreturn]] void refuse(const SettingDef& def, const std::string& reason, const std::string& why) {
    throw SettingRefused(reason, def.name + ": " + why);
}

std::string_view trim(std::string_view s) {
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool has_control(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    for (;;) {
        auto p = s.find(sep);
        out.push_back(trim(s.substr(0, p)));
        if (p == std::string_view::npos) return out;
        s.remove_prefix(p + 1);
    }
}

bool loopback_host(std::string_view host) {
    return host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

/// scheme://[userinfo@]host[:port][/path]: the parts, or a reason.
struct UrlParts {
    std::string scheme, userinfo, host, path;
    int port = 0;
};
std::optional<std::string> split_url(std::string_view s, UrlParts& out) {
    if (s.find_first_of(" \"<>\\^`{|}") != std::string_view::npos || has_control(s)) return "it holds spaces or characters a URL cannot hold";
    auto sep = s.find("://");
    if (sep == std::string_view::npos) return "it is not a URL (scheme://host)";
    out.scheme = lower(s.substr(0, sep));
    s.remove_prefix(sep + 3);
    auto slash = s.find('/');
    std::string_view authority = s.substr(0, slash);
    out.path = slash == std::string_view::npos ? "" : std::string(s.substr(slash));
    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
        out.userinfo = std::string(authority.substr(0, at));
        authority.remove_prefix(at + 1);
    }
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {  // [IPv6]
        auto close = authority.find(']');
        if (close == std::string_view::npos) return "the host is not a valid IPv6 address";
        out.host = lower(authority.substr(0, close + 1));
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') return "the host is not a valid IPv6 address";
            port = authority.substr(close + 2);
        }
    } else {
        auto colon = authority.find(':');
        out.host = lower(authority.substr(0, colon));
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
        if (out.host.empty()) return "it has no host";
        for (char c : out.host)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.')) return "the host holds a character a host name cannot hold";
        if (out.host.front() == '.' || out.host.front() == '-' || out.host.find("..") != std::string::npos)
            return "the host is not a valid host name";
    }
    if (!port.empty() || (authority.size() && authority.back() == ':')) {
        int p = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
        if (ec != std::errc() || end != port.data() + port.size() || p < 1 || p > 65535) return "the port is not a number from 1 to 65535";
        out.port = p;
    }
    if (out.path.find_first_of("?#") != std::string::npos) return "it holds a query or fragment (?, #)";
    return std::nullopt;
}

/// The PEM CERTIFICATE blocks of `text`, each decoded and checked to be one DER SEQUENCE.
std::optional<std::string> check_pem_certificates(std::string_view text) {
    static constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----", kEnd = "-----END CERTIFICATE-----";
    int count = 0;
    std::size_t pos = 0;
    for (;;) {
        auto b = text.find("-----BEGIN ", pos);
        if (b == std::string_view::npos) break;
        if (text.substr(b, kBegin.size()) != kBegin) return "it holds a PEM block that is not a certificate (a private key?)";
        auto e = text.find(kEnd, b);
        if (e == std::string_view::npos) return "a certificate has no END line";
        std::string_view body = text.substr(b + kBegin.size(), e - b - kBegin.size());
        std::vector<unsigned char> der(body.size());
        std::size_t len = 0;
        if (sodium_base642bin(der.data(), der.size(), body.data(), body.size(), " \t\r\n", &len, nullptr,
                              sodium_base64_VARIANT_ORIGINAL) != 0 || len < 4)
            return "a certificate's base64 text is damaged";
        // DER: SEQUENCE (0x30) whose length covers exactly the decoded bytes.
        std::size_t hdr = 2, n = der[1];
        if (der[0] != 0x30) return "a certificate is not DER (no SEQUENCE)";
        if (n & 0x80) {
            std::size_t k = n & 0x7f;
            if (k == 0 || k > 4 || len < 2 + k) return "a certificate's length is damaged";
            n = 0;
            for (std::size_t i = 0; i < k; ++i) n = (n << 8) | der[2 + i];
            hdr = 2 + k;
        }
        if (hdr + n != len) return "a certificate's length does not match its content";
        ++count;
        pos = e + kEnd.size();
    }
    if (count == 0) return "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
    return std::nullopt;
}

int parse_clock(const SettingDef* def, std::string_view s) {
    auto colon = s.find(':');
    int h = -1, m = -1;
    auto num = [](std::string_view t, int& v) {
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        return ec == std::errc() && end == t.data() + t.size() && !t.empty() && t.size() <= 2;
    };
    if (colon == std::string_view::npos || !num(s.substr(0, colon), h) || !num(s.substr(colon + 1), m) ||
        s.substr(colon + 1).size() != 2 || h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0))
        throw SettingRefused("bad_hours", (def ? def->name + ": " : std::string()) + "'" + std::string(s) +
                                              "' is not a time of day (HH:MM, 00:00 to 24:00)");
    return h * 60 + m;
}

TimeSpan parse_span(const SettingDef* def, std::string_view s) {
    auto dash = s.find('-');
    if (dash == std::string_view::npos)
        throw SettingRefused("bad_hours", (def ? def->name + ": " : std::string()) + "'" + std::string(s) +
                                              "' is not a span of time (HH:MM-HH:MM)");
    TimeSpan t{parse_clock(def, trim(s.substr(0, dash))), parse_clock(def, trim(s.substr(dash + 1)))};
    if (t.start >= t.end)
        throw SettingRefused("bad_hours", (def ? def->name + ": " : std::string()) + "'" + std::string(s) +
                                              "' ends before it starts");
    return t;
}

std::string clock_text(int minutes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
    return buf;
}
std::string span_text(const TimeSpan& t) { return clock_text(t.start) + "-" + clock_text(t.end); }

constexpr std::array<const char*, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int day_index(const SettingDef* def, std::string_view d) {
    std::string l = lower(trim(d));
    for (int i = 0; i < 7; ++i)
        if (l == kDays[std::size_t(i)]) return i;
    throw SettingRefused("bad_hours", (def ? def->name + ": " : std::string()) + "'" + std::string(d) +
                                          "' is not a day (mon, tue, wed, thu, fri, sat, sun)");
}

bool overlaps(const TimeSpan& a, const TimeSpan& b) { return a.start < b.end && b.start < a.end; }

std::vector<TimeSpan> hours_of(const SettingDef* def, std::string_view text) {
    std::vector<TimeSpan> out;
    for (auto part : split(text, ',')) out.push_back(parse_span(def, part));
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.start < b.start; });
    for (std::size_t i = 1; i < out.size(); ++i)
        if (overlaps(out[i - 1], out[i]))
            throw SettingRefused("overlap", (def ? def->name + ": " : std::string()) + span_text(out[i - 1]) + " and " +
                                                span_text(out[i]) + " overlap");
    return out;
}

/// DAYS of a `windows` or `roster` entry ("mon-fri", "sat,sun").
std::array<bool, 7> days_of(const SettingDef* def, std::string_view text) {
    std::array<bool, 7> days{};
    for (auto d : split(text, ',')) {
        auto dash = d.find('-');
        if (dash == std::string_view::npos) {
            days[std::size_t(day_index(def, d))] = true;
        } else {
            int a = day_index(def, d.substr(0, dash)), b = day_index(def, d.substr(dash + 1));
            if (a > b)
                throw SettingRefused("bad_hours", (def ? def->name + ": " : std::string()) + "'" + std::string(d) +
                                                      "' runs backwards (mon-fri, not fri-mon)");
            for (int i = a; i <= b; ++i) days[std::size_t(i)] = true;
        }
    }
    return days;
}

std::vector<DayWindow> windows_of(const SettingDef* def, std::string_view text) {
    std::vector<DayWindow> out;
    if (trim(text).empty()) return out;
    for (auto part : split(text, ';')) {
        auto space = part.find_first_of(" \t");
        if (part.empty() || space == std::string_view::npos)
            throw SettingRefused("bad_hours", (def ? def->name + ": " : std::string()) + "'" + std::string(part) +
                                                  "' is not DAYS HH:MM-HH:MM (e.g. mon-fri 17:00-19:00)");
        DayWindow w;
        w.days = days_of(def, part.substr(0, space));
        w.span = parse_span(def, trim(part.substr(space)));
        for (const auto& o : out)
            for (std::size_t d = 0; d < 7; ++d)
                if (o.days[d] && w.days[d] && overlaps(o.span, w.span))
                    throw SettingRefused("overlap", (def ? def->name + ": " : std::string()) + span_text(o.span) + " and " +
                                                        span_text(w.span) + " overlap on " + kDays[d]);
        out.push_back(w);
    }
    return out;
}

std::vector<DutyEntry> roster_of(const SettingDef* def, std::string_view text) {
    const std::string who = def ? def->name + ": " : std::string();
    std::vector<DutyEntry> out;
    if (trim(text).empty()) return out;
    for (auto part : split(text, ';')) {
        auto space = part.find_first_of(" \t");
        if (part.empty() || space == std::string_view::npos)
            throw SettingRefused("bad_roster", who + "'" + std::string(part) + "' is not DAYS NAME[,NAME…] (e.g. mon-fri 王芳)");
        DutyEntry e;
        try {
            e.days = days_of(def, part.substr(0, space));
        } catch (const SettingRefused& x) {
            throw SettingRefused("bad_roster", x.what());
        }
        for (auto name : split(part.substr(space), ',')) {
            auto n = utf8_length(name);
            if (name.empty() || !n || *n > kDutyNameMaxChars || has_control(name))
                throw SettingRefused("bad_roster", who + "'" + std::string(name) + "' is not a name (1 to " +
                                                       std::to_string(kDutyNameMaxChars) + " characters)");
            e.names.emplace_back(name);
        }
        if (e.names.size() > kDutyNamesMax)
            throw SettingRefused("bad_roster", who + "at most " + std::to_string(kDutyNamesMax) + " names a day");
        for (const auto& o : out)
            for (std::size_t d = 0; d < 7; ++d)
                if (o.days[d] && e.days[d]) throw SettingRefused("overlap", who + std::string(kDays[d]) + " is named twice");
        out.push_back(std::move(e));
    }
    return out;
}

std::string days_text(const std::array<bool, 7>& days) {
    std::string out;
    for (int i = 0; i < 7;) {
        if (!days[std::size_t(i)]) {
            ++i;
            continue;
        }
        int j = i;
        while (j + 1 < 7 && days[std::size_t(j + 1)]) ++j;
        if (!out.empty()) out += ",";
        out += kDays[std::size_t(i)];
        if (j > i) out += std::string(j == i + 1 ? "," : "-") + kDays[std::size_t(j)];
        i = j + 1;
    }
    return out;
}

std::vector<SettingDef> make_defs() {
    using T = SettingType;
    using H = SettingHome;
    std::vector<SettingDef> d;
    auto add = [&](std::string name, T type, std::string def, std::string desc, bool admin, H home, long min = 0, long max = 0,
                   std::vector<std::string> choices = {}) {
        d.push_back({std::move(name), type, std::move(def), std::move(desc), admin, home, min, max, std::move(choices)});
    };
    add("platform.url", T::url, "", "the platform's address (https://, or http:// on this machine); change it for a connected terminal",
         true, H::platform);
    add("platform.ca_bundle", T::pem, "", "extra CA certificates (PEM) the platform's TLS certificate is checked against; empty: the system's",
         true, H::platform);
    add("platform.client_cert", T::pem, "",
        "this terminal's client certificate (PEM) for mutual TLS, issued at enrolment and renewed at sync; read only", true,
        H::platform);
    d.back().read_only = true;  // its private key is made on this terminal and never typed in
    add("platform.proxy", T::proxy, "", "proxy for the platform (http, https, socks5 or socks5h URL); empty: none", true, H::platform);
    add("lock.idle_minutes", T::integer, std::to_string(std::chrono::duration_cast<std::chrono::minutes>(Settings::kDefaultIdleLock).count()),
         "minutes without input before the desk locks", true, H::store, kIdleLockMinMinutes, kIdleLockMaxMinutes);
    add("window.label", T::text, "", "the window's name in the desk's header (e.g. 3号窗口); empty: the terminal id", true, H::store, 0,
         kWindowLabelMaxChars);
    add("print.printer", T::text, "", "the printer for notices; empty: the system's default printer", false, H::store, 0, 128);
    add("print.paper", T::choice, "A4", "paper size of printed notices", false, H::store, 0, 0, {"A4", "A5", "A3", "B5", "Letter"});
    add("ui.language", T::choice, to_code(DeskPrefs{}.language), "the desk's language", false, H::desk_prefs, 0, 0,
         {"zh_CN", "zh_TW", "en"});
    add("ui.large_font", T::boolean, DeskPrefs{}.large_font ? "true" : "false", "large font (1.5×) on the desk", false, H::desk_prefs);
    add("devices.id_reader", T::plugin, "", "plugin for the ID card reader; empty: the first found", true, H::store);
    add("devices.scanner", T::plugin, "", "plugin for the scanner; empty: the first found", true, H::store);
    add("devices.rating_device", T::plugin, "", "plugin for the rating device; empty: the first found", true, H::store);
    add("devices.signature", T::plugin, "", "plugin for the signature pad; empty: the first found", true, H::store);
    add("hours.regular", T::hours, "09:00-12:00,13:30-17:00", "opening hours of a working day", true, H::store);
    add("hours.extended", T::windows, "", "extended hours (延时服务) after closing, e.g. mon-fri 17:00-18:30; empty: none", true, H::store);
    add("hours.staggered", T::windows, "", "staggered hours (错时服务) at lunch and weekends, e.g. mon-fri 12:00-13:30; sat 09:00-12:00",
         true, H::store);
    add("hours.duty", T::roster, "", "duty roster of this window: who is on duty on which days, e.g. mon-fri 王芳; sat 李强,张伟; empty: none",
         true, H::store);
    return d;
}

std::string redact_proxy(const std::string& url) {
    UrlParts p;
    if (url.empty() || split_url(url, p) || p.userinfo.find(':') == std::string::npos) return url;
    auto user = p.userinfo.substr(0, p.userinfo.find(':'));
    auto at = url.find(p.userinfo);
    return url.substr(0, at) + user + ":***" + url.substr(at + p.userinfo.size());
}

/// What the audit trail records of a value: certificates by their digest, a proxy without its password.
json audit_value(const SettingDef& def, const std::string& v) {
    if (def.type == SettingType::pem) return v.empty() ? json(nullptr) : json("sha256:" + sha256_hex(v));
    if (def.type == SettingType::proxy) return redact_proxy(v);
    return v;
}

/// The stored JSON of a canonical value.
json to_stored(const SettingDef& def, const std::string& v) {
    if (def.type == SettingType::integer) return std::stol(v);
    if (def.type == SettingType::boolean) return v == "true";
    return v;
}

std::optional<std::string> from_stored(const SettingDef& def, const json& j) {
    try {
        if (def.type == SettingType::integer && j.is_number_integer()) return check_setting(def, std::to_string(j.get<long long>()));
        if (def.type == SettingType::boolean && j.is_boolean()) return j.get<bool>() ? "true" : "false";
        if (j.is_string()) return check_setting(def, j.get<std::string>());
    } catch (const SettingRefused&) {
    }
    return std::nullopt;
}

}  // namespace

const char* to_code(SettingType t) {
    switch (t) {
    case SettingType::text: return "text";
    case SettingType::integer: return "integer";
    case SettingType::boolean: return "boolean";
    case SettingType::choice: return "choice";
    case SettingType::url: return "url";
    case SettingType::proxy: return "proxy";
    case SettingType::pem: return "pem";
    case SettingType::plugin: return "plugin";
    case SettingType::hours: return "hours";
    case SettingType::windows: return "windows";
    case SettingType::roster: return "roster";
    }
    return "text";
}

const std::vector<SettingDef>& setting_defs() {
    static const std::vector<SettingDef> defs = make_defs();
    return defs;
}

const SettingDef* find_setting(std::string_view name) {
    for (const auto& d : setting_defs())
        if (d.name == name) return &d;
    return nullptr;
}

std::string check_setting(const SettingDef& def, std::string_view text) {
    // PEM keeps its lines; everything else is one line without surrounding blanks.
    std::string_view v = trim(text);
    if (def.type != SettingType::pem && has_control(v)) refuse(def, "control_character", "the value holds a control character (tab, newline …)");
    if (!utf8_length(v)) refuse(def, "control_character", "the value is not UTF-8 text");
    switch (def.type) {
    case SettingType::text: {
        if (*utf8_length(v) > std::size_t(def.max))
            refuse(def, "too_long", "at most " + std::to_string(def.max) + " characters");
        return std::string(v);
    }
    case SettingType::integer: {
        long n = 0;
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (v.empty() || ec != std::errc() || end != v.data() + v.size()) refuse(def, "not_a_number", "'" + std::string(v) + "' is not a whole number");
        if (n < def.min || n > def.max)
            refuse(def, "out_of_range", std::to_string(n) + " is outside " + std::to_string(def.min) + " to " + std::to_string(def.max));
        return std::to_string(n);
    }
    case SettingType::boolean: {
        std::string l = lower(v);
        if (l == "true" || l == "yes" || l == "on" || l == "1") return "true";
        if (l == "false" || l == "no" || l == "off" || l == "0") return "false";
        refuse(def, "not_boolean", "'" + std::string(v) + "' is not true or false");
    }
    case SettingType::choice: {
        for (const auto& c : def.choices)
            if (lower(c) == lower(v)) return c;
        std::string all;
        for (const auto& c : def.choices) all += (all.empty() ? "" : ", ") + c;
        refuse(def, "not_a_choice", "'" + std::string(v) + "' is not one of " + all);
    }
    case SettingType::url: {
        if (v.empty()) refuse(def, "empty", "an address is required");
        UrlParts p;
        if (auto why = split_url(v, p)) refuse(def, "bad_url", "'" + std::string(v) + "': " + *why);
        if (!p.userinfo.empty()) refuse(def, "bad_url", "the address must not hold a user name or password");
        if (p.scheme == "http" && !loopback_host(p.host))
            refuse(def, "insecure_url", "http:// is allowed only for a platform on this machine (loopback); use https://");
        if (p.scheme != "https" && p.scheme != "http") refuse(def, "bad_url", "the address must start with https://");
        std::string out = p.scheme + "://" + p.host + (p.port ? ":" + std::to_string(p.port) : "") + p.path;
        while (out.size() > p.scheme.size() + 3 + p.host.size() && out.back() == '/') out.pop_back();
        return out;
    }
    case SettingType::proxy: {
        if (v.empty()) return {};
        UrlParts p;
        if (auto why = split_url(v, p)) refuse(def, "bad_proxy", "'" + redact_proxy(std::string(v)) + "': " + *why);
        if (p.scheme != "http" && p.scheme != "https" && p.scheme != "socks5" && p.scheme != "socks5h")
            refuse(def, "bad_proxy", "a proxy URL starts with http://, https://, socks5:// or socks5h://");
        if (!p.path.empty() && p.path != "/") refuse(def, "bad_proxy", "a proxy URL has no path");
        return std::string(v.substr(0, v.size() - (p.path == "/" ? 1 : 0)));
    }
    case SettingType::pem: {
        if (v.empty()) return {};
        if (v.size() > 1024 * 1024) refuse(def, "too_long", "at most 1 MiB of certificates");
        if (auto why = check_pem_certificates(v)) refuse(def, "bad_pem", *why);
        return std::string(v) + "\n";
    }
    case SettingType::plugin: {
        std::string l = lower(v);
        if (l.empty()) return {};
        bool ok = l.size() <= 64 && l.front() != '-' && l.front() != '.' &&
                  std::all_of(l.begin(), l.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; });
        if (!ok) refuse(def, "bad_plugin", "'" + std::string(v) + "' is not a plugin name (a-z, 0-9, -, _, .; see onewindow-cli plugins list)");
        return l;
    }
    case SettingType::hours: {
        if (v.empty()) refuse(def, "empty", "opening hours are required (e.g. 09:00-12:00,13:30-17:00)");
        std::string out;
        for (const auto& s : hours_of(&def, v)) out += (out.empty() ? "" : ",") + span_text(s);
        return out;
    }
    case SettingType::windows: {
        std::string out;
        for (const auto& w : windows_of(&def, v)) out += (out.empty() ? "" : "; ") + days_text(w.days) + " " + span_text(w.span);
        return out;
    }
    case SettingType::roster: {
        std::string out;
        for (const auto& e : roster_of(&def, v)) {
            out += (out.empty() ? "" : "; ") + days_text(e.days) + " ";
            for (std::size_t i = 0; i < e.names.size(); ++i) out += (i ? "," : "") + e.names[i];
        }
        return out;
    }
    }
    refuse(def, "unknown_key", "no such setting");
}

std::string shown_value(const SettingDef& def, const std::string& value) {
    return def.type == SettingType::proxy ? redact_proxy(value) : value;
}

std::vector<TimeSpan> parse_hours(std::string_view text) { return hours_of(nullptr, text); }
std::vector<DayWindow> parse_windows(std::string_view text) { return windows_of(nullptr, text); }
std::vector<DutyEntry> parse_roster(std::string_view text) { return roster_of(nullptr, text); }

std::vector<std::string> on_duty(const std::vector<DutyEntry>& roster, core::Date day) {
    const std::size_t i = core::iso_weekday(day) - 1;
    for (const auto& e : roster)
        if (e.days[i]) return e.names;
    return {};
}

bool may_administer(const Store& store) {
    if (store.user().role == core::Role::admin) return true;
    const KeyFile keys = KeyFile::load(store.dir());  // named: users() is a reference into it
    for (const auto& u : keys.users())
        if (u.role == core::Role::admin) return false;
    return true;
}

bool may_change_setting(const Store& store, const SettingDef& def) {
    return !def.read_only && (!def.admin_only || may_administer(store));
}

namespace {

const SettingDef& def_of(std::string_view name) {
    if (auto d = find_setting(name)) return *d;
    throw SettingRefused("unknown_key", "no setting '" + std::string(name) + "' (onewindow-cli settings list names them)");
}

/// The platform field a platform.* key stands for.
std::string* platform_field(PlatformConfig& p, const std::string& name) {
    if (name == "platform.url") return &p.url;
    if (name == "platform.ca_bundle") return &p.ca_pem;
    if (name == "platform.proxy") return &p.proxy;
    if (name == "platform.client_cert") return &p.client_cert_pem;
    return nullptr;
}

void wipe(std::string& s) {
    if (!s.empty()) sodium_memzero(s.data(), s.size());
    s.clear();
}

}  // namespace

std::string Settings::value(std::string_view key) const {
    const SettingDef& def = def_of(key);
    switch (def.home) {
    case SettingHome::desk_prefs:
        throw SettingRefused("unknown_key", def.name + " is a desk pref (desk.json), not kept in the store");
    case SettingHome::platform: {
        auto p = platform();
        if (!p) return def.default_value;
        std::string out = *platform_field(*p, def.name);
        wipe(p->secret);
        wipe(p->client_key_pem);
        return out;
    }
    case SettingHome::store: break;
    }
    if (def.name == "lock.idle_minutes") {  // kept as seconds (idle_lock) for older readers
        auto m = std::chrono::ceil<std::chrono::minutes>(idle_lock()).count();
        return std::to_string(std::clamp<long>(long(m), kIdleLockMinMinutes, kIdleLockMaxMinutes));
    }
    if (def.name == "window.label") {
        auto v = from_stored(def, json(window_label()));
        return v ? *v : def.default_value;
    }
    if (auto raw = get(def.name)) {
        json j = json::parse(*raw, nullptr, false);
        if (auto v = from_stored(def, j)) return *v;
    }
    return def.default_value;
}

std::string SettingValues::get(std::string_view name) const {
    const SettingDef& def = def_of(name);
    if (def.home != SettingHome::desk_prefs) return Settings(store_.db()).value(name);
    auto prefs = load_prefs(store_.dir()).prefs;
    if (def.name == "ui.language") return to_code(prefs.language);
    return prefs.large_font ? "true" : "false";
}

bool SettingValues::is_set(std::string_view name) const {
    const SettingDef& def = def_of(name);
    Settings settings(store_.db());
    switch (def.home) {
    case SettingHome::desk_prefs: return get(name) != def.default_value;
    case SettingHome::platform: return get(name) != def.default_value;
    case SettingHome::store: break;
    }
    if (def.name == "lock.idle_minutes") return settings.get("idle_lock_seconds").has_value();
    if (def.name == "window.label") return settings.get("window_label").has_value();
    return settings.get(def.name).has_value();
}

std::string SettingValues::set(std::string_view name, std::string_view text) {
    const SettingDef& def = def_of(name);
    if (def.read_only)
        throw SettingRefused("read_only", def.name + " is issued to this terminal at enrolment and renewed at sync, with a key made here; "
                                                     "it is not set by hand (nothing was changed)");
    const std::string value = check_setting(def, text);  // refused before anything is touched
    if (!may_change_setting(store_, def))
        throw NotAuthorised("only an administrator may change " + def.name + "; " + store_.user().name + " is a " +
                            std::string(core::to_code(store_.user().role)) + " (nothing was changed)");
    Db& db = store_.db();
    Settings settings(db);
    Transaction tx(db);
    const std::string before = get(name);
    switch (def.home) {
    case SettingHome::store:
        if (def.name == "lock.idle_minutes") settings.set_idle_lock(std::chrono::minutes(std::stol(value)));
        else if (def.name == "window.label") settings.set_window_label(value);
        else settings.put(def.name, to_stored(def, value).dump());
        break;
    case SettingHome::platform: {
        auto p = settings.platform();
        if (!p)
            throw SettingRefused("not_connected", def.name + ": no platform is connected; enrol this terminal first "
                                                             "(onewindow-cli platform enrol)");
        *platform_field(*p, def.name) = value;
        settings.set_platform(*p);
        wipe(p->secret);
        wipe(p->client_key_pem);
        break;
    }
    case SettingHome::desk_prefs: {
        auto prefs = load_prefs(store_.dir()).prefs;
        if (def.name == "ui.language") prefs.language = *parse_language(value);
        else prefs.large_font = value == "true";
        save_prefs(store_.dir(), prefs);  // the file first: the audit entry says what is there
        break;
    }
    }
    AuditLog(db).append(store_.actor(), core::now(), "settings.changed", "",
                        json{{"key", def.name}, {"before", audit_value(def, before)}, {"after", audit_value(def, value)}}.dump());
    tx.commit();
    return value;
}

CalendarImport import_calendar(Store& store, const std::string& text, const std::string& source) {
    const core::CalendarYear year = core::CalendarYear::parse(text, source);  // checked before the store is touched
    store.require_role(core::Role::admin, "import a working-day calendar");
    const core::Actor actor = store.actor();
    const core::Instant now = core::now();
    const std::string sha = sha256_hex(text);
    CalendarImport out{year.year, "imported " + sha.substr(0, 16), 0};
    Db& db = store.db();
    Transaction tx(db);
    PlatformCalendars cals(db);
    cals.put(out.revision, text);
    AuditLog(db).append(actor, now, "calendar.import", "",
                        json{{"year", year.year}, {"revision", out.revision}, {"file", source}, {"sha256", sha}}.dump());
    const core::WorkCalendar calendar = cals.calendar();
    out.recomputed = CaseStore(db, calendar).recompute_provisional(
        actor, now, "official working-day calendar " + std::to_string(year.year) + " imported");
    tx.commit();
    return out;
}

}  // namespace ow::store
