#include "admin/admin_presenter.h"

#include "ow/core/error.h"
#include "ow/seal/seal.h"
#include "ow/store/errors.h"
#include "ow/notices/renderer.h"
#include "ow/store/authorisations.h"
#include "ow/workflow/seal_admin.h"
#include "ow/workflow/staff.h"

#include <set>

#include <fstream>
#include <iterator>

namespace ow::app {
namespace {

using HolderKind = store::SealAssignment::HolderKind;

AdminResult done(std::string code) { return {true, std::move(code), {}}; }
AdminResult failed(std::string code, std::string detail = {}) { return {false, std::move(code), std::move(detail)}; }

/// Runs a core call; its typed errors become failure codes (the English message as the detail).
template <class F>
AdminResult guarded(const std::string& ok_code, F&& f) {
    try {
        f();
        return done(ok_code);
    } catch (const store::NotAuthorised& e) {
        return failed("admin.not_authorised", e.what());
    } catch (const seal::SealInputError& e) {
        return failed(e.code() == "seal.wrong_pin" ? "admin.seal_pin_wrong" : "admin.seal_failed", e.what());
    } catch (const seal::SealRefused& e) {
        return failed("admin.seal_failed", e.what());
    } catch (const core::Error& e) {
        return failed("admin.failed", e.what());
    }
}

std::optional<std::string> read_small_file(const std::filesystem::path& p, std::size_t limit) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(p, ec)) return std::nullopt;
    const auto size = std::filesystem::file_size(p, ec);
    if (ec || size == 0 || size > limit) return std::nullopt;
    std::ifstream in(p, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) return std::nullopt;
    return data;
}

}  // namespace

AdminPresenter::AdminPresenter(DeskServices& services, Options options) : services_(services), options_(options) { refresh(); }

void AdminPresenter::refresh() {
    auto& s = services_.store();
    users_.clear();
    for (const auto& u : s.users())
        users_.push_back({u.name, u.display_name, u.role, u.post, u.absent_since.has_value(), u.name == s.user().name, u.department});
    seals_.clear();
    for (const auto& a : store::SealAssignments(s.db()).list())
        seals_.push_back({a.holder_kind, a.holder, a.name, a.signer, a.on_token(), !a.image.empty(), a.assigned_by, a.assigned_at});
}

std::vector<ActingLine> AdminPresenter::acting() const {
    std::vector<ActingLine> out;
    for (const auto& a : users_) {
        if (a.role != core::Role::chief || a.post != core::Post::A || !a.absent) continue;
        ActingLine line{a, {}};
        for (const auto& b : users_)
            // B acts only for the A of its own department (either without one: every department).
            if (b.role == core::Role::chief && b.post == core::Post::B && !b.absent &&
                (a.department.empty() || b.department.empty() || a.department == b.department))
                line.acting_b.push_back(b);
        out.push_back(std::move(line));
    }
    return out;
}

std::vector<std::pair<HolderKind, std::string>> AdminPresenter::seal_holders() const {
    std::vector<std::pair<HolderKind, std::string>> out{{HolderKind::post, "A"}, {HolderKind::post, "B"}};
    for (const auto& u : users_) out.emplace_back(HolderKind::user, u.name);
    return out;
}

const AdminUserRow* AdminPresenter::find(const std::string& name) const {
    for (const auto& u : users_)
        if (u.name == name) return &u;
    return nullptr;
}

std::size_t AdminPresenter::admins() const {
    std::size_t n = 0;
    for (const auto& u : users_) n += u.role == core::Role::admin;
    return n;
}

std::optional<AdminResult> AdminPresenter::check_password(const store::SecretText& password, const store::SecretText& repeat) const {
    switch (check_passphrase(password.view())) {
        case Problem::none: break;
        case Problem::empty:
        case Problem::too_short: return failed("admin.password_short");
        case Problem::too_long: return failed("admin.password_long");
        default: return failed("admin.password_invalid");
    }
    if (password.view() != repeat.view()) return failed("admin.password_mismatch");
    return std::nullopt;
}

AdminResult AdminPresenter::add_user(const UserForm& form) {
    if (check_user_name(form.name) != Problem::none) return failed("admin.invalid_name");
    if (!form.display_name.empty() && check_display_name(form.display_name) != Problem::none) return failed("admin.invalid_display_name");
    if (form.post != core::Post::none && form.role != core::Role::chief) return failed("admin.post_not_chief");
    if (auto p = check_password(form.password, form.repeat)) return *p;
    refresh();
    if (find(form.name)) return failed("admin.user_exists");
    auto r = guarded("admin.user_added", [&] {
        auto& s = services_.store();
        s.set_user(form.name, form.role, form.password.view(), options_.kdf);
        if (form.post != core::Post::none || !form.display_name.empty()) s.set_user_profile(form.name, form.post, form.display_name);
    });
    refresh();
    return r;
}

AdminResult AdminPresenter::change_role(const std::string& name, core::Role role, core::Post post, const store::SecretText& password,
                                        const store::SecretText& repeat) {
    refresh();
    const auto* u = find(name);
    if (!u) return failed("admin.no_user");
    if (u->role == core::Role::admin && role != core::Role::admin && admins() <= 1) return failed("admin.last_admin");
    if (post != core::Post::none && role != core::Role::chief) return failed("admin.post_not_chief");
    if (auto p = check_password(password, repeat)) return *p;
    const std::string display = u->display_name;
    auto r = guarded("admin.role_changed", [&] {
        auto& s = services_.store();
        s.set_user(name, role, password.view(), options_.kdf);
        s.set_user_profile(name, role == core::Role::chief ? post : core::Post::none, display);
    });
    refresh();
    return r;
}

AdminResult AdminPresenter::reset_password(const std::string& name, const store::SecretText& password, const store::SecretText& repeat) {
    refresh();
    const auto* u = find(name);
    if (!u) return failed("admin.no_user");
    if (auto p = check_password(password, repeat)) return *p;
    const core::Role role = u->role;
    auto r = guarded("admin.password_reset", [&] { services_.store().set_user(name, role, password.view(), options_.kdf); });
    refresh();
    return r;
}

AdminResult AdminPresenter::remove_user(const std::string& name) {
    refresh();
    const auto* u = find(name);
    if (!u) return failed("admin.no_user");
    if (u->is_self) return failed("admin.self");
    if (u->role == core::Role::admin && admins() <= 1) return failed("admin.last_admin");
    auto r = guarded("admin.user_removed", [&] { services_.store().remove_user(name); });
    refresh();
    return r;
}

AdminResult AdminPresenter::set_post(const std::string& name, core::Post post) {
    refresh();
    const auto* u = find(name);
    if (!u) return failed("admin.no_user");
    if (post != core::Post::none && u->role != core::Role::chief) return failed("admin.post_not_chief");
    const std::string display = u->display_name;
    auto r = guarded("admin.post_set", [&] { services_.store().set_user_profile(name, post, display); });
    refresh();
    return r;
}

AdminResult AdminPresenter::set_absent(const std::string& name, bool absent) {
    refresh();
    if (!find(name)) return failed("admin.no_user");
    auto r = guarded(absent ? "admin.marked_absent" : "admin.marked_present", [&] { services_.store().set_absent(name, absent); });
    refresh();
    return r;
}

AdminResult AdminPresenter::assign_seal(const SealForm& form) {
    workflow::SealAssignRequest req;
    req.holder_kind = form.holder_kind;
    req.holder = form.holder;
    if (form.holder_kind == HolderKind::post ? form.holder != "A" && form.holder != "B" : !find(form.holder))
        return failed("admin.seal_holder");
    req.name = form.name.empty() ? std::string("行政审批专用章") : form.name;
    const bool p12 = !form.p12_file.empty();
    if (p12 == !form.pkcs11_uri.empty()) return failed("admin.seal_key_missing");
    if (form.pin.empty()) return failed("admin.seal_pin_missing");
    if (p12) {
        auto bytes = read_small_file(form.p12_file, std::size_t(1) << 20);
        if (!bytes) return failed("admin.seal_file", "cannot read the PKCS#12 file " + form.p12_file.string());
        req.p12 = std::move(*bytes);
    } else {
        req.pkcs11_uri = form.pkcs11_uri;
        req.pkcs11_module = form.pkcs11_module;
    }
    if (!form.image.empty()) {
        auto png = read_small_file(form.image, std::size_t(4) << 20);
        if (!png || png->compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return failed("admin.seal_image", "not a readable PNG: " + form.image.string());
        req.image = std::move(*png);
    }
    auto r = guarded("admin.seal_assigned", [&] { workflow::assign_seal(services_.store(), req, form.pin.view(), services_.now()); });
    refresh();
    return r;
}

SealTestView AdminPresenter::test_seal(HolderKind kind, const std::string& holder, const store::SecretText& pin) {
    SealTestView v;
    const AdminSealRow* row = nullptr;
    for (const auto& s : seals_)
        if (s.holder_kind == kind && s.holder == holder) row = &s;
    if (!row) {
        v.result = failed("admin.seal_no_seal");
        return v;
    }
    if (row->on_token && pin.empty()) {
        v.result = failed("admin.seal_pin_missing");
        return v;
    }
    workflow::SealTestResult t;
    v.result = guarded("admin.seal_tested", [&] { t = workflow::test_seal(services_.store(), kind, holder, pin.view(), services_.now()); });
    if (!v.result.ok) return v;
    v.valid = t.valid;
    v.signer = t.signer;
    v.seal_name = t.seal_name;
    v.problems = t.problems;
    v.pdf = std::move(t.pdf);
    return v;
}

AuditCheck AdminPresenter::verify_audit() {
    const auto v = store::AuditLog(services_.store().db()).verify();
    return {v.intact, v.entries, v.first_bad, v.fault, v.reason};
}

AuditExportView AdminPresenter::export_audit(const std::filesystem::path& out, store::AuditExportFormat format, const std::string& from,
                                             const std::string& to) {
    AuditExportView v;
    if (out.empty() || out.filename().empty()) {
        v.result = failed("admin.export_path");
        return v;
    }
    store::AuditExport e;
    try {
        e = store::export_audit(services_.store(), out, format, from, to);
        v.result = done("admin.exported");
    } catch (const store::NotAuthorised& x) {
        v.result = failed("admin.not_authorised", x.what());
    } catch (const core::InvalidData& x) {
        // A bad bound, or a path that is a link or a folder.
        v.result = failed(std::string(x.what()).find("bound") != std::string::npos ? "admin.export_range" : "admin.export_path", x.what());
    } catch (const core::Error& x) {
        v.result = failed("admin.export_path", x.what());
    }
    v.entries = e.entries;
    v.trail_intact = e.verdict.intact;
    return v;
}

std::vector<std::string> AdminPresenter::departments() const {
    std::set<std::string> names;
    for (const auto& item : services_.catalogue().items())
        if (!item.department.empty()) names.insert(item.department);
    return {names.begin(), names.end()};
}

std::vector<AuthzRow> AdminPresenter::authz(const std::string& department, core::ItemKind kind) const {
    const auto matrix = store::AuthorisationBook(services_.store()).load();
    std::vector<AuthzRow> rows;
    for (auto power : core::kAllPowers) {
        AuthzRow r;
        r.power = power;
        r.grantees = matrix.grantees(department, kind, power);
        if (const auto* g = matrix.deciding_grant(department, kind, power))
            r.source = g->department.empty() ? (g->kind ? AuthzRow::Source::centre_kind : AuthzRow::Source::centre_any_kind)
                                             : (g->kind ? AuthzRow::Source::department_kind : AuthzRow::Source::department_any_kind);
        rows.push_back(r);
    }
    return rows;
}

AdminResult AdminPresenter::grant(const std::string& department, core::ItemKind kind, core::Power power, unsigned grantees) {
    core::Grant g;
    g.department = department;
    g.kind = kind;
    g.power = power;
    g.grantees = grantees;
    try {
        core::check_grant(g);
    } catch (const core::InvalidData& e) {
        return failed("admin.grant_invalid", e.what());
    }
    return guarded("admin.grant_set", [&] { store::AuthorisationBook(services_.store()).grant(g, services_.now()); });
}

AdminResult AdminPresenter::clear_grant(const std::string& department, core::ItemKind kind, core::Power power) {
    bool cleared = false;
    auto r = guarded("admin.grant_cleared",
                     [&] { cleared = store::AuthorisationBook(services_.store()).clear(department, kind, power, services_.now()); });
    if (r.ok && !cleared) return failed("admin.grant_none");
    return r;
}

core::DepartmentPolicy AdminPresenter::department_policy(const std::string& department) const {
    const auto matrix = store::AuthorisationBook(services_.store()).load();
    if (const auto* p = matrix.department(department)) return *p;
    core::DepartmentPolicy p;
    p.department = department;
    return p;
}

AdminResult AdminPresenter::set_department_policy(const core::DepartmentPolicy& policy) {
    if (policy.department.empty()) return failed("admin.no_department");
    try {
        core::check_department_policy(policy);
    } catch (const core::InvalidData& e) {
        return failed("admin.department_invalid", e.what());
    }
    return guarded("admin.department_set", [&] { store::AuthorisationBook(services_.store()).set_department(policy, services_.now()); });
}

AdminResult AdminPresenter::set_chief_department(const std::string& name, const std::string& department) {
    refresh();
    const auto* u = find(name);
    if (!u || u->role != core::Role::chief) return failed("admin.no_user");
    auto r = guarded("admin.chief_department_set", [&] { services_.store().set_user_department(name, department); });
    refresh();
    return r;
}

AdminResult AdminPresenter::export_staff(const std::filesystem::path& out) {
    if (out.empty() || out.filename().empty()) return failed("admin.export_path");
    std::error_code ec;
    if (std::filesystem::is_directory(out, ec) || std::filesystem::is_symlink(out, ec)) return failed("admin.export_path");
    try {
        const auto text = workflow::staff_csv(workflow::staff_filing(services_.store(), services_.catalogue()));
        notices::write_file_atomically(out, text);
    } catch (const std::exception& e) {
        return failed("admin.export_path", e.what());
    }
    return done("admin.staff_exported");
}

}  // namespace ow::app
