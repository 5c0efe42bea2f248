// Backoff with full jitter and the circuit breaker, with an explicit clock and seed.
#include <boost/test/unit_test.hpp>

#include "ow/sync/policy.h"

using namespace ow::sync;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(policy)

BOOST_AUTO_TEST_CASE(full_jitter_stays_under_the_exponential_ceiling_and_the_cap) {
    Backoff b(Ms(100), Ms(5000), 42);
    for (int attempt = 1; attempt <= 12; ++attempt) {
        Ms ceiling = std::min(Ms(5000), Ms(100 << (attempt - 1)));
        Ms lo = Ms::max(), hi = Ms(0);
        for (int i = 0; i < 400; ++i) {
            Ms w = b.next(attempt);
            BOOST_REQUIRE_GE(w.count(), 0);
            BOOST_REQUIRE_LE(w.count(), ceiling.count());
            lo = std::min(lo, w);
            hi = std::max(hi, w);
        }
        // Full jitter spreads over the whole range, not around the ceiling.
        BOOST_CHECK_LT(lo.count(), ceiling.count() / 4 + 1);
        BOOST_CHECK_GT(hi.count(), ceiling.count() * 3 / 4);
    }
}

BOOST_AUTO_TEST_CASE(retry_after_is_a_floor) {
    Backoff b(Ms(100), Ms(1000), 7);
    for (int i = 0; i < 100; ++i) BOOST_CHECK_GE(b.next(1, Ms(3000)).count(), 3000);
}

BOOST_AUTO_TEST_CASE(breaker_opens_after_the_threshold_then_half_opens_and_doubles) {
    CircuitBreaker br(3, Ms(1000), Ms(3000));
    auto t = CircuitBreaker::Clock::time_point{} + 1h;
    BOOST_CHECK(br.allow(t));
    br.failure(t);
    br.failure(t);
    BOOST_CHECK(br.state() == CircuitBreaker::State::closed);
    br.failure(t);
    BOOST_CHECK(br.state() == CircuitBreaker::State::open);
    BOOST_CHECK(!br.allow(t + 500ms));
    BOOST_CHECK_EQUAL(br.wait(t + 500ms).count(), 500);
    BOOST_CHECK(br.allow(t + 1000ms));  // the probe
    BOOST_CHECK(br.state() == CircuitBreaker::State::half_open);
    br.failure(t + 1000ms);             // probe failed: open for twice as long
    BOOST_CHECK(br.state() == CircuitBreaker::State::open);
    BOOST_CHECK(!br.allow(t + 2500ms));
    BOOST_CHECK(br.allow(t + 3000ms));
    br.failure(t + 3000ms);
    BOOST_CHECK_EQUAL(br.wait(t + 3000ms).count(), 3000);  // capped
    BOOST_CHECK(br.allow(t + 6000ms));
    br.success();
    BOOST_CHECK(br.state() == CircuitBreaker::State::closed);
    BOOST_CHECK_EQUAL(br.failures(), 0);
    br.failure(t + 7000ms);
    BOOST_CHECK(br.allow(t + 7000ms));  // one failure after success does not open it
}

BOOST_AUTO_TEST_SUITE_END()
