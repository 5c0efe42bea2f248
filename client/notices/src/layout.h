// Internal: a small page-flow engine over cairo + pango. Content is first laid out into pages of
// drawing operations (so the page count is known for "第 N 页 共 M 页"), then drawn.
// Lengths are PDF points (1/72 in); the pango context runs at 72 dpi, so a font size in points is
// a size in user units.
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ow::notices::detail {

constexpr double kMm = 72.0 / 25.4;

struct PageGeometry {
    double width = 210 * kMm;   // A4
    double height = 297 * kMm;
    double left = 26 * kMm;
    double right = 24 * kMm;
    double top = 22 * kMm;
    double bottom = 24 * kMm;
    double content_width() const { return width - left - right; }
    double content_bottom() const { return height - bottom; }
    double content_height() const { return content_bottom() - top; }
};

struct TextStyle {
    bool sans = false;      // Noto Sans CJK SC (黑体-like) instead of Noto Serif CJK SC (宋体-like)
    bool bold = false;
    double size = 12;       // points
    PangoAlignment align = PANGO_ALIGN_LEFT;
    bool justify = false;
    double indent_em = 0;   // first-line indent
    double line_spacing = 1.4;
    double gray = 0;        // 0 black … 1 white
};

using LayoutPtr = std::shared_ptr<PangoLayout>;
using DrawOp = std::function<void(cairo_t*)>;

class Flow {
public:
    Flow(PangoContext* context, PageGeometry geometry);

    const PageGeometry& geometry() const { return g_; }
    double y() const { return y_; }
    double remaining() const { return g_.content_bottom() - y_; }
    bool at_page_top() const { return y_ <= g_.top + 0.01; }

    /// A pango layout of `text` wrapped at `width` points.
    LayoutPtr layout(const std::string& text, const TextStyle& style, double width) const;
    static double height_of(PangoLayout* layout);
    static double width_of(PangoLayout* layout);

    /// Text that may break between lines across pages, at x offset `dx` from the left margin.
    void text(const std::string& text, const TextStyle& style, double dx, double width);
    /// An unbreakable block of `height`: moves to a new page first when it does not fit.
    /// `draw` is called with the block's top y.
    void block(double height, std::function<void(cairo_t*, double top)> draw);
    /// Vertical space; dropped at the top of a page.
    void space(double height);
    /// Starts a new page unless `height` still fits on this one.
    void ensure(double height);
    void new_page();
    /// Adds an operation to the current page as is.
    void add(DrawOp op) { pages_.back().push_back(std::move(op)); }
    /// A position in the flow, to keep what follows it together with what comes after.
    struct Mark {
        std::size_t page = 0;
        std::size_t op = 0;
        double y = 0;
    };
    Mark mark() const { return {pages_.size() - 1, pages_.back().size(), y_}; }
    /// Makes room for `height` more points; when they do not fit, moves everything laid out
    /// since `m` (if on this page and not at its top) to a new page too, so that it stays with
    /// what follows (e.g. a seal with the last paragraph).
    void keep_with(const Mark& m, double height);
    /// Text repeated at the top of every page after the first.
    void set_running_header(LayoutPtr header) { header_ = std::move(header); }

    std::vector<std::vector<DrawOp>>& pages() { return pages_; }

private:
    PangoContext* ctx_;
    PageGeometry g_;
    double y_;
    LayoutPtr header_;
    std::vector<std::vector<DrawOp>> pages_;
};

/// Draws a layout with its top-left corner at (x, y) in the given gray.
void draw_layout(cairo_t* cr, PangoLayout* layout, double x, double y, double gray = 0);

}  // namespace ow::notices::detail
