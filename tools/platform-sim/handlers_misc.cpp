// Connectivity, enrolment, the terminal's own record, catalogue, calendars, e-licences, the TSA.
#include "auth.h"
#include "case_book.h"
#include "demo_data.h"
#include "platform_db.h"
#include "server.h"
#include "trust.h"
#include "tsa.h"
#include "util.h"

#include "ow/core/validators.h"
#include "ow/store/db.h"

#include <httplib.h>

namespace ow::sim {

using nlohmann::json;

void register_misc_routes(Routes& routes, Context& ctx) {
    routes.get_unsigned("/v1/ping", [&ctx](const httplib::Request&, httplib::Response& res) {
        std::string platform;
        {
            auto lock = ctx.pdb.lock();
            platform = ctx.pdb.meta("platform").value_or("");
            ctx.pdb.bump("pings");  // stats: counters.pings
        }
        send_value(res, 200, {{"status", "ok"}, {"api_version", 1}, {"platform", platform}, {"server_time", Clock::iso_now()}, {"training", true}});
    });

    routes.post_unsigned("/v1/terminals:enrol", [&ctx](const httplib::Request& req, httplib::Response& res) {
        const json j = json::parse(req.body, nullptr, false);
        if (!j.is_object()) return send_error(res, 400, "request.malformed", "the body must be a JSON object");
        const std::string code = j.contains("enrolment_code") && j["enrolment_code"].is_string() ? j["enrolment_code"].get<std::string>() : "";
        const std::string name = j.contains("name") && j["name"].is_string() ? j["name"].get<std::string>() : "";
        if (code.empty() || code.size() > 64) return send_error(res, 422, "invalid.enrolment_code", "/enrolment_code: missing");
        if (name.empty() || name.size() > 200) return send_error(res, 422, "invalid.name", "/name: a terminal needs a name");
        // A CSR asks for the terminal's client certificate (mTLS); its key stays on the terminal.
        std::string csr;
        if (j.contains("csr") && !j["csr"].is_null()) {
            if (!j["csr"].is_string()) return send_error(res, 422, "invalid.csr", "/csr: a PEM certificate request is needed");
            csr = j["csr"].get<std::string>();
            try {
                check_csr(csr);
            } catch (const InputError& e) {
                return send_error(res, 422, "invalid.csr", std::string("/csr: ") + e.what());
            }
        }
        // A lost answer can be fetched again with the same Idempotency-Key and body; without one a
        // code works exactly once.
        idempotent(ctx, req, res, sha256_hex(req.body), "enrol", [&]() -> std::pair<int, std::string> {
            auto& db = ctx.pdb.db();
            auto& st = db.cached("SELECT centre, expires_ms, used_ms, algorithm FROM enrol_codes WHERE code = ?1");
            st.bind(1, code);
            if (!st.step()) {
                st.reset();
                ctx.pdb.bump("refused.enrol.code_unknown");
                return {422, dump(json{{"error", {{"code", "enrol.code_unknown"}, {"message", "no such enrolment code"}}}})};
            }
            const std::string centre = st.text(0), algorithm = st.text(3);
            const std::int64_t expires = st.int64(1);
            const bool used = !st.is_null(2);
            st.reset();
            if (used) {
                ctx.pdb.bump("refused.enrol.code_used");
                return {422, dump(json{{"error", {{"code", "enrol.code_used"}, {"message", "the enrolment code was used"}}}})};
            }
            if (expires < Clock::now_ms()) {
                ctx.pdb.bump("refused.enrol.code_expired");
                return {422, dump(json{{"error", {{"code", "enrol.code_expired"}, {"message", "the enrolment code has expired"}}}})};
            }
            const Terminal t = create_terminal(ctx.pdb, name, centre, "", algorithm);
            db.cached("UPDATE enrol_codes SET used_ms = ?2, terminal = ?3 WHERE code = ?1").bind(1, code).bind(2, Clock::now_ms()).bind(3, t.id).run();
            ctx.pdb.bump("terminals.enrolled");
            if (csr.empty()) return {201, credentials_json(ctx.pdb, t)};
            json cred = json::parse(credentials_json(ctx.pdb, t));
            const IssuedCert cert = issue_client_cert(ctx.pdb, t, csr, ctx.options.client_cert_valid_s);
            cred["client_certificate"] = cert.pem;
            cred["client_ca"] = terminal_ca_pem(ctx.pdb);
            return {201, dump(cred)};
        });
    });

    routes.get("/v1/terminal", [&ctx](const httplib::Request&, httplib::Response& res, Call& call) {
        std::string platform;
        {
            auto lock = ctx.pdb.lock();
            platform = ctx.pdb.meta("platform").value_or("");
        }
        const Terminal& t = call.terminal;
        send_value(res, 200, {{"terminal_id", t.id}, {"algorithm", t.algorithm}, {"centre", t.centre},
                              {"terminal_code", t.terminal_code}, {"platform", platform}, {"status", t.status}});
    });

    routes.get("/v1/catalogue", [&ctx](const httplib::Request& req, httplib::Response& res, Call&) {
        const auto limit = query_int(req, "limit", 100, 1, 1'000'000);
        if (!limit) return send_error(res, 400, "request.malformed", "limit must be a positive integer");
        const std::string since = req.get_param_value("since"), cursor = req.get_param_value("cursor");
        auto lock = ctx.pdb.lock();
        const std::string version = ctx.pdb.meta("catalogue_version").value_or("");
        if (!since.empty() && since == version && cursor.empty()) {
            lock.unlock();
            return send_value(res, 200, {{"version", version}, {"unchanged", true}, {"entries", json::array()},
                                         {"next_cursor", ""}, {"has_more", false}});
        }
        const auto offset = read_cursor("cat." + version, cursor);
        if (!offset) {
            lock.unlock();
            const auto raw = unbase64url(cursor);
            if (raw && raw->rfind("cat.", 0) == 0)
                return send_error(res, 409, "catalogue.changed", "the catalogue changed while paging; start again");
            return send_error(res, 400, "cursor.invalid", "the cursor is not one of the catalogue's");
        }
        const std::int64_t n = std::min<std::int64_t>(*limit, 500);
        auto& st = ctx.pdb.db().cached("SELECT type, body FROM catalogue ORDER BY seq LIMIT ?1 OFFSET ?2");
        st.bind(1, n + 1).bind(2, *offset);
        std::string entries;
        std::int64_t count = 0;
        bool more = false;
        while (st.step()) {
            if (count == n) {
                more = true;
                break;
            }
            if (count++) entries += ',';
            entries += "{\"type\":\"" + st.text(0) + "\",\"body\":" + st.text(1) + "}";
        }
        st.reset();
        lock.unlock();
        send_json(res, 200, "{\"version\":" + dump(version) + ",\"unchanged\":false,\"entries\":[" + entries +
                                "],\"next_cursor\":\"" + (more ? make_cursor("cat." + version, *offset + count) : std::string()) +
                                "\",\"has_more\":" + (more ? "true" : "false") + "}");
    });

    routes.get("/v1/calendars", [&ctx](const httplib::Request& req, httplib::Response& res, Call&) {
        const auto limit = query_int(req, "limit", 100, 1, 1'000'000);
        const auto offset = read_cursor("cal", req.get_param_value("cursor"));
        if (!limit || !offset) return send_error(res, 400, "cursor.invalid", "bad cursor or limit");
        const std::int64_t n = std::min<std::int64_t>(*limit, 500);
        json list = json::array();
        bool more = false;
        {
            auto lock = ctx.pdb.lock();
            auto& st = ctx.pdb.db().cached("SELECT year, revision, body FROM calendars ORDER BY year LIMIT ?1 OFFSET ?2");
            st.bind(1, n + 1).bind(2, *offset);
            while (st.step()) {
                if (std::int64_t(list.size()) == n) {
                    more = true;
                    break;
                }
                list.push_back({{"year", st.int64(0)}, {"revision", st.text(1)}, {"body", json::parse(st.text(2))}});
            }
            st.reset();
        }
        const std::int64_t next = *offset + std::int64_t(list.size());
        send_value(res, 200, {{"calendars", std::move(list)}, {"next_cursor", more ? make_cursor("cal", next) : std::string()}, {"has_more", more}});
    });

    routes.get("/v1/elicences", [](const httplib::Request& req, httplib::Response& res, Call&) {
        const std::string type = req.get_param_value("doc_type"), number = req.get_param_value("doc_number");
        if (type.empty() || number.empty() || number.size() > 64)
            return send_error(res, 400, "request.malformed", "doc_type and doc_number are needed");
        const auto code = parse_int(type, 100, 999);
        if (!code || !core::document_type_from_code(int(*code)))
            return send_error(res, 422, "invalid.doc_type", "unknown document type code '" + type.substr(0, 8) + "'");
        send_value(res, 200, demo_elicences(type, number));
    });

    // 信用 (信即办): the subject's credit standing. The training platform's record is what the
    // windows reported — a breached commitment or deferred material that was acted on (撤销 /
    // 移送, a verify_follow_up event with result "breached") — and what its regulator found
    // (regulator-check --breach): either makes the applicant "poor" (审管联动).
    routes.get("/v1/credit", [&ctx](const httplib::Request& req, httplib::Response& res, Call&) {
        const std::string type = req.get_param_value("doc_type"), number = req.get_param_value("doc_number");
        if (type.empty() || number.empty() || number.size() > 64)
            return send_error(res, 400, "request.malformed", "doc_type and doc_number are needed");
        const auto code = parse_int(type, 100, 999);
        if (!code || !core::document_type_from_code(int(*code)))
            return send_error(res, 422, "invalid.doc_type", "unknown document type code '" + type.substr(0, 8) + "'");
        nlohmann::json records = nlohmann::json::array();
        {
            auto lock = ctx.pdb.lock();
            auto& st = ctx.pdb.db().cached(
                "SELECT c.case_no, c.item_code, json_extract(e.record, '$.data.outcome'), json_extract(e.record, '$.data.finding'), "
                "json_extract(e.record, '$.at') FROM case_events e JOIN cases c ON c.case_id = e.case_id "
                "WHERE e.action = 'verify_follow_up' AND json_extract(e.record, '$.data.result') = 'breached' "
                "AND json_extract(c.record, '$.applicant.doc_number') = ?1 AND json_extract(c.record, '$.applicant.doc_type') = ?2 "
                "UNION ALL SELECT c.case_no, c.item_code, json_extract(g.record, '$.check.outcome'), json_extract(g.record, '$.check.finding'), "
                "json_extract(g.record, '$.at') FROM changes g JOIN cases c ON c.case_id = g.case_id "
                "WHERE g.type = 'commitment_checked' AND json_extract(g.record, '$.check.result') = 'breached' "
                "AND json_extract(c.record, '$.applicant.doc_number') = ?1 AND json_extract(c.record, '$.applicant.doc_type') = ?2 "
                "LIMIT 50");
            st.bind(1, number).bind(2, type);
            while (st.step())
                records.push_back({{"case_no", st.text(0)}, {"item_code", st.text(1)}, {"outcome", st.text(2)},
                                   {"finding", st.text(3)}, {"at", st.text(4)}});
            st.reset();
            ctx.pdb.bump("credit.queries");
        }
        const std::int64_t now = Clock::now_ms();
        const std::string report = "XY" + Clock::china_day(now) + hex(sha256_raw(type + ":" + number + ":" + std::to_string(now))).substr(0, 10);
        send_value(res, 200, {{"doc_type", type}, {"doc_number", number}, {"standing", records.empty() ? "good" : "poor"},
                              {"source", "信用中国（训练平台）"}, {"report_no", report}, {"checked_at", Clock::iso(now)},
                              {"records", std::move(records)}});
    });

    routes.post_unsigned("/v1/tsa", [&ctx](const httplib::Request& req, httplib::Response& res) {
        if (ctx.options.tsa == "off") return send_error(res, 404, "tsa.unavailable", "this platform offers no timestamp authority");
        if (ctx.options.tsa == "failing") return send_error(res, 503, "tsa.unavailable", "the timestamp authority is down");
        if (req.body.empty()) return send_error(res, 400, "request.malformed", "a DER TimeStampReq is needed");
        const std::string der = ctx.tsa.respond(req.body);
        {
            auto lock = ctx.pdb.lock();
            ctx.pdb.bump("tsa.replies");
        }
        res.status = 200;
        res.set_content(der, "application/timestamp-reply");
    });

    routes.get("/v1/tsa/certificate", [&ctx](const httplib::Request&, httplib::Response& res, Call&) {
        res.status = 200;
        res.set_content(ctx.tsa.chain_pem(), "application/pem-certificate-chain");
    });
}

}  // namespace ow::sim
