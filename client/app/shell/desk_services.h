// DeskServices: what the desk's screens work with, in one object instead of raw pointers — the
// store of the signed-in user, the workflow (every act goes through it), the sync engine and its
// progress, the catalogue and forms, the working-day calendar, the notice renderer, the seals and
// the device plugins. Free of wx: presenters take it, views never see the store.
//
// Life cycle. The desk makes one DeskServices at start, for a store folder or for none (the
// catalogue-only demo). sign_in() takes a store the lock screen opened (UnlockPresenter): the
// session is built over it and sync starts. lock() stops sync, drops the session and wipes the
// store key (Store::lock); the catalogue stays (the lock screen and the item browser need it), and
// the views keep what was typed. The next sign_in() — the same user, or another after "switch
// user" — builds the session again.
#pragma once

#include "sync/progress_slot.h"
#include "settings/desk_settings.h"
#include "sync/status_poller.h"

#include "ow/core/calendar.h"
#include "ow/core/case.h"
#include "ow/core/catalog.h"
#include "ow/core/date.h"
#include "ow/store/documents.h"
#include "ow/store/store.h"
#include "ow/sync/engine.h"
#include "ow/workflow/session.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ow::plugins {
class PluginHost;
}

namespace ow::app {

struct DeskConfig {
    std::filesystem::path store_dir;  ///< empty: no store (the catalogue-only demo)
    bool start_sync = true;           ///< start the background sync at sign-in (off for screenshots)
    /// The desk's clock (screenshots and tests pin it). Empty: the system clock.
    std::function<core::Instant()> now;
    /// Looks up the electronic licences the government holds for a person or organisation (their
    /// names, e.g. "居民身份证"). Empty: the connected platform's (sync::PlatformClient::elicences)
    /// when one is configured, else none. Runs on a worker (prefetch_e_licences); tests give
    /// their own.
    std::function<std::vector<std::string>(core::DocumentType, const std::string&)> e_licence_lookup;
    /// The applicant's credit standing for 信即办. Empty: the connected platform's
    /// (sync::PlatformClient::credit) when one is configured, else none. Runs on a worker
    /// (prefetch_credit); tests give their own.
    std::function<workflow::CreditAnswer(core::DocumentType, const std::string&)> credit_lookup;
};

class DeskServices {
public:
    /// Loads the shipped catalogue and calendar (core::Error when they cannot be read).
    explicit DeskServices(DeskConfig config);
    ~DeskServices();  ///< stops sync before the store closes
    DeskServices(const DeskServices&) = delete;
    DeskServices& operator=(const DeskServices&) = delete;

    const DeskConfig& config() const { return config_; }
    bool has_store_dir() const { return !config_.store_dir.empty(); }
    bool signed_in() const { return session_ != nullptr; }

    /// Builds the session over a store opened for a user and starts sync (when configured).
    /// Throws what opening the session throws; the services stay signed out then.
    void sign_in(std::unique_ptr<store::Store> store);
    /// Stops sync, drops the session and wipes the store key. No-op when signed out.
    void lock();

    core::Instant now() const;
    core::Date today() const;  ///< the China date of now()

    // Always available (the store's once signed in, the shipped ones before).
    const core::Catalogue& catalogue() const;
    const core::WorkCalendar& calendar() const;

    // Signed in only: std::logic_error otherwise (a view asked while locked: a bug).
    store::Store& store();
    workflow::Workflow& workflow();
    const forms::FormCatalogue& forms() const;
    const notices::NoticeRenderer& renderer() const;
    store::SealAssignments seals();
    /// The catalogue problem of the store (empty when none), for the log.
    const std::string& catalogue_problem() const;
    /// Null when no platform is configured or sync is off.
    sync::SyncEngine* engine() { return engine_.get(); }
    SyncProgressSlot& progress() { return progress_; }
    /// The sync status as last read in the background (SyncStatusPoller); nothing while signed
    /// out or before the first read. Never touches the store on the caller's thread.
    std::optional<sync::SyncStatus> sync_status();
    /// The device plugins (made on first use; helpers start on demand).
    plugins::PluginHost& plugins();

    /// Who is signed in: display name (else user name), role, post.
    struct Who {
        std::string user, display_name;
        core::Role role = core::Role::clerk;
        core::Post post = core::Post::none;
        bool absent = false;
        std::string terminal;  ///< this terminal's id (receipt numbers)
    };
    Who who();

    /// The idle lock time the store's settings hold (default 10 min; 0: never).
    std::chrono::seconds idle_lock();
    /// The window's label ("3号窗口") from the store's settings; empty when none was set.
    std::string window_label();
    /// Where notices are printed, from the store's settings (print.printer, print.paper).
    PrintSetup print_setup();
    /// True when the signed-in user is on post B and a post-A user is marked absent: B acts for A
    /// (代B岗 is shown in the header).
    bool acting_for_a();
    /// The device plugin the settings choose for a capability ("devices.id_reader",
    /// "devices.scanner", "devices.signature" …; issue 19); empty: the first found.
    std::string device_plugin(const std::string& key);
    /// The configured platform's name, empty when none is configured or it has no name.
    std::string platform_name();

    /// A second session over its own connection (Store::another), for a worker thread that runs
    /// an act while the desk's thread goes on reading. The caller owns it and must end it before
    /// lock() returns (MainFrame waits for its tasks first). Signed in only.
    std::unique_ptr<workflow::Session> worker_session();

    /// Asks sync for a pass now (after an act); no-op without sync.
    void wake_sync();

    /// Starts looking up an applicant's e-licences in the background (the intake calls it when a
    /// typed number becomes valid). The acts read only an answer already there (免证办 without
    /// waiting on the network): Workflow::set_applicant marks those materials 电子证照. No-op
    /// without a lookup (no platform) or when that number was asked already. Signed in only.
    void prefetch_e_licences(core::DocumentType type, const std::string& number);
    /// The answer of a finished look-up; nothing while it runs, after it failed or when never asked.
    std::optional<std::vector<std::string>> e_licences(core::DocumentType type, const std::string& number) const;
    /// Waits for the look-ups in flight (tests; the destructor does too). lock() forgets the answers.
    void wait_e_licences();
    /// Asks the credit standing of a document holder in the background (信即办, when a case of an
    /// item on its list is opened for it); the act then takes the answer (workflow::Environment::credit:
    /// refused "workflow.credit_unavailable" while none has come). Nothing without a lookup.
    void prefetch_credit(core::DocumentType type, const std::string& number);
    std::optional<workflow::CreditAnswer> credit(core::DocumentType type, const std::string& number) const;
    void wait_credit();

private:
    workflow::Environment environment();

    DeskConfig config_;
    core::Catalogue shipped_catalogue_;
    core::WorkCalendar shipped_calendar_;
    std::unique_ptr<workflow::Session> session_;
    SyncProgressSlot progress_;
    std::unique_ptr<sync::SyncEngine> engine_;
    std::unique_ptr<SyncStatusPoller> status_;
    std::unique_ptr<plugins::PluginHost> plugins_;
    template <class Answer>
    struct Lookups;  // answers by document, the look-ups in flight (shared with worker sessions)
    std::shared_ptr<Lookups<std::vector<std::string>>> e_licences_;
    std::shared_ptr<Lookups<workflow::CreditAnswer>> credits_;
};

}  // namespace ow::app
