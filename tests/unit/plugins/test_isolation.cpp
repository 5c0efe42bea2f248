// Isolation: a plugin that crashes, hangs, answers garbage or too much gives a clear error within
// its time limit, the calling process carries on, and the next call works in a new helper.
// Plugins refused for their ABI or manifest are refused with a message.
#include "ow/plugins/host.h"

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace ow::plugins;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

HostOptions test_options() {
    HostOptions o;
    o.search_path = {OW_BUILD_PLUGIN_DIR, OW_TEST_PLUGIN_DIR, fs::path(OW_TEST_DATA) / "plugins"};
    o.helper = OW_PLUGIN_HELPER;
    o.max_message_bytes = 1024 * 1024;
    return o;
}

// Runs f, which must throw E; returns the error.
template <class E, class F>
E expect_error(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e;
    }
    BOOST_FAIL("no error of the expected type was thrown");
    throw;
}

// After a failure: the caller is alive, and the plugin answers again from a new helper.
void expect_recovery(PluginHost& host, int old_pid) {
    BOOST_TEST(host.helper_pid("faulty") == 0);  // the bad helper is gone
    BOOST_TEST((host.status("faulty").state == DeviceState::unavailable));
    BOOST_TEST(::kill(old_pid, 0) == -1);  // and reaped: no such process any more
    auto answer = host.call("faulty", "ok");
    BOOST_TEST(answer["ok"] == true);
    BOOST_TEST(answer["pid"].get<int>() != old_pid);
    BOOST_TEST(host.helper_pid("faulty") == answer["pid"].get<int>());
    BOOST_TEST((host.status("faulty").state == DeviceState::ready));
}

HostOptions no_rest_options() {
    HostOptions o = test_options();
    o.max_consecutive_failures = 0;
    return o;
}

struct FaultyHost {
    PluginHost host{test_options()};
    int pid = 0;
    FaultyHost() {
        auto first = host.call("faulty", "ok");
        pid = first["pid"].get<int>();
        BOOST_TEST(pid != static_cast<int>(::getpid()));  // plugins never run in the caller
        BOOST_TEST(host.helper_pid("faulty") == pid);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(isolation)

BOOST_FIXTURE_TEST_CASE(crash_is_reported_and_the_plugin_restarts, FaultyHost) {
    auto e = expect_error<PluginFailed>([&] { host.call("faulty", "crash"); });
    BOOST_TEST(e.code() == "plugin.crashed");
    BOOST_TEST(e.plugin() == "faulty");
    BOOST_TEST(std::string(e.what()).find("plugin 'faulty' crashed") != std::string::npos, e.what());
    expect_recovery(host, pid);
    BOOST_TEST(host.status("faulty").restarts == 1);
}

BOOST_FIXTURE_TEST_CASE(hang_times_out_and_the_plugin_restarts, FaultyHost) {
    auto e = expect_error<PluginFailed>([&] { host.call("faulty", "hang", json::object(), 500ms); });
    BOOST_TEST(e.code() == "plugin.timeout");
    BOOST_TEST(std::string(e.what()).find("no answer within the time limit during 'hang'") != std::string::npos,
               e.what());
    expect_recovery(host, pid);
}

BOOST_FIXTURE_TEST_CASE(hang_is_bounded_by_the_manifest_timeout, FaultyHost) {
    // No timeout given: the manifest's 3 s applies (the test's CTest timeout is the outer limit).
    auto e = expect_error<PluginFailed>([&] { host.call("faulty", "hang"); });
    BOOST_TEST(e.code() == "plugin.timeout");
    expect_recovery(host, pid);
}

BOOST_FIXTURE_TEST_CASE(garbage_is_reported_and_the_plugin_restarts, FaultyHost) {
    auto e = expect_error<PluginFailed>([&] { host.call("faulty", "garbage"); });
    BOOST_TEST(e.code() == "plugin.garbage");
    BOOST_TEST(std::string(e.what()).find("garbage") != std::string::npos);
    expect_recovery(host, pid);
}

BOOST_FIXTURE_TEST_CASE(huge_answer_is_refused_and_the_plugin_restarts, FaultyHost) {
    auto e = expect_error<PluginFailed>([&] { host.call("faulty", "huge", {{"bytes", 4 * 1024 * 1024}}); });
    BOOST_TEST(e.code() == "plugin.too_large");
    expect_recovery(host, pid);
    // Below the limit the same action is fine.
    auto small = host.call("faulty", "huge", {{"bytes", 1000}});
    BOOST_TEST(small["blob"].get<std::string>().size() == 1000u);
}

BOOST_FIXTURE_TEST_CASE(noise_on_the_plugins_stdout_does_not_break_the_protocol, FaultyHost) {
    BOOST_TEST(host.call("faulty", "noise")["ok"] == true);
    BOOST_TEST(host.helper_pid("faulty") == pid);  // no restart needed
}

BOOST_FIXTURE_TEST_CASE(a_reported_failure_keeps_the_helper, FaultyHost) {
    auto e = expect_error<PluginFailed>([&] { host.call("faulty", "fail"); });
    BOOST_TEST(e.code() == "plugin.failed");
    BOOST_TEST(std::string(e.what()).find("the device reported an error") != std::string::npos);
    BOOST_TEST(host.helper_pid("faulty") == pid);
}

BOOST_AUTO_TEST_CASE(many_failures_in_a_row_leave_the_caller_working) {
    PluginHost host(no_rest_options());
    BOOST_TEST(host.call("faulty", "ok")["ok"] == true);
    for (const char* action : {"crash", "garbage", "crash", "huge", "crash"}) {
        BOOST_CHECK_THROW(host.call("faulty", action, {{"bytes", 2 * 1024 * 1024}}), PluginFailed);
    }
    BOOST_TEST(host.call("faulty", "ok")["ok"] == true);
    BOOST_TEST(host.status("faulty").restarts == 5);
}

BOOST_FIXTURE_TEST_CASE(a_helper_killed_between_calls_is_replaced, FaultyHost) {
    BOOST_REQUIRE(::kill(pid, SIGKILL) == 0);
    // The first call may notice the death only when it writes or reads; either way it must not
    // take the caller down, and a call after it works.
    try {
        host.call("faulty", "ok");
    } catch (const PluginFailed& e) {
        BOOST_TEST(e.code() == "plugin.crashed");
    }
    auto answer = host.call("faulty", "ok");
    BOOST_TEST(answer["pid"].get<int>() != pid);
}

BOOST_AUTO_TEST_CASE(a_plugin_that_keeps_failing_rests_until_reset) {
    HostOptions o = test_options();
    o.max_consecutive_failures = 2;
    o.failure_cooldown = std::chrono::hours(1);
    PluginHost host(o);
    // A good call in between starts the count again.
    BOOST_CHECK_THROW(host.call("faulty", "crash"), PluginFailed);
    BOOST_TEST(host.call("faulty", "ok")["ok"] == true);
    BOOST_CHECK_THROW(host.call("faulty", "crash"), PluginFailed);
    BOOST_TEST(host.status("faulty").consecutive_failures == 1);
    BOOST_CHECK_THROW(host.call("faulty", "crash"), PluginFailed);
    BOOST_TEST(host.status("faulty").consecutive_failures == 2);
    int restarts = host.status("faulty").restarts;
    // Now it rests: calls fail at once, without starting a helper.
    auto e = expect_error<DeviceUnavailable>([&] { host.call("faulty", "ok"); });
    BOOST_TEST(e.code() == "plugin.cooling_down");
    BOOST_TEST(host.helper_pid("faulty") == 0);
    BOOST_TEST(host.status("faulty").restarts == restarts);
    BOOST_TEST((host.status("faulty").state == DeviceState::unavailable));
    // Reported failures of the plugin itself do not count (its helper stays).
    host.reset("faulty");
    BOOST_TEST(host.call("faulty", "ok")["ok"] == true);
    for (int i = 0; i < 3; ++i) BOOST_CHECK_THROW(host.call("faulty", "fail"), PluginFailed);
    BOOST_TEST(host.status("faulty").consecutive_failures == 0);
    BOOST_TEST(host.call("faulty", "ok")["ok"] == true);
}

BOOST_AUTO_TEST_CASE(unknown_plugins_and_actions_are_request_errors) {
    PluginHost host(test_options());
    auto nf = expect_error<PluginNotFound>([&] { host.call("nope", "read"); });
    BOOST_TEST(nf.code() == "plugin.not_found");
    auto ua = expect_error<PluginRequestError>([&] { host.call("faulty", "launch"); });
    BOOST_TEST(ua.code() == "plugin.unknown_action");
    BOOST_TEST(std::string(ua.what()).find("it offers: ok, crash") != std::string::npos);
    BOOST_TEST(host.helper_pid("faulty") == 0);  // refused before any helper started
    BOOST_CHECK_THROW(host.call("faulty", "ok", json::array()), PluginRequestError);
}

BOOST_AUTO_TEST_CASE(stop_all_stops_the_helpers) {
    PluginHost host(test_options());
    int pid = host.call("faulty", "ok")["pid"];
    host.stop_all();
    BOOST_TEST(host.helper_pid("faulty") == 0);
    BOOST_TEST(::kill(pid, 0) == -1);
    BOOST_TEST((host.status("faulty").state == DeviceState::idle));
    BOOST_TEST(host.call("faulty", "ok")["ok"] == true);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(refusal)

BOOST_AUTO_TEST_CASE(library_built_for_another_abi_is_refused_when_loaded) {
    PluginHost host(test_options());
    BOOST_REQUIRE(host.discovery().find("bad-abi"));  // its manifest is fine
    auto e = expect_error<PluginRefused>([&] { host.call("bad-abi", "read"); });
    BOOST_TEST(e.code() == "plugin.abi_mismatch");
    BOOST_TEST(
        std::string(e.what()).find("built for plugin ABI 99 but this OneWindow speaks ABI 1") != std::string::npos,
        e.what());
    BOOST_TEST((host.status("bad-abi").state == DeviceState::refused));
    // Refused once, refused again without another helper.
    auto again = expect_error<PluginRefused>([&] { host.call("bad-abi", "read"); });
    BOOST_TEST(again.code() == "plugin.abi_mismatch");
    BOOST_TEST(host.status("bad-abi").restarts == 0);
}

BOOST_AUTO_TEST_CASE(manifest_with_another_abi_is_refused_without_starting) {
    PluginHost host(test_options());
    BOOST_TEST(!host.discovery().find("abi-two"));
    auto e = expect_error<PluginRefused>([&] { host.call("abi-two", "read"); });
    BOOST_TEST(e.code() == "plugin.abi_mismatch");
    BOOST_TEST(std::string(e.what()).find("built for plugin ABI 2") != std::string::npos);
    BOOST_TEST((host.status("abi-two").state == DeviceState::refused));
}

BOOST_AUTO_TEST_CASE(invalid_manifest_is_refused_on_call) {
    PluginHost host(test_options());
    auto e = expect_error<PluginRefused>([&] { host.call("unknown-capability", "read"); });
    BOOST_TEST(e.code() == "plugin.invalid_manifest");
    BOOST_TEST(std::string(e.what()).find("teleporter") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(library_that_names_itself_differently_is_refused) {
    PluginHost host(test_options());
    auto e = expect_error<PluginRefused>([&] { host.call("wrong-name", "read"); });
    BOOST_TEST(e.code() == "plugin.invalid_manifest");
    BOOST_TEST(std::string(e.what()).find("calls itself 'somebody-else'") != std::string::npos, e.what());
}

BOOST_AUTO_TEST_SUITE_END()

// The host's own checks of what a helper says, with fake helpers written as shell scripts.
BOOST_AUTO_TEST_SUITE(helper_protocol)

namespace {

struct FakeHelper {
    fs::path dir;
    HostOptions options = test_options();
    explicit FakeHelper(const std::string& script) {
        std::string t = (fs::temp_directory_path() / "ow-fake-helper-XXXXXX").string();
        BOOST_REQUIRE(::mkdtemp(t.data()));
        dir = t;
        std::ofstream(dir / "helper") << "#!/bin/sh\n" << script << "\n";
        fs::permissions(dir / "helper", fs::perms::owner_all);
        options.helper = dir / "helper";
        options.start_timeout = 2000ms;
    }
    ~FakeHelper() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(garbage_instead_of_the_greeting) {
    FakeHelper f("echo 'Segmentation fault (core dumped)'; sleep 30");
    PluginHost host(f.options);
    auto e = expect_error<PluginFailed>([&] { host.call("faulty", "ok"); });
    BOOST_TEST(e.code() == "plugin.garbage");
}

// Found by fuzz_plugin_answer: a refusal whose code is not a string made the host throw
// nlohmann::json::type_error instead of PluginRefused.
BOOST_AUTO_TEST_CASE(a_refusal_with_members_of_the_wrong_type) {
    FakeHelper f("echo '{\"ready\":false,\"code\":1,\"message\":[\"x\"]}'; sleep 30");
    PluginHost host(f.options);
    auto e = expect_error<PluginRefused>([&] { host.call("faulty", "ok"); });
    BOOST_TEST(e.code() == "plugin.load_failed");
    BOOST_TEST(std::string(e.what()).find("could not be loaded") != std::string::npos, e.what());
}

BOOST_AUTO_TEST_CASE(garbage_instead_of_an_answer) {
    FakeHelper f("echo '{\"ready\":true}'; read line; echo 'ELF garbage'; sleep 30");
    PluginHost host(f.options);
    auto e = expect_error<PluginFailed>([&] { host.call("faulty", "ok"); });
    BOOST_TEST(e.code() == "plugin.garbage");
}

BOOST_AUTO_TEST_CASE(an_answer_to_another_request) {
    FakeHelper f("echo '{\"ready\":true}'; read line; echo '{\"id\":12345,\"status\":0,\"answer\":{}}'; sleep 30");
    PluginHost host(f.options);
    auto e = expect_error<PluginFailed>([&] { host.call("faulty", "ok"); });
    BOOST_TEST(e.code() == "plugin.garbage");
}

BOOST_AUTO_TEST_CASE(an_endless_line_is_cut_off) {
    FakeHelper f("echo '{\"ready\":true}'; read line; exec cat /dev/zero");
    PluginHost host(f.options);
    auto e = expect_error<PluginFailed>([&] { host.call("faulty", "ok"); });
    BOOST_TEST(e.code() == "plugin.too_large");
}

BOOST_AUTO_TEST_CASE(silence_while_loading_times_out) {
    FakeHelper f("sleep 30");
    PluginHost host(f.options);
    auto e = expect_error<PluginFailed>([&] { host.call("faulty", "ok"); });
    BOOST_TEST(e.code() == "plugin.timeout");
    BOOST_TEST(std::string(e.what()).find("while loading") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_missing_helper_is_a_clear_failure) {
    HostOptions o = test_options();
    o.helper = "/nonexistent/onewindow-plugin-host";
    PluginHost host(o);
    auto e = expect_error<PluginFailed>([&] { host.call("faulty", "ok"); });
    BOOST_TEST(std::string(e.what()).find("onewindow-plugin-host") != std::string::npos, e.what());
}

BOOST_AUTO_TEST_SUITE_END()
