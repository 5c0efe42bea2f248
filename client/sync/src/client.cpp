#include "ow/sync/client.h"

#include <curl/curl.h>

#include <thread>

#include <nlohmann/json.hpp>

namespace ow::sync {
namespace {

using nlohmann::json;

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& v) {
    if (v.empty()) return std::nullopt;
    if (v.find_first_not_of("0123456789") == std::string::npos && v.size() <= 6)
        return std::chrono::milliseconds(std::stoll(v) * 1000);
    time_t t = curl_getdate(v.c_str(), nullptr);
    if (t < 0) return std::nullopt;
    auto delta = std::int64_t(t) - unix_now();
    return std::chrono::milliseconds(std::max<std::int64_t>(0, delta) * 1000);
}

/// A platform clock further than this from ours is not believed (docs/security-model.md).
constexpr std::int64_t kMaxClockOffsetS = 24 * 3600;

SyncError clock_offset_error(std::int64_t skew) {
    const std::int64_t days = std::llabs(skew) / 86400;
    return SyncError(ErrorKind::auth, "platform.clock_offset",
                     "the platform's clock is " + std::to_string(days) + (days == 1 ? " day " : " days ") +
                         (skew > 0 ? "ahead of" : "behind") +
                         " this computer's; an offset over a day is not adopted. Check this computer's date and "
                         "time, and tell the platform's operators");
}

TransportOptions with_config(TransportOptions t, const store::PlatformConfig& c) {
    t.base_url = c.url;
    t.ca_pem = c.ca_pem;
    t.pin = c.pin;
    t.proxy = c.proxy;
    t.client_cert_pem = c.client_cert_pem;
    t.client_key_pem = c.client_key_pem;
    return t;
}

}  // namespace

SyncError error_for(const HttpResponse& res) {
    auto body = WireCodec::parse_error(res.body);
    std::string msg = body.message.empty() ? "HTTP " + std::to_string(res.status) : body.message;
    long s = res.status;
    if (s == 401 || s == 403)
        return SyncError(ErrorKind::auth, body.code.empty() ? "auth.refused" : body.code,
                         "the platform refused this terminal: " + msg, s);
    if (s == 412)
        return SyncError(ErrorKind::resync, "sync.resync_required", "the platform asks for a full resync: " + msg, s);
    if (s == 408 || s == 429 || s >= 500)
        return SyncError(ErrorKind::retryable, body.code.empty() ? "platform.unavailable" : body.code,
                         "the platform is unavailable (HTTP " + std::to_string(s) + "): " + msg, s,
                         parse_retry_after(res.header("retry-after")));
    if (s >= 300 && s < 400)
        return SyncError(ErrorKind::config, "config.redirect",
                         "the platform redirects (HTTP " + std::to_string(s) + "); check the platform URL", s);
    return SyncError(ErrorKind::rejected, body.code.empty() ? "platform.refused" : body.code,
                     "the platform refused the request (HTTP " + std::to_string(s) + "): " + msg, s);
}

PlatformClient::PlatformClient(const store::PlatformConfig& config, const std::atomic<bool>* cancel, TransportOptions base)
    : codec_(Profile::named(config.profile)), transport_(with_config(std::move(base), config)), cancel_(cancel) {
    signer_ = std::make_unique<Signer>(config.terminal_id, config.secret, parse_sign_algorithm(config.algorithm));
}

HttpRequest PlatformClient::prepare(HttpRequest req, bool sign) {
    if (req.content_type == "application/json" && !req.body.empty()) req.body = codec_.encode(req.body);
    if (sign) signer_->sign(req, unix_now() + offset_.count());
    return req;
}

PlatformClient::Outcome PlatformClient::inspect(HttpResponse& res, const std::set<long>& expected, bool may_resign) {
    auto server_time = res.header("x-ow-server-time");
    std::optional<std::int64_t> skew;
    if (!server_time.empty() && server_time.size() <= 12 && server_time.find_first_not_of("0123456789") == std::string::npos)
        skew = std::stoll(server_time) - unix_now();
    if (res.status >= 200 && res.status < 300) {
        // Keep the offset near the platform's clock so requests are not refused as stale; an
        // offset over a day is never adopted (the answer itself is good: it is kept).
        if (skew && std::llabs(*skew) <= kMaxClockOffsetS && std::llabs(*skew - offset_.count()) > 60)
            offset_ = std::chrono::seconds(*skew);
        if (res.header("content-type").find("json") != std::string::npos) res.body = codec_.decode(res.body);
        return Outcome::ok;
    }
    if (expected.count(res.status)) return Outcome::expected;
    if (res.status == 401 && may_resign) {
        auto code = WireCodec::parse_error(res.body).code;
        if (code == "auth.stale_timestamp" && skew) {
            if (std::llabs(*skew) > kMaxClockOffsetS) throw clock_offset_error(*skew);
            offset_ = std::chrono::seconds(*skew);
            return Outcome::resign;
        }
        // Every signature here has a fresh nonce, so a replay means the same bytes arrived twice:
        // libcurl re-sends a request by itself when a kept-alive connection died under it. Sign again.
        if (code == "auth.replay") return Outcome::resign;
    }
    throw error_for(res);
}

HttpResponse PlatformClient::call(HttpRequest req, bool sign, const std::set<long>& expected, const ProgressFn& progress) {
    for (int attempt = 0;; ++attempt) {
        HttpResponse res = transport_.send(prepare(req, sign), cancel_, progress);
        if (inspect(res, expected, sign && attempt < 2) != Outcome::resign) return res;
    }
}

Transport::Ticket PlatformClient::start_push(bool ratings, const json& records, const std::string& batch_id) {
    return start_push(ratings, records.dump(), batch_id);
}

Transport::Ticket PlatformClient::start_push(bool ratings, const std::string& records_array, const std::string& batch_id) {
    HttpRequest r;
    r.method = "POST";
    r.path = ratings ? "/v1/ratings" : "/v1/cases:push";
    r.body.reserve(records_array.size() + 100);
    r.body = "{\"batch_id\":" + json(batch_id).dump() + (ratings ? ",\"ratings\":" : ",\"mutations\":");
    r.body += records_array;
    r.body += '}';
    r.compress = true;
    r.headers.emplace_back("Idempotency-Key", batch_id);
    // A case push answers one result per record (~15 KB after gzip for 1,000); the minimal form
    // lists only the records not accepted and the new cases' numbers: a few KB less to wait for
    // on a slow link before the connection's next request.
    if (!ratings) r.headers.emplace_back("Prefer", "return=minimal");
    return transport_.start(prepare(std::move(r), true), cancel_);
}

std::vector<RecordResult> PlatformClient::push_answer(Transport::Completion& done, const std::vector<std::string>& ids,
                                                     const std::vector<std::string>& cases) {
    if (done.error) throw *done.error;
    if (inspect(*done.response, {}, true) == Outcome::resign)
        throw SyncError(ErrorKind::retryable, "auth.resign", "the platform asked for a fresh signature; the batch is sent again");
    return codec_.parse_results(done.response->body, ids, cases);
}

PingInfo PlatformClient::ping() {
    HttpRequest r;
    r.path = "/v1/ping";
    auto res = call(r, false);
    return WireCodec::parse_ping(res.body);
}

TerminalInfo PlatformClient::whoami() {
    HttpRequest r;
    r.path = "/v1/terminal";
    auto res = call(r, true);
    return WireCodec::parse_terminal(res.body);
}

std::vector<RecordResult> PlatformClient::push(const json& records, const std::vector<std::string>& ids, const std::string& batch_id) {
    std::vector<std::string> cases;
    for (const auto& r : records) cases.push_back(r.is_object() && r.contains("case_id") && r["case_id"].is_string() ? r["case_id"].get<std::string>() : "");
    start_push(false, records, batch_id);
    auto done = transport_.wait_any();
    return push_answer(done, ids, cases);
}

std::vector<RecordResult> PlatformClient::push_ratings(const json& records, const std::vector<std::string>& ids,
                                                       const std::string& batch_id) {
    start_push(true, records, batch_id);
    auto done = transport_.wait_any();
    return push_answer(done, ids);
}

ChangesPage PlatformClient::changes(const std::string& cursor, int limit, const std::optional<std::string>& state, bool lenient) {
    HttpRequest r;
    r.path = "/v1/changes";
    r.query = {{"cursor", cursor}, {"limit", std::to_string(limit)}};
    if (state) r.headers.emplace_back("X-OW-State", *state);
    auto res = call(r, true);
    return codec_.parse_changes(res.body, lenient);
}

IndexPage PlatformClient::case_index(const std::string& cursor, int limit) {
    HttpRequest r;
    r.path = "/v1/cases:index";
    r.query = {{"cursor", cursor}, {"limit", std::to_string(limit)}};
    auto res = call(r, true);
    return codec_.parse_index(res.body);
}

BlobOpen PlatformClient::open_blob(const std::string& sha256, std::int64_t size, const std::string& media_type) {
    HttpRequest r;
    r.method = "POST";
    r.path = "/v1/blobs";
    r.body = json{{"sha256", sha256}, {"size", size}, {"media_type", media_type}}.dump();
    r.headers.emplace_back("Idempotency-Key", "blob-" + sha256);
    auto res = call(r, true);
    return codec_.parse_blob_open(res.body);
}

std::optional<std::int64_t> PlatformClient::upload_offset(const std::string& upload_id) {
    HttpRequest r;
    r.path = "/v1/blobs/uploads/" + upload_id;
    auto res = call(r, true, {404});
    if (res.status == 404) return std::nullopt;
    return codec_.parse_offset(res.body);
}

PlatformClient::AppendResult PlatformClient::append(const std::string& upload_id, std::int64_t offset, const char* data,
                                                    std::size_t size, const ProgressFn& progress) {
    HttpRequest r;
    r.method = "PATCH";
    r.path = "/v1/blobs/uploads/" + upload_id;
    r.content_type = "application/offset+octet-stream";
    r.body.assign(data, size);
    r.headers.emplace_back("Upload-Offset", std::to_string(offset));
    auto res = call(r, true, {404, 409}, progress);
    AppendResult out;
    if (res.status == 404) {
        out.unknown_upload = true;
        return out;
    }
    std::string h = res.header("upload-offset");
    if (res.status == 409) {
        auto body = WireCodec::parse_error(res.body);
        if (!body.offset) throw SyncError(ErrorKind::retryable, "platform.malformed", "an offset mismatch answer without an offset");
        out.offset = *body.offset;
        return out;
    }
    if (h.empty() || h.size() > 15 || h.find_first_not_of("0123456789") != std::string::npos)
        throw SyncError(ErrorKind::retryable, "platform.malformed", "a chunk answer without a valid Upload-Offset");
    out.ok = true;
    out.offset = std::stoll(h);
    if (out.offset != offset + std::int64_t(size))
        throw SyncError(ErrorKind::retryable, "platform.malformed", "the platform acknowledged an unexpected offset");
    return out;
}

namespace {
HttpRequest put_request(const std::string& sha256, const std::string& media_type, const std::string& data) {
    HttpRequest r;
    r.method = "PUT";
    r.path = "/v1/blobs/" + sha256;
    r.content_type = media_type.empty() ? "application/octet-stream" : media_type;
    r.body = data;
    return r;
}
}  // namespace

Transport::Ticket PlatformClient::start_put(const std::string& sha256, const std::string& media_type, const std::string& data) {
    return transport_.start(prepare(put_request(sha256, media_type, data), true), cancel_);
}

PlatformClient::PutResult PlatformClient::put_answer(Transport::Completion& done) {
    if (done.error) throw *done.error;
    HttpResponse& res = *done.response;
    auto outcome = inspect(res, {404, 405, 422}, true);
    if (outcome == Outcome::resign)
        throw SyncError(ErrorKind::retryable, "auth.resign", "the platform asked for a fresh signature; the blob is sent again");
    if (res.status == 404 || res.status == 405) return PutResult::unsupported;
    if (res.status == 422) return PutResult::digest_mismatch;
    WireCodec::expect_complete(res.body, "the blob answer is not complete");
    return PutResult::complete;
}

PlatformClient::Finalize PlatformClient::finalize(const std::string& upload_id) {
    HttpRequest r;
    r.method = "POST";
    r.path = "/v1/blobs/uploads/" + upload_id + ":finalize";
    r.body = "{}";
    r.headers.emplace_back("Idempotency-Key", "finalize-" + upload_id);
    auto res = call(r, true, {404, 409, 422});
    if (res.status == 404) return Finalize::unknown_upload;
    if (res.status == 409) return Finalize::incomplete;
    if (res.status == 422) return Finalize::digest_mismatch;
    WireCodec::expect_complete(res.body, "the finalize answer is not complete");
    return Finalize::complete;
}

CataloguePage PlatformClient::catalogue(const std::string& since, const std::string& cursor, int limit) {
    HttpRequest r;
    r.path = "/v1/catalogue";
    r.query = {{"since", since}, {"cursor", cursor}, {"limit", std::to_string(limit)}};
    auto res = call(r, true);
    return codec_.parse_catalogue(res.body);
}

CalendarsPage PlatformClient::calendars(const std::string& cursor) {
    HttpRequest r;
    r.path = "/v1/calendars";
    r.query = {{"cursor", cursor}};
    auto res = call(r, true);
    return codec_.parse_calendars(res.body);
}

namespace {
/// GET `path` about a document holder: ?doc_type=111&doc_number=… (e-licences, credit).
HttpRequest holder_request(const char* path, int doc_type, const std::string& doc_number) {
    HttpRequest r;
    r.path = path;
    char code[8];
    std::snprintf(code, sizeof code, "%03d", doc_type % 1000);
    r.query = {{"doc_type", code}, {"doc_number", doc_number}};
    return r;
}
}  // namespace

std::vector<ELicence> PlatformClient::elicences(int doc_type, const std::string& doc_number) {
    auto res = call(holder_request("/v1/elicences", doc_type, doc_number), true);
    return codec_.parse_elicences(res.body);
}

CreditReport PlatformClient::credit(int doc_type, const std::string& doc_number) {
    auto res = call(holder_request("/v1/credit", doc_type, doc_number), true);
    return codec_.parse_credit(res.body);
}

std::optional<AppointmentsPage> PlatformClient::appointments(const std::string& cursor, int limit) {
    HttpRequest r;
    r.path = "/v1/appointments";
    r.query = {{"cursor", cursor}, {"limit", std::to_string(limit)}};
    auto res = call(r, true, {404, 405});
    if (res.status >= 300) return std::nullopt;  // a platform without appointments
    return codec_.parse_appointments(res.body);
}

std::optional<ApplicationsPage> PlatformClient::applications(const std::string& cursor, int limit) {
    HttpRequest r;
    r.path = "/v1/applications";
    r.query = {{"cursor", cursor}, {"limit", std::to_string(limit)}};
    auto res = call(r, true, {404, 405});
    if (res.status >= 300) return std::nullopt;  // a platform without online applications
    return codec_.parse_applications(res.body);
}

std::vector<ReportResult> PlatformClient::report_appointments(const json& reports, const std::vector<std::string>& ids, const std::string& key) {
    HttpRequest r;
    r.method = "POST";
    r.path = "/v1/appointments:report";
    r.body = json{{"reports", reports}}.dump();
    r.headers.emplace_back("Idempotency-Key", key);
    auto res = call(r, true);
    return WireCodec::parse_report_results(res.body, ids);
}

std::string PlatformClient::blob_content(const std::string& sha256, std::int64_t expected_size) {
    HttpRequest r;
    r.path = "/v1/blobs/" + sha256 + "/content";
    auto res = call(r, true);
    if (std::int64_t(res.body.size()) != expected_size || sha256_hex(res.body) != sha256)
        throw SyncError(ErrorKind::retryable, "platform.malformed", "the blob " + sha256.substr(0, 12) + "… does not match its digest or size");
    return std::move(res.body);
}

std::optional<std::string> PlatformClient::timestamp(const std::string& request_der) {
    HttpRequest r;
    r.method = "POST";
    r.path = "/v1/tsa";
    r.content_type = "application/timestamp-query";
    r.body = request_der;
    auto res = call(r, false, {404, 405, 501});
    if (res.status >= 300) return std::nullopt;  // one of the expected: no TSA here
    if (res.header("content-type").find("application/timestamp-reply") == std::string::npos)
        throw SyncError(ErrorKind::retryable, "platform.malformed", "the timestamp authority's answer is not a timestamp reply");
    return std::move(res.body);
}

std::string PlatformClient::renew_certificate(const std::string& csr_pem) {
    HttpRequest r;
    r.method = "POST";
    r.path = "/v1/terminals:renew-cert";
    r.body = json{{"csr", csr_pem}}.dump();
    auto res = call(r, true);
    const json j = json::parse(res.body, nullptr, false);
    if (!j.is_object() || !j.contains("client_certificate") || !j["client_certificate"].is_string() ||
        j["client_certificate"].get_ref<const std::string&>().find("-----BEGIN CERTIFICATE-----") == std::string::npos)
        throw SyncError(ErrorKind::retryable, "platform.malformed", "the renewal answer holds no certificate");
    return j["client_certificate"].get<std::string>();
}

PlatformClient::AnchorAnswer PlatformClient::anchor_audit(std::int64_t seq, const std::string& hash,
                                                          const std::optional<AuditProof>& proof) {
    HttpRequest r;
    r.method = "POST";
    r.path = "/v1/audit:anchor";
    json body = {{"seq", seq}, {"hash", hash}};
    if (proof) body["proof"] = {{"seq", proof->seq}, {"hash", proof->hash}};
    r.body = body.dump();
    auto res = call(r, true, {404, 405, 409});
    AnchorAnswer out;
    if (res.status == 404 || res.status == 405) return out;  // a platform without anchoring
    const json j = json::parse(res.body, nullptr, false);
    const auto anchored_seq = [&](const json& o) -> std::int64_t {
        if (o.is_object() && o.contains("anchored_seq") && o["anchored_seq"].is_number_integer()) return o["anchored_seq"].get<std::int64_t>();
        throw SyncError(ErrorKind::retryable, "platform.malformed", "the audit anchor answer names no anchored_seq");
    };
    if (res.status == 409) {
        auto err = WireCodec::parse_error(res.body);
        out.anchored_seq = anchored_seq(j.is_object() && j.contains("error") ? j["error"] : j);
        out.message = err.message;
        if (err.code == "audit.proof_needed") out.status = AnchorAnswer::Status::proof_needed;
        else if (err.code == "audit.rewritten") out.status = AnchorAnswer::Status::rewritten;
        else throw error_for(res);
        return out;
    }
    out.anchored_seq = anchored_seq(j);
    out.status = AnchorAnswer::Status::anchored;
    return out;
}

Credentials PlatformClient::enrol(const std::string& url, const std::string& code, const std::string& name, const TransportOptions& tls,
                                  const std::string& csr_pem) {
    TransportOptions t = tls;
    t.base_url = url;
    Transport transport(t);
    HttpRequest r;
    r.method = "POST";
    r.path = "/v1/terminals:enrol";
    json body = {{"enrolment_code", code}, {"name", name}};
    if (!csr_pem.empty()) body["csr"] = csr_pem;
    r.body = body.dump();
    // The same code and name (and CSR) give the same key: when an answer is lost (here, or a
    // second run of the command within a day without a CSR), the platform sends the same
    // credentials again instead of refusing the code as used. A new CSR is a new request.
    r.headers.emplace_back("Idempotency-Key", "enrol-" + sha256_hex(code + "\n" + name + (csr_pem.empty() ? "" : "\n" + csr_pem)));
    HttpResponse res;
    for (int attempt = 1;; ++attempt) {
        try {
            res = transport.send(r);
            if (res.status != 200 && res.status != 201) throw error_for(res);
            break;
        } catch (const SyncError& err) {
            if (!err.retryable() || attempt == 3) throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(500 * attempt));
        }
    }
    try {
        return Credentials::parse(res.body, "the platform's enrolment answer");
    } catch (const core::Error& e) {
        throw SyncError(ErrorKind::retryable, "platform.malformed", e.what());
    }
}

}  // namespace ow::sync
