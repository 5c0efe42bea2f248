// Limits in hours (issue 21): OpeningHours, WorkCalendar::add_working_minutes /
// working_minutes_between over the official 2026 calendar, and the rest-day rule of
// WorkCalendar::due_date_answer. Every expected value was worked out by hand from the opening
// hours 09:00-12:00,13:30-17:00 (390 minutes a day) and the published 2026 schedule, never from the
// code under test. Instants are written in China time (+08:00).
#include "ow/core/calendar.h"
#include "ow/core/date.h"
#include "ow/core/error.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

using namespace ow::core;
using namespace std::chrono;

namespace {

const WorkCalendar& cal() {
    static const WorkCalendar c = WorkCalendar::load_directory(std::string(OW_SOURCE_DIR) + "/assets/calendar");
    return c;
}

const OpeningHours& regular() {
    static const OpeningHours h = OpeningHours::parse("09:00-12:00,13:30-17:00");
    return h;
}

Instant T(const char* china) { return parse_instant(china); }
// Compared as printed China minutes, so a failure shows both values.
std::string add(const char* start, int minutes) { return format_china_minute(cal().add_working_minutes(T(start), minutes, regular())); }
std::string due(const char* accepted, int n) { return format_date(cal().due_date_answer(parse_date(accepted), n).value); }

}  // namespace

BOOST_AUTO_TEST_SUITE(opening_hours)

BOOST_AUTO_TEST_CASE(parse_and_canonical_text) {
    auto h = OpeningHours::parse(" 13:30-17:00 , 09:00-12:00");
    BOOST_CHECK_EQUAL(h.text(), "09:00-12:00,13:30-17:00");
    BOOST_CHECK_EQUAL(h.minutes_per_day(), 390);
    BOOST_CHECK(h == regular());
    BOOST_CHECK_EQUAL(OpeningHours::parse("08:30-24:00").minutes_per_day(), 930);
}

BOOST_AUTO_TEST_CASE(bad_hours_are_refused) {
    for (const char* bad : {"", " ", "9-12", "09:00", "09:00-12:00,11:00-13:00", "12:00-09:00", "09:00-09:00", "09:60-12:00",
                            "24:30-25:00", "09:00-12:00;13:30-17:00", "0900-1200", "09:00-12:00,"})
        BOOST_TEST_CONTEXT("hours '" << bad << "'") { BOOST_CHECK_THROW(OpeningHours::parse(bad), InvalidData); }
    BOOST_CHECK_THROW(OpeningHours({{600, 540}}), InvalidData);
    BOOST_CHECK_THROW(OpeningHours({{780, 900}, {540, 720}}), InvalidData);  // out of order
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(calendar_working_minutes)

BOOST_AUTO_TEST_CASE(within_one_day_and_across_lunch) {
    BOOST_CHECK_EQUAL(add("2026-12-07T10:00:00+08:00", 60), "2026-12-07 11:00");
    // 10:00-12:00 is 2 hours, the other 2 after lunch from 13:30.
    BOOST_CHECK_EQUAL(add("2026-12-07T10:00:00+08:00", 240), "2026-12-07 15:30");
    // 不动产 3.5 hours from 11:00: 1 hour before lunch, 2.5 after.
    BOOST_CHECK_EQUAL(add("2026-12-07T11:00:00+08:00", 210), "2026-12-07 16:00");
    // Exactly the morning: due at noon, not at the afternoon's opening.
    BOOST_CHECK_EQUAL(add("2026-12-07T09:00:00+08:00", 180), "2026-12-07 12:00");
    // Exactly the whole day: due at closing.
    BOOST_CHECK_EQUAL(add("2026-12-07T09:00:00+08:00", 390), "2026-12-07 17:00");
    // One minute more: the next morning.
    BOOST_CHECK_EQUAL(add("2026-12-07T09:00:00+08:00", 391), "2026-12-08 09:01");
}

BOOST_AUTO_TEST_CASE(starts_outside_the_opening_hours) {
    BOOST_CHECK_EQUAL(add("2026-12-07T07:45:00+08:00", 30), "2026-12-07 09:30");  // before opening
    BOOST_CHECK_EQUAL(add("2026-12-07T12:30:00+08:00", 60), "2026-12-07 14:30");  // at lunch
    BOOST_CHECK_EQUAL(add("2026-12-07T12:00:00+08:00", 60), "2026-12-07 14:30");  // at the morning's end
    // After closing (延时服务): counts from the next morning; 3 hours, lunch, 1 hour.
    BOOST_CHECK_EQUAL(add("2026-12-07T18:00:00+08:00", 240), "2026-12-08 14:30");
    // Saturday: counts from Monday's opening.
    BOOST_CHECK_EQUAL(add("2026-12-12T10:00:00+08:00", 240), "2026-12-14 14:30");
    // A UTC start late on Sunday (Monday 01:30 in China) also counts from Monday 09:00.
    BOOST_CHECK_EQUAL(add("2026-12-13T17:30:00Z", 30), "2026-12-14 09:30");
}

BOOST_AUTO_TEST_CASE(across_weekends_holidays_and_make_up_days) {
    // Friday 15:00: 2 hours on Friday, 2 on Monday morning.
    BOOST_CHECK_EQUAL(add("2026-12-11T15:00:00+08:00", 240), "2026-12-14 11:00");
    // 国庆节 2026-10-01…07: Wednesday 30 September 16:00, 1 hour, then Thursday 8 October's morning.
    BOOST_CHECK_EQUAL(add("2026-09-30T16:00:00+08:00", 240), "2026-10-08 12:00");
    // Saturday 10 October is a make-up workday (调休) for 国庆节.
    BOOST_CHECK_EQUAL(add("2026-10-09T16:30:00+08:00", 60), "2026-10-10 09:30");
    // Saturday 14 February is worked before 春节 (15–23 February off).
    BOOST_CHECK_EQUAL(add("2026-02-13T16:00:00+08:00", 120), "2026-02-14 10:00");
    BOOST_CHECK_EQUAL(add("2026-02-14T16:30:00+08:00", 60), "2026-02-24 09:30");
}

BOOST_AUTO_TEST_CASE(keeps_seconds_and_milliseconds) {
    BOOST_CHECK_EQUAL(format_instant(cal().add_working_minutes(T("2026-12-07T10:00:30.250+08:00"), 1, regular())),
                      "2026-12-07T02:01:30.250Z");
    BOOST_CHECK_EQUAL(format_instant(cal().add_working_minutes(T("2026-12-07T11:59:30+08:00"), 1, regular())),
                      "2026-12-07T05:30:30.000Z");  // 30 s before lunch, 30 s after: 13:30:30
}

BOOST_AUTO_TEST_CASE(other_opening_hours) {
    auto h = OpeningHours::parse("08:30-12:00,14:00-17:30");
    BOOST_CHECK_EQUAL(format_china_minute(cal().add_working_minutes(T("2026-12-07T11:00:00+08:00"), 240, h)), "2026-12-07 17:00");
}

BOOST_AUTO_TEST_CASE(bad_arguments) {
    BOOST_CHECK_THROW(cal().add_working_minutes(T("2026-12-07T10:00:00+08:00"), 0, regular()), InvalidData);
    BOOST_CHECK_THROW(cal().add_working_minutes(T("2026-12-07T10:00:00+08:00"), -5, regular()), InvalidData);
    BOOST_CHECK_THROW(cal().add_working_minutes(T("2026-12-07T10:00:00+08:00"), 60, OpeningHours{}), InvalidData);
    BOOST_CHECK_THROW(cal().add_working_minutes(T("2099-12-31T10:00:00+08:00"), 6000, regular()), CalendarRangeError);
}

BOOST_AUTO_TEST_CASE(minutes_between) {
    auto between = [](const char* a, const char* b) { return cal().working_minutes_between(T(a), T(b), regular()); };
    // 10–12 (120) + 13:30–17:00 (210) + 09–10 (60).
    BOOST_CHECK_EQUAL(between("2026-12-07T10:00:00+08:00", "2026-12-08T10:00:00+08:00"), 390);
    BOOST_CHECK_EQUAL(between("2026-12-08T10:00:00+08:00", "2026-12-07T10:00:00+08:00"), -390);
    BOOST_CHECK_EQUAL(between("2026-12-11T16:00:00+08:00", "2026-12-14T09:30:00+08:00"), 90);  // over a weekend
    BOOST_CHECK_EQUAL(between("2026-12-07T12:10:00+08:00", "2026-12-07T13:20:00+08:00"), 0);   // all lunch
    BOOST_CHECK_EQUAL(between("2026-09-30T16:00:00+08:00", "2026-10-08T12:00:00+08:00"), 240); // over 国庆节
    BOOST_CHECK_EQUAL(between("2026-12-07T10:00:00+08:00", "2026-12-07T10:00:59+08:00"), 0);   // whole minutes
    // add and between agree.
    for (const char* s : {"2026-12-07T10:17:00+08:00", "2026-12-11T15:00:00+08:00", "2026-09-30T16:00:00+08:00", "2026-02-13T11:11:00+08:00"})
        for (int m : {1, 59, 180, 210, 240, 390, 391, 1000})
            BOOST_TEST_CONTEXT(s << " + " << m) {
                BOOST_CHECK_EQUAL(cal().working_minutes_between(T(s), cal().add_working_minutes(T(s), m, regular()), regular()), m);
            }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(calendar_due_date_rest_days)

BOOST_AUTO_TEST_CASE(rest_day_acceptance_starts_on_the_next_working_day) {
    // Saturday: taken as accepted on Monday 14 December, which is not counted.
    BOOST_CHECK_EQUAL(due("2026-12-12", 1), "2026-12-15");
    BOOST_CHECK_EQUAL(due("2026-12-13", 5), "2026-12-21");
    // 国庆节 (Saturday 3 October): taken as Thursday 8 October; Friday 9 (1), Saturday 10 worked (2), Monday 12 (3).
    BOOST_CHECK_EQUAL(due("2026-10-03", 3), "2026-10-12");
    // Immediate (0 days): the next working day, as before.
    BOOST_CHECK_EQUAL(due("2026-12-13", 0), "2026-12-14");
    // A make-up Saturday is a working day: counted as usual.
    BOOST_CHECK_EQUAL(due("2026-10-10", 1), "2026-10-12");
    BOOST_CHECK(!cal().due_date_answer(parse_date("2026-10-03"), 3).provisional);
    BOOST_CHECK_THROW(cal().due_date_answer(parse_date("2026-10-03"), -1), InvalidData);
}

BOOST_AUTO_TEST_CASE(working_days_are_unchanged) {
    int checked = 0;
    for (Date d = parse_date("2026-01-01"); d <= parse_date("2026-12-31"); d += days{1}) {
        if (!cal().is_workday(d)) continue;
        for (int n : {0, 1, 5, 20})
            BOOST_TEST_CONTEXT(format_date(d) << " + " << n) {
                BOOST_CHECK(cal().due_date_answer(d, n).value == cal().add_working_days(d, n));
                ++checked;
            }
    }
    BOOST_CHECK_EQUAL(checked, 4 * 248);  // 2026 has 248 working days
}

BOOST_AUTO_TEST_SUITE_END()
