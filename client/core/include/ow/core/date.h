// Calendar dates and instants used across OneWindow.
// A Date is a civil day (no time zone); an Instant is a point in time (UTC). Government service
// time limits are counted on China Standard Time (UTC+8, no daylight saving).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ow::core {

using Date = std::chrono::sys_days;
using Instant = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

/// Parses "YYYY-MM-DD" strictly (real calendar date). Throws ParseError.
Date parse_date(std::string_view text);
/// Like parse_date, but returns nothing instead of throwing.
std::optional<Date> try_parse_date(std::string_view text) noexcept;
/// Formats as "YYYY-MM-DD".
std::string format_date(Date d);

/// Parses RFC 3339 UTC or with offset ("2025-10-09T08:30:00Z", "...+08:00", optional ".123").
/// Throws ParseError.
Instant parse_instant(std::string_view text);
/// Formats as RFC 3339 in UTC with milliseconds: "2025-10-09T00:30:00.000Z".
std::string format_instant(Instant t);
/// The current instant (millisecond precision).
Instant now();

/// The civil date in China (UTC+8) at instant t.
Date china_date(Instant t);
/// The civil date and time in China at instant t, to the minute: "2026-12-02 06:12".
std::string format_china_minute(Instant t);

inline int year_of(Date d) { return int(std::chrono::year_month_day{d}.year()); }
/// Monday = 1 … Sunday = 7 (ISO 8601).
inline unsigned iso_weekday(Date d) { return std::chrono::weekday{d}.iso_encoding(); }
inline bool is_weekend(Date d) { return iso_weekday(d) >= 6; }

/// An inclusive range of days [from, to], e.g. a pause of the clock during correction.
struct DateInterval {
    Date from;
    Date to;
    bool contains(Date d) const { return from <= d && d <= to; }
    bool operator==(const DateInterval&) const = default;
};

}  // namespace ow::core
