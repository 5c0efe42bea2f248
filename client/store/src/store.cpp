#define SQLITE_HAS_CODEC 1
#include "ow/store/store.h"

#include "ow/core/date.h"
#include "ow/core/ids.h"
#include "ow/store/audit.h"
#include "ow/store/schema.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#if !defined(_WIN32)
#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>
#endif

namespace ow::store {
namespace {
core::Post parse_post(const std::string& p) { return p == "A" ? core::Post::A : p == "B" ? core::Post::B : core::Post::none; }
}  // namespace

namespace {

const CipherSettings kCipher;

void require_sqlcipher(Db& db) {
#ifdef OW_STORE_PLAIN_SQLITE_BENCH_ONLY
    (void)db;
    return;
#endif
    auto v = db.query_text("PRAGMA cipher_version");
    if (!v || v->empty())
        throw StoreError("store.no_sqlcipher",
                         "this binary is linked against plain SQLite, not SQLCipher: refusing to write unencrypted data");
    if (v->size() < 1 || (*v)[0] < '4')
        throw StoreError("store.old_sqlcipher", "SQLCipher 4 or newer is required (found " + *v + ")");
}

[[maybe_unused]] std::string pragma_value(Db& db, const std::string& name) {
    return db.query_text("PRAGMA " + name).value_or("");
}

/// The store's folder 0700 and its files 0600 (older stores were made 0755/0644). Best effort:
/// a file of another owner is left alone (the open reports it if it matters).
void tighten_permissions(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    for (const char* name : {KeyFile::kFileName, Store::kDbFile, "store.db-wal", "store.db-shm", UnlockThrottle::kFileName})
        if (fs::exists(dir / name, ec)) fs::permissions(dir / name, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
    if (fs::is_directory(dir / "blobs", ec)) {
        fs::permissions(dir / "blobs", fs::perms::owner_all, fs::perm_options::replace, ec);
        for (auto it = fs::recursive_directory_iterator(dir / "blobs", ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
            fs::permissions(it->path(), it->is_directory() ? fs::perms::owner_all : fs::perms::owner_read | fs::perms::owner_write,
                            fs::perm_options::replace, ec);
    }
}

[[noreturn]] void no_access(const std::filesystem::path& p, int err, bool writing) {
    if (err == EROFS)
        throw StoreUnavailable("store.read_only", p.string() + " is on read-only media: copy the store to a writable disk to work with it "
                                                             "(`store integrity` can check it where it is)");
    if (writing)
        throw StoreUnavailable("store.permission", "this account may not write " + p.string() +
                                                       " (it belongs to another account, or is read-only)");
    throw StoreUnavailable("store.permission", "permission denied: this account may not read " + p.string() +
                                                   " (it belongs to another account?)");
}

/// Reasons an open would fail that are not about the password or the files' content, each with
/// its own message, before any password is tried.
void preflight(const std::filesystem::path& dir, OpenMode mode) {
    namespace fs = std::filesystem;
    std::error_code ec;
    auto st = fs::status(dir, ec);
    if (st.type() == fs::file_type::not_found) throw StoreUnavailable("store.not_found", "no store at " + dir.string() + " (the folder does not exist)");
    if (ec && ec.value() == EACCES) no_access(dir, EACCES, false);
    if (!fs::is_directory(st)) throw StoreUnavailable("store.not_found", "no store at " + dir.string() + " (it is not a folder)");
#if !defined(_WIN32)
    if (::access(dir.c_str(), R_OK | X_OK) != 0) no_access(dir, errno, false);
#endif
    const auto keys = dir / KeyFile::kFileName, db = dir / Store::kDbFile;
    bool has_keys = fs::exists(keys, ec), has_db = fs::exists(db, ec);
    if (!has_keys && !has_db)
        throw StoreUnavailable("store.not_found", "no store in " + dir.string() + " (neither keys.json nor store.db is there)");
    if (!has_keys)
        throw CorruptStore("not an OneWindow store: " + keys.string() + " is missing; the store cannot be unlocked without it (restore it from a backup)");
    if (!has_db) throw CorruptStore("the database " + db.string() + " is missing (keys.json is there): restore it from a backup");
    for (const auto& f : {keys, db}) {
#if !defined(_WIN32)
        if (::access(f.c_str(), R_OK) != 0) no_access(f, errno, false);
#endif
        if (fs::file_size(f, ec) == 0 && !ec)
            throw CorruptStore("store.empty_file", f.string() + " is empty (0 bytes): it was cut short (a full disk, or a copy that did "
                                                                "not finish?); restore it from a backup");
    }
#if !defined(_WIN32)
    if (mode == OpenMode::read_write) {
        struct statvfs vfs{};
        if (::statvfs(dir.c_str(), &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) no_access(dir, EROFS, true);
        for (const auto& f : {dir, db, dir / "store.db-wal", dir / "store.db-shm"})
            if (fs::exists(f, ec) && ::access(f.c_str(), W_OK) != 0) no_access(f, errno, true);
    }
#else
    (void)mode;
#endif
}

}  // namespace

std::unique_ptr<Db> open_connection(const std::filesystem::path& db_path, const SecretKey& key, bool create, OpenMode mode) {
    if (!create && !std::filesystem::exists(db_path)) throw CorruptStore("not an OneWindow store: " + db_path.string() + " is missing");
    bool ro = mode == OpenMode::read_only;
#if !defined(_WIN32)
    if (create) {  // made 0600 before SQLite sees it (SQLite would make it 0644); -wal and -shm copy its mode
        int fd = ::open(db_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) throw StoreError("store.io", "cannot create " + db_path.string() + ": " + std::strerror(errno));
        ::close(fd);
    }
#endif
    bool media_ro = false;
#if !defined(_WIN32)
    struct statvfs vfs{};
    media_ro = ::statvfs(db_path.parent_path().c_str(), &vfs) == 0 && (vfs.f_flag & ST_RDONLY);
#endif
    // On read-only media with no WAL to replay nobody can change the file: read it as immutable
    // (SQLite could not create the -shm it needs otherwise).
    bool immutable = ro && media_ro && !std::filesystem::exists(db_path.string() + "-wal");
    std::unique_ptr<Db> db;
    try {
        db = std::make_unique<Db>(db_path.string(), create, ro, immutable);
    } catch (const StoreError& e) {
        if ((e.sqlite_code() & 0xFF) == SQLITE_CANTOPEN) no_access(db_path, media_ro ? EROFS : EACCES, !ro);
        throw;
    }
    require_sqlcipher(*db);
    db->key_raw(key.data(), SecretKey::kSize);
    // After the key: SQLCipher 4.6 sets its global log level back to WARN (stderr) when the first
    // key of the process is set, and would print "hmac check failed" lines on a damaged page.
    db->exec("PRAGMA cipher_log_level = NONE");
#ifndef OW_STORE_PLAIN_SQLITE_BENCH_ONLY
    // Settings set explicitly (not left to the library's defaults) and read back.
    db->exec("PRAGMA cipher_page_size = " + std::to_string(kCipher.page_size));
    db->exec("PRAGMA cipher_hmac_algorithm = " + kCipher.hmac_algorithm);
    db->exec("PRAGMA cipher_kdf_algorithm = " + kCipher.kdf_algorithm);
    try {
        db->query_int("SELECT count(*) FROM sqlite_master");
    } catch (const StoreBusy&) {
        throw;
    } catch (const StoreError& e) {
        int primary = e.sqlite_code() & 0xFF;
        if (primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY || primary == SQLITE_PERM || primary == SQLITE_AUTH)
            no_access(db_path, primary == SQLITE_READONLY || media_ro ? EROFS : EACCES, !ro);
        if (primary == SQLITE_IOERR)
            throw StoreError("store.io", "cannot read " + db_path.string() + ": input/output error (a failing disk or a removed drive?)",
                             e.sqlite_code());
        // The key was unwrapped with an authenticated wrap, so it is the key of keys.json: either
        // the database is damaged or keys.json belongs to another store.
        throw CorruptStore("cannot read " + db_path.string() +
                           ": the database is damaged, or keys.json belongs to another store (page authentication failed)",
                           e.sqlite_code());
    }
    if (pragma_value(*db, "cipher_page_size") != std::to_string(kCipher.page_size) ||
        pragma_value(*db, "cipher_hmac_algorithm") != kCipher.hmac_algorithm ||
        pragma_value(*db, "cipher_kdf_algorithm") != kCipher.kdf_algorithm)
        throw StoreError("store.cipher_settings", "SQLCipher did not accept the required settings");
#else
    db->exec("PRAGMA page_size = " + std::to_string(kCipher.page_size));
    db->query_int("SELECT count(*) FROM sqlite_master");
#endif
    if (!ro) {
        db->exec("PRAGMA journal_mode = WAL");
        // FULL: a commit reported to the clerk survives a power cut (township laptops lose power).
        db->exec("PRAGMA synchronous = FULL");
    } else {
        db->exec("PRAGMA query_only = ON");
    }
    db->exec("PRAGMA foreign_keys = ON");
    return db;
}

std::string Store::init(const std::filesystem::path& dir, const std::string& user, core::Role role,
                        std::string_view password, const KdfParams& kdf) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw StoreError("store.io", "cannot create " + dir.string() + ": " + ec.message());
    if (std::filesystem::exists(dir / KeyFile::kFileName) || std::filesystem::exists(dir / kDbFile))
        throw StoreError("store.exists", "a store already exists in " + dir.string());
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
    std::unique_ptr<SecretKey> key;
    std::string recovery;
    KeyFile kf = KeyFile::create(core::new_uuid_v7().to_string(), user, role, password, kdf, key, recovery);
    try {
        std::filesystem::create_directories(dir / "blobs");
        std::filesystem::permissions(dir / "blobs", std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
        auto db = open_connection(dir / kDbFile, *key, true);
        migrate(*db);
        Transaction tx(*db);
        Stmt(*db, "INSERT INTO meta(key, value) VALUES ('store_id', ?)").bind(1, kf.store_id()).run();
        Stmt(*db, "INSERT INTO users(name, role, created_at) VALUES (?, ?, ?)")
            .bind(1, user).bind(2, core::to_code(role)).bind(3, core::format_instant(core::now())).run();
        tx.commit();
        kf.save(dir);  // last: a store without keys.json is not a store, so a failed init leaves none
    } catch (...) {
        std::filesystem::remove(dir / kDbFile, ec);
        std::filesystem::remove(dir / (std::string(kDbFile) + "-wal"), ec);
        std::filesystem::remove(dir / (std::string(kDbFile) + "-shm"), ec);
        throw;
    }
    return recovery;
}

std::unique_ptr<Store> Store::open_with_key(const std::filesystem::path& dir, KeyFile kf, std::unique_ptr<SecretKey> key,
                                            StoreUser user, OpenMode mode) {
    std::unique_ptr<Store> s(new Store);
    s->dir_ = dir;
    s->keys_ = std::move(kf);
    s->key_ = std::move(key);
    s->user_ = std::move(user);
    s->read_only_ = mode == OpenMode::read_only;
    s->db_ = open_connection(dir / kDbFile, *s->key_, false, mode);
    auto id = s->db_->query_text("SELECT value FROM meta WHERE key = 'store_id'");
    if (!id || *id != s->keys_.store_id()) throw CorruptStore("the key file and the database of " + dir.string() + " do not belong together");
    if (s->read_only_) {
        if (schema_version(*s->db_) > current_schema_version())
            throw StoreError("store.too_new", "this store was written by a newer OneWindow: update this program");
    } else {
        tighten_permissions(dir);
        migrate(*s->db_);
        s->finish_staged_keys();
    }
    s->load_profile();
    return s;
}

std::unique_ptr<Store> Store::another() const {
    if (!key_) throw StoreError("store.locked", "the store is locked");
    auto key = std::make_unique<SecretKey>();
    std::memcpy(key->data(), key_->data(), SecretKey::kSize);
    return open_with_key(dir_, keys_, std::move(key), user_, read_only_ ? OpenMode::read_only : OpenMode::read_write);
}

void Store::load_profile() {
    if (schema_version(*db_) < 4) return;  // a read-only open of a store not yet migrated
    Stmt q(*db_, "SELECT post, display_name FROM users WHERE name = ?");
    q.bind(1, user_.name);
    if (q.step()) {
        user_.post = parse_post(q.text(0));
        user_.display_name = q.text(1);
    }
}

void Store::finish_staged_keys() {
    if (!std::filesystem::exists(dir_ / KeyFile::kStagedName)) return;
    Transaction tx(db());  // the write lock: no other writer is between staging and its commit now
    std::string staged = KeyFile::staged_sha256(dir_);
    auto committed = db().query_text("SELECT value FROM meta WHERE key = 'keys_sha256'");
    if (!staged.empty() && committed && *committed == staged) {
        if (KeyFile::file_sha256(dir_ / KeyFile::kFileName) != staged) KeyFile::install_staged(dir_);  // a crash after the commit
        else KeyFile::discard_staged(dir_);
        keys_ = KeyFile::load(dir_);
    } else {
        KeyFile::discard_staged(dir_);  // a change that never committed
    }
    tx.commit();
}

std::unique_ptr<Store> Store::open(const std::filesystem::path& dir, const std::string& user, std::string_view password,
                                   const OpenOptions& options) {
    preflight(dir, options.mode);
    KeyFile kf = KeyFile::load(dir);
    UnlockThrottle throttle(dir, options.backoff, options.now, options.mode == OpenMode::read_write);
    std::unique_ptr<SecretKey> key;
    throttle.attempt(user, [&] { key = kf.unlock(user, password); });
    core::Role role = kf.role_of(user);
    auto s = open_with_key(dir, std::move(kf), std::move(key), {user, role, core::Post::none, {}}, options.mode);
    s->audit_sign_in_failures(throttle);
    return s;
}

void Store::audit_sign_in_failures(UnlockThrottle& throttle) {
    if (read_only_) return;  // kept in unlock.json until a writable open
    for (const auto& u : throttle.unaudited()) {
        nlohmann::json detail = {{"user", u.who == UnlockThrottle::kRecovery ? std::string("(recovery key)") : u.who},
                                 {"wrong_passwords", u.wrong},
                                 {"last_at", core::format_instant(std::chrono::time_point_cast<std::chrono::milliseconds>(u.last))}};
        audit("user.sign_in_failures", detail.dump());
        throttle.mark_audited(u.who, u.wrong);
    }
}

std::unique_ptr<Store> Store::open_recovery(const std::filesystem::path& dir, std::string_view recovery_key,
                                            const OpenOptions& options) {
    preflight(dir, OpenMode::read_write);  // its use is audited, so it needs a writable store
    KeyFile kf = KeyFile::load(dir);
    UnlockThrottle throttle(dir, options.backoff, options.now, true);
    std::unique_ptr<SecretKey> key;
    throttle.attempt(UnlockThrottle::kRecovery, [&] { key = kf.unlock_recovery(recovery_key); });
    auto s = open_with_key(dir, std::move(kf), std::move(key), {"recovery", core::Role::admin, core::Post::none, {}}, OpenMode::read_write);
    s->recovery_ = true;
    s->audit_sign_in_failures(throttle);
    s->audit("store.recovery_key_used", "{}");
    return s;
}

Store::~Store() { lock(); }

Db& Store::db() {
    if (!db_) throw StoreError("store.locked", "the store is locked: sign in again");
    return *db_;
}

const SecretKey& Store::key() const {
    if (!key_) throw StoreError("store.locked", "the store is locked: sign in again");
    return *key_;
}

std::unique_ptr<Db> Store::connect() const {
    return open_connection(dir_ / kDbFile, key(), false, read_only_ ? OpenMode::read_only : OpenMode::read_write);
}

core::Actor Store::actor() const { return {user_.name, user_.role, user_.post, ""}; }

std::vector<UserInfo> Store::users() {
    std::vector<UserInfo> out;
    Stmt q(db(), "SELECT name, post, display_name, absent_since, created_at, department FROM users ORDER BY name");
    while (q.step()) {
        UserInfo u;
        u.name = q.text(0);
        if (!keys_.has_user(u.name)) continue;  // a row whose key wrap is gone (never after a clean commit)
        u.role = keys_.role_of(u.name);
        u.post = parse_post(q.text(1));
        u.display_name = q.text(2);
        if (!q.is_null(3)) u.absent_since = core::parse_instant(q.text(3));
        u.created_at = q.text(4);
        u.department = u.role == core::Role::chief ? q.text(5) : std::string();
        out.push_back(std::move(u));
    }
    return out;
}

std::optional<UserInfo> Store::user_info(const std::string& name) {
    for (auto& u : users())
        if (u.name == name) return u;
    return std::nullopt;
}

void Store::set_user_profile(const std::string& name, core::Post post, const std::string& display_name) {
    require_role(core::Role::admin, "set users' posts and names");
    if (display_name.size() > 100) throw core::InvalidData("a display name has at most 100 bytes");
    Transaction tx(db());
    auto u = user_info(name);
    if (!u) throw core::InvalidData("no user '" + name + "' in this store");
    if (post != core::Post::none && u->role != core::Role::chief)
        throw core::InvalidData("only a chief representative (role chief) sits on post A or B; '" + name + "' is '" +
                                std::string(core::to_code(u->role)) + "'");
    Stmt(db(), "UPDATE users SET post = ?, display_name = ? WHERE name = ?")
        .bind(1, core::to_code(post)).bind(2, display_name).bind(3, name).run();
    AuditLog(db()).append(actor(), core::now(), "user.profile_changed", "",
                          nlohmann::json({{"user", name}, {"post", core::to_code(post)}, {"display_name", display_name}}).dump());
    tx.commit();
    if (name == user_.name) {
        user_.post = post;
        user_.display_name = display_name;
    }
}

void Store::set_user_department(const std::string& name, const std::string& department) {
    require_role(core::Role::admin, "set users' departments");
    std::size_t chars = 0;
    for (unsigned char ch : department) chars += (ch & 0xC0) != 0x80;
    if (chars > 100) throw core::InvalidData("a department's name has at most 100 characters");
    Transaction tx(db());
    auto u = user_info(name);
    if (!u) throw core::InvalidData("no user '" + name + "' in this store");
    if (!department.empty() && u->role != core::Role::chief)
        throw core::InvalidData("only a chief representative (role chief) represents a department; '" + name + "' is '" +
                                std::string(core::to_code(u->role)) + "'");
    if (u->department == department) return;
    Stmt(db(), "UPDATE users SET department = ? WHERE name = ?").bind(1, department).bind(2, name).run();
    AuditLog(db()).append(actor(), core::now(), "user.department_changed", "",
                          nlohmann::json({{"user", name}, {"from", u->department}, {"to", department}}).dump());
    tx.commit();
}

void Store::set_absent(const std::string& name, bool absent) {
    if (name != user_.name) require_role(core::Role::admin, "mark other users absent or present");
    Transaction tx(db());
    if (!user_info(name)) throw core::InvalidData("no user '" + name + "' in this store");
    auto at = core::now();
    if (absent)
        Stmt(db(), "UPDATE users SET absent_since = ? WHERE name = ? AND absent_since IS NULL")
            .bind(1, core::format_instant(at)).bind(2, name).run();
    else
        Stmt(db(), "UPDATE users SET absent_since = NULL WHERE name = ? AND absent_since IS NOT NULL").bind(1, name).run();
    if (db().changes() == 1)
        AuditLog(db()).append(actor(), at, absent ? "user.absent" : "user.present", "", nlohmann::json({{"user", name}}).dump());
    tx.commit();
}

void Store::require_role(core::Role role, const std::string& act) const {
    if (user_.role != role)
        throw NotAuthorised("only a user with the role '" + std::string(core::to_code(role)) + "' may " + act + " ('" + user_.name +
                            "' is '" + std::string(core::to_code(user_.role)) + "')");
}

std::int64_t Store::audit(const std::string& action, const std::string& detail_json) {
    Transaction tx(db());
    auto seq = AuditLog(db()).append(actor(), core::now(), action, "", detail_json);
    tx.commit();
    return seq;
}

void Store::commit_keys(const std::function<void(KeyFile&)>& change, const std::function<void(Db&)>& record) {
    if (read_only_) throw StoreUnavailable("store.read_only", "the store was opened read-only");
    // Not inside the caller's transaction: keys.json must follow a real commit, not a savepoint.
    if (sqlite3_get_autocommit(db().handle()) == 0)
        throw StoreError("store.nested", "users and passwords are changed outside any open transaction");
    Transaction tx(db());  // the write lock first: one key change at a time, across processes
    KeyFile next = KeyFile::load(dir_);  // as it is now (another program may have changed it)
    if (next.store_id() != keys_.store_id()) throw CorruptStore("the key file of " + dir_.string() + " was replaced by another store's");
    change(next);
    std::string digest = next.stage(dir_);  // a full disk stops here: nothing has changed
    try {
        record(db());
        db().cached("INSERT INTO meta(key, value) VALUES ('keys_sha256', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .bind(1, digest)
            .run();
        tx.commit();
    } catch (...) {
        KeyFile::discard_staged(dir_);
        throw;
    }
    KeyFile::install_staged(dir_);  // if this fails or the process dies, the next open finishes it
    keys_ = std::move(next);
}

void Store::set_user(const std::string& name, core::Role role, std::string_view password, const KdfParams& kdf) {
    // A store with no administrator at all (one clerk's laptop, set up by that clerk, who holds its
    // recovery key) lets its users add clerks (a colleague at the same desk): nobody is above them.
    const bool self_managed = user_.role != core::Role::admin && !recovery_ && KeyFile::load(dir_).admin_count() == 0;
    if (!self_managed) require_role(core::Role::admin, "add users, change roles or reset other users' passwords");
    std::string action;
    nlohmann::json detail;
    commit_keys(
        [&](KeyFile& kf) {
            bool exists = kf.has_user(name);
            if (self_managed && (exists || role != core::Role::clerk || kf.admin_count() != 0))
                throw NotAuthorised("only an administrator may add a " + std::string(core::to_code(role)) +
                                    " or change a user; in a store without an administrator its users may add new clerks only ('" +
                                    user_.name + "' is '" + std::string(core::to_code(user_.role)) + "')");
            if (exists) {
                core::Role before = kf.role_of(name);
                if (before == core::Role::admin && role != core::Role::admin && kf.admin_count() <= 1)
                    throw NotAuthorised("'" + name + "' is the last administrator and cannot be demoted: make another administrator first");
                action = before != role ? "user.role_changed" : name == user_.name ? "user.password_changed" : "user.password_reset";
                detail = {{"user", name}, {"role", core::to_code(role)}};
                if (before != role) {
                    detail["previous_role"] = core::to_code(before);
                    detail["password_reset"] = true;
                }
            } else {
                action = "user.added";
                detail = {{"user", name}, {"role", core::to_code(role)}};
            }
            kf.set_user(key(), name, role, password, kdf);
        },
        [&](Db& db) {
            Stmt(db, "INSERT INTO users(name, role, created_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET role = excluded.role")
                .bind(1, name).bind(2, core::to_code(role)).bind(3, core::format_instant(core::now())).run();
            AuditLog(db).append(actor(), core::now(), action, "", detail.dump());
        });
    if (name == user_.name) user_.role = role;
}

void Store::remove_user(const std::string& name) {
    require_role(core::Role::admin, "remove users");
    if (name == user_.name) throw NotAuthorised("you cannot remove yourself: another administrator can");
    core::Role before = core::Role::clerk;
    commit_keys(
        [&](KeyFile& kf) {
            if (!kf.has_user(name)) throw core::InvalidData("no user '" + name + "' in this store");
            before = kf.role_of(name);
            if (before == core::Role::admin && kf.admin_count() <= 1)
                throw NotAuthorised("'" + name + "' is the last administrator and cannot be removed");
            kf.remove_user(name);
        },
        [&](Db& db) {
            Stmt(db, "DELETE FROM users WHERE name = ?").bind(1, name).run();
            AuditLog(db).append(actor(), core::now(), "user.removed", "",
                                nlohmann::json({{"user", name}, {"role", core::to_code(before)}}).dump());
        });
}

void Store::change_password(std::string_view new_password, const KdfParams& kdf) {
    if (recovery_)
        throw NotAuthorised("the recovery key has no password of its own: reset a user's password with it instead");
    commit_keys(
        [&](KeyFile& kf) {
            if (!kf.has_user(user_.name)) throw NotAuthorised("user '" + user_.name + "' was removed from this store");
            kf.set_user(key(), user_.name, kf.role_of(user_.name), new_password, kdf);  // the role stays as it is
        },
        [&](Db& db) {
            AuditLog(db).append(actor(), core::now(), "user.password_changed", "", nlohmann::json({{"user", user_.name}}).dump());
        });
}

void Store::lock() {
    db_.reset();
    if (key_) key_->wipe();
    key_.reset();
}

IdleLock::IdleLock(Store& store, std::chrono::seconds idle, std::function<Clock::time_point()> now)
    : store_(store), idle_(idle), now_(std::move(now)), last_(now_()) {}

void IdleLock::touch() { last_ = now_(); }

bool IdleLock::check() {
    if (store_.locked() || now_() - last_ < idle_) return false;
    store_.lock();
    return true;
}

}  // namespace ow::store
