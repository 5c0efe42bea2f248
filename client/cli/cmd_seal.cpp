// onewindow-cli seal demo|stamp|timestamp|verify. Compiled twice: into the full module, and with
// OW_CLI_LIGHT_SEAL into the light seal module (module_seal.cpp: stamp and verify without Poppler,
// pango or libcurl; what needs them is handed to the full module).
#include "cli.h"
#include "i18n.h"

#include "ow/core/paths.h"
#include "ow/seal/policy.h"
#include "ow/seal/seal.h"

#ifndef OW_CLI_LIGHT_SEAL
#include <curl/curl.h>
#endif

#include <cctype>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <set>

namespace ow::cli {
namespace {

/// Positional arguments and --options (each option takes one value unless listed as a flag).
struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;

    Args(const std::vector<std::string>& args, const std::set<std::string>& valued, const std::set<std::string>& flags) {
        for (std::size_t i = 0; i < args.size(); ++i) {
            const std::string& a = args[i];
            if (a.size() > 1 && a[0] == '-' && !(a.size() > 1 && std::isdigit(static_cast<unsigned char>(a[1])))) {
                if (flags.count(a)) {
                    options[a] = "1";
                } else if (valued.count(a)) {
                    if (i + 1 >= args.size()) throw UsageError{subst(tr("%1 needs a value"), a)};
                    options[a] = args[++i];
                } else {
                    throw UsageError{subst(tr("unknown option %1"), a)};
                }
            } else {
                positional.push_back(a);
            }
        }
    }
    std::optional<std::string> get(const std::string& k) const {
        auto it = options.find(k);
        if (it == options.end()) return std::nullopt;
        return it->second;
    }
    std::string need(const std::string& k) const {
        auto v = get(k);
        if (!v) throw UsageError{subst(tr("%1 is required"), k)};
        return *v;
    }
};

double parse_number(const std::string& s, const char* what) {
    try {
        std::size_t used = 0;
        const double v = std::stod(s, &used);
        if (used != s.size()) throw std::invalid_argument(s);
        return v;
    } catch (const std::exception&) {
        throw UsageError{subst(tr("bad %1: %2"), what, s)};
    }
}

seal::Rect parse_rect(const std::string& s) {
    std::vector<double> v;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = s.find(',', start);
        v.push_back(parse_number(s.substr(start, comma - start), "--rect"));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    if (v.size() != 4 || v[2] <= 0 || v[3] <= 0) throw UsageError{tr("--rect wants X,Y,W,H with positive W and H")};
    return {v[0], v[1], v[2], v[3]};
}

#ifndef OW_CLI_LIGHT_SEAL
/// An RFC 3161 client over HTTP(S) POST (application/timestamp-query), with libcurl.
seal::TsaClient http_tsa(const std::string& url) {
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
        throw UsageError{tr("--tsa wants an http:// or https:// URL")};
    return [url](const std::string& query) {
        CURL* curl = curl_easy_init();
        if (!curl) throw seal::SealInputError("seal.tsa", tr("cannot start an HTTP client"));
        std::string answer;
        curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/timestamp-query");
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, query.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, long(query.size()));
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
        curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char* p, size_t sz, size_t n, void* ud) {
            static_cast<std::string*>(ud)->append(p, sz * n);
            return sz * n;
        });
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
        const CURLcode rc = curl_easy_perform(curl);
        curl_slist_free_all(headers);
        curl_easy_cleanup(curl);
        if (rc != CURLE_OK)
            throw seal::SealInputError("seal.tsa_unreachable",
                                       subst(tr("the timestamp authority cannot be reached: %1"), curl_easy_strerror(rc)));
        return answer;
    };
}

#endif

/// Runs a seal action, mapping its typed errors to the exit-code contract.
template <class F>
int guarded(F&& f) {
    try {
        return f();
    } catch (const seal::SealRefused& e) {
        std::cerr << "onewindow-cli: " << subst(tr("refused: %1"), coded_text(e)) << "\n";
        return kNo;
    } catch (const seal::SealInputError& e) {
        std::cerr << "onewindow-cli: " << coded_text(e) << "\n";
        return kUsage;
    }
}

#ifndef OW_CLI_LIGHT_SEAL
int run_demo(const std::vector<std::string>& argv) {
    Args a(argv, {"--org", "-o", "--output", "--key"}, {});
    if (!a.positional.empty()) throw UsageError{subst(tr("unexpected argument %1"), a.positional[0])};
    const std::string org = a.need("--org");
    const std::string dir = a.get("-o").value_or(a.get("--output").value_or(""));
    if (dir.empty()) throw UsageError{tr("-o DIR is required")};
    seal::DemoKey key = seal::DemoKey::rsa2048;
    if (auto k = a.get("--key")) {
        if (*k == "ec") key = seal::DemoKey::ec_p256;
        else if (*k != "rsa") throw UsageError{subst(tr("unknown key type %1 (rsa or ec)"), *k)};
    }
    return guarded([&] {
        const auto d = seal::make_demo_seal(org, dir, {}, key);
        std::cout << "artwork " << d.png.string() << "\nca " << d.ca_pem.string() << "\np12 " << d.p12.string()
                  << "\npin-file " << d.pin_file.string() << "\npolicy " << d.policy.string() << "\nsm2-ca " << d.sm2_ca_pem.string()
                  << "\nsm2-p12 " << d.sm2_p12.string() << "\nses-seal " << d.ses_seal.string() << "\n";
        return int(kOk);
    });
}

#endif

int run_stamp(const std::vector<std::string>& argv) {
    Args a(argv, {"--p12", "--pin-file", "--image", "--page", "--rect", "--anchor", "--anchor-size", "--reason",
                  "--location", "--field", "--tsa", "--profile", "--pkcs11-uri", "--pkcs11-module", "--policy", "--user", "--ses-seal",
                  "--acting-for", "--certify"},
           {});
    if (a.positional.size() != 2) throw UsageError{tr("expected IN.pdf OUT.pdf")};
#ifdef OW_CLI_LIGHT_SEAL
    if (a.get("--tsa") || a.get("--anchor")) throw Delegate{};  // libcurl, Poppler: the full module
#endif
    seal::StampOptions opt;
    // The artwork prepared for a PDF is kept between runs (one file per PNG in the user's cache).
    if (auto dir = core::cache_dir()) opt.appearance_cache = *dir / "seal-appearance";
    if (auto p = a.get("--profile")) {
        if (*p == "sm2") opt.profile = seal::Profile::sm2;
        else if (*p != "pades") throw UsageError{subst(tr("unknown profile %1 (pades or sm2)"), *p)};
    }
    if (auto v = a.get("--ses-seal")) opt.ses_seal = *v;
    if (opt.profile == seal::Profile::sm2 && !opt.ses_seal) throw UsageError{tr("--profile sm2 needs --ses-seal FILE")};
    if (auto v = a.get("--image")) opt.image = *v;
#ifndef OW_CLI_LIGHT_SEAL
    if (auto v = a.get("--tsa")) opt.tsa = http_tsa(*v);
#endif
    if (auto v = a.get("--reason")) opt.reason = *v;
    if (auto v = a.get("--location")) opt.location = *v;
    if (auto v = a.get("--field")) opt.field_name = *v;
    if (auto v = a.get("--certify")) {
        if (*v != "1" && *v != "2" && *v != "3") throw UsageError{tr("--certify wants the DocMDP level 1, 2 or 3")};
        opt.certify = std::stoi(*v);
    }
    if (auto v = a.get("--anchor")) {
        if (a.get("--rect") || a.get("--page")) throw UsageError{tr("use either --anchor or --page/--rect")};
        opt.placement.anchor = *v;
        if (auto s = a.get("--anchor-size")) opt.placement.anchor_size = parse_number(*s, "--anchor-size");
    } else {
        opt.placement.page = int(parse_number(a.get("--page").value_or("1"), "--page"));
        opt.placement.rect = parse_rect(a.need("--rect"));
    }
    const auto uri = a.get("--pkcs11-uri");
    const auto p12 = a.get("--p12");
    if (bool(uri) == bool(p12)) throw UsageError{tr("give the seal key with either --p12 FILE or --pkcs11-uri URI")};
    const std::string pin_file = a.need("--pin-file");
    const char* env_module = std::getenv("OW_PKCS11_MODULE");
    const std::string module = a.get("--pkcs11-module").value_or(env_module ? env_module : "");
    const auto policy = a.get("--policy");
    if (policy && !a.get("--user")) throw UsageError{tr("--policy needs --user (who applies the seal)")};
    return guarded([&] {
        if (policy) {
            core::Actor actor;
            actor.user_id = *a.get("--user");
            actor.acting_for = a.get("--acting-for").value_or("");
            seal::check_may_use(seal::SealPolicy::load(*policy), actor);
        }
        const auto key = uri ? seal::SigningKey::from_pkcs11(*uri, pin_file, module)
                             : seal::SigningKey::from_pkcs12(*p12, pin_file);
        const auto r = seal::stamp(a.positional[0], a.positional[1], key, opt);
        std::cout << "sealed " << a.positional[1] << " field=" << r.field_name << " page=" << r.page
                  << " rect=" << r.rect.x << "," << r.rect.y << "," << r.rect.w << "," << r.rect.h
                  << " added=" << r.bytes_added << "\n";
        return int(kOk);
    });
}

#ifndef OW_CLI_LIGHT_SEAL
int run_timestamp(const std::vector<std::string>& argv) {
    Args a(argv, {"--tsa"}, {});
    if (a.positional.size() != 2) throw UsageError{tr("expected IN.pdf OUT.pdf")};
    const auto tsa = http_tsa(a.need("--tsa"));
    return guarded([&] {
        const auto r = seal::timestamp_document(a.positional[0], a.positional[1], tsa);
        std::cout << "timestamped " << a.positional[1] << " field=" << r.field_name << " added=" << r.bytes_added << "\n";
        return int(kOk);
    });
}

#endif

int run_verify(const std::vector<std::string>& argv) {
    Args a(argv, {"--roots"}, {"--json"});
    if (a.positional.size() != 1) throw UsageError{tr("expected one PDF file")};
    seal::VerifyOptions opt;
    if (auto v = a.get("--roots")) opt.roots = *v;
    return guarded([&] {
        const auto report = seal::verify(a.positional[0], opt);
        if (a.get("--json")) {
            std::cout << seal::to_json(report) << "\n";
        } else {
            if (report.signatures.empty()) std::cout << "no signatures\n";
            for (const auto& s : report.signatures) {
                std::cout << s.field_name << ": " << (s.valid() ? "VALID" : "INVALID") << "\n"
                          << "  signer: " << s.signer << "\n  subject: " << s.signer_subject
                          << "\n  sub-filter: " << s.sub_filter << "\n  time (/M): " << s.signing_time << "\n";
                if (!s.timestamp_time.empty()) std::cout << "  timestamp: " << s.timestamp_time << "\n";
                std::cout << "  bytes intact: " << (s.digest_ok ? "yes" : "no")
                          << "\n  signature: " << (s.signature_ok ? "verifies" : "does not verify")
                          << "\n  covers whole file: " << (s.covers_whole_file ? "yes" : "no (later revisions follow)")
                          << "\n";
                if (s.trusted)
                    std::cout << "  trusted: " << (*s.trusted ? "yes" : "no (" + s.trust_error + ")") << "\n";
                for (const auto& p : s.problems) std::cout << "  problem: " << p << "\n";
            }
        }
        return report.ok() ? int(kOk) : int(kNo);
    });
}

}  // namespace

void register_seal_commands() {
#ifndef OW_CLI_LIGHT_SEAL
    commands().push_back({"seal", "demo", "--org NAME -o DIR [--key rsa|ec]",
                          TR_N_("make a clearly-marked demo seal (%1/DEMO artwork, test CA, PKCS#12, PIN file)"), run_demo, {"样章"}});
    commands().push_back({"seal", "stamp",
                          "IN.pdf OUT.pdf (--p12 FILE | --pkcs11-uri URI [--pkcs11-module SO]) --pin-file FILE|- [--image PNG] (--page N --rect X,Y,W,H | "
                          "--anchor TEXT [--anchor-size PT]) [--field NAME] [--reason TEXT] [--location TEXT] [--tsa URL] [--certify 1|2|3] [--profile pades|sm2 [--ses-seal FILE]] [--policy FILE --user ID [--acting-for ID]]",
                          TR_N_("seal a PDF: a visible seal and a PAdES signature in one incremental update "
                          "(exit 1 refused, 2 bad input; no output file on failure)"),
                          run_stamp});
    commands().push_back({"seal", "timestamp", "IN.pdf OUT.pdf --tsa URL",
                          TR_N_("add a document timestamp (ETSI.RFC3161) in one more incremental update"), run_timestamp});
#else
    commands().push_back({"seal", "stamp", "", "", run_stamp});  // synopsis and help: the full module's
#endif
    commands().push_back({"seal", "verify", "FILE [--roots CA.pem] [--json]",
                          TR_N_("verify every signature (exit 0 all intact and, with --roots, trusted; 1 otherwise)"),
                          run_verify});
}

}  // namespace ow::cli
