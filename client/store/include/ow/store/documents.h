// Documents made for a case (notices, decisions, receipts: PDFs kept as blobs), and the seals the
// store's users apply to them.
//
// A case document is one row per act and kind: the history seq of the act that made it, the kind
// of notice (acceptance_receipt, approval_decision …), the blob (content-addressed PDF), and
// whether it is sealed and whether a document timestamp (B-T) was added since. Documents are
// linked to the case in case_blobs (role "document", material_code = kind), so they are uploaded
// with the case.
//
// A seal assignment gives a seal (a PKCS#12 key and certificate with its PIN, or a key on a
// PKCS#11 token named by its URI and module, and the artwork) to a user or to a post (A/B). It
// lives inside the encrypted store; a token's PIN is never stored (its holder types it at every
// act that applies the seal). The policy of who may apply it is made from the assignments (see
// ow_workflow). Only administrators assign seals.
#pragma once

#include "ow/core/case.h"
#include "ow/store/db.h"

#include <optional>
#include <string>
#include <vector>

namespace ow::store {

/// The kind of the decision document another region's authority made for a 通办 case, as the
/// platform returned it at sync (not a notice of this terminal; unsealed here).
inline constexpr const char* kRemoteDecisionKind = "remote_decision";

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
    std::string signer;       // the certificate's subject CN (as the caller read it from the key)
    std::string p12;          // the PKCS#12 file's bytes (empty for a token's key)
    std::string pin;          // its PIN (empty for a token's key: never stored)
    std::string pkcs11_uri;   // a key on a PKCS#11 token: "pkcs11:token=…;object=…;type=private" (no PIN in it)
    std::string pkcs11_module;  // the token's PKCS#11 library (empty: the engine's default)
    std::string image;        // PNG artwork (may be empty: an invisible seal)
    std::string assigned_by;
    std::string assigned_at;

    /// A key on a PKCS#11 token (its PIN typed by the holder), not a PKCS#12 kept in the store.
    bool on_token() const { return !pkcs11_uri.empty(); }
};

class SealAssignments {
public:
    explicit SealAssignments(Db& db) : db_(db) {}
    /// Assigns (or replaces) the seal of a user or post; audited ("seal.assigned", with "key":
    /// "pkcs12" or "pkcs11" and for a token its URI and module, never the PIN or key) in the same
    /// transaction. Exactly one of p12 (with its PIN) and pkcs11_uri is given; a token's assignment
    /// carries no PIN (core::InvalidData otherwise, nothing written). The caller has checked that
    /// the key opens with the PIN and that the actor is an administrator.
    void assign(const SealAssignment& a, const core::Actor& actor, core::Instant at);
    /// The seal `user` would apply: their own assignment first, else their post's. Nothing when none.
    /// With `secrets` false the PKCS#12 bytes and PIN are left out (enough to say what the seal is).
    std::optional<SealAssignment> for_user(const std::string& user, core::Post post, bool secrets = true);
    /// Every assignment (PINs and keys left out; a token's URI and module included).
    std::vector<SealAssignment> list();

private:
    Db& db_;
};

}  // namespace ow::store
