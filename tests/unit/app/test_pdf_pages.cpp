// PdfPages, thumbnails and PdfRenderer on real notices (the notice renderer, as the desk makes
// them) and real image files (pdftoppm writes the PNG and PNM scans): pixels where Poppler says the
// text is, page counts, the LRU cache, bad bytes refused with their codes, and the renderer's
// generations (a stale render is tagged stale; the newest request wins).
#include <boost/test/unit_test.hpp>

#include "common/pdf_pages.h"
#include "fixture.h"
#include "sample_notices.h"

#include "ow/core/error.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>

using namespace ow;
using app::PdfPages;
using app::PdfRenderer;
using app::RgbImage;

namespace {

const std::string& receipt() {  // one page
    static const std::string pdf = test::sample_notice("acceptance_receipt").pdf;
    return pdf;
}
const notices::RenderedNotice& two_pages() {
    static const notices::RenderedNotice n = test::sample_notice("one_time_notice", 8);
    return n;
}

bool dark(const RgbImage& img, int x, int y) {
    const auto* p = img.at(x, y);
    return p[0] + p[1] + p[2] < 3 * 128;
}
int dark_pixels(const RgbImage& img, int x0, int y0, int x1, int y1) {
    int n = 0;
    for (int y = std::max(0, y0); y < std::min(img.height, y1); ++y)
        for (int x = std::max(0, x0); x < std::min(img.width, x1); ++x) n += dark(img, x, y);
    return n;
}

std::string code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const core::Error& e) {
        return e.code();
    }
    return "(no error)";
}

void write(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

int run(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()); }

}  // namespace

BOOST_AUTO_TEST_SUITE(pdf_pages)

BOOST_AUTO_TEST_CASE(a_notice_renders_with_ink_where_its_text_is) {
    PdfPages pdf(receipt());
    BOOST_TEST(pdf.page_count() == 1);
    const auto size = pdf.page_size(0);  // A4
    BOOST_TEST(std::abs(size.width_pt - 595.3) < 1.0);
    BOOST_TEST(std::abs(size.height_pt - 841.9) < 1.0);

    const RgbImage img = pdf.render_width(0, 800);
    BOOST_TEST(img.width == 800);
    BOOST_TEST(std::abs(img.height - 800 * size.height_pt / size.width_pt) <= 1.0);
    BOOST_TEST(img.stride == img.width * 3);
    BOOST_TEST(img.bytes.size() == std::size_t(img.stride) * std::size_t(img.height));

    // Poppler's own text boxes (independent of the rasteriser) say where the receipt's words are:
    // each word of 2 or more characters has ink inside its box, and the page's corner has none.
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(receipt().data(), int(receipt().size())));
    std::unique_ptr<poppler::page> page(doc->create_page(0));
    const double k = img.width / size.width_pt;
    int words = 0, inked = 0;
    for (const auto& box : page->text_list()) {
        const auto u8 = box.text().to_utf8();
        const std::string text(u8.begin(), u8.end());
        if (text.size() < 2) continue;
        const auto r = box.bbox();  // points, top-left origin
        ++words;
        const bool ink = dark_pixels(img, int(r.left() * k), int(r.top() * k), int(r.right() * k) + 1, int(r.bottom() * k) + 1) > 0;
        if (!ink) BOOST_TEST_MESSAGE("no ink: " << text << " " << r.left() << "," << r.top() << " " << r.width() << "x" << r.height());
        inked += ink;
    }
    BOOST_TEST(words > 20);
    BOOST_TEST(inked == words);
    BOOST_TEST(dark_pixels(img, 0, 0, 30, 30) == 0);
    // Not all ink either: a page of text is mostly paper.
    BOOST_TEST(dark_pixels(img, 0, 0, img.width, img.height) < img.width * img.height / 5);
}

BOOST_AUTO_TEST_CASE(a_two_page_notice_has_two_different_pages) {
    const auto& n = two_pages();
    BOOST_REQUIRE(n.pages == 2);  // the renderer's count (as pdfinfo reports it in tests/unit/notices)
    PdfPages pdf(n.pdf);
    BOOST_TEST(pdf.page_count() == 2);
    const RgbImage p1 = pdf.render_width(0, 400), p2 = pdf.render_width(1, 400);
    BOOST_TEST(dark_pixels(p2, 0, 0, p2.width, p2.height) > 100);
    BOOST_TEST((p1.bytes != p2.bytes));
    BOOST_TEST(code_of([&] { pdf.render(2, 1.0); }) == "pdf.no_such_page");
    BOOST_TEST(code_of([&] { pdf.render(-1, 1.0); }) == "pdf.no_such_page");
    BOOST_TEST(code_of([&] { pdf.page_size(2); }) == "pdf.no_such_page");
    BOOST_TEST(code_of([&] { pdf.render(0, 0.0); }) == "pdf.bad_scale");
    BOOST_TEST(code_of([&] { pdf.render(0, 1000.0); }) == "pdf.bad_scale");  // 600 megapixels
    BOOST_TEST(code_of([&] { pdf.render_width(0, 0); }) == "pdf.bad_scale");
}

BOOST_AUTO_TEST_CASE(the_cache_serves_a_page_again_and_forgets_the_least_recent) {
    PdfPages pdf(two_pages().pdf, 2);
    const RgbImage a = pdf.render(0, 0.5);
    BOOST_TEST(pdf.cache_misses() == 1u);
    const RgbImage again = pdf.render(0, 0.5);
    BOOST_TEST(pdf.cache_hits() == 1u);
    BOOST_TEST((again.bytes == a.bytes));
    pdf.render(0, 0.6);  // another scale: another entry
    BOOST_TEST(pdf.cache_misses() == 2u);
    pdf.render(0, 0.5);  // hit; (0, 0.6) is now the least recent
    pdf.render(1, 0.5);  // evicts (0, 0.6)
    BOOST_TEST(pdf.cache_hits() == 2u);
    BOOST_TEST(pdf.cache_misses() == 3u);
    pdf.render(0, 0.5);
    BOOST_TEST(pdf.cache_hits() == 3u);
    pdf.render(0, 0.6);
    BOOST_TEST(pdf.cache_misses() == 4u);

    PdfPages uncached(two_pages().pdf, 0);
    uncached.render(0, 0.5);
    uncached.render(0, 0.5);
    BOOST_TEST(uncached.cache_hits() == 0u);
    BOOST_TEST(uncached.cache_misses() == 2u);
}

BOOST_AUTO_TEST_CASE(bad_bytes_are_refused_with_a_code) {
    BOOST_TEST(code_of([] { PdfPages p(""); }) == "pdf.empty");
    BOOST_TEST(code_of([] { PdfPages p("this is not a PDF at all, just some words"); }) == "pdf.unreadable");
    std::string noise(20000, '\0');
    for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = char((i * 7919u + 13u) % 251u);
    BOOST_TEST(code_of([&] { PdfPages p(noise); }) == "pdf.unreadable");
    BOOST_TEST(code_of([&] { PdfPages p("%PDF-1.7\n" + noise); }) == "pdf.unreadable");
    // Cut anywhere: never a crash, a clear error.
    const std::string& whole = two_pages().pdf;
    for (double at : {0.1, 0.5, 0.9, 0.99}) BOOST_TEST_CONTEXT("cut at " << at) {
        const std::string cut = whole.substr(0, std::size_t(double(whole.size()) * at));
        BOOST_TEST(code_of([&] { PdfPages p(cut); }) == "pdf.unreadable");
    }
}

BOOST_AUTO_TEST_CASE(thumbnails_of_png_pnm_and_pdf_scans) {
    test::TempDir dir;
    const auto pdf = dir.path / "scan.pdf";
    write(pdf, receipt());
    // The scans as the scanner writes them (PNG, PDF) and as scanimage does (PNM, grey and colour).
    BOOST_REQUIRE(run("pdftoppm -png -r 60 -singlefile " + pdf.string() + " " + (dir.path / "scan").string()) == 0);
    BOOST_REQUIRE(run("pdftoppm -r 60 -singlefile " + pdf.string() + " " + (dir.path / "scan").string()) == 0);
    BOOST_REQUIRE(run("pdftoppm -gray -r 60 -singlefile " + pdf.string() + " " + (dir.path / "grey").string()) == 0);
    BOOST_REQUIRE(run("pdftoppm -jpeg -r 60 -singlefile " + pdf.string() + " " + (dir.path / "scan").string()) == 0);
    for (const char* name : {"scan.png", "scan.ppm", "grey.pgm", "scan.pdf"}) BOOST_TEST_CONTEXT(name) {
        const RgbImage t = app::render_thumbnail(dir.path / name, 120, 160);
        BOOST_TEST(t.width <= 120);
        BOOST_TEST(t.height <= 160);
        BOOST_TEST(t.height == 160);  // A4 portrait: the height is the limit
        BOOST_TEST(std::abs(t.width - 160 * 595.3 / 841.9) <= 2.0);
        BOOST_TEST(dark_pixels(t, 0, 0, t.width, t.height) > 0);  // the receipt's title and text
        BOOST_TEST(dark_pixels(t, 0, 0, 5, 5) == 0);               // its margin
    }
    // Never scaled up beyond the scan's own pixels (60 dpi A4: about 496 × 702; the PPM header says).
    int scan_w = 0, scan_h = 0;
    BOOST_REQUIRE(std::sscanf(test::read_file(dir.path / "scan.ppm").c_str(), "P6 %d %d", &scan_w, &scan_h) == 2);
    BOOST_TEST(std::abs(scan_w - 496) <= 1);
    for (const char* name : {"scan.png", "scan.ppm"}) BOOST_TEST_CONTEXT(name) {
        const RgbImage big = app::render_thumbnail(dir.path / name, 2000, 2000);
        BOOST_TEST(big.width == scan_w);
        BOOST_TEST(big.height == scan_h);
    }

    BOOST_TEST(code_of([&] { app::render_thumbnail(dir.path / "scan.jpg", 100, 100); }) == "thumbnail.format");
    BOOST_TEST(code_of([&] { app::render_thumbnail(dir.path / "missing.png", 100, 100); }) == "thumbnail.unreadable");
    BOOST_TEST(code_of([&] { app::render_thumbnail(dir.path / "scan.png", 0, 100); }) == "thumbnail.bad_size");
    const std::string png = test::read_file(dir.path / "scan.png");
    write(dir.path / "cut.png", png.substr(0, png.size() / 2));
    BOOST_TEST(code_of([&] { app::render_thumbnail(dir.path / "cut.png", 100, 100); }) == "thumbnail.unreadable");
    const std::string ppm = test::read_file(dir.path / "scan.ppm");
    write(dir.path / "cut.ppm", ppm.substr(0, ppm.size() / 2));
    BOOST_TEST(code_of([&] { app::render_thumbnail(dir.path / "cut.ppm", 100, 100); }) == "thumbnail.unreadable");
    // Hand-made PNM headers: a comment is read past; absurd sizes and 16-bit samples are refused.
    write(dir.path / "comment.pgm", std::string("P5\n# scanimage\n2 1\n255\n") + std::string("\x00\xff", 2));
    const RgbImage two = app::render_thumbnail(dir.path / "comment.pgm", 10, 10);
    BOOST_TEST(two.width == 2);
    BOOST_TEST(two.height == 1);
    BOOST_TEST(int(two.at(0, 0)[0]) == 0);
    BOOST_TEST(int(two.at(1, 0)[2]) == 255);
    for (const char* header : {"P6\n99999 99999\n255\n", "P6\n4 4\n65535\n", "P6\n0 4\n255\n", "P6\nx 4\n255\n", "P5\n4"})
        BOOST_TEST_CONTEXT(header) {
            write(dir.path / "bad.pnm", std::string(header) + std::string(64, '\x80'));
            BOOST_TEST(code_of([&] { app::render_thumbnail(dir.path / "bad.pnm", 100, 100); }) == "thumbnail.unreadable");
        }
    write(dir.path / "cut.pdf", receipt().substr(0, receipt().size() / 2));
    BOOST_TEST(code_of([&] { app::render_thumbnail(dir.path / "cut.pdf", 100, 100); }) == "pdf.unreadable");
    BOOST_TEST(code_of([&] { app::render_pdf_thumbnail("garbage", 100, 100); }) == "pdf.unreadable");
}

BOOST_AUTO_TEST_CASE(a_png_scan_opens_as_one_page_at_96_dpi) {
    test::TempDir dir;
    const auto pdf = dir.path / "scan.pdf";
    write(pdf, receipt());
    BOOST_REQUIRE(run("pdftoppm -png -r 60 -singlefile " + pdf.string() + " " + (dir.path / "scan").string()) == 0);
    const std::string png = test::read_file(dir.path / "scan.png");
    PdfPages scan(png);
    BOOST_TEST(scan.page_count() == 1);
    BOOST_TEST(scan.bytes() == png);
    // 60 dpi A4 is about 496 × 702 pixels; at 96 dpi that is 372 × 526.5 points.
    const auto size = scan.page_size(0);
    BOOST_TEST(std::abs(size.width_pt - 496 * 0.75) <= 1.0);
    BOOST_TEST(std::abs(size.height_pt / size.width_pt - 841.9 / 595.3) < 0.01);
    // At 96 dpi (4/3 pixels a point) the scan's own pixels, one to one.
    const RgbImage same = scan.render(0, 96.0 / 72.0);
    BOOST_TEST(std::abs(same.width - 496) <= 1);
    const RgbImage narrow = scan.render_width(0, 300);  // fit width: scaled down
    BOOST_TEST(narrow.width == 300);
    BOOST_TEST(std::abs(narrow.height - 300 * size.height_pt / size.width_pt) <= 1.0);
    BOOST_TEST(dark_pixels(narrow, 0, 0, narrow.width, narrow.height) > 0);  // the receipt's text
    BOOST_TEST(dark_pixels(narrow, 0, 0, 5, 5) == 0);                        // its margin
    const RgbImage wide = scan.render_width(0, 900);  // wider than the scan: scaled up, smoothly
    BOOST_TEST(wide.width == 900);
    BOOST_TEST(dark_pixels(wide, 0, 0, wide.width, wide.height) > dark_pixels(narrow, 0, 0, narrow.width, narrow.height));
    // Twice the scan's width: the nearest pixel would make every pair of columns alike.
    const RgbImage twice = scan.render(0, 2 * 96.0 / 72.0);
    BOOST_REQUIRE(twice.width == 2 * same.width);
    int blended = 0;
    for (int y = 0; y < twice.height; ++y)
        for (int x = 0; x + 1 < twice.width; x += 2) blended += std::memcmp(twice.at(x, y), twice.at(x + 1, y), 3) != 0;
    BOOST_TEST(blended > 100);
    scan.render_width(0, 300);
    BOOST_TEST(scan.cache_hits() == 1u);
    BOOST_TEST(code_of([&] { scan.render(1, 1.0); }) == "pdf.no_such_page");
    // A cut PNG is refused with the scan's code; the thumbnail of bytes is as of the file.
    BOOST_TEST(code_of([&] { PdfPages cut(png.substr(0, png.size() / 2)); }) == "thumbnail.unreadable");
    const RgbImage t = app::render_bytes_thumbnail(png, 120, 160);
    BOOST_TEST(t.height == 160);
    BOOST_TEST(dark_pixels(t, 0, 0, t.width, t.height) > 0);
    BOOST_TEST(code_of([&] { app::render_bytes_thumbnail("GIF89a....", 100, 100); }) == "thumbnail.format");
}

BOOST_AUTO_TEST_CASE(the_pages_worth_rendering_ahead) {
    using V = std::vector<int>;
    BOOST_TEST(app::prefetch_pages(0, 5) == V({1}));
    BOOST_TEST(app::prefetch_pages(2, 5) == V({3, 1}));  // the next first: paging on is the usual way
    BOOST_TEST(app::prefetch_pages(4, 5) == V({3}));
    BOOST_TEST(app::prefetch_pages(0, 1) == V());
    BOOST_TEST(app::prefetch_pages(7, 5) == V());
    BOOST_TEST(app::prefetch_pages(-1, 5) == V());
}

// ---------------------------------------------------------------------------------------------
// PdfRenderer: its posts go to a queue this thread runs (the desk's UI thread in miniature).

namespace {

struct UiQueue {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::function<void()>> q;

    PdfRenderer::Post post() {
        return [this](std::function<void()> f) {
            std::lock_guard lock(mu);
            q.push_back(std::move(f));
            cv.notify_all();
        };
    }
    /// Runs posted functions until `done` holds (false after 20 s).
    bool pump_until(const std::function<bool()>& done) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (!done()) {
            std::function<void()> f;
            {
                std::unique_lock lock(mu);
                if (!cv.wait_until(lock, deadline, [&] { return !q.empty(); })) return false;
                f = std::move(q.front());
                q.pop_front();
            }
            f();
        }
        return true;
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(the_renderer_opens_and_renders_on_its_worker) {
    UiQueue ui;
    std::vector<PdfRenderer::Opened> opened;
    std::vector<PdfRenderer::Rendered> rendered;
    const auto ui_thread = std::this_thread::get_id();
    bool off_thread_callback = false;
    PdfRenderer r(
        ui.post(),
        [&](const PdfRenderer::Opened& o) {
            off_thread_callback |= std::this_thread::get_id() != ui_thread;
            opened.push_back(o);
        },
        [&](const PdfRenderer::Rendered& x) {
            off_thread_callback |= std::this_thread::get_id() != ui_thread;
            rendered.push_back(x);
        });
    const auto g = r.open(two_pages().pdf);
    r.request(1, 0, 300);
    BOOST_REQUIRE(ui.pump_until([&] { return !rendered.empty(); }));
    BOOST_TEST(!off_thread_callback);
    BOOST_REQUIRE(opened.size() == 1u);
    BOOST_TEST(opened[0].generation == g);
    BOOST_TEST(opened[0].ok);
    BOOST_TEST(opened[0].pages.size() == 2u);
    BOOST_TEST(rendered[0].generation == g);
    BOOST_TEST(rendered[0].ok);
    BOOST_TEST(rendered[0].page == 1);
    BOOST_TEST(rendered[0].image.width == 300);
    BOOST_TEST(dark_pixels(rendered[0].image, 0, 0, 300, rendered[0].image.height) > 0);

    r.request(5, 1.0);  // out of range: an answer, not a crash
    BOOST_REQUIRE(ui.pump_until([&] { return rendered.size() == 2u; }));
    BOOST_TEST(!rendered[1].ok);
    BOOST_TEST(rendered[1].error_code == "pdf.no_such_page");
}

BOOST_AUTO_TEST_CASE(the_renderer_reports_bad_bytes) {
    UiQueue ui;
    std::vector<PdfRenderer::Opened> opened;
    std::vector<PdfRenderer::Rendered> rendered;
    PdfRenderer r(
        ui.post(), [&](const PdfRenderer::Opened& o) { opened.push_back(o); },
        [&](const PdfRenderer::Rendered& x) { rendered.push_back(x); });
    r.open(receipt().substr(0, receipt().size() / 3));
    r.request(0, 1.0);
    BOOST_REQUIRE(ui.pump_until([&] { return !rendered.empty(); }));
    BOOST_REQUIRE(opened.size() == 1u);
    BOOST_TEST(!opened[0].ok);
    BOOST_TEST(opened[0].error_code == "pdf.unreadable");
    BOOST_TEST(!rendered[0].ok);
}

BOOST_AUTO_TEST_CASE(the_newest_request_and_generation_win) {
    UiQueue ui;
    std::vector<PdfRenderer::Opened> opened;
    std::vector<PdfRenderer::Rendered> rendered;
    PdfRenderer r(
        ui.post(), [&](const PdfRenderer::Opened& o) { opened.push_back(o); },
        [&](const PdfRenderer::Rendered& x) { rendered.push_back(x); });
    const auto first = r.open(receipt());
    for (int i = 0; i < 30; ++i) r.request(0, 0.5 + i * 0.05);  // paging fast: only the last counts
    const auto second = r.open(two_pages().pdf);
    BOOST_TEST(second > first);
    BOOST_TEST(r.generation() == second);
    for (int i = 0; i < 30; ++i) r.request(i % 2, 0.5 + i * 0.01);
    BOOST_REQUIRE(ui.pump_until([&] { return !rendered.empty() && rendered.back().generation == second; }));
    // What came from the first document is tagged with its generation (the caller drops it) and
    // was at most a render or two; the second document's page is the last one asked for.
    for (const auto& x : rendered)
        if (x.generation == first) BOOST_TEST(x.image.width > 0);
    BOOST_TEST(rendered.size() <= 3u);
    BOOST_TEST(rendered.back().page == 1);
    BOOST_TEST(rendered.back().scale == 0.5 + 29 * 0.01);
    BOOST_TEST(opened.back().generation == second);
    BOOST_TEST(opened.back().pages.size() == 2u);

    r.close();
    r.request(0, 1.0);  // no document: an error answer
    BOOST_REQUIRE(ui.pump_until([&] { return rendered.back().generation == r.generation(); }));
    BOOST_TEST(!rendered.back().ok);
}

BOOST_AUTO_TEST_CASE(the_renderer_renders_pages_ahead_into_the_cache) {
    UiQueue ui;
    std::vector<PdfRenderer::Rendered> rendered;
    PdfRenderer r(
        ui.post(), [](const PdfRenderer::Opened&) {}, [&](const PdfRenderer::Rendered& x) { rendered.push_back(x); });
    const auto waited_for_ahead = [&](std::size_t n) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (r.rendered_ahead() < n && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return r.rendered_ahead() >= n;
    };
    r.open(two_pages().pdf);
    r.request(0, 0, 400, app::prefetch_pages(0, 1000));  // the count unknown yet: page 2 ahead
    BOOST_REQUIRE(ui.pump_until([&] { return rendered.size() == 1u; }));
    BOOST_TEST(!rendered[0].from_cache);
    BOOST_REQUIRE(waited_for_ahead(1));
    // The next page: from the cache, the same pixels as rendered cold.
    r.request(1, 0, 400, app::prefetch_pages(1, 2));
    BOOST_REQUIRE(ui.pump_until([&] { return rendered.size() == 2u; }));
    BOOST_TEST(rendered[1].ok);
    BOOST_TEST(rendered[1].from_cache);
    BOOST_TEST(rendered[1].page == 1);
    PdfPages cold(two_pages().pdf, 0);
    BOOST_TEST((rendered[1].image.bytes == cold.render_width(1, 400).bytes));
    // Page 1 of 2 has only page 0 around it (cached already: served by a hit).
    BOOST_REQUIRE(waited_for_ahead(2));
    r.request(0, 0, 400);
    BOOST_REQUIRE(ui.pump_until([&] { return rendered.size() == 3u; }));
    BOOST_TEST(rendered[2].from_cache);
    // Another width: rendered again (and nothing ahead was asked).
    r.request(1, 0, 300);
    BOOST_REQUIRE(ui.pump_until([&] { return rendered.size() == 4u; }));
    BOOST_TEST(!rendered[3].from_cache);
    BOOST_TEST(rendered[3].image.width == 300);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    BOOST_TEST(r.rendered_ahead() == 2u);
}

BOOST_AUTO_TEST_CASE(the_renderer_stops_with_work_pending) {
    UiQueue ui;
    int results = 0;
    {
        PdfRenderer r(
            ui.post(), [&](const PdfRenderer::Opened&) { ++results; }, [&](const PdfRenderer::Rendered&) { ++results; });
        r.open(two_pages().pdf);
        r.request(0, 3.0);
    }  // joins: a render in progress finishes, nothing runs after
    const std::size_t posted = ui.q.size();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    BOOST_TEST(ui.q.size() == posted);
    BOOST_TEST(posted <= 2u);
    BOOST_TEST(results == 0);  // posted functions are the caller's to run (or to drop)
}

BOOST_AUTO_TEST_SUITE_END()
