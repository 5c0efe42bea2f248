// The SM2 profile: GB/T 38540-2020 (v4) SES_Seal and SES_Signature, SM2-with-SM3, encoded and
// checked by our own code (OpenSSL 3.0's CMS cannot make SM2 SignerInfos).
#pragma once

#include "der.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <string>

namespace ow::seal::ses {

using der::Bytes;

constexpr const char* kOidSm2WithSm3 = "1.2.156.10197.1.501";
/// How an SES_Signature sits in a PDF signature dictionary (no public standard exists).
constexpr const char* kFilter = "/OneWindow.SES";
constexpr const char* kSubFilter = "/GBT38540.SES_Signature";

/// SM2 signature (DER SEQUENCE{r, s}) with SM3 and the default distinguishing id.
Bytes sm2_sign(EVP_PKEY* key, const Bytes& data);
bool sm2_verify(EVP_PKEY* key, std::string_view data, std::string_view signature);
bool is_sm2(const EVP_PKEY* key);
/// Signs a certificate with an SM2 key (SM2-with-SM3).
bool sign_certificate(X509* cert, EVP_PKEY* issuer_key);

struct SealSpec {
    std::string es_id;      // seal code
    std::string name;       // seal name (UTF-8)
    int type = 1;           // 1 organisation, 2 personal
    Bytes signer_cert_der;  // the holder's certificate (certListType 1)
    std::string png;        // picture
    int width_mm = 42, height_mm = 42;
    std::int64_t created = 0, valid_from = 0, valid_to = 0;
};

/// SES_Seal signed by the seal maker (an SM2 key with its certificate).
Bytes make_seal(const SealSpec& spec, EVP_PKEY* maker_key, X509* maker_cert);

/// SES_Signature over `data_hash` (SM3 of the signed bytes).
Bytes make_signature(const Bytes& seal, EVP_PKEY* key, X509* cert, const Bytes& data_hash, std::int64_t when,
                     const std::string& property_info);

/// What an SES_Signature says, and whether it holds.
struct Checked {
    bool parsed = false;
    bool signature_ok = false;   // signer's SM2 signature over TBS_Sign
    bool seal_ok = false;        // maker's signature over SES_SealInfo
    bool cert_in_seal = false;   // the signer certificate is listed in the seal
    bool time_in_validity = false;
    bool digest_ok = false;      // dataHash equals the SM3 of the signed bytes
    std::string seal_name, es_id, time;  // time: GeneralizedTime text
    std::int64_t unix_time = 0;
    X509* signer = nullptr;  // owned by the caller after check()
    std::string png;         // the seal picture
};
Checked check(std::string_view ses_signature, const Bytes& sm3_of_signed_bytes);

/// The picture inside an SES_Seal.
std::string seal_picture(const Bytes& seal);

}  // namespace ow::seal::ses
