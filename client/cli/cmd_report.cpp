// `report monthly --month YYYY-MM [--json|--csv]`: the centre's figures for one China month
// (ow/workflow/report.h: the definitions) per window, clerk and department, and the total — a
// readable table, the JSON of workflow::report_json, or the CSV of workflow::report_csv.
// Administrators and chief representatives (the supervision figures of every clerk); a clerk is
// refused (exit 1). Exit codes: 0 ok (an empty month is zeros), 1 store refused (wrong password,
// damaged store, not allowed), 2 usage (a bad --month, --json with --csv).
#include "cli.h"
#include "i18n.h"
#include "options.h"
#include "store_access.h"

#include "ow/catalogue/store_catalogue.h"
#include "ow/store/repositories.h"
#include "ow/workflow/report.h"

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace ow::cli {
namespace {

std::string percent(const std::optional<double>& r) {
    if (!r) return "-";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f%%", *r * 100.0);
    return buf;
}

/// Display width of UTF-8 text: CJK characters take two columns.
std::size_t width(const std::string& s) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        w += len >= 3 ? 2 : 1;
        i += len;
    }
    return w;
}

std::string pad(const std::string& s, std::size_t w) { return s + std::string(w > width(s) ? w - width(s) : 1, ' '); }

void table(std::ostream& out, const workflow::MonthlyReport& r) {
    out << "The centre's figures for " << r.month.to_string() << " (China time, UTC+8)\n";
    std::size_t key_w = 12;
    for (const auto* list : {&r.windows, &r.clerks, &r.departments})
        for (const auto& g : *list) key_w = std::max(key_w, width(g.key) + 2);
    const char* heads[] = {"received", "done", "on-spot", "one-visit", "on-time", "overdue", "rated", "satisfied", "bad", "e-licence", "e-seal"};
    out << pad("group", 12) << pad("key", key_w);
    for (const char* h : heads) out << std::setw(10) << h;
    out << "\n";
    auto row = [&](const std::string& group, const std::string& key, const workflow::ReportFigures& f) {
        out << pad(group, 12) << pad(key.empty() ? "-" : key, key_w) << std::setw(10) << f.received << std::setw(10) << f.done
            << std::setw(10) << percent(f.on_the_spot_rate()) << std::setw(10) << percent(f.one_visit_rate()) << std::setw(10)
            << percent(f.on_time_rate()) << std::setw(10) << f.overdue() << std::setw(10) << f.rated << std::setw(10)
            << percent(f.satisfaction_rate()) << std::setw(10) << f.bad_ratings << std::setw(10) << percent(f.e_licence_rate())
            << std::setw(10) << percent(f.e_seal_rate()) << "\n";
    };
    row("total", "", r.total);
    for (const auto& g : r.windows) row("window", g.key, g.figures);
    for (const auto& g : r.clerks) row("clerk", g.key, g.figures);
    for (const auto& g : r.departments) row("department", g.key, g.figures);
}

int report_monthly(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--month"}), {"--json", "--csv"});
    if (!o.positional.empty()) throw UsageError{subst(tr("unexpected argument '%1'"), o.positional[0])};
    if (o.has("--json") && o.has("--csv")) throw UsageError{tr("give --json or --csv, not both")};
    const auto text = o.get("--month");
    if (!text) throw UsageError{tr("--month YYYY-MM is required")};
    const auto month = workflow::parse_report_month(*text);
    if (!month) throw UsageError{subst(tr("--month must be a month YYYY-MM in 2000-2099, not '%1'"), text->substr(0, 20))};
    auto s = open_store(o, store::OpenMode::read_only);
    const auto role = s->user().role;
    if (role != core::Role::admin && role != core::Role::chief)
        throw store::NotAuthorised("only administrators and chief representatives may read the centre's figures (" + s->user().name +
                                   " is " + std::string(core::to_code(role)) + ")");
    const auto cal = store::PlatformCalendars(s->db()).calendar();
    const auto cat = catalogue::load_store_catalogue(s->db());
    const auto r = workflow::monthly_report(s->db(), cal, cat.catalogue, *month, core::now());
    if (o.has("--json"))
        std::cout << workflow::report_json(r).dump() << "\n";
    else if (o.has("--csv"))
        std::cout << workflow::report_csv(r);
    else
        table(std::cout, r);
    return kOk;
}

}  // namespace

void register_report_commands() {
    commands().push_back(
        {"report", "monthly", "--month YYYY-MM --store DIR --password-file F [--user NAME] [--json|--csv]",
         TR_N_("the centre's figures for one month in China time, per window (terminal), clerk (who received) and department "
               "(%1) and in total: received (%2), done (%3: decided %4), on the spot (%5: decided the day received), one visit "
               "(%6: no correction notice), on time (%7: decided by the promised date), overdue (%8: decided after it, or not done "
               "and past it at the month's end, or now for the month under way), ratings (%9), e-licences among the materials "
               "given, decisions with an e-sealed document; rates are shares of done, rated and materials given "
               "(docs/user-guide.md); administrators and chief representatives"),
         run_guarded<report_monthly>,
         {"实施主体", "受理", "办结", "准予/不予", "当场办结", "一次办", "按时办结", "超期", "满意: 非常满意/满意; 差评: 不满意/非常不满意"}});
}

}  // namespace ow::cli
