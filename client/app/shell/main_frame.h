// The desk's main window: header (user, window, post, connectivity, clock), the zone filter on
// the left, the item list with type-to-search in the centre, the item guide (一口清) on the right.
// It only moves data between widgets and CatalogPresenter.
#pragma once

#include "intake/catalog_presenter.h"
#include "sync/progress_slot.h"
#include "sync/sync_presenter.h"

#include <wx/frame.h>
#include <wx/timer.h>

#include <mutex>
#include <optional>
#include <vector>

class wxListBox;
class wxListCtrl;
class wxListEvent;
class wxSearchCtrl;
class wxStaticText;
class wxTextCtrl;

namespace ow::app {

struct DeskContext {
    const core::Catalogue* catalogue = nullptr;
    const core::WorkCalendar* calendar = nullptr;
    wxString user;        // who is signed in
    wxString window_no;   // e.g. 3号窗口
    wxString platform;    // e.g. training platform (built-in)
    store::Db* db = nullptr;             // the desk's connection to the store (none: catalogue only)
    sync::SyncEngine* engine = nullptr;  // background sync, when a store is open
    SyncProgressSlot* progress = nullptr;
    std::string store_user;  // who the store was opened as (recorded on sync actions)
};

class MainFrame : public wxFrame {
public:
    explicit MainFrame(const DeskContext& ctx);

    /// Selects a list row by item/bundle code (for screenshots and keyboard flows).
    bool select_code(const std::string& code);
    /// Opens (or raises) the sync panel; null when no store is open.
    wxWindow* show_sync_panel();

private:
    void build_menu();
    wxWindow* build_header(wxWindow* parent);
    void fill_filters();
    void refresh_rows();
    void show_guide(long row);
    void update_clock();
    void update_sync_bar();
    CatalogFilter current_filter() const;

    void on_filter(wxCommandEvent&);
    void on_search(wxCommandEvent&);
    void on_row_selected(wxListEvent&);
    void on_timer(wxTimerEvent&);

    DeskContext ctx_;
    CatalogPresenter presenter_;
    std::vector<CatalogFilter> filters_;
    std::vector<CatalogRow> rows_;

    wxListBox* filter_list_ = nullptr;
    wxSearchCtrl* search_ = nullptr;
    wxListCtrl* list_ = nullptr;
    wxTextCtrl* guide_ = nullptr;
    wxStaticText* clock_ = nullptr;
    wxStaticText* platform_ = nullptr;
    wxTimer timer_;
    int ticks_ = 0;
    wxWindow* sync_panel_ = nullptr;  // the open sync panel, if any
};

}  // namespace ow::app
