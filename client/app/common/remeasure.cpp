#include "common/remeasure.h"

#include <wx/listctrl.h>
#include <wx/stattext.h>

#include <algorithm>

namespace ow::app {

void remeasure_labels(wxWindow* root, const std::function<bool(wxStaticText*)>& changes, wxWindow* skip) {
    for (wxWindow* c : root->GetChildren()) {
        if (c == skip || c->IsTopLevel()) continue;
        if (auto* t = wxDynamicCast(c, wxStaticText)) {
            const wxSize ext = t->GetTextExtent(t->GetLabel().empty() ? wxString("M") : t->GetLabel());
            const wxSize min = t->GetMinSize();
            const bool changing = changes && changes(t);
            const bool fixed = !changing && !t->GetLabel().empty();
            // A label whose text changes may grow to several lines: its height is left to its best size.
            t->SetMinSize(wxSize(fixed ? std::max(min.x, ext.x + t->FromDIP(2)) : min.x, changing ? wxDefaultCoord : ext.y + t->FromDIP(2)));
            t->InvalidateBestSize();
        }
        c->InvalidateBestSize();
        remeasure_labels(c, changes, skip);
    }
}

void fit_headers(wxListCtrl* list) {
    if (!list || !list->InReportView()) return;
    for (int c = 0; c < list->GetColumnCount(); ++c) {
        wxListItem col;
        col.SetMask(wxLIST_MASK_TEXT | wxLIST_MASK_WIDTH);
        if (!list->GetColumn(c, col) || col.GetText().empty()) continue;
        const int needs = list->GetTextExtent(col.GetText()).x + list->FromDIP(16);  // the header's padding and sort arrow room
        if (col.GetWidth() < needs) list->SetColumnWidth(c, needs);
    }
}

}  // namespace ow::app
