// SyncBarPresenter: what the desk's status bar says about sync ("离线 · 待同步 37 件 · 上次成功
// 10:42"), free of wx so that tests drive it without a display. The view translates the state
// and formats the numbers; it never reads the store itself.
#pragma once

#include "ow/core/date.h"
#include "ow/sync/engine.h"

#include <cstdint>
#include <optional>
#include <string>

namespace ow::app {

struct SyncBar {
    enum class State {
        not_connected,  // no platform configured: work is kept locally
        connecting,     // configured, no answer yet since the desk started
        offline,        // the platform cannot be reached
        degraded,       // it answers with errors; sync retries
        syncing,        // moving data now
        online,         // reachable, nothing moving
        refused,        // credentials refused (auth.*): the administrator must act
        untrusted,      // the platform's certificate is not trusted (tls.*)
    };
    State state = State::not_connected;
    std::int64_t queued_cases = 0;  // cases with changes waiting to go up
    std::int64_t blobs = 0;         // scans waiting to go up
    std::int64_t attention = 0;     // quarantined + open conflicts + problems (同步异常)
    std::string last_success;       // "HH:MM" today, "MM-DD HH:MM" before, empty: never (China time)
    int percent = -1;               // progress of the current transfer, -1 when none
    /// "All synced" may be said: the platform answered (online) and nothing waits to go up. Not
    /// when it cannot be reached, refuses this terminal or is not trusted: then nothing is known
    /// to be synced.
    bool all_synced = false;
};

/// The status bar for a status read from the store, the live progress if a pass runs, and now.
SyncBar sync_bar(const sync::SyncStatus& status, const std::optional<sync::SyncProgress>& moving, core::Instant now);

class DeskServices;
/// The status bar of the signed-in desk from the status last read in the background and the live
/// progress; nothing before the first background read (or while signed out).
std::optional<SyncBar> read_sync_bar(DeskServices& services);

}  // namespace ow::app
