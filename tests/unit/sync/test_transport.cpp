// Transport rules that need no server: plain HTTP only to loopback, pins, CA bundles, gzip.
#include <boost/test/unit_test.hpp>

#include "ow/sync/http.h"

using namespace ow::sync;

namespace {
TransportOptions to(const std::string& url) {
    TransportOptions o;
    o.base_url = url;
    return o;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(transport)

BOOST_AUTO_TEST_CASE(plain_http_only_to_this_machine) {
    BOOST_CHECK(is_loopback_host("127.0.0.1"));
    BOOST_CHECK(is_loopback_host("127.10.20.30"));
    BOOST_CHECK(is_loopback_host("localhost"));
    BOOST_CHECK(is_loopback_host("[::1]"));
    BOOST_CHECK(!is_loopback_host("128.0.0.1"));
    BOOST_CHECK(!is_loopback_host("127.0.0.1.example.com"));
    BOOST_CHECK(!is_loopback_host("127.1"));
    BOOST_CHECK(!is_loopback_host("platform.gov.cn"));
    BOOST_CHECK_NO_THROW(Transport(to("http://127.0.0.1:8080")));
    BOOST_CHECK_NO_THROW(Transport(to("https://zwfw.example.gov.cn")));
    try {
        Transport t(to("http://zwfw.example.gov.cn"));
        BOOST_FAIL("plain http to a remote host was accepted");
    } catch (const SyncError& e) {
        BOOST_CHECK(e.kind() == ErrorKind::config);
        BOOST_CHECK_EQUAL(e.code(), "config.plain_http");
    }
    BOOST_CHECK_THROW(Transport(to("ftp://127.0.0.1")), SyncError);
    BOOST_CHECK_THROW(Transport(to("not a url")), SyncError);
}

BOOST_AUTO_TEST_CASE(pins_are_normalised) {
    std::string hex(64, 'a');
    auto p = normalise_pin(hex);
    BOOST_CHECK_EQUAL(p.rfind("sha256//", 0), 0u);
    BOOST_CHECK_EQUAL(p.size(), 8u + 44u);
    BOOST_CHECK_EQUAL(normalise_pin(p), p);
    BOOST_CHECK_EQUAL(normalise_pin(p.substr(8)), p);
    BOOST_CHECK_THROW(normalise_pin("abc"), SyncError);
    BOOST_CHECK_THROW(normalise_pin(std::string(63, 'a')), SyncError);
}

BOOST_AUTO_TEST_CASE(ca_bundles_must_hold_certificates) {
    BOOST_CHECK_THROW(check_ca_bundle("hello"), SyncError);
    BOOST_CHECK_THROW(check_ca_bundle("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), SyncError);
}

BOOST_AUTO_TEST_CASE(gzip_round_trip_and_limits) {
    std::string text(200000, 'x');
    for (std::size_t i = 0; i < text.size(); i += 7) text[i] = char('a' + i % 26);
    std::string z = gzip(text);
    BOOST_CHECK_LT(z.size(), text.size() / 5);
    BOOST_CHECK_EQUAL(gunzip(z, text.size()), text);
    BOOST_CHECK_THROW(gunzip(z, 1000), SyncError);        // a bomb stops at the limit
    BOOST_CHECK_THROW(gunzip("not gzip", 1000), SyncError);
}

BOOST_AUTO_TEST_CASE(unreachable_platform_is_retryable_and_marked_offline) {
    Transport t(to("http://127.0.0.1:1"));
    HttpRequest r;
    r.path = "/v1/ping";
    try {
        t.send(r);
        BOOST_FAIL("port 1 answered");
    } catch (const SyncError& e) {
        BOOST_CHECK(e.retryable());
        BOOST_CHECK_EQUAL(e.code(), "net.unreachable");
        BOOST_CHECK(t.last_failure_was_connect());
    }
}

BOOST_AUTO_TEST_SUITE_END()
