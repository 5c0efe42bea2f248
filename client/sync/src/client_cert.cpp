#include "ow/sync/client_cert.h"

#include "ow/sync/errors.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace ow::sync {
namespace {

struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

/// The BIO's bytes; the BIO's own buffer is cleansed (it may hold a private key).
std::string take(BIO* b) {
    char* p = nullptr;
    const long n = BIO_get_mem_data(b, &p);
    std::string out(p, std::size_t(n > 0 ? n : 0));
    if (n > 0) OPENSSL_cleanse(p, std::size_t(n));
    return out;
}

[[noreturn]] void fail(const char* code, const std::string& message) {
    ERR_clear_error();
    throw SyncError(ErrorKind::config, code, message);
}

std::int64_t unix_of(const ASN1_TIME* t) {
    struct tm tm {};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
    return std::int64_t(timegm(&tm));
}

}  // namespace

ClientKey make_client_key(const std::string& common_name) {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free);
    if (!key) fail("config.client_key", "cannot make the terminal's key pair");
    std::unique_ptr<X509_REQ, decltype(&X509_REQ_free)> req(X509_REQ_new(), X509_REQ_free);
    if (!req) fail("config.client_key", "cannot make a certificate request");
    X509_NAME* name = X509_REQ_get_subject_name(req.get());
    const std::string cn = common_name.empty() ? std::string("OneWindow terminal") : common_name.substr(0, 64);
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0) != 1 ||
        X509_REQ_set_version(req.get(), 0) != 1 || X509_REQ_set_pubkey(req.get(), key.get()) != 1 ||
        X509_REQ_sign(req.get(), key.get(), EVP_sha256()) <= 0)
        fail("config.client_key", "cannot sign the certificate request");
    ClientKey out;
    BioPtr kb(BIO_new(BIO_s_mem()));
    BioPtr rb(BIO_new(BIO_s_mem()));
    if (!kb || !rb || PEM_write_bio_PrivateKey(kb.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
        PEM_write_bio_X509_REQ(rb.get(), req.get()) != 1)
        fail("config.client_key", "cannot write the terminal's key pair");
    out.key_pem = take(kb.get());
    out.csr_pem = take(rb.get());
    return out;
}

ClientCertInfo read_client_cert(const std::string& cert_pem, const std::string& key_pem) {
    BioPtr cb(BIO_new_mem_buf(cert_pem.data(), int(cert_pem.size())));
    std::unique_ptr<X509, decltype(&X509_free)> cert(cb ? PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr) : nullptr, X509_free);
    if (!cert) fail("config.client_cert", "the terminal's client certificate cannot be read");
    BioPtr kb(BIO_new_mem_buf(key_pem.data(), int(key_pem.size())));
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(kb ? PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, nullptr) : nullptr,
                                                             EVP_PKEY_free);
    if (!key) fail("config.client_cert", "the terminal's client key cannot be read");
    if (X509_check_private_key(cert.get(), key.get()) != 1)
        fail("config.client_cert", "the terminal's client certificate does not belong to its key");
    ClientCertInfo info;
    info.not_before_s = unix_of(X509_get0_notBefore(cert.get()));
    info.not_after_s = unix_of(X509_get0_notAfter(cert.get()));
    BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr);
    char* h = bn ? BN_bn2hex(bn) : nullptr;
    info.serial = h ? h : "";
    OPENSSL_free(h);
    BN_free(bn);
    std::transform(info.serial.begin(), info.serial.end(), info.serial.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    char line[512] = "";
    X509_NAME_oneline(X509_get_subject_name(cert.get()), line, sizeof line);
    info.subject = line;
    ERR_clear_error();
    return info;
}

bool needs_renewal(const ClientCertInfo& info, std::int64_t now_s) {
    const std::int64_t lifetime = info.not_after_s - info.not_before_s;
    return lifetime <= 0 || info.not_after_s - now_s < lifetime / 3;
}

}  // namespace ow::sync
