#include "ow/sync/policy.h"

#include <algorithm>

namespace ow::sync {

Backoff::Backoff(Ms base, Ms cap, std::uint64_t seed) : base_(base), cap_(cap), rng_(seed) {}

Ms Backoff::next(int attempt, std::optional<Ms> retry_after) {
    int n = std::clamp(attempt - 1, 0, 30);
    long double ceiling = static_cast<long double>(base_.count()) * static_cast<long double>(std::uint64_t(1) << n);
    auto top = std::int64_t(std::min<long double>(ceiling, static_cast<long double>(cap_.count())));
    std::int64_t wait = top > 0 ? std::uniform_int_distribution<std::int64_t>(0, top)(rng_) : 0;
    if (retry_after) wait = std::max<std::int64_t>(wait, retry_after->count());
    return Ms(wait);
}

CircuitBreaker::CircuitBreaker(int threshold, Ms cool_down, Ms max_cool_down)
    : threshold_(threshold), base_cool_down_(cool_down), max_cool_down_(max_cool_down), cool_down_(cool_down) {}

bool CircuitBreaker::allow(Clock::time_point now) {
    if (state_ == State::closed || state_ == State::half_open) return true;
    if (now - opened_at_ >= cool_down_) {
        state_ = State::half_open;
        return true;
    }
    return false;
}

Ms CircuitBreaker::wait(Clock::time_point now) const {
    if (state_ != State::open) return Ms(0);
    auto left = std::chrono::duration_cast<Ms>(cool_down_ - (now - opened_at_));
    return std::max(Ms(0), left);
}

void CircuitBreaker::success() {
    state_ = State::closed;
    failures_ = 0;
    cool_down_ = base_cool_down_;
}

void CircuitBreaker::failure(Clock::time_point now) {
    ++failures_;
    if (state_ == State::half_open) {
        cool_down_ = std::min(max_cool_down_, cool_down_ * 2);  // the probe failed: wait longer
        state_ = State::open;
        opened_at_ = now;
    } else if (state_ == State::closed && failures_ >= threshold_) {
        state_ = State::open;
        opened_at_ = now;
    }
}

}  // namespace ow::sync
