// Errors of the database layer (ow_db): every SQLite/SQLCipher failure becomes one of these.
// All derive from ow::core::Error; messages are English (logs, CLI) and never contain bound
// values, passwords, keys or personal data. ow/store/errors.h adds the store's own errors.
#pragma once

#include "ow/core/error.h"

namespace ow::store {

/// Any storage failure (I/O, SQLite error, disk full, corrupt file). `sqlite_code` is the
/// SQLite result code when there is one.
class StoreError : public core::Error {
public:
    StoreError(std::string code, const std::string& message, int sqlite_code = 0)
        : core::Error(std::move(code), message), sqlite_code_(sqlite_code) {}
    int sqlite_code() const noexcept { return sqlite_code_; }

private:
    int sqlite_code_;
};

/// The file is not an OneWindow store, or it is damaged (HMAC failure, truncation). Codes:
/// "store.corrupt", "store.empty_file" (a file of the store has 0 bytes).
class CorruptStore : public StoreError {
public:
    CorruptStore(const std::string& message, int sqlite_code = 0) : StoreError("store.corrupt", message, sqlite_code) {}
    CorruptStore(std::string code, const std::string& message) : StoreError(std::move(code), message) {}
};

/// The store cannot be used for a reason outside its files' content. Codes: "store.not_found"
/// (no store, or a file of it, at the path), "store.permission" (this account may not read or
/// write it), "store.read_only" (read-only media or files, and writing was asked for).
class StoreUnavailable : public StoreError {
public:
    StoreUnavailable(std::string code, const std::string& message) : StoreError(std::move(code), message) {}
};

/// Another connection held the database lock for longer than the busy timeout (code "store.busy").
/// Nothing was changed; trying again later is safe.
class StoreBusy : public StoreError {
public:
    StoreBusy(const std::string& message, int sqlite_code) : StoreError("store.busy", message, sqlite_code) {}
};

/// The disk (or the configured page limit) is full; the transaction was rolled back.
class DiskFull : public StoreError {
public:
    explicit DiskFull(const std::string& message) : StoreError("store.disk_full", message, 13) {}
};

}  // namespace ow::store
