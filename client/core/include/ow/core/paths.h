// Where OneWindow finds its data. Installed and build trees share one layout:
//   <prefix>/bin/onewindow…, <prefix>/share/onewindow/{calendar,catalog}, <prefix>/share/locale.
// ONEWINDOW_DATA_DIR overrides the data directory (tests, portable installs).
#pragma once

#include <filesystem>
#include <optional>

namespace ow::core {

/// Directory of the running executable.
std::filesystem::path executable_dir();
/// <prefix>/share/onewindow, or $ONEWINDOW_DATA_DIR when set.
std::filesystem::path data_dir();
/// <prefix>/share/locale (compiled message catalogues).
std::filesystem::path locale_dir();
/// The user's cache folder for OneWindow (things that only save time and may be deleted at any
/// moment): $ONEWINDOW_CACHE_DIR, else $XDG_CACHE_HOME/onewindow, else ~/.cache/onewindow
/// (%LOCALAPPDATA%\OneWindow\cache on Windows); nullopt when none of them is set.
std::optional<std::filesystem::path> cache_dir();

}  // namespace ow::core
