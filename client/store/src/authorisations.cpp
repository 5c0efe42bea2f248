#include "ow/store/authorisations.h"

#include "ow/store/audit.h"
#include "ow/store/db.h"

#include <nlohmann/json.hpp>

namespace ow::store {

namespace {

std::string kind_code(std::optional<core::ItemKind> k) { return k ? std::string(core::to_code(*k)) : std::string(); }

nlohmann::json grant_json(const std::string& department, std::optional<core::ItemKind> kind, core::Power power) {
    return {{"department", department}, {"kind", kind ? nlohmann::json(kind_code(kind)) : nlohmann::json(nullptr)},
            {"power", core::to_code(power)}};
}

}  // namespace

core::Authorisations AuthorisationBook::load() {
    core::Authorisations a;
    Stmt q(store_.db(), "SELECT department, kind, power, grantees, set_by, set_at FROM authorisations ORDER BY department, kind, power");
    while (q.step()) {
        core::Grant g;
        g.department = q.text(0);
        if (!q.text(1).empty()) g.kind = core::from_code<core::ItemKind>(q.text(1));
        g.power = core::parse_power(q.text(2));
        g.grantees = core::parse_grantees(q.text(3));
        g.set_by = q.text(4);
        g.set_at = core::parse_instant(q.text(5));
        a.grants.push_back(std::move(g));
    }
    Stmt d(store_.db(), "SELECT department, remote, answer_minutes, contact, set_by, set_at FROM department_policies ORDER BY department");
    while (d.step()) {
        core::DepartmentPolicy p;
        p.department = d.text(0);
        p.remote = d.int64(1) != 0;
        p.answer_minutes = int(d.int64(2));
        p.contact = d.text(3);
        p.set_by = d.text(4);
        p.set_at = core::parse_instant(d.text(5));
        a.departments.push_back(std::move(p));
    }
    return a;
}

void AuthorisationBook::grant(const core::Grant& g, core::Instant at) {
    store_.require_role(core::Role::admin, "change the authorisation matrix");
    core::check_grant(g);
    Transaction tx(store_.db());
    Stmt(store_.db(), "INSERT OR REPLACE INTO authorisations(department, kind, power, grantees, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, g.department).bind(2, kind_code(g.kind)).bind(3, core::to_code(g.power)).bind(4, core::grantees_code(g.grantees))
        .bind(5, store_.user().name).bind(6, core::format_instant(at))
        .run();
    auto detail = grant_json(g.department, g.kind, g.power);
    detail["grantees"] = core::grantees_code(g.grantees);
    AuditLog(store_.db()).append(store_.actor(), at, "authorisation.granted", "", detail.dump());
    tx.commit();
}

bool AuthorisationBook::clear(const std::string& department, std::optional<core::ItemKind> kind, core::Power power, core::Instant at) {
    store_.require_role(core::Role::admin, "change the authorisation matrix");
    Transaction tx(store_.db());
    Stmt(store_.db(), "DELETE FROM authorisations WHERE department = ? AND kind = ? AND power = ?")
        .bind(1, department).bind(2, kind_code(kind)).bind(3, core::to_code(power))
        .run();
    if (store_.db().changes() != 1) return false;
    AuditLog(store_.db()).append(store_.actor(), at, "authorisation.cleared", "", grant_json(department, kind, power).dump());
    tx.commit();
    return true;
}

void AuthorisationBook::set_department(const core::DepartmentPolicy& p, core::Instant at) {
    store_.require_role(core::Role::admin, "change the departments' policies");
    core::check_department_policy(p);
    Transaction tx(store_.db());
    if (!p.remote && p.answer_minutes == core::kDefaultAnswerMinutes && p.contact.empty())
        Stmt(store_.db(), "DELETE FROM department_policies WHERE department = ?").bind(1, p.department).run();
    else
        Stmt(store_.db(), "INSERT OR REPLACE INTO department_policies(department, remote, answer_minutes, contact, set_by, set_at) "
                          "VALUES (?, ?, ?, ?, ?, ?)")
            .bind(1, p.department).bind(2, std::int64_t(p.remote ? 1 : 0)).bind(3, std::int64_t(p.answer_minutes)).bind(4, p.contact)
            .bind(5, store_.user().name).bind(6, core::format_instant(at))
            .run();
    AuditLog(store_.db()).append(store_.actor(), at, "department.policy_set", "",
                                 nlohmann::json({{"department", p.department}, {"remote", p.remote},
                                                 {"answer_minutes", p.answer_minutes}, {"contact", p.contact}})
                                     .dump());
    tx.commit();
}

}  // namespace ow::store
