#include "trust.h"

#include "certs.h"
#include "platform_db.h"
#include "util.h"

#include "ow/store/db.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace ow::sim {

using nlohmann::json;

const char* const kTrustSchema = R"SQL(
CREATE TABLE IF NOT EXISTS client_certs(serial TEXT PRIMARY KEY, terminal TEXT NOT NULL,
  not_after_s INTEGER NOT NULL, issued_ms INTEGER NOT NULL, revoked_ms INTEGER);
CREATE INDEX IF NOT EXISTS client_certs_terminal ON client_certs(terminal);
CREATE TABLE IF NOT EXISTS audit_anchors(terminal TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL,
  anchored_ms INTEGER NOT NULL, anchors INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS audit_alarms(id INTEGER PRIMARY KEY, terminal TEXT NOT NULL, at_ms INTEGER NOT NULL,
  anchored_seq INTEGER NOT NULL, anchored_hash TEXT NOT NULL, sent_seq INTEGER NOT NULL, sent_hash TEXT NOT NULL,
  proof_hash TEXT NOT NULL, reason TEXT NOT NULL);
)SQL";

namespace {

struct CsrFree {
    void operator()(X509_REQ* p) const { X509_REQ_free(p); }
};
using CsrPtr = std::unique_ptr<X509_REQ, CsrFree>;

/// The CSR, checked (see issue_client_cert); InputError otherwise.
CsrPtr read_csr(const std::string& pem_text) {
    if (pem_text.empty() || pem_text.size() > 16384) throw InputError("the CSR must be PEM text of at most 16 KiB");
    BIO* b = BIO_new_mem_buf(pem_text.data(), int(pem_text.size()));
    CsrPtr req(PEM_read_bio_X509_REQ(b, nullptr, nullptr, nullptr));
    BIO_free(b);
    ERR_clear_error();
    if (!req) throw InputError("the CSR is not a PEM certificate request");
    EVP_PKEY* key = X509_REQ_get0_pubkey(req.get());
    if (!key || X509_REQ_verify(req.get(), key) != 1) {
        ERR_clear_error();
        throw InputError("the CSR's signature does not verify");
    }
    const int id = EVP_PKEY_get_base_id(key);
    const bool ok = (id == EVP_PKEY_EC && EVP_PKEY_get_bits(key) == 256) || (id == EVP_PKEY_RSA && EVP_PKEY_get_bits(key) >= 2048);
    if (!ok) throw InputError("the CSR's key must be EC P-256 or RSA of at least 2048 bits");
    return req;
}

std::string serial_hex(const X509* cert) {
    BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
    char* h = bn ? BN_bn2hex(bn) : nullptr;
    std::string out = h ? h : "";
    OPENSSL_free(h);
    BN_free(bn);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

/// The CA's certificate and key, made on first use.
std::pair<X509Ptr, PkeyPtr> terminal_ca(PlatformDb& pdb) {
    auto cert = pdb.meta("terminal_ca_cert");
    auto key = pdb.meta("terminal_ca_key");
    if (!cert || !key) {
        auto k = make_ec_key();
        CertSpec spec;
        spec.common_name = "OneWindow 训练平台终端 CA";
        spec.ca = true;
        spec.not_after_s = 20L * 365 * 86400;
        auto c = make_cert(spec, k.get(), nullptr, nullptr);
        pdb.set_meta("terminal_ca_cert", pem(c.get()));
        pdb.set_meta("terminal_ca_key", pem(k.get()));
        return {std::move(c), std::move(k)};
    }
    return {cert_from_pem(*cert), key_from_pem(*key)};
}

json error_body(const std::string& code, const std::string& message, const json& extra = json::object()) {
    json err = {{"code", code}, {"message", message}};
    json body = json::object();
    for (const auto& [k, v] : extra.items()) {
        err[k] = v;
        body[k] = v;
    }
    body["error"] = std::move(err);
    return body;
}

}  // namespace

ClientCertMode client_cert_mode(const std::string& text) {
    if (text == "off") return ClientCertMode::off;
    if (text == "optional") return ClientCertMode::optional;
    if (text == "required") return ClientCertMode::required;
    throw InputError("--client-certs takes required, optional or off, not '" + text + "'");
}

const char* to_text(ClientCertMode m) {
    switch (m) {
        case ClientCertMode::off: return "off";
        case ClientCertMode::optional: return "optional";
        case ClientCertMode::required: return "required";
    }
    return "off";
}

std::string terminal_ca_pem(PlatformDb& pdb) { return pem(terminal_ca(pdb).first.get()); }

IssuedCert issue_client_cert(PlatformDb& pdb, const Terminal& t, const std::string& csr_pem, std::int64_t valid_s) {
    CsrPtr req = read_csr(csr_pem);
    auto [ca, ca_key] = terminal_ca(pdb);
    CertSpec spec;
    spec.common_name = t.id;
    spec.organisation = "OneWindow terminal " + t.centre + "/" + t.terminal_code;
    spec.not_before_s = -300;
    spec.not_after_s = long(valid_s);
    spec.key_usage = "critical,digitalSignature";
    spec.extended_key_usage = "clientAuth";
    auto cert = make_cert(spec, X509_REQ_get0_pubkey(req.get()), ca.get(), ca_key.get());
    IssuedCert out;
    out.pem = pem(cert.get());
    out.serial = serial_hex(cert.get());
    out.not_after_s = Clock::now_s() + valid_s;
    pdb.db()
        .cached("INSERT INTO client_certs(serial, terminal, not_after_s, issued_ms) VALUES(?1, ?2, ?3, ?4)")
        .bind(1, out.serial)
        .bind(2, t.id)
        .bind(3, out.not_after_s)
        .bind(4, Clock::now_ms())
        .run();
    pdb.bump("client_certs.issued");
    return out;
}

void check_csr(const std::string& csr_pem) { (void)read_csr(csr_pem); }

int revoke_client_certs(PlatformDb& pdb, const std::string& terminal_id) {
    if (!find_terminal(pdb.db(), terminal_id)) throw InputError("no terminal " + terminal_id);
    pdb.db()
        .cached("UPDATE client_certs SET revoked_ms = ?2 WHERE terminal = ?1 AND revoked_ms IS NULL")
        .bind(1, terminal_id)
        .bind(2, Clock::now_ms())
        .run();
    return pdb.db().changes();
}

bool setup_server_tls(SSL_CTX& ctx, const std::string& cert_file, const std::string& key_file, const std::string& terminal_ca,
                      ClientCertMode mode) {
    SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
    SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    if (SSL_CTX_use_certificate_chain_file(&ctx, cert_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(&ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
        ERR_clear_error();
        return false;
    }
    if (mode == ClientCertMode::off) return true;
    X509Ptr ca = cert_from_pem(terminal_ca);
    if (X509_STORE_add_cert(SSL_CTX_get_cert_store(&ctx), ca.get()) != 1 || SSL_CTX_add_client_CA(&ctx, ca.get()) != 1) {
        ERR_clear_error();
        return false;
    }
    static const unsigned char kContext[] = "onewindow-platform-sim";
    SSL_CTX_set_session_id_context(&ctx, kContext, sizeof kContext - 1);
    // Asked for, not demanded: enrolment and ping come without one. A certificate that is
    // presented must chain to the terminal CA and be valid now, or the handshake fails.
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
    return true;
}

std::optional<AuthFailure> check_client_cert(PlatformDb& pdb, const void* ssl_ptr, const std::string& terminal_id, ClientCertMode mode) {
    const SSL* ssl = static_cast<const SSL*>(ssl_ptr);
    if (!ssl || mode == ClientCertMode::off) return std::nullopt;
    const auto fail = [&pdb](int status, const char* code, std::string message) {
        auto lock = pdb.lock();
        pdb.bump(std::string("refused.") + code);
        return std::optional<AuthFailure>(AuthFailure{status, code, std::move(message)});
    };
    X509* peer = SSL_get0_peer_certificate(ssl);
    if (!peer) {
        if (mode == ClientCertMode::optional) return std::nullopt;
        return fail(401, "auth.client_cert_required",
                    "this platform requires the terminal's client certificate (issued at enrolment); none was presented");
    }
    if (SSL_get_verify_result(ssl) != X509_V_OK)
        return fail(401, "auth.client_cert_untrusted", "the client certificate was not issued by this platform");
    const std::string serial = serial_hex(peer);
    std::string owner;
    bool revoked = false, known = false;
    {
        auto lock = pdb.lock();
        auto& st = pdb.db().cached("SELECT terminal, revoked_ms IS NOT NULL FROM client_certs WHERE serial = ?1");
        st.bind(1, serial);
        if (st.step()) {
            known = true;
            owner = st.text(0);
            revoked = st.int64(1) != 0;
        }
        st.reset();
    }
    if (!known) return fail(401, "auth.client_cert_unknown", "the client certificate is not one this platform issued");
    if (owner != terminal_id) return fail(403, "auth.client_cert_mismatch", "the client certificate belongs to another terminal");
    if (revoked) return fail(403, "auth.client_cert_revoked", "the terminal's client certificate has been revoked; enrol the terminal again");
    return std::nullopt;
}

std::pair<int, std::string> anchor_audit_head(PlatformDb& pdb, const Terminal& t, const std::string& body) {
    const json j = json::parse(body, nullptr, false);
    const auto hash_ok = [](const json& v) { return v.is_string() && is_lower_hex(v.get<std::string>(), 64); };
    const auto seq_ok = [](const json& v) { return v.is_number_integer() && v.get<std::int64_t>() >= 0; };
    if (!j.is_object() || !j.contains("seq") || !seq_ok(j["seq"]) || !j.contains("hash") ||
        !(hash_ok(j["hash"]) || (j["seq"] == 0 && j["hash"] == "")))
        return {422, dump(error_body("invalid.audit_head", "seq (an integer >= 0) and hash (64 lower-case hex digits) are needed"))};
    const std::int64_t seq = j["seq"].get<std::int64_t>();
    const std::string hash = j["hash"].get<std::string>();
    std::optional<std::pair<std::int64_t, std::string>> proof;
    if (j.contains("proof") && !j["proof"].is_null()) {
        const json& p = j["proof"];
        if (!p.is_object() || !p.contains("seq") || !seq_ok(p["seq"]) || !p.contains("hash") || !p["hash"].is_string())
            return {422, dump(error_body("invalid.audit_proof", "proof needs seq and hash"))};
        proof.emplace(p["seq"].get<std::int64_t>(), p["hash"].get<std::string>());
    }

    auto& db = pdb.db();
    store::Transaction tx(db);
    auto& st = db.cached("SELECT seq, hash FROM audit_anchors WHERE terminal = ?1");
    st.bind(1, t.id);
    std::optional<std::pair<std::int64_t, std::string>> anchored;
    if (st.step()) anchored.emplace(st.int64(0), st.text(1));
    st.reset();

    const auto accept = [&]() -> std::pair<int, std::string> {
        db.cached("INSERT INTO audit_anchors(terminal, seq, hash, anchored_ms) VALUES(?1, ?2, ?3, ?4) "
                  "ON CONFLICT(terminal) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
                  "anchored_ms = excluded.anchored_ms, anchors = anchors + 1")
            .bind(1, t.id)
            .bind(2, seq)
            .bind(3, hash)
            .bind(4, Clock::now_ms())
            .run();
        pdb.bump("audit.anchored");
        tx.commit();
        return {200, dump(json{{"status", "anchored"}, {"anchored_seq", seq}, {"anchored_hash", hash}})};
    };
    if (!anchored) return accept();  // the first head a terminal sends is taken as it is
    const auto& [a_seq, a_hash] = *anchored;
    std::string reason, proof_hash;
    if (seq < a_seq) {
        reason = "the trail is shorter than the head anchored before (" + std::to_string(seq) + " < " + std::to_string(a_seq) + " entries)";
    } else if (seq == a_seq) {
        if (hash == a_hash) return accept();
        reason = "the entry at the anchored seq " + std::to_string(a_seq) + " has another hash than the one anchored";
        proof_hash = hash;
    } else if (!proof || proof->first != a_seq) {
        tx.commit();
        return {409, dump(error_body("audit.proof_needed", "send the hash of the entry at the anchored seq as proof",
                                     {{"anchored_seq", a_seq}}))};
    } else if (proof->second == a_hash) {
        return accept();
    } else {
        reason = "the entry at the anchored seq " + std::to_string(a_seq) + " has another hash than the one anchored";
        proof_hash = proof->second;
    }
    db.cached("INSERT INTO audit_alarms(terminal, at_ms, anchored_seq, anchored_hash, sent_seq, sent_hash, proof_hash, reason) "
              "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        .bind(1, t.id)
        .bind(2, Clock::now_ms())
        .bind(3, a_seq)
        .bind(4, a_hash)
        .bind(5, seq)
        .bind(6, hash)
        .bind(7, proof_hash)
        .bind(8, reason)
        .run();
    pdb.bump("audit.rewritten");
    tx.commit();
    // Logged even with --quiet: an operator must see it.
    std::fprintf(stderr, "AUDIT ALARM terminal %s (%s/%s): %s; the anchored head %lld:%s is kept\n", t.id.c_str(), t.centre.c_str(),
                 t.terminal_code.c_str(), reason.c_str(), static_cast<long long>(a_seq), a_hash.c_str());
    return {409, dump(error_body("audit.rewritten",
                                 "the terminal's audit trail does not extend the head the platform anchored: " + reason,
                                 {{"anchored_seq", a_seq}}))};
}

}  // namespace ow::sim
