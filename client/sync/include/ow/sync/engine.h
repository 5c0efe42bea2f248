// SyncEngine: moves the outbox up and the platform's changes down, on its own thread and its own
// connection to the store, so the desk never waits for the network.
//
// One pass (run_once): probe the platform (a ping, unless its round trip is remembered) → push the outbox in adaptive, compressed batches
// (per-record results: settled, or quarantined with the platform's reason while the rest of the
// queue moves on) → upload blobs resumably from the acknowledged offset → pull the change feed,
// applying each page together with its cursor in one transaction (a change the local case does
// not allow becomes a conflict record, never a silent drop) → refresh the catalogue and the
// working-day calendars when due. After the push, sealed case documents made offline get their
// document timestamp from the platform's TSA (SyncOptions::timestamp_document). A 412 from the
// feed triggers a full resync. Transient failures are retried with full-jitter backoff
// (Retry-After respected) behind a circuit breaker; a pass gives up after
// `max_consecutive_failures` and reports that work remains.
//
// Threads: run_once() runs on the calling thread; start() runs passes on the engine's own thread
// until stop(). Listener callbacks come on the thread that runs the pass. The owner must stop()
// the engine before it locks or closes the store.
#pragma once

#include "ow/store/blobs.h"
#include "ow/store/cases.h"
#include "ow/store/store.h"
#include "ow/store/sync_queue.h"
#include "ow/sync/client.h"
#include "ow/sync/policy.h"

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace ow::sync {

/// Adds an RFC 3161 document timestamp to the PDF `in`, writing `out` (a new file), with `tsa`
/// (a DER TimeStampReq → the DER TimeStampResp; it throws when the TSA fails). Throws core::Error
/// on any failure, and `out` then does not exist. This is seal::timestamp_document's shape: the
/// desk and the CLI pass it in (ow_sync does not link ow_seal; docs/architecture.md).
using DocumentTimestamper = std::function<void(const std::filesystem::path& in, const std::filesystem::path& out,
                                               const std::function<std::string(const std::string&)>& tsa)>;

/// The sync ledger's status key under which the round trip to the platform is remembered between
/// contacts (milliseconds, decimal text; "" when unknown). Written by every pass that opened a
/// connection and by save_connection(); a pass that finds it starts sending without a ping.
inline constexpr const char* kRoundTripStatus = "link_round_trip_ms";
/// `us` (TransferStats::round_trip_us) as that status text: "" when negative (not measured).
std::string round_trip_text(std::int64_t us);

struct SyncOptions {
    int batch_start = 200;
    int batch_max = 1000;
    int pipeline_depth = 3;  // push batches in flight at once (each on its own connection)
    /// Small blobs (one PUT each) in flight at once. Their requests are short, so each one's
    /// turnaround (the answer, a lost last packet's recovery) is a larger share of its time: two
    /// more than the push cover it (measured on the township link, docs/benchmarks.md).
    int put_depth = 5;
    std::size_t batch_max_bytes = std::size_t(2) << 20;  // core JSON per push request, before compression
    std::size_t ratings_per_request = 100;  // 好差评 ratings gathered before a request goes (fewer at a sweep's end)
    std::size_t chunk_start = std::size_t(256) << 10;
    std::size_t chunk_min = std::size_t(32) << 10;
    std::size_t chunk_max = std::size_t(4) << 20;
    Ms target_request_time{5000};  // batches and chunks grow below it and shrink above it (a long link: few, large requests)
    int page_size = 200;
    int max_consecutive_failures = 8;
    Ms backoff_base{500};
    Ms backoff_cap{30'000};
    int breaker_threshold = 5;
    Ms breaker_cool_down{15'000};
    std::chrono::seconds refresh_interval{3600};  // catalogue and calendars
    Ms watch_interval{30'000};                    // between passes in the background
    bool push = true, upload = true, pull = true, refresh = true;
    /// Send the audit head to the platform at the end of each pass (docs/platform-api.md, "Trust chain").
    bool anchor_audit = true;
    std::uint64_t seed = 0;  // 0: random
    TransportOptions transport;  // timeouts and limits (URL, CA, pin and proxy come from the store)
    /// After a successful push, sealed case documents without a document timestamp (sealed
    /// offline) get one from the platform's TSA through this; empty: they are left alone.
    DocumentTimestamper timestamp_document;
    int timestamps_per_pass = 200;  // documents tried per pass, oldest first
};

enum class Phase { idle, connecting, pushing, uploading, pulling, resyncing, refreshing, waiting };
enum class Connectivity { unknown, online, degraded, offline };
const char* to_code(Phase p);
const char* to_code(Connectivity c);

struct SyncProgress {
    Phase phase = Phase::idle;
    std::int64_t items_done = 0, items_total = 0;  // mutations (push), blobs (upload), changes (pull)
    std::int64_t bytes_done = 0, bytes_total = 0;  // upload bytes
    std::uint64_t bytes_up = 0, bytes_down = 0;    // on the wire, this pass
    std::optional<double> eta_seconds;
};

struct SyncReport {
    std::int64_t settled = 0, duplicates = 0, quarantined = 0, conflicts = 0, problems = 0;
    std::int64_t blobs_uploaded = 0, changes_applied = 0, resyncs = 0, retries = 0;
    std::int64_t upload_bytes_sent = 0;  // chunk bytes put on the wire, including chunks that were cut
    std::uint64_t requests = 0, bytes_up = 0, bytes_down = 0;
    std::uint64_t body_bytes_up = 0;  // request bodies as sent (compressed): the payload on the wire
    std::int64_t remaining_mutations = 0, remaining_blobs = 0, quarantined_total = 0;
    bool feed_complete = false;
    /// Document timestamps added this pass; sealed documents still without one (the platform
    /// offers no TSA, it failed — see timestamp_error — or the pass ended first).
    std::int64_t documents_timestamped = 0, documents_awaiting_timestamp = 0;
    std::string timestamp_error;  // why the TSA could not be used this pass ("" when it could or was not needed)
    /// Appointments (预约) pulled (new or changed) and outcome reports the platform took; decision
    /// documents of 通办 cases downloaded (issue 19).
    std::int64_t appointments_pulled = 0, appointments_reported = 0, remote_documents = 0;
    /// Online applications (网上申报) pulled into the inbox (issue 21).
    std::int64_t applications_pulled = 0;
    std::optional<SyncError> error;  // what stopped the pass, if anything did
    /// The audit head sent to the platform this pass: "anchored", "rewritten" (the platform found
    /// that the local trail does not extend the head it anchored before: error audit.rewritten),
    /// "unsupported" (the platform does not anchor), or "" (not reached).
    std::string audit_anchor;
    std::int64_t audit_anchored_seq = 0;
    bool certificate_renewed = false;  // a new client certificate was issued and stored this pass
    /// Nothing left to send: the outbox (quarantined included) and the blob queue are empty.
    bool drained() const { return remaining_mutations == 0 && remaining_blobs == 0 && quarantined_total == 0; }
};

class SyncListener {
public:
    virtual ~SyncListener() = default;
    virtual void on_progress(const SyncProgress&) {}
    virtual void on_connectivity(Connectivity) {}
    virtual void on_pass(const SyncReport&) {}
};

/// What `sync status` and the desk's status bar show, read from the store (any connection).
struct SyncStatus {
    bool configured = false;
    std::string platform_url, terminal_id;
    std::int64_t queued_mutations = 0, held_mutations = 0, quarantined = 0, settled_total = 0;
    std::int64_t queued_cases = 0;  // distinct cases with mutations waiting
    std::int64_t blobs_pending = 0, blob_bytes_pending = 0;
    std::int64_t conflicts_open = 0, problems_open = 0;
    std::string last_success, last_attempt, last_error_code, last_error;
    std::string connectivity = "unknown";
    std::int64_t clock_offset_s = 0;
    std::string changes_cursor;
    /// Trust chain: the last answer about the audit head ("anchored", "rewritten", "unsupported";
    /// "" before the first), the seq the platform anchored, and the client certificate's expiry
    /// (RFC 3339; "" without one).
    std::string audit_anchor;
    std::int64_t audit_anchored_seq = 0;
    std::string client_cert_not_after;
};
SyncStatus read_status(store::Db& db);

class SyncEngine {
public:
    /// Opens the engine's own connection to `store` and its blob store.
    SyncEngine(store::Store& store, SyncOptions options = {});
    ~SyncEngine();
    SyncEngine(const SyncEngine&) = delete;
    SyncEngine& operator=(const SyncEngine&) = delete;

    /// One pass on the calling thread. Throws only for programming errors; failures are in the report.
    SyncReport run_once();

    void set_listener(SyncListener* l) { listener_ = l; }
    /// Background passes every watch_interval (sooner after wake()), on the engine's thread.
    void start();
    /// Cancels the running transfer and joins the thread.
    void stop();
    /// Asks for a pass now (e.g. after the desk committed a case).
    void wake();
    /// Cancels the current transfer; the pass ends with a cancelled error.
    void cancel();

private:
    struct Pass;
    friend struct Pass;
    void loop();
    bool wait_for(Ms d);  // false when cancelled or stopping

    store::Store& store_;
    SyncOptions opts_;
    std::unique_ptr<store::Db> db_;
    std::unique_ptr<store::BlobStore> blobs_;
    std::unique_ptr<PlatformClient> client_;
    std::string client_key_;  // SHA-256 of the configuration the client was made for (no secret)
    Backoff backoff_;
    CircuitBreaker breaker_;
    std::size_t chunk_;
    int batch_;
    bool batch_adapted_ = false;  // batch_ was set from a measured link (a far platform starts at batch_max)
    bool no_put_ = false;  // the platform does not take small blobs in one request
    SyncListener* listener_ = nullptr;
    Connectivity connectivity_ = Connectivity::unknown;

    std::atomic<bool> cancel_{false};
    std::atomic<bool> stopping_{false};
    std::mutex mu_;
    std::condition_variable cv_;
    bool woken_ = false;
    std::thread thread_;
};

}  // namespace ow::sync
