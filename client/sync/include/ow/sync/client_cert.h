// The terminal's TLS client certificate (mTLS, docs/security-model.md "Trust chain"): the key
// pair is made here, on the terminal, and only a certificate signing request (CSR) is sent to the
// platform, which signs a short-lived certificate with its terminal CA. The key is kept inside
// the encrypted store (PlatformConfig::client_key_pem) and handed to libcurl from memory.
#pragma once

#include <cstdint>
#include <string>

namespace ow::sync {

struct ClientKey {
    std::string key_pem;  // PKCS#8 PEM of a new EC P-256 private key; the caller wipes it (wipe_secret)
    std::string csr_pem;  // PKCS#10 request for it, subject CN = `common_name`, signed with SHA-256
};
/// A new key pair and its CSR. Throws SyncError(config, "config.client_key") when OpenSSL fails.
ClientKey make_client_key(const std::string& common_name);

struct ClientCertInfo {
    std::int64_t not_before_s = 0, not_after_s = 0;  // Unix seconds
    std::string serial;                              // lower-case hex
    std::string subject;                             // one line
};
/// Reads a client certificate and checks that `key_pem` is its private key. Throws
/// SyncError(config, "config.client_cert") when either cannot be read or they do not match.
ClientCertInfo read_client_cert(const std::string& cert_pem, const std::string& key_pem);

/// True when less than a third of the certificate's lifetime is left at `now_s` (then the
/// engine asks the platform for a new one at the next sync).
bool needs_renewal(const ClientCertInfo& info, std::int64_t now_s);

}  // namespace ow::sync
