// A PDF's pages as pixels, for the desk's previews (the notice at intake step 6, the chief
// representative's page viewer of issue 18) and thumbnails (the materials step's scans). Free of wx.
//
// The notice PDF holds personal data: PdfPages opens it from bytes in memory and never writes it
// anywhere. Rendering is poppler-cpp's (Splash); images are plain RGB buffers the views copy into
// their toolkit's image.
//
// Threads: a poppler-cpp document is not thread-safe. A PdfPages object may be used from one thread
// at a time (it has no lock of its own); distinct PdfPages objects — even over the same bytes — may
// be used from distinct threads at once. PdfRenderer below confines one PdfPages to its own worker
// thread and hands results back through a post function, so a view never blocks on Poppler.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ow::app {

/// Pixels: `height` rows of `stride` bytes, each row `width` pixels of 3 bytes R, G, B (no alpha:
/// transparent PDF areas are white). stride == width * 3 for images made here.
struct RgbImage {
    int width = 0;
    int height = 0;
    int stride = 0;
    std::vector<std::uint8_t> bytes;

    bool empty() const { return width <= 0 || height <= 0; }
    /// The pixel at (x, y): {r, g, b}. Precondition: inside the image.
    const std::uint8_t* at(int x, int y) const { return bytes.data() + static_cast<std::size_t>(y) * stride + static_cast<std::size_t>(x) * 3; }
};

/// A page's size in PDF points (1/72 inch), after the page's /Rotate.
struct PageSize {
    double width_pt = 0;
    double height_pt = 0;
};

/// One open PDF, in memory, with a small LRU cache of rendered pages keyed by (page, scale). A PNG
/// image (a material's scan) opens as a one-page document whose page is the image at 96 dpi, so
/// that 100 % on a 96-dpi screen shows its pixels one to one.
class PdfPages {
public:
    /// Opens `bytes` (kept inside the object; never written to disk): a PDF, or a PNG (told by its
    /// signature). `cache_pages`: how many rendered pages the LRU cache keeps (0: no cache).
    /// Throws core::Error: "pdf.empty" (no bytes), "pdf.unreadable" (not a PDF, or damaged beyond
    /// repair, e.g. truncated), "pdf.encrypted" (needs a password), "pdf.no_pages" (zero pages),
    /// "thumbnail.unreadable" (a PNG that cannot be decoded).
    explicit PdfPages(std::string bytes, std::size_t cache_pages = 8);
    ~PdfPages();
    PdfPages(const PdfPages&) = delete;
    PdfPages& operator=(const PdfPages&) = delete;

    /// Pages in the document (at least 1).
    int page_count() const;
    /// Page `page` (0-based) in points. Throws core::Error "pdf.no_such_page" when out of range.
    PageSize page_size(int page) const;
    /// Renders page `page` (0-based) at `scale` pixels per point (1.0 = 72 dpi), white background,
    /// antialiased. Served from the cache when the same (page, scale) was rendered lately.
    /// Throws core::Error "pdf.no_such_page", "pdf.bad_scale" (scale <= 0, or an image larger
    /// than 100 megapixels), "pdf.render_failed" (Poppler produced no image).
    RgbImage render(int page, double scale);
    /// The scale at which page `page` is `width_px` pixels wide. Throws as page_size.
    double scale_for_width(int page, int width_px) const;
    /// render(page, scale_for_width(page, width_px)).
    RgbImage render_width(int page, int width_px);

    /// Cache counters since opening (for tests and benches).
    std::size_t cache_hits() const;
    std::size_t cache_misses() const;
    /// The bytes this document was opened from.
    const std::string& bytes() const;

private:
    RgbImage render_pdf_page(int page, double scale);  ///< Poppler, no cache

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// A thumbnail of a scan no larger than max_width × max_height pixels (aspect kept, never scaled
/// up beyond the source's pixels): a PNG or PNM (P5/P6) image file — what the SANE scanner plugin
/// and scanimage write — or a PDF's first page. The format is told by the file's first bytes.
/// Throws core::Error: "thumbnail.unreadable" (missing or unreadable file), "thumbnail.format"
/// (not PNG, PNM or PDF — JPEG and TIFF are not read), "thumbnail.bad_size" (max <= 0), or the
/// "pdf.*" errors of PdfPages for a bad PDF.
RgbImage render_thumbnail(const std::filesystem::path& file, int max_width, int max_height);
/// The same for a PDF held in memory (its first page).
RgbImage render_pdf_thumbnail(std::string pdf_bytes, int max_width, int max_height);
/// The same for a file's bytes held in memory (PNG, PNM or PDF; the page viewer's documents).
RgbImage render_bytes_thumbnail(std::string bytes, int max_width, int max_height);

/// The pages worth rendering ahead once page `page` (0-based) of a `count`-page document is on
/// screen: the next page, then the previous one, those that exist. Paging forward, the usual way
/// through a document, then finds its page rendered already.
std::vector<int> prefetch_pages(int page, int count);

/// Renders one document's pages on a worker thread of its own, newest request first: a request
/// made while another is pending replaces it, so paging fast through a long PDF renders only the
/// pages the user stops at. Once a requested page is done and nothing else is asked, the worker
/// renders the request's `ahead` pages at the same scale into the document's cache (posting
/// nothing), so that paging on is served from the cache. Results come back through `post` (the desk: CallAfter guarded by a
/// weak reference) tagged with the generation of the request; a caller keeps only the newest.
/// The destructor stops the worker and waits for it (a render in progress finishes first); no
/// result is posted after the destructor returns.
class PdfRenderer {
public:
    using Post = std::function<void(std::function<void()>)>;

    /// What the worker found when it opened the bytes.
    struct Opened {
        std::uint64_t generation = 0;
        bool ok = false;
        std::string error_code;         ///< core::Error code when !ok
        std::string error;              ///< its English message when !ok
        std::vector<PageSize> pages;    ///< every page's size when ok
    };
    /// A rendered page (or why not).
    struct Rendered {
        std::uint64_t generation = 0;
        int page = 0;
        double scale = 0;
        int width_px = 0;               ///< as requested (0: asked by scale)
        bool ok = false;
        std::string error_code;
        std::string error;
        RgbImage image;
        double render_ms = 0;           ///< time on the worker (open excluded)
        bool from_cache = false;        ///< served from the cache (rendered ahead, or seen lately)
    };

    PdfRenderer(Post post, std::function<void(const Opened&)> on_opened, std::function<void(const Rendered&)> on_rendered);
    ~PdfRenderer();
    PdfRenderer(const PdfRenderer&) = delete;
    PdfRenderer& operator=(const PdfRenderer&) = delete;

    /// Opens new bytes (the old document is dropped) and returns the new generation; the worker
    /// posts on_opened with it. Pending renders of older generations are dropped.
    std::uint64_t open(std::string bytes);
    /// Drops the document (and pending work); returns the new generation.
    std::uint64_t close();
    /// Asks for page `page` at `scale` (or, with width_px > 0, at the width; scale is then ignored)
    /// in the current generation; replaces a pending request and drops pages still to render
    /// ahead. Out-of-range pages come back !ok. `ahead`: pages to render into the cache after it
    /// (e.g. prefetch_pages(page, count)); out-of-range ones are skipped.
    void request(int page, double scale, int width_px = 0, std::vector<int> ahead = {});
    /// The current generation (results of others are stale).
    std::uint64_t generation() const;
    /// Pages rendered ahead so far (for tests and benches).
    std::size_t rendered_ahead() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ow::app
