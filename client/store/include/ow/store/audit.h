// The audit trail (电子监察): append-only, each entry hash-chained to the one before (SHA-256 over
// the previous hash and the entry's canonical JSON). The head (count and last hash) is kept in
// meta and checked too, so removing entries from the end shows. Verification names the first bad
// entry. Writers append inside the transaction that makes the change they record.
#pragma once

#include "ow/core/case.h"
#include "ow/store/db.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ow::store {

struct AuditEntry {
    std::int64_t seq = 0;
    std::string at;  // RFC 3339
    std::string user_id;
    core::Post post = core::Post::none;
    std::string acting_for;
    std::string action;
    std::string case_id;
    std::string detail;  // JSON text
};

/// An entry with its links in the chain: `hash` is entry_hash(prev_hash, entry), so an extract
/// (e.g. one case's entries in an archive package) can be checked entry by entry without the store.
struct ChainedAuditEntry {
    AuditEntry entry;
    std::string prev_hash;
    std::string hash;
};

/// What is wrong with a trail that fails verification (none when intact).
enum class AuditFault {
    none,
    changed,  ///< first_bad was changed after it was written (its hash does not match)
    link,     ///< first_bad's link to the entry before is broken (entries removed or reordered)
    missing,  ///< entry first_bad (and maybe more) is missing, within the chain or from its end
    order,    ///< the entries are out of order at first_bad
    unknown_post,  ///< first_bad holds a post value no writer writes
    added,    ///< entries from first_bad on were added behind the recorded head
    head,     ///< the recorded head was altered or removed (no entry at fault; first_bad empty)
};

struct AuditVerdict {
    bool intact = true;
    std::int64_t entries = 0;
    std::optional<std::int64_t> first_bad;  // seq of the first entry that fails; empty when only the head was altered
    std::string reason;
    AuditFault fault = AuditFault::none;  // the kind of the failure (the desk words it)
};

/// The form of an audit export.
enum class AuditExportFormat {
    json,  ///< a JSON array of {seq, at, user, post, acting_for, action, case_id, detail, hash}
    csv,   ///< RFC 4180 CSV with a header row (UTF-8, CRLF line ends; detail as JSON text)
};

/// What export_audit wrote.
struct AuditExport {
    std::int64_t entries = 0;  ///< entries written
    AuditVerdict verdict;      ///< the whole trail's verification at the time of the export
};

class AuditLog {
public:
    explicit AuditLog(Db& db) : db_(db) {}
    /// Appends (call inside the transaction of the change). Returns the new entry's seq.
    std::int64_t append(const core::Actor& actor, core::Instant at, const std::string& action, const std::string& case_id,
                        const std::string& detail_json);
    AuditVerdict verify();
    /// The entries about one case (audit.case_id), oldest first (by seq), at most `limit` (>= 1)
    /// of them; read through the index audit_case. Empty for an empty id. Throws StoreError.
    std::vector<AuditEntry> for_case(const std::string& case_id, int limit = 1000);
    /// The same with each entry's prev_hash and hash.
    std::vector<ChainedAuditEntry> for_case_chained(const std::string& case_id, int limit = 1000);
    static std::string entry_hash(const std::string& prev_hash, const AuditEntry& e);
    /// The entries whose time `at` lies within [from, to], oldest first (by seq). `from` and `to`
    /// are dates (YYYY-MM-DD, UTC, `to` inclusive of its whole day) or RFC 3339 instants compared as
    /// written; empty: unbounded. core::InvalidData for a bound that is neither. Throws StoreError.
    std::vector<AuditEntry> range(const std::string& from = {}, const std::string& to = {});

private:
    Db& db_;
};

class Store;

/// Writes the audit entries within [from, to] (see AuditLog::range) to `out` in `format`, through
/// a temporary file beside it renamed into place (no half-written export); the file is 0600
/// (personal data). Verifies the whole trail first and records "audit.exported" (range, format,
/// count, whether the trail was intact) in the trail — after the export, so the file never holds
/// its own export entry. Administrators only (NotAuthorised); core::InvalidData for a bad bound;
/// StoreError ("store.io") when the file cannot be written (nothing is left at `out` then, and
/// nothing is audited).
AuditExport export_audit(Store& store, const std::filesystem::path& out, AuditExportFormat format, const std::string& from = {},
                         const std::string& to = {});

/// Lower-case hex SHA-256 of a byte string.
std::string sha256_hex(std::string_view data);

}  // namespace ow::store
