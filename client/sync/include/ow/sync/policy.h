// Retry policy of the sync engine: exponential backoff with full jitter (a random wait in
// [0, min(cap, base·2^n)), as in the AWS architecture note), never shorter than a Retry-After the
// platform sent; and a circuit breaker that stops hammering a platform that keeps failing.
// Both take the clock and the random source from the caller, so tests are exact.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>

namespace ow::sync {

using Ms = std::chrono::milliseconds;

class Backoff {
public:
    Backoff(Ms base = Ms(500), Ms cap = Ms(60'000), std::uint64_t seed = std::random_device{}());
    /// The wait before retry number `attempt` (1 = first retry).
    Ms next(int attempt, std::optional<Ms> retry_after = std::nullopt);
    Ms base() const { return base_; }
    Ms cap() const { return cap_; }

private:
    Ms base_, cap_;
    std::mt19937_64 rng_;
};

class CircuitBreaker {
public:
    enum class State { closed, open, half_open };
    using Clock = std::chrono::steady_clock;

    /// Opens after `threshold` consecutive failures, for `cool_down` (doubling while it keeps
    /// failing, up to `max_cool_down`); then lets one probe through (half open).
    CircuitBreaker(int threshold = 5, Ms cool_down = Ms(15'000), Ms max_cool_down = Ms(300'000));
    /// True when a request may go now (closed, or half open for the probe).
    bool allow(Clock::time_point now);
    /// How long until the next request may go (0 when allowed).
    Ms wait(Clock::time_point now) const;
    void success();
    void failure(Clock::time_point now);
    State state() const { return state_; }
    int failures() const { return failures_; }

private:
    int threshold_;
    Ms base_cool_down_, max_cool_down_, cool_down_;
    State state_ = State::closed;
    int failures_ = 0;
    Clock::time_point opened_at_{};
};

}  // namespace ow::sync
