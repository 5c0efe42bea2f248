// signature_ink — what the signature pad plugins share (signature-sim, signature-evdev): pen
// strokes, the `sign` request and answer, and the PNG they are drawn into. Plugin-side code: it
// reports failures as ow::plugin_sdk::Failure.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ow::signature_ink {

/// One sample of the pen on the pad.
struct Point {
    double x = 0;         ///< pad units, growing to the right
    double y = 0;         ///< pad units, growing downwards
    double pressure = 1;  ///< 0..1
    std::uint32_t t_ms = 0;  ///< since the first sample
};

/// Pen down … pen up.
using Stroke = std::vector<Point>;

struct Ink {
    std::vector<Stroke> strokes;
    /// The length of one y unit in x units (pads whose axes have different resolutions).
    double y_scale = 1.0;

    std::size_t point_count() const;
    /// Time from the first sample to the last (ms).
    std::uint32_t duration_ms() const;
};

/// The `sign` request both plugins read: {output_dir, width?, height?, prompt?, simulate?}.
struct SignRequest {
    std::filesystem::path output_dir;  ///< made when missing
    int width = 600;                   ///< 100..4000 pixels
    int height = 200;                  ///< 50..2000 pixels
    std::string prompt;                ///< at most 200 bytes
    bool white_background = false;     ///< "background": "white" (default "transparent")
    nlohmann::json simulate;           ///< the object, or null
};

/// Reads and checks a `sign` request; throws ow::plugin_sdk::bad_request naming the fault.
SignRequest parse_sign_request(const nlohmann::json& request);

/// Draws the strokes in dark ink, fitted (aspect kept, centred, with a margin) into a PNG of the
/// request's size, line width following the pressure, on a transparent (or white) background.
/// Writes `<output_dir>/signature.png` as `signature.png.part` (mode 0600) first, then renames it
/// over any older one. Returns the file. Throws Failure("write_failed") and leaves no .part
/// behind when it cannot.
std::filesystem::path write_png(const Ink& ink, const SignRequest& request);

/// The answer of `sign`: {png, width, height, strokes, points, duration_ms, signed_at (UTC,
/// ISO 8601), device, source}.
nlohmann::json sign_answer(const Ink& ink, const SignRequest& request, const std::filesystem::path& png,
                           const std::string& device, const std::string& source);

/// Handwriting-like strokes for `name`, deterministic: the same name gives the same strokes (their
/// number and points from an integer generator everywhere; the same picture on one build): per character 2–5 short strokes (横, 竖, 撇, 捺, 点, hooks) in a cell of
/// 1000 × 1000 pad units, sampled every 8 ms with rising and falling pressure.
Ink simulate(const std::string& name);

}  // namespace ow::signature_ink
