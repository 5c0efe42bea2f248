#define SQLITE_HAS_CODEC 1
#include "ow/store/store.h"

#include "ow/core/date.h"
#include "ow/core/ids.h"
#include "ow/store/schema.h"

#include <sqlite3.h>

#include <system_error>

namespace ow::store {
namespace {

const CipherSettings kCipher;

void require_sqlcipher(Db& db) {
    auto v = db.query_text("PRAGMA cipher_version");
    if (!v || v->empty())
        throw StoreError("store.no_sqlcipher",
                         "this binary is linked against plain SQLite, not SQLCipher: refusing to write unencrypted data");
    if (v->size() < 1 || (*v)[0] < '4')
        throw StoreError("store.old_sqlcipher", "SQLCipher 4 or newer is required (found " + *v + ")");
}

std::string pragma_value(Db& db, const std::string& name) {
    return db.query_text("PRAGMA " + name).value_or("");
}

}  // namespace

std::unique_ptr<Db> open_connection(const std::filesystem::path& db_path, const SecretKey& key, bool create) {
    if (!create && !std::filesystem::exists(db_path)) throw CorruptStore("not an OneWindow store: " + db_path.string() + " is missing");
    auto db = std::make_unique<Db>(db_path.string(), create);
    db->exec("PRAGMA cipher_log_level = NONE");
    require_sqlcipher(*db);
    db->key_raw(key.data(), SecretKey::kSize);
    // Settings set explicitly (not left to the library's defaults) and read back.
    db->exec("PRAGMA cipher_page_size = " + std::to_string(kCipher.page_size));
    db->exec("PRAGMA cipher_hmac_algorithm = " + kCipher.hmac_algorithm);
    db->exec("PRAGMA cipher_kdf_algorithm = " + kCipher.kdf_algorithm);
    try {
        db->query_int("SELECT count(*) FROM sqlite_master");
    } catch (const StoreError& e) {
        throw CorruptStore("cannot read " + db_path.string() +
                           ": wrong key or the file is damaged (page authentication failed)", e.sqlite_code());
    }
    if (pragma_value(*db, "cipher_page_size") != std::to_string(kCipher.page_size) ||
        pragma_value(*db, "cipher_hmac_algorithm") != kCipher.hmac_algorithm ||
        pragma_value(*db, "cipher_kdf_algorithm") != kCipher.kdf_algorithm)
        throw StoreError("store.cipher_settings", "SQLCipher did not accept the required settings");
    db->exec("PRAGMA journal_mode = WAL");
    // FULL: a commit reported to the clerk survives a power cut (township laptops lose power).
    db->exec("PRAGMA synchronous = FULL");
    db->exec("PRAGMA busy_timeout = 5000");
    db->exec("PRAGMA foreign_keys = ON");
    return db;
}

std::string Store::init(const std::filesystem::path& dir, const std::string& user, core::Role role,
                        const std::string& password, const KdfParams& kdf) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw StoreError("store.io", "cannot create " + dir.string() + ": " + ec.message());
    if (std::filesystem::exists(dir / KeyFile::kFileName) || std::filesystem::exists(dir / kDbFile))
        throw StoreError("store.exists", "a store already exists in " + dir.string());
    std::unique_ptr<SecretKey> key;
    std::string recovery;
    KeyFile kf = KeyFile::create(core::new_uuid_v7().to_string(), user, role, password, kdf, key, recovery);
    try {
        std::filesystem::create_directories(dir / "blobs");
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
                                            StoreUser user) {
    std::unique_ptr<Store> s(new Store);
    s->dir_ = dir;
    s->keys_ = std::move(kf);
    s->key_ = std::move(key);
    s->user_ = std::move(user);
    s->db_ = open_connection(dir / kDbFile, *s->key_, false);
    auto id = s->db_->query_text("SELECT value FROM meta WHERE key = 'store_id'");
    if (!id || *id != s->keys_.store_id()) throw CorruptStore("the key file and the database of " + dir.string() + " do not belong together");
    migrate(*s->db_);
    return s;
}

std::unique_ptr<Store> Store::open(const std::filesystem::path& dir, const std::string& user, const std::string& password) {
    KeyFile kf = KeyFile::load(dir);
    auto key = kf.unlock(user, password);
    core::Role role = kf.role_of(user);
    return open_with_key(dir, std::move(kf), std::move(key), {user, role});
}

std::unique_ptr<Store> Store::open_recovery(const std::filesystem::path& dir, const std::string& recovery_key) {
    KeyFile kf = KeyFile::load(dir);
    auto key = kf.unlock_recovery(recovery_key);
    return open_with_key(dir, std::move(kf), std::move(key), {"recovery", core::Role::admin});
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

std::unique_ptr<Db> Store::connect() const { return open_connection(dir_ / kDbFile, key(), false); }

void Store::set_user(const std::string& name, core::Role role, const std::string& password, const KdfParams& kdf) {
    if (user_.role != core::Role::admin && name != user_.name)
        throw core::Error("store.not_authorised", "only an administrator manages other users");
    KeyFile next = keys_;
    next.set_user(key(), name, role, password, kdf);
    {
        Transaction tx(db());
        Stmt(db(), "INSERT INTO users(name, role, created_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET role = excluded.role")
            .bind(1, name).bind(2, core::to_code(role)).bind(3, core::format_instant(core::now())).run();
        tx.commit();
    }
    next.save(dir_);
    keys_ = std::move(next);
}

void Store::change_password(const std::string& new_password, const KdfParams& kdf) {
    KeyFile next = keys_;
    next.set_user(key(), user_.name, user_.role, new_password, kdf);
    next.save(dir_);
    keys_ = std::move(next);
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
