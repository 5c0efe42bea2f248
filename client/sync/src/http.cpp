#include "ow/sync/http.h"

#include "ow/sync/signing.h"

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace ow::sync {
namespace {

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string s) {
    for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return s.substr(i);
}

struct UrlParts {
    std::string scheme, host;
};

UrlParts parse_url(const std::string& url) {
    UrlParts p;
    CURLU* u = curl_url();
    if (!u) throw SyncError(ErrorKind::config, "config.url", "cannot parse the platform URL (out of memory)");
    if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
        curl_url_cleanup(u);
        throw SyncError(ErrorKind::config, "config.url", "not a valid platform URL: " + url);
    }
    char* part = nullptr;
    if (curl_url_get(u, CURLUPART_SCHEME, &part, 0) == CURLUE_OK) {
        p.scheme = lower(part);
        curl_free(part);
    }
    if (curl_url_get(u, CURLUPART_HOST, &part, 0) == CURLUE_OK) {
        p.host = lower(part);
        curl_free(part);
    }
    curl_url_cleanup(u);
    return p;
}

}  // namespace

const char* to_code(ErrorKind k) {
    switch (k) {
        case ErrorKind::retryable: return "retryable";
        case ErrorKind::rejected: return "rejected";
        case ErrorKind::auth: return "auth";
        case ErrorKind::tls: return "tls";
        case ErrorKind::resync: return "resync";
        case ErrorKind::config: return "config";
        case ErrorKind::cancelled: return "cancelled";
    }
    return "unknown";
}

bool is_loopback_host(const std::string& raw) {
    std::string host = lower(raw);
    if (host == "localhost" || host == "[::1]" || host == "::1") return true;
    // 127.0.0.0/8 in dotted-quad form only (no "127.1" shorthands).
    int parts = 0;
    std::size_t i = 0;
    while (i <= host.size()) {
        std::size_t j = host.find('.', i);
        if (j == std::string::npos) j = host.size();
        std::string part = host.substr(i, j - i);
        if (part.empty() || part.size() > 3 || part.find_first_not_of("0123456789") != std::string::npos) return false;
        if (std::stoi(part) > 255) return false;
        if (parts == 0 && part != "127") return false;
        ++parts;
        i = j + 1;
    }
    return parts == 4;
}

std::string HttpResponse::header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
}

namespace {

struct Call {
    HttpResponse* res;
    std::size_t max_bytes;
    bool too_large = false;
    const std::atomic<bool>* cancel;
    const ProgressFn* progress;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto* c = static_cast<Call*>(user);
    std::size_t len = size * n;
    if (c->res->body.size() + len > c->max_bytes) {
        c->too_large = true;
        return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
    }
    c->res->body.append(data, len);
    return len;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto* c = static_cast<Call*>(user);
    std::size_t len = size * n;
    std::string line(data, len);
    if (line.rfind("HTTP/", 0) == 0) {
        c->res->headers.clear();  // a new response (e.g. after 100 Continue)
        return len;
    }
    auto colon = line.find(':');
    if (colon != std::string::npos) c->res->headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
    return len;
}

/// Counts the HTTP bytes as libcurl writes and reads them (headers and bodies, before decoding).
struct WireCount {
    std::uint64_t header_out = 0, data_out = 0, header_in = 0, data_in = 0;
    /// When the last byte went to the socket and the first byte of the answer came (for the trace).
    std::chrono::steady_clock::time_point last_out, first_in;
};

int on_debug(CURL*, curl_infotype type, char*, std::size_t size, void* user) {
    auto* w = static_cast<WireCount*>(user);
    switch (type) {
        case CURLINFO_HEADER_OUT: w->header_out += size; w->last_out = std::chrono::steady_clock::now(); break;
        case CURLINFO_DATA_OUT: w->data_out += size; w->last_out = std::chrono::steady_clock::now(); break;
        case CURLINFO_HEADER_IN:
            if (w->header_in == 0) w->first_in = std::chrono::steady_clock::now();
            w->header_in += size;
            break;
        case CURLINFO_DATA_IN: w->data_in += size; break;
        default: break;
    }
    return 0;
}

int on_progress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
    (void)dltotal;
    auto* c = static_cast<Call*>(user);
    if (c->cancel && c->cancel->load()) return 1;
    if (c->progress && *c->progress) (*c->progress)(std::uint64_t(ulnow), std::uint64_t(ultotal), std::uint64_t(dlnow));
    return 0;
}

}  // namespace

/// One transfer slot: an easy handle (kept for reuse) and what its current transfer needs alive.
struct Transport::Slot {
    CURL* h = nullptr;
    bool busy = false;
    Ticket ticket = 0;
    std::string method, path, url, body;
    curl_slist* headers = nullptr;
    HttpResponse res;
    ProgressFn progress;
    Call call{nullptr, 0, false, nullptr, nullptr};
    WireCount wire;
    char errbuf[CURL_ERROR_SIZE] = {};
    std::chrono::steady_clock::time_point t0;
    ~Slot() {
        if (headers) curl_slist_free_all(headers);
        if (h) curl_easy_cleanup(h);
    }
};

struct Transport::Curl {
    CURLM* multi = nullptr;
    std::vector<std::unique_ptr<Slot>> slots;
    Curl() {
        global_init();
        multi = curl_multi_init();
        if (!multi) throw SyncError(ErrorKind::config, "config.curl", "cannot start the HTTP client");
    }
    ~Curl() {
        for (auto& s : slots)
            if (s->busy) curl_multi_remove_handle(multi, s->h);
        slots.clear();  // easy handles before the multi handle that owns their connections
        curl_multi_cleanup(multi);
    }
};

Transport::Transport(TransportOptions options) : options_(std::move(options)), curl_(std::make_unique<Curl>()) {
    const char* trace = std::getenv("OW_SYNC_TRACE");
    trace_ = trace && *trace && std::string(trace) != "0";
    while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
    auto url = parse_url(options_.base_url);
    if (url.scheme != "https" && url.scheme != "http")
        throw SyncError(ErrorKind::config, "config.url", "the platform URL must start with https:// (or http:// on this machine)");
    if (url.scheme == "http" && !is_loopback_host(url.host))
        throw SyncError(ErrorKind::config, "config.plain_http",
                        "refusing plain http:// to " + url.host + ": only a platform on this machine may be reached without TLS");
    plain_ = url.scheme == "http";
    if (plain_ && !options_.proxy.empty()) {
        auto proxy = parse_url(options_.proxy.find("://") == std::string::npos ? "http://" + options_.proxy : options_.proxy);
        if (!is_loopback_host(proxy.host))
            throw SyncError(ErrorKind::config, "config.plain_http",
                            "refusing plain http:// through the proxy " + proxy.host + ": the requests would leave this machine without TLS");
    }
    if (!options_.pin.empty() && options_.pin.rfind("sha256//", 0) != 0)
        throw SyncError(ErrorKind::config, "config.pin", "a public-key pin has the form sha256//<base64>");
    // Through a proxy a handshake measures the way to the proxy, not to the platform.
    auto env_set = [](const char* name) {
        const char* v = std::getenv(name);
        return v && *v;
    };
    via_proxy_ = !options_.proxy.empty() ||
                 (!plain_ && (env_set("https_proxy") || env_set("HTTPS_PROXY") || env_set("all_proxy") || env_set("ALL_PROXY")));
}

Transport::~Transport() { wipe_secret(options_.client_key_pem); }

std::size_t Transport::in_flight() const {
    std::size_t n = 0;
    for (const auto& s : curl_->slots) n += s->busy ? 1 : 0;
    return n;
}

Transport::Ticket Transport::start(const HttpRequest& req, const std::atomic<bool>* cancel, const ProgressFn& progress) {
    if (cancel && cancel->load()) throw SyncError(ErrorKind::cancelled, "sync.cancelled", "cancelled");
    Slot* slot = nullptr;
    for (auto& s : curl_->slots)
        if (!s->busy) slot = s.get();
    if (!slot) {
        auto fresh = std::make_unique<Slot>();
        fresh->h = curl_easy_init();
        if (!fresh->h) throw SyncError(ErrorKind::config, "config.curl", "cannot start the HTTP client");
        slot = fresh.get();
        curl_->slots.push_back(std::move(fresh));
    }
    CURL* h = slot->h;
    curl_easy_reset(h);  // the multi handle keeps the live connections
    slot->ticket = ++next_ticket_;
    slot->method = req.method;
    slot->path = req.path;
    slot->res = HttpResponse{};
    slot->progress = progress;
    slot->call = Call{&slot->res, options_.max_response_bytes, false, cancel, &slot->progress};
    slot->wire = WireCount{};
    slot->errbuf[0] = '\0';
    if (slot->headers) curl_slist_free_all(slot->headers);
    slot->headers = nullptr;

    slot->url = options_.base_url + req.path;
    if (!req.query.empty()) {
        slot->url += '?';
        bool first = true;
        for (const auto& [k, v] : req.query) {
            char* ek = curl_easy_escape(h, k.data(), int(k.size()));
            char* ev = curl_easy_escape(h, v.data(), int(v.size()));
            if (!first) slot->url += '&';
            slot->url += std::string(ek ? ek : "") + "=" + (ev ? ev : "");
            curl_free(ek);
            curl_free(ev);
            first = false;
        }
    }
    bool compressed = req.compress && compression_level_ > 0 && req.body.size() >= 1024;
    slot->body = compressed ? gzip(req.body, compression_level_) : req.body;

    auto add = [&](const std::string& line) { slot->headers = curl_slist_append(slot->headers, line.c_str()); };
    for (const auto& [k, v] : req.headers) add(k + ": " + v);
    add("Accept: application/json");
    add("Expect:");  // no 100-continue round trip on slow links
    if (!req.body.empty() || req.method == "POST" || req.method == "PATCH" || req.method == "PUT")
        add("Content-Type: " + req.content_type);
    if (compressed) add("Content-Encoding: gzip");

    curl_easy_setopt(h, CURLOPT_URL, slot->url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_pem.empty()) {
        curl_blob blob{const_cast<char*>(options_.ca_pem.data()), options_.ca_pem.size(), CURL_BLOB_COPY};
        curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
        curl_easy_setopt(h, CURLOPT_CAPATH, nullptr);  // only the configured bundle is trusted
    }
    if (!options_.pin.empty()) curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, options_.pin.c_str());
    if (!options_.client_cert_pem.empty() && !options_.client_key_pem.empty()) {
        // Not copied by libcurl: options_ outlives every handle (the key is wiped in ~Transport).
        // OpenSSL holds the parsed key in its own memory while a connection is open.
        curl_blob cert{const_cast<char*>(options_.client_cert_pem.data()), options_.client_cert_pem.size(), CURL_BLOB_NOCOPY};
        curl_blob key{const_cast<char*>(options_.client_key_pem.data()), options_.client_key_pem.size(), CURL_BLOB_NOCOPY};
        curl_easy_setopt(h, CURLOPT_SSLCERT_BLOB, &cert);
        curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
        curl_easy_setopt(h, CURLOPT_SSLKEY_BLOB, &key);
        curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
    }
    if (!options_.proxy.empty()) curl_easy_setopt(h, CURLOPT_PROXY, options_.proxy.c_str());
    else if (plain_) curl_easy_setopt(h, CURLOPT_PROXY, "");  // no proxy from the environment for plain http
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, long(options_.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, long(std::chrono::milliseconds(options_.total_timeout).count()));
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, options_.low_speed_bytes);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, long(options_.low_speed_time.count()));
    curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
    // gzip answers, not brotli: servers tend to brotli at its slowest level (cpp-httplib does), which
    // measured as 80 % of the training platform's CPU per push; gzip costs little on both ends.
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip, deflate");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, slot->headers);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, slot->errbuf);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &slot->call);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &slot->call);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &slot->call);
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, &slot->wire);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);  // feeds on_debug only (nothing is printed)
    curl_easy_setopt(h, CURLOPT_PRIVATE, slot);
    if (req.method == "GET") {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (req.method == "HEAD") {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(slot->body.size()));
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, slot->body.data());
        if (req.method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    }
    slot->t0 = std::chrono::steady_clock::now();
    CURLMcode mc = curl_multi_add_handle(curl_->multi, h);
    if (mc != CURLM_OK) throw SyncError(ErrorKind::config, "config.curl", std::string("cannot start a transfer: ") + curl_multi_strerror(mc));
    slot->busy = true;
    // Set it going now (connect, send what the socket takes): the caller works on while it travels.
    int running = 0;
    curl_multi_perform(curl_->multi, &running);
    return slot->ticket;
}

Transport::Completion Transport::finish(Slot& slot, int rc_int) {
    auto rc = static_cast<CURLcode>(rc_int);
    CURL* h = slot.h;
    curl_multi_remove_handle(curl_->multi, h);
    slot.busy = false;
    if (slot.headers) {
        curl_slist_free_all(slot.headers);
        slot.headers = nullptr;
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (trace_) {
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - slot.t0).count();
        const double from = std::chrono::duration<double>(slot.t0 - trace_origin_).count();
        // connect: the TCP handshake (0 on a reused connection); sent: the last byte handed to the
        // socket; answer: the answer's first byte — all from the request's start.
        curl_off_t connect_us = 0;
        curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect_us);
        auto since = [&](std::chrono::steady_clock::time_point t) {
            return t < slot.t0 ? -1LL : static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(t - slot.t0).count());
        };
        std::fprintf(stderr, "sync-trace: %s %s -> %ld%s, up %llu B (body %llu), down %llu B, %lld ms, from +%.3f s, connect %lld ms, sent %lld ms, answer %lld ms\n",
                     slot.method.c_str(), slot.path.c_str(), status, rc == CURLE_OK ? "" : " (transport error)",
                     static_cast<unsigned long long>(slot.wire.header_out + slot.wire.data_out),
                     static_cast<unsigned long long>(slot.wire.data_out),
                     static_cast<unsigned long long>(slot.wire.header_in + slot.wire.data_in), static_cast<long long>(ms), from,
                     static_cast<long long>(connect_us / 1000), since(slot.wire.last_out), since(slot.wire.first_in));
    }
    if (curl_off_t handshake_us = 0; !via_proxy_ && curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &handshake_us) == CURLE_OK && handshake_us > 0)
        stats_.round_trip_us = stats_.round_trip_us < 0 ? std::int64_t(handshake_us) : std::min(stats_.round_trip_us, std::int64_t(handshake_us));
    stats_.requests += 1;
    stats_.bytes_up += slot.wire.header_out + slot.wire.data_out;
    stats_.body_bytes_up += slot.wire.data_out;
    stats_.bytes_down += slot.wire.header_in + slot.wire.data_in;
    last_connect_failure_ = false;
    slot.body.clear();
    slot.body.shrink_to_fit();

    Completion done;
    done.ticket = slot.ticket;
    done.body_bytes_up = slot.wire.data_out;
    if (rc == CURLE_OK) {
        slot.res.status = status;
        done.response = std::move(slot.res);
        return done;
    }
    std::string detail = slot.errbuf[0] ? std::string(slot.errbuf) : std::string(curl_easy_strerror(rc));
    auto fail = [&](ErrorKind k, const char* code, const std::string& msg) {
        done.error = SyncError(k, code, msg);
        return done;
    };
    switch (rc) {
        case CURLE_ABORTED_BY_CALLBACK:
            return fail(ErrorKind::cancelled, "sync.cancelled", "cancelled");
        case CURLE_WRITE_ERROR:
            if (slot.call.too_large)
                return fail(ErrorKind::retryable, "platform.response_too_large",
                            "the platform's response exceeds " + std::to_string(options_.max_response_bytes >> 20) +
                                " MiB; nothing was applied");
            break;
        case CURLE_SSL_CERTPROBLEM:
            return fail(ErrorKind::tls, "tls.client_certificate",
                        "this terminal's client certificate or key cannot be used (" + detail + "); enrol the terminal again");
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_INVALIDCERTSTATUS:
            return fail(ErrorKind::tls, "tls.untrusted", "the platform's certificate is not trusted (" + detail + "); nothing was sent");
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT:
            last_connect_failure_ = true;
            return fail(ErrorKind::retryable, "net.unreachable", "the platform cannot be reached: " + detail);
        case CURLE_OPERATION_TIMEDOUT: {
            double connect_time = 0;
            curl_easy_getinfo(h, CURLINFO_CONNECT_TIME, &connect_time);
            last_connect_failure_ = connect_time <= 0;
            return fail(ErrorKind::retryable, "net.timeout", "the platform did not answer in time: " + detail);
        }
        case CURLE_SSL_CONNECT_ERROR:
            return fail(ErrorKind::retryable, "tls.handshake", "the TLS handshake with the platform failed: " + detail);
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_URL_MALFORMAT:
            return fail(ErrorKind::config, "config.url", "the platform URL cannot be used: " + detail);
        default:
            break;
    }
    return fail(ErrorKind::retryable, "net.broken", "the connection to the platform broke: " + detail);
}

Transport::Completion Transport::wait_any() {
    if (in_flight() == 0) throw std::logic_error("Transport::wait_any without a transfer in flight");
    for (;;) {
        int running = 0;
        curl_multi_perform(curl_->multi, &running);
        int left = 0;
        while (CURLMsg* m = curl_multi_info_read(curl_->multi, &left)) {
            if (m->msg != CURLMSG_DONE) continue;
            Slot* slot = nullptr;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &slot);
            if (slot) return finish(*slot, m->data.result);
        }
        curl_multi_poll(curl_->multi, nullptr, 0, 100, nullptr);
    }
}

HttpResponse Transport::send(const HttpRequest& req, const std::atomic<bool>* cancel, const ProgressFn& progress) {
    if (in_flight() != 0) throw std::logic_error("Transport::send while transfers are in flight");
    start(req, cancel, progress);
    Completion done = wait_any();
    if (done.error) throw *done.error;
    return std::move(*done.response);
}

int check_ca_bundle(const std::string& pem) {
    auto bad = [](const std::string& why) { return SyncError(ErrorKind::config, "config.ca", "the CA bundle cannot be used: " + why); };
    if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) throw bad("no PEM certificate in it");
    BIO* bio = BIO_new_mem_buf(pem.data(), int(pem.size()));
    if (!bio) throw bad("out of memory");
    int n = 0;
    for (;;) {
        X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
        if (!cert) break;
        X509_free(cert);
        ++n;
    }
    unsigned long err = ERR_peek_last_error();
    bool clean_end = ERR_GET_REASON(err) == PEM_R_NO_START_LINE;
    ERR_clear_error();
    BIO_free(bio);
    if (n == 0 || (!clean_end && err != 0)) throw bad("a certificate in it is damaged");
    return n;
}

std::string normalise_pin(const std::string& raw) {
    auto bad = [] { return SyncError(ErrorKind::config, "config.pin", "a pin is sha256//<base64>, 44 base64 characters or 64 hex digits (SHA-256 of the public key)"); };
    std::string p = raw;
    if (p.rfind("sha256//", 0) == 0) p = p.substr(8);
    if (p.size() == 64 && p.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos) {
        std::string bytes;
        for (std::size_t i = 0; i < 64; i += 2) bytes.push_back(char(std::stoi(p.substr(i, 2), nullptr, 16)));
        return "sha256//" + base64_encode(bytes);
    }
    if (p.size() == 44 && p.back() == '=' &&
        p.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") == std::string::npos &&
        p.find('=') == 43)
        return "sha256//" + p;
    throw bad();
}

std::string redact_url_password(const std::string& url) {
    const auto scheme = url.find("://");
    const std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
    const std::size_t end = std::min(url.find_first_of("/?#", start), url.size());
    const auto at = url.rfind('@', end == 0 ? 0 : end - 1);
    if (at == std::string::npos || at < start) return url;
    const auto colon = url.find(':', start);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::string gzip(const std::string& data, int level) {
    z_stream zs{};
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw SyncError(ErrorKind::config, "sync.zlib", "cannot start compression");
    std::string out(deflateBound(&zs, uLong(data.size())) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = uInt(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = uInt(out.size());
    int rc = deflate(&zs, Z_FINISH);
    std::size_t n = zs.total_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) throw SyncError(ErrorKind::config, "sync.zlib", "compression failed");
    out.resize(n);
    return out;
}

std::string gunzip(const std::string& data, std::size_t max_output) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 32) != Z_OK) throw SyncError(ErrorKind::retryable, "sync.zlib", "cannot start decompression");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = uInt(data.size());
    std::string out;
    char buf[16384];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) break;
        out.append(buf, sizeof buf - zs.avail_out);
        if (out.size() > max_output) {
            rc = Z_BUF_ERROR;
            break;
        }
        if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) break;
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) throw SyncError(ErrorKind::retryable, "sync.zlib", "compressed data is damaged or too large");
    return out;
}

}  // namespace ow::sync
