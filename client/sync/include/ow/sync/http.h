// The HTTP transport of the platform client: one libcurl easy handle (so the connection is kept
// alive between requests), TLS verification always on (system CAs plus an optional extra CA
// bundle, an optional public-key pin), proxy support, gzip request bodies, a cap on response
// size, cancel and progress. Plain http:// is refused unless the host is a loopback address (the
// training platform on this machine). Not thread-safe: one Transport per thread.
// OW_SYNC_TRACE=1 in the environment prints one line per request to stderr (no headers, no bodies).
#pragma once

#include "ow/sync/errors.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ow::sync {

struct TransportOptions {
    std::string base_url;  // scheme://host[:port][/prefix]
    std::string ca_pem;    // extra trusted CA certificates (PEM text)
    std::string pin;       // "sha256//<base64>" (curl's pinned public key form); empty: none
    std::string proxy;     // proxy URL; empty: the environment's (http_proxy, https_proxy, no_proxy)
    /// The terminal's TLS client certificate and its private key (PEM, both or neither), given to
    /// libcurl from memory (CURLOPT_SSLCERT_BLOB / SSLKEY_BLOB) on every https request.
    std::string client_cert_pem, client_key_pem;
    std::chrono::milliseconds connect_timeout{10'000};
    /// Abort a transfer that moves fewer than low_speed_bytes per second for low_speed_time.
    long low_speed_bytes = 32;
    std::chrono::seconds low_speed_time{60};
    std::chrono::seconds total_timeout{600};
    std::size_t max_response_bytes = std::size_t(16) << 20;
    std::string user_agent = "OneWindow-sync/1";
};

using Params = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
    std::string method = "GET";
    std::string path;   // e.g. /v1/changes (without the query)
    Params query;       // sent in this order (sign_request sorts them)
    Params headers;
    std::string body;   // uncompressed
    std::string content_type = "application/json";
    bool compress = false;  // gzip the body when it is 1 KiB or more
};

struct HttpResponse {
    long status = 0;
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;                            // decoded (Content-Encoding removed)
    std::string header(const std::string& lower_name) const;
};

/// HTTP bytes as libcurl wrote and read them: headers and bodies (compressed as sent or received,
/// TLS and TCP/IP overhead not included), also of requests that failed part-way.
struct TransferStats {
    std::uint64_t requests = 0;
    std::uint64_t bytes_up = 0;
    std::uint64_t bytes_down = 0;
    std::uint64_t body_bytes_up = 0;  // request bodies as sent (compressed when compressed)
    /// The shortest TCP handshake of a connection opened so far: one round trip to the platform
    /// (microseconds; -1 while no connection was opened, and always through a proxy).
    std::int64_t round_trip_us = -1;
};

/// Called during a transfer with the bytes of this request's body sent and received so far.
using ProgressFn = std::function<void(std::uint64_t up_now, std::uint64_t up_total, std::uint64_t down_now)>;

class Transport {
public:
    /// Throws SyncError(config) for an unusable URL or plain http:// to a non-loopback host.
    explicit Transport(TransportOptions options);
    ~Transport();  // wipes the copy of the client key
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    /// Sends one request and returns whatever status the platform answered. Throws SyncError:
    /// retryable (cannot connect, reset, timeout, truncated, response too large), tls
    /// (certificate not trusted), cancelled (the flag was set). Not while transfers started with
    /// start() are in flight.
    HttpResponse send(const HttpRequest& req, const std::atomic<bool>* cancel = nullptr, const ProgressFn& progress = {});

    /// Several transfers at once (each on its own kept-alive connection): start() begins one and
    /// returns its ticket; wait_any() blocks until one of them ends and returns its answer or the
    /// SyncError that send() would have thrown.
    using Ticket = std::uint64_t;
    struct Completion {
        Ticket ticket = 0;
        std::optional<HttpResponse> response;
        std::optional<SyncError> error;
        std::uint64_t body_bytes_up = 0;  // this request's body as sent
    };
    Ticket start(const HttpRequest& req, const std::atomic<bool>* cancel = nullptr, const ProgressFn& progress = {});
    Completion wait_any();
    std::size_t in_flight() const;
    /// gzip level of request bodies (1 fast … 9 small, 0 none); the engine lowers it on fast links.
    void set_compression_level(int level) { compression_level_ = level; }
    const TransferStats& stats() const { return stats_; }
    /// True when the last failure was at connection level (nothing reached the platform).
    bool last_failure_was_connect() const { return last_connect_failure_; }
    const std::string& base_url() const { return options_.base_url; }

private:
    struct Curl;
    struct Slot;
    Completion finish(Slot& slot, int rc);
    TransportOptions options_;
    std::unique_ptr<Curl> curl_;
    Ticket next_ticket_ = 0;
    int compression_level_ = 6;
    TransferStats stats_;
    bool last_connect_failure_ = false;
    bool plain_ = false;  // http:// to this machine: never through a proxy that is not on this machine too
    bool via_proxy_ = false;  // a proxy may carry the requests: no round trip from handshakes
    bool trace_ = false;  // OW_SYNC_TRACE=1: one line per request on stderr (method, path, status, sizes, time; never headers)
    std::chrono::steady_clock::time_point trace_origin_ = std::chrono::steady_clock::now();  // the trace's start times count from here
};

/// Checks that `pem` holds at least one X.509 certificate and nothing unreadable; returns the
/// number of certificates. SyncError(config, config.ca) otherwise.
int check_ca_bundle(const std::string& pem);
/// A public-key pin as curl wants it ("sha256//<base64>") from that form, bare base64 (44
/// characters) or 64 hex digits. SyncError(config, config.pin) otherwise.
std::string normalise_pin(const std::string& pin);
/// A URL fit to show or record: the password of its user information replaced by "***"
/// ("http://user:***@proxy:3128"); a URL without one is returned as it is.
std::string redact_url_password(const std::string& url);

/// True for localhost, 127.0.0.0/8 and ::1.
bool is_loopback_host(const std::string& host);
/// gzip (RFC 1952) of data; and the inverse (used by tests and the simulator peer checks).
std::string gzip(const std::string& data, int level = 6);
std::string gunzip(const std::string& data, std::size_t max_output);

}  // namespace ow::sync
