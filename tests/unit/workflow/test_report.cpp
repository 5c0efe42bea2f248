// The centre's figures (ow/workflow/report.h, `onewindow-cli report monthly`): a store seeded
// through the workflow at chosen times (China time), the expected figures computed here from what
// the test did (its own record of every case, not the report's code), compared with the CLI's
// --json and --csv. Month boundaries: 2026-10-31 23:30 +08:00 is October, 2026-09-30 23:59 +08:00
// is September.
#include <boost/test/unit_test.hpp>

#include "fixture.h"

#include "ow/forms/definition.h"
#include "ow/notices/renderer.h"
#include "ow/seal/seal.h"
#include "ow/store/documents.h"
#include "ow/store/repositories.h"
#include "ow/workflow/report.h"
#include "ow/workflow/workflow.h"

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include <sys/wait.h>

using namespace ow;
using namespace ow::test;
using nlohmann::json;

namespace {

const std::string kImmediate = "370102-SC-0001-001";  // 个体工商户设立登记: 即办件, 区市场监督管理局, licensing
const std::string kPromised = "370102-GA-0610-001";   // 外国人居留许可: 承诺件 (7 working days), 市公安局出入境管理支队

/// A China wall-clock time as an instant.
core::Instant china(const std::string& date, int h, int m) {
    return core::Instant{core::parse_date(date)} + std::chrono::hours{h - 8} + std::chrono::minutes{m};
}

/// What the test did to one case, recorded as it acted (the expected figures come from these).
struct Seeded {
    std::string window, clerk, department;
    core::Instant received{};
    std::optional<core::Instant> decided;
    bool corrected = false;
    bool sealed_decision = false;
    std::optional<int> rating;  // the applicant's 1–5
    std::optional<core::Instant> rated;
    std::optional<core::Date> due;
    int given = 0, e_licences = 0;  // materials given / as e-licences
    /// Whether its clock ran (accepted / under review) at the end of the month, as the test knows it.
    std::map<std::string, bool> running_at_end;
};

Seeded record(std::string window, std::string clerk, std::string department, core::Instant received, std::optional<core::Instant> decided,
              bool corrected, bool sealed, std::optional<int> rating, std::optional<core::Instant> rated) {
    Seeded s;
    s.window = std::move(window);
    s.clerk = std::move(clerk);
    s.department = std::move(department);
    s.received = received;
    s.decided = decided;
    s.corrected = corrected;
    s.sealed_decision = sealed;
    s.rating = rating;
    s.rated = rated;
    return s;
}

struct Centre {
    TempDir tmp;
    std::filesystem::path dir = tmp.path / "store";
    core::Catalogue cat = catalogue();
    forms::FormCatalogue forms = forms::FormCatalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog");
    notices::NoticeRenderer renderer{notices::TemplateSet::load_directory(std::string(OW_SOURCE_DIR) + "/assets/notices")};
    core::Instant clock_at{};
    std::vector<std::string> licences;
    std::vector<Seeded> seeded;

    Centre() {
        store::Store::init(dir, "admin", core::Role::admin, kPassword, fast_kdf());
        auto a = open("admin");
        for (const char* c : {"wang", "zhao"}) a->set_user(c, core::Role::clerk, kPassword, fast_kdf());
        a->set_user("chief_a", core::Role::chief, kPassword, fast_kdf());
        a->set_user_profile("chief_a", core::Post::A, "张首席");
        auto demo = seal::make_demo_seal("测试行政审批局", tmp.path / "seal");
        auto read = [](const std::filesystem::path& p) {
            std::ifstream in(p, std::ios::binary);
            return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        };
        store::SealAssignment s;
        s.holder_kind = store::SealAssignment::HolderKind::post;
        s.holder = "A";
        s.name = "行政审批专用章";
        s.signer = "demo";
        s.p12 = read(demo.p12);
        s.pin = read(demo.pin_file);
        while (!s.pin.empty() && (s.pin.back() == '\n' || s.pin.back() == '\r')) s.pin.pop_back();
        s.image = read(demo.png);
        store::SealAssignments(a->db()).assign(s, a->actor(), core::now());
        std::ofstream(tmp.path / "pw") << kPassword << "\n";
    }
    std::unique_ptr<store::Store> open(const std::string& user) { return store::Store::open(dir, user, kPassword); }
    /// A workflow of `s` at window `terminal`, with notices (decisions sealed) or without.
    workflow::Workflow wf(store::Store& s, const std::string& terminal, bool notices) {
        workflow::Environment env;
        env.now = [this] { return clock_at; };
        env.catalogue = &cat;
        env.forms = &forms;
        env.renderer = notices ? &renderer : nullptr;
        env.terminal = {"DEMO01", terminal};
        env.envelope.window = terminal + "号窗口";
        env.envelope.progress_url = "https://example.gov.cn/p?no={receipt_no}";
        env.e_licences = [this](core::DocumentType, const std::string&) { return licences; };
        return workflow::Workflow(s, calendar(), std::move(env));
    }

    struct Open {
        std::unique_ptr<store::Store> s;
        workflow::Workflow w;
        core::Uuid id;
    };

    /// An intake by `clerk` at `terminal` at `at`, the applicant identified, the form answered and
    /// every material still needed given as an original (the government's as e-licences when
    /// `e_licence`). Not yet received.
    core::Uuid intake(const std::string& clerk, const std::string& terminal, bool notices, const std::string& item, core::Instant at,
                      bool e_licence, const std::string& id_no) {
        clock_at = at;
        licences = e_licence ? std::vector<std::string>{"居民身份证"} : std::vector<std::string>{};
        auto s = open(clerk);
        auto w = wf(*s, terminal, notices);
        auto id = w.start_intake({item, ""}).case_data.id;
        w.set_applicant(id, {core::ApplicantKind::person, core::DocumentType::resident_id, id_no, "李红", "13800138000", "", ""});
        json answers = item == kImmediate
                           ? json{{"operator_name", "李红"}, {"operator_id", id_no}, {"operator_phone", "13800138000"}, {"organisation", "individual"},
                                  {"business_name", "李红小吃店"}, {"business_scope", "小吃服务"},
                                  {"premises", {{"region", "370102"}, {"detail", "经十路2号"}}}, {"capital_fen", 5000000},
                                  {"employees", 2}, {"agent_present", false}}
                           : json{{"full_name", "李红"}, {"passport", {{"name", "李红"}, {"doc_type", 111}, {"doc_number", id_no}}}, {"nationality", "新加坡"},
                                  {"birth_date", "1990-01-01"}, {"employer_name", "济南示例科技有限公司"}, {"employer_uscc", "91350100MA01B2C37P"},
                                  {"phone", "13800138000"}, {"work_permit_no", "WP2026001"},
                                  {"residence_address", {{"region", "370102"}, {"detail", "经十路1号"}}}, {"duration", "lt1y"}};
        auto c = w.answer(id, answers).case_data;
        for (const auto& e : c.checklist.entries)
            if (e.status == core::MaterialStatus::pending && e.necessity != core::Necessity::optional)
                w.record_material(id, {e.material_code, core::MaterialStatus::original_received, std::nullopt, std::nullopt, "", ""});
        return id;
    }
    /// Records the case as it stands (materials, due date) into `rec` and keeps it.
    void keep(Seeded rec, const core::Uuid& id) {
        auto s = open("admin");
        auto c = wf(*s, "T1", false).load(id);
        for (const auto& e : c.checklist.entries) {
            using S = core::MaterialStatus;
            if (e.status == S::original_received || e.status == S::copy_received || e.status == S::scanned || e.status == S::e_licence) ++rec.given;
            if (e.status == S::e_licence) ++rec.e_licences;
        }
        rec.due = c.due_date;
        seeded.push_back(std::move(rec));
    }
    workflow::ActResult act_as(const std::string& user, const std::string& terminal, bool notices, core::Instant at,
                               const std::function<workflow::ActResult(workflow::Workflow&)>& f) {
        clock_at = at;
        auto s = open(user);
        auto w = wf(*s, terminal, notices);
        return f(w);
    }

    /// Runs the CLI; returns (exit status, stdout).
    std::pair<int, std::string> cli(const std::string& args) {
        std::string cmd = std::string(OW_CLI) + " " + args + " --store '" + dir.string() + "' --password-file '" + (tmp.path / "pw").string() +
                          "' 2>'" + (tmp.path / "err").string() + "'";
        FILE* p = ::popen(cmd.c_str(), "r");
        BOOST_REQUIRE(p);
        std::string out;
        std::array<char, 4096> buf{};
        while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
        int status = ::pclose(p);
        return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
    }
};

const std::vector<std::string> kCounts = {"received", "done",       "on_the_spot", "on_time",         "overdue",    "overdue_done", "overdue_open", "one_visit",
                                          "rated",    "satisfied",  "bad_ratings", "materials_given", "e_licences", "e_sealed"};

bool in_month(core::Instant t, int y, unsigned m) {
    auto d = std::chrono::year_month_day{core::china_date(t)};  // the test's own reading of "a China month"
    return int(d.year()) == y && unsigned(d.month()) == m;
}

/// The expected counts of one case for month y-m, from the test's record.
std::map<std::string, std::int64_t> expected_of(const Seeded& c, int y, unsigned m, const std::string& month_key) {
    std::map<std::string, std::int64_t> f;
    for (const auto& k : kCounts) f[k] = 0;
    if (in_month(c.received, y, m)) {
        f["received"] = 1;
        f["materials_given"] = c.given;
        f["e_licences"] = c.e_licences;
    }
    if (c.decided && in_month(*c.decided, y, m)) {
        f["done"] = 1;
        const auto day = core::china_date(*c.decided);
        f["on_the_spot"] = day == core::china_date(c.received);
        bool late = c.due && day > *c.due;
        f["on_time"] = !late;
        f["overdue_done"] = late;
        f["one_visit"] = !c.corrected;
        f["e_sealed"] = c.sealed_decision;
    }
    auto run = c.running_at_end.find(month_key);
    if (run != c.running_at_end.end() && run->second && c.due) {
        auto last = std::chrono::year_month_day_last{std::chrono::year{y} / std::chrono::month{m} / std::chrono::last};
        if (*c.due <= core::Date{last}) f["overdue_open"] = 1;
    }
    f["overdue"] = f["overdue_done"] + f["overdue_open"];
    if (c.rated && in_month(*c.rated, y, m)) {
        f["rated"] = 1;
        f["satisfied"] = *c.rating >= 4;
        f["bad_ratings"] = *c.rating <= 2;
    }
    return f;
}

using Expected = std::map<std::string, std::map<std::string, std::map<std::string, std::int64_t>>>;  // group → key → counts

Expected expected(const std::vector<Seeded>& cases, int y, unsigned m, const std::string& month_key) {
    Expected out;
    for (const auto& c : cases) {
        auto f = expected_of(c, y, m, month_key);
        bool any = false;
        for (const auto& [k, v] : f) any = any || v != 0;
        if (!any) continue;
        for (const auto& [group, key] : std::vector<std::pair<std::string, std::string>>{
                 {"total", ""}, {"window", c.window}, {"clerk", c.clerk}, {"department", c.department}})
            for (const auto& [k, v] : f) out[group][key][k] += v;
    }
    return out;
}

std::optional<double> rate(std::int64_t n, std::int64_t d) { return d ? std::optional<double>(double(n) / double(d)) : std::nullopt; }

/// The rates the figures imply (the report's own definitions, as the user guide states them).
std::map<std::string, std::optional<double>> rates_of(std::map<std::string, std::int64_t> f) {
    return {{"on_the_spot_rate", rate(f["on_the_spot"], f["done"])}, {"one_visit_rate", rate(f["one_visit"], f["done"])},
            {"on_time_rate", rate(f["on_time"], f["done"])},         {"satisfaction_rate", rate(f["satisfied"], f["rated"])},
            {"e_licence_rate", rate(f["e_licences"], f["materials_given"])}, {"e_seal_rate", rate(f["e_sealed"], f["done"])}};
}

void check_json_group(const json& row, std::map<std::string, std::int64_t> f, const std::string& what) {
    BOOST_TEST_CONTEXT(what) {
        for (const auto& k : kCounts) BOOST_TEST_CONTEXT(k) { BOOST_CHECK_EQUAL(row.at(k).get<std::int64_t>(), f[k]); }
        for (const auto& [k, r] : rates_of(f)) BOOST_TEST_CONTEXT(k) {
                if (!r)
                    BOOST_CHECK(row.at(k).is_null());
                else
                    BOOST_CHECK_CLOSE(row.at(k).get<double>(), *r, 0.05);  // 4 decimals
            }
    }
}

void check_json(const json& j, const Expected& e, const std::string& month) {
    BOOST_CHECK_EQUAL(j.at("month").get<std::string>(), month);
    check_json_group(j.at("total"), e.count("total") ? e.at("total").at("") : std::map<std::string, std::int64_t>{}, "total");
    for (const auto& [group, list] : std::vector<std::pair<std::string, std::string>>{{"window", "windows"}, {"clerk", "clerks"}, {"department", "departments"}}) {
        const auto& rows = j.at(list);
        std::size_t want = e.count(group) ? e.at(group).size() : 0;
        BOOST_CHECK_EQUAL(rows.size(), want);
        for (const auto& row : rows) {
            std::string key = row.at(group).get<std::string>();
            BOOST_REQUIRE_MESSAGE(e.count(group) && e.at(group).count(key), group + " '" + key + "' not expected");
            check_json_group(row, e.at(group).at(key), group + " " + key);
        }
    }
}

std::vector<std::string> split(const std::string& line) {  // the test's CSV has no quoted commas
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, ',')) out.push_back(cell);
    if (!line.empty() && line.back() == ',') out.emplace_back();
    return out;
}

void check_csv(const std::string& text, const Expected& e) {
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    auto header = split(line);
    BOOST_REQUIRE_GE(header.size(), 2u);
    BOOST_CHECK_EQUAL(header[0], "group");
    BOOST_CHECK_EQUAL(header[1], "key");
    std::size_t rows = 0, want = 0;
    for (const auto& [g, keys] : e) want += keys.size();
    if (!e.count("total")) ++want;  // the total row is always there
    while (std::getline(in, line)) {
        ++rows;
        auto cells = split(line);
        BOOST_REQUIRE_EQUAL(cells.size(), header.size());
        std::map<std::string, std::int64_t> f;
        if (e.count(cells[0]) && e.at(cells[0]).count(cells[1])) f = e.at(cells[0]).at(cells[1]);
        else BOOST_REQUIRE_MESSAGE(cells[0] == "total", "unexpected CSV row " + line);
        auto rates = rates_of(f);
        for (std::size_t i = 2; i < header.size(); ++i) BOOST_TEST_CONTEXT(cells[0] + " " + cells[1] + " " + header[i]) {
                if (rates.count(header[i])) {
                    auto r = rates[header[i]];
                    if (!r)
                        BOOST_CHECK(cells[i].empty());
                    else
                        BOOST_CHECK_CLOSE(std::stod(cells[i]), *r, 0.05);
                } else {
                    BOOST_CHECK_EQUAL(std::stoll(cells[i]), f[header[i]]);
                }
            }
    }
    BOOST_CHECK_EQUAL(rows, want);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(report)

BOOST_FIXTURE_TEST_CASE(the_monthly_figures_match_what_was_done, Centre) {
    const std::string market = cat.item(kImmediate)->department, hr = cat.item(kPromised)->department;
    using workflow::Verdict;
    auto approve = [](workflow::Workflow& w, const core::Uuid& id) { return w.decide(id, {Verdict::approve, "同意", "", "", "", "", {}}); };
    auto issue = [](workflow::Workflow& w, const core::Uuid& id) {
        std::vector<std::string> due;  // 先缴费后出件: each fee paid in cash first
        const core::Case c = w.load(id);  // (kept: fees_due() points into it)
        for (const auto* f : c.fees_due()) due.push_back(f->name);
        for (const auto& name : due) {
            workflow::Payment p;
            p.fee = name;
            w.pay_fee(id, p);
        }
        return w.issue(id, {core::ResultHandover::Mode::pickup, "", std::nullopt, "", "", ""});
    };
    auto rate_it = [](int level) {
        return [level](workflow::Workflow& w, const core::Uuid& id) {
            workflow::Rate r;
            r.level = level;
            if (level <= 2) r.reason = "slow";
            return w.rate(id, r);
        };
    };

    // 1. wang at T1, 2026-10-12: an immediate case decided on the spot with a sealed decision,
    //    its ID card an e-licence; rated 5 (非常满意).
    {
        auto t = china("2026-10-12", 9, 0);
        auto id = intake("wang", "T1", true, kImmediate, t, true, "11010519491231002X");
        act_as("wang", "T1", true, t, [&](auto& w) { return w.accept(id); });
        auto d = act_as("chief_a", "T1", true, china("2026-10-12", 10, 0), [&](auto& w) { return approve(w, id); });
        BOOST_REQUIRE(d.document && d.document->sealed);
        act_as("wang", "T1", true, china("2026-10-12", 10, 20), [&](auto& w) { return issue(w, id); });
        act_as("wang", "T1", true, china("2026-10-12", 10, 30), [&](auto& w) { return rate_it(5)(w, id); });
        keep(record("T1", "wang", market, t, china("2026-10-12", 10, 0), false, true, 5, china("2026-10-12", 10, 30)), id);
    }
    // 2. wang at T1, 2026-10-13: a one-time notice first (received, correction), the applicant
    //    back on 10-14, accepted and decided that day; rated 2 (不满意: a bad rating).
    {
        auto t = china("2026-10-13", 9, 0);
        auto id = intake("wang", "T1", true, kImmediate, t, false, "110105194912310038");
        clock_at = t;
        {
            auto s = open("wang");
            auto w = wf(*s, "T1", true);
            workflow::Correction corr;
            corr.materials.push_back({"premises", true, "地址不清"});
            corr.reason = "经营场所证明不清晰";
            w.request_correction(id, corr);
        }
        act_as("wang", "T1", true, china("2026-10-14", 9, 0), [&](auto& w) {
            w.record_material(id, {"premises", core::MaterialStatus::original_received, std::nullopt, std::nullopt, "", ""});
            return w.accept(id);
        });
        act_as("chief_a", "T1", true, china("2026-10-14", 9, 30), [&](auto& w) { return approve(w, id); });
        act_as("wang", "T1", true, china("2026-10-14", 9, 40), [&](auto& w) { return issue(w, id); });
        act_as("wang", "T1", true, china("2026-10-14", 9, 45), [&](auto& w) { return rate_it(2)(w, id); });
        keep(record("T1", "wang", market, t, china("2026-10-14", 9, 30), true, true, 2, china("2026-10-14", 9, 45)), id);
    }
    // 3. zhao at T2, 2026-10-15: a promised case (7 working days: due 10-26), still under review
    //    when October ends (overdue then), decided 11-03 without a notice (a paper decision).
    {
        auto t = china("2026-10-15", 9, 0);
        auto id = intake("zhao", "T2", false, kPromised, t, true, "110105194912310046");
        act_as("zhao", "T2", false, t, [&](auto& w) { return w.accept(id); });
        act_as("zhao", "T2", false, china("2026-10-15", 9, 10), [&](auto& w) { return w.submit(id); });
        act_as("chief_a", "T2", false, china("2026-11-03", 15, 0), [&](auto& w) { return approve(w, id); });
        Seeded rec = record("T2", "zhao", hr, t, china("2026-11-03", 15, 0), false, false, std::nullopt, std::nullopt);
        rec.running_at_end = {{"2026-10", true}};
        keep(rec, id);
    }
    // 4. zhao at T2, 2026-10-16: a promised case decided 10-20 (on time, no notice); rated 4 (满意).
    {
        auto t = china("2026-10-16", 9, 0);
        auto id = intake("zhao", "T2", false, kPromised, t, false, "110105194912310054");
        act_as("zhao", "T2", false, t, [&](auto& w) { return w.accept(id); });
        act_as("zhao", "T2", false, china("2026-10-16", 9, 5), [&](auto& w) { return w.submit(id); });
        act_as("chief_a", "T2", false, china("2026-10-20", 11, 0), [&](auto& w) { return approve(w, id); });
        act_as("zhao", "T2", false, china("2026-10-20", 16, 0), [&](auto& w) { return issue(w, id); });
        act_as("zhao", "T2", false, china("2026-10-20", 16, 5), [&](auto& w) { return rate_it(4)(w, id); });
        keep(record("T2", "zhao", hr, t, china("2026-10-20", 11, 0), false, false, 4, china("2026-10-20", 16, 5)), id);
    }
    // 5. zhao at T1, 2026-10-31 23:30 +08:00 (October, though 15:30 UTC): decided 11-01 00:10
    //    (November, not on the spot), rated 3 (基本满意: neither satisfied nor bad) in November.
    {
        auto t = china("2026-10-31", 23, 30);
        auto id = intake("zhao", "T1", true, kImmediate, t, true, "110105194912310062");
        act_as("zhao", "T1", true, t, [&](auto& w) { return w.accept(id); });
        auto d = act_as("chief_a", "T1", true, china("2026-11-01", 0, 10), [&](auto& w) { return approve(w, id); });
        BOOST_REQUIRE(d.document && d.document->sealed);
        act_as("zhao", "T1", true, china("2026-11-01", 0, 20), [&](auto& w) { return issue(w, id); });
        act_as("zhao", "T1", true, china("2026-11-01", 0, 30), [&](auto& w) { return rate_it(3)(w, id); });
        keep(record("T1", "zhao", market, t, china("2026-11-01", 0, 10), false, true, 3, china("2026-11-01", 0, 30)), id);
    }
    // 6. wang at T2, 2026-09-30 23:59 +08:00 (September): decided 10-08, after its promised date
    //    (an immediate case: due the day it was accepted) — overdue, done in October.
    {
        auto t = china("2026-09-30", 23, 59);
        auto id = intake("wang", "T2", true, kImmediate, t, false, "110105194912310070");
        act_as("wang", "T2", true, t, [&](auto& w) { return w.accept(id); });
        act_as("chief_a", "T2", true, china("2026-10-08", 9, 0), [&](auto& w) { return approve(w, id); });
        keep(record("T2", "wang", market, t, china("2026-10-08", 9, 0), false, true, std::nullopt, std::nullopt), id);
    }
    // 7. wang at T1, 2026-10-21: refused at intake (不予受理): received, never done.
    {
        auto t = china("2026-10-21", 10, 0);
        auto id = intake("wang", "T1", true, kImmediate, t, false, "110105194912310089");
        act_as("wang", "T1", true, t, [&](auto& w) { return w.refuse(id, {"不属于本机关职责范围", "《中华人民共和国行政许可法》第三十二条"}); });
        keep(record("T1", "wang", market, t, std::nullopt, false, false, std::nullopt, std::nullopt), id);
    }
    // A draft never received (not counted anywhere).
    intake("zhao", "T2", false, kPromised, china("2026-10-22", 9, 0), false, "110105194912310097");

    // What the test knows, spelled out for the key figures before the general comparison.
    auto oct = expected(seeded, 2026, 10, "2026-10");
    BOOST_CHECK_EQUAL(oct["total"][""]["received"], 6);  // 1, 2, 3, 4, 5 (23:30 on 10-31), 7 — not 6 (09-30 23:59)
    BOOST_CHECK_EQUAL(oct["total"][""]["done"], 4);      // 1, 2, 4, 6
    BOOST_CHECK_EQUAL(oct["total"][""]["overdue"], 2);   // 6 done late, 3 open past 10-26
    BOOST_CHECK_EQUAL(oct["total"][""]["bad_ratings"], 1);
    auto nov = expected(seeded, 2026, 11, "2026-11");
    BOOST_CHECK_EQUAL(nov["total"][""]["done"], 2);  // 3, 5

    // The CLI, as an administrator and as the chief representative.
    for (const auto& [month, e] : std::vector<std::pair<std::string, Expected>>{{"2026-10", oct}, {"2026-11", nov}}) {
        BOOST_TEST_CONTEXT(month) {
            auto [rc, out] = cli("report monthly --month " + month + " --json --user admin");
            BOOST_REQUIRE_EQUAL(rc, 0);
            check_json(json::parse(out), e, month);
            auto [rc2, csv] = cli("report monthly --month " + month + " --csv --user chief_a");
            BOOST_REQUIRE_EQUAL(rc2, 0);
            check_csv(csv, e);
        }
    }
    // The library gives the same figures as the CLI printed.
    {
        auto s = open("admin");
        auto r = workflow::monthly_report(s->db(), calendar(), cat, *workflow::parse_report_month("2026-10"), core::now());
        BOOST_CHECK(json::parse(workflow::report_json(r).dump()) == json::parse(cli("report monthly --month 2026-10 --json --user admin").second));
    }
    // The month under way ends now: case 3 (due 10-26, under review) is overdue from 10-27, not on
    // 10-20; a month to come has nothing overdue.
    {
        auto s = open("admin");
        const auto oct_m = *workflow::parse_report_month("2026-10");
        BOOST_CHECK_EQUAL(workflow::monthly_report(s->db(), calendar(), cat, oct_m, china("2026-10-27", 12, 0)).total.overdue_open, 1);
        BOOST_CHECK_EQUAL(workflow::monthly_report(s->db(), calendar(), cat, oct_m, china("2026-10-20", 12, 0)).total.overdue_open, 0);
        BOOST_CHECK_EQUAL(workflow::monthly_report(s->db(), calendar(), cat, *workflow::parse_report_month("2027-03"), core::now()).total.overdue(), 0);
    }
    // An empty month is zeros (rates without a value), exit 0; the readable table too.
    auto [rc, out] = cli("report monthly --month 2026-08 --json --user admin");
    BOOST_CHECK_EQUAL(rc, 0);
    check_json(json::parse(out), {}, "2026-08");
    auto [rc_t, table] = cli("report monthly --month 2026-10 --user admin");
    BOOST_CHECK_EQUAL(rc_t, 0);
    BOOST_CHECK(table.find("total") != std::string::npos && table.find("T2") != std::string::npos);
    // A clerk may not read the centre's figures; a bad month is a usage error.
    BOOST_CHECK_EQUAL(cli("report monthly --month 2026-10 --user wang").first, 1);
    for (const char* bad : {"2026-13", "2026-1", "26-10", "2026-10-01", "1999-12", "abcd-ef"})
        BOOST_TEST_CONTEXT(bad) { BOOST_CHECK_EQUAL(cli(std::string("report monthly --month ") + bad + " --user admin").first, 2); }
    BOOST_CHECK_EQUAL(cli("report monthly --user admin").first, 2);
    BOOST_CHECK_EQUAL(cli("report monthly --month 2026-10 --json --csv --user admin").first, 2);
}

BOOST_AUTO_TEST_CASE(months_are_china_months) {
    auto m = workflow::parse_report_month("2026-10");
    BOOST_REQUIRE(m);
    BOOST_CHECK_EQUAL(core::format_instant(m->from()), "2026-09-30T16:00:00.000Z");
    BOOST_CHECK_EQUAL(core::format_instant(m->to()), "2026-10-31T16:00:00.000Z");
    auto dec = workflow::parse_report_month("2099-12");
    BOOST_REQUIRE(dec);
    BOOST_CHECK_EQUAL(core::format_date(dec->end_day()), "2100-01-01");
    BOOST_CHECK(!workflow::parse_report_month("2026-00"));
    BOOST_CHECK(!workflow::parse_report_month("2100-01"));
    BOOST_CHECK(!workflow::parse_report_month(" 2026-10"));
}

BOOST_AUTO_TEST_SUITE_END()
