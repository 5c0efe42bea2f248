// A SoftHSM2 token holding the demo seal's key and certificate, for tests that seal with a
// PKCS#11 key (the workflow's unit tests, the desk's GUI tests). Header-only; needs ow_seal.
//
// Use:
//   #include "softhsm_token.h"   // tests/support on the include path (test_workflow has it), or
//                                // "../support/softhsm_token.h" from tests/gui
//   const auto& token = ow::test::SoftHsmToken::process_token();
//   // token.uri ("pkcs11:token=ow-seal;object=seal;type=private"), token.module, token.pin,
//   // token.wrong_pin; token.demo: the demo seal (png, ca_pem to verify with, p12, pin_file)
//   store::SealAssignment s; s.pkcs11_uri = token.uri; s.pkcs11_module = token.module.string(); …
//
// One token per process: the PKCS#11 module, once loaded through libp11, stays initialised for
// the process's life and SoftHSM2 reads its configuration (SOFTHSM2_CONF) only then, so a second
// token folder made later is never seen. process_token() makes the demo seal and its token once,
// in a temporary folder removed when the process exits.
//
// create() writes a SoftHSM2 configuration and token folder under `dir`, points this process's
// SOFTHSM2_CONF at it (child processes inherit it), makes a token labelled `label` with user PIN
// "4321", and imports the PKCS#12's key and certificate as object "seal" (id 01) with
// softhsm2-util, pkcs11-tool and openssl — the tools scripts/bootstrap installs (softhsm2,
// opensc). The key's PEM passes through a 0600 file in `dir`, removed at once.
// Both throw std::runtime_error naming the step that failed (e.g. a tool that is not installed).
#pragma once

#include "ow/seal/seal.h"

#include <cstdlib>
#include <filesystem>
#include <random>
#include <fstream>
#include <stdexcept>
#include <string>

namespace ow::test {

struct SoftHsmToken {
    std::filesystem::path dir;     // the configuration and the token folder
    std::filesystem::path conf;    // SOFTHSM2_CONF
    std::filesystem::path module;  // the SoftHSM2 PKCS#11 library
    std::string label;             // the token's label
    std::string uri;               // the key: pkcs11:token=<label>;object=seal;type=private
    std::string pin = "4321";      // the user PIN
    std::string wrong_pin = "1111";
    seal::DemoSeal demo;           // process_token(): the demo seal whose key the token holds

    /// The process's token with the demo seal of "测试行政审批局" (made at the first call).
    static const SoftHsmToken& process_token() {
        struct Owned {
            std::filesystem::path root;
            SoftHsmToken token;
            Owned() {
                std::random_device rd;
                root = std::filesystem::temp_directory_path() / ("ow-softhsm-" + std::to_string(rd()) + std::to_string(rd()));
                std::filesystem::create_directories(root);
                auto demo = seal::make_demo_seal("测试行政审批局", root / "seal");
                token = create(root / "hsm", demo.p12, demo.pin_file);
                token.demo = demo;
            }
            ~Owned() {
                std::error_code ec;
                std::filesystem::remove_all(root, ec);
            }
        };
        static Owned owned;
        return owned.token;
    }

    static std::filesystem::path default_module() { return "/usr/lib/softhsm/libsofthsm2.so"; }

    static SoftHsmToken create(const std::filesystem::path& dir, const std::filesystem::path& p12, const std::filesystem::path& p12_pin_file,
                               const std::string& label = "ow-seal") {
        namespace fs = std::filesystem;
        SoftHsmToken t;
        t.dir = dir;
        t.conf = dir / "softhsm2.conf";
        t.module = default_module();
        t.label = label;
        t.uri = "pkcs11:token=" + label + ";object=seal;type=private";
        if (!fs::exists(t.module)) throw std::runtime_error("SoftHSM2 is not installed (" + t.module.string() + "; scripts/bootstrap)");
        fs::create_directories(dir / "tokens");
        {
            std::ofstream c(t.conf);
            c << "directories.tokendir = " << (dir / "tokens").string() << "\nobjectstore.backend = file\nlog.level = ERROR\n";
            if (!c.flush()) throw std::runtime_error("cannot write " + t.conf.string());
        }
        ::setenv("SOFTHSM2_CONF", t.conf.c_str(), 1);
        auto q = [](const fs::path& p) { return "'" + p.string() + "'"; };
        auto run = [](const std::string& step, const std::string& cmd) {
            if (std::system((cmd + " >/dev/null 2>&1").c_str()) != 0) throw std::runtime_error("SoftHSM2 token: " + step + " failed");
        };
        const fs::path key = dir / "key.pem", cert = dir / "cert.der";
        run("softhsm2-util --init-token", "softhsm2-util --init-token --free --label " + label + " --pin " + t.pin + " --so-pin 87654321");
        {
            // The key's PEM only ever exists 0600 (umask 077 for the openssl that writes it).
            run("extracting the key", "umask 077 && openssl pkcs12 -in " + q(p12) + " -passin file:" + q(p12_pin_file) +
                                          " -nocerts -nodes | openssl pkey -out " + q(key));
            struct Remove {
                fs::path p;
                ~Remove() {
                    std::error_code ec;
                    fs::remove(p, ec);
                }
            } remove{key};
            run("extracting the certificate", "openssl pkcs12 -in " + q(p12) + " -passin file:" + q(p12_pin_file) +
                                                  " -clcerts -nokeys | openssl x509 -outform DER -out " + q(cert));
            run("softhsm2-util --import", "softhsm2-util --import " + q(key) + " --token " + label + " --label seal --id 01 --pin " + t.pin);
        }
        run("pkcs11-tool --write-object", "pkcs11-tool --module " + q(t.module) + " --token-label " + label + " --login --pin " + t.pin +
                                              " --write-object " + q(cert) + " --type cert --id 01 --label seal");
        return t;
    }
};

}  // namespace ow::test
