// The chief representative's page viewer, without wx: a case's documents (its materials' scans and
// its notices), which one is shown and at which page, the zoom, what to render ahead, and the
// label's figures. The wx view (common/page_viewer.h) keeps one of these and draws what it says;
// a test drives it without a display.
//
// A document is a PDF or a PNG scan (one page). Page counts are learnt when the view has opened a
// document (set_page_count); until then a document counts as one page.
#pragma once

#include "common/pdf_pages.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ow::app {

/// One document of a case, as the viewer shows it.
struct ViewerDocument {
    std::string title;  ///< under its thumbnail and in the label's tooltip, e.g. "居民身份证（复印件）"
    std::string kind;   ///< the caller's word for it ("material", "notice", …); shown nowhere, kept for the caller
    std::string bytes;  ///< the PDF or the PNG (kept in memory only, never written)
    std::string mime;   ///< "application/pdf" or "image/png"; empty: told from the bytes (sniff_mime)
};

inline constexpr std::string_view kMimePdf = "application/pdf";
inline constexpr std::string_view kMimePng = "image/png";

/// "application/pdf" (a "%PDF-" header in the first KiB), "image/png" (the PNG signature) or ""
/// (neither) from a document's first bytes.
std::string sniff_mime(std::string_view bytes);

/// What a key asks the viewer to do (the view maps its key codes to these).
enum class ViewerKey {
    next_page,          ///< PgDn, Space
    previous_page,      ///< PgUp, Shift+Space
    first_page,         ///< Home
    last_page,          ///< End
    next_document,      ///< Ctrl+PgDn, ]
    previous_document,  ///< Ctrl+PgUp, [
    zoom_in,            ///< +
    zoom_out,           ///< -
    fit_width,          ///< W, Ctrl+0
    actual_size,        ///< 0: 100 %
};

class PageViewerModel {
public:
    static constexpr double kMinZoom = 0.25, kMaxZoom = 4.0, kZoomStep = 1.25;

    /// Replaces the documents; shows the first at its first page. Zoom and fit width are kept (the
    /// reader's choice, not the document's). Documents whose mime is empty get sniff_mime's.
    void set_documents(std::vector<ViewerDocument> documents);
    bool empty() const { return docs_.empty(); }
    std::size_t document_count() const { return docs_.size(); }
    /// Document `i`. Throws std::out_of_range when there is no such document.
    const ViewerDocument& document(std::size_t i) const { return docs_.at(i).doc; }
    /// The document shown (0-based; 0 when there is none).
    std::size_t current() const { return current_; }

    /// Shows document `i` at the page it was left at (its first page the first time). False (and
    /// nothing changes) when `i` is out of range or already shown.
    bool show_document(std::size_t i);
    bool next_document();      ///< false at the last document
    bool previous_document();  ///< false at the first

    /// The view opened document `doc` and found `pages` pages (0: it could not be read). The page
    /// remembered for it is clamped. Out-of-range `doc` is ignored.
    void set_page_count(std::size_t doc, int pages);
    /// Pages of the document shown: as set_page_count said; 1 until then (and for a PNG); 0 when
    /// the document could not be read or there is none.
    int page_count() const;
    /// Whether the shown document's page count is known (set_page_count called for it).
    bool page_count_known() const;
    /// The page shown (0-based).
    int page() const;
    /// Goes to page `page` of the shown document (clamped once the count is known). False when
    /// the page does not change.
    bool go_to_page(int page);
    bool next_page();
    bool previous_page();
    bool first_page();
    bool last_page();  ///< needs the page count (false until it is known)

    /// The zoom: the page against its paper size on a 96-dpi screen (1.0 = 100 %). With fit width,
    /// the zoom the view last reported fitting (set_fitted_zoom), 1.0 before it did.
    double zoom() const;
    bool fits_width() const { return fit_; }
    void set_zoom(double zoom);  ///< clamped to kMinZoom … kMaxZoom; leaves fit width
    void zoom_in();              ///< × kZoomStep from the zoom shown (also from fit width)
    void zoom_out();             ///< ÷ kZoomStep
    void fit_width();            ///< the page's width fills the view (follows resizes)
    /// With fit width: the zoom it comes to at the view's present width (for the label, and as the
    /// start of zoom_in / zoom_out). Ignored when not positive.
    void set_fitted_zoom(double zoom);

    /// Does what `key` asks; true when something changed (document, page or zoom).
    bool apply(ViewerKey key);

    /// The pages of the shown document to render ahead (prefetch_pages of its page and count; the
    /// next page while the count is not known).
    std::vector<int> prefetch() const;

    /// The label's figures: "材料 3/7 · 第 2/5 页 · 100%" (1-based; all 0 when there are no documents).
    struct Label {
        std::size_t document = 0, documents = 0;
        int page = 0, pages = 0;
        int zoom_percent = 100;
        bool fit_width = true;
    };
    Label label() const;

private:
    struct Entry {
        ViewerDocument doc;
        int pages = -1;  // -1: not known yet
        int page = 0;    // where the reader left it
    };
    std::vector<Entry> docs_;
    std::size_t current_ = 0;
    bool fit_ = true;
    double zoom_ = 1.0, fitted_ = 1.0;
};

}  // namespace ow::app
