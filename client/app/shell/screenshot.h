// Captures a top-level window's on-screen pixels to a PNG file (the --screenshot option).
#pragma once

#include <string>

class wxWindow;

namespace ow::app {

/// Writes the window's current image to `path` (PNG). Returns false with `error` set when the
/// window is not shown yet or the image looks unpainted (a single colour).
bool capture_window_png(wxWindow* window, const std::string& path, std::string& error);

}  // namespace ow::app
