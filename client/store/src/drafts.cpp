#include "ow/store/drafts.h"

#include "ow/core/error.h"

#include <nlohmann/json.hpp>

namespace ow::store {

void IntakeDrafts::save(const std::string& case_id, const std::string& user, const std::string& step,
                        const std::string& body, core::Instant at) {
    if (case_id.empty() || user.empty() || step.empty() || step.size() > 32)
        throw core::InvalidData("an intake draft needs a case id, a user and a step code (at most 32 bytes)");
    if (body.size() > kMaxBodyBytes)
        throw core::InvalidData("an intake draft is at most " + std::to_string(kMaxBodyBytes) + " bytes");
    auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) throw core::InvalidData("an intake draft must be a JSON object");
    db_.cached("INSERT INTO intake_drafts(case_id, user_id, step, body, updated_at) VALUES (?, ?, ?, ?, ?) "
               "ON CONFLICT(case_id) DO UPDATE SET user_id = excluded.user_id, step = excluded.step, "
               "body = excluded.body, updated_at = excluded.updated_at")
        .bind(1, case_id).bind(2, user).bind(3, step).bind(4, body).bind(5, core::format_instant(at))
        .run();
}

std::optional<IntakeDraft> IntakeDrafts::load(const std::string& case_id, const std::string& user) {
    Stmt q(db_, "SELECT case_id, user_id, step, body, updated_at FROM intake_drafts WHERE case_id = ? AND user_id = ?");
    q.bind(1, case_id).bind(2, user);
    if (!q.step()) return std::nullopt;
    return IntakeDraft{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4)};
}

std::vector<IntakeDraftListing> IntakeDrafts::list(const std::string& user, int limit) {
    std::vector<IntakeDraftListing> out;
    Stmt q(db_, "SELECT d.case_id, d.user_id, d.step, d.body, d.updated_at, coalesce(c.receipt_no, ''), c.item_code, "
                "c.applicant_name FROM intake_drafts d JOIN cases c ON c.id = d.case_id "
                "WHERE d.user_id = ? AND c.state = 'draft' ORDER BY d.updated_at DESC, d.case_id LIMIT ?");
    q.bind(1, user).bind(2, limit);
    while (q.step())
        out.push_back({{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4)}, q.text(5), q.text(6), q.text(7)});
    return out;
}

bool IntakeDrafts::remove(const std::string& case_id) {
    Stmt(db_, "DELETE FROM intake_drafts WHERE case_id = ?").bind(1, case_id).run();
    return db_.changes() > 0;
}

}  // namespace ow::store
