// A PDF shown one page at a time: the notice at intake step 6, and the seed of issue 18's page
// viewer. Pages are rendered off the UI thread (PdfRenderer: one worker per view, newest request
// first); while a page renders the canvas shows a placeholder and the window keeps drawing. A
// render that finishes after the view moved on (another page, another zoom, other bytes) is
// dropped by its generation.
//
// Keys (on the canvas, which takes the focus on click): PgDn/PgUp (also Space/Backspace), Home/End,
// + and - (zoom), W (fit width), 0 (100 %). Once a page is on screen the worker renders the next
// and the previous page into its cache (prefetch_pages), so paging on is served from there.
// Widget names: "pdf.page" (the canvas), "pdf.label" ("page i / n"; an error message when the
// bytes are not a readable PDF).
#pragma once

#include "common/pdf_pages.h"

#include <wx/event.h>
#include <wx/image.h>
#include <wx/panel.h>

#include <functional>
#include <memory>
#include <string>

class wxStaticText;

namespace ow::app {

class PdfCanvas;

/// The image as a wxImage (copied), e.g. a scan's thumbnail (render_thumbnail) for a list's
/// wxImageList or a wxStaticBitmap.
wxImage to_wx_image(const RgbImage& image);

class PdfView : public wxPanel {
public:
    explicit PdfView(wxWindow* parent, wxWindowID id = wxID_ANY);
    ~PdfView() override;

    /// Shows `bytes` (a PDF, kept in memory only) from its first page, fit to width. `title` names
    /// it (print jobs, the print preview's frame). Bad bytes: the label says why, nothing crashes.
    void set_pdf(std::string bytes, std::string title);
    /// Shows nothing (drops the bytes).
    void clear();
    /// Whether a PDF is set (opened or still opening).
    bool has_pdf() const;
    const std::string& pdf_bytes() const;
    const std::string& title() const;

    /// The page shown (0-based); 0 when none.
    int page() const;
    /// Pages of the open PDF; 0 while opening, after clear() or when the bytes are unreadable.
    int page_count() const;
    /// Goes to page `page` (0-based, clamped). Before the PDF has opened, remembered for then.
    void go_to_page(int page);
    void next_page();
    void previous_page();
    void first_page();
    void last_page();

    /// Zoom: the page's size against 100 % (its paper size on a 96-dpi screen, scaled with the
    /// desktop's DPI); with fit width, the zoom that fits.
    double zoom() const;
    void set_zoom(double zoom);  ///< clamped to 0.25 … 4; leaves fit-width
    void zoom_in();              ///< × 1.25
    void zoom_out();             ///< ÷ 1.25
    /// Fit the page's width to the canvas (the default; follows resizes).
    void fit_width();
    bool fits_width() const;

    /// True while the page asked for is not on screen yet (opening or rendering).
    bool rendering() const;
    /// Called on the UI thread each time a page lands on the canvas (page, 0-based); tests wait on it.
    void on_page_shown(std::function<void(int page)> callback);
    /// Called on the UI thread when the bytes set have been opened: their page count, or 0 when
    /// they cannot be shown.
    void on_opened(std::function<void(int pages)> callback);
    /// Keys on the canvas go to `filter` first; it returns true for the keys it handled (the page
    /// viewer's own keys), and the view's keys above apply to the others.
    void set_key_filter(std::function<bool(wxKeyEvent&)> filter);
    /// Shows or hides the label under the page (a holder with a label of its own hides it).
    void show_label(bool show);
    /// Puts the keyboard focus on the canvas.
    void focus_canvas();
    /// Pages the worker has rendered ahead (the next and previous of a page shown), and pages put
    /// on the canvas straight from its cache (rendered ahead or seen lately), since the view was
    /// made (tests and the bench's counterpart on screen).
    std::size_t pages_rendered_ahead() const;
    std::size_t pages_from_cache() const;

private:
    double points_to_pixels() const;
    int target_width() const;  ///< the page's width in pixels now (0: not known yet)
    void request();            ///< asks the worker for the page at target_width, unless asked already
    void refresh();            ///< after any change: request, placeholder or message, label
    void update_label();

    struct State;
    std::unique_ptr<State> st_;
    PdfCanvas* canvas_ = nullptr;
    wxStaticText* label_ = nullptr;
};

}  // namespace ow::app
