// Small repositories over the store: the catalogue cache (what the platform delivered, with its
// version), typed settings with defaults in one place, and ratings (bad ones need a follow-up).
// Each works on a connection; writes run in their own transaction (or a savepoint inside one).
#pragma once

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/store/cases.h"
#include "ow/store/db.h"

#include <chrono>
#include <optional>
#include <string>
#include <utility>
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

    /// A paged download stages its entries here (type "item" or "bundle", body JSON text), in
    /// order; a different version clears what was staged before.
    void stage(const std::string& version, const std::vector<std::pair<std::string, std::string>>& entries);
    std::string staged_version();
    /// Parses every staged entry (InvalidData naming the entry; nothing changes then) and replaces
    /// the cache with them at the staged version, in one transaction.
    void promote_staged();
    void clear_staging();

private:
    Db& db_;
};

/// How this terminal reaches the platform (written by `platform connect`). Kept inside the
/// encrypted store; the secret is used only to sign requests and never printed.
struct PlatformConfig {
    std::string url;  // base URL; https://, or http:// for a platform on this machine (loopback)
    std::string terminal_id;
    std::string secret;  // base64, as issued at enrolment
    std::string algorithm = "hmac-sha256";
    std::string centre, terminal_code, platform_name;
    std::string ca_pem;  // extra trusted CA certificates (PEM); empty: the system's bundle
    std::string pin;     // public-key pin "sha256//<base64>"; empty: none
    std::string proxy;   // proxy URL; empty: none
    std::string profile = "national-v1";
};

/// Typed settings; the defaults live here and nowhere else.
class Settings {
public:
    explicit Settings(Db& db) : db_(db) {}
    std::chrono::seconds idle_lock() const;  // default 10 minutes
    void set_idle_lock(std::chrono::seconds s);
    TerminalIdentity terminal() const;       // default DEMO01 / T1
    void set_terminal(const TerminalIdentity& t);
    std::optional<PlatformConfig> platform() const;  // nothing until a platform is connected
    void set_platform(const PlatformConfig& p);

private:
    std::optional<std::string> get(const std::string& key) const;
    void put(const std::string& key, const std::string& json_value);
    Db& db_;
};

/// Working-day calendars delivered by the platform (a year from the platform replaces the
/// shipped one, e.g. the next year once the State Council has published it).
class PlatformCalendars {
public:
    explicit PlatformCalendars(Db& db) : db_(db) {}
    /// Checks the calendar file text (CalendarYear::parse) and stores it; InvalidData / ParseError otherwise.
    void put(const std::string& revision, const std::string& body_json);
    /// Years held, ascending, with their revision.
    std::vector<std::pair<int, std::string>> years();
    /// The shipped calendar with the platform's years laid over it.
    core::WorkCalendar calendar();

private:
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
    /// The same, recording what was done (`note`, required), by whom and when; audited
    /// ("case.follow_up_closed") in the same transaction. InvalidData when no follow-up is open.
    void close_follow_up(const std::string& case_id, const std::string& note, const core::Actor& actor, core::Instant at);

private:
    Db& db_;
};

}  // namespace ow::store
