// The sync panel (File → Sync records…, F8): the queues, and the records a clerk must see —
// quarantined mutations with the platform's reason, conflicts, problems — with the two actions
// on them: send again (after the cause was fixed) and mark dealt with (with a note). A modeless
// window: the desk stays usable while it is open. The logic is in sync_panel_presenter.*.
#pragma once

#include "shell/desk_services.h"
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
    /// Over the signed-in desk's services; "Sync now" is offered when sync runs. The desk closes
    /// the panel before it locks.
    SyncPanelWindow(wxWindow* parent, DeskServices& services);
    /// Reads the store again and redraws.
    void reload();

private:
    void on_selected(wxListEvent&);
    void update_buttons();
    const SyncIssueRow* selected() const;

    DeskServices& services_;
    std::string user_;
    SyncPanel panel_;
    wxStaticText* summary_ = nullptr;
    wxListCtrl* list_ = nullptr;
    wxTextCtrl* detail_ = nullptr;  // the selected record in full
    wxButton* resend_ = nullptr;
    wxButton* resolve_ = nullptr;
};

}  // namespace ow::app
