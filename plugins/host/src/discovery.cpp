#include "ow/plugins/discovery.h"

#include "onewindow/plugin.h"
#include "ow/core/paths.h"
#include "ow/plugins/errors.h"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <system_error>

#ifndef OW_PLUGIN_INSTALL_DIR
#define OW_PLUGIN_INSTALL_DIR ""
#endif
#ifndef OW_PLUGIN_SUBDIR
#define OW_PLUGIN_SUBDIR "lib/onewindow/plugins"
#endif

namespace ow::plugins {

namespace fs = std::filesystem;

const Manifest* Discovery::find(const std::string& name) const {
    for (const auto& m : plugins)
        if (m.name == name) return &m;
    return nullptr;
}

const Refusal* Discovery::find_refusal(const std::string& name) const {
    for (const auto& r : refused)
        if (r.name == name && r.code != "plugin.shadowed") return &r;
    return nullptr;
}

std::vector<fs::path> default_search_path() {
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("ONEWINDOW_PLUGIN_PATH"); env && *env) {
        std::string s = env;
        std::size_t start = 0;
        while (start <= s.size()) {
            auto end = s.find(':', start);
            if (end == std::string::npos) end = s.size();
            if (end > start) dirs.emplace_back(s.substr(start, end - start));
            start = end + 1;
        }
        return dirs;
    }
    // The install tree and the build tree share this layout relative to the binaries.
    dirs.push_back((core::executable_dir().parent_path() / OW_PLUGIN_SUBDIR).lexically_normal());
    if (std::string installed = OW_PLUGIN_INSTALL_DIR; !installed.empty()) {
        fs::path p = fs::path(installed).lexically_normal();
        if (std::find(dirs.begin(), dirs.end(), p) == dirs.end()) dirs.push_back(p);
    }
    fs::path user;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        user = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home)
        user = fs::path(home) / ".local" / "share";
    if (!user.empty()) dirs.push_back(user / "onewindow" / "plugins");
    return dirs;
}

Discovery discover(const std::vector<fs::path>& dirs) {
    Discovery out;
    std::set<std::string> seen;
    for (const auto& dir : dirs) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) continue;
        std::vector<fs::path> folders;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            std::error_code ec2;
            if (it->is_directory(ec2) && fs::exists(it->path() / "plugin.json", ec2)) folders.push_back(it->path());
        }
        std::sort(folders.begin(), folders.end());
        for (const auto& folder : folders) {
            Refusal refusal{folder, folder.filename().string(), "", ""};
            try {
                Manifest m = read_manifest(folder / "plugin.json");
                refusal.name = m.name;
                if (m.abi_version != OW_PLUGIN_ABI_VERSION) {
                    refusal.code = "plugin.abi_mismatch";
                    refusal.reason = "plugin '" + m.name + "' " + m.version + " was built for plugin ABI " +
                                     std::to_string(m.abi_version) + "; this OneWindow speaks ABI " +
                                     std::to_string(OW_PLUGIN_ABI_VERSION) + " (install a matching plugin version)";
                } else if (seen.count(m.name)) {
                    refusal.code = "plugin.shadowed";
                    refusal.reason = "plugin '" + m.name + "' is already provided by an earlier directory";
                } else if (!fs::exists(m.library_path(), ec)) {
                    refusal.code = "plugin.load_failed";
                    refusal.reason = "plugin '" + m.name + "': library " + m.library_path().string() + " is missing";
                } else {
                    seen.insert(m.name);
                    out.plugins.push_back(std::move(m));
                    continue;
                }
            } catch (const PluginError& e) {
                refusal.code = e.code();
                refusal.reason = e.what();
            }
            out.refused.push_back(std::move(refusal));
        }
    }
    std::sort(out.plugins.begin(), out.plugins.end(),
              [](const Manifest& a, const Manifest& b) { return a.name < b.name; });
    return out;
}

}  // namespace ow::plugins
