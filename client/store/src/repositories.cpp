#include "ow/store/repositories.h"

#include "ow/store/audit.h"

#include "ow/core/date.h"
#include "ow/core/json_reader.h"
#include "ow/store/errors.h"

#include <nlohmann/json.hpp>

namespace ow::store {

using nlohmann::json;

namespace {

/// Parses every entry with ow_core (items first, so bundles can check the items they name).
core::Catalogue parse_entries(const std::vector<CatalogCache::Entry>& entries, const std::string& source) {
    core::Catalogue cat;
    for (const char* pass : {"item", "bundle"})
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const auto& [type, body] = entries[i];
            std::string where = source + " entry " + std::to_string(i + 1);
            if (type != "item" && type != "bundle") throw core::InvalidData(where + ": type must be item or bundle");
            if (type != pass) continue;
            json j = core::parse_json_text(body, where);
            if (type == "item") cat.add_item(core::parse_item(j, where));
            else cat.add_bundle(core::parse_bundle(j, where));
        }
    return cat;
}

}  // namespace

void CatalogCache::replace(const std::vector<Entry>& entries, const std::string& version) {
    if (version.empty()) throw core::InvalidData("a catalogue version is required");
    core::Catalogue cat = parse_entries(entries, "catalogue " + version);
    // The code of each entry, as ow_core read it (the cache's key).
    std::vector<std::string> codes;
    for (const auto& [type, body] : entries) codes.push_back(json::parse(body).at("code").get<std::string>());
    Transaction tx(db_);
    db_.exec("DELETE FROM catalog_cache");
    auto& ins = db_.cached("INSERT INTO catalog_cache(code, type, version, body, updated_at) VALUES (?, ?, ?, ?, ?)");
    std::string now = core::format_instant(core::now());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        ins.bind(1, codes[i]).bind(2, entries[i].first).bind(3, version).bind(4, entries[i].second).bind(5, now).run();
        ins.reset();
    }
    tx.commit();
}

std::vector<CatalogCache::Entry> CatalogCache::entries() {
    std::vector<Entry> out;
    // rowid is the insertion (delivery) order: replace() deletes everything and inserts in order.
    Stmt q(db_, "SELECT type, body FROM catalog_cache ORDER BY type = 'bundle', rowid");
    while (q.step()) out.emplace_back(q.text(0), q.text(1));
    return out;
}

std::optional<core::Catalogue> CatalogCache::load() {
    auto all = entries();
    if (all.empty()) return std::nullopt;
    try {
        return parse_entries(all, "catalogue cache");
    } catch (const core::Error& e) {
        throw CorruptStore(std::string("the catalogue cache cannot be read: ") + e.what());
    }
}

std::string CatalogCache::version() {
    return db_.query_text("SELECT version FROM catalog_cache LIMIT 1").value_or("");
}

void CatalogCache::stage(const std::string& version, const std::vector<std::pair<std::string, std::string>>& entries) {
    if (version.empty()) throw core::InvalidData("a catalogue version is required");
    Transaction tx(db_);
    if (staged_version() != version) db_.exec("DELETE FROM catalog_staging");
    auto& ins = db_.cached("INSERT INTO catalog_staging(version, type, body) VALUES (?, ?, ?)");
    for (const auto& [type, body] : entries) {
        if (type != "item" && type != "bundle") throw core::InvalidData("catalogue entry type must be item or bundle");
        ins.bind(1, version).bind(2, type).bind(3, body).run();
        ins.reset();
    }
    tx.commit();
}

std::string CatalogCache::staged_version() {
    return db_.query_text("SELECT version FROM catalog_staging LIMIT 1").value_or("");
}

std::vector<CatalogCache::Entry> CatalogCache::staged_entries() {
    std::vector<Entry> out;
    Stmt q(db_, "SELECT type, body FROM catalog_staging ORDER BY seq");
    while (q.step()) out.emplace_back(q.text(0), q.text(1));
    return out;
}

void CatalogCache::promote_staged(const Check& check) {
    std::string version = staged_version();
    if (version.empty()) throw core::InvalidData("no catalogue download is staged");
    auto staged = staged_entries();
    if (check) check(staged);  // replace() parses them with ow_core
    Transaction tx(db_);
    replace(staged, version);
    db_.exec("DELETE FROM catalog_staging");
    tx.commit();
}

void CatalogCache::clear_staging() {
    Transaction tx(db_);
    db_.exec("DELETE FROM catalog_staging");
    tx.commit();
}

std::optional<std::string> Settings::get(const std::string& key) const {
    Stmt q(db_, "SELECT value FROM settings WHERE key = ?");
    q.bind(1, key);
    if (!q.step()) return std::nullopt;
    return q.text(0);
}

void Settings::put(const std::string& key, const std::string& json_value) {
    Transaction tx(db_);
    Stmt(db_, "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(1, key)
        .bind(2, json_value)
        .run();
    tx.commit();
}

std::chrono::seconds Settings::idle_lock() const {
    if (auto v = get("idle_lock_seconds")) {
        json j = json::parse(*v, nullptr, false);
        if (j.is_number_integer() && j.get<long long>() >= 30 && j.get<long long>() <= 86400)
            return std::chrono::seconds(j.get<long long>());
    }
    return kDefaultIdleLock;
}

void Settings::set_idle_lock(std::chrono::seconds s) {
    if (s.count() < 30 || s.count() > 86400) throw core::InvalidData("the idle lock must be between 30 s and 24 h");
    put("idle_lock_seconds", std::to_string(s.count()));
}

TerminalIdentity Settings::terminal() const {
    TerminalIdentity t;
    if (auto v = get("terminal")) {
        json j = json::parse(*v, nullptr, false);
        if (j.is_object()) {
            t.centre = j.value("centre", t.centre);
            t.terminal = j.value("terminal", t.terminal);
        }
    }
    return t;
}

void Settings::set_terminal(const TerminalIdentity& t) {
    core::InMemorySequence probe;
    core::ReceiptNumberIssuer check(t.centre, t.terminal, probe);  // validates both codes
    put("terminal", json{{"centre", t.centre}, {"terminal", t.terminal}}.dump());
}

std::string Settings::window_label() const {
    if (auto v = get("window_label")) {
        json j = json::parse(*v, nullptr, false);
        if (j.is_string()) return j.get<std::string>();
    }
    return {};
}

void Settings::set_window_label(const std::string& label) {
    if (label.size() > 100) throw core::InvalidData("a window label has at most 100 bytes");
    put("window_label", json(label).dump());
}

std::optional<PlatformConfig> Settings::platform() const {
    auto v = get("platform");
    if (!v) return std::nullopt;
    json j = json::parse(*v, nullptr, false);
    if (!j.is_object()) throw CorruptStore("the platform setting is damaged");
    PlatformConfig p;
    p.url = j.value("url", "");
    p.terminal_id = j.value("terminal_id", "");
    p.secret = j.value("secret", "");
    p.algorithm = j.value("algorithm", p.algorithm);
    p.centre = j.value("centre", "");
    p.terminal_code = j.value("terminal_code", "");
    p.platform_name = j.value("platform_name", "");
    p.ca_pem = j.value("ca_pem", "");
    p.pin = j.value("pin", "");
    p.proxy = j.value("proxy", "");
    p.profile = j.value("profile", p.profile);
    p.client_cert_pem = j.value("client_cert_pem", "");
    p.client_key_pem = j.value("client_key_pem", "");
    if (p.url.empty()) return std::nullopt;
    return p;
}

void Settings::set_platform(const PlatformConfig& p) {
    if (p.url.empty() || p.terminal_id.empty() || p.secret.empty())
        throw core::InvalidData("a platform needs a URL, a terminal id and a secret");
    put("platform", json{{"url", p.url}, {"terminal_id", p.terminal_id}, {"secret", p.secret}, {"algorithm", p.algorithm},
                         {"centre", p.centre}, {"terminal_code", p.terminal_code}, {"platform_name", p.platform_name},
                         {"ca_pem", p.ca_pem}, {"pin", p.pin}, {"proxy", p.proxy}, {"profile", p.profile},
                         {"client_cert_pem", p.client_cert_pem}, {"client_key_pem", p.client_key_pem}}
                        .dump());
}

void PlatformCalendars::put(const std::string& revision, const std::string& body_json) {
    auto year = core::CalendarYear::parse(body_json, "platform calendar");
    Transaction tx(db_);
    Stmt(db_, "INSERT INTO calendar_years(year, revision, body, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(year) DO UPDATE "
              "SET revision = excluded.revision, body = excluded.body, updated_at = excluded.updated_at")
        .bind(1, year.year).bind(2, revision).bind(3, body_json).bind(4, core::format_instant(core::now()))
        .run();
    tx.commit();
}

std::vector<std::pair<int, std::string>> PlatformCalendars::years() {
    std::vector<std::pair<int, std::string>> out;
    Stmt q(db_, "SELECT year, revision FROM calendar_years ORDER BY year");
    while (q.step()) out.emplace_back(int(q.int64(0)), q.text(1));
    return out;
}

core::WorkCalendar PlatformCalendars::calendar() {
    core::WorkCalendar cal = core::WorkCalendar::load_shipped();
    Stmt q(db_, "SELECT year, body FROM calendar_years ORDER BY year");
    while (q.step()) {
        try {
            cal.add_year(core::CalendarYear::parse(q.text(1), "platform calendar " + std::to_string(q.int64(0))));
        } catch (const core::Error& e) {
            throw CorruptStore(std::string("a stored platform calendar is damaged: ") + e.what());
        }
    }
    return cal;
}

std::vector<RatingRow> Ratings::open_follow_ups(int limit) {
    std::vector<RatingRow> out;
    Stmt q(db_, "SELECT case_id, level, channel, reason, comment, at, follow_up_state FROM ratings "
                "WHERE level >= 4 AND follow_up_state = 'open' ORDER BY at LIMIT ?");
    q.bind(1, limit);
    while (q.step()) out.push_back({q.text(0), int(q.int64(1)), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6)});
    return out;
}

bool Ratings::follow_up_open(const std::string& case_id) {
    Stmt q(db_, "SELECT 1 FROM ratings WHERE case_id = ? AND follow_up_state = 'open'");
    q.bind(1, case_id);
    return q.step();
}

void Ratings::close_follow_up(const std::string& case_id) {
    Transaction tx(db_);
    Stmt(db_, "UPDATE ratings SET follow_up_state = 'done' WHERE case_id = ? AND follow_up_state = 'open'").bind(1, case_id).run();
    if (db_.changes() != 1) throw core::InvalidData("no open follow-up for case " + case_id);
    tx.commit();
}

void Ratings::close_follow_up(const std::string& case_id, const std::string& note, const core::Actor& actor, core::Instant at) {
    if (note.empty() || note.size() > 4000) throw core::InvalidData("closing a follow-up needs a note of what was done (at most 4000 bytes)");
    Transaction tx(db_);
    Stmt(db_, "UPDATE ratings SET follow_up_state = 'done', follow_up_note = ?, follow_up_closed_at = ? "
              "WHERE case_id = ? AND follow_up_state = 'open'")
        .bind(1, note).bind(2, core::format_instant(at)).bind(3, case_id)
        .run();
    if (db_.changes() != 1) throw core::InvalidData("no open follow-up for case " + case_id);
    AuditLog(db_).append(actor, at, "case.follow_up_closed", case_id, nlohmann::json({{"note", note}}).dump());
    tx.commit();
}

}  // namespace ow::store
