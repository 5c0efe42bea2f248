#include "der.h"

#include <openssl/objects.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace ow::seal::der {

Bytes tlv(std::uint8_t tag, const Bytes& content) {
    Bytes out;
    out.reserve(content.size() + 6);
    out.push_back(tag);
    const std::size_t n = content.size();
    if (n < 0x80) {
        out.push_back(static_cast<std::uint8_t>(n));
    } else {
        std::uint8_t len_bytes[8];
        int k = 0;
        for (std::size_t v = n; v; v >>= 8) len_bytes[k++] = static_cast<std::uint8_t>(v & 0xff);
        out.push_back(static_cast<std::uint8_t>(0x80 | k));
        while (k) out.push_back(len_bytes[--k]);
    }
    out.insert(out.end(), content.begin(), content.end());
    return out;
}

Bytes concat(const std::vector<Bytes>& parts) {
    Bytes out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

Bytes sequence(const std::vector<Bytes>& items) { return tlv(0x30, concat(items)); }

Bytes set_of(std::vector<Bytes> items) {
    std::sort(items.begin(), items.end());  // lexicographic on the encodings (X.690 11.6)
    return tlv(0x31, concat(items));
}

Bytes oid(const std::string& dotted) {
    std::unique_ptr<ASN1_OBJECT, decltype(&ASN1_OBJECT_free)> obj(OBJ_txt2obj(dotted.c_str(), 1), ASN1_OBJECT_free);
    if (!obj) throw std::logic_error("bad OID " + dotted);
    const int len = i2d_ASN1_OBJECT(obj.get(), nullptr);
    Bytes out(static_cast<std::size_t>(len));
    unsigned char* p = out.data();
    i2d_ASN1_OBJECT(obj.get(), &p);
    return out;
}

Bytes integer(long value) {
    Bytes content;
    bool more = true;
    while (more) {
        content.insert(content.begin(), static_cast<std::uint8_t>(value & 0xff));
        const long rest = value >> 8;
        const bool sign = (content.front() & 0x80) != 0;
        more = !((rest == 0 && !sign) || (rest == -1 && sign));
        value = rest;
    }
    return tlv(0x02, content);
}

Bytes octet_string(const Bytes& content) { return tlv(0x04, content); }

Bytes null() { return Bytes{0x05, 0x00}; }

Bytes context(int n, const Bytes& content) { return tlv(static_cast<std::uint8_t>(0xA0 | n), content); }

Bytes retag(Bytes encoding, std::uint8_t tag) {
    if (encoding.empty()) throw std::logic_error("retag of an empty encoding");
    encoding[0] = tag;
    return encoding;
}

}  // namespace ow::seal::der
