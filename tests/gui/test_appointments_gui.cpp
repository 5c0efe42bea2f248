// Appointments at the desk (issue 19): an appointment the sync pass stored from the platform for
// today is on the 预约 page (Ctrl+0), selected; 老年人 ticked with the keyboard (Space), Enter on
// the row checks the applicant in — the desk goes on in the intake screen with the new draft of the
// booked item, the applicant from the appointment, the green flag set — and the row says 已到号.
#include "desk_fixture.h"
#include "gui_harness.h"

#include "ow/core/date.h"
#include "ow/store/appointments.h"
#include "ow/store/store.h"

#include <boost/test/unit_test.hpp>

#include <wx/checkbox.h>
#include <wx/listctrl.h>
#include <wx/stattext.h>

using namespace ow;
using namespace ow::guitest;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(appointments_gui)

BOOST_AUTO_TEST_CASE(appointment_check_in_starts_the_intake) {
    Desk d(30, [](const DemoStore& demo) {
        auto s = demo.open_as_clerk();
        store::Appointment a;
        a.id = "apt-gui-1";
        a.applicant_name = "赵桂兰";
        a.doc_number = "11010519491231002X";
        a.phone = "13800138000";
        a.item_code = "370102-RS-0211-001";  // 社会保障卡申领
        a.item_name = "社会保障卡申领";
        a.day = core::format_date(core::china_date(demo.latest));
        a.slot_start = "23:58";  // still to come all day
        a.slot_end = "23:59";
        a.channel = "3";
        store::Appointments(s->db()).upsert_from_platform(a, demo.latest);
    });
    d.unlock(d.demo.clerk);
    auto* cases_list = d.get<wxListCtrl>("cases.list");
    xtest_key(cases_list, '0', wxMOD_CONTROL);
    auto* list = d.get<wxListCtrl>("appointments.list");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(list) && list->GetItemCount() == 1; }, 3s),
                          "Ctrl+0 did not show today's appointment");
    BOOST_CHECK_EQUAL(utf8(list->GetItemText(0, 1)), "赵桂兰");
    BOOST_CHECK_EQUAL(utf8(list->GetItemText(0, 2)), "1101**********002X");
    BOOST_CHECK_EQUAL(list->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED), 0);
    BOOST_CHECK(utf8(d.get<wxStaticText>("appointments.title")->GetLabel()).find("1") != std::string::npos);

    // 老年人 ticked from the keyboard, then Enter on the row.
    auto* elderly = d.get<wxCheckBox>("appointments.green.elderly");
    focus(elderly);
    xtest_key(elderly, WXK_SPACE);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return elderly->GetValue(); }, 2s), "Space did not tick 老年人");
    focus(list);
    xtest_key(list, WXK_RETURN);
    auto* intake = d.find("intake");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(intake); }, 5s),
                          "the check-in did not go on in the intake: \"" << utf8(d.get<wxStaticText>("appointments.message")->GetLabel())
                                                                         << "\"");
    auto second = d.demo.open_as_clerk();
    const auto case_id = second->db().query_text("SELECT case_id FROM appointments WHERE id = 'apt-gui-1'").value_or("");
    BOOST_REQUIRE(!case_id.empty());
    BOOST_CHECK_EQUAL(second->db().query_text("SELECT status FROM appointments WHERE id = 'apt-gui-1'").value_or(""), "arrived");
    BOOST_CHECK_EQUAL(second->db().query_text("SELECT state FROM cases WHERE id = '" + case_id + "'").value_or(""), "draft");
    BOOST_CHECK_EQUAL(second->db().query_int("SELECT green FROM cases WHERE id = '" + case_id + "'"), 1);
    BOOST_CHECK_EQUAL(second->db().query_text("SELECT applicant_name FROM cases WHERE id = '" + case_id + "'").value_or(""), "赵桂兰");
    const std::string title = utf8(d.get<wxStaticText>("intake.title")->GetLabel());
    BOOST_CHECK_MESSAGE(title.find("社会保障卡") != std::string::npos, "the intake's title \"" << title << "\" is not the booked item's");

    // Back on the 预约 page, the row says 已到号 and offers no second check-in.
    auto* focused = wxWindow::FindFocus();
    BOOST_REQUIRE_MESSAGE(focused, "nothing has the focus in the intake");
    xtest_key(focused, '0', wxMOD_CONTROL);
    BOOST_REQUIRE(wait_until([&] { return on_screen(list) && list->GetItemCount() == 1; }, 3s));
    BOOST_CHECK_EQUAL(utf8(list->GetItemText(0, 5)), "已到号");
    BOOST_CHECK(!d.get<wxWindow>("appointments.check_in")->IsEnabled());
}

BOOST_AUTO_TEST_SUITE_END()
