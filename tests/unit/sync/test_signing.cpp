// Request signing against known answers computed independently (Python's hmac/hashlib and
// `openssl dgst -sm3 -hmac`), the canonical query, and strict base64.
#include <boost/test/unit_test.hpp>

#include "ow/sync/signing.h"

using namespace ow::sync;

namespace {
const std::string kSecret = "c2VjcmV0LWtleS1mb3ItdGVzdHMtMDEyMzQ1Njc4OQ==";  // "secret-key-for-tests-0123456789"
const std::string kEmptySha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string header(const HttpRequest& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
        if (k == name) return v;
    return {};
}
}  // namespace

BOOST_AUTO_TEST_SUITE(signing)

BOOST_AUTO_TEST_CASE(canonical_query_sorts_and_percent_encodes) {
    BOOST_CHECK_EQUAL(canonical_query({}), "");
    BOOST_CHECK_EQUAL(canonical_query({{"limit", "200"}, {"cursor", ""}}), "cursor=&limit=200");
    BOOST_CHECK_EQUAL(canonical_query({{"b", "2"}, {"a", "z"}, {"a", "y"}}), "a=y&a=z&b=2");
    // RFC 3986: unreserved kept, everything else %XX upper case (space is %20, never '+').
    BOOST_CHECK_EQUAL(canonical_query({{"q", "a b+c/~_.-"}}), "q=a%20b%2Bc%2F~_.-");
    BOOST_CHECK_EQUAL(canonical_query({{"name", "王"}}), "name=%E7%8E%8B");
}

BOOST_AUTO_TEST_CASE(hmac_sha256_matches_an_independent_implementation) {
    std::string cs = canonical_string(SignAlgorithm::hmac_sha256, "trm-1", "GET", "/v1/changes", "cursor=&limit=200",
                                      1764576000, "00112233445566778899aabbccddeeff", kEmptySha);
    BOOST_CHECK_EQUAL(cs, "OW1-HMAC\nhmac-sha256\ntrm-1\nGET\n/v1/changes\ncursor=&limit=200\n1764576000\n"
                          "00112233445566778899aabbccddeeff\n" + kEmptySha);
    Signer s("trm-1", kSecret, SignAlgorithm::hmac_sha256);
    BOOST_CHECK_EQUAL(s.mac_base64(cs), "WVDXhge40Nm5v8Hn5MSYyuA70lTjESoKRlXyv/pupCU=");
}

BOOST_AUTO_TEST_CASE(hmac_sm3_matches_openssl_and_python) {
    std::string cs = canonical_string(SignAlgorithm::hmac_sm3, "trm-1", "GET", "/v1/changes", "cursor=&limit=200", 1764576000,
                                      "00112233445566778899aabbccddeeff", kEmptySha);
    Signer s("trm-1", kSecret, SignAlgorithm::hmac_sm3);
    BOOST_CHECK_EQUAL(s.mac_base64(cs), "j6pSkV/2f9Lm+pJciDPyqmA2Yktyo7joAGF5jnDidmY=");
}

BOOST_AUTO_TEST_CASE(sign_adds_the_headers_of_the_contract) {
    Signer s("trm-1", kSecret, SignAlgorithm::hmac_sha256);
    HttpRequest r;
    r.method = "POST";
    r.path = "/v1/cases:push";
    r.body = "{\"a\":1}";
    s.sign(r, 1764576000);
    BOOST_CHECK_EQUAL(header(r, "X-OW-Terminal"), "trm-1");
    BOOST_CHECK_EQUAL(header(r, "X-OW-Timestamp"), "1764576000");
    BOOST_CHECK_EQUAL(header(r, "X-OW-Content-SHA256"), sha256_hex("{\"a\":1}"));
    std::string nonce = header(r, "X-OW-Nonce");
    BOOST_CHECK_EQUAL(nonce.size(), 32u);
    BOOST_CHECK(nonce.find_first_not_of("0123456789abcdef") == std::string::npos);
    std::string expect = s.mac_base64(canonical_string(SignAlgorithm::hmac_sha256, "trm-1", "POST", "/v1/cases:push", "", 1764576000,
                                                       nonce, sha256_hex("{\"a\":1}")));
    BOOST_CHECK_EQUAL(header(r, "X-OW-Signature"), "hmac-sha256=" + expect);
    // A second signature uses a fresh nonce.
    HttpRequest r2 = r;
    r2.headers.clear();
    s.sign(r2, 1764576000);
    BOOST_CHECK_NE(header(r2, "X-OW-Nonce"), nonce);
}

BOOST_AUTO_TEST_CASE(secrets_and_algorithms_are_checked) {
    BOOST_CHECK_THROW(Signer("trm-1", "not base64!", SignAlgorithm::hmac_sha256), SyncError);
    BOOST_CHECK_THROW(Signer("trm-1", base64_encode("short"), SignAlgorithm::hmac_sha256), SyncError);
    BOOST_CHECK_THROW(Signer("", kSecret, SignAlgorithm::hmac_sha256), SyncError);
    BOOST_CHECK_THROW(parse_sign_algorithm("md5"), SyncError);
    BOOST_CHECK(parse_sign_algorithm("hmac-sm3") == SignAlgorithm::hmac_sm3);
    BOOST_CHECK_EQUAL(base64_decode(base64_encode("any\x01\xffthing")), "any\x01\xffthing");
    BOOST_CHECK_EQUAL(base64_decode("YQ=="), "a");
    BOOST_CHECK_EQUAL(base64_decode("YWI="), "ab");
    BOOST_CHECK_THROW(base64_decode("YQ="), SyncError);
    BOOST_CHECK_THROW(base64_decode("Y=Q="), SyncError);
    BOOST_CHECK_THROW(base64_decode(""), SyncError);
}

BOOST_AUTO_TEST_CASE(a_url_password_is_redacted_for_display) {
    BOOST_CHECK_EQUAL(redact_url_password("http://user:Pa55w0rd@proxy.example:3128"), "http://user:***@proxy.example:3128");
    BOOST_CHECK_EQUAL(redact_url_password("http://user:p@ss:w@proxy:3128/x?y=@"), "http://user:***@proxy:3128/x?y=@");
    BOOST_CHECK_EQUAL(redact_url_password("socks5h://u:secret@127.0.0.1:1080"), "socks5h://u:***@127.0.0.1:1080");
    BOOST_CHECK_EQUAL(redact_url_password("http://user@proxy:3128"), "http://user@proxy:3128");
    BOOST_CHECK_EQUAL(redact_url_password("http://proxy:3128"), "http://proxy:3128");
    BOOST_CHECK_EQUAL(redact_url_password("http://proxy:3128/a@b"), "http://proxy:3128/a@b");
    BOOST_CHECK_EQUAL(redact_url_password(""), "");
}

BOOST_AUTO_TEST_CASE(a_wiped_secret_string_is_empty_and_its_bytes_are_zero) {
    std::string s = kSecret;
    const char* p = s.data();
    const std::size_t n = s.size();
    wipe_secret(s);
    BOOST_CHECK(s.empty());
    BOOST_CHECK_EQUAL(s.data(), p);  // the same buffer, still owned by s
    for (std::size_t i = 0; i < n; ++i) BOOST_REQUIRE_EQUAL(p[i], '\0');
}

BOOST_AUTO_TEST_CASE(a_signer_refuses_bad_secrets_and_frees_its_guarded_memory) {
    BOOST_CHECK_THROW(Signer("trm-1", "c2hvcnQ=", SignAlgorithm::hmac_sha256), SyncError);  // "short"
    BOOST_CHECK_THROW(Signer("trm-1", "not base64!", SignAlgorithm::hmac_sha256), SyncError);
    BOOST_CHECK_THROW(Signer("trm-1", std::string(8000, 'A'), SignAlgorithm::hmac_sha256), SyncError);
    // Many signers one after the other: the guarded pages are given back each time.
    for (int i = 0; i < 2000; ++i) {
        Signer s("trm-1", kSecret, SignAlgorithm::hmac_sha256);
        if (i == 1999) BOOST_CHECK_EQUAL(s.mac_base64("x").size(), 44u);
    }
}

BOOST_AUTO_TEST_SUITE_END()
