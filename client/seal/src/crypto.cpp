#include "crypto.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace ow::seal {

SigningKey::Impl::~Impl() {
    EVP_PKEY_free(key);
    X509_free(cert);
    if (chain) sk_X509_pop_free(chain, X509_free);
    release_engine(engine);
}

SigningKey::SigningKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

std::string SigningKey::signer_name() const { return crypto::common_name(X509_get_subject_name(impl_->cert)); }

std::string crypto::read_pin(const std::filesystem::path& pin_file) {
    std::string pin;
    if (pin_file == "-") {
        std::getline(std::cin, pin);
        if (std::cin.bad()) throw SealInputError("seal.pin_file", "cannot read the PIN from standard input");
    } else {
        std::ifstream in(pin_file, std::ios::binary);
        if (!in) throw SealInputError("seal.pin_file", "cannot read the PIN file " + pin_file.string());
        pin.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    while (!pin.empty() && (pin.back() == '\n' || pin.back() == '\r')) pin.pop_back();
    return pin;
}

namespace {

struct Cleanse {
    std::string& s;
    ~Cleanse() {
        if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
    }
};

}  // namespace

SigningKey SigningKey::from_pkcs12(const std::filesystem::path& p12, const std::filesystem::path& pin_file) {
    std::ifstream in(p12, std::ios::binary);
    if (!in) throw SealInputError("seal.p12", "cannot read the PKCS#12 file " + p12.string());
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string pin = crypto::read_pin(pin_file);
    Cleanse cleanse{pin};
    return from_pkcs12_bytes(data, pin, p12.string());
}

SigningKey SigningKey::from_pkcs12_bytes(std::string_view data, std::string_view pin_view, const std::string& source) {
    std::string pin(pin_view);
    Cleanse cleanse{pin};
    const auto* p = reinterpret_cast<const unsigned char*>(data.data());
    PKCS12* pk = d2i_PKCS12(nullptr, &p, static_cast<long>(data.size()));
    if (!pk) {
        ERR_clear_error();
        throw SealInputError("seal.p12", "not a PKCS#12 file: " + source);
    }
    auto impl = std::make_unique<Impl>();
    if (!PKCS12_verify_mac(pk, pin.c_str(), static_cast<int>(pin.size()))) {
        PKCS12_free(pk);
        ERR_clear_error();
        throw SealInputError("seal.wrong_pin", "wrong PIN for the seal's PKCS#12 file");
    }
    const int ok = PKCS12_parse(pk, pin.c_str(), &impl->key, &impl->cert, &impl->chain);
    PKCS12_free(pk);
    if (!ok) {
        ERR_clear_error();
        throw SealInputError("seal.p12", "cannot open the PKCS#12 file (wrong PIN or unsupported encryption)");
    }
    if (!impl->key || !impl->cert)
        throw SealInputError("seal.p12", "the PKCS#12 file holds no private key with its certificate");
    if (X509_check_private_key(impl->cert, impl->key) != 1) {
        ERR_clear_error();
        throw SealInputError("seal.p12", "the PKCS#12 key does not match its certificate");
    }
    return SigningKey(std::move(impl));
}

namespace crypto {

Bytes cert_der(X509* cert) {
    const int len = i2d_X509(cert, nullptr);
    Bytes out(static_cast<std::size_t>(len));
    unsigned char* p = out.data();
    i2d_X509(cert, &p);
    return out;
}

std::string one_line(const X509_NAME* name) {
    BIO* bio = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string s(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    return s;
}

std::string common_name(const X509_NAME* name) {
    const int idx = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (idx < 0) return one_line(name);
    ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
    unsigned char* utf8 = nullptr;
    const int n = ASN1_STRING_to_UTF8(&utf8, s);
    if (n < 0) return one_line(name);
    std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(n));
    OPENSSL_free(utf8);
    return out;
}

void check_usable_for_signing(X509* cert) {
    if (X509_cmp_current_time(X509_get0_notAfter(cert)) < 0)
        throw SealRefused("seal.cert_expired", "the seal's certificate has expired");
    if (X509_cmp_current_time(X509_get0_notBefore(cert)) > 0)
        throw SealRefused("seal.cert_not_yet_valid", "the seal's certificate is not valid yet");
    const uint32_t ku = X509_get_key_usage(cert);
    if (ku != UINT32_MAX && !(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
        throw SealRefused("seal.cert_usage", "the seal's certificate may not be used for signatures");
}

Sha256::Sha256(const EVP_MD* md) : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, md, nullptr); }
Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }
void Sha256::update(const void* data, std::size_t size) { EVP_DigestUpdate(ctx_, data, size); }
Bytes Sha256::finish() {
    Bytes out(EVP_MAX_MD_SIZE);
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_, out.data(), &n);
    out.resize(n);
    return out;
}

namespace {

constexpr const char* kOidSha256 = "2.16.840.1.101.3.4.2.1";
constexpr const char* kOidData = "1.2.840.113549.1.7.1";
constexpr const char* kOidSignedData = "1.2.840.113549.1.7.2";
constexpr const char* kOidContentType = "1.2.840.113549.1.9.3";
constexpr const char* kOidMessageDigest = "1.2.840.113549.1.9.4";
constexpr const char* kOidSigningCertV2 = "1.2.840.113549.1.9.16.2.47";
constexpr const char* kOidTimeStampToken = "1.2.840.113549.1.9.16.2.14";
constexpr const char* kOidRsa = "1.2.840.113549.1.1.1";
constexpr const char* kOidEcdsaSha256 = "1.2.840.10045.4.3.2";

Bytes name_der(const X509_NAME* name) {
    const unsigned char* p = nullptr;
    size_t len = 0;
    X509_NAME_get0_der(name, &p, &len);
    return Bytes(p, p + len);
}

Bytes serial_der(X509* cert) {
    const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
    const int len = i2d_ASN1_INTEGER(serial, nullptr);
    Bytes out(static_cast<std::size_t>(len));
    unsigned char* p = out.data();
    i2d_ASN1_INTEGER(serial, &p);
    return out;
}

Bytes sha256(const Bytes& data) {
    Sha256 h;
    h.update(data.data(), data.size());
    return h.finish();
}

Bytes attribute(const char* type, const Bytes& value) { return der::sequence({der::oid(type), der::set_of({value})}); }

Bytes sign_bytes(EVP_PKEY* key, const Bytes& data) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    Bytes sig;
    size_t len = 0;
    bool ok = EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
              EVP_DigestSign(ctx, nullptr, &len, data.data(), data.size()) == 1;
    if (ok) {
        sig.resize(len);
        ok = EVP_DigestSign(ctx, sig.data(), &len, data.data(), data.size()) == 1;
        sig.resize(len);
    }
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        ERR_clear_error();
        throw SealInputError("seal.sign_failed", "the seal's key could not sign (unsupported key type?)");
    }
    return sig;
}

}  // namespace

Bytes timestamp_token(const TsaClient& tsa, const Bytes& digest) {
    TS_REQ* req = TS_REQ_new();
    TS_MSG_IMPRINT* imprint = TS_MSG_IMPRINT_new();
    X509_ALGOR* alg = X509_ALGOR_new();
    X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr);
    TS_MSG_IMPRINT_set_algo(imprint, alg);
    TS_MSG_IMPRINT_set_msg(imprint, const_cast<unsigned char*>(digest.data()), static_cast<int>(digest.size()));
    TS_REQ_set_version(req, 1);
    TS_REQ_set_msg_imprint(req, imprint);
    unsigned char nonce_bytes[8];
    RAND_bytes(nonce_bytes, sizeof nonce_bytes);
    nonce_bytes[0] &= 0x7F;
    BIGNUM* bn = BN_bin2bn(nonce_bytes, sizeof nonce_bytes, nullptr);
    ASN1_INTEGER* nonce = BN_to_ASN1_INTEGER(bn, nullptr);
    TS_REQ_set_nonce(req, nonce);
    TS_REQ_set_cert_req(req, 1);
    const int qlen = i2d_TS_REQ(req, nullptr);
    std::string query(static_cast<std::size_t>(qlen), '\0');
    auto* qp = reinterpret_cast<unsigned char*>(query.data());
    i2d_TS_REQ(req, &qp);
    X509_ALGOR_free(alg);
    TS_MSG_IMPRINT_free(imprint);
    TS_REQ_free(req);
    BN_free(bn);

    std::string answer;
    try {
        answer = tsa(query);
    } catch (...) {
        ASN1_INTEGER_free(nonce);
        throw;
    }
    const auto* ap = reinterpret_cast<const unsigned char*>(answer.data());
    TS_RESP* resp = d2i_TS_RESP(nullptr, &ap, static_cast<long>(answer.size()));
    auto fail = [&](const std::string& why) {
        TS_RESP_free(resp);
        ASN1_INTEGER_free(nonce);
        ERR_clear_error();
        throw SealInputError("seal.tsa", "the timestamp authority's answer is unusable: " + why);
    };
    if (!resp) fail("not a TimeStampResp");
    const long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp)));
    if (status != 0 && status != 1) fail("request refused (status " + std::to_string(status) + ")");
    TS_TST_INFO* info = TS_RESP_get_tst_info(resp);
    PKCS7* token = TS_RESP_get_token(resp);
    if (!info || !token) fail("no token");
    ASN1_OCTET_STRING* got = TS_MSG_IMPRINT_get_msg(TS_TST_INFO_get_msg_imprint(info));
    if (Bytes(ASN1_STRING_get0_data(got), ASN1_STRING_get0_data(got) + ASN1_STRING_length(got)) != digest)
        fail("the token is for other data");
    const ASN1_INTEGER* got_nonce = TS_TST_INFO_get_nonce(info);
    if (!got_nonce || ASN1_INTEGER_cmp(got_nonce, nonce) != 0) fail("nonce mismatch");
    const int tlen = i2d_PKCS7(token, nullptr);
    Bytes out(static_cast<std::size_t>(tlen));
    unsigned char* tp = out.data();
    i2d_PKCS7(token, &tp);
    TS_RESP_free(resp);
    ASN1_INTEGER_free(nonce);
    return out;
}

Bytes build_cades_signed_data(const SigningKey::Impl& key, const Bytes& digest, const TsaClient& tsa) {
    const Bytes sha256_alg = der::sequence({der::oid(kOidSha256)});
    Bytes sig_alg;
    switch (EVP_PKEY_get_base_id(key.key)) {
    case EVP_PKEY_RSA: sig_alg = der::sequence({der::oid(kOidRsa), der::null()}); break;
    case EVP_PKEY_EC: sig_alg = der::sequence({der::oid(kOidEcdsaSha256)}); break;
    default: throw SealInputError("seal.key_type", "the seal's key must be RSA or ECDSA for the PAdES profile");
    }
    const Bytes cert = cert_der(key.cert);
    const Bytes issuer = name_der(X509_get_issuer_name(key.cert));
    const Bytes serial = serial_der(key.cert);

    // ESSCertIDv2 { hashAlgorithm sha256 (DEFAULT, omitted), certHash, issuerSerial }
    const Bytes issuer_serial = der::sequence({der::sequence({der::context(4, issuer)}), serial});
    const Bytes ess_cert_id = der::sequence({der::octet_string(sha256(cert)), issuer_serial});
    const Bytes signing_cert_v2 = der::sequence({der::sequence({ess_cert_id})});

    std::vector<Bytes> attrs = {
        attribute(kOidContentType, der::oid(kOidData)),
        attribute(kOidMessageDigest, der::octet_string(digest)),
        attribute(kOidSigningCertV2, signing_cert_v2),
    };
    const Bytes signed_attrs = der::set_of(attrs);  // signed as a SET (tag 0x31)
    const Bytes signature = sign_bytes(key.key, signed_attrs);

    std::vector<Bytes> si_parts = {
        der::integer(1),
        der::sequence({issuer, serial}),
        sha256_alg,
        der::retag(signed_attrs, 0xA0),  // [0] IMPLICIT
        sig_alg,
        der::octet_string(signature),
    };
    if (tsa) {  // B-T: id-aa-signatureTimeStampToken over the signature value, [1] IMPLICIT
        const Bytes token = timestamp_token(tsa, sha256(signature));
        si_parts.push_back(der::retag(der::set_of({attribute(kOidTimeStampToken, token)}), 0xA1));
    }
    const Bytes signer_info = der::sequence(si_parts);
    std::vector<Bytes> certs = {cert};
    if (key.chain)
        for (int i = 0; i < sk_X509_num(key.chain); ++i) certs.push_back(cert_der(sk_X509_value(key.chain, i)));
    const Bytes signed_data = der::sequence({
        der::integer(1),
        der::set_of({sha256_alg}),
        der::sequence({der::oid(kOidData)}),
        der::context(0, der::concat(certs)),  // certificates [0] IMPLICIT SET OF (order kept)
        der::set_of({signer_info}),
    });
    return der::sequence({der::oid(kOidSignedData), der::context(0, signed_data)});
}

}  // namespace crypto
}  // namespace ow::seal
