// A small RAII layer over SQLCipher's C API: Db (one connection), Stmt (a prepared statement),
// Transaction (rolls back in its destructor unless committed). Errors become StoreError with the
// SQLite result code; messages never contain bound values (they may be personal data).
// A Db is used by one thread at a time; the GUI and sync threads each open their own.
#pragma once

#include "ow/store/db_errors.h"

#include <cstdint>
#include <optional>
#include <string>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace ow::store {

class Db;

class Stmt {
public:
    Stmt(Db& db, std::string_view sql);
    ~Stmt();
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    Stmt(Stmt&& o) noexcept;

    Stmt& bind(int index, std::int64_t v);
    Stmt& bind(int index, int v) { return bind(index, std::int64_t(v)); }
    Stmt& bind(int index, std::string_view v);
    Stmt& bind(int index, const std::string& v) { return bind(index, std::string_view(v)); }
    Stmt& bind(int index, const char* v) { return bind(index, std::string_view(v)); }
    Stmt& bind_blob(int index, const void* data, std::size_t size);
    Stmt& bind_null(int index);
    Stmt& bind(int index, const std::optional<std::string>& v) { return v ? bind(index, *v) : bind_null(index); }

    /// Advances; true while a row is available.
    bool step();
    /// Runs to completion (for statements without rows).
    void run();
    void reset();

    std::int64_t int64(int col) const;
    std::string text(int col) const;
    std::vector<unsigned char> blob(int col) const;
    bool is_null(int col) const;

private:
    Db* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

class Db {
public:
    /// Opens (or creates) the database file. Nothing is read until the key is set. The busy
    /// timeout (5 s) is set before anything else, so even the first read waits for a writer.
    /// `immutable`: read-only media (SQLite's immutable=1: no locks, no -shm; only when nobody
    /// can write the file).
    explicit Db(const std::string& path, bool create, bool read_only = false, bool immutable = false);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    /// Sets the raw 256-bit SQLCipher key (x'…' form, no KDF).
    void key_raw(const unsigned char* key, std::size_t size);
    void exec(std::string_view sql);
    /// A single-value query (text), or nothing when there is no row.
    std::optional<std::string> query_text(std::string_view sql);
    std::int64_t query_int(std::string_view sql);
    /// A prepared statement kept for reuse (hot paths), reset and unbound on every call. Reset it
    /// (or step it to the end) after reading rows so no read snapshot stays open.
    Stmt& cached(const std::string& sql);
    std::int64_t last_insert_rowid() const;
    int changes() const;
    sqlite3* handle() const { return db_; }
    const std::string& path() const { return path_; }
    /// Makes the statement running on this connection (on another thread) stop at once with an
    /// error (StoreError); a write in an explicit transaction rolls back. Safe from any thread
    /// while the connection is open. For readers that must give way (the desk's status poller).
    void interrupt();

    [[noreturn]] void fail(int rc, std::string_view what) const;

private:
    sqlite3* db_ = nullptr;
    std::string path_;
    std::unordered_map<std::string, std::unique_ptr<Stmt>> cache_;
};

/// BEGIN IMMEDIATE … COMMIT; rolls back in the destructor unless commit() was called.
/// Inside another transaction it becomes a SAVEPOINT, so commit objects compose (e.g. a bulk
/// import wraps many case commits in one outer transaction).
class Transaction {
public:
    explicit Transaction(Db& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Db& db_;
    bool done_ = false;
    bool nested_ = false;
};

}  // namespace ow::store
