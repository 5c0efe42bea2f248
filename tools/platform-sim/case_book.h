// The platform's case records and everything that changes them: the push (create, event,
// attach_blob, snapshot, with mutation-id dedup and the conflict rules of the contract), ratings,
// the per-terminal state checksum (kept incrementally), the change feed and the case index.
// Every method expects the database lock held and runs inside the caller's transaction.
#pragma once

#include "auth.h"
#include "wire.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ow::sim {

class PlatformDb;

struct RecordResult {
    std::string mutation_id;
    std::string status;  // accepted | duplicate | rejected
    std::string case_no;
    std::string reason_code, reason_message, platform_state;
};

/// The results array of the push and ratings responses, as JSON text.
std::string results_json(const std::vector<RecordResult>& results);
/// The minimal form of a push answer (`Prefer: return=minimal`, docs/platform-api.md "Case push"):
/// the records not accepted, the count of those accepted, and the case number of every case whose
/// create or snapshot was accepted. `results` holds one result per mutation of `batch`, in order.
std::string minimal_results_json(const PushBatch& batch, const std::vector<RecordResult>& results);

/// Cursors are opaque to terminals: base64url of "<kind>:<position>".
std::string make_cursor(std::string_view kind, std::int64_t position);
/// The position of a cursor of `kind` ("" is position 0); nothing for a malformed one.
std::optional<std::int64_t> read_cursor(std::string_view kind, std::string_view cursor);

class CaseBook {
public:
    explicit CaseBook(PlatformDb& pdb) : pdb_(pdb) {}

    std::vector<RecordResult> apply_push(const Terminal& t, const PushBatch& batch);
    std::vector<RecordResult> apply_ratings(const Terminal& t, const std::vector<WireRating>& ratings);

    /// "<count>:<64 hex>" of the cases the platform holds for the terminal.
    std::string platform_state(const std::string& terminal_id);
    /// The change feed after `after_seq`: {"changes", "next_cursor", "has_more"} as JSON text.
    std::string changes_page(const std::string& terminal_id, std::int64_t after_seq, int limit);
    /// The case index after row `after_id`: {"cases", "next_cursor", "has_more"[, "changes_cursor"]}.
    std::string index_page(const std::string& terminal_id, std::int64_t after_id, int limit, bool first);

    /// Appends a change to the terminal's feed; `record` gets change_id, case_id, case_no, type, at.
    std::int64_t add_change(const std::string& terminal_id, const std::string& case_id, const std::string& case_no,
                            const std::string& type, nlohmann::json record, std::int64_t at_ms);

    /// The platform loses a case (all its rows, events and links); the owner's checksum follows.
    bool forget(const std::string& case_id);

private:
    struct CaseRow {
        std::int64_t id = 0;
        std::string terminal, case_no, state;
        std::int64_t last_seq = 0;
    };
    std::optional<CaseRow> find_case(const std::string& case_id);
    bool mutation_applied(const std::string& mutation_id);
    void record_applied(const std::string& mutation_id, const std::string& terminal, const std::string& case_id,
                        const std::string& kind, std::int64_t now);
    /// The next case number of the centre and day; the sequence is read once per batch and
    /// written back by flush_case_nos() (same transaction).
    std::string assign_case_no(const std::string& centre, std::int64_t now);
    void flush_case_nos();
    void insert_events(const std::string& case_id, const std::vector<WireEvent>& events, const std::string& mutation_id);

    PlatformDb& pdb_;
    std::map<std::string, std::pair<std::int64_t, bool>> case_no_seq_;  // prefix → (last, changed)
};

/// XORs SHA-256(case id) into a 64-hex-digit state.
std::string xor_case(const std::string& state_hex, const std::string& case_id);

}  // namespace ow::sim
