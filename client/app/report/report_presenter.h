// The centre's figures (中心统计, issue 21 part 9) — a view model over workflow::monthly_report for
// the desk's figures page (Ctrl+Shift+M): one China month (the current one first; earlier and later
// months on request), grouped per window, clerk or department, with the total; one figure chosen
// for the bar chart. The definitions are ow/workflow/report.h's (the same as `onewindow-cli report
// monthly`). Administrators and chief representatives. Free of wx (ow_desk_logic).
#pragma once

#include "shell/desk_services.h"

#include "ow/workflow/report.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace ow::app {

enum class ReportGrouping { window, clerk, department };

/// The figures the chart can show (one at a time), in the page's order.
enum class ReportMeasure {
    received, done, on_the_spot_rate, one_visit_rate, on_time_rate, overdue, satisfaction_rate, bad_ratings, e_licence_rate, e_seal_rate
};
inline constexpr std::array<ReportMeasure, 10> kReportMeasures = {
    ReportMeasure::received,     ReportMeasure::done,        ReportMeasure::on_the_spot_rate, ReportMeasure::one_visit_rate,
    ReportMeasure::on_time_rate, ReportMeasure::overdue,     ReportMeasure::satisfaction_rate, ReportMeasure::bad_ratings,
    ReportMeasure::e_licence_rate, ReportMeasure::e_seal_rate};

/// One bar of the chart: a group and its value of the measure.
struct ReportBar {
    std::string key;       ///< the group's key ("" : unknown window or clerk, several departments)
    std::optional<double> value;  ///< a count, or a share 0–1; none: a rate without a denominator
    std::string text;      ///< the value as shown: "12", "75.0%", "–"
};

class ReportPresenter {
public:
    /// `services` signed in; outlives the presenter. The month is the current China month.
    explicit ReportPresenter(DeskServices& services);

    /// Whether the signed-in user may see the figures (administrators, chief representatives).
    bool allowed() const;
    /// Reads the month's figures again. Store errors propagate.
    void refresh();
    /// Another month (and reads it). Months outside 2000–2099 are not taken (false).
    bool show_month(const workflow::ReportMonth& m);
    bool previous_month();
    bool next_month();
    const workflow::ReportMonth& month() const { return month_; }
    const workflow::MonthlyReport& report() const { return report_; }

    void set_grouping(ReportGrouping g) { grouping_ = g; }
    ReportGrouping grouping() const { return grouping_; }
    void set_measure(ReportMeasure m) { measure_ = m; }
    ReportMeasure measure() const { return measure_; }

    /// The groups of the grouping (by key).
    const std::vector<workflow::ReportGroup>& groups() const;
    /// The chart: the measure of every group of the grouping, in the groups' order.
    std::vector<ReportBar> bars() const;
    /// The chart's full length: 1 for a share, else the largest value (at least 1).
    double scale() const;

    static bool is_rate(ReportMeasure m);
    /// The measure of `f` (none: a rate without a denominator).
    static std::optional<double> value(ReportMeasure m, const workflow::ReportFigures& f);
    /// As the page shows it: a count, or a share as a percentage with one decimal ("75.0%"), or "–".
    static std::string text(ReportMeasure m, const workflow::ReportFigures& f);
    /// The month's figures as `report monthly --csv` writes them.
    std::string csv() const { return workflow::report_csv(report_); }

private:
    DeskServices& services_;
    workflow::ReportMonth month_;
    workflow::MonthlyReport report_;
    ReportGrouping grouping_ = ReportGrouping::window;
    ReportMeasure measure_ = ReportMeasure::received;
};

}  // namespace ow::app
