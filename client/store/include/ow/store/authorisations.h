// The centre's authorisation matrix (授权清单) and its departments' policies (事进人不进), as the
// store keeps them: tables `authorisations` and `department_policies` (schema migration 13). The
// rules themselves are core::Authorisations; ow_workflow enforces them at every act.
// Every signed-in user reads them; only an administrator changes them, each change audited
// ("authorisation.granted", "authorisation.cleared", "department.policy_set") with the row in one
// transaction.
#pragma once

#include "ow/core/authorisation.h"
#include "ow/store/store.h"

#include <optional>
#include <string>

namespace ow::store {

class AuthorisationBook {
public:
    explicit AuthorisationBook(Store& store) : store_(store) {}

    /// The matrix and the departments' policies (grants by department, kind, power).
    core::Authorisations load();
    /// Sets (or replaces) the grant of its department, kind and power. NotAuthorised unless an
    /// administrator; core::InvalidData as core::check_grant says.
    void grant(const core::Grant& g, core::Instant at);
    /// Removes a grant (the next more general one, or the built-in default, decides again).
    /// False when there was none. NotAuthorised unless an administrator.
    bool clear(const std::string& department, std::optional<core::ItemKind> kind, core::Power power, core::Instant at);
    /// Sets a department's policy (a stationed department with the default answer time and no
    /// contact is removed). NotAuthorised unless an administrator; core::InvalidData as
    /// core::check_department_policy says.
    void set_department(const core::DepartmentPolicy& p, core::Instant at);

private:
    Store& store_;
};

}  // namespace ow::store
