// Keys of a store. The database and the blobs are encrypted with one random 256-bit store key.
// Each local user holds that key wrapped (XChaCha20-Poly1305) by a key derived from their password
// with Argon2id (parameters stored with the wrap); a recovery key, shown once at set-up, wraps it
// too. Changing a password re-wraps; nothing is re-encrypted. The key file (keys.json) holds no
// secret in the clear; it is replaced atomically (write, fsync, rename).
#pragma once

#include "ow/core/case.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace ow::store {

/// 32 bytes in locked memory, wiped on destruction or wipe().
class SecretKey {
public:
    static constexpr std::size_t kSize = 32;
    SecretKey();
    ~SecretKey();
    SecretKey(const SecretKey&) = delete;
    SecretKey& operator=(const SecretKey&) = delete;
    static std::unique_ptr<SecretKey> random();
    unsigned char* data() { return p_; }
    const unsigned char* data() const { return p_; }
    void wipe();

private:
    unsigned char* p_;
};

/// Argon2id cost. The defaults take 0.2–0.5 s on the reference machine (see docs/benchmarks.md).
struct KdfParams {
    std::uint64_t ops = 3;
    std::size_t mem_bytes = std::size_t(128) << 20;
    static KdfParams interactive() { return {}; }
};

struct UserWrap {
    std::string user;
    core::Role role = core::Role::clerk;
    KdfParams kdf;
    std::vector<unsigned char> salt, nonce, wrapped;
};

class KeyFile {
public:
    static constexpr const char* kFileName = "keys.json";

    /// A new store key, its first user and a recovery key (returned in display form).
    static KeyFile create(const std::string& store_id, const std::string& user, core::Role role,
                          const std::string& password, const KdfParams& kdf, std::unique_ptr<SecretKey>& key_out,
                          std::string& recovery_out);
    /// Reads dir/keys.json. CorruptStore when it is missing or malformed.
    static KeyFile load(const std::filesystem::path& dir);
    void save(const std::filesystem::path& dir) const;

    /// Unwraps with a user's password. AuthError on a wrong password or unknown user.
    std::unique_ptr<SecretKey> unlock(const std::string& user, const std::string& password) const;
    /// Unwraps with the recovery key (display form; spaces/dashes/case ignored). AuthError if wrong.
    std::unique_ptr<SecretKey> unlock_recovery(const std::string& recovery) const;

    /// Adds a user, or replaces their wrap (password change / reset). Needs the unlocked key.
    void set_user(const SecretKey& key, const std::string& user, core::Role role, const std::string& password,
                  const KdfParams& kdf);
    bool has_user(const std::string& user) const;
    core::Role role_of(const std::string& user) const;
    const std::vector<UserWrap>& users() const { return users_; }
    const std::string& store_id() const { return store_id_; }

private:
    std::string store_id_;
    std::vector<UserWrap> users_;
    std::vector<unsigned char> recovery_nonce_, recovery_wrapped_;
};

/// Reads a password from a file (first line; trailing CR/LF removed) or from stdin when path is "-".
/// Throws core::InvalidData when empty or unreadable. The caller wipes the string after use.
std::string read_password(const std::string& path_or_dash);

}  // namespace ow::store
