// WorkCalendar: the official working-day calendar (statutory holidays and make-up workdays, 调休)
// that time limits of government services are counted in (行政许可法 art. 82).
//
// Data: one JSON file per year ("onewindow-calendar", format_version 1; see docs/calendar.md and
// assets/calendar/). A year is official (loaded from a file: shipped, from the platform, imported)
// or provisional: a year without an official schedule in 2000–2099 is counted with the provisional
// calendar of CalendarYear::provisional_year (weekends, the statutory holidays of 全国年节及纪念日放假办法
// as revised in 2024, 补假; no 调休). An official year always wins. A day outside both throws
// CalendarRangeError. Every *_answer method says whether a day it looked at was provisional.
//
// Counting convention (行政许可法 practice: the day an act happens is not counted):
//   add_working_days(d, n), n >= 1: the n-th working day after d (d itself never counts);
//   add_working_days(d, 0): d when it is a working day, else the next working day;
//   working_days_between(from, to): the working days in (from, to].
// Pauses (correction, special procedures) are inclusive day ranges whose days are not counted.
// A case's promised date (due_date_answer): an act on a rest day (Saturday, Sunday, statutory
// holiday) is taken as done on the next working day, which is then not counted either; on a
// working day this is add_working_days.
//
// Limits in hours (issue 21: 企业开办 in 4 hours, 不动产 in 3.5 hours) are counted in working
// minutes: the minutes of the opening hours (OpeningHours, China time UTC+8, lunch break excluded)
// of working days only. add_working_minutes(t, m): the instant at which m minutes of opening
// hours have passed since t (a t outside the opening hours counts from the next opening).
//
// Thread-safety: const member functions may be called concurrently.
#pragma once

#include "ow/core/date.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ow::core {

/// The opening hours of a working day in China time (UTC+8): spans of minutes since midnight,
/// ascending, not overlapping, e.g. 09:00-12:00 and 13:30-17:00 (the lunch break between them is
/// not counted). The same text form as the store's `hours.regular` setting.
class OpeningHours {
public:
    struct Span {
        int start = 0, end = 0;  // minutes since midnight, 0 <= start < end <= 1440
        bool operator==(const Span&) const = default;
    };
    OpeningHours() = default;  // none: add_working_minutes refuses it
    /// Checks the spans (each 0 <= start < end <= 1440, ascending, not overlapping): InvalidData.
    explicit OpeningHours(std::vector<Span> spans);
    /// Parses "HH:MM-HH:MM[,HH:MM-HH:MM…]" (spans in any order): InvalidData naming the problem.
    static OpeningHours parse(std::string_view text);
    /// The canonical text, e.g. "09:00-12:00,13:30-17:00".
    std::string text() const;
    const std::vector<Span>& spans() const { return spans_; }
    bool empty() const { return spans_.empty(); }
    /// The opening minutes of one working day.
    int minutes_per_day() const;
    bool operator==(const OpeningHours&) const = default;

private:
    std::vector<Span> spans_;
};

/// One published year, as read from a calendar file.
struct CalendarYear {
    struct Holiday {
        std::string name;     // e.g. 春节
        std::string name_en;  // e.g. Spring Festival
        Date from;
        Date to;
    };
    struct Workday {
        Date date;        // a Saturday or Sunday that is worked
        std::string for_; // the holiday it makes up for
    };
    int year = 0;
    std::string document;  // the State Council notice it comes from
    bool provisional = false;  // computed by provisional_year(), not published
    std::vector<Holiday> holidays;
    std::vector<Workday> workdays;

    /// Parses and checks one calendar file's text. `source` names it in error messages.
    /// Throws ParseError (bad JSON) or InvalidData (rule broken, with the JSON pointer).
    static CalendarYear parse(std::string_view json_text, const std::string& source);

    /// The provisional calendar of a year (see docs/calendar.md, "Provisional years"): the
    /// statutory holidays of 全国年节及纪念日放假办法 (2024 revision) — 元旦 1 day, 春节 4 from 除夕,
    /// 清明 1, 劳动节 05-01/02, 端午 1, 中秋 1, 国庆 10-01…03 — with lunar dates and 清明 computed
    /// (lunar.h). 补假: each statutory day that falls on a Saturday or Sunday, or on a statutory day
    /// of an earlier festival, adds one day off on the first Monday–Friday after the festival's last
    /// day that is not already off (festivals in date order). No make-up workdays (调休).
    /// Throws CalendarRangeError outside 2000–2099.
    static CalendarYear provisional_year(int year);
};

/// An answer of the calendar, and whether any day it depended on lies in a provisional year.
template <class T>
struct CalendarAnswer {
    T value{};
    bool provisional = false;
};

class WorkCalendar {
public:
    WorkCalendar() = default;

    /// Loads every *.json file of a directory. Throws ParseError / InvalidData naming the file,
    /// or InvalidData if the directory holds no calendar.
    static WorkCalendar load_directory(const std::filesystem::path& dir);
    /// Loads the calendar shipped with OneWindow (data directory, see paths.h).
    static WorkCalendar load_shipped();

    /// Adds (or replaces, e.g. after a platform update) one year.
    void add_year(const CalendarYear& year);

    /// True when d's year is official (loaded), not provisional.
    bool covers(Date d) const;
    /// Official years, ascending.
    std::vector<int> years() const;
    /// True when `year` would be counted with the provisional calendar (not official, 2000–2099).
    bool is_provisional(int year) const;

    /// True on a working day. Throws CalendarRangeError outside the official years and 2000–2099.
    bool is_workday(Date d) const { return workday_answer(d).value; }
    /// The holiday that d belongs to, if d is a statutory day off (provisional years included).
    std::optional<std::string> holiday_name(Date d) const;

    /// See the counting convention above. n must be >= 0 (InvalidData otherwise).
    Date add_working_days(Date start, int n, std::span<const DateInterval> pauses = {}) const {
        return add_working_days_answer(start, n, pauses).value;
    }
    /// Working days in (from, to], pauses not counted; negative when to < from.
    int working_days_between(Date from, Date to, std::span<const DateInterval> pauses = {}) const {
        return working_days_between_answer(from, to, pauses).value;
    }

    /// The promised date of a case accepted on `accepted` with a limit of n working days: an
    /// acceptance on a rest day counts as made on the next working day (not counted), so on a
    /// working day this is add_working_days(accepted, n, pauses). n >= 0 (InvalidData otherwise).
    CalendarAnswer<Date> due_date_answer(Date accepted, int n, std::span<const DateInterval> pauses = {}) const;

    /// The instant at which `minutes` (>= 1) working minutes have passed since `start`: minutes of
    /// `hours` on working days (China time). A start outside the opening hours (before opening, at
    /// lunch, after closing, on a rest day) counts from the next opening; a result that falls on
    /// a span's end is that end (e.g. 12:00), not the next opening. InvalidData for minutes < 1 or
    /// empty hours; CalendarRangeError past the calendar's range.
    Instant add_working_minutes(Instant start, int minutes, const OpeningHours& hours) const {
        return add_working_minutes_answer(start, minutes, hours).value;
    }
    CalendarAnswer<Instant> add_working_minutes_answer(Instant start, int minutes, const OpeningHours& hours) const;
    /// Working minutes (whole, rounded toward zero) of `hours` in [from, to); negative when to < from.
    std::int64_t working_minutes_between(Instant from, Instant to, const OpeningHours& hours) const;

    /// The same answers with the provisional flag: true when a day looked at (d; for add, every
    /// day from start to the result; for between, every day in (from, to]) lies in a provisional year.
    CalendarAnswer<bool> workday_answer(Date d) const;
    CalendarAnswer<Date> add_working_days_answer(Date start, int n, std::span<const DateInterval> pauses = {}) const;
    CalendarAnswer<int> working_days_between_answer(Date from, Date to, std::span<const DateInterval> pauses = {}) const;

private:
    struct Year {
        std::vector<bool> off;     // by day of year: a statutory day off
        std::vector<bool> worked;  // by day of year: a weekend day that is worked
        std::map<int, std::string> names;  // day of year -> holiday name
    };
    static Year build(const CalendarYear& cy);
    /// The year of d and whether it is provisional; CalendarRangeError when there is none.
    const Year& year_for(Date d, bool& provisional) const;
    static bool paused(Date d, std::span<const DateInterval> pauses);

    std::map<int, Year> years_;
};

}  // namespace ow::core
