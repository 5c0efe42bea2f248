// Online applications at the desk (网上申报, issue 21 part 1): an application the sync pass stored
// from the platform, with its photo uploaded, waits on the 网上申报 page (Ctrl+Shift+O); Enter on
// the row takes it for 预审 — the desk goes on in the intake screen with the draft (applicant and
// the uploaded photo taken over) and the application leaves the inbox. Found in the case list, the
// draft is received (接件, Ctrl+Shift+I) and then waits in 待受理决定 (Ctrl+Shift+W) with the date
// its acceptance decision is due by.
#include "desk_fixture.h"
#include "gui_harness.h"

#include "ow/core/date.h"
#include "ow/store/applications.h"
#include "ow/store/blobs.h"
#include "ow/store/store.h"

#include <boost/test/unit_test.hpp>

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/listctrl.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <sstream>

using namespace ow;
using namespace ow::guitest;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(online_gui)

BOOST_AUTO_TEST_CASE(an_online_application_taken_for_pre_check_then_received) {
    std::string photo;
    Desk d(30, [&](const DemoStore& demo) {
        auto s = demo.open_as_clerk();
        store::BlobStore blobs(s->db(), s->dir(), s->key());
        std::istringstream png(std::string("\x89PNG\r\n\x1a\n", 8) + "an uploaded photo (test bytes)");
        photo = blobs.put(png, "image/png");
        store::OnlineApplication a;
        a.id = "app-gui-1";
        a.channel = "mobile";
        a.item_code = "370102-RS-0211-001";  // 社会保障卡申领: its photo is uploaded
        a.item_name = "社会保障卡申领";
        a.applicant_name = "钱芳";
        a.doc_number = "11010519491231002X";
        a.phone = "13800138000";
        a.submitted_at = core::format_instant(demo.latest - std::chrono::hours{3});
        a.uploads.push_back({"photo", "证件照.png", photo, 38, "image/png"});
        store::Applications(s->db()).upsert_from_platform(a, demo.latest);
    });
    d.unlock(d.demo.clerk);
    auto* cases_list = d.get<wxListCtrl>("cases.list");
    xtest_key(cases_list, 'O', wxMOD_CONTROL | wxMOD_SHIFT);
    auto* list = d.get<wxListCtrl>("online.list");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(list) && list->GetItemCount() == 1; }, 3s),
                          "Ctrl+Shift+O did not show the waiting application");
    BOOST_CHECK_EQUAL(utf8(list->GetItemText(0, 1)), "钱芳");
    BOOST_CHECK_EQUAL(utf8(list->GetItemText(0, 2)), "1101**********002X");
    BOOST_CHECK_EQUAL(utf8(list->GetItemText(0, 5)), "网上（移动端）");
    BOOST_CHECK_EQUAL(utf8(list->GetItemText(0, 6)), "1");
    BOOST_CHECK(utf8(d.get<wxStaticText>("online.title")->GetLabel()).find("1 件待预审") != std::string::npos);
    pump_for(200ms);
    ShotOnExit("online_inbox", &d.shot_window).take();  // the inbox; the test's own screenshot shows the online line at the end

    // Enter on the row: 预审 starts in the intake screen.
    focus(list);
    xtest_key(list, WXK_RETURN);
    auto* intake = d.find("intake");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(intake); }, 5s),
                          "预审 did not go on in the intake: \"" << utf8(d.get<wxStaticText>("online.message")->GetLabel()) << "\"");
    auto second = d.demo.open_as_clerk();
    const auto case_id = second->db().query_text("SELECT case_id FROM online_applications WHERE id = 'app-gui-1'").value_or("");
    BOOST_REQUIRE(!case_id.empty());
    BOOST_CHECK_EQUAL(second->db().query_text("SELECT status FROM online_applications WHERE id = 'app-gui-1'").value_or(""), "taken");
    const auto body = second->db().query_text("SELECT body FROM cases WHERE id = '" + case_id + "'").value_or("");
    BOOST_CHECK_MESSAGE(body.find("\"channel\":\"mobile\"") != std::string::npos, "the draft is not an online one");
    BOOST_CHECK_MESSAGE(body.find(photo) != std::string::npos, "the uploaded photo is not the draft's");
    BOOST_CHECK_EQUAL(second->db().query_text("SELECT applicant_name FROM cases WHERE id = '" + case_id + "'").value_or(""), "钱芳");
    const std::string receipt = second->db().query_text("SELECT receipt_no FROM cases WHERE id = '" + case_id + "'").value_or("");
    BOOST_REQUIRE(!receipt.empty());

    // The inbox is empty now.
    auto* focused = wxWindow::FindFocus();
    BOOST_REQUIRE_MESSAGE(focused, "nothing has the focus in the intake");
    xtest_key(focused, 'O', wxMOD_CONTROL | wxMOD_SHIFT);
    BOOST_REQUIRE(wait_until([&] { return on_screen(list) && list->GetItemCount() == 0; }, 3s));
    BOOST_CHECK(!d.get<wxButton>("online.take")->IsEnabled());

    // Found in the case list and received (接件, Ctrl+Shift+I).
    xtest_key(list, '1', wxMOD_CONTROL);  // the cases page
    auto* search_window = d.find("cases.search");
    BOOST_REQUIRE(wait_until([&] { return on_screen(search_window); }, 3s));
    text_entry(search_window)->Clear();
    xtest_type(search_window, receipt);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return cases_list->GetItemCount() == 1 && utf8(cases_list->GetItemText(0, 0)) == receipt; }, 3s),
                          "the search for " << receipt << " does not list it alone");
    BOOST_REQUIRE(d.frame->open_case_row(0));
    auto* receive = d.get<wxButton>("action.case.receive");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return receive->IsEnabled(); }, 3s), "接件 is not offered on the online draft");
    BOOST_CHECK(!d.get<wxButton>("action.case.urge")->IsEnabled());  // nothing is late
    auto* summary = d.get<wxTextCtrl>("case.summary");
    BOOST_CHECK_MESSAGE(utf8(summary->GetValue()).find("网上（移动端）（申报号 app-gui-1）") != std::string::npos, utf8(summary->GetValue()));
    xtest_key(cases_list, 'I', wxMOD_CONTROL | wxMOD_SHIFT);
    BOOST_REQUIRE_MESSAGE(
        wait_until([&] { return second->db().query_text("SELECT state FROM cases WHERE id = '" + case_id + "'").value_or("") == "received"; }, 5s),
        "接件 was not stored: \"" << utf8(d.get<wxStaticText>("case.message")->GetLabel()) << "\"");
    const auto due = second->db().query_text("SELECT accept_due FROM cases WHERE id = '" + case_id + "'").value_or("");
    BOOST_REQUIRE(!due.empty());
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return utf8(summary->GetValue()).find("受理决定：" + due + " 前作出") != std::string::npos; }, 3s),
                          utf8(summary->GetValue()));

    // 待受理决定 (Ctrl+Shift+W): the case with the date its decision is due by.
    xtest_key(cases_list, 'W', wxMOD_CONTROL | wxMOD_SHIFT);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return cases_list->GetItemCount() == 1 && utf8(cases_list->GetItemText(0, 0)) == receipt; }, 3s),
                          "Ctrl+Shift+W does not list the received application");
    BOOST_CHECK_EQUAL(utf8(cases_list->GetItemText(0, 7)), due + " 前作出受理决定");

    // Ctrl+Shift+V: the online line. The ID card came by post: chosen, the waybill typed, Enter.
    BOOST_REQUIRE(d.frame->open_case_row(0));
    auto* online = d.get<wxButton>("action.case.originals");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return online->IsEnabled(); }, 3s), "原件核验 is not offered on the online case");
    xtest_key(cases_list, 'V', wxMOD_CONTROL | wxMOD_SHIFT);
    auto* target = d.get<wxChoice>("case.originals.target");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(target) && wxWindow::FindFocus() == target; }, 3s),
                          "Ctrl+Shift+V did not show the originals' row");
    BOOST_REQUIRE_EQUAL(target->GetCount(), 1u);
    BOOST_CHECK_EQUAL(utf8(target->GetString(0)), "近期免冠证件照（电子）（未要求原件）");
    auto* post_material = d.get<wxChoice>("case.post.material");
    BOOST_REQUIRE(on_screen(post_material));
    BOOST_REQUIRE_GE(post_material->GetCount(), 1u);
    BOOST_CHECK_EQUAL(utf8(post_material->GetString(0)), "持卡人身份证件");
    auto* tracking = d.get<wxTextCtrl>("case.post.tracking");
    focus(tracking);
    xtest_type(tracking, "1190012345678");
    xtest_key(tracking, WXK_RETURN);
    auto material = [&](const std::string& code, const std::string& member) {
        return second->db()
            .query_text("SELECT json_extract(value, '$." + member + "') FROM cases, json_each(cases.body, '$.checklist') WHERE cases.id = '" +
                        case_id + "' AND json_extract(value, '$.material_code') = '" + code + "'")
            .value_or("");
    };
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return material("holder_id", "via") == "post"; }, 5s),
                          "the parcel was not logged: \"" << utf8(d.get<wxStaticText>("case.message")->GetLabel()) << "\"");
    BOOST_CHECK_EQUAL(material("holder_id", "tracking_no"), "1190012345678");
    BOOST_CHECK_EQUAL(material("holder_id", "status"), "original_received");

    // The photo's original does not match the upload: chosen, what differs written, Enter.
    auto* result = d.get<wxChoice>("case.originals.result");
    result->SetSelection(1);  // 不一致 (a choice: set as the keyboard's arrow would)
    auto* note = d.get<wxTextCtrl>("case.originals.note");
    focus(note);
    text_entry(note)->WriteText(wxString::FromUTF8("照片不是本人"));  // as typed with an input method
    xtest_key(note, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return material("photo", "status") == "defective"; }, 5s),
                          "the mismatch was not recorded: \"" << utf8(d.get<wxStaticText>("case.message")->GetLabel()) << "\"");
    BOOST_CHECK_EQUAL(material("photo", "original_check.note"), "照片不是本人");
    BOOST_CHECK_MESSAGE(utf8(summary->GetValue()).find("原件不一致：近期免冠证件照（电子）") != std::string::npos, utf8(summary->GetValue()));
    pump_for(300ms);
}

BOOST_AUTO_TEST_SUITE_END()
