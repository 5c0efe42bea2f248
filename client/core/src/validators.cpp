#include "ow/core/validators.h"

#include "ow/core/i18n.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace ow::core {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string strip_spaces_upper(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == ' ' || c == '\t') continue;
        out.push_back(char(std::toupper(static_cast<unsigned char>(c))));
    }
    return out;
}

// Province-level prefixes of GB/T 2260 region codes.
bool known_province(int p) {
    return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) || (p >= 41 && p <= 46) ||
           (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 || p == 81 || p == 82;
}

ResidentIdCheck id_fail(ResidentIdCheck r, const char* code, const char* reason) {
    r.valid = false;
    r.code = code;
    r.reason = reason;
    return r;
}

std::optional<Date> make_date(int y, int m, int d) {
    if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(m)}, std::chrono::day{unsigned(d)}};
    if (!ymd.ok()) return std::nullopt;
    return Date{ymd};
}

int num(std::string_view s) {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

constexpr std::string_view kUsccSymbols = "0123456789ABCDEFGHJKLMNPQRTUWXY";

int uscc_value(char c) {
    auto pos = kUsccSymbols.find(c);
    return pos == std::string_view::npos ? -1 : int(pos);
}

constexpr std::array<DocumentTypeInfo, 10> kDocTypes{{
    {DocumentType::resident_id, 111, "居民身份证", "Resident identity card"},
    {DocumentType::household_register, 113, "户口簿", "Household register"},
    {DocumentType::birth_certificate, 117, "出生医学证明", "Medical birth certificate"},
    {DocumentType::residence_permit, 154, "居住证", "Residence permit"},
    {DocumentType::passport, 414, "普通护照", "Passport"},
    {DocumentType::taiwan_travel_permit, 511, "台湾居民来往大陆通行证", "Mainland travel permit for Taiwan residents"},
    {DocumentType::hk_macao_travel_permit, 516, "港澳居民来往内地通行证", "Mainland travel permit for Hong Kong and Macao residents"},
    {DocumentType::foreign_permanent_resident_id, 553, "外国人永久居留身份证", "Foreign permanent resident ID card"},
    {DocumentType::foreign_residence_permit, 554, "外国人居留证", "Foreigner's residence permit"},
    {DocumentType::other, 990, "其他", "Other"},
}};

}  // namespace

char resident_id_check_char(std::string_view first17) {
    static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static constexpr char kChecks[] = "10X98765432";
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
    return kChecks[sum % 11];
}

ResidentIdCheck check_resident_id(std::string_view number, std::optional<Date> today) {
    ResidentIdCheck r;
    r.normalized = strip_spaces_upper(number);
    const std::string& s = r.normalized;
    Date limit = today.value_or(china_date(now()));

    if (s.size() != 18 && s.size() != 15)
        return id_fail(r, "id.length", OW_N_("A resident ID number has 18 characters (or 15 for an old card)"));
    std::size_t digit_len = s.size() == 18 ? 17 : 15;
    for (std::size_t i = 0; i < digit_len; ++i)
        if (!is_digit(s[i])) return id_fail(r, "id.characters", OW_N_("A resident ID number may only contain digits and a final X"));
    if (s.size() == 18 && !is_digit(s[17]) && s[17] != 'X')
        return id_fail(r, "id.characters", OW_N_("A resident ID number may only contain digits and a final X"));

    if (!known_province(num(std::string_view(s).substr(0, 2))) || num(std::string_view(s).substr(0, 6)) % 10000 == 0)
        return id_fail(r, "id.region", OW_N_("The first six digits are not an administrative region code"));
    r.region = s.substr(0, 6);

    std::optional<Date> birth;
    if (s.size() == 18)
        birth = make_date(num(std::string_view(s).substr(6, 4)), num(std::string_view(s).substr(10, 2)),
                          num(std::string_view(s).substr(12, 2)));
    else
        birth = make_date(1900 + num(std::string_view(s).substr(6, 2)), num(std::string_view(s).substr(8, 2)),
                          num(std::string_view(s).substr(10, 2)));
    if (!birth) return id_fail(r, "id.birth_date", OW_N_("The birth date in the ID number is not a real date"));
    if (*birth > limit || year_of(*birth) < 1880)
        return id_fail(r, "id.birth_date", OW_N_("The birth date in the ID number is not plausible"));

    int seq_digit = s.size() == 18 ? s[16] - '0' : s[14] - '0';
    r.birth = birth;
    r.sex = (seq_digit % 2 == 1) ? Sex::male : Sex::female;

    if (s.size() == 15) {
        r.legacy = true;
        r.valid = true;
        return r;
    }
    char expected = resident_id_check_char(std::string_view(s).substr(0, 17));
    if (expected != s[17]) return id_fail(r, "id.check_digit", OW_N_("The check digit of the ID number is wrong"));
    r.valid = true;
    return r;
}

char uscc_check_char(std::string_view first17) {
    static constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) sum += uscc_value(first17[i]) * kWeights[i];
    return kUsccSymbols[std::size_t((31 - sum % 31) % 31)];
}

UsccCheck check_uscc(std::string_view code) {
    UsccCheck r;
    r.normalized = strip_spaces_upper(code);
    const std::string& s = r.normalized;
    auto fail = [&](const char* c, const char* reason) {
        r.status = UsccStatus::invalid;
        r.code = c;
        r.reason = reason;
        return r;
    };
    if (s.size() != 18) return fail("uscc.length", OW_N_("A unified social credit code has 18 characters"));
    for (char c : s)
        if (uscc_value(c) < 0)
            return fail("uscc.characters", OW_N_("A unified social credit code uses only digits and the letters A-Y without I, O, S, V, Z"));
    for (std::size_t i = 2; i < 8; ++i)
        if (!is_digit(s[i])) return fail("uscc.region", OW_N_("Characters 3-8 of the code must be a region code"));
    char expected = uscc_check_char(std::string_view(s).substr(0, 17));
    if (expected != s[17]) {
        r.status = UsccStatus::bad_check_digit;
        r.code = "uscc.check_digit";
        r.reason = OW_N_("The check character of the code is wrong; a few early codes are like this: accept only with a recorded reason");
        r.expected_check = expected;
        return r;
    }
    r.status = UsccStatus::valid;
    return r;
}

SimpleCheck check_mobile(std::string_view number) {
    SimpleCheck r;
    std::string s;
    for (char c : number)
        if (c != ' ' && c != '-' && c != '\t') s.push_back(c);
    if (s.rfind("+86", 0) == 0) s.erase(0, 3);
    else if (s.rfind("0086", 0) == 0) s.erase(0, 4);
    r.normalized = s;
    if (s.size() != 11 || !std::all_of(s.begin(), s.end(), is_digit) || s[0] != '1' || s[1] < '3') {
        r.code = "phone.invalid";
        r.reason = OW_N_("A mobile number has 11 digits and starts with 13-19");
        return r;
    }
    r.valid = true;
    return r;
}

SimpleCheck check_postal_code(std::string_view code) {
    SimpleCheck r;
    r.normalized = strip_spaces_upper(code);
    const std::string& s = r.normalized;
    if (s.size() != 6 || !std::all_of(s.begin(), s.end(), is_digit) || s[0] == '9') {
        r.code = "postcode.invalid";
        r.reason = OW_N_("A postal code has 6 digits");
        return r;
    }
    r.valid = true;
    return r;
}

std::span<const DocumentTypeInfo> document_types() { return kDocTypes; }

std::optional<DocumentType> document_type_from_code(int code) {
    for (const auto& t : kDocTypes)
        if (t.code == code) return t.type;
    return std::nullopt;
}

const DocumentTypeInfo& document_type_info(DocumentType t) {
    for (const auto& i : kDocTypes)
        if (i.type == t) return i;
    return kDocTypes.back();
}

SimpleCheck check_document_number(DocumentType type, std::string_view number) {
    if (type == DocumentType::resident_id) {
        auto c = check_resident_id(number);
        return {c.valid, c.code, c.reason, c.normalized};
    }
    SimpleCheck r;
    r.normalized = strip_spaces_upper(number);
    bool ok = r.normalized.size() >= 5 && r.normalized.size() <= 30 &&
              std::all_of(r.normalized.begin(), r.normalized.end(),
                          [](char c) { return is_digit(c) || (c >= 'A' && c <= 'Z') || c == '-' || c == '('|| c == ')'; });
    if (!ok) {
        r.code = "document.invalid";
        r.reason = OW_N_("A document number has 5-30 letters and digits");
        return r;
    }
    r.valid = true;
    return r;
}

}  // namespace ow::core
