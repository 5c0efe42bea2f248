// The applicant's signature at result pickup (出件), from a signature pad plugin (capability
// "signature": signature-evdev for a real pad or pen tablet, signature-sim for training and tests;
// docs/plugins.md). Free of wx: a presenter calls capture_signature() on a worker thread (it
// blocks while the applicant signs) and hands the PNG to workflow::Issue::signature_png.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace ow::plugins {
class PluginHost;
}

namespace ow::app {

/// How the desk asks for a signature.
struct SignatureRequest {
    /// Where the PNG goes; empty: a new folder "signature-XXXXXX" inside the desk's private folder
    /// (common/private_dir.h), removed again by discard_signature() or when the capture fails
    /// (and such folders an hour old, left by a killed desk, are removed first).
    std::filesystem::path output_dir;
    int width = 0;       ///< the PNG's size in pixels; 0: the plugin's default (600 × 200)
    int height = 0;
    std::string prompt;  ///< shown on pads with a display ("请在此签名"); may be empty
    /// The plugin to ask; empty: every discovered plugin with capability "signature", in name
    /// order, the first that does not answer "unavailable" wins.
    std::string plugin;
    /// Passed on as the request's "simulate" object when it is one (signature-sim: {name?,
    /// cancel?, unavailable?, timeout?}; real pads ignore it). Tests and training only.
    nlohmann::json simulate;
    /// Limit for one plugin's call; default: the plugin manifest's timeout_ms.
    std::optional<std::chrono::milliseconds> timeout;
};

/// What came of it. Never thrown: device trouble comes back here.
struct SignatureResult {
    enum class Kind {
        signed_,      ///< `png` holds the signature
        cancelled,    ///< the applicant pressed cancel on the pad (code "device.cancelled")
        unavailable,  ///< no pad answered: "device.none" (no signature plugin installed) or
                      ///< "device.unavailable" (every one reported its device absent)
        failed,       ///< the pad failed or nobody signed in time: "device.failed",
                      ///< "device.timeout" (no pen on the pad), "device.bad_answer"
    } kind = Kind::unavailable;
    std::string code;     ///< "" when signed, else as above (common/labels.h outcome_text)
    std::string message;  ///< English, for logs (never the signature itself)
    std::filesystem::path png;         ///< the signature image (PNG, mode 0600) when signed
    std::filesystem::path output_dir;  ///< the folder it was written to
    bool own_dir = false;              ///< output_dir was made by capture_signature()
    std::string plugin;                ///< the plugin that answered (or failed last)
    int width = 0;
    int height = 0;
    int strokes = 0;  ///< pen strokes (pen down … up) on the pad
    int points = 0;   ///< sampled points in them
    /// "device", or "simulator" when signature-sim answered (it is installed like the real pads'
    /// plugin and comes after it by name: it signs when no real pad answers — training, tests).
    std::string source;
    bool ok() const { return kind == Kind::signed_; }
};

/// Asks the signature pad(s) for the applicant's signature (see SignatureRequest::plugin). Blocks
/// until the applicant finishes, cancels or the pad gives up: run it on a worker thread. Throws
/// nothing but std::bad_alloc.
SignatureResult capture_signature(plugins::PluginHost& host, const SignatureRequest& request = {});

/// Removes the folder capture_signature() made (own_dir; never one the request named), e.g. once
/// the workflow has stored the PNG. Never throws.
void discard_signature(const SignatureResult& result);

}  // namespace ow::app
