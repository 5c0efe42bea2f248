#include "intake/catalogue_view.h"

#include "common/labels.h"
#include "common/quiet_list_box.h"
#include "common/remeasure.h"
#include "intake/item_guide.h"

#include <wx/listbox.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/srchctrl.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace ow::app {

CatalogueView::CatalogueView(wxWindow* parent, const core::Catalogue& catalogue)
    : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "catalogue"),
      presenter_(std::make_unique<CatalogPresenter>(catalogue)) {
    auto* body = new wxBoxSizer(wxHORIZONTAL);
    auto* left = new wxBoxSizer(wxVERTICAL);
    left->Add(new wxStaticText(this, wxID_ANY, _("Service catalogue")), 0, wxALL, 6);
    filter_list_ = new QuietListBox(this, wxSize(FromDIP(200), -1), "catalogue.zones");
    left->Add(filter_list_, 1, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    body->Add(left, 0, wxEXPAND);

    auto* centre = new wxBoxSizer(wxVERTICAL);
    search_ = new wxSearchCtrl(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER);
    search_->SetName("catalogue.search");
    search_->SetDescriptiveText(_("Name, code or pinyin initials"));
    search_->ShowCancelButton(true);
    centre->Add(search_, 0, wxEXPAND | wxALL, 6);
    list_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    list_->SetName("catalogue.list");
    list_->AppendColumn(_("Service item"), wxLIST_FORMAT_LEFT, FromDIP(260));
    list_->AppendColumn(_("Kind"), wxLIST_FORMAT_LEFT, FromDIP(80));
    list_->AppendColumn(_("Promised limit (working days)"), wxLIST_FORMAT_RIGHT, FromDIP(130));
    list_->AppendColumn(_("Legal limit (working days)"), wxLIST_FORMAT_RIGHT, FromDIP(130));
    list_->AppendColumn(_("Handling"), wxLIST_FORMAT_LEFT, FromDIP(90));
    list_->AppendColumn(_("Department"), wxLIST_FORMAT_LEFT, FromDIP(160));
    fit_headers(list_);  // the English headers are longer
    centre->Add(list_, 1, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    body->Add(centre, 3, wxEXPAND);

    guide_ = new wxTextCtrl(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(FromDIP(400), -1),
                            wxTE_MULTILINE | wxTE_READONLY | wxTE_RICH2 | wxTE_WORDWRAP | wxBORDER_NONE);
    guide_->SetName("catalogue.guide");
    body->Add(guide_, 2, wxEXPAND | wxTOP | wxRIGHT | wxBOTTOM, 6);
    SetSizer(body);

    fill_filters();
    refresh_rows();
    filter_list_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent&) { refresh_rows(); });
    search_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { refresh_rows(); });
    search_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) {
        if (list_->GetItemCount() > 0) {
            list_->SetItemState(0, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
            list_->SetFocus();
        }
    });
    list_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent& e) { show_guide(e.GetIndex()); });
}

void CatalogueView::set_catalogue(const core::Catalogue& catalogue) {
    int sel = filter_list_->GetSelection();
    presenter_ = std::make_unique<CatalogPresenter>(catalogue);
    fill_filters();
    if (sel >= 0 && unsigned(sel) < filter_list_->GetCount()) filter_list_->SetSelection(sel);
    refresh_rows();
}

void CatalogueView::fill_filters() {
    filters_.clear();
    filter_list_->Clear();
    auto add = [&](CatalogFilter f, const wxString& name) {
        filters_.push_back(f);
        filter_list_->Append(wxString::Format("%s  (%zu)", name, presenter_->count(f)));
    };
    add({CatalogFilter::Kind::all_items, {}}, _("All items"));
    add({CatalogFilter::Kind::bundles, {}}, _("One-thing bundles"));
    for (auto z : {core::Zone::investment_construction, core::Zone::business_registration, core::Zone::social_affairs,
                   core::Zone::livelihood, core::Zone::public_convenience})
        add({CatalogFilter::Kind::zone, z}, label(z));
    filter_list_->SetSelection(0);
}

CatalogFilter CatalogueView::current_filter() const {
    int sel = filter_list_->GetSelection();
    return sel >= 0 && std::size_t(sel) < filters_.size() ? filters_[std::size_t(sel)] : CatalogFilter{};
}

void CatalogueView::refresh_rows() {
    rows_ = presenter_->rows(current_filter(), search_->GetValue().utf8_string());
    list_->Freeze();
    list_->DeleteAllItems();
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        const auto& r = rows_[i];
        long row = list_->InsertItem(long(i), u8(r.name));
        list_->SetItem(row, 1, r.is_bundle ? _("Bundle") : label(r.kind));
        list_->SetItem(row, 2, r.promised_days == 0 ? _("on the spot") : wxString::Format("%d", r.promised_days));
        list_->SetItem(row, 3, r.is_bundle ? wxString() : wxString::Format("%d", r.legal_days));
        list_->SetItem(row, 4, r.is_bundle ? wxString() : label(r.depth));
        list_->SetItem(row, 5, r.is_bundle ? wxString::Format(wxPLURAL("%zu item", "%zu items", unsigned(r.item_count)), r.item_count)
                                           : u8(r.department));
    }
    list_->Thaw();
    if (!rows_.empty()) {
        list_->SetItemState(0, wxLIST_STATE_SELECTED, wxLIST_STATE_SELECTED);
        show_guide(0);
    } else {
        render_guide(guide_, {{GuideBlock::Style::text, _("No service item matches the search."), {}}});
    }
}

wxString CatalogueView::status() const {
    return wxString::Format(wxPLURAL("%zu entry shown", "%zu entries shown", unsigned(rows_.size())), rows_.size());
}

bool CatalogueView::select_code(const std::string& code) {
    // A bundle is listed under its own filter; switch to it (and clear the search) when needed.
    bool is_bundle = presenter_->bundle(code) != nullptr;
    if (!is_bundle && !presenter_->item(code)) return false;
    if (is_bundle != (current_filter().kind == CatalogFilter::Kind::bundles) || !search_->IsEmpty()) {
        filter_list_->SetSelection(is_bundle ? 1 : 0);
        search_->ChangeValue(wxString());
        refresh_rows();
    }
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].code == code) {
            list_->SetItemState(long(i), wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
            list_->EnsureVisible(long(i));
            show_guide(long(i));
            return true;
        }
    return false;
}

void CatalogueView::focus_search() {
    search_->SetFocus();
    search_->SelectAll();
}

void CatalogueView::refresh_guide() { show_guide(list_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED)); }

void CatalogueView::show_guide(long row) {
    if (row < 0 || std::size_t(row) >= rows_.size()) return;
    const auto& r = rows_[std::size_t(row)];
    if (r.is_bundle) {
        if (const auto* b = presenter_->bundle(r.code)) render_guide(guide_, bundle_guide(*b, *presenter_));
    } else if (const auto* it = presenter_->item(r.code)) {
        render_guide(guide_, item_guide(*it));
    }
}

}  // namespace ow::app
