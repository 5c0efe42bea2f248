#include "sync/status_poller.h"

#include <exception>

namespace ow::app {

SyncStatusPoller::SyncStatusPoller(std::unique_ptr<store::Db> connection, std::chrono::milliseconds every)
    : db_(std::move(connection)), every_(every), thread_([this] { loop(); }) {}

SyncStatusPoller::~SyncStatusPoller() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    // A read in progress (seconds, with a million pending rows) gives way: locking and quitting
    // must not wait for it. Repeated until the thread is gone, in case the read had not begun.
    while (true) {
        db_->interrupt();
        {
            std::lock_guard lock(mu_);
            if (done_) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    thread_.join();
}

void SyncStatusPoller::loop() {
    std::unique_lock lock(mu_);
    while (!stop_) {
        poked_ = false;
        lock.unlock();
        std::optional<sync::SyncStatus> status;
        std::string error;
        try {
            status = sync::read_status(*db_);
        } catch (const std::exception& e) {
            error = e.what();
        }
        lock.lock();
        if (stop_) break;  // interrupted on the way out: not an error worth keeping
        if (status) latest_ = std::move(status);
        error_ = std::move(error);
        ++reads_;
        cv_.wait_for(lock, every_, [this] { return stop_ || poked_; });
    }
    done_ = true;
}

std::optional<sync::SyncStatus> SyncStatusPoller::latest() {
    std::lock_guard lock(mu_);
    return latest_;
}

long SyncStatusPoller::reads() {
    std::lock_guard lock(mu_);
    return reads_;
}

std::string SyncStatusPoller::error() {
    std::lock_guard lock(mu_);
    return error_;
}

void SyncStatusPoller::poke() {
    {
        std::lock_guard lock(mu_);
        poked_ = true;
    }
    cv_.notify_all();
}

}  // namespace ow::app
