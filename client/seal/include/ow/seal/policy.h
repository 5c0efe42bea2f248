// Who may use a seal: its holders (users, with their post A/B for a chief representative's
// approval seal). A seal policy is a small JSON file kept with the seal:
//   {"name": "行政审批专用章", "holders": [{"user": "zhang", "post": "A"}, {"user": "li", "post": "B"}]}
// post is "A", "B" or "none" (e.g. a window receipt seal held by clerks).
#pragma once

#include "ow/core/case.h"
#include "ow/seal/errors.h"

#include <filesystem>
#include <string>
#include <vector>

namespace ow::seal {

struct SealHolder {
    std::string user_id;
    core::Post post = core::Post::none;
};

struct SealPolicy {
    std::string name;
    std::vector<SealHolder> holders;

    /// Throws SealInputError for an unreadable or malformed file.
    static SealPolicy load(const std::filesystem::path& file);
};

/// Refuses (SealRefused "seal.not_authorised") unless `actor` may apply the seal: the actor is a
/// holder; a post-B holder only while acting for a post-A holder (actor.acting_for names A's user,
/// the caller having checked that A is marked absent), as for every chief-representative decision.
void check_may_use(const SealPolicy& policy, const core::Actor& actor);

}  // namespace ow::seal
