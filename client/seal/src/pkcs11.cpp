// Seal keys on a PKCS#11 token, through the libp11 OpenSSL engine ("pkcs11", Debian package
// libengine-pkcs11-openssl). The ENGINE API is deprecated in OpenSSL 3 but it is what libp11
// offers on Debian 12 (its provider came later); the deprecation warnings are silenced here only.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto.h"

#include <openssl/engine.h>
#include <openssl/err.h>

#include <p11-kit/pkcs11.h>

#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <vector>
#include <system_error>

namespace ow::seal {

namespace {

/// The attribute names of a PKCS#11 URI (RFC 7512: path attributes separated by ';', query
/// attributes after '?' separated by '&'), lower-cased and percent-decoded.
std::vector<std::string> uri_attribute_names(const std::string& uri) {
    std::vector<std::string> names;
    std::size_t i = std::strlen("pkcs11:");
    while (i < uri.size()) {
        const std::size_t end = uri.find_first_of(";?&", i);
        const std::string attr = uri.substr(i, end == std::string::npos ? std::string::npos : end - i);
        std::string name;
        for (std::size_t k = 0; k < attr.size() && attr[k] != '='; ++k) {
            char c = attr[k];
            if (c == '%' && k + 2 < attr.size() && std::isxdigit(static_cast<unsigned char>(attr[k + 1])) &&
                std::isxdigit(static_cast<unsigned char>(attr[k + 2]))) {
                c = static_cast<char>(std::stoi(attr.substr(k + 1, 2), nullptr, 16));
                k += 2;
            }
            name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (!name.empty()) names.push_back(name);
        if (end == std::string::npos) break;
        i = end + 1;
    }
    return names;
}

/// Refuses a module path that does not exist or is not a PKCS#11 library, before the engine
/// would report either as a failed login.
void check_module(const std::filesystem::path& module) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(module, ec))
        throw SealInputError("seal.pkcs11_module", "PKCS#11 module not found: " + module.string());
    void* handle = dlopen(module.c_str(), RTLD_LAZY | RTLD_LOCAL);
    if (!handle) throw SealInputError("seal.pkcs11_module", "cannot load the PKCS#11 module " + module.string());
    const bool has_entry = dlsym(handle, "C_GetFunctionList") != nullptr;
    dlclose(handle);
    if (!has_entry) throw SealInputError("seal.pkcs11_module", "not a PKCS#11 module: " + module.string());
}

}  // namespace

void release_engine(void* engine) {
    if (!engine) return;
    auto* e = static_cast<ENGINE*>(engine);
    ENGINE_finish(e);
    ENGINE_free(e);
}

namespace {

/// A URI that carries a PIN is refused: it would silently win over the PIN given, and a command
/// line is visible to every local user (ps, /proc). The URI is not echoed.
void check_uri(const std::string& uri) {
    if (uri.rfind("pkcs11:", 0) != 0) throw SealInputError("seal.pkcs11", "a PKCS#11 URI starts with pkcs11:");
    for (const auto& name : uri_attribute_names(uri))
        if (name == "pin-value" || name == "pin-source")
            throw SealInputError("seal.pkcs11_pin_in_uri",
                                 "the PKCS#11 URI carries a PIN (" + name +
                                     "=); remove it: the PIN is given on its own (a PIN file, standard input or typed)");
}

struct Cleanse {
    std::string& s;
    ~Cleanse() {
        if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
    }
};

/// The value of a URI path attribute (percent-decoded), or empty.
std::string uri_attribute(const std::string& uri, const std::string& wanted) {
    std::size_t i = std::strlen("pkcs11:");
    const std::size_t path_end = std::min(uri.find('?'), uri.size());
    while (i < path_end) {
        const std::size_t end = std::min(uri.find(';', i), path_end);
        const std::string attr = uri.substr(i, end - i);
        if (const auto eq = attr.find('='); eq != std::string::npos && attr.substr(0, eq) == wanted) {
            std::string value;
            for (std::size_t k = eq + 1; k < attr.size(); ++k) {
                if (attr[k] == '%' && k + 2 < attr.size() && std::isxdigit(static_cast<unsigned char>(attr[k + 1])) &&
                    std::isxdigit(static_cast<unsigned char>(attr[k + 2]))) {
                    value += static_cast<char>(std::stoi(attr.substr(k + 1, 2), nullptr, 16));
                    k += 2;
                } else {
                    value += attr[k];
                }
            }
            return value;
        }
        i = end + 1;
    }
    return {};
}

/// A blank-padded PKCS#11 text field as a string.
std::string padded(const unsigned char* text, std::size_t size) {
    std::string s(reinterpret_cast<const char*>(text), size);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
    return s;
}

/// Asks the token itself whether `pin` is its user PIN: logs out whatever session of this process
/// was logged in (an earlier key on the same token leaves the module logged in for the whole
/// process, and libp11 then skips the login and takes any PIN), then C_Login. On success the token
/// stays logged in for the key about to be loaded. Throws SealInputError "seal.wrong_pin" for a
/// refused PIN, "seal.pin_locked" for a locked one, "seal.pkcs11" when the token cannot be found.
/// The token is the one the URI names (token=, serial=), else the first one present.
void login_with_token(const std::filesystem::path& module, const std::string& uri, const std::string& pin) {
    void* handle = dlopen(module.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) throw SealInputError("seal.pkcs11_module", "cannot load the PKCS#11 module " + module.string());
    struct Close {
        void* h;
        CK_FUNCTION_LIST_PTR f = nullptr;
        bool finalize = false;
        ~Close() {
            if (finalize) f->C_Finalize(nullptr);
            dlclose(h);
        }
    } close{handle};
    auto get = reinterpret_cast<CK_C_GetFunctionList>(dlsym(handle, "C_GetFunctionList"));
    CK_FUNCTION_LIST_PTR f = nullptr;
    if (!get || get(&f) != CKR_OK || !f) throw SealInputError("seal.pkcs11_module", "not a PKCS#11 module: " + module.string());
    close.f = f;
    const CK_RV init = f->C_Initialize(nullptr);
    if (init != CKR_OK && init != CKR_CRYPTOKI_ALREADY_INITIALIZED)
        throw SealInputError("seal.pkcs11", "the PKCS#11 module " + module.string() + " cannot start");
    close.finalize = init == CKR_OK;  // only what this call started (the engine may be using it)
    CK_ULONG count = 0;
    if (f->C_GetSlotList(CK_TRUE, nullptr, &count) != CKR_OK) throw SealInputError("seal.pkcs11", "cannot list the PKCS#11 tokens");
    std::vector<CK_SLOT_ID> slots(count);
    if (count && f->C_GetSlotList(CK_TRUE, slots.data(), &count) != CKR_OK)
        throw SealInputError("seal.pkcs11", "cannot list the PKCS#11 tokens");
    slots.resize(count);
    const std::string label = uri_attribute(uri, "token"), serial = uri_attribute(uri, "serial");
    for (CK_SLOT_ID slot : slots) {
        CK_TOKEN_INFO info{};
        if (f->C_GetTokenInfo(slot, &info) != CKR_OK) continue;
        if (!label.empty() && padded(info.label, sizeof info.label) != label) continue;
        if (!serial.empty() && padded(info.serialNumber, sizeof info.serialNumber) != serial) continue;
        CK_SESSION_HANDLE session = 0;
        if (f->C_OpenSession(slot, CKF_SERIAL_SESSION, nullptr, nullptr, &session) != CKR_OK)
            throw SealInputError("seal.pkcs11", "cannot open a session with the token");
        f->C_Logout(session);  // CKR_USER_NOT_LOGGED_IN when nobody was
        std::string copy = pin;  // C_Login takes a non-const pointer
        Cleanse cleanse{copy};
        const CK_RV rv = f->C_Login(session, CKU_USER, reinterpret_cast<CK_UTF8CHAR_PTR>(copy.data()), copy.size());
        f->C_CloseSession(session);
        if (rv == CKR_PIN_LOCKED) throw SealInputError("seal.pin_locked", "the token's PIN is locked (too many wrong PINs)");
        if (rv == CKR_PIN_INCORRECT || rv == CKR_PIN_INVALID || rv == CKR_PIN_LEN_RANGE || rv == CKR_PIN_EXPIRED)
            throw SealInputError("seal.wrong_pin", "the token refused the PIN");
        if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) throw SealInputError("seal.pkcs11", "cannot log in to the token");
        return;
    }
    throw SealInputError("seal.pkcs11", label.empty() ? std::string("no PKCS#11 token is present") : "no PKCS#11 token labelled '" + label + "'");
}

}  // namespace

SigningKey SigningKey::from_pkcs11(const std::string& uri, const std::filesystem::path& pin_file,
                                   const std::filesystem::path& module) {
    check_uri(uri);
    if (!module.empty()) check_module(module);
    std::string pin = crypto::read_pin(pin_file);
    Cleanse cleanse{pin};
    return from_pkcs11_pin(uri, pin, module);
}

SigningKey SigningKey::from_pkcs11_pin(const std::string& uri, std::string_view pin_view, const std::filesystem::path& module) {
    check_uri(uri);
    if (!module.empty()) check_module(module);
    if (pin_view.empty()) throw SealInputError("seal.wrong_pin", "no PIN given for the seal's token");
    std::string pin(pin_view);  // NUL-terminated for the engine
    Cleanse cleanse{pin};
    // The token checks the PIN every time (libp11 alone would not, once the process is logged in).
    login_with_token(module.empty() ? std::filesystem::path("p11-kit-proxy.so") : module, uri, pin);

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
    // Never a default engine: every OPENSSL_init_*(ENGINE_ALL_BUILTIN …) — libcurl's start-up among
    // them — registers each listed engine as the default for what it implements, and with libp11's
    // EC methods as the default, key generation elsewhere in the process failed ("unknown group":
    // the terminal's P-256 client key at enrolment or renewal, after a seal on a token).
    ENGINE_set_flags(e, ENGINE_get_flags(e) | ENGINE_FLAGS_NO_REGISTER_ALL);
    // libp11 prints its errors to stderr unless told to be quiet; ours are the only messages.
    ENGINE_ctrl_cmd_string(e, "QUIET", nullptr, 0);
    ERR_clear_error();
    if (!module.empty() && !ENGINE_ctrl_cmd_string(e, "MODULE_PATH", module.c_str(), 0))
        fail("seal.pkcs11", "cannot use the PKCS#11 module " + module.string());
    if (!ENGINE_init(e)) fail("seal.pkcs11", "cannot start the PKCS#11 engine (module " + module.string() + ")");
    inited = true;
    if (!ENGINE_ctrl_cmd_string(e, "PIN", pin.c_str(), 0)) fail("seal.pkcs11", "cannot pass the PIN to the token");
    impl->key = ENGINE_load_private_key(e, uri.c_str(), nullptr, nullptr);
    // The PIN was accepted by the token just now (login_with_token).
    if (!impl->key) fail("seal.pkcs11", "the token has no such key (check the URI), or cannot be used");
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
