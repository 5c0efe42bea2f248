// Work queue benchmark (ow/store/queues.h): fills a real SQLCipher store with N cases spread over
// 2024-01-02 … 2026-06-30 as a busy centre would hold them, then times every queue's count and
// first page of 50 (p50/p95 over runs with a different `today` each: the last working days before
// 2026-06-30). See docs/benchmarks.md, "Work queues".
//   bench_queues --dir DIR [--cases N] [--runs R] [--seed S] [--reuse]
// Prints one JSON object. --reuse measures a store an earlier run filled (DIR kept) without filling.
//
// The fill writes the rows CaseStore writes for cases (same columns and values: the body is
// core::to_json of a core::Case without its history, deferred_due as write_case_row computes it),
// their applicants, checklists and ratings, plus a few outbox rows and sync issues — in one
// transaction with prepared statements, which is ~100× faster than committing every event. It does
// not write case_history or audit rows: no queue reads those tables.
#include "timing.h"

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/core/case.h"
#include "ow/core/ids.h"
#include "ow/core/validators.h"
#include "ow/store/db.h"
#include "ow/store/demo.h"
#include "ow/store/queues.h"
#include "ow/store/store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace ow;
using core::CaseState;
using bench::Clock;
using bench::ms_since;
using bench::percentiles;
using nlohmann::json;

namespace {


core::Instant china(core::Date d, int minutes_after_midnight) {
    return core::Instant{d} - std::chrono::hours{8} + std::chrono::minutes{minutes_after_midnight};
}

struct Filler {
    std::mt19937_64 rng;
    const core::WorkCalendar& cal;
    explicit Filler(std::uint64_t seed, const core::WorkCalendar& c) : rng(seed), cal(c) {}
    double unit() { return std::uniform_real_distribution<double>(0, 1)(rng); }
    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

    /// The state of a case received `age` working days before the end of the data, for an item
    /// with a promised limit of `limit` working days: recent cases are still moving, old ones
    /// closed, with a small stuck remainder (overdue, never corrected, never picked up).
    CaseState state_for(int age, int limit) {
        const double r = unit();
        if (age == 0) return r < 0.25 ? CaseState::received : r < 0.30 ? CaseState::correction_requested : r < 0.31 ? CaseState::refused
                                                          : r < 0.80 ? CaseState::accepted : CaseState::under_review;
        if (age <= limit)
            return r < 0.03 ? CaseState::received : r < 0.08 ? CaseState::correction_requested : r < 0.09 ? CaseState::refused
                   : r < 0.45 ? CaseState::accepted : r < 0.80 ? CaseState::under_review : r < 0.95 ? CaseState::approved
                   : r < 0.96 ? CaseState::denied : CaseState::result_issued;
        if (age <= 40)
            return r < 0.01 ? CaseState::correction_requested : r < 0.02 ? CaseState::refused : r < 0.03 ? CaseState::accepted
                   : r < 0.05 ? CaseState::under_review : r < 0.10 ? CaseState::approved : r < 0.11 ? CaseState::denied
                   : r < 0.45 ? CaseState::result_issued : CaseState::rated;
        return r < 0.003 ? CaseState::correction_requested : r < 0.018 ? CaseState::refused : r < 0.0185 ? CaseState::accepted
               : r < 0.019 ? CaseState::under_review : r < 0.020 ? CaseState::approved : r < 0.40 ? CaseState::rated
               : r < 0.55 ? CaseState::result_issued : CaseState::archived;
    }
};

bool accepted_state(CaseState s) {
    return s != CaseState::draft && s != CaseState::received && s != CaseState::refused && s != CaseState::correction_requested;
}
bool open_state(CaseState s) {
    return s == CaseState::received || s == CaseState::correction_requested || s == CaseState::accepted || s == CaseState::under_review;
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir;
    long cases = 1'000'000, runs = 40;
    std::uint64_t seed = 7;
    bool reuse = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--reuse")) {
            reuse = true;
            continue;
        }
        if (i + 1 >= argc) break;
        if (!std::strcmp(argv[i], "--dir")) dir = argv[++i];
        else if (!std::strcmp(argv[i], "--cases")) cases = std::atol(argv[++i]);
        else if (!std::strcmp(argv[i], "--runs")) runs = std::atol(argv[++i]);
        else if (!std::strcmp(argv[i], "--seed")) seed = std::uint64_t(std::atoll(argv[++i]));
    }
    if (dir.empty() || cases <= 0 || runs <= 0) {
        std::cerr << "usage: bench_queues --dir DIR [--cases N] [--runs R] [--seed S] [--reuse]\n";
        return 2;
    }
    const std::string pw = "benchmark password";
    auto cal = core::WorkCalendar::load_shipped();
    auto cat = core::Catalogue::load_shipped();
    const core::Date first = core::parse_date("2024-01-02"), last = core::parse_date("2026-06-30");
    std::vector<core::Date> days;
    for (core::Date d = first; d <= last; d += std::chrono::days{1})
        if (cal.is_workday(d)) days.push_back(d);
    json out;
    std::unique_ptr<store::Store> s;
    if (!reuse) {
        std::filesystem::remove_all(dir);
        store::Store::init(dir, "clerk", core::Role::clerk, pw);
        s = store::Store::open(dir, "clerk", pw);
        auto& db = s->db();

        // ---- fill ----------------------------------------------------------------------------------
        Filler f(seed, cal);
        core::UuidV7Generator ids(seed);
        const core::Actor clerk{"clerk", core::Role::clerk, core::Post::none, ""};
        const char* surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
        const char* given[] = {"伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟"};
        auto t0 = Clock::now();
        {
            store::Transaction tx(db);
            store::Stmt app(db, "INSERT INTO applicants(id, kind, name, doc_type, doc_number, phone, body, updated_at) VALUES (?, 'person', ?, ?, ?, ?, ?, ?)");
            store::Stmt row(db, "INSERT INTO cases(id, receipt_no, platform_case_no, item_code, applicant_id, applicant_name, applicant_doc, "
                                "applicant_phone, state, due_date, version, created_at, updated_at, body, deferred_due) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?, NULLIF(?, ''))");
            store::Stmt chk(db, "INSERT INTO checklist(case_id, material_code, name, necessity, status, promised_by, blob_sha256) VALUES (?, ?, ?, ?, ?, ?, NULL)");
            store::Stmt rate(db, "INSERT INTO ratings(case_id, level, channel, reason, comment, at, follow_up_state) VALUES (?, ?, 'window_device', ?, '', ?, ?)");
            const int doc_type = core::document_type_info(core::DocumentType::resident_id).code;
            std::vector<int> receipt_seq(days.size(), 0);
            for (long i = 0; i < cases; ++i) {
                const std::size_t di = std::size_t((unsigned long long)i * days.size() / (unsigned long long)cases);  // cases spread evenly
                const core::Date day = days[di];
                const int age = int(days.size() - 1 - di);
                const auto& item = cat.items()[std::size_t(f.uniform(0, int(cat.items().size()) - 1))];
                const int limit = item.kind == core::ItemKind::immediate ? 0 : item.spec.promised_limit_days;
                const core::Instant created = china(day, 9 * 60 + f.uniform(0, 8 * 60));

                core::Applicant a;
                a.name = std::string(surnames[f.uniform(0, 9)]) + given[f.uniform(0, 11)] + (f.uniform(0, 1) ? given[f.uniform(0, 11)] : "");
                a.doc_type = core::DocumentType::resident_id;
                a.doc_number = store::synthetic_resident_id("370102", core::parse_date("1950-01-01") + std::chrono::days{i / 1000}, int(i % 1000));
                a.phone = "138" + std::to_string(10000000 + i % 89999999);
                a.address = "济南市历下区泉城路" + std::to_string(1 + i % 300) + "号";
                a.postal_code = "250000";

                core::Case c = core::Case::create(item, a, ids.next_at(std::uint64_t(created.time_since_epoch().count())));
                c.state = f.state_for(age, limit);
                char receipt[64];
                std::snprintf(receipt, sizeof receipt, "DEMO01-T1-%s-%05d", core::format_date(day).c_str(), ++receipt_seq[di]);
                c.receipt_no = receipt;
                c.received_at = created + std::chrono::minutes{1};
                if (accepted_state(c.state)) {
                    c.accepted_at = created + std::chrono::minutes{20};
                    auto due = cal.add_working_days_answer(day, limit);
                    c.due_date = due.value;
                    c.promised_provisional = due.provisional;
                }
                if (c.state == CaseState::refused) {
                    c.refusal_reason = "不属于本机关职权范围";
                    c.refusal_basis = "《中华人民共和国行政许可法》第三十二条";
                }
                c.answers = {{"applicant_name", a.name}, {"applicant_id", a.doc_number}, {"phone", a.phone}, {"address", a.address},
                             {"purpose", "办理" + item.name}, {"copies", 1}, {"delivery", "pickup"}};
                const bool defer = f.unit() < 0.25;  // 容缺 on a quarter of the cases whose item allows it
                bool deferred_once = false;
                for (auto& e : c.checklist.entries) {
                    if (defer && !deferred_once && e.necessity == core::Necessity::deferrable && c.state != CaseState::correction_requested) {
                        deferred_once = true;
                        e.promised_by = day + std::chrono::days{10};
                        if (open_state(c.state) || c.state == CaseState::refused) e.status = core::MaterialStatus::deferred;
                        else {
                            e.status = core::MaterialStatus::original_received;
                            e.fulfilled_at = created + std::chrono::days{5};
                        }
                    } else if (c.state == CaseState::correction_requested && e.necessity == core::Necessity::required && !deferred_once) {
                        deferred_once = true;  // one gap: the reason for the correction
                        e.status = core::MaterialStatus::missing;
                        e.note = "未携带";
                    } else {
                        e.status = e.necessity == core::Necessity::optional ? core::MaterialStatus::not_applicable : core::MaterialStatus::original_received;
                    }
                }
                // The last change: old cases moved on a few days after acceptance, recent ones today or lately.
                int moved = std::min(age, c.state == CaseState::received || c.state == CaseState::accepted ? 0 : f.uniform(0, std::max(1, limit + 3)));
                core::Instant updated = china(days[days.size() - 1 - std::size_t(age - moved)], 9 * 60 + f.uniform(0, 8 * 60));
                if (updated < created) updated = created + std::chrono::minutes{30};
                std::optional<core::Rating> rating;
                if (c.state == CaseState::rated) {
                    const double r = f.unit();
                    core::Rating rt;
                    rt.level = r < 0.60 ? core::RatingLevel::very_satisfied : r < 0.90 ? core::RatingLevel::satisfied
                               : r < 0.97 ? core::RatingLevel::basically_satisfied : r < 0.99 ? core::RatingLevel::dissatisfied
                                          : core::RatingLevel::very_dissatisfied;
                    rt.channel = "window_device";
                    rt.reason = rt.bad() ? "slow" : "";
                    rt.at = updated;
                    c.rating = rt;
                    rating = rt;
                }
                // What CaseStore::write_case_row writes (history lives in case_history; deferred_due as computed there).
                json j = core::to_json(c);
                j.erase("history");
                std::optional<core::Date> deferred_due;
                if (c.state != CaseState::archived && c.state != CaseState::refused)
                    for (const auto& e : c.checklist.entries)
                        if (e.status == core::MaterialStatus::deferred && e.promised_by && (!deferred_due || *e.promised_by < *deferred_due))
                            deferred_due = e.promised_by;
                const std::string id = c.id.to_string();
                const std::int64_t applicant_id = i + 1;
                app.bind(1, applicant_id).bind(2, a.name).bind(3, doc_type).bind(4, a.doc_number).bind(5, a.phone)
                    .bind(6, core::to_json(a).dump()).bind(7, core::format_instant(created));
                app.run();
                app.reset();
                row.bind(1, id).bind(2, c.receipt_no).bind(3, c.platform_case_no).bind(4, c.item_code).bind(5, applicant_id)
                    .bind(6, a.name).bind(7, a.doc_number).bind(8, a.phone).bind(9, core::to_code(c.state))
                    .bind(10, c.due_date ? core::format_date(*c.due_date) : std::string()).bind(11, std::int64_t(4 + i % 5))
                    .bind(12, core::format_instant(created)).bind(13, core::format_instant(updated)).bind(14, j.dump())
                    .bind(15, deferred_due ? core::format_date(*deferred_due) : std::string());
                row.run();
                row.reset();
                for (const auto& e : c.checklist.entries) {
                    chk.bind(1, id).bind(2, e.material_code).bind(3, e.name).bind(4, core::to_code(e.necessity)).bind(5, core::to_code(e.status))
                        .bind(6, e.promised_by ? std::optional<std::string>(core::format_date(*e.promised_by)) : std::nullopt);
                    chk.run();
                    chk.reset();
                }
                if (rating) {
                    rate.bind(1, id).bind(2, int(rating->level)).bind(3, rating->reason).bind(4, core::format_instant(rating->at))
                        .bind(5, !rating->bad() ? "none" : age > 15 ? "done" : "open");  // follow-ups close within ~15 working days
                    rate.run();
                    rate.reset();
                }
                // Sync: the last day's cases wait in the outbox; one case in 20,000 was refused by the
                // platform (quarantined, with its issue), one in 10,000 has an open conflict, and
                // one in 2,000 an issue dealt with long ago.
                const std::string at = core::format_instant(updated);
                if (age == 0 || i % 20000 == 7) {
                    const bool quarantined = i % 20000 == 7;
                    db.cached("INSERT INTO outbox(mutation_id, case_id, kind, payload, created_at, state, reason_code) VALUES (?, ?, 'create', ?, ?, ?, ?)")
                        .bind(1, ids.next_at(std::uint64_t(updated.time_since_epoch().count())).to_string()).bind(2, id)
                        .bind(3, json{{"case", j}}.dump()).bind(4, at).bind(5, quarantined ? "quarantined" : "pending")
                        .bind(6, quarantined ? std::optional<std::string>("invalid.applicant.doc_type") : std::nullopt)
                        .run();
                    if (quarantined)
                        db.cached("INSERT INTO sync_issues(kind, case_id, mutation_id, code, message, detail, created_at) "
                                  "VALUES ('quarantine', ?, '', 'invalid.applicant.doc_type', 'unknown code', '{}', ?)")
                            .bind(1, id).bind(2, at).run();
                }
                if (i % 10000 == 11 || i % 2000 == 13)
                    db.cached("INSERT INTO sync_issues(kind, case_id, mutation_id, code, message, detail, created_at, resolved_at, resolution) "
                              "VALUES (?, ?, '', ?, 'x', '{}', ?, ?, ?)")
                        .bind(1, i % 10000 == 11 ? "conflict" : "problem").bind(2, id)
                        .bind(3, i % 10000 == 11 ? "conflict.state" : "change.unknown_type").bind(4, at)
                        .bind(5, i % 10000 == 11 ? std::optional<std::string>() : std::optional<std::string>(at))
                        .bind(6, i % 10000 == 11 ? "" : "dealt with")
                        .run();
                if ((i + 1) % 100000 == 0) std::cerr << "filled " << (i + 1) << " cases, " << ms_since(t0) / 1000 << " s\n";
            }
            tx.commit();
        }
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        const double fill_ms = ms_since(t0);
        json by_state = json::object();
        {
            store::Stmt q(db, "SELECT state, count(*) FROM cases GROUP BY state");
            while (q.step()) by_state[q.text(0)] = q.int64(1);
        }
        out["fill"] = {{"cases", cases},
                       {"seconds", fill_ms / 1000},
                       {"db_bytes", std::filesystem::file_size(std::filesystem::path(dir) / store::Store::kDbFile)},
                       {"by_state", by_state}};
    }

    // ---- measure: a fresh unlock (cold page cache of SQLite), then `runs` rounds --------------
    s.reset();
    s = store::Store::open(dir, "clerk", pw);
    store::CaseQueues queues(s->db(), cal);
    std::vector<core::Date> todays;  // the last working days of the data, newest first
    for (std::size_t k = 0; k < std::size_t(runs); ++k) todays.push_back(days[days.size() - 1 - k % std::min<std::size_t>(days.size(), 60)]);
    json per_queue = json::object();
    std::vector<double> all_both;
    std::map<std::string, std::vector<double>> count_ms, page_ms, both_ms;
    std::map<std::string, double> first_both;
    std::map<std::string, std::int64_t> last_count;
    for (std::size_t k = 0; k < todays.size(); ++k)
        for (auto q : store::kAllQueues) {
            const std::string name(store::to_code(q));
            auto t = Clock::now();
            last_count[name] = queues.count(q, todays[k]);
            const double c_ms = ms_since(t);
            auto t2 = Clock::now();
            auto rows = queues.page(q, todays[k], 50);
            const double p_ms = ms_since(t2);
            if (k == 0) first_both[name] = c_ms + p_ms;
            count_ms[name].push_back(c_ms);
            page_ms[name].push_back(p_ms);
            both_ms[name].push_back(c_ms + p_ms);
            all_both.push_back(c_ms + p_ms);
        }
    for (auto q : store::kAllQueues) {
        const std::string name(store::to_code(q));
        per_queue[name] = {{"count_on_" + core::format_date(todays.back()), last_count[name]},
                           {"count", percentiles(count_ms[name])},
                           {"first_page_50", percentiles(page_ms[name])},
                           {"count_and_first_page", percentiles(both_ms[name])},
                           {"first_run_after_unlock_ms", first_both[name]}};
    }
    out["queues"] = per_queue;
    out["cases_in_store"] = s->db().query_int("SELECT count(*) FROM cases");  // after timing: it reads a whole index
    out["all_queues_count_and_first_page"] = percentiles(all_both);
    out["runs"] = runs;
    std::cout << out.dump(2) << std::endl;
    return 0;
}
