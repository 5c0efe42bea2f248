#include "common/page_viewer_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace ow::app {

std::string sniff_mime(std::string_view bytes) {
    if (bytes.size() >= 8 && bytes.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return std::string(kMimePng);
    if (bytes.size() >= 8 && bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos) return std::string(kMimePdf);
    return {};
}

void PageViewerModel::set_documents(std::vector<ViewerDocument> documents) {
    docs_.clear();
    docs_.reserve(documents.size());
    for (auto& d : documents) {
        if (d.mime.empty()) d.mime = sniff_mime(d.bytes);
        docs_.push_back(Entry{std::move(d)});
    }
    current_ = 0;
}

bool PageViewerModel::show_document(std::size_t i) {
    if (i >= docs_.size() || i == current_) return false;
    current_ = i;
    return true;
}
bool PageViewerModel::next_document() { return show_document(current_ + 1); }
bool PageViewerModel::previous_document() { return current_ > 0 && show_document(current_ - 1); }

void PageViewerModel::set_page_count(std::size_t doc, int pages) {
    if (doc >= docs_.size()) return;
    Entry& e = docs_[doc];
    e.pages = std::max(0, pages);
    e.page = std::clamp(e.page, 0, std::max(0, e.pages - 1));
}

int PageViewerModel::page_count() const {
    if (docs_.empty()) return 0;
    const Entry& e = docs_[current_];
    return e.pages < 0 ? 1 : e.pages;
}

bool PageViewerModel::page_count_known() const { return !docs_.empty() && docs_[current_].pages >= 0; }

int PageViewerModel::page() const { return docs_.empty() ? 0 : docs_[current_].page; }

bool PageViewerModel::go_to_page(int page) {
    if (docs_.empty()) return false;
    Entry& e = docs_[current_];
    page = std::max(0, page);
    if (e.pages >= 0) page = std::min(page, std::max(0, e.pages - 1));
    if (page == e.page) return false;
    e.page = page;
    return true;
}
bool PageViewerModel::next_page() { return go_to_page(page() + 1); }
bool PageViewerModel::previous_page() { return go_to_page(page() - 1); }
bool PageViewerModel::first_page() { return go_to_page(0); }
bool PageViewerModel::last_page() { return page_count_known() && go_to_page(page_count() - 1); }

double PageViewerModel::zoom() const { return fit_ ? fitted_ : zoom_; }
void PageViewerModel::set_zoom(double zoom) {
    zoom_ = std::clamp(zoom, kMinZoom, kMaxZoom);
    fit_ = false;
}
void PageViewerModel::zoom_in() { set_zoom(zoom() * kZoomStep); }
void PageViewerModel::zoom_out() { set_zoom(zoom() / kZoomStep); }
void PageViewerModel::fit_width() { fit_ = true; }
void PageViewerModel::set_fitted_zoom(double zoom) {
    if (zoom > 0 && std::isfinite(zoom)) fitted_ = zoom;
}

bool PageViewerModel::apply(ViewerKey key) {
    if (docs_.empty()) return false;
    const double before_zoom = zoom();
    const bool before_fit = fit_;
    switch (key) {
    case ViewerKey::next_page: return next_page();
    case ViewerKey::previous_page: return previous_page();
    case ViewerKey::first_page: return first_page();
    case ViewerKey::last_page: return last_page();
    case ViewerKey::next_document: return next_document();
    case ViewerKey::previous_document: return previous_document();
    case ViewerKey::zoom_in: zoom_in(); break;
    case ViewerKey::zoom_out: zoom_out(); break;
    case ViewerKey::fit_width: fit_width(); break;
    case ViewerKey::actual_size: set_zoom(1.0); break;
    }
    return zoom() != before_zoom || fit_ != before_fit;
}

std::vector<int> PageViewerModel::prefetch() const {
    if (docs_.empty()) return {};
    return prefetch_pages(page(), page_count_known() ? page_count() : std::numeric_limits<int>::max());
}

PageViewerModel::Label PageViewerModel::label() const {
    Label l;
    l.fit_width = fit_;
    l.zoom_percent = static_cast<int>(std::lround(zoom() * 100));
    if (docs_.empty()) return l;
    l.document = current_ + 1;
    l.documents = docs_.size();
    l.pages = page_count();
    l.page = l.pages > 0 ? page() + 1 : 0;
    return l;
}

}  // namespace ow::app
