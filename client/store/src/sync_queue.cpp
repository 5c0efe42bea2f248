#include "ow/store/sync_queue.h"

#include "ow/store/audit.h"
#include "ow/store/errors.h"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <limits>

#include <cstring>

namespace ow::store {
namespace {

constexpr char kZeroState[] = "0000000000000000000000000000000000000000000000000000000000000000";

std::string to_hex(const unsigned char* p, std::size_t n) {
    std::string out(n * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), p, n);
    out.pop_back();
    return out;
}

void xor_digest(unsigned char* acc, const std::string& case_id) {
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, reinterpret_cast<const unsigned char*>(case_id.data()), case_id.size());
    for (std::size_t i = 0; i < sizeof d; ++i) acc[i] ^= d[i];
}

void meta_put(Db& db, const std::string& key, const std::string& value) {
    db.cached("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(1, key)
        .bind(2, value)
        .run();
}

std::optional<std::string> meta_get(Db& db, const std::string& key) {
    auto& q = db.cached("SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    std::optional<std::string> v;
    if (q.step()) v = q.text(0);
    q.reset();
    return v;
}

std::int64_t meta_int(Db& db, const std::string& key) {
    auto v = meta_get(db, key);
    return v ? std::stoll(*v) : 0;
}

}  // namespace

// ---- Outbox ----------------------------------------------------------------------------------

std::vector<OutboxEntry> Outbox::next_batch(int max_items, std::size_t max_bytes, std::int64_t after_seq) {
    std::vector<OutboxEntry> out;
    if (max_items <= 0) return out;
    // Without any quarantined row (the usual case) nothing is held: the plain range scan is enough.
    auto& any = db_.cached("SELECT EXISTS (SELECT 1 FROM outbox WHERE state = 'quarantined')");
    any.step();
    bool held_possible = any.int64(0) != 0;
    any.reset();
    auto& q = held_possible
                  ? db_.cached("SELECT o.seq, o.mutation_id, o.case_id, o.kind, o.payload, o.created_at, o.attempts FROM outbox o "
                               "WHERE o.state = 'pending' AND o.seq > ? AND NOT EXISTS (SELECT 1 FROM outbox q WHERE q.case_id = o.case_id "
                               "AND q.state = 'quarantined' AND q.seq < o.seq) ORDER BY o.seq LIMIT ?")
                  : db_.cached("SELECT seq, mutation_id, case_id, kind, payload, created_at, attempts FROM outbox "
                               "WHERE state = 'pending' AND seq > ? ORDER BY seq LIMIT ?");
    q.bind(1, after_seq).bind(2, max_items);
    std::size_t bytes = 0;
    while (q.step()) {
        OutboxEntry e{q.int64(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), int(q.int64(6))};
        bytes += e.payload.size();
        out.push_back(std::move(e));
        if (bytes >= max_bytes) break;
    }
    q.reset();
    return out;
}

std::int64_t Outbox::pending_after(std::int64_t after_seq, std::int64_t at_most) {
    auto& q = db_.cached("SELECT count(*) FROM (SELECT 1 FROM outbox WHERE state = 'pending' AND seq > ? LIMIT ?)");
    q.bind(1, after_seq).bind(2, std::max<std::int64_t>(0, at_most));
    q.step();
    const std::int64_t n = q.int64(0);
    q.reset();
    return n;
}

void Outbox::settle(const std::vector<std::string>& mutation_ids) {
    if (mutation_ids.empty()) return;
    Transaction tx(db_);
    std::int64_t n = 0;
    auto& del = db_.cached("DELETE FROM outbox WHERE mutation_id = ?");
    for (const auto& id : mutation_ids) {
        del.bind(1, id).run();
        n += db_.changes();
        del.reset();
    }
    meta_put(db_, "sync.settled", std::to_string(meta_int(db_, "sync.settled") + n));
    tx.commit();
}

void Outbox::quarantine(const OutboxEntry& e, const std::string& code, const std::string& message,
                        const std::string& detail_json, core::Instant at) {
    Transaction tx(db_);
    db_.cached("UPDATE outbox SET state = 'quarantined', reason_code = ?, last_error = ? WHERE mutation_id = ? AND state = 'pending'")
        .bind(1, code)
        .bind(2, message)
        .bind(3, e.mutation_id)
        .run();
    // A refusal because the platform's case moved on is a conflict for the clerk; others are quarantine.
    bool conflict = code.rfind("conflict.", 0) == 0;
    if (db_.changes() == 1)
        SyncIssues(db_).add(conflict ? "conflict" : "quarantine", e.case_id, e.mutation_id, code, message, detail_json, at);
    tx.commit();
}

void Outbox::record_attempt(const std::vector<std::string>& mutation_ids, const std::string& error) {
    if (mutation_ids.empty()) return;
    Transaction tx(db_);
    auto& up = db_.cached("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE mutation_id = ?");
    for (const auto& id : mutation_ids) {
        up.bind(1, error).bind(2, id).run();
        up.reset();
    }
    tx.commit();
}

bool Outbox::release(const std::string& mutation_id) {
    Transaction tx(db_);
    db_.cached("UPDATE outbox SET state = 'pending', reason_code = NULL, attempts = 0 WHERE mutation_id = ? AND state = 'quarantined'")
        .bind(1, mutation_id)
        .run();
    bool changed = db_.changes() == 1;
    if (changed) meta_put(db_, "sync.release_generation", std::to_string(meta_int(db_, "sync.release_generation") + 1));
    tx.commit();
    return changed;
}

bool Outbox::resend(const std::string& mutation_id, const std::string& by, core::Instant at) {
    Transaction tx(db_);
    if (!release(mutation_id)) return false;
    db_.cached("UPDATE sync_issues SET resolved_at = ?, resolution = ? WHERE mutation_id = ? AND resolved_at IS NULL")
        .bind(1, core::format_instant(at)).bind(2, "sent again by " + by).bind(3, mutation_id)
        .run();
    core::Actor actor;
    actor.user_id = by;
    AuditLog(db_).append(actor, at, "sync.retry", "", nlohmann::json{{"mutation_id", mutation_id}}.dump());
    tx.commit();
    return true;
}

std::int64_t Outbox::release_generation() { return meta_int(db_, "sync.release_generation"); }

bool Outbox::has_unsettled_creates() {
    return db_.query_int(
               "SELECT EXISTS (SELECT 1 FROM outbox WHERE kind IN ('create', 'snapshot') AND state = 'pending' AND attempts > 0)") != 0;
}

OutboxCounts Outbox::totals() {
    OutboxCounts c;
    c.pending = db_.query_int("SELECT count(*) FROM outbox WHERE state = 'pending'");
    c.quarantined = db_.query_int("SELECT count(*) FROM outbox WHERE state = 'quarantined'");
    return c;
}

OutboxCounts Outbox::counts() {
    OutboxCounts c;
    c.pending = db_.query_int("SELECT count(*) FROM outbox WHERE state = 'pending'");
    c.quarantined = db_.query_int("SELECT count(*) FROM outbox WHERE state = 'quarantined'");
    if (c.quarantined > 0)
        // From the (few) quarantined rows to the pending rows after them, through outbox_quarantined
        // and outbox_case: not a probe per pending row (a million after months offline).
        // (CROSS JOIN: SQLite keeps the quarantined side outside, where the few rows are.)
        c.held = db_.query_int(
            "SELECT count(*) FROM (SELECT case_id, min(seq) AS first FROM outbox WHERE state = 'quarantined' "
            "GROUP BY case_id) q CROSS JOIN outbox o WHERE o.case_id = q.case_id AND o.seq > q.first AND o.state = 'pending'");
    c.settled = meta_int(db_, "sync.settled");
    c.pending_cases = db_.query_int("SELECT count(DISTINCT case_id) FROM outbox WHERE state = 'pending'");
    return c;
}

bool Outbox::is_quarantined(const std::string& mutation_id) {
    auto& q = db_.cached("SELECT state FROM outbox WHERE mutation_id = ?");
    q.bind(1, mutation_id);
    bool quarantined = q.step() && q.text(0) == "quarantined";
    q.reset();
    return quarantined;
}

std::optional<std::int64_t> Outbox::first_queued_event_seq(const std::string& case_id) {
    auto& q = db_.cached(
        "SELECT min(json_extract(payload, '$.event.seq')) FROM outbox WHERE case_id = ? AND json_extract(payload, '$.event.seq') IS NOT NULL");
    q.bind(1, case_id);
    std::optional<std::int64_t> seq;
    if (q.step() && !q.is_null(0)) seq = q.int64(0);
    q.reset();
    return seq;
}

// ---- Uploads ---------------------------------------------------------------------------------

std::vector<PendingBlob> UploadQueue::pending(int limit) {
    std::vector<PendingBlob> out;
    auto& q = db_.cached(
        "SELECT b.sha256, b.size, b.media_type, COALESCE(u.upload_id, ''), COALESCE(u.acked_offset, 0) FROM blobs b "
        "LEFT JOIN sync_uploads u ON u.sha256 = b.sha256 WHERE b.uploaded = 0 ORDER BY b.created_at, b.sha256 LIMIT ?");
    q.bind(1, limit);
    while (q.step()) out.push_back({q.text(0), q.int64(1), q.text(2), q.text(3), q.int64(4)});
    q.reset();
    return out;
}

void UploadQueue::save_progress(const std::string& sha256, const std::string& upload_id, std::int64_t acked_offset,
                                std::int64_t size) {
    Transaction tx(db_);
    db_.cached("INSERT INTO sync_uploads(sha256, upload_id, acked_offset, size, updated_at) VALUES (?, ?, ?, ?, ?) "
               "ON CONFLICT(sha256) DO UPDATE SET upload_id = excluded.upload_id, acked_offset = excluded.acked_offset, "
               "size = excluded.size, updated_at = excluded.updated_at")
        .bind(1, sha256).bind(2, upload_id).bind(3, acked_offset).bind(4, size)
        .bind(5, core::format_instant(core::now()))
        .run();
    tx.commit();
}

void UploadQueue::reset(const std::string& sha256) {
    Transaction tx(db_);
    db_.cached("DELETE FROM sync_uploads WHERE sha256 = ?").bind(1, sha256).run();
    tx.commit();
}

void UploadQueue::mark_uploaded(const std::string& sha256) {
    Transaction tx(db_);
    db_.cached("UPDATE blobs SET uploaded = 1 WHERE sha256 = ?").bind(1, sha256).run();
    db_.cached("DELETE FROM sync_uploads WHERE sha256 = ?").bind(1, sha256).run();
    tx.commit();
}

std::int64_t UploadQueue::pending_count() { return db_.query_int("SELECT count(*) FROM blobs WHERE uploaded = 0"); }

std::int64_t UploadQueue::pending_bytes() {
    return db_.query_int(
        "SELECT COALESCE(sum(b.size - COALESCE(u.acked_offset, 0)), 0) FROM blobs b "
        "LEFT JOIN sync_uploads u ON u.sha256 = b.sha256 WHERE b.uploaded = 0");
}

// ---- Ledger ----------------------------------------------------------------------------------

void SyncLedger::add_to_state(const unsigned char* xor_acc, std::int64_t delta) {
    unsigned char acc[crypto_hash_sha256_BYTES] = {};
    auto hex = meta_get(db_, "sync.state_xor").value_or(kZeroState);
    std::size_t len = 0;
    if (sodium_hex2bin(acc, sizeof acc, hex.data(), hex.size(), nullptr, &len, nullptr) != 0 || len != sizeof acc)
        throw CorruptStore("the sync state checksum in meta is damaged");
    for (std::size_t i = 0; i < sizeof acc; ++i) acc[i] ^= xor_acc[i];
    meta_put(db_, "sync.state_xor", to_hex(acc, sizeof acc));
    meta_put(db_, "sync.state_count", std::to_string(meta_int(db_, "sync.state_count") + delta));
}

void SyncLedger::xor_into_state(const std::string& case_id, int delta) {
    unsigned char d[crypto_hash_sha256_BYTES] = {};
    xor_digest(d, case_id);
    add_to_state(d, delta);
}

std::int64_t SyncLedger::acknowledge_cases(const std::vector<std::pair<std::string, std::string>>& cases, core::Instant at) {
    if (cases.empty()) return 0;
    Transaction tx(db_);
    unsigned char acc[crypto_hash_sha256_BYTES] = {};
    std::int64_t added = 0;
    const std::string when = core::format_instant(at);
    auto& ins = db_.cached("INSERT OR IGNORE INTO sync_cases(case_id, case_no, acked_at) VALUES (?, ?, ?)");
    for (const auto& [case_id, case_no] : cases) {
        ins.bind(1, case_id).bind(2, case_no).bind(3, when).run();
        ins.reset();
        if (db_.changes() == 1) {
            xor_digest(acc, case_id);
            ++added;
        } else if (!case_no.empty()) {
            db_.cached("UPDATE sync_cases SET case_no = ? WHERE case_id = ? AND case_no = ''").bind(1, case_no).bind(2, case_id).run();
        }
    }
    if (added > 0) add_to_state(acc, added);
    tx.commit();
    return added;
}

std::int64_t SyncLedger::forget_cases(const std::vector<std::string>& case_ids) {
    if (case_ids.empty()) return 0;
    Transaction tx(db_);
    unsigned char acc[crypto_hash_sha256_BYTES] = {};
    std::int64_t removed = 0;
    auto& del = db_.cached("DELETE FROM sync_cases WHERE case_id = ?");
    for (const auto& id : case_ids) {
        del.bind(1, id).run();
        del.reset();
        if (db_.changes() == 1) {
            xor_digest(acc, id);
            ++removed;
        }
    }
    if (removed > 0) add_to_state(acc, -removed);
    tx.commit();
    return removed;
}

void SyncLedger::acknowledge_case(const std::string& case_id, const std::string& case_no, core::Instant at) {
    Transaction tx(db_);
    db_.cached("INSERT OR IGNORE INTO sync_cases(case_id, case_no, acked_at) VALUES (?, ?, ?)")
        .bind(1, case_id).bind(2, case_no).bind(3, core::format_instant(at))
        .run();
    if (db_.changes() == 1) {
        xor_into_state(case_id, +1);
    } else if (!case_no.empty()) {
        db_.cached("UPDATE sync_cases SET case_no = ? WHERE case_id = ? AND case_no = ''").bind(1, case_no).bind(2, case_id).run();
    }
    tx.commit();
}

void SyncLedger::forget_case(const std::string& case_id) {
    Transaction tx(db_);
    db_.cached("DELETE FROM sync_cases WHERE case_id = ?").bind(1, case_id).run();
    if (db_.changes() == 1) xor_into_state(case_id, -1);
    tx.commit();
}

bool SyncLedger::holds(const std::string& case_id) {
    auto& q = db_.cached("SELECT 1 FROM sync_cases WHERE case_id = ?");
    q.bind(1, case_id);
    bool found = q.step();
    q.reset();
    return found;
}

std::vector<std::string> SyncLedger::held_cases() {
    std::vector<std::string> out;
    Stmt q(db_, "SELECT case_id FROM sync_cases ORDER BY case_id");
    while (q.step()) out.push_back(q.text(0));
    return out;
}

std::int64_t SyncLedger::settled_client_seq(const std::string& case_id) {
    const std::int64_t limit = Outbox(db_).first_queued_event_seq(case_id).value_or(std::numeric_limits<std::int64_t>::max());
    auto& q = db_.cached("SELECT COALESCE(max(seq), 0) FROM case_history WHERE case_id = ? AND role <> 'platform' AND action <> 'rate' "
                         "AND seq < ?");
    q.bind(1, case_id).bind(2, limit);
    q.step();
    auto v = q.int64(0);
    q.reset();
    return v;
}

std::unordered_map<std::string, std::int64_t> SyncLedger::settled_client_seqs() {
    // As settled_client_seq, for every case at once: the first event of each case still queued
    // (one pass over the outbox), then each case's own events below it (one pass over the history
    // in its key order).
    std::unordered_map<std::string, std::int64_t> first_queued;
    {
        Stmt q(db_, "SELECT case_id, min(json_extract(payload, '$.event.seq')) FROM outbox "
                    "WHERE json_extract(payload, '$.event.seq') IS NOT NULL GROUP BY case_id");
        while (q.step()) first_queued.emplace(q.text(0), q.int64(1));
    }
    std::unordered_map<std::string, std::int64_t> out;
    {
        Stmt q(db_, "SELECT id FROM cases");
        while (q.step()) out.emplace(q.text(0), 0);
    }
    Stmt q(db_, "SELECT case_id, seq FROM case_history WHERE role <> 'platform' AND action <> 'rate'");
    std::string last_id;
    std::int64_t limit = std::numeric_limits<std::int64_t>::max();
    std::int64_t* slot = nullptr;
    while (q.step()) {
        auto id = q.text(0);
        if (id != last_id) {
            last_id = id;
            auto it = first_queued.find(id);
            limit = it == first_queued.end() ? std::numeric_limits<std::int64_t>::max() : it->second;
            auto o = out.find(id);
            slot = o == out.end() ? nullptr : &o->second;
        }
        const std::int64_t seq = q.int64(1);
        if (slot && seq < limit && seq > *slot) *slot = seq;
    }
    return out;
}

std::string SyncLedger::state() {
    return std::to_string(meta_int(db_, "sync.state_count")) + ":" + meta_get(db_, "sync.state_xor").value_or(kZeroState);
}

std::string SyncLedger::state_of(const std::vector<std::string>& case_ids) {
    unsigned char acc[crypto_hash_sha256_BYTES] = {};
    for (const auto& id : case_ids) xor_digest(acc, id);
    return std::to_string(case_ids.size()) + ":" + to_hex(acc, sizeof acc);
}

std::optional<std::string> SyncLedger::cursor(const std::string& name) {
    auto& q = db_.cached("SELECT cursor FROM sync_cursors WHERE name = ?");
    q.bind(1, name);
    std::optional<std::string> v;
    if (q.step()) v = q.text(0);
    q.reset();
    return v;
}

void SyncLedger::set_cursor(const std::string& name, const std::string& value, core::Instant at) {
    Transaction tx(db_);
    db_.cached("INSERT INTO sync_cursors(name, cursor, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
               "cursor = excluded.cursor, updated_at = excluded.updated_at")
        .bind(1, name).bind(2, value).bind(3, core::format_instant(at))
        .run();
    tx.commit();
}

void SyncLedger::clear_cursor(const std::string& name) {
    Transaction tx(db_);
    db_.cached("DELETE FROM sync_cursors WHERE name = ?").bind(1, name).run();
    tx.commit();
}

std::optional<std::string> SyncLedger::status(const std::string& key) { return meta_get(db_, "sync." + key); }

void SyncLedger::set_status(const std::string& key, const std::string& value) {
    Transaction tx(db_);
    meta_put(db_, "sync." + key, value);
    tx.commit();
}

// ---- Issues ----------------------------------------------------------------------------------

std::int64_t SyncIssues::add(const std::string& kind, const std::string& case_id, const std::string& mutation_id,
                             const std::string& code, const std::string& message, const std::string& detail_json,
                             core::Instant at) {
    Transaction tx(db_);
    db_.cached("INSERT INTO sync_issues(kind, case_id, mutation_id, code, message, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(1, kind).bind(2, case_id).bind(3, mutation_id).bind(4, code).bind(5, message)
        .bind(6, detail_json.empty() ? "{}" : detail_json).bind(7, core::format_instant(at))
        .run();
    auto id = db_.last_insert_rowid();
    tx.commit();
    return id;
}

std::int64_t SyncIssues::add_once(const std::string& kind, const std::string& case_id, const std::string& mutation_id,
                                  const std::string& code, const std::string& message, const std::string& detail_json,
                                  core::Instant at) {
    const std::string detail = detail_json.empty() ? "{}" : detail_json;
    auto& q = db_.cached("SELECT id FROM sync_issues WHERE resolved_at IS NULL AND kind = ? AND case_id = ? AND mutation_id = ? "
                         "AND code = ? AND detail = ? LIMIT 1");
    q.bind(1, kind).bind(2, case_id).bind(3, mutation_id).bind(4, code).bind(5, detail);
    std::int64_t id = q.step() ? q.int64(0) : 0;
    q.reset();
    return id ? id : add(kind, case_id, mutation_id, code, message, detail, at);
}

std::vector<SyncIssue> SyncIssues::open(const std::string& kind, int limit) {
    std::vector<SyncIssue> out;
    Stmt q(db_, "SELECT id, kind, case_id, mutation_id, code, message, detail, created_at FROM sync_issues "
                "WHERE resolved_at IS NULL AND (? = '' OR kind = ?) ORDER BY id LIMIT ?");
    q.bind(1, kind).bind(2, kind).bind(3, limit);
    while (q.step())
        out.push_back({q.int64(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6), q.text(7), "", ""});
    return out;
}

std::int64_t SyncIssues::open_count(const std::string& kind) {
    Stmt q(db_, "SELECT count(*) FROM sync_issues WHERE resolved_at IS NULL AND (? = '' OR kind = ?)");
    q.bind(1, kind).bind(2, kind);
    q.step();
    return q.int64(0);
}

bool SyncIssues::resolve(std::int64_t id, const std::string& resolution, core::Instant at) {
    Transaction tx(db_);
    Stmt(db_, "UPDATE sync_issues SET resolved_at = ?, resolution = ? WHERE id = ? AND resolved_at IS NULL")
        .bind(1, core::format_instant(at))
        .bind(2, resolution)
        .bind(3, id)
        .run();
    bool changed = db_.changes() == 1;
    tx.commit();
    return changed;
}

bool SyncIssues::resolve(std::int64_t id, const std::string& note, const std::string& by, core::Instant at) {
    Transaction tx(db_);
    std::string kind, code, case_id;
    {
        Stmt q(db_, "SELECT kind, code, case_id FROM sync_issues WHERE id = ? AND resolved_at IS NULL");
        q.bind(1, id);
        if (!q.step()) return false;
        kind = q.text(0);
        code = q.text(1);
        case_id = q.is_null(2) ? "" : q.text(2);
    }
    if (!resolve(id, note + " (" + by + ")", at)) return false;
    core::Actor actor;
    actor.user_id = by;
    AuditLog(db_).append(actor, at, "sync.resolve", case_id,
                         nlohmann::json{{"issue", id}, {"kind", kind}, {"code", code}, {"note", note}}.dump());
    tx.commit();
    return true;
}

std::optional<CaseNumbers> case_numbers(Db& db, const std::string& case_id) {
    auto& q = db.cached("SELECT COALESCE(receipt_no, ''), COALESCE(platform_case_no, ''), item_code FROM cases WHERE id = ?");
    q.bind(1, case_id);
    std::optional<CaseNumbers> n;
    if (q.step()) n = CaseNumbers{q.text(0), q.text(1), q.text(2)};
    q.reset();
    return n;
}

void record_platform_result(Db& db, const PlatformResult& r) {
    Transaction tx(db);
    db.cached("INSERT INTO platform_results(case_id, name, number, ready_at) VALUES (?, ?, ?, ?) ON CONFLICT(case_id) "
              "DO UPDATE SET name = excluded.name, number = excluded.number, ready_at = excluded.ready_at")
        .bind(1, r.case_id).bind(2, r.name).bind(3, r.number).bind(4, r.ready_at)
        .run();
    tx.commit();
}

std::optional<PlatformResult> platform_result(Db& db, const std::string& case_id) {
    Stmt q(db, "SELECT case_id, name, number, ready_at FROM platform_results WHERE case_id = ?");
    q.bind(1, case_id);
    if (!q.step()) return std::nullopt;
    return PlatformResult{q.text(0), q.text(1), q.text(2), q.text(3)};
}

}  // namespace ow::store
