// The desk fixture of the GUI tests: a demo store, DeskServices over it, the main frame shown, the
// lock screen driven with the keyboard, and the screenshot at the end; with small helpers the
// test files share (test_desk_gui.cpp, test_intake_gui.cpp).
#pragma once

#include "gui_harness.h"

#include "shell/desk_services.h"
#include "shell/main_frame.h"

#include <boost/test/unit_test.hpp>

#include <wx/choice.h>
#include <wx/listbox.h>
#include <wx/listctrl.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <chrono>
#include <functional>
#include <regex>
#include <set>
#include <string>

namespace ow::guitest {

using namespace std::chrono_literals;

inline std::string utf8(const wxString& s) { return s.utf8_string(); }

/// A text box of the contract: a wxTextCtrl or a wxSearchCtrl (both are wxTextEntry).
inline wxTextEntry* text_entry(wxWindow* w) {
    auto* e = dynamic_cast<wxTextEntry*>(w);
    if (!e) throw GuiFailure("widget " + utf8(w->GetName()) + " is not a text box");
    return e;
}

/// The count at the end of a queue label, "<name> (<count>)".
inline long long label_count(const wxString& label) {
    static const std::regex re(R"(\((\d+)\)\s*$)");
    std::smatch m;
    const std::string s = utf8(label);
    if (!std::regex_search(s, m, re)) throw GuiFailure("queue label \"" + s + "\" does not end with (<count>)");
    return std::stoll(m[1]);
}

/// The receipt numbers (column 0) of every row of a list.
inline std::multiset<std::string> receipt_column(wxListCtrl* list) {
    std::multiset<std::string> out;
    for (long i = 0; i < list->GetItemCount(); ++i) out.insert(utf8(list->GetItemText(i, 0)));
    return out;
}

/// A lock screen entry is this user's: the display name in it, or it starts with the user name
/// ("clerk (Window clerk)" — before unlocking only keys.json's names and roles can be read).
inline bool entry_is(const wxString& entry, const DemoUser& u) {
    const std::string e = utf8(entry);
    return e.find(u.display_name) != std::string::npos || e == u.name || e.rfind(u.name + " ", 0) == 0;
}

inline std::string join(const std::multiset<std::string>& s) {
    std::string out;
    for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
    return "{" + out + "}";
}

/// One test's desk: a demo store, DeskServices over it (no sync, the clock running from the newest
/// case's time so the date-based queues are filled), the main frame shown, and the screenshot at the
/// end. The frame is destroyed before the services.
struct Desk {
    DemoStore demo;
    app::DeskServices services;
    app::MainFrame* frame = nullptr;
    wxWindow* shot_window = nullptr;
    ShotOnExit shot;

    /// `prepare` runs on the store before the desk is made (more users, seals …).
    /// `configure` changes the desk's configuration before the services are made (e.g. a credit lookup).
    explicit Desk(int cases = 60, const std::function<void(const DemoStore&)>& prepare = {},
                  const std::function<void(app::DeskConfig&)>& configure = {})
        : demo(cases),
          services(config(demo, configure)),
          shot(boost::unit_test::framework::current_test_case().p_name, &shot_window) {
        if (prepare) prepare(demo);
        frame = new app::MainFrame(services, app::DeskLaunch{});
        shot_window = frame;
        GuiTestApp::on_input = [f = frame] { f->note_activity(); };  // as the desk's app does
        frame->Show();
        pump_for(100ms);
    }
    ~Desk() {
        shot.finish();  // the screenshot while the frame is still there
        GuiTestApp::on_input = nullptr;
        if (frame) frame->Destroy();
        wait_until([] { return wxTopLevelWindows.empty(); }, 5s);
    }

    static app::DeskConfig config(const DemoStore& d, const std::function<void(app::DeskConfig&)>& configure = {}) {
        app::DeskConfig c;
        c.store_dir = d.dir;
        c.start_sync = false;
        const auto started = std::chrono::steady_clock::now();
        const core::Instant base = d.latest;
        c.now = [base, started] {
            return base + std::chrono::duration_cast<core::Instant::duration>(std::chrono::steady_clock::now() - started);
        };
        if (configure) configure(c);
        return c;
    }

    wxWindow* find(const std::string& name) { return find_window(frame, name); }
    template <class W>
    W* get(const std::string& name) { return widget<W>(frame, name); }

    /// The lock screen is showing (panel "unlock" on screen, within `timeout`).
    bool lock_screen_shown(std::chrono::milliseconds timeout = 5s) {
        return wait_until([&] { return on_screen(wait_for_window(frame, "unlock", 0ms)); }, timeout);
    }
    /// Fails the test unless the lock screen shows within `timeout`: "widget unlock not found" when
    /// there is none at all.
    void require_lock_screen(const std::string& why, std::chrono::milliseconds timeout = 5s) {
        if (lock_screen_shown(timeout)) return;
        find_window(frame, "unlock");  // throws when missing
        BOOST_FAIL("the lock screen (panel unlock) is not shown: " << why);
    }
    /// The desk is showing: the queue list on screen and the lock screen gone.
    bool desk_shown(std::chrono::milliseconds timeout = 10s) {
        return wait_until(
            [&] {
                auto* q = wait_for_window(frame, "cases.queues", 0ms);
                auto* u = wait_for_window(frame, "unlock", 0ms);
                return on_screen(q) && !on_screen(u);
            },
            timeout);
    }

    /// Chooses `user` in the lock screen's user chooser. Synthesized (SetSelection + wxEVT_CHOICE):
    /// GTK's combo box pops up a menu XTest cannot address by row.
    void choose_user(const DemoUser& user) {
        auto* chooser = get<wxChoice>("unlock.user");
        int index = wxNOT_FOUND;
        for (unsigned i = 0; i < chooser->GetCount(); ++i)
            if (entry_is(chooser->GetString(i), user)) index = int(i);
        if (index == wxNOT_FOUND) throw GuiFailure("unlock.user has no entry for " + user.name);
        if (chooser->GetSelection() != index) {
            chooser->SetSelection(index);
            wxCommandEvent ev(wxEVT_CHOICE, chooser->GetId());
            ev.SetEventObject(chooser);
            ev.SetInt(index);
            ev.SetString(chooser->GetString(unsigned(index)));
            chooser->GetEventHandler()->ProcessEvent(ev);
        }
    }

    /// Types the passphrase into "unlock.password" and presses Enter (XTest: ASCII keys, Enter).
    void submit_passphrase(const std::string& passphrase) {
        auto* pw = get<wxTextCtrl>("unlock.password");
        BOOST_REQUIRE_MESSAGE(pw->HasFlag(wxTE_PASSWORD), "unlock.password is not a password field");
        if (!pw->IsEmpty()) pw->Clear();  // synthesized: a field the view kept after a failure
        xtest_type(pw, passphrase);
        BOOST_REQUIRE_MESSAGE(utf8(pw->GetValue()) == passphrase,
                              "the typed passphrase did not arrive in unlock.password (XTest focus?)");
        xtest_key(pw, WXK_RETURN);
    }

    /// Signs `user` in through the lock screen and waits for the desk.
    void unlock(const DemoUser& user) {
        require_lock_screen("unlocking as " + user.name);
        choose_user(user);
        submit_passphrase(user.password);
        if (desk_shown()) return;
        find_window(frame, "cases.queues");  // throws when missing
        BOOST_FAIL("after the right passphrase the desk (cases.queues) did not appear; unlock.message says \"" << message() << "\"");
    }

    std::string message() {
        auto* m = wait_for_window(frame, "unlock.message", 0ms);
        auto* t = dynamic_cast<wxStaticText*>(m);
        return t ? utf8(t->GetLabel()) : std::string();
    }

    /// Selects queue row `index` with the keyboard (XTest): Down from the row above it, else Home
    /// and Down `index` times.
    void select_queue(int index) {
        auto* queues = get<wxListBox>("cases.queues");
        if (queues->GetSelection() == index - 1) {
            xtest_key(queues, WXK_DOWN);
        } else if (queues->GetSelection() != index) {
            xtest_key(queues, WXK_HOME);
            for (int i = 0; i < index; ++i) xtest_key(queues, WXK_DOWN);
        }
        BOOST_REQUIRE_MESSAGE(wait_until([&] { return queues->GetSelection() == index; }, 2s),
                              "queue row " << index << " is not selected after the keys (selection " << queues->GetSelection() << ")");
    }
};

}  // namespace ow::guitest
