#include "der.h"

#include <boost/test/unit_test.hpp>

using namespace ow::seal;
using der::Bytes;

BOOST_AUTO_TEST_SUITE(der_encoding)

BOOST_AUTO_TEST_CASE(short_and_long_lengths) {
    BOOST_TEST((der::tlv(0x04, Bytes(3, 7)) == Bytes{0x04, 3, 7, 7, 7}));
    const Bytes long_form = der::tlv(0x04, Bytes(200, 0));
    BOOST_TEST(long_form.size() == 203u);
    BOOST_TEST((Bytes(long_form.begin(), long_form.begin() + 3) == Bytes{0x04, 0x81, 200}));
    const Bytes longer = der::tlv(0x04, Bytes(300, 0));
    BOOST_TEST((Bytes(longer.begin(), longer.begin() + 4) == Bytes{0x04, 0x82, 0x01, 0x2C}));
}

BOOST_AUTO_TEST_CASE(integers_are_minimal_twos_complement) {
    BOOST_TEST((der::integer(0) == Bytes{0x02, 1, 0}));
    BOOST_TEST((der::integer(1) == Bytes{0x02, 1, 1}));
    BOOST_TEST((der::integer(127) == Bytes{0x02, 1, 0x7F}));
    BOOST_TEST((der::integer(128) == Bytes{0x02, 2, 0x00, 0x80}));
    BOOST_TEST((der::integer(-1) == Bytes{0x02, 1, 0xFF}));
    BOOST_TEST((der::integer(256) == Bytes{0x02, 2, 0x01, 0x00}));
}

BOOST_AUTO_TEST_CASE(oid_and_null) {
    // sha256 2.16.840.1.101.3.4.2.1
    BOOST_TEST((der::oid("2.16.840.1.101.3.4.2.1") ==
                Bytes{0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01}));
    BOOST_TEST((der::null() == Bytes{0x05, 0x00}));
}

BOOST_AUTO_TEST_CASE(set_of_is_sorted) {
    const Bytes s = der::set_of({der::integer(5), der::integer(3), der::octet_string({1})});
    BOOST_TEST((s == Bytes{0x31, 9, 0x02, 1, 3, 0x02, 1, 5, 0x04, 1, 1}));
}

BOOST_AUTO_TEST_CASE(implicit_retag) {
    const Bytes s = der::retag(der::set_of({der::integer(1)}), 0xA0);
    BOOST_TEST(s[0] == 0xA0);
}

BOOST_AUTO_TEST_SUITE_END()
