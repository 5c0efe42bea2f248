// Intake drafts: what the clerk typed at the intake screen and is not an act yet (the applicant's
// fields, the form's answers as typed — even invalid ones —, the current step), one row per case,
// so that an intake cut by a crash, an idle lock or a power cut comes back where it was. The case
// itself is already a draft in `cases` (its acts commit there); this table holds only the screen's
// state, as an opaque JSON object the desk writes and reads (client/app/intake/intake_presenter.h).
// The store is SQLCipher: the draft is encrypted at rest like everything else in it.
// Table intake_drafts (schema migration 7). A save is one UPSERT (no audit entry: nothing was
// decided); the row is deleted when the intake is decided or discarded.
#pragma once

#include "ow/core/date.h"
#include "ow/store/db.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ow::store {

struct IntakeDraft {
    std::string case_id;
    std::string user;        ///< who typed it (the signed-in user's name)
    std::string step;        ///< the screen's step code
    std::string body;        ///< a JSON object's text (the screen's state)
    std::string updated_at;  ///< RFC 3339 UTC
};

/// A draft with what the resume list shows of its case.
struct IntakeDraftListing {
    IntakeDraft draft;
    std::string receipt_no;
    std::string item_code;
    std::string applicant_name;  ///< the case's (empty until the applicant is identified)
};

class IntakeDrafts {
public:
    static constexpr std::size_t kMaxBodyBytes = std::size_t(4) << 20;

    explicit IntakeDrafts(Db& db) : db_(db) {}
    /// Writes the draft of a case (insert or replace; the row belongs to `user` afterwards) in one
    /// statement. core::InvalidData for an empty case id, user or step, a step above 32 bytes, or a
    /// body that is not a JSON object's text or is above kMaxBodyBytes; StoreError otherwise (e.g.
    /// no such case: the row references cases).
    void save(const std::string& case_id, const std::string& user, const std::string& step, const std::string& body,
              core::Instant at);
    /// The draft of a case if `user` wrote it last; nothing otherwise.
    std::optional<IntakeDraft> load(const std::string& case_id, const std::string& user);
    /// `user`'s drafts whose case is still a draft (state draft), newest first, at most `limit`.
    std::vector<IntakeDraftListing> list(const std::string& user, int limit = 100);
    /// Deletes the draft of a case (whoever wrote it). Returns whether there was one.
    bool remove(const std::string& case_id);

private:
    Db& db_;
};

}  // namespace ow::store
