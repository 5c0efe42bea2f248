// The latest sync progress, written by the sync thread and read by the desk's timer: no UI call
// crosses threads. Free of wx.
#pragma once

#include "ow/sync/engine.h"

#include <mutex>
#include <optional>

namespace ow::app {

class SyncProgressSlot final : public sync::SyncListener {
public:
    void on_progress(const sync::SyncProgress& p) override;
    void on_pass(const sync::SyncReport& r) override;
    /// The transfer in progress, if a pass is moving data now.
    std::optional<sync::SyncProgress> current();
    /// Passes finished since the desk started (the views refresh their counts when it changes).
    long passes();

private:
    std::mutex mu_;
    std::optional<sync::SyncProgress> progress_;
    long passes_ = 0;
};

}  // namespace ow::app
