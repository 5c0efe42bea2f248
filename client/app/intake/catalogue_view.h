// The service catalogue (事项目录, F3): the zone filter on the left, the item list with
// type-to-search in the centre, the item guide (一口清) on the right. Intake step 1 grows from it.
// It only moves data between widgets and CatalogPresenter.
#pragma once

#include "intake/catalog_presenter.h"

#include <wx/panel.h>

#include <memory>
#include <string>
#include <vector>

class wxListBox;
class wxListCtrl;
class wxListEvent;
class wxSearchCtrl;
class wxTextCtrl;

namespace ow::app {

class CatalogueView : public wxPanel {
public:
    CatalogueView(wxWindow* parent, const core::Catalogue& catalogue);
    /// Selects a row by item/bundle code. False when the catalogue has no such code.
    bool select_code(const std::string& code);
    void focus_search();
    /// Re-renders the guide (after a font change).
    void refresh_guide();
    /// Shows another catalogue (the store's after a sign-in, the shipped one after a lock): the
    /// view never keeps a reference to a catalogue that went away with the session.
    void set_catalogue(const core::Catalogue& catalogue);
    /// "N entries shown", for the status bar.
    wxString status() const;

private:
    void fill_filters();
    void refresh_rows();
    void show_guide(long row);
    CatalogFilter current_filter() const;

    std::unique_ptr<CatalogPresenter> presenter_;
    std::vector<CatalogFilter> filters_;
    std::vector<CatalogRow> rows_;
    wxListBox* filter_list_ = nullptr;
    wxSearchCtrl* search_ = nullptr;
    wxListCtrl* list_ = nullptr;
    wxTextCtrl* guide_ = nullptr;
};

}  // namespace ow::app
