// Captures a top-level window's on-screen pixels to a PNG file (the --screenshot option).
#pragma once

#include <string>
#include <vector>

class wxWindow;

namespace ow::app {

/// Writes the window's current image to `path` (PNG). Returns false with `error` set when the
/// window is not shown yet or the image looks unpainted (a single colour).
bool capture_window_png(wxWindow* window, const std::string& path, std::string& error);

/// The labels shown in `top` (and the windows inside it) that are cut off where wx can tell: a
/// static text, button, check box or radio button whose text extent (in its font) is wider than
/// the control (less a check box's box) or a third higher; a list's column header wider than its
/// column. Texts that ellipsize on purpose (wxST_ELLIPSIZE_*) and hidden windows are left out.
/// One line each: "<window name> \"<label>\" needs WxH, has WxH".
std::vector<std::string> clipped_labels(wxWindow* top);

}  // namespace ow::app
