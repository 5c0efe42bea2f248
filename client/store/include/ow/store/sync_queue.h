// What the sync engine (ow_sync) reads and writes in the store: the outbox in commit order, the
// blob upload queue with its acknowledged offsets, the ledger of cases the platform holds (with
// the state checksum of docs/platform-api.md), cursors and status, and the issues a clerk has to
// see (quarantined mutations, conflicts, problems). The store owns these tables; the sync engine
// owns the protocol. Each class works on one connection (the sync thread has its own); writes run
// in their own transaction, or in a savepoint inside the caller's (so a pull page and its cursor
// commit together).
#pragma once

#include "ow/core/date.h"
#include "ow/store/db.h"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ow::store {

struct OutboxEntry {
    std::int64_t seq = 0;
    std::string mutation_id;
    std::string case_id;
    std::string kind;     // create, attach_blob, snapshot, or a case action (accept, rate, …)
    std::string payload;  // JSON text as CaseStore wrote it (core JSON, not the wire format)
    std::string created_at;
    int attempts = 0;
};

struct OutboxCounts {
    std::int64_t pending = 0;      // waiting to be sent (includes held)
    std::int64_t held = 0;         // pending behind a quarantined mutation of the same case
    std::int64_t quarantined = 0;  // refused by the platform; a clerk decides
    std::int64_t settled = 0;      // acknowledged by the platform since the store was made
    std::int64_t pending_cases = 0;  // distinct cases with a pending mutation
};

class Outbox {
public:
    explicit Outbox(Db& db) : db_(db) {}
    /// Pending mutations in commit order after `after_seq`, skipping every case that has a
    /// quarantined earlier mutation (its later ones are held). At most `max_items`, and stops once
    /// `max_bytes` of payload are reached (always at least one entry when any is sendable).
    std::vector<OutboxEntry> next_batch(int max_items, std::size_t max_bytes, std::int64_t after_seq = 0);
    /// How many pending mutations follow `after_seq`, counted up to `at_most` (a cheap bound).
    std::int64_t pending_after(std::int64_t after_seq, std::int64_t at_most);
    /// The platform acknowledged these (accepted or duplicate): they leave the outbox.
    void settle(const std::vector<std::string>& mutation_ids);
    /// The platform refused it: kept, marked quarantined, and shown to the clerk as an issue
    /// (kind "conflict" for conflict.* reasons, else "quarantine").
    void quarantine(const OutboxEntry& entry, const std::string& code, const std::string& message,
                    const std::string& detail_json, core::Instant at);
    /// These were sent but the answer was lost (transport error): their outcome is in doubt until
    /// the platform answers for them. The reason is kept for display.
    void record_attempt(const std::vector<std::string>& mutation_ids, const std::string& error);
    /// A clerk sends a quarantined mutation again (after the cause was fixed). False if it was not quarantined.
    bool release(const std::string& mutation_id);
    /// A clerk sends a quarantined mutation again: released (as release), its open issues
    /// resolved as "sent again by <by>" and an audit entry "sync.retry" by <by>, in one
    /// transaction. False if it was not quarantined (nothing is changed or audited).
    bool resend(const std::string& mutation_id, const std::string& by, core::Instant at);
    /// Counts releases: batches formed after one get a new idempotency key (a platform must not
    /// answer a released mutation with the refusal it remembered for the same batch).
    std::int64_t release_generation();
    /// True when a case-creating mutation (create / snapshot) is in doubt (see record_attempt): the
    /// platform may hold the case without this terminal knowing it.
    bool has_unsettled_creates();
    OutboxCounts counts();
    /// Only `pending` and `quarantined` (the rest 0): what a sync pass reports, without the
    /// per-case counts that read every pending row's case.
    OutboxCounts totals();
    /// True when this mutation is in the outbox and quarantined (a clerk may send it again).
    bool is_quarantined(const std::string& mutation_id);
    /// The lowest case-event seq among this case's mutations still in the outbox (not yet
    /// acknowledged by the platform: pending, sent or quarantined), or nothing when none carries an event.
    std::optional<std::int64_t> first_queued_event_seq(const std::string& case_id);

private:
    Db& db_;
};

/// A blob waiting for upload, and the upload's state at the platform as last acknowledged.
struct PendingBlob {
    std::string sha256;
    std::int64_t size = 0;
    std::string media_type;
    std::string upload_id;       // empty until the platform opened an upload
    std::int64_t acked_offset = 0;
};

class UploadQueue {
public:
    explicit UploadQueue(Db& db) : db_(db) {}
    /// Blobs not yet held by the platform, oldest first.
    std::vector<PendingBlob> pending(int limit = 100);
    /// Remembers the platform's upload id and acknowledged offset (progress survives a restart).
    void save_progress(const std::string& sha256, const std::string& upload_id, std::int64_t acked_offset, std::int64_t size);
    /// Forgets the upload (the platform discarded it); the blob stays pending.
    void reset(const std::string& sha256);
    /// The platform holds the blob: it leaves the queue.
    void mark_uploaded(const std::string& sha256);
    std::int64_t pending_count();
    std::int64_t pending_bytes();

private:
    Db& db_;
};

/// The cases the platform holds for this terminal (acknowledged creates), with the running state
/// checksum "<count>:<xor of SHA-256(case id)>", and the small status values of the sync engine.
class SyncLedger {
public:
    explicit SyncLedger(Db& db) : db_(db) {}
    /// The platform holds this case (idempotent). Keeps the checksum current.
    void acknowledge_case(const std::string& case_id, const std::string& case_no, core::Instant at);
    /// As acknowledge_case for many cases (case id, platform case number), in one statement loop
    /// and one checksum update: a push's creates, a full resync's index. Returns how many were new.
    std::int64_t acknowledge_cases(const std::vector<std::pair<std::string, std::string>>& cases, core::Instant at);
    /// The platform no longer holds it (found by a full resync).
    void forget_case(const std::string& case_id);
    /// As forget_case for many cases, with one checksum update. Returns how many it held.
    std::int64_t forget_cases(const std::vector<std::string>& case_ids);
    bool holds(const std::string& case_id);
    std::vector<std::string> held_cases();
    /// The highest seq of an event made on this terminal (not by the platform) that the platform
    /// should hold in this case's record: below the case's first event still in the outbox; 0 when
    /// none. A rating does not count: it goes to the rating interface (好差评), not into the case's
    /// history there, so the platform's `last_seq` never reaches it (a full resync would otherwise
    /// re-send every rated case).
    std::int64_t settled_client_seq(const std::string& case_id);
    /// settled_client_seq of every case in this store, by case id, read in one pass (a full
    /// resync compares each case of the platform's index with it; a case not in the map is not here).
    std::unordered_map<std::string, std::int64_t> settled_client_seqs();
    /// "<count>:<64 hex>" (see docs/platform-api.md, "State checksum").
    std::string state();
    /// The checksum of any set of case ids, computed the same way.
    static std::string state_of(const std::vector<std::string>& case_ids);

    std::optional<std::string> cursor(const std::string& name);
    void set_cursor(const std::string& name, const std::string& value, core::Instant at);
    void clear_cursor(const std::string& name);

    /// Status values kept in meta under "sync.<key>" (last_success, last_error, clock_offset_ms …).
    std::optional<std::string> status(const std::string& key);
    void set_status(const std::string& key, const std::string& value);

private:
    void xor_into_state(const std::string& case_id, int delta);
    /// Applies `xor` (the XOR of the digests of `delta`'s cases) and `delta` to the checksum.
    void add_to_state(const unsigned char* xor_acc, std::int64_t delta);
    Db& db_;
};

struct SyncIssue {
    std::int64_t id = 0;
    std::string kind;  // conflict, quarantine, problem
    std::string case_id;
    std::string mutation_id;
    std::string code;     // e.g. conflict.state, invalid.applicant.doc_type, change.unknown_type
    std::string message;  // English (logs, CLI); the desk shows its own translated text by code
    std::string detail;   // JSON text
    std::string created_at;
    std::string resolved_at;
    std::string resolution;
};

/// Records a clerk must see: never a silent drop.
class SyncIssues {
public:
    explicit SyncIssues(Db& db) : db_(db) {}
    std::int64_t add(const std::string& kind, const std::string& case_id, const std::string& mutation_id,
                     const std::string& code, const std::string& message, const std::string& detail_json, core::Instant at);
    /// Open issues, oldest first; `kind` empty for all kinds.
    /// As add, unless an open issue of the same kind, case, mutation, code and detail exists (a
    /// problem seen again on the next pass): then that issue's id, and nothing is added.
    std::int64_t add_once(const std::string& kind, const std::string& case_id, const std::string& mutation_id,
                          const std::string& code, const std::string& message, const std::string& detail_json, core::Instant at);
    std::vector<SyncIssue> open(const std::string& kind = {}, int limit = 200);
    std::int64_t open_count(const std::string& kind = {});
    /// Marks an issue resolved with a note (e.g. "released", "accepted platform decision"). False if not open.
    bool resolve(std::int64_t id, const std::string& resolution, core::Instant at);
    /// A clerk marks an issue dealt with: resolved with "<note> (<by>)" and an audit entry
    /// "sync.resolve" by <by> (issue id, kind, code, note), in one transaction. False if not open.
    bool resolve(std::int64_t id, const std::string& note, const std::string& by, core::Instant at);

private:
    Db& db_;
};

/// The numbers of a case the sync engine and the sync panel show (from the cases table).
struct CaseNumbers {
    std::string receipt_no;        // empty when the case has none
    std::string platform_case_no;  // 办件编号; empty until the platform assigned one
    std::string item_code;
};
/// The numbers of a case this store holds, or nothing for an unknown case id.
std::optional<CaseNumbers> case_numbers(Db& db, const std::string& case_id);

/// The results the platform reported ready (办结: licence name and number), by case.
struct PlatformResult {
    std::string case_id, name, number, ready_at;
};
void record_platform_result(Db& db, const PlatformResult& r);
std::optional<PlatformResult> platform_result(Db& db, const std::string& case_id);

}  // namespace ow::store
