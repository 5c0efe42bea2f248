// The archive act from the case view (issue 19): on the cases page, a case still open offers no
// 导出归档包; a concluded case found by its receipt number does. Ctrl+Shift+E shows the path line,
// prefilled with the receipt number's .zip and focused; a path already taken is refused with the
// reason and left as it was; Enter on a free path writes the package on the worker, which
// archive::verify finds sound, and the export is in the case's audit trail. The package stays under
// test-artefacts/gui/archive/ for a look.
// 帮办代办 (case_gui/help_and_agent): the helper and the agent from the cases page (see below).
// 告知承诺 / 信即办 and the check (case_gui/commitments_and_checks): see below.
// The green channel on a case of the list (case_gui): Ctrl+G shows the case's flags, focused;
// Space ticks 老年人 — stored at once, named in the summary, the case first in its queue with the
// mark; Space again clears it.
#include "desk_fixture.h"
#include "gui_harness.h"

#include "ow/archive/archive.h"
#include "ow/store/store.h"
#include "ow/workflow/workflow.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/listbox.h>
#include <wx/listctrl.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <atomic>
#include <fstream>

using namespace ow;
using namespace ow::guitest;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(archive_gui)

BOOST_AUTO_TEST_CASE(case_archive_export) {
    Desk d;
    d.unlock(d.demo.clerk);
    auto second = d.demo.open_as_clerk();
    auto receipt_of = [&](const std::string& states) {
        auto r = second->db().query_text(
            "SELECT receipt_no FROM cases WHERE receipt_no <> '' AND state IN (" + states +
            ") ORDER BY (SELECT count(*) FROM case_documents WHERE case_id = cases.id) DESC, id LIMIT 1");
        BOOST_REQUIRE_MESSAGE(r, "the demo store has no case in " << states);
        return *r;
    };
    const std::string open_receipt = receipt_of("'accepted', 'under_review'");
    const std::string done_receipt = receipt_of("'rated', 'result_issued'");
    const std::string case_id = second->db().query_text("SELECT id FROM cases WHERE receipt_no = '" + done_receipt + "'").value_or("");

    auto* search_window = d.find("cases.search");
    auto* search = text_entry(search_window);
    auto* list = d.get<wxListCtrl>("cases.list");
    auto* button = d.get<wxButton>("action.case.archive");
    auto* message = d.get<wxStaticText>("case.message");
    auto open_by_receipt = [&](const std::string& receipt) {
        search->Clear();
        xtest_type(search_window, receipt);
        BOOST_REQUIRE_MESSAGE(wait_until([&] { return list->GetItemCount() == 1 && utf8(list->GetItemText(0, 0)) == receipt; }, 3s),
                              "the search for " << receipt << " does not list it alone");
        BOOST_REQUIRE(d.frame->open_case_row(0));
        pump_for(200ms);
    };

    // An open case: nothing to archive yet.
    open_by_receipt(open_receipt);
    BOOST_CHECK_MESSAGE(!button->IsEnabled(), "导出归档包 is offered on an open case");

    // A concluded case: Ctrl+Shift+E shows the path line, focused, with the receipt number's zip.
    open_by_receipt(done_receipt);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return button->IsEnabled(); }, 3s), "导出归档包 is not offered on a concluded case");
    xtest_key(list, 'E', wxMOD_CONTROL | wxMOD_SHIFT);
    auto* path = d.get<wxTextCtrl>("case.archive_path");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(path) && wxWindow::FindFocus() == path; }, 3s),
                          "Ctrl+Shift+E did not open the path line");
    const std::string suggested = utf8(path->GetValue());
    BOOST_CHECK_MESSAGE(suggested.size() > done_receipt.size() + 4 &&
                            suggested.compare(suggested.size() - done_receipt.size() - 4, std::string::npos, done_receipt + ".zip") == 0,
                        "the suggested path " << suggested << " is not the receipt number's zip");

    const auto dir = artefacts_dir() / "archive";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    // A path already taken: refused with the reason, the file left as it was, the line kept.
    const auto taken = dir / "taken.zip";
    std::ofstream(taken) << "not ours";
    path->ChangeValue(wxString::FromUTF8(taken.string()));
    xtest_key(path, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return utf8(message->GetLabel()).find("已") != std::string::npos; }, 10s),
                          "no refusal for a taken path: \"" << utf8(message->GetLabel()) << "\"");
    BOOST_TEST_MESSAGE("taken path: " << utf8(message->GetLabel()));
    BOOST_CHECK_EQUAL(std::filesystem::file_size(taken), 8u);
    BOOST_CHECK(on_screen(path));

    // A free path: written on the worker, sound, and in the case's trail.
    const auto package = dir / (done_receipt + ".zip");
    path->ChangeValue(wxString::FromUTF8(package.string()));
    xtest_key(path, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return std::filesystem::exists(package) && !on_screen(path); }, 30s),
                          "the package was not written: \"" << utf8(message->GetLabel()) << "\"");
    BOOST_TEST_MESSAGE("written: " << utf8(message->GetLabel()));
    BOOST_CHECK(message->GetLabel().Contains(wxString::FromUTF8(package.filename().string())));
    const auto report = archive::verify(package);
    BOOST_CHECK_MESSAGE(report.sound(), archive::to_json(report));
    BOOST_CHECK_EQUAL(second->db().query_int("SELECT count(*) FROM audit WHERE action = 'archive.exported' AND case_id = '" + case_id + "'"), 1);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(case_gui)

BOOST_AUTO_TEST_CASE(green_channel) {
    Desk d;
    d.unlock(d.demo.clerk);
    auto second = d.demo.open_as_clerk();
    const auto receipt = second->db().query_text(
        "SELECT receipt_no FROM cases WHERE receipt_no <> '' AND green = 0 AND state = 'accepted' ORDER BY id LIMIT 1");
    BOOST_REQUIRE_MESSAGE(receipt, "the demo store has no accepted case outside the green channel");
    const std::string case_id = second->db().query_text("SELECT id FROM cases WHERE receipt_no = '" + *receipt + "'").value_or("");
    auto green_of = [&] { return second->db().query_int("SELECT green FROM cases WHERE id = '" + case_id + "'"); };

    auto* search_window = d.find("cases.search");
    auto* list = d.get<wxListCtrl>("cases.list");
    auto* message = d.get<wxStaticText>("case.message");
    auto* summary = d.get<wxTextCtrl>("case.summary");
    text_entry(search_window)->Clear();
    xtest_type(search_window, *receipt);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return list->GetItemCount() == 1 && utf8(list->GetItemText(0, 0)) == *receipt; }, 3s),
                          "the search for " << *receipt << " does not list it alone");
    BOOST_REQUIRE(d.frame->open_case_row(0));
    pump_for(200ms);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return d.get<wxButton>("action.case.green")->IsEnabled(); }, 3s),
                          "绿色通道 is not offered on an accepted case");

    // Ctrl+G: the flags' line, its first box focused and clear.
    xtest_key(list, 'G', wxMOD_CONTROL);
    auto* elderly = d.get<wxCheckBox>("case.green.elderly");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(elderly) && wxWindow::FindFocus() == elderly; }, 3s),
                          "Ctrl+G did not show the green channel's boxes");
    BOOST_CHECK(!elderly->GetValue());

    // Space: 老年人 set at once — in the store, the summary, the list's mark.
    xtest_key(elderly, WXK_SPACE);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return green_of() == 1; }, 5s), "the flag was not stored: \"" << utf8(message->GetLabel()) << "\"");
    BOOST_TEST_MESSAGE("set: " << utf8(message->GetLabel()));
    BOOST_CHECK(elderly->GetValue());
    BOOST_CHECK_MESSAGE(utf8(summary->GetValue()).find("绿色通道：老年人") != std::string::npos, utf8(summary->GetValue()));
    BOOST_CHECK_MESSAGE(utf8(message->GetLabel()).find("老年人") != std::string::npos, utf8(message->GetLabel()));
    BOOST_CHECK_MESSAGE(utf8(list->GetItemText(0, 2)).find("【绿】") == 0, "no green mark in the list: " << utf8(list->GetItemText(0, 2)));
    BOOST_CHECK_EQUAL(second->db().query_int("SELECT count(*) FROM audit WHERE action = 'case.flag_green' AND case_id = '" + case_id + "'"), 1);
    pump_for(300ms);
    d.shot.finish();  // the line, the mark and the summary

    // Space again: cleared.
    BOOST_REQUIRE(wxWindow::FindFocus() == elderly);
    xtest_key(elderly, WXK_SPACE);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return green_of() == 0; }, 5s), "the flag was not cleared");
    BOOST_CHECK(!elderly->GetValue());
    BOOST_CHECK(utf8(summary->GetValue()).find("绿色通道") == std::string::npos);
}

// 收费 (issue 21 part 5): Ctrl+Shift+Y on an open case with a fee due shows the fee lines with the
// fee chosen; WeChat Pay without its transaction number is stopped on the desk; typed, Enter pays:
// the 收费凭证 is stored with the case, the Fees tab says 已缴, the summary the rest. A clerk sees
// no waiver row.
BOOST_AUTO_TEST_CASE(fee_paid_with_its_receipt) {
    Desk d;
    d.unlock(d.demo.clerk);
    {  // An accepted case of 城乡居民基本医疗保险参保登记 (380.00 yuan), taken through the workflow.
        auto& wf = d.services.workflow();
        const auto id = wf.start_intake({"370102-YB-0107-001", ""}).case_data.id;
        workflow::SetApplicant who;
        who.doc_number = "11010519491231002X";
        who.name = "李红";
        who.phone = "13800138000";
        wf.set_applicant(id, who);
        wf.answer(id, nlohmann::json{{"insured_name", "李红"}, {"insured_id", "11010519491231002X"}, {"category", "adult"},
                                     {"household_outside", false}, {"contact_phone", "13800138000"},
                                     {"insurance_year", int(std::chrono::year_month_day{d.services.today()}.year())}});
        wf.record_material(id, {"id", core::MaterialStatus::original_received, std::nullopt, std::nullopt, "", ""});
        BOOST_REQUIRE(wf.accept(id).case_data.state == core::CaseState::accepted);
    }
    auto second = d.demo.open_as_clerk();
    const auto receipt = second->db().query_text(
        "SELECT receipt_no FROM cases WHERE receipt_no <> '' AND state IN ('accepted', 'under_review', 'approved') "
        "AND body LIKE '%\"status\":\"due\"%' ORDER BY updated_at DESC LIMIT 1");
    BOOST_REQUIRE_MESSAGE(receipt, "no open case with a fee due");
    const std::string case_id = second->db().query_text("SELECT id FROM cases WHERE receipt_no = '" + *receipt + "'").value_or("");
    auto receipts = [&] {
        return second->db().query_int("SELECT count(*) FROM case_documents WHERE kind = 'fee_receipt' AND case_id = '" + case_id + "'");
    };
    BOOST_REQUIRE_EQUAL(receipts(), 0);

    auto* search_window = d.find("cases.search");
    auto* list = d.get<wxListCtrl>("cases.list");
    auto* message = d.get<wxStaticText>("case.message");
    auto* summary = d.get<wxTextCtrl>("case.summary");
    text_entry(search_window)->Clear();
    xtest_type(search_window, *receipt);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return list->GetItemCount() == 1 && utf8(list->GetItemText(0, 0)) == *receipt; }, 3s),
                          "the search for " << *receipt << " does not list it alone");
    BOOST_REQUIRE(d.frame->open_case_row(0));
    pump_for(200ms);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return d.get<wxButton>("action.case.fee")->IsEnabled(); }, 3s),
                          "收费 is not offered on an open case with a fee due");
    BOOST_CHECK_MESSAGE(utf8(summary->GetValue()).find("元未缴") != std::string::npos, "the summary names no fee due: " << utf8(summary->GetValue()));

    xtest_key(list, 'Y', wxMOD_CONTROL | wxMOD_SHIFT);
    auto* fee = d.get<wxChoice>("case.fee.item");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(fee) && wxWindow::FindFocus() == fee; }, 3s), "Ctrl+Shift+Y did not show the fee lines");
    BOOST_CHECK(fee->GetSelection() == 0);
    BOOST_CHECK_MESSAGE(utf8(fee->GetStringSelection()).find("元") != std::string::npos, utf8(fee->GetStringSelection()));
    BOOST_CHECK_MESSAGE(!on_screen(d.find("case.fee.reason")), "a clerk is offered the waiver");

    auto* method = d.get<wxChoice>("case.fee.method");
    method->SetSelection(2);  // 微信支付
    auto* number = d.get<wxTextCtrl>("case.fee.payment_no");
    number->SetFocus();
    xtest_key(number, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return utf8(message->GetLabel()).find("交易") != std::string::npos; }, 3s),
                          "no word on the missing transaction number: \"" << utf8(message->GetLabel()) << "\"");
    BOOST_CHECK_EQUAL(receipts(), 0);
    xtest_type(number, "4200001234567");
    pump_for(200ms);
    ShotOnExit("fee_line", &d.shot_window).finish();  // the fee lines as the clerk fills them in
    xtest_key(number, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return receipts() == 1; }, 15s), "no receipt stored: \"" << utf8(message->GetLabel()) << "\"");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return utf8(message->GetLabel()).find("收费凭证") != std::string::npos; }, 5s), utf8(message->GetLabel()));
    auto* fees = d.get<wxListCtrl>("case.fees");
    BOOST_REQUIRE(fees->GetItemCount() >= 1);
    bool paid = false;
    for (long i = 0; i < fees->GetItemCount(); ++i) paid = paid || utf8(fees->GetItemText(i, 2)).find("已缴") == 0;
    BOOST_CHECK_MESSAGE(paid, "the Fees tab shows nothing paid: " << utf8(fees->GetItemText(0, 2)));
    BOOST_CHECK_EQUAL(second->db().query_int("SELECT count(*) FROM outbox WHERE case_id = '" + case_id +
                                             "' AND payload LIKE '%record_fee%' AND payload LIKE '%4200001234567%'"), 1);
    pump_for(300ms);
    d.shot.finish();
}

// 帮办代办 (issue 21 part 2): Ctrl+Shift+H on a case at intake shows the help lines, the signed-in
// clerk chosen as helper; 代办 with a note, Enter: stored, named in the summary, the case in the
// clerk's 我帮办的 queue (Ctrl+Shift+B). The agent: an ID number that does not check is stopped on
// the desk; a good one puts the 授权委托书 and the agent's ID on the Materials tab. 结束帮办 ends it.
BOOST_AUTO_TEST_CASE(help_and_agent) {
    Desk d;
    d.unlock(d.demo.clerk);
    core::Uuid id;
    {
        auto& wf = d.services.workflow();
        id = wf.start_intake({"370102-SC-0001-001", ""}).case_data.id;
        workflow::SetApplicant who;
        who.doc_number = "11010519491231002X";
        who.name = "贺兰芳";
        who.phone = "13800138000";
        wf.set_applicant(id, who);
    }
    auto second = d.demo.open_as_clerk();
    const std::string case_id = id.to_string();
    const auto receipt = second->db().query_text("SELECT receipt_no FROM cases WHERE id = '" + case_id + "'").value_or("");
    BOOST_REQUIRE_MESSAGE(!receipt.empty(), "the draft has no receipt number to find it by");
    auto body = [&](const std::string& path) {
        return second->db().query_text("SELECT COALESCE(json_extract(body, '" + path + "'), '') FROM cases WHERE id = '" + case_id + "'").value_or("");
    };

    auto* search_window = d.find("cases.search");
    auto* list = d.get<wxListCtrl>("cases.list");
    auto* message = d.get<wxStaticText>("case.message");
    auto* summary = d.get<wxTextCtrl>("case.summary");
    text_entry(search_window)->Clear();
    xtest_type(search_window, receipt);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return list->GetItemCount() == 1 && utf8(list->GetItemText(0, 0)) == receipt; }, 3s),
                          "the search for " << receipt << " does not list it alone");
    BOOST_REQUIRE(d.frame->open_case_row(0));
    pump_for(200ms);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return d.get<wxButton>("action.case.assist")->IsEnabled(); }, 3s),
                          "帮办代办 is not offered on a case at intake");

    xtest_key(list, 'H', wxMOD_CONTROL | wxMOD_SHIFT);
    auto* mode = d.get<wxChoice>("case.assist.mode");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(mode) && wxWindow::FindFocus() == mode; }, 3s),
                          "Ctrl+Shift+H did not show the help lines");
    auto* helper = d.get<wxChoice>("case.assist.helper");
    BOOST_CHECK_MESSAGE(utf8(helper->GetStringSelection()).find(d.demo.clerk.display_name) != std::string::npos,
                        "the signed-in clerk is not the helper offered: " << utf8(helper->GetStringSelection()));
    BOOST_CHECK_MESSAGE(on_screen(d.find("case.agent.name")), "no agent row on a case at intake");

    mode->SetSelection(1);  // 代办
    auto* note = d.get<wxTextCtrl>("case.assist.note");
    note->SetFocus();
    note->WriteText(wxString::FromUTF8("行动不便，全程代办"));  // what an input method hands in
    xtest_key(note, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return body("$.assistance.helper") == d.demo.clerk.name; }, 5s),
                          "the helper was not stored: \"" << utf8(message->GetLabel()) << "\"");
    BOOST_CHECK_EQUAL(body("$.assistance.mode"), "agency");
    BOOST_CHECK_MESSAGE(utf8(summary->GetValue()).find("代办") != std::string::npos &&
                            utf8(summary->GetValue()).find("行动不便") != std::string::npos,
                        "the summary does not name the helper: " << utf8(summary->GetValue()));

    // The agent: a bad check digit is stopped here; a good number records the agent.
    auto* agent_name = d.get<wxTextCtrl>("case.agent.name");
    auto* agent_id = d.get<wxTextCtrl>("case.agent.id");
    auto* relation = d.get<wxTextCtrl>("case.agent.relation");
    agent_name->SetFocus();
    agent_name->WriteText(wxString::FromUTF8("王五"));
    agent_id->SetFocus();
    xtest_type(agent_id, "370102198001010016");
    relation->SetFocus();
    relation->WriteText(wxString::FromUTF8("亲属"));
    xtest_key(relation, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return utf8(message->GetLabel()).find("校验") != std::string::npos; }, 3s),
                          "no word on the bad ID number: \"" << utf8(message->GetLabel()) << "\"");
    BOOST_CHECK(body("$.applicant.agent_name").empty());
    agent_id->Clear();
    xtest_type(agent_id, "370102198001010015");
    pump_for(200ms);
    ShotOnExit("assist_line", &d.shot_window).finish();  // the help lines as the clerk fills them in
    relation->SetFocus();
    xtest_key(relation, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return body("$.applicant.agent_name") == "王五"; }, 5s),
                          "the agent was not stored: \"" << utf8(message->GetLabel()) << "\"");
    auto* materials = d.get<wxListCtrl>("case.materials");
    bool mandate = false;
    for (long i = 0; i < materials->GetItemCount(); ++i) mandate = mandate || utf8(materials->GetItemText(i, 0)) == "授权委托书";
    BOOST_CHECK_MESSAGE(mandate, "the Materials tab lacks 授权委托书");
    BOOST_CHECK_MESSAGE(utf8(summary->GetValue()).find("王五（亲属）") != std::string::npos || utf8(summary->GetValue()).find("王五 (亲属)") != std::string::npos,
                        "the summary does not name the agent: " << utf8(summary->GetValue()));

    // Ctrl+Shift+B: 我帮办的 — the case is there.
    xtest_key(list, 'B', wxMOD_CONTROL | wxMOD_SHIFT);
    auto* queues = d.get<wxListBox>("cases.queues");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return utf8(queues->GetStringSelection()).find("我帮办的") == 0; }, 3s),
                          "Ctrl+Shift+B did not open the assisted queue: " << utf8(queues->GetStringSelection()));
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return list->GetItemCount() == 1 && utf8(list->GetItemText(0, 0)) == receipt; }, 3s),
                          "the assisted queue does not list the case alone");
    pump_for(300ms);
    d.shot.finish();

    // 结束帮办: the help ends, the queue empties.
    BOOST_REQUIRE(d.frame->open_case_row(0));
    pump_for(200ms);
    xtest_key(list, 'H', wxMOD_CONTROL | wxMOD_SHIFT);
    BOOST_REQUIRE(wait_until([&] { return on_screen(mode); }, 3s));
    auto* end = d.get<wxButton>("case.assist.end");
    xtest_key(end, WXK_SPACE);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return body("$.assistance.helper").empty(); }, 5s), "the help did not end");
    BOOST_CHECK_EQUAL(second->db().query_int("SELECT count(*) FROM audit WHERE action = 'case.assist' AND case_id = '" + case_id + "'"), 2);
}

// 信即办 and the check (issue 21 part 7): Ctrl+Shift+K on a case at intake of an item on the 信即办
// list shows the commitment line (信即办 offered, 告知承诺（条件） not: the item is not of the
// 告知承诺制); the credit answer asked when the line opened; 信即办 stores the credit commitment
// (the standing in the summary, 经营场所 under 告知承诺 on the Materials tab). Accepted, Ctrl+Shift+K
// shows the check line with the commitment and its date; 未履行，移送处理 with the finding, Enter:
// stored, audited.
BOOST_AUTO_TEST_CASE(commitments_and_checks) {
    std::atomic<int> asked{0};
    Desk d(60, {}, [&asked](app::DeskConfig& c) {
        c.credit_lookup = [&asked, now = c.now](core::DocumentType, const std::string&) {
            ++asked;
            return workflow::CreditAnswer{"good", "信用中国（测试）", "XY-GUI", now()};
        };
    });
    d.unlock(d.demo.clerk);
    core::Uuid id;
    {
        auto& wf = d.services.workflow();
        id = wf.start_intake({"370102-SC-0001-001", ""}).case_data.id;
        workflow::SetApplicant who;
        who.doc_number = "11010519491231002X";
        who.name = "贺兰芳";
        who.phone = "13800138000";
        wf.set_applicant(id, who);
        wf.answer(id, nlohmann::json::parse(R"({"operator_name":"贺兰芳","operator_id":"11010519491231002X","operator_phone":"13800138000",
            "organisation":"individual","business_name":"贺兰芳小吃店","business_scope":"小吃服务","premises":{"region":"370102","detail":"经十路2号"},
            "capital_fen":5000000,"employees":2,"agent_present":false})"));
    }
    auto second = d.demo.open_as_clerk();
    const std::string case_id = id.to_string();
    const auto receipt = second->db().query_text("SELECT receipt_no FROM cases WHERE id = '" + case_id + "'").value_or("");
    BOOST_REQUIRE(!receipt.empty());
    auto body = [&](const std::string& path) {
        return second->db().query_text("SELECT COALESCE(json_extract(body, '" + path + "'), '') FROM cases WHERE id = '" + case_id + "'").value_or("");
    };
    auto* search_window = d.find("cases.search");
    auto* list = d.get<wxListCtrl>("cases.list");
    auto* message = d.get<wxStaticText>("case.message");
    auto* summary = d.get<wxTextCtrl>("case.summary");
    auto open = [&] {
        text_entry(search_window)->Clear();
        xtest_type(search_window, receipt);
        BOOST_REQUIRE_MESSAGE(wait_until([&] { return list->GetItemCount() == 1 && utf8(list->GetItemText(0, 0)) == receipt; }, 3s),
                              "the search for " << receipt << " does not list it alone");
        BOOST_REQUIRE(d.frame->open_case_row(0));
        pump_for(200ms);
    };
    open();
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return d.get<wxButton>("action.case.commit")->IsEnabled(); }, 3s),
                          "承诺与核查 is not offered on a case of the 信即办 list at intake");
    xtest_key(list, 'K', wxMOD_CONTROL | wxMOD_SHIFT);
    auto* text = d.get<wxTextCtrl>("case.commit.text");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(text) && wxWindow::FindFocus() == text; }, 3s),
                          "Ctrl+Shift+K did not show the commitment line");
    BOOST_CHECK(!d.get<wxButton>("case.commit.item")->IsEnabled());
    auto* credit = d.get<wxButton>("case.commit.credit");
    BOOST_CHECK(credit->IsEnabled());
    BOOST_CHECK(!on_screen(d.find("case.verify.target")));
    d.services.wait_credit();
    BOOST_CHECK_EQUAL(asked.load(), 1);
    pump_for(200ms);
    ShotOnExit("commit_line", &d.shot_window).finish();
    credit->SetFocus();
    xtest_key(credit, WXK_SPACE);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return body("$.credit.standing") == "good"; }, 5s),
                          "the credit commitment was not stored: \"" << utf8(message->GetLabel()) << "\"");
    BOOST_CHECK_EQUAL(body("$.commitments[0].kind"), "credit");
    BOOST_CHECK_MESSAGE(utf8(summary->GetValue()).find("XY-GUI") != std::string::npos, "the summary lacks the credit answer: " << utf8(summary->GetValue()));
    auto* materials = d.get<wxListCtrl>("case.materials");
    bool committed = false;
    for (long i = 0; i < materials->GetItemCount(); ++i)
        committed = committed || utf8(materials->GetItemText(i, 2)).find("告知承诺") != std::string::npos;
    BOOST_CHECK_MESSAGE(committed, "no material is under 告知承诺 on the Materials tab");

    // Accepted at the window (the application and the ID as papers), then the check.
    {
        auto& wf = d.services.workflow();
        for (const char* m : {"application", "operator_id"}) {
            workflow::RecordMaterial rm;
            rm.material_code = m;
            wf.record_material(id, rm);
        }
        wf.accept(id);
    }
    open();
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return d.get<wxButton>("action.case.commit")->IsEnabled(); }, 3s), "no check offered once accepted");
    xtest_key(list, 'K', wxMOD_CONTROL | wxMOD_SHIFT);
    auto* target = d.get<wxChoice>("case.verify.target");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(target) && wxWindow::FindFocus() == target; }, 3s),
                          "Ctrl+Shift+K did not show the check line");
    BOOST_CHECK(!on_screen(text));
    BOOST_REQUIRE_EQUAL(target->GetCount(), 1u);
    BOOST_CHECK_MESSAGE(utf8(target->GetString(0)).find("信用承诺") != std::string::npos, utf8(target->GetString(0)));
    d.get<wxChoice>("case.verify.result")->SetSelection(2);  // 未履行，移送处理
    auto* finding = d.get<wxTextCtrl>("case.verify.finding");
    finding->SetFocus();
    xtest_key(finding, WXK_RETURN);  // nothing written: stopped here
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return utf8(message->GetLabel()).find("核查") != std::string::npos; }, 3s),
                          "no word on the missing finding: \"" << utf8(message->GetLabel()) << "\"");
    BOOST_CHECK(body("$.commitments[0].finding").empty());
    finding->WriteText(wxString::FromUTF8("现场核查：经营场所与承诺不符"));
    pump_for(200ms);
    ShotOnExit("check_line", &d.shot_window).finish();
    xtest_key(finding, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return body("$.commitments[0].finding.outcome") == "referred"; }, 5s),
                          "the check was not stored: \"" << utf8(message->GetLabel()) << "\"");
    BOOST_CHECK_EQUAL(second->db().query_int("SELECT count(*) FROM audit WHERE action = 'case.verify_follow_up' AND case_id = '" + case_id + "'"), 1);
    pump_for(300ms);
}

BOOST_AUTO_TEST_SUITE_END()
