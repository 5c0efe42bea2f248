// PlatformClient: the typed calls of the platform contract (docs/platform-api.md) over one
// Transport, signed with the terminal's credentials. Maps HTTP answers to SyncError kinds
// (errors.h). Corrects its clock offset from X-OW-Server-Time when the platform says the
// timestamp is stale (and retries that request once). Not thread-safe: one per sync thread.
#pragma once

#include "ow/store/repositories.h"
#include "ow/sync/http.h"
#include "ow/sync/signing.h"
#include "ow/sync/wire.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ow::sync {

class PlatformClient {
public:
    /// Throws SyncError(config) when the configuration cannot be used.
    PlatformClient(const store::PlatformConfig& config, const std::atomic<bool>* cancel = nullptr,
                   TransportOptions base = {});

    PingInfo ping();
    TerminalInfo whoami();
    /// POST /v1/cases:push (records from WireCodec::push_record); one result per sent id.
    std::vector<RecordResult> push(const nlohmann::json& records, const std::vector<std::string>& ids, const std::string& batch_id);
    std::vector<RecordResult> push_ratings(const nlohmann::json& records, const std::vector<std::string>& ids, const std::string& batch_id);
    /// GET /v1/changes. `state`: the X-OW-State checksum to send (none: no check). 412 is SyncError(resync).
    /// Pipelined push: start_push() signs and sends a batch on a connection of its own and returns
    /// at once; wait() gives the next finished transfer, push_answer() its results (or throws the
    /// SyncError push() would have thrown; a batch refused for its signature's freshness comes
    /// back as retryable auth.resign, to be sent again).
    Transport::Ticket start_push(bool ratings, const nlohmann::json& records, const std::string& batch_id);
    /// The same with the records as JSON array text (see WireCodec::append_push_record).
    Transport::Ticket start_push(bool ratings, const std::string& records_array, const std::string& batch_id);
    Transport::Completion wait() { return transport_.wait_any(); }
    /// `cases`: the case id of each sent mutation (the minimal answer names case numbers by case).
    std::vector<RecordResult> push_answer(Transport::Completion& done, const std::vector<std::string>& ids,
                                          const std::vector<std::string>& cases = {});
    std::size_t in_flight() const { return transport_.in_flight(); }
    void set_compression_level(int level) { transport_.set_compression_level(level); }

    ChangesPage changes(const std::string& cursor, int limit, const std::optional<std::string>& state, bool lenient);
    IndexPage case_index(const std::string& cursor, int limit);

    BlobOpen open_blob(const std::string& sha256, std::int64_t size, const std::string& media_type);
    /// Nothing when the platform no longer knows the upload (404).
    std::optional<std::int64_t> upload_offset(const std::string& upload_id);
    struct AppendResult {
        bool ok = false;              // stored
        std::int64_t offset = 0;      // the platform's offset after the call (or the one it insists on)
        bool unknown_upload = false;  // 404: create the upload again
    };
    AppendResult append(const std::string& upload_id, std::int64_t offset, const char* data, std::size_t size,
                        const ProgressFn& progress = {});
    /// PUT /v1/blobs/{sha256}: a blob of at most one chunk in one request, pipelined like the
    /// push: start_put() sends, wait() + put_answer() read the answer.
    enum class PutResult { complete, digest_mismatch, unsupported };
    Transport::Ticket start_put(const std::string& sha256, const std::string& media_type, const std::string& data);
    PutResult put_answer(Transport::Completion& done);
    enum class Finalize { complete, digest_mismatch, incomplete, unknown_upload };
    Finalize finalize(const std::string& upload_id);

    CataloguePage catalogue(const std::string& since, const std::string& cursor, int limit);
    CalendarsPage calendars(const std::string& cursor);
    std::vector<ELicence> elicences(int doc_type, const std::string& doc_number);
    /// GET /v1/credit: the subject's credit standing (信即办).
    CreditReport credit(int doc_type, const std::string& doc_number);
    /// GET /v1/appointments (this terminal's centre). Nothing when the platform offers no
    /// appointments (404 not_found or 405).
    std::optional<AppointmentsPage> appointments(const std::string& cursor, int limit);
    /// GET /v1/applications (网上申报 of this terminal's centre). Nothing when the platform offers
    /// none (404 not_found or 405).
    std::optional<ApplicationsPage> applications(const std::string& cursor, int limit);
    /// POST /v1/appointments:report with `key` as Idempotency-Key; one result per sent report id.
    std::vector<ReportResult> report_appointments(const nlohmann::json& reports, const std::vector<std::string>& ids, const std::string& key);
    /// GET /v1/blobs/{sha256}/content: the blob's bytes, checked against the digest and
    /// `expected_size` (SyncError platform.malformed when they differ; rejected 404 when unknown).
    std::string blob_content(const std::string& sha256, std::int64_t expected_size);

    /// POST /v1/tsa (unsigned, one attempt): an RFC 3161 TimeStampReq (DER) → the platform's
    /// TimeStampResp (DER), read by the caller (seal::timestamp_document). Nothing when the
    /// platform offers no TSA (404, 405, 501); SyncError for any other failure.
    std::optional<std::string> timestamp(const std::string& request_der);

    /// POST /v1/terminals:enrol with a one-time code (unsigned). With `csr_pem` (make_client_key)
    /// the platform also issues the terminal's client certificate (Credentials::client_certificate).
    static Credentials enrol(const std::string& url, const std::string& code, const std::string& name,
                             const TransportOptions& tls = {}, const std::string& csr_pem = {});

    /// POST /v1/terminals:renew-cert (signed, over the current certificate): a new client
    /// certificate (PEM) for the CSR. Throws SyncError (auth when refused, e.g. revoked).
    std::string renew_certificate(const std::string& csr_pem);

    /// POST /v1/audit:anchor: the head of this terminal's audit trail, and when asked for, the
    /// proof that it extends the head anchored before (the hash of the entry at that seq now).
    struct AnchorAnswer {
        enum class Status { anchored, proof_needed, rewritten, unsupported } status = Status::unsupported;
        std::int64_t anchored_seq = 0;  // the platform's anchored seq (after the call, or the one it asks proof of)
        std::string message;            // the platform's words, for rewritten
    };
    struct AuditProof {
        std::int64_t seq = 0;
        std::string hash;  // empty when this terminal has no entry at seq any more
    };
    AnchorAnswer anchor_audit(std::int64_t seq, const std::string& hash, const std::optional<AuditProof>& proof);

    std::chrono::seconds clock_offset() const { return offset_; }
    const TransferStats& stats() const { return transport_.stats(); }
    bool last_failure_was_connect() const { return transport_.last_failure_was_connect(); }
    const WireCodec& codec() const { return codec_; }

private:
    enum class Outcome { ok, expected, resign };
    HttpRequest prepare(HttpRequest req, bool sign);
    Outcome inspect(HttpResponse& res, const std::set<long>& expected, bool may_resign);
    HttpResponse call(HttpRequest req, bool sign, const std::set<long>& expected = {}, const ProgressFn& progress = {});

    WireCodec codec_;
    Transport transport_;
    std::unique_ptr<Signer> signer_;
    const std::atomic<bool>* cancel_;
    std::chrono::seconds offset_{0};
};

/// Maps a non-2xx answer to the SyncError of the contract's error table.
SyncError error_for(const HttpResponse& res);

}  // namespace ow::sync
