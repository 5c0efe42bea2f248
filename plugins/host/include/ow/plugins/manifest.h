// The plugin manifest (plugin.json in the plugin's folder): what the plugin is, what it can do,
// and which ABI it was built for. Validated strictly before anything is loaded. See docs/plugins.md.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ow::plugins {

/// The manifest format this host reads ("manifest_version").
inline constexpr int kManifestVersion = 1;

enum class Capability { id_reader, scanner, rating_device, signature };

/// "id_reader", ...; and back (std::nullopt-like: throws nothing, returns false when unknown).
/// parse_capability also reads "signature_pad", the reserved name before "signature" shipped, as
/// Capability::signature (deprecated; capability_name() says "signature").
const char* capability_name(Capability c);
bool parse_capability(const std::string& name, Capability& out);

struct Manifest {
    std::string name;     // [a-z0-9-], 1..40 chars, equals the folder name
    std::string version;  // the plugin's version, e.g. "0.1.0"
    std::string vendor;
    std::string description;
    std::uint32_t abi_version = 0;
    std::vector<Capability> capabilities;
    std::vector<std::string> actions;                    // actions the plugin answers
    std::string library;                                 // library base name, without prefix/suffix conventions
    std::chrono::milliseconds timeout{10000};            // limit for one call
    bool test_only = false;                              // shipped only in the build tree, for tests
    nlohmann::json settings = nlohmann::json::object();  // passed to create() as "settings"

    std::filesystem::path dir;       // the folder holding plugin.json
    std::filesystem::path manifest;  // the plugin.json file

    /// The library file: dir / (library + platform suffix, e.g. ".so").
    std::filesystem::path library_path() const;
    bool has_action(const std::string& action) const;
};

/// Parses and validates a manifest. Throws PluginRefused (code "plugin.invalid_manifest") naming
/// the file and the JSON pointer of the fault. Does NOT check the ABI version (see discover()).
Manifest parse_manifest(const nlohmann::json& j, const std::filesystem::path& file);
/// Reads plugin.json; the same errors (unreadable or non-JSON files included).
Manifest read_manifest(const std::filesystem::path& file);

/// The manifest as JSON (for `plugins list --json`).
nlohmann::json to_json(const Manifest& m);

}  // namespace ow::plugins
