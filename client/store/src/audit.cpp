#include "ow/store/audit.h"

#include <nlohmann/json.hpp>
#include <sodium.h>

namespace ow::store {
namespace {

const std::string kGenesis(64, '0');

std::string hex(const unsigned char* p, std::size_t n) {
    std::string out(n * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), p, n);
    out.pop_back();
    return out;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return hex(h, sizeof h);
}

std::string AuditLog::entry_hash(const std::string& prev_hash, const AuditEntry& e) {
    // Canonical form: a JSON array in fixed order (no key-order ambiguity), UTF-8.
    nlohmann::json canon = nlohmann::json::array(
        {e.seq, e.at, e.user_id, core::to_code(e.post), e.acting_for, e.action, e.case_id, e.detail});
    return sha256_hex(prev_hash + "\n" + canon.dump());
}

std::int64_t AuditLog::append(const core::Actor& actor, core::Instant at, const std::string& action,
                              const std::string& case_id, const std::string& detail_json) {
    std::string prev = kGenesis;
    std::int64_t seq = 1;
    {
        auto& last = db_.cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
        if (last.step()) {
            seq = last.int64(0) + 1;
            prev = last.text(1);
        }
        last.reset();
    }
    AuditEntry e{seq, core::format_instant(at), actor.user_id, actor.post, actor.acting_for, action, case_id, detail_json};
    std::string h = entry_hash(prev, e);
    db_.cached("INSERT INTO audit(seq, at, user_id, post, acting_for, action, case_id, detail, prev_hash, hash) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, seq).bind(2, e.at).bind(3, e.user_id).bind(4, core::to_code(e.post)).bind(5, e.acting_for)
        .bind(6, e.action).bind(7, e.case_id).bind(8, e.detail).bind(9, prev).bind(10, h)
        .run();
    db_.cached("INSERT INTO meta(key, value) VALUES ('audit_head', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(1, std::to_string(seq) + ":" + h)
        .run();
    return seq;
}

AuditVerdict AuditLog::verify() {
    AuditVerdict v;
    std::string prev = kGenesis;
    std::int64_t expected = 1;
    Stmt st(db_, "SELECT seq, at, user_id, post, acting_for, action, case_id, detail, prev_hash, hash FROM audit ORDER BY seq");
    auto bad = [&](std::int64_t seq, std::string why) {
        v.intact = false;
        v.first_bad = seq;
        v.reason = std::move(why);
        return v;
    };
    while (st.step()) {
        AuditEntry e;
        e.seq = st.int64(0);
        e.at = st.text(1);
        e.user_id = st.text(2);
        std::string post = st.text(3);
        e.post = post == "A" ? core::Post::A : post == "B" ? core::Post::B : core::Post::none;
        if (post != core::to_code(e.post)) return bad(e.seq, "unknown post value");
        e.acting_for = st.text(4);
        e.action = st.text(5);
        e.case_id = st.text(6);
        e.detail = st.text(7);
        if (e.seq != expected)
            return bad(expected, e.seq > expected ? "entry " + std::to_string(expected) + " is missing (next is " + std::to_string(e.seq) + ")"
                                                  : "entries are out of order");
        if (st.text(8) != prev) return bad(e.seq, "the link to the previous entry is broken (removed or reordered entries)");
        if (entry_hash(prev, e) != st.text(9)) return bad(e.seq, "the entry was changed after it was written");
        prev = st.text(9);
        ++expected;
        ++v.entries;
    }
    auto head = db_.query_text("SELECT value FROM meta WHERE key = 'audit_head'");
    std::string want = v.entries == 0 ? std::string() : std::to_string(v.entries) + ":" + prev;
    if (head.value_or("") == want) return v;
    // The head disagrees with the chain. Name an entry only when one is really at fault: entries
    // cut from the end (the head counts more, and the chain checked out up to where it stops) are
    // named by the first missing one; anything else is an altered head, named as such.
    v.intact = false;
    std::string h = head.value_or("");
    auto colon = h.find(':');
    long long count = -1;
    if (colon != std::string::npos && colon > 0 && colon <= 18 &&
        h.find_first_not_of("0123456789") == colon && h.size() == colon + 65)
        count = std::stoll(h.substr(0, colon));
    if (count > v.entries) {
        v.first_bad = v.entries + 1;
        v.reason = "entries " + std::to_string(v.entries + 1) + "-" + std::to_string(count) +
                   " are missing from the end, or the head was altered (it counts " + std::to_string(count) + ")";
        return v;
    }
    if (count > 0) {
        // The head names an entry that exists: if its hash matches, the entries after it were
        // added without moving the head; otherwise the head itself was altered.
        Stmt at(db_, "SELECT hash FROM audit WHERE seq = ?");
        at.bind(1, std::int64_t(count));
        if (at.step() && at.text(0) == h.substr(colon + 1)) {
            v.first_bad = count + 1;
            v.reason = "entries after " + std::to_string(count) + " were added behind the recorded head";
            return v;
        }
    }
    v.reason = head ? "the head was altered (it names no entry of the chain: \"" + h.substr(0, 80) + "\")"
                    : "the head was removed (the chain has " + std::to_string(v.entries) + " entries)";
    return v;
}

std::vector<AuditEntry> AuditLog::for_case(const std::string& case_id, int limit) {
    std::vector<AuditEntry> out;
    for (auto& c : for_case_chained(case_id, limit)) out.push_back(std::move(c.entry));
    return out;
}

std::vector<ChainedAuditEntry> AuditLog::for_case_chained(const std::string& case_id, int limit) {
    std::vector<ChainedAuditEntry> out;
    if (case_id.empty() || limit < 1) return out;
    auto& st = db_.cached("SELECT seq, at, user_id, post, acting_for, action, case_id, detail, prev_hash, hash FROM audit "
                          "WHERE case_id = ? ORDER BY seq LIMIT ?");
    st.bind(1, case_id).bind(2, limit);
    while (st.step()) {
        ChainedAuditEntry c;
        AuditEntry& e = c.entry;
        e.seq = st.int64(0);
        e.at = st.text(1);
        e.user_id = st.text(2);
        const std::string post = st.text(3);
        e.post = post == "A" ? core::Post::A : post == "B" ? core::Post::B : core::Post::none;
        e.acting_for = st.text(4);
        e.action = st.text(5);
        e.case_id = st.text(6);
        e.detail = st.text(7);
        c.prev_hash = st.text(8);
        c.hash = st.text(9);
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace ow::store
