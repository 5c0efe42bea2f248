// Finding plugins: each plugin is a folder <dir>/<name>/ holding plugin.json and its library.
// Search path, first match of a name wins (later ones are reported as shadowed):
//   $ONEWINDOW_PLUGIN_PATH (':'-separated) when set — replaces everything below (tests, portable use);
//   otherwise <exe dir>/../lib/onewindow/plugins (the install tree, and the build tree, which
//   mirrors it), the configured install directory, and the per-user directory
//   ($XDG_DATA_HOME or ~/.local/share)/onewindow/plugins.
#pragma once

#include "ow/plugins/manifest.h"

#include <filesystem>
#include <string>
#include <vector>

namespace ow::plugins {

/// A folder that looked like a plugin but was refused.
struct Refusal {
    std::filesystem::path path;  // the plugin folder
    std::string name;            // from the manifest when it could be read, else the folder name
    std::string code;            // "plugin.invalid_manifest", "plugin.abi_mismatch", "plugin.shadowed", ...
    std::string reason;          // English, for the log and `plugins list`
};

struct Discovery {
    std::vector<Manifest> plugins;  // accepted, sorted by name
    std::vector<Refusal> refused;
    /// The accepted plugin of that name, or nullptr.
    const Manifest* find(const std::string& name) const;
    /// The refusal of that name, or nullptr.
    const Refusal* find_refusal(const std::string& name) const;
};

/// The search path described above (directories need not exist).
std::vector<std::filesystem::path> default_search_path();

/// Looks through the directories. Never throws for a bad plugin: it is refused with a reason.
/// A manifest whose abi_version differs from OW_PLUGIN_ABI_VERSION is refused here.
Discovery discover(const std::vector<std::filesystem::path>& dirs);

}  // namespace ow::plugins
