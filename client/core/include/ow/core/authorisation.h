// Who may do what at the centre (授权清单): per department and item kind, which powers each
// department gives the comprehensive window (综合窗口) and its own chief representatives (首席代表).
// Leshan: "各部门统一授权'一窗受理'窗口办理'马上办'事项"; Xiangtan: chief representatives decide
// 即办件 and simple 承诺件, countersign, collect fees and hold the approval seal, and the staff list
// is filed (备案); 事进人不进 departments (no one of theirs in the hall) answer within 1 hour.
//
// A grant names a department ('' = every department: the centre's default) and an item kind (none
// = every kind), a power and its grantees. The most specific grant wins: (department, kind), then
// (department, any kind), then (every department, kind), then (every department, any kind), then
// the built-in default, which is what the centre did before it had a matrix: the window accepts
// and collects fees; the chief representatives decide, countersign, escalate, collect fees and hold
// the seal. A chief representative belongs to a department (UserInfo::department) and acts for it
// only; one with no department acts for every department (a centre with one set of posts).
//
// Pure data and rules: the store keeps the grants (store::AuthorisationBook), ow_workflow enforces
// them at every act.
#pragma once

#include "ow/core/case.h"
#include "ow/core/catalog.h"
#include "ow/core/date.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ow::core {

enum class Power { accept, decide, countersign, escalate, collect_fee, hold_seal };
inline constexpr Power kAllPowers[] = {Power::accept, Power::decide, Power::countersign, Power::escalate, Power::collect_fee,
                                       Power::hold_seal};
std::string_view to_code(Power p);  ///< accept, decide, countersign, escalate, collect_fee, hold_seal
std::string_view zh_name(Power p);  ///< 受理, 审批决定, 会签, 上报, 收费, 用印
/// The power of a code; InvalidData otherwise.
Power parse_power(std::string_view code);

/// Who a grant empowers, as bits.
enum Grantee : unsigned { kNobody = 0, kWindow = 1, kChief = 2 };
/// "window", "chief", "window,chief", "none".
std::string grantees_code(unsigned g);
/// The inverse of grantees_code (also "chief,window"); InvalidData otherwise.
unsigned parse_grantees(std::string_view text);

struct Grant {
    std::string department;         ///< '' = every department
    std::optional<ItemKind> kind;   ///< none = every kind
    Power power = Power::decide;
    unsigned grantees = kNobody;
    std::string set_by;             ///< the administrator who set it
    std::optional<Instant> set_at;
    bool operator==(const Grant&) const = default;
};

/// 事进人不进: a department with no one in the hall. Acceptance of its items calls its chief
/// representative, who must take the case up within `answer_minutes` (the alarm).
struct DepartmentPolicy {
    std::string department;
    bool remote = false;
    int answer_minutes = 60;  ///< 1–1440
    std::string contact;      ///< the remote chief representative (name, phone) the call goes to
    std::string set_by;
    std::optional<Instant> set_at;
};

inline constexpr int kDefaultAnswerMinutes = 60;

class Authorisations {
public:
    std::vector<Grant> grants;
    std::vector<DepartmentPolicy> departments;

    /// The grantees of a power for a department's items of a kind (the most specific grant, else
    /// the built-in default).
    unsigned grantees(std::string_view department, ItemKind kind, Power power) const;
    /// The grant that decides it, or nullptr for the built-in default.
    const Grant* deciding_grant(std::string_view department, ItemKind kind, Power power) const;
    /// The built-in default (the centre without a matrix).
    static unsigned builtin(Power power);
    /// The department's policy, or nullptr (stationed in the hall).
    const DepartmentPolicy* department(std::string_view name) const;

    /// May a user of this role (and, for a chief representative, this department: '' = every
    /// department) exercise the power for an item of this department and kind?
    bool may(Role role, std::string_view user_department, std::string_view department, ItemKind kind, Power power) const;
};

/// A grant an administrator may set, or InvalidData saying why not: the window may be given only
/// accept, collect_fee, and decide and hold_seal for immediate items (马上办); accept is the
/// window's alone (chief representatives do not take applications); the department at most 100
/// characters.
void check_grant(const Grant& g);

/// A department policy an administrator may set, or InvalidData (answer_minutes 1–1440, contact at
/// most 100 characters).
void check_department_policy(const DepartmentPolicy& p);

}  // namespace ow::core
