#include "ow/workflow/report.h"

#include "ow/core/case.h"
#include "ow/core/ids.h"
#include "ow/store/cases.h"
#include "ow/store/documents.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace ow::workflow {

namespace {

using core::CaseAction;
using core::CaseState;

const core::HistoryEntry* first_entry(const core::Case& c, CaseAction a) {
    for (const auto& h : c.history)
        if (h.action == a) return &h;
    return nullptr;
}

const core::HistoryEntry* decision_entry(const core::Case& c) {
    for (const auto& h : c.history)
        if (h.action == CaseAction::approve || h.action == CaseAction::deny) return &h;
    return nullptr;
}

bool in(core::Instant t, const ReportMonth& m) { return t >= m.from() && t < m.to(); }

std::string department_of(const core::Case& c, const core::Catalogue& cat) {
    if (c.bundle_code.empty()) {
        const auto* item = cat.item(c.item_code);
        return item ? item->department : std::string();
    }
    const auto* bundle = cat.bundle(c.bundle_code);
    if (!bundle) return {};
    std::set<std::string> departments;
    for (const auto& code : bundle->items) {
        const auto* item = cat.item(code);
        departments.insert(item ? item->department : std::string());
    }
    return departments.size() == 1 ? *departments.begin() : std::string();
}

bool decision_kind(const std::string& kind) {
    return kind == "approval_decision" || kind == "approval_result" || kind == "denial_decision" || kind == "denial_result";
}

/// What one case adds to the figures of its groups.
ReportFigures count_case(const core::Case& c, const std::vector<store::CaseDocument>& documents, const ReportMonth& m, core::Instant now) {
    ReportFigures f;
    const auto* received = first_entry(c, CaseAction::receive);
    const bool received_in = received && in(received->at, m);
    if (received_in) {
        f.received = 1;
        for (const auto& e : c.checklist.entries) {
            using S = core::MaterialStatus;
            if (e.status == S::original_received || e.status == S::copy_received || e.status == S::scanned || e.status == S::e_licence) {
                ++f.materials_given;
                if (e.status == S::e_licence) ++f.e_licences;
            }
        }
    }
    const auto* decided = decision_entry(c);
    if (decided && in(decided->at, m)) {
        f.done = 1;
        const core::Date day = core::china_date(decided->at);
        if (received && core::china_date(received->at) == day) f.on_the_spot = 1;
        if (!c.due_date || day <= *c.due_date)
            f.on_time = 1;
        else
            f.overdue_done = 1;
        if (!first_entry(c, CaseAction::request_correction)) f.one_visit = 1;
        // The decision's document (a case is decided once: at most one).
        const store::CaseDocument* doc = nullptr;
        for (const auto& d : documents)
            if (decision_kind(d.kind)) doc = &d;
        if (doc && doc->sealed) f.e_sealed = 1;
    }
    // Overdue and not done at the month's end — or now, for the month under way (nothing for a
    // month to come).
    const core::Instant cut = std::min(m.to(), now);
    if (cut > m.from() && (!decided || decided->at >= cut) && c.due_date && *c.due_date < core::china_date(cut)) {
        std::optional<CaseState> at_end;
        for (const auto& h : c.history)
            if (h.at < cut) at_end = h.to;
        if (at_end && (*at_end == CaseState::accepted || *at_end == CaseState::under_review || *at_end == CaseState::escalated))
            f.overdue_open = 1;
    }
    if (c.rating && in(c.rating->at, m)) {
        f.rated = 1;
        using L = core::RatingLevel;
        if (c.rating->level == L::very_satisfied || c.rating->level == L::satisfied) f.satisfied = 1;
        if (c.rating->bad()) f.bad_ratings = 1;
    }
    return f;
}

void add(ReportFigures& to, const ReportFigures& f) {
    to.received += f.received;
    to.done += f.done;
    to.on_the_spot += f.on_the_spot;
    to.on_time += f.on_time;
    to.overdue_done += f.overdue_done;
    to.overdue_open += f.overdue_open;
    to.one_visit += f.one_visit;
    to.rated += f.rated;
    to.satisfied += f.satisfied;
    to.bad_ratings += f.bad_ratings;
    to.materials_given += f.materials_given;
    to.e_licences += f.e_licences;
    to.e_sealed += f.e_sealed;
}

std::vector<ReportGroup> groups(const std::map<std::string, ReportFigures>& by_key) {
    std::vector<ReportGroup> out;
    for (const auto& [key, f] : by_key) out.push_back({key, f});
    return out;
}

}  // namespace

core::Date ReportMonth::first_day() const {
    return core::Date{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{1}};
}

core::Date ReportMonth::end_day() const {
    auto ym = std::chrono::year{year} / std::chrono::month{month} + std::chrono::months{1};
    return core::Date{ym / std::chrono::day{1}};
}

core::Instant ReportMonth::from() const { return core::Instant{first_day()} - std::chrono::hours{8}; }
core::Instant ReportMonth::to() const { return core::Instant{end_day()} - std::chrono::hours{8}; }

std::string ReportMonth::to_string() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u", year, month);
    return buf;
}

std::optional<ReportMonth> parse_report_month(std::string_view t) noexcept {
    if (t.size() != 7 || t[4] != '-') return std::nullopt;
    for (std::size_t i : {0, 1, 2, 3, 5, 6})
        if (t[i] < '0' || t[i] > '9') return std::nullopt;
    int year = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    unsigned month = unsigned((t[5] - '0') * 10 + (t[6] - '0'));
    if (year < 2000 || year > 2099 || month < 1 || month > 12) return std::nullopt;
    return ReportMonth{year, month};
}

MonthlyReport monthly_report(store::Db& db, const core::WorkCalendar& calendar, const core::Catalogue& catalogue, ReportMonth month,
                             core::Instant now) {
    MonthlyReport r;
    r.month = month;
    store::CaseStore cases(db, calendar);
    store::CaseDocuments docs(db);
    std::map<std::string, ReportFigures> windows, clerks, departments;
    for (const auto& id : cases.report_candidates(month.from(), month.to())) {
        auto c = cases.load(id);
        if (!c) continue;  // removed since (nothing removes cases today)
        ReportFigures f = count_case(*c, docs.list(id.to_string()), month, now);
        if (f == ReportFigures{}) continue;
        std::string window;
        if (auto no = core::ReceiptNumber::parse(c->receipt_no)) window = no->terminal;
        const auto* received = first_entry(*c, CaseAction::receive);
        add(r.total, f);
        add(windows[window], f);
        add(clerks[received ? received->actor.user_id : std::string()], f);
        add(departments[department_of(*c, catalogue)], f);
    }
    r.windows = groups(windows);
    r.clerks = groups(clerks);
    r.departments = groups(departments);
    return r;
}

namespace {

std::vector<std::pair<std::string, std::int64_t>> counts(const ReportFigures& f) {
    return {{"received", f.received},         {"done", f.done},
            {"on_the_spot", f.on_the_spot},   {"on_time", f.on_time},
            {"overdue", f.overdue()},         {"overdue_done", f.overdue_done},
            {"overdue_open", f.overdue_open}, {"one_visit", f.one_visit},
            {"rated", f.rated},               {"satisfied", f.satisfied},
            {"bad_ratings", f.bad_ratings},   {"materials_given", f.materials_given},
            {"e_licences", f.e_licences},     {"e_sealed", f.e_sealed}};
}

std::vector<std::pair<std::string, std::optional<double>>> rates(const ReportFigures& f) {
    return {{"on_the_spot_rate", f.on_the_spot_rate()}, {"one_visit_rate", f.one_visit_rate()},
            {"on_time_rate", f.on_time_rate()},         {"satisfaction_rate", f.satisfaction_rate()},
            {"e_licence_rate", f.e_licence_rate()},     {"e_seal_rate", f.e_seal_rate()}};
}

nlohmann::ordered_json figures_json(nlohmann::ordered_json j, const ReportFigures& f) {
    for (const auto& [name, n] : counts(f)) j[name] = n;
    for (const auto& [name, r] : rates(f)) {
        if (r)
            j[name] = std::round(*r * 10000.0) / 10000.0;
        else
            j[name] = nullptr;
    }
    return j;
}

std::string csv_row(const std::string& group, const std::string& key, const ReportFigures& f) {
    std::string line = group + "," + csv_field(key);
    for (const auto& [name, n] : counts(f)) line += "," + std::to_string(n);
    for (const auto& [name, r] : rates(f)) {
        line += ",";
        if (r) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.4f", *r);
            line += buf;
        }
    }
    return line + "\n";
}

}  // namespace

const std::vector<std::string>& report_fields() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& c : counts({})) out.push_back(c.first);
        for (const auto& r : rates({})) out.push_back(r.first);
        return out;
    }();
    return names;
}

nlohmann::ordered_json report_json(const MonthlyReport& r) {
    using J = nlohmann::ordered_json;
    J out = {{"month", r.month.to_string()}, {"from", core::format_instant(r.month.from())}, {"to", core::format_instant(r.month.to())}};
    out["total"] = figures_json(J::object(), r.total);
    auto list = [](const std::vector<ReportGroup>& groups, const char* key_name) {
        J a = J::array();
        for (const auto& g : groups) a.push_back(figures_json(J{{key_name, g.key}}, g.figures));
        return a;
    };
    out["windows"] = list(r.windows, "window");
    out["clerks"] = list(r.clerks, "clerk");
    out["departments"] = list(r.departments, "department");
    return out;
}

std::string csv_field(const std::string& v) {
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string report_csv(const MonthlyReport& r) {
    std::string text = "group,key";
    for (const auto& name : report_fields()) text += "," + name;
    text += "\n" + csv_row("total", "", r.total);
    for (const auto& g : r.windows) text += csv_row("window", g.key, g.figures);
    for (const auto& g : r.clerks) text += csv_row("clerk", g.key, g.figures);
    for (const auto& g : r.departments) text += csv_row("department", g.key, g.figures);
    return text;
}

}  // namespace ow::workflow
