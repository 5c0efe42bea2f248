// The HTTP(S) server of the training platform: options, the shared context of the handlers, and
// the helpers every handler uses (JSON answers, errors, signed routes, Idempotency-Key replay).
#pragma once

#include "auth.h"
#include "blob_files.h"
#include "demo_data.h"
#include "faults.h"
#include "trust.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <utility>

namespace httplib {
class Server;
class ContentReader;
struct Request;
struct Response;
}  // namespace httplib

namespace ow::sim {

class PlatformDb;
class Tsa;

struct ServeOptions {
    std::string db;
    std::string host = "127.0.0.1";
    int port = 0;
    std::string tls_cert, tls_key;
    FaultConfig faults;
    std::int64_t decide_after_s = 60;
    std::int64_t clock_skew_s = 0;
    std::string port_file;
    bool quiet = false;
    int threads = 32;
    /// The TSA (POST /v1/tsa): "on"; "off" (404 tsa.unavailable: this platform offers none);
    /// "failing" (503 tsa.unavailable: it is down).
    std::string tsa = "on";
    /// Trust chain (trust.h): client certificates over TLS (default required with --tls-cert)
    /// and the lifetime of the certificates issued at enrolment and renewal.
    ClientCertMode client_certs = ClientCertMode::required;
    std::int64_t client_cert_valid_s = 30L * 86400;
};

struct Context {
    PlatformDb& pdb;
    Tsa& tsa;
    Faults& faults;
    const ServeOptions& options;
    BlobFiles blobs;
    std::map<std::string, ItemInfo> items;
};

/// One signed request: who sent it and the digest of its (decoded) body.
struct Call {
    Terminal terminal;
    std::string body_sha256;
};

using SignedHandler = std::function<void(const httplib::Request&, httplib::Response&, Call&)>;
using PlainHandler = std::function<void(const httplib::Request&, httplib::Response&)>;

void send_json(httplib::Response& res, int status, const std::string& body);
void send_value(httplib::Response& res, int status, const nlohmann::json& body);
/// `{"error": {"code", "message", …extra}, …extra}`: extra members are repeated at the top level.
void send_error(httplib::Response& res, int status, const std::string& code, const std::string& message,
                const nlohmann::json& extra = nlohmann::json::object());

/// Registers routes; signed ones verify the request signature first.
class Routes {
public:
    Routes(httplib::Server& server, Context& ctx) : server_(server), ctx_(ctx) {}
    void get(const std::string& pattern, SignedHandler h);
    void post(const std::string& pattern, SignedHandler h);
    void patch(const std::string& pattern, SignedHandler h);
    void put(const std::string& pattern, SignedHandler h);
    void get_unsigned(const std::string& pattern, PlainHandler h);
    void post_unsigned(const std::string& pattern, PlainHandler h);

private:
    using ReaderHandler = std::function<void(const httplib::Request&, httplib::Response&, const httplib::ContentReader&)>;
    PlainHandler wrap(SignedHandler h);
    PlainHandler guard(PlainHandler h);
    /// A route with a body: a signed one is authenticated from its headers (the claimed body
    /// digest) before a byte of the body is read; the body is then read, inflated as it comes
    /// and refused with 413 past 8 MiB (a gzip bomb never grows in memory), and its digest is
    /// checked against the claim.
    ReaderHandler with_body(SignedHandler h);
    ReaderHandler with_body_unsigned(PlainHandler h);
    httplib::Server& server_;
    Context& ctx_;
};

/// Runs `produce` (status, JSON body) under the lock in one transaction, with Idempotency-Key
/// replay: the same key with the same request gets the stored answer (Idempotent-Replayed: true),
/// with another request 422 idempotency.key_reused. Answers below 500 are stored for 24 h.
/// `scope` is the terminal id (or "enrol" for enrolment codes); `body_sha256` the body's digest.
void idempotent(Context& ctx, const httplib::Request& req, httplib::Response& res, const std::string& body_sha256,
                const std::string& scope, const std::function<std::pair<int, std::string>()>& produce);

/// A query parameter as an integer in [min, max], `fallback` when absent; nothing when malformed.
std::optional<std::int64_t> query_int(const httplib::Request& req, const char* name, std::int64_t fallback,
                                      std::int64_t min, std::int64_t max);

void register_case_routes(Routes& routes, Context& ctx);
void register_blob_routes(Routes& routes, Context& ctx);
void register_misc_routes(Routes& routes, Context& ctx);
/// POST /v1/audit:anchor and POST /v1/terminals:renew-cert (trust.cpp).
void register_trust_routes(Routes& routes, Context& ctx);

/// `serve`: runs until SIGTERM/SIGINT. Returns the exit code.
int run_server(const ServeOptions& options);

}  // namespace ow::sim
