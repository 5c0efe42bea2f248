// WorkCalendar against the official State Council schedules for 2024–2026 (docs: domain.md,
// "Working days"). Every expected value below was worked out by hand from the published
// schedule and a paper calendar, never from the code under test.
#include "ow/core/calendar.h"
#include "ow/core/date.h"
#include "ow/core/error.h"

#include <boost/test/unit_test.hpp>

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace ow::core;
using namespace std::chrono;

namespace {

const WorkCalendar& shipped() {
    static const WorkCalendar cal = WorkCalendar::load_directory(std::string(OW_SOURCE_DIR) + "/assets/calendar");
    return cal;
}

Date D(int y, unsigned m, unsigned d) { return Date{year{y} / month{m} / day{d}}; }

// Dates are compared in their printed form so that a failure shows both values.
std::string S(Date d) { return format_date(d); }

struct DayCase {
    const char* date;
    bool workday;
};

void check_days(const std::vector<DayCase>& cases) {
    const auto& cal = shipped();
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("date " << c.date) { BOOST_CHECK_EQUAL(cal.is_workday(parse_date(c.date)), c.workday); }
    }
}

// A minimal valid calendar file for 2025; tests change one thing at a time.
std::string calendar_json(const std::string& format = "onewindow-calendar", const std::string& holiday_from = "2025-10-01",
                          const std::string& holiday_to = "2025-10-08", const std::string& workday = "2025-09-28") {
    return R"({"format": ")" + format + R"(", "format_version": 1, "year": 2025,
      "holidays": [{"name": "国庆节", "from": ")" + holiday_from + R"(", "to": ")" + holiday_to + R"("}],
      "workdays": [{"date": ")" + workday + R"(", "for": "国庆节"}]})";
}

template <class E>
std::string message_of(const std::string& json) {
    try {
        CalendarYear::parse(json, "cn-test.json");
    } catch (const E& e) {
        return e.what();
    }
    return "<no exception>";
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(calendar_dates)

BOOST_AUTO_TEST_CASE(date_helpers_agree_with_chrono) {
    BOOST_CHECK(parse_date("2025-10-09") == D(2025, 10, 9));
    BOOST_CHECK_EQUAL(format_date(D(2024, 2, 29)), "2024-02-29");
    BOOST_CHECK_THROW(parse_date("2025-02-29"), ParseError);
    BOOST_CHECK_THROW(parse_date("2025-9-1"), ParseError);
    BOOST_CHECK_EQUAL(iso_weekday(D(2025, 9, 26)), 5u);   // a Friday
    BOOST_CHECK_EQUAL(iso_weekday(D(2025, 10, 11)), 6u);  // a Saturday
    BOOST_CHECK(is_weekend(D(2025, 10, 12)));
    BOOST_CHECK(!is_weekend(D(2025, 10, 13)));
}

BOOST_AUTO_TEST_CASE(china_time_is_utc_plus_eight_whatever_the_machine_zone) {
    // 22:12 UTC on 1 December is already 2 December in China.
    BOOST_CHECK_EQUAL(format_china_minute(parse_instant("2026-12-01T22:12:59.900Z")), "2026-12-02 06:12");
    BOOST_CHECK_EQUAL(format_china_minute(parse_instant("2026-12-31T16:00:00Z")), "2027-01-01 00:00");
    BOOST_CHECK(china_date(parse_instant("2026-12-01T15:59:59Z")) == D(2026, 12, 1));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(calendar_loading)

BOOST_AUTO_TEST_CASE(shipped_calendar_has_2024_to_2026) {
    const auto& cal = shipped();
    BOOST_CHECK((cal.years() == std::vector<int>{2024, 2025, 2026}));
    BOOST_CHECK(cal.covers(D(2024, 1, 1)));
    BOOST_CHECK(cal.covers(D(2026, 12, 31)));
    BOOST_CHECK(!cal.covers(D(2023, 12, 31)));
    BOOST_CHECK(!cal.covers(D(2027, 1, 1)));
}

BOOST_AUTO_TEST_CASE(holiday_names) {
    const auto& cal = shipped();
    BOOST_CHECK_EQUAL(cal.holiday_name(D(2025, 1, 29)).value_or("-"), "春节");
    BOOST_CHECK_EQUAL(cal.holiday_name(D(2025, 10, 5)).value_or("-"), "国庆节、中秋节");
    BOOST_CHECK_EQUAL(cal.holiday_name(D(2026, 2, 23)).value_or("-"), "春节");
    BOOST_CHECK_EQUAL(cal.holiday_name(D(2024, 6, 10)).value_or("-"), "端午节");
    BOOST_CHECK(!cal.holiday_name(D(2025, 10, 11)));  // worked Saturday: no holiday
    BOOST_CHECK(!cal.holiday_name(D(2025, 10, 12)));  // ordinary Sunday: no holiday either
    BOOST_CHECK_EQUAL(cal.holiday_name(D(2027, 10, 1)).value_or("-"), "国庆节");  // provisional
    BOOST_CHECK_THROW(cal.holiday_name(D(2100, 10, 1)), CalendarRangeError);
}

BOOST_AUTO_TEST_CASE(empty_directory_is_refused) {
    auto dir = std::filesystem::temp_directory_path() / "ow_test_calendar_empty";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    BOOST_CHECK_THROW(WorkCalendar::load_directory(dir), InvalidData);
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(directory_with_a_bad_file_names_the_file) {
    auto dir = std::filesystem::temp_directory_path() / "ow_test_calendar_bad";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "cn-2025.json") << calendar_json("onewindow-calendar", "2025-10-01", "2025-10-08", "2025-09-29");
    std::string msg;
    try {
        WorkCalendar::load_directory(dir);
    } catch (const InvalidData& e) {
        msg = e.what();
    }
    BOOST_TEST_INFO("message: " << msg);
    BOOST_CHECK(contains(msg, "cn-2025.json"));
    BOOST_CHECK(contains(msg, "/workdays/0/date"));
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(add_year_replaces_a_year) {
    WorkCalendar cal;
    BOOST_CHECK(cal.workday_answer(D(2025, 10, 1)).provisional);  // no official year yet
    cal.add_year(CalendarYear::parse(calendar_json(), "a"));
    BOOST_CHECK(!cal.workday_answer(D(2025, 10, 1)).provisional);
    BOOST_CHECK(!cal.is_workday(D(2025, 10, 1)));
    BOOST_CHECK(cal.is_workday(D(2025, 9, 28)));
    // A platform update with a shorter holiday and no make-up day replaces the year as a whole.
    cal.add_year(CalendarYear::parse(
        R"({"format": "onewindow-calendar", "format_version": 1, "year": 2025,
            "holidays": [{"name": "国庆节", "from": "2025-10-01", "to": "2025-10-03"}], "workdays": []})",
        "b"));
    BOOST_CHECK(!cal.is_workday(D(2025, 10, 1)));
    BOOST_CHECK(cal.is_workday(D(2025, 10, 8)));
    BOOST_CHECK(!cal.is_workday(D(2025, 9, 28)));
    BOOST_CHECK((cal.years() == std::vector<int>{2025}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(calendar_workdays)

BOOST_AUTO_TEST_CASE(spring_festival_2025) {
    check_days({
        {"2025-01-24", true},   // Fri
        {"2025-01-25", false},  // Sat
        {"2025-01-26", true},   // Sun, worked for 春节
        {"2025-01-27", true},   // Mon
        {"2025-01-28", false},  // first day off
        {"2025-01-29", false},
        {"2025-01-31", false},  // Fri inside the holiday
        {"2025-02-01", false},
        {"2025-02-03", false},  // Mon inside the holiday
        {"2025-02-04", false},  // last day off
        {"2025-02-05", true},
        {"2025-02-07", true},
        {"2025-02-08", true},   // Sat, worked for 春节
        {"2025-02-09", false},  // Sun
    });
}

BOOST_AUTO_TEST_CASE(may_day_2025) {
    check_days({
        {"2025-04-26", false},  // Sat
        {"2025-04-27", true},   // Sun, worked
        {"2025-04-30", true},
        {"2025-05-01", false},
        {"2025-05-02", false},
        {"2025-05-05", false},  // Mon off
        {"2025-05-06", true},
        {"2025-05-10", false},  // ordinary Saturday
    });
}

BOOST_AUTO_TEST_CASE(national_day_2025) {
    check_days({
        {"2025-09-27", false},  // Sat
        {"2025-09-28", true},   // Sun, worked
        {"2025-09-30", true},
        {"2025-10-01", false},
        {"2025-10-06", false},  // Mon off
        {"2025-10-08", false},  // Wed, last day off (国庆节、中秋节 together)
        {"2025-10-09", true},
        {"2025-10-10", true},
        {"2025-10-11", true},   // Sat, worked
        {"2025-10-12", false},  // Sun
        {"2025-10-13", true},
    });
}

BOOST_AUTO_TEST_CASE(other_2025_days) {
    check_days({
        {"2025-01-01", false},
        {"2025-01-02", true},
        {"2025-04-04", false},  // 清明 Fri
        {"2025-04-07", true},
        {"2025-05-31", false},
        {"2025-06-02", false},  // 端午 Mon off
        {"2025-06-03", true},
        {"2025-12-31", true},
    });
}

BOOST_AUTO_TEST_CASE(spring_festival_2026) {
    check_days({
        {"2026-02-13", true},   // Fri
        {"2026-02-14", true},   // Sat, worked
        {"2026-02-15", false},  // first day off (Sun)
        {"2026-02-16", false},  // Mon off
        {"2026-02-20", false},  // Fri off
        {"2026-02-23", false},  // Mon, last day off
        {"2026-02-24", true},
        {"2026-02-27", true},
        {"2026-02-28", true},   // Sat, worked
        {"2026-03-01", false},  // Sun
    });
}

BOOST_AUTO_TEST_CASE(may_day_2026) {
    check_days({
        {"2026-04-30", true},
        {"2026-05-01", false},  // Fri
        {"2026-05-04", false},  // Mon
        {"2026-05-05", false},  // Tue, last day off
        {"2026-05-06", true},
        {"2026-05-09", true},   // Sat, worked
        {"2026-05-10", false},  // Sun
    });
}

BOOST_AUTO_TEST_CASE(national_day_2026) {
    check_days({
        {"2026-09-19", false},  // Sat
        {"2026-09-20", true},   // Sun, worked for 中秋节
        {"2026-09-25", false},  // 中秋 Fri
        {"2026-09-28", true},
        {"2026-09-30", true},
        {"2026-10-01", false},
        {"2026-10-05", false},  // Mon
        {"2026-10-07", false},  // Wed, last day off
        {"2026-10-08", true},
        {"2026-10-10", true},   // Sat, worked
        {"2026-10-11", false},  // Sun
    });
}

BOOST_AUTO_TEST_CASE(new_year_2026) {
    check_days({
        {"2026-01-01", false},
        {"2026-01-02", false},  // Fri off
        {"2026-01-03", false},
        {"2026-01-04", true},   // Sun, worked
        {"2026-01-05", true},
    });
}

BOOST_AUTO_TEST_CASE(year_2024) {
    check_days({
        {"2024-01-01", false},
        {"2024-02-04", true},   // Sun, worked
        {"2024-02-09", true},   // Fri
        {"2024-02-10", false},
        {"2024-02-15", false},  // Thu off
        {"2024-02-17", false},  // Sat, last day off
        {"2024-02-18", true},   // Sun, worked
        {"2024-02-19", true},
        {"2024-04-04", false},
        {"2024-04-07", true},   // Sun, worked
        {"2024-04-28", true},   // Sun, worked
        {"2024-05-01", false},
        {"2024-05-06", true},
        {"2024-05-11", true},   // Sat, worked
        {"2024-06-10", false},  // 端午 Mon
        {"2024-09-14", true},   // Sat, worked
        {"2024-09-16", false},  // Mon off
        {"2024-09-29", true},   // Sun, worked
        {"2024-10-07", false},  // Mon off
        {"2024-10-08", true},
        {"2024-10-12", true},   // Sat, worked
        {"2024-12-28", false},  // ordinary Saturday
        {"2024-12-31", true},
    });
}

BOOST_AUTO_TEST_CASE(unpublished_years_are_provisional_outside_2000_2099_they_throw) {
    const auto& cal = shipped();
    BOOST_CHECK(cal.is_workday(D(2023, 12, 29)));   // provisional: an ordinary Friday
    BOOST_CHECK(!cal.is_workday(D(2027, 10, 1)));   // provisional: 国庆节
    BOOST_CHECK_THROW(cal.is_workday(D(1999, 12, 31)), CalendarRangeError);
    BOOST_CHECK_THROW(cal.is_workday(D(2100, 1, 4)), CalendarRangeError);
    try {
        cal.is_workday(D(2100, 1, 4));
        BOOST_ERROR("no exception");
    } catch (const CalendarRangeError& e) {
        BOOST_CHECK_EQUAL(e.code(), "calendar.out_of_range");
        BOOST_CHECK(contains(e.what(), "2100"));
        BOOST_CHECK(contains(e.what(), "2024–2026"));
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(calendar_add_working_days)

BOOST_AUTO_TEST_CASE(national_day_2025) {
    const auto& cal = shipped();
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 9, 30), 1)), "2025-10-09");
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 9, 30), 2)), "2025-10-10");
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 9, 30), 3)), "2025-10-11");  // worked Saturday
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 9, 30), 4)), "2025-10-13");
    // Friday 26 Sep + 5: Sun 28 (worked), Mon 29, Tue 30, Thu 9 Oct, Fri 10 Oct.
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 9, 26), 5)), "2025-10-10");
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 9, 26), 1)), "2025-09-28");
    // Starting inside the holiday: the holiday days themselves are not counted.
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 10, 3), 1)), "2025-10-09");
}

BOOST_AUTO_TEST_CASE(spring_festival) {
    const auto& cal = shipped();
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 1, 24), 1)), "2025-01-26");  // Sun 26 Jan is worked
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 1, 24), 2)), "2025-01-27");
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 1, 27), 1)), "2025-02-05");
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 1, 27), 4)), "2025-02-08");  // Sat 8 Feb is worked
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 1, 27), 5)), "2025-02-10");
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2026, 2, 13), 1)), "2026-02-14");  // Sat 14 Feb is worked
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2026, 2, 13), 2)), "2026-02-24");
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2026, 2, 13), 6)), "2026-02-28");  // Sat 28 Feb is worked
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2026, 2, 13), 7)), "2026-03-02");
}

BOOST_AUTO_TEST_CASE(may_day_and_national_day_2026) {
    const auto& cal = shipped();
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2026, 4, 30), 1)), "2026-05-06");
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2026, 4, 30), 4)), "2026-05-09");
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2026, 9, 30), 1)), "2026-10-08");
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2026, 9, 30), 3)), "2026-10-10");
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2026, 9, 30), 4)), "2026-10-12");
    // 17 Sep (Thu) + 2: Fri 18, Sun 20 (worked).
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2026, 9, 17), 2)), "2026-09-20");
}

BOOST_AUTO_TEST_CASE(zero_days) {
    const auto& cal = shipped();
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 10, 10), 0)), "2025-10-10");  // a workday: itself
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 10, 11), 0)), "2025-10-11");  // worked Saturday: itself
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 10, 12), 0)), "2025-10-13");  // Sunday: next Monday
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 10, 1), 0)), "2025-10-09");   // holiday: first day after
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2026, 2, 15), 0)), "2026-02-24");
}

BOOST_AUTO_TEST_CASE(negative_is_refused) {
    BOOST_CHECK_THROW(shipped().add_working_days(D(2025, 10, 10), -1), InvalidData);
}

BOOST_AUTO_TEST_CASE(crossing_year_boundaries) {
    const auto& cal = shipped();
    // Mon 30 Dec 2024 + 3: Tue 31 Dec, (1 Jan off), Thu 2 Jan, Fri 3 Jan.
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2024, 12, 30), 3)), "2025-01-03");
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2024, 12, 31), 1)), "2025-01-02");
    // Fri 27 Dec 2024 + 5: Mon 30, Tue 31, Thu 2, Fri 3, Mon 6 Jan.
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2024, 12, 27), 5)), "2025-01-06");
    // Wed 31 Dec 2025 + 1: 1–3 Jan 2026 off, Sun 4 Jan worked.
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 12, 31), 1)), "2026-01-04");
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 12, 31), 2)), "2026-01-05");
}

BOOST_AUTO_TEST_CASE(running_past_the_published_calendar_uses_the_provisional_one) {
    const auto& cal = shipped();
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2026, 12, 30), 1)), "2026-12-31");
    // Thu 31 Dec, (Fri 1 Jan 2027 元旦, weekend), Mon 4, Tue 5, Wed 6, Thu 7 Jan.
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2026, 12, 30), 5)), "2027-01-07");
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2027, 1, 1), 0)), "2027-01-04");
    BOOST_CHECK_THROW(cal.add_working_days(D(2099, 12, 30), 5), CalendarRangeError);
    BOOST_CHECK_THROW(cal.add_working_days(D(1999, 6, 1), 0), CalendarRangeError);
}

BOOST_AUTO_TEST_CASE(pauses_are_not_counted) {
    const auto& cal = shipped();
    const std::array<DateInterval, 1> p{{{D(2025, 9, 29), D(2025, 9, 30)}}};
    // Fri 26 Sep + 5 with Mon 29–Tue 30 paused: Sun 28, Thu 9, Fri 10, Sat 11 (worked), Mon 13 Oct.
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 9, 26), 5, p)), "2025-10-13");
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 9, 26), 1, p)), "2025-09-28");
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 9, 26), 2, p)), "2025-10-09");
    // Zero days from a paused day: the first unpaused working day.
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 9, 29), 0, p)), "2025-10-09");

    const std::array<DateInterval, 2> two{{{D(2025, 9, 28), D(2025, 9, 28)}, {D(2025, 10, 10), D(2025, 10, 10)}}};
    // Mon 29, Tue 30, Thu 9, (Fri 10 paused), Sat 11, Mon 13.
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 9, 26), 5, two)), "2025-10-13");
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 9, 26), 4, two)), "2025-10-11");

    // A pause covering only days off changes nothing.
    const std::array<DateInterval, 1> holiday_only{{{D(2025, 10, 1), D(2025, 10, 8)}}};
    BOOST_CHECK_EQUAL(S(cal.add_working_days(D(2025, 9, 30), 1, holiday_only)), "2025-10-09");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(calendar_working_days_between)

BOOST_AUTO_TEST_CASE(half_open_interval) {
    const auto& cal = shipped();
    // (30 Sep, 11 Oct]: Thu 9, Fri 10, Sat 11 (worked).
    BOOST_CHECK_EQUAL(cal.working_days_between(D(2025, 9, 30), D(2025, 10, 11)), 3);
    BOOST_CHECK_EQUAL(cal.working_days_between(D(2025, 9, 30), D(2025, 10, 12)), 3);
    BOOST_CHECK_EQUAL(cal.working_days_between(D(2025, 9, 30), D(2025, 10, 8)), 0);
    BOOST_CHECK_EQUAL(cal.working_days_between(D(2025, 9, 29), D(2025, 9, 30)), 1);
    BOOST_CHECK_EQUAL(cal.working_days_between(D(2025, 10, 10), D(2025, 10, 10)), 0);
    // (26 Sep, 10 Oct]: Sun 28, Mon 29, Tue 30, Thu 9, Fri 10.
    BOOST_CHECK_EQUAL(cal.working_days_between(D(2025, 9, 26), D(2025, 10, 10)), 5);
    // (25 Apr, 9 May]: Sun 27 Apr (worked), 28, 29, 30, (1–5 May off), 6, 7, 8, 9.
    BOOST_CHECK_EQUAL(cal.working_days_between(D(2025, 4, 25), D(2025, 5, 9)), 8);
    // (13 Feb, 28 Feb 2026]: Sat 14 (worked), 24, 25, 26, 27, Sat 28 (worked).
    BOOST_CHECK_EQUAL(cal.working_days_between(D(2026, 2, 13), D(2026, 2, 28)), 6);
}

BOOST_AUTO_TEST_CASE(negative_when_reversed) {
    const auto& cal = shipped();
    BOOST_CHECK_EQUAL(cal.working_days_between(D(2025, 10, 11), D(2025, 9, 30)), -3);
    BOOST_CHECK_EQUAL(cal.working_days_between(D(2025, 10, 10), D(2025, 9, 26)), -5);
}

BOOST_AUTO_TEST_CASE(crossing_a_year) {
    const auto& cal = shipped();
    // (Fri 27 Dec 2024, Mon 6 Jan 2025]: 30, 31 Dec, 2, 3, 6 Jan.
    BOOST_CHECK_EQUAL(cal.working_days_between(D(2024, 12, 27), D(2025, 1, 6)), 5);
    // (31 Dec 2025, 5 Jan 2026]: Sun 4 (worked), Mon 5.
    BOOST_CHECK_EQUAL(cal.working_days_between(D(2025, 12, 31), D(2026, 1, 5)), 2);
}

BOOST_AUTO_TEST_CASE(with_pauses) {
    const auto& cal = shipped();
    const std::array<DateInterval, 1> p{{{D(2025, 9, 29), D(2025, 9, 30)}}};
    // (26 Sep, 13 Oct] without pause: 28, 29, 30, 9, 10, 11, 13 = 7; without 29 and 30: 5.
    BOOST_CHECK_EQUAL(cal.working_days_between(D(2025, 9, 26), D(2025, 10, 13)), 7);
    BOOST_CHECK_EQUAL(cal.working_days_between(D(2025, 9, 26), D(2025, 10, 13), p), 5);
    BOOST_CHECK_EQUAL(cal.working_days_between(D(2025, 10, 13), D(2025, 9, 26), p), -5);
}

BOOST_AUTO_TEST_CASE(outside_the_calendar_throws) {
    const auto& cal = shipped();
    BOOST_CHECK_THROW(cal.working_days_between(D(2099, 12, 1), D(2100, 1, 10)), CalendarRangeError);
    BOOST_CHECK_THROW(cal.working_days_between(D(1999, 6, 1), D(2000, 1, 10)), CalendarRangeError);
    BOOST_CHECK_THROW(cal.working_days_between(D(2100, 1, 10), D(2099, 12, 1)), CalendarRangeError);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(calendar_year_parse)

BOOST_AUTO_TEST_CASE(valid_file) {
    CalendarYear y = CalendarYear::parse(calendar_json(), "cn-test.json");
    BOOST_CHECK_EQUAL(y.year, 2025);
    BOOST_REQUIRE_EQUAL(y.holidays.size(), 1u);
    BOOST_CHECK_EQUAL(y.holidays[0].name, "国庆节");
    BOOST_CHECK_EQUAL(S(y.holidays[0].from), "2025-10-01");
    BOOST_CHECK_EQUAL(S(y.holidays[0].to), "2025-10-08");
    BOOST_REQUIRE_EQUAL(y.workdays.size(), 1u);
    BOOST_CHECK_EQUAL(S(y.workdays[0].date), "2025-09-28");
    BOOST_CHECK_EQUAL(y.workdays[0].for_, "国庆节");
}

BOOST_AUTO_TEST_CASE(bad_json_is_a_parse_error) {
    BOOST_CHECK_THROW(CalendarYear::parse("{\"format\": ", "cn-test.json"), ParseError);
    BOOST_CHECK_THROW(CalendarYear::parse("", "cn-test.json"), ParseError);
    BOOST_CHECK_THROW(CalendarYear::parse("{'year': 2025}", "cn-test.json"), ParseError);
    BOOST_CHECK(contains(message_of<ParseError>("[1, 2"), "cn-test.json"));
}

BOOST_AUTO_TEST_CASE(weekday_listed_as_workday) {
    // 29 Sep 2025 is a Monday.
    auto msg = message_of<InvalidData>(calendar_json("onewindow-calendar", "2025-10-01", "2025-10-08", "2025-09-29"));
    BOOST_TEST_INFO("message: " << msg);
    BOOST_CHECK(contains(msg, "/workdays/0/date"));
    BOOST_CHECK(contains(msg, "cn-test.json"));
}

BOOST_AUTO_TEST_CASE(workday_inside_a_holiday) {
    // Sat 4 Oct 2025 is a weekend day but also inside the holiday.
    auto msg = message_of<InvalidData>(calendar_json("onewindow-calendar", "2025-10-01", "2025-10-08", "2025-10-04"));
    BOOST_TEST_INFO("message: " << msg);
    BOOST_CHECK(contains(msg, "/workdays/0/date"));
}

BOOST_AUTO_TEST_CASE(date_outside_the_year) {
    auto m1 = message_of<InvalidData>(calendar_json("onewindow-calendar", "2024-10-01", "2025-10-08"));
    BOOST_TEST_INFO("message: " << m1);
    BOOST_CHECK(contains(m1, "/holidays/0/from"));
    auto m2 = message_of<InvalidData>(calendar_json("onewindow-calendar", "2025-12-31", "2026-01-01"));
    BOOST_TEST_INFO("message: " << m2);
    BOOST_CHECK(contains(m2, "/holidays/0/to"));
    auto m3 = message_of<InvalidData>(calendar_json("onewindow-calendar", "2025-10-01", "2025-10-08", "2026-09-20"));
    BOOST_TEST_INFO("message: " << m3);
    BOOST_CHECK(contains(m3, "/workdays/0/date"));
}

BOOST_AUTO_TEST_CASE(to_before_from) {
    auto msg = message_of<InvalidData>(calendar_json("onewindow-calendar", "2025-10-08", "2025-10-01"));
    BOOST_TEST_INFO("message: " << msg);
    BOOST_CHECK(contains(msg, "/holidays/0"));
    BOOST_CHECK(contains(msg, "before"));
}

BOOST_AUTO_TEST_CASE(not_a_real_date) {
    auto msg = message_of<InvalidData>(calendar_json("onewindow-calendar", "2025-02-30", "2025-03-01"));
    BOOST_TEST_INFO("message: " << msg);
    BOOST_CHECK(contains(msg, "/holidays/0/from"));
}

BOOST_AUTO_TEST_CASE(wrong_format_string) {
    auto msg = message_of<InvalidData>(calendar_json("onewindow-holidays"));
    BOOST_TEST_INFO("message: " << msg);
    BOOST_CHECK(contains(msg, "/format"));
    BOOST_CHECK(contains(msg, "cn-test.json"));
}

BOOST_AUTO_TEST_CASE(wrong_version_and_missing_members) {
    auto v2 = message_of<InvalidData>(
        R"({"format": "onewindow-calendar", "format_version": 2, "year": 2025, "holidays": [], "workdays": []})");
    BOOST_TEST_INFO("message: " << v2);
    BOOST_CHECK(contains(v2, "/format_version"));
    auto no_holidays = message_of<InvalidData>(R"({"format": "onewindow-calendar", "format_version": 1, "year": 2025, "workdays": []})");
    BOOST_TEST_INFO("message: " << no_holidays);
    BOOST_CHECK(contains(no_holidays, "/holidays"));
    auto year_text = message_of<InvalidData>(
        R"({"format": "onewindow-calendar", "format_version": 1, "year": "2025", "holidays": [], "workdays": []})");
    BOOST_TEST_INFO("message: " << year_text);
    BOOST_CHECK(contains(year_text, "/year"));
    auto not_object = message_of<InvalidData>("[]");
    BOOST_TEST_INFO("message: " << not_object);
    BOOST_CHECK(contains(not_object, "must be an object"));
}

BOOST_AUTO_TEST_SUITE_END()
