#include "ow/workflow/demo.h"

#include "scratch.h"

#include "ow/seal/seal.h"
#include "ow/store/demo.h"
#include "ow/store/documents.h"
#include "ow/store/errors.h"
#include "ow/store/sync_queue.h"
#include "ow/workflow/workflow.h"

#include <algorithm>
#include <fstream>
#include <random>

namespace ow::workflow {
namespace {

using core::CaseState;
using core::MaterialStatus;
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

// Where a seeded case ends (weights add up to 100). `returned`: sent back by the chief
// representative for correction while under review (the correction notice), not at the window.
struct Target {
    CaseState state;
    bool deferred;
    int weight;
    bool returned = false;
};
const Target kTargets[] = {
    {CaseState::draft, false, 8},     {CaseState::correction_requested, false, 5}, {CaseState::correction_requested, false, 3, true},
    {CaseState::refused, false, 4},   {CaseState::accepted, false, 10},            {CaseState::accepted, true, 8},
    {CaseState::under_review, false, 12}, {CaseState::approved, false, 10},        {CaseState::denied, false, 4},
    {CaseState::result_issued, false, 16}, {CaseState::rated, false, 20},
};

// Answers to each shipped item's form, as a clerk would type them for a typical applicant.
// Placeholders: "$name", "$id", "$phone" (the applicant's), "$date:±N" (N days from the act's
// date), "$year" (the act's year). The seed test checks that every catalogue item has answers
// here that its form accepts.
const char* const kAnswers = R"JSON(
{
  "370102-ZR-0031-002": {"certificate_no":"示例内容","property_address":{"region":"370102","detail":"经十路1号"},"reason":"debt_repaid","mortgagee_name":"$name","mortgagee_uscc":"91350100MA01B2C37P","mortgagor":{"name":"$name","doc_type":111,"doc_number":"$id"},"joint_application":false,"agent_present":false},
  "370102-WJ-0501-001": {"baby_name":"$name","baby_sex":"male","birth_date":"$date:-20","birth_place":{"region":"370102","detail":"经十路1号"},"hospital":"济南市妇幼保健院","weight_g":3300,"gestation_weeks":39,"mother":{"name":"$name","doc_type":111,"doc_number":"$id"},"father_known":false},
  "370102-RS-0201-001": {"employer_name":"$name","employer_uscc":"91350100MA01B2C37P","employer_address":{"region":"370102","detail":"经十路1号"},"legal_rep_name":"$name","contact_phone":"$phone","bank_account":"示例内容","employees":[{"emp_name":"示例内容","emp_id":"$id","emp_start":"$date:-20","emp_wage_fen":5000000}]},
  "370102-ZR-0012-001": {"certificate_no":"示例内容","property_address":{"region":"370102","detail":"经十路1号"},"floor_area":1,"price_fen":5000000,"seller":{"name":"$name","doc_type":111,"doc_number":"$id"},"seller_married":false,"buyer_main":{"name":"$name","doc_type":111,"doc_number":"$id"},"buyer_phone":"$phone","mortgage_exists":false,"agent_present":false},
  "370102-SW-0101-001": {"taxpayer_name":"$name","taxpayer_uscc":"91350100MA01B2C37P","handler":{"name":"$name","doc_type":111,"doc_number":"$id"},"contact_phone":"$phone","invoice_kinds":["digital"],"max_amount_fen":"100000_yuan"},
  "370102-GY-0402-001": {"account_no":"示例内容","address":{"region":"370102","detail":"经十路1号"},"certificate_no":"示例内容","old_owner_name":"$name","new_owner":{"name":"$name","doc_type":111,"doc_number":"$id"},"phone":"$phone","meter_reading":1},
  "370102-GJ-0301-001": {"employer_name":"$name","employer_uscc":"91350100MA01B2C37P","employer_address":{"region":"370102","detail":"经十路1号"},"legal_rep_name":"$name","contact_phone":"$phone","deposit_ratio":5,"first_month":"$date:-20","employees":[{"emp_name":"示例内容","emp_id":"$id","emp_base_fen":5000000}]},
  "370102-GY-0401-001": {"account_no":"示例内容","address":{"region":"370102","detail":"经十路1号"},"certificate_no":"示例内容","old_owner_name":"$name","new_owner":{"name":"$name","doc_type":111,"doc_number":"$id"},"phone":"$phone","meter_reading":1},
  "370102-SC-0001-001": {"operator_name":"$name","operator_id":"$id","operator_phone":"$phone","organisation":"individual","business_name":"$name","business_scope":"示例说明","premises":{"region":"370102","detail":"经十路1号"},"capital_fen":5000000,"employees":1,"premises_commitment":false,"agent_present":false},
  "370102-GA-0220-001": {"baby_name":"$name","baby_sex":"male","birth_date":"$date:-20","birth_certificate_no":"示示示示示示示示示示","ethnicity":"示例内容","register_with":"mother","household_head":"示例内容","mother":{"name":"$name","doc_type":111,"doc_number":"$id"},"father_known":false},
  "370102-SC-0002-001": {"company_name":"济南示例科技有限公司","company_type":"llc","domicile":{"region":"370102","detail":"经十路1号"},"registered_capital_fen":5000000,"legal_rep_name":"$name","legal_rep_id":"$id","contact_phone":"$phone","business_scope":"示例说明","employees_expected":1,"shareholders":[{"holder_name":"示例内容","holder_kind":"natural","contribution_fen":5000000,"contribution_date":"$date:+300","holder_id":"$id"}],"agent_present":false},
  "370102-GY-0403-001": {"account_no":"示例内容","address":{"region":"370102","detail":"经十路1号"},"certificate_no":"示例内容","old_owner_name":"$name","new_owner":{"name":"$name","doc_type":111,"doc_number":"$id"},"phone":"$phone","meter_reading":1,"safety_check_date":"$date:-20"},
  "370102-RS-0211-001": {"holder_name":"$name","holder_id":"$id","bank":"icbc","mail":false,"phone":"$phone"},
  "370102-KJ-0601-001": {"full_name":"$name","passport":{"name":"$name","doc_type":111,"doc_number":"$id"},"nationality":"示例内容","birth_date":"$date:-12000","employer_name":"$name","employer_uscc":"91350100MA01B2C37P","phone":"$phone","category":"A","position":"示例内容","annual_salary_fen":5000000,"experience_years":1,"degree":"none","work_start":"$date:+10","work_end":"$date:+375"},
  "370102-GA-0610-001": {"full_name":"$name","passport":{"name":"$name","doc_type":111,"doc_number":"$id"},"nationality":"示例内容","birth_date":"$date:-20","employer_name":"$name","employer_uscc":"91350100MA01B2C37P","phone":"$phone","work_permit_no":"示例内容","residence_address":{"region":"370102","detail":"经十路1号"},"duration":"lt1y"},
  "370102-YB-0107-001": {"insured_name":"$name","insured_id":"$id","category":"adult","household_outside":false,"contact_phone":"$phone","insurance_year":"$year"},
  "370102-GA-0210-001": {"org_name":"$name","org_uscc":"91350100MA01B2C37P","legal_rep_name":"$name","contact_phone":"$phone","seals":["official"],"engraver":"示例内容","free_engraving":false}
}
)JSON";

// With notices, the first cases take these paths, so that even a small seed holds every notice
// kind: what the item must be (licensing or not, immediate or promised, with a material that a
// commitment may replace or that may be deferred) and how the case ends.
struct Tour {
    Target target;
    int licensing;   // 1 yes, 0 no, -1 either
    int immediate;   // 1 yes, 0 no, -1 either
    bool commitment; // a material replaced by a commitment (告知承诺书)
    bool mail;       // the result mailed (邮寄回执) rather than picked up
    bool fee;        // an item with a fee (收费凭证 before the result goes out)
};
const Tour kTour[] = {
    {{CaseState::denied, false, 0}, 1, 0, true, false, false},          // 受理通知书, 告知承诺书, 不予行政许可决定书
    {{CaseState::rated, true, 0}, 1, -1, false, false, false},          // 容缺受理承诺书, 准予行政许可决定书, 出件回执
    {{CaseState::denied, false, 0}, 0, 1, false, false, false},         // 受理回执, 不予办理通知书
    {{CaseState::result_issued, false, 0}, 0, -1, false, true, false},  // 准予办理通知书, 邮寄回执
    {{CaseState::correction_requested, false, 0}, -1, -1, false, false, false},        // 一次性告知书
    {{CaseState::correction_requested, false, 0, true}, -1, -1, false, false, false},  // 补正通知书
    {{CaseState::refused, false, 0}, -1, -1, false, false, false},                     // 不予受理通知书
    {{CaseState::result_issued, false, 0}, -1, -1, false, false, true},                // 收费凭证
};

bool fits(const core::ServiceItem& item, const Tour& t) {
    if (t.licensing >= 0 && (item.item_type == 1) != (t.licensing == 1)) return false;
    if (t.immediate >= 0 && (item.kind == core::ItemKind::immediate) != (t.immediate == 1)) return false;
    bool commitment = false, deferrable = false;
    for (const auto& m : item.spec.materials) {
        commitment = commitment || (m.commitment_allowed && m.necessity != core::Necessity::optional);
        deferrable = deferrable || m.necessity == core::Necessity::deferrable;
    }
    return (!t.commitment || commitment) && (!t.target.deferred || deferrable) && (!t.fee || !item.spec.fees.empty());
}

const core::Actor kClerk{"clerk-demo", core::Role::clerk, core::Post::none, ""};
const core::Actor kChiefA{"chief-a", core::Role::chief, core::Post::A, ""};
const core::Actor kChiefB{"chief-b", core::Role::chief, core::Post::B, ""};

json fill(const json& tmpl, const core::Applicant& a, core::Date today) {
    if (tmpl.is_object()) {
        json out = json::object();
        for (auto it = tmpl.begin(); it != tmpl.end(); ++it) out[it.key()] = fill(it.value(), a, today);
        return out;
    }
    if (tmpl.is_array()) {
        json out = json::array();
        for (const auto& v : tmpl) out.push_back(fill(v, a, today));
        return out;
    }
    if (!tmpl.is_string()) return tmpl;
    const auto& s = tmpl.get_ref<const std::string&>();
    if (s.empty() || s[0] != '$') return tmpl;
    if (s == "$name") return a.name;
    if (s == "$id") return a.doc_number;
    if (s == "$phone") return a.phone;
    if (s == "$year") return int(std::chrono::year_month_day{today}.year());
    if (s.rfind("$date:", 0) == 0) return core::format_date(today + std::chrono::days{std::stoi(s.substr(6))});
    throw std::logic_error("unknown placeholder " + s + " in the demo answers");
}

/// A small grey-scale page as a baseline TIFF (uncompressed, 8 bits): per-scan content, so
/// distinct digests, and a size like a real low-resolution scan.
std::string synthetic_tiff(int n, std::mt19937_64& rng) {
    const std::uint32_t w = 400, h = 60 + std::uint32_t(n % 40);
    std::string out("II*\0", 4);
    auto u16 = [&](std::uint16_t v) { out.push_back(char(v & 0xff)), out.push_back(char(v >> 8)); };
    auto u32 = [&](std::uint32_t v) { u16(std::uint16_t(v & 0xffff)), u16(std::uint16_t(v >> 16)); };
    u32(8);  // the first directory follows the header
    struct Tag {
        std::uint16_t id, type;
        std::uint32_t value;
    };
    const std::uint32_t data = 8 + 2 + 9 * 12 + 4;
    const Tag tags[] = {{256, 4, w}, {257, 4, h}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1}, {273, 4, data}, {277, 3, 1}, {278, 4, h}, {279, 4, w * h}};
    u16(9);
    for (const auto& t : tags) {
        u16(t.id), u16(t.type), u32(1);
        if (t.type == 3) u16(std::uint16_t(t.value)), u16(0);
        else u32(t.value);
    }
    u32(0);
    std::uniform_int_distribution<int> grey(180, 255);
    for (std::uint32_t i = 0; i < w * h; ++i) out.push_back(char(grey(rng)));
    return out;
}

struct Seeder {
    store::Store& store;
    const core::Catalogue& catalogue;
    const forms::FormCatalogue& forms;
    const SeedOptions& o;
    std::mt19937_64 rng;
    core::UuidV7Generator ids;
    std::vector<core::Applicant> returning;
    json answers;
    core::Instant t{};
    core::Actor as = kClerk;
    std::unique_ptr<Workflow> wf;

    Seeder(store::Store& s, const core::Catalogue& cat, const forms::FormCatalogue& f, const core::WorkCalendar& cal, const SeedOptions& opt)
        : store(s), catalogue(cat), forms(f), o(opt), rng(opt.seed), ids(opt.seed ^ 0x9E3779B97F4A7C15ULL),
          answers(json::parse(kAnswers)) {
        Environment env;
        env.catalogue = &catalogue;
        env.forms = &forms;
        env.renderer = o.renderer;
        env.envelope = o.envelope;
        env.terminal = o.terminal;
        env.now = [this] { return t; };
        env.act_as = [this] { return as; };
        env.ids = &ids;
        wf = std::make_unique<Workflow>(store, cal, std::move(env));
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
        a.doc_number = store::synthetic_resident_id(pick(kRegions), birth, uniform(1, 999));
        char phone[16];
        std::snprintf(phone, sizeof phone, "1%d%09d", uniform(3, 9), uniform(0, 999999999));
        a.phone = phone;
        a.address = std::string("济南市历下区") + pick(kStreets) + std::to_string(uniform(1, 300)) + "号";
        returning.push_back(a);
        if (returning.size() > 500) returning.erase(returning.begin());
        return a;
    }

    /// The material an item's form binds to a required attachment (it must be scanned before the
    /// form can be complete), or "".
    std::string attachment_material(const std::string& item_code) const {
        auto def = forms.find(item_code);
        if (!def) return {};
        for (int root : def->roots()) {
            const auto& f = def->fields()[std::size_t(root)];
            if (f.type == forms::FieldType::attachment && !f.material.empty()) return f.material;
        }
        return {};
    }

    /// Acts as `who`, `minutes` after the previous act.
    template <class F>
    ActResult act(const core::Actor& who, int minutes, F&& f) {
        as = who;
        t += std::chrono::minutes{minutes};
        return f();
    }
};

void count_notice(SeedReport& report, const ActResult& r) {
    if (r.document) report.notices[r.document->kind]++;
}

}  // namespace

void prepare_notice_users(store::Store& store) {
    store.require_role(core::Role::admin, "seed demo cases with notices (it adds the chief representatives and assigns the demo seal)");
    struct Chief {
        const char* name;
        core::Post post;
        const char* display;
    };
    for (const Chief& c : {Chief{"chief-a", core::Post::A, "张首席（示例）"}, Chief{"chief-b", core::Post::B, "李首席（示例）"}}) {
        if (store.user_info(c.name)) continue;
        std::random_device rd;
        std::string password;
        for (int i = 0; i < 32; ++i) password.push_back("abcdefghijkmnpqrstuvwxyz23456789"[rd() % 32]);
        // 160 random bits nobody is told: a costly key derivation would add nothing against guessing.
        store.set_user(c.name, core::Role::chief, password, store::KdfParams{1, std::size_t(8) << 20});
        std::fill(password.begin(), password.end(), '\0');
        store.set_user_profile(c.name, c.post, c.display);
    }
    store::SealAssignments seals(store.db());
    bool a = false, b = false;
    for (const auto& s : seals.list()) {
        if (s.holder_kind != store::SealAssignment::HolderKind::post) continue;
        a = a || s.holder == "A";
        b = b || s.holder == "B";
    }
    if (a && b) return;
    detail::Scratch scratch(store.dir());
    auto demo = seal::make_demo_seal("济南市历下区行政审批服务局", scratch.path(), {}, seal::DemoKey::ec_p256);
    auto read = [](const std::filesystem::path& p) {
        std::ifstream in(p, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    };
    store::SealAssignment s;
    s.holder_kind = store::SealAssignment::HolderKind::post;
    s.name = "行政审批专用章";
    s.p12 = read(demo.p12);
    s.pin = read(demo.pin_file);
    while (!s.pin.empty() && (s.pin.back() == '\n' || s.pin.back() == '\r')) s.pin.pop_back();
    s.signer = seal::SigningKey::from_pkcs12_bytes(s.p12, s.pin, "the demo seal").signer_name();
    s.image = read(demo.png);
    for (const char* post : {"A", "B"}) {
        if ((post[0] == 'A' && a) || (post[0] == 'B' && b)) continue;
        s.holder = post;
        seals.assign(s, store.actor(), core::now());
    }
    std::fill(s.pin.begin(), s.pin.end(), '\0');
}

SeedReport seed_demo(store::Store& store, const core::Catalogue& catalogue, const forms::FormCatalogue& forms,
                     const core::WorkCalendar& calendar, const SeedOptions& o) {
    if (o.cases < 0 || o.scans < 0 || o.scans > o.cases) throw core::InvalidData("--scans cannot exceed --cases");
    if (o.cases_per_commit < 0) throw core::InvalidData("the cases per commit cannot be negative");
    if (o.today && (*o.today < core::parse_date("2025-03-01") || *o.today > core::parse_date("2099-12-31")))
        throw core::InvalidData("the seed's today must lie in 2025-03-01 … 2099-12-31");
    if (o.renderer) prepare_notice_users(store);
    Seeder s(store, catalogue, forms, calendar, o);
    // The items the seed has form answers for (a platform's catalogue may hold others).
    std::vector<const core::ServiceItem*> items;
    for (const auto& item : catalogue.items())
        if (s.answers.contains(item.code) && forms.find(item.code)) items.push_back(&item);
    if (items.empty()) throw core::InvalidData("the catalogue has no items the demo seed can fill in a form for");
    SeedReport report;
    const core::Date first{std::chrono::year{2025} / std::chrono::January / 6};
    const int span_days = 600;  // up to late summer 2026: due dates stay inside the published calendar
    std::optional<detail::Scratch> scans;
    bool bad_rating = false;
    // The acts of `cases_per_commit` cases go into one transaction (each act's own commit object
    // is a savepoint inside it): one fsync per batch instead of one per act.
    std::optional<store::Transaction> batch;
    int committed = 0;
    for (int i = 0; i < o.cases; ++i) {
        if (o.cases_per_commit > 0 && !batch) batch.emplace(store.db());
        // An item whose form needs a scan (a photo) is seeded only while scans are left to attach.
        const core::ServiceItem* item = nullptr;
        std::string scan_code;
        const bool scan = report.scans < o.scans;
        const Tour* tour = o.renderer && std::size_t(i) < std::size(kTour) ? &kTour[i] : nullptr;
        for (int tries = 0;; ++tries) {
            item = items[std::size_t(s.uniform(0, int(items.size()) - 1))];
            scan_code = s.attachment_material(item->code);
            if (!scan_code.empty() && !scan) continue;
            if (tour && tries < 10'000 && !fits(*item, *tour)) continue;
            break;
        }
        int roll = s.uniform(1, 100), acc = 0;
        Target target = kTargets[0];
        for (const auto& t : kTargets)
            if (roll <= (acc += t.weight)) {
                target = t;
                break;
            }
        if (tour) target = tour->target;
        if (o.today && target.deferred && !tour) {
            // The deferred-due queue needs a material that may be deferred (容缺): such an item.
            auto deferrable = [](const core::ServiceItem& it) {
                return std::any_of(it.spec.materials.begin(), it.spec.materials.end(),
                                   [](const auto& m) { return m.necessity == core::Necessity::deferrable; });
            };
            for (int tries = 0; tries < 1000 && !deferrable(*item); ++tries) {
                const auto* other = items[std::size_t(s.uniform(0, int(items.size()) - 1))];
                if (!s.attachment_material(other->code).empty() && !scan) continue;
                item = other;
                scan_code = s.attachment_material(item->code);
            }
        }
        core::Date day = first + std::chrono::days{s.uniform(0, span_days)};
        while (!calendar.is_workday(day)) day += std::chrono::days{1};
        if (o.today && i % 6 == 5) {
            // Recent work for the queues of `today`: taken 0–15 working days before it; a clock
            // started then runs out around today for half the accepted ones (due-soon).
            int back = (i / 6) % 16;
            const bool running = target.state == CaseState::accepted || target.state == CaseState::under_review;
            if (running && (i / 6) % 2 == 1) back = std::max(0, item->spec.promised_limit_days - (i / 12) % 3);
            day = *o.today;
            for (int k = 0; k < back; ++k) {
                day -= std::chrono::days{1};
                while (!calendar.is_workday(day)) day -= std::chrono::days{1};
            }
        }
        s.t = core::Instant{day} + std::chrono::hours{1} + std::chrono::minutes{s.uniform(0, 420)};
        const core::Applicant who = s.applicant();
        auto& wf = *s.wf;

        ActResult r;
        try {
            r = s.act(kClerk, 0, [&] { return wf.start_intake({item->code, ""}); });
        } catch (const store::StoreError& e) {
            // The same seed makes the same case ids: seeding it twice would collide on them.
            if ((e.sqlite_code() & 0xff) != 19 /* SQLITE_CONSTRAINT */) throw;
            throw core::InvalidData("this store already holds the demo cases of seed " + std::to_string(o.seed) +
                                    (committed ? " (after " + std::to_string(committed) + " new ones)" : std::string()) +
                                    ": use another --seed to add more");
        }
        const core::Uuid id = r.case_data.id;
        SetApplicant sa;
        sa.doc_type = who.doc_type;
        sa.doc_number = who.doc_number;
        sa.name = who.name;
        sa.phone = who.phone;
        sa.address = who.address;
        r = s.act(kClerk, 2, [&] { return wf.set_applicant(id, sa); });
        if (scan) {
            if (!scans) scans.emplace(store.dir());
            RecordMaterial m;
            m.material_code = scan_code.empty() ? r.case_data.checklist.entries.front().material_code : scan_code;
            m.status = MaterialStatus::scanned;
            m.file = *scans / ("scan-" + std::to_string(report.scans) + ".tif");
            {
                std::ofstream out(*m.file, std::ios::binary);
                out << synthetic_tiff(report.scans, s.rng);
            }
            r = s.act(kClerk, 1, [&] { return wf.record_material(id, m); });
            std::filesystem::remove(*m.file);
            ++report.scans;
        }
        r = s.act(kClerk, 3, [&] { return wf.answer(id, fill(s.answers[item->code], who, core::china_date(s.t + std::chrono::minutes{3}))); });

        // The materials the form calls for: brought, fetched (电子证照), promised (告知承诺),
        // deferred (容缺), or one left out (a correction or a refusal follows).
        const bool gap = (target.state == CaseState::correction_requested && !target.returned) || target.state == CaseState::refused;
        std::string missing;
        const auto entries = r.case_data.checklist.entries;
        for (const auto& e : entries) {
            if (e.satisfied()) continue;
            RecordMaterial m;
            m.material_code = e.material_code;
            if (gap && missing.empty() && e.necessity != core::Necessity::optional) {
                missing = e.material_code;
                continue;
            }
            if (target.deferred && e.necessity == core::Necessity::deferrable) {
                m.status = MaterialStatus::deferred;
                m.until = day + std::chrono::days{10};
            } else if (e.commitment_allowed && target.state != CaseState::draft && !gap &&
                       ((tour && tour->commitment) || s.uniform(0, 3) == 0)) {
                m.status = MaterialStatus::commitment;
            } else {
                m.status = e.source == core::MaterialSource::government ? MaterialStatus::e_licence
                           : e.form == core::MaterialForm::copy         ? MaterialStatus::copy_received
                                                                        : MaterialStatus::original_received;
                if (e.necessity == core::Necessity::optional && s.uniform(0, 1) == 0) m.status = MaterialStatus::not_applicable;
            }
            r = s.act(kClerk, 3, [&] { return wf.record_material(id, m); });
            count_notice(report, r);
        }
        auto decide = [&](Verdict v, std::string opinion) {
            Decide d;
            d.verdict = v;
            d.opinion = std::move(opinion);
            // With the chief representatives in the store, B sometimes acts for an absent A.
            bool b_for_a = o.renderer && (v == Verdict::deny || s.uniform(0, 3) == 0);
            if (b_for_a) {
                d.acting_for = kChiefA.user_id;
                store.set_absent(kChiefA.user_id, true);
            }
            r = s.act(b_for_a ? kChiefB : kChiefA, 30, [&] { return wf.decide(id, d); });
            if (b_for_a) store.set_absent(kChiefA.user_id, false);
            count_notice(report, r);
        };
        if (target.state == CaseState::correction_requested && !target.returned) {
            Correction c;
            if (!missing.empty()) {
                c.materials.push_back({missing, false, "未携带"});
            } else {
                // Every material was already there (e.g. the only required one was scanned): it is not legible.
                c.materials.push_back({entries.front().material_code, true, "扫描件不清晰"});
            }
            c.reason = "申请材料不齐全";
            r = s.act(kClerk, 3, [&] { return wf.request_correction(id, c); });
            count_notice(report, r);
        } else if (target.state == CaseState::refused) {
            r = s.act(kClerk, 3, [&] {
                return wf.refuse(id, {"不符合受理条件：申请事项不属于本机关职权范围", "《中华人民共和国行政许可法》第三十二条"});
            });
            count_notice(report, r);
        } else if (target.state != CaseState::draft) {
            r = s.act(kClerk, 3, [&] { return wf.accept(id); });
            count_notice(report, r);
            if (target.state != CaseState::accepted) {
                r = s.act(kClerk, 5, [&] { return wf.submit(id); });
                if (target.returned) {
                    // The chief representative sends it back naming what is wrong (the correction notice).
                    Correction c;
                    c.materials.push_back({r.case_data.checklist.entries.front().material_code, true, "内容与实际情况不一致"});
                    c.reason = "申请材料内容与实际情况不一致，请补正";
                    r = s.act(kChiefA, 30, [&] { return wf.request_correction(id, c); });
                    count_notice(report, r);
                } else if (target.state == CaseState::denied) {
                    decide(Verdict::deny, "经审查，申请材料与实际情况不符");
                } else if (target.state != CaseState::under_review) {
                    // 容缺 materials are delivered before the decision.
                    // (The codes first: each act replaces `r`, whose checklist the loop would walk.)
                    std::vector<std::string> deferred;
                    for (const auto& e : r.case_data.checklist.entries)
                        if (e.status == MaterialStatus::deferred) deferred.push_back(e.material_code);
                    for (const auto& code : deferred) {
                        RecordMaterial m;
                        m.material_code = code;
                        m.status = MaterialStatus::original_received;
                        r = s.act(kClerk, 60, [&] { return wf.record_material(id, m); });
                    }
                    decide(Verdict::approve, "材料齐全，符合法定条件");
                    if (target.state == CaseState::result_issued || target.state == CaseState::rated) {
                        IssueResult ir;
                        if (tour ? tour->mail : s.uniform(0, 3) == 0) {
                            ir.mode = core::ResultHandover::Mode::mail;
                            ir.address = who.address;
                            ir.carrier = "中国邮政EMS";
                            ir.tracking_no = "EM" + std::to_string(100000000 + s.uniform(0, 899999999)) + "CN";
                        }
                        // 先缴费后出件: each fee paid at the window before the result goes out — within
                        // the hour before it, and with no draw on the seed's random numbers, so that
                        // the rest of a seed is what it was before fees existed.
                        std::vector<std::string> due;
                        for (const auto* f : r.case_data.fees_due()) due.push_back(f->name);
                        int waited = 0;
                        std::string digits;
                        for (char ch : r.case_data.receipt_no)
                            if (ch >= '0' && ch <= '9') digits += ch;
                        for (const auto& fee : due) {
                            Payment p;
                            p.fee = fee;
                            p.method = core::PaymentMethod::wechat;
                            p.payment_no = "4200" + digits + std::to_string(waited / 5);  // like a WeChat Pay transaction number
                            r = s.act(kClerk, 5, [&] { return wf.pay_fee(id, p); });
                            waited += 5;
                            count_notice(report, r);
                        }
                        r = s.act(kClerk, 60 - waited, [&] { return wf.issue(id, ir); });
                        count_notice(report, r);
                    }
                    if (target.state == CaseState::rated) {
                        Rate rt;
                        rt.level = s.uniform(1, 100) <= 90 ? s.uniform(4, 5) : s.uniform(1, 3);
                        if (o.today && !bad_rating) rt.level = 1;  // the follow-ups queue gets one
                        bad_rating = bad_rating || rt.level <= 2;
                        if (rt.level <= 2) {
                            rt.reason = "slow";
                            rt.text = "等候时间过长";
                        }
                        r = s.act(kClerk, 1, [&] { return wf.rate(id, rt); });
                    }
                }
            }
        }
        report.by_state[std::string(core::to_code(r.case_data.state))]++;
        ++report.cases;
        if (batch && (report.cases % o.cases_per_commit == 0 || i + 1 == o.cases)) {
            batch->commit();
            batch.reset();
        }
        if (!batch) committed = report.cases;
        if (o.progress && report.cases % 1000 == 0) o.progress(report.cases);
    }
    if (!o.assisted_by.empty()) {
        std::vector<std::string> open;
        {
            store::Stmt q(store.db(), "SELECT id FROM cases WHERE state IN ('accepted', 'under_review') ORDER BY id LIMIT 3");
            while (q.step()) open.push_back(q.text(0));
        }
        const core::AssistMode modes[] = {core::AssistMode::help, core::AssistMode::agency, core::AssistMode::help};
        const char* notes[] = {"协助填写申请表", "申请人行动不便，全程代办", ""};
        for (std::size_t i = 0; i < open.size(); ++i) {
            Assist a;
            a.mode = modes[i];
            a.helper = o.assisted_by;
            a.note = notes[i];
            const auto id = *core::Uuid::parse(open[i]);
            // A minute after the case's own last act: not later than the seed's other acts, so a
            // desk whose clock is pinned after them (the demo desk) acts on the case after it.
            const core::Case c = s.wf->load(id);
            if (!c.history.empty()) s.t = c.history.back().at;
            s.act(kClerk, 1, [&] { return s.wf->assist(id, a); });
        }
    }
    if (o.today && report.cases > 0) {
        // The platform refused one change, as sync records it: quarantined, with its issue.
        store::Outbox outbox(store.db());
        auto batch = outbox.next_batch(1, std::size_t(1) << 24);
        if (!batch.empty())
            outbox.quarantine(batch.front(), "invalid.applicant.phone", "the platform refused the applicant's phone number",
                              R"({"field":"applicant.phone"})", core::Instant{*o.today} + std::chrono::hours{2});
    }
    return report;
}

}  // namespace ow::workflow
