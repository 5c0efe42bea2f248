// Small repositories over the store: the catalogue cache (what the platform delivered, with its
// version), typed settings with defaults in one place, and ratings (bad ones need a follow-up).
// Each works on a connection; writes run in their own transaction (or a savepoint inside one).
#pragma once

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/store/cases.h"
#include "ow/store/db.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ow::store {

/// The catalogue as last delivered by the platform, with its version. Bodies are kept exactly as
/// delivered (the whole item or bundle JSON, including its "form" section), so the form engine
/// reads the same definitions as ow_core.
///
/// Validation: ow_store checks every entry with ow_core's parser before storing it; it cannot
/// run the form engine (ow_forms is not a dependency of ow_store). The full check — both parsers
/// over the whole catalogue — is `ow::catalogue::promote_staged` (client/catalogue), which the
/// sync engine calls; it passes the form engine's check to promote_staged() below. Readers use
/// `ow::catalogue::load_store_catalogue`, which falls back to the shipped catalogue while this
/// cache is empty.
class CatalogCache {
public:
    /// (type, body): type "item" or "bundle", body the definition's JSON text as delivered.
    using Entry = std::pair<std::string, std::string>;
    /// A check over a whole catalogue that throws core::Error to refuse it (e.g. the form engine's).
    using Check = std::function<void(const std::vector<Entry>&)>;

    explicit CatalogCache(Db& db) : db_(db) {}
    /// Replaces the cache with `entries` at `version`, bodies stored verbatim, in one transaction
    /// (a savepoint inside the caller's). Every body is parsed by ow_core first (items before
    /// bundles); InvalidData / ParseError naming the entry, and nothing changes.
    void replace(const std::vector<Entry>& entries, const std::string& version);
    /// The cached entries, items first, each kind in delivery order; empty when the cache is.
    std::vector<Entry> entries();
    /// The cached catalogue as ow_core reads it, or nothing when the cache is empty.
    std::optional<core::Catalogue> load();
    /// The version of the cached catalogue ("" when empty).
    std::string version();

    /// A paged download stages its entries here (type "item" or "bundle", body JSON text), in
    /// order; a different version clears what was staged before.
    void stage(const std::string& version, const std::vector<std::pair<std::string, std::string>>& entries);
    std::string staged_version();
    /// The staged entries in staging order.
    std::vector<Entry> staged_entries();
    /// Checks every staged entry (ow_core's parser, then `check` when given; the core::Error they
    /// throw propagates and nothing changes) and replaces the cache with them at the staged
    /// version, in one transaction; the staging is emptied.
    void promote_staged(const Check& check = {});
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
    /// The terminal's TLS client certificate (PEM, issued by the platform at enrolment or
    /// renewal) and its private key (PEM, made on this terminal; it never leaves the store).
    /// Both empty: no client certificate (plain HTTP on loopback, or a platform without mTLS).
    std::string client_cert_pem;
    std::string client_key_pem;
};

/// Typed settings; the defaults live here and nowhere else.
class Settings {
public:
    /// The idle lock time when none is stored (the registry's lock.idle_minutes default).
    static constexpr std::chrono::seconds kDefaultIdleLock{600};

    explicit Settings(Db& db) : db_(db) {}
    std::chrono::seconds idle_lock() const;  // default kDefaultIdleLock
    void set_idle_lock(std::chrono::seconds s);
    TerminalIdentity terminal() const;       // default DEMO01 / T1
    void set_terminal(const TerminalIdentity& t);
    /// The window's name shown in the desk's header ("3号窗口"); empty (the default): none, the
    /// desk shows the terminal id. set_window_label: core::InvalidData above 100 bytes (the
    /// desk's own, stricter rule is in client/app/settings/desk_settings.h).
    std::string window_label() const;
    void set_window_label(const std::string& label);
    std::optional<PlatformConfig> platform() const;  // nothing until a platform is connected
    void set_platform(const PlatformConfig& p);

    /// A registry setting (ow/store/settings_registry.h, e.g. "print.paper") kept in the store or
    /// the platform connection, as its canonical text: the stored value, or the registry's default.
    /// SettingRefused for an unknown key and for ui.* (desk.json: load_prefs reads those).
    std::string value(std::string_view key) const;

private:
    friend class SettingValues;  // the registry reads and writes the rows by key
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
    /// Whether the case has a bad rating whose follow-up is still open.
    bool follow_up_open(const std::string& case_id);
    /// Marks a bad rating's follow-up as done (state "done").
    void close_follow_up(const std::string& case_id);
    /// The same, recording what was done (`note`, required), by whom and when; audited
    /// ("case.follow_up_closed") in the same transaction. InvalidData when no follow-up is open.
    void close_follow_up(const std::string& case_id, const std::string& note, const core::Actor& actor, core::Instant at);

private:
    Db& db_;
};

}  // namespace ow::store
