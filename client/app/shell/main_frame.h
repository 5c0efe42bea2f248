// The desk's one window: the header (user, window number, post, connectivity, clock), the menu
// bar, toolbar and shortcuts built from the action table, and one page at a time — the lock
// screen, the first-run set-up, or the desk itself (the cases: queues, list and the selected
// case; the service catalogue). Locking (idle or asked) shows the lock screen and keeps the desk's
// widgets, so what was typed is there again after unlocking as the same user; another user's
// sign-in starts a fresh desk. Views never read the store: they ask presenters over DeskServices.
#pragma once

#include "common/progress.h"
#include "shell/actions.h"
#include "shell/desk_services.h"
#include "shell/idle_watch.h"

#include <wx/font.h>
#include <wx/frame.h>
#include <wx/timer.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

class wxDialog;
class wxNotebook;
class wxSimplebook;
class wxStaticText;

namespace ow::app {

class AdminView;
class CasesView;
class CatalogueView;
class FirstRunView;
class IntakeView;
class ResultView;
class ReviewView;
class ReportView;
class AppointmentsView;
class OnlineView;
class EnquiriesView;
class SettingsView;
class UnlockView;

struct DeskLaunch {
    bool large_font = false;
    /// Overrides the store's idle lock time (tests; 0 = never).
    std::optional<std::chrono::seconds> idle_lock;
};

class MainFrame : public wxFrame {
public:
    MainFrame(DeskServices& services, const DeskLaunch& launch);
    ~MainFrame() override;

    /// After a sign-in (the lock screen, first run, or --password-file): shows the desk.
    void signed_in(bool same_user);
    /// Locks now: stops sync, wipes the store key, shows the lock screen; the desk's widgets stay.
    void lock();
    /// Overrides the idle lock time (0: never).
    void set_idle_timeout(std::chrono::seconds s);

    // For screenshots, the harness and keyboard flows.
    enum class Page { unlock, first_run, cases, catalogue, intake, review, result, appointments, online, admin, settings, report, enquiries };
    void show_page(Page p);
    Page page() const { return page_; }
    bool select_code(const std::string& code);  ///< in the catalogue
    bool open_case_row(long row);                ///< in the case list
    /// Signs in through the lock screen's presenter (--password-file, screenshots, tests).
    bool sign_in_with(const std::string& user, const store::SecretText& passphrase);
    /// Preselects a user on the lock screen.
    void preselect_user(const std::string& user);
    /// Opens the sync panel (signed in); null otherwise.
    wxWindow* open_sync_panel();
    /// Opens the case with the most notices among the first rows of each queue (screenshots).
    bool open_richest_case();
    /// --screenshot-screen case-assist: the first case awaiting correction, its help lines shown.
    bool open_case_for_help();
    /// --screenshot-screen case-commit / case-check: a case awaiting correction of an item that
    /// allows a commitment, or one with a commitment or deferred material to check, its line shown.
    bool open_case_for_commitments(bool check);
    CasesView* cases() { return cases_; }
    IntakeView* intake() { return intake_; }
    ReviewView* review() { return review_; }  ///< chief representatives only (null otherwise)
    ResultView* result() { return result_; }
    AppointmentsView* appointments() { return appointments_; }  ///< clerks only (null otherwise)
    OnlineView* online() { return online_; }  ///< 网上申报: clerks only (null otherwise)
    EnquiriesView* enquiries() { return enquiries_; }  ///< clerks and chief representatives (null otherwise)
    /// The About box (Help ▸ About), made and not shown: the caller shows it and destroys it.
    wxDialog* about_dialog();
    AdminView* admin() { return admin_; }  ///< administrators only (null otherwise)
    SettingsView* settings() { return settings_; }  ///< signed in only (null otherwise)
    ReportView* report() { return report_; }  ///< administrators and chief representatives (null otherwise)
    const ActionRegistry& actions() const { return actions_; }
    const DeskState& state() const { return state_; }
    void set_large_font(bool on);
    /// Switches the desk's language ("zh_CN", "zh_TW", "en"): the translations, the menus, the
    /// toolbar, the header and every page are made again in it (an intake in progress stays a
    /// draft to resume). The settings screen stays on show when it was.
    void set_language(const std::string& code);
    /// Key or mouse input anywhere in the desk (the app's event filter calls it): resets the idle lock.
    void note_activity();

private:
    /// The review page (a chief representative's at sign-in; a clerk's when the window first
    /// decides a case on the spot).
    void make_review();
    void build_menus();
    wxWindow* build_header(wxWindow* parent);
    wxWindow* build_toolbar(wxWindow* parent);
    void bind_actions();
    void run(const std::string& id);
    void update_state();
    void update_header();
    void update_clock();
    void update_status();
    void show_keys();
    void show_about();
    void on_timer(wxTimerEvent&);
    void settings_changed(const std::string& key);
    void apply_print_setup();
    double new_page_ratio() const;  ///< the large font's size over the normal one (1 without it)  ///< the store's print.printer and print.paper for the print dialog

    DeskServices& services_;
    DeskLaunch launch_;
    ActionRegistry actions_;
    DeskState state_;
    IdleWatch idle_;
    TaskRunner tasks_;
    Page page_ = Page::catalogue;
    std::string signed_in_user_;

    wxSimplebook* book_ = nullptr;   // lock screen / first run / desk
    wxNotebook* desk_ = nullptr;     // cases / catalogue
    UnlockView* unlock_ = nullptr;
    FirstRunView* first_run_ = nullptr;
    CasesView* cases_ = nullptr;
    CatalogueView* catalogue_ = nullptr;
    IntakeView* intake_ = nullptr;  // made at sign-in, like cases_
    ReviewView* review_ = nullptr;  // made at a chief representative's sign-in (a clerk's: make_review)
    ResultView* result_ = nullptr;
    AppointmentsView* appointments_ = nullptr;  // made at a clerk's sign-in
    OnlineView* online_ = nullptr;  // made at a clerk's sign-in
    EnquiriesView* enquiries_ = nullptr;  // made at a clerk's or chief representative's sign-in
    AdminView* admin_ = nullptr;    // made at an administrator's sign-in
    SettingsView* settings_ = nullptr;  // made at every sign-in (issue 19), gone at lock
    ReportView* report_ = nullptr;      // the centre's figures: made at an admin's or a chief's sign-in, gone at lock
    bool menus_bound_ = false;          // the menu events are bound once; the bar is built again
    wxStaticText* header_user_ = nullptr;
    wxStaticText* header_window_ = nullptr;
    wxStaticText* header_post_ = nullptr;
    wxStaticText* header_connectivity_ = nullptr;
    wxStaticText* clock_ = nullptr;
    wxFont desk_font_;  // the desk's font (larger with the large-font option)
    wxTimer timer_;
    int ticks_ = 0;
    long sync_passes_ = -1;
    wxWindow* sync_panel_ = nullptr;
    std::vector<std::pair<std::string, wxWindow*>> tool_buttons_;  // action id, its toolbar button
};

}  // namespace ow::app
