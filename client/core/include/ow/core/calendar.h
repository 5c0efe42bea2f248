// WorkCalendar: the official working-day calendar (statutory holidays and make-up workdays, 调休)
// that time limits of government services are counted in (行政许可法 art. 82).
//
// Data: one JSON file per year ("onewindow-calendar", format_version 1; see docs/calendar.md and
// assets/calendar/). A year is either published (loaded) or unknown: every query that touches a day
// of an unknown year throws CalendarRangeError instead of guessing.
//
// Counting convention (行政许可法 practice: the day an act happens is not counted):
//   add_working_days(d, n), n >= 1: the n-th working day after d (d itself never counts);
//   add_working_days(d, 0): d when it is a working day, else the next working day;
//   working_days_between(from, to): the working days in (from, to].
// Pauses (correction, special procedures) are inclusive day ranges whose days are not counted.
//
// Thread-safety: const member functions may be called concurrently.
#pragma once

#include "ow/core/date.h"

#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ow::core {

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
    std::vector<Holiday> holidays;
    std::vector<Workday> workdays;

    /// Parses and checks one calendar file's text. `source` names it in error messages.
    /// Throws ParseError (bad JSON) or InvalidData (rule broken, with the JSON pointer).
    static CalendarYear parse(std::string_view json_text, const std::string& source);
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

    bool covers(Date d) const;
    /// Published years, ascending.
    std::vector<int> years() const;

    /// True on a working day. Throws CalendarRangeError outside the published years.
    bool is_workday(Date d) const;
    /// The holiday that d belongs to, if d is a statutory day off.
    std::optional<std::string> holiday_name(Date d) const;

    /// See the counting convention above. n must be >= 0 (InvalidData otherwise).
    Date add_working_days(Date start, int n, std::span<const DateInterval> pauses = {}) const;
    /// Working days in (from, to], pauses not counted; negative when to < from.
    int working_days_between(Date from, Date to, std::span<const DateInterval> pauses = {}) const;

private:
    struct Year {
        std::vector<bool> off;     // by day of year: a statutory day off
        std::vector<bool> worked;  // by day of year: a weekend day that is worked
        std::map<int, std::string> names;  // day of year -> holiday name
    };
    const Year& year_for(Date d) const;
    static bool paused(Date d, std::span<const DateInterval> pauses);

    std::map<int, Year> years_;
};

}  // namespace ow::core
