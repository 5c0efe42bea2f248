#include "sync/progress_slot.h"

namespace ow::app {

void SyncProgressSlot::on_progress(const sync::SyncProgress& p) {
    std::lock_guard lock(mu_);
    progress_ = p;
}

void SyncProgressSlot::on_pass(const sync::SyncReport&) {
    std::lock_guard lock(mu_);
    progress_.reset();
    ++passes_;
}

std::optional<sync::SyncProgress> SyncProgressSlot::current() {
    std::lock_guard lock(mu_);
    return progress_;
}

long SyncProgressSlot::passes() {
    std::lock_guard lock(mu_);
    return passes_;
}

}  // namespace ow::app
