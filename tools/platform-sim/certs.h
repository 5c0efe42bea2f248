// Certificates with the OpenSSL 3 API: EC P-256 keys, X.509 v3 certificates signed by a small CA,
// PEM in and out. Used for the TSA chain of a new database and by `make-certs` (the test CA, a
// good server certificate, an expired one, one for another host and a self-signed one).
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

namespace ow::sim {

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
    void operator()(X509* p) const { X509_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

struct CertSpec {
    std::string common_name;
    std::string organisation = "OneWindow training platform";
    bool ca = false;
    std::vector<std::string> hosts;  // subjectAltName: IP addresses and DNS names
    long not_before_s = -3600;       // relative to now
    long not_after_s = 3650L * 86400;
    std::string key_usage;           // e.g. "critical,digitalSignature"
    std::string extended_key_usage;  // e.g. "serverAuth" or "critical,timeStamping"
};

PkeyPtr make_ec_key();
/// Signs `spec` for `key` with the issuer (self-signed when issuer is null). Throws on failure.
X509Ptr make_cert(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key);

std::string pem(X509* cert);
std::string pem(EVP_PKEY* key);
X509Ptr cert_from_pem(const std::string& text);
PkeyPtr key_from_pem(const std::string& text);

/// `make-certs --dir D --host H`: writes ca.pem/ca.key, server.pem/server.key, expired.*,
/// wrong-host.*, self-signed.* and returns the JSON that names them.
std::string make_test_certs(const std::string& dir, const std::string& host);

}  // namespace ow::sim
