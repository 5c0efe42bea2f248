// The signature pad plugins through the host, the pipe and the helper: signature-sim, and
// signature-evdev fed recorded struct input_event streams from a file and a FIFO (standing in for
// /dev/input/event*). The PNGs are read back with cairo: size, ink where the strokes are, a
// transparent or white background.
#include "ow/plugins/host.h"
#include "ow/plugins/manifest.h"

#include <boost/test/unit_test.hpp>
#include <cairo.h>
#include <fcntl.h>
#include <linux/input.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using namespace ow::plugins;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

HostOptions options(std::vector<fs::path> path = {OW_BUILD_PLUGIN_DIR}) {
    HostOptions o;
    o.search_path = std::move(path);
    o.helper = OW_PLUGIN_HELPER;
    return o;
}

struct TempDir {
    fs::path path;
    TempDir() {
        std::string t = (fs::temp_directory_path() / "ow-signature-test-XXXXXX").string();
        BOOST_REQUIRE(::mkdtemp(t.data()));
        path = t;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

struct EnvGuard {
    std::string name;
    EnvGuard(std::string n, const std::string& value) : name(std::move(n)) { ::setenv(name.c_str(), value.c_str(), 1); }
    ~EnvGuard() { ::unsetenv(name.c_str()); }
};

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

/// A PNG read back by cairo: its size, how many pixels carry ink (dark, opaque), and the alpha
/// and colour of the top-left corner (the background).
struct PngFacts {
    int width = 0, height = 0;
    long ink = 0;
    unsigned corner = 0;  // ARGB32 (premultiplied)
};

PngFacts read_png(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    char sig[8] = {};
    in.read(sig, 8);
    BOOST_REQUIRE(std::string(sig, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
    cairo_surface_t* s = cairo_image_surface_create_from_png(file.c_str());
    BOOST_REQUIRE(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS);
    PngFacts f;
    f.width = cairo_image_surface_get_width(s);
    f.height = cairo_image_surface_get_height(s);
    cairo_surface_flush(s);
    const unsigned char* data = cairo_image_surface_get_data(s);
    const int stride = cairo_image_surface_get_stride(s);
    const bool alpha = cairo_image_surface_get_format(s) == CAIRO_FORMAT_ARGB32;
    for (int y = 0; y < f.height; ++y)
        for (int x = 0; x < f.width; ++x) {
            unsigned px = *reinterpret_cast<const std::uint32_t*>(data + y * stride + x * 4);
            unsigned a = alpha ? px >> 24 : 255, r = (px >> 16) & 255;
            if (a > 200 && r < 80) ++f.ink;  // dark, opaque: ink
            if (x == 0 && y == 0) f.corner = alpha ? px : (px | 0xff000000u);
        }
    cairo_surface_destroy(s);
    return f;
}

bool has_part_files(const fs::path& dir) {
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".part") return true;
    return false;
}

// ---- recorded evdev streams ----

struct Recording {
    std::vector<input_event> events;
    double t = 1000.0;  // seconds

    void ev(int type, int code, int value) {
        input_event e{};
        e.time.tv_sec = static_cast<time_t>(t);
        e.time.tv_usec = static_cast<suseconds_t>((t - static_cast<double>(e.time.tv_sec)) * 1e6);
        e.type = static_cast<__u16>(type);
        e.code = static_cast<__u16>(code);
        e.value = value;
        events.push_back(e);
    }
    void syn() { ev(EV_SYN, SYN_REPORT, 0); }
    /// A stroke of n points from (x, y) to the right, pressure rising; then the pen is lifted and
    /// `pause` seconds pass.
    void stroke(int x, int y, int n, double pause = 0.3) {
        ev(EV_KEY, BTN_TOOL_PEN, 1);
        ev(EV_KEY, BTN_TOUCH, 1);
        for (int i = 0; i < n; ++i) {
            ev(EV_ABS, ABS_X, x + i * 100);
            ev(EV_ABS, ABS_Y, y + (i % 5) * 60);
            ev(EV_ABS, ABS_PRESSURE, 200 + i * 20);
            syn();
            t += 0.008;
        }
        ev(EV_KEY, BTN_TOUCH, 0);
        ev(EV_ABS, ABS_PRESSURE, 0);
        syn();
        t += pause;
    }
    void key(int code) {
        ev(EV_KEY, code, 1);
        syn();
        ev(EV_KEY, code, 0);
        syn();
    }
    std::string bytes() const {
        return {reinterpret_cast<const char*>(events.data()), events.size() * sizeof(input_event)};
    }
    void write(const fs::path& file) const { std::ofstream(file, std::ios::binary) << bytes(); }
};

/// A copy of the built signature-evdev plugin with these settings (the manifest's), in dir.
fs::path evdev_with_settings(const fs::path& dir, const json& settings) {
    fs::path src = fs::path(OW_BUILD_PLUGIN_DIR) / "signature-evdev";
    fs::path dst = dir / "plugins" / "signature-evdev";
    fs::create_directories(dst);
    fs::copy_file(src / "signature-evdev.so", dst / "signature-evdev.so");
    json m;
    std::ifstream(src / "plugin.json") >> m;
    for (const auto& [k, v] : settings.items())
        m["settings"][k] = v;
    std::ofstream(dst / "plugin.json") << m.dump(2);
    return dir / "plugins";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(signature_capability)

BOOST_AUTO_TEST_CASE(the_capability_is_signature_and_signature_pad_is_read_as_it) {
    json m = {{"manifest_version", 1}, {"name", "pad"},      {"version", "1.0.0"},     {"vendor", "t"},
              {"abi_version", 1},      {"actions", {"sign"}}, {"library", "pad"},      {"capabilities", {"signature"}}};
    auto a = parse_manifest(m, "/x/pad/plugin.json");
    BOOST_REQUIRE(a.capabilities.size() == 1u);
    BOOST_TEST((a.capabilities[0] == Capability::signature));
    BOOST_TEST(to_json(a)["capabilities"] == json::array({"signature"}));
    m["capabilities"] = {"signature_pad"};  // the deprecated reserved name
    auto b = parse_manifest(m, "/x/pad/plugin.json");
    BOOST_TEST((b.capabilities[0] == Capability::signature));
    BOOST_TEST(to_json(b)["capabilities"] == json::array({"signature"}));
    m["capabilities"] = {"signature", "signature_pad"};  // the same capability twice
    BOOST_CHECK_THROW(parse_manifest(m, "/x/pad/plugin.json"), PluginRefused);
}

BOOST_AUTO_TEST_CASE(both_shipped_pads_declare_it) {
    PluginHost host(options());
    for (const char* name : {"signature-sim", "signature-evdev"}) {
        const Manifest* found = nullptr;
        for (const auto& m : host.discovery().plugins)
            if (m.name == name) found = &m;
        BOOST_REQUIRE_MESSAGE(found, name);
        BOOST_TEST((found->capabilities == std::vector<Capability>{Capability::signature}));
        BOOST_TEST(found->has_action("sign"));
        BOOST_TEST(!found->test_only);
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(signature_sim)

BOOST_AUTO_TEST_CASE(signs_into_a_png_with_counted_strokes) {
    TempDir t;
    PluginHost host(options());
    auto a = host.call("signature-sim", "sign", {{"output_dir", t.path.string()}, {"simulate", {{"name", "张三"}}}});
    fs::path png = a["png"].get<std::string>();
    BOOST_TEST(png.parent_path() == t.path);
    BOOST_TEST(a["width"] == 600);
    BOOST_TEST(a["height"] == 200);
    BOOST_TEST(a["source"] == "simulator");
    BOOST_TEST(a["device"] == "signature-sim");
    BOOST_TEST(a["signed_at"].get<std::string>().size() == 20u);  // 2026-12-06T05:06:56Z
    const int strokes = a["strokes"], points = a["points"];
    BOOST_TEST(strokes >= 4);            // 2 characters, 2-5 strokes each
    BOOST_TEST(strokes <= 10);
    BOOST_TEST(points > strokes * 10);   // every stroke is a sampled curve
    BOOST_TEST(a["duration_ms"].get<int>() > points * 8 - 1);
    BOOST_TEST(((fs::status(png).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write)));
    BOOST_TEST(!has_part_files(t.path));

    auto f = read_png(png);
    BOOST_TEST(f.width == 600);
    BOOST_TEST(f.height == 200);
    BOOST_TEST(f.ink > 1000);                    // strokes drawn
    BOOST_TEST(f.ink < 600 * 200 / 4);           // … not a filled box
    BOOST_TEST((f.corner >> 24) == 0u);          // transparent background

    // The same name gives the same strokes and the same picture; another name another hand.
    TempDir t2;
    auto again = host.call("signature-sim", "sign", {{"output_dir", t2.path.string()}, {"simulate", {{"name", "张三"}}}});
    BOOST_TEST(again["strokes"] == strokes);
    BOOST_TEST(again["points"] == points);
    auto bytes = [](const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    BOOST_TEST(bytes(again["png"].get<std::string>()) == bytes(png));
    auto other = host.call("signature-sim", "sign", {{"output_dir", t2.path.string()}, {"simulate", {{"name", "李四光"}}}});
    BOOST_TEST((other["points"] != points || bytes(other["png"].get<std::string>()) != bytes(png)));
}

BOOST_AUTO_TEST_CASE(size_and_white_background_as_asked) {
    TempDir t;
    PluginHost host(options());
    auto a = host.call("signature-sim", "sign",
                       {{"output_dir", (t.path / "new" / "folder").string()}, {"width", 300}, {"height", 120},
                        {"background", "white"}, {"prompt", "请在此签名"}});
    auto f = read_png(a["png"].get<std::string>());
    BOOST_TEST(f.width == 300);
    BOOST_TEST(f.height == 120);
    BOOST_TEST(f.corner == 0xffffffffu);  // opaque white
    BOOST_TEST(f.ink > 200);
}

BOOST_AUTO_TEST_CASE(cancelled_unavailable_and_timed_out) {
    TempDir t;
    PluginHost host(options());
    auto c = expect_error<PluginFailed>(
        [&] { host.call("signature-sim", "sign", {{"output_dir", t.path.string()}, {"simulate", {{"cancel", true}}}}); });
    BOOST_TEST(std::string(c.what()).ends_with("(signature.cancelled)"), c.what());
    auto u = expect_error<DeviceUnavailable>([&] {
        host.call("signature-sim", "sign", {{"output_dir", t.path.string()}, {"simulate", {{"unavailable", true}}}});
    });
    BOOST_TEST(u.code() == "plugin.unavailable");
    BOOST_CHECK_THROW(host.call("signature-sim", "status", {{"simulate", {{"unavailable", true}}}}), DeviceUnavailable);
    auto o = expect_error<PluginFailed>(
        [&] { host.call("signature-sim", "sign", {{"output_dir", t.path.string()}, {"simulate", {{"timeout", 50}}}}); });
    BOOST_TEST(std::string(o.what()).ends_with("(signature.timeout)"), o.what());
    // The host's own limit still holds: a pad that keeps the applicant waiting too long is killed.
    auto k = expect_error<PluginFailed>([&] {
        host.call("signature-sim", "sign", {{"output_dir", t.path.string()}, {"simulate", {{"timeout", 5000}}}}, 300ms);
    });
    BOOST_TEST(k.code() == "plugin.timeout");
    BOOST_TEST(fs::is_empty(t.path));  // nothing written by any of them
    BOOST_TEST(host.call("signature-sim", "status")["connected"] == true);
}

BOOST_AUTO_TEST_CASE(bad_requests_are_refused) {
    TempDir t;
    PluginHost host(options());
    const std::string dir = t.path.string();
    std::ofstream(t.path / "a-file") << "x";
    for (const json& rq : {json::object(), json{{"output_dir", 7}}, json{{"output_dir", ""}},
                           json{{"output_dir", (t.path / "a-file").string()}}, json{{"output_dir", dir}, {"width", 5}},
                           json{{"output_dir", dir}, {"height", "tall"}}, json{{"output_dir", dir}, {"width", 1.5}},
                           json{{"output_dir", dir}, {"background", "red"}}, json{{"output_dir", dir}, {"simulate", "cancel"}},
                           json{{"output_dir", dir}, {"simulate", {{"name", 3}}}},
                           json{{"output_dir", dir}, {"simulate", {{"timeout", "soon"}}}}})
        BOOST_CHECK_THROW(host.call("signature-sim", "sign", rq), PluginRequestError);
    BOOST_CHECK_THROW(host.call("signature-sim", "draw", {{"output_dir", dir}}), PluginRequestError);
    BOOST_TEST(!fs::exists(t.path / "signature.png"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(signature_evdev)

BOOST_AUTO_TEST_CASE(without_a_pad_it_is_unavailable) {
    TempDir t;
    ::unsetenv("ONEWINDOW_SIGNATURE_DEVICE");
    PluginHost host(options());
    const json rq = {{"output_dir", t.path.string()}};
    auto none = expect_error<DeviceUnavailable>([&] { host.call("signature-evdev", "sign", rq); });
    BOOST_TEST(std::string(none.what()).find("no signature pad is configured") != std::string::npos, none.what());
    BOOST_CHECK_THROW(host.call("signature-evdev", "status"), DeviceUnavailable);
    {
        EnvGuard env("ONEWINDOW_SIGNATURE_DEVICE", (t.path / "event99").string());  // unplugged
        host.stop_all();
        BOOST_CHECK_THROW(host.call("signature-evdev", "sign", rq), DeviceUnavailable);
    }
    {
        EnvGuard env("ONEWINDOW_SIGNATURE_DEVICE", "/dev/null");  // a character device, but not evdev
        host.stop_all();
        auto e = expect_error<DeviceUnavailable>([&] { host.call("signature-evdev", "sign", rq); });
        BOOST_TEST(std::string(e.what()).find("not an evdev") != std::string::npos, e.what());
    }
    BOOST_TEST(host.helper_pid("signature-evdev") > 0);  // unavailable, never a crash
    BOOST_TEST(fs::is_empty(t.path));
}

BOOST_AUTO_TEST_CASE(a_recorded_stream_becomes_strokes) {
    TempDir t;
    Recording r;
    r.stroke(1000, 2000, 20);
    r.stroke(4000, 2000, 15);
    // The kernel's buffer overflowed: events up to the next SYN_REPORT are stale and dropped,
    // the stroke ends there.
    r.ev(EV_KEY, BTN_TOUCH, 1);
    r.ev(EV_ABS, ABS_X, 6000);
    r.ev(EV_ABS, ABS_Y, 2100);
    r.ev(EV_ABS, ABS_PRESSURE, 500);
    r.syn();  // 1 point
    r.ev(EV_SYN, SYN_DROPPED, 0);
    r.ev(EV_ABS, ABS_X, 999999);  // stale: dropped
    r.syn();
    r.ev(EV_ABS, ABS_X, 6100);
    r.syn();  // a new stroke (the pen is still down): 1 point
    r.ev(EV_KEY, BTN_TOUCH, 0);
    r.syn();
    r.t += 0.5;
    r.stroke(7000, 2000, 5, 3.0);  // then a pause longer than idle_ms: the signature has ended
    r.stroke(9000, 2000, 30);      // … so this is not part of it
    r.write(t.path / "pad.rec");

    auto dir = evdev_with_settings(t.path, {{"idle_ms", 2000},
                                            {"x_min", 0}, {"x_max", 20000}, {"y_min", 0}, {"y_max", 10000},
                                            {"pressure_min", 0}, {"pressure_max", 1023}});
    EnvGuard env("ONEWINDOW_SIGNATURE_DEVICE", (t.path / "pad.rec").string());
    PluginHost host(options({dir}));
    auto a = host.call("signature-evdev", "sign", {{"output_dir", (t.path / "out").string()}});
    BOOST_TEST(a["source"] == "device");
    BOOST_TEST(a["strokes"] == 5);
    BOOST_TEST(a["points"] == 20 + 15 + 1 + 1 + 5);
    auto f = read_png(a["png"].get<std::string>());
    BOOST_TEST(f.width == 600);
    BOOST_TEST(f.ink > 500);
    BOOST_TEST(!has_part_files(t.path / "out"));

    auto s = host.call("signature-evdev", "status");
    BOOST_TEST(s["recording"] == true);
    BOOST_TEST(s["x"] == json::array({0, 20000}));
    BOOST_TEST(s["pressure"] == json::array({0, 1023}));
}

BOOST_AUTO_TEST_CASE(the_pads_keys_end_or_cancel_it) {
    TempDir t;
    auto dir = evdev_with_settings(t.path, {{"idle_ms", 5000}});
    const fs::path rec = t.path / "pad.rec";
    EnvGuard env("ONEWINDOW_SIGNATURE_DEVICE", rec.string());
    PluginHost host(options({dir}));
    const json rq = {{"output_dir", (t.path / "out").string()}};

    Recording done;  // 确认 on the pad: what follows is not read
    done.stroke(1000, 1000, 10);
    done.key(BTN_0);
    done.stroke(3000, 1000, 10);
    done.write(rec);
    auto a = host.call("signature-evdev", "sign", rq);
    BOOST_TEST(a["strokes"] == 1);
    BOOST_TEST(a["points"] == 10);

    Recording cancel;  // 取消 on the pad
    cancel.stroke(1000, 1000, 10);
    cancel.key(KEY_ESC);
    cancel.write(rec);
    auto c = expect_error<PluginFailed>([&] { host.call("signature-evdev", "sign", rq); });
    BOOST_TEST(std::string(c.what()).ends_with("(signature.cancelled)"), c.what());

    Recording empty;  // 确认 without signing
    empty.ev(EV_KEY, BTN_TOOL_PEN, 1);
    empty.syn();
    empty.key(KEY_ENTER);
    empty.write(rec);
    auto e = expect_error<PluginFailed>([&] { host.call("signature-evdev", "sign", rq); });
    BOOST_TEST(std::string(e.what()).ends_with("(signature.empty)"), e.what());

    // A pad without BTN_TOUCH: the pen is down while the pressure is above its minimum.
    Recording pressure_only;
    for (int s = 0; s < 2; ++s) {
        for (int i = 0; i < 6; ++i) {
            pressure_only.ev(EV_ABS, ABS_X, 100 * i + 2000 * s);
            pressure_only.ev(EV_ABS, ABS_Y, 50 * i);
            pressure_only.ev(EV_ABS, ABS_PRESSURE, 300);
            pressure_only.syn();
            pressure_only.t += 0.01;
        }
        pressure_only.ev(EV_ABS, ABS_PRESSURE, 0);
        pressure_only.syn();
    }
    pressure_only.write(rec);
    auto p = host.call("signature-evdev", "sign", rq);
    BOOST_TEST(p["strokes"] == 2);
    BOOST_TEST(p["points"] == 12);
}

BOOST_AUTO_TEST_CASE(a_fifo_in_real_time_ends_after_idle_ms) {
    TempDir t;
    const fs::path fifo = t.path / "pad.fifo";
    BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto dir = evdev_with_settings(t.path, {{"idle_ms", 400}, {"wait_ms", 400}});
    EnvGuard env("ONEWINDOW_SIGNATURE_DEVICE", fifo.string());
    PluginHost host(options({dir}));
    const json rq = {{"output_dir", (t.path / "out").string()}};

    // Nobody writes: no pen within wait_ms.
    auto none = expect_error<PluginFailed>([&] { host.call("signature-evdev", "sign", rq); });
    BOOST_TEST(std::string(none.what()).ends_with("(signature.timeout)"), none.what());

    // A writer sends two strokes in pieces (events split across writes), then stays connected:
    // the signature ends idle_ms after the pen was lifted, not at an end of input.
    Recording r;
    r.stroke(1000, 1000, 12);
    r.stroke(3000, 1000, 8);
    const std::string bytes = r.bytes();
    std::thread writer([&] {
        int fd = ::open(fifo.c_str(), O_WRONLY);
        if (fd < 0) return;
        for (std::size_t off = 0; off < bytes.size(); off += 100) {  // 100 is not a multiple of 24
            std::size_t n = std::min<std::size_t>(100, bytes.size() - off);
            if (::write(fd, bytes.data() + off, n) != static_cast<ssize_t>(n)) break;
            std::this_thread::sleep_for(2ms);
        }
        std::this_thread::sleep_for(3s);  // connected, silent
        ::close(fd);
    });
    const auto start = std::chrono::steady_clock::now();
    json a;
    BOOST_CHECK_NO_THROW(a = host.call("signature-evdev", "sign", rq));
    const auto took = std::chrono::steady_clock::now() - start;
    writer.join();
    BOOST_TEST(a["strokes"] == 2);
    BOOST_TEST(a["points"] == 20);
    BOOST_TEST(took < 2500ms);  // ended by idle_ms, not by the writer leaving after 3 s
}

BOOST_AUTO_TEST_SUITE_END()
