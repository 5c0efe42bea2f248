// scanner-sane — scans through SANE.
// Actions:
//   devices {} → {"devices": [{"name", "vendor", "model", "type"}]}
//   scan {"device"?: name (default: settings.device, else the first device found),
//         "pages"?: N (default 1; with an ADF source: until the feeder is empty, at most N),
//         "resolution"?: dpi (default 150), "mode"?: "Color" | "Gray" (default "Color"),
//         "format"?: "png" | "pdf" | "both" (default "both"),
//         "output_dir"?: directory (default: a new temporary directory),
//         "options"?: {"sane-option-name": value, ...}}
//     → {"device", "resolution", "pages": [{"page", "width", "height", "png"?}], "pdf"?, "output_dir"}
// Files are written under a temporary name and renamed when complete.
#include "onewindow/plugin_sdk.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <sane/sane.h>
#include <sane/saneopts.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

namespace {

using nlohmann::json;
namespace sdk = ow::plugin_sdk;
namespace fs = std::filesystem;

struct Page {
    int width = 0;
    int height = 0;
    cairo_surface_t* surface = nullptr;  // RGB24
};

struct SurfaceDeleter {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};

std::string status_text(SANE_Status s) {
    return sane_strstatus(s);
}

class Device {
public:
    explicit Device(const std::string& name) {
        SANE_Status s = sane_open(name.c_str(), &h_);
        if (s != SANE_STATUS_GOOD)
            throw sdk::unavailable("no_scanner", "scanner '" + name + "' cannot be opened: " + status_text(s));
    }
    ~Device() {
        sane_cancel(h_);
        sane_close(h_);
    }
    Device(const Device&) = delete;
    Device& operator=(const Device&) = delete;

    SANE_Handle handle() const { return h_; }

    // Sets an option by name; false when the device has no such option (or it is inactive).
    bool set(const std::string& name, const json& value) {
        SANE_Int count = 0;
        if (sane_control_option(h_, 0, SANE_ACTION_GET_VALUE, &count, nullptr) != SANE_STATUS_GOOD) return false;
        for (SANE_Int i = 1; i < count; ++i) {
            const SANE_Option_Descriptor* d = sane_get_option_descriptor(h_, i);
            if (!d || !d->name || name != d->name) continue;
            if (!SANE_OPTION_IS_ACTIVE(d->cap) || !SANE_OPTION_IS_SETTABLE(d->cap)) return false;
            SANE_Status s = SANE_STATUS_INVAL;
            switch (d->type) {
            case SANE_TYPE_BOOL: {
                if (!value.is_boolean()) throw sdk::bad_request("option " + name + " needs true or false");
                SANE_Bool b = value.get<bool>() ? SANE_TRUE : SANE_FALSE;
                s = sane_control_option(h_, i, SANE_ACTION_SET_VALUE, &b, nullptr);
                break;
            }
            case SANE_TYPE_INT: {
                if (!value.is_number()) throw sdk::bad_request("option " + name + " needs a number");
                SANE_Int v = static_cast<SANE_Int>(value.get<double>());
                s = sane_control_option(h_, i, SANE_ACTION_SET_VALUE, &v, nullptr);
                break;
            }
            case SANE_TYPE_FIXED: {
                if (!value.is_number()) throw sdk::bad_request("option " + name + " needs a number");
                SANE_Fixed v = SANE_FIX(value.get<double>());
                s = sane_control_option(h_, i, SANE_ACTION_SET_VALUE, &v, nullptr);
                break;
            }
            case SANE_TYPE_STRING: {
                if (!value.is_string()) throw sdk::bad_request("option " + name + " needs a string");
                std::string v = value.get<std::string>();
                std::vector<char> buf(std::max<std::size_t>(static_cast<std::size_t>(d->size), v.size() + 1), '\0');
                std::memcpy(buf.data(), v.c_str(), v.size());
                s = sane_control_option(h_, i, SANE_ACTION_SET_VALUE, buf.data(), nullptr);
                break;
            }
            default:
                return false;
            }
            if (s != SANE_STATUS_GOOD)
                throw sdk::bad_request("the scanner refused option " + name + ": " + status_text(s));
            return true;
        }
        return false;
    }

    // The current value of a numeric option, or fallback.
    double get_number(const std::string& name, double fallback) {
        SANE_Int count = 0;
        if (sane_control_option(h_, 0, SANE_ACTION_GET_VALUE, &count, nullptr) != SANE_STATUS_GOOD) return fallback;
        for (SANE_Int i = 1; i < count; ++i) {
            const SANE_Option_Descriptor* d = sane_get_option_descriptor(h_, i);
            if (!d || !d->name || name != d->name || !SANE_OPTION_IS_ACTIVE(d->cap)) continue;
            SANE_Word w = 0;
            if (d->size != sizeof(SANE_Word) ||
                sane_control_option(h_, i, SANE_ACTION_GET_VALUE, &w, nullptr) != SANE_STATUS_GOOD)
                return fallback;
            if (d->type == SANE_TYPE_FIXED) return SANE_UNFIX(w);
            if (d->type == SANE_TYPE_INT) return w;
        }
        return fallback;
    }

    // Scans one page; std::nullopt when the feeder is empty.
    std::unique_ptr<cairo_surface_t, SurfaceDeleter> scan_page(bool& no_docs) {
        no_docs = false;
        SANE_Status s = sane_start(h_);
        if (s == SANE_STATUS_NO_DOCS) {
            no_docs = true;
            return nullptr;
        }
        if (s != SANE_STATUS_GOOD) throw sdk::failed("scan_failed", "the scan could not start: " + status_text(s));
        SANE_Parameters p{};
        s = sane_get_parameters(h_, &p);
        if (s != SANE_STATUS_GOOD) throw sdk::failed("scan_failed", "no scan parameters: " + status_text(s));
        if (p.format != SANE_FRAME_GRAY && p.format != SANE_FRAME_RGB)
            throw sdk::failed("unsupported", "multi-pass colour scanners are not supported; choose another mode");
        if (p.depth != 1 && p.depth != 8 && p.depth != 16)
            throw sdk::failed("unsupported", "unsupported bit depth " + std::to_string(p.depth));
        if (p.pixels_per_line <= 0 || p.bytes_per_line <= 0)
            throw sdk::failed("scan_failed", "the scanner reported an empty line");

        std::vector<unsigned char> data;
        std::vector<unsigned char> buf(64 * 1024);
        for (;;) {
            SANE_Int len = 0;
            s = sane_read(h_, buf.data(), static_cast<SANE_Int>(buf.size()), &len);
            if (s == SANE_STATUS_EOF) break;
            if (s != SANE_STATUS_GOOD) throw sdk::failed("scan_failed", "scanning failed: " + status_text(s));
            data.insert(data.end(), buf.begin(), buf.begin() + len);
            if (data.size() > std::size_t{1} << 30) throw sdk::failed("scan_failed", "page larger than 1 GiB");
        }
        const std::size_t bpl = static_cast<std::size_t>(p.bytes_per_line);
        const int lines = static_cast<int>(data.size() / bpl);
        if (lines <= 0) throw sdk::failed("scan_failed", "the scanner sent no image data");
        const int width = p.pixels_per_line;

        std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
            cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, lines));
        if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
            throw sdk::failed("out_of_memory", "no memory for the page image");
        cairo_surface_flush(surface.get());
        unsigned char* dst = cairo_image_surface_get_data(surface.get());
        const int stride = cairo_image_surface_get_stride(surface.get());
        const int channels = p.format == SANE_FRAME_RGB ? 3 : 1;
        auto sample = [&](const unsigned char* row, int x, int c) -> unsigned {
            int index = x * channels + c;
            if (p.depth == 8) return row[index];
            if (p.depth == 16) return row[index * 2 + 1];  // high byte (SANE: native order; little endian here)
            // 1 bit: 1 = black in SANE
            return (row[index / 8] & (0x80 >> (index % 8))) ? 0u : 255u;
        };
        for (int y = 0; y < lines; ++y) {
            const unsigned char* row = data.data() + static_cast<std::size_t>(y) * bpl;
            auto* out = reinterpret_cast<std::uint32_t*>(dst + static_cast<std::ptrdiff_t>(y) * stride);
            for (int x = 0; x < width; ++x) {
                unsigned r = sample(row, x, 0);
                unsigned g = channels == 3 ? sample(row, x, 1) : r;
                unsigned b = channels == 3 ? sample(row, x, 2) : r;
                out[x] = (r << 16) | (g << 8) | b;
            }
        }
        cairo_surface_mark_dirty(surface.get());
        return surface;
    }

private:
    SANE_Handle h_ = nullptr;
};

void write_png(cairo_surface_t* s, const fs::path& file) {
    fs::path tmp = file.string() + ".part";
    if (cairo_surface_write_to_png(s, tmp.c_str()) != CAIRO_STATUS_SUCCESS) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw sdk::failed("write_failed", "cannot write " + file.filename().string());
    }
    fs::rename(tmp, file);
}

void write_pdf(const std::vector<std::unique_ptr<cairo_surface_t, SurfaceDeleter>>& pages, double dpi,
               const fs::path& file) {
    fs::path tmp = file.string() + ".part";
    double scale = 72.0 / dpi;
    auto w0 = cairo_image_surface_get_width(pages.front().get()) * scale;
    auto h0 = cairo_image_surface_get_height(pages.front().get()) * scale;
    cairo_surface_t* pdf = cairo_pdf_surface_create(tmp.c_str(), w0, h0);
    cairo_t* cr = cairo_create(pdf);
    for (const auto& page : pages) {
        double w = cairo_image_surface_get_width(page.get()) * scale;
        double h = cairo_image_surface_get_height(page.get()) * scale;
        cairo_pdf_surface_set_size(pdf, w, h);
        cairo_save(cr);
        cairo_scale(cr, scale, scale);
        cairo_set_source_surface(cr, page.get(), 0, 0);
        cairo_paint(cr);
        cairo_restore(cr);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    cairo_status_t st = cairo_surface_status(pdf);
    cairo_surface_destroy(pdf);
    if (st != CAIRO_STATUS_SUCCESS) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw sdk::failed("write_failed", std::string("cannot write the PDF: ") + cairo_status_to_string(st));
    }
    fs::rename(tmp, file);
}

class ScannerSane : public sdk::Plugin {
public:
    explicit ScannerSane(const json& config) {
        default_device_ = config.value("settings", json::object()).value("device", std::string());
        SANE_Int version = 0;
        SANE_Status s = sane_init(&version, nullptr);
        if (s != SANE_STATUS_GOOD) init_error_ = "SANE could not start: " + status_text(s);
    }
    ~ScannerSane() override {
        if (init_error_.empty()) sane_exit();
    }

    json call(const std::string& action, const json& request) override {
        if (!init_error_.empty()) throw sdk::unavailable("no_sane", init_error_);
        if (action == "devices") return {{"devices", devices()}};
        if (action == "scan") return scan(request);
        throw sdk::unknown_action(action);
    }

private:
    json devices() {
        const SANE_Device** list = nullptr;
        json out = json::array();
        if (sane_get_devices(&list, SANE_TRUE) != SANE_STATUS_GOOD || !list) return out;
        for (int i = 0; list[i]; ++i) {
            auto str = [](const char* s) { return std::string(s ? s : ""); };
            out.push_back({{"name", str(list[i]->name)},
                           {"vendor", str(list[i]->vendor)},
                           {"model", str(list[i]->model)},
                           {"type", str(list[i]->type)}});
        }
        return out;
    }

    json scan(const json& request) {
        std::string name = request.value("device", default_device_);
        if (name.empty()) {
            json list = devices();
            if (list.empty()) throw sdk::unavailable("no_scanner", "no scanner found");
            name = list.front()["name"];
        }
        int pages = request.value("pages", 1);
        if (pages < 1 || pages > 500) throw sdk::bad_request("pages must be 1..500");
        double resolution = request.value("resolution", 150.0);
        if (resolution < 10 || resolution > 2400) throw sdk::bad_request("resolution must be 10..2400 dpi");
        std::string mode = request.value("mode", std::string("Color"));
        std::string format = request.value("format", std::string("both"));
        if (format != "png" && format != "pdf" && format != "both")
            throw sdk::bad_request("format must be png, pdf or both");

        fs::path out_dir;
        if (request.contains("output_dir")) {
            out_dir = request["output_dir"].get<std::string>();
            std::error_code ec;
            fs::create_directories(out_dir, ec);
            if (!fs::is_directory(out_dir)) throw sdk::bad_request("output_dir is not a directory");
        } else {
            std::string tmpl = (fs::temp_directory_path() / "onewindow-scan-XXXXXX").string();
            if (!::mkdtemp(tmpl.data())) throw sdk::failed("write_failed", "cannot make a temporary directory");
            out_dir = tmpl;
        }

        Device dev(name);
        if (name.rfind("test", 0) == 0) dev.set("test-picture", "Color pattern");  // SANE's test device
        dev.set(SANE_NAME_SCAN_MODE, mode);
        dev.set(SANE_NAME_SCAN_RESOLUTION, resolution);
        if (request.contains("options")) {
            if (!request["options"].is_object()) throw sdk::bad_request("options must be an object");
            for (const auto& [key, value] : request["options"].items())
                if (!dev.set(key, value)) throw sdk::bad_request("the scanner has no settable option " + key);
        }
        double dpi = dev.get_number(SANE_NAME_SCAN_RESOLUTION, resolution);
        if (dpi <= 0) dpi = resolution;

        std::vector<std::unique_ptr<cairo_surface_t, SurfaceDeleter>> images;
        json page_list = json::array();
        for (int i = 0; i < pages; ++i) {
            bool no_docs = false;
            auto img = dev.scan_page(no_docs);
            if (no_docs) break;
            json page = {{"page", i + 1},
                         {"width", cairo_image_surface_get_width(img.get())},
                         {"height", cairo_image_surface_get_height(img.get())}};
            if (format != "pdf") {
                char fname[32];
                std::snprintf(fname, sizeof fname, "page-%03d.png", i + 1);
                write_png(img.get(), out_dir / fname);
                page["png"] = (out_dir / fname).string();
            }
            page_list.push_back(page);
            images.push_back(std::move(img));
        }
        if (images.empty()) throw sdk::failed("no_docs", "the document feeder is empty");
        json out = {{"device", name}, {"resolution", dpi}, {"pages", page_list}, {"output_dir", out_dir.string()}};
        if (format != "png") {
            write_pdf(images, dpi, out_dir / "scan.pdf");
            out["pdf"] = (out_dir / "scan.pdf").string();
        }
        return out;
    }

    std::string default_device_;
    std::string init_error_;
};

}  // namespace

OW_PLUGIN_DEFINE(ScannerSane, "scanner-sane", OW_PLUGIN_VERSION)
