// Enrolment of this terminal at the platform, and saving a connection (docs/platform-api.md
// "Terminal enrolment"): what `onewindow-cli platform enrol|connect` and the desk's settings page
// both do, without printing. Free of wx.
//
//   enrol_terminal()   redeems a one-time enrolment code (POST /v1/terminals:enrol); over https the
//                      terminal's client certificate is asked for a key made here (make_client_key).
//   enrolled_config()  the configuration to keep: the credentials, the transport's CA/pin/proxy and
//                      the issued certificate with its key, checked to belong together.
//   save_connection()  verifies a configuration with GET /v1/terminal (whoami) and keeps it in the
//                      store with the terminal identity and an audit entry, in one transaction.
#pragma once

#include "ow/store/repositories.h"
#include "ow/store/store.h"
#include "ow/sync/http.h"
#include "ow/sync/wire.h"

#include <string>
#include <vector>

namespace ow::sync {

/// What to enrol with.
struct EnrolRequest {
    std::string url;                       ///< the platform's address (https://, or http:// on this machine)
    std::string code;                      ///< the one-time enrolment code: enrol_terminal() wipes it, whatever happens
    std::string name = "OneWindow terminal";  ///< the terminal's name at the platform (e.g. "3号窗口")
    TransportOptions transport;            ///< ca_pem, pin and proxy for the call (base_url is `url`)
    bool client_cert = true;               ///< over https, ask for a client certificate (mTLS)
};

/// The platform's answer to an enrolment.
struct Enrolled {
    Credentials credentials;     ///< the secret is the caller's to wipe (enrolled_config moves it)
    std::string client_key_pem;  ///< the key made here when a CSR was sent; the caller wipes it
};

/// Something the user should know although it worked: `code` for translation, `message` in English.
struct EnrolWarning {
    std::string code;  ///< "enrol.no_client_cert", "enrol.terminal_code_unusable"
    std::string message;
};

/// Redeems `req.code` (wiped on return or throw). Throws SyncError as PlatformClient::enrol does:
/// rejected (a wrong, used or expired code: "enrol.code_unknown", "enrol.code_used",
/// "enrol.code_expired"; a bad name …), auth, tls (the platform's certificate is not trusted),
/// retryable (unreachable, 5xx: after three tries), config (a bad URL, plain http to a remote
/// host, no key could be made).
Enrolled enrol_terminal(EnrolRequest& req);

/// The configuration to save for an enrolment at `url` over `transport` (its ca_pem, pin and proxy
/// are kept): the credentials' secret moves into it, and a client certificate issued for the CSR
/// with its key. Adds a warning "enrol.no_client_cert" when a certificate was asked for and none
/// came. Throws SyncError(config, "config.client_cert") when the certificate is not one for the
/// key made here.
store::PlatformConfig enrolled_config(Enrolled& enrolled, const std::string& url, const TransportOptions& transport,
                                      std::vector<EnrolWarning>& warnings);

/// What save_connection() kept.
struct SavedConnection {
    bool connected = false;  ///< verified with the platform (whoami)
    std::string platform_url, terminal_id;
    std::string platform_name, centre, terminal_code;
    std::vector<EnrolWarning> warnings;
};

/// Verifies `config` with the platform when `verify` (the platform's name comes from its answer)
/// and keeps it in the store (Settings::set_platform, and set_terminal with the centre and
/// terminal code when both are known) with an audit entry `action` ("platform.enrol",
/// "platform.connect") by the store's user, recording the configuration's view (no secret, the CA
/// and client certificate by digest), the one before and what changed — all in one transaction.
/// The round trip measured by the verification is remembered for the sync engine (its first pass
/// then needs no ping; see SyncEngine); without verification what was remembered is forgotten.
/// A configuration without a client certificate for the terminal already kept keeps that
/// terminal's certificate and key. The secret and key of `config` are wiped on return.
/// Throws store::NotAuthorised when the user may not administer the store (store::may_administer);
/// SyncError from the platform (auth, tls, retryable, config …), and SyncError(auth,
/// "auth.other_terminal") when it answered for another terminal — nothing is saved then; the
/// store's errors when it cannot write.
SavedConnection save_connection(store::Store& store, store::PlatformConfig config, bool verify, const std::string& action);

}  // namespace ow::sync
