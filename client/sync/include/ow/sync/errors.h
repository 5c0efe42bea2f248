// Errors of the platform client. Every failure is one SyncError with a kind that decides what
// the engine does (docs/platform-api.md, "Errors"), a stable code (logs, tests, translation at
// display) and an English message. Messages never contain the terminal's secret or case data.
#pragma once

#include "ow/core/error.h"

#include <chrono>
#include <optional>
#include <string>

namespace ow::sync {

enum class ErrorKind {
    retryable,  // network, 5xx, 429, truncated or malformed responses: try again later, nothing applied
    rejected,   // the platform refused one record (4xx): quarantine it, the queue moves on
    auth,       // 401/403: the credentials or the clock; stop and tell the clerk
    tls,        // the platform's certificate is not trusted (expired, wrong host, unknown CA, pin)
    resync,     // 412: the state checksum differs; a full resync is needed
    config,     // no platform connected, bad URL, plain HTTP to a remote host
    cancelled,  // the caller cancelled
};

const char* to_code(ErrorKind k);

class SyncError : public core::Error {
public:
    SyncError(ErrorKind kind, std::string code, const std::string& message, long http_status = 0,
              std::optional<std::chrono::milliseconds> retry_after = std::nullopt)
        : core::Error(std::move(code), message), kind_(kind), http_status_(http_status), retry_after_(retry_after) {}
    ErrorKind kind() const noexcept { return kind_; }
    bool retryable() const noexcept { return kind_ == ErrorKind::retryable; }
    /// The HTTP status when the platform answered (0 for transport failures).
    long http_status() const noexcept { return http_status_; }
    /// The platform's Retry-After, when it sent one.
    std::optional<std::chrono::milliseconds> retry_after() const noexcept { return retry_after_; }

private:
    ErrorKind kind_;
    long http_status_;
    std::optional<std::chrono::milliseconds> retry_after_;
};

}  // namespace ow::sync
