// onewindow — the desk. Starts with the embedded demo default: the shipped catalogue and calendar
// and the built-in training platform.
//   onewindow [--lang zh_CN|zh_TW|en] [--select CODE] [--screenshot FILE.png]
//             [--store DIR --password-file F [--user NAME]] [--sync-panel]
// --screenshot renders the main window to a PNG and exits (tests, docs); exit 0 when written.
// --sync-panel opens the sync panel at start (with --screenshot, that window is rendered).
// --store opens the encrypted store and syncs it with its platform in the background (the status
// bar shows the queue); the password file stands in for the unlock screen (demo, training).
#include "shell/main_frame.h"
#include "shell/screenshot.h"

#include "ow/catalogue/store_catalogue.h"
#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/core/error.h"
#include "ow/core/paths.h"
#include "ow/core/secure_file.h"
#include "ow/seal/seal.h"
#include "ow/store/errors.h"
#include "ow/store/keys.h"
#include "ow/store/repositories.h"
#include "ow/store/store.h"
#include "ow/sync/engine.h"
#include "ow/sync/signing.h"

#include <cstdio>
#include <wx/app.h>
#include <wx/cmdline.h>
#include <wx/image.h>
#include <wx/intl.h>
#include <wx/log.h>
#include <wx/msgdlg.h>
#include <wx/translation.h>

#include <clocale>
#include <memory>

namespace ow::app {

class DeskApp : public wxApp {
public:
    bool OnInit() override;
    void OnInitCmdLine(wxCmdLineParser& parser) override;
    bool OnCmdLineParsed(wxCmdLineParser& parser) override;
    bool OnExceptionInMainLoop() override;
    int OnExit() override;

private:
    void setup_translations();
    void take_screenshot_and_exit();

    wxString lang_ = "zh_CN";
    wxString screenshot_;
    wxString select_;
    wxString store_dir_, password_file_, user_;
    bool sync_panel_ = false;
    wxWindow* shot_ = nullptr;  // the window --screenshot renders
    int exit_code_ = 0;
    std::unique_ptr<store::Store> store_;
    SyncProgressSlot progress_;
    std::unique_ptr<sync::SyncEngine> engine_;
    std::unique_ptr<core::Catalogue> catalogue_;
    std::unique_ptr<core::WorkCalendar> calendar_;
    MainFrame* frame_ = nullptr;
};

/// The desk's options, declared once: wx parses them, and --help prints them without a display.
struct DeskOption {
    const char* name;
    const char* value;  // nullptr: a switch
    const char* help;
};
constexpr DeskOption kDeskOptions[] = {
    {"lang", "L", "user interface language (zh_CN, zh_TW, en); default zh_CN"},
    {"screenshot", "FILE", "render the main window to this PNG file and exit"},
    {"select", "CODE", "select this item or bundle code at start"},
    {"store", "DIR", "open this encrypted store and sync it in the background"},
    {"password-file", "F", "the store password (first line of this file)"},
    {"user", "NAME", "the store user (default: its first user)"},
    {"sync-panel", nullptr, "open the sync panel at start (with --store)"},
};

void DeskApp::OnInitCmdLine(wxCmdLineParser& parser) {
    wxApp::OnInitCmdLine(parser);
    for (const auto& o : kDeskOptions) {
        if (o.value) parser.AddOption("", o.name, o.help);
        else parser.AddSwitch("", o.name, o.help);
    }
}

bool DeskApp::OnCmdLineParsed(wxCmdLineParser& parser) {
    parser.Found("lang", &lang_);
    parser.Found("screenshot", &screenshot_);
    parser.Found("select", &select_);
    parser.Found("store", &store_dir_);
    parser.Found("password-file", &password_file_);
    parser.Found("user", &user_);
    sync_panel_ = parser.Found("sync-panel");
    return wxApp::OnCmdLineParsed(parser);
}

void DeskApp::setup_translations() {
    auto* t = new wxTranslations;
    wxTranslations::Set(t);
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(wxString(core::locale_dir().string()));
    t->SetLanguage(lang_);
    if (lang_ != "en" && !t->AddCatalog("onewindow"))
        wxLogWarning("No %s translation found under %s; showing English", lang_, core::locale_dir().string());
    t->AddStdCatalog();
}

bool DeskApp::OnInit() {
    // The desk holds the store key, the terminal secret and applicants' data: no core dumps.
    if (!core::disable_core_dumps()) wxLogWarning("Could not turn core dumps off");
#ifndef _WIN32
    // Our narrow strings are UTF-8; make wx convert them as such even under LANG=C (CI, kiosks).
    if (!std::setlocale(LC_CTYPE, "C.UTF-8")) std::setlocale(LC_CTYPE, "en_US.UTF-8");
#endif
    if (!wxApp::OnInit()) return false;
    if (!screenshot_.empty()) delete wxLog::SetActiveTarget(new wxLogStderr);  // nothing modal in batch runs
    wxInitAllImageHandlers();
    setup_translations();
    try {
        catalogue_ = std::make_unique<core::Catalogue>(core::Catalogue::load_shipped());
        calendar_ = std::make_unique<core::WorkCalendar>(core::WorkCalendar::load_shipped());
    } catch (const core::Error& e) {
        wxLogError("%s", wxString::FromUTF8(e.what()));
        wxMessageBox(_("The service catalogue or the working-day calendar could not be loaded. "
                       "Please reinstall OneWindow or contact the administrator."),
                     _("OneWindow"), wxOK | wxICON_ERROR);
        return false;
    }
    DeskContext ctx;
    if (!store_dir_.empty()) {
        try {
            std::string dir = store_dir_.utf8_string();
            std::string user = user_.utf8_string();
            if (user.empty()) user = store::KeyFile::load(dir).users().at(0).user;
            auto password = store::read_password(password_file_.empty() ? "-" : password_file_.utf8_string());  // guarded, wiped
            store_ = store::Store::open(dir, user, password);
            calendar_ = std::make_unique<core::WorkCalendar>(store::PlatformCalendars(store_->db()).calendar());
            // The store's catalogue: the platform's once a sync delivered one (read at start; a
            // catalogue the sync downloads while the desk runs is used from the next start).
            auto cat = catalogue::load_store_catalogue(store_->db());
            if (!cat.problem.empty()) wxLogWarning("%s", wxString::FromUTF8(cat.problem));
            catalogue_ = std::make_unique<core::Catalogue>(std::move(cat.catalogue));
            sync::SyncOptions sync_options;
            // Documents sealed offline get their document timestamp from the platform's TSA.
            sync_options.timestamp_document = [](const auto& in, const auto& out, const auto& tsa) {
                seal::timestamp_document(in, out, tsa);
            };
            engine_ = std::make_unique<sync::SyncEngine>(*store_, std::move(sync_options));
            engine_->set_listener(&progress_);
            engine_->start();
            ctx.db = &store_->db();
            ctx.engine = engine_.get();
            ctx.progress = &progress_;
            ctx.store_user = store_->user().name;
        } catch (const std::exception& e) {
            wxLogError("cannot open the store: %s", wxString::FromUTF8(e.what()));
            engine_.reset();
            store_.reset();
            wxMessageBox(_("The local store could not be opened. The catalogue is available; cases cannot be saved."),
                         _("OneWindow"), wxOK | wxICON_WARNING);
        }
    }
    ctx.catalogue = catalogue_.get();
    ctx.calendar = calendar_.get();
    ctx.user = _("Training clerk");
    ctx.window_no = _("Window 3");
    if (store_) {  // the signed-in user (display name, else the user name) and this terminal
        const auto& u = store_->user();
        ctx.user = wxString::FromUTF8(u.display_name.empty() ? u.name : u.display_name);
        ctx.window_no = wxString::Format(_("Terminal %s"), wxString::FromUTF8(store::Settings(store_->db()).terminal().terminal));
    }
    ctx.platform = _("Training platform (built-in), works offline");
    if (ctx.db)
        if (auto p = store::Settings(*ctx.db).platform()) {
            if (!p->platform_name.empty()) ctx.platform = wxString::FromUTF8(p->platform_name);
            sync::wipe_secret(p->secret);  // only the name is needed here
        }
    frame_ = new MainFrame(ctx);
    if (!select_.empty() && !frame_->select_code(select_.utf8_string()))
        wxLogWarning("--select: no item or bundle with code %s", select_);
    frame_->Show();
    shot_ = frame_;
    if (sync_panel_) {
        if (auto* w = frame_->show_sync_panel()) shot_ = w;
        else wxLogWarning("--sync-panel needs --store");
    }
    if (!screenshot_.empty()) CallAfter([this] { take_screenshot_and_exit(); });
    return true;
}

void DeskApp::take_screenshot_and_exit() {
    // Let the window map, lay out and paint before capturing.
    auto attempt = std::make_shared<int>(0);
    auto timer = new wxTimer();
    timer->Bind(wxEVT_TIMER, [this, timer, attempt](wxTimerEvent&) {
        ++*attempt;
        std::string error;
        if (capture_window_png(shot_, screenshot_.utf8_string(), error)) {
            timer->Stop();
            exit_code_ = 0;
        } else if (*attempt < 10) {
            return;  // not painted yet
        } else {
            timer->Stop();
            wxLogError("screenshot failed: %s", wxString::FromUTF8(error));
            exit_code_ = 1;
        }
        frame_->Destroy();
        delete timer;
    });
    timer->Start(400);
}

bool DeskApp::OnExceptionInMainLoop() {
    try {
        throw;
    } catch (const std::exception& e) {
        wxLogError("Unexpected error: %s", wxString::FromUTF8(e.what()));
        wxMessageBox(_("An unexpected error occurred. Your saved work is safe; please tell the administrator."),
                     _("OneWindow"), wxOK | wxICON_ERROR);
    }
    return true;  // keep the desk running
}

int DeskApp::OnExit() {
    if (engine_) engine_->stop();  // before the store closes
    engine_.reset();
    store_.reset();
    wxApp::OnExit();
    return exit_code_;
}

}  // namespace ow::app

wxIMPLEMENT_APP_NO_MAIN(ow::app::DeskApp);

// --help and --version are answered before wx starts: they need no display (GTK cannot start
// without one). Everything else goes to wx.
int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--version") {
            std::printf("onewindow %s\n", OW_VERSION);
            return 0;
        }
        if (a == "--help" || a == "-h") {
            std::printf("onewindow %s — OneWindow (一窗通), the desk for the comprehensive window\n\n"
                        "usage: onewindow [OPTIONS]\n\n",
                        OW_VERSION);
            for (const auto& o : ow::app::kDeskOptions) {
                std::string head = std::string("--") + o.name + (o.value ? std::string(" ") + o.value : std::string());
                std::printf("  %-22s %s\n", head.c_str(), o.help);
            }
            std::printf("  %-22s %s\n  %-22s %s\n", "--version", "print the version and exit", "--help", "print this and exit");
            return 0;
        }
    }
    return wxEntry(argc, argv);
}
