// capture_signature through the build tree's plugins, found as the desk finds them (beside the
// executable), in their helper processes: signature-evdev (no pad configured here: unavailable)
// comes first by name, so signature-sim signs; cancel, no pad at all, a timeout and a plugin that
// is not there come back typed, and the folder made for the signature goes when it failed.
#include <boost/test/unit_test.hpp>

#include "common/private_dir.h"
#include "common/signature_pad.h"

#include "ow/plugins/host.h"

#include <cstdlib>
#include <fstream>

using namespace ow;
using app::SignatureRequest;
using app::SignatureResult;
namespace fs = std::filesystem;

namespace {

struct NoPadConfigured {
    NoPadConfigured() { ::unsetenv("ONEWINDOW_SIGNATURE_DEVICE"); }
};

std::string head(const fs::path& file, std::size_t n) {
    std::ifstream in(file, std::ios::binary);
    std::string s(n, '\0');
    in.read(s.data(), static_cast<std::streamsize>(n));
    s.resize(static_cast<std::size_t>(in.gcount()));
    return s;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(signature_pad, NoPadConfigured)

BOOST_AUTO_TEST_CASE(the_first_pad_that_answers_signs) {
    plugins::PluginHost host;
    SignatureRequest rq;
    rq.simulate = {{"name", "王五"}};
    SignatureResult r = app::capture_signature(host, rq);
    BOOST_TEST_REQUIRE(r.ok(), r.code << ": " << r.message);
    BOOST_TEST(r.plugin == "signature-sim");  // signature-evdev, first by name, has no pad here
    BOOST_TEST(r.code.empty());
    BOOST_TEST(r.source == "simulator");
    BOOST_TEST(r.width == 600);
    BOOST_TEST(r.height == 200);
    BOOST_TEST(r.strokes >= 4);
    BOOST_TEST(r.points > r.strokes);
    BOOST_TEST(r.own_dir);
    BOOST_TEST(r.png.parent_path() == r.output_dir);
    BOOST_TEST(r.output_dir.parent_path() == app::private_dir());
    BOOST_TEST(head(r.png, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
    BOOST_TEST((host.status("signature-evdev").state == plugins::DeviceState::unavailable));

    app::discard_signature(r);
    BOOST_TEST(!fs::exists(r.output_dir));
}

BOOST_AUTO_TEST_CASE(folders_left_by_a_killed_desk_are_swept) {
    const fs::path stale = app::private_dir() / "signature-stale1", fresh = app::private_dir() / "signature-fresh1";
    fs::create_directories(stale);
    fs::create_directories(fresh);
    std::ofstream(stale / "signature.png") << "x";
    fs::last_write_time(stale, fs::file_time_type::clock::now() - std::chrono::hours(2));
    plugins::PluginHost host;
    SignatureResult r = app::capture_signature(host, {});
    BOOST_TEST(r.ok(), r.code);
    BOOST_TEST(!fs::exists(stale));
    BOOST_TEST(fs::exists(fresh));  // another capture's, still running
    app::discard_signature(r);
    fs::remove_all(fresh);
}

BOOST_AUTO_TEST_CASE(a_folder_the_desk_names_is_used_and_kept) {
    plugins::PluginHost host;
    SignatureRequest rq;
    rq.output_dir = app::private_dir() / "signature-test-named";
    rq.plugin = "signature-sim";
    rq.width = 300;
    rq.height = 100;
    SignatureResult r = app::capture_signature(host, rq);
    BOOST_TEST_REQUIRE(r.ok(), r.code << ": " << r.message);
    BOOST_TEST(r.png == rq.output_dir / "signature.png");
    BOOST_TEST(r.width == 300);
    BOOST_TEST(!r.own_dir);
    app::discard_signature(r);  // not ours: stays
    BOOST_TEST(fs::exists(r.png));
    fs::remove_all(rq.output_dir);
}

BOOST_AUTO_TEST_CASE(a_pad_that_cannot_start_is_passed_over) {
    // signature-evdev with settings it refuses (create() fails: the helper reports a refusal),
    // found before the build's own copy.
    const fs::path dir = app::private_dir() / "signature-test-plugins";
    fs::remove_all(dir);
    plugins::HostOptions o;
    o.search_path = plugins::default_search_path();
    fs::path src;
    for (const auto& p : o.search_path)
        if (fs::exists(p / "signature-evdev" / "plugin.json")) src = p / "signature-evdev";
    BOOST_REQUIRE(!src.empty());
    fs::create_directories(dir / "signature-evdev");
    fs::copy_file(src / "signature-evdev.so", dir / "signature-evdev" / "signature-evdev.so");
    nlohmann::json m;
    std::ifstream(src / "plugin.json") >> m;
    m["settings"]["idle_ms"] = "soon";
    std::ofstream(dir / "signature-evdev" / "plugin.json") << m.dump();
    o.search_path.insert(o.search_path.begin(), dir);
    plugins::PluginHost host(o);

    SignatureResult r = app::capture_signature(host, {});
    BOOST_TEST(r.ok(), r.code << ": " << r.message);
    BOOST_TEST(r.plugin == "signature-sim");
    BOOST_TEST((host.status("signature-evdev").state == plugins::DeviceState::refused));
    app::discard_signature(r);

    SignatureRequest only;
    only.plugin = "signature-evdev";
    SignatureResult e = app::capture_signature(host, only);
    BOOST_TEST((e.kind == SignatureResult::Kind::failed));
    BOOST_TEST(e.code == "device.failed");
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(cancelled_on_the_pad) {
    plugins::PluginHost host;
    SignatureRequest rq;
    rq.simulate = {{"cancel", true}};
    SignatureResult r = app::capture_signature(host, rq);
    BOOST_TEST((r.kind == SignatureResult::Kind::cancelled));
    BOOST_TEST(r.code == "device.cancelled");
    BOOST_TEST(r.plugin == "signature-sim");
    BOOST_TEST(r.png.empty());
    BOOST_TEST(!fs::exists(r.output_dir));  // the folder made for it is gone
}

BOOST_AUTO_TEST_CASE(no_pad_answers) {
    plugins::PluginHost host;
    SignatureRequest rq;
    rq.simulate = {{"unavailable", true}};  // the simulator's pad unplugged too
    SignatureResult r = app::capture_signature(host, rq);
    BOOST_TEST((r.kind == SignatureResult::Kind::unavailable));
    BOOST_TEST(r.code == "device.unavailable");
    BOOST_TEST(!fs::exists(r.output_dir));

    plugins::HostOptions none;
    none.search_path = {app::private_dir() / "no-plugins-here"};
    plugins::PluginHost empty(none);
    SignatureResult n = app::capture_signature(empty, {});
    BOOST_TEST((n.kind == SignatureResult::Kind::unavailable));
    BOOST_TEST(n.code == "device.none");

    SignatureRequest named;
    named.plugin = "no-such-pad";
    SignatureResult m = app::capture_signature(host, named);
    BOOST_TEST(m.code == "device.none");
    BOOST_TEST(!fs::exists(m.output_dir));
}

BOOST_AUTO_TEST_CASE(nobody_signs_in_time) {
    plugins::PluginHost host;
    SignatureRequest rq;
    rq.simulate = {{"timeout", true}};  // the pad's own wait ran out
    SignatureResult r = app::capture_signature(host, rq);
    BOOST_TEST((r.kind == SignatureResult::Kind::failed));
    BOOST_TEST(r.code == "device.timeout");

    rq.simulate = {{"timeout", 5000}};  // the desk's limit is shorter: the helper is killed
    rq.timeout = std::chrono::milliseconds(300);
    rq.plugin = "signature-sim";
    SignatureResult k = app::capture_signature(host, rq);
    BOOST_TEST((k.kind == SignatureResult::Kind::failed));
    BOOST_TEST(k.code == "device.timeout");

    rq.simulate = {{"timeout", "soon"}};  // a request the pad refuses
    rq.timeout.reset();
    SignatureResult b = app::capture_signature(host, rq);
    BOOST_TEST((b.kind == SignatureResult::Kind::failed));
    BOOST_TEST(b.code == "device.failed");
}

BOOST_AUTO_TEST_SUITE_END()
