// AdminPresenter: the administration screen (管理; administrators only), free of wx. Views over the
// core's own commands — nothing here decides what the store, the seals or the audit trail allow:
//   users     list with role, post, display name and absence (Store::users); add a user with a
//             password typed twice (Store::set_user + set_user_profile); change a role (the store
//             re-wraps the key with a new password, so a role change takes one, typed twice);
//             reset a password; remove a user (Store::remove_user; never the last administrator,
//             never oneself);
//   posts     a chief's post A/B (Store::set_user_profile), absence (Store::set_absent), and who
//             acts for whom: post B acts for an absent post A (the rule Workflow::decide applies);
//   seals     the assignments (SealAssignments::list), assign a PKCS#12 file + PIN or a PKCS#11
//             token URI + module + PIN (workflow::assign_seal), and the test signature
//             (workflow::test_seal: a one-page PDF signed and verified by ow_seal);
//   authz     the authorisation matrix (授权清单: store::AuthorisationBook) for a department and
//             item kind — each power with its grantees and where that comes from (the
//             department's own grant, the centre's, the built-in default); set or clear a grant;
//             a department with no one in the hall (事进人不进: remote, answer minutes, contact);
//             a chief representative's department; the staff list for filing (备案) as CSV
//             (workflow::staff_csv);
//   audit     verify the hash chain (AuditLog::verify, the first broken entry named) and export it
//             to a file (store::export_audit, JSON or CSV).
// Every intent returns an AdminResult with a stable code the view translates (never an English
// sentence for the clerk); English details go to the log only.
//
// Threading: the desk's thread (the signed-in store's connection). Needs the services signed in
// (std::logic_error from DeskServices otherwise).
#pragma once

#include "settings/desk_settings.h"
#include "shell/desk_services.h"

#include "ow/core/authorisation.h"
#include "ow/core/case.h"
#include "ow/store/audit.h"
#include "ow/store/documents.h"
#include "ow/store/keys.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ow::app {

/// The outcome of an intent. ok: `code` says what was done ("admin.user_added" …). Otherwise a
/// failure code the view translates:
///   admin.invalid_name, admin.invalid_display_name, admin.password_short, admin.password_long,
///   admin.password_invalid, admin.password_mismatch, admin.user_exists, admin.no_user,
///   admin.last_admin, admin.self, admin.post_not_chief, admin.not_authorised,
///   admin.seal_holder, admin.seal_key_missing, admin.seal_file, admin.seal_image, admin.seal_pin_wrong,
///   admin.seal_pin_missing, admin.seal_no_seal, admin.seal_failed, admin.export_path,
///   admin.export_range, admin.grant_invalid, admin.grant_none, admin.department_invalid,
///   admin.no_department, admin.failed (anything else: see `detail`).
/// `detail` is English for the log (never shown to the clerk).
struct AdminResult {
    bool ok = false;
    std::string code;
    std::string detail;
};

struct AdminUserRow {
    std::string name;
    std::string display_name;  ///< empty when none was set
    core::Role role = core::Role::clerk;
    core::Post post = core::Post::none;
    bool absent = false;
    bool is_self = false;  ///< the signed-in administrator
    std::string department;  ///< a chief representative's (empty: every department)
};

/// Post B acting for an absent post A (the only substitution the workflow allows).
struct ActingLine {
    AdminUserRow absent_a;              ///< the chief on post A marked absent
    std::vector<AdminUserRow> acting_b;  ///< the chiefs on post B present (empty: nobody can act)
};

struct AdminSealRow {
    store::SealAssignment::HolderKind holder_kind = store::SealAssignment::HolderKind::post;
    std::string holder;  ///< "A" / "B" or a user name
    std::string name;    ///< 行政审批专用章 …
    std::string signer;
    bool on_token = false;
    bool visible = false;  ///< has artwork
    std::string assigned_by, assigned_at;
};

/// A user to add, or a new password (reset / role change): typed twice.
struct UserForm {
    std::string name;
    std::string display_name;
    core::Role role = core::Role::clerk;
    core::Post post = core::Post::none;  ///< chiefs only
    store::SecretText password{kMaxPassphraseBytes};
    store::SecretText repeat{kMaxPassphraseBytes};
};

/// A seal to assign. Exactly one of p12_file and pkcs11_uri.
struct SealForm {
    store::SealAssignment::HolderKind holder_kind = store::SealAssignment::HolderKind::post;
    std::string holder;  ///< "A" / "B" or a user name
    std::string name = "行政审批专用章";
    std::filesystem::path p12_file;  ///< a PKCS#12 file (read here, ≤ 1 MiB), or…
    std::string pkcs11_uri;          ///< …a key on a token
    std::string pkcs11_module;       ///< its PKCS#11 library (empty: the engine's default)
    std::filesystem::path image;     ///< PNG artwork (empty: invisible)
    store::SecretText pin{256};
};

struct SealTestView {
    AdminResult result;  ///< ok: the test ran (valid or not); otherwise why it could not
    bool valid = false;
    std::string signer;
    std::string seal_name;
    std::vector<std::string> problems;  ///< ow_seal's words (English; the log)
    std::string pdf;                    ///< the signed test document
};

/// One power of the authorisation matrix as it stands for a department and item kind.
struct AuthzRow {
    core::Power power = core::Power::accept;
    unsigned grantees = core::kNobody;  ///< core::kWindow | core::kChief
    /// Where the grantees come from: the department's own grant for the kind or for every kind,
    /// the centre's (every department) for the kind or for every kind, or the built-in default.
    enum class Source { builtin, centre_any_kind, centre_kind, department_any_kind, department_kind } source = Source::builtin;
};

struct AuditCheck {
    bool intact = true;
    std::int64_t entries = 0;
    std::optional<std::int64_t> first_bad;
    store::AuditFault fault = store::AuditFault::none;
    std::string reason;  ///< English (the log)
};

struct AuditExportView {
    AdminResult result;
    std::int64_t entries = 0;
    bool trail_intact = true;
};

class AdminPresenter {
public:
    struct Options {
        /// Argon2id cost of new wraps (tests pass a fast one).
        store::KdfParams kdf = store::KdfParams::interactive();
    };
    explicit AdminPresenter(DeskServices& services) : AdminPresenter(services, Options{}) {}
    AdminPresenter(DeskServices& services, Options options);

    /// Reads users and seals again (after a sign-in, and after every intent).
    void refresh();
    const std::vector<AdminUserRow>& users() const { return users_; }
    const std::vector<AdminSealRow>& seals() const { return seals_; }
    /// Who acts for whom now (one line per absent post-A chief).
    std::vector<ActingLine> acting() const;
    /// The holders a seal may be assigned to: "A", "B", then every user (post holders first).
    std::vector<std::pair<store::SealAssignment::HolderKind, std::string>> seal_holders() const;

    // Users. Each checks the fields first (nothing written on a problem), then calls the store.
    AdminResult add_user(const UserForm& form);
    /// A new role takes a new password (the store re-wraps the user's key). A chief keeps `post`;
    /// any other role loses its post.
    AdminResult change_role(const std::string& name, core::Role role, core::Post post, const store::SecretText& password,
                            const store::SecretText& repeat);
    AdminResult reset_password(const std::string& name, const store::SecretText& password, const store::SecretText& repeat);
    AdminResult remove_user(const std::string& name);
    /// A chief's post (admin.post_not_chief for another role with A or B).
    AdminResult set_post(const std::string& name, core::Post post);
    AdminResult set_absent(const std::string& name, bool absent);

    // Seals.
    AdminResult assign_seal(const SealForm& form);
    /// The test signature of the holder's seal; `pin`: a token's PIN (empty for a PKCS#12 seal:
    /// its stored PIN).
    SealTestView test_seal(store::SealAssignment::HolderKind kind, const std::string& holder, const store::SecretText& pin);

    // The authorisation matrix (授权清单). `department` empty: every department (the centre's grants).
    /// The catalogue's departments, sorted.
    std::vector<std::string> departments() const;
    /// Each power (core::kAllPowers order) for the department's items of the kind.
    std::vector<AuthzRow> authz(const std::string& department, core::ItemKind kind) const;
    AdminResult grant(const std::string& department, core::ItemKind kind, core::Power power, unsigned grantees);
    /// Removes the grant of exactly this department, kind and power (admin.grant_none: there is none).
    AdminResult clear_grant(const std::string& department, core::ItemKind kind, core::Power power);
    /// The department's policy (事进人不进), the default when none is set.
    core::DepartmentPolicy department_policy(const std::string& department) const;
    AdminResult set_department_policy(const core::DepartmentPolicy& policy);
    /// The department a chief representative represents (empty: every department).
    AdminResult set_chief_department(const std::string& name, const std::string& department);
    /// The staff list for filing (备案) as CSV, written whole or not at all.
    AdminResult export_staff(const std::filesystem::path& out);

    // Audit.
    AuditCheck verify_audit();
    AuditExportView export_audit(const std::filesystem::path& out, store::AuditExportFormat format, const std::string& from = {},
                                 const std::string& to = {});

private:
    const AdminUserRow* find(const std::string& name) const;
    std::size_t admins() const;
    /// Field problems of a password typed twice (nothing when fine).
    std::optional<AdminResult> check_password(const store::SecretText& password, const store::SecretText& repeat) const;

    DeskServices& services_;
    Options options_;
    std::vector<AdminUserRow> users_;
    std::vector<AdminSealRow> seals_;
};

}  // namespace ow::app
