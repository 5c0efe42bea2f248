// The resident ID card's text block as readers deliver it, and the card as OneWindow passes it on.
// Shared by the idcard-sdt and idcard-sim plugins (a static library inside each plugin).
//
// Text block: 256 bytes, UCS-2 little endian, fixed-width fields padded with spaces:
//   name 15 | sex code 1 | ethnicity code 2 | birth 8 (YYYYMMDD) | address 35 | ID number 18 |
//   issuing authority 15 | valid from 8 | valid to 8 (YYYYMMDD or 长期) | reserved 18   (characters)
#pragma once

#include "ow/core/date.h"
#include "ow/core/error.h"
#include "ow/core/json_reader.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace ow::idcard {

inline constexpr std::size_t kTextBlockSize = 256;

struct IdCard {
    std::string name;            // UTF-8
    std::string sex_code;        // GB/T 2261.1: 0 unknown, 1 male, 2 female, 9 not stated
    std::string ethnicity_code;  // GB/T 3304: "01".."56" (others kept as read)
    core::Date birth{};
    std::string address;
    std::string id_number;
    std::string authority;
    core::Date valid_from{};
    std::optional<core::Date> valid_to;  // std::nullopt: 长期 (long-term)
};

/// A text block that is not a well-formed card. Code "idcard.decode"; the message names the field
/// but never its content (card data is personal data).
class DecodeError : public core::Error {
public:
    explicit DecodeError(const std::string& message) : core::Error("idcard.decode", message) {}
};

/// Decodes the 256-byte text block. Throws DecodeError on a wrong size, invalid UCS-2 text, or a
/// field that breaks its format (sex code, dates, ID number shape; the check digit is left to the
/// caller's validator so that a clerk can see what the card says).
IdCard decode_text_block(std::span<const std::uint8_t> block);

/// Chinese name of an ethnicity code ("01" → "汉"), empty when unknown.
std::string ethnicity_name(const std::string& code);
/// "male", "female", "unknown", "not_stated" or "" for other codes.
std::string sex_name(const std::string& code);

/// The card as the id_reader answer (docs/plugins.md, "id_reader").
nlohmann::json to_json(const IdCard& card, const std::string& source);
/// A card from JSON in the same shape (as in idcard-sim's cards file). Throws core::InvalidData.
IdCard card_from_json(const core::JsonReader& r);

}  // namespace ow::idcard
