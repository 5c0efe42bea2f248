// Validators for the identifiers a window clerk types: resident ID (GB 11643-1999), unified social
// credit code (GB 32100-2015), mobile phone and postal code, and document type codes (GA/T 2000.156).
// All are pure functions, thread-safe, and never throw on any input.
// `reason` texts are English source strings marked for translation (OW_N_).
#pragma once

#include "ow/core/date.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ow::core {

enum class Sex { female, male };

struct ResidentIdCheck {
    bool valid = false;
    bool legacy = false;        // a 15-digit first-generation number (accepted as legacy, no check digit)
    std::string code;           // "" when valid, else e.g. "id.check_digit"
    std::string reason;         // why it is invalid (English, translatable)
    std::string normalized;     // upper-case X, no spaces
    std::optional<Date> birth;
    std::optional<Sex> sex;
    std::string region;         // the 6-digit administrative region code
};

/// Checks a resident ID number: 18 digits (last may be X) with region shape, a real birth date
/// not after `today` (default: the current date in China) and the GB 11643 check digit; or the
/// 15-digit legacy form with a real 19yy birth date.
ResidentIdCheck check_resident_id(std::string_view number, std::optional<Date> today = std::nullopt);

/// The GB 11643 check character for the first 17 digits (precondition: 17 ASCII digits).
char resident_id_check_char(std::string_view first17);

enum class UsccStatus {
    valid,
    bad_check_digit,  // well-formed but the check character is wrong: some early codes are like this;
                      // the clerk may override with a recorded reason
    invalid,
};

struct UsccCheck {
    UsccStatus status = UsccStatus::invalid;
    std::string code;        // "" when valid, else e.g. "uscc.check_digit"
    std::string reason;
    std::string normalized;  // upper case, no spaces
    char expected_check = 0; // for bad_check_digit
};

/// Checks a unified social credit code (18 chars of 0-9A-HJ-NPQRTUWXY, GB 32100 check char).
UsccCheck check_uscc(std::string_view code);
/// The GB 32100 check character for the first 17 characters (precondition: valid symbols).
char uscc_check_char(std::string_view first17);

struct SimpleCheck {
    bool valid = false;
    std::string code;
    std::string reason;
    std::string normalized;
};

/// Mainland mobile number: 11 digits starting 13–19; "+86", "0086", spaces and dashes are removed.
SimpleCheck check_mobile(std::string_view number);
/// Mainland postal code: 6 digits, the first 0-8 (no mainland code starts with 9).
SimpleCheck check_postal_code(std::string_view code);

/// Identity document types (GA/T 2000.156 codes) that a window accepts.
enum class DocumentType {
    resident_id = 111,
    household_register = 113,
    birth_certificate = 117,
    residence_permit = 154,
    passport = 414,
    taiwan_travel_permit = 511,
    hk_macao_travel_permit = 516,
    foreign_permanent_resident_id = 553,
    foreign_residence_permit = 554,
    other = 990,
};

struct DocumentTypeInfo {
    DocumentType type;
    int code;
    const char* name_zh;
    const char* name_en;
};

/// Every supported document type, in code order.
std::span<const DocumentTypeInfo> document_types();
/// The type with a GA/T code, if supported.
std::optional<DocumentType> document_type_from_code(int code);
const DocumentTypeInfo& document_type_info(DocumentType t);

/// Checks a document number for its type: the resident ID rule for 111, a plausible length and
/// character set otherwise.
SimpleCheck check_document_number(DocumentType type, std::string_view number);

}  // namespace ow::core
