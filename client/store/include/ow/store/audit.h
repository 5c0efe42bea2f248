// The audit trail (电子监察): append-only, each entry hash-chained to the one before (SHA-256 over
// the previous hash and the entry's canonical JSON). The head (count and last hash) is kept in
// meta and checked too, so removing entries from the end shows. Verification names the first bad
// entry. Writers append inside the transaction that makes the change they record.
#pragma once

#include "ow/core/case.h"
#include "ow/store/db.h"

#include <cstdint>
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

struct AuditVerdict {
    bool intact = true;
    std::int64_t entries = 0;
    std::optional<std::int64_t> first_bad;  // seq of the first entry that fails; empty when only the head was altered
    std::string reason;
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

private:
    Db& db_;
};

/// Lower-case hex SHA-256 of a byte string.
std::string sha256_hex(std::string_view data);

}  // namespace ow::store
