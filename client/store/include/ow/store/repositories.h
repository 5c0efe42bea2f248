// Small repositories over the store: the catalogue cache (what the platform delivered, with its
// version), typed settings with defaults in one place, and ratings (bad ones need a follow-up).
// Each works on a connection; writes run in their own transaction (or a savepoint inside one).
#pragma once

#include "ow/core/catalog.h"
#include "ow/store/cases.h"
#include "ow/store/db.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace ow::store {

/// The catalogue as last delivered by the platform. Entries are validated by ow_core's parser
/// before they are stored, so the desk never caches a definition it cannot load.
class CatalogCache {
public:
    explicit CatalogCache(Db& db) : db_(db) {}
    /// Replaces the cache with a whole catalogue at `version` (one transaction).
    void replace(const core::Catalogue& catalogue, const std::string& version);
    /// The cached catalogue, or nothing when the cache is empty.
    std::optional<core::Catalogue> load();
    /// The version of the cached catalogue ("" when empty).
    std::string version();

private:
    Db& db_;
};

/// Typed settings; the defaults live here and nowhere else.
class Settings {
public:
    explicit Settings(Db& db) : db_(db) {}
    std::chrono::seconds idle_lock() const;  // default 10 minutes
    void set_idle_lock(std::chrono::seconds s);
    TerminalIdentity terminal() const;       // default DEMO01 / T1
    void set_terminal(const TerminalIdentity& t);

private:
    std::optional<std::string> get(const std::string& key) const;
    void put(const std::string& key, const std::string& json_value);
    Db& db_;
};

struct RatingRow {
    std::string case_id;
    int level = 0;  // GB/T 39046 order: 1 very satisfied … 5 very dissatisfied
    std::string channel, reason, comment, at, follow_up_state;
};

class Ratings {
public:
    explicit Ratings(Db& db) : db_(db) {}
    /// Bad ratings (不满意 / 非常不满意) whose follow-up is still open, oldest first.
    std::vector<RatingRow> open_follow_ups(int limit = 100);
    /// Marks a bad rating's follow-up as done (state "done").
    void close_follow_up(const std::string& case_id);

private:
    Db& db_;
};

}  // namespace ow::store
