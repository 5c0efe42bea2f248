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
        Stmt last(db_, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
        if (last.step()) {
            seq = last.int64(0) + 1;
            prev = last.text(1);
        }
    }
    AuditEntry e{seq, core::format_instant(at), actor.user_id, actor.post, actor.acting_for, action, case_id, detail_json};
    std::string h = entry_hash(prev, e);
    Stmt(db_, "INSERT INTO audit(seq, at, user_id, post, acting_for, action, case_id, detail, prev_hash, hash) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, seq).bind(2, e.at).bind(3, e.user_id).bind(4, core::to_code(e.post)).bind(5, e.acting_for)
        .bind(6, e.action).bind(7, e.case_id).bind(8, e.detail).bind(9, prev).bind(10, h)
        .run();
    Stmt(db_, "INSERT INTO meta(key, value) VALUES ('audit_head', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
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
    if (head.value_or("") != want)
        return bad(v.entries + 1, "the trail ends before its recorded head (entries removed from the end)");
    return v;
}

}  // namespace ow::store
