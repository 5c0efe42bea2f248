// GUI tests of the notice preview and printing (intake step 6; client/app/common/pdf_view.h and
// pdf_print.h): real notices (the notice renderer), PdfView in a frame under Xvfb with X key
// events, the pixels read back from the X server, and a real print job through GTK's file printer
// checked with pdfinfo and pdftotext. Screenshots and the printed file go to
// test-artefacts/gui/intake/.
#include "gui_harness.h"
#include "sample_notices.h"

#include "common/pdf_print.h"
#include "common/pdf_view.h"
#include "shell/screenshot.h"

#include <boost/test/unit_test.hpp>

#include <wx/frame.h>
#include <wx/image.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <regex>
#include <sys/wait.h>

using namespace ow;
using namespace ow::guitest;
using namespace std::chrono_literals;

namespace {

const notices::RenderedNotice& two_page_notice() {
    static const notices::RenderedNotice n = test::sample_notice("one_time_notice", 8);
    return n;
}

std::filesystem::path intake_dir() {
    auto d = artefacts_dir() / "intake";
    std::filesystem::create_directories(d);
    return d;
}

/// The window's on-screen pixels (read from the X server), saved as intake/<name>.png.
wxImage capture(wxWindow* w, const std::string& name) {
    const auto path = intake_dir() / (name + ".png");
    std::string error;
    if (!wait_until([&] { return app::capture_window_png(w, path.string(), error); }, 5s))
        throw GuiFailure("screenshot " + path.string() + ": " + error);
    wxImage img;
    if (!img.LoadFile(wxString(path.string()), wxBITMAP_TYPE_PNG)) throw GuiFailure("cannot read back " + path.string());
    return img;
}

/// Pixels darker than mid-grey (text) in the image.
long dark_pixels(const wxImage& img) {
    long n = 0;
    const unsigned char* p = img.GetData();
    for (long i = 0, end = long(img.GetWidth()) * img.GetHeight(); i < end; ++i, p += 3) n += p[0] + p[1] + p[2] < 3 * 128;
    return n;
}

std::string run(const std::string& command) {
    std::string out;
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    if (!p) return out;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
    return out;
}

/// A frame holding one PdfView, shown; destroyed with the test.
struct ViewFrame {
    wxFrame* frame = new wxFrame(nullptr, wxID_ANY, "PdfView", wxDefaultPosition, wxSize(900, 720));
    app::PdfView* view = new app::PdfView(frame);
    std::vector<int> shown;

    ViewFrame() {
        auto* s = new wxBoxSizer(wxVERTICAL);
        s->Add(view, 1, wxEXPAND);
        frame->SetSizer(s);
        frame->Show();
        view->on_page_shown([this](int page) { shown.push_back(page); });
        if (!wait_until([&] { return on_screen(view); }, 5s)) throw GuiFailure("the preview frame never showed");
        pump_for(200ms);
    }
    ~ViewFrame() { frame->Destroy(); pump_for(100ms); }

    wxWindow* canvas() const { return find_window(frame, "pdf.page"); }
    std::string label() const { return widget<wxStaticText>(frame, "pdf.label")->GetLabel().utf8_string(); }
    /// Waits until `page` (0-based) is on the canvas and nothing is rendering.
    bool wait_page(int page) {
        return wait_until([&] { return !view->rendering() && view->page() == page && !shown.empty() && shown.back() == page; }, 20s);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(desk_gui)

BOOST_AUTO_TEST_CASE(intake_preview_pages) {
    const auto& notice = two_page_notice();
    BOOST_REQUIRE(notice.pages == 2);
    ViewFrame f;

    // set_pdf returns at once: opening and rendering happen on the view's worker.
    const auto t0 = std::chrono::steady_clock::now();
    f.view->set_pdf(notice.pdf, "一次性告知书");
    const auto set_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    BOOST_TEST_MESSAGE("set_pdf returned after " << set_ms << " ms");
    BOOST_TEST(f.view->rendering());
    BOOST_TEST(set_ms < 50.0);

    std::optional<std::chrono::steady_clock::time_point> landed;
    f.view->on_page_shown([&](int page) {
        f.shown.push_back(page);
        if (!landed) landed = std::chrono::steady_clock::now();
    });
    BOOST_REQUIRE(f.wait_page(0));
    // What the clerk waits for (the bench measures the render alone: bench/bench_pdf_pages.cpp).
    const double landed_ms = std::chrono::duration<double, std::milli>(*landed - t0).count();
    BOOST_TEST_MESSAGE("page 1 on the canvas " << landed_ms << " ms after set_pdf (open + render on the worker, CallAfter, bitmap)");
    f.view->on_page_shown([&](int page) { f.shown.push_back(page); });
    BOOST_TEST(f.view->page_count() == 2);
    BOOST_TEST(f.label().find("1 / 2") != std::string::npos, f.label());
    BOOST_TEST(f.view->fits_width());
    const wxImage page1 = capture(f.canvas(), "preview_page1");
    BOOST_TEST(dark_pixels(page1) > 2000);  // the notice's text, on screen

    // PgDn (a real X key event into the canvas) shows page 2.
    xtest_key(f.canvas(), WXK_PAGEDOWN);
    BOOST_REQUIRE(f.wait_page(1));
    BOOST_TEST(f.label().find("2 / 2") != std::string::npos, f.label());
    const wxImage page2 = capture(f.canvas(), "preview_page2");
    BOOST_TEST(dark_pixels(page2) > 500);
    BOOST_TEST((std::vector<unsigned char>(page1.GetData(), page1.GetData() + 3 * page1.GetWidth() * page1.GetHeight()) !=
                std::vector<unsigned char>(page2.GetData(), page2.GetData() + 3 * page2.GetWidth() * page2.GetHeight())));

    // PgDn on the last page stays; Home and End; + zooms, W fits the width again.
    xtest_key(f.canvas(), WXK_PAGEDOWN);
    pump_for(100ms);
    BOOST_TEST(f.view->page() == 1);
    xtest_key(f.canvas(), WXK_HOME);
    BOOST_REQUIRE(f.wait_page(0));
    xtest_key(f.canvas(), WXK_END);
    BOOST_REQUIRE(f.wait_page(1));
    const double fit = f.view->zoom();
    xtest_key(f.canvas(), '+');
    BOOST_REQUIRE(f.wait_page(1));
    BOOST_TEST(!f.view->fits_width());
    BOOST_TEST(std::abs(f.view->zoom() - fit * 1.25) < 1e-6);
    BOOST_TEST(f.label().find("%") != std::string::npos, f.label());
    xtest_key(f.canvas(), 'W');
    BOOST_REQUIRE(f.wait_page(1));
    BOOST_TEST(f.view->fits_width());

    // Paging fast: only the page the clerk stops at lands (stale renders are dropped).
    f.shown.clear();
    for (int i = 0; i < 5; ++i) {
        f.view->first_page();
        f.view->last_page();
    }
    f.view->first_page();
    BOOST_REQUIRE(f.wait_page(0));
    pump_for(300ms);  // any late result would land now
    BOOST_TEST(f.shown.back() == 0);
    BOOST_TEST(f.shown.size() <= 3u);
    capture(f.frame, "preview_pages");

    // Bad bytes: a message, no crash; clear() empties the view.
    f.view->set_pdf(notice.pdf.substr(0, notice.pdf.size() / 2), "cut");
    BOOST_REQUIRE(wait_until([&] { return !f.view->rendering(); }, 10s));
    BOOST_TEST(f.view->page_count() == 0);
    BOOST_TEST(!f.label().empty());
    BOOST_TEST(f.label().find("1 /") == std::string::npos, f.label());
    capture(f.frame, "preview_unreadable");
    f.view->clear();
    BOOST_TEST(!f.view->has_pdf());
    BOOST_TEST(f.label().empty());

    // A scan's thumbnail as the materials step shows it: the same pixels in a wxImage.
    const app::RgbImage thumb = app::render_pdf_thumbnail(notice.pdf, 120, 160);
    const wxImage wx_thumb = app::to_wx_image(thumb);
    BOOST_REQUIRE(wx_thumb.IsOk());
    BOOST_TEST(wx_thumb.GetWidth() == thumb.width);
    BOOST_TEST(wx_thumb.GetHeight() == thumb.height);
    const int mx = thumb.width / 2, my = thumb.height / 3;
    BOOST_TEST(wx_thumb.GetRed(mx, my) == thumb.at(mx, my)[0]);
    BOOST_TEST(wx_thumb.GetBlue(mx, my) == thumb.at(mx, my)[2]);
    BOOST_TEST(!app::to_wx_image(app::RgbImage{}).IsOk());
}

BOOST_AUTO_TEST_CASE(intake_print_to_file) {
    const auto& notice = two_page_notice();
    const auto out = intake_dir() / "printed.pdf";
    std::filesystem::remove(out);
    const auto t0 = std::chrono::steady_clock::now();
    app::print_to_file(notice.pdf, "一次性告知书", out);
    BOOST_TEST_MESSAGE("printed in " << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s");
    BOOST_REQUIRE(std::filesystem::exists(out));
    BOOST_TEST(std::filesystem::file_size(out) > 10000u);
    BOOST_TEST(!std::filesystem::exists(out.string() + ".part.pdf"));
    const std::string info = run("pdfinfo " + out.string());
    BOOST_TEST_MESSAGE(info);
    BOOST_TEST(std::regex_search(info, std::regex(R"(\nPages:\s+2\n)")), info);
    BOOST_TEST(std::regex_search(info, std::regex(R"(Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\))")), info);
    // The pages are images of the notice: rasterise the printed file and find its ink.
    const std::string png = (intake_dir() / "printed-page1").string();
    run("pdftoppm -png -r 40 -f 1 -l 1 -singlefile " + out.string() + " " + png);
    wxImage printed;
    BOOST_REQUIRE(printed.LoadFile(wxString(png + ".png"), wxBITMAP_TYPE_PNG));
    BOOST_TEST(dark_pixels(printed) > 500);
    // …and the printed page lies where the notice's page lies, at its size: both rasterised at
    // 100 dpi, the mean grey of each 8×8 block agrees (a shift of half a millimetre makes ~200 of
    // ~14 600 blocks differ; aligned, ~5 do: the print is the page as an image at 300 dpi).
    const auto original = intake_dir() / "printed-original.pdf";
    std::ofstream(original, std::ios::binary).write(notice.pdf.data(), std::streamsize(notice.pdf.size()));
    const std::string at100 = (intake_dir() / "printed-100dpi").string(), original100 = (intake_dir() / "original-100dpi").string();
    run("pdftoppm -png -r 100 -f 1 -l 1 -singlefile " + out.string() + " " + at100);
    run("pdftoppm -png -r 100 -f 1 -l 1 -singlefile " + original.string() + " " + original100);
    wxImage got, expected;
    BOOST_REQUIRE(got.LoadFile(wxString(at100 + ".png"), wxBITMAP_TYPE_PNG));
    BOOST_REQUIRE(expected.LoadFile(wxString(original100 + ".png"), wxBITMAP_TYPE_PNG));
    BOOST_REQUIRE(expected.GetSize() == got.GetSize());
    auto block_grey = [](const wxImage& img, int bx, int by) {
        long sum = 0;
        for (int y = by; y < by + 8; ++y)
            for (int x = bx; x < bx + 8; ++x) sum += img.GetRed(x, y) + img.GetGreen(x, y) + img.GetBlue(x, y);
        return double(sum) / (3 * 64);
    };
    int blocks = 0, differing = 0;
    for (int by = 0; by + 8 <= got.GetHeight(); by += 8)
        for (int bx = 0; bx + 8 <= got.GetWidth(); bx += 8, ++blocks)
            differing += std::abs(block_grey(got, bx, by) - block_grey(expected, bx, by)) > 32;
    BOOST_TEST_MESSAGE(differing << " of " << blocks << " blocks differ");
    BOOST_TEST(differing < blocks / 200);

    // Bad bytes: a clear error, no file.
    const auto bad = intake_dir() / "bad-print.pdf";
    std::filesystem::remove(bad);
    BOOST_CHECK_EXCEPTION(app::print_to_file("not a pdf", "x", bad), core::Error,
                          [](const core::Error& e) { return e.code() == "pdf.unreadable"; });
    BOOST_TEST(!std::filesystem::exists(bad));
}

BOOST_AUTO_TEST_CASE(intake_print_preview) {
    const auto& notice = two_page_notice();
    wxFrame* parent = new wxFrame(nullptr, wxID_ANY, "parent", wxDefaultPosition, wxSize(400, 300));
    parent->Show();
    wxFrame* preview = app::print_preview(parent, notice.pdf, "一次性告知书");
    BOOST_REQUIRE(preview);
    BOOST_REQUIRE(wait_until([&] { return on_screen(preview); }, 5s));
    pump_for(1500ms);
    const wxImage shot = capture(preview, "print_preview");
    BOOST_TEST(dark_pixels(shot) > 1000);
    preview->Close(true);
    pump_for(200ms);
    parent->Destroy();
    pump_for(100ms);
}

BOOST_AUTO_TEST_SUITE_END()
