// Keys, certificates and the CMS SignedData of a PAdES signature (internal to ow_seal).
#pragma once

#include "der.h"
#include "ow/seal/seal.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace ow::seal {

struct SigningKey::Impl {
    EVP_PKEY* key = nullptr;
    X509* cert = nullptr;
    STACK_OF(X509)* chain = nullptr;  // extra certificates (may be null)
    void* engine = nullptr;           // the PKCS#11 engine holding `key`, if any (released last)
    ~Impl();
};

void release_engine(void* engine);

namespace crypto {

using der::Bytes;

/// The PIN from `pin_file` (its content without trailing newlines), or the first line of
/// standard input when pin_file is "-". Throws SealInputError when it cannot be read.
std::string read_pin(const std::filesystem::path& pin_file);

/// DER of a certificate.
Bytes cert_der(X509* cert);
/// Subject CN (UTF-8), or the one-line subject when there is no CN.
std::string common_name(const X509_NAME* name);
std::string one_line(const X509_NAME* name);

/// Refuses a certificate that is expired, not yet valid, or whose key usage excludes signing.
void check_usable_for_signing(X509* cert);

/// CMS SignedData (ContentInfo), detached, one SignerInfo over `digest` (SHA-256 of the signed
/// bytes), signed attributes content-type, message-digest and signing-certificate-v2 and nothing
/// else (no signing-time: PAdES puts the time in /M).
/// With a TSA, the SignerInfo gets a signature timestamp (B-T).
Bytes build_cades_signed_data(const SigningKey::Impl& key, const Bytes& digest, const TsaClient& tsa = {});

/// Asks `tsa` for a timestamp token (a CMS ContentInfo, DER) over the SHA-256 `digest`; checks the
/// response's status, imprint and nonce. Throws SealInputError on a bad or refused response.
Bytes timestamp_token(const TsaClient& tsa, const Bytes& digest);

/// A digest in pieces (SHA-256 unless told otherwise, e.g. SM3 for the SM2 profile).
class Sha256 {
public:
    explicit Sha256(const EVP_MD* md = EVP_sha256());
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(const void* data, std::size_t size);
    Bytes finish();

private:
    EVP_MD_CTX* ctx_;
};

}  // namespace crypto
}  // namespace ow::seal
