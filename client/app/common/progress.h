// Long work never freezes the window: sync, rendering, stamping and export run on a worker thread
// with a Progress they report to and check for cancellation; the view polls it (a timer) for its
// progress bar and gets the outcome back on the UI thread through the `post` function it gives
// (in the desk: CallAfter guarded by a weak reference, so a closed window is never touched).
// Free of wx.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ow::app {

class Progress {
public:
    struct Snapshot {
        double fraction = -1;   ///< 0..1, or -1 while unknown (a pulsing bar)
        std::string what;       ///< what is being done now (already translated by the worker's caller)
        bool cancel_requested = false;
        bool finished = false;
        bool cancelled = false; ///< finished because it was cancelled
        std::string error;      ///< finished with this error (empty: success or cancelled)
    };

    /// The worker reports (fraction clamped to 0..1; negative: unknown).
    void report(double fraction, std::string what = {});
    /// The worker checks this between steps and stops early (then throws Cancelled or returns).
    bool cancel_requested() const { return cancel_.load(); }
    /// The user (or a closing window) asks the worker to stop.
    void cancel() { cancel_.store(true); }
    Snapshot snapshot() const;

    /// Thrown by workers that stop because cancel was requested.
    struct Cancelled {};
    void throw_if_cancelled() const {
        if (cancel_requested()) throw Cancelled{};
    }

private:
    friend class TaskRunner;
    void finish(bool cancelled, std::string error);

    mutable std::mutex mu_;
    std::atomic<bool> cancel_{false};
    double fraction_ = -1;
    std::string what_;
    bool finished_ = false, cancelled_ = false;
    std::string error_;
};

/// Runs tasks on worker threads. Its destructor cancels what still runs and waits for it, so a
/// window that owns one never outlives its workers (and no worker calls into a dead window).
class TaskRunner {
public:
    /// Posts a function to the UI thread (the desk: wxTheApp->CallAfter).
    using Post = std::function<void(std::function<void()>)>;
    explicit TaskRunner(Post post) : post_(std::move(post)) {}
    ~TaskRunner();
    TaskRunner(const TaskRunner&) = delete;
    TaskRunner& operator=(const TaskRunner&) = delete;

    /// Starts `work` on a new thread. `done` runs on the UI thread (through post) with the final
    /// snapshot: finished, and cancelled or with the error text of what `work` threw.
    std::shared_ptr<Progress> start(std::function<void(Progress&)> work, std::function<void(const Progress::Snapshot&)> done);
    /// Cancels every running task (they finish on their own).
    void cancel_all();
    /// Waits until every task has finished (their outcomes stay posted; a cancelled one ends at
    /// its next check). The desk waits for an act before it locks the store.
    void wait_all();
    /// Tasks not finished yet.
    int running() const;

private:
    Post post_;
    mutable std::mutex mu_;
    std::vector<std::shared_ptr<Progress>> tasks_;
    std::vector<std::thread> threads_;
    std::shared_ptr<std::atomic<bool>> alive_ = std::make_shared<std::atomic<bool>>(true);
};

}  // namespace ow::app
