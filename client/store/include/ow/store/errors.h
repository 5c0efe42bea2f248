// Errors of the encrypted store (the database layer's own, StoreError and its kinds, are in
// ow/store/db_errors.h, included here). All derive from ow::core::Error; messages are English (logs,
// CLI) and never contain passwords, keys or personal data.
#pragma once

#include "ow/core/error.h"
#include "ow/store/db_errors.h"

namespace ow::store {

/// Wrong password / recovery key, or unknown user. The store is unchanged.
class AuthError : public core::Error {
public:
    explicit AuthError(const std::string& message) : core::Error("store.auth", message) {}

protected:
    AuthError(std::string code, const std::string& message) : core::Error(std::move(code), message) {}
};

/// Too many wrong passwords for this user (or recovery key) in a row: the store refuses to try
/// the password until `retry_after_seconds` have passed (code "store.throttled"). Nothing was checked.
class TooManyAttempts : public AuthError {
public:
    TooManyAttempts(const std::string& message, long long retry_after_seconds)
        : AuthError("store.throttled", message), retry_after_(retry_after_seconds) {}
    long long retry_after_seconds() const noexcept { return retry_after_; }

private:
    long long retry_after_;
};

/// The signed-in user's role does not allow this act (code "store.not_authorised"). Nothing changed.
class NotAuthorised : public core::Error {
public:
    explicit NotAuthorised(const std::string& message) : core::Error("store.not_authorised", message) {}
};

}  // namespace ow::store
