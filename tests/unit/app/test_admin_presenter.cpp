// AdminPresenter on a real encrypted store, signed in as its administrator through DeskServices
// as the desk does: users listed with role and post; a clerk added (typed twice) who can then sign
// in; the field checks before anything is written; a role change with its new password; a reset
// password; the last administrator and oneself never removed; posts and who acts for whom; a
// demo PKCS#12 seal assigned and its test signature verified; a wrong PIN assigning nothing; a
// SoftHSM2 token's seal that needs its PIN for the test; the audit trail verified, a tampered row
// named by its number, and exported.
#include <boost/test/unit_test.hpp>

#include "fixture.h"
#include "softhsm_token.h"

#include "admin/admin_presenter.h"

#include "ow/seal/seal.h"
#include "ow/store/audit.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>

using namespace ow;
using app::AdminPresenter;
using HolderKind = store::SealAssignment::HolderKind;

namespace {

store::SecretText secret(std::string_view s) {
    store::SecretText t(app::kMaxPassphraseBytes);
    t.append(s);
    return t;
}

struct AdminDesk {
    test::TempDir tmp;
    std::filesystem::path dir = tmp.path / "store";
    std::unique_ptr<app::DeskServices> services;
    std::unique_ptr<AdminPresenter> p;
    AdminDesk() {
        store::Store::init(dir, "admin", core::Role::admin, test::kPassword, test::fast_kdf());
        {
            auto a = store::Store::open(dir, "admin", test::kPassword);
            a->set_user("chief_a", core::Role::chief, test::kPassword, test::fast_kdf());
            a->set_user("chief_b", core::Role::chief, test::kPassword, test::fast_kdf());
            a->set_user_profile("chief_a", core::Post::A, "张首席");
            a->set_user_profile("chief_b", core::Post::B, "李首席");
        }
        app::DeskConfig config;
        config.store_dir = dir;
        config.start_sync = false;
        services = std::make_unique<app::DeskServices>(config);
        services->sign_in(store::Store::open(dir, "admin", test::kPassword));
        p = std::make_unique<AdminPresenter>(*services, AdminPresenter::Options{test::fast_kdf()});
    }
    const app::AdminUserRow* user(const std::string& name) {
        for (const auto& u : p->users())
            if (u.name == name) return &u;
        return nullptr;
    }
    std::int64_t audited(const std::string& action) {
        return services->store().db().query_int("SELECT count(*) FROM audit WHERE action = '" + action + "'");
    }
};

app::UserForm clerk_form(const std::string& name, std::string_view pw, std::string_view repeat) {
    app::UserForm f;
    f.name = name;
    f.display_name = "王晓梅";
    f.role = core::Role::clerk;
    f.password.append(pw);
    f.repeat.append(repeat);
    return f;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(admin_presenter)

BOOST_FIXTURE_TEST_CASE(users_are_listed_with_role_and_post, AdminDesk) {
    BOOST_REQUIRE_EQUAL(p->users().size(), 3u);
    BOOST_REQUIRE(user("admin") && user("chief_a") && user("chief_b"));
    BOOST_CHECK(user("admin")->role == core::Role::admin);
    BOOST_CHECK(user("admin")->is_self);
    BOOST_CHECK(user("chief_a")->post == core::Post::A);
    BOOST_CHECK_EQUAL(user("chief_b")->display_name, "李首席");
    BOOST_CHECK(p->acting().empty());  // nobody is absent
    // Seal holders: the two posts first, then every user.
    auto h = p->seal_holders();
    BOOST_REQUIRE_EQUAL(h.size(), 5u);
    BOOST_CHECK(h[0].first == HolderKind::post && h[0].second == "A");
    BOOST_CHECK(h[2].first == HolderKind::user);
}

BOOST_FIXTURE_TEST_CASE(a_clerk_added_can_sign_in, AdminDesk) {
    auto r = p->add_user(clerk_form("wang", "Window-pw-7", "Window-pw-7"));
    BOOST_REQUIRE_MESSAGE(r.ok, r.code << ": " << r.detail);
    BOOST_REQUIRE(user("wang"));
    BOOST_CHECK(user("wang")->role == core::Role::clerk);
    BOOST_CHECK_EQUAL(user("wang")->display_name, "王晓梅");
    BOOST_CHECK_EQUAL(audited("user.added"), 3);  // chief_a, chief_b, wang
    auto s = store::Store::open(dir, "wang", "Window-pw-7");
    BOOST_CHECK(s->user().role == core::Role::clerk);
    // The same name again is refused (it would reset the password).
    BOOST_CHECK_EQUAL(p->add_user(clerk_form("wang", "Other-pw-88", "Other-pw-88")).code, "admin.user_exists");
}

BOOST_FIXTURE_TEST_CASE(field_problems_write_nothing, AdminDesk) {
    const auto before = audited("user.added");
    BOOST_CHECK_EQUAL(p->add_user(clerk_form("wang", "Window-pw-7", "Window-pw-8")).code, "admin.password_mismatch");
    BOOST_CHECK_EQUAL(p->add_user(clerk_form("wang", "short", "short")).code, "admin.password_short");
    BOOST_CHECK_EQUAL(p->add_user(clerk_form("has space", "Window-pw-7", "Window-pw-7")).code, "admin.invalid_name");
    BOOST_CHECK_EQUAL(p->add_user(clerk_form("", "Window-pw-7", "Window-pw-7")).code, "admin.invalid_name");
    auto f = clerk_form("wang", "Window-pw-7", "Window-pw-7");
    f.post = core::Post::A;  // a post is for chiefs
    BOOST_CHECK_EQUAL(p->add_user(f).code, "admin.post_not_chief");
    BOOST_CHECK(!user("wang"));
    BOOST_CHECK_EQUAL(audited("user.added"), before);
}

BOOST_FIXTURE_TEST_CASE(role_change_and_password_reset, AdminDesk) {
    BOOST_REQUIRE(p->add_user(clerk_form("wang", "Window-pw-7", "Window-pw-7")).ok);
    // A role change takes a new password typed twice.
    BOOST_CHECK_EQUAL(p->change_role("wang", core::Role::chief, core::Post::B, secret("New-pw-123"), secret("New-pw-124")).code,
                      "admin.password_mismatch");
    auto r = p->change_role("wang", core::Role::chief, core::Post::B, secret("New-pw-123"), secret("New-pw-123"));
    BOOST_REQUIRE_MESSAGE(r.ok, r.code << ": " << r.detail);
    BOOST_CHECK(user("wang")->role == core::Role::chief);
    BOOST_CHECK(user("wang")->post == core::Post::B);
    BOOST_CHECK_EQUAL(user("wang")->display_name, "王晓梅");  // kept
    BOOST_CHECK_THROW(store::Store::open(dir, "wang", "Window-pw-7"), store::AuthError);
    BOOST_CHECK(store::Store::open(dir, "wang", "New-pw-123")->user().role == core::Role::chief);
    // Back to clerk: the post goes.
    BOOST_REQUIRE(p->change_role("wang", core::Role::clerk, core::Post::none, secret("New-pw-123"), secret("New-pw-123")).ok);
    BOOST_CHECK(user("wang")->post == core::Post::none);
    // Reset.
    BOOST_REQUIRE(p->reset_password("wang", secret("Reset-pw-99"), secret("Reset-pw-99")).ok);
    BOOST_CHECK(store::Store::open(dir, "wang", "Reset-pw-99"));
    BOOST_CHECK_EQUAL(p->reset_password("nobody", secret("Reset-pw-99"), secret("Reset-pw-99")).code, "admin.no_user");
    BOOST_CHECK_EQUAL(audited("user.password_reset"), 1);
    BOOST_CHECK_EQUAL(audited("user.role_changed"), 2);
}

BOOST_FIXTURE_TEST_CASE(never_the_last_administrator_nor_oneself, AdminDesk) {
    BOOST_CHECK_EQUAL(p->remove_user("admin").code, "admin.self");
    BOOST_CHECK_EQUAL(p->change_role("admin", core::Role::clerk, core::Post::none, secret("New-pw-123"), secret("New-pw-123")).code,
                      "admin.last_admin");
    BOOST_CHECK(user("admin")->role == core::Role::admin);
    // Another user may be removed.
    BOOST_REQUIRE(p->remove_user("chief_b").ok);
    BOOST_CHECK(!user("chief_b"));
    BOOST_CHECK_EQUAL(p->remove_user("chief_b").code, "admin.no_user");
    BOOST_CHECK_EQUAL(audited("user.removed"), 1);
}

BOOST_FIXTURE_TEST_CASE(posts_and_who_acts_for_whom, AdminDesk) {
    BOOST_REQUIRE(p->set_absent("chief_a", true).ok);
    auto lines = p->acting();
    BOOST_REQUIRE_EQUAL(lines.size(), 1u);
    BOOST_CHECK_EQUAL(lines[0].absent_a.name, "chief_a");
    BOOST_REQUIRE_EQUAL(lines[0].acting_b.size(), 1u);
    BOOST_CHECK_EQUAL(lines[0].acting_b[0].name, "chief_b");
    // B absent too: nobody can act for A.
    BOOST_REQUIRE(p->set_absent("chief_b", true).ok);
    BOOST_CHECK(p->acting().at(0).acting_b.empty());
    BOOST_REQUIRE(p->set_absent("chief_a", false).ok);
    BOOST_REQUIRE(p->set_absent("chief_b", false).ok);
    BOOST_CHECK(p->acting().empty());
    // Swap the posts; a post for an administrator is refused.
    BOOST_REQUIRE(p->set_post("chief_a", core::Post::B).ok);
    BOOST_CHECK(user("chief_a")->post == core::Post::B);
    BOOST_CHECK_EQUAL(p->set_post("admin", core::Post::A).code, "admin.post_not_chief");
    BOOST_CHECK_EQUAL(audited("user.absent"), 2);
}

BOOST_FIXTURE_TEST_CASE(a_pkcs12_seal_assigned_then_test_signed, AdminDesk) {
    const auto demo = seal::make_demo_seal("测试行政审批局", tmp.path / "seal", "246810");
    app::SealForm f;
    f.holder_kind = HolderKind::post;
    f.holder = "A";
    f.p12_file = demo.p12;
    f.image = demo.png;
    f.pin.append("000000");  // wrong
    auto r = p->assign_seal(f);
    BOOST_CHECK_EQUAL(r.code, "admin.seal_pin_wrong");
    BOOST_CHECK(p->seals().empty());
    f.pin.clear();
    f.pin.append("246810");
    r = p->assign_seal(f);
    BOOST_REQUIRE_MESSAGE(r.ok, r.code << ": " << r.detail);
    BOOST_REQUIRE_EQUAL(p->seals().size(), 1u);
    BOOST_CHECK_EQUAL(p->seals()[0].holder, "A");
    BOOST_CHECK(!p->seals()[0].on_token);
    BOOST_CHECK(p->seals()[0].visible);

    auto t = p->test_seal(HolderKind::post, "A", store::SecretText(16));
    BOOST_REQUIRE_MESSAGE(t.result.ok, t.result.code << ": " << t.result.detail);
    BOOST_CHECK(t.valid);
    BOOST_CHECK_EQUAL(t.signer, p->seals()[0].signer);
    BOOST_CHECK_GT(t.pdf.size(), 1000u);
    BOOST_CHECK_EQUAL(p->test_seal(HolderKind::post, "B", store::SecretText(16)).result.code, "admin.seal_no_seal");
    BOOST_CHECK_EQUAL(audited("seal.tested"), 1);
    // Bad forms: no key, a missing file, artwork that is not a PNG, an unknown user.
    app::SealForm bad;
    bad.holder = "A";
    bad.pin.append("246810");
    BOOST_CHECK_EQUAL(p->assign_seal(bad).code, "admin.seal_key_missing");
    bad.p12_file = tmp.path / "nope.p12";
    BOOST_CHECK_EQUAL(p->assign_seal(bad).code, "admin.seal_file");
    bad.p12_file = demo.p12;
    bad.image = demo.p12;
    BOOST_CHECK_EQUAL(p->assign_seal(bad).code, "admin.seal_image");
    bad.holder_kind = HolderKind::user;
    bad.holder = "nobody";
    BOOST_CHECK_EQUAL(p->assign_seal(bad).code, "admin.seal_holder");
    BOOST_CHECK_EQUAL(audited("seal.assigned"), 1);
}

BOOST_FIXTURE_TEST_CASE(a_token_seal_needs_its_pin_to_test, AdminDesk) {
    const auto& token = test::SoftHsmToken::process_token();
    app::SealForm f;
    f.holder_kind = HolderKind::user;
    f.holder = "chief_a";
    f.pkcs11_uri = token.uri;
    f.pkcs11_module = token.module.string();
    BOOST_CHECK_EQUAL(p->assign_seal(f).code, "admin.seal_pin_missing");
    f.pin.append(token.wrong_pin);
    BOOST_CHECK_EQUAL(p->assign_seal(f).code, "admin.seal_pin_wrong");
    f.pin.clear();
    f.pin.append(token.pin);
    auto r = p->assign_seal(f);
    BOOST_REQUIRE_MESSAGE(r.ok, r.code << ": " << r.detail);
    BOOST_REQUIRE_EQUAL(p->seals().size(), 1u);
    BOOST_CHECK(p->seals()[0].on_token);
    // Its test takes the token's PIN.
    BOOST_CHECK_EQUAL(p->test_seal(HolderKind::user, "chief_a", store::SecretText(16)).result.code, "admin.seal_pin_missing");
    BOOST_CHECK_EQUAL(p->test_seal(HolderKind::user, "chief_a", secret(token.wrong_pin)).result.code, "admin.seal_pin_wrong");
    auto t = p->test_seal(HolderKind::user, "chief_a", secret(token.pin));
    BOOST_REQUIRE_MESSAGE(t.result.ok, t.result.code << ": " << t.result.detail);
    BOOST_CHECK(t.valid);
    BOOST_CHECK_EQUAL(t.signer, p->seals()[0].signer);
    BOOST_CHECK_EQUAL(audited("seal.tested"), 1);
}

BOOST_FIXTURE_TEST_CASE(a_tampered_audit_row_is_named_and_the_trail_exported, AdminDesk) {
    auto v = p->verify_audit();
    BOOST_CHECK(v.intact);
    BOOST_CHECK_GE(v.entries, 4);
    // What an attacker with the key would do: drop the guard and edit entry 3.
    services->store().db().exec("DROP TRIGGER audit_no_update; UPDATE audit SET user_id = 'someone' WHERE seq = 3;");
    v = p->verify_audit();
    BOOST_CHECK(!v.intact);
    BOOST_REQUIRE(v.first_bad);
    BOOST_CHECK_EQUAL(*v.first_bad, 3);
    BOOST_CHECK(v.fault == store::AuditFault::changed);

    const auto out = tmp.path / "audit.csv";
    const auto rows = services->store().db().query_int("SELECT count(*) FROM audit");
    auto e = p->export_audit(out, store::AuditExportFormat::csv);
    BOOST_REQUIRE_MESSAGE(e.result.ok, e.result.code << ": " << e.result.detail);
    BOOST_CHECK(!e.trail_intact);
    BOOST_CHECK_EQUAL(e.entries, rows);  // every row, the altered one as it is now
    BOOST_CHECK(std::filesystem::exists(out));
    BOOST_CHECK_EQUAL(p->export_audit(tmp.path / "x.json", store::AuditExportFormat::json, "last week").result.code, "admin.export_range");
    BOOST_CHECK_EQUAL(p->export_audit(tmp.path / "missing" / "x.json", store::AuditExportFormat::json).result.code, "admin.export_path");
}

BOOST_FIXTURE_TEST_CASE(the_authorisation_matrix_departments_and_the_staff_list, AdminDesk) {
    // Issue 21 part 4 (授权清单): the rows for a department and kind, where each comes from.
    const auto departments = p->departments();
    const std::string dept = "区市场监督管理局";
    BOOST_REQUIRE(std::find(departments.begin(), departments.end(), dept) != departments.end());
    BOOST_CHECK(std::is_sorted(departments.begin(), departments.end()));
    auto rows = p->authz(dept, core::ItemKind::immediate);
    BOOST_REQUIRE_EQUAL(rows.size(), std::size(core::kAllPowers));
    for (const auto& r : rows) BOOST_CHECK(r.source == app::AuthzRow::Source::builtin);
    BOOST_CHECK_EQUAL(rows[1].grantees, unsigned(core::kChief));  // decide
    // The window decides this department's immediate items; the centre's fee rule for every kind.
    BOOST_CHECK(p->grant(dept, core::ItemKind::immediate, core::Power::decide, core::kWindow | core::kChief).ok);
    BOOST_CHECK_EQUAL(p->grant(dept, core::ItemKind::promised, core::Power::decide, core::kWindow).code, "admin.grant_invalid");
    BOOST_CHECK(p->grant("", core::ItemKind::immediate, core::Power::collect_fee, core::kChief).ok);
    rows = p->authz(dept, core::ItemKind::immediate);
    BOOST_CHECK_EQUAL(rows[1].grantees, unsigned(core::kWindow | core::kChief));
    BOOST_CHECK(rows[1].source == app::AuthzRow::Source::department_kind);
    BOOST_CHECK_EQUAL(rows[4].grantees, unsigned(core::kChief));
    BOOST_CHECK(rows[4].source == app::AuthzRow::Source::centre_kind);
    BOOST_CHECK(p->authz(dept, core::ItemKind::promised)[1].source == app::AuthzRow::Source::builtin);
    BOOST_CHECK(p->clear_grant(dept, core::ItemKind::immediate, core::Power::decide).ok);
    BOOST_CHECK_EQUAL(p->clear_grant(dept, core::ItemKind::immediate, core::Power::decide).code, "admin.grant_none");
    BOOST_CHECK_EQUAL(audited("authorisation.granted"), 2);
    BOOST_CHECK_EQUAL(audited("authorisation.cleared"), 1);

    // 事进人不进: the department's policy, checked before it is written.
    auto policy = p->department_policy(dept);
    BOOST_CHECK(!policy.remote);
    BOOST_CHECK_EQUAL(policy.answer_minutes, 60);
    policy.remote = true;
    policy.answer_minutes = 0;
    BOOST_CHECK_EQUAL(p->set_department_policy(policy).code, "admin.department_invalid");
    policy.answer_minutes = 30;
    policy.contact = "王科长";
    BOOST_CHECK(p->set_department_policy(policy).ok);
    BOOST_CHECK(p->department_policy(dept).remote);
    BOOST_CHECK_EQUAL(p->department_policy(dept).answer_minutes, 30);
    core::DepartmentPolicy none;
    BOOST_CHECK_EQUAL(p->set_department_policy(none).code, "admin.no_department");

    // A chief representative's department; B acts for the absent A of its own department only.
    BOOST_CHECK(p->set_chief_department("chief_a", dept).ok);
    BOOST_CHECK_EQUAL(user("chief_a")->department, dept);
    BOOST_CHECK_EQUAL(p->set_chief_department("admin", dept).code, "admin.no_user");
    BOOST_CHECK(p->set_chief_department("chief_b", "区医疗保障局").ok);
    BOOST_REQUIRE(p->set_absent("chief_a", true).ok);
    BOOST_REQUIRE_EQUAL(p->acting().size(), 1u);
    BOOST_CHECK(p->acting()[0].acting_b.empty());
    BOOST_CHECK(p->set_chief_department("chief_b", "").ok);
    BOOST_CHECK_EQUAL(p->acting()[0].acting_b.size(), 1u);

    // The staff list for filing: written whole, chiefs with their powers.
    BOOST_CHECK_EQUAL(p->export_staff(tmp.path).code, "admin.export_path");  // a folder
    const auto out = tmp.path / "staff.csv";
    BOOST_REQUIRE(p->export_staff(out).ok);
    std::ifstream in(out);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_CHECK_EQUAL(text.substr(0, text.find('\n')), "name,display_name,role,post,department,absent,for_department,kind,powers");
    BOOST_CHECK(text.find("chief_a,张首席,chief,A," + dept + ",true," + dept + ",immediate,decide;countersign;escalate;collect_fee;hold_seal") !=
                std::string::npos);
    BOOST_CHECK(text.find("chief_a,张首席,chief,A," + dept + ",true,区医疗保障局") == std::string::npos);  // its department only
    BOOST_CHECK(text.find("admin,") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_clerk_is_refused) {
    test::TempDir tmp;
    const auto dir = tmp.path / "store";
    store::Store::init(dir, "admin", core::Role::admin, test::kPassword, test::fast_kdf());
    store::Store::open(dir, "admin", test::kPassword)->set_user("clerk", core::Role::clerk, test::kPassword, test::fast_kdf());
    app::DeskConfig config;
    config.store_dir = dir;
    config.start_sync = false;
    app::DeskServices services(config);
    services.sign_in(store::Store::open(dir, "clerk", test::kPassword));
    AdminPresenter p(services, AdminPresenter::Options{test::fast_kdf()});
    BOOST_CHECK_EQUAL(p.add_user(clerk_form("wang", "Window-pw-7", "Window-pw-7")).code, "admin.not_authorised");
    BOOST_CHECK_EQUAL(p.export_audit(tmp.path / "a.json", store::AuditExportFormat::json).result.code, "admin.not_authorised");
    BOOST_CHECK(!std::filesystem::exists(tmp.path / "a.json"));
}

BOOST_AUTO_TEST_SUITE_END()
