#include "ses.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/params.h>

#include <algorithm>
#include <ctime>
#include <stdexcept>

namespace ow::seal::ses {

namespace {

const char kDistId[] = "1234567812345678";  // GB/T 32918 default user id

OSSL_PARAM* dist_id_params(OSSL_PARAM (&params)[2]) {
    params[0] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_DIST_ID, const_cast<char*>(kDistId),
                                                  sizeof kDistId - 1);
    params[1] = OSSL_PARAM_construct_end();
    return params;
}

Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

std::string_view bit_string_bytes(const der::Element& e) {
    if (e.content.empty() || e.content[0] != 0) throw std::runtime_error("bit string with unused bits");
    return e.content.substr(1);
}

std::int64_t parse_generalized(std::string_view s) {
    if (s.size() < 15) return 0;
    std::tm tm{};
    auto n = [&](std::size_t at, std::size_t len) { return std::stoi(std::string(s.substr(at, len))); };
    tm.tm_year = n(0, 4) - 1900;
    tm.tm_mon = n(4, 2) - 1;
    tm.tm_mday = n(6, 2);
    tm.tm_hour = n(8, 2);
    tm.tm_min = n(10, 2);
    tm.tm_sec = n(12, 2);
    return timegm(&tm);
}

}  // namespace

bool is_sm2(const EVP_PKEY* key) { return EVP_PKEY_is_a(key, "SM2") == 1; }

Bytes sm2_sign(EVP_PKEY* key, const Bytes& data) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    OSSL_PARAM params[2];
    size_t len = 0;
    Bytes sig;
    EVP_PKEY_CTX* pctx = nullptr;
    // The distinguishing id is set after init: OpenSSL 3.0 refuses it as an init parameter.
    bool ok = EVP_DigestSignInit_ex(ctx, &pctx, "SM3", nullptr, nullptr, key, nullptr) == 1 &&
              EVP_PKEY_CTX_set_params(pctx, dist_id_params(params)) == 1 &&
              EVP_DigestSign(ctx, nullptr, &len, data.data(), data.size()) == 1;
    if (ok) {
        sig.resize(len);
        ok = EVP_DigestSign(ctx, sig.data(), &len, data.data(), data.size()) == 1;
        sig.resize(len);
    }
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        ERR_clear_error();
        throw std::runtime_error("SM2 signing failed");
    }
    return sig;
}

bool sm2_verify(EVP_PKEY* key, std::string_view data, std::string_view signature) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    OSSL_PARAM params[2];
    EVP_PKEY_CTX* pctx = nullptr;
    const bool ok =
        EVP_DigestVerifyInit_ex(ctx, &pctx, "SM3", nullptr, nullptr, key, nullptr) == 1 &&
        EVP_PKEY_CTX_set_params(pctx, dist_id_params(params)) == 1 &&
        EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                         reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

bool sign_certificate(X509* cert, EVP_PKEY* issuer_key) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    OSSL_PARAM params[2];
    EVP_PKEY_CTX* pctx = nullptr;
    const bool ok = EVP_DigestSignInit_ex(ctx, &pctx, "SM3", nullptr, nullptr, issuer_key, nullptr) == 1 &&
                    EVP_PKEY_CTX_set_params(pctx, dist_id_params(params)) == 1 && X509_sign_ctx(cert, ctx) > 0;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

Bytes make_seal(const SealSpec& spec, EVP_PKEY* maker_key, X509* maker_cert) {
    const Bytes header = der::sequence({der::ia5_string("ES"), der::integer(4), der::ia5_string("OneWindow")});
    const Bytes property = der::sequence({
        der::integer(spec.type),
        der::utf8_string(spec.name),
        der::integer(1),  // certListType 1: the certificates themselves
        der::sequence({der::octet_string(spec.signer_cert_der)}),
        der::generalized_time(spec.created),
        der::generalized_time(spec.valid_from),
        der::generalized_time(spec.valid_to),
    });
    const Bytes picture = der::sequence({der::ia5_string("PNG"), der::octet_string(to_bytes(spec.png)),
                                         der::integer(spec.width_mm), der::integer(spec.height_mm)});
    const Bytes seal_info = der::sequence({header, der::ia5_string(spec.es_id), property, picture});
    int len = i2d_X509(maker_cert, nullptr);
    Bytes maker(static_cast<std::size_t>(len));
    unsigned char* p = maker.data();
    i2d_X509(maker_cert, &p);
    return der::sequence({seal_info, der::octet_string(maker), der::oid(kOidSm2WithSm3),
                          der::bit_string(sm2_sign(maker_key, seal_info))});
}

Bytes make_signature(const Bytes& seal, EVP_PKEY* key, X509* cert, const Bytes& data_hash, std::int64_t when,
                     const std::string& property_info) {
    const Bytes tbs = der::sequence({der::integer(4), seal, der::generalized_time(when), der::bit_string(data_hash),
                                     der::ia5_string(property_info)});
    int len = i2d_X509(cert, nullptr);
    Bytes cert_der(static_cast<std::size_t>(len));
    unsigned char* p = cert_der.data();
    i2d_X509(cert, &p);
    return der::sequence(
        {tbs, der::octet_string(cert_der), der::oid(kOidSm2WithSm3), der::bit_string(sm2_sign(key, tbs))});
}

namespace {

struct SealParts {
    der::Element info;
    std::string_view maker_cert, signed_value;
    std::string name, es_id, png;
    std::vector<std::string_view> certs;
    std::int64_t valid_from = 0, valid_to = 0;
};

SealParts parse_seal(std::string_view seal_der) {
    SealParts s;
    der::Reader top(der::Reader(seal_der).next(0x30).content);
    s.info = top.next(0x30);
    s.maker_cert = top.next(0x04).content;
    top.next(0x06);
    s.signed_value = bit_string_bytes(top.next(0x03));
    der::Reader info(s.info.content);
    der::Reader header(info.next(0x30).content);
    if (header.next(0x16).content != "ES") throw std::runtime_error("not an SES_Seal");
    s.es_id = std::string(info.next(0x16).content);
    der::Reader prop(info.next(0x30).content);
    prop.next(0x02);
    s.name = std::string(prop.next(0x0C).content);
    prop.next(0x02);
    der::Reader certs(prop.next(0x30).content);
    while (certs.more()) s.certs.push_back(certs.next(0x04).content);
    prop.next(0x18);
    s.valid_from = parse_generalized(prop.next(0x18).content);
    s.valid_to = parse_generalized(prop.next(0x18).content);
    der::Reader pic(info.next(0x30).content);
    pic.next(0x16);
    s.png = std::string(pic.next(0x04).content);
    return s;
}

X509* cert_from(std::string_view der_bytes) {
    const auto* p = reinterpret_cast<const unsigned char*>(der_bytes.data());
    return d2i_X509(nullptr, &p, static_cast<long>(der_bytes.size()));
}

}  // namespace

std::string seal_picture(const Bytes& seal) {
    try {
        return parse_seal(std::string_view(reinterpret_cast<const char*>(seal.data()), seal.size())).png;
    } catch (const std::exception&) {
        return {};
    }
}

Checked check(std::string_view sig_der, const Bytes& sm3) {
    Checked c;
    try {
        der::Reader top(der::Reader(sig_der).next(0x30).content);
        const der::Element tbs = top.next(0x30);
        const std::string_view signer_der = top.next(0x04).content;
        top.next(0x06);
        const std::string_view signature = bit_string_bytes(top.next(0x03));
        der::Reader t(tbs.content);
        t.next(0x02);
        const der::Element seal = t.next(0x30);
        c.time = std::string(t.next(0x18).content);
        c.unix_time = parse_generalized(c.time);
        const std::string_view hash = bit_string_bytes(t.next(0x03));
        const SealParts parts = parse_seal(seal.whole);
        c.parsed = true;
        c.seal_name = parts.name;
        c.es_id = parts.es_id;
        c.png = parts.png;
        c.digest_ok = hash == std::string_view(reinterpret_cast<const char*>(sm3.data()), sm3.size());
        c.signer = cert_from(signer_der);
        if (c.signer) c.signature_ok = sm2_verify(X509_get0_pubkey(c.signer), tbs.whole, signature);
        if (X509* maker = cert_from(parts.maker_cert)) {
            c.seal_ok = sm2_verify(X509_get0_pubkey(maker), parts.info.whole, parts.signed_value);
            X509_free(maker);
        }
        c.cert_in_seal = std::find(parts.certs.begin(), parts.certs.end(), signer_der) != parts.certs.end();
        c.time_in_validity = c.unix_time >= parts.valid_from && c.unix_time <= parts.valid_to;
    } catch (const std::exception&) {
        c.parsed = false;
    }
    ERR_clear_error();
    return c;
}

}  // namespace ow::seal::ses
