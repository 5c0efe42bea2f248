// Schema migrations: forward-only, numbered, each applied in its own transaction together with
// the new PRAGMA user_version. A store written by a newer build is refused.
#include "ow/store/schema.h"

#include "ow/store/errors.h"

#include <string>

namespace ow::store {
namespace {

struct Migration {
    int version;
    const char* sql;
};

// Never edit a migration that has shipped: add a new one.
const Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE users(name TEXT PRIMARY KEY, role TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE catalog_cache(
  code TEXT PRIMARY KEY, type TEXT NOT NULL CHECK (type IN ('item', 'bundle')),
  version TEXT NOT NULL, body TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE applicants(
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, doc_type INTEGER NOT NULL,
  doc_number TEXT NOT NULL, phone TEXT NOT NULL, body TEXT NOT NULL, updated_at TEXT NOT NULL,
  UNIQUE (doc_type, doc_number));
CREATE TABLE cases(
  id TEXT PRIMARY KEY, receipt_no TEXT UNIQUE, platform_case_no TEXT, item_code TEXT NOT NULL,
  applicant_id INTEGER REFERENCES applicants(id), applicant_name TEXT NOT NULL, applicant_doc TEXT NOT NULL,
  applicant_phone TEXT NOT NULL, state TEXT NOT NULL, due_date TEXT, version INTEGER NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX cases_platform ON cases(platform_case_no) WHERE platform_case_no <> '';
CREATE INDEX cases_doc ON cases(applicant_doc);
CREATE INDEX cases_name ON cases(applicant_name);
CREATE INDEX cases_phone ON cases(applicant_phone);
CREATE INDEX cases_state_due ON cases(state, due_date);
CREATE TABLE case_history(
  case_id TEXT NOT NULL REFERENCES cases(id), seq INTEGER NOT NULL, action TEXT NOT NULL,
  from_state TEXT NOT NULL, to_state TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL,
  post TEXT NOT NULL, acting_for TEXT NOT NULL, at TEXT NOT NULL, reason TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (case_id, seq)) WITHOUT ROWID;
CREATE TABLE checklist(
  case_id TEXT NOT NULL REFERENCES cases(id), material_code TEXT NOT NULL, name TEXT NOT NULL,
  necessity TEXT NOT NULL, status TEXT NOT NULL, promised_by TEXT, blob_sha256 TEXT,
  PRIMARY KEY (case_id, material_code)) WITHOUT ROWID;
CREATE INDEX checklist_status ON checklist(status, promised_by);
CREATE TABLE outbox(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, mutation_id TEXT NOT NULL UNIQUE, case_id TEXT NOT NULL,
  kind TEXT NOT NULL, payload TEXT NOT NULL, created_at TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'quarantined')),
  attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);
CREATE INDEX outbox_state ON outbox(state, seq);
CREATE TABLE blobs(
  sha256 TEXT PRIMARY KEY, file TEXT NOT NULL, size INTEGER NOT NULL, media_type TEXT NOT NULL,
  created_at TEXT NOT NULL, uploaded INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE case_blobs(
  case_id TEXT NOT NULL REFERENCES cases(id), sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  role TEXT NOT NULL, material_code TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (case_id, sha256, role, material_code)) WITHOUT ROWID;
CREATE TABLE sync_cursors(name TEXT PRIMARY KEY, cursor TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE audit(
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, user_id TEXT NOT NULL, post TEXT NOT NULL,
  acting_for TEXT NOT NULL, action TEXT NOT NULL, case_id TEXT NOT NULL, detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TABLE receipt_seq(day TEXT PRIMARY KEY, last INTEGER NOT NULL);
)sql"},
    {2, R"sql(
CREATE TABLE ratings(
  case_id TEXT PRIMARY KEY REFERENCES cases(id), level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
  channel TEXT NOT NULL, reason TEXT NOT NULL, comment TEXT NOT NULL, at TEXT NOT NULL,
  follow_up_state TEXT NOT NULL DEFAULT 'none');
CREATE INDEX ratings_bad ON ratings(level, at) WHERE level >= 4;
CREATE INDEX cases_item ON cases(item_code, state);
)sql"},
    {3, R"sql(
CREATE INDEX outbox_case ON outbox(case_id, seq);
ALTER TABLE outbox ADD COLUMN reason_code TEXT;
CREATE TABLE sync_cases(
  case_id TEXT PRIMARY KEY, case_no TEXT NOT NULL DEFAULT '', acked_at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sync_uploads(
  sha256 TEXT PRIMARY KEY, upload_id TEXT NOT NULL, acked_offset INTEGER NOT NULL, size INTEGER NOT NULL,
  updated_at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sync_issues(
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('conflict', 'quarantine', 'problem')),
  case_id TEXT NOT NULL, mutation_id TEXT NOT NULL DEFAULT '', code TEXT NOT NULL, message TEXT NOT NULL,
  detail TEXT NOT NULL, created_at TEXT NOT NULL, resolved_at TEXT, resolution TEXT NOT NULL DEFAULT '');
CREATE INDEX sync_issues_open ON sync_issues(kind, id) WHERE resolved_at IS NULL;
CREATE TABLE platform_results(
  case_id TEXT PRIMARY KEY REFERENCES cases(id), name TEXT NOT NULL, number TEXT NOT NULL, ready_at TEXT NOT NULL)
  WITHOUT ROWID;
CREATE TABLE calendar_years(year INTEGER PRIMARY KEY, revision TEXT NOT NULL, body TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE catalog_staging(seq INTEGER PRIMARY KEY, version TEXT NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX blobs_pending ON blobs(created_at) WHERE uploaded = 0;
)sql"},
    {4, R"sql(
ALTER TABLE users ADD COLUMN post TEXT NOT NULL DEFAULT 'none' CHECK (post IN ('none', 'A', 'B'));
ALTER TABLE users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN absent_since TEXT;
CREATE TABLE seals(
  holder_kind TEXT NOT NULL CHECK (holder_kind IN ('user', 'post')), holder TEXT NOT NULL,
  name TEXT NOT NULL, signer TEXT NOT NULL, p12 BLOB NOT NULL, pin TEXT NOT NULL, image BLOB,
  assigned_by TEXT NOT NULL, assigned_at TEXT NOT NULL, PRIMARY KEY (holder_kind, holder)) WITHOUT ROWID;
CREATE TABLE case_documents(
  case_id TEXT NOT NULL REFERENCES cases(id), seq INTEGER NOT NULL, kind TEXT NOT NULL, sha256 TEXT NOT NULL,
  sealed INTEGER NOT NULL DEFAULT 0, timestamped INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,
  PRIMARY KEY (case_id, seq, kind)) WITHOUT ROWID;
ALTER TABLE ratings ADD COLUMN follow_up_due TEXT;
ALTER TABLE ratings ADD COLUMN hotline_ticket TEXT NOT NULL DEFAULT '';
ALTER TABLE ratings ADD COLUMN follow_up_note TEXT NOT NULL DEFAULT '';
ALTER TABLE ratings ADD COLUMN follow_up_closed_at TEXT;
CREATE TABLE held_cases(case_id TEXT PRIMARY KEY REFERENCES cases(id)) WITHOUT ROWID;
CREATE INDEX case_documents_untimestamped ON case_documents(created_at) WHERE sealed = 1 AND timestamped = 0;
)sql"},
    // 5: the work queues (queues.h).
    {5, R"sql(
ALTER TABLE cases ADD COLUMN deferred_due TEXT;
UPDATE cases SET deferred_due = (SELECT min(k.promised_by) FROM checklist k WHERE k.case_id = cases.id AND k.status = 'deferred')
  WHERE state NOT IN ('archived', 'refused');
CREATE INDEX cases_updated ON cases(updated_at);
CREATE INDEX cases_state_updated ON cases(state, updated_at);
CREATE INDEX cases_clock_due ON cases(due_date, state) WHERE state IN ('accepted', 'under_review', 'escalated');
CREATE INDEX cases_to_issue ON cases(updated_at) WHERE state IN ('approved', 'denied');
CREATE INDEX cases_deferred_due ON cases(deferred_due) WHERE deferred_due IS NOT NULL;
CREATE INDEX ratings_follow_up_open ON ratings(at) WHERE follow_up_state = 'open';
CREATE INDEX sync_issues_case_open ON sync_issues(case_id) WHERE resolved_at IS NULL;
CREATE INDEX outbox_quarantined ON outbox(case_id) WHERE state = 'quarantined';
)sql"},
    // 6: a case's audit entries (the desk's timeline of the selected case, AuditLog::for_case).
    {6, R"sql(
CREATE INDEX audit_case ON audit(case_id, seq);
)sql"},
    // 7: the intake screen's drafts (drafts.h): what was typed and is not an act yet, per case.
    {7, R"sql(
CREATE TABLE intake_drafts(
  case_id TEXT PRIMARY KEY REFERENCES cases(id), user_id TEXT NOT NULL, step TEXT NOT NULL,
  body TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX intake_drafts_user ON intake_drafts(user_id, updated_at);
)sql"},
    // 8: a seal may be a key on a PKCS#11 token (documents.h): its URI and module; p12 and pin are
    // then empty (a token's PIN is never stored).
    {8, R"sql(
ALTER TABLE seals ADD COLUMN pkcs11_uri TEXT NOT NULL DEFAULT '';
ALTER TABLE seals ADD COLUMN pkcs11_module TEXT NOT NULL DEFAULT '';
)sql"},
    // 9 (appoint, issue 19): appointments (预约) pulled from the platform, their check-in or no-show
    // and its report back (appointments.h); the green-channel mark of a case (cases.green: 1 when
    // the case has a 绿色通道 flag; queues.h puts such cases first).
    {9, R"sql(
CREATE TABLE appointments(
  id TEXT PRIMARY KEY, applicant_name TEXT NOT NULL, doc_type INTEGER NOT NULL, doc_number TEXT NOT NULL,
  doc_masked INTEGER NOT NULL, phone TEXT NOT NULL, item_code TEXT NOT NULL, item_name TEXT NOT NULL,
  day TEXT NOT NULL, slot_start TEXT NOT NULL, slot_end TEXT NOT NULL, channel TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'arrived', 'no_show')),
  case_id TEXT NOT NULL DEFAULT '', status_at TEXT NOT NULL DEFAULT '',
  report_state TEXT NOT NULL DEFAULT 'none' CHECK (report_state IN ('none', 'pending', 'sent')),
  report_id TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX appointments_day ON appointments(day, slot_start);
CREATE INDEX appointments_case ON appointments(case_id) WHERE case_id <> '';
CREATE INDEX appointments_report ON appointments(report_state) WHERE report_state = 'pending';
ALTER TABLE cases ADD COLUMN green INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cases_green ON cases(id) WHERE green = 1;
)sql"},
    // 10 (enquiries, issue 21): enquiries, complaints and suggestions (首问负责), not cases
    // (enquiries.h); the first clerk asked owns one, handovers kept with it as JSON.
    {10, R"sql(
CREATE TABLE enquiries(
  id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('enquiry', 'complaint', 'suggestion')),
  channel TEXT NOT NULL, asker_name TEXT NOT NULL, asker_phone TEXT NOT NULL, item_code TEXT NOT NULL,
  subject TEXT NOT NULL, owner TEXT NOT NULL, holder TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'answered', 'case')), due TEXT NOT NULL,
  reply TEXT NOT NULL, replied_by TEXT NOT NULL, replied_at TEXT NOT NULL, case_id TEXT NOT NULL,
  handovers TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX enquiries_open ON enquiries(state, due);
CREATE INDEX enquiries_holder ON enquiries(holder, state);
)sql"},
    // 11 (帮办代办, issue 21): the helper of an open case (cases.helper: Case::assistance's user id
    // while the case is open, else NULL) for the assisted queue (queues.h). No case had one before.
    {11, R"sql(
ALTER TABLE cases ADD COLUMN helper TEXT;
CREATE INDEX cases_helper ON cases(helper, updated_at) WHERE helper IS NOT NULL;
)sql"},
    // 12: the follow-up queue (deferred-due) holds commitments to verify beside deferred materials:
    // what is due first is kept with its date (Case::next_follow_up). Commitments recorded before
    // had no check date, so only the deferred materials are filled in here.
    {12, R"sql(
ALTER TABLE cases ADD COLUMN follow_up_code TEXT;
ALTER TABLE cases ADD COLUMN follow_up_name TEXT;
UPDATE cases SET
  follow_up_code = (SELECT k.material_code FROM checklist k WHERE k.case_id = cases.id AND k.status = 'deferred'
                    AND k.promised_by = cases.deferred_due ORDER BY k.material_code LIMIT 1),
  follow_up_name = (SELECT k.name FROM checklist k WHERE k.case_id = cases.id AND k.status = 'deferred'
                    AND k.promised_by = cases.deferred_due ORDER BY k.material_code LIMIT 1)
  WHERE deferred_due IS NOT NULL;
)sql"},
    // 13 (who may do what, issue 21): a chief representative's department; the authorisation
    // matrix (core::Grant rows; none: the built-in default) and the departments' policies
    // (事进人不进); the remote call's due instant while unanswered (the remote-calls queue).
    {13, R"sql(
ALTER TABLE users ADD COLUMN department TEXT NOT NULL DEFAULT '';
CREATE TABLE authorisations(
  department TEXT NOT NULL, kind TEXT NOT NULL, power TEXT NOT NULL, grantees TEXT NOT NULL,
  set_by TEXT NOT NULL, set_at TEXT NOT NULL, PRIMARY KEY (department, kind, power)) WITHOUT ROWID;
CREATE TABLE department_policies(
  department TEXT PRIMARY KEY, remote INTEGER NOT NULL, answer_minutes INTEGER NOT NULL, contact TEXT NOT NULL,
  set_by TEXT NOT NULL, set_at TEXT NOT NULL) WITHOUT ROWID;
ALTER TABLE cases ADD COLUMN call_due TEXT;
CREATE INDEX cases_call_due ON cases(call_due) WHERE call_due IS NOT NULL;
)sql"},
    // 14 (online inbox, issue 21): applications made online (网上申报) pulled from the platform
    // (applications.h) — the record as sent, its uploads (downloaded as blobs), and the case a
    // clerk took it into; the acceptance decision's due date of a received case (the
    // acceptance-due queue, 行政许可法 art. 32).
    {14, R"sql(
CREATE TABLE online_applications(
  id TEXT PRIMARY KEY, channel TEXT NOT NULL, item_code TEXT NOT NULL, item_name TEXT NOT NULL,
  applicant_name TEXT NOT NULL, doc_number TEXT NOT NULL, submitted_at TEXT NOT NULL,
  status TEXT NOT NULL, record TEXT NOT NULL, case_id TEXT NOT NULL DEFAULT '', taken_by TEXT NOT NULL DEFAULT '',
  taken_at TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL);
CREATE INDEX online_applications_inbox ON online_applications(submitted_at) WHERE status = 'submitted';
CREATE INDEX online_applications_case ON online_applications(case_id) WHERE case_id <> '';
ALTER TABLE cases ADD COLUMN accept_due TEXT;
CREATE INDEX cases_accept_due ON cases(accept_due) WHERE accept_due IS NOT NULL;
)sql"},
};

}  // namespace

int current_schema_version() { return kMigrations[std::size(kMigrations) - 1].version; }

int schema_version(Db& db) { return int(db.query_int("PRAGMA user_version")); }

void migrate(Db& db, int target) {
    if (target <= 0) target = current_schema_version();
    int have = schema_version(db);
    if (have > current_schema_version())
        throw StoreError("store.too_new", "the store was written by a newer OneWindow (schema " + std::to_string(have) +
                                              "); this build reads up to " + std::to_string(current_schema_version()));
    for (const auto& m : kMigrations) {
        if (m.version <= have || m.version > target) continue;
        Transaction tx(db);
        db.exec(m.sql);
        db.exec("PRAGMA user_version = " + std::to_string(m.version));
        tx.commit();
    }
}

}  // namespace ow::store
