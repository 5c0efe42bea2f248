// onewindow — the desk.
//   onewindow [--store DIR [--password-file F] [--user NAME]] [--lang zh_CN|zh_TW|en] [--large-font]
//             [--select CODE] [--sync-panel] [--screenshot FILE.png] [--size WxH]
//   onewindow --list-screens
//   onewindow --screenshot-screen NAME FILE.png [--lang L] [--size WxH] [--large-font]
// With --store the desk opens on the lock screen (or the first-run set-up when the folder holds no
// store); --password-file signs in without it (demo, training). Without --store it shows the
// shipped catalogue only. --screenshot renders the window as started to a PNG and exits (0 when
// written); --screenshot-screen renders one named screen with demo data made for the run (a
// throw-away store, deleted again) and exits.
#include "common/desk_log.h"
#include "common/labels.h"
#include "shell/demo_desk.h"
#include "intake/intake_view.h"
#include "result/result_view.h"
#include "review/review_view.h"
#include "shell/applicant_screen.h"
#include "admin/admin_view.h"
#include "appointments/appointments_view.h"
#include "online/online_view.h"
#include "report/report_view.h"
#include "enquiries/enquiries_view.h"
#include "shell/main_frame.h"
#include "shell/screenshot.h"
#include "ow/version.h"
#include "shell/unlock_view.h"
#include "cases/cases_view.h"
#include "settings/desk_settings.h"

#include "ow/core/error.h"
#include "ow/core/paths.h"
#include "ow/core/secure_file.h"
#include "ow/store/keys.h"

#include <wx/app.h>
#include <wx/cmdline.h>
#include <wx/image.h>
#include <wx/intl.h>
#include <wx/log.h>
#include <wx/msgdlg.h>
#include <wx/translation.h>

#include <chrono>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace ow::app {

/// The desk's options, declared once: wx parses them, and --help prints them without a display.
struct DeskOption {
    const char* name;
    const char* value;  // nullptr: a switch
    const char* help;
};
constexpr DeskOption kDeskOptions[] = {
    {"store", "DIR", "the encrypted store (opens on the lock screen; first run when DIR holds none)"},
    {"password-file", "F", "sign in with the passphrase in this file instead of the lock screen (demo, training)"},
    {"user", "NAME", "the user for --password-file (default: the last user, else the first)"},
    {"lang", "L", "user interface language (zh_CN, zh_TW, en; qps-plocm: English mirrored right to left); default: the store's setting, else zh_CN"},
    {"large-font", nullptr, "larger text for the whole desk"},
    {"select", "CODE", "select this item or bundle code in the catalogue at start"},
    {"sync-panel", nullptr, "open the sync panel at start (signed in)"},
    {"idle-lock", "SECONDS", "lock after this many seconds without input (overrides the store's setting)"},
    {"screenshot", "FILE", "render the window as started to this PNG file and exit"},
    {"list-screens", nullptr, "print the names of the screens --screenshot-screen renders, one per line"},
    {"screenshot-screen", "NAME FILE", "render this screen with demo data to the PNG FILE and exit"},
    {"size", "WxH", "the window's size (default 1366x768)"},
    {"check-clipping", nullptr, "with --screenshot(-screen): list the labels cut off in the picture on stderr and exit 3 when there are any"},
    {"report-ready", nullptr, "once the desk is usable (signed in, painted), print its start-up times and memory as JSON and exit (bench)"},
};

/// The right-to-left pseudo-locale (Microsoft's name for it): English words in a mirrored desk.
constexpr const char* kRtlPseudoLocale = "qps-plocm";

/// The screens --screenshot-screen renders.
constexpr const char* kScreens[] = {"unlock", "first-run", "main", "remote-calls", "case", "case-assist", "case-commit", "case-check", "catalogue", "sync", "intake-item", "intake-applicant",
                                    "intake-form", "intake-materials", "intake-decision", "intake-document", "review", "result", "rating",
                                    "admin", "admin-posts", "admin-seals", "admin-audit", "admin-authz",
                                    "settings", "appointments", "online", "acceptance-due", "case-originals", "report", "enquiries", "about"};

class DeskApp : public wxApp {
public:
    bool OnInit() override;
    void OnInitCmdLine(wxCmdLineParser& parser) override;
    bool OnCmdLineParsed(wxCmdLineParser& parser) override;
    bool OnExceptionInMainLoop() override;
    int FilterEvent(wxEvent& e) override;
    /// Right to left under the RTL pseudo-locale (--lang qps-plocm): the desk mirrored, as it will
    /// be for Uyghur; wx asks this before making each window.
    wxLayoutDirection GetLayoutDirection() const override { return rtl_ ? wxLayout_RightToLeft : wxLayout_LeftToRight; }
    int OnExit() override;
    /// The process's exit code is OnRun's (wxEntry ignores OnExit's): exit_code_ (0, 1 a failed
    /// screenshot, 3 clipped labels with --check-clipping).
    int OnRun() override {
        wxApp::OnRun();
        return exit_code_;
    }

private:
    void setup_translations(const wxString& lang);
    bool start_screen();
    void capture_and_exit(wxWindow* shot);
    void report_ready_and_exit();

    wxString lang_, select_, store_dir_, password_file_, user_, screenshot_, size_, screen_;
    bool large_font_ = false, sync_panel_ = false, report_ready_ = false, check_clipping_ = false, rtl_ = false;
    double sign_in_ms_ = -1;
    long idle_lock_ = -1;
    int exit_code_ = 0;
    std::filesystem::path scratch_;  // --screenshot-screen's throw-away store
    std::unique_ptr<DeskServices> services_;
    MainFrame* frame_ = nullptr;
};

void DeskApp::OnInitCmdLine(wxCmdLineParser& parser) {
    wxApp::OnInitCmdLine(parser);
    for (const auto& o : kDeskOptions) {
        if (std::string(o.name) == "screenshot-screen") continue;  // two values: taken from argv in main()
        if (std::string(o.name) == "idle-lock") parser.AddOption("", o.name, o.help, wxCMD_LINE_VAL_NUMBER);
        else if (o.value) parser.AddOption("", o.name, o.help);
        else parser.AddSwitch("", o.name, o.help);
    }
    parser.AddOption("", "screenshot-screen-name", "", wxCMD_LINE_VAL_STRING, wxCMD_LINE_HIDDEN);
}

bool DeskApp::OnCmdLineParsed(wxCmdLineParser& parser) {
    parser.Found("lang", &lang_);
    parser.Found("select", &select_);
    parser.Found("store", &store_dir_);
    parser.Found("password-file", &password_file_);
    parser.Found("user", &user_);
    parser.Found("screenshot", &screenshot_);
    parser.Found("size", &size_);
    parser.Found("screenshot-screen-name", &screen_);
    parser.Found("idle-lock", &idle_lock_);
    large_font_ = parser.Found("large-font");
    sync_panel_ = parser.Found("sync-panel");
    report_ready_ = parser.Found("report-ready");
    check_clipping_ = parser.Found("check-clipping");
    return wxApp::OnCmdLineParsed(parser);
}

void DeskApp::setup_translations(const wxString& lang) { use_language(lang.utf8_string()); }

int DeskApp::FilterEvent(wxEvent& e) {
    // Any key or mouse input in the desk resets the idle lock.
    const auto t = e.GetEventType();
    if (frame_ && (t == wxEVT_KEY_DOWN || t == wxEVT_LEFT_DOWN || t == wxEVT_RIGHT_DOWN || t == wxEVT_MOTION || t == wxEVT_MOUSEWHEEL))
        frame_->note_activity();
    return -1;
}

bool DeskApp::OnInit() {
    // The desk holds the store key, the terminal secret and applicants' data: no core dumps.
    if (!core::disable_core_dumps()) wxLogWarning("Could not turn core dumps off");
#ifndef _WIN32
    // Our narrow strings are UTF-8; make wx convert them as such even under LANG=C (CI, kiosks).
    if (!std::setlocale(LC_CTYPE, "C.UTF-8")) std::setlocale(LC_CTYPE, "en_US.UTF-8");
#endif
    if (!wxApp::OnInit()) return false;
    // wx's log messages are technical English: to desk.log and stderr, never a dialog (common/desk_log.h).
    delete wxLog::SetActiveTarget(new DeskLog());
    wxInitAllImageHandlers();
    // The language: --lang, else the store's prefs (readable before unlock), else zh_CN.
    std::filesystem::path dir = store_dir_.utf8_string();
    wxString lang = lang_;
    if (!dir.empty() && screen_.empty()) {
        auto prefs = load_prefs(dir);
        if (!prefs.problem.empty()) wxLogWarning("%s", wxString::FromUTF8(prefs.problem));
        if (lang.empty()) lang = to_code(prefs.prefs.language);
        large_font_ = large_font_ || prefs.prefs.large_font;
    }
    if (lang.empty()) lang = "zh_CN";
    if (lang == kRtlPseudoLocale) {  // the English words, mirrored (RTL readiness)
        rtl_ = true;
        lang = "en";
    }
    if (!parse_language(lang.utf8_string())) {
        std::fprintf(stderr, "onewindow: unknown language '%s' (zh_CN, zh_TW, en)\n", lang.utf8_string().c_str());
        return false;
    }
    setup_translations(lang);
    if (!screen_.empty()) return start_screen();
    try {
        DeskConfig config;
        config.store_dir = dir;
        services_ = std::make_unique<DeskServices>(std::move(config));
    } catch (const core::Error& e) {
        wxLogError("%s", wxString::FromUTF8(e.what()));
        wxMessageBox(_("The service catalogue or the working-day calendar could not be loaded. "
                       "Please reinstall OneWindow or contact the administrator."),
                     _("OneWindow"), wxOK | wxICON_ERROR);
        return false;
    }
    DeskLaunch launch;
    launch.large_font = large_font_;
    if (idle_lock_ >= 0) launch.idle_lock = std::chrono::seconds(idle_lock_);
    frame_ = new MainFrame(*services_, launch);
    long w = 0, h = 0;
    if (!size_.empty() && size_.BeforeFirst('x').ToLong(&w) && size_.AfterFirst('x').ToLong(&h) && w > 0 && h > 0)
        frame_->SetSize(int(w), int(h));
    wxWindow* shot = frame_;
    if (!password_file_.empty() && frame_->page() == MainFrame::Page::unlock) {
        try {
            auto password = store::read_password(password_file_.utf8_string());  // guarded, wiped
            std::string user = user_.utf8_string();
            if (user.empty()) {
                auto last = load_prefs(dir).prefs.last_user;
                auto keys = store::KeyFile::load(dir);
                user = !last.empty() && keys.has_user(last) ? last : keys.users().at(0).user;
            }
            auto t0 = std::chrono::steady_clock::now();
            frame_->sign_in_with(user, password);
            sign_in_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        } catch (const std::exception& e) {
            wxLogError("--password-file: %s", wxString::FromUTF8(e.what()));
        }
    }
    if (!select_.empty() && !frame_->select_code(select_.utf8_string()))
        wxLogWarning("--select: no item or bundle with code %s", select_);
    frame_->Show();
    if (sync_panel_) {
        if (auto* w2 = frame_->open_sync_panel()) shot = w2;
        else wxLogWarning("--sync-panel needs a signed-in store");
    }
    if (!screenshot_.empty()) CallAfter([this, shot] { capture_and_exit(shot); });
    if (report_ready_) CallAfter([this] { report_ready_and_exit(); });
    return true;
}

/// Process start (main) to a usable desk: signed in, the queues counted, the list and the case
/// painted. For bench/ (docs/benchmarks.md); the time before main (the dynamic loader) is left out.
std::chrono::steady_clock::time_point g_main_started;

void DeskApp::report_ready_and_exit() {
    frame_->Update();  // paint now: the queues, the list and the selected case are on screen
    wxYield();
    double ready = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - g_main_started).count();
    long rss_kib = -1;
    if (FILE* f = std::fopen("/proc/self/status", "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, f))
            if (std::sscanf(line, "VmRSS: %ld kB", &rss_kib) == 1) break;
        std::fclose(f);
    }
    std::printf("{\"ready_ms\": %.1f, \"sign_in_ms\": %.1f, \"signed_in\": %s, \"rss_kib\": %ld}\n", ready, sign_in_ms_,
                frame_->state().signed_in ? "true" : "false", rss_kib);
    std::fflush(stdout);
    exit_code_ = frame_->state().signed_in ? 0 : 1;
    frame_->Destroy();
}

bool DeskApp::start_screen() {
    // --screenshot-screen NAME FILE: a throw-away demo store, the screen, a PNG, exit.
    std::string name = screen_.utf8_string();
    bool known = false;
    for (const char* s : kScreens) known = known || name == s;
    if (!known) {
        std::fprintf(stderr, "onewindow: unknown screen '%s' (see --list-screens)\n", name.c_str());
        return false;
    }
    char tmpl[] = "/tmp/onewindow-screen-XXXXXX";
    if (!mkdtemp(tmpl)) {
        std::perror("onewindow: cannot make a scratch folder");
        return false;
    }
    scratch_ = tmpl;
    DemoDesk demo;
    try {
        if (name != "first-run") demo = make_demo_desk(scratch_ / "store", 120);
        DeskConfig config;
        config.store_dir = scratch_ / "store";
        config.start_sync = false;
        if (name != "first-run") config.now = [now = demo.now] { return now; };
        services_ = std::make_unique<DeskServices>(std::move(config));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "onewindow: cannot make the demo data: %s\n", e.what());
        exit_code_ = 1;
        return false;
    }
    DeskLaunch launch;
    launch.large_font = large_font_;
    launch.idle_lock = std::chrono::seconds(0);
    frame_ = new MainFrame(*services_, launch);
    long w = 1366, h = 768;
    if (!size_.empty() && !(size_.BeforeFirst('x').ToLong(&w) && size_.AfterFirst('x').ToLong(&h) && w > 0 && h > 0)) {
        std::fprintf(stderr, "onewindow: --size wants WxH, e.g. 1920x1080\n");
        return false;
    }
    frame_->SetSize(int(w), int(h));
    wxWindow* shot = frame_;
    if (name != "unlock" && name != "first-run") {
        store::SecretText pw(256);
        pw.append(demo.password);
        if (!frame_->sign_in_with(demo.user, pw)) {
            std::fprintf(stderr, "onewindow: the demo store did not open\n");
            return false;
        }
    }
    if (name == "unlock") frame_->preselect_user(demo.user);
    if (name == "catalogue") frame_->select_code("370102-SC-0001-001");
    frame_->Show();
    if (name == "case") frame_->open_richest_case();
    // 事进人不进: the remote calls (待部门响应, Ctrl+Shift+J), the late ones in red and in the status bar.
    if (name == "remote-calls" && frame_->cases()) frame_->cases()->select_queue_index(11);
    // 帮办代办 (Ctrl+Shift+H) on a case awaiting correction: the helper's row and, at intake, the agent's.
    if (name == "case-assist" && !frame_->open_case_for_help()) return false;
    // 告知承诺 / 信即办 (Ctrl+Shift+K) at intake, and the check of a commitment or deferred material.
    if ((name == "case-commit" || name == "case-check") && !frame_->open_case_for_commitments(name == "case-check")) return false;
    if (name == "sync") shot = frame_->open_sync_panel();
    if (name.rfind("intake-", 0) == 0) {
        // A scripted intake of the newborn bundle up to the step (the simulated ID card, a photo).
        auto step = parse_intake_step(name.substr(7));
        frame_->show_page(MainFrame::Page::intake);
        if (!step || !frame_->intake()) return false;
        if (auto error = frame_->intake()->demo(*step); !error.empty()) {
            std::fprintf(stderr, "onewindow: the demo intake stopped: %s\n", error.c_str());
            exit_code_ = 1;
            return false;
        }
    }
    if (name == "about") {
        shot = frame_->about_dialog();
        shot->Show();
    }
    // The 预约 page: the day's appointments from the platform (made here: a sync would bring them).
    if (name == "appointments") {
        try {
            add_demo_appointments(services_->store(), demo.now);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "onewindow: cannot make the demo appointments: %s\n", e.what());
            return false;
        }
        frame_->show_page(MainFrame::Page::appointments);
        if (!frame_->appointments()) return false;
        frame_->appointments()->show();
    }
    // The 网上申报 page: the online inbox the demo desk holds (as a sync would bring it).
    if (name == "online") {
        frame_->show_page(MainFrame::Page::online);
        if (!frame_->online()) return false;
        frame_->online()->show();
    }
    // 网上申报: the application the demo desk took for 预审 and received (接件) waits for the
    // acceptance decision (待受理决定, Ctrl+Shift+W).
    if (name == "acceptance-due" && frame_->cases()) frame_->cases()->select_queue_index(12);
    // …and its line (Ctrl+Shift+V): 原件核验 of the uploads, a material received by post.
    if (name == "case-originals") {
        if (!frame_->cases()) return false;
        frame_->cases()->select_queue_index(12);
        if (!frame_->open_case_row(0)) return false;
        frame_->cases()->edit_originals();
    }
    // The 咨询投诉 page: enquiries recorded by the clerk, one handed over to chief-a (post A).
    if (name == "enquiries") {
        try {
            add_demo_enquiries(services_->workflow(), "chief-a");
        } catch (const std::exception& e) {
            std::fprintf(stderr, "onewindow: cannot make the demo enquiries: %s\n", e.what());
            return false;
        }
        frame_->show_page(MainFrame::Page::enquiries);
        if (!frame_->enquiries()) return false;
        frame_->enquiries()->show();
    }
    // The review and result screens show the case of their queue with the most documents.
    if (name == "review") {
        // The clerk takes the newborn bundle (the scripted intake: a scanned photo, the acceptance
        // receipt) and sends it for decision; then chief-a (post A) signs in and opens it.
        std::string id;
        if (frame_->intake()) {
            frame_->show_page(MainFrame::Page::intake);
            if (auto error = frame_->intake()->demo(IntakeStep::document); error.empty()) {
                id = frame_->intake()->presenter().case_id();
                try {
                    services_->workflow().submit(*core::Uuid::parse(id));
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "onewindow: the demo case was not sent for decision: %s\n", e.what());
                    id.clear();
                }
            }
        }
        frame_->lock();
        store::SecretText chief_pw(256);
        chief_pw.append(demo.password);
        if (!frame_->sign_in_with(demo.chief_a, chief_pw) || !frame_->review()) {
            std::fprintf(stderr, "onewindow: the demo chief did not sign in\n");
            return false;
        }
        frame_->show_page(MainFrame::Page::review);
        frame_->review()->show(id);
    }
    // The settings screen (F10) as the administrator sees it (every setting editable).
    if (name == "settings") {
        frame_->lock();
        store::SecretText admin_pw(256);
        admin_pw.append(demo.password);
        if (!frame_->sign_in_with(demo.admin, admin_pw) || !frame_->settings()) {
            std::fprintf(stderr, "onewindow: the demo administrator did not sign in\n");
            return false;
        }
        frame_->show_page(MainFrame::Page::settings);
    }
    // The centre's figures (中心统计) of the demo month as the administrator sees them, by department.
    if (name == "report") {
        frame_->lock();
        store::SecretText admin_pw(256);
        admin_pw.append(demo.password);
        if (!frame_->sign_in_with(demo.admin, admin_pw) || !frame_->report()) {
            std::fprintf(stderr, "onewindow: the demo administrator did not sign in\n");
            return false;
        }
        frame_->show_page(MainFrame::Page::report);
        frame_->report()->show();
        frame_->report()->set_grouping(ReportGrouping::department);
    }
    if (name == "result" && frame_->result()) {
        auto* v = frame_->result();
        frame_->show_page(MainFrame::Page::result);
        v->show();
        for (int i = 0; i < 40 && v->open_row(i); ++i)
            if (v->presenter().current()->decision) break;
    }
    // The applicant's window asking for the rating of a case handed out and not rated yet.
    if (name == "rating" && frame_->result() && frame_->intake()) {
        auto* v = frame_->result();
        frame_->show_page(MainFrame::Page::result);
        v->show();
        // The first case to hand out, handed out on paper (as the clerk would with Ctrl+Enter).
        if (v->presenter().issuable()) {
            HandoverRequest paper;
            paper.mode = HandoverMode::pickup_paper;
            const std::string id = v->presenter().current()->case_id;
            auto out = ResultPresenter::run(services_->workflow(), id, paper);
            if (!out.ok()) std::fprintf(stderr, "onewindow: the demo handover failed: %s %s\n", out.code.c_str(), out.message.c_str());
            v->show(id);
        }
        if (!v->presenter().ratable()) {
            std::fprintf(stderr, "onewindow: the demo store has no case to rate\n");
            return false;
        }
        v->ask_rating();
        shot = frame_->intake()->applicant_screen();
        shot->Raise();
    }
    // The administration screen: the demo desk's administrator; a tab with its work done (post A
    // marked absent, the test signature of post A's seal, the trail verified).
    if (name.rfind("admin", 0) == 0) {
        frame_->lock();
        store::SecretText admin_pw(256);
        admin_pw.append(demo.password);
        if (!frame_->sign_in_with(demo.admin, admin_pw) || !frame_->admin()) {
            std::fprintf(stderr, "onewindow: the demo administrator did not sign in\n");
            return false;
        }
        frame_->show_page(MainFrame::Page::admin);
        auto* v = frame_->admin();
        if (name == "admin-posts") {
            v->show_tab(AdminView::Tab::posts);
            v->presenter().set_absent(demo.chief_a, true);
            v->signed_in();  // reads the users again
        } else if (name == "admin-seals") {
            v->show_tab(AdminView::Tab::seals);
            v->test_seal_of(store::SealAssignment::HolderKind::post, "A");
        } else if (name == "admin-audit") {
            v->show_tab(AdminView::Tab::audit);
            v->verify_audit();
        } else if (name == "admin-authz") {
            // 区市场监督管理局 lets the window decide and seal its immediate items (马上办) and has no one in the hall.
            const std::string dept = "区市场监督管理局";
            auto& p = v->presenter();
            p.grant(dept, core::ItemKind::immediate, core::Power::decide, core::kWindow | core::kChief);
            p.grant(dept, core::ItemKind::immediate, core::Power::hold_seal, core::kWindow | core::kChief);
            core::DepartmentPolicy remote;
            remote.department = dept;
            remote.remote = true;
            remote.contact = "王科长 0531-86001234";
            p.set_department_policy(remote);
            const auto departments = p.departments();
            const auto at = std::find(departments.begin(), departments.end(), dept);
            v->show_tab(AdminView::Tab::authz);
            v->show_authz(at == departments.end() ? 0 : int(at - departments.begin()) + 1, 0);
        }
    }
    CallAfter([this, shot] { capture_and_exit(shot); });
    return true;
}

void DeskApp::capture_and_exit(wxWindow* shot) {
    // Let the window map, lay out and paint before capturing.
    auto attempt = std::make_shared<int>(0);
    auto timer = new wxTimer();
    wxString file = screen_.empty() ? screenshot_ : screenshot_;
    timer->Bind(wxEVT_TIMER, [this, timer, attempt, shot, file](wxTimerEvent&) {
        ++*attempt;
        std::string error;
        if (capture_window_png(shot, file.utf8_string(), error)) {
            timer->Stop();
            exit_code_ = 0;
            if (check_clipping_) {
                const auto clipped = clipped_labels(shot);
                for (const auto& c : clipped) std::fprintf(stderr, "onewindow: clipped: %s\n", c.c_str());
                if (!clipped.empty()) exit_code_ = 3;
            }
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
    services_.reset();  // stops sync before the store closes
    if (!scratch_.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(scratch_, ec);
    }
    wxApp::OnExit();
    return exit_code_;
}

}  // namespace ow::app

wxIMPLEMENT_APP_NO_MAIN(ow::app::DeskApp);

// --help, --version and --list-screens are answered before wx starts: they need no display (GTK
// cannot start without one). --screenshot-screen takes two values, which wx's parser cannot: it is
// rewritten into --screenshot-screen-name NAME --screenshot FILE. Everything else goes to wx.
int main(int argc, char** argv) {
    ow::app::g_main_started = std::chrono::steady_clock::now();
    std::vector<std::string> args(argv, argv + argc);
    std::vector<std::string> out{args.at(0)};
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--version") {
            std::printf("onewindow %s\n", OW_VERSION_TEXT);
            return 0;
        }
        if (a == "--help" || a == "-h") {
            std::printf("onewindow %s — OneWindow (一窗通), the desk for the comprehensive window\n\n"
                        "usage: onewindow [OPTIONS]\n\n",
                        OW_VERSION);
            for (const auto& o : ow::app::kDeskOptions) {
                std::string head = std::string("--") + o.name + (o.value ? std::string(" ") + o.value : std::string());
                std::printf("  %-30s %s\n", head.c_str(), o.help);
            }
            std::printf("  %-30s %s\n  %-30s %s\n", "--version", "print the version and exit", "--help", "print this and exit");
            std::printf("\nscreens:");
            for (const char* s : ow::app::kScreens) std::printf(" %s", s);
            std::printf("\n");
            return 0;
        }
        if (a == "--list-screens") {
            for (const char* s : ow::app::kScreens) std::printf("%s\n", s);
            return 0;
        }
        if (a == "--screenshot-screen") {
            if (i + 2 >= args.size()) {
                std::fprintf(stderr, "onewindow: --screenshot-screen needs NAME and FILE (see --list-screens)\n");
                return 2;
            }
            out.insert(out.end(), {"--screenshot-screen-name", args[i + 1], "--screenshot", args[i + 2]});
            i += 2;
            continue;
        }
        out.push_back(a);
    }
    std::vector<char*> argv2;
    for (auto& s : out) argv2.push_back(s.data());
    argv2.push_back(nullptr);
    int argc2 = int(out.size());
    return wxEntry(argc2, argv2.data());
}
