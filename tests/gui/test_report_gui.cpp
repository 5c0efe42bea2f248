// The centre's figures at the desk (issue 21 part 9): the administrator opens the page with
// Ctrl+Shift+M; the month of the desk's day is on show, its total row's received count is the
// store's (counted here from the case history), the bar chart is drawn; the previous month comes
// with its button (Space), the grouping by department from its choice. The screenshot
// (test-artefacts/gui/figures_by_department.png) shows the page in zh_CN.
#include "desk_fixture.h"
#include "gui_harness.h"

#include "ow/core/date.h"
#include "ow/store/store.h"

#include <boost/test/unit_test.hpp>

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/listctrl.h>
#include <wx/stattext.h>

#include <cstdio>

using namespace ow;
using namespace ow::guitest;
using namespace std::chrono_literals;

namespace {

/// Cases whose `receive` falls in the China month of `day` (the store's history, read here).
long long received_in_month(store::Store& s, core::Date day) {
    const std::chrono::year_month_day ymd{day};
    const core::Date first{ymd.year() / ymd.month() / std::chrono::day{1}};
    const core::Date next{(ymd.year() / ymd.month() + std::chrono::months{1}) / std::chrono::day{1}};
    const auto from = core::format_instant(core::Instant{first} - std::chrono::hours{8});
    const auto to = core::format_instant(core::Instant{next} - std::chrono::hours{8});
    return s.db().query_int("SELECT count(DISTINCT case_id) FROM case_history WHERE action = 'receive' AND at >= '" + from + "' AND at < '" + to + "'");
}

std::string month_text(core::Date day) {
    const std::chrono::year_month_day ymd{day};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u", int(ymd.year()), unsigned(ymd.month()));
    return buf;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(report_gui)

BOOST_AUTO_TEST_CASE(figures_by_department) {
    Desk d(40);
    d.unlock(d.demo.admin);
    auto* cases_list = d.get<wxListCtrl>("cases.list");
    xtest_key(cases_list, 'M', wxMOD_CONTROL | wxMOD_SHIFT);
    auto* table = d.get<wxListCtrl>("report.table");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(table) && table->GetItemCount() >= 1; }, 5s), "Ctrl+Shift+M did not show the figures");
    const core::Date today = core::china_date(d.services.now());
    const std::string title = utf8(d.get<wxStaticText>("report.title")->GetLabel());
    BOOST_CHECK_MESSAGE(title.find(month_text(today)) != std::string::npos, "the title \"" << title << "\" is not this month's");
    BOOST_CHECK_EQUAL(utf8(table->GetItemText(0, 0)), "合计");
    auto s = d.demo.open_as_clerk();
    const auto received = received_in_month(*s, today);
    BOOST_CHECK_EQUAL(utf8(table->GetItemText(0, 1)), std::to_string(received));
    BOOST_CHECK_GT(received, 0);
    auto* chart = d.find("report.chart");
    BOOST_REQUIRE(chart && on_screen(chart));
    BOOST_CHECK_GT(chart->GetSize().y, 3 * chart->GetCharHeight());

    // The previous month, with its button from the keyboard.
    auto* previous = d.get<wxButton>("report.previous");
    focus(previous);
    xtest_key(previous, WXK_SPACE);
    const core::Date last_month = std::chrono::sys_days{std::chrono::year_month_day{today}.year() / std::chrono::year_month_day{today}.month() / 1} - std::chrono::days{1};
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return utf8(d.get<wxStaticText>("report.title")->GetLabel()).find(month_text(last_month)) != std::string::npos; }, 3s),
                          "the previous month did not come");
    BOOST_CHECK_EQUAL(utf8(table->GetItemText(0, 1)), std::to_string(received_in_month(*s, last_month)));

    // By department: one row per department after the total, named as the catalogue names them.
    auto* grouping = d.get<wxChoice>("report.grouping");
    grouping->SetSelection(2);
    wxCommandEvent pick(wxEVT_CHOICE, grouping->GetId());
    pick.SetEventObject(grouping);
    pick.SetInt(2);
    grouping->ProcessWindowEvent(pick);
    BOOST_REQUIRE(wait_until([&] { return table->GetItemCount() >= 2; }, 2s));
    bool named = false;
    for (long i = 1; i < table->GetItemCount(); ++i) named = named || utf8(table->GetItemText(i, 0)).find("局") != std::string::npos;
    BOOST_CHECK_MESSAGE(named, "no department (…局) among the rows");
    pump_for(300ms);
}

BOOST_AUTO_TEST_SUITE_END()
