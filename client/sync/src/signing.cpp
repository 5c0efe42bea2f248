#include "ow/sync/signing.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sodium.h>

#include <algorithm>
#include <memory>

namespace ow::sync {
namespace {

std::string hex(const unsigned char* p, std::size_t n) {
    static constexpr char k[] = "0123456789abcdef";
    std::string out;
    out.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(k[p[i] >> 4]);
        out.push_back(k[p[i] & 0xF]);
    }
    return out;
}

std::string percent_encode(std::string_view s) {
    static constexpr char k[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                          c == '_' || c == '~';
        if (unreserved) {
            out.push_back(char(c));
        } else {
            out.push_back('%');
            out.push_back(k[c >> 4]);
            out.push_back(k[c & 0xF]);
        }
    }
    return out;
}

}  // namespace

SignAlgorithm parse_sign_algorithm(const std::string& name) {
    if (name == "hmac-sha256") return SignAlgorithm::hmac_sha256;
    if (name == "hmac-sm3") return SignAlgorithm::hmac_sm3;
    throw SyncError(ErrorKind::config, "config.algorithm", "unknown signature algorithm '" + name.substr(0, 40) + "'");
}

const char* to_code(SignAlgorithm a) { return a == SignAlgorithm::hmac_sm3 ? "hmac-sm3" : "hmac-sha256"; }

std::string canonical_query(const Params& query) {
    std::vector<std::pair<std::string, std::string>> enc;
    enc.reserve(query.size());
    for (const auto& [k, v] : query) enc.emplace_back(percent_encode(k), percent_encode(v));
    std::sort(enc.begin(), enc.end());
    std::string out;
    for (const auto& [k, v] : enc) {
        if (!out.empty()) out += '&';
        out += k + "=" + v;
    }
    return out;
}

std::string canonical_string(SignAlgorithm alg, const std::string& terminal_id, const std::string& method, const std::string& path,
                             const std::string& cq, std::int64_t timestamp, const std::string& nonce,
                             const std::string& body_sha256_hex) {
    return std::string("OW1-HMAC\n") + to_code(alg) + "\n" + terminal_id + "\n" + method + "\n" + path + "\n" + cq + "\n" +
           std::to_string(timestamp) + "\n" + nonce + "\n" + body_sha256_hex;
}

std::string sha256_hex(std::string_view data) {
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(data.data(), data.size(), d, &n, EVP_sha256(), nullptr) != 1)
        throw SyncError(ErrorKind::config, "sync.crypto", "SHA-256 failed");
    return hex(d, n);
}

std::string base64_encode(std::string_view data) {
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(data.data()),
                            int(data.size()));
    out.resize(std::size_t(n));
    return out;
}

namespace {

/// Strict base64 into `out` (room for text.size() / 4 * 3 bytes); the decoded size.
std::size_t base64_decode_into(std::string_view text, unsigned char* out) {
    auto bad = [] { return SyncError(ErrorKind::config, "config.base64", "the secret is not valid base64"); };
    if (text.empty() || text.size() % 4 != 0) throw bad();
    if (text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != std::string_view::npos)
        throw bad();
    auto eq = text.find('=');
    if (eq != std::string_view::npos && (eq < text.size() - 2 || text.find_first_not_of('=', eq) != std::string_view::npos))
        throw bad();
    int n = EVP_DecodeBlock(out, reinterpret_cast<const unsigned char*>(text.data()), int(text.size()));
    if (n < 0) throw bad();
    std::size_t pad = std::size_t(std::count(text.end() - 2, text.end(), '='));
    return std::size_t(n) - pad;
}

}  // namespace

std::string base64_decode(std::string_view text) {
    std::string out(text.size() / 4 * 3, '\0');
    out.resize(base64_decode_into(text, reinterpret_cast<unsigned char*>(out.data())));
    return out;
}

std::string random_nonce() {
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1) throw SyncError(ErrorKind::config, "sync.crypto", "the system RNG failed");
    return hex(b, sizeof b);
}

void wipe_secret(std::string& s) noexcept {
    if (!s.empty()) sodium_memzero(s.data(), s.size());
    s.clear();
}

Signer::Signer(std::string terminal_id, const std::string& secret_base64, SignAlgorithm alg)
    : terminal_id_(std::move(terminal_id)), alg_(alg) {
    if (terminal_id_.empty() || terminal_id_.size() > 100) throw SyncError(ErrorKind::config, "config.terminal", "bad terminal id");
    if (secret_base64.size() > 4096) throw SyncError(ErrorKind::config, "config.secret", "the secret is longer than 3 KiB");
    if (sodium_init() < 0) throw SyncError(ErrorKind::config, "sync.crypto", "libsodium cannot start");
    const std::size_t room = std::max<std::size_t>(secret_base64.size() / 4 * 3, 1);
    // sodium_malloc: guard pages around it, mlock-ed (never swapped), MADV_DONTDUMP (not in a
    // core file even where dumps are allowed); sodium_free wipes it.
    key_ = static_cast<unsigned char*>(sodium_malloc(room));
    if (!key_) throw std::bad_alloc();
    try {
        key_size_ = base64_decode_into(secret_base64, key_);
    } catch (...) {
        sodium_free(key_);
        throw;
    }
    if (key_size_ < 16) {
        sodium_free(key_);
        throw SyncError(ErrorKind::config, "config.secret", "the secret is shorter than 16 bytes");
    }
    sodium_mprotect_readonly(key_);
}

Signer::~Signer() { sodium_free(key_); }

std::string Signer::mac_base64(std::string_view message) const {
    std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr), EVP_MAC_free);
    if (!mac) throw SyncError(ErrorKind::config, "sync.crypto", "HMAC is not available");
    std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_new(mac.get()), EVP_MAC_CTX_free);
    char digest[8];
    std::snprintf(digest, sizeof digest, "%s", alg_ == SignAlgorithm::hmac_sm3 ? "SM3" : "SHA256");
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t n = 0;
    if (!ctx || EVP_MAC_init(ctx.get(), key_, key_size_, params) != 1 ||
        EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
        EVP_MAC_final(ctx.get(), out, &n, sizeof out) != 1)
        throw SyncError(ErrorKind::config, "sync.crypto", std::string("HMAC-") + digest + " failed");
    return base64_encode(std::string_view(reinterpret_cast<const char*>(out), n));
}

void Signer::sign(HttpRequest& req, std::int64_t timestamp) const {
    std::string body_sha = sha256_hex(req.body);
    std::string nonce = random_nonce();
    std::string cs = canonical_string(alg_, terminal_id_, req.method, req.path, canonical_query(req.query), timestamp, nonce, body_sha);
    req.headers.emplace_back("X-OW-Terminal", terminal_id_);
    req.headers.emplace_back("X-OW-Timestamp", std::to_string(timestamp));
    req.headers.emplace_back("X-OW-Nonce", nonce);
    req.headers.emplace_back("X-OW-Content-SHA256", body_sha);
    req.headers.emplace_back("X-OW-Signature", std::string(to_code(alg_)) + "=" + mac_base64(cs));
}

}  // namespace ow::sync
