// The desk's main window at scale (client/app/cases/cases_presenter.h), GUI-free: what a clerk
// waits for when the desk starts on a big store, switches queues and types a search.
//   bench_desk --dir DIR [--cases N] [--today YYYY-MM-DD] [--rounds R]
// When DIR holds no store, one is made (user "clerk", password "benchmark password", the default
// Argon2id cost) and N cases (default 100,000) are seeded through the acts (workflow::seed_demo
// with `today`, in batches of 1,000 cases per transaction, each batch its own seed and terminal,
// as store_bench does), so every queue holds cases. A later run with the same DIR reuses it.
// Then, in this process (the OS page cache is warm from the seed or an earlier run):
//   kdf          Argon2id unwrapping the store key (KeyFile::unlock), median of 5
//   cold start   Store::open (KDF included) + DeskServices::sign_in (the session: calendar,
//                catalogue, forms, notice templates, workflow) + CasesPresenter (every queue's
//                count) + the first 40 rows of the first queue; reported with and without the KDF
//   queue switch select_queue + the first 40 rows, every queue, R rounds
//   search       search(text) + its first 40 rows: by an ID number, a name prefix (surname +
//                first given character), a phone number, over R random existing cases
//   rss          VmRSS after the cold start and VmHWM at the end (/proc/self/status)
// Prints one JSON object. See docs/benchmarks.md, "Desk: cold start, queue switch and search".
#include "cases/cases_presenter.h"
#include "shell/desk_services.h"

#include "timing.h"

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/forms/definition.h"
#include "ow/store/keys.h"
#include "ow/store/queues.h"
#include "ow/store/store.h"
#include "ow/workflow/demo.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

using namespace ow;
using bench::Clock;
using bench::ms_since;
using bench::percentiles;
using nlohmann::json;

namespace {


/// A line of /proc/self/status in KiB (VmRSS, VmHWM).
long status_kib(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::strlen(key) + 1);
    return -1;
}

/// The first `n` rows of the list (what a list view shows first).
void first_rows(app::CasesPresenter& p, std::int64_t n) {
    for (std::int64_t i = 0; i < std::min(n, p.row_count()); ++i) (void)p.row(i).receipt_no;
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir;
    long cases = 100'000, rounds = 50;
    core::Date today = core::parse_date("2026-12-01");
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
        else if (!std::strcmp(argv[i], "--cases")) cases = std::atol(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--rounds")) rounds = std::atol(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--today")) today = core::parse_date(argv[i + 1]);
    }
    if (dir.empty() || cases <= 0 || rounds <= 0) {
        std::cerr << "usage: bench_desk --dir DIR [--cases N] [--today YYYY-MM-DD] [--rounds R]\n";
        return 2;
    }
    const std::string pw = "benchmark password";
    json out;
    out["today"] = core::format_date(today);

    // ---- seed once ----------------------------------------------------------------------------
    if (!std::filesystem::exists(std::filesystem::path(dir) / store::Store::kDbFile)) {
        std::filesystem::remove_all(dir);
        store::Store::init(dir, "clerk", core::Role::clerk, pw);
        auto s = store::Store::open(dir, "clerk", pw);
        const auto cal = core::WorkCalendar::load_shipped();
        const auto cat = core::Catalogue::load_shipped();
        const auto forms = forms::FormCatalogue::load_shipped();
        auto t0 = Clock::now();
        const long batch = 1000;
        for (long b = 0, done = 0; done < cases; ++b) {
            workflow::SeedOptions o;
            o.cases = int(std::min(batch, cases - done));
            o.seed = std::uint64_t(1000 + b);
            o.terminal.terminal = "T" + std::to_string(b % 1000);  // receipt sequences are per terminal and day
            o.today = today;
            store::Transaction tx(s->db());
            workflow::seed_demo(*s, cat, forms, cal, o);
            tx.commit();
            done += o.cases;
            if (done % 10000 == 0) std::cerr << "seeded " << done << " cases, " << ms_since(t0) / 1000 << " s\n";
        }
        s->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        out["seed"] = {{"cases", cases}, {"seconds", ms_since(t0) / 1000},
                       {"db_bytes", std::filesystem::file_size(std::filesystem::path(dir) / store::Store::kDbFile)}};
    }

    // ---- the KDF alone ------------------------------------------------------------------------
    std::vector<double> kdf;
    for (int i = 0; i < 5; ++i) {
        auto kf = store::KeyFile::load(dir);
        auto t = Clock::now();
        auto key = kf.unlock("clerk", pw);
        kdf.push_back(ms_since(t));
    }
    std::sort(kdf.begin(), kdf.end());
    const double kdf_ms = kdf[2];

    // ---- cold start: open, session, counts, first page -------------------------------------------
    app::DeskConfig config;
    config.store_dir = dir;
    config.start_sync = false;
    config.now = [today] { return core::Instant{today} + std::chrono::hours{6}; };  // 14:00 in China
    const auto t_start = Clock::now();
    auto store = store::Store::open(dir, "clerk", pw);
    const double open_ms = ms_since(t_start);
    auto t = Clock::now();
    app::DeskServices services(config);
    services.sign_in(std::move(store));
    const double session_ms = ms_since(t);
    t = Clock::now();
    app::CasesPresenter presenter(services);
    const double counts_ms = ms_since(t);
    t = Clock::now();
    first_rows(presenter, 40);
    const double page_ms = ms_since(t);
    const double cold_ms = ms_since(t_start);
    const long rss_kib = status_kib("VmRSS:");
    json counts = json::object();
    for (const auto& c : presenter.counts()) counts[std::string(store::to_code(c.queue))] = c.count;
    out["cases_in_store"] = services.store().db().query_int("SELECT count(*) FROM cases");
    out["queue_counts"] = counts;
    out["kdf_ms"] = kdf_ms;
    out["cold_start"] = {{"store_open_ms_with_kdf", open_ms},
                         {"session_ms", session_ms},
                         {"queue_counts_ms", counts_ms},
                         {"first_40_rows_ms", page_ms},
                         {"total_ms", cold_ms},
                         // measured directly: from the open store to 40 rows on screen
                         {"session_counts_rows_ms", session_ms + counts_ms + page_ms},
                         // an estimate (the KDF's time varies by tens of ms between runs)
                         {"total_minus_kdf_ms", cold_ms - kdf_ms}};
    out["rss_after_start_mib"] = double(rss_kib) / 1024.0;

    // ---- queue switch ---------------------------------------------------------------------------
    std::vector<double> switch_ms;
    json per_queue = json::object();
    for (auto q : store::kAllQueues) {
        std::vector<double> v;
        for (long r = 0; r < rounds; ++r) {
            presenter.select_queue(store::kAllQueues[std::size_t(r) % store::kAllQueues.size()]);  // leave it first
            auto t0 = Clock::now();
            presenter.select_queue(q);
            first_rows(presenter, 40);
            v.push_back(ms_since(t0));
        }
        switch_ms.insert(switch_ms.end(), v.begin(), v.end());
        per_queue[std::string(store::to_code(q))] = percentiles(v);
    }
    out["queue_switch_40_rows"] = {{"all", percentiles(switch_ms)}, {"per_queue", per_queue}};

    // ---- search ---------------------------------------------------------------------------------
    std::vector<std::string> docs, names, phones;
    {
        auto& db = services.store().db();
        const auto n = db.query_int("SELECT max(rowid) FROM cases");
        std::mt19937_64 rng(42);
        for (long r = 0; r < rounds; ++r) {
            store::Stmt q(db, "SELECT applicant_doc, applicant_name, applicant_phone FROM cases WHERE rowid >= ? AND applicant_doc <> '' LIMIT 1");
            q.bind(1, std::int64_t(std::uniform_int_distribution<std::int64_t>(1, n)(rng)));
            if (!q.step()) continue;
            docs.push_back(q.text(0));
            std::string name = q.text(1);
            // The first two characters (code points; a surname may lie outside the BMP).
            std::size_t end = 0;
            for (int k = 0; k < 2 && end < name.size(); ++k)
                do ++end;
                while (end < name.size() && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80);
            names.push_back(name.substr(0, end));
            phones.push_back(q.text(2));
        }
    }
    auto time_search = [&](const std::vector<std::string>& texts) {
        std::vector<double> v;
        std::int64_t hits = 0;
        for (const auto& text : texts) {
            auto t0 = Clock::now();
            presenter.search(text);
            first_rows(presenter, 40);
            v.push_back(ms_since(t0));
            hits += presenter.row_count();
        }
        auto j = percentiles(v);
        j["mean_hits"] = texts.empty() ? 0.0 : double(hits) / double(texts.size());
        return j;
    };
    out["search_40_rows"] = {{"id_number", time_search(docs)}, {"name_prefix", time_search(names)}, {"phone", time_search(phones)}};
    out["rss_peak_mib"] = double(status_kib("VmHWM:")) / 1024.0;
    out["rounds"] = rounds;
    std::cout << out.dump(2) << std::endl;
    return 0;
}
