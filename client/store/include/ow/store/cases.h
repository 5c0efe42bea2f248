// Cases in the store, and the one way to change them.
//
// CaseStore::create() and CaseStore::commit() each run ONE transaction that writes the case row
// (with its checklist rows), the history row, an outbox row (mutation id UUIDv7, in commit
// order) and an audit entry. Either all of it is there after a crash, or none of it.
// Optimistic concurrency: a commit re-reads the case inside the transaction, so two connections
// (desk and sync thread) cannot overwrite each other's change.
#pragma once

#include "ow/core/calendar.h"
#include "ow/core/case.h"
#include "ow/core/ids.h"
#include "ow/store/db.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ow::store {

struct SearchHit {
    std::string id;
    std::string receipt_no;
    std::string platform_case_no;
    std::string item_code;
    std::string applicant_name;
    std::string applicant_doc;
    std::string applicant_phone;
    std::string state;
    std::string due_date;
    bool promised_provisional = false;  ///< the due date rests on a provisional calendar year (预计)
    bool green = false;  ///< a green-channel flag is set (绿色通道)
};

struct StoreStats {
    std::int64_t cases = 0, history = 0, applicants = 0, outbox_pending = 0, outbox_quarantined = 0, blobs = 0,
                 blobs_pending = 0, blob_bytes = 0, audit_entries = 0, users = 0;
    int schema_version = 0;
    std::string cipher_version;
};

/// A blob linked to a case (case_blobs): a scan (role "material", with its material code), a
/// document (role "document", the notice kind as code), the applicant's signature ("signature") …
struct CaseAttachment {
    std::string sha256;
    std::string role;
    std::string material_code;
};

/// Receipt numbers for this terminal, with sequences kept in the store (per day, across restarts).
struct TerminalIdentity {
    std::string centre = "DEMO01";
    std::string terminal = "T1";
};

class CaseStore {
public:
    CaseStore(Db& db, const core::WorkCalendar& calendar);
    /// Mutation ids from this generator instead of the process-wide one (reproducible demo data).
    void set_id_generator(core::UuidV7Generator* gen) { ids_ = gen; }

    /// Stores a new case (state draft) with its applicant (reused when the ID is known) and gives
    /// it a receipt number. The case's id and receipt_no are set on return. A draft started before
    /// the applicant is identified (no name and no document number) is held back from the platform
    /// (which takes no case without an applicant) until a commit sets its applicant; that commit
    /// queues the whole case with its history and attachments as one snapshot.
    void create(core::Case& c, const core::Actor& actor, core::Instant at, const TerminalIdentity& terminal);
    /// Applies one event through CaseMachine and commits it (see above). `c` is the caller's copy
    /// (e.g. the case open on the desk); it is updated on success. Throws what CaseMachine throws
    /// (nothing is written then), StoreError("store.conflict") when the stored case changed since
    /// `c` was read (reload and retry), or StoreError.
    core::HistoryEntry commit(core::Case& c, const core::CaseEvent& event);
    /// Several events as ONE act (e.g. receive + accept at the window; a countersign that completes
    /// the decision): applied in order and committed in one transaction, with `within` (if given)
    /// run inside it after the last event on the changed case (e.g. to record the act's document,
    /// whose blob was stored before). Everything or nothing: an exception from any event or from
    /// `within` leaves the store and `c` unchanged.
    std::vector<core::HistoryEntry> commit_all(core::Case& c, const std::vector<core::CaseEvent>& events,
                                               const std::function<void(const core::Case&)>& within = {});
    /// The same for a case by id (loads it first).
    core::HistoryEntry commit(const core::Uuid& id, const core::CaseEvent& event);
    /// Applies an event that happened at the platform (the back office took, decided or returned
    /// the case; actor role platform). Like commit(): state, history and audit in one transaction,
    /// but nothing is queued for the platform, which made the change.
    core::HistoryEntry apply_remote(core::Case& c, const core::CaseEvent& event);
    /// Computes again, with this store's calendar, the promised date of every open case whose date
    /// rests on a provisional calendar year (accepted, under_review or escalated; promised_provisional),
    /// e.g. after an official year arrived (sync, or an imported file). Each case whose date or flag
    /// changes gets a recompute_due event through commit() (history with the old and new date,
    /// outbox, audit) by `actor` with `reason`, at `at` or its last event's time if that is later.
    /// A case the machine refuses to recompute (e.g. its date would pass 2099) keeps its provisional
    /// date. All in one transaction. Returns the number of cases changed. Throws StoreError.
    int recompute_provisional(const core::Actor& actor, core::Instant at, const std::string& reason);
    /// Records the platform's case number (办件编号) once it is assigned (the search column is its
    /// home; load() returns it). Platform-owned fields are kept by later commits even when the
    /// caller's copy was read before they arrived.
    void set_platform_case_no(const core::Uuid& id, const std::string& case_no, core::Instant at);
    /// Queues the whole case with its history for the platform (a full resync found it lost there).
    void enqueue_snapshot(const core::Uuid& id, core::Instant at);
    /// Links a stored blob (scan, PDF) to a case; queued for upload with the blob.
    void attach_blob(const core::Uuid& id, const std::string& sha256, const std::string& role,
                     const std::string& material_code, const core::Actor& actor, core::Instant at);

    std::optional<core::Case> load(const core::Uuid& id);
    /// The blobs linked to a case, by role, material code and digest. Throws StoreError.
    std::vector<CaseAttachment> attachments(const core::Uuid& id);
    /// Finds cases by local id, receipt number (prefix), platform case number, applicant ID number,
    /// phone, or applicant name prefix. At most `limit` hits, newest first.
    std::vector<SearchHit> search(const std::string& query, int limit = 50);
    /// The cases a report over the period [from, to) may count (ow/workflow/report.h): those
    /// created before `to` that either changed on or after `from` (received, decided, rated … in
    /// the period or later) or are still open now (accepted, under_review, escalated,
    /// correction_requested: possibly overdue at the period's end without a change since). A
    /// superset: the report reads each case and decides what it counts. In id order. Throws
    /// StoreError.
    std::vector<core::Uuid> report_candidates(core::Instant from, core::Instant to);
    /// Other cases of the same applicant (document number) for the same item — and bundle, for a
    /// bundle's case — that are still open: not refused, issued, rated or archived (drafts count
    /// once they name the applicant). The warning against 两头受理 (one matter taken twice); newest
    /// first, at most `limit`. Nothing for a case without applicant. Throws StoreError.
    std::vector<SearchHit> open_duplicates(const core::Case& c, int limit = 20);
    /// A returning applicant's last known data, for prefill.
    std::optional<core::Applicant> find_applicant(core::DocumentType type, const std::string& number);
    /// 一企一员: the contact clerk (user id) of the enterprise with this USCC — the helper of its
    /// latest case assisted in mode contact — or nothing.
    std::optional<std::string> contact_clerk(const std::string& uscc);

    StoreStats stats();

private:
    void write_case_row(const core::Case& c, std::int64_t applicant_id, bool insert, core::Instant at,
                        std::int64_t expected_version = 0);
    std::int64_t upsert_applicant(const core::Applicant& a, core::Instant at);
    bool is_held(const std::string& case_id);  ///< a draft not yet sent (no applicant yet)
    void enqueue(const std::string& case_id, const std::string& kind, const std::string& payload, core::Instant at);
    std::vector<core::HistoryEntry> commit_events(core::Case& c, const std::vector<core::CaseEvent>& events, bool to_platform,
                                                  const std::function<void(const core::Case&)>& within);

    Db& db_;
    const core::WorkCalendar& calendar_;
    core::UuidV7Generator* ids_ = nullptr;
};

/// A SequenceSource over the store's receipt_seq table (call inside a transaction).
class StoreSequence final : public core::SequenceSource {
public:
    explicit StoreSequence(Db& db) : db_(db) {}
    std::uint32_t next(core::Date day) override;

private:
    Db& db_;
};

}  // namespace ow::store
