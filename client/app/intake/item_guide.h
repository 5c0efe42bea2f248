// The guide of an item or bundle (办事指南: conditions, materials, time limits, fees) for the
// guide pane, as styled blocks with translated headings. Rendered into a read-only rich text
// control, which wraps Chinese text correctly (wxHtmlWindow only breaks lines at spaces).
#pragma once

#include "intake/catalog_presenter.h"

#include <wx/string.h>

#include <vector>

class wxTextCtrl;

namespace ow::app {

struct GuideBlock {
    enum class Style { title, subtitle, heading, field, text, item, note, hint } style;
    wxString text;
    wxString value;  // for field: the value beside the label
};

std::vector<GuideBlock> item_guide(const core::ServiceItem& item);
std::vector<GuideBlock> bundle_guide(const core::Bundle& bundle, const CatalogPresenter& presenter);

/// Replaces the control's content with the blocks.
void render_guide(wxTextCtrl* ctrl, const std::vector<GuideBlock>& blocks);

}  // namespace ow::app
