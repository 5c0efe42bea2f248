// The desk's private folder for files it hands to other programs or gets from devices (opened
// documents, scans before they are stored): $XDG_RUNTIME_DIR/onewindow, else
// /dev/shm/onewindow-<uid> — memory, not disk, where the system has it. Free of wx.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>

namespace ow::app {

/// The folder, made 0700 when missing. core::Error("io.write") when it cannot be made, is a link
/// or belongs to someone else.
std::filesystem::path private_dir();

/// Removes the folders inside private_dir() whose name starts with `prefix` and that were last
/// written more than `older_than` ago: what a desk killed in the middle of a scan left behind.
/// Returns how many went; a folder that cannot be removed is left (never throws).
std::size_t remove_stale(const std::string& prefix, std::chrono::seconds older_than);

}  // namespace ow::app
