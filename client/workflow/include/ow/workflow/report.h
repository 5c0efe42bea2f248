// The centre's figures (按时办结率、满意率, monthly reporting — issue 21 part 9): one month of the
// store's cases, counted per window, per clerk, per department and in total. GUI-free; the CLI
// (`report monthly`) and the desk call it. Reads only (no transaction, nothing written).
//
// The month is a China month: [YYYY-MM-01 00:00 +08:00, first day of the next month 00:00 +08:00).
// A case is counted in the groups of
//   window      the terminal it was taken at: the terminal code in its receipt number (受理编号,
//               "DEMO01-20261031-T1-00001-X" → "T1"); "" when the number cannot be read;
//   clerk       the user who received it (受理人员): the actor of its `receive` history entry;
//   department  the 实施主体 of its item in the catalogue; a bundle's (一件事) when all its items
//               share one, else "" (several departments); "" for an item the catalogue lacks.
// Figures (the papers' terms; every time is read from the case's history, China dates):
//   received      收件: cases whose `receive` (受理) falls in the month.
//   done          办结: cases whose decision (准予 / 不予: the first approve or deny entry; for a
//                 会签 case the one that completes it) falls in the month. 不予受理 (refused at
//                 intake) and cases still open are not done.
//   on_the_spot   当场办结 / 即办: done cases decided on the China date they were received.
//   on_time       按时办结: done cases decided on or before their promised date (承诺办结时间, the
//                 case's due date as it stands now), or that have none.
//   overdue_done  done cases decided after their promised date (done = on_time + overdue_done).
//   overdue_open  超期未办结: cases not done by the month's end whose clock was running then (their
//                 state after the last history entry before the end was accepted, under_review or
//                 escalated — not waiting for a correction) and whose promised date is on or
//                 before the month's last day. For the month under way "the end" is now (promised
//                 date before today, as the overdue queue counts); a month to come has none.
//   overdue       超期件 = overdue_done + overdue_open.
//   one_visit     一次办 (最多跑一次): done cases that never had a correction notice (no
//                 request_correction entry: neither a one-time notice 一次性告知 at intake nor a
//                 return for correction 退回补正), i.e. the applicant came once.
//   rated         评价: ratings (好差评) given in the month (the rating's time).
//   satisfied     满意: of those, 非常满意 or 满意 (the applicant's 5 and 4 of five).
//   bad_ratings   差评: of those, 不满意 or 非常不满意 (the applicant's 2 and 1).
//   materials_given, e_licences  材料: the checklist materials of the cases received in the month
//                 that were given (status 原件已收, 复印件已收, 已扫描 or 电子证照, as they stand now);
//                 e_licences those given as 电子证照.
//   e_sealed      电子印章: done cases whose decision document (准予 / 不予 decision or result notice)
//                 carries the electronic seal. A decision made without a notice (a store seeded
//                 without notices) or by another region (通办: its document is not sealed here) has
//                 none.
// Rates are numerator / denominator and have no value when the denominator is 0:
//   on_the_spot_rate = on_the_spot / done, one_visit_rate = one_visit / done,
//   on_time_rate = on_time / done (按时办结率), satisfaction_rate = satisfied / rated (满意率),
//   e_licence_rate = e_licences / materials_given, e_seal_rate = e_sealed / done.
#pragma once

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/core/date.h"
#include "ow/store/db.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ow::workflow {

/// A China month.
struct ReportMonth {
    int year = 2000;
    unsigned month = 1;
    core::Date first_day() const;
    /// The first day of the next month.
    core::Date end_day() const;
    /// [first_day 00:00 +08:00, end_day 00:00 +08:00) as UTC instants.
    core::Instant from() const;
    core::Instant to() const;
    std::string to_string() const;  // "YYYY-MM"
};

/// "YYYY-MM" exactly (year 2000–2099, month 01–12), else nothing.
std::optional<ReportMonth> parse_report_month(std::string_view text) noexcept;

struct ReportFigures {
    std::int64_t received = 0, done = 0, on_the_spot = 0, on_time = 0, overdue_done = 0, overdue_open = 0, one_visit = 0,
                 rated = 0, satisfied = 0, bad_ratings = 0, materials_given = 0, e_licences = 0, e_sealed = 0;

    std::int64_t overdue() const { return overdue_done + overdue_open; }
    std::optional<double> on_the_spot_rate() const { return rate(on_the_spot, done); }
    std::optional<double> one_visit_rate() const { return rate(one_visit, done); }
    std::optional<double> on_time_rate() const { return rate(on_time, done); }
    std::optional<double> satisfaction_rate() const { return rate(satisfied, rated); }
    std::optional<double> e_licence_rate() const { return rate(e_licences, materials_given); }
    std::optional<double> e_seal_rate() const { return rate(e_sealed, done); }
    bool operator==(const ReportFigures&) const = default;

    static std::optional<double> rate(std::int64_t n, std::int64_t d) {
        return d == 0 ? std::nullopt : std::optional<double>(double(n) / double(d));
    }
};

struct ReportGroup {
    std::string key;  // the window's terminal code, the clerk's user id, the department's name ("" : see above)
    ReportFigures figures;
};

struct MonthlyReport {
    ReportMonth month;
    ReportFigures total;
    std::vector<ReportGroup> windows, clerks, departments;  // each by key (byte order); groups with nothing counted left out
};

/// The month's figures from the store's cases (CaseStore::report_candidates, load, CaseDocuments).
/// `calendar` is the store's (the cases are loaded through CaseStore); `catalogue` names the
/// departments; `now` ends a month under way (overdue_open). Throws store::StoreError.
MonthlyReport monthly_report(store::Db& db, const core::WorkCalendar& calendar, const core::Catalogue& catalogue, ReportMonth month,
                             core::Instant now);

/// The figures' field names in their stable order: the counts (received, done, on_the_spot,
/// on_time, overdue, overdue_done, overdue_open, one_visit, rated, satisfied, bad_ratings,
/// materials_given, e_licences, e_sealed), then the rates (on_the_spot_rate,
/// one_visit_rate, on_time_rate, satisfaction_rate, e_licence_rate, e_seal_rate).
const std::vector<std::string>& report_fields();

/// The report as `report monthly --json` prints it (a contract):
///   {"month": "YYYY-MM", "from": UTC instant, "to": UTC instant, "total": {FIELDS},
///    "windows": [{"window": KEY, FIELDS}], "clerks": [{"clerk": KEY, FIELDS}],
///    "departments": [{"department": KEY, FIELDS}]}
/// counts as integers, rates as numbers rounded to 4 decimals or null (no denominator).
nlohmann::ordered_json report_json(const MonthlyReport& r);

/// The report as CSV (RFC 4180, CRLF-free: "\n" line ends): a header `group,key,FIELDS`, then one
/// row per group: `total` (key empty), then `window`, `clerk`, `department` rows in the order
/// above; rates with 4 decimals, empty when they have no value.
std::string report_csv(const MonthlyReport& r);
/// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& v);

}  // namespace ow::workflow
