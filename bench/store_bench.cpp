// Store benchmark: seeding (time, file size), search latency (p50/p95 by ID number, name prefix
// and receipt number) and unlock time. Built twice from this file: `store_bench` on SQLCipher and
// `store_bench_plain` on plain SQLite with the same schema and code path, so one run compares them.
//   store_bench --dir DIR --cases N [--queries Q] [--batch B]
// Prints one JSON object. Seeding goes through CaseStore (every event its own commit object);
// B cases share one outer transaction (savepoints inside), as a bulk import would.
#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/forms/definition.h"
#include "ow/store/cases.h"
#include "ow/store/db.h"
#include "ow/store/store.h"
#include "ow/workflow/demo.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <vector>

using namespace ow;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

nlohmann::json percentiles(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto at = [&](double p) { return v.empty() ? 0.0 : v[std::min(v.size() - 1, std::size_t(p * double(v.size())))]; };
    return {{"n", v.size()}, {"p50_ms", at(0.50)}, {"p95_ms", at(0.95)}, {"max_ms", v.empty() ? 0.0 : v.back()}};
}

std::string first_character(const std::string& s) {
    if (s.empty()) return s;
    auto lead = static_cast<unsigned char>(s[0]);
    std::size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    return s.substr(0, n);
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir;
    long cases = 10000, queries = 1000, batch = 1000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
        else if (!std::strcmp(argv[i], "--cases")) cases = std::atol(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--queries")) queries = std::atol(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--batch")) batch = std::atol(argv[i + 1]);
    }
    if (dir.empty() || cases <= 0 || batch <= 0) {
        std::cerr << "usage: store_bench --dir DIR --cases N [--queries Q] [--batch B]\n";
        return 2;
    }
    std::filesystem::remove_all(dir);
    const std::string pw = "benchmark password";
    auto cal = core::WorkCalendar::load_shipped();
    auto cat = core::Catalogue::load_shipped();
    auto forms = forms::FormCatalogue::load_shipped();
    nlohmann::json out;
#ifdef OW_STORE_PLAIN_SQLITE_BENCH_ONLY
    out["engine"] = "sqlite (plain, unencrypted)";
#else
    out["engine"] = "sqlcipher";
#endif
    store::Store::init(dir, "clerk", core::Role::clerk, pw);

    // Unlock: Argon2id with the default parameters + opening the database.
    std::vector<double> unlock;
    for (int i = 0; i < 5; ++i) {
        auto t0 = Clock::now();
        auto s = store::Store::open(dir, "clerk", pw);
        unlock.push_back(ms_since(t0));
    }
    out["unlock"] = percentiles(unlock);

    auto s = store::Store::open(dir, "clerk", pw);
    auto t0 = Clock::now();
    long done = 0;
    for (long b = 0; done < cases; ++b) {
        workflow::SeedOptions o;
        o.cases = int(std::min(batch, cases - done));
        o.seed = std::uint64_t(1000 + b);
        o.terminal.terminal = "T" + std::to_string(b % 1000);  // sequences are per terminal and day
        store::Transaction tx(s->db());
        workflow::seed_demo(*s, cat, forms, cal, o);
        tx.commit();
        done += o.cases;
        if (done % 50000 == 0) std::cerr << "seeded " << done << " cases, " << ms_since(t0) / 1000 << " s\n";
    }
    double seed_ms = ms_since(t0);
    s->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    auto size = std::filesystem::file_size(std::filesystem::path(dir) / store::Store::kDbFile);
    out["seed"] = {{"cases", cases},
                   {"history_rows", s->db().query_int("SELECT count(*) FROM case_history")},
                   {"seconds", seed_ms / 1000},
                   {"cases_per_second", double(cases) / (seed_ms / 1000)},
                   {"db_bytes", size},
                   {"bytes_per_case", double(size) / double(cases)}};

    // Queries: random existing values, each searched through CaseStore::search.
    std::vector<std::string> ids, names, receipts;
    {
        std::mt19937_64 rng(42);
        std::int64_t n = s->db().query_int("SELECT max(rowid) FROM cases");
        store::Stmt q(s->db(), "SELECT applicant_doc, applicant_name, receipt_no FROM cases WHERE rowid = ?");
        for (long i = 0; i < queries; ++i) {
            q.bind(1, std::int64_t(rng() % std::uint64_t(n)) + 1);
            if (q.step()) {
                ids.push_back(q.text(0));
                names.push_back(first_character(q.text(1)));  // a name prefix: the surname's first character
                receipts.push_back(q.text(2));
            }
            q.reset();
        }
    }
    store::CaseStore cs(s->db(), cal);
    auto time_all = [&](const std::vector<std::string>& qs, int limit) {
        std::vector<double> v;
        std::size_t hits = 0;
        for (const auto& x : qs) {
            auto t = Clock::now();
            hits += cs.search(x, limit).size();
            v.push_back(ms_since(t));
        }
        auto j = percentiles(v);
        j["hits"] = hits;
        return j;
    };
    out["search_id_number"] = time_all(ids, 50);
    out["search_name_prefix"] = time_all(names, 50);
    out["search_receipt_no"] = time_all(receipts, 50);
    std::cout << out.dump(2) << std::endl;
    return 0;
}
