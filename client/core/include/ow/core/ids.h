// Identifiers made on the client, offline:
//  - Uuid (RFC 9562 version 7): case ids and mutation ids. Time-ordered, 62 random bits, and
//    monotonic within one generator (a 12-bit counter in rand_a orders ids of the same millisecond).
//  - ReceiptNumber: the printable local receipt number handed to the applicant:
//        <centre>-<YYYYMMDD>-<terminal>-<sequence>-<check>   e.g. 370102A-20251009-T07-00042-D
//    centre = the service centre's code (region code + centre letter/digits, 4–12 chars),
//    terminal = the terminal code assigned at enrolment, unique within the centre (1–4 chars),
//    sequence = per terminal and day (5 digits), check = ISO/IEC 7064 MOD 37,36 over the rest.
//    Two terminals never collide because their terminal codes differ; one terminal never collides
//    because its sequence source is persistent and strictly increasing per day.
#pragma once

#include "ow/core/date.h"

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace ow::core {

struct Uuid {
    std::array<std::uint8_t, 16> bytes{};

    /// Canonical lower-case 8-4-4-4-12 form.
    std::string to_string() const;
    /// Parses the canonical form (either case). Returns nothing for anything else.
    static std::optional<Uuid> parse(std::string_view text) noexcept;
    int version() const { return bytes[6] >> 4; }
    /// For a v7 id: its Unix millisecond timestamp.
    std::uint64_t unix_ms() const;
    bool is_nil() const;
    auto operator<=>(const Uuid&) const = default;
};

/// Thread-safe UUIDv7 generator.
class UuidV7Generator {
public:
    UuidV7Generator();
    /// A deterministic generator (tests, reproducible demo data): the random bits come from `seed`.
    explicit UuidV7Generator(std::uint64_t seed);
    Uuid next();
    /// For tests: generate as if the clock read `unix_ms`.
    Uuid next_at(std::uint64_t unix_ms);

private:
    std::mutex mu_;
    std::mt19937_64 rng_;
    std::uint64_t last_ms_ = 0;
    std::uint16_t counter_ = 0;
};

/// A new UUIDv7 from the process-wide generator.
Uuid new_uuid_v7();

struct ReceiptNumber {
    std::string centre;
    Date day{};
    std::string terminal;
    std::uint32_t sequence = 0;

    std::string to_string() const;
    /// Parses and verifies the check character (a mistyped number is refused).
    static std::optional<ReceiptNumber> parse(std::string_view text) noexcept;
    bool operator==(const ReceiptNumber&) const = default;
};

/// ISO/IEC 7064 MOD 37,36 check character (0-9A-Z) over the alphanumeric characters of `text`.
char mod37_36_check(std::string_view text);

/// Where receipt sequences come from. The store provides a persistent one; it must hand out
/// strictly increasing numbers per day, starting at 1, across restarts.
class SequenceSource {
public:
    virtual ~SequenceSource() = default;
    virtual std::uint32_t next(Date day) = 0;
};

/// In-memory sequences (tests, the training mode before a store exists). Thread-safe.
class InMemorySequence final : public SequenceSource {
public:
    std::uint32_t next(Date day) override;

private:
    std::mutex mu_;
    std::map<Date, std::uint32_t> last_;
};

/// Issues receipt numbers for one terminal.
class ReceiptNumberIssuer {
public:
    /// Throws InvalidData if centre (4–12 of A-Z0-9) or terminal (1–4 of A-Z0-9) is malformed.
    ReceiptNumberIssuer(std::string centre, std::string terminal, SequenceSource& sequences);
    ReceiptNumber issue(Date day);

private:
    std::string centre_;
    std::string terminal_;
    SequenceSource& sequences_;
};

}  // namespace ow::core
