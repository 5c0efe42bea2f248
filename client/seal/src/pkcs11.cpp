// Seal keys on a PKCS#11 token, through the libp11 OpenSSL engine ("pkcs11", Debian package
// libengine-pkcs11-openssl). The ENGINE API is deprecated in OpenSSL 3 but it is what libp11
// offers on Debian 12 (its provider came later); the deprecation warnings are silenced here only.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto.h"

#include <openssl/engine.h>
#include <openssl/err.h>

#include <cstring>
#include <fstream>
#include <iterator>

namespace ow::seal {

namespace {

std::string read_pin_file(const std::filesystem::path& pin_file) {
    std::ifstream in(pin_file, std::ios::binary);
    if (!in) throw SealInputError("seal.pin_file", "cannot read the PIN file " + pin_file.string());
    std::string pin((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!pin.empty() && (pin.back() == '\n' || pin.back() == '\r')) pin.pop_back();
    return pin;
}

}  // namespace

void release_engine(void* engine) {
    if (!engine) return;
    auto* e = static_cast<ENGINE*>(engine);
    ENGINE_finish(e);
    ENGINE_free(e);
}

SigningKey SigningKey::from_pkcs11(const std::string& uri, const std::filesystem::path& pin_file,
                                   const std::filesystem::path& module) {
    if (uri.rfind("pkcs11:", 0) != 0) throw SealInputError("seal.pkcs11", "a PKCS#11 URI starts with pkcs11:");
    std::string pin = read_pin_file(pin_file);
    struct Cleanse {
        std::string& s;
        ~Cleanse() {
            if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
        }
    } cleanse{pin};

    ENGINE_load_builtin_engines();
    ENGINE* e = ENGINE_by_id("pkcs11");
    if (!e) {
        ERR_clear_error();
        throw SealInputError("seal.pkcs11", "the OpenSSL pkcs11 engine is not installed (libengine-pkcs11-openssl)");
    }
    auto impl = std::make_unique<Impl>();
    bool inited = false;
    auto fail = [&](const std::string& code, const std::string& msg) {
        impl.reset();
        if (inited) ENGINE_finish(e);
        ENGINE_free(e);
        ERR_clear_error();
        throw SealInputError(code, msg);
    };
    if (!module.empty() && !ENGINE_ctrl_cmd_string(e, "MODULE_PATH", module.c_str(), 0))
        fail("seal.pkcs11", "cannot use the PKCS#11 module " + module.string());
    if (!ENGINE_init(e)) fail("seal.pkcs11", "cannot start the PKCS#11 engine (module " + module.string() + ")");
    inited = true;
    if (!ENGINE_ctrl_cmd_string(e, "PIN", pin.c_str(), 0)) fail("seal.pkcs11", "cannot pass the PIN to the token");
    impl->key = ENGINE_load_private_key(e, uri.c_str(), nullptr, nullptr);
    if (!impl->key) fail("seal.wrong_pin", "cannot use the key on the token (wrong PIN, or no such key)");
    // The certificate with the same id/label: the URI with type=cert.
    std::string cert_uri = uri;
    if (auto t = cert_uri.find("type=private"); t != std::string::npos) cert_uri.replace(t, 12, "type=cert");
    struct {
        const char* id;
        X509* cert;
    } params{cert_uri.c_str(), nullptr};
    if (!ENGINE_ctrl_cmd(e, "LOAD_CERT_CTRL", 0, &params, nullptr, 1) || !params.cert)
        fail("seal.pkcs11", "the token has no certificate for the key");
    impl->cert = params.cert;
    if (X509_check_private_key(impl->cert, impl->key) != 1) {
        // A token key cannot always be compared; compare the public keys instead.
        EVP_PKEY* pub = X509_get0_pubkey(impl->cert);
        if (!pub || EVP_PKEY_eq(pub, impl->key) != 1) fail("seal.pkcs11", "the token's certificate does not match its key");
    }
    ERR_clear_error();
    impl->engine = e;
    return SigningKey(std::move(impl));
}

}  // namespace ow::seal
