// Astronomy for the Chinese calendar; see lunar.h for the method and its sources.
#include "ow/core/lunar.h"

#include "ow/core/error.h"

#include <array>
#include <cmath>
#include <string>
#include <vector>

namespace ow::core::lunar {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kJdUnixEpoch = 2440587.5;  // 1970-01-01 00:00 UT
constexpr double kJ2000 = 2451545.0;
constexpr double kTropicalYear = 365.242189;
constexpr double kSynodicMonth = 29.530588861;

double rad(double deg) { return deg * kPi / 180.0; }
double sin_d(double deg) { return std::sin(rad(deg)); }

double normalise(double deg) {
    deg = std::fmod(deg, 360.0);
    return deg < 0 ? deg + 360.0 : deg;
}

double jd_of(Date d) { return double(d.time_since_epoch().count()) + kJdUnixEpoch; }

/// ΔT = TT − UT in seconds (Espenak & Meeus, "Five Millennium Canon of Solar Eclipses", 2006).
double delta_t_seconds(double jde) {
    double y = 2000.0 + (jde - kJ2000) / 365.25;
    if (y >= 1986 && y < 2005) {
        double t = y - 2000;
        return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t + 0.000651814 * t * t * t * t +
               0.00002373599 * t * t * t * t * t;
    }
    if (y >= 2005 && y < 2050) {
        double t = y - 2000;
        return 62.92 + 0.32217 * t + 0.005589 * t * t;
    }
    double u = (y - 1820) / 100;
    if (y >= 2050 && y <= 2150) return -20 + 32 * u * u - 0.5628 * (2150 - y);
    return -20 + 32 * u * u;
}

/// The China Standard Time (UTC+8) civil day of an instant given as Julian Ephemeris Day (TT).
Date china_day(double jde) {
    double jd_china = jde - delta_t_seconds(jde) / 86400.0 + 8.0 / 24.0;
    return Date{std::chrono::days{static_cast<long>(std::floor(jd_china - kJdUnixEpoch))}};
}

/// The Sun's apparent geocentric longitude in degrees (Meeus ch. 25, lower accuracy, with the
/// correction for nutation and aberration).
double sun_apparent_longitude(double jde) {
    double t = (jde - kJ2000) / 36525.0;
    double l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
    double m = 357.52911 + 35999.05029 * t - 0.0001537 * t * t;
    double c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * sin_d(m) + (0.019993 - 0.000101 * t) * sin_d(2 * m) +
               0.000289 * sin_d(3 * m);
    double omega = 125.04 - 1934.136 * t;
    return normalise(l0 + c - 0.00569 - 0.00478 * sin_d(omega));
}

/// The instant (JDE) the Sun reaches apparent longitude `degrees` in Gregorian year `year`.
double solar_term_jde(int year, int degrees) {
    // Near the equinox of March 20: forward for longitudes up to 280°, backward for 285°–345°
    // (January to mid-March of the same year).
    double equinox = jd_of(Date{std::chrono::year{year} / std::chrono::March / 20});
    double jde = degrees < 285 ? equinox + degrees / 360.0 * kTropicalYear : equinox - (360 - degrees) / 360.0 * kTropicalYear;
    for (int i = 0; i < 50; ++i) {
        double diff = std::remainder(double(degrees) - sun_apparent_longitude(jde), 360.0);
        jde += diff * kTropicalYear / 360.0;
        if (std::fabs(diff) < 1e-7) break;
    }
    return jde;
}

/// The instant (JDE) of new moon number k (k = 0: 2000-01-06; Meeus ch. 49).
double new_moon_jde(int k_int) {
    double k = k_int;
    double t = k / 1236.85;
    double t2 = t * t, t3 = t2 * t, t4 = t3 * t;
    double jde = 2451550.09766 + kSynodicMonth * k + 0.00015437 * t2 - 0.000000150 * t3 + 0.00000000073 * t4;
    double e = 1 - 0.002516 * t - 0.0000074 * t2;
    double m = 2.5534 + 29.10535670 * k - 0.0000014 * t2 - 0.00000011 * t3;
    double mp = 201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4;
    double f = 160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4;
    double om = 124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3;
    jde += -0.40720 * sin_d(mp) + 0.17241 * e * sin_d(m) + 0.01608 * sin_d(2 * mp) + 0.01039 * sin_d(2 * f) +
           0.00739 * e * sin_d(mp - m) - 0.00514 * e * sin_d(mp + m) + 0.00208 * e * e * sin_d(2 * m) -
           0.00111 * sin_d(mp - 2 * f) - 0.00057 * sin_d(mp + 2 * f) + 0.00056 * e * sin_d(2 * mp + m) -
           0.00042 * sin_d(3 * mp) + 0.00042 * e * sin_d(m + 2 * f) + 0.00038 * e * sin_d(m - 2 * f) -
           0.00024 * e * sin_d(2 * mp - m) - 0.00017 * sin_d(om) - 0.00007 * sin_d(mp + 2 * m) +
           0.00004 * sin_d(2 * mp - 2 * f) + 0.00004 * sin_d(3 * m) + 0.00003 * sin_d(mp + m - 2 * f) +
           0.00003 * sin_d(2 * mp + 2 * f) - 0.00003 * sin_d(mp + m + 2 * f) + 0.00003 * sin_d(mp - m + 2 * f) -
           0.00002 * sin_d(mp - m - 2 * f) - 0.00002 * sin_d(3 * mp + m) + 0.00002 * sin_d(4 * mp);
    // Planetary arguments A1…A14 and their coefficients.
    static constexpr std::array<std::array<double, 3>, 14> kPlanetary{{
        {299.77, 0.107408, 0.000325}, {251.88, 0.016321, 0.000165}, {251.83, 26.651886, 0.000164},
        {349.42, 36.412478, 0.000126}, {84.66, 18.206239, 0.000110},  {141.74, 53.303771, 0.000062},
        {207.14, 2.453732, 0.000060},  {154.84, 7.306860, 0.000056},  {34.52, 27.261239, 0.000047},
        {207.19, 0.121824, 0.000042},  {291.34, 1.844379, 0.000040},  {161.72, 24.198154, 0.000037},
        {239.56, 25.513099, 0.000035}, {331.55, 3.592518, 0.000023},
    }};
    for (std::size_t i = 0; i < kPlanetary.size(); ++i) {
        double a = kPlanetary[i][0] + kPlanetary[i][1] * k;
        if (i == 0) a -= 0.009173 * t2;
        jde += kPlanetary[i][2] * sin_d(a);
    }
    return jde;
}

Date new_moon_day(int k) { return china_day(new_moon_jde(k)); }

/// The number of the last new moon whose China-time day is on or before `day`.
int new_moon_on_or_before(Date day) {
    int k = int(std::floor((jd_of(day) - 2451550.09766) / kSynodicMonth));
    while (new_moon_day(k + 1) <= day) ++k;
    while (new_moon_day(k) > day) --k;
    return k;
}

void check_range(int year) {
    if (year < kFirstYear || year > kLastYear)
        throw CalendarRangeError("no working-day calendar for " + std::to_string(year) +
                                 ": it is not published, and a provisional one is computed only for " +
                                 std::to_string(kFirstYear) + "–" + std::to_string(kLastYear));
}

}  // namespace

Date solar_term_day(int year, int degrees) {
    check_range(year);
    return china_day(solar_term_jde(year, ((degrees % 360) + 360) % 360));
}

FestivalDates festival_dates(int year) {
    check_range(year);
    // The suì from the winter solstice of the year before to that of this year holds lunar months
    // 11 (of the year before) … 12 and 1 … 10 of this year (and a leap month, if any).
    Date solstice_before = china_day(solar_term_jde(year - 1, 270));
    Date solstice = china_day(solar_term_jde(year, 270));
    int k11 = new_moon_on_or_before(solstice_before);
    int k11_next = new_moon_on_or_before(solstice);
    int months = k11_next - k11;  // 12, or 13 in a suì with a leap month
    std::vector<Date> starts;
    for (int i = 0; i <= months; ++i) starts.push_back(new_moon_day(k11 + i));

    int leap = -1;  // index of the leap month in `starts`
    if (months == 13) {
        std::vector<Date> major;  // major solar terms (中气) of the suì: 大寒 300° … 冬至 270°
        for (int deg : {300, 330}) major.push_back(china_day(solar_term_jde(year, deg)));
        for (int deg = 0; deg <= 270; deg += 30) major.push_back(china_day(solar_term_jde(year, deg)));
        for (int i = 1; i < months && leap < 0; ++i) {
            bool has_major = false;
            for (Date z : major) has_major = has_major || (starts[std::size_t(i)] <= z && z < starts[std::size_t(i) + 1]);
            if (!has_major) leap = i;
        }
    }
    FestivalDates out{};
    int month = 11;
    for (int i = 1; i < months; ++i) {
        if (i == leap) continue;  // a leap month repeats the number of the month before it
        month = month % 12 + 1;
        Date start = starts[std::size_t(i)];
        if (month == 1) {
            out.spring = start;
            out.chuxi = start - std::chrono::days{1};
        } else if (month == 5) {
            out.dragon_boat = start + std::chrono::days{4};
        } else if (month == 8) {
            out.mid_autumn = start + std::chrono::days{14};
        }
    }
    out.qingming = china_day(solar_term_jde(year, 15));
    return out;
}

}  // namespace ow::core::lunar
