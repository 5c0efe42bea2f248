// A throw-away demo desk for screenshots and the GUI harness (`onewindow --screenshot-screen`):
// a store in a fresh folder with cheap Argon2id parameters (never a real store's), an
// administrator, the window label and terminal set, synthetic cases in every queue made through
// the acts (workflow::seed_demo), some with their sealed notices, and the window clerk who signs
// in (王晓梅) with a window seal of her own (the demo seal, 样章), so that an intake taken on the
// demo desk gets a sealed acceptance notice. The desk's clock is pinned to a day inside the
// seed's span so that every queue has cases. Free of wx.
#pragma once

#include "ow/workflow/workflow.h"

#include "ow/core/date.h"
#include "ow/store/store.h"

#include <filesystem>
#include <string>

namespace ow::app {

struct DemoDesk {
    std::filesystem::path dir;
    std::string user;      ///< the signed-in user: a window clerk with a seal of her own
    std::string password;  ///< demo only: the store is deleted after the run
    std::string admin;     ///< the administrator (the same demo password)
    std::string chief_a;   ///< a chief representative on post A (the same demo password)
    std::string chief_b;   ///< …on post B
    core::Instant now{};   ///< the pinned clock
};

/// Creates the demo store in `dir` (must not hold one) with `cases` cases (plus a few with
/// notices). Throws what the store and the seed throw.
DemoDesk make_demo_desk(const std::filesystem::path& dir, int cases);

/// Assigns the demo window seal (seal::make_demo_seal, 样章, a throw-away CA; "窗口受理专用章") to
/// `user`, as the administrator signed in on `admin_store` (audited "seal.assigned"). The key is
/// made in a private scratch folder that is removed at once. Demo desks and tests only.
void assign_window_seal(store::Store& admin_store, const std::string& user);

/// Stores six demo appointments for the day of `now` (as a sync pass stores the platform's), one
/// with a masked ID number: the 预约 page's screenshot. Throws what the store throws.
void add_demo_appointments(store::Store& store, core::Instant now);
/// The online inbox of the demo desk (网上申报, as a sync would bring it): applications waiting for
/// 预审, one with its photo uploaded (a small PNG kept as a blob).
void add_demo_applications(store::Store& store, core::Instant now);

/// Records five demo enquiries, complaints and suggestions through `wf` as its signed-in clerk
/// (one answered at once, one handed over to `colleague` when not empty): the 咨询投诉 page's
/// screenshot. Throws what the workflow throws.
void add_demo_enquiries(workflow::Workflow& wf, const std::string& colleague);

/// The PIN of the demo desk's approval seal (demo and training only: printed in the user guide).
inline constexpr const char* kDemoSealPin = "123456";

/// Assigns a demo approval seal (行政审批专用章, a throw-away CA) opening with `pin` (empty: a random
/// one) to post `post` ("A" or "B"), as the administrator signed in on `admin_store`. Demo desks
/// and tests only.
void assign_approval_seal(store::Store& admin_store, const std::string& post, const std::string& pin);

}  // namespace ow::app
