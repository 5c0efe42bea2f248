// PageViewer: the thumbnail strip, the page (a PdfView) and the label, kept in step with a
// PageViewerModel; the thumbnails rendered on a TaskRunner worker.
#include "common/page_viewer.h"

#include "common/labels.h"
#include "common/pdf_view.h"
#include "common/progress.h"

#include <wx/app.h>
#include <wx/imaglist.h>
#include <wx/intl.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include <cmath>
#include <optional>

namespace ow::app {

namespace {

/// The viewer's key for a key event, if it is one of the viewer's keys.
std::optional<ViewerKey> viewer_key(const wxKeyEvent& e) {
    const int k = e.GetKeyCode();
    const int mods = e.GetModifiers();
    const bool ctrl = mods == wxMOD_CONTROL, shift = mods == wxMOD_SHIFT, plain = mods == wxMOD_NONE;
    switch (k) {
    case WXK_PAGEDOWN: case WXK_NUMPAD_PAGEDOWN:
        if (ctrl) return ViewerKey::next_document;
        if (plain) return ViewerKey::next_page;
        break;
    case WXK_PAGEUP: case WXK_NUMPAD_PAGEUP:
        if (ctrl) return ViewerKey::previous_document;
        if (plain) return ViewerKey::previous_page;
        break;
    case WXK_SPACE:
        if (shift) return ViewerKey::previous_page;
        if (plain) return ViewerKey::next_page;
        break;
    case WXK_BACK: if (plain) return ViewerKey::previous_page; break;
    case WXK_HOME: case WXK_NUMPAD_HOME: if (plain) return ViewerKey::first_page; break;
    case WXK_END: case WXK_NUMPAD_END: if (plain) return ViewerKey::last_page; break;
    case ']': if (plain) return ViewerKey::next_document; break;
    case '[': if (plain) return ViewerKey::previous_document; break;
    case '+': case '=': case WXK_ADD: case WXK_NUMPAD_ADD: if (plain || shift) return ViewerKey::zoom_in; break;
    case '-': case WXK_SUBTRACT: case WXK_NUMPAD_SUBTRACT: if (plain) return ViewerKey::zoom_out; break;
    case 'W': case 'w': if (plain) return ViewerKey::fit_width; break;
    case '0': case WXK_NUMPAD0:
        if (ctrl) return ViewerKey::fit_width;
        if (plain) return ViewerKey::actual_size;
        break;
    default: break;
    }
    return std::nullopt;
}

}  // namespace

struct PageViewer::State {
    std::shared_ptr<bool> alive = std::make_shared<bool>(true);
    TaskRunner::Post post;
    std::unique_ptr<TaskRunner> thumbnail_worker;
    PageViewerModel model;
    std::uint64_t generation = 0;  // of the documents set (stale thumbnails are dropped)
    std::size_t thumbnails_done = 0;
    wxSize thumb_box;
    std::unique_ptr<wxImageList> images;
    bool selecting = false;  // the strip's selection is being set from the model
    std::function<void(std::size_t, int)> on_shown;
};

PageViewer::PageViewer(wxWindow* parent, wxWindowID id) : wxPanel(parent, id), st_(std::make_unique<State>()) {
    SetName("viewer");
    st_->post = [alive = st_->alive](std::function<void()> f) {
        if (wxTheApp) wxTheApp->CallAfter([alive, f = std::move(f)] {
            if (*alive) f();
        });
    };
    st_->thumbnail_worker = std::make_unique<TaskRunner>(st_->post);
    st_->thumb_box = FromDIP(wxSize(72, 100));

    auto* row = new wxBoxSizer(wxHORIZONTAL);
    thumbs_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, FromDIP(wxSize(250, -1)),
                             wxLC_REPORT | wxLC_NO_HEADER | wxLC_SINGLE_SEL | wxWANTS_CHARS);
    thumbs_->SetName("viewer.thumbs");
    thumbs_->InsertColumn(0, _("Documents"));
    row->Add(thumbs_, 0, wxEXPAND | wxRIGHT, FromDIP(4));

    auto* right = new wxBoxSizer(wxVERTICAL);
    title_ = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxST_NO_AUTORESIZE | wxST_ELLIPSIZE_END);
    title_->SetName("viewer.title");
    title_->SetFont(title_->GetFont().Bold());
    page_ = new PdfView(this);
    page_->SetName("viewer.page");
    page_->show_label(false);
    label_ = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxST_NO_AUTORESIZE);
    label_->SetName("viewer.label");
    right->Add(title_, 0, wxEXPAND | wxBOTTOM, FromDIP(4));
    right->Add(page_, 1, wxEXPAND);
    right->Add(label_, 0, wxEXPAND | wxTOP, FromDIP(4));
    row->Add(right, 1, wxEXPAND);
    SetSizer(row);

    page_->set_key_filter([this](wxKeyEvent& e) { return on_key(e); });
    page_->on_opened([this](int pages) {
        st_->model.set_page_count(st_->model.current(), pages);
        sync_view();
    });
    page_->on_page_shown([this](int page) {
        if (st_->model.fits_width()) st_->model.set_fitted_zoom(page_->zoom());
        update_label();
        if (st_->on_shown) st_->on_shown(st_->model.current(), page);
    });
    thumbs_->Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& e) {
        if (!on_key(e)) e.Skip();  // Up / Down move along the strip
    });
    thumbs_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent& e) {
        if (!st_->selecting && e.GetIndex() >= 0) show_document(std::size_t(e.GetIndex()));
    });
    thumbs_->Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        e.Skip();
        thumbs_->SetColumnWidth(0, std::max(FromDIP(60), thumbs_->GetClientSize().x));
    });
    update_label();
}

PageViewer::~PageViewer() {
    *st_->alive = false;
    st_->thumbnail_worker.reset();  // cancels and waits
}

void PageViewer::set_documents(std::vector<ViewerDocument> documents) {
    st_->model.set_documents(std::move(documents));
    ++st_->generation;
    st_->thumbnails_done = 0;
    thumbs_->DeleteAllItems();
    // A blank page in each place until its thumbnail comes.
    st_->images = std::make_unique<wxImageList>(st_->thumb_box.x, st_->thumb_box.y, false);
    wxImage blank(st_->thumb_box.x, st_->thumb_box.y);
    blank.SetRGB(wxRect(wxPoint(), st_->thumb_box), 236, 236, 236);
    for (std::size_t i = 0; i < st_->model.document_count(); ++i) st_->images->Add(wxBitmap(blank));
    thumbs_->SetImageList(st_->images.get(), wxIMAGE_LIST_SMALL);
    for (std::size_t i = 0; i < st_->model.document_count(); ++i)
        thumbs_->InsertItem(long(i), wxString::Format("%d. %s", int(i + 1), u8(st_->model.document(i).title)), int(i));
    start_thumbnails();
    load_current();
}

void PageViewer::start_thumbnails() {
    st_->thumbnail_worker->cancel_all();
    if (st_->model.empty()) return;
    std::vector<std::string> bytes;
    for (std::size_t i = 0; i < st_->model.document_count(); ++i) bytes.push_back(st_->model.document(i).bytes);
    // One after another in the strip's order, each posted as it is made; a newer set of
    // documents cancels this one, and what it still posts carries an old generation.
    st_->thumbnail_worker->start(
        [this, bytes = std::move(bytes), g = st_->generation, box = st_->thumb_box, post = st_->post](Progress& progress) {
            for (std::size_t i = 0; i < bytes.size(); ++i) {
                progress.throw_if_cancelled();
                RgbImage img;
                try {
                    img = render_bytes_thumbnail(bytes[i], box.x - 2, box.y - 2);
                } catch (const std::exception&) {
                    // the blank page stays; the page view tells why when the document is opened
                }
                post([this, g, i, img = std::move(img)] {
                    if (g != st_->generation || i >= std::size_t(st_->images->GetImageCount())) return;
                    ++st_->thumbnails_done;
                    if (img.empty()) return;
                    // Centred on the strip's blank, with a thin frame: every image of a list is one size.
                    wxImage tile(st_->thumb_box.x, st_->thumb_box.y);
                    tile.SetRGB(wxRect(wxPoint(), st_->thumb_box), 255, 255, 255);
                    const int x = (st_->thumb_box.x - img.width) / 2, y = (st_->thumb_box.y - img.height) / 2;
                    tile.SetRGB(wxRect(x - 1, y - 1, img.width + 2, img.height + 2).Intersect(wxRect(wxPoint(), st_->thumb_box)), 150, 150, 150);
                    tile.Paste(to_wx_image(img), x, y);
                    st_->images->Replace(int(i), wxBitmap(tile));
                    thumbs_->RefreshItem(long(i));
                });
            }
        },
        [](const Progress::Snapshot&) {});
}

void PageViewer::show_document(std::size_t i) {
    if (st_->model.show_document(i)) load_current();
}

void PageViewer::apply(ViewerKey key) {
    const std::size_t before = st_->model.current();
    if (!st_->model.apply(key)) return;
    if (st_->model.current() != before) load_current();
    else sync_view();
}

bool PageViewer::on_key(wxKeyEvent& e) {
    const auto key = viewer_key(e);
    if (!key) return false;
    apply(*key);
    return true;
}

void PageViewer::load_current() {
    if (st_->model.empty()) {
        page_->clear();
        title_->SetLabel(wxString());
        update_label();
        return;
    }
    const std::size_t i = st_->model.current();
    const ViewerDocument& doc = st_->model.document(i);
    title_->SetLabel(u8(doc.title));
    title_->SetToolTip(u8(doc.title));
    page_->set_pdf(doc.bytes, doc.title);  // a PNG opens as one page (PdfPages)
    st_->selecting = true;
    thumbs_->SetItemState(long(i), wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
    thumbs_->EnsureVisible(long(i));
    st_->selecting = false;
    sync_view();
}

void PageViewer::sync_view() {
    if (!st_->model.empty()) {
        page_->go_to_page(st_->model.page());
        if (st_->model.fits_width()) {
            if (!page_->fits_width()) page_->fit_width();
        } else if (page_->fits_width() || page_->zoom() != st_->model.zoom()) {
            page_->set_zoom(st_->model.zoom());
        }
    }
    update_label();
}

void PageViewer::update_label() {
    const auto l = st_->model.label();
    wxString text;
    if (l.documents == 0)
        text = _("No documents");
    else if (!st_->model.page_count_known())
        text = wxString::Format(_("Document %d/%d - opening..."), int(l.document), int(l.documents));
    else if (l.pages == 0)
        text = wxString::Format(_("Document %d/%d - cannot be shown"), int(l.document), int(l.documents));
    else if (l.fit_width)
        text = wxString::Format(_("Document %d/%d - page %d/%d - fit width (%d%%)"), int(l.document), int(l.documents), l.page,
                                l.pages, l.zoom_percent);
    else
        text = wxString::Format(_("Document %d/%d - page %d/%d - %d%%"), int(l.document), int(l.documents), l.page, l.pages,
                                l.zoom_percent);
    if (label_->GetLabel() != text) label_->SetLabel(text);
}

const PageViewerModel& PageViewer::model() const { return st_->model; }
wxString PageViewer::label_text() const { return label_->GetLabel(); }
bool PageViewer::rendering() const { return page_->rendering(); }
std::size_t PageViewer::thumbnails_done() const { return st_->thumbnails_done; }
void PageViewer::on_page_shown(std::function<void(std::size_t, int)> callback) { st_->on_shown = std::move(callback); }
void PageViewer::focus_page() { page_->focus_canvas(); }

}  // namespace ow::app
