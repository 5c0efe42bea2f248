// UnlockPresenter: the lock screen on a real store (fast Argon2id), with the back-off clock pinned
// so that no test sleeps.
#include <boost/test/unit_test.hpp>

#include "settings/desk_settings.h"
#include "shell/unlock_presenter.h"

#include "fixture.h"

#include "ow/store/unlock_throttle.h"

using namespace ow;
using namespace std::chrono_literals;
using Kind = app::UnlockOutcome::Kind;

namespace {

const std::string kClerkPw = "clerk passphrase 1";
const std::string kChiefPw = "chief passphrase 2";

store::SecretText secret(const std::string& s) {
    store::SecretText t(app::kMaxPassphraseBytes);
    t.append(s);
    return t;
}

/// A store with an administrator, a clerk and a chief, all locked.
struct Desk {
    test::TempDir tmp;
    std::filesystem::path dir = tmp.path / "store";
    store::UnlockThrottle::Clock::time_point t = store::UnlockThrottle::Clock::now();
    Desk() {
        store::Store::init(dir, "admin", core::Role::admin, test::kPassword, test::fast_kdf());
        auto s = store::Store::open(dir, "admin", test::kPassword);
        s->set_user("zhao", core::Role::clerk, kClerkPw, test::fast_kdf());
        s->set_user("chief_a", core::Role::chief, kChiefPw, test::fast_kdf());
    }
    store::OpenOptions options() {
        store::OpenOptions o;
        o.now = [this] { return t; };
        return o;
    }
    app::UnlockPresenter presenter() { return app::UnlockPresenter(dir, options()); }
};

std::vector<std::string> names(const app::UnlockUsers& u) {
    std::vector<std::string> out;
    for (const auto& x : u.users) out.push_back(x.name);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(unlock_presenter)

BOOST_FIXTURE_TEST_CASE(the_last_user_is_listed_first, Desk) {
    auto p = presenter();
    auto list = p.users();
    BOOST_CHECK_EQUAL(list.code, "");
    std::vector<std::string> want = {"admin", "chief_a", "zhao"};  // nobody signed in yet: by name
    auto got = names(list);
    BOOST_CHECK_EQUAL_COLLECTIONS(got.begin(), got.end(), want.begin(), want.end());
    for (const auto& u : list.users) BOOST_CHECK(!u.last);
    BOOST_CHECK(list.users[1].role == core::Role::chief);
    BOOST_CHECK(list.users[2].role == core::Role::clerk);

    auto out = p.attempt("zhao", secret(kClerkPw));
    BOOST_REQUIRE(out.kind == Kind::signed_in);
    BOOST_CHECK_EQUAL(out.prefs_problem, "");
    BOOST_CHECK_EQUAL(app::load_prefs(dir).prefs.last_user, "zhao");  // remembered in desk.json
    list = app::UnlockPresenter(dir).users();  // a new start of the desk
    want = {"zhao", "admin", "chief_a"};
    got = names(list);
    BOOST_CHECK_EQUAL_COLLECTIONS(got.begin(), got.end(), want.begin(), want.end());
    BOOST_CHECK(list.users[0].last);
    BOOST_CHECK(!list.users[1].last);
}

// desk.json that cannot be written: the sign-in stands, the reason goes to the log.
BOOST_FIXTURE_TEST_CASE(an_unwritable_prefs_file_does_not_stop_a_sign_in, Desk) {
    std::filesystem::create_directory(dir / app::kPrefsFileName);
    auto p = presenter();
    BOOST_CHECK_EQUAL(p.users().code, "");  // read: the defaults
    auto out = p.attempt("zhao", secret(kClerkPw));
    BOOST_REQUIRE(out.kind == Kind::signed_in);
    BOOST_CHECK(out.store);
    BOOST_CHECK(out.prefs_problem.find("last user") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(the_right_passphrase_signs_in, Desk) {
    auto p = presenter();
    auto out = p.attempt("chief_a", secret(kChiefPw));
    BOOST_REQUIRE(out.kind == Kind::signed_in);
    BOOST_REQUIRE(out.store);
    BOOST_CHECK_EQUAL(out.store->user().name, "chief_a");
    BOOST_CHECK(out.store->user().role == core::Role::chief);
    BOOST_CHECK(!out.store->locked());
    BOOST_CHECK(out.how == app::SignIn::fresh);
    BOOST_CHECK_EQUAL(p.session_user(), "chief_a");
}

// Five wrong passphrases in a row: the waits grow as the store's BackoffPolicy says, and the right
// passphrase during a wait is refused without being tried (were it tried, it would open).
BOOST_FIXTURE_TEST_CASE(wrong_passphrases_back_off, Desk) {
    auto p = presenter();
    const store::BackoffPolicy policy;
    for (long long n = 1; n <= 5; ++n) {
        auto out = p.attempt("zhao", secret("not the passphrase"));
        BOOST_REQUIRE(out.kind == Kind::wrong_passphrase);
        BOOST_CHECK(!out.store);
        BOOST_CHECK_EQUAL(out.wrong_in_a_row, n);
        BOOST_CHECK_EQUAL(out.wait.count(), policy.delay_after(n).count());
        BOOST_CHECK_EQUAL(p.seconds_to_wait("zhao").count(), policy.delay_after(n).count());
        if (out.wait.count() > 0) {
            auto refused = p.attempt("zhao", secret(kClerkPw));
            BOOST_CHECK(refused.kind == Kind::must_wait);
            BOOST_CHECK(!refused.store);
            BOOST_CHECK_EQUAL(refused.wait.count(), out.wait.count());
            BOOST_CHECK_EQUAL(store::UnlockThrottle(dir).failures("zhao"), n);  // not counted either
            t += out.wait - 1s;
            BOOST_CHECK_EQUAL(p.seconds_to_wait("zhao").count(), 1);  // the countdown
            BOOST_CHECK(p.attempt("zhao", secret(kClerkPw)).kind == Kind::must_wait);
            t += 1s;
            BOOST_CHECK_EQUAL(p.seconds_to_wait("zhao").count(), 0);
        }
    }
    BOOST_CHECK_EQUAL(policy.delay_after(5).count(), 2);  // the figures this test walked through: 0 0 0 1 2
    BOOST_CHECK_EQUAL(p.seconds_to_wait("admin").count(), 0);  // other users are not held up
    BOOST_CHECK(p.attempt("admin", secret(test::kPassword)).kind == Kind::signed_in);
    t += 2s;
    auto out = p.attempt("zhao", secret(kClerkPw));
    BOOST_REQUIRE(out.kind == Kind::signed_in);
    BOOST_CHECK_EQUAL(store::UnlockThrottle(dir).failures("zhao"), 0);
}

BOOST_FIXTURE_TEST_CASE(same_user_resumes_another_switches, Desk) {
    auto p = presenter();
    auto first = p.attempt("zhao", secret(kClerkPw));
    BOOST_REQUIRE(first.kind == Kind::signed_in);
    BOOST_CHECK(first.how == app::SignIn::fresh);
    first.store->lock();  // the idle lock
    auto again = p.attempt("zhao", secret(kClerkPw));
    BOOST_REQUIRE(again.kind == Kind::signed_in);
    BOOST_CHECK(again.how == app::SignIn::resumed);
    again.store->lock();
    BOOST_CHECK(p.attempt("zhao", secret("wrong passphrase")).kind == Kind::wrong_passphrase);
    BOOST_CHECK_EQUAL(p.session_user(), "zhao");  // a failed attempt changes nothing
    auto other = p.attempt("chief_a", secret(kChiefPw));
    BOOST_REQUIRE(other.kind == Kind::signed_in);
    BOOST_CHECK(other.how == app::SignIn::switched);
    BOOST_CHECK_EQUAL(p.session_user(), "chief_a");
    p.sign_out();
    BOOST_CHECK(p.attempt("zhao", secret(kClerkPw)).how == app::SignIn::fresh);
    p.set_session_user("admin");  // signed in by the first-run screen
    BOOST_CHECK(p.attempt("admin", secret(test::kPassword)).how == app::SignIn::resumed);
}

BOOST_FIXTURE_TEST_CASE(errors_come_as_codes, Desk) {
    auto p = presenter();
    auto empty = p.attempt("zhao", secret(""));
    BOOST_CHECK(empty.kind == Kind::error);
    BOOST_CHECK_EQUAL(empty.code, "unlock.empty_passphrase");
    BOOST_CHECK_EQUAL(store::UnlockThrottle(dir).failures("zhao"), 0);  // not tried, not counted

    app::UnlockPresenter nowhere(tmp.path / "no store here", options());
    BOOST_CHECK_EQUAL(nowhere.users().code, "store.not_found");
    auto none = nowhere.attempt("zhao", secret(kClerkPw));
    BOOST_CHECK(none.kind == Kind::error);
    BOOST_CHECK_EQUAL(none.code, "store.not_found");
    BOOST_CHECK(!none.detail.empty());
    BOOST_CHECK_EQUAL(nowhere.seconds_to_wait("zhao").count(), 0);

    std::filesystem::rename(dir / "store.db", tmp.path / "store.db.away");
    auto half = p.attempt("zhao", secret(kClerkPw));
    BOOST_CHECK(half.kind == Kind::error);
    BOOST_CHECK_EQUAL(half.code, "store.corrupt");
    std::filesystem::rename(tmp.path / "store.db.away", dir / "store.db");

    auto keys = test::read_file(dir / "keys.json");
    test::write_file(dir / "keys.json", "{damaged");
    auto list = p.users();
    BOOST_CHECK_EQUAL(list.code, "store.corrupt");
    BOOST_CHECK(list.users.empty());
    BOOST_CHECK_EQUAL(p.attempt("zhao", secret(kClerkPw)).code, "store.corrupt");
    test::write_file(dir / "keys.json", "");
    BOOST_CHECK_EQUAL(p.attempt("zhao", secret(kClerkPw)).code, "store.empty_file");
    test::write_file(dir / "keys.json", keys);
    BOOST_CHECK(p.attempt("zhao", secret(kClerkPw)).kind == Kind::signed_in);
}

BOOST_AUTO_TEST_SUITE_END()
