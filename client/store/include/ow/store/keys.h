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
#include <string_view>
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

/// Text of a secret (a password, the hex form of a key) in guarded memory: libsodium's
/// sodium_malloc (guard pages, mlock, left out of core dumps by MADV_DONTDUMP). Fixed capacity,
/// so it never reallocates and leaves no copy behind; wiped on clear() and destruction.
class SecretText {
public:
    explicit SecretText(std::size_t capacity);
    ~SecretText();
    SecretText(SecretText&& o) noexcept;
    SecretText& operator=(SecretText&& o) noexcept;
    SecretText(const SecretText&) = delete;
    SecretText& operator=(const SecretText&) = delete;
    /// Appends; core::InvalidData when the capacity would be exceeded.
    void push_back(char c);
    void append(std::string_view s);
    void pop_back() { p_[--size_] = '\0'; }
    void clear();
    char* data() { return p_; }
    const char* data() const { return p_; }
    std::size_t size() const { return size_; }
    std::size_t capacity() const { return capacity_; }
    bool empty() const { return size_ == 0; }
    char back() const { return p_[size_ - 1]; }
    std::string_view view() const { return {p_, size_}; }
    operator std::string_view() const { return view(); }

private:
    char* p_ = nullptr;
    std::size_t size_ = 0, capacity_ = 0;
};

/// Argon2id cost. The defaults take 0.2–0.5 s on the reference machine (see docs/benchmarks.md).
struct KdfParams {
    std::uint64_t ops = 3;
    std::size_t mem_bytes = std::size_t(128) << 20;
    static KdfParams interactive() { return {}; }
};

/// The shortest password a user may have, in bytes (KeyFile::set_user refuses shorter ones).
inline constexpr std::size_t kMinPasswordBytes = 8;
/// The longest user name, in bytes (KeyFile::set_user refuses longer ones and empty ones).
inline constexpr std::size_t kMaxUserNameBytes = 64;

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
                          std::string_view password, const KdfParams& kdf, std::unique_ptr<SecretKey>& key_out,
                          std::string& recovery_out);
    /// Reads dir/keys.json. CorruptStore when it is missing or malformed.
    static KeyFile load(const std::filesystem::path& dir);
    /// The file's JSON text (no secret in it).
    std::string text() const;
    /// Replaces dir/keys.json atomically (write keys.json.tmp, fsync, rename, fsync the folder).
    void save(const std::filesystem::path& dir) const;
    /// The first half of a two-step change: writes dir/keys.json.pending (0600, fsync) and returns
    /// the SHA-256 (hex) of its bytes. Throws DiskFull / StoreError, leaving keys.json as it was.
    std::string stage(const std::filesystem::path& dir) const;
    /// The second half: renames keys.json.pending over keys.json and fsyncs the folder.
    static void install_staged(const std::filesystem::path& dir);
    static void discard_staged(const std::filesystem::path& dir);
    /// SHA-256 (hex) of dir/keys.json.pending, or "" when there is none.
    static std::string staged_sha256(const std::filesystem::path& dir);
    /// SHA-256 (hex) of a file's bytes, or "" when it cannot be read.
    static std::string file_sha256(const std::filesystem::path& file);
    static constexpr const char* kStagedName = "keys.json.pending";

    /// Unwraps with a user's password. AuthError on a wrong password or unknown user.
    std::unique_ptr<SecretKey> unlock(const std::string& user, std::string_view password) const;
    /// Unwraps with the recovery key (display form; spaces/dashes/case ignored). AuthError if wrong.
    std::unique_ptr<SecretKey> unlock_recovery(std::string_view recovery) const;

    /// Adds a user, or replaces their wrap (password change / reset). Needs the unlocked key.
    void set_user(const SecretKey& key, const std::string& user, core::Role role, std::string_view password,
                  const KdfParams& kdf);
    /// Removes a user's wrap. False when there was none.
    bool remove_user(const std::string& user);
    /// How many users hold the administrator role.
    int admin_count() const;
    bool has_user(const std::string& user) const;
    core::Role role_of(const std::string& user) const;
    const std::vector<UserWrap>& users() const { return users_; }
    const std::string& store_id() const { return store_id_; }

private:
    std::string store_id_;
    std::vector<UserWrap> users_;
    std::vector<unsigned char> recovery_nonce_, recovery_wrapped_;
};

/// Reads a password from a file (first line; trailing CR/LF removed) or from stdin when path is "-",
/// straight into guarded memory (no intermediate buffer keeps a copy). Throws core::InvalidData
/// when empty, unreadable or longer than 1023 bytes.
SecretText read_password(const std::string& path_or_dash);

}  // namespace ow::store
