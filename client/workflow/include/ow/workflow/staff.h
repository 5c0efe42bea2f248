// The staff list for filing (人员备案, Xiangtan: the chief representatives and window staff with
// what each is authorised to do): every clerk and chief representative of the store, and per
// department of the catalogue and item kind the powers the authorisation matrix gives them
// (core::Authorisations; a chief representative only for their own department, or every
// department when they have none). GUI-free; `onewindow-cli authz staff` and the desk's
// administration screen read it. Reads only.
#pragma once

#include "ow/core/authorisation.h"
#include "ow/core/catalog.h"
#include "ow/store/store.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ow::workflow {

struct StaffPowers {
    std::string department;
    core::ItemKind kind = core::ItemKind::immediate;
    std::vector<core::Power> powers;  ///< in kAllPowers order; never empty (rows without a power are left out)
};

struct StaffMember {
    std::string name, display_name;
    core::Role role = core::Role::clerk;
    core::Post post = core::Post::none;
    std::string department;  ///< a chief representative's; empty: every department (and for clerks)
    bool absent = false;
    std::vector<StaffPowers> powers;  ///< by department (the catalogue's, sorted), then kind
};

struct StaffFiling {
    std::vector<StaffMember> staff;        ///< clerks and chief representatives, by name
    std::vector<std::string> departments;  ///< the catalogue's departments, sorted
    std::vector<core::DepartmentPolicy> remote;  ///< 事进人不进 departments
};

/// The filing as the store and catalogue stand now.
StaffFiling staff_filing(store::Store& store, const core::Catalogue& catalogue);
/// {"departments": […], "remote_departments": [{department, answer_minutes, contact}],
///  "staff": [{name, display_name, role, post, department, absent, powers: [{department, kind, powers: […]}]}]}
nlohmann::json staff_json(const StaffFiling& f);
/// One line per member, department and kind (a member with no power: one line with empty
/// department, kind and powers): name,display_name,role,post,department,absent,for_department,kind,powers
/// (powers joined with ';').
std::string staff_csv(const StaffFiling& f);

}  // namespace ow::workflow
