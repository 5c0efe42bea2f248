// bench_pdf_pages: the notice preview's first page (client/app/common/pdf_pages.h) — what the
// clerk waits for between the notice being rendered and its first page on screen. Goal (issue 17):
// preview of page 1 ≤ 100 ms.
//   bench_pdf_pages [--runs N=50] [--width PX=880] [--hundred FILE.pdf]
// Documents: a one-page acceptance receipt, a two-page and a ~100-page one-time notice (the notice
// renderer, the realistic case of tests/data/notices with 8 and 1,000 missing materials), and a
// 100-page PDF (--hundred, or made as bench/run_seal_bench.py makes one: tests/data/seal/gs.pdf
// fifty times, joined by `qpdf`).
// Per document, N runs each of:
//   open           PdfPages from the bytes alone (every page's size is read)
//   open+page1     PdfPages from the bytes in memory + page 1 rendered at --width pixels (the
//                  preview's canvas width), as the view's worker does for a new notice
//   next page      page 2 of the open document, not cached (paging)
//   cached page    page 1 again (the LRU cache)
// and the first open+page1 of the process apart (Poppler's and fontconfig's start-up).
// Prints one JSON object (p50 / p95 / max per measure). See docs/benchmarks.md, "The desk: page preview".
#include "common/pdf_pages.h"

#include "timing.h"

#include "ow/core/catalog.h"
#include "ow/notices/renderer.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <unistd.h>

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

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    if (!in) throw std::runtime_error("cannot read " + p.string());
    return s.str();
}

/// 100 pages: the Ghostscript fixture (2 pages) fifty times, as bench/run_seal_bench.py does.
std::string hundred_pages() {
    const fs::path out = fs::temp_directory_path() / ("bench-pdf-pages-" + std::to_string(::getpid()) + ".pdf");
    const std::string gs = (fs::path(OW_SOURCE_DIR) / "tests/data/seal/gs.pdf").string();
    std::string cmd = "qpdf --empty --pages";
    for (int i = 0; i < 50; ++i) cmd += " '" + gs + "'";
    cmd += " -- '" + out.string() + "'";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("qpdf failed (is qpdf installed?): " + cmd);
    std::string bytes = read(out);
    fs::remove(out);
    return bytes;
}

nlohmann::json measure(const std::string& name, const std::string& bytes, int runs, int width) {
    std::vector<double> open_only, open_first, next_page, cached;
    int pages = 0;
    for (int i = 0; i < runs; ++i) {
        auto t0 = Clock::now();
        { app::PdfPages opened(bytes); }
        open_only.push_back(ms_since(t0));
        t0 = Clock::now();
        app::PdfPages pdf(bytes);
        const auto img = pdf.render_width(0, width);
        open_first.push_back(ms_since(t0));
        pages = pdf.page_count();
        if (img.width != width) throw std::runtime_error("unexpected width");
        if (pages > 1) {
            t0 = Clock::now();
            pdf.render_width(1, width);
            next_page.push_back(ms_since(t0));
        }
        t0 = Clock::now();
        pdf.render_width(0, width);
        cached.push_back(ms_since(t0));
        if (pdf.cache_hits() != 1) throw std::runtime_error("the cache missed");
    }
    nlohmann::json j = {{"document", name}, {"bytes", bytes.size()}, {"pages", pages}, {"open", bench::percentiles(open_only)},
                        {"open_and_page1", bench::percentiles(open_first)},
                        {"cached_page1", bench::percentiles(cached)}};
    if (!next_page.empty()) j["page2"] = bench::percentiles(next_page);
    return j;
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 50, width = 880;
    std::string hundred_file;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--runs" && i + 1 < argc) runs = std::atoi(argv[++i]);
        else if (a == "--width" && i + 1 < argc) width = std::atoi(argv[++i]);
        else if (a == "--hundred" && i + 1 < argc) hundred_file = argv[++i];
        else {
            std::cerr << "usage: bench_pdf_pages [--runs N] [--width PX] [--hundred FILE.pdf]\n";
            return 2;
        }
    }
    if (runs <= 0 || width <= 0) {
        std::cerr << "bench_pdf_pages: --runs and --width must be positive\n";
        return 2;
    }
    try {
        const auto receipt = notice("acceptance_receipt", 0);
        const auto two = notice("one_time_notice", 8);
        const auto long_notice = notice("one_time_notice", 1000);  // about a hundred pages
        const std::string hundred = hundred_file.empty() ? hundred_pages() : read(hundred_file);

        // The process's first preview: Poppler's global state and fontconfig start here.
        const auto t0 = Clock::now();
        app::PdfPages first(receipt.pdf);
        first.render_width(0, width);
        const double first_ms = ms_since(t0);

        nlohmann::json out = {{"runs", runs}, {"width_px", width}, {"first_preview_in_process_ms", first_ms}};
        out["documents"] = nlohmann::json::array({measure("acceptance_receipt (1 page)", receipt.pdf, runs, width),
                                                  measure("one_time_notice (2 pages)", two.pdf, runs, width),
                                                  measure("one_time_notice (" + std::to_string(long_notice.pages) + " pages)", long_notice.pdf, runs, width),
                                                  measure("100 pages (gs.pdf x 50, qpdf)", hundred, runs, width)});
        std::cout << out.dump(2) << "\n";
    } catch (const std::exception& e) {
        std::cerr << "bench_pdf_pages: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
