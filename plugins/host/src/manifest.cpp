#include "ow/plugins/manifest.h"

#include "ow/core/json_reader.h"
#include "ow/plugins/errors.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace ow::plugins {
namespace {

constexpr struct {
    Capability c;
    const char* name;
} kCapabilities[] = {
    {Capability::id_reader, "id_reader"},
    {Capability::scanner, "scanner"},
    {Capability::rating_device, "rating_device"},
    {Capability::signature, "signature"},
};

/// Names still read, mapped to today's: the reserved name of ABI 1's first headers.
constexpr struct {
    const char* name;
    Capability c;
} kDeprecatedCapabilities[] = {
    {"signature_pad", Capability::signature},
};

const std::set<std::string> kKnownKeys = {"manifest_version", "name",        "version",      "vendor",
                                          "description",      "abi_version", "capabilities", "actions",
                                          "library",          "timeout_ms",  "test_only",    "settings"};

bool plain_name(const std::string& s, std::size_t max, bool allow_dot) {
    if (s.empty() || s.size() > max) return false;
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || (allow_dot && c == '.');
        if (!ok) return false;
    }
    return s.front() != '-' && s.front() != '.';
}

[[noreturn]] void refuse(const std::string& message) {
    throw PluginRefused("plugin.invalid_manifest", "", message);
}

}  // namespace

const char* capability_name(Capability c) {
    for (const auto& e : kCapabilities)
        if (e.c == c) return e.name;
    return "?";
}

bool parse_capability(const std::string& name, Capability& out) {
    for (const auto& e : kCapabilities)
        if (name == e.name) {
            out = e.c;
            return true;
        }
    for (const auto& e : kDeprecatedCapabilities)
        if (name == e.name) {
            out = e.c;
            return true;
        }
    return false;
}

std::filesystem::path Manifest::library_path() const {
#if defined(_WIN32)
    return dir / (library + ".dll");
#elif defined(__APPLE__)
    return dir / (library + ".dylib");
#else
    return dir / (library + ".so");
#endif
}

bool Manifest::has_action(const std::string& action) const {
    return std::find(actions.begin(), actions.end(), action) != actions.end();
}

Manifest parse_manifest(const nlohmann::json& j, const std::filesystem::path& file) {
    // JsonReader reports InvalidData with the file and pointer; rethrow as a refusal.
    try {
        core::JsonReader r(j, file.string());
        r.object();
        for (const auto& [key, value] : j.items())
            if (!kKnownKeys.count(key)) r.fail_at(key, "unknown key");
        auto mv = r.int64("manifest_version", 0, 1000);
        if (mv != kManifestVersion)
            r.fail_at("manifest_version", "manifest version " + std::to_string(mv) +
                                              " is not supported (this host reads " + std::to_string(kManifestVersion) +
                                              ")");
        Manifest m;
        m.manifest = file;
        m.dir = file.parent_path();
        m.name = r.str("name");
        if (!plain_name(m.name, 40, false)) r.fail_at("name", "must be 1-40 characters of a-z, 0-9, '-' or '_'");
        m.version = r.str("version");
        if (m.version.empty() || m.version.size() > 40) r.fail_at("version", "must be 1-40 characters");
        m.vendor = r.str("vendor");
        if (m.vendor.empty() || m.vendor.size() > 200) r.fail_at("vendor", "must be 1-200 bytes");
        m.description = r.str_or("description", "");
        m.abi_version = static_cast<std::uint32_t>(r.int64("abi_version", 1, 1000000));
        m.test_only = r.boolean_or("test_only", false);

        auto caps = r.at("capabilities");
        caps.array();
        for (std::size_t i = 0; i < caps.size(); ++i) {
            auto c = caps.at(i);
            if (!c.value().is_string()) c.fail("must be a string");
            Capability cap;
            if (!parse_capability(c.value().get<std::string>(), cap))
                c.fail("unknown capability '" + c.value().get<std::string>() +
                       "' (known: id_reader, scanner, rating_device, signature)");
            if (std::find(m.capabilities.begin(), m.capabilities.end(), cap) != m.capabilities.end())
                c.fail("listed twice");
            m.capabilities.push_back(cap);
        }
        if (m.capabilities.empty() && !m.test_only) caps.fail("a plugin must declare at least one capability");

        auto acts = r.at("actions");
        acts.array();
        for (std::size_t i = 0; i < acts.size(); ++i) {
            auto a = acts.at(i);
            if (!a.value().is_string() || !plain_name(a.value().get<std::string>(), 40, false))
                a.fail("must be an action name of a-z, 0-9, '-' or '_'");
            m.actions.push_back(a.value().get<std::string>());
        }
        if (m.actions.empty()) acts.fail("a plugin must offer at least one action");

        m.library = r.str("library");
        if (!plain_name(m.library, 100, true)) r.fail_at("library", "must be a plain file name without a directory");
        m.timeout = std::chrono::milliseconds(r.int64_or("timeout_ms", 10000, 100, 600000));
        if (r.has("settings")) {
            auto s = r.at("settings");
            s.object();
            m.settings = s.value();
        }
        if (m.dir.filename() != m.name && !m.dir.filename().empty())
            refuse(file.string() + ": /name: '" + m.name + "' does not match its folder '" + m.dir.filename().string() +
                   "'");
        return m;
    } catch (const core::InvalidData& e) {
        refuse(e.what());
    }
}

Manifest read_manifest(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) refuse(file.string() + ": cannot be read");
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    if (text.size() > 256 * 1024) refuse(file.string() + ": larger than 256 KiB");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        refuse(file.string() + ": not valid JSON (" + std::string(e.what()) + ")");
    }
    return parse_manifest(j, file);
}

nlohmann::json to_json(const Manifest& m) {
    nlohmann::json caps = nlohmann::json::array();
    for (auto c : m.capabilities)
        caps.push_back(capability_name(c));
    return {{"name", m.name},
            {"version", m.version},
            {"vendor", m.vendor},
            {"description", m.description},
            {"abi_version", m.abi_version},
            {"capabilities", caps},
            {"actions", m.actions},
            {"timeout_ms", m.timeout.count()},
            {"test_only", m.test_only},
            {"path", m.dir.string()}};
}

}  // namespace ow::plugins
