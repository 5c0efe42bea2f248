// Identifiers made offline on the client: UUIDv7 (RFC 9562) and printable receipt numbers with an
// ISO/IEC 7064 MOD 37,36 check character (checked here by an independent implementation).
#include "ow/core/error.h"
#include "ow/core/ids.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

using namespace ow::core;
using namespace std::chrono;

namespace {

Date D(int y, unsigned m, unsigned d) { return Date{year{y} / month{m} / day{d}}; }

constexpr std::string_view kAlnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

// ISO/IEC 7064 hybrid MOD 37,36 verification: run the recursion over every alphanumeric character
// including the check character; the number is valid when the last S equals 1.
bool iso7064_valid(std::string_view full) {
    int p = 36, s = 0;
    for (char c : full) {
        auto v = kAlnum.find(c);
        if (v == std::string_view::npos) continue;
        s = int((std::size_t(p) + v) % 36);
        if (s == 0) s = 36;
        p = (2 * s) % 37;
    }
    return s == 1;
}

// The check character is the one symbol that makes body + check valid.
char iso7064_check(const std::string& body) {
    char found = 0;
    int count = 0;
    for (char c : kAlnum)
        if (iso7064_valid(body + "-" + c)) {
            found = c;
            ++count;
        }
    BOOST_REQUIRE_EQUAL(count, 1);
    return found;
}

bool strictly_increasing(const std::vector<Uuid>& v) {
    for (std::size_t i = 1; i < v.size(); ++i)
        if (!(v[i - 1] < v[i])) return false;
    return true;
}

std::size_t distinct(std::vector<Uuid> v) {
    std::sort(v.begin(), v.end());
    return std::size_t(std::unique(v.begin(), v.end()) - v.begin());
}

int variant_bits(const Uuid& u) { return u.bytes[8] >> 6; }
unsigned rand_a(const Uuid& u) { return unsigned(u.bytes[6] & 0x0F) << 8 | u.bytes[7]; }

constexpr std::uint64_t kT = 1759973400000;  // 2025-10-09T01:30:00Z in Unix milliseconds

}  // namespace

BOOST_AUTO_TEST_SUITE(ids_uuid_v7)

BOOST_AUTO_TEST_CASE(version_and_variant) {
    UuidV7Generator gen;
    for (int i = 0; i < 1000; ++i) {
        Uuid u = i % 2 ? gen.next() : gen.next_at(kT + std::uint64_t(i));
        BOOST_CHECK_EQUAL(u.version(), 7);
        BOOST_CHECK_EQUAL(variant_bits(u), 2);  // binary 10
        BOOST_CHECK(!u.is_nil());
        std::string s = u.to_string();
        BOOST_CHECK_EQUAL(s[14], '7');
        BOOST_CHECK(std::string_view("89ab").find(s[19]) != std::string_view::npos);
    }
    BOOST_CHECK(Uuid{}.is_nil());
}

BOOST_AUTO_TEST_CASE(timestamp_is_the_unix_millisecond) {
    UuidV7Generator gen;
    Uuid u = gen.next_at(kT);
    BOOST_CHECK_EQUAL(u.unix_ms(), kT);
    // 48-bit big-endian timestamp in the first six bytes.
    BOOST_CHECK_EQUAL(u.to_string().substr(0, 13), "0199c696-ddc0");

    auto before = std::uint64_t(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
    Uuid n = gen.next();
    auto after = std::uint64_t(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
    BOOST_CHECK_GE(n.unix_ms(), before);
    BOOST_CHECK_LE(n.unix_ms(), after + 1);
    Uuid p = new_uuid_v7();
    BOOST_CHECK_EQUAL(p.version(), 7);
    BOOST_CHECK_GE(p.unix_ms(), before);
}

BOOST_AUTO_TEST_CASE(to_string_parse_round_trip) {
    UuidV7Generator gen;
    for (int i = 0; i < 200; ++i) {
        Uuid u = gen.next();
        std::string s = u.to_string();
        BOOST_CHECK_EQUAL(s.size(), 36u);
        BOOST_CHECK(s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-');
        BOOST_CHECK(std::all_of(s.begin(), s.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }));
        auto back = Uuid::parse(s);
        BOOST_REQUIRE(back);
        BOOST_CHECK(*back == u);
        std::string upper = s;
        std::transform(upper.begin(), upper.end(), upper.begin(), [](char c) { return char(std::toupper(static_cast<unsigned char>(c))); });
        auto from_upper = Uuid::parse(upper);
        BOOST_REQUIRE(from_upper);
        BOOST_CHECK(*from_upper == u);
    }
    auto fixed = Uuid::parse("0199C696-DDC0-7ABC-8DEF-0123456789AB");
    BOOST_REQUIRE(fixed);
    BOOST_CHECK_EQUAL(fixed->to_string(), "0199c696-ddc0-7abc-8def-0123456789ab");
    BOOST_CHECK_EQUAL(fixed->bytes[0], 0x01);
    BOOST_CHECK_EQUAL(fixed->bytes[15], 0xab);
    BOOST_CHECK_EQUAL(fixed->version(), 7);
    BOOST_CHECK_EQUAL(fixed->unix_ms(), kT);
}

BOOST_AUTO_TEST_CASE(parse_rejects_malformed) {
    const char* bad[] = {
        "",
        "0199c696-ddc0-7abc-8def-0123456789a",     // 35
        "0199c696-ddc0-7abc-8def-0123456789abc",   // 37
        "0199c696ddc07abc8def0123456789ab",        // no hyphens
        "0199c696d-dc0-7abc-8def-0123456789ab",    // hyphen moved
        "0199c696-ddc0-7abc-8def-0123456789ag",    // not hex
        "0199c696-ddc0-7abc-8def_0123456789ab",    // wrong separator
        "{0199c696-ddc0-7abc-8def-0123456789a}",   // braces
        " 0199c696-ddc0-7abc-8def-0123456789a",    // leading space
        "0199c696-ddc0-7abc-8def-0123456789a ",    // trailing space
        "0199c696 ddc0 7abc 8def 0123456789ab",    // spaces
        "+199c742-4d40-7abc-8def-0123456789ab",
        "0199c696-ddc0-7abc-8def-0123456789\xC3\xA9",  // non-ASCII
    };
    for (const char* s : bad) BOOST_CHECK_MESSAGE(!Uuid::parse(s), "accepted '" << s << "'");
}

BOOST_AUTO_TEST_CASE(monotonic_in_one_millisecond) {
    UuidV7Generator gen;
    std::vector<Uuid> ids;
    for (int i = 0; i < 10000; ++i) ids.push_back(gen.next_at(kT));
    BOOST_CHECK(strictly_increasing(ids));
    BOOST_CHECK_EQUAL(ids.front().unix_ms(), kT);
    // 10,000 ids cannot fit in one millisecond's 12-bit counter: later ones borrow the next
    // milliseconds, but never run far ahead of the clock.
    BOOST_CHECK_GT(ids.back().unix_ms(), kT);
    BOOST_CHECK_LE(ids.back().unix_ms(), kT + 3);
    // Within one millisecond the counter (rand_a) counts up by one.
    for (std::size_t i = 1; i < 100; ++i) {
        if (ids[i].unix_ms() != ids[i - 1].unix_ms()) continue;
        BOOST_CHECK_EQUAL(rand_a(ids[i]), rand_a(ids[i - 1]) + 1);
    }
    // The string form sorts the same way (ids are stored as text).
    for (std::size_t i = 1; i < ids.size(); ++i)
        if (!(ids[i - 1].to_string() < ids[i].to_string())) {
            BOOST_ERROR("text order differs at " << i);
            break;
        }
    BOOST_CHECK_EQUAL(distinct(ids), ids.size());
}

BOOST_AUTO_TEST_CASE(monotonic_when_the_clock_goes_back) {
    UuidV7Generator gen;
    std::vector<Uuid> ids;
    ids.push_back(gen.next_at(kT + 1000));
    ids.push_back(gen.next_at(kT));         // clock set back by a second
    ids.push_back(gen.next_at(kT - 60000));  // and by a minute
    ids.push_back(gen.next_at(kT + 1000));
    ids.push_back(gen.next_at(kT + 2000));  // forward again
    BOOST_CHECK(strictly_increasing(ids));
    BOOST_CHECK_EQUAL(ids[0].unix_ms(), kT + 1000);
    BOOST_CHECK_GE(ids[1].unix_ms(), kT + 1000);
    BOOST_CHECK_EQUAL(ids[4].unix_ms(), kT + 2000);
    // Many ids while the clock stays behind: still increasing.
    for (int i = 0; i < 9000; ++i) ids.push_back(gen.next_at(kT));
    BOOST_CHECK(strictly_increasing(ids));
}

BOOST_AUTO_TEST_CASE(monotonic_over_increasing_time) {
    UuidV7Generator gen;
    std::vector<Uuid> ids;
    for (std::uint64_t ms = 0; ms < 2000; ++ms)
        for (int k = 0; k < 3; ++k) ids.push_back(gen.next_at(kT + ms));
    BOOST_CHECK(strictly_increasing(ids));
    BOOST_CHECK_EQUAL(ids[3].unix_ms(), kT + 1);
}

BOOST_AUTO_TEST_CASE(unique_across_threads_shared_generator) {
    constexpr int kThreads = 8, kPerThread = 20000;
    UuidV7Generator gen;
    std::vector<std::vector<Uuid>> per(kThreads);
    {
        std::vector<std::thread> ts;
        for (int t = 0; t < kThreads; ++t)
            ts.emplace_back([&, t] {
                auto& mine = per[std::size_t(t)];
                mine.reserve(kPerThread);
                for (int i = 0; i < kPerThread; ++i) mine.push_back(gen.next());
            });
        for (auto& th : ts) th.join();
    }
    std::vector<Uuid> all;
    for (const auto& v : per) {
        BOOST_CHECK_EQUAL(v.size(), std::size_t(kPerThread));
        BOOST_CHECK(strictly_increasing(v));  // one generator: each thread sees increasing ids
        all.insert(all.end(), v.begin(), v.end());
    }
    BOOST_CHECK_EQUAL(distinct(all), std::size_t(kThreads * kPerThread));
}

BOOST_AUTO_TEST_CASE(unique_across_threads_separate_generators) {
    constexpr int kThreads = 8, kPerThread = 20000;
    std::vector<std::vector<Uuid>> per(kThreads);
    {
        std::vector<std::thread> ts;
        for (int t = 0; t < kThreads; ++t)
            ts.emplace_back([&, t] {
                UuidV7Generator gen;
                auto& mine = per[std::size_t(t)];
                mine.reserve(kPerThread);
                for (int i = 0; i < kPerThread; ++i) mine.push_back(gen.next());
            });
        for (auto& th : ts) th.join();
    }
    std::vector<Uuid> all;
    for (const auto& v : per) {
        BOOST_CHECK(strictly_increasing(v));
        all.insert(all.end(), v.begin(), v.end());
    }
    BOOST_CHECK_EQUAL(distinct(all), std::size_t(kThreads * kPerThread));
}

BOOST_AUTO_TEST_CASE(separate_generators_at_the_same_millisecond_differ) {
    // Two devices making ids at the very same millisecond: the random bits keep them apart.
    std::vector<Uuid> all;
    for (int g = 0; g < 50; ++g) {
        UuidV7Generator gen;
        for (int i = 0; i < 100; ++i) all.push_back(gen.next_at(kT));
    }
    BOOST_CHECK_EQUAL(distinct(all), all.size());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(ids_receipt_number)

BOOST_AUTO_TEST_CASE(independent_check_helper_is_sound) {
    // Each body has exactly one check character (asserted inside iso7064_check); flipping it fails.
    for (const char* body : {"370102A-20251009-T07-00042", "3701-20240229-1-00001", "ABCDEFGHIJKL-20261231-ZZZZ-99999"}) {
        char c = iso7064_check(body);
        BOOST_CHECK(iso7064_valid(std::string(body) + "-" + c));
        BOOST_CHECK(!iso7064_valid(std::string(body) + "-" + (c == '0' ? '1' : '0')));
    }
}

BOOST_AUTO_TEST_CASE(format) {
    ReceiptNumber r{"370102A", D(2025, 10, 9), "T07", 42};
    // Check character worked out with the MOD 37,36 recursion.
    BOOST_CHECK_EQUAL(r.to_string(), "370102A-20251009-T07-00042-D");
    BOOST_CHECK_EQUAL(iso7064_check("370102A-20251009-T07-00042"), 'D');
    BOOST_CHECK_EQUAL(mod37_36_check("370102A-20251009-T07-00042"), 'D');
    BOOST_CHECK_EQUAL(ReceiptNumber({"3701", D(2024, 2, 29), "1", 1}).to_string(),
                      std::string("3701-20240229-1-00001-") + iso7064_check("3701-20240229-1-00001"));
    BOOST_CHECK_EQUAL(ReceiptNumber({"ABCDEFGHIJKL", D(2026, 12, 31), "ZZZZ", 99999}).to_string(),
                      std::string("ABCDEFGHIJKL-20261231-ZZZZ-99999-") + iso7064_check("ABCDEFGHIJKL-20261231-ZZZZ-99999"));
}

BOOST_AUTO_TEST_CASE(check_function_agrees_with_independent_helper) {
    // A deterministic spread of bodies.
    std::uint32_t x = 12345;
    for (int i = 0; i < 2000; ++i) {
        std::string body;
        for (int k = 0; k < 7; ++k) {
            x = x * 1664525u + 1013904223u;
            body.push_back(kAlnum[(x >> 8) % 36]);
        }
        body += "-2025" + std::to_string(1000 + i % 9000).substr(0, 4) + "-T" + std::to_string(i % 10) + "-" +
                std::to_string(10000 + i).substr(0, 5);
        BOOST_TEST_CONTEXT(body) { BOOST_CHECK_EQUAL(mod37_36_check(body), iso7064_check(body)); }
    }
}

BOOST_AUTO_TEST_CASE(parse_round_trip) {
    ReceiptNumber r{"370102A", D(2025, 10, 9), "T07", 42};
    auto back = ReceiptNumber::parse(r.to_string());
    BOOST_REQUIRE(back);
    BOOST_CHECK(*back == r);
    BOOST_CHECK_EQUAL(back->centre, "370102A");
    BOOST_CHECK_EQUAL(format_date(back->day), "2025-10-09");
    BOOST_CHECK_EQUAL(back->terminal, "T07");
    BOOST_CHECK_EQUAL(back->sequence, 42u);
    // Typed in lower case at the desk.
    auto lower = ReceiptNumber::parse("370102a-20251009-t07-00042-d");
    BOOST_REQUIRE(lower);
    BOOST_CHECK(*lower == r);

    for (std::uint32_t seq : {1u, 9u, 10u, 999u, 12345u, 99999u}) {
        ReceiptNumber n{"440305B12", D(2026, 2, 28), "9", seq};
        auto p = ReceiptNumber::parse(n.to_string());
        BOOST_REQUIRE(p);
        BOOST_CHECK(*p == n);
    }
}

BOOST_AUTO_TEST_CASE(parse_rejects_a_changed_character) {
    const std::string good = "370102A-20251009-T07-00042-D";
    BOOST_REQUIRE(ReceiptNumber::parse(good));
    // The sequence mistyped: structurally fine, only the check character catches it.
    BOOST_CHECK(!ReceiptNumber::parse("370102A-20251009-T07-00043-D"));
    BOOST_CHECK(!ReceiptNumber::parse("370102A-20251008-T07-00042-D"));
    BOOST_CHECK(!ReceiptNumber::parse("370102A-20251009-T07-00042-E"));
    // Every single-character substitution of the same class.
    int tried = 0;
    for (std::size_t i = 0; i < good.size(); ++i) {
        char c = good[i];
        if (c == '-') continue;
        bool digit = c >= '0' && c <= '9';
        for (char r : kAlnum) {
            if (r == c || (digit && !(r >= '0' && r <= '9')) || (!digit && i < good.size() - 1 && r >= '0' && r <= '9'))
                continue;
            std::string bad = good;
            bad[i] = r;
            BOOST_REQUIRE(!iso7064_valid(bad));  // the standard detects every single substitution
            ++tried;
            if (ReceiptNumber::parse(bad)) BOOST_ERROR("accepted " << bad);
        }
    }
    BOOST_CHECK_GT(tried, 100);
}

BOOST_AUTO_TEST_CASE(parse_rejects_swapped_adjacent_characters) {
    const std::string good = "370102A-20251009-T07-00042-D";
    BOOST_CHECK(!ReceiptNumber::parse("370102A-20251009-T07-00024-D"));  // 42 -> 24
    BOOST_CHECK(!ReceiptNumber::parse("370102A-20251090-T07-00042-D"));  // an invalid date as well
    BOOST_CHECK(!ReceiptNumber::parse("371002A-20251009-T07-00042-D"));
    int tried = 0;
    for (std::size_t i = 0; i + 1 < good.size(); ++i) {
        if (good[i] == '-' || good[i + 1] == '-' || good[i] == good[i + 1]) continue;
        std::string bad = good;
        std::swap(bad[i], bad[i + 1]);
        BOOST_REQUIRE(!iso7064_valid(bad));  // MOD 37,36 catches each of these swaps in this number
        ++tried;
        if (ReceiptNumber::parse(bad)) BOOST_ERROR("accepted " << bad);
    }
    BOOST_CHECK_GT(tried, 10);
}

BOOST_AUTO_TEST_CASE(parse_rejects_malformed) {
    const char* bad[] = {
        "",
        "370102A-20251009-T07-00042",          // no check character
        "370102A-20251009-T07-00042-D-1",      // extra part
        "370102A-20251009-T07-0042-D",         // 4-digit sequence
        "370102A-20251009-T07-000042-D",       // 6-digit sequence
        "370102A-2025109-T07-00042-D",         // 7-digit date
        "370102A-20251309-T07-00042-D",        // month 13
        "370102A-20250229-T07-00042-D",        // not a leap year
        "370-20251009-T07-00042-D",            // centre too short
        "370102A370102-20251009-T07-00042-D",  // centre too long
        "370102A-20251009-T0007-00042-D",      // terminal too long
        "370102A-20251009--00042-D",           // empty terminal
        "370102A-20251009-T07-0004A-D",        // letter in sequence
        "370102A-20251009-T07-00042-DD",
        "370102A 20251009 T07 00042 D",
        "370102A-20251009-T_7-00042-D",
    };
    for (const char* s : bad) BOOST_CHECK_MESSAGE(!ReceiptNumber::parse(s), "accepted '" << s << "'");
}

BOOST_AUTO_TEST_CASE(issuer_counts_per_day) {
    InMemorySequence seq;
    ReceiptNumberIssuer issuer("370102A", "T07", seq);
    auto a = issuer.issue(D(2025, 10, 9));
    auto b = issuer.issue(D(2025, 10, 9));
    auto c = issuer.issue(D(2025, 10, 10));
    BOOST_CHECK_EQUAL(a.sequence, 1u);
    BOOST_CHECK_EQUAL(b.sequence, 2u);
    BOOST_CHECK_EQUAL(c.sequence, 1u);  // a new day starts at 1
    BOOST_CHECK_EQUAL(a.centre, "370102A");
    BOOST_CHECK_EQUAL(a.terminal, "T07");
    BOOST_CHECK_EQUAL(a.to_string().substr(0, 27), "370102A-20251009-T07-00001-");
    BOOST_CHECK(a.to_string() != c.to_string());
}

BOOST_AUTO_TEST_CASE(issuer_from_many_threads_never_repeats) {
    constexpr int kThreads = 8, kPerThread = 2000;
    InMemorySequence seq;
    ReceiptNumberIssuer issuer("370102A", "T07", seq);
    std::vector<std::vector<ReceiptNumber>> per(kThreads);
    {
        std::vector<std::thread> ts;
        for (int t = 0; t < kThreads; ++t)
            ts.emplace_back([&, t] {
                for (int i = 0; i < kPerThread; ++i) per[std::size_t(t)].push_back(issuer.issue(D(2025, 10, 9)));
            });
        for (auto& th : ts) th.join();
    }
    std::set<std::string> texts;
    std::set<std::uint32_t> seqs;
    for (const auto& v : per)
        for (const auto& r : v) {
            texts.insert(r.to_string());
            seqs.insert(r.sequence);
        }
    BOOST_CHECK_EQUAL(texts.size(), std::size_t(kThreads * kPerThread));
    BOOST_CHECK_EQUAL(seqs.size(), std::size_t(kThreads * kPerThread));
    BOOST_CHECK_EQUAL(*seqs.begin(), 1u);
    BOOST_CHECK_EQUAL(*seqs.rbegin(), std::uint32_t(kThreads * kPerThread));  // no gaps either
}

BOOST_AUTO_TEST_CASE(simulated_terminals_never_collide) {
    // Five terminals of one centre, each with its own (persistent) sequence, issuing on the same day
    // at the same time. Terminal codes that are prefixes of each other must not collide either.
    const std::vector<std::string> terminals{"1", "11", "T1", "T11", "T111"};
    constexpr int kPerTerminal = 5000;
    std::vector<InMemorySequence> sequences(terminals.size());
    std::vector<std::vector<std::string>> issued(terminals.size());
    std::atomic<int> ready{0};
    {
        std::vector<std::thread> ts;
        for (std::size_t t = 0; t < terminals.size(); ++t)
            ts.emplace_back([&, t] {
                ReceiptNumberIssuer issuer("370102A", terminals[t], sequences[t]);
                ++ready;
                while (ready.load() < int(terminals.size())) std::this_thread::yield();
                for (int i = 0; i < kPerTerminal; ++i) issued[t].push_back(issuer.issue(D(2025, 10, 9)).to_string());
            });
        for (auto& th : ts) th.join();
    }
    std::set<std::string> all;
    for (std::size_t t = 0; t < terminals.size(); ++t) {
        BOOST_CHECK_EQUAL(issued[t].size(), std::size_t(kPerTerminal));
        for (const auto& s : issued[t]) {
            all.insert(s);
            auto p = ReceiptNumber::parse(s);
            if (!p || p->terminal != terminals[t]) {
                BOOST_ERROR("bad number " << s);
                break;
            }
        }
    }
    BOOST_CHECK_EQUAL(all.size(), terminals.size() * std::size_t(kPerTerminal));
}

namespace {
struct FixedSequence final : SequenceSource {
    std::uint32_t value;
    explicit FixedSequence(std::uint32_t v) : value(v) {}
    std::uint32_t next(Date) override { return value; }
};
}  // namespace

BOOST_AUTO_TEST_CASE(sequence_limits) {
    FixedSequence last(99999), over(100000), zero(0);
    BOOST_CHECK_EQUAL(ReceiptNumberIssuer("370102A", "T07", last).issue(D(2025, 10, 9)).sequence, 99999u);
    BOOST_CHECK_THROW(ReceiptNumberIssuer("370102A", "T07", over).issue(D(2025, 10, 9)), InvalidData);
    BOOST_CHECK_THROW(ReceiptNumberIssuer("370102A", "T07", zero).issue(D(2025, 10, 9)), InvalidData);
}

BOOST_AUTO_TEST_CASE(bad_centre_or_terminal_codes) {
    InMemorySequence seq;
    for (const char* centre : {"", "370", "370102A370102", "370102a", "370102-A", "3701 02", "三七零一"})
        BOOST_CHECK_THROW(ReceiptNumberIssuer(centre, "T07", seq), InvalidData);
    for (const char* terminal : {"", "T0007", "t7", "T-7", "T 7"})
        BOOST_CHECK_THROW(ReceiptNumberIssuer("370102A", terminal, seq), InvalidData);
    BOOST_CHECK_NO_THROW(ReceiptNumberIssuer("3701", "1", seq));
    BOOST_CHECK_NO_THROW(ReceiptNumberIssuer("370102A37010", "ZZZZ", seq));
}

BOOST_AUTO_TEST_SUITE_END()
