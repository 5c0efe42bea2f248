#include "ow/core/ids.h"

#include "ow/core/error.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace ow::core {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool alnum_upper(std::string_view s, std::size_t min, std::size_t max) {
    return s.size() >= min && s.size() <= max &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); });
}

int alnum_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string Uuid::to_string() const {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(kHex[bytes[i] >> 4]);
        out.push_back(kHex[bytes[i] & 0xF]);
    }
    return out;
}

std::optional<Uuid> Uuid::parse(std::string_view text) noexcept {
    if (text.size() != 36) return std::nullopt;
    Uuid u;
    std::size_t b = 0;
    for (std::size_t i = 0; i < 36;) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (text[i] != '-') return std::nullopt;
            ++i;
            continue;
        }
        int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        u.bytes[b++] = std::uint8_t(hi << 4 | lo);
        i += 2;
    }
    return u;
}

std::uint64_t Uuid::unix_ms() const {
    std::uint64_t ms = 0;
    for (std::size_t i = 0; i < 6; ++i) ms = ms << 8 | bytes[i];
    return ms;
}

bool Uuid::is_nil() const {
    return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

UuidV7Generator::UuidV7Generator() {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    rng_.seed(seq);
}

UuidV7Generator::UuidV7Generator(std::uint64_t seed) { rng_.seed(seed); }

Uuid UuidV7Generator::next() {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
    return next_at(std::uint64_t(ms.count()));
}

Uuid UuidV7Generator::next_at(std::uint64_t unix_ms) {
    std::lock_guard lock(mu_);
    if (unix_ms > last_ms_) {
        last_ms_ = unix_ms;
        counter_ = std::uint16_t(rng_() & 0x1FF);  // random start in the lower half leaves room to count
    } else if (++counter_ > 0xFFF) {
        // Counter exhausted within one millisecond (or the clock went back): borrow the next one.
        ++last_ms_;
        counter_ = 0;
    }
    Uuid u;
    std::uint64_t ms = last_ms_;
    for (int i = 5; i >= 0; --i) {
        u.bytes[std::size_t(i)] = std::uint8_t(ms & 0xFF);
        ms >>= 8;
    }
    u.bytes[6] = std::uint8_t(0x70 | (counter_ >> 8));
    u.bytes[7] = std::uint8_t(counter_ & 0xFF);
    std::uint64_t r = rng_();
    u.bytes[8] = std::uint8_t(0x80 | (r & 0x3F));
    for (std::size_t i = 9; i < 16; ++i) {
        r >>= 8;
        if (i == 12) r = rng_();
        u.bytes[i] = std::uint8_t(r & 0xFF);
    }
    return u;
}

Uuid new_uuid_v7() {
    static UuidV7Generator gen;
    return gen.next();
}

char mod37_36_check(std::string_view text) {
    constexpr int M = 36;
    int p = M;
    for (char c : text) {
        int v = alnum_value(c);
        if (v < 0) continue;
        int s = (p + v) % M;
        if (s == 0) s = M;
        p = (s * 2) % (M + 1);
    }
    int a = (M + 1 - p) % M;  // (p + a) mod M == 1
    return a < 10 ? char('0' + a) : char('A' + a - 10);
}

std::string ReceiptNumber::to_string() const {
    std::chrono::year_month_day ymd{day};
    char buf[80];
    std::snprintf(buf, sizeof buf, "%s-%04d%02u%02u-%s-%05u", centre.c_str(), int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()), terminal.c_str(), sequence);
    std::string body = buf;
    return body + "-" + mod37_36_check(body);
}

std::optional<ReceiptNumber> ReceiptNumber::parse(std::string_view text) noexcept {
    std::string s;
    for (char c : text) s.push_back(c >= 'a' && c <= 'z' ? char(c - 32) : c);
    std::array<std::string, 5> parts;
    std::size_t n = 0, start = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == '-') {
            if (n == parts.size()) return std::nullopt;
            parts[n++] = s.substr(start, i - start);
            start = i + 1;
        }
    }
    if (n != 5 || !alnum_upper(parts[0], 4, 12) || parts[1].size() != 8 || !alnum_upper(parts[2], 1, 4) ||
        parts[3].size() != 5 || parts[4].size() != 1)
        return std::nullopt;
    if (!std::all_of(parts[1].begin(), parts[1].end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        !std::all_of(parts[3].begin(), parts[3].end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    auto day = try_parse_date(parts[1].substr(0, 4) + "-" + parts[1].substr(4, 2) + "-" + parts[1].substr(6, 2));
    if (!day) return std::nullopt;
    ReceiptNumber r{parts[0], *day, parts[2], std::uint32_t(std::stoul(parts[3]))};
    if (r.to_string() != s) return std::nullopt;  // wrong check character
    return r;
}

std::uint32_t InMemorySequence::next(Date day) {
    std::lock_guard lock(mu_);
    return ++last_[day];
}

ReceiptNumberIssuer::ReceiptNumberIssuer(std::string centre, std::string terminal, SequenceSource& sequences)
    : centre_(std::move(centre)), terminal_(std::move(terminal)), sequences_(sequences) {
    if (!alnum_upper(centre_, 4, 12)) throw InvalidData("centre code must be 4–12 characters of A–Z and 0–9");
    if (!alnum_upper(terminal_, 1, 4)) throw InvalidData("terminal code must be 1–4 characters of A–Z and 0–9");
}

ReceiptNumber ReceiptNumberIssuer::issue(Date day) {
    std::uint32_t seq = sequences_.next(day);
    if (seq == 0 || seq > 99999) throw InvalidData("receipt sequence exhausted for " + format_date(day));
    return {centre_, day, terminal_, seq};
}

}  // namespace ow::core
