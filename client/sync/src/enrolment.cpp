#include "ow/sync/enrolment.h"

#include "ow/core/date.h"
#include "ow/core/error.h"
#include "ow/store/audit.h"
#include "ow/store/errors.h"
#include "ow/store/settings_registry.h"
#include "ow/sync/client.h"
#include "ow/sync/client_cert.h"
#include "ow/sync/engine.h"
#include "ow/sync/signing.h"

#include <nlohmann/json.hpp>

namespace ow::sync {
namespace {

using nlohmann::json;

struct Wipe {
    std::string& s;
    ~Wipe() { wipe_secret(s); }
};

/// What an audit entry records of a configuration: never the secret, the proxy's password or
/// the CA text (its digest).
json audit_view(const store::PlatformConfig& c) {
    return {{"platform_url", c.url},
            {"terminal_id", c.terminal_id},
            {"ca_sha256", c.ca_pem.empty() ? json(nullptr) : json(store::sha256_hex(c.ca_pem))},
            {"client_cert_sha256", c.client_cert_pem.empty() ? json(nullptr) : json(store::sha256_hex(c.client_cert_pem))},
            {"pin", c.pin},
            {"proxy", redact_url_password(c.proxy)}};
}

}  // namespace

Enrolled enrol_terminal(EnrolRequest& req) {
    Wipe wipe_code{req.code};
    Enrolled out;
    // Over https the terminal asks for its client certificate (mTLS): the key pair is made here
    // and only its CSR is sent; the key is kept in the store with the certificate.
    ClientKey key;
    Wipe wipe_key{key.key_pem};
    if (req.client_cert && req.url.rfind("https://", 0) == 0) key = make_client_key(req.name);
    out.credentials = PlatformClient::enrol(req.url, req.code, req.name, req.transport, key.csr_pem);
    out.client_key_pem = key.key_pem;
    return out;
}

store::PlatformConfig enrolled_config(Enrolled& enrolled, const std::string& url, const TransportOptions& transport,
                                      std::vector<EnrolWarning>& warnings) {
    auto& cred = enrolled.credentials;
    store::PlatformConfig cfg;
    cfg.url = url;
    cfg.terminal_id = cred.terminal_id;
    cfg.secret = std::move(cred.secret);
    wipe_secret(cred.secret);
    cfg.algorithm = cred.algorithm;
    cfg.centre = cred.centre;
    cfg.terminal_code = cred.terminal_code;
    cfg.platform_name = cred.platform;
    cfg.ca_pem = transport.ca_pem;
    cfg.pin = transport.pin;
    cfg.proxy = transport.proxy;
    if (!enrolled.client_key_pem.empty()) {
        if (cred.client_certificate.empty()) {
            warnings.push_back({"enrol.no_client_cert", "the platform issued no client certificate (it does not use mTLS)"});
        } else {
            try {
                read_client_cert(cred.client_certificate, enrolled.client_key_pem);  // issued for our key
            } catch (...) {
                wipe_secret(cfg.secret);
                throw;
            }
            cfg.client_cert_pem = cred.client_certificate;
            cfg.client_key_pem = enrolled.client_key_pem;
        }
    }
    return cfg;
}

SavedConnection save_connection(store::Store& s, store::PlatformConfig cfg, bool verify, const std::string& action) {
    Wipe wipe_secret_on_return{cfg.secret}, wipe_key_on_return{cfg.client_key_pem};
    if (!store::may_administer(s))
        throw store::NotAuthorised("only an administrator may change the platform settings; " + s.user().name + " is a " +
                                   std::string(core::to_code(s.user().role)));
    SavedConnection out;
    out.platform_url = cfg.url;
    out.terminal_id = cfg.terminal_id;
    std::string round_trip;  // what the sync engine remembers of the link ("" when unknown)
    if (verify) {
        PlatformClient client(cfg);
        auto me = client.whoami();
        round_trip = round_trip_text(client.stats().round_trip_us);
        if (me.terminal_id != cfg.terminal_id)
            throw SyncError(ErrorKind::auth, "auth.other_terminal", "the platform answered for another terminal (" + me.terminal_id + ")");
        if (!me.platform.empty()) cfg.platform_name = me.platform;
        out.connected = true;
    }
    store::Settings settings(s.db());
    {
        // The change and its audit entry commit together.
        store::Transaction tx(s.db());
        json before = nullptr;
        if (auto old = settings.platform()) {
            before = audit_view(*old);
            // A new credentials file for the same terminal keeps its client certificate and key.
            if (cfg.client_cert_pem.empty() && old->terminal_id == cfg.terminal_id) {
                cfg.client_cert_pem = old->client_cert_pem;
                cfg.client_key_pem = old->client_key_pem;
            }
            wipe_secret(old->secret);
            wipe_secret(old->client_key_pem);
        }
        json after = audit_view(cfg);
        json changed = json::array();
        if (!before.is_null())
            for (const auto& [k, v] : after.items())
                if (before[k] != v) changed.push_back(k);
        settings.set_platform(cfg);
        store::SyncLedger(s.db()).set_status(kRoundTripStatus, round_trip);
        if (!cfg.centre.empty() && !cfg.terminal_code.empty()) {
            try {
                settings.set_terminal({cfg.centre, cfg.terminal_code});
            } catch (const core::InvalidData& e) {
                out.warnings.push_back({"enrol.terminal_code_unusable",
                                        std::string("the enrolled terminal code is not usable for receipt numbers: ") + e.what()});
            }
        }
        core::Actor actor;
        actor.user_id = s.user().name;
        actor.role = s.user().role;
        store::AuditLog(s.db()).append(actor, core::now(), action, "",
                                       json{{"config", after}, {"before", before}, {"changed", changed}, {"verified", verify}}.dump());
        tx.commit();
    }
    out.platform_name = cfg.platform_name;
    out.centre = cfg.centre;
    out.terminal_code = cfg.terminal_code;
    return out;
}

}  // namespace ow::sync
