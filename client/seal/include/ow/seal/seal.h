// ow_seal: electronic seals on PDFs.
//
// A seal is artwork (a PNG with transparency) plus a signing key and certificate. stamp() adds ONE
// append-only incremental update to a PDF: the earlier bytes are copied untouched, then a signature
// dictionary (PAdES baseline B-B, SubFilter ETSI.CAdES.detached), a signature field/widget whose
// appearance draws the artwork, the updated page /Annots and /AcroForm, and a cross-reference
// section of the same kind as the previous one. verify() checks every signature of a file.
//
// Thread-safety: the functions are re-entrant; objects are not shared between calls.
// Errors: SealInputError (bad input) and SealRefused (sealing refused), see errors.h.
#pragma once

#include "ow/seal/errors.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ow::seal {

/// A signing key with its certificate (and the chain that came with it). Opaque; the key never
/// leaves the object and is not printed anywhere.
class SigningKey {
public:
    /// Loads a PKCS#12 file. The PIN is read from pin_file (trailing newlines ignored; "-": the first
    /// line of standard input).
    /// Throws SealInputError (unreadable file, wrong PIN, no key or certificate inside).
    static SigningKey from_pkcs12(const std::filesystem::path& p12, const std::filesystem::path& pin_file);
    /// The same from a PKCS#12 file's bytes and its PIN in memory (e.g. a seal kept in the encrypted
    /// store); `source` names it in errors. The caller wipes its copy of the PIN.
    static SigningKey from_pkcs12_bytes(std::string_view p12, std::string_view pin, const std::string& source);

    /// Opens a key on a PKCS#11 token (e.g. SoftHSM2) by URI ("pkcs11:token=…;object=…;type=private"),
    /// through the libp11 OpenSSL engine; the certificate is taken from the token (same object,
    /// type=cert). `module` is the PKCS#11 library (empty: the engine's default, p11-kit's proxy).
    /// The PIN comes only from pin_file (as for from_pkcs12): a URI with pin-value= or pin-source=
    /// is refused (SealInputError "seal.pkcs11_pin_in_uri"); a module that does not exist or is not
    /// a PKCS#11 library is "seal.pkcs11_module". libp11 prints nothing to stderr.
    /// Throws SealInputError (engine missing, wrong PIN "seal.wrong_pin", no such key or certificate).
    static SigningKey from_pkcs11(const std::string& uri, const std::filesystem::path& pin_file,
                                  const std::filesystem::path& module = {});
    /// The same with the PIN in memory (typed by the seal's holder at the desk, or read by the
    /// caller): nothing is read from a file. The PIN is copied only into a buffer that is cleansed
    /// before returning; the caller wipes its own copy. A PIN the token refuses is SealInputError
    /// "seal.wrong_pin" (as for a PKCS#12 file); an empty PIN is "seal.wrong_pin" too, without
    /// trying the token; a token that knows no such key or certificate is "seal.pkcs11".
    static SigningKey from_pkcs11_pin(const std::string& uri, std::string_view pin, const std::filesystem::path& module = {});

    SigningKey(SigningKey&&) noexcept;
    SigningKey& operator=(SigningKey&&) noexcept;
    ~SigningKey();

    /// The subject common name of the certificate (UTF-8).
    std::string signer_name() const;

    struct Impl;
    Impl& impl() const { return *impl_; }

private:
    explicit SigningKey(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

/// An RFC 3161 timestamp authority: takes a DER TimeStampReq, returns the DER TimeStampResp.
/// Throws core::Error (or a subtype) when the authority cannot be reached. The transport (HTTP)
/// belongs to the caller, so ow_seal needs no network library.
using TsaClient = std::function<std::string(const std::string& request_der)>;

/// A rectangle in PDF user space (points, origin bottom-left of the page).
struct Rect {
    double x = 0, y = 0, w = 0, h = 0;
};

struct Placement {
    int page = 1;                  // 1-based
    std::optional<Rect> rect;      // explicit rectangle, or…
    std::string anchor;            // …centred on the first occurrence of this text (UTF-8)
    double anchor_size = 0;        // size of the seal square when anchored (points); 0 = 120 pt (≈ 42 mm)
};

/// PAdES (CMS, RSA/ECDSA, ETSI.CAdES.detached) or the SM2 profile (GB/T 38540 SES_Signature with
/// SM2-with-SM3 over the SM3 of the signed bytes; see docs/seals.md).
enum class Profile { pades, sm2 };

struct StampOptions {
    Profile profile = Profile::pades;
    /// SM2 profile: the SES_Seal (DER) made by the seal maker for this key's certificate. Its
    /// picture is the artwork unless `image` is given.
    std::optional<std::filesystem::path> ses_seal;
    std::optional<std::filesystem::path> image;  // PNG artwork; none → an empty (invisible) appearance
    std::optional<std::string> image_png;        // …or the PNG's bytes (wins over `image`)
    /// Where the artwork, once prepared for a PDF (decoded, deflated colour and alpha), is kept
    /// between processes, one file per PNG named by its SHA-256 (a command-line stamp pays the
    /// preparation once per seal, not per stamp). Within a process the last few artworks are kept
    /// in memory either way. A cache that cannot be read or written is skipped, never an error.
    std::optional<std::filesystem::path> appearance_cache;
    Placement placement;
    std::string reason;                          // /Reason (UTF-8), optional
    std::string location;                        // /Location (UTF-8), optional
    std::string field_name;                      // default "Seal<N>"
    /// B-T: a signature timestamp from this authority (unsigned attribute of the SignerInfo).
    TsaClient tsa;
    /// The signing time written as /M; default: now.
    std::optional<std::chrono::system_clock::time_point> time;
    /// 0: an approval seal. 1–3: a certification seal (DocMDP, /P = this value: 1 no changes at all,
    /// 2 also later signatures, 3 also annotations); only as the document's first signature
    /// (SealInputError "seal.certify_not_first" otherwise).
    int certify = 0;
};

struct StampResult {
    std::string field_name;
    int page = 0;
    Rect rect;
    std::size_t bytes_added = 0;
    std::size_t contents_reserved = 0;  // bytes reserved for the CMS
    std::size_t cms_size = 0;
};

/// Stamps `in` into `out` (written to an unnamed O_TMPFILE file next to `out` — a locked named
/// temporary where the filesystem lacks O_TMPFILE — read back and checked with qpdf, then renamed
/// over `out`; on any failure no `out` exists afterwards unless it existed before). `in` and `out`
/// may not be the same. A trailer /Size beyond the largest PDF object number is refused
/// (SealInputError "seal.bad_pdf"); an output that does not read back as written is
/// SealInputError "seal.write_check".
/// A document certified with DocMDP P=1 is refused (SealRefused "seal.certified_no_changes").
StampResult stamp(const std::filesystem::path& in, const std::filesystem::path& out, const SigningKey& key,
                  const StampOptions& options);

/// Adds a document timestamp (SubFilter ETSI.RFC3161, B-LTA style) as one more incremental
/// update, e.g. to a document sealed offline, without touching its signatures.
StampResult timestamp_document(const std::filesystem::path& in, const std::filesystem::path& out, const TsaClient& tsa);

/// One signature's verdict. `changes` lists what later revisions changed beyond what is allowed
/// after a signature (docs/seals.md, "later revisions"): new signatures made later (their fields,
/// widgets and appearances), signature fields that show nothing, /DSS, document timestamps, and
/// what a certification signature's DocMDP permits. Anything else that can alter what a page
/// shows — e.g. an unsigned signature widget with a visible appearance — is a change.
struct SignatureReport {
    std::string field_name;
    std::string sub_filter;
    std::string signer;          // subject CN of the signing certificate
    std::string signer_subject;  // full subject, one line
    std::string signing_time;    // /M as written (PDF date)
    bool doc_timestamp = false;  // ETSI.RFC3161 document timestamp
    std::string timestamp_time;  // time of the RFC 3161 token, if any (ISO 8601 UTC)
    bool byte_range_ok = false;  // ByteRange well-formed, gap is exactly the /Contents string
    bool digest_ok = false;      // the signed bytes hash to the signed message digest
    bool signature_ok = false;   // the CMS signature over the signed attributes verifies
    std::optional<bool> trusted; // chains to the given roots (only when roots were given)
    std::string trust_error;
    /// The RFC 3161 timestamp's authority (of a document timestamp, or of a signature's B-T
    /// token), only when roots were given and there is a token: its certificate chains to the
    /// roots at the token's time and carries the timeStamping extended key usage (critical).
    /// An untrusted authority makes the signature invalid.
    std::optional<bool> timestamp_trusted;
    std::string timestamp_trust_error;
    bool covers_whole_file = false;
    std::size_t revision_end = 0;       // end of the signed revision (bytes)
    std::vector<std::string> changes;   // disallowed changes made by later revisions
    std::vector<std::string> problems;  // why this signature is not valid
    bool valid() const;
};

struct VerifyReport {
    std::size_t file_size = 0;
    std::vector<SignatureReport> signatures;
    /// Every signature valid (and trusted when roots were given), and at least one signature.
    bool ok() const;
};

struct VerifyOptions {
    std::optional<std::filesystem::path> roots;  // PEM file with trusted root certificates
};

/// Verifies every signature in `file`. Throws SealInputError when the file is not a readable PDF.
VerifyReport verify(const std::filesystem::path& file, const VerifyOptions& options = {});

/// Report as JSON text (stable keys; see docs/seals.md).
std::string to_json(const VerifyReport& report);

/// Makes a clearly-marked demo seal for training and tests in `dir`: seal.png (round, red,
/// organisation name on the arc, a star, 样章 / DEMO), ca.pem (a throw-away test CA), seal.p12
/// (key + certificate issued by that CA), seal.pin (the PKCS#12 PIN, mode 0600) and seal.json
/// (a seal policy: holders demo-a on post A and demo-b on post B); and for the SM2 profile
/// sm2/ca.pem, sm2/seal.p12 (same PIN) and sm2/seal.ses (the SES_Seal, made by the demo CA).
struct DemoSeal {
    std::filesystem::path png, ca_pem, p12, pin_file, policy;
    std::filesystem::path sm2_ca_pem, sm2_p12, ses_seal;
};
/// The key of a demo seal and its CA: RSA 2048 (the default), or ECDSA P-256 — the same PAdES
/// profile, and a key made in a millisecond instead of a few hundred (the demo desk makes several).
enum class DemoKey { rsa2048, ec_p256 };
/// `pin`: the PKCS#12 PIN to use (1–64 characters); empty: a random 6-digit one (the demo desk gives
/// a known one, so that a trainee can type it at the decision).
DemoSeal make_demo_seal(const std::string& organisation, const std::filesystem::path& dir, const std::string& pin = {},
                        DemoKey key = DemoKey::rsa2048);

/// Where `text` first occurs in `pdf` (page and bounding box in PDF user space), via Poppler.
/// Throws SealInputError when the text is not found.
struct AnchorHit {
    int page = 0;
    Rect box;
};
AnchorHit find_anchor(const std::filesystem::path& pdf, const std::string& text);

}  // namespace ow::seal
