#include "ow/notices/renderer.h"

#include "context.h"
#include "layout.h"

#include <cairo-pdf.h>
#include <qrencode.h>

#include <algorithm>
#include <cstdio>
#include <fcntl.h>
#include <random>
#include <unistd.h>

namespace ow::notices {

using nlohmann::json;
using detail::Flow;
using detail::kMm;
using detail::LayoutPtr;
using detail::TextStyle;

namespace {

struct CairoDeleter {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
    void operator()(cairo_t* c) const { cairo_destroy(c); }
    void operator()(QRcode* q) const { QRcode_free(q); }
};

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
    try {
        static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
        return CAIRO_STATUS_SUCCESS;
    } catch (...) {
        return CAIRO_STATUS_WRITE_ERROR;
    }
}

double num(const json& b, const char* key, double fallback) {
    return b.contains(key) && b.at(key).is_number() ? b.at(key).get<double>() : fallback;
}

PangoAlignment alignment(const json& b, PangoAlignment fallback) {
    if (!b.contains("align")) return fallback;
    auto a = b.at("align").get<std::string>();
    if (a == "center") return PANGO_ALIGN_CENTER;
    if (a == "right") return PANGO_ALIGN_RIGHT;
    return PANGO_ALIGN_LEFT;
}

TextStyle style_of(const json& b, TextStyle s) {
    s.size = num(b, "size", s.size);
    s.indent_em = num(b, "indent", s.indent_em);
    s.align = alignment(b, s.align);
    if (s.align != PANGO_ALIGN_LEFT) s.justify = false;
    if (b.contains("bold")) s.bold = b.at("bold").get<bool>();
    if (b.contains("font")) s.sans = b.at("font") == "sans";
    return s;
}

constexpr double kPad = 1.1 * kMm;   // cell padding, top and bottom
// Cell padding left and right. Neighbouring cells' text must stay well apart (> 1 em) or
// pdftotext reads two cells' lines as one line, breaking the reading order.
constexpr double kPadX = 2.0 * kMm;

// Renders the blocks of one template into a flow.
class BlockRenderer {
public:
    BlockRenderer(Flow& flow, const detail::Expander& ex) : flow_(flow), ex_(ex) {}

    void run(const json& blocks) {
        for (const auto& b : blocks) {
            if (b.contains("when") && !ex_.truthy(b.at("when").get<std::string>())) continue;
            auto type = b.at("type").get<std::string>();
            if (type != "running_header") {
                previous_ = current_;
                current_ = flow_.mark();
            }
            flow_.space(num(b, "space_before", 0) * kMm);
            if (type == "running_header") running_header(b);
            else if (type == "title") text(b, {.sans = true, .bold = true, .size = 20, .align = PANGO_ALIGN_CENTER, .line_spacing = 1.2}, 4);
            else if (type == "heading") heading(b);
            else if (type == "paragraph") text(b, {.size = 12, .indent_em = 2, .line_spacing = 1.5}, 2);
            else if (type == "note") text(b, {.size = 10, .line_spacing = 1.35, .gray = 0.25}, 1);
            else if (type == "fields") fields(b);
            else if (type == "table") table(b);
            else if (type == "list") list(b);
            else if (type == "qr") qr(b);
            else if (type == "signature") signature(b);
            else if (type == "seal") seal(b);
            else if (type == "spacer") flow_.space(num(b, "mm", 0) * kMm);
            else if (type == "rule") rule();
        }
    }

private:
    double width() const { return flow_.geometry().content_width(); }
    double left() const { return flow_.geometry().left; }

    void running_header(const json& b) {
        std::string t = ex_.expand(b.at("text").get<std::string>());
        flow_.set_running_header(flow_.layout(t, {.size = 9, .line_spacing = 1.0}, width()));
    }

    void text(const json& b, TextStyle base, double after_mm) {
        TextStyle s = style_of(b, base);
        flow_.text(ex_.expand(b.at("text").get<std::string>()), s, 0, width());
        flow_.space(num(b, "space_after", after_mm) * kMm);
    }

    void heading(const json& b) {
        TextStyle s = style_of(b, {.sans = true, .bold = true, .size = 13, .line_spacing = 1.3});
        std::string t = ex_.expand(b.at("text").get<std::string>());
        // Keep a heading with the start of what follows it.
        flow_.ensure(Flow::height_of(flow_.layout(t, s, width()).get()) + 18 * kMm);
        flow_.text(t, s, 0, width());
        flow_.space(num(b, "space_after", 1.5) * kMm);
    }

    void rule() {
        double x = left(), w = width();
        flow_.block(3 * kMm, [x, w](cairo_t* cr, double top) {
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_set_line_width(cr, 0.8);
            cairo_move_to(cr, x, top + 1.5 * kMm);
            cairo_line_to(cr, x + w, top + 1.5 * kMm);
            cairo_stroke(cr);
        });
    }

    struct Cell {
        std::string text;
        TextStyle style;
        double width;
        double fill = 1.0;  // background gray
    };

    // One bordered table row; rows never split. A row taller than a page (absurd data) is
    // written as plain flowing text instead, so nothing is cut off.
    void row(const std::vector<Cell>& cells) {
        const double pad = kPad;
        std::vector<LayoutPtr> layouts;
        double h = 0;
        for (const auto& c : cells) {
            layouts.push_back(flow_.layout(c.text, c.style, c.width - 2 * kPadX));
            h = std::max(h, Flow::height_of(layouts.back().get()));
        }
        h += 2 * pad;
        if (h > flow_.geometry().content_height()) {
            for (const auto& c : cells) flow_.text(c.text, c.style, 0, width());
            return;
        }
        std::vector<double> widths, fills;
        for (const auto& c : cells) {
            widths.push_back(c.width);
            fills.push_back(c.fill);
        }
        double x0 = left();
        flow_.block(h, [layouts, widths, fills, h, x0, pad](cairo_t* cr, double top) {
            double x = x0;
            for (std::size_t i = 0; i < layouts.size(); ++i) {
                if (fills[i] < 1.0) {
                    cairo_set_source_rgb(cr, fills[i], fills[i], fills[i]);
                    cairo_rectangle(cr, x, top, widths[i], h);
                    cairo_fill(cr);
                }
                cairo_set_source_rgb(cr, 0, 0, 0);
                cairo_set_line_width(cr, 0.6);
                cairo_rectangle(cr, x, top, widths[i], h);
                cairo_stroke(cr);
                detail::draw_layout(cr, layouts[i].get(), x + kPadX, top + pad);
                x += widths[i];
            }
        });
    }

    void fields(const json& b) {
        double size = num(b, "size", 10.5);
        double lw = std::min(num(b, "label_width", 33) * kMm, width() / 2);
        for (const auto& r : b.at("rows")) {
            if (r.contains("when") && !ex_.truthy(r.at("when").get<std::string>())) continue;
            row({{ex_.expand(r.at("label").get<std::string>()), {.sans = true, .size = size - 0.5, .line_spacing = 1.0}, lw, 0.93},
                 {ex_.expand(r.at("value").get<std::string>()), {.size = size, .line_spacing = 1.0}, width() - lw}});
        }
        flow_.space(num(b, "space_after", 3) * kMm);
    }

    std::vector<detail::Row> repeated(const json& b) {
        auto [pointer, rows] = ex_.rows(b.at("each").get<std::string>(), b.contains("where") ? b.at("where") : json());
        auto min = std::size_t(num(b, "min", 0));
        if (rows.size() < min) {
            std::string why = b.contains("min_message") ? b.at("min_message").get<std::string>()
                                                        : "at least " + std::to_string(min) + " element(s) needed";
            throw NoticeDataError(pointer, ex_.kind() + ": missing data: " + pointer + " (" + why + ")");
        }
        return rows;
    }

    void table(const json& b) {
        auto rows = repeated(b);
        double size = num(b, "size", 10.5);
        const json& cols = b.at("columns");
        double total = 0;
        for (const auto& c : cols) total += c.at("width").get<double>();
        std::vector<double> widths;
        for (const auto& c : cols) widths.push_back(width() * c.at("width").get<double>() / total);
        auto header = [&] {
            std::vector<Cell> cells;
            for (std::size_t i = 0; i < cols.size(); ++i)
                cells.push_back({ex_.expand(cols[i].at("title").get<std::string>()),
                                 {.sans = true, .bold = true, .size = size, .align = PANGO_ALIGN_CENTER, .line_spacing = 1.2},
                                 widths[i], 0.88});
            return cells;
        };
        if (rows.empty()) {
            if (b.contains("empty_text")) flow_.text(b.at("empty_text").get<std::string>(), {.size = size}, 0, width());
            flow_.space(num(b, "space_after", 3) * kMm);
            return;
        }
        auto head = header();
        row(head);
        std::size_t page = flow_.pages().size();
        for (const auto& r : rows) {
            std::vector<Cell> cells;
            for (std::size_t i = 0; i < cols.size(); ++i)
                cells.push_back({ex_.expand(cols[i].at("text").get<std::string>(), &r),
                                 {.size = size, .align = alignment(cols[i], PANGO_ALIGN_LEFT), .line_spacing = 1.0},
                                 widths[i]});
            // Measure; when the row goes to a new page, repeat the header there first.
            double h = 0;
            for (const auto& c : cells) h = std::max(h, Flow::height_of(flow_.layout(c.text, c.style, c.width - 2 * kPadX).get()));
            flow_.ensure(h + 2 * kPad);
            if (flow_.pages().size() != page) {
                row(head);
                page = flow_.pages().size();
            }
            row(cells);
        }
        flow_.space(num(b, "space_after", 3) * kMm);
    }

    void list(const json& b) {
        auto rows = repeated(b);
        TextStyle s{.size = num(b, "size", 12), .indent_em = num(b, "indent", 2), .line_spacing = 1.5};
        for (const auto& r : rows) flow_.text(ex_.expand(b.at("text").get<std::string>(), &r), s, 0, width());
        flow_.space(num(b, "space_after", 2) * kMm);
    }

    void qr(const json& b) {
        std::string data = ex_.expand(b.at("data").get<std::string>());
        std::string field = ex_.last_pointer();
        std::unique_ptr<QRcode, CairoDeleter> code(QRcode_encodeString(data.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
        if (!code)
            throw NoticeDataError(field, ex_.kind() + ": invalid data: " + field + ": cannot be encoded as a QR code (" +
                                             std::to_string(data.size()) + " bytes)");
        const int n = code->width;
        std::vector<bool> dark(std::size_t(n) * std::size_t(n));
        for (std::size_t i = 0; i < dark.size(); ++i) dark[i] = code->data[i] & 1;
        double size = num(b, "size_mm", 26) * kMm;
        double quiet = 4;  // modules of white border (drawn by leaving space)
        double module = size / (n + 2 * quiet);
        std::string caption = b.contains("caption") ? ex_.expand(b.at("caption").get<std::string>()) : "";
        double text_x = size + 2 * kMm, text_w = width() - text_x;
        LayoutPtr cap = flow_.layout(caption, {.sans = true, .size = 11, .line_spacing = 1.2}, text_w);
        LayoutPtr url = flow_.layout(data, {.size = 9, .line_spacing = 1.2, .gray = 0.2}, text_w);
        double cap_h = caption.empty() ? 0 : Flow::height_of(cap.get()) + 1.5 * kMm;
        double text_h = cap_h + Flow::height_of(url.get());
        double h = std::max(size, text_h);
        double x0 = left();
        flow_.block(h, [dark, n, module, quiet, size, cap, url, cap_h, text_h, text_x, x0, h, has_caption = !caption.empty()](cairo_t* cr, double top) {
            double qy = top + (h - size) / 2;
            cairo_set_source_rgb(cr, 0, 0, 0);
            for (int y = 0; y < n; ++y)
                for (int x = 0; x < n; ++x)
                    if (dark[std::size_t(y) * std::size_t(n) + std::size_t(x)])
                        cairo_rectangle(cr, x0 + (x + quiet) * module, qy + (y + quiet) * module, module, module);
            cairo_fill(cr);
            double ty = top + (h - text_h) / 2;
            if (has_caption) detail::draw_layout(cr, cap.get(), x0 + text_x, ty);
            detail::draw_layout(cr, url.get(), x0 + text_x, ty + cap_h, 0.2);
        });
        flow_.space(num(b, "space_after", 3) * kMm);
    }

    void signature(const json& b) {
        double rule = num(b, "rule_mm", 45) * kMm;
        double x0 = left() + width() * 0.42;
        double line_h = 11 * kMm;
        std::vector<LayoutPtr> labels;
        for (const auto& l : b.at("lines"))
            labels.push_back(flow_.layout(ex_.expand(l.get<std::string>()), {.size = 12, .line_spacing = 1.0}, width() * 0.58 - rule));
        double h = line_h * double(labels.size());
        flow_.block(h, [labels, x0, line_h, rule](cairo_t* cr, double top) {
            for (std::size_t i = 0; i < labels.size(); ++i) {
                double y = top + line_h * double(i) + line_h - 4 * kMm;
                double lh = Flow::height_of(labels[i].get()), lw = Flow::width_of(labels[i].get());
                detail::draw_layout(cr, labels[i].get(), x0, y - lh);
                cairo_set_source_rgb(cr, 0, 0, 0);
                cairo_set_line_width(cr, 0.6);
                cairo_move_to(cr, x0 + lw + 1 * kMm, y);
                cairo_line_to(cr, x0 + lw + 1 * kMm + rule, y);
                cairo_stroke(cr);
            }
        });
        flow_.space(num(b, "space_after", 2) * kMm);
    }

    // The issuing body's name, the seal anchor text (（盖章）) and the date, as a column at the
    // right; the seal is later placed centred on the anchor text.
    void seal(const json& b) {
        double col = std::min(95 * kMm, width());
        TextStyle s{.size = 12, .align = PANGO_ALIGN_CENTER, .line_spacing = 1.0};
        LayoutPtr body = flow_.layout(ex_.expand(b.at("body").get<std::string>()), s, col);
        LayoutPtr anchor = flow_.layout(b.contains("anchor") ? ex_.expand(b.at("anchor").get<std::string>()) : "（盖章）", s, col);
        LayoutPtr date = flow_.layout(ex_.expand(b.at("date").get<std::string>()), s, col);
        double hb = Flow::height_of(body.get()), ha = Flow::height_of(anchor.get()), hd = Flow::height_of(date.get());
        double x = left() + width() - col;
        double before = num(b, "space_before", 8) * kMm;
        // The seal never stands alone on a page: it takes the block before it along.
        flow_.keep_with(previous_, before + hb + ha + hd);
        flow_.space(before);
        flow_.block(hb + ha + hd, [body, anchor, date, hb, ha, x](cairo_t* cr, double top) {
            detail::draw_layout(cr, body.get(), x, top);
            detail::draw_layout(cr, anchor.get(), x, top + hb);
            detail::draw_layout(cr, date.get(), x, top + hb + ha);
        });
        flow_.space(num(b, "space_after", 4) * kMm);
    }

    Flow& flow_;
    const detail::Expander& ex_;
    Flow::Mark previous_, current_;
};

using ContextPtr = std::unique_ptr<PangoContext, decltype(&g_object_unref)>;

// A pango context for PDF output: 72 dpi (1 pt = 1 unit), Chinese, unhinted metrics (hinting
// would round advances to device pixels that a PDF does not have).
ContextPtr make_context(cairo_t* cr) {
    ContextPtr pango(pango_cairo_create_context(cr), g_object_unref);
    pango_cairo_context_set_resolution(pango.get(), 72);
    pango_context_set_language(pango.get(), pango_language_from_string("zh-cn"));
    cairo_font_options_t* fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pango.get(), fo);
    cairo_font_options_destroy(fo);
    return pango;
}

}  // namespace

RenderedNotice NoticeRenderer::render(std::string_view kind, const NoticeInput& input) const {
    const NoticeTemplate* t = templates_.find(kind);
    if (!t) throw TemplateError("unknown notice kind '" + std::string(kind.substr(0, 40)) + "'");
    const json context = detail::build_context(input, *t);
    detail::Expander ex(context, t->kind);
    for (const auto& req : t->checks) ex.check(req);

    RenderedNotice out;
    detail::PageGeometry geometry;
    std::unique_ptr<cairo_surface_t, CairoDeleter> surface(
        cairo_pdf_surface_create_for_stream(append_to_string, &out.pdf, geometry.width, geometry.height));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        throw RenderError(std::string("cannot create a PDF surface: ") + cairo_status_to_string(cairo_surface_status(surface.get())));
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, t->title.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "OneWindow (一窗通)");
    std::unique_ptr<cairo_t, CairoDeleter> cr(cairo_create(surface.get()));

    auto pango = make_context(cr.get());

    // Lay everything out first (data errors surface here, before anything is drawn) …
    Flow flow(pango.get(), geometry);
    // 绿色通道 (issue 19): a flagged case's notices say so in a line above everything else.
    json blocks = t->blocks;
    if (!input.case_data.green_flags.empty()) {
        std::string flags;
        for (auto f : input.case_data.green_flags) flags += (flags.empty() ? "" : "、") + std::string(core::zh_name(f));
        auto at = blocks.begin();
        while (at != blocks.end() && at->value("type", "") == "running_header") ++at;
        blocks.insert(at, json{{"type", "note"}, {"bold", true}, {"text", "【绿色通道】" + flags + "　优先办理"}});
    }
    BlockRenderer(flow, ex).run(blocks);

    // … then draw, now that the page count is known.
    auto& pages = flow.pages();
    if (pages.size() > 1 && pages.back().empty()) pages.pop_back();
    out.pages = int(pages.size());
    for (std::size_t i = 0; i < pages.size(); ++i) {
        for (const auto& op : pages[i]) op(cr.get());
        std::string footer = "第 " + std::to_string(i + 1) + " 页 共 " + std::to_string(pages.size()) + " 页";
        LayoutPtr f = flow.layout(footer, {.size = 9, .align = PANGO_ALIGN_CENTER, .line_spacing = 1.0}, geometry.content_width());
        detail::draw_layout(cr.get(), f.get(), geometry.left, geometry.content_bottom() + 9 * kMm, 0.3);
        cairo_show_page(cr.get());
    }
    cr.reset();
    cairo_surface_finish(surface.get());
    if (auto st = cairo_surface_status(surface.get()); st != CAIRO_STATUS_SUCCESS)
        throw RenderError(std::string("rendering the PDF failed: ") + cairo_status_to_string(st));
    return out;
}

void NoticeRenderer::warm_up() const {
    std::string sink;
    std::unique_ptr<cairo_surface_t, CairoDeleter> surface(cairo_pdf_surface_create_for_stream(append_to_string, &sink, 100, 100));
    std::unique_ptr<cairo_t, CairoDeleter> cr(cairo_create(surface.get()));
    auto pango = make_context(cr.get());
    Flow flow(pango.get(), {});
    // The faces and sizes the templates use, so that their cairo fonts are cached too.
    for (double size : {9.0, 10.0, 10.5, 11.0, 12.0, 13.0, 14.0, 20.0})
        for (TextStyle s : {TextStyle{.size = size}, TextStyle{.sans = true, .size = size}, TextStyle{.sans = true, .bold = true, .size = size}})
            detail::draw_layout(cr.get(), flow.layout("受理回执通知书 Ab 1：，。（）", s, 90).get(), 0, 0);
    std::unique_ptr<QRcode, CairoDeleter> code(QRcode_encodeString("https://example.org/", 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    cr.reset();
    cairo_surface_finish(surface.get());
    if (auto st = cairo_surface_status(surface.get()); st != CAIRO_STATUS_SUCCESS)
        throw RenderError(std::string("loading the fonts failed: ") + cairo_status_to_string(st));
}

RenderedNotice NoticeRenderer::render_to_file(std::string_view kind, const NoticeInput& input,
                                              const std::filesystem::path& out) const {
    RenderedNotice r = render(kind, input);
    write_file_atomically(out, r.pdf);
    return r;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
    std::random_device rd;
    auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    auto tmp = dir / ("." + path.filename().string() + "." + std::to_string(rd()) + ".part");
    // 0600: a notice carries personal data (name, ID number, address).
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) throw RenderError(path.string() + ": cannot create a file in " + dir.string());
    auto fail = [&](const std::string& what) {
        ::close(fd);
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        throw RenderError(path.string() + ": " + what);
    };
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) fail("write failed");
        done += std::size_t(n);
    }
    if (::fsync(fd) != 0) fail("flush failed");
    if (::close(fd) != 0) {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        throw RenderError(path.string() + ": close failed");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw RenderError(path.string() + ": cannot be written: " + ec.message());
    }
}

}  // namespace ow::notices
