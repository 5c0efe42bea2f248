// PdfView: stub (the API compiles; pages are drawn in the next commit).
#include "common/pdf_view.h"

#include <wx/sizer.h>
#include <wx/stattext.h>

namespace ow::app {

class PdfCanvas : public wxWindow {
public:
    explicit PdfCanvas(wxWindow* parent) : wxWindow(parent, wxID_ANY) { SetName("pdf.page"); }
};

struct PdfView::State {
    std::string bytes, title;
    int page = 0, count = 0;
    double zoom = 1.0;
    bool fit = true;
    std::function<void(int)> shown;
};

PdfView::PdfView(wxWindow* parent, wxWindowID id) : wxPanel(parent, id), st_(std::make_unique<State>()) {
    auto* v = new wxBoxSizer(wxVERTICAL);
    canvas_ = new PdfCanvas(this);
    label_ = new wxStaticText(this, wxID_ANY, wxString());
    label_->SetName("pdf.label");
    v->Add(canvas_, 1, wxEXPAND);
    v->Add(label_, 0, wxALL, 4);
    SetSizer(v);
}

PdfView::~PdfView() = default;

void PdfView::set_pdf(std::string bytes, std::string title) {
    st_->bytes = std::move(bytes);
    st_->title = std::move(title);
}
void PdfView::clear() { st_ = std::make_unique<State>(); }
bool PdfView::has_pdf() const { return !st_->bytes.empty(); }
const std::string& PdfView::pdf_bytes() const { return st_->bytes; }
const std::string& PdfView::title() const { return st_->title; }
int PdfView::page() const { return st_->page; }
int PdfView::page_count() const { return st_->count; }
void PdfView::go_to_page(int page) { st_->page = page; }
void PdfView::next_page() { go_to_page(st_->page + 1); }
void PdfView::previous_page() { go_to_page(st_->page - 1); }
void PdfView::first_page() { go_to_page(0); }
void PdfView::last_page() { go_to_page(st_->count - 1); }
double PdfView::zoom() const { return st_->zoom; }
void PdfView::set_zoom(double zoom) { st_->zoom = zoom; st_->fit = false; }
void PdfView::zoom_in() { set_zoom(st_->zoom * 1.25); }
void PdfView::zoom_out() { set_zoom(st_->zoom / 1.25); }
void PdfView::fit_width() { st_->fit = true; }
bool PdfView::fits_width() const { return st_->fit; }
bool PdfView::rendering() const { return false; }
void PdfView::on_page_shown(std::function<void(int)> callback) { st_->shown = std::move(callback); }

}  // namespace ow::app
