// Terminals, their credentials, and the request signature of the contract ("Request signing"):
// OW1-HMAC canonical string, HMAC-SHA256 or HMAC-SM3 (OpenSSL EVP_MAC), ±300 s, nonces kept 900 s
// in the database. Secrets are never logged or put into messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace httplib {
struct Request;
}

namespace ow::store {
class Db;
}

namespace ow::sim {

class PlatformDb;

struct Terminal {
    std::string id, name, algorithm, centre, terminal_code, status;
    std::string secret_b64;
    std::int64_t state_count = 0;
    std::string state_xor;  // 64 hex digits
};

/// Loads a terminal (lock held).
std::optional<Terminal> find_terminal(store::Db& db, const std::string& id);

/// Registers a terminal (lock held, inside or outside a transaction). An empty terminal code
/// picks the next free Tnn of the centre. Throws InputError for a bad or taken code/algorithm.
Terminal create_terminal(PlatformDb& pdb, const std::string& name, const std::string& centre,
                         const std::string& terminal_code, const std::string& algorithm);

/// The credentials file of the contract ("Terminal enrolment") as JSON text.
std::string credentials_json(PlatformDb& pdb, const Terminal& t);

/// The MAC (raw bytes) of `data` with `algorithm` ("hmac-sha256" | "hmac-sm3"); nothing for an
/// unknown algorithm.
std::optional<std::string> compute_mac(std::string_view algorithm, std::string_view key, std::string_view data);

/// The canonical query of a raw request target's query part ("a=1&b=x%20y"); nothing when a
/// percent sequence is malformed.
std::optional<std::string> canonical_query(std::string_view raw_query);

std::string canonical_string(std::string_view algorithm, std::string_view terminal, std::string_view method,
                             std::string_view path, std::string_view query, std::string_view timestamp,
                             std::string_view nonce, std::string_view content_sha256);

struct AuthFailure {
    int status = 401;
    std::string code;
    std::string message;
};

/// Verifies a signed request whose (decoded) body has the digest `body_sha256`. Takes the
/// database lock itself for the terminal lookup and the nonce. On success `out` is the terminal.
std::optional<AuthFailure> verify_request(PlatformDb& pdb, const httplib::Request& req, const std::string& body_sha256,
                                          Terminal& out);

/// Forgets nonces older than 900 s and idempotency records older than 24 h (lock held).
void prune_auth_state(PlatformDb& pdb);

}  // namespace ow::sim
