#include "ow/core/date.h"

#include "ow/core/error.h"

#include <cstdio>

namespace ow::core {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

std::optional<Date> ymd_at(std::string_view s, std::size_t pos) {
    int y = 0, m = 0, d = 0;
    if (!digits(s, pos, 4, y) || s.size() < pos + 10 || s[pos + 4] != '-' || !digits(s, pos + 5, 2, m) ||
        s[pos + 7] != '-' || !digits(s, pos + 8, 2, d))
        return std::nullopt;
    std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(m)}, std::chrono::day{unsigned(d)}};
    if (!ymd.ok()) return std::nullopt;
    return Date{ymd};
}

}  // namespace

std::optional<Date> try_parse_date(std::string_view text) noexcept {
    if (text.size() != 10) return std::nullopt;
    return ymd_at(text, 0);
}

Date parse_date(std::string_view text) {
    if (auto d = try_parse_date(text)) return *d;
    throw ParseError("date.invalid", "not a valid date (expected YYYY-MM-DD): '" + std::string(text.substr(0, 40)) + "'");
}

std::string format_date(Date d) {
    std::chrono::year_month_day ymd{d};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
    return buf;
}

Instant parse_instant(std::string_view s) {
    auto fail = [&]() -> Instant {
        throw ParseError("instant.invalid", "not a valid RFC 3339 time: '" + std::string(s.substr(0, 40)) + "'");
    };
    auto day = ymd_at(s, 0);
    int hh = 0, mm = 0, ss = 0;
    if (!day || s.size() < 20 || (s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, hh) || s[13] != ':' ||
        !digits(s, 14, 2, mm) || s[16] != ':' || !digits(s, 17, 2, ss) || hh > 23 || mm > 59 || ss > 60)
        return fail();
    std::size_t pos = 19;
    int millis = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int scale = 100, n = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            millis += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
            ++n;
        }
        if (n == 0) return fail();
    }
    int offset_min = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int oh = 0, om = 0;
        if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om) ||
            oh > 23 || om > 59)
            return fail();
        offset_min = (s[pos] == '-' ? -1 : 1) * (oh * 60 + om);
        pos += 6;
    } else {
        return fail();
    }
    if (pos != s.size()) return fail();
    using namespace std::chrono;
    auto t = Instant{*day} + hours{hh} + minutes{mm} + seconds{ss > 59 ? 59 : ss} + milliseconds{millis} -
             minutes{offset_min};
    return t;
}

std::string format_instant(Instant t) {
    using namespace std::chrono;
    auto day = floor<days>(t);
    auto rest = t - day;
    auto h = duration_cast<hours>(rest);
    auto m = duration_cast<minutes>(rest - h);
    auto sec = duration_cast<seconds>(rest - h - m);
    auto ms = duration_cast<milliseconds>(rest - h - m - sec);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%03dZ", format_date(Date{day}).c_str(), int(h.count()),
                  int(m.count()), int(sec.count()), int(ms.count()));
    return buf;
}

Instant now() { return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()); }

Date china_date(Instant t) { return std::chrono::floor<std::chrono::days>(t + std::chrono::hours{8}); }

std::string format_china_minute(Instant t) {
    auto local = t + std::chrono::hours{8};
    auto midnight = std::chrono::floor<std::chrono::days>(local);
    std::chrono::hh_mm_ss hms{std::chrono::duration_cast<std::chrono::minutes>(local - midnight)};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", int(hms.hours().count()), int(hms.minutes().count()));
    return format_date(Date{midnight}) + " " + buf;
}

}  // namespace ow::core
