// The desk's private folder for files it hands to other programs or gets from devices (opened
// documents, scans before they are stored): $XDG_RUNTIME_DIR/onewindow, else
// /dev/shm/onewindow-<uid> — memory, not disk, where the system has it. Free of wx.
#pragma once

#include <filesystem>

namespace ow::app {

/// The folder, made 0700 when missing. core::Error("io.write") when it cannot be made, is a link
/// or belongs to someone else.
std::filesystem::path private_dir();

}  // namespace ow::app
