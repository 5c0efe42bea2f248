// signature-evdev — signature pads and pen tablets through Linux evdev.
// The device: settings.device, else $ONEWINDOW_SIGNATURE_DEVICE (e.g. /dev/input/by-id/…-event-
// stylus). A character device is an evdev node: its axis ranges come from EVIOCGABS and it is
// grabbed (EVIOCGRAB) while the applicant signs, so the pen does not move the desk's pointer. A
// FIFO or a file is a recorded stream of struct input_event (tests, diagnostics): its ranges come
// from settings (x_min/x_max/y_min/y_max, pressure_min/pressure_max, x_resolution/y_resolution;
// 0 = unknown: no clamping, pressure scaled by the highest seen).
// Actions:
//   sign {"output_dir", "width"?, "height"?, "prompt"?, "background"?} (signature_ink.h)
//     → {"png", "width", "height", "strokes", "points", "duration_ms", "signed_at", "device", "source": "device"}
//     The pen is down while BTN_TOUCH is pressed (without BTN_TOUCH: while ABS_PRESSURE > its
//     minimum); each SYN_REPORT while down adds a point; SYN_DROPPED drops the events up to the
//     next SYN_REPORT and ends the stroke. The signature ends settings.idle_ms after the pen was
//     last lifted (by the events' own time, so a recording ends as the device would), at the end of a
//     recording, on a done key (settings.done_keys: BTN_0, KEY_ENTER, KEY_OK), or after max_ms.
//     A cancel key (settings.cancel_keys: BTN_1, KEY_ESC, KEY_CANCEL) answers FAILED
//     "signature.cancelled"; no pen within wait_ms FAILED "signature.timeout"; a done key or the
//     end without any stroke FAILED "signature.empty"; a pad unplugged while signing FAILED
//     "signature.device_lost". No device configured, absent or not readable: UNAVAILABLE.
//   status {} → {"device", "name", "connected": true, "recording", "x": [min, max], "y": [...],
//     "pressure": [...]}
#include "onewindow/plugin_sdk.h"
#include "signature_ink.h"

#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <set>
#include <thread>

namespace {

using nlohmann::json;
namespace sdk = ow::plugin_sdk;
namespace ink = ow::signature_ink;
using Clock = std::chrono::steady_clock;

/// An axis range; max <= min means unknown.
struct Range {
    int min = 0;
    int max = 0;
    int resolution = 0;  ///< units per mm (0: unknown)
    int value = 0;       ///< the axis's value when the pad was opened (evdev sends changes only)
    bool known() const { return max > min; }
};

struct Settings {
    std::string device;
    int idle_ms = 2000;
    int wait_ms = 60000;
    int max_ms = 120000;
    bool grab = true;
    Range x, y, pressure;
    std::set<int> done_keys = {BTN_0, KEY_ENTER, KEY_OK};
    std::set<int> cancel_keys = {BTN_1, KEY_ESC, KEY_CANCEL};
};

int setting_int(const json& s, const char* key, int fallback, int lo, int hi) {
    if (!s.contains(key)) return fallback;
    if (!s[key].is_number_integer() || s[key].get<long long>() < lo || s[key].get<long long>() > hi)
        throw sdk::failed("bad_settings", std::string("settings.") + key + " must be a whole number " +
                                              std::to_string(lo) + ".." + std::to_string(hi));
    return s[key].get<int>();
}

std::set<int> setting_keys(const json& s, const char* key, std::set<int> fallback) {
    if (!s.contains(key)) return fallback;
    if (!s[key].is_array()) throw sdk::failed("bad_settings", std::string("settings.") + key + " must be a list of key codes");
    std::set<int> out;
    for (const auto& k : s[key]) {
        if (!k.is_number_integer() || k.get<long long>() < 0 || k.get<long long>() > KEY_MAX)
            throw sdk::failed("bad_settings", std::string("settings.") + key + " holds a code that is not a key");
        out.insert(k.get<int>());
    }
    return out;
}

Settings read_settings(const json& s) {
    if (!s.is_object()) throw sdk::failed("bad_settings", "settings must be an object");
    Settings out;
    if (s.contains("device")) {
        if (!s["device"].is_string()) throw sdk::failed("bad_settings", "settings.device must be a path");
        out.device = s["device"].get<std::string>();
    }
    out.idle_ms = setting_int(s, "idle_ms", out.idle_ms, 100, 60000);
    out.wait_ms = setting_int(s, "wait_ms", out.wait_ms, 100, 600000);
    out.max_ms = setting_int(s, "max_ms", out.max_ms, 1000, 600000);
    if (s.contains("grab")) {
        if (!s["grab"].is_boolean()) throw sdk::failed("bad_settings", "settings.grab must be true or false");
        out.grab = s["grab"].get<bool>();
    }
    constexpr int big = 1 << 30;
    out.x = {setting_int(s, "x_min", 0, -big, big), setting_int(s, "x_max", 0, -big, big),
             setting_int(s, "x_resolution", 0, 0, big)};
    out.y = {setting_int(s, "y_min", 0, -big, big), setting_int(s, "y_max", 0, -big, big),
             setting_int(s, "y_resolution", 0, 0, big)};
    out.pressure = {setting_int(s, "pressure_min", 0, -big, big), setting_int(s, "pressure_max", 0, -big, big), 0};
    out.done_keys = setting_keys(s, "done_keys", out.done_keys);
    out.cancel_keys = setting_keys(s, "cancel_keys", out.cancel_keys);
    return out;
}

/// The pad, open for one signature (or one status): closed and ungrabbed when done.
class Pad {
public:
    Pad(const std::string& path, const Settings& settings) : path_(path) {
        if (path.empty())
            throw sdk::unavailable("no_pad",
                                   "no signature pad is configured (settings.device or ONEWINDOW_SIGNATURE_DEVICE)");
        fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd_ < 0) {
            int e = errno;
            if (e == EACCES || e == EPERM)
                throw sdk::unavailable("no_access", "the signature pad cannot be read (is the user in the 'input' group?)");
            throw sdk::unavailable("no_pad", std::string("the signature pad is not connected (") + std::strerror(e) + ")");
        }
        struct stat st {};
        if (::fstat(fd_, &st) != 0 || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode))) {
            close();
            throw sdk::unavailable("not_a_pad", "the configured signature pad is not a device, FIFO or recording");
        }
        fifo_ = S_ISFIFO(st.st_mode);
        x_ = settings.x;
        y_ = settings.y;
        pressure_ = settings.pressure;
        int version = 0;
        if (S_ISCHR(st.st_mode) && ::ioctl(fd_, EVIOCGVERSION, &version) == 0) {
            recording_ = false;
            unsigned long abs_bits[(ABS_MAX + 8 * sizeof(long)) / (8 * sizeof(long))] = {};
            auto has = [&](int code) {
                return (abs_bits[code / (8 * sizeof(long))] >> (code % (8 * sizeof(long)))) & 1ul;
            };
            if (::ioctl(fd_, EVIOCGBIT(EV_ABS, sizeof abs_bits), abs_bits) < 0 || !has(ABS_X) || !has(ABS_Y)) {
                close();
                throw sdk::unavailable("not_a_pad", "the configured input device has no pen axes");
            }
            read_range(ABS_X, x_);
            read_range(ABS_Y, y_);
            if (has(ABS_PRESSURE)) read_range(ABS_PRESSURE, pressure_);
            char name[128] = {};
            if (::ioctl(fd_, EVIOCGNAME(sizeof name - 1), name) >= 0) name_ = name;
            if (settings.grab && ::ioctl(fd_, EVIOCGRAB, 1) == 0) grabbed_ = true;
        } else if (S_ISCHR(st.st_mode)) {
            close();
            throw sdk::unavailable("not_a_pad", "the configured device is not an evdev input device");
        }
    }
    ~Pad() { close(); }
    Pad(const Pad&) = delete;
    Pad& operator=(const Pad&) = delete;

    int fd() const { return fd_; }
    bool recording() const { return recording_; }
    bool fifo() const { return fifo_; }
    const Range& x() const { return x_; }
    const Range& y() const { return y_; }
    const Range& pressure() const { return pressure_; }
    /// What the answer calls the device: its evdev name, else the path.
    std::string label() const { return name_.empty() ? path_ : name_; }
    const std::string& name() const { return name_; }

private:
    void read_range(int code, Range& r) {
        input_absinfo info{};
        if (::ioctl(fd_, EVIOCGABS(code), &info) == 0 && info.maximum > info.minimum)
            r = {info.minimum, info.maximum, info.resolution, info.value};
    }
    void close() {
        if (fd_ < 0) return;
        if (grabbed_) ::ioctl(fd_, EVIOCGRAB, 0);
        ::close(fd_);
        fd_ = -1;
    }

    std::string path_;
    std::string name_;
    int fd_ = -1;
    bool recording_ = true;
    bool fifo_ = false;
    bool grabbed_ = false;
    Range x_, y_, pressure_;
};

/// The evdev protocol, event by event: pen strokes out of ABS/KEY/SYN.
class StrokeReader {
public:
    enum class State { reading, done, cancelled };

    StrokeReader(const Settings& settings, const Pad& pad)
        : settings_(settings), pad_(pad), x_(pad.x().value), y_(pad.y().value), p_(pad.pressure().value) {}

    State feed(const input_event& ev) {
        const long long t = static_cast<long long>(ev.time.tv_sec) * 1000 + ev.time.tv_usec / 1000;
        if (!have_time_) {
            first_ms_ = t;
            have_time_ = true;
        }
        // A pause of idle_ms after the pen was lifted ends the signature, by the events' own time.
        if (!down_ && !ink_.strokes.empty() && t - last_ms_ > settings_.idle_ms) return State::done;
        last_ms_ = std::max(last_ms_, t);
        if (t - first_ms_ > settings_.max_ms) return State::done;
        if (dropping_) {
            if (ev.type == EV_SYN && ev.code == SYN_REPORT) dropping_ = false;
            return State::reading;
        }
        switch (ev.type) {
        case EV_ABS:
            if (ev.code == ABS_X) x_ = ev.value;
            else if (ev.code == ABS_Y) y_ = ev.value;
            else if (ev.code == ABS_PRESSURE) {
                p_ = ev.value;
                saw_pressure_ = true;
            }
            break;
        case EV_KEY:
            if (ev.code == BTN_TOUCH) {
                touch_ = ev.value != 0;
                saw_touch_ = true;
            } else if (ev.value == 1 && settings_.cancel_keys.count(ev.code)) {
                return State::cancelled;
            } else if (ev.value == 1 && settings_.done_keys.count(ev.code)) {
                end_stroke();
                return State::done;
            }
            break;
        case EV_SYN:
            if (ev.code == SYN_DROPPED) {  // the kernel's buffer overflowed: what follows up to SYN_REPORT is stale
                dropping_ = true;
                end_stroke();
            } else if (ev.code == SYN_REPORT) {
                report(t);
            }
            break;
        default:
            break;
        }
        return State::reading;
    }

    /// Closes the last stroke and scales the pressures; the ink for signature_ink::write_png.
    ink::Ink finish() {
        end_stroke();
        const Range& pr = pad_.pressure();
        double lo = pr.known() ? pr.min : 0, hi = pr.known() ? pr.max : max_raw_pressure_;
        for (auto& s : ink_.strokes)
            for (auto& p : s)
                p.pressure = !saw_pressure_ || hi <= lo ? 1.0 : std::clamp((p.pressure - lo) / (hi - lo), 0.0, 1.0);
        const Range &rx = pad_.x(), &ry = pad_.y();
        if (rx.resolution > 0 && ry.resolution > 0) ink_.y_scale = double(rx.resolution) / ry.resolution;
        return std::move(ink_);
    }

    bool pen_down() const { return down_; }
    bool has_strokes() const { return !ink_.strokes.empty() || down_; }
    std::size_t points() const { return ink_.point_count(); }

private:
    void report(long long t) {
        const Range& pr = pad_.pressure();
        bool down = saw_touch_ ? touch_ : saw_pressure_ && p_ > (pr.known() ? pr.min : 0);
        if (!down) {
            end_stroke();
            return;
        }
        if (!down_) {
            ink_.strokes.emplace_back();
            down_ = true;
        }
        auto clamp = [](int v, const Range& r) { return r.known() ? std::clamp(v, r.min, r.max) : v; };
        ink::Point p;
        p.x = clamp(x_, pad_.x());
        p.y = clamp(y_, pad_.y());
        p.pressure = p_;  // raw until finish()
        max_raw_pressure_ = std::max(max_raw_pressure_, double(p_));
        p.t_ms = static_cast<std::uint32_t>(std::max(0ll, t - first_ms_));
        ink_.strokes.back().push_back(p);
    }
    void end_stroke() { down_ = false; }

    const Settings& settings_;
    const Pad& pad_;
    ink::Ink ink_;
    int x_, y_, p_;
    bool touch_ = false, saw_touch_ = false, saw_pressure_ = false, down_ = false, dropping_ = false;
    bool have_time_ = false;
    long long first_ms_ = 0, last_ms_ = 0;
    double max_raw_pressure_ = 0;
};

class SignatureEvdev : public sdk::Plugin {
public:
    explicit SignatureEvdev(const json& config) : settings_(read_settings(config.value("settings", json::object()))) {}

    json call(const std::string& action, const json& request) override {
        if (action == "status") return status();
        if (action == "sign") return sign(request);
        throw sdk::unknown_action(action);
    }

private:
    std::string device_path() const {
        if (!settings_.device.empty()) return settings_.device;
        const char* env = std::getenv("ONEWINDOW_SIGNATURE_DEVICE");
        return env ? env : "";
    }

    json status() {
        Pad pad(device_path(), settings_);
        auto range = [](const Range& r) { return r.known() ? json::array({r.min, r.max}) : json(nullptr); };
        return {{"device", pad.label()},      {"name", pad.name()},       {"connected", true},
                {"recording", pad.recording()}, {"x", range(pad.x())}, {"y", range(pad.y())},
                {"pressure", range(pad.pressure())}};
    }

    json sign(const json& request) {
        ink::SignRequest rq = ink::parse_sign_request(request);
        Pad pad(device_path(), settings_);
        StrokeReader reader(settings_, pad);
        const auto start = Clock::now();
        auto last_input = start;
        StrokeReader::State state = StrokeReader::State::reading;
        bool got_input = false;
        bool waited_out = false;  // the loop ended by the clock (wait_ms, idle_ms or max_ms)
        std::vector<char> carry;  // a partial event (a FIFO may deliver one in pieces)
        char buf[64 * sizeof(input_event)];
        while (state == StrokeReader::State::reading) {
            // How long to wait for the next event: for the first pen, wait_ms; while the pen is
            // up after a stroke, idle_ms; never beyond max_ms.
            const auto now = Clock::now();
            auto until = start + std::chrono::milliseconds(settings_.max_ms);
            if (!reader.has_strokes()) until = std::min(until, start + std::chrono::milliseconds(settings_.wait_ms));
            else if (!reader.pen_down()) until = std::min(until, last_input + std::chrono::milliseconds(settings_.idle_ms));
            if (until <= now) {
                waited_out = true;
                break;
            }
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - now).count();
            pollfd pfd{pad.fd(), POLLIN, 0};
            int r = ::poll(&pfd, 1, static_cast<int>(std::min<long long>(left, 1000)));
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) throw sdk::failed("signature.device_lost", "the signature pad cannot be polled");
            if (r == 0) continue;
            if (pfd.revents & (POLLERR | POLLNVAL)) throw sdk::failed("signature.device_lost", "the signature pad went away");
            ssize_t n = ::read(pad.fd(), buf, sizeof buf);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (n < 0) {
                if (errno == ENODEV) throw sdk::failed("signature.device_lost", "the signature pad was unplugged");
                throw sdk::failed("signature.device_lost", std::string("the signature pad cannot be read: ") + std::strerror(errno));
            }
            if (n == 0) {
                // A FIFO without a writer yet reads as its end (and may poll as hung up): wait
                // for one, within wait_ms.
                if (pad.fifo() && carry.empty() && !got_input) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                    continue;
                }
                break;  // the end of a recording, or the FIFO's writer left
            }
            got_input = true;
            last_input = Clock::now();
            carry.insert(carry.end(), buf, buf + n);
            std::size_t used = 0;
            while (state == StrokeReader::State::reading && carry.size() - used >= sizeof(input_event)) {
                input_event ev{};
                std::memcpy(&ev, carry.data() + used, sizeof ev);
                used += sizeof ev;
                state = reader.feed(ev);
            }
            carry.erase(carry.begin(), carry.begin() + static_cast<std::ptrdiff_t>(used));
            if (reader.points() > 500000) break;  // a stuck pen: keep what came
        }
        if (state == StrokeReader::State::cancelled)
            throw sdk::failed("signature.cancelled", "the signature was cancelled on the pad");
        const bool any = reader.has_strokes();
        ink::Ink strokes = reader.finish();
        if (!any || strokes.point_count() == 0) {
            if (waited_out) throw sdk::failed("signature.timeout", "nobody signed on the pad in time");
            throw sdk::failed("signature.empty", "the pad sent no pen strokes");
        }
        auto png = ink::write_png(strokes, rq);
        return ink::sign_answer(strokes, rq, png, pad.label(), "device");
    }

    Settings settings_;
};

}  // namespace

OW_PLUGIN_DEFINE(SignatureEvdev, "signature-evdev", OW_PLUGIN_VERSION)
