// Command groups over the encrypted store: store, demo, case, audit.
// Passwords never come from argv: --password-file F, or one line on stdin.
// Exit codes: 0 ok/intact, 1 no (wrong password, not found, damaged), 2 usage or other error.
#include "cli.h"
#include "i18n.h"
#include "options.h"
#include "store_access.h"

#include "ow/catalogue/store_catalogue.h"
#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/forms/definition.h"
#include "ow/notices/renderer.h"
#include "ow/store/appointments.h"
#include "ow/store/audit.h"
#include "ow/store/blobs.h"
#include "ow/store/cases.h"
#include "ow/store/errors.h"
#include "ow/store/repositories.h"
#include "ow/store/schema.h"
#include "ow/store/store.h"
#include "ow/workflow/demo.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <optional>

namespace ow::cli {
namespace {

using nlohmann::json;

std::set<std::string> with(std::set<std::string> extra) { return with_open_options(std::move(extra)); }

json hit_json(const store::SearchHit& h) {
    return {{"id", h.id},
            {"receipt_no", h.receipt_no},
            {"platform_case_no", h.platform_case_no},
            {"item_code", h.item_code},
            {"applicant_name", h.applicant_name},
            {"id_number", h.applicant_doc},
            {"phone", h.applicant_phone},
            {"state", h.state},
            {"due_date", h.due_date}};
}

int store_init(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with({"--role", "--kdf-ops", "--kdf-mem-mib", "--centre", "--terminal"}));
    std::string user = o.require("--user");
    core::Role role = parse_role(o.require("--role"));
    Password pw(o.get("--password-file").value_or("-"));
    std::filesystem::path dir = o.require("--store");
    store::TerminalIdentity t;
    t.centre = o.get("--centre").value_or(t.centre);
    t.terminal = o.get("--terminal").value_or(t.terminal);
    core::InMemorySequence probe;
    core::ReceiptNumberIssuer check(t.centre, t.terminal, probe);  // validates the codes before anything is written
    std::string recovery = store::Store::init(dir, user, role, pw.text, kdf_from(o));
    auto s = store::Store::open(dir, user, pw.text);
    store::Settings(s->db()).set_terminal(t);
    std::cout << "store created in " << dir.string() << " for " << user << " (" << core::to_code(role) << ")\n"
              << "recovery key (write it down now; it is shown only once):\n"
              << recovery << "\n";
    return kOk;
}

int store_add_user(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with({"--new-user", "--role", "--new-password-file", "--kdf-ops", "--kdf-mem-mib"}));
    std::string name = o.require("--new-user");
    core::Role role = parse_role(o.require("--role"));
    auto s = open_store(o);
    Password npw(o.require("--new-password-file"));
    bool existed = store::KeyFile::load(s->dir()).has_user(name);
    s->set_user(name, role, npw.text, kdf_from(o));
    std::cout << "user " << name << " (" << core::to_code(role) << ") " << (existed ? "updated (new password)" : "added") << "\n";
    return kOk;
}

int store_remove_user(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with({"--remove"}));
    std::string name = o.require("--remove");
    auto s = open_store(o);
    s->remove_user(name);
    std::cout << "user " << name << " removed\n";
    return kOk;
}

int store_passwd(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with({"--new-password-file", "--recovery-key-file", "--kdf-ops", "--kdf-mem-mib"}));
    Password npw(o.require("--new-password-file"));
    if (auto rk = o.get("--recovery-key-file")) {
        // Reset with the recovery key: needs --user to name whose password is reset.
        Password key(*rk);
        auto s = store::Store::open_recovery(o.require("--store"), key.text);
        std::string user = o.require("--user");
        auto kf = store::KeyFile::load(o.require("--store"));
        if (!kf.has_user(user)) throw core::InvalidData(subst(tr("no user '%1' in this store"), user));
        s->set_user(user, kf.role_of(user), npw.text, kdf_from(o));
        std::cout << "password of " << user << " reset with the recovery key\n";
        return kOk;
    }
    auto s = open_store(o);
    s->change_password(npw.text, kdf_from(o));
    std::cout << "password of " << s->user().name << " changed\n";
    return kOk;
}

int store_stats(const std::vector<std::string>& args) {
    auto o = Options::parse(args, kOpenOptions);
    auto s = open_store(o);
    auto cal = store::PlatformCalendars(s->db()).calendar();
    auto st = store::CaseStore(s->db(), cal).stats();
    json by_state = json::object();
    {
        store::Stmt q(s->db(), "SELECT state, count(*) FROM cases GROUP BY state ORDER BY state");
        while (q.step()) by_state[q.text(0)] = q.int64(1);
    }
    std::error_code ec;
    auto size = std::filesystem::file_size(s->dir() / store::Store::kDbFile, ec);
    json out = {{"cases", st.cases},
                {"cases_by_state", by_state},
                {"history_rows", st.history},
                {"applicants", st.applicants},
                {"outbox_pending", st.outbox_pending},
                {"outbox_quarantined", st.outbox_quarantined},
                {"blobs", st.blobs},
                {"blobs_pending_upload", st.blobs_pending},
                {"blob_bytes", st.blob_bytes},
                {"audit_entries", st.audit_entries},
                {"users", st.users},
                {"schema_version", st.schema_version},
                {"cipher_version", st.cipher_version},
                {"catalog_version", store::CatalogCache(s->db()).version()},
                {"idle_lock_seconds", store::Settings(s->db()).idle_lock().count()},
                {"database_bytes", ec ? 0 : std::int64_t(size)}};
    std::cout << out.dump(2) << "\n";
    return kOk;
}

int store_integrity(const std::vector<std::string>& args) {
    auto o = Options::parse(args, kOpenOptions);
    std::unique_ptr<store::Store> s;
    try {
        s = open_store(o, store::OpenMode::read_only);  // never writes to what it checks
    } catch (const store::CorruptStore& e) {
        std::cout << "DAMAGED database: " << e.what() << "\n";
        return kNo;
    }
    bool ok = true;
    auto report = [&](const std::string& what, const std::string& problem) {
        ok = false;
        std::cout << "DAMAGED " << what << ": " << problem << "\n";
    };
    try {
        // SQLCipher checks every page's HMAC; SQLite checks the b-trees.
        store::Stmt pages(s->db(), "PRAGMA cipher_integrity_check");
        while (pages.step()) report("database page", pages.text(0) + " (" + (s->dir() / store::Store::kDbFile).string() + ")");
        store::Stmt tree(s->db(), "PRAGMA integrity_check");
        while (tree.step())
            if (tree.text(0) != "ok") report("database structure", tree.text(0));
    } catch (const store::StoreError& e) {
        report("database", e.what());
    }
    try {
        store::BlobStore blobs(s->db(), s->dir(), s->key());
        for (const auto& p : blobs.verify_all()) report("blob " + p.sha256, p.problem);
    } catch (const store::StoreError& e) {
        report("blobs", e.what());
    }
    try {
        auto v = store::AuditLog(s->db()).verify();
        if (!v.intact) report(v.first_bad ? "audit trail at entry " + std::to_string(*v.first_bad) : "audit trail", v.reason);
    } catch (const store::StoreError& e) {
        report("audit trail", e.what());
    }
    if (ok) std::cout << "intact: database pages, structure, blobs and audit trail\n";
    return ok ? kOk : kNo;
}

int demo_seed(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with({"--cases", "--scans", "--seed", "--today", "--cases-per-commit"}), {"--notices"});
    auto s = open_store(o);
    workflow::SeedOptions so;
    so.cases = int(o.number("--cases", 100, 0, 10'000'000));
    so.scans = int(o.number("--scans", 0, 0, 10'000'000));
    so.seed = std::uint64_t(o.number("--seed", 1, 0, 1'000'000'000));
    // The acts of this many cases are committed together (0: every act on its own, as at the desk).
    so.cases_per_commit = int(o.number("--cases-per-commit", so.cases_per_commit, 0, 100'000));
    so.terminal = store::Settings(s->db()).terminal();
    if (auto t = o.get("--today")) {
        // The desk's queues of that day get cases too (today, due-soon, follow-ups, sync-problems).
        so.today = core::try_parse_date(*t);
        if (!so.today) throw UsageError{tr("--today must be a date YYYY-MM-DD")};
    }
    if (so.cases >= 10'000) so.progress = [](int n) { std::cerr << subst(tr("seeded %1 cases"), std::to_string(n)) << "\n"; };
    auto cal = store::PlatformCalendars(s->db()).calendar();
    auto cat = catalogue::load_store_catalogue(s->db());  // the platform's once synced, else the shipped one
    if (!cat.problem.empty()) std::cerr << "onewindow-cli: " << tr(cat.problem.c_str()) << "\n";
    std::optional<notices::NoticeRenderer> renderer;
    if (o.has("--notices")) {
        // Every act's notice, the decisions sealed: needs an administrator (chief users, the demo seal).
        if (s->user().role != core::Role::admin) {
            std::cerr << "onewindow-cli: "
                      << subst(tr("refused: demo seed --notices adds the chief representatives and assigns the demo seal, which "
                                  "only an administrator may do ('%1' is not one)"),
                               s->user().name)
                      << "\n";
            return kNo;
        }
        renderer.emplace(notices::TemplateSet::load_shipped());
        so.renderer = &*renderer;
        so.envelope = default_envelope();
    }
    auto r = workflow::seed_demo(*s, cat.catalogue, cat.forms, cal, so);
    json out = {{"cases", r.cases}, {"scans", r.scans}, {"by_state", r.by_state}};
    if (so.renderer) out["notices"] = r.notices;
    std::cout << out.dump() << "\n";
    return kOk;
}

int case_search(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with({"--limit", "--query-file"}));
    // --query-file F|-: the query (a name, an ID number) stays out of argv and the shell history.
    auto query_file = o.get("--query-file");
    if (o.positional.size() != (query_file ? 0u : 1u)) throw UsageError{tr("expected one QUERY, or --query-file F|-")};
    if (query_file && *query_file == "-" && o.get("--password-file").value_or("-") == "-")
        throw UsageError{tr("stdin can carry the password or the query, not both: give --password-file F")};
    const std::string query = query_file ? read_input_line(*query_file, "query") : o.positional[0];
    auto s = open_store(o);
    auto cal = store::PlatformCalendars(s->db()).calendar();
    auto hits = store::CaseStore(s->db(), cal).search(query, int(o.number("--limit", 50, 1, 1000)));
    for (const auto& h : hits) std::cout << hit_json(h).dump() << "\n";
    return hits.empty() ? kNo : kOk;
}

int case_show(const std::vector<std::string>& args) {
    auto o = Options::parse(args, kOpenOptions, {"--json"});
    if (o.positional.size() != 1) throw UsageError{tr("expected one case ID (as printed by case search)")};
    auto id = core::Uuid::parse(o.positional[0]);
    if (!id) throw UsageError{subst(tr("not a case ID: %1"), o.positional[0])};
    auto s = open_store(o);
    auto cal = store::PlatformCalendars(s->db()).calendar();
    auto c = store::CaseStore(s->db(), cal).load(*id);
    if (!c) {
        std::cerr << "onewindow-cli: " << subst(tr("no case %1"), o.positional[0]) << "\n";
        return kNo;
    }
    auto j = case_json(*c);
    // The appointment whose check-in started the case (issue 19): what the platform sent about
    // the applicant (the ID number as sent, masked or whole) and the slot.
    if (auto a = store::Appointments(s->db()).for_case(c->id.to_string()))
        j["appointment"] = {{"appointment_id", a->id}, {"day", a->day}, {"slot_start", a->slot_start}, {"slot_end", a->slot_end},
                            {"status", a->status}, {"applicant_name", a->applicant_name}, {"doc_number", a->doc_number},
                            {"doc_masked", a->doc_masked}, {"phone", a->phone}, {"channel", a->channel}};
    std::cout << j.dump(2) << "\n";
    return kOk;
}

int audit_verify(const std::vector<std::string>& args) {
    auto o = Options::parse(args, kOpenOptions);
    auto s = open_store(o);
    auto v = store::AuditLog(s->db()).verify();
    if (v.intact) {
        std::cout << "intact: " << v.entries << " entries\n";
        return kOk;
    }
    if (v.first_bad) std::cout << "TAMPERED: first bad entry " << *v.first_bad << ": " << v.reason << "\n";
    else std::cout << "TAMPERED: " << v.reason << "\n";
    return kNo;
}

}  // namespace

void register_store_commands() {
    auto& c = commands();
    c.push_back({"store", "init", "--store DIR --user NAME --role admin|clerk|chief --password-file F [--centre C --terminal T]",
                 TR_N_("create an encrypted store; prints the recovery key once"), run_guarded<store_init>});
    c.push_back({"store", "add-user", "--store DIR --password-file F --new-user NAME --role ROLE --new-password-file F2",
                 TR_N_("add a user, change a role or reset a password (administrators only; audited)"), run_guarded<store_add_user>});
    c.push_back({"store", "remove-user", "--store DIR --password-file F --remove NAME",
                 TR_N_("remove a user (administrators only; not the last administrator; audited)"), run_guarded<store_remove_user>});
    c.push_back({"store", "passwd", "--store DIR --password-file F --new-password-file F2 | --recovery-key-file K --user NAME",
                 TR_N_("change your password, or reset one with the recovery key (re-wraps the key; nothing is re-encrypted)"),
                 run_guarded<store_passwd>});
    c.push_back({"store", "stats", "--store DIR --password-file F", TR_N_("what the store holds (JSON)"), run_guarded<store_stats>});
    c.push_back({"store", "integrity", "--store DIR --password-file F",
                 TR_N_("check database pages (HMAC), structure, every blob and the audit trail, read-only (exit 1 when damaged)"),
                 run_guarded<store_integrity>});
    c.push_back({"demo", "seed", "--store DIR --password-file F --cases N [--scans M] [--seed S] [--notices] [--today YYYY-MM-DD] [--cases-per-commit N]",
                 TR_N_("add realistic synthetic cases across the lifecycle through the clerk's acts (queued for sync like real work); "
                 "--notices: also every act's notice, decisions sealed with the demo seal (administrators); "
                 "--today: also fill every work queue of that day (recent cases, a bad rating, one change the platform refused)"), run_guarded<demo_seed>});
    c.push_back({"case", "search", "--store DIR --password-file F QUERY | --query-file F|-",
                 TR_N_("find cases by id, receipt number, platform case number, ID number, phone or name prefix (JSON lines)"),
                 run_guarded<case_search>});
    c.push_back({"case", "show", "--store DIR --password-file F ID", TR_N_("print one case with its history (JSON)"), run_guarded<case_show>});
    c.push_back({"audit", "verify", "--store DIR --password-file F",
                 TR_N_("verify the hash-chained audit trail (exit 1 when tampered, naming the first bad entry)"), run_guarded<audit_verify>});
}

}  // namespace ow::cli
