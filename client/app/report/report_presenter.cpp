#include "report/report_presenter.h"

#include "ow/store/repositories.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace ow::app {

ReportPresenter::ReportPresenter(DeskServices& services) : services_(services) {
    const std::chrono::year_month_day today{services_.today()};
    month_ = {int(today.year()), unsigned(today.month())};
    report_.month = month_;
}

bool ReportPresenter::allowed() const {
    const auto role = services_.who().role;
    return role == core::Role::admin || role == core::Role::chief;
}

void ReportPresenter::refresh() {
    report_ = workflow::monthly_report(services_.store().db(), services_.calendar(), services_.catalogue(), month_, services_.now());
}

bool ReportPresenter::show_month(const workflow::ReportMonth& m) {
    if (m.year < 2000 || m.year > 2099 || m.month < 1 || m.month > 12) return false;
    month_ = m;
    report_ = workflow::MonthlyReport{};
    report_.month = month_;
    refresh();
    return true;
}

bool ReportPresenter::previous_month() {
    return show_month(month_.month == 1 ? workflow::ReportMonth{month_.year - 1, 12} : workflow::ReportMonth{month_.year, month_.month - 1});
}

bool ReportPresenter::next_month() {
    return show_month(month_.month == 12 ? workflow::ReportMonth{month_.year + 1, 1} : workflow::ReportMonth{month_.year, month_.month + 1});
}

const std::vector<workflow::ReportGroup>& ReportPresenter::groups() const {
    switch (grouping_) {
        case ReportGrouping::clerk: return report_.clerks;
        case ReportGrouping::department: return report_.departments;
        case ReportGrouping::window: break;
    }
    return report_.windows;
}

bool ReportPresenter::is_rate(ReportMeasure m) {
    switch (m) {
        case ReportMeasure::received:
        case ReportMeasure::done:
        case ReportMeasure::overdue:
        case ReportMeasure::bad_ratings: return false;
        default: return true;
    }
}

std::optional<double> ReportPresenter::value(ReportMeasure m, const workflow::ReportFigures& f) {
    switch (m) {
        case ReportMeasure::received: return double(f.received);
        case ReportMeasure::done: return double(f.done);
        case ReportMeasure::on_the_spot_rate: return f.on_the_spot_rate();
        case ReportMeasure::one_visit_rate: return f.one_visit_rate();
        case ReportMeasure::on_time_rate: return f.on_time_rate();
        case ReportMeasure::overdue: return double(f.overdue());
        case ReportMeasure::satisfaction_rate: return f.satisfaction_rate();
        case ReportMeasure::bad_ratings: return double(f.bad_ratings);
        case ReportMeasure::e_licence_rate: return f.e_licence_rate();
        case ReportMeasure::e_seal_rate: return f.e_seal_rate();
    }
    return std::nullopt;
}

std::string ReportPresenter::text(ReportMeasure m, const workflow::ReportFigures& f) {
    const auto v = value(m, f);
    if (!v) return "\u2013";
    char buf[32];
    if (is_rate(m))
        std::snprintf(buf, sizeof buf, "%.1f%%", *v * 100.0);
    else
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(*v));
    return buf;
}

std::vector<ReportBar> ReportPresenter::bars() const {
    std::vector<ReportBar> out;
    for (const auto& g : groups()) out.push_back({g.key, value(measure_, g.figures), text(measure_, g.figures)});
    return out;
}

double ReportPresenter::scale() const {
    if (is_rate(measure_)) return 1.0;
    double top = 1.0;
    for (const auto& b : bars())
        if (b.value) top = std::max(top, *b.value);
    return top;
}

}  // namespace ow::app
