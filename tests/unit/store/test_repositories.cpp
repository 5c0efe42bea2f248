// Catalogue cache, typed settings, rating follow-ups.
#include <boost/test/unit_test.hpp>

#include "fixture.h"

#include "ow/store/repositories.h"

using namespace ow;
using namespace ow::test;

BOOST_AUTO_TEST_SUITE(repositories)

BOOST_FIXTURE_TEST_CASE(catalogue_cache_round_trip_with_version, StoreFixture) {
    store::CatalogCache cache(s->db());
    BOOST_CHECK(!cache.load());
    BOOST_CHECK(cache.entries().empty());
    BOOST_CHECK_EQUAL(cache.version(), "");
    cache.replace(catalogue_entries(), "2025.11.3");
    BOOST_CHECK_EQUAL(cache.version(), "2025.11.3");
    // The bodies come back byte for byte, in delivery order (items first).
    BOOST_CHECK(cache.entries() == catalogue_entries());
    auto back = cache.load();
    BOOST_REQUIRE(back);
    BOOST_CHECK_EQUAL(back->items().size(), catalogue().items().size());
    BOOST_CHECK_EQUAL(back->bundles().size(), catalogue().bundles().size());
    for (const auto& it : catalogue().items()) {
        const auto* b = back->item(it.code);
        BOOST_REQUIRE(b);
        BOOST_CHECK_EQUAL(core::to_json(*b).dump(), core::to_json(it).dump());
    }
    auto small = catalogue_entries();
    small.resize(1);
    cache.replace(small, "2025.12.1");  // a new delivery replaces the old one whole
    BOOST_CHECK_EQUAL(cache.load()->items().size(), 1u);
    BOOST_CHECK_EQUAL(cache.version(), "2025.12.1");
    BOOST_CHECK_THROW(cache.replace(small, ""), core::InvalidData);
    // An entry ow_core refuses: nothing changes.
    BOOST_CHECK_THROW(cache.replace({{"item", R"({"code": "X"})"}}, "2025.12.2"), core::InvalidData);
    BOOST_CHECK_THROW(cache.replace({{"item", "{not json"}}, "2025.12.2"), core::ParseError);
    BOOST_CHECK_EQUAL(cache.version(), "2025.12.1");
    BOOST_CHECK(cache.entries() == small);
}

BOOST_FIXTURE_TEST_CASE(settings_have_defaults_and_checked_values, StoreFixture) {
    store::Settings st(s->db());
    BOOST_CHECK_EQUAL(st.idle_lock().count(), 600);
    st.set_idle_lock(std::chrono::seconds(120));
    BOOST_CHECK_EQUAL(store::Settings(s->db()).idle_lock().count(), 120);
    BOOST_CHECK_THROW(st.set_idle_lock(std::chrono::seconds(5)), core::InvalidData);
    BOOST_CHECK_EQUAL(st.terminal().centre, "DEMO01");
    st.set_terminal({"370102A", "T07"});
    BOOST_CHECK_EQUAL(st.terminal().centre, "370102A");
    BOOST_CHECK_EQUAL(st.terminal().terminal, "T07");
    BOOST_CHECK_THROW(st.set_terminal({"bad code!", "T1"}), core::InvalidData);
    BOOST_CHECK_EQUAL(st.terminal().centre, "370102A");  // unchanged by the refused value
    BOOST_CHECK_EQUAL(st.window_label(), "");
    st.set_window_label("3号窗口");
    BOOST_CHECK_EQUAL(store::Settings(s->db()).window_label(), "3号窗口");
    BOOST_CHECK_THROW(st.set_window_label(std::string(101, 'x')), core::InvalidData);
    BOOST_CHECK_EQUAL(st.window_label(), "3号窗口");
}

BOOST_AUTO_TEST_SUITE_END()
