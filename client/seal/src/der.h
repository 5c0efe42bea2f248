// Minimal DER encoding (X.690) for the CMS structures we build ourselves.
#pragma once

#include <cstdint>
#include <string>
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

}  // namespace ow::seal::der
