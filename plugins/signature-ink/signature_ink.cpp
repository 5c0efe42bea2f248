#include "signature_ink.h"

#include "onewindow/plugin_sdk.h"

#include <cairo.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <ctime>
#include <limits>
#include <memory>
#include <numbers>

namespace ow::signature_ink {

using nlohmann::json;
namespace sdk = ow::plugin_sdk;
namespace fs = std::filesystem;

std::size_t Ink::point_count() const {
    std::size_t n = 0;
    for (const auto& s : strokes)
        n += s.size();
    return n;
}

std::uint32_t Ink::duration_ms() const {
    std::uint32_t first = std::numeric_limits<std::uint32_t>::max(), last = 0;
    for (const auto& s : strokes)
        for (const auto& p : s) {
            first = std::min(first, p.t_ms);
            last = std::max(last, p.t_ms);
        }
    return last >= first ? last - first : 0;
}

SignRequest parse_sign_request(const json& request) {
    SignRequest r;
    if (!request.contains("output_dir") || !request["output_dir"].is_string() ||
        request["output_dir"].get<std::string>().empty())
        throw sdk::bad_request("sign needs an output_dir (a folder for the PNG)");
    r.output_dir = request["output_dir"].get<std::string>();
    auto int_in = [&](const char* key, int lo, int hi, int fallback) {
        if (!request.contains(key)) return fallback;
        const json& v = request[key];
        if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
            throw sdk::bad_request(std::string(key) + " must be a whole number " + std::to_string(lo) + ".." +
                                   std::to_string(hi));
        return v.get<int>();
    };
    r.width = int_in("width", 100, 4000, r.width);
    r.height = int_in("height", 50, 2000, r.height);
    if (request.contains("prompt")) {
        if (!request["prompt"].is_string()) throw sdk::bad_request("prompt must be a string");
        r.prompt = request["prompt"].get<std::string>();
        if (r.prompt.size() > 200) throw sdk::bad_request("prompt is longer than 200 bytes");
    }
    if (request.contains("background")) {
        const json& b = request["background"];
        if (b != "white" && b != "transparent") throw sdk::bad_request("background must be white or transparent");
        r.white_background = b == "white";
    }
    if (request.contains("simulate")) {
        if (!request["simulate"].is_object()) throw sdk::bad_request("simulate must be an object");
        r.simulate = request["simulate"];
    }
    std::error_code ec;
    fs::create_directories(r.output_dir, ec);
    if (!fs::is_directory(r.output_dir, ec)) throw sdk::bad_request("output_dir is not a folder that can be made");
    return r;
}

namespace {

struct SurfaceDeleter {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
    void operator()(cairo_t* c) const { cairo_destroy(c); }
};

cairo_status_t write_fd(void* closure, const unsigned char* data, unsigned int length) {
    int fd = *static_cast<int*>(closure);
    while (length > 0) {
        ssize_t n = ::write(fd, data, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return CAIRO_STATUS_WRITE_ERROR;
        data += n;
        length -= static_cast<unsigned>(n);
    }
    return CAIRO_STATUS_SUCCESS;
}

void draw(cairo_t* cr, const Ink& ink, int width, int height) {
    double x0 = std::numeric_limits<double>::max(), y0 = x0, x1 = -x0, y1 = -x0;
    for (const auto& s : ink.strokes)
        for (const auto& p : s) {
            x0 = std::min(x0, p.x);
            x1 = std::max(x1, p.x);
            y0 = std::min(y0, p.y * ink.y_scale);
            y1 = std::max(y1, p.y * ink.y_scale);
        }
    if (x0 > x1) return;  // no points
    const double margin = 0.08 * std::min(width, height);
    const double line = std::max(1.0, 0.018 * height);
    const double bw = std::max(x1 - x0, 1.0), bh = std::max(y1 - y0, 1.0);
    const double scale = std::min((width - 2 * margin) / bw, (height - 2 * margin) / bh);
    const double ox = (width - bw * scale) / 2 - x0 * scale, oy = (height - bh * scale) / 2 - y0 * scale;
    auto px = [&](const Point& p) { return ox + p.x * scale; };
    auto py = [&](const Point& p) { return oy + p.y * ink.y_scale * scale; };
    auto pen = [&](double pressure) { return line * (0.35 + 0.9 * std::clamp(pressure, 0.0, 1.0)); };

    cairo_set_source_rgb(cr, 0.06, 0.08, 0.22);  // dark blue-black ink
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (const auto& s : ink.strokes) {
        if (s.empty()) continue;
        if (s.size() == 1) {  // a dot
            cairo_arc(cr, px(s[0]), py(s[0]), pen(s[0].pressure) / 2, 0, 2 * std::numbers::pi);
            cairo_fill(cr);
            continue;
        }
        for (std::size_t i = 1; i < s.size(); ++i) {
            cairo_set_line_width(cr, pen((s[i - 1].pressure + s[i].pressure) / 2));
            cairo_move_to(cr, px(s[i - 1]), py(s[i - 1]));
            cairo_line_to(cr, px(s[i]), py(s[i]));
            cairo_stroke(cr);
        }
    }
}

}  // namespace

fs::path write_png(const Ink& ink, const SignRequest& request) {
    std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, request.width, request.height));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        throw sdk::failed("out_of_memory", "no memory for the signature image");
    {
        std::unique_ptr<cairo_t, ContextDeleter> cr(cairo_create(surface.get()));
        if (request.white_background) {
            cairo_set_source_rgb(cr.get(), 1, 1, 1);
            cairo_paint(cr.get());
        }
        draw(cr.get(), ink, request.width, request.height);
    }
    cairo_surface_flush(surface.get());

    const fs::path file = request.output_dir / "signature.png";
    const fs::path part = request.output_dir / "signature.png.part";
    ::unlink(part.c_str());  // a leftover of a killed helper
    int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) throw sdk::failed("write_failed", "cannot write the signature into output_dir");
    cairo_status_t st = cairo_surface_write_to_png_stream(surface.get(), &write_fd, &fd);
    bool ok = st == CAIRO_STATUS_SUCCESS && ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(part.c_str(), file.c_str()) != 0) {
        ::unlink(part.c_str());
        throw sdk::failed("write_failed", "cannot write the signature PNG");
    }
    return file;
}

json sign_answer(const Ink& ink, const SignRequest& request, const fs::path& png, const std::string& device,
                 const std::string& source) {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return {{"png", png.string()},
            {"width", request.width},
            {"height", request.height},
            {"strokes", ink.strokes.size()},
            {"points", ink.point_count()},
            {"duration_ms", ink.duration_ms()},
            {"signed_at", when},
            {"device", device},
            {"source", source}};
}

// ---- the simulated hand ----

namespace {

/// splitmix64: the same numbers on every platform (std's distributions are not).
class Random {
public:
    explicit Random(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    double uniform(double lo, double hi) { return lo + (hi - lo) * double(next() >> 11) / double(1ull << 53); }
    int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }

private:
    std::uint64_t state_;
};

std::uint64_t fnv1a64(const std::string& s) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

struct Vec {
    double x, y;
};

/// Catmull-Rom through the control points, `samples` points in all.
std::vector<Vec> spline(const std::vector<Vec>& c, int samples) {
    std::vector<Vec> out;
    const int segments = static_cast<int>(c.size()) - 1;
    for (int i = 0; i < samples; ++i) {
        double t = double(i) / (samples - 1) * segments;
        int k = std::min(static_cast<int>(t), segments - 1);
        double u = t - k;
        const Vec& p0 = c[static_cast<std::size_t>(std::max(k - 1, 0))];
        const Vec& p1 = c[static_cast<std::size_t>(k)];
        const Vec& p2 = c[static_cast<std::size_t>(k + 1)];
        const Vec& p3 = c[static_cast<std::size_t>(std::min(k + 2, segments))];
        auto cr = [u](double a, double b, double cc, double d) {
            return 0.5 * (2 * b + (-a + cc) * u + (2 * a - 5 * b + 4 * cc - d) * u * u + (-a + 3 * b - 3 * cc + d) * u * u * u);
        };
        out.push_back({cr(p0.x, p1.x, p2.x, p3.x), cr(p0.y, p1.y, p2.y, p3.y)});
    }
    return out;
}

}  // namespace

Ink simulate(const std::string& name) {
    Random rnd(fnv1a64(name.empty() ? std::string("signature") : name));
    const int glyphs = static_cast<int>(std::clamp<std::size_t>(code_points(name), 2, 8));
    const double slant = rnd.uniform(0.08, 0.25);  // a right-leaning hand
    Ink ink;
    std::uint32_t t = 0;
    for (int g = 0; g < glyphs; ++g) {
        const double cx = g * 900.0 + rnd.uniform(-40, 40);  // cells overlap a little: quick writing
        const double cy = rnd.uniform(-40, 40);
        const int strokes = 2 + rnd.below(4);
        for (int s = 0; s < strokes; ++s) {
            // Control points in the 1000 × 1000 cell, by the kind of stroke.
            std::vector<Vec> c;
            const double ax = rnd.uniform(150, 600), ay = rnd.uniform(150, 750);
            switch (rnd.below(6)) {
            case 0:  // 横: left to right, slightly rising
                c = {{ax - 100, ay}, {ax + 150, ay - 20}, {ax + 380, ay - 40}};
                break;
            case 1:  // 竖: top to bottom
                c = {{ax + 100, ay - 250}, {ax + 110, ay}, {ax + 100, ay + 250}};
                break;
            case 2:  // 撇: down to the left
                c = {{ax + 250, ay - 200}, {ax + 150, ay + 20}, {ax - 50, ay + 220}};
                break;
            case 3:  // 捺: down to the right, heavy at the end
                c = {{ax, ay - 180}, {ax + 180, ay + 40}, {ax + 400, ay + 200}};
                break;
            case 4:  // 点: short
                c = {{ax + 100, ay - 40}, {ax + 150, ay + 40}};
                break;
            default:  // 横折钩: right, down, a hook back
                c = {{ax - 50, ay - 150}, {ax + 300, ay - 170}, {ax + 280, ay + 200}, {ax + 200, ay + 150}};
                break;
            }
            for (auto& v : c) {
                v.x += rnd.uniform(-35, 35);
                v.y += rnd.uniform(-35, 35);
            }
            const int samples = 8 + rnd.below(10) + 6 * static_cast<int>(c.size());
            Stroke stroke;
            const double strength = rnd.uniform(0.7, 1.0);
            std::vector<Vec> path = spline(c, samples);
            for (int i = 0; i < samples; ++i) {
                const double u = double(i) / (samples - 1);
                const Vec& v = path[static_cast<std::size_t>(i)];
                Point p;
                p.y = cy + v.y;
                p.x = cx + v.x - slant * (v.y - 500);  // lean
                p.pressure = std::clamp(strength * (0.3 + 0.7 * std::pow(std::sin(std::numbers::pi * u), 0.6)) + rnd.uniform(-0.04, 0.04),
                                        0.05, 1.0);
                p.t_ms = t;
                t += 8;  // a 125 Hz pad
                stroke.push_back(p);
            }
            ink.strokes.push_back(std::move(stroke));
            t += static_cast<std::uint32_t>(120 + rnd.below(200));  // pen up, to the next stroke
        }
        t += static_cast<std::uint32_t>(150 + rnd.below(250));  // the next character
    }
    return ink;
}

}  // namespace ow::signature_ink
