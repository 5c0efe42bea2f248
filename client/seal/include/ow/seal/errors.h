// Typed errors of ow_seal. Two families, because the CLI maps them to different exit codes:
// SealInputError — the input cannot be used (not a PDF, truncated, encrypted, wrong PIN, unreadable
// image, anchor text not found); SealRefused — the input is readable but sealing is refused
// (expired or not-yet-valid certificate, a key not allowed to sign). Messages are English, fit to
// show a clerk after translation, and never contain a PIN or key material.
#pragma once

#include "ow/core/error.h"

namespace ow::seal {

class SealInputError : public core::Error {
public:
    SealInputError(std::string code, const std::string& message) : Error(std::move(code), message) {}
};

class SealRefused : public core::Error {
public:
    SealRefused(std::string code, const std::string& message) : Error(std::move(code), message) {}
};

}  // namespace ow::seal
