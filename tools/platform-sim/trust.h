// The trust chain on the platform's side (docs/security-model.md, "Trust chain"):
// - terminal client certificates (mTLS): a terminal CA kept in the database signs a short-lived
//   certificate for the CSR a terminal sends at enrolment or renewal; the certificate a signed
//   request came with must be one of the platform's, unrevoked, for the terminal that signed;
// - audit heads: each terminal's last anchored audit head (seq, hash), and the check that a new
//   head extends it (the terminal proves the entry at the anchored seq still has the anchored hash).
// All functions that touch the database expect the caller to hold the database lock unless said
// otherwise.
#pragma once

#include "auth.h"

#include <cstdint>
#include <optional>
#include <string>

#include <openssl/ssl.h>

namespace ow::sim {

class PlatformDb;

/// Tables of this module (client_certs, audit_anchors, audit_alarms); run at every open, idempotent.
extern const char* const kTrustSchema;

/// Whether a signed request over TLS must come with the terminal's client certificate.
/// off: none asked for; optional: a certificate presented is checked, none is accepted (terminals
/// enrolled with the `enroll` command have none); required: no certificate, no service.
enum class ClientCertMode { off, optional, required };
ClientCertMode client_cert_mode(const std::string& text);  // InputError for anything else
const char* to_text(ClientCertMode m);

/// The terminal CA's certificate (PEM); made and kept in the database the first time.
std::string terminal_ca_pem(PlatformDb& pdb);

struct IssuedCert {
    std::string pem, serial;  // serial: lower-case hex
    std::int64_t not_after_s = 0;
};
/// Signs a client certificate (CN = terminal id, EKU clientAuth) for the public key of `csr_pem`,
/// valid from 5 minutes ago for `valid_s` seconds, and records it. InputError when the CSR is not
/// a PEM certificate request whose self-signature verifies, or its key is not EC P-256 or RSA of
/// at least 2048 bits.
IssuedCert issue_client_cert(PlatformDb& pdb, const Terminal& t, const std::string& csr_pem, std::int64_t valid_s);

/// InputError when the CSR is not acceptable (the checks of issue_client_cert).
void check_csr(const std::string& csr_pem);

/// Revokes every certificate issued to the terminal; returns how many were not revoked before.
/// InputError when the terminal is unknown.
int revoke_client_certs(PlatformDb& pdb, const std::string& terminal_id);

/// Sets up the server's TLS context: its certificate chain and key from files and, unless `mode`
/// is off, a request for a client certificate that must chain to the terminal CA (a foreign or
/// expired one fails the handshake; none at all is left to check_client_cert).
bool setup_server_tls(SSL_CTX& ctx, const std::string& cert_file, const std::string& key_file, const std::string& terminal_ca,
                      ClientCertMode mode);

/// The check of the client certificate of a signed request from `terminal_id` (takes the lock
/// itself). Plain HTTP and mode off: nothing to check.
std::optional<AuthFailure> check_client_cert(PlatformDb& pdb, const void* ssl, const std::string& terminal_id, ClientCertMode mode);

/// POST /v1/audit:anchor, decided (lock held): status and JSON body. `body` is the request's
/// JSON. A rewritten trail is recorded in audit_alarms and logged on stderr.
std::pair<int, std::string> anchor_audit_head(PlatformDb& pdb, const Terminal& t, const std::string& body);

}  // namespace ow::sim
