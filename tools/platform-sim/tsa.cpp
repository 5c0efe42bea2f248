#include "tsa.h"

#include "platform_db.h"
#include "util.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/ts.h>

#include <stdexcept>

namespace ow::sim {

namespace {

constexpr const char* kPolicy = "1.2.3.4.1";

ASN1_INTEGER* serial_cb(TS_RESP_CTX*, void*) {
    const std::string r = random_bytes(12);
    BIGNUM* bn = BN_bin2bn(reinterpret_cast<const unsigned char*>(r.data()), int(r.size()), nullptr);
    BN_clear_bit(bn, 95);
    ASN1_INTEGER* v = BN_to_ASN1_INTEGER(bn, nullptr);
    BN_free(bn);
    return v;
}

int time_cb(TS_RESP_CTX*, void*, long* sec, long* usec) {
    const std::int64_t ms = Clock::now_ms();
    *sec = long(ms / 1000);
    *usec = long(ms % 1000) * 1000;
    return 1;
}

}  // namespace

void create_tsa_material(PlatformDb& pdb) {
    auto ca_key = make_ec_key();
    CertSpec ca_spec;
    ca_spec.common_name = "OneWindow 训练平台 TSA 根证书";
    ca_spec.ca = true;
    ca_spec.not_after_s = 20L * 365 * 86400;
    auto ca = make_cert(ca_spec, ca_key.get(), nullptr, nullptr);

    auto key = make_ec_key();
    CertSpec spec;
    spec.common_name = "OneWindow 训练平台时间戳服务";
    spec.key_usage = "critical,digitalSignature,nonRepudiation";
    spec.extended_key_usage = "critical,timeStamping";
    spec.not_after_s = 10L * 365 * 86400;
    auto cert = make_cert(spec, key.get(), ca.get(), ca_key.get());

    pdb.set_meta("tsa_ca_cert", pem(ca.get()));
    pdb.set_meta("tsa_cert", pem(cert.get()));
    pdb.set_meta("tsa_key", pem(key.get()));
}

Tsa::Tsa(PlatformDb& pdb) {
    auto lock = pdb.lock();
    cert_pem_ = pdb.meta("tsa_cert").value_or("");
    ca_pem_ = pdb.meta("tsa_ca_cert").value_or("");
    const std::string key_pem = pdb.meta("tsa_key").value_or("");
    if (cert_pem_.empty() || ca_pem_.empty() || key_pem.empty()) throw InputError("the database has no TSA key");
    cert_ = cert_from_pem(cert_pem_);
    ca_ = cert_from_pem(ca_pem_);
    key_ = key_from_pem(key_pem);
}

std::string Tsa::respond(const std::string& der_query) const {
    TS_RESP_CTX* ctx = TS_RESP_CTX_new();
    if (!ctx) throw std::runtime_error("cannot start the TSA");
    ASN1_OBJECT* policy = OBJ_txt2obj(kPolicy, 1);
    STACK_OF(X509)* certs = sk_X509_new_null();
    sk_X509_push(certs, ca_.get());  // the stack does not own it; TS_RESP_CTX_set_certs copies
    TS_RESP_CTX_set_signer_cert(ctx, cert_.get());
    TS_RESP_CTX_set_signer_key(ctx, key_.get());
    TS_RESP_CTX_set_signer_digest(ctx, EVP_sha256());
    TS_RESP_CTX_set_ess_cert_id_digest(ctx, EVP_sha256());
    TS_RESP_CTX_set_def_policy(ctx, policy);
    TS_RESP_CTX_set_certs(ctx, certs);
    for (const EVP_MD* md : {EVP_sha256(), EVP_sha384(), EVP_sha512(), EVP_sha1()}) TS_RESP_CTX_add_md(ctx, md);
    TS_RESP_CTX_set_accuracy(ctx, 1, 0, 0);
    TS_RESP_CTX_add_flags(ctx, TS_TSA_NAME);
    TS_RESP_CTX_set_serial_cb(ctx, serial_cb, nullptr);
    TS_RESP_CTX_set_time_cb(ctx, time_cb, nullptr);

    BIO* in = BIO_new_mem_buf(der_query.data(), int(der_query.size()));
    TS_RESP* resp = TS_RESP_create_response(ctx, in);
    BIO_free(in);
    std::string out;
    if (resp) {
        const int n = i2d_TS_RESP(resp, nullptr);
        if (n > 0) {
            out.resize(std::size_t(n));
            auto* p = reinterpret_cast<unsigned char*>(out.data());
            i2d_TS_RESP(resp, &p);
        }
        TS_RESP_free(resp);
    }
    TS_RESP_CTX_free(ctx);
    sk_X509_free(certs);
    ASN1_OBJECT_free(policy);
    ERR_clear_error();
    if (out.empty()) throw std::runtime_error("the TSA could not answer");
    return out;
}

}  // namespace ow::sim
