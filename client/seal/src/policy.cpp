#include "ow/seal/policy.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace ow::seal {

SealPolicy SealPolicy::load(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw SealInputError("seal.policy", "cannot read the seal policy " + file.string());
    SealPolicy p;
    try {
        const auto j = nlohmann::json::parse(in);
        p.name = j.value("name", "");
        for (const auto& h : j.at("holders")) {
            SealHolder holder;
            holder.user_id = h.at("user").get<std::string>();
            const std::string post = h.value("post", "none");
            if (post == "A") holder.post = core::Post::A;
            else if (post == "B") holder.post = core::Post::B;
            else if (post == "none") holder.post = core::Post::none;
            else throw SealInputError("seal.policy", "unknown post '" + post + "' in " + file.string());
            if (holder.user_id.empty()) throw SealInputError("seal.policy", "a holder without a user in " + file.string());
            p.holders.push_back(holder);
        }
    } catch (const nlohmann::json::exception& e) {
        throw SealInputError("seal.policy", "malformed seal policy " + file.string() + ": " + e.what());
    }
    return p;
}

void check_may_use(const SealPolicy& policy, const core::Actor& actor) {
    const SealHolder* me = nullptr;
    for (const auto& h : policy.holders)
        if (h.user_id == actor.user_id) me = &h;
    if (!me) throw SealRefused("seal.not_authorised", "user '" + actor.user_id + "' does not hold this seal");
    if (me->post != core::Post::B) return;
    if (actor.acting_for.empty())
        throw SealRefused("seal.not_authorised",
                          "post B may apply this seal only while acting for post A (who must be marked absent)");
    for (const auto& h : policy.holders)
        if (h.post == core::Post::A && h.user_id == actor.acting_for) return;
    throw SealRefused("seal.not_authorised", "'" + actor.acting_for + "' is not the post-A holder of this seal");
}

}  // namespace ow::seal
