// FirstRunPresenter: the administrator and the window on a folder without a store; real stores.
#include <boost/test/unit_test.hpp>

#include "admin/first_run_presenter.h"
#include "shell/unlock_presenter.h"

#include "fixture.h"

#include "ow/store/repositories.h"

using namespace ow;
using app::Problem;
using Kind = app::FirstRunResult::Kind;

namespace {

const std::string kAdminPw = "管理员的口令 2026";

struct FirstRun {
    test::TempDir tmp;
    std::filesystem::path dir = tmp.path / "store";
    app::FirstRunPresenter::Options options() {
        app::FirstRunPresenter::Options o;
        o.kdf = test::fast_kdf();
        return o;
    }
    static app::FirstRunForm form() {
        app::FirstRunForm f;
        f.user = "admin";
        f.display_name = " 王芳 ";
        f.passphrase.append(kAdminPw);
        f.repeat.append(kAdminPw);
        f.centre = "370102a";
        f.terminal = " t3";
        f.window_label = "3号窗口";
        return f;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(first_run_presenter)

BOOST_FIXTURE_TEST_CASE(validation_per_field, FirstRun) {
    app::FirstRunPresenter p(dir, options());
    BOOST_CHECK(p.validate(form()).ok());

    app::FirstRunForm empty;
    auto e = p.validate(empty);
    BOOST_CHECK(e.user == Problem::empty);
    BOOST_CHECK(e.display_name == Problem::empty);
    BOOST_CHECK(e.passphrase == Problem::empty);
    BOOST_CHECK(e.repeat == Problem::none);  // judged once the passphrase itself is fine
    BOOST_CHECK(e.centre == Problem::empty);
    BOOST_CHECK(e.terminal == Problem::empty);
    BOOST_CHECK(e.window_label == Problem::none);  // optional
    BOOST_CHECK(!e.ok());

    auto f = form();
    f.repeat.clear();
    f.repeat.append(kAdminPw + "x");
    BOOST_CHECK(p.validate(f).repeat == Problem::mismatch);
    f.repeat.clear();
    BOOST_CHECK(p.validate(f).repeat == Problem::empty);
    f.passphrase.clear();
    f.passphrase.append("short");
    BOOST_CHECK(p.validate(f).passphrase == Problem::too_short);

    f = form();
    f.user = "recovery";
    f.terminal = "T12345";
    f.centre = "3701 02";
    f.window_label = "一二三四五六七八九十一二三四五六七八九十一";  // 21 characters
    auto bad = p.validate(f);
    BOOST_CHECK(bad.user == Problem::bad_user_name);
    BOOST_CHECK(bad.terminal == Problem::bad_terminal);
    BOOST_CHECK(bad.centre == Problem::bad_centre);
    BOOST_CHECK(bad.window_label == Problem::too_long);
    BOOST_CHECK(bad.passphrase == Problem::none);

    // Refused: nothing written, still a first run.
    auto r = p.create(f);
    BOOST_CHECK(r.kind == Kind::invalid);
    BOOST_CHECK(r.problems.terminal == Problem::bad_terminal);
    BOOST_CHECK(!r.store);
    BOOST_CHECK(!std::filesystem::exists(dir));
    BOOST_CHECK(app::FirstRunPresenter::needed(dir));
}

BOOST_FIXTURE_TEST_CASE(create_makes_a_store_that_opens_with_that_passphrase, FirstRun) {
    BOOST_CHECK(app::FirstRunPresenter::needed(dir));
    app::FirstRunPresenter p(dir, options());
    auto r = p.create(form());
    BOOST_REQUIRE_MESSAGE(r.kind == Kind::created, r.code << ": " << r.detail);
    BOOST_CHECK(!app::FirstRunPresenter::needed(dir));
    BOOST_REQUIRE(r.store);
    BOOST_CHECK_EQUAL(r.store->user().name, "admin");
    BOOST_CHECK(r.store->user().role == core::Role::admin);
    BOOST_CHECK_EQUAL(r.store->user().display_name, "王芳");
    store::Settings settings(r.store->db());
    BOOST_CHECK_EQUAL(settings.terminal().centre, "370102A");
    BOOST_CHECK_EQUAL(settings.terminal().terminal, "T3");
    BOOST_CHECK_EQUAL(app::window_label(*r.store), "3号窗口");
    BOOST_CHECK_EQUAL(r.prefs_problem, "");
    BOOST_CHECK_EQUAL(app::load_prefs(dir).prefs.last_user, "admin");
    const std::string recovery(r.recovery_key.view());
    BOOST_CHECK(recovery.size() > 40);
    r.store->lock();

    // The lock screen lists the administrator first and opens with the passphrase typed.
    app::UnlockPresenter unlock(dir);
    auto users = unlock.users();
    BOOST_REQUIRE(!users.users.empty());
    BOOST_CHECK_EQUAL(users.users.front().name, "admin");
    store::SecretText pw(app::kMaxPassphraseBytes);
    pw.append(kAdminPw);
    auto in = unlock.attempt("admin", pw);
    BOOST_REQUIRE(in.kind == app::UnlockOutcome::Kind::signed_in);
    BOOST_CHECK_EQUAL(store::Settings(in.store->db()).terminal().terminal, "T3");
    in.store->lock();
    BOOST_CHECK(store::Store::open_recovery(dir, recovery)->user().role == core::Role::admin);  // the key shown once works

    // A second first run on the same folder is refused and leaves the store as it is.
    auto again = p.create(form());
    BOOST_CHECK(again.kind == Kind::error);
    BOOST_CHECK_EQUAL(again.code, "store.exists");
    BOOST_CHECK(again.recovery_key.empty());
    BOOST_CHECK(store::Store::open(dir, "admin", kAdminPw));
}

BOOST_FIXTURE_TEST_CASE(a_failure_after_the_store_was_made_leaves_a_first_run, FirstRun) {
    std::filesystem::create_directories(dir);
    test::write_file(dir / "notes.txt", "the clerk's own file");
    auto o = options();
    o.after_init = [] { throw store::StoreError("store.io", "simulated failure after init"); };
    app::FirstRunPresenter p(dir, o);
    auto r = p.create(form());
    BOOST_CHECK(r.kind == Kind::error);
    BOOST_CHECK_EQUAL(r.code, "store.io");
    BOOST_CHECK(!r.store);
    BOOST_CHECK(r.recovery_key.empty());
    BOOST_CHECK(app::FirstRunPresenter::needed(dir));
    BOOST_CHECK(!std::filesystem::exists(dir / "blobs"));
    BOOST_CHECK_EQUAL(test::read_file(dir / "notes.txt"), "the clerk's own file");  // only the store's files went
    auto retry = app::FirstRunPresenter(dir, options()).create(form());
    BOOST_CHECK(retry.kind == Kind::created);
}

BOOST_FIXTURE_TEST_CASE(half_a_store_is_not_a_first_run, FirstRun) {
    std::filesystem::create_directories(dir);
    test::write_file(dir / "store.db", "x");
    BOOST_CHECK(!app::FirstRunPresenter::needed(dir));
}

BOOST_AUTO_TEST_SUITE_END()
