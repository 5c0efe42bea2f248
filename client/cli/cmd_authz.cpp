// Who may do what (授权清单, issue 21 part 4): authz list | grant | clear | department | staff.
// The matrix per department and item kind (core::Authorisations, kept by store::AuthorisationBook),
// the departments that have no one in the hall (事进人不进: acceptance calls their chief
// representative, who answers within the department's minutes), and the staff list for filing
// (备案). Everyone reads; administrators change (audited).
#include "cli.h"
#include "i18n.h"
#include "options.h"
#include "store_access.h"

#include "ow/catalogue/store_catalogue.h"
#include "ow/store/authorisations.h"
#include "ow/workflow/staff.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace ow::cli {
namespace {

using nlohmann::json;

std::optional<core::ItemKind> kind_of(const Options& o) {
    auto k = o.get("--kind");
    if (!k || *k == "any") return std::nullopt;
    if (*k == "immediate") return core::ItemKind::immediate;
    if (*k == "promised") return core::ItemKind::promised;
    if (*k == "escalated") return core::ItemKind::escalated;
    throw UsageError{tr("--kind must be immediate, promised, escalated or any")};
}

core::Power power_of(const Options& o) {
    const std::string p = o.require("--power");
    try {
        return core::parse_power(p);
    } catch (const core::InvalidData&) {
        throw UsageError{tr("--power must be accept, decide, countersign, escalate, collect_fee or hold_seal")};
    }
}

/// The department named must be one of the catalogue's (or empty: every department).
std::string department_of(const Options& o, store::Store& s, bool required) {
    auto d = o.get("--department");
    if (!d || d->empty()) {
        if (required) throw UsageError{tr("--department NAME is required")};
        return {};
    }
    const auto cat = catalogue::load_store_catalogue(s.db());
    for (const auto& item : cat.catalogue.items())
        if (item.department == *d) return *d;
    throw core::InvalidData(subst(tr("no item of the catalogue belongs to the department '%1'"), *d));
}

json matrix_json(const core::Authorisations& a) {
    json grants = json::array();
    for (const auto& g : a.grants)
        grants.push_back({{"department", g.department},
                          {"kind", g.kind ? json(core::to_code(*g.kind)) : json(nullptr)},
                          {"power", core::to_code(g.power)},
                          {"grantees", core::grantees_code(g.grantees)},
                          {"set_by", g.set_by},
                          {"set_at", g.set_at ? json(core::format_instant(*g.set_at)) : json(nullptr)}});
    json builtin = json::object();
    for (auto p : core::kAllPowers) builtin[std::string(core::to_code(p))] = core::grantees_code(core::Authorisations::builtin(p));
    json departments = json::array();
    for (const auto& d : a.departments)
        departments.push_back({{"department", d.department},
                               {"remote", d.remote},
                               {"answer_minutes", d.answer_minutes},
                               {"contact", d.contact},
                               {"set_by", d.set_by},
                               {"set_at", d.set_at ? json(core::format_instant(*d.set_at)) : json(nullptr)}});
    return {{"grants", grants}, {"builtin", builtin}, {"departments", departments}};
}

int authz_list(const std::vector<std::string>& args) {
    auto o = Options::parse(args, kOpenOptions, {"--json"});
    if (!o.positional.empty()) throw UsageError{subst(tr("unexpected argument '%1'"), o.positional[0])};
    auto s = open_store(o, store::OpenMode::read_only);
    const auto a = store::AuthorisationBook(*s).load();
    if (o.has("--json")) {
        std::cout << matrix_json(a).dump() << "\n";
        return kOk;
    }
    std::cout << "built-in:";
    for (auto p : core::kAllPowers) std::cout << " " << core::to_code(p) << "=" << core::grantees_code(core::Authorisations::builtin(p));
    std::cout << "\n";
    for (const auto& g : a.grants)
        std::cout << (g.department.empty() ? "*" : g.department) << "\t" << (g.kind ? core::to_code(*g.kind) : "any") << "\t"
                  << core::to_code(g.power) << "\t" << core::grantees_code(g.grantees) << "\n";
    for (const auto& d : a.departments)
        std::cout << d.department << "\t" << (d.remote ? "remote" : "stationed") << "\t" << d.answer_minutes << " min\t" << d.contact << "\n";
    return kOk;
}

int authz_grant(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--department", "--kind", "--power", "--grantees"}));
    if (!o.positional.empty()) throw UsageError{subst(tr("unexpected argument '%1'"), o.positional[0])};
    core::Grant g;
    g.kind = kind_of(o);
    g.power = power_of(o);
    try {
        g.grantees = core::parse_grantees(o.require("--grantees"));
    } catch (const core::InvalidData&) {
        throw UsageError{tr("--grantees must be window, chief, window,chief or none")};
    }
    auto s = open_store(o);
    g.department = department_of(o, *s, false);
    store::AuthorisationBook(*s).grant(g, core::now());
    std::cout << (g.department.empty() ? "*" : g.department) << " " << (g.kind ? core::to_code(*g.kind) : "any") << " "
              << core::to_code(g.power) << ": " << core::grantees_code(g.grantees) << "\n";
    return kOk;
}

int authz_clear(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--department", "--kind", "--power"}));
    if (!o.positional.empty()) throw UsageError{subst(tr("unexpected argument '%1'"), o.positional[0])};
    const auto kind = kind_of(o);
    const auto power = power_of(o);
    auto s = open_store(o);
    const std::string dept = o.get("--department").value_or("");
    if (!store::AuthorisationBook(*s).clear(dept, kind, power, core::now())) {
        std::cerr << "onewindow-cli: " << tr("no such grant") << "\n";
        return kNo;
    }
    std::cout << "cleared\n";
    return kOk;
}

int authz_department(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--department", "--answer-minutes", "--contact"}), {"--remote", "--stationed"});
    if (!o.positional.empty()) throw UsageError{subst(tr("unexpected argument '%1'"), o.positional[0])};
    if (o.has("--remote") == o.has("--stationed")) throw UsageError{tr("give --remote (no one in the hall) or --stationed")};
    auto s = open_store(o);
    core::DepartmentPolicy p;
    p.department = department_of(o, *s, true);
    p.remote = o.has("--remote");
    if (auto m = o.get("--answer-minutes")) {
        try {
            std::size_t used = 0;
            p.answer_minutes = std::stoi(*m, &used);
            if (used != m->size()) throw std::invalid_argument("trailing");
        } catch (const std::exception&) {
            throw UsageError{tr("--answer-minutes must be a whole number of minutes")};
        }
    }
    p.contact = o.get("--contact").value_or("");
    store::AuthorisationBook(*s).set_department(p, core::now());
    std::cout << p.department << ": " << (p.remote ? "remote, answer within " + std::to_string(p.answer_minutes) + " min" : "stationed")
              << "\n";
    return kOk;
}

int authz_staff(const std::vector<std::string>& args) {
    auto o = Options::parse(args, kOpenOptions, {"--json", "--csv"});
    if (!o.positional.empty()) throw UsageError{subst(tr("unexpected argument '%1'"), o.positional[0])};
    if (o.has("--json") && o.has("--csv")) throw UsageError{tr("give --json or --csv, not both")};
    auto s = open_store(o, store::OpenMode::read_only);
    const auto cat = catalogue::load_store_catalogue(s->db());
    const auto f = workflow::staff_filing(*s, cat.catalogue);
    if (o.has("--json")) {
        std::cout << workflow::staff_json(f).dump() << "\n";
    } else if (o.has("--csv")) {
        std::cout << workflow::staff_csv(f);
    } else {
        for (const auto& m : f.staff) {
            std::cout << m.name << "\t" << core::to_code(m.role) << (m.post != core::Post::none ? " " + std::string(core::to_code(m.post)) : "")
                      << "\t" << (m.department.empty() ? "*" : m.department) << (m.absent ? "\t(absent)" : "") << "\n";
            for (const auto& p : m.powers) {
                std::cout << "  " << p.department << "\t" << core::to_code(p.kind) << "\t";
                for (std::size_t i = 0; i < p.powers.size(); ++i) std::cout << (i ? "," : "") << core::to_code(p.powers[i]);
                std::cout << "\n";
            }
        }
    }
    return kOk;
}

}  // namespace

void register_authz_commands() {
    auto& c = commands();
    c.push_back({"authz", "list", "--store DIR --password-file F [--user NAME] [--json]",
                 TR_N_("the authorisation matrix (%1): grants per department and item kind, the built-in default, the departments "
                       "with no one in the hall (%2)"),
                 run_guarded<authz_list>, {"授权清单", "事进人不进"}});
    c.push_back({"authz", "grant",
                 "--store DIR --password-file F [--user NAME] [--department D] [--kind immediate|promised|escalated|any] "
                 "--power accept|decide|countersign|escalate|collect_fee|hold_seal --grantees window|chief|window,chief|none",
                 TR_N_("set who may exercise a power for a department's items (administrators; audited): the most specific grant wins, "
                       "no department = every department; the window may be given accept, collect_fee, and decide and hold_seal for "
                       "immediate items (%1)"),
                 run_guarded<authz_grant>, {"马上办"}});
    c.push_back({"authz", "clear",
                 "--store DIR --password-file F [--user NAME] [--department D] [--kind K|any] --power P",
                 TR_N_("remove a grant (administrators; audited); exit 1 when there was none"), run_guarded<authz_clear>});
    c.push_back({"authz", "department",
                 "--store DIR --password-file F [--user NAME] --department D --remote|--stationed [--answer-minutes N] [--contact T]",
                 TR_N_("mark a department as having no one in the hall (%1: acceptance calls its chief representative, who must take "
                       "the case up within N minutes, default 60; the remote-calls queue) or as stationed (administrators; audited)"),
                 run_guarded<authz_department>, {"事进人不进"}});
    c.push_back({"authz", "staff", "--store DIR --password-file F [--user NAME] [--json|--csv]",
                 TR_N_("the staff list for filing (%1): clerks and chief representatives with their post, department and the powers "
                       "the matrix gives them per department and item kind"),
                 run_guarded<authz_staff>, {"备案"}});
}

}  // namespace ow::cli
