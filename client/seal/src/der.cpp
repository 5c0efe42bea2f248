#include "der.h"

#include <openssl/objects.h>

#include <algorithm>
#include <ctime>
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

Bytes bit_string(const Bytes& content) {
    Bytes c;
    c.reserve(content.size() + 1);
    c.push_back(0);
    c.insert(c.end(), content.begin(), content.end());
    return tlv(0x03, c);
}

Bytes ia5_string(const std::string& s) { return tlv(0x16, Bytes(s.begin(), s.end())); }
Bytes utf8_string(const std::string& s) { return tlv(0x0C, Bytes(s.begin(), s.end())); }

Bytes generalized_time(std::int64_t unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[20];
    std::strftime(buf, sizeof buf, "%Y%m%d%H%M%SZ", &tm);
    const std::string s = buf;
    return tlv(0x18, Bytes(s.begin(), s.end()));
}

Element Reader::next() {
    auto fail = [] { throw std::runtime_error("malformed DER"); };
    const std::size_t start = pos_;
    if (pos_ + 2 > data_.size()) fail();
    Element e;
    e.tag = static_cast<std::uint8_t>(data_[pos_++]);
    if ((e.tag & 0x1F) == 0x1F) fail();  // multi-byte tags are not used by the structures we read
    std::size_t len = static_cast<std::uint8_t>(data_[pos_++]);
    if (len & 0x80) {
        const std::size_t k = len & 0x7F;
        if (k == 0 || k > 4 || pos_ + k > data_.size()) fail();
        len = 0;
        for (std::size_t i = 0; i < k; ++i) len = (len << 8) | static_cast<std::uint8_t>(data_[pos_++]);
    }
    if (len > data_.size() - pos_) fail();
    e.content = data_.substr(pos_, len);
    pos_ += len;
    e.whole = data_.substr(start, pos_ - start);
    return e;
}

Element Reader::next(std::uint8_t tag) {
    Element e = next();
    if (e.tag != tag) throw std::runtime_error("unexpected DER element");
    return e;
}

}  // namespace ow::seal::der
