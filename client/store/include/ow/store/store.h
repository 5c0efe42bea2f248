// The encrypted offline store (a directory):
//   keys.json   the store key wrapped per user and by the recovery key (see keys.h)
//   store.db    SQLCipher 4 database (raw 256-bit key, WAL, synchronous=FULL)
//   blobs/      scans and PDFs, encrypted, content-addressed (see blobs.h)
// Opening checks SQLCipher (cipher_version >= 4, settings asserted) and migrates the schema
// forward. One Store per thread that writes: the desk and the sync thread each open a connection
// (connect()), SQLite's locking and the busy timeout serialise writers.
#pragma once

#include "ow/core/case.h"
#include "ow/store/db.h"
#include "ow/store/keys.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace ow::store {


/// The SQLCipher settings we rely on; each is set explicitly and read back at open.
struct CipherSettings {
    int page_size = 4096;
    std::string hmac_algorithm = "HMAC_SHA512";
    std::string kdf_algorithm = "PBKDF2_HMAC_SHA512";
};

struct StoreUser {
    std::string name;
    core::Role role = core::Role::clerk;
};

class Store {
public:
    static constexpr const char* kDbFile = "store.db";

    /// Creates a store in `dir` (created if missing; must not already hold a store) with its first
    /// user. Returns the recovery key in display form: show it once, it is not stored.
    static std::string init(const std::filesystem::path& dir, const std::string& user, core::Role role,
                            const std::string& password, const KdfParams& kdf = KdfParams::interactive());
    /// Opens with a user's password. AuthError on a wrong user or password (nothing is changed);
    /// CorruptStore when dir is not a store or the database fails its checks.
    static std::unique_ptr<Store> open(const std::filesystem::path& dir, const std::string& user,
                                       const std::string& password);
    /// Opens with the recovery key (as the "recovery" admin), e.g. to reset a password.
    static std::unique_ptr<Store> open_recovery(const std::filesystem::path& dir, const std::string& recovery_key);

    ~Store();

    const StoreUser& user() const { return user_; }
    const std::filesystem::path& dir() const { return dir_; }
    /// This connection. Throws StoreError("store.locked") after lock().
    Db& db();
    /// A further connection to the same database (for another thread).
    std::unique_ptr<Db> connect() const;

    /// Adds a user or resets a user's password (admin, or recovery). Re-wraps only.
    void set_user(const std::string& name, core::Role role, const std::string& password,
                  const KdfParams& kdf = KdfParams::interactive());
    /// Changes the signed-in user's password.
    void change_password(const std::string& new_password, const KdfParams& kdf = KdfParams::interactive());

    /// Wipes the key from memory and closes the connection; the store must be opened again.
    void lock();
    bool locked() const { return !key_; }
    /// The store key (for the blob store); throws when locked.
    const SecretKey& key() const;

private:
    Store() = default;
    static std::unique_ptr<Store> open_with_key(const std::filesystem::path& dir, KeyFile kf,
                                                std::unique_ptr<SecretKey> key, StoreUser user);
    std::filesystem::path dir_;
    KeyFile keys_;
    std::unique_ptr<SecretKey> key_;
    std::unique_ptr<Db> db_;
    StoreUser user_;
};

/// Opens a connection with the store key: sets the key and cipher settings, asserts them, sets WAL,
/// synchronous=FULL, busy timeout, foreign keys. CorruptStore if the key does not open the file.
std::unique_ptr<Db> open_connection(const std::filesystem::path& db_path, const SecretKey& key, bool create);

/// Locks a store after a period without activity. The desk calls touch() on input and check()
/// from a timer; check() locks when the idle time has passed. Thread-compatible.
class IdleLock {
public:
    using Clock = std::chrono::steady_clock;
    IdleLock(Store& store, std::chrono::seconds idle, std::function<Clock::time_point()> now = Clock::now);
    void touch();
    /// Returns true if it locked the store now.
    bool check();

private:
    Store& store_;
    std::chrono::seconds idle_;
    std::function<Clock::time_point()> now_;
    Clock::time_point last_;
};

}  // namespace ow::store
