// Enquiries at the desk (首问负责, issue 21): F11 opens the 咨询投诉 page with the focus on "what was
// asked"; an enquiry typed there about an item is recorded with Ctrl+Enter and listed as the
// clerk's to answer; handed over to the chief representative it says who holds it; "start the
// intake" turns it into a draft case and the desk goes on in the intake screen with that item.
#include "desk_fixture.h"
#include "gui_harness.h"

#include "ow/store/store.h"

#include <boost/test/unit_test.hpp>

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/listctrl.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

using namespace ow;
using namespace ow::guitest;
using namespace std::chrono_literals;

namespace {

void press(wxButton* b) {
    BOOST_REQUIRE_MESSAGE(b->IsEnabled(), utf8(b->GetName()) << " is disabled");
    wxCommandEvent e(wxEVT_BUTTON, b->GetId());
    e.SetEventObject(b);
    b->GetEventHandler()->ProcessEvent(e);
    pump_for(100ms);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(enquiries_gui)

BOOST_AUTO_TEST_CASE(an_enquiry_recorded_handed_over_and_turned_into_an_intake) {
    Desk d(20, [](const DemoStore& demo) {
        auto admin = store::Store::open(demo.dir, demo.admin.name, demo.admin.password);
        const store::KdfParams fast{1, std::size_t(8) << 20};
        admin->set_user("chief-a", core::Role::chief, "Chief-a1x", fast);
        admin->set_user_profile("chief-a", core::Post::A, "张首席");
    });
    d.unlock(d.demo.clerk);
    xtest_key(d.get<wxListCtrl>("cases.list"), WXK_F11);
    auto* subject = d.get<wxTextCtrl>("enquiries.subject");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(subject) && wxWindow::FindFocus() == subject; }, 3s),
                          "F11 did not open the enquiries with the focus on what was asked");
    auto* list = d.get<wxListCtrl>("enquiries.list");
    BOOST_CHECK_EQUAL(list->GetItemCount(), 0);

    // The item asked about, then what was asked (as an input method commits it), Ctrl+Enter.
    auto* item = d.get<wxChoice>("enquiries.item");
    const int gtgs = item->FindString(wxString::FromUTF8("个体工商户设立登记"));
    BOOST_REQUIRE(gtgs > 0);
    item->SetSelection(gtgs);
    focus(subject);
    subject->WriteText(wxString::FromUTF8("想办个体工商户营业执照，需要带什么？"));
    xtest_key(subject, WXK_RETURN, wxMOD_CONTROL);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return list->GetItemCount() == 1; }, 3s),
                          "Ctrl+Enter recorded nothing: " << utf8(d.get<wxStaticText>("enquiries.message")->GetLabel()));
    BOOST_CHECK(subject->GetValue().empty());  // ready for the next one
    BOOST_CHECK(utf8(list->GetItemText(0, 4)).find("个体工商户设立登记") != std::string::npos);
    BOOST_CHECK_EQUAL(utf8(list->GetItemText(0, 5)), d.demo.clerk.display_name);  // first asked
    BOOST_CHECK_EQUAL(utf8(list->GetItemText(0, 7)), "待答复");
    BOOST_CHECK(utf8(d.get<wxStaticText>("enquiries.title")->GetLabel()).find("1") != std::string::npos);

    // Handed over to 张首席 with a note: the list says who holds it; the clerk may still follow it.
    auto* colleague = d.get<wxChoice>("enquiries.colleague");
    BOOST_REQUIRE(colleague->GetCount() >= 1);
    BOOST_CHECK(utf8(colleague->GetString(0)).find("张首席") != std::string::npos);
    d.get<wxTextCtrl>("enquiries.note")->ChangeValue(wxString::FromUTF8("请首席代表答复经营范围问题"));
    press(d.get<wxButton>("enquiries.hand_over"));
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return list->GetItemCount() == 1 && utf8(list->GetItemText(0, 6)) == "张首席"; }, 3s),
                          "not handed over: " << utf8(d.get<wxStaticText>("enquiries.message")->GetLabel()));
    BOOST_CHECK(utf8(d.get<wxTextCtrl>("enquiries.detail")->GetValue()).find("请首席代表答复经营范围问题") != std::string::npos);
    pump_for(300ms);
    {
        wxWindow* w = d.frame;
        ShotOnExit("enquiry-handed-over", &w).take();
    }

    // It was an application: the intake starts with the item, the row says which case it became.
    press(d.get<wxButton>("enquiries.to_case"));
    auto* intake = d.find("intake");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(intake); }, 5s),
                          "the desk did not go on in the intake: " << utf8(d.get<wxStaticText>("enquiries.message")->GetLabel()));
    const std::string title = utf8(d.get<wxStaticText>("intake.title")->GetLabel());
    BOOST_CHECK_MESSAGE(title.find("个体工商户") != std::string::npos, "the intake's title \"" << title << "\" is not the item asked about");
    auto second = d.demo.open_as_clerk();
    BOOST_CHECK_EQUAL(second->db().query_text("SELECT state FROM enquiries").value_or(""), "case");
    const auto case_id = second->db().query_text("SELECT case_id FROM enquiries").value_or("");
    BOOST_CHECK_EQUAL(second->db().query_text("SELECT state FROM cases WHERE id = '" + case_id + "'").value_or(""), "draft");
}

BOOST_AUTO_TEST_SUITE_END()
