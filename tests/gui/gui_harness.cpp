#include "gui_harness.h"

#include "shell/screenshot.h"

#include "ow/catalogue/store_catalogue.h"
#include "ow/core/paths.h"
#include "ow/store/keys.h"
#include "ow/store/repositories.h"
#include "ow/workflow/demo.h"

#include <wx/evtloop.h>
#include <wx/image.h>
#include <wx/intl.h>
#include <wx/log.h>
#include <wx/toplevel.h>
#include <wx/translation.h>
#include <wx/uiaction.h>
#include <wx/utils.h>

#include <clocale>
#include <iostream>
#include <random>

namespace ow::guitest {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

bool GuiTestApp::OnInit() {
    // As the desk does: our narrow strings are UTF-8, also under LANG=C.
    if (!std::setlocale(LC_CTYPE, "C.UTF-8")) std::setlocale(LC_CTYPE, "en_US.UTF-8");
    delete wxLog::SetActiveTarget(new wxLogStderr);  // a wxLogError must not open a modal box
    wxInitAllImageHandlers();
    auto* t = new wxTranslations;
    wxTranslations::Set(t);
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(wxString(core::locale_dir().string()));
    t->SetLanguage("zh_CN");
    if (!t->AddCatalog("onewindow"))  // the screenshots look like the desk; the checks do not read words
        wxLogWarning("no zh_CN catalogue under %s: the screenshots show English", core::locale_dir().string());
    return true;
}

int GuiTestApp::FilterEvent(wxEvent& e) {
    const auto t = e.GetEventType();
    if (on_input && (t == wxEVT_KEY_DOWN || t == wxEVT_LEFT_DOWN || t == wxEVT_RIGHT_DOWN || t == wxEVT_MOTION || t == wxEVT_MOUSEWHEEL))
        on_input();
    return -1;  // processed as usual
}

namespace {
void pump_once() {
    if (wxEventLoopBase* loop = wxEventLoopBase::GetActive()) {
        while (loop->Pending()) loop->Dispatch();
    }
    wxTheApp->Yield(true);  // GTK and X events, pending wx events
    wxTheApp->ProcessPendingEvents();
    wxTheApp->ProcessIdle();  // idle handlers, UI updates, delayed deletions
}
}  // namespace

bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
    const auto end = Clock::now() + timeout;
    for (;;) {
        pump_once();
        if (pred()) return true;
        if (Clock::now() >= end) return pred();
        wxMilliSleep(10);
    }
}

void pump_for(std::chrono::milliseconds d) {
    wait_until([] { return false; }, d);
}

namespace {
wxWindow* lookup(wxWindow* top, const std::string& name) {
    const wxString n = wxString::FromUTF8(name);
    if (top)
        if (auto* w = wxWindow::FindWindowByName(n, top)) return w;
    for (auto* t : wxTopLevelWindows) {  // a lock screen or dialog of its own
        if (t->GetName() == n) return t;
        if (auto* w = wxWindow::FindWindowByName(n, t)) return w;
    }
    return nullptr;
}
}  // namespace

wxWindow* find_window(wxWindow* top, const std::string& name) {
    wxWindow* w = lookup(top, name);
    if (!w) throw GuiFailure("widget " + name + " not found");
    return w;
}

wxWindow* wait_for_window(wxWindow* top, const std::string& name, std::chrono::milliseconds timeout) {
    wxWindow* w = nullptr;
    wait_until([&] { return (w = lookup(top, name)) != nullptr; }, timeout);
    return w;
}

bool on_screen(wxWindow* w) { return w && w->IsShownOnScreen(); }

void focus(wxWindow* target) {
    if (!target) throw GuiFailure("focus: no window");
    auto* top = dynamic_cast<wxTopLevelWindow*>(wxGetTopLevelParent(target));
    if (!top) throw GuiFailure("focus: " + std::string(target->GetName().utf8_string()) + " has no top-level window");
    // Without a window manager nobody gives a new window the X focus: Raise() presents it
    // (gtk_window_present, which falls back to XSetInputFocus) and wx then tracks it as active.
    top->Raise();
    if (!wait_until([&] { return top->IsActive(); }, 3s))
        throw GuiFailure("the window holding " + std::string(target->GetName().utf8_string()) + " never became active");
    target->SetFocus();
    if (!wait_until([&] { return wxWindow::FindFocus() == target || (wxWindow::FindFocus() && wxWindow::FindFocus()->GetParent() == target); }, 3s))
        throw GuiFailure("widget " + std::string(target->GetName().utf8_string()) + " never got the keyboard focus");
}

void xtest_type(wxWindow* target, const std::string& ascii) {
    focus(target);
    wxUIActionSimulator sim;
    for (char c : ascii) {
        if (static_cast<unsigned char>(c) > 0x7e) throw GuiFailure("xtest_type: ASCII only (use WriteText for other text)");
        // A capital is its key with Shift (Char('A') alone types "a" under Xvfb's keymap); so is
        // US punctuation on a shifted key (':' is Shift+';', as in "https://").
        static const std::string shifted = "~!@#$%^&*()_+{}|:\"<>?", unshifted = "`1234567890-=[]\\;',./";
        const bool upper = c >= 'A' && c <= 'Z';
        const auto at = shifted.find(c);
        if (at != std::string::npos) sim.Char(unshifted[at], wxMOD_SHIFT);
        else sim.Char(c, upper ? wxMOD_SHIFT : wxMOD_NONE);  // returns once wx has seen the key
    }
    pump_for(20ms);
}

void xtest_key(wxWindow* target, int keycode, int modifiers) {
    focus(target);
    wxUIActionSimulator sim;
    sim.Char(keycode, modifiers);
    pump_for(20ms);
}

DemoStore::DemoStore(int cases) {
    std::random_device rd;
    root = std::filesystem::temp_directory_path() / ("ow-gui-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(root);
    dir = root / "store";
    const store::KdfParams fast{1, std::size_t(8) << 20};  // cheap Argon2id: the tests unlock many times
    store::Store::init(dir, admin.name, core::Role::admin, admin.password, fast);
    auto s = store::Store::open(dir, admin.name, admin.password);
    s->set_user(clerk.name, core::Role::clerk, clerk.password, fast);
    s->set_user_profile(admin.name, core::Post::none, admin.display_name);
    s->set_user_profile(clerk.name, core::Post::none, clerk.display_name);
    // As `onewindow-cli demo seed --cases N --seed 3` does: the store's catalogue and calendar.
    workflow::SeedOptions so;
    so.cases = cases;
    so.seed = 3;
    so.terminal = store::Settings(s->db()).terminal();
    auto cal = store::PlatformCalendars(s->db()).calendar();
    auto cat = catalogue::load_store_catalogue(s->db());
    workflow::seed_demo(*s, cat.catalogue, cat.forms, cal, so);
    auto newest = s->db().query_text("SELECT max(updated_at) FROM cases");
    if (!newest) throw GuiFailure("the demo seed made no cases");
    latest = core::parse_instant(*newest);
}

DemoStore::~DemoStore() {
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
}

std::unique_ptr<store::Store> DemoStore::open_as_clerk() const { return store::Store::open(dir, clerk.name, clerk.password); }

std::filesystem::path artefacts_dir() {
    std::filesystem::path d = OW_GUI_ARTEFACTS;
    std::filesystem::create_directories(d);
    return d;
}

std::filesystem::path ShotOnExit::take() {
    wxWindow* w = window_ ? *window_ : nullptr;
    taken_ = true;  // once, even when it fails
    if (!w) throw GuiFailure("screenshot " + name_ + ": no window");
    const auto path = artefacts_dir() / (name_ + ".png");
    std::string error;
    // Let the window map, lay out and paint: capture_window_png refuses an unpainted window.
    if (!wait_until([&] { return app::capture_window_png(w, path.string(), error); }, 5s))
        throw GuiFailure("screenshot " + path.string() + ": " + error);
    return path;
}

void ShotOnExit::finish() {
    if (taken_) return;
    try {
        auto p = take();
        std::cerr << "screenshot: " << p.string() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "no screenshot: " << e.what() << "\n";
    }
}

}  // namespace ow::guitest
