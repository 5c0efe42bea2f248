// ReportPresenter (the desk's figures page) on the demo desk's real encrypted store: the current
// China month first, earlier and later months on request (none outside 2000–2099); the groups of
// the chosen grouping and the bars of the chosen figure, counts summing to the total over the
// windows, shares shown as percentages and "–" without a denominator; administrators and chief
// representatives only.
#include <boost/test/unit_test.hpp>

#include "demo_desk_fixture.h"
#include "report/report_presenter.h"

#include <chrono>
#include <numeric>

using namespace ow;

namespace {
using Desk = test::DemoDeskFixture<24>;
}

BOOST_AUTO_TEST_SUITE(report_presenter)

BOOST_AUTO_TEST_CASE(the_month_of_the_desk_grouped_and_charted) {
    Desk d;
    BOOST_CHECK(!app::ReportPresenter(*d.services).allowed());  // the window clerk
    d.sign_in(d.demo.admin);
    app::ReportPresenter p(*d.services);
    BOOST_CHECK(p.allowed());
    const std::chrono::year_month_day today{d.services->today()};
    BOOST_CHECK_EQUAL(p.month().year, int(today.year()));
    BOOST_CHECK_EQUAL(p.month().month, unsigned(today.month()));
    p.refresh();
    // The demo desk takes cases in the weeks up to its day: this month has some.
    BOOST_REQUIRE_GT(p.report().total.received, 0);
    for (auto g : {app::ReportGrouping::window, app::ReportGrouping::clerk, app::ReportGrouping::department}) {
        p.set_grouping(g);
        p.set_measure(app::ReportMeasure::received);
        const auto bars = p.bars();
        BOOST_REQUIRE_EQUAL(bars.size(), p.groups().size());
        const double sum = std::accumulate(bars.begin(), bars.end(), 0.0, [](double s, const app::ReportBar& b) { return s + b.value.value_or(0); });
        BOOST_CHECK_EQUAL(sum, double(p.report().total.received));  // every case in one group of each grouping
        double top = 1;
        for (const auto& b : bars) top = std::max(top, b.value.value_or(0));
        BOOST_CHECK_EQUAL(p.scale(), top);
    }
    p.set_measure(app::ReportMeasure::on_time_rate);
    BOOST_CHECK_EQUAL(p.scale(), 1.0);
    workflow::ReportFigures f;
    BOOST_CHECK_EQUAL(app::ReportPresenter::text(app::ReportMeasure::on_time_rate, f), "\u2013");  // nothing done
    f.done = 4;
    f.on_time = 3;
    f.overdue_done = 1;
    f.overdue_open = 2;
    BOOST_CHECK_EQUAL(app::ReportPresenter::text(app::ReportMeasure::on_time_rate, f), "75.0%");
    BOOST_CHECK_EQUAL(app::ReportPresenter::text(app::ReportMeasure::overdue, f), "3");
    // Months back and forth; none outside 2000–2099.
    const auto month = p.month();
    BOOST_REQUIRE(p.previous_month());
    BOOST_CHECK(p.month().month == (month.month == 1 ? 12u : month.month - 1));
    BOOST_CHECK_EQUAL(p.report().month.to_string(), p.month().to_string());
    BOOST_REQUIRE(p.next_month());
    BOOST_CHECK_EQUAL(p.month().to_string(), month.to_string());
    BOOST_CHECK(!p.show_month({1999, 12}));
    BOOST_CHECK_EQUAL(p.month().to_string(), month.to_string());
    BOOST_REQUIRE(p.show_month({2099, 12}));
    BOOST_CHECK(!p.next_month());
    BOOST_CHECK_EQUAL(p.report().total.received, 0);  // an empty month: zeros
    BOOST_CHECK(p.csv().rfind("group,key,received,", 0) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
