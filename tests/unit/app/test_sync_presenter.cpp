// SyncBarPresenter: the status bar's sync state from the store's status and live progress.
#include <boost/test/unit_test.hpp>

#include "sync/sync_presenter.h"

using namespace ow;
using app::SyncBar;

namespace {
sync::SyncStatus configured() {
    sync::SyncStatus s;
    s.configured = true;
    s.connectivity = "online";
    return s;
}
const core::Instant kNow = core::parse_instant("2026-12-01T02:30:00Z");  // 10:30 in China
}  // namespace

BOOST_AUTO_TEST_SUITE(sync_bar)

BOOST_AUTO_TEST_CASE(not_connected_keeps_work_locally) {
    sync::SyncStatus s;
    s.queued_cases = 4;
    auto bar = app::sync_bar(s, std::nullopt, kNow);
    BOOST_CHECK(bar.state == SyncBar::State::not_connected);
    BOOST_CHECK_EQUAL(bar.queued_cases, 4);
    BOOST_CHECK_EQUAL(bar.last_success, "");
}

BOOST_AUTO_TEST_CASE(states_follow_connectivity_and_errors) {
    auto s = configured();
    s.last_success = "2026-12-01T02:12:00.000Z";
    s.queued_cases = 37;
    s.quarantined = 1;
    s.conflicts_open = 2;
    auto bar = app::sync_bar(s, std::nullopt, kNow);
    BOOST_CHECK(bar.state == SyncBar::State::online);
    BOOST_CHECK_EQUAL(bar.last_success, "10:12");
    BOOST_CHECK_EQUAL(bar.attention, 3);
    s.connectivity = "offline";
    BOOST_CHECK(app::sync_bar(s, std::nullopt, kNow).state == SyncBar::State::offline);
    s.connectivity = "degraded";
    BOOST_CHECK(app::sync_bar(s, std::nullopt, kNow).state == SyncBar::State::degraded);
    s.last_error_code = "auth.bad_signature";
    BOOST_CHECK(app::sync_bar(s, std::nullopt, kNow).state == SyncBar::State::refused);
    s.last_error_code = "tls.untrusted";
    BOOST_CHECK(app::sync_bar(s, std::nullopt, kNow).state == SyncBar::State::untrusted);
    s.last_error_code.clear();
    s.connectivity = "unknown";  // nothing heard since start
    BOOST_CHECK(app::sync_bar(s, std::nullopt, kNow).state == SyncBar::State::connecting);
    // A success on an earlier day shows the date.
    s.last_error_code.clear();
    s.last_success = "2026-11-29T15:05:00.000Z";  // 23:05 on the 29th in China
    BOOST_CHECK_EQUAL(app::sync_bar(s, std::nullopt, kNow).last_success, "11-29 23:05");
}

// "All synced" only when the platform answered and nothing waits: never beside "the platform
// refused this terminal", "offline" or "not connected" (the desk said so before).
BOOST_AUTO_TEST_CASE(all_synced_only_when_online_and_empty) {
    auto s = configured();
    BOOST_CHECK(app::sync_bar(s, std::nullopt, kNow).all_synced);
    s.blobs_pending = 1;
    BOOST_CHECK(!app::sync_bar(s, std::nullopt, kNow).all_synced);
    s.blobs_pending = 0;
    for (const char* c : {"offline", "degraded", "unknown"}) {
        s.connectivity = c;
        BOOST_CHECK_MESSAGE(!app::sync_bar(s, std::nullopt, kNow).all_synced, c);
    }
    s.connectivity = "online";
    s.last_error_code = "auth.unknown_terminal";
    BOOST_CHECK(!app::sync_bar(s, std::nullopt, kNow).all_synced);
    sync::SyncStatus none;  // no platform configured
    BOOST_CHECK(!app::sync_bar(none, std::nullopt, kNow).all_synced);
}

BOOST_AUTO_TEST_CASE(progress_while_moving) {
    auto s = configured();
    sync::SyncProgress p;
    p.phase = sync::Phase::uploading;
    p.bytes_total = 1000;
    p.bytes_done = 250;
    auto bar = app::sync_bar(s, p, kNow);
    BOOST_CHECK(bar.state == SyncBar::State::syncing);
    BOOST_CHECK_EQUAL(bar.percent, 25);
    p = {};
    p.phase = sync::Phase::pushing;
    p.items_total = 8;
    p.items_done = 2;
    BOOST_CHECK_EQUAL(app::sync_bar(s, p, kNow).percent, 25);
    p.phase = sync::Phase::waiting;  // backing off is not moving
    BOOST_CHECK(app::sync_bar(s, p, kNow).state == SyncBar::State::online);
    BOOST_CHECK_EQUAL(app::sync_bar(s, p, kNow).percent, -1);
}

BOOST_AUTO_TEST_SUITE_END()
