#include "shell/idle_watch.h"

#include <algorithm>

namespace ow::app {

IdleWatch::IdleWatch(std::chrono::seconds idle, std::function<Clock::time_point()> now)
    : idle_(idle), now_(now ? std::move(now) : [] { return Clock::now(); }), last_(now_()) {}

void IdleWatch::touch() { last_ = now_(); }

bool IdleWatch::due() const { return !locked_ && enabled() && now_() - last_ >= idle_; }

std::chrono::seconds IdleWatch::remaining() const {
    if (locked_ || !enabled()) return std::chrono::seconds(0);
    auto left = std::chrono::ceil<std::chrono::seconds>(idle_ - (now_() - last_));
    return std::max(left, std::chrono::seconds(0));
}

void IdleWatch::locked() { locked_ = true; }

void IdleWatch::unlocked() {
    locked_ = false;
    last_ = now_();
}

void IdleWatch::set_idle(std::chrono::seconds idle) {
    idle_ = idle;
    last_ = now_();
}

}  // namespace ow::app
