#include "ow/store/documents.h"

#include "ow/store/audit.h"

#include <nlohmann/json.hpp>

namespace ow::store {
namespace {

CaseDocument read_document(Stmt& q) {
    CaseDocument d;
    d.case_id = q.text(0);
    d.seq = std::uint32_t(q.int64(1));
    d.kind = q.text(2);
    d.sha256 = q.text(3);
    d.sealed = q.int64(4) != 0;
    d.timestamped = q.int64(5) != 0;
    d.created_at = q.text(6);
    return d;
}

constexpr const char* kDocumentColumns = "SELECT case_id, seq, kind, sha256, sealed, timestamped, created_at FROM case_documents ";

}  // namespace

void CaseDocuments::link(const std::string& case_id, const std::string& sha256, const std::string& kind, core::Instant at) {
    db_.cached("INSERT OR IGNORE INTO case_blobs(case_id, sha256, role, material_code) VALUES (?, ?, 'document', ?)")
        .bind(1, case_id).bind(2, sha256).bind(3, kind)
        .run();
    if (db_.changes() == 0) return;
    {
        auto& q = db_.cached("SELECT 1 FROM held_cases WHERE case_id = ?");  // a draft not yet sent: goes with its snapshot
        q.bind(1, case_id);
        bool held = q.step();
        q.reset();
        if (held) return;
    }
    nlohmann::json payload = {{"case_id", case_id}, {"sha256", sha256}, {"role", "document"}, {"material_code", kind}};
    db_.cached("INSERT INTO outbox(mutation_id, case_id, kind, payload, created_at) VALUES (?, ?, 'attach_blob', ?, ?)")
        .bind(1, core::new_uuid_v7().to_string()).bind(2, case_id).bind(3, payload.dump()).bind(4, core::format_instant(at))
        .run();
}

void CaseDocuments::add(const CaseDocument& d, core::Instant at) {
    Transaction tx(db_);
    db_.cached("INSERT INTO case_documents(case_id, seq, kind, sha256, sealed, timestamped, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
               "ON CONFLICT(case_id, seq, kind) DO UPDATE SET sha256 = excluded.sha256, sealed = excluded.sealed, "
               "timestamped = excluded.timestamped")
        .bind(1, d.case_id).bind(2, std::int64_t(d.seq)).bind(3, d.kind).bind(4, d.sha256).bind(5, d.sealed ? 1 : 0)
        .bind(6, d.timestamped ? 1 : 0).bind(7, core::format_instant(at))
        .run();
    link(d.case_id, d.sha256, d.kind, at);
    tx.commit();
}

std::vector<CaseDocument> CaseDocuments::list(const std::string& case_id) {
    std::vector<CaseDocument> out;
    Stmt q(db_, std::string(kDocumentColumns) + "WHERE case_id = ? ORDER BY seq, kind");
    q.bind(1, case_id);
    while (q.step()) out.push_back(read_document(q));
    return out;
}

std::vector<CaseDocument> CaseDocuments::needing_timestamp(int limit) {
    std::vector<CaseDocument> out;
    Stmt q(db_, std::string(kDocumentColumns) + "WHERE sealed = 1 AND timestamped = 0 ORDER BY created_at LIMIT ?");
    q.bind(1, limit);
    while (q.step()) out.push_back(read_document(q));
    return out;
}

std::int64_t CaseDocuments::needing_timestamp_count() {
    return db_.query_int("SELECT count(*) FROM case_documents WHERE sealed = 1 AND timestamped = 0");
}

void CaseDocuments::mark_timestamped(const std::string& case_id, std::uint32_t seq, const std::string& kind,
                                     const std::string& new_sha256, core::Instant at) {
    Transaction tx(db_);
    db_.cached("UPDATE case_documents SET sha256 = ?, timestamped = 1 WHERE case_id = ? AND seq = ? AND kind = ?")
        .bind(1, new_sha256).bind(2, case_id).bind(3, std::int64_t(seq)).bind(4, kind)
        .run();
    if (db_.changes() != 1) throw core::InvalidData("no document " + kind + " #" + std::to_string(seq) + " of case " + case_id);
    link(case_id, new_sha256, kind, at);
    tx.commit();
}

void SealAssignments::assign(const SealAssignment& a, const core::Actor& actor, core::Instant at) {
    if (a.holder.empty() || a.name.empty() || a.p12.empty() == a.pkcs11_uri.empty())
        throw core::InvalidData("a seal needs a holder, a name and a key: a PKCS#12 file or a PKCS#11 URI (one of them)");
    if (a.on_token() && !a.pin.empty()) throw core::InvalidData("a token's PIN is not stored: its holder types it when sealing");
    if (!a.on_token() && !a.pkcs11_module.empty()) throw core::InvalidData("a PKCS#11 module goes with a PKCS#11 URI");
    if (a.holder_kind == SealAssignment::HolderKind::post && a.holder != "A" && a.holder != "B")
        throw core::InvalidData("a seal is assigned to post A or B");
    const char* kind = a.holder_kind == SealAssignment::HolderKind::user ? "user" : "post";
    Transaction tx(db_);
    Stmt(db_, "INSERT INTO seals(holder_kind, holder, name, signer, p12, pin, image, assigned_by, assigned_at, pkcs11_uri, pkcs11_module) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(holder_kind, holder) DO UPDATE SET name = excluded.name, "
              "signer = excluded.signer, p12 = excluded.p12, pin = excluded.pin, image = excluded.image, "
              "assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at, pkcs11_uri = excluded.pkcs11_uri, "
              "pkcs11_module = excluded.pkcs11_module")
        .bind(1, kind).bind(2, a.holder).bind(3, a.name).bind(4, a.signer)
        .bind_blob(5, a.p12.data(), a.p12.size()).bind(6, a.pin)
        .bind_blob(7, a.image.data(), a.image.size())
        .bind(8, actor.user_id).bind(9, core::format_instant(at))
        .bind(10, a.pkcs11_uri).bind(11, a.pkcs11_module)
        .run();
    nlohmann::json detail{{"holder_kind", kind}, {"holder", a.holder}, {"seal", a.name}, {"signer", a.signer},
                          {"visible", !a.image.empty()}, {"key", a.on_token() ? "pkcs11" : "pkcs12"}};
    if (a.on_token()) {
        detail["pkcs11_uri"] = a.pkcs11_uri;
        detail["pkcs11_module"] = a.pkcs11_module;
    }
    AuditLog(db_).append(actor, at, "seal.assigned", "", detail.dump());
    tx.commit();
}

namespace {
SealAssignment read_seal(Stmt& q, bool secrets) {
    SealAssignment a;
    a.holder_kind = q.text(0) == "post" ? SealAssignment::HolderKind::post : SealAssignment::HolderKind::user;
    a.holder = q.text(1);
    a.name = q.text(2);
    a.signer = q.text(3);
    if (secrets) {
        auto p12 = q.blob(4);
        a.p12.assign(p12.begin(), p12.end());
        a.pin = q.text(5);
    }
    auto image = q.blob(6);
    a.image.assign(image.begin(), image.end());
    a.assigned_by = q.text(7);
    a.assigned_at = q.text(8);
    a.pkcs11_uri = q.text(9);
    a.pkcs11_module = q.text(10);
    return a;
}
constexpr const char* kSealColumns =
    "SELECT holder_kind, holder, name, signer, p12, pin, image, assigned_by, assigned_at, pkcs11_uri, pkcs11_module FROM seals ";
}  // namespace

std::optional<SealAssignment> SealAssignments::for_user(const std::string& user, core::Post post, bool secrets) {
    {
        Stmt q(db_, std::string(kSealColumns) + "WHERE holder_kind = 'user' AND holder = ?");
        q.bind(1, user);
        if (q.step()) return read_seal(q, secrets);
    }
    if (post == core::Post::none) return std::nullopt;
    Stmt q(db_, std::string(kSealColumns) + "WHERE holder_kind = 'post' AND holder = ?");
    q.bind(1, std::string(core::to_code(post)));
    if (q.step()) return read_seal(q, secrets);
    return std::nullopt;
}

std::vector<SealAssignment> SealAssignments::list() {
    std::vector<SealAssignment> out;
    Stmt q(db_, std::string(kSealColumns) + "ORDER BY holder_kind, holder");
    while (q.step()) out.push_back(read_seal(q, false));
    return out;
}

}  // namespace ow::store
