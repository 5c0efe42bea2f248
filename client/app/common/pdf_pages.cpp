// PdfPages (poppler-cpp), thumbnails (cairo for PNG, a small reader for PNM, Poppler for PDF) and
// PdfRenderer (one worker thread, newest request first).
#include "common/pdf_pages.h"

#include "ow/core/error.h"
#include "ow/core/i18n.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <cairo.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <limits>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace ow::app {

namespace {

constexpr double kMaxPixels = 100e6;  // a render larger than this is refused (memory, time)

void silence_poppler() {
    // Poppler prints syntax errors of damaged files to stderr; the caller gets a core::Error.
    static std::once_flag once;
    std::call_once(once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

[[noreturn]] void no_such_page(int page, int count) {
    throw core::Error("pdf.no_such_page", OW_N_("the PDF has no such page") + std::string(": ") + std::to_string(page + 1) +
                                              " / " + std::to_string(count));
}

/// A poppler argb32 image (4 bytes a pixel, native-endian 0xAARRGGBB, premultiplied) → RGB on white.
RgbImage to_rgb(const poppler::image& img) {
    RgbImage out;
    out.width = img.width();
    out.height = img.height();
    out.stride = out.width * 3;
    out.bytes.resize(static_cast<std::size_t>(out.stride) * out.height);
    const char* src = img.const_data();
    const int src_stride = img.bytes_per_row();
    for (int y = 0; y < out.height; ++y) {
        const auto* row = reinterpret_cast<const std::uint32_t*>(src + static_cast<std::ptrdiff_t>(y) * src_stride);
        std::uint8_t* dst = out.bytes.data() + static_cast<std::size_t>(y) * out.stride;
        for (int x = 0; x < out.width; ++x) {
            const std::uint32_t p = row[x];
            std::uint32_t r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
            const std::uint32_t a = p >> 24;  // opaque on the white paper colour; else composite on white
            r += 255 - a;
            g += 255 - a;
            b += 255 - a;
            dst[3 * x] = static_cast<std::uint8_t>(std::min<std::uint32_t>(r, 255));
            dst[3 * x + 1] = static_cast<std::uint8_t>(std::min<std::uint32_t>(g, 255));
            dst[3 * x + 2] = static_cast<std::uint8_t>(std::min<std::uint32_t>(b, 255));
        }
    }
    return out;
}

// Defined with the thumbnails below.
RgbImage downscale(const RgbImage& src, int w, int h);
RgbImage resample(const RgbImage& src, int w, int h);
RgbImage read_png(const std::string& bytes);
bool is_png(const std::string& bytes) { return bytes.size() >= 8 && bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0; }

}  // namespace

struct PdfPages::Impl {
    std::string bytes;
    std::unique_ptr<poppler::document> doc;
    std::optional<RgbImage> image;  // a PNG: its pixels (no doc)
    int count = 0;
    std::vector<PageSize> sizes;
    std::size_t cache_capacity = 0;
    struct Entry {
        int page;
        double scale;
        RgbImage image;
    };
    std::list<Entry> cache;  // most recently used first
    std::size_t hits = 0, misses = 0;

    void check_page(int page) const {
        if (page < 0 || page >= count) no_such_page(page, count);
    }
};

PdfPages::PdfPages(std::string bytes, std::size_t cache_pages) : impl_(std::make_unique<Impl>()) {
    silence_poppler();
    if (bytes.empty()) throw core::Error("pdf.empty", OW_N_("the PDF is empty"));
    impl_->bytes = std::move(bytes);
    impl_->cache_capacity = cache_pages;
    if (is_png(impl_->bytes)) {  // a scan: one page, its pixels at 96 dpi
        impl_->image = read_png(impl_->bytes);
        impl_->count = 1;
        impl_->sizes.push_back(PageSize{impl_->image->width * 0.75, impl_->image->height * 0.75});
        return;
    }
    // Cheap sanity first: Poppler reconstructs damaged files eagerly, but a file without the
    // header is not a PDF at all.
    if (impl_->bytes.size() < 8 || impl_->bytes.find("%PDF-") > 1024)
        throw core::Error("pdf.unreadable", OW_N_("the file is not a readable PDF"));
    if (impl_->bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw core::Error("pdf.unreadable", OW_N_("the file is not a readable PDF"));
    impl_->doc.reset(poppler::document::load_from_raw_data(impl_->bytes.data(), static_cast<int>(impl_->bytes.size())));
    if (!impl_->doc) throw core::Error("pdf.unreadable", OW_N_("the file is not a readable PDF"));
    if (impl_->doc->is_locked()) throw core::Error("pdf.encrypted", OW_N_("the PDF is protected by a password"));
    impl_->count = impl_->doc->pages();
    if (impl_->count <= 0) throw core::Error("pdf.no_pages", OW_N_("the PDF has no pages"));
    impl_->sizes.reserve(static_cast<std::size_t>(impl_->count));
    for (int i = 0; i < impl_->count; ++i) {
        std::unique_ptr<poppler::page> p(impl_->doc->create_page(i));
        if (!p) throw core::Error("pdf.unreadable", OW_N_("the file is not a readable PDF"));
        const poppler::rectf r = p->page_rect(poppler::crop_box);
        const auto o = p->orientation();
        const bool turned = o == poppler::page::landscape || o == poppler::page::seascape;
        PageSize s{turned ? r.height() : r.width(), turned ? r.width() : r.height()};
        if (!(s.width_pt > 0) || !(s.height_pt > 0)) throw core::Error("pdf.unreadable", OW_N_("the file is not a readable PDF"));
        impl_->sizes.push_back(s);
    }
}

PdfPages::~PdfPages() = default;

int PdfPages::page_count() const { return impl_->count; }

PageSize PdfPages::page_size(int page) const {
    impl_->check_page(page);
    return impl_->sizes[static_cast<std::size_t>(page)];
}

double PdfPages::scale_for_width(int page, int width_px) const {
    const PageSize s = page_size(page);
    if (width_px <= 0) throw core::Error("pdf.bad_scale", OW_N_("the page cannot be drawn at this size"));
    return width_px / s.width_pt;
}

RgbImage PdfPages::render(int page, double scale) {
    impl_->check_page(page);
    const PageSize s = impl_->sizes[static_cast<std::size_t>(page)];
    if (!(scale > 0) || s.width_pt * scale * s.height_pt * scale > kMaxPixels)
        throw core::Error("pdf.bad_scale", OW_N_("the page cannot be drawn at this size"));
    for (auto it = impl_->cache.begin(); it != impl_->cache.end(); ++it) {
        if (it->page == page && it->scale == scale) {
            ++impl_->hits;
            impl_->cache.splice(impl_->cache.begin(), impl_->cache, it);
            return impl_->cache.front().image;
        }
    }
    ++impl_->misses;
    RgbImage out = impl_->image ? resample(*impl_->image, std::max(1, static_cast<int>(std::lround(s.width_pt * scale))),
                                            std::max(1, static_cast<int>(std::lround(s.height_pt * scale))))
                                : render_pdf_page(page, scale);
    if (impl_->cache_capacity > 0) {
        impl_->cache.push_front(Impl::Entry{page, scale, out});
        while (impl_->cache.size() > impl_->cache_capacity) impl_->cache.pop_back();
    }
    return out;
}

RgbImage PdfPages::render_pdf_page(int page, double scale) {
    std::unique_ptr<poppler::page> p(impl_->doc->create_page(page));
    if (!p) throw core::Error("pdf.render_failed", OW_N_("the page could not be drawn"));
    poppler::page_renderer r;
    r.set_render_hint(poppler::page_renderer::antialiasing, true);
    r.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    r.set_render_hint(poppler::page_renderer::text_hinting, true);
    r.set_image_format(poppler::image::format_argb32);
    r.set_paper_color(0xffffffff);
    const double dpi = 72.0 * scale;
    const poppler::image img = r.render_page(p.get(), dpi, dpi);
    if (!img.is_valid() || img.format() != poppler::image::format_argb32 || img.width() <= 0 || img.height() <= 0 ||
        img.bytes_per_row() < img.width() * 4)
        throw core::Error("pdf.render_failed", OW_N_("the page could not be drawn"));
    return to_rgb(img);
}

RgbImage PdfPages::render_width(int page, int width_px) { return render(page, scale_for_width(page, width_px)); }

std::size_t PdfPages::cache_hits() const { return impl_->hits; }
std::size_t PdfPages::cache_misses() const { return impl_->misses; }
const std::string& PdfPages::bytes() const { return impl_->bytes; }

// ---------------------------------------------------------------------------------------------
// Thumbnails

namespace {

void check_max(int max_width, int max_height) {
    if (max_width <= 0 || max_height <= 0)
        throw core::Error("thumbnail.bad_size", OW_N_("the thumbnail size must be positive"));
}

/// Fits (w, h) into (max_w, max_h), never larger than the source; at least 1×1.
std::pair<int, int> fit(double w, double h, int max_w, int max_h) {
    const double k = std::min({1.0, max_w / w, max_h / h});
    return {std::max(1, static_cast<int>(std::lround(w * k))), std::max(1, static_cast<int>(std::lround(h * k)))};
}

/// Box-filter downscale of an RGB image (each target pixel the mean of the source pixels it covers).
RgbImage downscale(const RgbImage& src, int w, int h) {
    if (w == src.width && h == src.height) return src;
    RgbImage out;
    out.width = w;
    out.height = h;
    out.stride = w * 3;
    out.bytes.resize(static_cast<std::size_t>(out.stride) * h);
    for (int y = 0; y < h; ++y) {
        const int y0 = static_cast<int>(static_cast<long long>(y) * src.height / h);
        const int y1 = std::max(y0 + 1, static_cast<int>(static_cast<long long>(y + 1) * src.height / h));
        for (int x = 0; x < w; ++x) {
            const int x0 = static_cast<int>(static_cast<long long>(x) * src.width / w);
            const int x1 = std::max(x0 + 1, static_cast<int>(static_cast<long long>(x + 1) * src.width / w));
            unsigned long sum[3] = {0, 0, 0};
            for (int yy = y0; yy < y1; ++yy)
                for (int xx = x0; xx < x1; ++xx) {
                    const std::uint8_t* p = src.at(xx, yy);
                    sum[0] += p[0];
                    sum[1] += p[1];
                    sum[2] += p[2];
                }
            const unsigned long n = static_cast<unsigned long>((y1 - y0) * (x1 - x0));
            std::uint8_t* d = out.bytes.data() + static_cast<std::size_t>(y) * out.stride + static_cast<std::size_t>(x) * 3;
            for (int c = 0; c < 3; ++c) d[c] = static_cast<std::uint8_t>(sum[c] / n);
        }
    }
    return out;
}

/// Bilinear upscale (w ≥ src.width and h ≥ src.height): a scan narrower than the canvas stays smooth.
RgbImage upscale(const RgbImage& src, int w, int h) {
    RgbImage out;
    out.width = w;
    out.height = h;
    out.stride = w * 3;
    out.bytes.resize(static_cast<std::size_t>(out.stride) * h);
    const double kx = w > 1 ? double(src.width - 1) / (w - 1) : 0, ky = h > 1 ? double(src.height - 1) / (h - 1) : 0;
    for (int y = 0; y < h; ++y) {
        const double fy = y * ky;
        const int y0 = std::min(src.height - 1, static_cast<int>(fy)), y1 = std::min(src.height - 1, y0 + 1);
        const double ty = fy - y0;
        std::uint8_t* d = out.bytes.data() + static_cast<std::size_t>(y) * out.stride;
        for (int x = 0; x < w; ++x) {
            const double fx = x * kx;
            const int x0 = std::min(src.width - 1, static_cast<int>(fx)), x1 = std::min(src.width - 1, x0 + 1);
            const double tx = fx - x0;
            const std::uint8_t *a = src.at(x0, y0), *b = src.at(x1, y0), *c = src.at(x0, y1), *e = src.at(x1, y1);
            for (int k = 0; k < 3; ++k) {
                const double top = a[k] + (b[k] - a[k]) * tx, bottom = c[k] + (e[k] - c[k]) * tx;
                d[3 * x + k] = static_cast<std::uint8_t>(std::lround(top + (bottom - top) * ty));
            }
        }
    }
    return out;
}

/// The image at w × h: box filter down, bilinear up (either way in both directions at once).
RgbImage resample(const RgbImage& src, int w, int h) {
    if (w >= src.width && h >= src.height) return w == src.width && h == src.height ? src : upscale(src, w, h);
    return downscale(src, w, h);
}

[[noreturn]] void unreadable_image() {
    throw core::Error("thumbnail.unreadable", OW_N_("the scan's image cannot be read"));
}

RgbImage read_png(const std::string& bytes) {
    struct Reader {
        const std::string* s;
        std::size_t pos = 0;
    } reader{&bytes};
    cairo_surface_t* surf = cairo_image_surface_create_from_png_stream(
        [](void* closure, unsigned char* data, unsigned int length) -> cairo_status_t {
            auto* r = static_cast<Reader*>(closure);
            if (r->s->size() - r->pos < length) return CAIRO_STATUS_READ_ERROR;
            std::memcpy(data, r->s->data() + r->pos, length);
            r->pos += length;
            return CAIRO_STATUS_SUCCESS;
        },
        &reader);
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> guard(surf, cairo_surface_destroy);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) unreadable_image();
    cairo_surface_flush(surf);
    const cairo_format_t fmt = cairo_image_surface_get_format(surf);
    const int w = cairo_image_surface_get_width(surf), h = cairo_image_surface_get_height(surf);
    const int stride = cairo_image_surface_get_stride(surf);
    const unsigned char* data = cairo_image_surface_get_data(surf);
    if (!data || w <= 0 || h <= 0 || static_cast<double>(w) * static_cast<double>(h) > kMaxPixels) unreadable_image();
    RgbImage out;
    out.width = w;
    out.height = h;
    out.stride = w * 3;
    out.bytes.resize(static_cast<std::size_t>(out.stride) * h);
    for (int y = 0; y < h; ++y) {
        const unsigned char* row = data + static_cast<std::ptrdiff_t>(y) * stride;
        std::uint8_t* d = out.bytes.data() + static_cast<std::size_t>(y) * out.stride;
        for (int x = 0; x < w; ++x) {
            std::uint32_t r = 0, g = 0, b = 0;
            switch (fmt) {
            case CAIRO_FORMAT_ARGB32:
            case CAIRO_FORMAT_RGB24: {
                std::uint32_t p;
                std::memcpy(&p, row + 4 * x, 4);
                r = (p >> 16) & 0xff;
                g = (p >> 8) & 0xff;
                b = p & 0xff;
                if (fmt == CAIRO_FORMAT_ARGB32) {  // premultiplied: on white
                    const std::uint32_t a = p >> 24;
                    r = std::min<std::uint32_t>(255, r + 255 - a);
                    g = std::min<std::uint32_t>(255, g + 255 - a);
                    b = std::min<std::uint32_t>(255, b + 255 - a);
                }
                break;
            }
            case CAIRO_FORMAT_A8: {  // grey PNGs with alpha only are rare; black ink on white
                const std::uint32_t a = row[x];
                r = g = b = 255 - a;
                break;
            }
            default: unreadable_image();
            }
            d[3 * x] = static_cast<std::uint8_t>(r);
            d[3 * x + 1] = static_cast<std::uint8_t>(g);
            d[3 * x + 2] = static_cast<std::uint8_t>(b);
        }
    }
    return out;
}

/// Binary PNM: P5 (grey) or P6 (RGB), maxval ≤ 255 (what scanimage --format=pnm writes at 8 bits).
RgbImage read_pnm(const std::string& s) {
    std::size_t pos = 2;
    auto next_int = [&]() -> long {
        for (;;) {
            while (pos < s.size() && std::isspace(static_cast<unsigned char>(s[pos]))) ++pos;
            if (pos < s.size() && s[pos] == '#') {
                while (pos < s.size() && s[pos] != '\n') ++pos;
                continue;
            }
            break;
        }
        long v = 0;
        const std::size_t start = pos;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])) && pos - start < 9) v = v * 10 + (s[pos++] - '0');
        if (pos == start) unreadable_image();
        return v;
    };
    const bool rgb = s[1] == '6';
    const long w = next_int(), h = next_int(), maxval = next_int();
    if (w <= 0 || h <= 0 || maxval <= 0 || maxval > 255 || static_cast<double>(w) * static_cast<double>(h) > kMaxPixels) unreadable_image();
    ++pos;  // the one whitespace byte after maxval
    const std::size_t channels = rgb ? 3 : 1;
    const std::size_t need = static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * channels;
    if (pos > s.size() || s.size() - pos < need) unreadable_image();
    RgbImage out;
    out.width = static_cast<int>(w);
    out.height = static_cast<int>(h);
    out.stride = out.width * 3;
    out.bytes.resize(static_cast<std::size_t>(out.stride) * out.height);
    const auto* src = reinterpret_cast<const std::uint8_t*>(s.data() + pos);
    for (std::size_t i = 0, n = static_cast<std::size_t>(w) * h; i < n; ++i) {
        for (std::size_t c = 0; c < 3; ++c) {
            const unsigned v = src[i * channels + (rgb ? c : 0)];
            out.bytes[i * 3 + c] = static_cast<std::uint8_t>(v * 255 / static_cast<unsigned>(maxval));
        }
    }
    return out;
}

}  // namespace

RgbImage render_pdf_thumbnail(std::string pdf_bytes, int max_width, int max_height) {
    check_max(max_width, max_height);
    PdfPages pdf(std::move(pdf_bytes), 0);
    const PageSize s = pdf.page_size(0);
    const double k = std::min(max_width / s.width_pt, max_height / s.height_pt);
    RgbImage img = pdf.render(0, k);
    // Rounding inside Poppler may exceed the box by a pixel: trim.
    if (img.width > max_width || img.height > max_height) {
        const auto [w, h] = fit(img.width, img.height, max_width, max_height);
        img = downscale(img, w, h);
    }
    return img;
}

RgbImage render_thumbnail(const std::filesystem::path& file, int max_width, int max_height) {
    check_max(max_width, max_height);
    std::ifstream in(file, std::ios::binary);
    if (!in) throw core::Error("thumbnail.unreadable", OW_N_("the scan's image cannot be read"));
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) unreadable_image();
    return render_bytes_thumbnail(std::move(bytes), max_width, max_height);
}

RgbImage render_bytes_thumbnail(std::string bytes, int max_width, int max_height) {
    check_max(max_width, max_height);
    if (bytes.compare(0, 5, "%PDF-") == 0) return render_pdf_thumbnail(std::move(bytes), max_width, max_height);
    RgbImage full;
    if (is_png(bytes))
        full = read_png(bytes);
    else if (bytes.size() >= 3 && bytes[0] == 'P' && (bytes[1] == '5' || bytes[1] == '6') && std::isspace(static_cast<unsigned char>(bytes[2])))
        full = read_pnm(bytes);
    else
        throw core::Error("thumbnail.format", OW_N_("the scan is not a PNG, PNM or PDF file"));
    const auto [w, h] = fit(full.width, full.height, max_width, max_height);
    return downscale(full, w, h);
}

// ---------------------------------------------------------------------------------------------
// PdfRenderer

std::vector<int> prefetch_pages(int page, int count) {
    std::vector<int> out;
    if (page >= 0 && page < count - 1) out.push_back(page + 1);
    if (page >= 1 && page - 1 < count) out.push_back(page - 1);
    return out;
}

struct PdfRenderer::Impl {
    Post post;
    std::function<void(const Opened&)> on_opened;
    std::function<void(const Rendered&)> on_rendered;

    std::mutex mu;
    std::condition_variable cv;
    bool stop = false;
    std::uint64_t generation = 0;
    std::optional<std::string> to_open;  // new bytes (or an empty string for close) of `generation`
    bool to_close = false;
    struct Request {
        int page;
        double scale;
        int width_px;
        std::vector<int> ahead;
    };
    std::optional<Request> pending;
    std::vector<int> ahead;     // pages to render into the cache, in order, as ahead_how
    Request ahead_how{0, 0, 0, {}};
    std::size_t ahead_done = 0;
    std::thread worker;

    void run();
};

PdfRenderer::PdfRenderer(Post post, std::function<void(const Opened&)> on_opened, std::function<void(const Rendered&)> on_rendered)
    : impl_(std::make_unique<Impl>()) {
    impl_->post = std::move(post);
    impl_->on_opened = std::move(on_opened);
    impl_->on_rendered = std::move(on_rendered);
    impl_->worker = std::thread([impl = impl_.get()] { impl->run(); });
}

PdfRenderer::~PdfRenderer() {
    {
        std::lock_guard lock(impl_->mu);
        impl_->stop = true;
        impl_->pending.reset();
        impl_->to_open.reset();
    }
    impl_->cv.notify_all();
    impl_->worker.join();
}

std::uint64_t PdfRenderer::open(std::string bytes) {
    std::uint64_t g;
    {
        std::lock_guard lock(impl_->mu);
        g = ++impl_->generation;
        impl_->to_open = std::move(bytes);
        impl_->to_close = false;
        impl_->pending.reset();
        impl_->ahead.clear();
    }
    impl_->cv.notify_all();
    return g;
}

std::uint64_t PdfRenderer::close() {
    std::uint64_t g;
    {
        std::lock_guard lock(impl_->mu);
        g = ++impl_->generation;
        impl_->to_open.reset();
        impl_->to_close = true;
        impl_->pending.reset();
        impl_->ahead.clear();
    }
    impl_->cv.notify_all();
    return g;
}

void PdfRenderer::request(int page, double scale, int width_px, std::vector<int> ahead) {
    {
        std::lock_guard lock(impl_->mu);
        impl_->pending = Impl::Request{page, scale, width_px, std::move(ahead)};
        impl_->ahead.clear();
    }
    impl_->cv.notify_all();
}

std::size_t PdfRenderer::rendered_ahead() const {
    std::lock_guard lock(impl_->mu);
    return impl_->ahead_done;
}

std::uint64_t PdfRenderer::generation() const {
    std::lock_guard lock(impl_->mu);
    return impl_->generation;
}

void PdfRenderer::Impl::run() {
    std::unique_ptr<PdfPages> doc;  // confined to this thread
    std::uint64_t doc_generation = 0;
    std::unique_lock lock(mu);
    for (;;) {
        cv.wait(lock, [&] {
            return stop || to_open || to_close || ((pending || !ahead.empty()) && doc_generation == generation);
        });
        if (stop) return;
        if (to_close) {
            to_close = false;
            doc.reset();
            doc_generation = generation;
            continue;
        }
        if (to_open) {
            std::string bytes = std::move(*to_open);
            to_open.reset();
            const std::uint64_t g = generation;
            lock.unlock();
            Opened o;
            o.generation = g;
            doc.reset();
            try {
                doc = std::make_unique<PdfPages>(std::move(bytes));
                o.ok = true;
                for (int i = 0; i < doc->page_count(); ++i) o.pages.push_back(doc->page_size(i));
            } catch (const core::Error& e) {
                o.error_code = e.code();
                o.error = e.what();
            } catch (const std::exception& e) {
                o.error_code = "pdf.unreadable";
                o.error = e.what();
            }
            lock.lock();
            doc_generation = g;
            if (stop) return;
            if (g == generation) post([cb = on_opened, o = std::move(o)] { cb(o); });
            continue;
        }
        if (!pending) {  // nothing asked: render a page ahead into the cache
            const int page = ahead.front();
            const Request how = ahead_how;
            ahead.erase(ahead.begin());
            lock.unlock();
            bool done = false;
            try {
                if (doc && page >= 0 && page < doc->page_count()) {
                    doc->render(page, how.width_px > 0 ? doc->scale_for_width(page, how.width_px) : how.scale);
                    done = true;
                }
            } catch (const std::exception&) {
                // the page will be asked for again if wanted, and its error told then
            }
            lock.lock();
            if (done) ++ahead_done;
            continue;
        }
        Request req = std::move(*pending);
        pending.reset();
        const std::uint64_t g = generation;
        lock.unlock();
        Rendered r;
        r.generation = g;
        r.page = req.page;
        r.width_px = req.width_px;
        const auto t0 = std::chrono::steady_clock::now();
        try {
            if (!doc) throw core::Error("pdf.unreadable", OW_N_("the file is not a readable PDF"));
            r.scale = req.width_px > 0 ? doc->scale_for_width(req.page, req.width_px) : req.scale;
            const std::size_t hits = doc->cache_hits();
            r.image = doc->render(req.page, r.scale);
            r.from_cache = doc->cache_hits() > hits;
            r.ok = true;
        } catch (const core::Error& e) {
            r.error_code = e.code();
            r.error = e.what();
        } catch (const std::exception& e) {
            r.error_code = "pdf.render_failed";
            r.error = e.what();
        }
        r.render_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        lock.lock();
        if (stop) return;
        if (g == generation) {
            if (r.ok && !pending) {  // then the pages ahead, as this one was asked (width or scale)
                ahead = std::move(req.ahead);
                ahead_how = Request{req.page, req.scale, req.width_px, {}};
            }
            post([cb = on_rendered, r = std::move(r)] { cb(r); });
        }
    }
}

}  // namespace ow::app
