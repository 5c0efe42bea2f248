// bench_seal: in-process timings of ow_seal and of a poppler-cpp preview render.
// usage: bench_seal IN.pdf DEMO_DIR [RUNS] [NOTICE.pdf]
//   IN.pdf    a (100-page) PDF; DEMO_DIR a `seal demo` folder; NOTICE.pdf a one-page PDF holding the
//   anchor text （盖章） (the desk seals a notice by its anchor). Prints one line per measure.
#include "ow/seal/seal.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_seal IN.pdf DEMO_DIR [RUNS] [NOTICE.pdf]\n");
        return 2;
    }
    const fs::path in = argv[1], demo = argv[2];
    const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
    const fs::path tmp = fs::temp_directory_path() / "ow-bench-seal";
    fs::create_directories(tmp);
    poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);

    auto t = Clock::now();
    const auto key = ow::seal::SigningKey::from_pkcs12(demo / "seal.p12", demo / "seal.pin");
    std::printf("open PKCS#12: %.1f ms\n", ms_since(t));

    ow::seal::StampOptions opt;
    opt.image = demo / "seal.png";
    opt.placement.rect = ow::seal::Rect{400, 60, 120, 120};
    // The first stamp in the process prepares the artwork (no cache folder: decoded and deflated
    // here); the next ones take it from memory, as the desk does from its second seal on.
    t = Clock::now();
    ow::seal::stamp(in, tmp / "one.pdf", key, opt);
    std::printf("stamp, first in the process (artwork prepared, median of 1): %.1f ms\n", ms_since(t));
    std::vector<double> stamps;
    std::uintmax_t growth = 0;
    for (int i = 0; i < runs; ++i) {
        t = Clock::now();
        ow::seal::stamp(in, tmp / "one.pdf", key, opt);
        stamps.push_back(ms_since(t));
        growth = fs::file_size(tmp / "one.pdf") - fs::file_size(in);
    }
    std::printf("stamp (in process, artwork kept, median of %d): %.1f ms; growth %ju bytes\n", runs, median(stamps), growth);
    if (argc > 4) {
        const fs::path notice = argv[4];
        ow::seal::StampOptions by_anchor = opt;
        by_anchor.placement = {};
        by_anchor.placement.anchor = "（盖章）";
        std::vector<double> anchored;
        for (int i = 0; i < runs; ++i) {
            t = Clock::now();
            ow::seal::stamp(notice, tmp / "notice.pdf", key, by_anchor);
            anchored.push_back(ms_since(t));
        }
        std::printf("stamp a one-page notice at its anchor text (in process, as the desk does, median of %d): %.1f ms\n", runs,
                    median(anchored));
    }

    fs::path cur = in;
    for (int i = 1; i <= 3; ++i) {
        const fs::path next = tmp / ("three-" + std::to_string(i) + ".pdf");
        opt.placement.rect = ow::seal::Rect{60.0 + 150 * (i - 1), 60, 120, 120};
        ow::seal::stamp(cur, next, key, opt);
        cur = next;
    }
    std::vector<double> verifies;
    bool ok = true;
    for (int i = 0; i < runs; ++i) {
        t = Clock::now();
        ok = ow::seal::verify(cur).ok() && ok;
        verifies.push_back(ms_since(t));
    }
    std::printf("verify 3 seals (in process, median of %d): %.1f ms (%s)\n", runs, median(verifies), ok ? "valid" : "INVALID");

    std::vector<double> renders;
    for (int i = 0; i < runs; ++i) {
        t = Clock::now();
        std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(cur.string()));
        std::unique_ptr<poppler::page> page(doc->create_page(0));
        poppler::page_renderer renderer;
        renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
        renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
        const poppler::image img = renderer.render_page(page.get(), 96, 96);
        renders.push_back(ms_since(t));
        if (!img.is_valid()) ok = false;
    }
    std::printf("render page 1 at 96 dpi with poppler-cpp (open + render, median of %d): %.1f ms\n", runs,
                median(renders));
    fs::remove_all(tmp);
    return ok ? 0 : 1;
}
