// Progress and TaskRunner: long work on a worker thread reports, can be cancelled, and its outcome
// comes back through the post function — never after the runner (the window) is gone.
#include <boost/test/unit_test.hpp>

#include "common/progress.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

using namespace std::chrono_literals;
using ow::app::Progress;
using ow::app::TaskRunner;

namespace {

/// Stands in for the UI thread's event queue.
struct Queue {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::function<void()>> q;
    void post(std::function<void()> f) {
        std::lock_guard l(mu);
        q.push_back(std::move(f));
        cv.notify_all();
    }
    /// Runs posted functions until `n` ran or `limit` passed.
    int run(int n, std::chrono::milliseconds limit = 5000ms) {
        int done = 0;
        auto until = std::chrono::steady_clock::now() + limit;
        while (done < n) {
            std::function<void()> f;
            {
                std::unique_lock l(mu);
                if (!cv.wait_until(l, until, [&] { return !q.empty(); })) break;
                f = std::move(q.front());
                q.pop_front();
            }
            f();
            ++done;
        }
        return done;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(progress)

BOOST_AUTO_TEST_CASE(reports_and_finishes_on_the_ui_thread) {
    Queue ui;
    TaskRunner runner([&](std::function<void()> f) { ui.post(std::move(f)); });
    std::optional<Progress::Snapshot> outcome;
    auto p = runner.start([](Progress& pr) { pr.report(0.5, "half"); pr.report(2.0); },
                          [&](const Progress::Snapshot& s) { outcome = s; });
    BOOST_REQUIRE_EQUAL(ui.run(1), 1);
    BOOST_REQUIRE(outcome);
    BOOST_CHECK(outcome->finished);
    BOOST_CHECK(!outcome->cancelled);
    BOOST_CHECK(outcome->error.empty());
    BOOST_CHECK_EQUAL(outcome->fraction, 1.0);  // clamped, and 1 on success
    BOOST_CHECK_EQUAL(outcome->what, "half");
    BOOST_CHECK_EQUAL(runner.running(), 0);
}

BOOST_AUTO_TEST_CASE(errors_and_cancellation_are_reported) {
    Queue ui;
    TaskRunner runner([&](std::function<void()> f) { ui.post(std::move(f)); });
    std::optional<Progress::Snapshot> failed, cancelled;
    runner.start([](Progress&) { throw std::runtime_error("disk full"); }, [&](const Progress::Snapshot& s) { failed = s; });
    BOOST_REQUIRE_EQUAL(ui.run(1), 1);
    std::atomic<bool> started{false};
    auto p = runner.start(
        [&](Progress& pr) {
            started = true;
            for (int i = 0; i < 500; ++i) {
                pr.throw_if_cancelled();
                std::this_thread::sleep_for(10ms);
            }
        },
        [&](const Progress::Snapshot& s) { cancelled = s; });
    while (!started) std::this_thread::sleep_for(1ms);
    BOOST_CHECK_EQUAL(runner.running(), 1);
    p->cancel();
    BOOST_REQUIRE_EQUAL(ui.run(1), 1);
    BOOST_REQUIRE(failed && cancelled);
    BOOST_CHECK_EQUAL(failed->error, "disk full");
    BOOST_CHECK(!failed->cancelled);
    BOOST_CHECK(cancelled->cancelled);
    BOOST_CHECK(cancelled->error.empty());
}

BOOST_AUTO_TEST_CASE(nothing_runs_after_the_runner_is_gone) {
    Queue ui;
    bool called = false;
    {
        TaskRunner runner([&](std::function<void()> f) { ui.post(std::move(f)); });
        runner.start(
            [](Progress& pr) {
                while (!pr.cancel_requested()) std::this_thread::sleep_for(1ms);
            },
            [&](const Progress::Snapshot&) { called = true; });
    }  // the destructor cancels and joins the worker
    BOOST_CHECK_EQUAL(ui.run(1, 300ms), 0);  // whatever was posted must not call into the gone window
    BOOST_CHECK(!called);
}

BOOST_AUTO_TEST_SUITE_END()
