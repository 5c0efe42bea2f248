// The platform's RFC 3161 timestamp authority (OpenSSL TS_RESP_CTX). Its key and certificate (EC
// P-256, extended key usage timeStamping, issued by a small training root CA) are made with the
// database and kept in its meta table. Times follow the platform clock (--clock-skew-s).
#pragma once

#include "certs.h"

#include <string>

namespace ow::sim {

class PlatformDb;

/// Makes the TSA root, the TSA certificate and key and stores them (a new database).
void create_tsa_material(PlatformDb& pdb);

class Tsa {
public:
    explicit Tsa(PlatformDb& pdb);
    /// The DER TimeStampResp for a DER TimeStampReq (a rejection response for a bad query).
    std::string respond(const std::string& der_query) const;
    /// PEM: the TSA certificate followed by its root CA.
    std::string chain_pem() const { return cert_pem_ + ca_pem_; }

private:
    std::string cert_pem_, ca_pem_;
    X509Ptr cert_, ca_;
    PkeyPtr key_;
};

}  // namespace ow::sim
