#include "platform_db.h"

#include "applications.h"
#include "appointments.h"
#include "demo_data.h"
#include "trust.h"
#include "util.h"

#include "ow/store/db_errors.h"

#include <filesystem>

namespace ow::sim {

namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE terminals(
  id TEXT PRIMARY KEY, name TEXT NOT NULL, secret TEXT NOT NULL, algorithm TEXT NOT NULL,
  centre TEXT NOT NULL, terminal_code TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'active',
  created_ms INTEGER NOT NULL, revoked_ms INTEGER,
  state_count INTEGER NOT NULL DEFAULT 0, state_xor TEXT NOT NULL);
CREATE UNIQUE INDEX terminals_code ON terminals(centre, terminal_code);
CREATE TABLE enrol_codes(code TEXT PRIMARY KEY, centre TEXT NOT NULL, algorithm TEXT NOT NULL, created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL, used_ms INTEGER, terminal TEXT);
CREATE TABLE nonces(terminal TEXT NOT NULL, nonce TEXT NOT NULL, seen_s INTEGER NOT NULL,
  PRIMARY KEY(terminal, nonce)) WITHOUT ROWID;
CREATE INDEX nonces_seen ON nonces(seen_s);
CREATE TABLE idempotency(id INTEGER PRIMARY KEY, scope TEXT NOT NULL, key TEXT NOT NULL,
  request_sha256 TEXT NOT NULL, status INTEGER NOT NULL, content_type TEXT NOT NULL, body BLOB NOT NULL,
  created_s INTEGER NOT NULL);
CREATE UNIQUE INDEX idempotency_key ON idempotency(scope, key);
CREATE INDEX idempotency_age ON idempotency(created_s);
-- Case records. Not unique by case_id on purpose: the code decides, and `stats` shows rows and
-- distinct ids, so a doubled create would be visible instead of hidden by a constraint.
CREATE TABLE cases(id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, terminal TEXT NOT NULL,
  case_no TEXT NOT NULL, state TEXT NOT NULL, case_kind TEXT NOT NULL, item_code TEXT NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0, record TEXT NOT NULL, created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL, bo_stage INTEGER NOT NULL DEFAULT 0, bo_ms INTEGER NOT NULL DEFAULT 0);
CREATE INDEX cases_case ON cases(case_id);
CREATE INDEX cases_terminal ON cases(terminal, id);
CREATE INDEX cases_state ON cases(state, updated_ms);
CREATE TABLE case_events(case_id TEXT NOT NULL, seq INTEGER NOT NULL, mutation_id TEXT NOT NULL,
  action TEXT NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL, record TEXT NOT NULL,
  PRIMARY KEY(case_id, seq));
CREATE TABLE case_blobs(id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, sha256 TEXT NOT NULL,
  role TEXT NOT NULL, material_code TEXT NOT NULL, mutation_id TEXT NOT NULL);
CREATE INDEX case_blobs_case ON case_blobs(case_id);
-- Every applied mutation (also ratings), one row per application: not unique on purpose (see cases).
CREATE TABLE mutations(id INTEGER PRIMARY KEY, mutation_id TEXT NOT NULL, terminal TEXT NOT NULL,
  case_id TEXT NOT NULL, kind TEXT NOT NULL, applied_ms INTEGER NOT NULL);
CREATE INDEX mutations_mid ON mutations(mutation_id);
CREATE TABLE case_no_seq(prefix TEXT PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE changes(seq INTEGER PRIMARY KEY AUTOINCREMENT, terminal TEXT NOT NULL, case_id TEXT NOT NULL,
  type TEXT NOT NULL, record TEXT NOT NULL, at_ms INTEGER NOT NULL);
CREATE INDEX changes_terminal ON changes(terminal, seq);
CREATE TABLE ratings(id INTEGER PRIMARY KEY, mutation_id TEXT NOT NULL, terminal TEXT NOT NULL,
  case_id TEXT NOT NULL, case_no TEXT NOT NULL, satisfaction TEXT NOT NULL, level INTEGER NOT NULL,
  channel TEXT NOT NULL, reason TEXT NOT NULL, comment TEXT NOT NULL, rated_at TEXT NOT NULL,
  applied_ms INTEGER NOT NULL);
CREATE TABLE blobs(sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, media_type TEXT NOT NULL,
  created_ms INTEGER NOT NULL);
CREATE TABLE uploads(upload_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
  media_type TEXT NOT NULL, "offset" INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'open',
  terminal TEXT NOT NULL, created_ms INTEGER NOT NULL, cut INTEGER NOT NULL DEFAULT 0);
CREATE INDEX uploads_sha ON uploads(sha256, status);
CREATE TABLE catalogue(seq INTEGER PRIMARY KEY, type TEXT NOT NULL, code TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE calendars(year INTEGER PRIMARY KEY, revision TEXT NOT NULL, body TEXT NOT NULL);
)SQL";

}  // namespace

PlatformDb::PlatformDb(const std::string& file, bool create) : file_(file) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool exists = fs::exists(file, ec);
    if (!exists && !create) throw InputError("no platform database at " + file);
    if (exists && !fs::is_regular_file(file, ec)) throw InputError(file + " is not a database file");
    try {
        db_ = std::make_unique<store::Db>(file, create);
        db_->exec("PRAGMA busy_timeout = 10000");
        db_->exec("PRAGMA journal_mode = WAL");
        db_->exec("PRAGMA synchronous = NORMAL");
        // A larger page cache, reads through mmap and rarer checkpoints: the push writes a few
        // thousand rows per batch (measured in docs/benchmarks.md).
        db_->exec("PRAGMA cache_size = -65536");
        db_->exec("PRAGMA mmap_size = 268435456");
        db_->exec("PRAGMA wal_autocheckpoint = 8192");
        initialise();
    } catch (const store::StoreError& e) {
        throw InputError("cannot open the platform database " + file + ": " + e.what());
    }
    fs::create_directories(blob_dir() + "/uploads", ec);
    if (ec) throw InputError("cannot create " + blob_dir() + ": " + ec.message());
}

PlatformDb::~PlatformDb() = default;

void PlatformDb::initialise() {
    store::Transaction tx(*db_);
    const auto tables = db_->query_int("SELECT count(*) FROM sqlite_master");
    if (tables == 0) {
        db_->exec(kSchema);
        set_meta("kind", kKind);
        set_meta("schema_version", std::to_string(kSchemaVersion));
        set_meta("created_at", Clock::iso_now());
        set_meta("training_data", "true");
        ensure_appointment_schema(*this);
        ensure_application_schema(*this);
        install_demo_data(*this);
        db_->exec(kTrustSchema);
        created_now_ = true;
        tx.commit();
        return;
    }
    const bool has_meta = db_->query_int("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'") == 1;
    if (!has_meta || meta("kind").value_or("") != kKind)
        throw InputError(file_ + " is not a platform database (made by onewindow-platform-sim)");
    if (meta("schema_version").value_or("") != std::to_string(kSchemaVersion))
        throw InputError(file_ + " has an unsupported schema version");
    ensure_appointment_schema(*this);  // added in schema version 1 (issue 19): made on first open
    ensure_application_schema(*this);  // added in schema version 1 (issue 21): made on first open
    db_->exec(kTrustSchema);  // added without a version change: created in older databases too
    tx.commit();
}

void PlatformDb::bump(std::string_view counter, std::int64_t by) {
    auto& st = db_->cached("INSERT INTO counters(name, value) VALUES(?1, ?2) "
                           "ON CONFLICT(name) DO UPDATE SET value = value + excluded.value");
    st.bind(1, counter).bind(2, by).run();
}

std::int64_t PlatformDb::counter(std::string_view name) {
    auto& st = db_->cached("SELECT value FROM counters WHERE name = ?1");
    st.bind(1, name);
    const std::int64_t v = st.step() ? st.int64(0) : 0;
    st.reset();
    return v;
}

std::optional<std::string> PlatformDb::meta(std::string_view key) {
    auto& st = db_->cached("SELECT value FROM meta WHERE key = ?1");
    st.bind(1, key);
    std::optional<std::string> v;
    if (st.step()) v = st.text(0);
    st.reset();
    return v;
}

void PlatformDb::set_meta(std::string_view key, std::string_view value) {
    db_->cached("INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(1, key)
        .bind(2, value)
        .run();
}

}  // namespace ow::sim
