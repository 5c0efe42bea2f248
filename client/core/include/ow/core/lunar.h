// The Chinese calendar (农历) and the solar terms, computed — for the provisional working-day
// calendar of a year whose official schedule is not yet published (see calendar.h).
//
// Method (GB/T 33661-2017 《农历的编算和颁行》): a month begins on the China Standard Time (UTC+8)
// day of an astronomical new moon; the month holding the winter solstice (冬至) is month 11; when
// 13 months lie from one month 11 to the next, the first of them without a major solar term (中气,
// solar longitude a multiple of 30°) is the leap month. New moons: Meeus, "Astronomical
// Algorithms" (2nd ed.), ch. 49, with its planetary corrections; the Sun's apparent longitude:
// Meeus ch. 25 (accurate to about 0.01°, i.e. about 15 minutes); ΔT: Espenak & Meeus polynomials.
// The instants are good to minutes, so a date is right unless the event falls within minutes of
// midnight China time; the festival dates of 2000–2099 were checked against an independent
// implementation (tests/unit/core/test_lunar.cpp).
#pragma once

#include "ow/core/date.h"

namespace ow::core::lunar {

/// The years these computations are offered for (inclusive).
inline constexpr int kFirstYear = 2000;
inline constexpr int kLastYear = 2099;

/// The Gregorian dates of the festivals that are statutory holidays, in one Gregorian year.
struct FestivalDates {
    Date chuxi;        // 除夕: the last day of lunar month 12 (the day before 春节)
    Date spring;       // 春节: lunar 1/1
    Date qingming;     // 清明: the day (China time) the Sun reaches apparent longitude 15°
    Date dragon_boat;  // 端午: lunar 5/5 (not a leap month 5)
    Date mid_autumn;   // 中秋: lunar 8/15 (not a leap month 8)
};

/// The festival dates of `year`. Throws CalendarRangeError outside kFirstYear..kLastYear.
FestivalDates festival_dates(int year);

/// The China-time day on which the Sun reaches apparent longitude `degrees` (a multiple of 15
/// is a solar term: 0 春分, 15 清明, 270 冬至 …) in `year`. Throws CalendarRangeError outside
/// kFirstYear..kLastYear.
Date solar_term_day(int year, int degrees);

}  // namespace ow::core::lunar
