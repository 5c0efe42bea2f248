// bench_notices: how long rendering a notice takes.
//   1. a one-page acceptance receipt (受理回执) — goal ≤ 50 ms, so printing never makes the
//      applicant wait;
//   2. a ten-page one-time notice (一次性告知书) — enough missing materials for 10 pages.
// Prints the start-up cost (NoticeRenderer::warm_up: fontconfig and the CJK faces), then per case
// the first render after it and min / median / max of the following runs. Usage: bench_notices [RUNS=20] [OUT_DIR] (OUT_DIR: also write the PDFs).
#include "ow/core/catalog.h"
#include "ow/notices/renderer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <time.h>

namespace fs = std::filesystem;
using namespace ow;

namespace {

notices::NoticeInput base_input() {
    auto in = notices::read_notice_input(fs::path(OW_SOURCE_DIR) / "tests/data/notices/realistic_case.json");
    auto catalogue = core::Catalogue::load_directory(fs::path(OW_SOURCE_DIR) / "forms/catalog");
    if (const auto* item = catalogue.item(in.case_data.item_code)) in.item = *item;
    return in;
}

notices::NoticeInput with_missing(int n) {
    auto in = base_input();
    in.case_data.checklist.entries.clear();
    for (int i = 1; i <= n; ++i) {
        core::ChecklistEntry e;
        e.material_code = "m" + std::to_string(i);
        e.name = "第" + std::to_string(i) + "项 经营场所使用证明（房屋产权证明或者租赁合同）";
        e.form = core::MaterialForm::copy;
        e.copies = 1;
        e.status = i % 2 ? core::MaterialStatus::missing : core::MaterialStatus::defective;
        e.note = i % 2 ? "" : "租赁合同未载明房屋用途，复印件未由出租人签字确认";
        in.case_data.checklist.entries.push_back(e);
    }
    return in;
}

struct Timing {
    double first_ms = 0, min_ms = 0, median_ms = 0, max_ms = 0;
    double cpu_median_ms = 0;  // CPU time of this thread: less sensitive to other load
    int pages = 0;
};

double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

Timing time_it(const notices::NoticeRenderer& r, const std::string& kind, const notices::NoticeInput& in, int runs,
               const fs::path& out) {
    using clock = std::chrono::steady_clock;
    std::vector<double> ms, cpu;
    Timing t;
    for (int i = 0; i <= runs; ++i) {
        auto start = clock::now();
        double cpu_start = thread_cpu_ms();
        auto result = r.render(kind, in);
        double elapsed = std::chrono::duration<double, std::milli>(clock::now() - start).count();
        if (i > 0) cpu.push_back(thread_cpu_ms() - cpu_start);
        if (i == 0) {
            t.first_ms = elapsed;
            t.pages = result.pages;
            if (!out.empty()) notices::write_file_atomically(out / (kind + ".pdf"), result.pdf);
        } else {
            ms.push_back(elapsed);
        }
    }
    std::sort(ms.begin(), ms.end());
    t.min_ms = ms.front();
    t.max_ms = ms.back();
    t.median_ms = ms[ms.size() / 2];
    std::sort(cpu.begin(), cpu.end());
    t.cpu_median_ms = cpu[cpu.size() / 2];
    return t;
}

void print(const char* what, const Timing& t) {
    std::printf("%-34s pages %2d  first %6.1f ms  min %6.1f ms  median %6.1f ms  max %6.1f ms  (CPU median %6.1f ms)\n",
                what, t.pages, t.first_ms, t.min_ms, t.median_ms, t.max_ms, t.cpu_median_ms);
}

}  // namespace

int main(int argc, char** argv) {
    int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
    fs::path out = argc > 2 ? fs::path(argv[2]) : fs::path();
    try {
        notices::NoticeRenderer renderer(notices::TemplateSet::load_directory(fs::path(OW_SOURCE_DIR) / "assets/notices"));
        auto start = std::chrono::steady_clock::now();
        renderer.warm_up();
        double warm_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        std::printf("warm_up (fontconfig, Noto CJK faces; once per process): %.1f ms\n", warm_ms);
        auto receipt = time_it(renderer, "acceptance_receipt", base_input(), runs, out);
        // Find the number of missing materials that makes the one-time notice ten pages long.
        int n = 10;
        while (renderer.render("one_time_notice", with_missing(n)).pages < 10) n += 5;
        while (n > 1 && renderer.render("one_time_notice", with_missing(n - 1)).pages >= 10) --n;
        auto notice = time_it(renderer, "one_time_notice", with_missing(n), runs, out);
        std::printf("runs: %d after the first; one-time notice with %d missing materials\n", runs, n);
        print("acceptance_receipt (受理回执)", receipt);
        print("one_time_notice (一次性告知书)", notice);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_notices: %s\n", e.what());
        return 2;
    }
}
