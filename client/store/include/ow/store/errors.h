// Errors of the encrypted store. All derive from ow::core::Error; messages are English (logs,
// CLI) and never contain passwords, keys or personal data.
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

/// Wrong password / recovery key, or unknown user. The store is unchanged.
class AuthError : public core::Error {
public:
    explicit AuthError(const std::string& message) : core::Error("store.auth", message) {}
};

/// The file is not an OneWindow store, or it is damaged (HMAC failure, truncation).
class CorruptStore : public StoreError {
public:
    CorruptStore(const std::string& message, int sqlite_code = 0) : StoreError("store.corrupt", message, sqlite_code) {}
};

/// The disk (or the configured page limit) is full; the transaction was rolled back.
class DiskFull : public StoreError {
public:
    explicit DiskFull(const std::string& message) : StoreError("store.disk_full", message, 13) {}
};

}  // namespace ow::store
