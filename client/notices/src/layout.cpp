#include "layout.h"

#include <algorithm>

namespace ow::notices::detail {

namespace {

struct FontDescDeleter {
    void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};

}  // namespace

void draw_layout(cairo_t* cr, PangoLayout* layout, double x, double y, double gray) {
    cairo_set_source_rgb(cr, gray, gray, gray);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout);
}

Flow::Flow(PangoContext* context, PageGeometry geometry) : ctx_(context), g_(geometry), y_(geometry.top) {
    pages_.emplace_back();
}

LayoutPtr Flow::layout(const std::string& text, const TextStyle& s, double width) const {
    LayoutPtr l(pango_layout_new(ctx_), g_object_unref);
    std::unique_ptr<PangoFontDescription, FontDescDeleter> font(pango_font_description_new());
    pango_font_description_set_family(font.get(), s.sans ? "Noto Sans CJK SC" : "Noto Serif CJK SC");
    pango_font_description_set_weight(font.get(), s.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_size(font.get(), int(s.size * PANGO_SCALE));
    pango_layout_set_font_description(l.get(), font.get());
    pango_layout_set_width(l.get(), int(width * PANGO_SCALE));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l.get(), s.align);
    pango_layout_set_justify(l.get(), s.justify);
    pango_layout_set_indent(l.get(), int(s.indent_em * s.size * PANGO_SCALE));
    pango_layout_set_line_spacing(l.get(), float(s.line_spacing));
    pango_layout_set_text(l.get(), text.data(), int(text.size()));
    return l;
}

double Flow::height_of(PangoLayout* layout) {
    PangoRectangle logical;
    pango_layout_get_extents(layout, nullptr, &logical);
    return double(logical.height) / PANGO_SCALE;
}

double Flow::width_of(PangoLayout* layout) {
    PangoRectangle logical;
    pango_layout_get_extents(layout, nullptr, &logical);
    return double(logical.width) / PANGO_SCALE;
}

void Flow::new_page() {
    pages_.emplace_back();
    y_ = g_.top;
    if (header_) {
        LayoutPtr h = header_;
        double x = g_.left, y = g_.top - 10 * kMm;
        double rule_y = g_.top - 3 * kMm, w = g_.content_width();
        add([h, x, y, rule_y, w](cairo_t* cr) {
            draw_layout(cr, h.get(), x, y, 0.35);
            cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
            cairo_set_line_width(cr, 0.5);
            cairo_move_to(cr, x, rule_y);
            cairo_line_to(cr, x + w, rule_y);
            cairo_stroke(cr);
        });
    }
}

void Flow::ensure(double height) {
    if (y_ + height > g_.content_bottom() + 0.01 && !at_page_top()) new_page();
}

void Flow::keep_with(const Mark& m, double height) {
    if (y_ + height <= g_.content_bottom() + 0.01) return;
    if (m.page != pages_.size() - 1 || m.y <= g_.top + 0.01 || y_ - m.y + height > g_.content_height()) {
        ensure(height);
        return;
    }
    std::vector<DrawOp> moved(std::make_move_iterator(pages_.back().begin() + std::ptrdiff_t(m.op)),
                              std::make_move_iterator(pages_.back().end()));
    pages_.back().resize(m.op);
    double carried = y_ - m.y;
    new_page();
    double dy = y_ - m.y;
    for (auto& op : moved)
        add([op = std::move(op), dy](cairo_t* cr) {
            cairo_save(cr);
            cairo_translate(cr, 0, dy);
            op(cr);
            cairo_restore(cr);
        });
    y_ += carried;
}

void Flow::space(double height) {
    // Past the bottom is fine: whatever comes next starts a new page (a trailing space never
    // makes an empty page).
    if (!at_page_top()) y_ += height;
}

void Flow::block(double height, std::function<void(cairo_t*, double)> draw) {
    ensure(height);
    double top = y_;
    add([draw = std::move(draw), top](cairo_t* cr) { draw(cr, top); });
    y_ += height;
}

void Flow::text(const std::string& text, const TextStyle& style, double dx, double width) {
    LayoutPtr l = layout(text, style, width);
    PangoLayoutIter* it = pango_layout_get_iter(l.get());
    int index = 0;
    double gray = style.gray;
    do {
        int y0 = 0, y1 = 0;
        pango_layout_iter_get_line_yrange(it, &y0, &y1);
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, nullptr, &logical);
        int baseline = pango_layout_iter_get_baseline(it);
        double h = double(y1 - y0) / PANGO_SCALE;
        ensure(h);
        double x = g_.left + dx + double(logical.x) / PANGO_SCALE;
        double base = y_ + double(baseline - y0) / PANGO_SCALE;
        add([l, index, x, base, gray](cairo_t* cr) {
            cairo_set_source_rgb(cr, gray, gray, gray);
            cairo_move_to(cr, x, base);
            pango_cairo_show_layout_line(cr, pango_layout_get_line_readonly(l.get(), index));
        });
        y_ += h;
        ++index;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

}  // namespace ow::notices::detail
