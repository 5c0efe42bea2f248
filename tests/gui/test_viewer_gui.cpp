// GUI test of the chief representative's page viewer (client/app/common/page_viewer.h): a case's
// documents — a multi-page one-time notice, a PNG scan, a one-page receipt — driven with X key
// events under Xvfb: pages, documents, zoom, fit width; the label and the pixels read back from the
// X server. Screenshot: test-artefacts/gui/review/viewer.png.
#include "gui_harness.h"
#include "sample_notices.h"

#include "common/page_viewer.h"
#include "common/pdf_view.h"
#include "shell/screenshot.h"

#include <boost/test/unit_test.hpp>

#include <wx/frame.h>
#include <wx/listctrl.h>
#include <wx/mstream.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include <chrono>
#include <regex>

using namespace ow;
using namespace ow::guitest;
using namespace std::chrono_literals;

namespace {

std::filesystem::path review_dir() {
    auto d = artefacts_dir() / "review";
    std::filesystem::create_directories(d);
    return d;
}

wxImage capture(wxWindow* w, const std::string& name) {
    const auto path = review_dir() / (name + ".png");
    std::string error;
    if (!wait_until([&] { return app::capture_window_png(w, path.string(), error); }, 5s))
        throw GuiFailure("screenshot " + path.string() + ": " + error);
    wxImage img;
    if (!img.LoadFile(wxString(path.string()), wxBITMAP_TYPE_PNG)) throw GuiFailure("cannot read back " + path.string());
    return img;
}

long dark_pixels(const wxImage& img) {
    long n = 0;
    const unsigned char* p = img.GetData();
    for (long i = 0, end = long(img.GetWidth()) * img.GetHeight(); i < end; ++i, p += 3) n += p[0] + p[1] + p[2] < 3 * 128;
    return n;
}

bool same_pixels(const wxImage& a, const wxImage& b) {
    return a.GetSize() == b.GetSize() && std::equal(a.GetData(), a.GetData() + 3 * a.GetWidth() * a.GetHeight(), b.GetData());
}

/// A scan as the scanner plugin saves one: the receipt's page as a PNG of 620 pixels' width.
std::string png_scan() {
    app::PdfPages receipt(test::sample_notice("acceptance_receipt").pdf, 0);
    wxImage img = app::to_wx_image(receipt.render_width(0, 620));
    wxMemoryOutputStream out;
    if (!img.SaveFile(out, wxBITMAP_TYPE_PNG)) throw GuiFailure("cannot make the PNG scan");
    std::string bytes(out.GetSize(), '\0');
    out.CopyTo(bytes.data(), bytes.size());
    return bytes;
}

/// The label's figures: document i/n, page p/m (digits only: the label is in zh_CN).
struct Figures {
    int doc = 0, docs = 0, page = 0, pages = 0;
};
Figures figures(const std::string& label) {
    std::smatch m;
    static const std::regex re(R"((\d+)/(\d+)\D+(\d+)/(\d+))");
    if (!std::regex_search(label, m, re)) return {};
    return {std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3]), std::stoi(m[4])};
}

struct ViewerFrame {
    wxFrame* frame = new wxFrame(nullptr, wxID_ANY, "PageViewer", wxDefaultPosition, wxSize(1180, 720));
    app::PageViewer* viewer = new app::PageViewer(frame);
    std::vector<std::pair<std::size_t, int>> shown;

    ViewerFrame() {
        auto* s = new wxBoxSizer(wxVERTICAL);
        s->Add(viewer, 1, wxEXPAND | wxALL, 6);
        frame->SetSizer(s);
        frame->Show();
        viewer->on_page_shown([this](std::size_t d, int p) { shown.emplace_back(d, p); });
        if (!wait_until([&] { return on_screen(viewer); }, 5s)) throw GuiFailure("the viewer's frame never showed");
        pump_for(200ms);
    }
    ~ViewerFrame() {
        frame->Destroy();
        pump_for(100ms);
    }
    wxWindow* canvas() const { return find_window(frame, "pdf.page"); }
    std::string label() const { return widget<wxStaticText>(frame, "viewer.label")->GetLabel().utf8_string(); }
    /// Waits until page `page` of document `doc` is on screen and nothing renders.
    bool wait_shown(std::size_t doc, int page) {
        return wait_until(
            [&] {
                return !viewer->rendering() && viewer->model().current() == doc && viewer->model().page() == page && !shown.empty() &&
                       shown.back() == std::make_pair(doc, page);
            },
            20s);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(review_gui)

BOOST_AUTO_TEST_CASE(viewer_keys) {
    const auto notice = test::sample_notice("one_time_notice", 40);  // three or more pages
    BOOST_REQUIRE(notice.pages >= 3);
    ViewerFrame f;
    f.viewer->set_documents({
        app::ViewerDocument{"一次性告知书", "notice", notice.pdf, ""},
        app::ViewerDocument{"居民身份证（扫描件）", "material", png_scan(), ""},
        app::ViewerDocument{"受理通知书", "notice", test::sample_notice("acceptance_receipt").pdf, "application/pdf"},
    });
    BOOST_REQUIRE(f.wait_shown(0, 0));
    // Thumbnails come from the worker, one per document.
    BOOST_REQUIRE(wait_until([&] { return f.viewer->thumbnails_done() == 3u; }, 20s));
    auto* strip = widget<wxListCtrl>(f.frame, "viewer.thumbs");
    BOOST_TEST(strip->GetItemCount() == 3);
    BOOST_TEST(strip->GetItemState(0, wxLIST_STATE_SELECTED) == wxLIST_STATE_SELECTED);
    Figures l = figures(f.label());
    BOOST_TEST(l.doc == 1, f.label());
    BOOST_TEST(l.docs == 3);
    BOOST_TEST(l.page == 1);
    BOOST_TEST(l.pages == notice.pages);
    BOOST_TEST(f.viewer->model().fits_width());
    const wxImage page1 = capture(f.canvas(), "viewer_page1");
    BOOST_TEST(dark_pixels(page1) > 2000);  // the notice's text

    // PgDn: the next page, rendered ahead while page 1 was read and served from the cache.
    app::PdfView* view = f.viewer->page_view();
    BOOST_REQUIRE(wait_until([&] { return view->pages_rendered_ahead() >= 1u; }, 20s));
    const std::size_t cached_before = view->pages_from_cache();
    xtest_key(f.canvas(), WXK_PAGEDOWN);
    BOOST_REQUIRE(f.wait_shown(0, 1));
    BOOST_TEST(view->pages_from_cache() == cached_before + 1);
    BOOST_TEST(figures(f.label()).page == 2, f.label());
    const wxImage page2 = capture(f.canvas(), "viewer_page2");
    BOOST_TEST(!same_pixels(page1, page2));
    BOOST_TEST(dark_pixels(page2) > 500);
    // Space on, Shift+Space back, End, Home.
    xtest_key(f.canvas(), WXK_SPACE);
    BOOST_REQUIRE(f.wait_shown(0, 2));
    xtest_key(f.canvas(), WXK_SPACE, wxMOD_SHIFT);
    BOOST_REQUIRE(f.wait_shown(0, 1));
    xtest_key(f.canvas(), WXK_END);
    BOOST_REQUIRE(f.wait_shown(0, notice.pages - 1));
    BOOST_TEST(figures(f.label()).page == notice.pages, f.label());
    xtest_key(f.canvas(), WXK_HOME);
    BOOST_REQUIRE(f.wait_shown(0, 0));
    xtest_key(f.canvas(), WXK_PAGEDOWN);
    BOOST_REQUIRE(f.wait_shown(0, 1));

    // ] : the next document, the PNG scan (one page), fit to the width.
    xtest_key(f.canvas(), ']');
    BOOST_REQUIRE(f.wait_shown(1, 0));
    l = figures(f.label());
    BOOST_TEST(l.doc == 2, f.label());
    BOOST_TEST(l.page == 1);
    BOOST_TEST(l.pages == 1);
    BOOST_TEST(strip->GetItemState(1, wxLIST_STATE_SELECTED) == wxLIST_STATE_SELECTED);
    BOOST_TEST(widget<wxStaticText>(f.frame, "viewer.title")->GetLabel().utf8_string() == "居民身份证（扫描件）");
    const wxImage scan = capture(f.canvas(), "viewer_scan");
    BOOST_TEST(!same_pixels(scan, page2));
    BOOST_TEST(dark_pixels(scan) > 1000);
    xtest_key(f.canvas(), WXK_PAGEDOWN);  // a one-page document: stays
    pump_for(100ms);
    BOOST_TEST(f.viewer->model().page() == 0);

    // Ctrl+PgDn to the receipt, Ctrl+PgUp and [ back: the notice again at page 2, where it was left.
    xtest_key(f.canvas(), WXK_PAGEDOWN, wxMOD_CONTROL);
    BOOST_REQUIRE(f.wait_shown(2, 0));
    BOOST_TEST(figures(f.label()).doc == 3, f.label());
    xtest_key(f.canvas(), WXK_PAGEUP, wxMOD_CONTROL);
    BOOST_REQUIRE(f.wait_shown(1, 0));
    xtest_key(f.canvas(), '[');
    BOOST_REQUIRE(f.wait_shown(0, 1));
    BOOST_TEST(figures(f.label()).page == 2, f.label());

    // + zooms in from the fitted zoom (the label gives the percentage); W fits the width again;
    // - then Ctrl+0 does too.
    const std::string fitted_label = f.label();
    const double fitted = f.viewer->page_view()->zoom();
    xtest_key(f.canvas(), '+');
    BOOST_REQUIRE(f.wait_shown(0, 1));
    BOOST_TEST(!f.viewer->model().fits_width());
    BOOST_TEST(std::abs(f.viewer->page_view()->zoom() - fitted * 1.25) < 1e-6);
    BOOST_TEST(f.label() != fitted_label);
    BOOST_TEST(f.label().find(std::to_string(int(std::lround(fitted * 125))) + "%") != std::string::npos, f.label());
    const wxImage zoomed = capture(f.canvas(), "viewer_zoomed");
    BOOST_TEST(!same_pixels(zoomed, page2));
    xtest_key(f.canvas(), 'W');
    BOOST_REQUIRE(f.wait_shown(0, 1));
    BOOST_TEST(f.viewer->model().fits_width());
    BOOST_TEST(f.viewer->page_view()->fits_width());
    BOOST_TEST(f.label() == fitted_label);
    xtest_key(f.canvas(), '-');
    BOOST_REQUIRE(f.wait_shown(0, 1));
    BOOST_TEST(std::abs(f.viewer->page_view()->zoom() - fitted / 1.25) < 1e-6);
    const wxImage smaller = capture(f.canvas(), "viewer_smaller");
    BOOST_TEST(!same_pixels(smaller, zoomed));
    xtest_key(f.canvas(), '0', wxMOD_CONTROL);
    BOOST_REQUIRE(f.wait_shown(0, 1));
    BOOST_TEST(f.viewer->page_view()->fits_width());
    BOOST_TEST(f.viewer->page_view()->zoom() == fitted);
    BOOST_TEST(same_pixels(capture(f.canvas(), "viewer_fit_again"), page2));

    // The strip: Down moves to the next document, and the viewer's keys work there too.
    xtest_key(strip, WXK_DOWN);
    BOOST_REQUIRE(f.wait_shown(1, 0));
    xtest_key(strip, ']');
    BOOST_REQUIRE(f.wait_shown(2, 0));
    xtest_key(strip, WXK_UP);
    BOOST_REQUIRE(f.wait_shown(1, 0));
    xtest_key(strip, WXK_UP);
    BOOST_REQUIRE(f.wait_shown(0, 1));
    f.viewer->focus_page();
    pump_for(300ms);
    capture(f.frame, "viewer");

    // A document that cannot be read: the page says why, the others still show.
    f.viewer->set_documents({app::ViewerDocument{"损坏的文件", "material", notice.pdf.substr(0, 500), ""},
                             app::ViewerDocument{"受理通知书", "notice", test::sample_notice("acceptance_receipt").pdf, ""}});
    BOOST_REQUIRE(wait_until([&] { return f.viewer->model().page_count_known() && !f.viewer->rendering(); }, 20s));
    BOOST_TEST(f.viewer->model().page_count() == 0);
    BOOST_TEST(figures(f.label()).doc == 0, f.label());  // no page figures
    BOOST_TEST(!f.label().empty());
    xtest_key(f.canvas(), ']');
    BOOST_REQUIRE(f.wait_shown(1, 0));
    BOOST_REQUIRE(wait_until([&] { return f.viewer->thumbnails_done() == 2u; }, 20s));
    f.viewer->set_documents({});
    BOOST_TEST(f.viewer->model().empty());
    BOOST_TEST(!f.label().empty());  // "no documents"
}

BOOST_AUTO_TEST_SUITE_END()
