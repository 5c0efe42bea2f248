// The encrypted offline store (a directory):
//   keys.json   the store key wrapped per user and by the recovery key (see keys.h)
//   store.db    SQLCipher 4 database (raw 256-bit key, WAL, synchronous=FULL)
//   blobs/      scans and PDFs, encrypted, content-addressed (see blobs.h)
//   unlock.json wrong passwords in a row per user, for the back-off (see unlock_throttle.h)
//   keys.json.pending  only between the two steps of a change to users (see commit_keys)
// The folder is 0700, every file 0600.
// Opening checks SQLCipher (cipher_version >= 4, settings asserted) and migrates the schema
// forward. One Store per thread that writes: the desk and the sync thread each open a connection
// (connect()), SQLite's locking and the busy timeout serialise writers.
#pragma once

#include "ow/core/case.h"
#include "ow/store/db.h"
#include "ow/store/errors.h"
#include "ow/store/keys.h"
#include "ow/store/unlock_throttle.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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
    core::Post post = core::Post::none;  ///< 首席代表 A岗 / B岗 (chief representatives)
    std::string display_name;            ///< shown on the desk and on notices (经办人); the name when empty
};

/// A user as the users table holds them (the role comes from keys.json, which is authoritative).
struct UserInfo {
    std::string name;
    core::Role role = core::Role::clerk;
    core::Post post = core::Post::none;
    std::string display_name;
    std::optional<core::Instant> absent_since;  ///< marked absent (a chief's other post may act for them)
    std::string created_at;
    /// The department a chief representative represents (core::Authorisations); empty: every
    /// department (and always for other roles).
    std::string department;
};

enum class OpenMode {
    read_write,
    read_only,  ///< SQLite read-only connection: nothing is migrated, written or checkpointed
};

struct OpenOptions {
    OpenMode mode = OpenMode::read_write;
    BackoffPolicy backoff;                                         ///< see unlock_throttle.h
    std::function<std::chrono::system_clock::time_point()> now;  ///< empty: the system clock
};

class Store {
public:
    static constexpr const char* kDbFile = "store.db";

    /// Creates a store in `dir` (created if missing; must not already hold a store) with its first
    /// user. Returns the recovery key in display form: show it once, it is not stored.
    /// The folder is made 0700 and every file 0600.
    static std::string init(const std::filesystem::path& dir, const std::string& user, core::Role role,
                            std::string_view password, const KdfParams& kdf = KdfParams::interactive());
    /// Opens with a user's password. Errors, each with its own message:
    ///   StoreUnavailable  no store at dir ("store.not_found"), no permission ("store.permission"),
    ///                     read-only media or files for a read-write open ("store.read_only");
    ///   CorruptStore      a file missing beside the other, empty ("store.empty_file"), or damaged;
    ///   TooManyAttempts   the user must wait after wrong passwords (the password was not tried);
    ///   AuthError         wrong user or password (counted for the back-off; nothing else changes);
    ///   StoreBusy         another program held the database lock past the busy timeout.
    /// Wrong passwords (of any name, and recovery keys) not yet in the audit trail are written to
    /// it by a writable open ("user.sign_in_failures", one entry per name).
    static std::unique_ptr<Store> open(const std::filesystem::path& dir, const std::string& user,
                                       std::string_view password, const OpenOptions& options = {});
    /// Opens with the recovery key as the "recovery" administrator (read-write only), e.g. to reset
    /// a password. Audited ("store.recovery_key_used"); wrong keys back off like passwords.
    static std::unique_ptr<Store> open_recovery(const std::filesystem::path& dir, std::string_view recovery_key,
                                                const OpenOptions& options = {});

    ~Store();

    const StoreUser& user() const { return user_; }
    /// The signed-in user as an audit and case actor (with their post; acting for nobody).
    core::Actor actor() const;
    /// Every user, by name. The role is keys.json's.
    std::vector<UserInfo> users();
    /// One user, or nothing.
    std::optional<UserInfo> user_info(const std::string& name);
    /// Sets a user's post (A/B, chief representatives only; none for others) and display name.
    /// Administrators only (NotAuthorised); core::InvalidData for an unknown user or a post on a
    /// user who is not a chief representative. Audited ("user.profile_changed").
    void set_user_profile(const std::string& name, core::Post post, const std::string& display_name);
    /// Marks a user absent (or back). Administrators, or the user themself. Audited
    /// ("user.absent" / "user.present"). While post A is absent, post B may act for them.
    void set_absent(const std::string& name, bool absent);
    /// Sets the department a chief representative represents (empty: every department).
    /// Administrators only (NotAuthorised); core::InvalidData for an unknown user, a user who is not
    /// a chief representative (unless empty) or a name over 100 characters. Audited
    /// ("user.department_changed") when it changes.
    void set_user_department(const std::string& name, const std::string& department);
    bool read_only() const { return read_only_; }
    /// Throws NotAuthorised unless the signed-in user has `role` (`act` completes "only … may ").
    void require_role(core::Role role, const std::string& act) const;
    /// Appends an audit entry by the signed-in user (no case) in its own transaction, or inside
    /// the caller's open one. `detail_json` is a JSON object's text. Returns the entry's seq.
    std::int64_t audit(const std::string& action, const std::string& detail_json);
    const std::filesystem::path& dir() const { return dir_; }
    /// This connection. Throws StoreError("store.locked") after lock().
    Db& db();
    /// A further connection to the same database (for another thread).
    std::unique_ptr<Db> connect() const;
    /// The same store signed in as the same user over a new connection with its own copy of the
    /// key, for a thread that acts (writes, audits) while this one goes on: the desk runs an act
    /// that renders and seals a notice on a worker. StoreError("store.locked") after lock(); else
    /// what opening a connection throws.
    std::unique_ptr<Store> another() const;

    /// Adds a user, changes a user's role or resets a user's password (re-wraps only). Only an
    /// administrator (or the recovery key) may; the last administrator cannot be demoted. In a store
    /// with no administrator at all, its users may add new clerks (nothing else).
    /// NotAuthorised otherwise. Audited ("user.added", "user.role_changed", "user.password_reset")
    /// together with the users row in one transaction; keys.json follows in two steps (see
    /// commit_keys), so a full disk leaves neither a user without a wrap nor a wrap without audit.
    void set_user(const std::string& name, core::Role role, std::string_view password,
                  const KdfParams& kdf = KdfParams::interactive());
    /// Removes a user (administrators; not the last administrator, not oneself). Audited
    /// ("user.removed"). NotAuthorised, or core::InvalidData for an unknown user.
    void remove_user(const std::string& name);
    /// Changes the signed-in user's own password, keeping their role. Audited
    /// ("user.password_changed"). NotAuthorised in a recovery session.
    void change_password(std::string_view new_password, const KdfParams& kdf = KdfParams::interactive());

    /// Wipes the key from memory and closes the connection; the store must be opened again.
    void lock();
    bool locked() const { return !key_; }
    /// The store key (for the blob store); throws when locked.
    const SecretKey& key() const;

private:
    Store() = default;
    static std::unique_ptr<Store> open_with_key(const std::filesystem::path& dir, KeyFile kf,
                                                std::unique_ptr<SecretKey> key, StoreUser user, OpenMode mode);
    /// Under the database write lock: reloads keys.json, applies `change` to it, writes it as
    /// keys.json.pending, runs `record` (rows + audit) and records the pending file's digest in
    /// meta in one transaction, then renames the pending file into place. A crash after the commit
    /// is finished by the next open (finish_staged_keys); before it, nothing changed.
    void commit_keys(const std::function<void(KeyFile&)>& change, const std::function<void(Db&)>& record);
    void finish_staged_keys();
    void load_profile();  ///< the signed-in user's post and display name
    /// Writes every name's wrong passwords not yet audited ("user.sign_in_failures") and tells
    /// the throttle they are. Skipped when read-only.
    void audit_sign_in_failures(UnlockThrottle& throttle);
    bool read_only_ = false;
    bool recovery_ = false;
    std::filesystem::path dir_;
    KeyFile keys_;
    std::unique_ptr<SecretKey> key_;
    std::unique_ptr<Db> db_;
    StoreUser user_;
};

/// Opens a connection with the store key: sets the key and cipher settings, asserts them, sets WAL,
/// synchronous=FULL, busy timeout, foreign keys. CorruptStore if the key does not open the file.
/// StoreBusy when another connection holds the lock past the busy timeout (5 s);
/// StoreUnavailable ("store.read_only") when the files cannot be written and `mode` needs it.
std::unique_ptr<Db> open_connection(const std::filesystem::path& db_path, const SecretKey& key, bool create,
                                    OpenMode mode = OpenMode::read_write);

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
