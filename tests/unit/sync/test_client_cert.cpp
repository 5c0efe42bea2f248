// The terminal's client key pair, CSR and certificate checks (ow/sync/client_cert.h).
#include <boost/test/unit_test.hpp>

#include "ow/sync/client_cert.h"
#include "ow/sync/errors.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

using namespace ow::sync;

namespace {

/// A certificate for the CSR's key, signed by the CSR's own key (a stand-in for the platform's CA).
std::string self_certify(const ClientKey& k, long valid_s) {
    BIO* kb = BIO_new_mem_buf(k.key_pem.data(), int(k.key_pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
    BIO_free(kb);
    X509* c = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(c), 4711);
    X509_gmtime_adj(X509_getm_notBefore(c), 0);
    X509_gmtime_adj(X509_getm_notAfter(c), valid_s);
    X509_set_pubkey(c, key);
    X509_sign(c, key, EVP_sha256());
    BIO* out = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(out, c);
    char* p = nullptr;
    const long n = BIO_get_mem_data(out, &p);
    std::string pem(p, std::size_t(n));
    BIO_free(out);
    X509_free(c);
    EVP_PKEY_free(key);
    return pem;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client_cert)

BOOST_AUTO_TEST_CASE(a_new_key_pair_comes_with_a_csr_that_verifies) {
    auto k = make_client_key("window 3");
    BOOST_CHECK(k.key_pem.find("BEGIN PRIVATE KEY") != std::string::npos);
    BIO* b = BIO_new_mem_buf(k.csr_pem.data(), int(k.csr_pem.size()));
    X509_REQ* req = PEM_read_bio_X509_REQ(b, nullptr, nullptr, nullptr);
    BIO_free(b);
    BOOST_REQUIRE(req);
    BOOST_CHECK_EQUAL(X509_REQ_verify(req, X509_REQ_get0_pubkey(req)), 1);
    BOOST_CHECK_EQUAL(EVP_PKEY_get_bits(X509_REQ_get0_pubkey(req)), 256);
    X509_REQ_free(req);
    BOOST_CHECK(make_client_key("window 3").key_pem != k.key_pem);  // a fresh key each time
}

BOOST_AUTO_TEST_CASE(a_certificate_must_belong_to_its_key) {
    auto k = make_client_key("t");
    const std::string cert = self_certify(k, 3600);
    auto info = read_client_cert(cert, k.key_pem);
    BOOST_CHECK_EQUAL(info.serial, "1267");  // 4711
    BOOST_CHECK_EQUAL(info.not_after_s - info.not_before_s, 3600);
    auto other = make_client_key("t");
    try {
        read_client_cert(cert, other.key_pem);
        BOOST_FAIL("another key was accepted");
    } catch (const SyncError& e) {
        BOOST_CHECK_EQUAL(e.code(), "config.client_cert");
    }
    BOOST_CHECK_THROW(read_client_cert("not a certificate", k.key_pem), SyncError);
    BOOST_CHECK_THROW(read_client_cert(cert, "not a key"), SyncError);
}

BOOST_AUTO_TEST_CASE(renewal_is_due_when_less_than_a_third_of_the_lifetime_is_left) {
    ClientCertInfo info;
    info.not_before_s = 0;
    info.not_after_s = 90 * 86400;
    BOOST_CHECK(!needs_renewal(info, 1));
    BOOST_CHECK(!needs_renewal(info, 60 * 86400 - 1));
    BOOST_CHECK(needs_renewal(info, 60 * 86400 + 1));
    BOOST_CHECK(needs_renewal(info, 100 * 86400));  // expired
    info.not_after_s = info.not_before_s;
    BOOST_CHECK(needs_renewal(info, 0));  // a certificate without a lifetime
}

BOOST_AUTO_TEST_SUITE_END()
