#include "intake/form_view.h"

namespace ow::app {

struct FormView::Slot {};

FormView::FormView(wxWindow* parent, FormPresenter& presenter) : wxScrolledWindow(parent, wxID_ANY), presenter_(presenter) {}
FormView::~FormView() = default;
void FormView::rebuild() {}
void FormView::focus_first() {}
bool FormView::focus_path(const std::string&) { return false; }
void FormView::fonts_changed() {}

}  // namespace ow::app
