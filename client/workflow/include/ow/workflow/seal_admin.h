// Seal administration, shared by the desk's administration screen and `onewindow-cli seal assign |
// test`: assigning a seal (a PKCS#12 file kept in the store, or a key on a PKCS#11 token) to a user
// or a post after its key has opened with the PIN, and the "test signature" of an assignment — a
// small PDF signed with the assigned key and verified by ow_seal, so an administrator sees that the
// seal works (and whose certificate it carries) before a chief representative needs it.
// Both are administrators' acts and both are audited ("seal.assigned" by store::SealAssignments,
// "seal.tested" here): every use of a seal is recorded.
#pragma once

#include "ow/core/date.h"
#include "ow/store/documents.h"
#include "ow/store/store.h"

#include <string>
#include <string_view>
#include <vector>

namespace ow::workflow {

/// What an administrator assigns: the holder, the seal's name and artwork, and its key — exactly
/// one of `p12` (the PKCS#12 file's bytes, kept in the store with its PIN) and `pkcs11_uri` (a key
/// on a token; the PIN is never stored, its holder types it at every decision).
struct SealAssignRequest {
    store::SealAssignment::HolderKind holder_kind = store::SealAssignment::HolderKind::user;
    std::string holder;                   ///< a user name, or "A" / "B" for a post
    std::string name = "行政审批专用章";  ///< the seal's name (printed nowhere; shown to the holder)
    std::string image;                    ///< PNG artwork (empty: an invisible seal)
    std::string p12;                      ///< PKCS#12 bytes (≤ 1 MiB), or…
    std::string pkcs11_uri;               ///< …"pkcs11:token=…;object=…;type=private"
    std::string pkcs11_module;            ///< the token's PKCS#11 library (empty: the engine's default)
};

/// Opens the key with `pin` (so a wrong PIN is refused before anything is stored), reads its
/// certificate's signer, and assigns it (replacing the holder's seal). The signed-in user must be
/// an administrator (store::NotAuthorised). Throws core::InvalidData for a holder that is not a
/// user of the store or not post "A"/"B", neither or both keys, an empty or oversized PKCS#12,
/// artwork that is not a PNG or is over 4 MiB; seal::SealInputError as opening the key does
/// ("seal.wrong_pin", "seal.pkcs11_module", "seal.pkcs11" …). Nothing is written on any error.
/// Returns the assignment as stored, without its key or PIN (signer, assigned_by, assigned_at set).
store::SealAssignment assign_seal(store::Store& store, const SealAssignRequest& request, std::string_view pin, core::Instant at);

/// The verdict of a test signature.
struct SealTestResult {
    std::string seal_name;            ///< the assignment's name
    std::string holder;               ///< "A" / "B" or the user name, as assigned
    bool on_token = false;            ///< the key is on a PKCS#11 token
    std::string signer;               ///< the signature's certificate subject CN, as ow_seal verified it
    std::string signer_subject;       ///< …its whole subject
    bool valid = false;               ///< ow_seal verified the signature (bytes intact, CMS signature good)
    std::vector<std::string> problems;  ///< why not, in English (ow_seal's words)
    std::string pdf;                  ///< the signed test PDF (one page, "OneWindow seal test")
};

/// Signs a one-page test PDF with the seal assigned to the holder (a user: their own assignment;
/// a post: the post's), with its artwork at the page's centre, verifies it with seal::verify, and
/// records "seal.tested" (holder, name, signer, valid) in the audit trail. `pin`: a token's PIN
/// (required: core::InvalidData when empty), or for a PKCS#12 seal a PIN to try instead of the
/// stored one (empty: the stored one). Administrators only (store::NotAuthorised). Throws
/// core::InvalidData when the holder has no seal of its own; seal::SealInputError as opening the
/// key or stamping does ("seal.wrong_pin" …), and then nothing is audited.
SealTestResult test_seal(store::Store& store, store::SealAssignment::HolderKind holder_kind, const std::string& holder,
                         std::string_view pin, core::Instant at);

/// A small, valid one-page A4 PDF with one line of ASCII text (the test signature's document).
std::string seal_test_pdf(const std::string& text);

}  // namespace ow::workflow
