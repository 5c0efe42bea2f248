#include "util.h"

#include "ow/core/secure_file.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace ow::sim {

namespace {
std::atomic<std::int64_t> g_skew_s{0};
constexpr char kHex[] = "0123456789abcdef";
}  // namespace

void Clock::set_skew_s(std::int64_t s) { g_skew_s = s; }
std::int64_t Clock::skew_s() { return g_skew_s; }

std::int64_t Clock::now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() + g_skew_s * 1000;
}

std::string Clock::iso(std::int64_t unix_ms) {
    using namespace std::chrono;
    const auto tp = sys_time<milliseconds>(milliseconds(unix_ms));
    const auto day = floor<days>(tp);
    const year_month_day ymd{day};
    const hh_mm_ss<milliseconds> tod{tp - day};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()), int(tod.hours().count()), int(tod.minutes().count()),
                  int(tod.seconds().count()), int(tod.subseconds().count()));
    return buf;
}

std::string Clock::china_day(std::int64_t unix_ms) {
    using namespace std::chrono;
    const auto tp = sys_time<milliseconds>(milliseconds(unix_ms + 8LL * 3600 * 1000));
    const year_month_day ymd{floor<days>(tp)};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02u%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
    return buf;
}

std::string hex(const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = kHex[p[i] >> 4];
        out[2 * i + 1] = kHex[p[i] & 0xF];
    }
    return out;
}

namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

std::optional<std::string> unhex(std::string_view s) {
    if (s.size() % 2) return std::nullopt;
    std::string out(s.size() / 2, '\0');
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = hex_value(s[2 * i]), lo = hex_value(s[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out[i] = char(hi * 16 + lo);
    }
    return out;
}

bool is_lower_hex(std::string_view s, std::size_t length) {
    if (s.size() != length) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()), int(bytes.size()));
    out.resize(std::size_t(n));
    return out;
}

std::optional<std::string> unbase64(std::string_view text) {
    if (text.empty()) return std::string();
    if (text.size() % 4) return std::nullopt;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                        c == '/' || (c == '=' && i >= text.size() - 2);
        if (!ok) return std::nullopt;
    }
    if (text[text.size() - 2] == '=' && text.back() != '=') return std::nullopt;
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()), int(text.size()));
    if (n < 0) return std::nullopt;
    std::size_t len = std::size_t(n);
    if (text.back() == '=') --len;
    if (text[text.size() - 2] == '=') --len;
    out.resize(len);
    return out;
}

std::string base64url(std::string_view bytes) {
    std::string s = base64(bytes);
    while (!s.empty() && s.back() == '=') s.pop_back();
    for (char& c : s) {
        if (c == '+') c = '-';
        else if (c == '/') c = '_';
    }
    return s;
}

std::optional<std::string> unbase64url(std::string_view text) {
    std::string s(text);
    for (char& c : s) {
        if (c == '-') c = '+';
        else if (c == '_') c = '/';
        else if (c == '+' || c == '/' || c == '=') return std::nullopt;
    }
    while (s.size() % 4) s.push_back('=');
    return unbase64(s);
}

std::string sha256_raw(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<const char*>(md), len);
}

std::string sha256_hex(std::string_view data) { return hex(sha256_raw(data)); }

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), int(n)) != 1)
        throw std::runtime_error("the random generator failed");
    return out;
}

std::string random_hex(std::size_t bytes) { return hex(random_bytes(bytes)); }

std::string crockford(std::string_view bytes, std::size_t chars) {
    static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned char b : bytes) {
        buffer = (buffer << 8) | b;
        bits += 8;
        while (bits >= 5 && out.size() < chars) {
            out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
        buffer &= (1u << bits) - 1;
    }
    while (out.size() < chars) out.push_back('0');
    return out;
}

std::string ulid() {
    const std::uint64_t ms = std::uint64_t(Clock::now_ms());
    std::string raw(16, '\0');
    for (int i = 0; i < 6; ++i) raw[std::size_t(i)] = char((ms >> (8 * (5 - i))) & 0xFF);
    const std::string rnd = random_bytes(10);
    std::memcpy(raw.data() + 6, rnd.data(), 10);
    return crockford(raw, 26);  // time-ordered by its first 10 characters
}

std::string percent_encode(std::string_view s) {
    static constexpr char kUpper[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '~') {
            out.push_back(char(c));
        } else {
            out.push_back('%');
            out.push_back(kUpper[c >> 4]);
            out.push_back(kUpper[c & 0xF]);
        }
    }
    return out;
}

std::optional<std::string> percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%') {
            if (i + 2 >= s.size()) return std::nullopt;
            const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(char(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

std::optional<std::int64_t> parse_int(std::string_view s, std::int64_t min, std::int64_t max) {
    std::int64_t v = 0;
    if (s.empty()) return std::nullopt;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || v < min || v > max) return std::nullopt;
    return v;
}

std::optional<double> parse_fraction(std::string_view s) {
    if (s.empty() || s.size() > 32) return std::nullopt;
    std::string t(s);
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(t.c_str(), &end);
    if (errno || end != t.c_str() + t.size() || !(v >= 0.0 && v <= 1.0)) return std::nullopt;
    return v;
}

void write_file_atomic(const std::string& path, std::string_view content) {
    // Private keys among them: 0600, a fresh temporary (O_EXCL|O_NOFOLLOW), fsync, rename; a
    // symbolic link at `path` is refused.
    core::write_secret_file(path, content);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError("cannot read " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace ow::sim
