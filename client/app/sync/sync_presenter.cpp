#include "sync/sync_presenter.h"

#include "sync/sync_panel_presenter.h"

#include "shell/desk_services.h"

#include <cstdio>

namespace ow::app {
namespace {

std::string clock_text(const std::string& rfc3339, core::Instant now) {
    std::string full = china_clock(rfc3339);  // "MM-DD HH:MM"
    if (full.empty()) return {};
    // Today: the time alone.
    return core::china_date(core::parse_instant(rfc3339)) == core::china_date(now) ? full.substr(6) : full;
}

}  // namespace

SyncBar sync_bar(const sync::SyncStatus& st, const std::optional<sync::SyncProgress>& moving, core::Instant now) {
    SyncBar bar;
    bar.queued_cases = st.queued_cases;
    bar.blobs = st.blobs_pending;
    bar.attention = st.quarantined + st.conflicts_open + st.problems_open;
    bar.last_success = clock_text(st.last_success, now);
    if (!st.configured) {
        bar.state = SyncBar::State::not_connected;
        return bar;
    }
    bool moving_now = moving && moving->phase != sync::Phase::idle && moving->phase != sync::Phase::waiting;
    if (st.last_error_code.rfind("auth.", 0) == 0) bar.state = SyncBar::State::refused;
    else if (st.last_error_code.rfind("tls.untrusted", 0) == 0) bar.state = SyncBar::State::untrusted;
    else if (moving_now) bar.state = SyncBar::State::syncing;
    else if (st.connectivity == "offline") bar.state = SyncBar::State::offline;
    else if (st.connectivity == "degraded") bar.state = SyncBar::State::degraded;
    else if (st.connectivity == "online") bar.state = SyncBar::State::online;
    else bar.state = SyncBar::State::connecting;
    if (moving_now && moving->bytes_total > 0) bar.percent = int(100 * moving->bytes_done / moving->bytes_total);
    else if (moving_now && moving->items_total > 0) bar.percent = int(100 * moving->items_done / moving->items_total);
    if (bar.percent > 100) bar.percent = 100;
    bar.all_synced = bar.state == SyncBar::State::online && bar.queued_cases == 0 && bar.blobs == 0;
    return bar;
}

std::optional<SyncBar> read_sync_bar(DeskServices& services) {
    auto status = services.sync_status();
    if (!status) return std::nullopt;
    return sync_bar(*status, services.progress().current(), services.now());
}

}  // namespace ow::app
