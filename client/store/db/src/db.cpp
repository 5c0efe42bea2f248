#define SQLITE_HAS_CODEC 1
#include "ow/store/db.h"

#include <sodium.h>
#include <sqlite3.h>

#include <cstring>

namespace ow::store {

Db::Db(const std::string& path, bool create, bool read_only, bool immutable) : path_(path) {
    int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX |
                (create && !read_only ? SQLITE_OPEN_CREATE : 0);
    std::string name = path;
    if (immutable) {
        static constexpr char kHex[] = "0123456789ABCDEF";
        name = "file:";
        for (unsigned char c : path)
            if (c == '%' || c == '?' || c == '#' || c < 0x20) {
                name += '%';
                name += kHex[c >> 4];
                name += kHex[c & 0xF];
            } else {
                name += char(c);
            }
        name += "?immutable=1";
        flags |= SQLITE_OPEN_URI;
    }
    int rc = sqlite3_open_v2(name.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
        if (db_) sqlite3_close(db_);
        db_ = nullptr;
        throw StoreError("store.open", "cannot open " + path + ": " + msg, rc);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
}

Db::~Db() {
    cache_.clear();  // statements before the connection
    if (db_) sqlite3_close_v2(db_);
}

Stmt& Db::cached(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) it = cache_.emplace(sql, std::make_unique<Stmt>(*this, sql)).first;
    it->second->reset();
    return *it->second;
}

void Db::fail(int rc, std::string_view what) const {
    int primary = rc & 0xFF;
    std::string msg = std::string(what) + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc)) + " (" + path_ + ")";
    if (primary == SQLITE_FULL) throw DiskFull("disk full: " + msg);
    if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) throw CorruptStore(msg, rc);
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        throw StoreBusy("the store is busy: another program held its database lock for more than 5 s; try again (" + path_ + ")", rc);
    throw StoreError("store.sqlite", msg, rc);
}

void Db::key_raw(const unsigned char* key, std::size_t size) {
#ifdef OW_STORE_PLAIN_SQLITE_BENCH_ONLY
    (void)key;
    (void)size;
    // The benchmark's unencrypted twin (bench/CMakeLists.txt); never in a product binary.
#else
    // PRAGMA key = "x'<64 hex>'": the raw-key form, so SQLCipher skips its own KDF.
    // Built in guarded memory (sodium_malloc: guard pages, mlock, no core dump) of fixed size, so
    // no reallocation leaves a partial copy on the heap; wiped and freed before returning.
    // SQLCipher keeps its own copy in memory it wipes on close.
    static constexpr char kHex[] = "0123456789abcdef";
    const std::size_t n = 2 * size + 3;
    if (sodium_init() < 0) throw StoreError("store.memory", "libsodium cannot be initialised");
    auto* pragma = static_cast<char*>(sodium_malloc(n));
    if (!pragma) throw StoreError("store.memory", "cannot allocate guarded memory for the database key");
    std::size_t at = 0;
    pragma[at++] = 'x';
    pragma[at++] = '\'';
    for (std::size_t i = 0; i < size; ++i) {
        pragma[at++] = kHex[key[i] >> 4];
        pragma[at++] = kHex[key[i] & 0xF];
    }
    pragma[at++] = '\'';
    int rc = sqlite3_key(db_, pragma, int(at));
    sodium_memzero(pragma, n);
    sodium_free(pragma);
    if (rc != SQLITE_OK) fail(rc, "setting the database key");
#endif
}

void Db::exec(std::string_view sql) {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (err) sqlite3_free(err);
    if (rc != SQLITE_OK) fail(rc, "executing statement");
}

std::optional<std::string> Db::query_text(std::string_view sql) {
    Stmt st(*this, sql);
    if (!st.step() || st.is_null(0)) return std::nullopt;
    return st.text(0);
}

std::int64_t Db::query_int(std::string_view sql) {
    Stmt st(*this, sql);
    if (!st.step()) return 0;
    return st.int64(0);
}

void Db::interrupt() { sqlite3_interrupt(db_); }

std::int64_t Db::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Db::changes() const { return sqlite3_changes(db_); }

Stmt::Stmt(Db& db, std::string_view sql) : db_(&db) {
    int rc = sqlite3_prepare_v2(db.handle(), sql.data(), int(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) db.fail(rc, "preparing statement");
}

Stmt::~Stmt() {
    if (stmt_) sqlite3_finalize(stmt_);
}

Stmt::Stmt(Stmt&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }

Stmt& Stmt::bind(int index, std::int64_t v) {
    int rc = sqlite3_bind_int64(stmt_, index, v);
    if (rc != SQLITE_OK) db_->fail(rc, "binding");
    return *this;
}

Stmt& Stmt::bind(int index, std::string_view v) {
    int rc = sqlite3_bind_text(stmt_, index, v.data(), int(v.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) db_->fail(rc, "binding");
    return *this;
}

Stmt& Stmt::bind_blob(int index, const void* data, std::size_t size) {
    int rc = sqlite3_bind_blob(stmt_, index, data, int(size), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) db_->fail(rc, "binding");
    return *this;
}

Stmt& Stmt::bind_null(int index) {
    int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK) db_->fail(rc, "binding");
    return *this;
}

bool Stmt::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_->fail(rc, "running statement");
}

void Stmt::run() {
    while (step()) {
    }
}

void Stmt::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t Stmt::int64(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string Stmt::text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), std::size_t(sqlite3_column_bytes(stmt_, col))) : std::string();
}

std::vector<unsigned char> Stmt::blob(int col) const {
    const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::vector<unsigned char>(p, p + sqlite3_column_bytes(stmt_, col)) : std::vector<unsigned char>();
}

bool Stmt::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

Transaction::Transaction(Db& db) : db_(db), nested_(sqlite3_get_autocommit(db.handle()) == 0) {
    db_.exec(nested_ ? "SAVEPOINT ow_nested" : "BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (!done_) {
        try {
            db_.exec(nested_ ? "ROLLBACK TO ow_nested; RELEASE ow_nested" : "ROLLBACK");
        } catch (...) {
            // Destructors do not throw; SQLite rolls back on its own when the statement failed.
        }
    }
}

void Transaction::commit() {
    db_.exec(nested_ ? "RELEASE ow_nested" : "COMMIT");
    done_ = true;
}

}  // namespace ow::store
