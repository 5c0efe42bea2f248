#include "certs.h"

#include "util.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <filesystem>
#include <stdexcept>

namespace ow::sim {

namespace {

[[noreturn]] void ssl_fail(const std::string& what) {
    const unsigned long e = ERR_get_error();
    char buf[256] = "";
    if (e) ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    throw std::runtime_error(what + (e ? std::string(": ") + buf : std::string()));
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
    if (value.empty()) return;
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (!ext) ssl_fail("cannot make certificate extension " + std::string(OBJ_nid2sn(nid)));
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

bool is_ip(const std::string& h) {
    unsigned char buf[16];
    return inet_pton(AF_INET, h.c_str(), buf) == 1 || inet_pton(AF_INET6, h.c_str(), buf) == 1;
}

}  // namespace

PkeyPtr make_ec_key() {
    PkeyPtr k(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!k) ssl_fail("cannot make an EC key");
    return k;
}

X509Ptr make_cert(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
    X509Ptr cert(X509_new());
    if (!cert) ssl_fail("cannot make a certificate");
    X509* c = cert.get();
    X509_set_version(c, 2);
    // A random positive 127-bit serial.
    const std::string serial = random_bytes(16);
    BIGNUM* bn = BN_bin2bn(reinterpret_cast<const unsigned char*>(serial.data()), 16, nullptr);
    BN_clear_bit(bn, 127);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(c), spec.not_before_s);
    X509_gmtime_adj(X509_getm_notAfter(c), spec.not_after_s);
    X509_NAME* name = X509_get_subject_name(c);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(spec.organisation.c_str()), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1, 0);
    X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : name);
    X509_set_pubkey(c, key);

    add_ext(c, issuer, NID_basic_constraints, spec.ca ? "critical,CA:TRUE,pathlen:1" : "critical,CA:FALSE");
    add_ext(c, issuer, NID_key_usage, spec.key_usage.empty() ? (spec.ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature") : spec.key_usage);
    add_ext(c, issuer, NID_ext_key_usage, spec.extended_key_usage);
    add_ext(c, issuer, NID_subject_key_identifier, "hash");
    if (issuer) add_ext(c, issuer, NID_authority_key_identifier, "keyid:always");
    std::string san;
    for (const auto& h : spec.hosts) san += (san.empty() ? "" : ",") + std::string(is_ip(h) ? "IP:" : "DNS:") + h;
    add_ext(c, issuer, NID_subject_alt_name, san);

    if (X509_sign(c, issuer_key ? issuer_key : key, EVP_sha256()) <= 0) ssl_fail("cannot sign a certificate");
    return cert;
}

std::string pem(X509* cert) {
    BIO* b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b, cert);
    char* p = nullptr;
    const long n = BIO_get_mem_data(b, &p);
    std::string out(p, std::size_t(n));
    BIO_free(b);
    return out;
}

std::string pem(EVP_PKEY* key) {
    BIO* b = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* p = nullptr;
    const long n = BIO_get_mem_data(b, &p);
    std::string out(p, std::size_t(n));
    BIO_free(b);
    return out;
}

X509Ptr cert_from_pem(const std::string& text) {
    BIO* b = BIO_new_mem_buf(text.data(), int(text.size()));
    X509Ptr c(PEM_read_bio_X509(b, nullptr, nullptr, nullptr));
    BIO_free(b);
    if (!c) ssl_fail("cannot read a certificate");
    return c;
}

PkeyPtr key_from_pem(const std::string& text) {
    BIO* b = BIO_new_mem_buf(text.data(), int(text.size()));
    PkeyPtr k(PEM_read_bio_PrivateKey(b, nullptr, nullptr, nullptr));
    BIO_free(b);
    if (!k) ssl_fail("cannot read a private key");
    return k;
}

std::string make_test_certs(const std::string& dir, const std::string& host) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw InputError("cannot create " + dir + ": " + ec.message());
    const auto path = [&](const std::string& n) { return (fs::path(dir) / n).string(); };
    nlohmann::json out = nlohmann::json::object();
    const auto save = [&](const std::string& name, X509* cert, EVP_PKEY* key) {
        write_file_atomic(path(name + ".pem"), pem(cert));
        out[name] = {{"cert", path(name + ".pem")}};
        if (key) {
            write_file_atomic(path(name + ".key"), pem(key));
            out[name]["key"] = path(name + ".key");
        }
    };

    auto ca_key = make_ec_key();
    CertSpec ca_spec;
    ca_spec.common_name = "OneWindow Test CA";
    ca_spec.ca = true;
    auto ca = make_cert(ca_spec, ca_key.get(), nullptr, nullptr);
    save("ca", ca.get(), ca_key.get());

    const auto leaf = [&](const std::string& name, std::vector<std::string> hosts, long nb, long na, bool self) {
        auto key = make_ec_key();
        CertSpec s;
        s.common_name = hosts.empty() ? name : hosts.front();
        s.hosts = std::move(hosts);
        s.not_before_s = nb;
        s.not_after_s = na;
        s.extended_key_usage = "serverAuth";
        auto cert = self ? make_cert(s, key.get(), nullptr, nullptr) : make_cert(s, key.get(), ca.get(), ca_key.get());
        save(name, cert.get(), key.get());
    };
    std::vector<std::string> hosts{host};
    if (host != "localhost") hosts.push_back("localhost");
    leaf("server", hosts, -3600, 825L * 86400, false);
    leaf("expired", hosts, -30L * 86400, -86400, false);
    leaf("wrong-host", {"wrong-host.invalid", "192.0.2.1"}, -3600, 825L * 86400, false);
    leaf("self-signed", hosts, -3600, 825L * 86400, true);
    return dump(out);
}

}  // namespace ow::sim
