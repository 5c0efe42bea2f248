// Small helpers of the training platform: the simulated clock (with --clock-skew-s), hex and
// base64, SHA-256, random tokens, RFC 3986 percent-encoding, and JSON output.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ow::sim {

/// Invalid input from the command line or a file (exit 1).
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The platform's clock: the system clock shifted by the configured skew.
class Clock {
public:
    static void set_skew_s(std::int64_t s);
    static std::int64_t skew_s();
    static std::int64_t now_ms();
    static std::int64_t now_s() { return now_ms() / 1000; }
    /// RFC 3339 UTC with milliseconds.
    static std::string iso(std::int64_t unix_ms);
    static std::string iso_now() { return iso(now_ms()); }
    /// YYYYMMDD of the instant in China (UTC+8).
    static std::string china_day(std::int64_t unix_ms);
};

std::string hex(const void* data, std::size_t size);
inline std::string hex(std::string_view s) { return hex(s.data(), s.size()); }
std::optional<std::string> unhex(std::string_view s);
bool is_lower_hex(std::string_view s, std::size_t length);

std::string base64(std::string_view bytes);
/// Strict standard base64 (with padding); nothing when malformed.
std::optional<std::string> unbase64(std::string_view text);
std::string base64url(std::string_view bytes);  // no padding
std::optional<std::string> unbase64url(std::string_view text);

/// SHA-256 of bytes, raw (32 bytes) or lower-case hex.
std::string sha256_raw(std::string_view data);
std::string sha256_hex(std::string_view data);

std::string random_bytes(std::size_t n);
std::string random_hex(std::size_t bytes);
/// Crockford base32 (0-9, A-Z without I L O U), as in ULIDs.
std::string crockford(std::string_view bytes, std::size_t chars);
/// A ULID-like id: 48-bit time + 80 random bits, 26 Crockford characters.
std::string ulid();

/// RFC 3986 percent-encoding: unreserved characters kept, every other byte %XX (upper case).
std::string percent_encode(std::string_view s);
/// Decodes %XX sequences ('+' stays a plus); nothing when a sequence is malformed.
std::optional<std::string> percent_decode(std::string_view s);

/// Compact UTF-8 JSON (invalid UTF-8 replaced, never throws for that).
std::string dump(const nlohmann::json& j);

/// Parses a decimal integer in [min, max]; nothing otherwise.
std::optional<std::int64_t> parse_int(std::string_view s, std::int64_t min, std::int64_t max);
std::optional<double> parse_fraction(std::string_view s);

/// Writes a file atomically (temporary file, fsync, rename).
void write_file_atomic(const std::string& path, std::string_view content);
std::string read_file(const std::string& path);

}  // namespace ow::sim
