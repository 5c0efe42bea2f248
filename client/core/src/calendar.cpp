#include "ow/core/calendar.h"

#include "ow/core/error.h"
#include "ow/core/paths.h"

#include "ow/core/json_reader.h"

#include <algorithm>
#include <fstream>
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

}  // namespace

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

void WorkCalendar::add_year(const CalendarYear& cy) {
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
    years_[cy.year] = std::move(y);
}

bool WorkCalendar::covers(Date d) const { return years_.count(year_of(d)) != 0; }

std::vector<int> WorkCalendar::years() const {
    std::vector<int> out;
    for (const auto& [y, _] : years_) out.push_back(y);
    return out;
}

const WorkCalendar::Year& WorkCalendar::year_for(Date d) const {
    auto it = years_.find(year_of(d));
    if (it == years_.end()) {
        std::string range = years_.empty() ? std::string("none")
                                           : std::to_string(years_.begin()->first) + "–" + std::to_string(years_.rbegin()->first);
        throw CalendarRangeError("no published working-day calendar for " + std::to_string(year_of(d)) + " (" +
                                 format_date(d) + "); published years: " + range);
    }
    return it->second;
}

bool WorkCalendar::is_workday(Date d) const {
    const Year& y = year_for(d);
    auto i = std::size_t(day_of_year(d));
    if (y.off[i]) return false;
    if (y.worked[i]) return true;
    return !is_weekend(d);
}

std::optional<std::string> WorkCalendar::holiday_name(Date d) const {
    const Year& y = year_for(d);
    auto it = y.names.find(day_of_year(d));
    if (it == y.names.end()) return std::nullopt;
    return it->second;
}

bool WorkCalendar::paused(Date d, std::span<const DateInterval> pauses) {
    return std::any_of(pauses.begin(), pauses.end(), [d](const DateInterval& p) { return p.contains(d); });
}

Date WorkCalendar::add_working_days(Date start, int n, std::span<const DateInterval> pauses) const {
    if (n < 0) throw InvalidData("a number of working days cannot be negative (" + std::to_string(n) + ")");
    Date d = start;
    if (n == 0) {
        while (!is_workday(d) || paused(d, pauses)) d += std::chrono::days{1};
        return d;
    }
    int counted = 0;
    while (counted < n) {
        d += std::chrono::days{1};
        if (is_workday(d) && !paused(d, pauses)) ++counted;
    }
    return d;
}

int WorkCalendar::working_days_between(Date from, Date to, std::span<const DateInterval> pauses) const {
    if (to < from) return -working_days_between(to, from, pauses);
    int count = 0;
    for (Date d = from + std::chrono::days{1}; d <= to; d += std::chrono::days{1})
        if (is_workday(d) && !paused(d, pauses)) ++count;
    return count;
}

}  // namespace ow::core
