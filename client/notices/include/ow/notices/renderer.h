// Rendering a notice: template + input → A4 PDF (cairo + pango, Noto CJK fonts embedded as
// subsets, text extractable in reading order, QR codes as vector squares via libqrencode).
//
// Thread-safety: a NoticeRenderer is immutable after construction; render() may be called from
// several threads at once (each call has its own cairo surface and pango context).
#pragma once

#include "ow/notices/notice.h"
#include "ow/notices/template.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace ow::notices {

struct RenderedNotice {
    std::string pdf;  // the PDF file's bytes
    int pages = 0;
};

class NoticeRenderer {
public:
    explicit NoticeRenderer(TemplateSet templates) : templates_(std::move(templates)) {}

    const TemplateSet& templates() const { return templates_; }

    /// Renders one notice in memory. Throws TemplateError for an unknown kind, NoticeDataError for
    /// missing or invalid data (before anything is drawn), RenderError when cairo fails.
    RenderedNotice render(std::string_view kind, const NoticeInput& input) const;

    /// Loads the fonts (fontconfig, the Noto CJK faces) by rendering a tiny throw-away document,
    /// so that the first real notice does not pay for it (~100 ms). Call it once at start-up, off
    /// the UI thread. Throws RenderError.
    void warm_up() const;

    /// Renders and writes `out` atomically: a temporary file next to it, renamed on success.
    /// On any failure no file exists at `out` (an existing one is left as it was).
    RenderedNotice render_to_file(std::string_view kind, const NoticeInput& input, const std::filesystem::path& out) const;

private:
    TemplateSet templates_;
};

/// Writes `bytes` to `path` through a temporary file in the same directory (flushed, then
/// renamed). The file is made 0600 (owner only: notices carry personal data). Throws RenderError;
/// the temporary file is removed on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace ow::notices
