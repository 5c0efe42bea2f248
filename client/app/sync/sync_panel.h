// The sync panel (File → Sync records…, F8): the queues, and the records a clerk must see —
// quarantined mutations with the platform's reason, conflicts, problems — with the two actions
// on them: send again (after the cause was fixed) and mark dealt with (with a note). A modeless
// window: the desk stays usable while it is open. The logic is in sync_panel_presenter.*.
#pragma once

#include "sync/sync_panel_presenter.h"

#include "ow/sync/engine.h"

#include <wx/frame.h>

class wxButton;
class wxListCtrl;
class wxListEvent;
class wxStaticText;
class wxTextCtrl;

namespace ow::app {

class SyncPanelWindow : public wxFrame {
public:
    /// `engine` may be null (no background sync): then "Sync now" is not offered.
    SyncPanelWindow(wxWindow* parent, store::Db& db, sync::SyncEngine* engine, std::string user);
    /// Reads the store again and redraws.
    void reload();

private:
    void on_selected(wxListEvent&);
    void update_buttons();
    const SyncIssueRow* selected() const;

    store::Db& db_;
    sync::SyncEngine* engine_;
    std::string user_;
    SyncPanel panel_;
    wxStaticText* summary_ = nullptr;
    wxListCtrl* list_ = nullptr;
    wxTextCtrl* detail_ = nullptr;  // the selected record in full
    wxButton* resend_ = nullptr;
    wxButton* resolve_ = nullptr;
};

}  // namespace ow::app
