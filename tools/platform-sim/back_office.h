// The simulated back office (后台分类审批): a thread that takes promised and escalated cases once
// they have been quiet for --decide-after-s seconds, and decides them deterministically by case
// id. Each step is a change in the owning terminal's feed and a state change of the platform's
// record (so a later push that disagrees gets conflict.state):
//   accepted  → review_started (under_review) → approved (most) | denied | correction_requested
//   escalated → approved | denied (decided by the higher level)
//   approved (by the back office) → result_ready (the licence is made)
// A resubmission after a correction request goes back to the back office. Immediate cases
// (case_kind 1) are decided at the window and never taken — unless their acceptance called a
// department with no one in the hall (事进人不进: accept's data.remote_call), which then takes
// them up and decides them from here (its review_started answers the call). Bookkeeping in cases.bo_stage:
// 0 not taken, 1 under review, 2 approved (result pending), 3 done, 4 correction requested.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace ow::sim {

struct Context;

class BackOffice {
public:
    BackOffice(Context& ctx, std::int64_t decide_after_s) : ctx_(ctx), after_ms_(decide_after_s * 1000) {}
    ~BackOffice() { stop(); }
    BackOffice(const BackOffice&) = delete;
    BackOffice& operator=(const BackOffice&) = delete;

    void start();
    void stop();
    /// One pass over the due cases (takes the database lock); returns the changes made.
    int step();

private:
    void run();
    Context& ctx_;
    std::int64_t after_ms_;
    std::thread thread_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false;
};

}  // namespace ow::sim
