// The platform's database: one SQLite file (ow_store's Db with no key, so a plain SQLite file),
// blob files in FILE.blobs/ beside it. The server uses one connection guarded by a mutex (keep
// critical sections short); admin commands and `stats` open their own connection (WAL lets them
// run while `serve` does).
#pragma once

#include "ow/store/db.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace ow::sim {

class PlatformDb {
public:
    static constexpr int kSchemaVersion = 1;
    static constexpr const char* kKind = "onewindow-platform-sim";

    /// Opens FILE. When it does not exist and `create` is set, it is created with the demo data
    /// (catalogue, calendars, TSA keys); otherwise a missing or foreign file is an InputError.
    PlatformDb(const std::string& file, bool create);
    ~PlatformDb();
    PlatformDb(const PlatformDb&) = delete;
    PlatformDb& operator=(const PlatformDb&) = delete;

    /// The one connection; use it only while holding mutex().
    store::Db& db() { return *db_; }
    std::mutex& mutex() { return mu_; }
    std::unique_lock<std::mutex> lock() { return std::unique_lock<std::mutex>(mu_); }

    const std::string& file() const { return file_; }
    /// FILE.blobs — complete blobs as <aa>/<sha256>, uploads in progress as uploads/<id>.part.
    std::string blob_dir() const { return file_ + ".blobs"; }

    // The helpers below run on db() and expect the lock held (or a connection of one's own).
    /// Adds `by` to a named counter (in the current transaction, if any).
    void bump(std::string_view counter, std::int64_t by = 1);
    std::int64_t counter(std::string_view counter);
    std::optional<std::string> meta(std::string_view key);
    void set_meta(std::string_view key, std::string_view value);
    bool created_now() const { return created_now_; }

private:
    void initialise();

    std::string file_;
    std::unique_ptr<store::Db> db_;
    std::mutex mu_;
    bool created_now_ = false;
};

}  // namespace ow::sim
