#include "ow/store/audit.h"

#include "ow/core/error.h"
#include "ow/core/secure_file.h"
#include "ow/store/store.h"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <map>
#include <regex>

namespace ow::store {
namespace {

const std::string kGenesis(64, '0');

std::string hex(const unsigned char* p, std::size_t n) {
    std::string out(n * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), p, n);
    out.pop_back();
    return out;
}

AuditEntry read_entry(Stmt& st) {
    AuditEntry e;
    e.seq = st.int64(0);
    e.at = st.text(1);
    e.user_id = st.text(2);
    const std::string post = st.text(3);
    e.post = post == "A" ? core::Post::A : post == "B" ? core::Post::B : core::Post::none;
    e.acting_for = st.text(4);
    e.action = st.text(5);
    e.case_id = st.text(6);
    e.detail = st.text(7);
    return e;
}

/// A range bound: a date (YYYY-MM-DD) or an RFC 3339 instant as the trail writes them.
std::string check_bound(const std::string& b, const char* which) {
    static const std::regex date(R"(\d{4}-\d{2}-\d{2})");
    static const std::regex instant(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?Z?)");
    if (b.empty() || std::regex_match(b, date) || std::regex_match(b, instant)) return b;
    throw core::InvalidData(std::string("the ") + which + " bound of an audit range must be a date YYYY-MM-DD or a UTC time "
                            "YYYY-MM-DDTHH:MM:SSZ, not '" + b.substr(0, 40) + "'");
}

std::string csv_field(const std::string& v) {
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
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
    auto bad = [&](std::int64_t seq, std::string why, AuditFault fault) {
        v.intact = false;
        v.fault = fault;
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
        if (post != core::to_code(e.post)) return bad(e.seq, "unknown post value", AuditFault::unknown_post);
        e.acting_for = st.text(4);
        e.action = st.text(5);
        e.case_id = st.text(6);
        e.detail = st.text(7);
        if (e.seq != expected)
            return bad(expected, e.seq > expected ? "entry " + std::to_string(expected) + " is missing (next is " + std::to_string(e.seq) + ")"
                                                  : "entries are out of order",
                      e.seq > expected ? AuditFault::missing : AuditFault::order);
        if (st.text(8) != prev) return bad(e.seq, "the link to the previous entry is broken (removed or reordered entries)", AuditFault::link);
        if (entry_hash(prev, e) != st.text(9)) return bad(e.seq, "the entry was changed after it was written", AuditFault::changed);
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
        v.fault = AuditFault::missing;
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
            v.fault = AuditFault::added;
            v.first_bad = count + 1;
            v.reason = "entries after " + std::to_string(count) + " were added behind the recorded head";
            return v;
        }
    }
    v.fault = AuditFault::head;
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
        c.entry = read_entry(st);
        c.prev_hash = st.text(8);
        c.hash = st.text(9);
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<AuditEntry> AuditLog::range(const std::string& from, const std::string& to) {
    check_bound(from, "from");
    check_bound(to, "to");
    // A date as the upper bound takes in its whole day: every instant of it sorts before "<date>U".
    const std::string upper = to.size() == 10 ? to + "U" : to;
    std::vector<AuditEntry> out;
    Stmt st(db_, "SELECT seq, at, user_id, post, acting_for, action, case_id, detail FROM audit "
                 "WHERE (?1 = '' OR at >= ?1) AND (?2 = '' OR at <= ?2) ORDER BY seq");
    st.bind(1, from).bind(2, upper);
    while (st.step()) out.push_back(read_entry(st));
    return out;
}

AuditExport export_audit(Store& store, const std::filesystem::path& out, AuditExportFormat format, const std::string& from,
                         const std::string& to) {
    store.require_role(core::Role::admin, "export the audit trail");
    AuditLog log(store.db());
    AuditExport result;
    result.verdict = log.verify();
    const auto entries = log.range(from, to);
    // The hashes, so that a reader can check the export against the trail.
    std::map<std::int64_t, std::string> hashes;
    {
        Stmt st(store.db(), "SELECT seq, hash FROM audit WHERE (?1 = 0 OR seq >= ?1) AND (?2 = 0 OR seq <= ?2)");
        st.bind(1, entries.empty() ? std::int64_t(0) : entries.front().seq).bind(2, entries.empty() ? std::int64_t(0) : entries.back().seq);
        while (st.step()) hashes[st.int64(0)] = st.text(1);
    }
    std::string text;
    if (format == AuditExportFormat::json) {
        nlohmann::json arr = nlohmann::json::array();
        for (const auto& e : entries) {
            nlohmann::json detail = nlohmann::json::parse(e.detail, nullptr, false);
            if (detail.is_discarded()) detail = e.detail;  // not JSON (an edited entry): kept as text
            arr.push_back({{"seq", e.seq}, {"at", e.at}, {"user", e.user_id}, {"post", core::to_code(e.post)},
                           {"acting_for", e.acting_for}, {"action", e.action}, {"case_id", e.case_id}, {"detail", detail},
                           {"hash", hashes[e.seq]}});
        }
        text = arr.dump(1) + "\n";
    } else {
        text = "seq,at,user,post,acting_for,action,case_id,detail,hash\r\n";
        for (const auto& e : entries)
            text += std::to_string(e.seq) + "," + csv_field(e.at) + "," + csv_field(e.user_id) + "," + std::string(core::to_code(e.post)) + "," +
                    csv_field(e.acting_for) + "," + csv_field(e.action) + "," + csv_field(e.case_id) + "," + csv_field(e.detail) + "," +
                    hashes[e.seq] + "\r\n";
    }
    try {
        core::write_secret_file(out, text);
    } catch (const core::InvalidData&) {
        throw;
    } catch (const core::Error& e) {
        throw StoreError("store.io", std::string("cannot write the audit export: ") + e.what());
    }
    result.entries = std::int64_t(entries.size());
    store.audit("audit.exported", nlohmann::json{{"from", from}, {"to", to}, {"format", format == AuditExportFormat::json ? "json" : "csv"},
                                                 {"entries", result.entries}, {"intact", result.verdict.intact}}
                                      .dump());
    return result;
}

}  // namespace ow::store
