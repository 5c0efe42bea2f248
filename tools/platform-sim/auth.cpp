#include "auth.h"

#include "platform_db.h"
#include "util.h"

#include <httplib.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

namespace ow::sim {

namespace {

constexpr std::int64_t kSkewS = 300;
constexpr std::int64_t kNonceS = 900;
constexpr std::int64_t kIdempotencyS = 24 * 3600;

bool valid_code(const std::string& s, std::size_t min, std::size_t max) {
    if (s.size() < min || s.size() > max) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

EVP_MAC* hmac() {
    static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    return mac;
}

}  // namespace

std::optional<Terminal> find_terminal(store::Db& db, const std::string& id) {
    auto& st = db.cached("SELECT id, name, algorithm, centre, terminal_code, status, secret, state_count, state_xor "
                         "FROM terminals WHERE id = ?1");
    st.bind(1, id);
    std::optional<Terminal> t;
    if (st.step()) {
        t = Terminal{st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6), st.int64(7), st.text(8)};
    }
    st.reset();
    return t;
}

Terminal create_terminal(PlatformDb& pdb, const std::string& name, const std::string& centre,
                         const std::string& terminal_code, const std::string& algorithm) {
    auto& db = pdb.db();
    if (name.empty() || name.size() > 200) throw InputError("a terminal needs a name (at most 200 bytes)");
    if (!valid_code(centre, 4, 12)) throw InputError("the centre code must be 4-12 of A-Z and 0-9");
    if (algorithm != "hmac-sha256" && algorithm != "hmac-sm3")
        throw InputError("the algorithm must be hmac-sha256 or hmac-sm3");
    std::string code = terminal_code;
    const auto taken = [&](const std::string& c) {
        auto& st = db.cached("SELECT 1 FROM terminals WHERE centre = ?1 AND terminal_code = ?2");
        st.bind(1, centre).bind(2, c);
        const bool t = st.step();
        st.reset();
        return t;
    };
    if (code.empty()) {
        for (int i = 1; i < 1000 && code.empty(); ++i) {
            char buf[8];
            std::snprintf(buf, sizeof buf, i < 100 ? "T%02d" : "T%03d", i);
            if (!taken(buf)) code = buf;
        }
        if (code.empty()) throw InputError("the centre has no free terminal code");
    } else {
        if (!valid_code(code, 1, 4)) throw InputError("the terminal code must be 1-4 of A-Z and 0-9");
        if (taken(code)) throw InputError("terminal code " + code + " is taken in centre " + centre);
    }
    Terminal t;
    t.id = "trm-" + ulid();
    t.name = name;
    t.algorithm = algorithm;
    t.centre = centre;
    t.terminal_code = code;
    t.status = "active";
    t.secret_b64 = base64(random_bytes(32));
    t.state_xor = std::string(64, '0');
    db.cached("INSERT INTO terminals(id, name, secret, algorithm, centre, terminal_code, created_ms, state_xor) "
              "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        .bind(1, t.id)
        .bind(2, t.name)
        .bind(3, t.secret_b64)
        .bind(4, t.algorithm)
        .bind(5, t.centre)
        .bind(6, t.terminal_code)
        .bind(7, Clock::now_ms())
        .bind(8, t.state_xor)
        .run();
    return t;
}

std::string credentials_json(PlatformDb& pdb, const Terminal& t) {
    nlohmann::json j = {{"terminal_id", t.id},         {"secret", t.secret_b64}, {"algorithm", t.algorithm},
                        {"centre", t.centre},          {"terminal_code", t.terminal_code},
                        {"platform", pdb.meta("platform").value_or("")}};
    return dump(j);
}

std::optional<std::string> compute_mac(std::string_view algorithm, std::string_view key, std::string_view data) {
    const char* digest = algorithm == "hmac-sha256" ? "SHA256" : algorithm == "hmac-sm3" ? "SM3" : nullptr;
    if (!digest || !hmac()) return std::nullopt;
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(hmac());
    if (!ctx) return std::nullopt;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
                           OSSL_PARAM_construct_end()};
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t len = 0;
    const bool ok = EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(key.data()), key.size(), params) == 1 &&
                    EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1 &&
                    EVP_MAC_final(ctx, out, &len, sizeof out) == 1;
    EVP_MAC_CTX_free(ctx);
    if (!ok) return std::nullopt;
    return std::string(reinterpret_cast<const char*>(out), len);
}

std::optional<std::string> canonical_query(std::string_view raw) {
    std::vector<std::pair<std::string, std::string>> pairs;
    std::size_t start = 0;
    while (start <= raw.size()) {
        const std::size_t amp = std::min(raw.find('&', start), raw.size());
        const std::string_view part = raw.substr(start, amp - start);
        if (!part.empty()) {
            const std::size_t eq = part.find('=');
            const auto name = percent_decode(part.substr(0, eq));
            const auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
            if (!name || !value) return std::nullopt;
            pairs.emplace_back(percent_encode(*name), percent_encode(*value));
        }
        start = amp + 1;
    }
    std::sort(pairs.begin(), pairs.end());
    std::string out;
    for (const auto& [n, v] : pairs) {
        if (!out.empty()) out.push_back('&');
        out += n;
        out.push_back('=');
        out += v;
    }
    return out;
}

std::string canonical_string(std::string_view algorithm, std::string_view terminal, std::string_view method,
                             std::string_view path, std::string_view query, std::string_view timestamp,
                             std::string_view nonce, std::string_view content_sha256) {
    std::string s = "OW1-HMAC\n";
    for (std::string_view part : {algorithm, terminal, method, path, query, timestamp, nonce}) {
        s += part;
        s.push_back('\n');
    }
    s += content_sha256;
    return s;
}

std::optional<AuthFailure> verify_request(PlatformDb& pdb, const httplib::Request& req, const std::string& body_sha256,
                                          Terminal& out) {
    const auto fail = [](int status, const char* code, std::string message) {
        return std::optional<AuthFailure>(AuthFailure{status, code, std::move(message)});
    };
    static const char* kHeaders[] = {"X-OW-Terminal", "X-OW-Timestamp", "X-OW-Nonce", "X-OW-Content-SHA256", "X-OW-Signature"};
    for (const char* h : kHeaders)
        if (!req.has_header(h)) return fail(401, "auth.missing", std::string("the request is not signed (no ") + h + ")");
    const std::string terminal_id = req.get_header_value("X-OW-Terminal");
    const std::string timestamp = req.get_header_value("X-OW-Timestamp");
    const std::string nonce = req.get_header_value("X-OW-Nonce");
    const std::string content = req.get_header_value("X-OW-Content-SHA256");
    const std::string signature = req.get_header_value("X-OW-Signature");

    std::optional<Terminal> t;
    {
        auto lock = pdb.lock();
        t = find_terminal(pdb.db(), terminal_id);
    }
    if (!t) return fail(401, "auth.unknown_terminal", "the terminal is not known to the platform");

    const auto ts = parse_int(timestamp, 0, 99999999999LL);
    if (!ts) return fail(401, "auth.bad_signature", "X-OW-Timestamp is not a decimal Unix time");
    const std::int64_t now = Clock::now_s();
    if (*ts > now + kSkewS || *ts < now - kSkewS)
        return fail(401, "auth.stale_timestamp", "the timestamp is more than 300 s from the platform's clock");
    if (!is_lower_hex(nonce, 32)) return fail(401, "auth.bad_signature", "X-OW-Nonce must be 32 lower-case hex digits");
    if (content != body_sha256)
        return fail(401, "auth.bad_signature", "X-OW-Content-SHA256 does not match the body");

    const std::size_t eq = signature.find('=');
    if (eq == std::string::npos) return fail(401, "auth.bad_signature", "X-OW-Signature is not <algorithm>=<base64>");
    const std::string algorithm = signature.substr(0, eq);
    if (algorithm != t->algorithm)
        return fail(401, "auth.bad_signature", "the signature algorithm is not the terminal's (" + t->algorithm + ")");
    const auto given = unbase64(std::string_view(signature).substr(eq + 1));
    const auto key = unbase64(t->secret_b64);
    const std::string_view target(req.target);
    const std::size_t q = target.find('?');
    const auto query = canonical_query(q == std::string_view::npos ? std::string_view() : target.substr(q + 1));
    if (!given || !key || !query) return fail(401, "auth.bad_signature", "the signature does not match");
    const std::string text = canonical_string(algorithm, terminal_id, req.method, target.substr(0, q), *query, timestamp,
                                              nonce, content);
    const auto expected = compute_mac(algorithm, *key, text);
    if (!expected || expected->size() != given->size() ||
        CRYPTO_memcmp(expected->data(), given->data(), given->size()) != 0)
        return fail(401, "auth.bad_signature", "the signature does not match");

    if (t->status != "active") return fail(403, "auth.revoked", "the terminal has been revoked");
    {
        auto lock = pdb.lock();
        auto& st = pdb.db().cached("INSERT INTO nonces(terminal, nonce, seen_s) VALUES(?1, ?2, ?3) "
                                   "ON CONFLICT(terminal, nonce) DO UPDATE SET seen_s = excluded.seen_s "
                                   "WHERE nonces.seen_s < excluded.seen_s - ?4");
        st.bind(1, terminal_id).bind(2, nonce).bind(3, now).bind(4, kNonceS).run();
        if (pdb.db().changes() != 1) return fail(401, "auth.replay", "the nonce was used before");
    }
    out = std::move(*t);
    return std::nullopt;
}

void prune_auth_state(PlatformDb& pdb) {
    const std::int64_t now = Clock::now_s();
    pdb.db().cached("DELETE FROM nonces WHERE seen_s < ?1").bind(1, now - kNonceS - kSkewS).run();
    pdb.db().cached("DELETE FROM idempotency WHERE created_s < ?1").bind(1, now - kIdempotencyS).run();
}

}  // namespace ow::sim
