// The chief representative's page viewer (issue 18): a case's materials and notices side by side
// with their pages. Left, a strip of thumbnails, one per document (its first page): a chief
// reviewing 5–15 documents needs to see the whole set and jump to one, while the pages inside a
// document are paged with the keys (the label says how many there are). Right, the page (a
// PdfView: rendered on its worker, the next and previous pages rendered ahead into its cache), and
// a label "材料 3/7 · 第 2/5 页 · 100%".
//
// Keys (on the page and on the strip): PgDn / Space next page, PgUp / Shift+Space / Backspace
// previous page, Home / End, Ctrl+PgDn or ] next document, Ctrl+PgUp or [ previous document, + / -
// zoom, W or Ctrl+0 fit width, 0 100 %; Up / Down on the strip choose a document. Thumbnails are rendered on a worker thread, one after another, and land in the
// strip as they come.
//
// Widget names: "viewer.thumbs" (the strip, a wxListCtrl), "viewer.title" (the shown document's
// title, above the page), "viewer.page" (the PdfView; its canvas is "pdf.page"), "viewer.label".
#pragma once

#include "common/page_viewer_model.h"

#include <wx/panel.h>

#include <functional>
#include <memory>
#include <vector>

class wxListCtrl;
class wxStaticText;
class wxKeyEvent;

namespace ow::app {

class PdfView;

class PageViewer : public wxPanel {
public:
    explicit PageViewer(wxWindow* parent, wxWindowID id = wxID_ANY);
    ~PageViewer() override;

    /// Shows `documents` (kept in memory only) from the first one's first page; their thumbnails
    /// are rendered in the background. An empty list shows nothing. A document that cannot be
    /// read shows why in place of its page (and a blank thumbnail); nothing crashes.
    void set_documents(std::vector<ViewerDocument> documents);
    /// Shows document `i` (0-based) at the page it was left at. Out of range: ignored.
    void show_document(std::size_t i);
    /// Does what a key asks (as the keys above do); also for the screen that holds the viewer.
    void apply(ViewerKey key);

    /// The state: documents, current one, page, zoom.
    const PageViewerModel& model() const;
    /// The label's text as shown.
    wxString label_text() const;
    /// True while the page asked for is not on screen yet.
    bool rendering() const;
    /// Thumbnails rendered so far (tests wait for all of them).
    std::size_t thumbnails_done() const;
    /// Called on the UI thread each time a page lands on screen (document, page; 0-based).
    void on_page_shown(std::function<void(std::size_t document, int page)> callback);
    /// Puts the keyboard focus on the page.
    void focus_page();
    /// The page view (for tests and for printing the shown document).
    PdfView* page_view() const { return page_; }

private:
    bool on_key(wxKeyEvent& e);  ///< the viewer's keys; false: not one of them
    void load_current();         ///< hands the current document to the page view
    void sync_view();            ///< page and zoom from the model to the page view, then the label
    void update_label();
    void start_thumbnails();

    struct State;
    std::unique_ptr<State> st_;
    wxListCtrl* thumbs_ = nullptr;
    wxStaticText* title_ = nullptr;
    PdfView* page_ = nullptr;
    wxStaticText* label_ = nullptr;
};

}  // namespace ow::app
