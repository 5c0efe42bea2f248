// Demo seals for training and tests: clearly marked 样章 / DEMO artwork and a throw-away test CA.
#include "crypto.h"
#include "ses.h"

#include "ow/core/secure_file.h"

#include <cairo.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <nlohmann/json.hpp>
#include <pango/pangocairo.h>

#include <sys/stat.h>

#include <cmath>
#include <ctime>
#include <fstream>
#include <iterator>
#include <vector>

namespace ow::seal {

namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<std::string> utf8_chars(const std::string& s) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
        out.push_back(s.substr(i, len));
        i += len;
    }
    return out;
}

void centred_text(cairo_t* cr, const std::string& text, const char* font, double cx, double cy) {
    PangoLayout* layout = pango_cairo_create_layout(cr);
    PangoFontDescription* desc = pango_font_description_from_string(font);
    pango_layout_set_font_description(layout, desc);
    pango_layout_set_text(layout, text.c_str(), -1);
    int w = 0, h = 0;
    pango_layout_get_pixel_size(layout, &w, &h);
    cairo_move_to(cr, cx - w / 2.0, cy - h / 2.0);
    pango_cairo_show_layout(cr, layout);
    pango_font_description_free(desc);
    g_object_unref(layout);
}

void draw_artwork(const std::string& org, const std::filesystem::path& png) {
    const int size = 480;
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size, size);
    cairo_t* cr = cairo_create(surface);
    const double c = size / 2.0;
    cairo_set_source_rgba(cr, 0.85, 0.1, 0.1, 0.9);
    // Ring.
    cairo_set_line_width(cr, 14);
    cairo_arc(cr, c, c, c - 12, 0, 2 * kPi);
    cairo_stroke(cr);
    // Five-pointed star.
    const double r_out = 70, r_in = r_out * 0.382;
    for (int i = 0; i < 10; ++i) {
        const double r = i % 2 ? r_in : r_out;
        const double a = -kPi / 2 + i * kPi / 5;
        if (i == 0) cairo_move_to(cr, c + r * std::cos(a), c + r * std::sin(a));
        else cairo_line_to(cr, c + r * std::cos(a), c + r * std::sin(a));
    }
    cairo_close_path(cr);
    cairo_fill(cr);
    // Organisation name on the upper arc, one glyph at a time.
    const auto chars = utf8_chars(org);
    const double arc_r = c - 62;
    const double span = std::min(kPi * 1.35, 0.32 * double(chars.size()));
    for (std::size_t i = 0; i < chars.size(); ++i) {
        const double t = chars.size() == 1 ? 0.5 : double(i) / double(chars.size() - 1);
        const double a = -kPi / 2 - span / 2 + t * span;
        cairo_save(cr);
        cairo_translate(cr, c + arc_r * std::cos(a), c + arc_r * std::sin(a));
        cairo_rotate(cr, a + kPi / 2);
        centred_text(cr, chars[i], "Noto Sans CJK SC Bold 34px", 0, 0);
        cairo_restore(cr);
    }
    // The demo marks: never a look-alike of a real seal.
    centred_text(cr, "样章", "Noto Sans CJK SC Bold 44px", c, c + 110);
    centred_text(cr, "DEMO · 仅供培训测试", "Noto Sans CJK SC Bold 22px", c, c + 160);
    cairo_destroy(cr);
    const cairo_status_t st = cairo_surface_write_to_png(surface, png.string().c_str());
    cairo_surface_destroy(surface);
    if (st != CAIRO_STATUS_SUCCESS) throw SealInputError("seal.write", "cannot write " + png.string());
}

[[noreturn]] void openssl_failed(const char* what) {
    ERR_clear_error();
    throw core::Error("seal.demo", std::string("cannot make the demo seal: ") + what);
}

EVP_PKEY* new_key(bool sm2 = false, DemoKey kind = DemoKey::rsa2048) {
    EVP_PKEY* k = sm2                            ? EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2")
                  : kind == DemoKey::ec_p256 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                                               : EVP_RSA_gen(2048);
    if (!k) openssl_failed("key generation");
    return k;
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext) openssl_failed("certificate extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

X509* make_cert(EVP_PKEY* key, const std::string& cn, const std::string& org, X509* issuer, EVP_PKEY* issuer_key,
                bool ca) {
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    unsigned char serial[12];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7F;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 60L * 60 * 24 * (ca ? 3650 : 730));
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("CN"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(org.c_str()), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name);
    X509* iss = issuer ? issuer : cert;
    add_ext(cert, iss, NID_subject_key_identifier, "hash");
    add_ext(cert, iss, NID_authority_key_identifier, "keyid");
    if (ca) {
        add_ext(cert, iss, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(cert, iss, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_ext(cert, iss, NID_basic_constraints, "critical,CA:FALSE");
        add_ext(cert, iss, NID_key_usage, "critical,digitalSignature,nonRepudiation");
    }
    const bool signed_ok = ses::is_sm2(issuer_key) ? ses::sign_certificate(cert, issuer_key)
                                                   : X509_sign(cert, issuer_key, EVP_sha256()) > 0;
    if (!signed_ok) openssl_failed("certificate signing");
    return cert;
}

void write_file(const std::filesystem::path& p, const std::string& data, mode_t mode) {
    if (mode == 0600) {
        // Keys and PINs: created 0600 (never world-readable for a moment), links refused.
        try {
            core::write_secret_file(p, data);
        } catch (const core::Error& e) {
            throw SealInputError("seal.write", e.what());
        }
        return;
    }
    {
        std::ofstream out(p, std::ios::binary | std::ios::trunc);
        if (!out) throw SealInputError("seal.write", "cannot write " + p.string());
        out.write(data.data(), std::streamsize(data.size()));
        if (!out) throw SealInputError("seal.write", "cannot write " + p.string());
    }
    ::chmod(p.c_str(), mode);
}

std::string bio_string(BIO* bio) {
    char* d = nullptr;
    const long n = BIO_get_mem_data(bio, &d);
    return std::string(d, std::size_t(n));
}

}  // namespace

DemoSeal make_demo_seal(const std::string& organisation, const std::filesystem::path& dir, const std::string& given_pin,
                        DemoKey kind) {
    if (organisation.empty()) throw SealInputError("seal.demo", "the organisation name is empty");
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw SealInputError("seal.write", "cannot create " + dir.string());
    DemoSeal d{dir / "seal.png", dir / "ca.pem", dir / "seal.p12", dir / "seal.pin", dir / "seal.json", {}, {}, {}};
    draw_artwork(organisation, d.png);

    EVP_PKEY* ca_key = new_key(false, kind);
    X509* ca = make_cert(ca_key, "OneWindow DEMO test CA (not for real use)", organisation + " (DEMO)", nullptr, ca_key, true);
    EVP_PKEY* key = new_key(false, kind);
    X509* cert = make_cert(key, organisation + " 样章 DEMO seal", organisation + " (DEMO)", ca, ca_key, false);

    // A random 6-digit PIN unless one is given, written only to the PIN file.
    if (given_pin.size() > 64) throw SealInputError("seal.demo_pin", "a demo seal's PIN is 1 to 64 characters");
    unsigned char rnd[4];
    RAND_bytes(rnd, sizeof rnd);
    const unsigned v = (unsigned(rnd[0]) << 24 | unsigned(rnd[1]) << 16 | unsigned(rnd[2]) << 8 | rnd[3]) % 1000000u;
    char pin[72];
    if (given_pin.empty()) std::snprintf(pin, sizeof pin, "%06u", v);
    else std::snprintf(pin, sizeof pin, "%s", given_pin.c_str());

    STACK_OF(X509)* chain = sk_X509_new_null();
    sk_X509_push(chain, ca);
    PKCS12* p12 = PKCS12_create(pin, "OneWindow demo seal", key, cert, chain, NID_aes_256_cbc, NID_aes_256_cbc,
                                PKCS12_DEFAULT_ITER, PKCS12_DEFAULT_ITER, 0);
    sk_X509_free(chain);
    if (!p12) openssl_failed("PKCS#12 creation");
    BIO* p12_bio = BIO_new(BIO_s_mem());
    i2d_PKCS12_bio(p12_bio, p12);
    BIO* ca_bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(ca_bio, ca);
    write_file(d.p12, bio_string(p12_bio), 0600);

    // The SM2 profile: an SM2 test CA (also the seal maker), an SM2 key + certificate, the SES_Seal.
    {
        std::filesystem::create_directories(dir / "sm2", ec);
        d.sm2_ca_pem = dir / "sm2" / "ca.pem";
        d.sm2_p12 = dir / "sm2" / "seal.p12";
        d.ses_seal = dir / "sm2" / "seal.ses";
        EVP_PKEY* sm2_ca_key = new_key(true);
        X509* sm2_ca = make_cert(sm2_ca_key, "OneWindow DEMO SM2 test CA and seal maker (not for real use)",
                                 organisation + " (DEMO)", nullptr, sm2_ca_key, true);
        EVP_PKEY* sm2_key = new_key(true);
        X509* sm2_cert = make_cert(sm2_key, organisation + " 样章 DEMO SM2 seal", organisation + " (DEMO)", sm2_ca,
                                   sm2_ca_key, false);
        STACK_OF(X509)* sm2_chain = sk_X509_new_null();
        sk_X509_push(sm2_chain, sm2_ca);
        PKCS12* sm2_p12 = PKCS12_create(pin, "OneWindow demo SM2 seal", sm2_key, sm2_cert, sm2_chain, NID_aes_256_cbc,
                                        NID_aes_256_cbc, PKCS12_DEFAULT_ITER, PKCS12_DEFAULT_ITER, 0);
        sk_X509_free(sm2_chain);
        if (!sm2_p12) openssl_failed("SM2 PKCS#12 creation");
        BIO* b = BIO_new(BIO_s_mem());
        i2d_PKCS12_bio(b, sm2_p12);
        write_file(d.sm2_p12, bio_string(b), 0600);
        BIO_free(b);
        PKCS12_free(sm2_p12);
        b = BIO_new(BIO_s_mem());
        PEM_write_bio_X509(b, sm2_ca);
        write_file(d.sm2_ca_pem, bio_string(b), 0644);
        BIO_free(b);

        ses::SealSpec spec;
        unsigned char id[8];
        RAND_bytes(id, sizeof id);
        spec.es_id = "OW-DEMO-";
        for (unsigned char c : id) spec.es_id += "0123456789ABCDEF"[c >> 4], spec.es_id += "0123456789ABCDEF"[c & 15];
        spec.name = organisation + " 样章 (DEMO)";
        spec.signer_cert_der = crypto::cert_der(sm2_cert);
        std::ifstream png(d.png, std::ios::binary);
        spec.png.assign(std::istreambuf_iterator<char>(png), std::istreambuf_iterator<char>());
        spec.created = std::time(nullptr);
        spec.valid_from = spec.created - 3600;
        spec.valid_to = spec.created + 730L * 24 * 3600;
        const der::Bytes seal = ses::make_seal(spec, sm2_ca_key, sm2_ca);
        write_file(d.ses_seal, std::string(seal.begin(), seal.end()), 0644);
        X509_free(sm2_cert);
        X509_free(sm2_ca);
        EVP_PKEY_free(sm2_key);
        EVP_PKEY_free(sm2_ca_key);
    }
    write_file(d.ca_pem, bio_string(ca_bio), 0644);
    write_file(d.pin_file, std::string(pin) + "\n", 0600);
    nlohmann::json policy = {{"name", organisation + " 样章 (DEMO)"},
                             {"holders", {{{"user", "demo-a"}, {"post", "A"}}, {{"user", "demo-b"}, {"post", "B"}}}}};
    write_file(d.policy, policy.dump(2) + "\n", 0644);
    OPENSSL_cleanse(pin, sizeof pin);
    BIO_free(p12_bio);
    BIO_free(ca_bio);
    PKCS12_free(p12);
    X509_free(cert);
    X509_free(ca);
    EVP_PKEY_free(key);
    EVP_PKEY_free(ca_key);
    return d;
}

}  // namespace ow::seal
