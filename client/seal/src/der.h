// Minimal DER encoding (X.690) for the CMS structures we build ourselves.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ow::seal::der {

using Bytes = std::vector<std::uint8_t>;

Bytes tlv(std::uint8_t tag, const Bytes& content);
Bytes sequence(const std::vector<Bytes>& items);
/// SET OF: the encodings sorted as DER requires.
Bytes set_of(std::vector<Bytes> items);
Bytes oid(const std::string& dotted);
Bytes integer(long value);
Bytes octet_string(const Bytes& content);
Bytes null();
/// [n] EXPLICIT or IMPLICIT-constructed: context-specific constructed tag around content.
Bytes context(int n, const Bytes& content);
/// Replaces the outer tag of an encoding (for IMPLICIT tagging of a constructed type).
Bytes retag(Bytes encoding, std::uint8_t tag);
Bytes concat(const std::vector<Bytes>& parts);
Bytes bit_string(const Bytes& content);  // no unused bits
Bytes ia5_string(const std::string& s);
Bytes utf8_string(const std::string& s);
Bytes generalized_time(std::int64_t unix_seconds);  // YYYYMMDDHHMMSSZ

/// One element read from DER: tag, content and the whole encoding.
struct Element {
    std::uint8_t tag = 0;
    std::string_view content;
    std::string_view whole;
};

/// Reads consecutive DER elements (definite lengths only). Throws std::runtime_error on bad input.
class Reader {
public:
    explicit Reader(std::string_view data) : data_(data) {}
    bool more() const { return pos_ < data_.size(); }
    Element next();
    /// next(), checking the tag.
    Element next(std::uint8_t tag);

private:
    std::string_view data_;
    std::size_t pos_ = 0;
};

}  // namespace ow::seal::der
