// The 256-byte UCS-2LE text block of ID card readers, decoded from byte fixtures: files made
// independently (tests/data/idcard/*.bin) and blocks assembled here field by field.
#include "idcard_text.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>
#include <vector>

using ow::idcard::decode_text_block;
using ow::idcard::DecodeError;

namespace {

std::vector<std::uint8_t> read_fixture(const std::string& name) {
    std::ifstream in(std::string(OW_TEST_DATA) + "/idcard/" + name, std::ios::binary);
    BOOST_REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A block assembled from raw UTF-16 fields, each padded with spaces to its width.
struct BlockBuilder {
    std::vector<std::uint8_t> bytes;
    BlockBuilder& field(const std::u16string& text, std::size_t chars) {
        for (std::size_t i = 0; i < chars; ++i) {
            char16_t c = i < text.size() ? text[i] : u' ';
            bytes.push_back(static_cast<std::uint8_t>(c & 0xFF));
            bytes.push_back(static_cast<std::uint8_t>(c >> 8));
        }
        return *this;
    }
};

std::vector<std::uint8_t> block(const std::u16string& name = u"钱测试", const std::u16string& sex = u"1",
                                const std::u16string& birth = u"19900307", const std::u16string& valid_to = u"20350601",
                                const std::u16string& id = u"11010519900307291X") {
    BlockBuilder b;
    b.field(name, 15)
        .field(sex, 1)
        .field(u"01", 2)
        .field(birth, 8)
        .field(u"北京市朝阳区培训路1号", 35)
        .field(id, 18)
        .field(u"北京市公安局朝阳分局", 15)
        .field(u"20150601", 8)
        .field(valid_to, 8)
        .field(u"", 18);
    return b.bytes;
}

std::string decode_error(const std::vector<std::uint8_t>& bytes) {
    try {
        decode_text_block(bytes);
    } catch (const DecodeError& e) {
        BOOST_TEST(e.code() == "idcard.decode");
        return e.what();
    }
    BOOST_FAIL("decoded");
    return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sdt_text_block)

BOOST_AUTO_TEST_CASE(fixture_with_a_dated_validity) {
    auto bytes = read_fixture("card_dated.bin");
    BOOST_REQUIRE(bytes.size() == 256u);
    auto c = decode_text_block(bytes);
    BOOST_TEST(c.name == "孙测试");
    BOOST_TEST(c.sex_code == "1");
    BOOST_TEST(c.ethnicity_code == "01");
    BOOST_TEST(ow::core::format_date(c.birth) == "1990-03-07");
    BOOST_TEST(c.address == "北京市朝阳区培训路1号测试小区2号楼301室");
    BOOST_TEST(c.id_number == "11010519900307291X");
    BOOST_TEST(c.authority == "北京市公安局朝阳分局");
    BOOST_TEST(ow::core::format_date(c.valid_from) == "2015-06-01");
    BOOST_REQUIRE(c.valid_to.has_value());
    BOOST_TEST(ow::core::format_date(*c.valid_to) == "2035-06-01");

    auto j = ow::idcard::to_json(c, "test");
    BOOST_TEST(j["sex"] == "male");
    BOOST_TEST(j["ethnicity"] == "汉族");
    BOOST_TEST(j["long_term"] == false);
}

BOOST_AUTO_TEST_CASE(fixture_with_long_term_validity) {
    auto c = decode_text_block(read_fixture("card_long_term.bin"));
    BOOST_TEST(c.name == "帕提古丽·样例");
    BOOST_TEST(c.sex_code == "2");
    BOOST_TEST(ow::idcard::ethnicity_name(c.ethnicity_code) == "维吾尔族");
    BOOST_TEST(c.address == "新疆维吾尔自治区乌鲁木齐市天山区演示路8号");
    BOOST_TEST(c.id_number == "650102195810020049");
    BOOST_TEST(!c.valid_to.has_value());
    auto j = ow::idcard::to_json(c, "test");
    BOOST_TEST(j["long_term"] == true);
    BOOST_TEST(j["valid_to"].is_null());
    BOOST_TEST(j["sex"] == "female");
}

BOOST_AUTO_TEST_CASE(a_full_width_name_and_lower_case_x) {
    auto c = decode_text_block(
        block(u"欧阳一二三四五六七八九十甲乙丙", u"2", u"19900307", u"20350601", u"11010519900307291x"));
    BOOST_TEST(c.name == "欧阳一二三四五六七八九十甲乙丙");  // 15 characters, no padding
    BOOST_TEST(c.id_number == "11010519900307291X");
}

BOOST_AUTO_TEST_CASE(rare_characters_as_surrogate_pairs) {
    std::u16string name = u"王";
    name += u"\U00020000";  // CJK extension B
    auto c = decode_text_block(block(name));
    BOOST_TEST(c.name == "王\xF0\xA0\x80\x80");
}

BOOST_AUTO_TEST_CASE(wrong_sizes_are_refused) {
    auto bytes = block();
    BOOST_TEST(bytes.size() == 256u);
    bytes.pop_back();
    BOOST_TEST(decode_error(bytes).find("255 bytes") != std::string::npos);
    BOOST_TEST(decode_error({}).find("0 bytes") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(broken_fields_are_refused_by_name) {
    BOOST_TEST(decode_error(block(u"")).find("name is empty") != std::string::npos);
    BOOST_TEST(decode_error(block(u"钱测试", u"M")).find("sex code") != std::string::npos);
    BOOST_TEST(decode_error(block(u"钱测试", u"1", u"19900231")).find("birth date is not a real date") !=
               std::string::npos);
    BOOST_TEST(decode_error(block(u"钱测试", u"1", u"1990030")).find("birth date is not YYYYMMDD") !=
               std::string::npos);
    BOOST_TEST(decode_error(block(u"钱测试", u"1", u"19900307", u"永久")).find("valid-to date") != std::string::npos);
    BOOST_TEST(decode_error(block(u"钱测试", u"1", u"19900307", u"20350601", u"1101051990030729")).find("ID number") !=
               std::string::npos);
    std::u16string control = u"钱";
    control += char16_t(0x0007);
    BOOST_TEST(decode_error(block(control)).find("control character") != std::string::npos);
    std::u16string lone = u"钱";
    lone += char16_t(0xD800);
    BOOST_TEST(decode_error(block(lone)).find("surrogate") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(messages_never_contain_card_data) {
    auto msg = decode_error(block(u"钱测试", u"1", u"19900231"));
    BOOST_TEST(msg.find("钱") == std::string::npos);
    BOOST_TEST(msg.find("19900231") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(ethnicity_and_sex_names) {
    BOOST_TEST(ow::idcard::ethnicity_name("01") == "汉族");
    BOOST_TEST(ow::idcard::ethnicity_name("56") == "基诺族");
    BOOST_TEST(ow::idcard::ethnicity_name("57").empty());
    BOOST_TEST(ow::idcard::ethnicity_name("x1").empty());
    BOOST_TEST(ow::idcard::sex_name("9") == "not_stated");
    BOOST_TEST(ow::idcard::sex_name("5").empty());
}

BOOST_AUTO_TEST_SUITE_END()
