// SyncStatusPoller: reads the sync status (sync::read_status: the outbox's counts, the open
// issues, the last pass) on a thread of its own, over a connection of its own, every few seconds,
// and keeps the latest for the status bar. Counting the outbox reads every pending row — a million
// after months offline, seconds of work — so the desk's thread never does it: the view only
// takes the latest snapshot. Free of wx.
#pragma once

#include "ow/store/db.h"
#include "ow/sync/engine.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace ow::app {

class SyncStatusPoller {
public:
    /// Starts reading at once, then every `every` (and soon after poke()).
    SyncStatusPoller(std::unique_ptr<store::Db> connection, std::chrono::milliseconds every);
    ~SyncStatusPoller();  ///< stops and joins (a read in progress finishes first)
    SyncStatusPoller(const SyncStatusPoller&) = delete;
    SyncStatusPoller& operator=(const SyncStatusPoller&) = delete;

    /// The latest status read; nothing before the first read finished.
    std::optional<sync::SyncStatus> latest();
    /// Reads passed (tests).
    long reads();
    /// The last read's error (a damaged store, a full disk), empty when it succeeded.
    std::string error();
    /// Reads again soon (after an act, a sync pass).
    void poke();

private:
    void loop();

    std::unique_ptr<store::Db> db_;
    std::chrono::milliseconds every_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false, poked_ = false, done_ = false;
    std::optional<sync::SyncStatus> latest_;
    long reads_ = 0;
    std::string error_;
    std::thread thread_;
};

}  // namespace ow::app
