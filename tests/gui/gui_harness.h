// The GUI test harness: drives the desk's real windows (ow_desk_views) under Xvfb.
//
//   wx context   GuiTestApp (a wxApp) is started once per process by the Boost.Test global fixture
//                in test_desk_gui.cpp (wxEntryStart; there is no MainLoop: wait_until() pumps).
//   finding      widget<T>(top, "cases.search"): wxWindow::FindWindowByName under `top`, then among
//                every top-level window; a missing widget or one of another class throws
//                GuiFailure("widget <name> not found" / "… is a wxFoo, not a wxBar").
//   input        Two kinds, chosen per call and said at the call site:
//                  XTest (wxUIActionSimulator): real X key events to the focused window — ASCII
//                  keys, Enter, arrows. The harness raises the top-level window first (without a
//                  window manager Xvfb gives focus only when asked) and moves focus to the target.
//                  Synthesized: what XTest cannot type (Chinese: no keysym, no input method under
//                  Xvfb) is inserted with wxTextEntry::WriteText, which raises wxEVT_TEXT as an
//                  input method's commit does.
//   stores       DemoStore: a real encrypted store (cheap Argon2id) with two users and seeded
//                demo cases (workflow::seed_demo), in a temporary folder removed afterwards.
//   screenshots  ShotOnExit writes <artefacts>/<test>.png when a test ends, passed or failed
//                (app::capture_window_png, which reads the X server's pixels afresh each time).
#pragma once

#include "ow/core/date.h"
#include "ow/store/store.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

#include <wx/app.h>
#include <wx/window.h>

namespace ow::guitest {

/// A check of the harness failed (widget missing, timeout, wrong widget class).
struct GuiFailure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The test process's wxApp: UTF-8 narrow strings, image handlers, the zh_CN catalogue (the
/// desk's default language), log messages to stderr (nothing modal).
class GuiTestApp : public wxApp {
public:
    bool OnInit() override;
    /// Key and mouse input, as the desk's app (DeskApp::FilterEvent) sees it: tests point it at
    /// MainFrame::note_activity so the idle lock counts XTest input like a clerk's.
    int FilterEvent(wxEvent& e) override;
    static inline std::function<void()> on_input;
};

/// Runs the event loop (pending events, GTK/X events, idle, timers) until `pred` is true or
/// `timeout` passed; returns pred()'s last value. Sleeps 10 ms between rounds.
bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout);
/// Runs the event loop for `d` (lets windows map, lay out and paint).
void pump_for(std::chrono::milliseconds d);

/// The window named `name` under `top` (or any top-level window). Throws GuiFailure.
wxWindow* find_window(wxWindow* top, const std::string& name);
/// Waits up to `timeout` for the window named `name` to exist (may be null when it does not).
wxWindow* wait_for_window(wxWindow* top, const std::string& name, std::chrono::milliseconds timeout);

template <class W>
W* widget(wxWindow* top, const std::string& name) {
    wxWindow* w = find_window(top, name);
    auto* typed = dynamic_cast<W*>(w);
    if (!typed)
        throw GuiFailure("widget " + name + " is a " + std::string(wxString(w->GetClassInfo()->GetClassName()).utf8_string()) +
                         ", not a " + std::string(wxString(wxCLASSINFO(W)->GetClassName()).utf8_string()));
    return typed;
}

/// The widget is shown on screen (itself and every parent).
bool on_screen(wxWindow* w);

// --- XTest input (wxUIActionSimulator) -------------------------------------------------------
/// Raises `target`'s top-level window, gives it X focus and moves wx focus to `target`; waits until
/// wx reports `target` focused. Throws GuiFailure when it never does.
void focus(wxWindow* target);
/// Types ASCII text into `target` with X key events (focus first).
void xtest_type(wxWindow* target, const std::string& ascii);
/// Presses one key (WXK_RETURN, WXK_DOWN, 'A' …) with X key events into `target` (focus first).
void xtest_key(wxWindow* target, int keycode, int modifiers = 0);

// --- The store --------------------------------------------------------------------------------
struct DemoUser {
    std::string name, display_name, password;
};

/// A fresh store with an administrator and a clerk (display names set), `cases` demo cases
/// (seed_demo, seed 3), cheap Argon2id. The folder is removed by the destructor.
struct DemoStore {
    explicit DemoStore(int cases);
    ~DemoStore();
    DemoStore(const DemoStore&) = delete;
    DemoStore& operator=(const DemoStore&) = delete;

    std::filesystem::path root;  ///< the temporary folder
    std::filesystem::path dir;   ///< root/store
    DemoUser admin{"admin", "赵管理", "Admin-pw1"};  // short: XTest types ~15 keys a second
    DemoUser clerk{"clerk", "李文静", "Clerk-pw2"};
    core::Instant latest;  ///< the newest case change (the tests start the desk's clock there)

    /// A second connection, as `clerk` (checks compare the desk with the store through it).
    std::unique_ptr<store::Store> open_as_clerk() const;
};

// --- Screenshots ------------------------------------------------------------------------------
/// The folder the screenshots go to (OW_GUI_ARTEFACTS: the build's test-artefacts/gui), made.
std::filesystem::path artefacts_dir();

/// Writes <artefacts>/<name>.png of `*window` at finish() or when it goes out of scope (the test
/// passed or failed); a failed capture is reported on stderr (the test's own checks decide its
/// result).
class ShotOnExit {
public:
    ShotOnExit(std::string name, wxWindow** window) : name_(std::move(name)), window_(window) {}
    ~ShotOnExit() { finish(); }
    /// Takes the screenshot unless taken already; a failure is reported on stderr only.
    void finish();
    /// Takes the screenshot now (retrying until the window is painted). Returns the path, or
    /// throws GuiFailure.
    std::filesystem::path take();

private:
    std::string name_;
    wxWindow** window_;
    bool taken_ = false;
};

}  // namespace ow::guitest
