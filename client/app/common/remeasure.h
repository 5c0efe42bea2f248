// GTK keeps a label's old size after a font change (the large-font option): remeasure_labels()
// measures every wxStaticText under a window again with wx's metrics, so that nothing is cut off.
#pragma once

#include <functional>

class wxListCtrl;
class wxStaticText;
class wxWindow;

namespace ow::app {

/// For each label under `root` (not under `skip`, which does its own): its height from the new
/// font, and for a fixed label its width too. `changes(label)` is true for a label whose text the
/// view sets later (GTK measures it again at its next SetLabel, in the new font): its width is left.
void remeasure_labels(wxWindow* root, const std::function<bool(wxStaticText*)>& changes, wxWindow* skip = nullptr);

/// Widens each column of a report list whose header text (in the desk's language and font) does
/// not fit its width: "Promised limit (working days)" in English needs more than 承诺时限（工作日）.
void fit_headers(wxListCtrl* list);

}  // namespace ow::app
