#include "ow/store/demo.h"

#include "ow/core/validators.h"
#include "ow/store/blobs.h"

#include <random>
#include <sstream>

namespace ow::store {
namespace {

using core::CaseAction;
using core::CaseState;
using nlohmann::json;

// Surnames roughly as common as in the population (王 and 李 first), then rare and compound ones
// and characters outside the BMP (𠮷), which every screen and notice must handle.
struct Weighted {
    const char* text;
    int weight;
};
const Weighted kSurnames[] = {{"王", 8}, {"李", 8}, {"张", 7}, {"刘", 6}, {"陈", 5}, {"杨", 3}, {"赵", 2}, {"黄", 2},
                              {"周", 2}, {"吴", 2}, {"徐", 1}, {"孙", 1}, {"马", 1}, {"朱", 1}, {"胡", 1}, {"郭", 1},
                              {"何", 1}, {"林", 1}, {"罗", 1}, {"高", 1}, {"欧阳", 1}, {"司马", 1}, {"上官", 1},
                              {"鍾", 1}, {"䶮", 1}, {"𠮷", 1}, {"禤", 1}, {"亓", 1}};
const char* const kGiven1[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
                               "明", "超", "霞", "平", "刚", "桂", "鑫", "淼", "垚"};
const char* const kGiven2[] = {"秀英", "桂英", "建华", "志强", "海燕", "晓东", "思远", "雨桐", "子涵", "浩然", "一诺", "梓萱"};
const char* const kRegions[] = {"370102", "370103", "370112", "110105", "310104", "440304", "510107", "330106"};
const char* const kStreets[] = {"泉城路", "经十路", "历山路", "解放路", "和平路", "山大路", "文化东路", "二环东路"};

// Which state a seeded case ends in (weights add up to 100).
struct Target {
    CaseState state;
    bool deferred;
    int weight;
};
const Target kTargets[] = {
    {CaseState::received, false, 8},   {CaseState::correction_requested, false, 8}, {CaseState::refused, false, 4},
    {CaseState::accepted, false, 10},  {CaseState::accepted, true, 8},              {CaseState::under_review, false, 12},
    {CaseState::approved, false, 10},  {CaseState::denied, false, 4},               {CaseState::result_issued, false, 16},
    {CaseState::rated, false, 20},
};

struct Seeder {
    Store& store;
    CaseStore cases;
    BlobStore blobs;
    std::mt19937_64 rng;
    core::UuidV7Generator ids;
    std::vector<core::Applicant> returning;
    const core::Catalogue& catalogue;

    Seeder(Store& s, const core::Catalogue& cat, const core::WorkCalendar& cal, std::uint64_t seed)
        : store(s), cases(s.db(), cal), blobs(s.db(), s.dir(), s.key()), rng(seed), ids(seed ^ 0x9E3779B97F4A7C15ULL),
          catalogue(cat) {
        cases.set_id_generator(&ids);
    }

    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
    const char* surname() {
        int total = 0;
        for (const auto& s : kSurnames) total += s.weight;
        int r = uniform(1, total);
        for (const auto& s : kSurnames)
            if ((r -= s.weight) <= 0) return s.text;
        return kSurnames[0].text;
    }
    template <class T, std::size_t N>
    const T& pick(const T (&arr)[N]) { return arr[std::size_t(uniform(0, int(N) - 1))]; }

    core::Applicant applicant() {
        if (!returning.empty() && uniform(1, 100) <= 20) return returning[std::size_t(uniform(0, int(returning.size()) - 1))];
        core::Applicant a;
        a.name = std::string(surname()) + (uniform(0, 2) == 0 ? pick(kGiven2) : pick(kGiven1));
        core::Date birth{std::chrono::year{uniform(1950, 2004)} / std::chrono::month{unsigned(uniform(1, 12))} /
                         std::chrono::day{unsigned(uniform(1, 28))}};
        a.doc_type = core::DocumentType::resident_id;
        a.doc_number = synthetic_resident_id(pick(kRegions), birth, uniform(1, 999));
        char phone[16];
        std::snprintf(phone, sizeof phone, "1%d%09d", uniform(3, 9), uniform(0, 999999999));
        a.phone = phone;
        a.address = std::string("济南市历下区") + pick(kStreets) + std::to_string(uniform(1, 300)) + "号";
        a.postal_code = "250000";
        returning.push_back(a);
        if (returning.size() > 500) returning.erase(returning.begin());
        return a;
    }

    std::string synthetic_scan(int n) {
        // A small grey-scale page (PGM) with per-scan content: distinct digests, realistic size.
        std::ostringstream img;
        int w = 400, h = 60 + n % 40;
        img << "P5\n# OneWindow synthetic scan " << n << "\n" << w << " " << h << "\n255\n";
        for (int i = 0; i < w * h; ++i) img.put(char(uniform(180, 255)));
        std::istringstream in(img.str());
        return blobs.put(in, "image/x-portable-graymap");
    }
};

const core::Actor kClerk{"clerk-demo", core::Role::clerk, core::Post::none, ""};
const core::Actor kChiefA{"chief-a", core::Role::chief, core::Post::A, ""};
const core::Actor kChiefB{"chief-b", core::Role::chief, core::Post::B, "chief-a"};

}  // namespace

std::string synthetic_resident_id(const std::string& region6, core::Date birth, int sequence3) {
    char first17[24];
    std::chrono::year_month_day ymd{birth};
    std::snprintf(first17, sizeof first17, "%s%04d%02u%02u%03d", region6.c_str(), int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()), sequence3 % 1000);
    return std::string(first17) + core::resident_id_check_char(first17);
}

SeedReport seed_demo(Store& store, const core::Catalogue& catalogue, const core::WorkCalendar& calendar, const SeedOptions& o) {
    if (catalogue.items().empty()) throw core::InvalidData("the catalogue has no items to seed cases for");
    if (o.cases < 0 || o.scans < 0 || o.scans > o.cases) throw core::InvalidData("--scans cannot exceed --cases");
    Seeder s(store, catalogue, calendar, o.seed);
    SeedReport report;
    const core::Date first{std::chrono::year{2025} / std::chrono::January / 6};
    const int span_days = 600;  // up to late summer 2026: due dates stay inside the published calendar
    for (int i = 0; i < o.cases; ++i) {
        const auto& item = catalogue.items()[std::size_t(s.uniform(0, int(catalogue.items().size()) - 1))];
        int roll = s.uniform(1, 100), acc = 0;
        Target target = kTargets[0];
        for (const auto& t : kTargets)
            if (roll <= (acc += t.weight)) {
                target = t;
                break;
            }
        bool has_deferrable = false;
        for (const auto& m : item.spec.materials) has_deferrable = has_deferrable || m.necessity == core::Necessity::deferrable;
        if (target.deferred && !has_deferrable) target.deferred = false;

        core::Date day = first + std::chrono::days{s.uniform(0, span_days)};
        while (!calendar.is_workday(day)) day += std::chrono::days{1};
        core::Instant t = core::Instant{day} + std::chrono::hours{1} + std::chrono::minutes{s.uniform(0, 420)};
        auto step = [&t](int minutes) { return t += std::chrono::minutes{minutes}; };

        core::Case c = core::Case::create(item, s.applicant(), s.ids.next_at(std::uint64_t(t.time_since_epoch().count())));
        {
            // The same seed makes the same case ids: seeding it twice would collide on them.
            Stmt known(store.db(), "SELECT 1 FROM cases WHERE id = ?");
            known.bind(1, c.id.to_string());
            if (known.step())
                throw core::InvalidData("this store already holds the demo cases of seed " + std::to_string(o.seed) +
                                        (report.cases ? " (after " + std::to_string(report.cases) + " new ones)" : std::string()) +
                                        ": use another --seed to add more");
        }
        s.cases.create(c, kClerk, t, o.terminal);
        auto run = [&](CaseAction a, const core::Actor& who, std::string reason = {}, json data = json::object()) {
            s.cases.commit(c, core::CaseEvent{a, who, step(3), std::move(reason), std::move(data)});
        };
        run(CaseAction::receive, kClerk);
        if (report.scans < o.scans) {
            std::string sha = s.synthetic_scan(report.scans);
            const auto& m = item.spec.materials.front();
            s.cases.attach_blob(c.id, sha, "scan", m.code, kClerk, step(1));
            run(CaseAction::mark_material, kClerk, {}, {{"material_code", m.code}, {"status", "scanned"}, {"blob_sha256", sha}});
            ++report.scans;
        }
        bool gap = target.state == CaseState::correction_requested || target.state == CaseState::refused;
        bool first_gap = true;
        for (const auto& m : item.spec.materials) {
            if (c.checklist.find(m.code)->satisfied()) continue;
            if (gap && first_gap && m.necessity != core::Necessity::optional) {
                run(CaseAction::mark_material, kClerk, {}, {{"material_code", m.code}, {"status", "missing"}, {"note", "未携带"}});
                first_gap = false;
                continue;
            }
            if (target.deferred && m.necessity == core::Necessity::deferrable) {
                run(CaseAction::defer_material, kClerk, {}, {{"material_code", m.code}, {"promised_by", core::format_date(day + std::chrono::days{10})}});
                continue;
            }
            std::string status = m.source == core::MaterialSource::government ? "e_licence"
                                 : m.form == core::MaterialForm::copy         ? "copy_received"
                                                                              : "original_received";
            if (m.necessity == core::Necessity::optional && s.uniform(0, 1) == 0) status = "not_applicable";
            run(CaseAction::mark_material, kClerk, {}, {{"material_code", m.code}, {"status", status}});
        }
        if (target.state == CaseState::correction_requested && first_gap) {
            // Every material was already there (e.g. the only required one was scanned): the scan is not legible.
            const auto& m = item.spec.materials.front();
            run(CaseAction::mark_material, kClerk, {}, {{"material_code", m.code}, {"status", "defective"}, {"note", "扫描件不清晰"}});
        }
        if (target.state == CaseState::correction_requested) {
            run(CaseAction::request_correction, kClerk);
        } else if (target.state == CaseState::refused) {
            run(CaseAction::refuse, kClerk, "不符合受理条件：申请事项不属于本机关职权范围", {{"legal_basis", "《中华人民共和国行政许可法》第三十二条"}});
        } else if (target.state != CaseState::received) {
            run(CaseAction::accept, kClerk);
            if (target.state != CaseState::accepted) {
                run(CaseAction::start_review, kChiefA);
                if (target.state != CaseState::under_review) {
                    if (target.state == CaseState::denied) {
                        run(CaseAction::deny, kChiefB, "经审查，申请材料与实际情况不符", {{"legal_basis", "《中华人民共和国行政许可法》第三十八条"}});
                    } else {
                        // 容缺 materials are delivered before the result is handed out.
                        for (const auto& m : item.spec.materials)
                            if (c.checklist.find(m.code)->status == core::MaterialStatus::deferred)
                                run(CaseAction::fulfil_material, kClerk, {}, {{"material_code", m.code}, {"status", "original_received"}});
                        run(CaseAction::approve, s.uniform(0, 3) == 0 ? kChiefB : kChiefA, "材料齐全，符合法定条件",
                            {{"legal_basis", item.spec.legal_basis.empty() ? "《中华人民共和国行政许可法》第三十八条" : item.spec.legal_basis}});
                    }
                    if (target.state == CaseState::result_issued || target.state == CaseState::rated) {
                        if (s.uniform(0, 3) == 0)
                            run(CaseAction::issue_result, kClerk, {}, {{"mode", "mail"}, {"recipient", c.applicant.name}, {"address", c.applicant.address},
                                                                        {"carrier", "中国邮政EMS"}, {"tracking_no", "EM" + std::to_string(100000000 + s.uniform(0, 899999999)) + "CN"}});
                        else
                            run(CaseAction::issue_result, kClerk, {}, {{"mode", "pickup"}, {"recipient", c.applicant.name}});
                    }
                    if (target.state == CaseState::rated) {
                        int level = s.uniform(1, 100) <= 90 ? s.uniform(1, 2) : s.uniform(3, 5);
                        run(CaseAction::rate, kClerk, level >= 4 ? "等候时间过长" : "", {{"level", level}, {"channel", "window_device"}});
                    }
                }
            }
        }
        report.by_state[std::string(core::to_code(c.state))]++;
        ++report.cases;
        if (o.progress && report.cases % 1000 == 0) o.progress(report.cases);
    }
    return report;
}

}  // namespace ow::store
