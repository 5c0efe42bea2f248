// Documents made for a case (notices, decisions, receipts: PDFs kept as blobs), and the seals the
// store's users apply to them.
//
// A case document is one row per act and kind: the history seq of the act that made it, the kind
// of notice (acceptance_receipt, approval_decision …), the blob (content-addressed PDF), and
// whether it is sealed and whether a document timestamp (B-T) was added since. Documents are
// linked to the case in case_blobs (role "document", material_code = kind), so they are uploaded
// with the case.
//
// A seal assignment gives a seal (a PKCS#12 key and certificate with its PIN, and the artwork) to
// a user or to a post (A/B). It lives inside the encrypted store; the policy of who may apply it
// is made from the assignments (see ow_workflow). Only administrators assign seals.
#pragma once

#include "ow/core/case.h"
#include "ow/store/db.h"

#include <optional>
#include <string>
#include <vector>

namespace ow::store {

struct CaseDocument {
    std::string case_id;
    std::uint32_t seq = 0;  // the history entry of the act that made it
    std::string kind;       // notice kind
    std::string sha256;     // the PDF's blob
    bool sealed = false;
    bool timestamped = false;
    std::string created_at;
};

class CaseDocuments {
public:
    explicit CaseDocuments(Db& db) : db_(db) {}
    /// Records a document whose blob is already stored, linking it to the case (case_blobs role
    /// "document", queued for upload). Call it inside the act's transaction. Replaces a document of
    /// the same case, seq and kind.
    void add(const CaseDocument& d, core::Instant at);
    /// The case's documents in the order they were made.
    std::vector<CaseDocument> list(const std::string& case_id);
    /// Sealed documents without a document timestamp yet, oldest first.
    std::vector<CaseDocument> needing_timestamp(int limit = 100);
    /// How many sealed documents have no document timestamp yet.
    std::int64_t needing_timestamp_count();
    /// Replaces a document's blob by its timestamped version (already stored) and marks it, in one
    /// transaction; the new blob is linked to the case and queued for upload.
    void mark_timestamped(const std::string& case_id, std::uint32_t seq, const std::string& kind,
                          const std::string& new_sha256, core::Instant at);

private:
    void link(const std::string& case_id, const std::string& sha256, const std::string& kind, core::Instant at);
    Db& db_;
};

struct SealAssignment {
    enum class HolderKind { user, post } holder_kind = HolderKind::user;
    std::string holder;       // a user name, or "A" / "B"
    std::string name;         // 行政审批专用章 …
    std::string signer;       // the certificate's subject CN (as the caller read it from the PKCS#12)
    std::string p12;          // the PKCS#12 file's bytes
    std::string pin;          // its PIN
    std::string image;        // PNG artwork (may be empty: an invisible seal)
    std::string assigned_by;
    std::string assigned_at;
};

class SealAssignments {
public:
    explicit SealAssignments(Db& db) : db_(db) {}
    /// Assigns (or replaces) the seal of a user or post; audited ("seal.assigned", without the
    /// PIN or key) in the same transaction. The caller has checked that the PKCS#12 opens with the
    /// PIN and that the actor is an administrator.
    void assign(const SealAssignment& a, const core::Actor& actor, core::Instant at);
    /// The seal `user` would apply: their own assignment first, else their post's. Nothing when none.
    std::optional<SealAssignment> for_user(const std::string& user, core::Post post);
    /// Every assignment (PINs and keys left out).
    std::vector<SealAssignment> list();

private:
    Db& db_;
};

}  // namespace ow::store
