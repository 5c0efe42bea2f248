// GUI tests of the desk: the real windows of ow_desk_views, driven under Xvfb, on real encrypted
// stores (tests/gui/gui_harness.h says how input is made and widgets are found).
//
// Run them alone (each test is a ctest entry of its own, gui_desk_<test>, under tests/gui/xvfb-one):
//     ctest --test-dir build/dev -L gui            (with the other GUI tests: gui_smoke …)
//     ctest --test-dir build/dev -R gui_desk_      (these only)
// or by hand, one or all in one process, with the log:
//     xvfb-run -a -s '-screen 0 1366x768x24' build/dev/bin/test_desk_gui --run_test=desk_gui/unlock --log_level=message
// Screenshots: build/dev/test-artefacts/gui/<test>.png (written whether the test passed or not).
//
// Widgets are found by name, per the desk's view contract (client/app/shell/main_frame.h): the lock
// screen "unlock" with "unlock.user", "unlock.password", "unlock.submit", "unlock.message"; the
// desk "desk" with "cases.queues", "cases.search", "cases.list", "case.summary", "case.timeline",
// "case.materials", "case.notices" and the header labels "header.*".
#define BOOST_TEST_MODULE desk_gui
#include "desk_fixture.h"
#include "gui_harness.h"

#include "common/desk_log.h"
#include "shell/desk_services.h"
#include "shell/main_frame.h"
#include "shell/screenshot.h"

#include "ow/store/cases.h"
#include "ow/workflow/workflow.h"
#include "ow/store/queues.h"
#include "ow/store/repositories.h"
#include "ow/store/unlock_throttle.h"

#include <boost/test/unit_test.hpp>

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/dialog.h>
#include <wx/frame.h>
#include <wx/image.h>
#include <wx/listbox.h>
#include <wx/listctrl.h>
#include <wx/panel.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <regex>
#include <optional>
#include <set>
#include <vector>

using namespace ow;
using namespace ow::guitest;
using namespace std::chrono_literals;

wxIMPLEMENT_APP_NO_MAIN(ow::guitest::GuiTestApp);

namespace {

/// wx lives for the whole process: started before the first test, cleaned up after the last.
struct WxSession {
    WxSession() {
        auto& master = boost::unit_test::framework::master_test_suite();
        int argc = master.argc;
        if (!wxEntryStart(argc, master.argv)) throw GuiFailure("wx could not start: is DISPLAY set (run under xvfb-run)?");
        if (!wxTheApp->CallOnInit()) throw GuiFailure("the test app's OnInit failed");
    }
    ~WxSession() {
        wxTheApp->OnExit();
        wxEntryCleanup();
    }
};
BOOST_TEST_GLOBAL_FIXTURE(WxSession);

}  // namespace

BOOST_AUTO_TEST_SUITE(desk_gui)

// 0. The harness itself: two screenshots in one process each show what is on the screen then
// (wxScreenDC under GTK 3 handed back its first snapshot: every later test's picture was the first's).
BOOST_AUTO_TEST_CASE(screenshots_follow_the_screen) {
    auto* frame = new wxFrame(nullptr, wxID_ANY, "screenshots", wxPoint(0, 0), wxSize(480, 320));
    std::vector<wxPanel*> stripes;
    const auto paint = [&](int shade) {
        for (int i = 0; i < int(stripes.size()); ++i) {
            stripes[std::size_t(i)]->SetBackgroundColour(wxColour(static_cast<unsigned char>(20 * i), static_cast<unsigned char>(shade),
                                                                  static_cast<unsigned char>(240 - 20 * i)));
            stripes[std::size_t(i)]->Refresh();
        }
    };
    for (int i = 0; i < 12; ++i) stripes.push_back(new wxPanel(frame, wxID_ANY, wxPoint(40 * i, 0), wxSize(40, 320)));
    paint(40);
    frame->Show();
    const auto path = artefacts_dir() / "screenshots_follow_the_screen.png";
    const auto capture = [&] {
        std::string error;
        BOOST_REQUIRE_MESSAGE(wait_until([&] { return app::capture_window_png(frame, path.string(), error); }, 5s), "no screenshot: " << error);
        wxImage img(wxString(path.string()), wxBITMAP_TYPE_PNG);
        BOOST_REQUIRE(img.IsOk());
        return img;
    };
    pump_for(200ms);
    const wxImage first = capture();
    paint(200);
    pump_for(300ms);
    const wxImage second = capture();
    BOOST_CHECK_EQUAL(int(first.GetGreen(20, 160)), 40);
    BOOST_CHECK_EQUAL(int(second.GetGreen(20, 160)), 200);  // the new colour, not the first picture again
    frame->Destroy();
    wait_until([] { return wxTopLevelWindows.empty(); }, 5s);
}

// 1. The lock screen lists the users; the passphrase and Enter open the desk with the user's name.
// Help ▸ About in the desk's language (zh_CN): its title, its words and its button (GTK's own
// About box had an English title and Close).
BOOST_AUTO_TEST_CASE(about_box_in_the_desks_language) {
    Desk d;
    d.unlock(d.demo.clerk);
    wxDialog* about = d.frame->about_dialog();
    about->Show();
    pump_for(300ms);
    BOOST_CHECK_EQUAL(utf8(about->GetTitle()), "关于一窗通");
    auto* close = wxDynamicCast(about->FindWindow(wxID_CLOSE), wxButton);
    BOOST_REQUIRE(close);
    BOOST_CHECK_MESSAGE(utf8(close->GetLabel()).find("关闭") != std::string::npos, "the About box's button: " << utf8(close->GetLabel()));
    auto* version = wxDynamicCast(about->FindWindow("about.version"), wxStaticText);
    BOOST_REQUIRE(version);
    BOOST_CHECK_MESSAGE(utf8(version->GetLabel()).find("版本") == 0, utf8(version->GetLabel()));
    // The version and the git revision it was built from (issue 20: --version everywhere).
    BOOST_CHECK_MESSAGE(utf8(version->GetLabel()).find("(git ") != std::string::npos, utf8(version->GetLabel()));
    about->Destroy();
}

// wx's log messages (technical English) go to desk.log (0600 in a 0700 folder), never into a
// dialog in front of the clerk.
BOOST_AUTO_TEST_CASE(log_messages_go_to_the_file_not_a_dialog) {
    Desk d;
    d.unlock(d.demo.clerk);
    const auto dir = std::filesystem::path(d.demo.root) / "state";
    wxLog* old = wxLog::SetActiveTarget(new app::DeskLog(dir, false));
    const std::size_t windows = wxTopLevelWindows.size();
    wxLogError("case.archive: the disk is full");
    wxLogWarning("catalogue: item X has no form");
    wxLog::FlushActive();
    pump_for(500ms);  // wx's GUI target would show its dialog at idle
    BOOST_CHECK_EQUAL(wxTopLevelWindows.size(), windows);
    delete wxLog::SetActiveTarget(old);
    std::ifstream in(dir / "desk.log");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_CHECK_MESSAGE(text.find("error: case.archive: the disk is full") != std::string::npos, text);
    BOOST_CHECK_MESSAGE(text.find("warning: catalogue: item X has no form") != std::string::npos, text);
    BOOST_CHECK_EQUAL(int(std::filesystem::status(dir / "desk.log").permissions() & std::filesystem::perms::all), 0600);
    BOOST_CHECK_EQUAL(int(std::filesystem::status(dir).permissions() & std::filesystem::perms::all), 0700);
}

// A name with rare characters (生僻字: 䶮 in CJK extension A, 𠮷 beyond the BMP) goes whole through
// the desk: found by its first characters, in the list and in the case's summary (the screenshot
// shows the glyphs; the notices print them, test_notices).
BOOST_AUTO_TEST_CASE(rare_characters_in_a_name) {
    Desk d;
    d.unlock(d.demo.clerk);
    const std::string name = "欧阳䶮𠮷";
    auto& wf = d.services.workflow();
    workflow::StartIntake start;
    start.item_code = "370102-RS-0211-001";
    const auto started = wf.start_intake(start);
    workflow::SetApplicant who;
    who.doc_number = "11010519491231002X";
    who.name = name;
    who.phone = "13800138000";
    wf.set_applicant(started.case_data.id, who);

    auto* list = d.get<wxListCtrl>("cases.list");
    text_entry(d.find("cases.search"))->SetValue(wxString::FromUTF8("欧阳䶮"));  // as typed with an input method
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return list->GetItemCount() == 1; }, 3s), "the search by 欧阳䶮 does not list the case alone");
    BOOST_CHECK_EQUAL(utf8(list->GetItemText(0, 2)), name);
    BOOST_REQUIRE(d.frame->open_case_row(0));
    pump_for(300ms);
    const std::string summary = utf8(d.get<wxTextCtrl>("case.summary")->GetValue());
    BOOST_CHECK_MESSAGE(summary.find(name) != std::string::npos, summary);
}

BOOST_AUTO_TEST_CASE(unlock) {
    Desk d;
    d.require_lock_screen("a store and nobody signed in");
    BOOST_CHECK_MESSAGE(!on_screen(wait_for_window(d.frame, "cases.queues", 0ms)), "the queues show before anyone signed in");
    BOOST_CHECK(!d.services.signed_in());
    auto* chooser = d.get<wxChoice>("unlock.user");
    BOOST_REQUIRE_EQUAL(chooser->GetCount(), 2u);
    for (const auto* u : {&d.demo.admin, &d.demo.clerk}) {
        bool listed = false;
        for (unsigned i = 0; i < chooser->GetCount(); ++i) listed |= entry_is(chooser->GetString(i), *u);
        BOOST_CHECK_MESSAGE(listed, "unlock.user does not list " << u->name);
    }
    d.unlock(d.demo.clerk);
    BOOST_CHECK(d.services.signed_in());
    BOOST_CHECK_EQUAL(d.services.who().user, d.demo.clerk.name);
    auto* user = d.get<wxStaticText>("header.user");
    BOOST_CHECK_MESSAGE(utf8(user->GetLabel()).find(d.demo.clerk.display_name) != std::string::npos,
                        "header.user shows \"" << utf8(user->GetLabel()) << "\", not the display name " << d.demo.clerk.display_name);
    BOOST_CHECK(on_screen(d.find("desk")));
}

// 2. Five wrong passphrases: a message each time; after the 4th the store's back-off (defaults:
// 3 free, then 1 s, 2 s …) shows as a wait and an attempt during it is not tried; unlock.json
// counts 5. No minutes of sleeping: the test checks the refusal, then waits out only the 1 s.
BOOST_AUTO_TEST_CASE(wrong_passphrase_five_times) {
    Desk d;
    d.require_lock_screen("a store and nobody signed in");
    d.choose_user(d.demo.clerk);
    store::UnlockThrottle throttle(d.demo.dir);
    auto* pw = d.get<wxTextCtrl>("unlock.password");
    auto* submit = d.find("unlock.submit");
    const store::BackoffPolicy policy;  // the store's defaults, which Store::open applies
    // The message names the seconds: the number stands alone ("… 4 times in a row" is no wait).
    const auto says_seconds = [&](long long n) {
        return std::regex_search(d.message(), std::regex("(^|[^0-9])" + std::to_string(n) + "([^0-9]|$)"));
    };
    // A wait shows: the field or the button disabled, or the message says the seconds.
    const auto waiting_shown = [&](long long failures) {
        return !pw->IsEnabled() || !submit->IsEnabled() || says_seconds(policy.delay_after(failures).count());
    };

    std::chrono::steady_clock::time_point fourth_counted;
    for (int attempt = 1; attempt <= 5; ++attempt) {
        if (attempt == 5) {
            // The 4th wrong passphrase costs a wait: the lock screen says so, and an attempt now
            // is refused without being tried (the field/button disabled, or a refusal with the seconds).
            BOOST_REQUIRE_MESSAGE(wait_until([&] { return waiting_shown(4); }, 900ms),
                                  "after 4 wrong passphrases the lock screen shows no wait: \"" << d.message() << "\"");
            if (pw->IsEnabled() && submit->IsEnabled()) {
                d.submit_passphrase("early");
                pump_for(300ms);
                BOOST_CHECK_MESSAGE(says_seconds(policy.delay_after(4).count()),
                                    "an attempt during the wait should say the seconds left: \"" << d.message() << "\"");
            }
            BOOST_REQUIRE_EQUAL(throttle.failures(d.demo.clerk.name), 4);  // the early attempt was not tried
            BOOST_CHECK(!d.services.signed_in());
            // The wait (1 s by the defaults) ends; then the 5th is tried.
            BOOST_REQUIRE_MESSAGE(wait_until([&] { return pw->IsEnabled() && submit->IsEnabled(); }, 5s),
                                  "the passphrase field stays disabled after the 1 s wait");
            const auto left = fourth_counted + 1200ms - std::chrono::steady_clock::now();
            if (left > 0ms) pump_for(std::chrono::duration_cast<std::chrono::milliseconds>(left));
        }
        d.submit_passphrase("wrong" + std::to_string(attempt));
        BOOST_REQUIRE_MESSAGE(wait_until([&] { return throttle.failures(d.demo.clerk.name) == attempt && !d.message().empty(); }, 5s),
                              "wrong passphrase " << attempt << ": unlock.json counts " << throttle.failures(d.demo.clerk.name)
                                                  << ", unlock.message \"" << d.message() << "\"");
        if (attempt == 4) fourth_counted = std::chrono::steady_clock::now();
        BOOST_TEST_MESSAGE("attempt " << attempt << ": " << d.message());
        BOOST_CHECK(!d.services.signed_in());
        BOOST_CHECK(d.lock_screen_shown(0ms));
        if (attempt < 4)  // the first three cost nothing: the next may be typed at once
            BOOST_CHECK_MESSAGE(pw->IsEnabled() && submit->IsEnabled(), "after wrong passphrase " << attempt << " the lock screen is disabled");
    }
    BOOST_CHECK_EQUAL(throttle.failures(d.demo.clerk.name), 5);
    BOOST_CHECK_MESSAGE(waiting_shown(5), "after 5 wrong passphrases the lock screen shows no wait: \"" << d.message() << "\"");
    BOOST_CHECK(!on_screen(wait_for_window(d.frame, "cases.queues", 0ms)));
}

// 3. Each of the 9 queues, selected with the keyboard: the list holds as many rows as its label
// says, and as the store counts on a connection of its own.
BOOST_AUTO_TEST_CASE(open_each_queue) {
    Desk d;
    d.unlock(d.demo.clerk);
    auto* queues = d.get<wxListBox>("cases.queues");
    auto* list = d.get<wxListCtrl>("cases.list");
    BOOST_REQUIRE_MESSAGE(list->HasFlag(wxLC_VIRTUAL), "cases.list is not a virtual list");
    // kAllQueues, then the closing-time list, the cases the clerk assists, the remote calls and acceptance-due (issue 21).
    std::vector<store::Queue> listed(store::kAllQueues.begin(), store::kAllQueues.end());
    listed.push_back(store::Queue::closing);
    listed.push_back(store::Queue::assisted);
    listed.push_back(store::Queue::remote_calls);
    listed.push_back(store::Queue::acceptance_due);
    BOOST_REQUIRE_EQUAL(queues->GetCount(), listed.size());
    auto second = d.demo.open_as_clerk();
    auto calendar = store::PlatformCalendars(second->db()).calendar();
    store::CaseQueues counts(second->db(), calendar);
    counts.set_helper(d.demo.clerk.name);  // the desk's assisted queue is the signed-in clerk's
    const core::Date today = d.services.today();
    long long shown_rows = 0;
    for (int i = 0; i < int(listed.size()); ++i) {
        const auto q = listed[std::size_t(i)];
        const auto expected = counts.count(q, today);
        d.select_queue(i);
        const bool settled = wait_until([&] { return list->GetItemCount() == expected && label_count(queues->GetString(unsigned(i))) == expected; }, 3s);
        BOOST_TEST_MESSAGE("queue " << store::to_code(q) << ": " << list->GetItemCount() << " rows");
        BOOST_CHECK_MESSAGE(settled, "queue " << store::to_code(q) << ": label \"" << utf8(queues->GetString(unsigned(i))) << "\", "
                                              << list->GetItemCount() << " rows, the store counts " << expected);
        shown_rows += list->GetItemCount();
    }
    BOOST_CHECK_MESSAGE(shown_rows > 0, "every queue is empty: the test proves nothing (seed more cases)");
}

// 4. Search: an ID number typed with keys (XTest), a Chinese name inserted as an input method
// commits it (synthesized WriteText); the list shows what CaseStore::search finds.
BOOST_AUTO_TEST_CASE(search_by_id_and_name) {
    Desk d;
    d.unlock(d.demo.clerk);
    auto* search_window = d.find("cases.search");
    auto* search = text_entry(search_window);
    auto* list = d.get<wxListCtrl>("cases.list");
    auto second = d.demo.open_as_clerk();
    auto calendar = store::PlatformCalendars(second->db()).calendar();
    store::CaseStore cases(second->db(), calendar);
    // An applicant's ID number, and the name of another applicant (the newest case's).
    const auto id_no = second->db().query_text("SELECT applicant_doc FROM cases WHERE receipt_no <> '' AND applicant_doc <> '' ORDER BY rowid LIMIT 1");
    BOOST_REQUIRE(id_no);
    std::optional<std::string> name;
    {
        store::Stmt st(second->db(), "SELECT applicant_name FROM cases WHERE receipt_no <> '' AND applicant_doc <> ?1 ORDER BY rowid DESC LIMIT 1");
        st.bind(1, *id_no);
        if (st.step()) name = st.text(0);
    }
    BOOST_REQUIRE(name);

    const auto expect = [&](const std::string& query) {
        std::multiset<std::string> out;
        for (const auto& h : cases.search(query, 1000)) out.insert(h.receipt_no);
        return out;
    };
    const auto check_list = [&](const std::string& what, const std::string& query) {
        const auto want = expect(query);
        BOOST_REQUIRE_MESSAGE(!want.empty(), "the store finds no case for " << what << " " << query);
        const bool ok = wait_until([&] { return receipt_column(list) == want; }, 3s);
        BOOST_CHECK_MESSAGE(ok, "search by " << what << " \"" << query << "\": the list shows " << join(receipt_column(list))
                                             << ", the store finds " << join(want));
    };

    xtest_type(search_window, *id_no);  // XTest: digits and X
    BOOST_REQUIRE_EQUAL(utf8(search->GetValue()), *id_no);
    check_list("ID number", *id_no);

    search->Clear();  // synthesized (wxEVT_TEXT with "")
    focus(search_window);
    search->WriteText(wxString::FromUTF8(*name));  // synthesized: XTest has no keysyms for Chinese
    BOOST_REQUIRE_EQUAL(utf8(search->GetValue()), *name);
    check_list("name", *name);
}

// 5. Open a case with the keyboard (Down, Enter in the case list): its receipt number in the
// summary, its timeline and its materials listed.
BOOST_AUTO_TEST_CASE(open_a_case) {
    Desk d;
    d.unlock(d.demo.clerk);
    auto* queues = d.get<wxListBox>("cases.queues");
    auto* list = d.get<wxListCtrl>("cases.list");
    // The first queue with two cases or more (so Down has a row to go to), else one.
    int queue = -1;
    for (long long want : {2, 1})
        for (unsigned i = 0; i < queues->GetCount() && queue < 0; ++i)
            if (label_count(queues->GetString(i)) >= want) queue = int(i);
    BOOST_REQUIRE_MESSAGE(queue >= 0, "every queue is empty");
    d.select_queue(queue);
    BOOST_REQUIRE(wait_until([&] { return list->GetItemCount() > 0; }, 3s));
    const auto selected = [&] { return list->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED); };
    const long before = selected();  // the view may open the first row itself
    const long expected = std::min(before + 1, long(list->GetItemCount()) - 1);
    xtest_key(list, WXK_DOWN);
    xtest_key(list, WXK_RETURN);
    long row = -1;
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return (row = selected()) == expected; }, 2s),
                          "Down in cases.list: row " << row << " selected, " << expected << " expected (before: " << before << ")");
    const std::string receipt = utf8(list->GetItemText(row, 0));
    BOOST_REQUIRE(!receipt.empty());
    auto* summary = d.get<wxTextCtrl>("case.summary");
    auto* timeline = d.get<wxListCtrl>("case.timeline");
    auto* materials = d.get<wxListCtrl>("case.materials");
    d.get<wxListCtrl>("case.notices");
    BOOST_CHECK(!summary->IsEditable());
    BOOST_CHECK_MESSAGE(wait_until([&] { return utf8(summary->GetValue()).find(receipt) != std::string::npos; }, 3s),
                        "case.summary does not show the receipt number " << receipt << ": \"" << utf8(summary->GetValue()) << "\"");
    // What the store holds for that case.
    auto second = d.demo.open_as_clerk();
    auto calendar = store::PlatformCalendars(second->db()).calendar();
    store::CaseStore cases(second->db(), calendar);
    const auto hits = cases.search(receipt, 5);
    BOOST_REQUIRE_EQUAL(hits.size(), 1u);
    const auto c = cases.load(*core::Uuid::parse(hits[0].id));
    BOOST_REQUIRE(c);
    BOOST_CHECK_MESSAGE(timeline->GetItemCount() >= long(c->history.size()),
                        "case.timeline has " << timeline->GetItemCount() << " entries, the case's history " << c->history.size());
    BOOST_CHECK(timeline->GetItemCount() > 0);
    BOOST_CHECK_MESSAGE(materials->GetItemCount() > 0, "case.materials is empty");
}

// 6. The idle lock: text typed into the search box survives locking and unlocking.
BOOST_AUTO_TEST_CASE(idle_lock_keeps_typed_text) {
    Desk d;
    d.unlock(d.demo.clerk);
    d.frame->set_idle_timeout(std::chrono::seconds(2));
    auto* search_window = d.find("cases.search");
    const std::string typed = "1380";
    xtest_type(search_window, typed);  // XTest: the keys reset the idle time, as a clerk's do
    BOOST_REQUIRE_EQUAL(utf8(text_entry(search_window)->GetValue()), typed);
    d.require_lock_screen("8 s after the last key with a 2 s idle lock", 8s);
    BOOST_CHECK(!d.services.signed_in());
    BOOST_CHECK(!on_screen(search_window));
    d.unlock(d.demo.clerk);
    BOOST_CHECK_EQUAL(utf8(text_entry(d.find("cases.search"))->GetValue()), typed);
}

// 7. Ctrl+F with the queue list focused finds a case: the search box gets the focus and a letter
// typed goes into it. GTK's list views open a type-ahead search popup of their own on Ctrl+F and
// letters (a GtkWindow wx does not know: focus would leave the desk's widgets); the desk turns it
// off (common/quiet_list_box.h). XTest keys.
BOOST_AUTO_TEST_CASE(ctrl_f_from_the_queue_list) {
    Desk d;
    d.unlock(d.demo.clerk);
    auto* queues = d.get<wxListBox>("cases.queues");
    auto* search_window = d.find("cases.search");
    auto* search = text_entry(search_window);
    search->ChangeValue(wxString());
    // A letter typed into the list: no popup takes it (the list keeps the focus).
    xtest_key(queues, 'A');
    pump_for(300ms);
    wxWindow* after_letter = wxWindow::FindFocus();
    BOOST_CHECK_MESSAGE(after_letter == queues, "a letter in the queue list moved the focus away (GTK's search popup?)");
    xtest_key(queues, 'F', wxMOD_CONTROL);
    const bool in_search = wait_until(
        [&] {
            for (wxWindow* w = wxWindow::FindFocus(); w; w = w->GetParent())
                if (w == search_window) return true;
            return false;
        },
        2s);
    BOOST_CHECK_MESSAGE(in_search, "Ctrl+F did not put the focus into cases.search (focus: "
                                       << (wxWindow::FindFocus() ? utf8(wxWindow::FindFocus()->GetName()) : std::string("none")) << ")");
    // The same from the case list (a generic wx list): the accelerator reaches the menu.
    auto* list = d.get<wxListCtrl>("cases.list");
    xtest_key(list, 'F', wxMOD_CONTROL);
    BOOST_CHECK_MESSAGE(wait_until([&] {
                            for (wxWindow* w = wxWindow::FindFocus(); w; w = w->GetParent())
                                if (w == search_window) return true;
                            return false;
                        }, 2s),
                        "Ctrl+F from the case list did not reach cases.search");
    xtest_key(search_window, '7');
    BOOST_CHECK(wait_until([&] { return search->GetValue().Contains("7"); }, 2s));
}

// 8. An act from the keyboard: a complete draft found by its receipt number (XTest), F6 accepts
// it. The act runs on a worker with a session of its own; the outcome comes back to the view,
// which shows the new state, and the store has it (read on a second connection).
BOOST_AUTO_TEST_CASE(accept_with_f6) {
    Desk d;
    d.unlock(d.demo.clerk);
    auto second = d.demo.open_as_clerk();
    const auto receipt = second->db().query_text(
        "SELECT receipt_no FROM cases WHERE state = 'draft' AND applicant_doc <> '' AND receipt_no <> '' ORDER BY rowid LIMIT 1");
    BOOST_REQUIRE_MESSAGE(receipt, "the demo store has no draft with an applicant");
    auto* search_window = d.find("cases.search");
    xtest_type(search_window, *receipt);
    auto* list = d.get<wxListCtrl>("cases.list");
    auto* summary = d.get<wxTextCtrl>("case.summary");
    BOOST_REQUIRE(wait_until([&] { return list->GetItemCount() == 1 && summary->GetValue().Contains(wxString::FromUTF8(*receipt)); }, 3s));
    auto* accept = d.get<wxButton>("action.case.accept");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return accept->IsEnabled(); }, 2s), "受理 is not offered on a draft");
    xtest_key(list, WXK_F6);
    const auto state = [&] {
        return second->db().query_text("SELECT state FROM cases WHERE receipt_no = '" + *receipt + "'").value_or("");
    };
    auto* message = d.get<wxStaticText>("case.message");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return state() != "draft" && !accept->IsEnabled(); }, 10s),
                          "F6 did not accept the case: state " << state() << ", message \"" << utf8(message->GetLabel()) << "\"");
    BOOST_CHECK_EQUAL(state(), "accepted");
    BOOST_CHECK(wait_until([&] { return summary->GetValue().Contains(wxString::FromUTF8("已受理")); }, 3s));
    BOOST_CHECK_MESSAGE(message->GetLabel().StartsWith(wxString::FromUTF8("已办理")), "message: " << utf8(message->GetLabel()));
    // What the accepted case allows next: submit (F7) and its new notice (Ctrl+O); accept no more.
    BOOST_CHECK_MESSAGE(wait_until([&] { return d.get<wxButton>("action.case.submit")->IsEnabled(); }, 2s),
                        "提交决定 is not offered on the accepted case (busy " << d.frame->state().busy << ", state "
                            << (d.frame->state().case_state ? std::string(core::to_code(*d.frame->state().case_state)) : "none") << ")");
    BOOST_CHECK(d.get<wxButton>("action.case.open_notice")->IsEnabled());
    pump_for(300ms);  // repainted before the screenshot
}

BOOST_AUTO_TEST_SUITE_END()
