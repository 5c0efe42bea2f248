// PdfView: a canvas showing the page the worker rendered last, a label, the keys.
#include "common/pdf_view.h"

#include "common/labels.h"

#include <wx/app.h>
#include <wx/dcbuffer.h>
#include <wx/intl.h>
#include <wx/scrolwin.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ow::app {

wxImage to_wx_image(const RgbImage& image) {
    if (image.empty()) return wxImage();
    wxImage out(image.width, image.height, false);
    for (int y = 0; y < image.height; ++y)
        std::copy_n(image.bytes.data() + std::size_t(y) * std::size_t(image.stride), std::size_t(image.width) * 3,
                    out.GetData() + std::size_t(y) * std::size_t(image.width) * 3);
    return out;
}

namespace {
constexpr double kMinZoom = 0.25, kMaxZoom = 4.0, kZoomStep = 1.25;
}

/// The page canvas ("pdf.page"): the rendered page centred on a grey desk, scrollable when zoomed
/// past the window; a page-shaped placeholder while the page renders.
class PdfCanvas : public wxScrolledCanvas {
public:
    explicit PdfCanvas(PdfView* owner)
        : wxScrolledCanvas(owner, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxHSCROLL | wxVSCROLL | wxWANTS_CHARS | wxFULL_REPAINT_ON_RESIZE) {
        SetName("pdf.page");
        SetBackgroundStyle(wxBG_STYLE_PAINT);
        SetScrollRate(FromDIP(16), FromDIP(16));
        Bind(wxEVT_PAINT, &PdfCanvas::on_paint, this);
        Bind(wxEVT_LEFT_DOWN, [this](wxMouseEvent& e) {
            SetFocus();
            e.Skip();
        });
    }

    /// The margin around the page, in pixels.
    int margin() const { return FromDIP(8); }

    void show_bitmap(const wxBitmap& bmp) {
        bitmap_ = bmp;
        placeholder_ = wxSize();
        message_.clear();
        layout();
    }
    /// A page of `size` pixels is on its way (keeps the current bitmap when `keep`).
    void show_placeholder(wxSize size, const wxString& message, bool keep) {
        if (!keep) bitmap_ = wxBitmap();
        placeholder_ = size;
        message_ = message;
        layout();
    }
    void show_message(const wxString& message) {
        bitmap_ = wxBitmap();
        placeholder_ = wxSize();
        message_ = message;
        layout();
    }
    bool has_bitmap() const { return bitmap_.IsOk(); }

private:
    wxSize content() const {
        if (bitmap_.IsOk()) return bitmap_.GetSize();
        return placeholder_;
    }
    void layout() {
        const wxSize c = content();
        SetVirtualSize(c.x > 0 ? c.x + 2 * margin() : 0, c.y > 0 ? c.y + 2 * margin() : 0);
        Refresh();
    }
    void on_paint(wxPaintEvent&) {
        wxAutoBufferedPaintDC dc(this);
        DoPrepareDC(dc);
        const wxColour desk(168, 168, 168);  // the page stands out from it (the theme's workspace is white)
        dc.SetBackground(wxBrush(desk));
        dc.Clear();
        const wxSize c = content();
        const wxSize client = GetClientSize();
        const int x = std::max(margin(), (client.x - c.x) / 2), y = margin();
        if (c.x > 0) {  // a thin shadow under the page
            dc.SetPen(*wxTRANSPARENT_PEN);
            dc.SetBrush(wxBrush(wxColour(120, 120, 120)));
            dc.DrawRectangle(x + 2, y + 2, c.x, c.y);
        }
        if (bitmap_.IsOk()) {
            dc.DrawBitmap(bitmap_, x, y, false);
        } else if (c.x > 0) {
            dc.SetPen(wxPen(wxColour(200, 200, 200)));
            dc.SetBrush(wxBrush(wxColour(250, 250, 250)));
            dc.DrawRectangle(x, y, c.x, c.y);
        }
        if (!message_.empty()) {
            dc.SetTextForeground(c.x > 0 ? wxColour(90, 90, 90) : *wxBLACK);
            dc.SetFont(GetFont());
            const wxSize t = dc.GetMultiLineTextExtent(message_);
            const int tx = c.x > 0 ? x + (c.x - t.x) / 2 : std::max(margin(), (client.x - t.x) / 2);
            const int ty = c.y > 0 ? y + std::min(c.y / 3, client.y / 2) : std::max(margin(), (client.y - t.y) / 2);
            dc.DrawText(message_, tx, ty);
        }
    }

    wxBitmap bitmap_;
    wxSize placeholder_;
    wxString message_;
};

struct PdfView::State {
    std::shared_ptr<bool> alive = std::make_shared<bool>(true);
    std::unique_ptr<PdfRenderer> renderer;
    std::string bytes, title;
    std::uint64_t generation = 0;  // of the document shown (0: none)
    bool opening = false;
    std::string error;             // the bytes could not be opened (translated at display)
    std::vector<PageSize> pages;
    int page = 0;
    double zoom = 1.0;
    bool fit = true;
    // The page on screen and the one asked for (page, pixel width): rendering() when they differ.
    int shown_page = -1, shown_width = 0;
    int wanted_page = -1, wanted_width = 0;
    std::function<void(int)> on_shown;
    std::function<void(int)> on_opened;
    std::function<bool(wxKeyEvent&)> key_filter;
    std::size_t from_cache = 0;
};

PdfView::PdfView(wxWindow* parent, wxWindowID id) : wxPanel(parent, id), st_(std::make_unique<State>()) {
    auto* v = new wxBoxSizer(wxVERTICAL);
    canvas_ = new PdfCanvas(this);
    label_ = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxST_NO_AUTORESIZE);
    label_->SetName("pdf.label");
    v->Add(canvas_, 1, wxEXPAND);
    v->Add(label_, 0, wxEXPAND | wxALL, FromDIP(4));
    SetSizer(v);

    // Results come back through CallAfter; `alive` (not a wxWeakRef: the lambda is copied on the
    // worker) tells whether the view still exists when they run.
    auto post = [alive = st_->alive](std::function<void()> f) {
        if (wxTheApp) wxTheApp->CallAfter([alive, f = std::move(f)] {
            if (*alive) f();
        });
    };
    st_->renderer = std::make_unique<PdfRenderer>(
        post,
        [this](const PdfRenderer::Opened& o) {
            if (o.generation != st_->generation) return;  // stale: other bytes since
            st_->opening = false;
            if (!o.ok) {
                st_->error = o.error;
                st_->pages.clear();
                st_->wanted_page = -1;
            } else {
                st_->pages = o.pages;
                st_->page = std::clamp(st_->page, 0, int(st_->pages.size()) - 1);
            }
            refresh();
            if (st_->on_opened) st_->on_opened(int(st_->pages.size()));
        },
        [this](const PdfRenderer::Rendered& r) {
            if (r.generation != st_->generation || r.page != st_->wanted_page || !r.ok || r.width_px != st_->wanted_width)
                return;  // stale (another page or zoom asked for since) or failed (the label tells)
            canvas_->show_bitmap(wxBitmap(to_wx_image(r.image)));
            st_->from_cache += r.from_cache;
            st_->shown_page = r.page;
            st_->shown_width = r.width_px;
            update_label();
            if (st_->on_shown) st_->on_shown(r.page);
        });

    auto keys = [this](wxKeyEvent& e) {
        if (st_->key_filter && st_->key_filter(e)) return;
        const int k = e.GetKeyCode();
        if (e.GetModifiers() & (wxMOD_CONTROL | wxMOD_ALT | wxMOD_META)) {  // the desk's shortcuts (Ctrl+P …)
            e.Skip();
            return;
        }
        switch (k) {
        case WXK_PAGEDOWN: case WXK_NUMPAD_PAGEDOWN: case WXK_SPACE: next_page(); return;
        case WXK_PAGEUP: case WXK_NUMPAD_PAGEUP: case WXK_BACK: previous_page(); return;
        case WXK_HOME: case WXK_NUMPAD_HOME: first_page(); return;
        case WXK_END: case WXK_NUMPAD_END: last_page(); return;
        case '+': case '=': case WXK_ADD: case WXK_NUMPAD_ADD: zoom_in(); return;
        case '-': case WXK_SUBTRACT: case WXK_NUMPAD_SUBTRACT: zoom_out(); return;
        case 'W': case 'w': fit_width(); return;
        case '0': case WXK_NUMPAD0: set_zoom(1.0); return;
        default: e.Skip();
        }
    };
    canvas_->Bind(wxEVT_KEY_DOWN, keys);
    canvas_->Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        e.Skip();
        if (st_->fit) CallAfter([this] { refresh(); });  // after the layout settled
    });
    refresh();
}

PdfView::~PdfView() {
    *st_->alive = false;
    st_->renderer.reset();  // joins the worker
}

void PdfView::set_pdf(std::string bytes, std::string title) {
    st_->bytes = std::move(bytes);
    st_->title = std::move(title);
    st_->error.clear();
    st_->pages.clear();
    st_->page = 0;
    st_->fit = true;
    st_->shown_page = st_->wanted_page = -1;
    st_->opening = true;
    st_->generation = st_->renderer->open(st_->bytes);
    canvas_->show_message(_("Opening the document..."));
    update_label();
    // Ask for the first page now (the worker renders it right after opening): fit width needs no
    // page size, so the first page costs one round trip.
    request();
}

void PdfView::clear() {
    st_->bytes.clear();
    st_->title.clear();
    st_->error.clear();
    st_->pages.clear();
    st_->page = 0;
    st_->opening = false;
    st_->shown_page = st_->wanted_page = -1;
    st_->generation = st_->renderer->close();
    refresh();
}

bool PdfView::has_pdf() const { return !st_->bytes.empty(); }
const std::string& PdfView::pdf_bytes() const { return st_->bytes; }
const std::string& PdfView::title() const { return st_->title; }
int PdfView::page() const { return st_->page; }
int PdfView::page_count() const { return int(st_->pages.size()); }

void PdfView::go_to_page(int page) {
    if (!st_->pages.empty()) page = std::clamp(page, 0, int(st_->pages.size()) - 1);
    else page = std::max(0, page);
    if (page == st_->page) return;
    st_->page = page;
    canvas_->Scroll(0, 0);  // a new page starts at its top
    refresh();
}
void PdfView::next_page() { go_to_page(st_->page + 1); }
void PdfView::previous_page() { go_to_page(st_->page - 1); }
void PdfView::first_page() { go_to_page(0); }
void PdfView::last_page() { go_to_page(page_count() - 1); }

double PdfView::zoom() const {
    if (st_->fit && !st_->pages.empty()) return target_width() / (st_->pages[std::size_t(st_->page)].width_pt * points_to_pixels());
    return st_->zoom;
}
void PdfView::set_zoom(double zoom) {
    st_->zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    st_->fit = false;
    refresh();
}
void PdfView::zoom_in() { set_zoom(zoom() * kZoomStep); }
void PdfView::zoom_out() { set_zoom(zoom() / kZoomStep); }
void PdfView::fit_width() {
    st_->fit = true;
    refresh();
}
bool PdfView::fits_width() const { return st_->fit; }

bool PdfView::rendering() const {
    if (st_->opening) return true;
    return st_->wanted_page >= 0 && (st_->wanted_page != st_->shown_page || st_->wanted_width != st_->shown_width);
}

void PdfView::on_page_shown(std::function<void(int)> callback) { st_->on_shown = std::move(callback); }
void PdfView::on_opened(std::function<void(int)> callback) { st_->on_opened = std::move(callback); }
void PdfView::set_key_filter(std::function<bool(wxKeyEvent&)> filter) { st_->key_filter = std::move(filter); }
void PdfView::show_label(bool show) {
    label_->Show(show);
    Layout();
}
void PdfView::focus_canvas() { canvas_->SetFocus(); }
std::size_t PdfView::pages_rendered_ahead() const { return st_->renderer->rendered_ahead(); }
std::size_t PdfView::pages_from_cache() const { return st_->from_cache; }

// 100 %: the page at its paper size on a 96-dpi screen (scaled with the desktop's DPI).
double PdfView::points_to_pixels() const { return FromDIP(96.0) / 72.0; }

int PdfView::target_width() const {
    if (st_->fit) {
        // The width with the vertical scroll bar's room kept, whether the bar shows or not: a page
        // fitted to the width is taller than the canvas, so the bar comes with it; sized to the
        // client width without the bar, the page would be drawn again when the bar narrows the
        // canvas (which sends no size event), and its pages rendered ahead at the other width
        // would miss the cache.
        const int shown_bar = canvas_->GetSize().x - canvas_->GetClientSize().x;
        const int bar = std::max({0, shown_bar, wxSystemSettings::GetMetric(wxSYS_VSCROLL_X, canvas_)});
        return std::max(1, canvas_->GetSize().x - bar - 2 * canvas_->margin());
    }
    if (st_->pages.empty()) return 0;
    return std::max(1, int(std::lround(st_->pages[std::size_t(st_->page)].width_pt * points_to_pixels() * st_->zoom)));
}

void PdfView::request() {
    if (st_->bytes.empty() || !st_->error.empty()) return;
    const int width = target_width();
    if (width <= 0) return;  // zoomed, size unknown until opened: refresh() asks again then
    if (st_->wanted_page == st_->page && st_->wanted_width == width) return;  // already asked
    st_->wanted_page = st_->page;
    st_->wanted_width = width;
    // The page count is not known before the document has opened: the next page is asked ahead
    // then too (the worker skips a page that does not exist).
    const int count = st_->pages.empty() ? std::numeric_limits<int>::max() : int(st_->pages.size());
    st_->renderer->request(st_->page, 0, width, prefetch_pages(st_->page, count));
}

void PdfView::refresh() {
    if (st_->bytes.empty()) {
        canvas_->show_message(wxString());
        label_->SetLabel(wxString());
        return;
    }
    if (!st_->error.empty()) {
        const wxString why = wxGetTranslation(u8(st_->error));
        canvas_->show_message(wxString::Format(_("This document cannot be shown: %s"), why));
        label_->SetLabel(wxString::Format(_("This document cannot be shown: %s"), why));
        return;
    }
    request();
    if (rendering() && !st_->opening) {
        const PageSize s = st_->pages[std::size_t(st_->page)];
        const int w = st_->wanted_width;
        const wxSize placeholder(w, int(std::lround(w * s.height_pt / s.width_pt)));
        canvas_->show_placeholder(placeholder, wxString::Format(_("Rendering page %d..."), st_->page + 1),
                                  st_->shown_page == st_->page && canvas_->has_bitmap());
    }
    update_label();
}

void PdfView::update_label() {
    if (!st_->error.empty() || st_->bytes.empty()) return;
    if (st_->pages.empty()) {
        label_->SetLabel(_("Opening the document..."));
        return;
    }
    wxString text = wxString::Format(_("Page %d / %d"), st_->page + 1, int(st_->pages.size()));
    text += "    ";
    text += st_->fit ? wxString(_("Fit width")) : wxString::Format(_("Zoom %d%%"), int(std::lround(st_->zoom * 100)));
    label_->SetLabel(text);
}

}  // namespace ow::app
