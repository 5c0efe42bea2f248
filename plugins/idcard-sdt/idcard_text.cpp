#include "idcard_text.h"

#include <array>

namespace ow::idcard {
namespace {

struct Field {
    const char* name;
    std::size_t chars;
};
// Order and widths of the text block (characters of 2 bytes).
constexpr std::array<Field, 10> kFields = {{{"name", 15},
                                            {"sex code", 1},
                                            {"ethnicity code", 2},
                                            {"birth date", 8},
                                            {"address", 35},
                                            {"ID number", 18},
                                            {"issuing authority", 15},
                                            {"valid-from date", 8},
                                            {"valid-to date", 8},
                                            {"reserved", 18}}};

constexpr const char* kEthnicities[] = {
    "汉",   "蒙古",   "回",   "藏",     "维吾尔",   "苗",   "彝",       "壮",     "布依",   "朝鲜", "满",   "侗",
    "瑶",   "白",     "土家", "哈尼",   "哈萨克",   "傣",   "黎",       "傈僳",   "佤",     "畲",   "高山", "拉祜",
    "水",   "东乡",   "纳西", "景颇",   "柯尔克孜", "土",   "达斡尔",   "仫佬",   "羌",     "布朗", "撒拉", "毛南",
    "仡佬", "锡伯",   "阿昌", "普米",   "塔吉克",   "怒",   "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固",
    "京",   "塔塔尔", "独龙", "鄂伦春", "赫哲",     "门巴", "珞巴",     "基诺"};

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

// One field: UCS-2LE (surrogate pairs accepted for rare characters) → UTF-8, trailing spaces and
// NULs removed. Control characters are refused.
std::string field_text(std::span<const std::uint8_t> bytes, const char* what) {
    std::u16string units;
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2)
        units.push_back(static_cast<char16_t>(bytes[i] | (bytes[i + 1] << 8)));
    while (!units.empty() && (units.back() == u' ' || units.back() == 0 || units.back() == 0x3000))
        units.pop_back();
    std::string out;
    for (std::size_t i = 0; i < units.size(); ++i) {
        char32_t c = units[i];
        if (c >= 0xD800 && c <= 0xDBFF) {
            if (i + 1 >= units.size() || units[i + 1] < 0xDC00 || units[i + 1] > 0xDFFF)
                throw DecodeError(std::string("card text: the ") + what + " holds a broken surrogate pair");
            c = 0x10000 + ((c - 0xD800) << 10) + (units[i + 1] - 0xDC00);
            ++i;
        } else if (c >= 0xDC00 && c <= 0xDFFF) {
            throw DecodeError(std::string("card text: the ") + what + " holds a broken surrogate pair");
        } else if (c < 0x20 || c == 0x7F || c == 0xFFFE || c == 0xFFFF) {
            throw DecodeError(std::string("card text: the ") + what + " holds a control character");
        }
        append_utf8(out, c);
    }
    return out;
}

bool all_digits(const std::string& s) {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return !s.empty();
}

core::Date card_date(const std::string& s, const char* what) {
    if (s.size() != 8 || !all_digits(s)) throw DecodeError(std::string("card text: the ") + what + " is not YYYYMMDD");
    auto d = core::try_parse_date(s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6, 2));
    if (!d) throw DecodeError(std::string("card text: the ") + what + " is not a real date");
    return *d;
}

}  // namespace

IdCard decode_text_block(std::span<const std::uint8_t> block) {
    if (block.size() != kTextBlockSize)
        throw DecodeError("card text: the block has " + std::to_string(block.size()) + " bytes, not 256");
    std::array<std::string, kFields.size()> text;
    std::size_t offset = 0;
    for (std::size_t i = 0; i < kFields.size(); ++i) {
        std::size_t len = kFields[i].chars * 2;
        if (i + 1 < kFields.size()) text[i] = field_text(block.subspan(offset, len), kFields[i].name);
        offset += len;
    }
    IdCard c;
    c.name = text[0];
    if (c.name.empty()) throw DecodeError("card text: the name is empty");
    c.sex_code = text[1];
    if (c.sex_code.size() != 1 || !all_digits(c.sex_code)) throw DecodeError("card text: the sex code is not a digit");
    c.ethnicity_code = text[2];
    if (c.ethnicity_code.size() != 2 || !all_digits(c.ethnicity_code))
        throw DecodeError("card text: the ethnicity code is not two digits");
    c.birth = card_date(text[3], "birth date");
    c.address = text[4];
    c.id_number = text[5];
    bool shape = c.id_number.size() == 18 && all_digits(c.id_number.substr(0, 17)) &&
                 (all_digits(c.id_number.substr(17)) || c.id_number[17] == 'X' || c.id_number[17] == 'x');
    if (!shape) throw DecodeError("card text: the ID number is not 17 digits and a check character");
    if (c.id_number[17] == 'x') c.id_number[17] = 'X';
    c.authority = text[6];
    c.valid_from = card_date(text[7], "valid-from date");
    if (text[8] == "长期")
        c.valid_to = std::nullopt;
    else
        c.valid_to = card_date(text[8], "valid-to date");
    return c;
}

std::string ethnicity_name(const std::string& code) {
    if (code.size() != 2 || !all_digits(code)) return "";
    int n = (code[0] - '0') * 10 + (code[1] - '0');
    if (n < 1 || n > 56) return "";
    return std::string(kEthnicities[n - 1]) + "族";
}

std::string sex_name(const std::string& code) {
    if (code == "1") return "male";
    if (code == "2") return "female";
    if (code == "0") return "unknown";
    if (code == "9") return "not_stated";
    return "";
}

nlohmann::json to_json(const IdCard& c, const std::string& source) {
    return {{"name", c.name},
            {"sex_code", c.sex_code},
            {"sex", sex_name(c.sex_code)},
            {"ethnicity_code", c.ethnicity_code},
            {"ethnicity", ethnicity_name(c.ethnicity_code)},
            {"birth", core::format_date(c.birth)},
            {"address", c.address},
            {"id_number", c.id_number},
            {"authority", c.authority},
            {"valid_from", core::format_date(c.valid_from)},
            {"valid_to", c.valid_to ? nlohmann::json(core::format_date(*c.valid_to)) : nlohmann::json(nullptr)},
            {"long_term", !c.valid_to.has_value()},
            {"source", source}};
}

IdCard card_from_json(const core::JsonReader& r) {
    r.object();
    IdCard c;
    c.name = r.str("name");
    c.sex_code = r.str("sex_code");
    if (c.sex_code.size() != 1 || !all_digits(c.sex_code)) r.fail_at("sex_code", "must be one digit");
    c.ethnicity_code = r.str("ethnicity_code");
    if (c.ethnicity_code.size() != 2 || !all_digits(c.ethnicity_code))
        r.fail_at("ethnicity_code", "must be two digits");
    c.birth = r.date("birth");
    c.address = r.str("address");
    c.id_number = r.str("id_number");
    c.authority = r.str("authority");
    c.valid_from = r.date("valid_from");
    if (r.boolean_or("long_term", false))
        c.valid_to = std::nullopt;
    else
        c.valid_to = r.date("valid_to");
    return c;
}

}  // namespace ow::idcard
