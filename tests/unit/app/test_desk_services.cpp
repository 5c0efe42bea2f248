// DeskServices over a real store: signed out it offers the shipped catalogue only; sign_in builds
// the session (workflow, the store's catalogue and calendar); lock drops it and wipes the key. The
// demo desk of the screenshots fills every queue and names the user and the window.
#include <boost/test/unit_test.hpp>

#include "cases/cases_presenter.h"
#include "shell/demo_desk.h"
#include "shell/desk_services.h"

#include "demo_desk_fixture.h"

using namespace ow;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(desk_services)

BOOST_AUTO_TEST_CASE(signed_out_offers_the_catalogue_only) {
    app::DeskServices services(app::DeskConfig{});
    BOOST_CHECK(!services.signed_in());
    BOOST_CHECK(!services.has_store_dir());
    BOOST_CHECK_GT(services.catalogue().items().size(), 0u);
    BOOST_CHECK_THROW(services.store(), std::logic_error);
    BOOST_CHECK_THROW(services.workflow(), std::logic_error);
    BOOST_CHECK_THROW(services.who(), std::logic_error);
    services.lock();  // no-op
}

BOOST_AUTO_TEST_CASE(demo_desk_sign_in_and_lock) {
    test::TempDir tmp;
    auto demo = test::demo_desk_copy(tmp.path / "store", 40);
    app::DeskConfig config;
    config.store_dir = demo.dir;
    config.start_sync = false;
    config.now = [&] { return demo.now; };
    app::DeskServices services(config);
    services.sign_in(store::Store::open(demo.dir, demo.user, demo.password));
    BOOST_REQUIRE(services.signed_in());
    BOOST_CHECK(services.engine() == nullptr);  // sync off (screenshots)
    auto who = services.who();
    BOOST_CHECK_EQUAL(who.user, "wangxm");
    BOOST_CHECK_EQUAL(who.display_name, "王晓梅");
    BOOST_CHECK_EQUAL(who.terminal, "T3");
    BOOST_CHECK_EQUAL(services.window_label(), "3号窗口");
    BOOST_CHECK(services.idle_lock() == 600s);  // the store's default
    BOOST_CHECK(!services.acting_for_a());
    BOOST_CHECK(services.today() == core::china_date(demo.now));

    // Every queue of the demo day has cases: the screenshots show each one filled.
    app::CasesPresenter cases(services);
    for (const auto& q : cases.counts()) BOOST_CHECK_MESSAGE(q.count > 0, "queue " << store::to_code(q.queue) << " is empty");
    BOOST_CHECK_EQUAL(&services.workflow(), &services.workflow());

    services.lock();
    BOOST_CHECK(!services.signed_in());
    BOOST_CHECK_THROW(services.store(), std::logic_error);
    BOOST_CHECK_GT(services.catalogue().items().size(), 0u);  // the shipped one again
    // Sign in again (the same store, as after an idle lock).
    services.sign_in(store::Store::open(demo.dir, demo.user, demo.password));
    BOOST_CHECK(services.signed_in());
}

BOOST_AUTO_TEST_CASE(post_b_acts_for_an_absent_a) {
    test::TempDir tmp;
    auto demo = test::demo_desk_copy(tmp.path / "store", 12);  // with notices: chief-a (A) and chief-b (B)
    {
        auto admin = store::Store::open(demo.dir, demo.admin, demo.password);
        admin->set_user("chief-b", core::Role::chief, "chief b passphrase", test::fast_kdf());
        admin->set_absent("chief-a", true);
    }
    app::DeskConfig config;
    config.store_dir = demo.dir;
    config.start_sync = false;
    app::DeskServices services(config);
    services.sign_in(store::Store::open(demo.dir, "chief-b", "chief b passphrase"));
    BOOST_CHECK(services.who().post == core::Post::B);
    BOOST_CHECK(services.acting_for_a());
    services.lock();
    {
        auto admin = store::Store::open(demo.dir, demo.admin, demo.password);
        admin->set_absent("chief-a", false);
    }
    services.sign_in(store::Store::open(demo.dir, "chief-b", "chief b passphrase"));
    BOOST_CHECK(!services.acting_for_a());
}

BOOST_AUTO_TEST_SUITE_END()
