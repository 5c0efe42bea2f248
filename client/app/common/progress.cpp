#include "common/progress.h"

#include <algorithm>
#include <exception>

namespace ow::app {

void Progress::report(double fraction, std::string what) {
    std::lock_guard lock(mu_);
    fraction_ = fraction < 0 ? -1 : std::min(1.0, fraction);
    if (!what.empty()) what_ = std::move(what);
}

Progress::Snapshot Progress::snapshot() const {
    std::lock_guard lock(mu_);
    return {fraction_, what_, cancel_.load(), finished_, cancelled_, error_};
}

void Progress::finish(bool cancelled, std::string error) {
    std::lock_guard lock(mu_);
    finished_ = true;
    cancelled_ = cancelled;
    error_ = std::move(error);
    if (!cancelled && error_.empty()) fraction_ = 1;
}

TaskRunner::~TaskRunner() {
    alive_->store(false);  // no `done` runs after this
    cancel_all();
    wait_all();
}

void TaskRunner::wait_all() {
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(mu_);
        threads.swap(threads_);
        tasks_.clear();
    }
    for (auto& t : threads)
        if (t.joinable()) t.join();
}

std::shared_ptr<Progress> TaskRunner::start(std::function<void(Progress&)> work,
                                            std::function<void(const Progress::Snapshot&)> done) {
    auto progress = std::make_shared<Progress>();
    std::lock_guard lock(mu_);
    // Reap finished workers (each is at most a post() away from its end).
    for (std::size_t i = 0; i < tasks_.size();)
        if (tasks_[i]->snapshot().finished) {
            if (threads_[i].joinable()) threads_[i].join();
            tasks_.erase(tasks_.begin() + long(i));
            threads_.erase(threads_.begin() + long(i));
        } else {
            ++i;
        }
    tasks_.push_back(progress);
    threads_.emplace_back([progress, work = std::move(work), done = std::move(done), post = post_, alive = alive_] {
        try {
            work(*progress);
            progress->finish(progress->cancel_requested(), {});
        } catch (const Progress::Cancelled&) {
            progress->finish(true, {});
        } catch (const std::exception& e) {
            progress->finish(false, e.what());
        } catch (...) {
            progress->finish(false, "unknown error");
        }
        if (done && alive->load())
            post([progress, done, alive] {
                if (alive->load()) done(progress->snapshot());
            });
    });
    return progress;
}

void TaskRunner::cancel_all() {
    std::lock_guard lock(mu_);
    for (auto& p : tasks_) p->cancel();
}

int TaskRunner::running() const {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& p : tasks_)
        if (!p->snapshot().finished) ++n;
    return n;
}

}  // namespace ow::app
