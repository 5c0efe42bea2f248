// Request signing of the platform contract (docs/platform-api.md, "Request signing"): an HMAC
// (SHA-256, or SM3 per GB/T 32905) over a canonical string of the terminal id, method, path,
// sorted query, timestamp, nonce and the SHA-256 of the uncompressed body. The secret stays in
// this object, in guarded memory (libsodium: locked, not in core dumps, guard pages around it),
// is wiped when the object is destroyed, and never reaches a message or a log.
#pragma once

#include "ow/sync/http.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ow::sync {

enum class SignAlgorithm { hmac_sha256, hmac_sm3 };

/// "hmac-sha256" / "hmac-sm3"; SyncError(config) for anything else.
SignAlgorithm parse_sign_algorithm(const std::string& name);
const char* to_code(SignAlgorithm a);

/// Parameters sorted by name then value, each percent-encoded per RFC 3986, joined by '&'.
std::string canonical_query(const Params& query);
/// The canonical string of the contract (lines joined by '\n').
std::string canonical_string(SignAlgorithm alg, const std::string& terminal_id, const std::string& method,
                             const std::string& path, const std::string& canonical_query, std::int64_t timestamp,
                             const std::string& nonce, const std::string& body_sha256_hex);

std::string sha256_hex(std::string_view data);
std::string base64_encode(std::string_view data);
/// Strict base64 (with padding); SyncError(config) when it is not.
std::string base64_decode(std::string_view text);
/// 32 lowercase hex characters from the system RNG.
std::string random_nonce();
/// Overwrites a string that held a secret (the compiler may not drop it) and empties it.
void wipe_secret(std::string& s) noexcept;

class Signer {
public:
    /// `secret_base64` as issued at enrolment (at least 16 bytes once decoded); it is decoded
    /// straight into guarded memory (the caller wipes its copy, see wipe_secret).
    /// SyncError(config) for a bad id or secret; std::bad_alloc when no guarded memory is left.
    Signer(std::string terminal_id, const std::string& secret_base64, SignAlgorithm alg);
    ~Signer();
    Signer(const Signer&) = delete;
    Signer& operator=(const Signer&) = delete;

    /// Adds the X-OW-* headers for `req` (its body uncompressed) at Unix time `timestamp`.
    void sign(HttpRequest& req, std::int64_t timestamp) const;
    /// The MAC (base64) of a canonical string; for tests of the contract.
    std::string mac_base64(std::string_view message) const;
    const std::string& terminal_id() const { return terminal_id_; }
    SignAlgorithm algorithm() const { return alg_; }

private:
    std::string terminal_id_;
    unsigned char* key_ = nullptr;  // sodium_malloc: guarded, locked, excluded from core dumps
    std::size_t key_size_ = 0;
    SignAlgorithm alg_;
};

}  // namespace ow::sync
