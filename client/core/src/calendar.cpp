#include "ow/core/calendar.h"

#include "ow/core/error.h"
#include "ow/core/paths.h"

#include "ow/core/json_reader.h"
#include "ow/core/lunar.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

namespace ow::core {
namespace {

int day_of_year(Date d) {
    std::chrono::year_month_day ymd{d};
    return int((d - Date{ymd.year() / std::chrono::January / 1}).count());
}

Date date_in_year(const JsonReader& r, const char* key, int year) {
    Date d = r.date(key);
    if (year_of(d) != year) r.fail_at(key, format_date(d) + " is outside the file's year");
    return d;
}

std::string clock_text(int minutes) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
    return buf;
}

int parse_clock(std::string_view s, std::string_view whole) {
    auto digits = [](std::string_view t) {
        return !t.empty() && t.size() <= 2 && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    auto colon = s.find(':');
    if (colon == std::string_view::npos || !digits(s.substr(0, colon)) || s.substr(colon + 1).size() != 2 || !digits(s.substr(colon + 1)))
        throw InvalidData("opening hours '" + std::string(whole) + "': '" + std::string(s) + "' is not a time of day (HH:MM)");
    int h = std::stoi(std::string(s.substr(0, colon))), m = std::stoi(std::string(s.substr(colon + 1)));
    if (h > 24 || m > 59 || (h == 24 && m != 0))
        throw InvalidData("opening hours '" + std::string(whole) + "': '" + std::string(s) + "' is not a time of day (00:00 to 24:00)");
    return h * 60 + m;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

constexpr std::int64_t kMsPerMinute = 60'000;
constexpr std::int64_t kMsPerDay = 24 * 60 * kMsPerMinute;

}  // namespace

// ---- OpeningHours ----

OpeningHours::OpeningHours(std::vector<Span> spans) : spans_(std::move(spans)) {
    for (std::size_t i = 0; i < spans_.size(); ++i) {
        const Span& s = spans_[i];
        if (s.start < 0 || s.end > 24 * 60 || s.start >= s.end)
            throw InvalidData("opening hours: " + clock_text(std::clamp(s.start, 0, 1440)) + "-" + clock_text(std::clamp(s.end, 0, 1440)) +
                              " is not a span of a day (start before end, 00:00 to 24:00)");
        if (i > 0 && spans_[i - 1].end > s.start)
            throw InvalidData("opening hours: the spans must be in order and must not overlap (" + text() + ")");
    }
}

OpeningHours OpeningHours::parse(std::string_view text) {
    std::vector<Span> spans;
    std::string_view rest = text;
    if (trimmed(text).empty()) throw InvalidData("opening hours are empty (e.g. 09:00-12:00,13:30-17:00)");
    for (;;) {
        auto comma = rest.find(',');
        std::string_view part = trimmed(rest.substr(0, comma));
        auto dash = part.find('-');
        if (dash == std::string_view::npos)
            throw InvalidData("opening hours '" + std::string(text) + "': '" + std::string(part) + "' is not a span (HH:MM-HH:MM)");
        spans.push_back({parse_clock(trimmed(part.substr(0, dash)), text), parse_clock(trimmed(part.substr(dash + 1)), text)});
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.start < b.start; });
    return OpeningHours(std::move(spans));
}

std::string OpeningHours::text() const {
    std::string out;
    for (const auto& s : spans_) out += (out.empty() ? "" : ",") + clock_text(s.start) + "-" + clock_text(s.end);
    return out;
}

int OpeningHours::minutes_per_day() const {
    int n = 0;
    for (const auto& s : spans_) n += s.end - s.start;
    return n;
}

CalendarYear CalendarYear::parse(std::string_view text, const std::string& source) {
    nlohmann::json doc = parse_json_text(text, source);
    JsonReader r(doc, source);
    r.object();
    if (r.str("format") != "onewindow-calendar") r.fail_at("format", "must be \"onewindow-calendar\"");
    r.int64("format_version", 1, 1);
    CalendarYear y;
    y.year = int(r.int64("year", 1990, 2200));
    y.document = r.str_or("document", "");

    JsonReader hs = r.at("holidays");
    hs.array();
    for (std::size_t i = 0; i < hs.size(); ++i) {
        JsonReader h = hs.at(i);
        h.object();
        Holiday hol{h.str("name"), h.str_or("name_en", ""), date_in_year(h, "from", y.year), date_in_year(h, "to", y.year)};
        if (hol.to < hol.from) h.fail("'to' is before 'from'");
        if ((hol.to - hol.from).count() > 31) h.fail("a holiday longer than a month is not plausible");
        y.holidays.push_back(std::move(hol));
    }
    JsonReader ws = r.at("workdays");
    ws.array();
    for (std::size_t i = 0; i < ws.size(); ++i) {
        JsonReader w = ws.at(i);
        w.object();
        Workday wd{date_in_year(w, "date", y.year), w.str_or("for", "")};
        if (!is_weekend(wd.date))
            w.fail_at("date", format_date(wd.date) + " is a weekday; only a weekend day can be a make-up workday");
        for (const auto& h : y.holidays)
            if (wd.date >= h.from && wd.date <= h.to) w.fail_at("date", format_date(wd.date) + " is also listed as a holiday");
        y.workdays.push_back(std::move(wd));
    }
    return y;
}

CalendarYear CalendarYear::provisional_year(int year) {
    using std::chrono::days;
    const lunar::FestivalDates f = lunar::festival_dates(year);  // CalendarRangeError outside 2000–2099
    auto on = [year](unsigned m, unsigned d) { return Date{std::chrono::year{year} / std::chrono::month{m} / std::chrono::day{d}}; };
    struct Festival {
        const char* name;
        const char* name_en;
        std::vector<Date> days;
        int lost = 0;  // statutory days on a weekend or on an earlier festival's day
    };
    std::vector<Festival> fs = {
        {"元旦", "New Year's Day", {on(1, 1)}},
        {"春节", "Spring Festival", {f.chuxi, f.chuxi + days{1}, f.chuxi + days{2}, f.chuxi + days{3}}},
        {"清明节", "Qingming Festival", {f.qingming}},
        {"劳动节", "Labour Day", {on(5, 1), on(5, 2)}},
        {"端午节", "Dragon Boat Festival", {f.dragon_boat}},
        {"中秋节", "Mid-Autumn Festival", {f.mid_autumn}},
        {"国庆节", "National Day", {on(10, 1), on(10, 2), on(10, 3)}},
    };
    std::stable_sort(fs.begin(), fs.end(), [](const Festival& a, const Festival& b) { return a.days.front() < b.days.front(); });
    std::map<Date, std::size_t> off;  // day -> festival
    for (std::size_t i = 0; i < fs.size(); ++i)
        for (Date d : fs[i].days) {
            if (is_weekend(d) || off.count(d)) ++fs[i].lost;
            off.emplace(d, i);
        }
    // 补假: the lost days follow the festival, on the first weekdays that are not yet off.
    for (std::size_t i = 0; i < fs.size(); ++i) {
        Date d = fs[i].days.back();
        for (int n = fs[i].lost; n > 0;) {
            d += days{1};
            if (year_of(d) != year) break;  // not reached: 国庆 is the last festival
            if (is_weekend(d) || off.count(d)) continue;
            off.emplace(d, i);
            --n;
        }
    }
    CalendarYear cy;
    cy.year = year;
    cy.provisional = true;
    cy.document = "provisional: 全国年节及纪念日放假办法 (2024 revision), 补假 per article 6; not a State Council schedule";
    for (const auto& [d, i] : off) {
        if (!cy.holidays.empty() && cy.holidays.back().name == fs[i].name && cy.holidays.back().to + days{1} == d)
            cy.holidays.back().to = d;
        else
            cy.holidays.push_back({fs[i].name, fs[i].name_en, d, d});
    }
    return cy;
}

WorkCalendar WorkCalendar::load_directory(const std::filesystem::path& dir) {
    WorkCalendar cal;
    std::error_code ec;
    auto files = json_files_in(dir, ec);
    if (ec) throw InvalidData("calendar directory " + dir.string() + " cannot be read: " + ec.message());
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        if (!in) throw InvalidData("calendar file " + f.string() + " cannot be read");
        cal.add_year(CalendarYear::parse(ss.str(), f.string()));
    }
    if (cal.years_.empty()) throw InvalidData("no calendar files (*.json) in " + dir.string());
    return cal;
}

WorkCalendar WorkCalendar::load_shipped() { return load_directory(data_dir() / "calendar"); }

void WorkCalendar::add_year(const CalendarYear& cy) { years_[cy.year] = build(cy); }

WorkCalendar::Year WorkCalendar::build(const CalendarYear& cy) {
    Year y;
    Date jan1{std::chrono::year{cy.year} / std::chrono::January / 1};
    Date next{std::chrono::year{cy.year + 1} / std::chrono::January / 1};
    auto n = std::size_t((next - jan1).count());
    y.off.assign(n, false);
    y.worked.assign(n, false);
    for (const auto& h : cy.holidays)
        for (Date d = h.from; d <= h.to; d += std::chrono::days{1}) {
            y.off[std::size_t(day_of_year(d))] = true;
            y.names[day_of_year(d)] = h.name;
        }
    for (const auto& w : cy.workdays) y.worked[std::size_t(day_of_year(w.date))] = true;
    return y;
}

bool WorkCalendar::covers(Date d) const { return years_.count(year_of(d)) != 0; }

bool WorkCalendar::is_provisional(int year) const {
    return years_.count(year) == 0 && year >= lunar::kFirstYear && year <= lunar::kLastYear;
}

std::vector<int> WorkCalendar::years() const {
    std::vector<int> out;
    for (const auto& [y, _] : years_) out.push_back(y);
    return out;
}

const WorkCalendar::Year& WorkCalendar::year_for(Date d, bool& provisional) const {
    const int year = year_of(d);
    if (auto it = years_.find(year); it != years_.end()) {
        provisional = false;
        return it->second;
    }
    if (year < lunar::kFirstYear || year > lunar::kLastYear) {
        std::string range = years_.empty() ? std::string("none")
                                           : std::to_string(years_.begin()->first) + "–" + std::to_string(years_.rbegin()->first);
        throw CalendarRangeError("no published working-day calendar for " + std::to_string(year) + " (" + format_date(d) +
                                 "); published years: " + range + "; a provisional calendar is computed only for " +
                                 std::to_string(lunar::kFirstYear) + "–" + std::to_string(lunar::kLastYear));
    }
    // Computed once per process, all years together (a few milliseconds); read-only afterwards.
    static const auto provisional_years = [] {
        auto all = std::make_unique<std::array<Year, lunar::kLastYear - lunar::kFirstYear + 1>>();
        for (int y = lunar::kFirstYear; y <= lunar::kLastYear; ++y)
            (*all)[std::size_t(y - lunar::kFirstYear)] = build(CalendarYear::provisional_year(y));
        return all;
    }();
    provisional = true;
    return (*provisional_years)[std::size_t(year - lunar::kFirstYear)];
}

CalendarAnswer<bool> WorkCalendar::workday_answer(Date d) const {
    CalendarAnswer<bool> a;
    const Year& y = year_for(d, a.provisional);
    auto i = std::size_t(day_of_year(d));
    a.value = !y.off[i] && (y.worked[i] || !is_weekend(d));
    return a;
}

std::optional<std::string> WorkCalendar::holiday_name(Date d) const {
    bool provisional = false;
    const Year& y = year_for(d, provisional);
    auto it = y.names.find(day_of_year(d));
    if (it == y.names.end()) return std::nullopt;
    return it->second;
}

bool WorkCalendar::paused(Date d, std::span<const DateInterval> pauses) {
    return std::any_of(pauses.begin(), pauses.end(), [d](const DateInterval& p) { return p.contains(d); });
}

CalendarAnswer<Date> WorkCalendar::add_working_days_answer(Date start, int n, std::span<const DateInterval> pauses) const {
    if (n < 0) throw InvalidData("a number of working days cannot be negative (" + std::to_string(n) + ")");
    CalendarAnswer<Date> a{start, false};
    // A day counts when it is a working day and not paused; every day looked at sets the flag.
    auto counts = [&](Date d) {
        auto w = workday_answer(d);
        a.provisional = a.provisional || w.provisional;
        return w.value && !paused(d, pauses);
    };
    if (n == 0) {
        while (!counts(a.value)) a.value += std::chrono::days{1};
        return a;
    }
    for (int counted = 0; counted < n;) {
        a.value += std::chrono::days{1};
        if (counts(a.value)) ++counted;
    }
    return a;
}

CalendarAnswer<int> WorkCalendar::working_days_between_answer(Date from, Date to, std::span<const DateInterval> pauses) const {
    if (to < from) {
        auto a = working_days_between_answer(to, from, pauses);
        a.value = -a.value;
        return a;
    }
    CalendarAnswer<int> a;
    for (Date d = from + std::chrono::days{1}; d <= to; d += std::chrono::days{1}) {
        auto w = workday_answer(d);
        a.provisional = a.provisional || w.provisional;
        if (w.value && !paused(d, pauses)) ++a.value;
    }
    return a;
}

CalendarAnswer<Date> WorkCalendar::due_date_answer(Date accepted, int n, std::span<const DateInterval> pauses) const {
    if (n < 0) throw InvalidData("a number of working days cannot be negative (" + std::to_string(n) + ")");
    // A rest day's acceptance counts as made on the next working day (pauses never start before
    // acceptance, so they do not matter here).
    auto start = add_working_days_answer(accepted, 0);
    auto due = add_working_days_answer(start.value, n, pauses);
    due.provisional = due.provisional || start.provisional;
    return due;
}

CalendarAnswer<Instant> WorkCalendar::add_working_minutes_answer(Instant start, int minutes, const OpeningHours& hours) const {
    if (minutes < 1) throw InvalidData("a number of working minutes must be at least 1 (" + std::to_string(minutes) + ")");
    if (hours.empty()) throw InvalidData("no opening hours to count working minutes in");
    CalendarAnswer<Instant> a;
    const auto local = start + std::chrono::hours{8};  // China time, no daylight saving
    Date day = std::chrono::floor<std::chrono::days>(local);
    std::int64_t pos = (local - day).count();  // ms since the day's midnight
    std::int64_t left = std::int64_t(minutes) * kMsPerMinute;
    for (;;) {
        auto w = workday_answer(day);  // throws CalendarRangeError past the range: the loop ends
        a.provisional = a.provisional || w.provisional;
        if (w.value)
            for (const auto& s : hours.spans()) {
                const std::int64_t end = s.end * kMsPerMinute;
                if (pos >= end) continue;
                const std::int64_t from = std::max(pos, std::int64_t(s.start) * kMsPerMinute);
                if (left <= end - from) {
                    a.value = Instant{day} + std::chrono::milliseconds{from + left} - std::chrono::hours{8};
                    return a;
                }
                left -= end - from;
                pos = end;
            }
        day += std::chrono::days{1};
        pos = 0;
    }
}

std::int64_t WorkCalendar::working_minutes_between(Instant from, Instant to, const OpeningHours& hours) const {
    if (to < from) return -working_minutes_between(to, from, hours);
    const auto lf = from + std::chrono::hours{8}, lt = to + std::chrono::hours{8};
    std::int64_t ms = 0;
    for (Date day = std::chrono::floor<std::chrono::days>(lf); day <= std::chrono::floor<std::chrono::days>(lt); day += std::chrono::days{1}) {
        if (!is_workday(day)) continue;
        const std::int64_t a = std::max<std::int64_t>(0, (lf - day).count()), b = std::min<std::int64_t>(kMsPerDay, (lt - day).count());
        for (const auto& s : hours.spans()) {
            const std::int64_t x = std::max(a, s.start * kMsPerMinute), y = std::min(b, s.end * kMsPerMinute);
            if (y > x) ms += y - x;
        }
    }
    return ms / kMsPerMinute;
}

}  // namespace ow::core
