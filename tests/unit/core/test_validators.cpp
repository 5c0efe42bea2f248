// Validators: resident ID (GB 11643-1999), USCC (GB 32100-2015), mobile, postal code, document
// types (GA/T 2000.156). Valid numbers are synthetic: the check characters are computed here by an
// independent implementation of the standards, and the region codes used for resident IDs
// (110199, 440399, 510199) do not exist in GB/T 2260, so no number below can belong to a person.
#include "ow/core/validators.h"

#include <boost/test/unit_test.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <string_view>

using namespace ow::core;
using namespace std::chrono;

namespace {

Date D(int y, unsigned m, unsigned d) { return Date{year{y} / month{m} / day{d}}; }
const Date kToday = D(2025, 10, 9);

// GB 11643-1999: weights 2^(17-i) mod 11, check = "10X98765432"[sum mod 11].
char gb11643_check(std::string_view first17) {
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) {
        int weight = 1;
        for (std::size_t k = 0; k < 17 - i; ++k) weight = (weight * 2) % 11;
        sum += (first17[i] - '0') * weight;
    }
    return "10X98765432"[sum % 11];
}

std::string make_id(const std::string& region, const std::string& birth, const std::string& seq) {
    std::string first17 = region + birth + seq;
    BOOST_REQUIRE_EQUAL(first17.size(), 17u);
    return first17 + gb11643_check(first17);
}

// GB 32100-2015: 31 symbols, weights 3^i mod 31, check = (31 - sum mod 31) mod 31.
constexpr std::string_view kUscc = "0123456789ABCDEFGHJKLMNPQRTUWXY";
char gb32100_check(std::string_view first17) {
    int sum = 0, weight = 1;
    for (std::size_t i = 0; i < 17; ++i) {
        sum += int(kUscc.find(first17[i])) * weight;
        weight = (weight * 3) % 31;
    }
    return kUscc[std::size_t((31 - sum % 31) % 31)];
}

}  // namespace

BOOST_AUTO_TEST_SUITE(validators_independent_helpers)

// The helpers above are themselves checked against the weights printed in the standards.
BOOST_AUTO_TEST_CASE(helper_weights_match_the_standards) {
    const std::array<int, 17> id_weights{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    for (std::size_t i = 0; i < 17; ++i) {
        std::string s(17, '0');
        s[i] = '1';  // sum = weight_i
        BOOST_CHECK_EQUAL(gb11643_check(s), "10X98765432"[id_weights[i] % 11]);
    }
    const std::array<int, 17> uscc_weights{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    for (std::size_t i = 0; i < 17; ++i) {
        std::string s(17, '0');
        s[i] = '1';
        BOOST_CHECK_EQUAL(gb32100_check(s), kUscc[std::size_t((31 - uscc_weights[i]) % 31)]);
    }
    BOOST_CHECK_EQUAL(gb32100_check("91350100MA01B2C37"), 'P');  // the published sample
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(validators_resident_id)

BOOST_AUTO_TEST_CASE(valid_18_digit) {
    const std::string id = make_id("110199", "19900307", "123");
    auto r = check_resident_id(id, kToday);
    BOOST_CHECK(r.valid);
    BOOST_CHECK(!r.legacy);
    BOOST_CHECK_EQUAL(r.code, "");
    BOOST_CHECK_EQUAL(r.normalized, id);
    BOOST_CHECK_EQUAL(r.region, "110199");
    BOOST_REQUIRE(r.birth);
    BOOST_CHECK_EQUAL(format_date(*r.birth), "1990-03-07");
    BOOST_REQUIRE(r.sex);
    BOOST_CHECK(*r.sex == Sex::male);  // sequence digit 3 is odd
}

BOOST_AUTO_TEST_CASE(check_char_function_agrees_with_independent_helper) {
    for (const char* first17 : {"11019919900307123", "44039920010229002", "51019918800101001", "11019920251009999"})
        BOOST_CHECK_EQUAL(resident_id_check_char(first17), gb11643_check(first17));
}

BOOST_AUTO_TEST_CASE(many_synthetic_numbers_are_valid) {
    // Every sequence number with a few birth dates: 3 × 1000 numbers, all check characters 0-9 and X.
    std::set<char> seen;
    for (const char* birth : {"19491001", "20000229", "20251009"}) {
        for (int seq = 0; seq < 1000; ++seq) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "%03d", seq);
            std::string id = make_id("440399", birth, buf);
            seen.insert(id.back());
            auto r = check_resident_id(id, kToday);
            if (!r.valid) BOOST_ERROR("rejected " << id << ": " << r.code);
        }
    }
    BOOST_CHECK_EQUAL(seen.size(), 11u);
}

BOOST_AUTO_TEST_CASE(lowercase_x_is_normalised) {
    std::string with_x;
    for (int seq = 0; seq < 1000 && with_x.empty(); ++seq) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%03d", seq);
        std::string id = make_id("510199", "19850615", buf);
        if (id.back() == 'X') with_x = id;
    }
    BOOST_REQUIRE(!with_x.empty());
    std::string lower = with_x;
    lower.back() = 'x';
    auto r = check_resident_id(lower, kToday);
    BOOST_CHECK(r.valid);
    BOOST_CHECK_EQUAL(r.normalized, with_x);
    BOOST_CHECK_EQUAL(r.normalized.back(), 'X');
}

BOOST_AUTO_TEST_CASE(spaces_are_removed) {
    const std::string id = make_id("110199", "19900307", "124");
    std::string spaced = " " + id.substr(0, 6) + " " + id.substr(6, 8) + " " + id.substr(14) + " ";
    auto r = check_resident_id(spaced, kToday);
    BOOST_CHECK(r.valid);
    BOOST_CHECK_EQUAL(r.normalized, id);
}

BOOST_AUTO_TEST_CASE(wrong_check_digit) {
    const std::string id = make_id("110199", "19900307", "123");
    for (char c : std::string("0123456789X")) {
        if (c == id.back()) continue;
        std::string bad = id;
        bad.back() = c;
        auto r = check_resident_id(bad, kToday);
        BOOST_TEST_CONTEXT(bad) {
            BOOST_CHECK(!r.valid);
            BOOST_CHECK_EQUAL(r.code, "id.check_digit");
            BOOST_CHECK(!r.reason.empty());
        }
    }
    // One changed digit in the body (check character kept) is caught as well.
    std::string changed = id;
    changed[15] = changed[15] == '9' ? '8' : char(changed[15] + 1);
    BOOST_CHECK_EQUAL(check_resident_id(changed, kToday).code, "id.check_digit");
}

BOOST_AUTO_TEST_CASE(bad_birth_date) {
    auto feb30 = check_resident_id(make_id("110199", "19900230", "123"), kToday);
    BOOST_CHECK(!feb30.valid);
    BOOST_CHECK_EQUAL(feb30.code, "id.birth_date");
    BOOST_CHECK_EQUAL(check_resident_id(make_id("110199", "19901301", "123"), kToday).code, "id.birth_date");
    BOOST_CHECK_EQUAL(check_resident_id(make_id("110199", "19900100", "123"), kToday).code, "id.birth_date");
    BOOST_CHECK_EQUAL(check_resident_id(make_id("110199", "19010229", "123"), kToday).code, "id.birth_date");  // 1901 no leap year
    BOOST_CHECK(check_resident_id(make_id("110199", "20000229", "123"), kToday).valid);                         // 2000 is
}

BOOST_AUTO_TEST_CASE(future_birth_date) {
    auto future = check_resident_id(make_id("110199", "20251010", "123"), kToday);  // tomorrow
    BOOST_CHECK(!future.valid);
    BOOST_CHECK_EQUAL(future.code, "id.birth_date");
    BOOST_CHECK_EQUAL(check_resident_id(make_id("110199", "20300101", "123"), kToday).code, "id.birth_date");
    BOOST_CHECK(check_resident_id(make_id("110199", "20251009", "123"), kToday).valid);  // born today
    // The same number is fine once the date has come.
    BOOST_CHECK(check_resident_id(make_id("110199", "20251010", "123"), D(2025, 10, 10)).valid);
}

BOOST_AUTO_TEST_CASE(bad_region) {
    for (const char* region : {"000000", "990101", "100101", "110000", "720101"}) {
        auto r = check_resident_id(make_id(region, "19900307", "123"), kToday);
        BOOST_TEST_CONTEXT(region) {
            BOOST_CHECK(!r.valid);
            BOOST_CHECK_EQUAL(r.code, "id.region");
        }
    }
}

BOOST_AUTO_TEST_CASE(wrong_length) {
    const std::string id = make_id("110199", "19900307", "123");
    for (const std::string& s : {id.substr(0, 17), id + "1", id.substr(0, 16), std::string(""), id.substr(0, 14)}) {
        auto r = check_resident_id(s, kToday);
        BOOST_TEST_CONTEXT("'" << s << "'") {
            BOOST_CHECK(!r.valid);
            BOOST_CHECK_EQUAL(r.code, "id.length");
        }
    }
}

BOOST_AUTO_TEST_CASE(letters) {
    const std::string id = make_id("110199", "19900307", "123");
    std::string a = id;
    a[10] = 'A';
    BOOST_CHECK_EQUAL(check_resident_id(a, kToday).code, "id.characters");
    std::string y = id;
    y.back() = 'Y';
    BOOST_CHECK_EQUAL(check_resident_id(y, kToday).code, "id.characters");
    std::string x_inside = id;
    x_inside[16] = 'X';
    BOOST_CHECK_EQUAL(check_resident_id(x_inside, kToday).code, "id.characters");
    BOOST_CHECK(!check_resident_id("11019919900307-23X", kToday).valid);
}

BOOST_AUTO_TEST_CASE(legacy_15_digit) {
    // 6 region + yymmdd (19yy) + 3 sequence, no check character.
    auto r = check_resident_id("110199900307123", kToday);
    BOOST_CHECK(r.valid);
    BOOST_CHECK(r.legacy);
    BOOST_CHECK_EQUAL(r.code, "");
    BOOST_REQUIRE(r.birth);
    BOOST_CHECK_EQUAL(format_date(*r.birth), "1990-03-07");
    BOOST_REQUIRE(r.sex);
    BOOST_CHECK(*r.sex == Sex::male);
    auto f = check_resident_id("110199650101124", kToday);
    BOOST_CHECK(f.valid);
    BOOST_REQUIRE(f.birth);
    BOOST_CHECK_EQUAL(format_date(*f.birth), "1965-01-01");
    BOOST_REQUIRE(f.sex);
    BOOST_CHECK(*f.sex == Sex::female);
    // A 15-digit number with an impossible date or region is still refused.
    BOOST_CHECK_EQUAL(check_resident_id("110199900230123", kToday).code, "id.birth_date");
    BOOST_CHECK_EQUAL(check_resident_id("990101900307123", kToday).code, "id.region");
    BOOST_CHECK_EQUAL(check_resident_id("11019990030712X", kToday).code, "id.characters");
}

BOOST_AUTO_TEST_CASE(sex_from_the_sequence_digit) {
    for (int d = 0; d <= 9; ++d) {
        std::string seq = "10" + std::to_string(d);
        auto r = check_resident_id(make_id("110199", "19900307", seq), kToday);
        BOOST_TEST_CONTEXT("sequence " << seq) {
            BOOST_REQUIRE(r.valid);
            BOOST_REQUIRE(r.sex);
            BOOST_CHECK(*r.sex == (d % 2 == 1 ? Sex::male : Sex::female));
        }
    }
}

BOOST_AUTO_TEST_CASE(document_number_uses_the_id_rule_for_111) {
    const std::string id = make_id("110199", "19900307", "123");
    BOOST_CHECK(check_document_number(DocumentType::resident_id, id).valid);
    std::string bad = id;
    bad.back() = bad.back() == '0' ? '1' : '0';
    auto r = check_document_number(DocumentType::resident_id, bad);
    BOOST_CHECK(!r.valid);
    BOOST_CHECK_EQUAL(r.code, "id.check_digit");
    BOOST_CHECK(check_document_number(DocumentType::passport, "E12345678").valid);
    BOOST_CHECK(!check_document_number(DocumentType::passport, "E12").valid);
    BOOST_CHECK(!check_document_number(DocumentType::passport, "E1234567#").valid);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(validators_uscc)

BOOST_AUTO_TEST_CASE(valid_sample) {
    auto r = check_uscc("91350100MA01B2C37P");
    BOOST_CHECK(r.status == UsccStatus::valid);
    BOOST_CHECK_EQUAL(r.code, "");
    BOOST_CHECK_EQUAL(r.normalized, "91350100MA01B2C37P");
    BOOST_CHECK_EQUAL(uscc_check_char("91350100MA01B2C37"), 'P');
}

BOOST_AUTO_TEST_CASE(lowercase_and_spaces_are_normalised) {
    auto r = check_uscc(" 91350100 ma01b2c37p ");
    BOOST_CHECK(r.status == UsccStatus::valid);
    BOOST_CHECK_EQUAL(r.normalized, "91350100MA01B2C37P");
}

BOOST_AUTO_TEST_CASE(wrong_check_character) {
    auto r = check_uscc("91350100MA01B2C37Q");
    BOOST_CHECK(r.status == UsccStatus::bad_check_digit);
    BOOST_CHECK_EQUAL(r.code, "uscc.check_digit");
    BOOST_CHECK_EQUAL(r.expected_check, 'P');
    BOOST_CHECK(!r.reason.empty());
    // Every other legal symbol in the check position is a bad check, expecting P.
    for (char c : kUscc) {
        if (c == 'P') continue;
        auto x = check_uscc(std::string("91350100MA01B2C37") + c);
        BOOST_TEST_CONTEXT(c) {
            BOOST_CHECK(x.status == UsccStatus::bad_check_digit);
            BOOST_CHECK_EQUAL(x.expected_check, 'P');
        }
    }
}

BOOST_AUTO_TEST_CASE(illegal_letters) {
    for (char c : std::string("IOSVZ")) {
        std::string in_body = "91350100MA01B2C37P";
        in_body[9] = c;  // the 'A'
        auto r = check_uscc(in_body);
        BOOST_TEST_CONTEXT(in_body) {
            BOOST_CHECK(r.status == UsccStatus::invalid);
            BOOST_CHECK_EQUAL(r.code, "uscc.characters");
        }
        std::string in_check = "91350100MA01B2C37P";
        in_check[17] = c;
        BOOST_TEST_CONTEXT(in_check) { BOOST_CHECK(check_uscc(in_check).status == UsccStatus::invalid); }
    }
    BOOST_CHECK(check_uscc("91350100MA01B2C3-P").status == UsccStatus::invalid);
}

BOOST_AUTO_TEST_CASE(wrong_length) {
    for (const char* s : {"91350100MA01B2C37", "91350100MA01B2C37PP", "", "9135"}) {
        auto r = check_uscc(s);
        BOOST_TEST_CONTEXT("'" << s << "'") {
            BOOST_CHECK(r.status == UsccStatus::invalid);
            BOOST_CHECK_EQUAL(r.code, "uscc.length");
        }
    }
}

BOOST_AUTO_TEST_CASE(region_part_must_be_digits) {
    auto r = check_uscc(std::string("91A50100MA01B2C37") + gb32100_check("91A50100MA01B2C37"));
    BOOST_CHECK(r.status == UsccStatus::invalid);
    BOOST_CHECK_EQUAL(r.code, "uscc.region");
}

BOOST_AUTO_TEST_CASE(independently_computed_codes_are_valid) {
    for (const char* first17 : {"91110108MA01ABCD1", "12100000400000624", "91310000MA1FL1234", "52440300MJL000001",
                                "93510199MA6CXY8R0", "11100000000013127", "31440300MD0123456"}) {
        std::string code = std::string(first17) + gb32100_check(first17);
        BOOST_TEST_CONTEXT(code) {
            auto r = check_uscc(code);
            BOOST_CHECK(r.status == UsccStatus::valid);
            BOOST_CHECK_EQUAL(uscc_check_char(first17), gb32100_check(first17));
        }
    }
    BOOST_CHECK(check_uscc("91110108MA01ABCD1E").status == UsccStatus::valid);  // worked by hand
    BOOST_CHECK(check_uscc("12100000400000624D").status == UsccStatus::valid);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(validators_mobile_and_postcode)

BOOST_AUTO_TEST_CASE(mobile_valid_forms) {
    for (const char* s : {"13800000000", "+8613800000000", "+86 138 0000 0000", "0086-138-0000-0000", "138-0000-0000"}) {
        auto r = check_mobile(s);
        BOOST_TEST_CONTEXT(s) {
            BOOST_CHECK(r.valid);
            BOOST_CHECK_EQUAL(r.normalized, "13800000000");
            BOOST_CHECK_EQUAL(r.code, "");
        }
    }
    for (const char* s : {"14700000000", "15900000000", "16600000000", "17700000000", "18800000000", "19900000000"})
        BOOST_CHECK_MESSAGE(check_mobile(s).valid, s);
}

BOOST_AUTO_TEST_CASE(mobile_invalid) {
    for (const char* s : {"138000000001", "1380000000", "12800000000", "11000000000", "10000000000", "23800000000",
                          "1380000000a", "", "+86", "+8612800000000", "+1 138 0000 0000"}) {
        auto r = check_mobile(s);
        BOOST_TEST_CONTEXT("'" << s << "'") {
            BOOST_CHECK(!r.valid);
            BOOST_CHECK_EQUAL(r.code, "phone.invalid");
        }
    }
}

BOOST_AUTO_TEST_CASE(postal_code) {
    for (const char* s : {"250001", "100000", "610041", " 250 001 "}) BOOST_CHECK_MESSAGE(check_postal_code(s).valid, s);
    BOOST_CHECK_EQUAL(check_postal_code(" 250 001 ").normalized, "250001");
    for (const char* s : {"25000", "2500011", "25000A", "", "25-001"}) {
        auto r = check_postal_code(s);
        BOOST_TEST_CONTEXT("'" << s << "'") {
            BOOST_CHECK(!r.valid);
            BOOST_CHECK_EQUAL(r.code, "postcode.invalid");
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(validators_document_types)

BOOST_AUTO_TEST_CASE(all_ten_codes) {
    struct Expected {
        int code;
        DocumentType type;
        const char* zh;
    };
    const Expected expected[] = {
        {111, DocumentType::resident_id, "居民身份证"},
        {113, DocumentType::household_register, "户口簿"},
        {117, DocumentType::birth_certificate, "出生医学证明"},
        {154, DocumentType::residence_permit, "居住证"},
        {414, DocumentType::passport, "普通护照"},
        {511, DocumentType::taiwan_travel_permit, "台湾居民来往大陆通行证"},
        {516, DocumentType::hk_macao_travel_permit, "港澳居民来往内地通行证"},
        {553, DocumentType::foreign_permanent_resident_id, "外国人永久居留身份证"},
        {554, DocumentType::foreign_residence_permit, "外国人居留证"},
        {990, DocumentType::other, "其他"},
    };
    for (const auto& e : expected) {
        BOOST_TEST_CONTEXT("code " << e.code) {
            auto t = document_type_from_code(e.code);
            BOOST_REQUIRE(t);
            BOOST_CHECK(*t == e.type);
            BOOST_CHECK_EQUAL(int(*t), e.code);
            const auto& info = document_type_info(e.type);
            BOOST_CHECK_EQUAL(info.code, e.code);
            BOOST_CHECK_EQUAL(std::string(info.name_zh), e.zh);
            BOOST_CHECK(std::string(info.name_en).size() > 0);
        }
    }
    auto all = document_types();
    BOOST_REQUIRE_EQUAL(all.size(), 10u);
    for (std::size_t i = 0; i < all.size(); ++i) BOOST_CHECK_EQUAL(all[i].code, expected[i].code);
}

BOOST_AUTO_TEST_CASE(unknown_codes) {
    for (int code : {0, 1, 112, 410, 999, -111, 1110}) BOOST_CHECK_MESSAGE(!document_type_from_code(code), code);
}

BOOST_AUTO_TEST_SUITE_END()
