// Manifests and discovery: valid manifests accepted, invalid ones and ABI mismatches refused with
// messages that say what is wrong.
#include "onewindow/plugin.h"
#include "ow/plugins/discovery.h"
#include "ow/plugins/errors.h"
#include "ow/plugins/manifest.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace ow::plugins;
using nlohmann::json;

namespace {

json good_manifest(const std::string& name) {
    return {{"manifest_version", 1}, {"name", name},
            {"version", "1.2.3"},    {"vendor", "Tests"},
            {"abi_version", 1},      {"capabilities", {"id_reader", "scanner"}},
            {"actions", {"read"}},   {"library", "lib" + name},
            {"timeout_ms", 1500}};
}

std::string refusal_message(const json& j, const std::string& folder = "p") {
    try {
        parse_manifest(j, fs::path("/plugins") / folder / "plugin.json");
    } catch (const PluginRefused& e) {
        BOOST_TEST(e.code() == "plugin.invalid_manifest");
        return e.what();
    }
    BOOST_FAIL("manifest was accepted");
    return "";
}

const Refusal* refusal_for(const Discovery& d, const std::string& folder) {
    for (const auto& r : d.refused)
        if (r.path.filename() == folder) return &r;
    return nullptr;
}

struct TempDir {
    fs::path path;
    TempDir() {
        std::string t = (fs::temp_directory_path() / "ow-plugins-test-XXXXXX").string();
        BOOST_REQUIRE(::mkdtemp(t.data()));
        path = t;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(manifest)

BOOST_AUTO_TEST_CASE(valid_manifest_is_read) {
    auto m = parse_manifest(good_manifest("p"), "/plugins/p/plugin.json");
    BOOST_TEST(m.name == "p");
    BOOST_TEST(m.version == "1.2.3");
    BOOST_TEST(m.abi_version == 1u);
    BOOST_TEST(m.capabilities.size() == 2u);
    BOOST_TEST((m.capabilities[1] == Capability::scanner));
    BOOST_TEST(m.timeout.count() == 1500);
    BOOST_TEST(m.has_action("read"));
    BOOST_TEST(!m.has_action("scan"));
    BOOST_TEST(m.library_path() == fs::path("/plugins/p/libp.so"));
    BOOST_TEST(!m.test_only);
}

BOOST_AUTO_TEST_CASE(invalid_manifests_are_refused_with_the_fault_named) {
    auto j = good_manifest("p");
    j.erase("vendor");
    BOOST_TEST(refusal_message(j).find("/vendor: missing") != std::string::npos);

    j = good_manifest("p");
    j["capabilities"] = {"id_reader", "teleporter"};
    BOOST_TEST(refusal_message(j).find("/capabilities/1: unknown capability 'teleporter'") != std::string::npos);

    j = good_manifest("p");
    j["capabilities"] = json::array();
    BOOST_TEST(refusal_message(j).find("at least one capability") != std::string::npos);

    j = good_manifest("p");
    j["library"] = "../other/lib";
    BOOST_TEST(refusal_message(j).find("/library") != std::string::npos);

    j = good_manifest("p");
    j["name"] = "Bad Name";
    BOOST_TEST(refusal_message(j).find("/name") != std::string::npos);

    j = good_manifest("p");
    BOOST_TEST(refusal_message(j, "elsewhere").find("does not match its folder") != std::string::npos);

    j = good_manifest("p");
    j["abi_version"] = "1";
    BOOST_TEST(refusal_message(j).find("/abi_version") != std::string::npos);

    j = good_manifest("p");
    j["manifest_version"] = 2;
    BOOST_TEST(refusal_message(j).find("manifest version 2 is not supported") != std::string::npos);

    j = good_manifest("p");
    j["timeout_ms"] = 10;
    BOOST_TEST(refusal_message(j).find("/timeout_ms") != std::string::npos);

    j = good_manifest("p");
    j["actions"] = json::array();
    BOOST_TEST(refusal_message(j).find("/actions") != std::string::npos);

    j = good_manifest("p");
    j["extra"] = 1;
    BOOST_TEST(refusal_message(j).find("/extra: unknown key") != std::string::npos);

    BOOST_TEST(refusal_message(json::array()).find("must be an object") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(test_only_plugins_may_have_no_capability) {
    auto j = good_manifest("p");
    j["capabilities"] = json::array();
    j["test_only"] = true;
    BOOST_TEST(parse_manifest(j, "/plugins/p/plugin.json").capabilities.empty());
}

BOOST_AUTO_TEST_CASE(unreadable_and_non_json_files_are_refused) {
    TempDir t;
    BOOST_CHECK_THROW(read_manifest(t.path / "none" / "plugin.json"), PluginRefused);
    write(t.path / "x" / "plugin.json", "{\"name\": ");
    try {
        read_manifest(t.path / "x" / "plugin.json");
        BOOST_FAIL("accepted");
    } catch (const PluginRefused& e) {
        BOOST_TEST(std::string(e.what()).find("not valid JSON") != std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(discovery)

BOOST_AUTO_TEST_CASE(fixture_folders_are_refused_with_reasons) {
    auto d = discover({fs::path(OW_TEST_DATA) / "plugins"});
    BOOST_TEST(d.plugins.empty());
    auto expect = [&](const std::string& folder, const std::string& code, const std::string& text) {
        const Refusal* r = refusal_for(d, folder);
        BOOST_TEST_CONTEXT(folder) {
            BOOST_REQUIRE(r);
            BOOST_TEST(r->code == code);
            BOOST_TEST(r->reason.find(text) != std::string::npos, r->reason);
        }
    };
    expect("abi-two", "plugin.abi_mismatch", "was built for plugin ABI 2; this OneWindow speaks ABI 1");
    expect("broken-json", "plugin.invalid_manifest", "not valid JSON");
    expect("unknown-capability", "plugin.invalid_manifest", "unknown capability 'teleporter'");
    expect("missing-vendor", "plugin.invalid_manifest", "/vendor: missing");
    expect("wrong-folder", "plugin.invalid_manifest", "does not match its folder");
    expect("library-path", "plugin.invalid_manifest", "/library");
    expect("unknown-key", "plugin.invalid_manifest", "/run_as_root: unknown key");
    expect("no-library", "plugin.load_failed", "is missing");
    BOOST_TEST(d.refused.size() == 8u);
}

BOOST_AUTO_TEST_CASE(build_tree_plugins_are_found) {
    auto d = discover({OW_BUILD_PLUGIN_DIR});
    for (const char* name : {"idcard-sdt", "idcard-sim", "scanner-sane", "rating-sim", "faulty"})
        BOOST_TEST(d.find(name) != nullptr, name);
    BOOST_TEST(d.refused.empty());
    BOOST_TEST(d.find("faulty")->test_only);
    BOOST_TEST((d.find("scanner-sane")->capabilities.at(0) == Capability::scanner));
}

BOOST_AUTO_TEST_CASE(first_directory_wins_and_later_copies_are_shadowed) {
    TempDir t;
    auto m = good_manifest("dup");
    write(t.path / "a" / "dup" / "plugin.json", m.dump());
    write(t.path / "a" / "dup" / "libdup.so", "");
    m["version"] = "9.9.9";
    write(t.path / "b" / "dup" / "plugin.json", m.dump());
    write(t.path / "b" / "dup" / "libdup.so", "");
    auto d = discover({t.path / "missing", t.path / "a", t.path / "b"});
    BOOST_REQUIRE(d.find("dup"));
    BOOST_TEST(d.find("dup")->version == "1.2.3");
    BOOST_REQUIRE(d.refused.size() == 1u);
    BOOST_TEST(d.refused[0].code == "plugin.shadowed");
    BOOST_TEST(d.find_refusal("dup") == nullptr);  // shadowing is not a refusal of the name
}

BOOST_AUTO_TEST_CASE(search_path_from_the_environment_replaces_the_default) {
    ::setenv("ONEWINDOW_PLUGIN_PATH", "/x/one:/x/two", 1);
    auto dirs = default_search_path();
    ::unsetenv("ONEWINDOW_PLUGIN_PATH");
    BOOST_REQUIRE(dirs.size() == 2u);
    BOOST_TEST(dirs[1] == fs::path("/x/two"));

    ::setenv("XDG_DATA_HOME", "/x/data", 1);
    dirs = default_search_path();
    BOOST_TEST(dirs.back() == fs::path("/x/data/onewindow/plugins"));
    // The first entry is next to the binaries: <exe dir>/../lib/onewindow/plugins.
    BOOST_TEST(dirs.front().string().find("lib/onewindow/plugins") != std::string::npos);
    ::unsetenv("XDG_DATA_HOME");
}

BOOST_AUTO_TEST_SUITE_END()
