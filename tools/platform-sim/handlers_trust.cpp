// The trust chain's routes (trust.h): the audit head anchored at the platform, and the renewal
// of a terminal's client certificate.
#include "platform_db.h"
#include "server.h"
#include "trust.h"
#include "util.h"

#include "ow/store/db.h"

#include <httplib.h>

namespace ow::sim {

using nlohmann::json;

void register_trust_routes(Routes& routes, Context& ctx) {
    routes.post("/v1/audit:anchor", [&ctx](const httplib::Request& req, httplib::Response& res, Call& call) {
        std::pair<int, std::string> answer;
        {
            auto lock = ctx.pdb.lock();
            answer = anchor_audit_head(ctx.pdb, call.terminal, req.body);
        }
        send_json(res, answer.first, answer.second);
    });

    routes.post("/v1/terminals:renew-cert", [&ctx](const httplib::Request& req, httplib::Response& res, Call& call) {
        const json j = json::parse(req.body, nullptr, false);
        if (!j.is_object() || !j.contains("csr") || !j["csr"].is_string())
            return send_error(res, 422, "invalid.csr", "/csr: a PEM certificate request is needed");
        try {
            check_csr(j["csr"].get<std::string>());
        } catch (const InputError& e) {
            return send_error(res, 422, "invalid.csr", std::string("/csr: ") + e.what());
        }
        IssuedCert cert;
        {
            auto lock = ctx.pdb.lock();
            store::Transaction tx(ctx.pdb.db());
            cert = issue_client_cert(ctx.pdb, call.terminal, j["csr"].get<std::string>(), ctx.options.client_cert_valid_s);
            ctx.pdb.bump("client_certs.renewed");
            tx.commit();
        }
        send_value(res, 201, {{"client_certificate", cert.pem}, {"not_after", Clock::iso(cert.not_after_s * 1000)}});
    });
}

}  // namespace ow::sim
