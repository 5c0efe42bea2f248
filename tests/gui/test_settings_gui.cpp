// The settings screen (F10, issue 19), driven with keys through XTest:
//
//   settings/bad_platform_address   the administrator types an http:// address for a remote
//                                   platform: refused with the reason beside the field (in Chinese)
//                                   and nothing stored or audited; a good https:// address is
//                                   stored and the reason goes away.
//   settings/language_switch        (the clerk sees the enrolment block read only, with the reason)
//                                   the clerk switches the desk to English in the settings: the
//                                   menus, the tabs and the settings screen itself are in English at
//                                   once (and kept in desk.json for the lock screen); back to 简体中文.
//   settings/print_setup            the device plugins listed by their names for people; the
//                                   store's printer and paper are the print dialog's start at
//                                   sign-in (A3 set before); the clerk chooses A5 and types a
//                                   printer's name: the next print starts from them.
//   settings/enrol_with_a_code      the administrator types a one-time code from the training
//                                   platform (a real simulator process) into the 接入平台 block and
//                                   presses Enter: 已接入 with the platform's name, the code field
//                                   cleared, the platform address row and the header show the new
//                                   connection (platform name, terminal code); the same code again
//                                   is refused in Chinese.
#include "desk_fixture.h"
#include "gui_harness.h"

#include "common/pdf_print.h"

#include "settings/settings_view.h"

#include "ow/store/db.h"
#include "ow/store/desk_prefs.h"
#include "ow/store/repositories.h"

#include "../support/platform_sim.h"

#include <wx/choice.h>
#include <wx/menu.h>
#include <wx/notebook.h>
#include <wx/stattext.h>
#include <wx/statusbr.h>
#include <wx/textctrl.h>

using namespace ow;
using namespace ow::guitest;

namespace {

/// A connected platform (what `platform connect --offline` stores), so that its address can change.
void connect_platform(const DemoStore& demo) {
    auto admin = store::Store::open(demo.dir, demo.admin.name, demo.admin.password);
    store::PlatformConfig p;
    p.url = "https://platform.example.cn";
    p.terminal_id = "T-1";
    p.secret = "c2VjcmV0c2VjcmV0";
    store::Settings(admin->db()).set_platform(p);
}

int settings_audited(const DemoStore& demo) {
    auto s = demo.open_as_clerk();
    store::Stmt q(s->db(), "SELECT count(*) FROM audit WHERE action = 'settings.changed'");
    q.step();
    return int(q.int64(0));
}

std::string stored_url(const DemoStore& demo) {
    auto s = demo.open_as_clerk();
    auto p = store::Settings(s->db()).platform();
    return p ? p->url : std::string();
}

/// Opens the settings with F10 from the case search box and waits for the screen.
void open_settings(Desk& d) {
    xtest_key(d.find("cases.search"), WXK_F10);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(d.find("settings")); }, 5s), "F10 did not show the settings");
}

/// The tab titles of the desk's notebook.
std::string tab_titles(Desk& d) {
    auto* book = d.get<wxNotebook>("desk");
    std::string out;
    for (std::size_t i = 0; i < book->GetPageCount(); ++i) out += utf8(book->GetPageText(i)) + "|";
    return out;
}

/// Chooses a value of a wxChoice by its client data (synthesized: GTK's combo box pops up a menu
/// XTest cannot address by row).
void choose(wxChoice* c, const std::string& value) {
    int index = wxNOT_FOUND;
    for (unsigned i = 0; i < c->GetCount(); ++i)
        if (utf8(static_cast<wxStringClientData*>(c->GetClientObject(i))->GetData()) == value) index = int(i);
    BOOST_REQUIRE_MESSAGE(index != wxNOT_FOUND, utf8(c->GetName()) << " has no choice " << value);
    c->SetSelection(index);
    wxCommandEvent ev(wxEVT_CHOICE, c->GetId());
    ev.SetEventObject(c);
    ev.SetInt(index);
    c->GetEventHandler()->ProcessEvent(ev);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(settings_gui)

BOOST_AUTO_TEST_CASE(bad_platform_address) {
    Desk d(20, connect_platform);
    d.unlock(d.demo.admin);
    open_settings(d);
    const int audited = settings_audited(d.demo);
    auto* url = d.get<wxTextCtrl>("settings.platform.url");
    auto* error = d.get<wxStaticText>("settings.platform.url.error");
    BOOST_CHECK_EQUAL(utf8(url->GetValue()), "https://platform.example.cn");
    BOOST_CHECK(!error->IsShown());
    // Select all, type an http:// address of a remote host, Enter.
    focus(url);
    xtest_key(url, 'A', wxMOD_CONTROL);
    xtest_type(url, "http://platform.example.cn");
    BOOST_REQUIRE_EQUAL(utf8(url->GetValue()), "http://platform.example.cn");
    xtest_key(url, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return error->IsShown() && !error->GetLabel().empty(); }, 3s),
                          "no inline error for an http:// address");
    const std::string reason = utf8(error->GetLabel());
    BOOST_CHECK_MESSAGE(reason.find("https://") != std::string::npos && reason.find("请使用") != std::string::npos,
                        "the inline error is not the Chinese reason: " << reason);
    BOOST_CHECK_EQUAL(utf8(url->GetValue()), "http://platform.example.cn");  // kept for correcting
    BOOST_CHECK_EQUAL(stored_url(d.demo), "https://platform.example.cn");   // nothing stored
    BOOST_CHECK_EQUAL(settings_audited(d.demo), audited);                   // nothing audited
    pump_for(300ms);  // the screenshot shows the refusal
    d.shot.finish();
    // A good address: stored, audited, the reason gone.
    xtest_key(url, 'A', wxMOD_CONTROL);
    xtest_type(url, "https://new.example.cn:8443");
    xtest_key(url, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return !error->IsShown(); }, 3s), "the inline error stayed after a good address");
    BOOST_CHECK_EQUAL(stored_url(d.demo), "https://new.example.cn:8443");
    BOOST_CHECK_EQUAL(settings_audited(d.demo), audited + 1);
}

BOOST_AUTO_TEST_CASE(language_switch) {
    Desk d(20);
    d.unlock(d.demo.clerk);
    open_settings(d);
    BOOST_CHECK_MESSAGE(tab_titles(d).find("设置") != std::string::npos, tab_titles(d));
    BOOST_CHECK_EQUAL(utf8(d.frame->GetMenuBar()->GetMenuLabelText(0)), "文件");
    // A clerk sees the enrolment block read only, with the reason.
    BOOST_CHECK(!d.get<wxTextCtrl>("settings.enrol.code")->IsEnabled());
    BOOST_CHECK_EQUAL(utf8(d.get<wxStaticText>("settings.enrol.result")->GetLabel()), "只有管理员可以将本终端接入平台。");
    choose(d.get<wxChoice>("settings.ui.language"), "en");
    // The switch runs after the choice's event: the whole desk is made again in English.
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return utf8(d.frame->GetMenuBar()->GetMenuLabelText(0)) == "File"; }, 5s),
                          "the menu bar did not switch to English: " << utf8(d.frame->GetMenuBar()->GetMenuLabelText(0)));
    BOOST_CHECK_MESSAGE(tab_titles(d).find("Settings") != std::string::npos && tab_titles(d).find("Cases") != std::string::npos,
                        tab_titles(d));
    BOOST_CHECK_MESSAGE(on_screen(d.find("settings")), "the settings screen is not on show after the switch");
    BOOST_CHECK_EQUAL(utf8(d.get<wxStaticText>("header.title")->GetLabel()), "OneWindow");
    BOOST_CHECK_MESSAGE(utf8(d.frame->GetStatusBar()->GetStatusText(2)).find("day") != std::string::npos,
                        "the status bar's day is not in English: " << utf8(d.frame->GetStatusBar()->GetStatusText(2)));
    BOOST_CHECK_EQUAL(utf8(d.get<wxStaticText>("settings.calendar.years")->GetLabel()).rfind("Official years", 0), 0u);
    auto* idle_label = d.get<wxStaticText>("settings.lock.idle_minutes.error");  // the page was made again
    BOOST_CHECK(!idle_label->IsShown());
    BOOST_CHECK(store::load_prefs(d.demo.dir).prefs.language == store::Language::en);  // for the lock screen
    pump_for(300ms);
    d.shot.finish();  // the English settings screen
    // And back.
    choose(d.get<wxChoice>("settings.ui.language"), "zh_CN");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return utf8(d.frame->GetMenuBar()->GetMenuLabelText(0)) == "文件"; }, 5s),
                          "the menu bar did not switch back to Chinese");
    BOOST_CHECK_MESSAGE(tab_titles(d).find("设置") != std::string::npos, tab_titles(d));
    BOOST_CHECK(store::load_prefs(d.demo.dir).prefs.language == store::Language::zh_CN);
}

BOOST_AUTO_TEST_CASE(print_setup) {
    Desk d(20, [](const DemoStore& demo) {
        auto admin = store::Store::open(demo.dir, demo.admin.name, demo.admin.password);
        store::SettingValues(*admin).set("print.paper", "A3");
    });
    d.unlock(d.demo.clerk);
    BOOST_CHECK_EQUAL(app::current_print_data().GetPaperId(), wxPAPER_A3);  // from the store at sign-in
    BOOST_CHECK(app::current_print_data().GetPrinterName().empty());       // the system's default
    open_settings(d);
    // The devices' plugins by their names for people, not their ids.
    auto* reader = d.get<wxChoice>("settings.devices.id_reader");
    std::string readers;
    for (unsigned i = 0; i < reader->GetCount(); ++i) readers += utf8(reader->GetString(i)) + "|";
    BOOST_CHECK_MESSAGE(readers.find("身份证阅读器模拟器（培训）") != std::string::npos && readers.find("idcard-sim") == std::string::npos,
                        "the ID card reader choices: " << readers);
    choose(d.get<wxChoice>("settings.print.paper"), "A5");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return app::current_print_data().GetPaperId() == wxPAPER_A5; }, 3s),
                          "choosing A5 did not reach the print settings");
    auto* printer = d.get<wxTextCtrl>("settings.print.printer");
    focus(printer);
    xtest_type(printer, "window3-laser");
    xtest_key(printer, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return utf8(app::current_print_data().GetPrinterName()) == "window3-laser"; }, 3s),
                          "the printer's name did not reach the print settings");
    BOOST_CHECK_EQUAL(app::current_print_data().GetPaperId(), wxPAPER_A5);
    auto s = d.demo.open_as_clerk();
    BOOST_CHECK_EQUAL(store::SettingValues(*s).get("print.printer"), "window3-laser");
}

BOOST_AUTO_TEST_CASE(enrol_with_a_code) {
    Desk d(20);
    test::PlatformSim sim(d.demo.root / "platform");
    d.unlock(d.demo.admin);
    open_settings(d);
    auto* url = d.get<wxTextCtrl>("settings.enrol.url");
    auto* code = d.get<wxTextCtrl>("settings.enrol.code");
    auto* result = d.get<wxStaticText>("settings.enrol.result");
    BOOST_CHECK(code->HasFlag(wxTE_PASSWORD));  // masked
    BOOST_CHECK(code->IsEnabled());
    // The platform's address, then the code, Enter.
    focus(url);
    xtest_key(url, 'A', wxMOD_CONTROL);
    xtest_type(url, sim.url());
    BOOST_REQUIRE_EQUAL(utf8(url->GetValue()), sim.url());
    const std::string one_time = sim.enrol_code();
    focus(code);
    xtest_type(code, one_time);
    BOOST_REQUIRE_MESSAGE(utf8(code->GetValue()) == one_time, "the typed code did not arrive in settings.enrol.code");
    xtest_key(code, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return utf8(result->GetLabel()).find("已接入") != std::string::npos; }, 20s),
                          "no 已接入 after Enter: \"" << utf8(result->GetLabel()) << "\"");
    const std::string said = utf8(result->GetLabel());
    BOOST_CHECK_MESSAGE(said.find("山东省一体化政务服务平台") != std::string::npos && said.find("终端号") != std::string::npos, said);
    BOOST_CHECK(code->IsEmpty());  // cleared after the try
    // Stored, and the page's platform row shows the new address.
    BOOST_CHECK_EQUAL(stored_url(d.demo), sim.url());
    BOOST_CHECK_EQUAL(utf8(d.get<wxTextCtrl>("settings.platform.url")->GetValue()), sim.url());
    // The header names the platform now (the status poller is woken).
    BOOST_CHECK_MESSAGE(wait_until([&] { return utf8(d.get<wxStaticText>("header.connectivity")->GetLabel()).find("山东省") != std::string::npos; }, 10s),
                        "the header does not name the platform: " << utf8(d.get<wxStaticText>("header.connectivity")->GetLabel()));
    const std::string terminal_code = store::Settings(d.demo.open_as_clerk()->db()).terminal().terminal;
    BOOST_CHECK_MESSAGE(said.find(terminal_code) != std::string::npos, said);
    BOOST_CHECK_EQUAL(utf8(d.get<wxStaticText>("header.window")->GetLabel()), "终端 " + terminal_code);
    pump_for(300ms);  // the screenshot shows 已接入
    d.shot.finish();
    // The same code again: refused in Chinese, nothing changed, the field cleared again.
    const auto terminal = [&] { return store::Settings(d.demo.open_as_clerk()->db()).platform()->terminal_id; };
    const std::string before = terminal();
    focus(code);
    xtest_type(code, one_time);
    xtest_key(d.get<wxTextCtrl>("settings.enrol.name"), 'A', wxMOD_CONTROL);
    xtest_type(d.get<wxTextCtrl>("settings.enrol.name"), "Window 4");  // another name: not the replay of the first answer
    xtest_key(d.get<wxTextCtrl>("settings.enrol.name"), WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return utf8(result->GetLabel()).find("已被使用") != std::string::npos; }, 20s),
                          "a used code was not refused in Chinese: \"" << utf8(result->GetLabel()) << "\"");
    BOOST_CHECK(code->IsEmpty());
    BOOST_CHECK_EQUAL(terminal(), before);
}

BOOST_AUTO_TEST_SUITE_END()
