// bench_page_viewer: the chief representative's page viewer (client/app/common/page_viewer.h) on a
// 100-page PDF, through the viewer's own path — PdfRenderer, the worker that opens the document,
// renders the page asked for and then the pages ahead into its cache. Goals (issue 18): page 1 of
// a 100-page PDF ≤ 100 ms, the next page ≤ 50 ms.
//   bench_page_viewer [--runs N=20] [--width PX=900] [--pages N=100] [--pdf FILE.pdf]
// The document: a one-time notice made by the notice renderer with as many missing materials as
// fill --pages pages (Chinese text on every page, embedded Noto CJK subsets), or --pdf FILE. Also a
// scan: the receipt's page as a 300-dpi A4 PNG (2480 × 3508 pixels, made with cairo).
// Per run, timed from the request on the calling thread to the result posted back (the post
// function signals this thread, as CallAfter would wake the desk's):
//   open+page1        open(bytes) + page 1 at --width, with page 2 asked ahead (as PdfView asks)
//   next (prefetched) pages 2 … 11, each asked after the pages ahead of the previous one were
//                     rendered (a reader reads a page longer than the worker takes)
//   next (cold)       the same pages with nothing asked ahead: each rendered on request
//   scan open+page    the PNG scan opened and drawn at --width
//   scan open only    PdfPages over the PNG (its decoding), on this thread
// Prints one JSON object (p50 / p95 / max). See docs/benchmarks.md, "The desk: page viewer".
#include "common/pdf_pages.h"

#include "timing.h"

#include "ow/core/catalog.h"
#include "ow/notices/renderer.h"

#include <cairo.h>
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

namespace fs = std::filesystem;
using namespace ow;
using bench::Clock;
using bench::ms_since;

namespace {

notices::RenderedNotice notice(const std::string& kind, int missing) {
    const notices::NoticeRenderer renderer(notices::TemplateSet::load_directory(fs::path(OW_SOURCE_DIR) / "assets/notices"));
    auto in = notices::read_notice_input(fs::path(OW_SOURCE_DIR) / "tests/data/notices/realistic_case.json");
    const auto catalogue = core::Catalogue::load_directory(fs::path(OW_SOURCE_DIR) / "forms/catalog");
    if (const auto* item = catalogue.item(in.case_data.item_code)) in.item = *item;
    for (int i = 1; i <= missing; ++i) {
        core::ChecklistEntry e;
        e.material_code = "missing" + std::to_string(i);
        e.name = "第" + std::to_string(i) + "项 证明材料（营业执照副本、法定代表人身份证明和授权委托书）";
        e.form = core::MaterialForm::copy;
        e.copies = 1;
        e.status = core::MaterialStatus::missing;
        in.case_data.checklist.entries.push_back(e);
    }
    return renderer.render(kind, in);
}

/// A one-time notice of `pages` pages (about ten missing materials a page; a few tries to hit it).
notices::RenderedNotice notice_of_pages(int pages) {
    int missing = pages * 10 - 10;
    auto n = notice("one_time_notice", missing);
    for (int attempt = 0; attempt < 8 && n.pages != pages; ++attempt) {
        missing = std::max(1, missing + (pages - n.pages) * (std::abs(pages - n.pages) > 1 ? 10 : 3));
        n = notice("one_time_notice", missing);
    }
    return n;
}

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    if (!in) throw std::runtime_error("cannot read " + p.string());
    return s.str();
}

/// The receipt's page as a 300-dpi A4 scan, PNG-encoded by cairo.
std::string png_scan(const std::string& receipt_pdf) {
    app::PdfPages pdf(receipt_pdf, 0);
    const app::RgbImage img = pdf.render_width(0, 2480);
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, img.width, img.height);
    cairo_surface_flush(s);
    unsigned char* data = cairo_image_surface_get_data(s);
    const int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x) {
            const std::uint8_t* p = img.at(x, y);
            const std::uint32_t v = 0xff000000u | (std::uint32_t(p[0]) << 16) | (std::uint32_t(p[1]) << 8) | p[2];
            std::memcpy(data + std::ptrdiff_t(y) * stride + 4 * x, &v, 4);
        }
    cairo_surface_mark_dirty(s);
    std::string out;
    const auto st = cairo_surface_write_to_png_stream(
        s,
        [](void* closure, const unsigned char* d, unsigned int n) {
            static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(d), n);
            return CAIRO_STATUS_SUCCESS;
        },
        &out);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) throw std::runtime_error("cannot encode the PNG scan");
    return out;
}

/// A PdfRenderer whose results are waited for on this thread.
struct Viewer {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<app::PdfRenderer::Rendered> last;
    bool opened_ok = false;
    app::PdfRenderer renderer{[](std::function<void()> f) { f(); },  // on the worker: the result signals at once
                              [this](const app::PdfRenderer::Opened& o) {
                                  std::lock_guard l(mu);
                                  opened_ok = o.ok;
                              },
                              [this](const app::PdfRenderer::Rendered& r) {
                                  std::lock_guard l(mu);
                                  last = r;
                                  cv.notify_all();
                              }};

    /// Asks for `page` at `width` with `ahead`, waits for the result; its time in ms.
    double ask(int page, int width, std::vector<int> ahead, std::optional<std::string> open = std::nullopt) {
        {
            std::lock_guard l(mu);
            last.reset();
        }
        const auto t0 = Clock::now();
        if (open) renderer.open(std::move(*open));
        renderer.request(page, 0, width, std::move(ahead));
        std::unique_lock l(mu);
        cv.wait(l, [&] { return last.has_value(); });
        const double ms = ms_since(t0);
        if (!last->ok || last->page != page || last->image.width != width)
            throw std::runtime_error("page " + std::to_string(page + 1) + " not rendered: " + last->error);
        return ms;
    }
    bool from_cache() {
        std::lock_guard l(mu);
        return last && last->from_cache;
    }
    void wait_ahead(std::size_t n) {
        while (renderer.rendered_ahead() < n) std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
};

constexpr int kNextPages = 10;

}  // namespace

int main(int argc, char** argv) {
    int runs = 20, width = 900, pages = 100;
    std::string pdf_file;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--runs" && i + 1 < argc) runs = std::atoi(argv[++i]);
        else if (a == "--width" && i + 1 < argc) width = std::atoi(argv[++i]);
        else if (a == "--pages" && i + 1 < argc) pages = std::atoi(argv[++i]);
        else if (a == "--pdf" && i + 1 < argc) pdf_file = argv[++i];
        else {
            std::cerr << "usage: bench_page_viewer [--runs N] [--width PX] [--pages N] [--pdf FILE.pdf]\n";
            return 2;
        }
    }
    if (runs <= 0 || width <= 0 || pages <= kNextPages + 1) {
        std::cerr << "bench_page_viewer: --runs and --width must be positive, --pages more than " << kNextPages + 1 << "\n";
        return 2;
    }
    try {
        std::string pdf;
        std::string what;
        if (pdf_file.empty()) {
            const auto n = notice_of_pages(pages);
            pdf = n.pdf;
            what = "one_time_notice (notice renderer)";
        } else {
            pdf = read(pdf_file);
            what = pdf_file;
        }
        const int count = app::PdfPages(pdf, 0).page_count();
        if (count <= kNextPages + 1) throw std::runtime_error("the PDF has too few pages");
        const std::string scan = png_scan(notice("acceptance_receipt", 0).pdf);

        // The process's first page (Poppler's and fontconfig's start-up), apart.
        double first_ms = 0;
        {
            Viewer v;
            first_ms = v.ask(0, width, app::prefetch_pages(0, std::numeric_limits<int>::max()), pdf);
        }
        std::vector<double> open_first, next_ahead, next_cold, scan_open, scan_decode;
        int served_from_cache = 0;
        for (int run = 0; run < runs; ++run) {
            {
                Viewer v;  // a new viewer each run: the document opened afresh
                open_first.push_back(v.ask(0, width, app::prefetch_pages(0, std::numeric_limits<int>::max()), pdf));
                std::size_t ahead = 1;
                v.wait_ahead(ahead);
                for (int p = 1; p <= kNextPages; ++p) {
                    const auto next = app::prefetch_pages(p, count);
                    next_ahead.push_back(v.ask(p, width, next));
                    served_from_cache += v.from_cache();
                    ahead += next.size();
                    v.wait_ahead(ahead);  // the reader reads; the worker renders ahead
                }
            }
            {
                Viewer v;
                v.ask(0, width, {}, pdf);
                for (int p = 1; p <= kNextPages; ++p) next_cold.push_back(v.ask(p, width, {}));
            }
            {
                Viewer v;
                scan_open.push_back(v.ask(0, width, {}, scan));
            }
            {
                const auto t0 = Clock::now();
                app::PdfPages decoded(scan, 0);
                scan_decode.push_back(ms_since(t0));
            }
        }
        nlohmann::json out = {{"runs", runs},
                              {"width_px", width},
                              {"document", what},
                              {"pages", count},
                              {"bytes", pdf.size()},
                              {"scan_png_bytes", scan.size()},
                              {"first_page_in_process_ms", first_ms},
                              {"open_and_page1", bench::percentiles(open_first)},
                              {"next_page_prefetched", bench::percentiles(next_ahead)},
                              {"next_pages_served_from_cache", served_from_cache},
                              {"next_page_cold", bench::percentiles(next_cold)},
                              {"scan_png_open_and_page", bench::percentiles(scan_open)},
                              {"scan_png_open_only", bench::percentiles(scan_decode)}};
        std::cout << out.dump(2) << "\n";
    } catch (const std::exception& e) {
        std::cerr << "bench_page_viewer: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
