#include "ow/core/authorisation.h"

#include "ow/core/error.h"

namespace ow::core {

namespace {

struct PowerName {
    Power power;
    std::string_view code, zh;
};
constexpr PowerName kPowerNames[] = {
    {Power::accept, "accept", "受理"},          {Power::decide, "decide", "审批决定"},
    {Power::countersign, "countersign", "会签"}, {Power::escalate, "escalate", "上报"},
    {Power::collect_fee, "collect_fee", "收费"}, {Power::hold_seal, "hold_seal", "用印"},
};

std::size_t chars(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
    return n;
}

}  // namespace

std::string_view to_code(Power p) {
    for (const auto& n : kPowerNames)
        if (n.power == p) return n.code;
    return "?";
}

std::string_view zh_name(Power p) {
    for (const auto& n : kPowerNames)
        if (n.power == p) return n.zh;
    return "?";
}

Power parse_power(std::string_view code) {
    for (const auto& n : kPowerNames)
        if (n.code == code) return n.power;
    throw InvalidData("unknown power '" + std::string(code.substr(0, 40)) +
                      "' (allowed: accept, decide, countersign, escalate, collect_fee, hold_seal)");
}

std::string grantees_code(unsigned g) {
    if ((g & (kWindow | kChief)) == (kWindow | kChief)) return "window,chief";
    if (g & kWindow) return "window";
    if (g & kChief) return "chief";
    return "none";
}

unsigned parse_grantees(std::string_view text) {
    if (text == "none") return kNobody;
    unsigned g = kNobody;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t comma = text.find(',', start);
        std::string_view part = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        if (part == "window") g |= kWindow;
        else if (part == "chief") g |= kChief;
        else throw InvalidData("unknown grantee '" + std::string(part.substr(0, 40)) + "' (allowed: window, chief, window,chief, none)");
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return g;
}

unsigned Authorisations::builtin(Power power) {
    switch (power) {
    case Power::accept: return kWindow;
    case Power::collect_fee: return kWindow | kChief;
    case Power::decide:
    case Power::countersign:
    case Power::escalate:
    case Power::hold_seal: return kChief;
    }
    return kNobody;
}

const Grant* Authorisations::deciding_grant(std::string_view department, ItemKind kind, Power power) const {
    const Grant* best = nullptr;
    int best_rank = -1;
    for (const auto& g : grants) {
        if (g.power != power) continue;
        if (!g.department.empty() && g.department != department) continue;
        if (g.kind && *g.kind != kind) continue;
        int rank = (g.department.empty() ? 0 : 2) + (g.kind ? 1 : 0);
        if (rank > best_rank) best = &g, best_rank = rank;
    }
    return best;
}

unsigned Authorisations::grantees(std::string_view department, ItemKind kind, Power power) const {
    const Grant* g = deciding_grant(department, kind, power);
    return g ? g->grantees : builtin(power);
}

const DepartmentPolicy* Authorisations::department(std::string_view name) const {
    for (const auto& d : departments)
        if (d.department == name) return &d;
    return nullptr;
}

bool Authorisations::may(Role role, std::string_view user_department, std::string_view department, ItemKind kind, Power power) const {
    unsigned g = grantees(department, kind, power);
    switch (role) {
    case Role::clerk: return (g & kWindow) != 0;
    case Role::chief: return (g & kChief) != 0 && (user_department.empty() || user_department == department);
    case Role::platform: return true;  // the back office and the higher level act for the department itself
    case Role::admin: return false;
    }
    return false;
}

void check_grant(const Grant& g) {
    if (chars(g.department) > 100) throw InvalidData("a department's name has at most 100 characters");
    if (g.grantees & ~unsigned(kWindow | kChief)) throw InvalidData("unknown grantee bits");
    if ((g.grantees & kChief) && g.power == Power::accept)
        throw InvalidData("applications are accepted at the comprehensive window (前台综合受理), not by chief representatives: accept is 'window' or 'none'");
    if (g.grantees & kWindow) {
        switch (g.power) {
        case Power::accept:
        case Power::collect_fee: break;
        case Power::decide:
        case Power::hold_seal:
            if (!g.kind || *g.kind != ItemKind::immediate)
                throw InvalidData("the window decides and seals only immediate items (马上办): give --kind immediate");
            break;
        case Power::countersign:
        case Power::escalate:
            throw InvalidData(std::string("only chief representatives may be given ") + std::string(to_code(g.power)));
        }
    }
}

void check_department_policy(const DepartmentPolicy& p) {
    if (p.department.empty()) throw InvalidData("name the department");
    if (chars(p.department) > 100) throw InvalidData("a department's name has at most 100 characters");
    if (p.answer_minutes < 1 || p.answer_minutes > 1440) throw InvalidData("the answer time is 1 to 1440 minutes");
    if (chars(p.contact) > 100) throw InvalidData("the contact has at most 100 characters");
}

}  // namespace ow::core
