#include "ow/workflow/staff.h"

#include "ow/store/authorisations.h"
#include "ow/workflow/report.h"

#include <algorithm>
#include <set>

namespace ow::workflow {

using nlohmann::json;

StaffFiling staff_filing(store::Store& store, const core::Catalogue& catalogue) {
    StaffFiling f;
    std::set<std::string> departments;
    for (const auto& item : catalogue.items()) departments.insert(item.department);
    f.departments.assign(departments.begin(), departments.end());
    const auto matrix = store::AuthorisationBook(store).load();
    for (const auto& d : matrix.departments)
        if (d.remote) f.remote.push_back(d);
    constexpr core::ItemKind kinds[] = {core::ItemKind::immediate, core::ItemKind::promised, core::ItemKind::escalated};
    for (const auto& u : store.users()) {
        if (u.role != core::Role::clerk && u.role != core::Role::chief) continue;
        StaffMember m;
        m.name = u.name;
        m.display_name = u.display_name;
        m.role = u.role;
        m.post = u.post;
        m.department = u.department;
        m.absent = u.absent_since.has_value();
        for (const auto& dept : f.departments)
            for (auto kind : kinds) {
                StaffPowers p{dept, kind, {}};
                for (auto power : core::kAllPowers)
                    if (matrix.may(u.role, u.department, dept, kind, power)) p.powers.push_back(power);
                if (!p.powers.empty()) m.powers.push_back(std::move(p));
            }
        f.staff.push_back(std::move(m));
    }
    return f;
}

json staff_json(const StaffFiling& f) {
    json out = {{"departments", f.departments}, {"remote_departments", json::array()}, {"staff", json::array()}};
    for (const auto& d : f.remote)
        out["remote_departments"].push_back({{"department", d.department}, {"answer_minutes", d.answer_minutes}, {"contact", d.contact}});
    for (const auto& m : f.staff) {
        json powers = json::array();
        for (const auto& p : m.powers) {
            json list = json::array();
            for (auto x : p.powers) list.push_back(core::to_code(x));
            powers.push_back({{"department", p.department}, {"kind", core::to_code(p.kind)}, {"powers", list}});
        }
        out["staff"].push_back({{"name", m.name},
                                {"display_name", m.display_name},
                                {"role", core::to_code(m.role)},
                                {"post", m.post == core::Post::none ? json(nullptr) : json(core::to_code(m.post))},
                                {"department", m.department},
                                {"absent", m.absent},
                                {"powers", powers}});
    }
    return out;
}

std::string staff_csv(const StaffFiling& f) {
    std::string text = "name,display_name,role,post,department,absent,for_department,kind,powers\n";
    for (const auto& m : f.staff) {
        std::string head = csv_field(m.name) + "," + csv_field(m.display_name) + "," + std::string(core::to_code(m.role)) + "," +
                           (m.post == core::Post::none ? std::string() : std::string(core::to_code(m.post))) + "," +
                           csv_field(m.department) + "," + (m.absent ? "true" : "false") + ",";
        if (m.powers.empty()) text += head + ",,\n";
        for (const auto& p : m.powers) {
            std::string powers;
            for (auto x : p.powers) powers += (powers.empty() ? "" : ";") + std::string(core::to_code(x));
            text += head + csv_field(p.department) + "," + std::string(core::to_code(p.kind)) + "," + powers + "\n";
        }
    }
    return text;
}

}  // namespace ow::workflow
