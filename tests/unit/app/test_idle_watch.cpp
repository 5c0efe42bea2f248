// IdleWatch: the desk's idle lock, driven by a test clock (no sleeping).
#include <boost/test/unit_test.hpp>

#include "shell/idle_watch.h"

using namespace ow;
using namespace std::chrono_literals;

namespace {
struct Clocked {
    app::IdleWatch::Clock::time_point t = app::IdleWatch::Clock::time_point(1000h);
    std::function<app::IdleWatch::Clock::time_point()> clock() {
        return [this] { return t; };
    }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(idle_watch)

BOOST_FIXTURE_TEST_CASE(due_once_the_idle_time_has_passed_without_input, Clocked) {
    app::IdleWatch w(600s, clock());
    BOOST_CHECK(!w.due());
    BOOST_CHECK_EQUAL(w.remaining().count(), 600);
    t += 599s;
    BOOST_CHECK(!w.due());
    BOOST_CHECK_EQUAL(w.remaining().count(), 1);
    t += 500ms;
    BOOST_CHECK_EQUAL(w.remaining().count(), 1);  // rounded up: the warning never says 0 too early
    t += 500ms;
    BOOST_CHECK(w.due());
    BOOST_CHECK_EQUAL(w.remaining().count(), 0);
    t += 1h;
    BOOST_CHECK(w.due());  // stays due until the shell locks
    BOOST_CHECK_EQUAL(w.remaining().count(), 0);
}

BOOST_FIXTURE_TEST_CASE(input_starts_the_time_again, Clocked) {
    app::IdleWatch w(60s, clock());
    t += 50s;
    w.touch();
    t += 50s;  // 100 s since the start, 50 s since the key press
    BOOST_CHECK(!w.due());
    t += 10s;
    BOOST_CHECK(w.due());
}

BOOST_FIXTURE_TEST_CASE(locked_it_is_never_due_and_unlocking_starts_afresh, Clocked) {
    app::IdleWatch w(60s, clock());
    t += 60s;
    BOOST_REQUIRE(w.due());
    w.locked();
    BOOST_CHECK(w.is_locked());
    BOOST_CHECK(!w.due());
    BOOST_CHECK_EQUAL(w.remaining().count(), 0);
    t += 10min;
    w.touch();  // typing the passphrase on the lock screen
    BOOST_CHECK(!w.due());
    w.unlocked();
    BOOST_CHECK(!w.due());  // counting from the sign-in, not from the last input before the lock
    BOOST_CHECK_EQUAL(w.remaining().count(), 60);
    t += 59s;
    BOOST_CHECK(!w.due());
    t += 1s;
    BOOST_CHECK(w.due());
}

BOOST_FIXTURE_TEST_CASE(zero_is_never, Clocked) {
    app::IdleWatch w(0s, clock());
    BOOST_CHECK(!w.enabled());
    t += 1000h;
    BOOST_CHECK(!w.due());
    BOOST_CHECK_EQUAL(w.remaining().count(), 0);
    w.set_idle(30s);  // the settings changed: counts from now
    BOOST_CHECK(w.enabled());
    BOOST_CHECK(!w.due());
    t += 30s;
    BOOST_CHECK(w.due());
    w.set_idle(0s);
    BOOST_CHECK(!w.due());
}

BOOST_AUTO_TEST_SUITE_END()
