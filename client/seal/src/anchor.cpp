// Anchor text → page and box, with poppler-cpp's text boxes.
#include "ow/seal/seal.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <cmath>
#include <memory>
#include <utility>

namespace ow::seal {

AnchorHit find_anchor(const std::filesystem::path& pdf, const std::string& text) {
    if (text.empty()) throw SealInputError("seal.anchor", "the anchor text is empty");
    // Poppler's complaints about odd content streams are not ours to print.
    poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(pdf.string()));
    if (!doc) throw SealInputError("seal.bad_pdf", "the PDF cannot be read for anchor search: " + pdf.string());
    if (doc->is_locked()) throw SealInputError("seal.encrypted", "the PDF is encrypted with a password");
    for (int i = 0; i < doc->pages(); ++i) {
        std::unique_ptr<poppler::page> page(doc->create_page(i));
        if (!page) continue;
        const auto boxes = page->text_list();
        // Concatenate the boxes' text (UTF-8), remembering which box each byte came from.
        std::string all;
        std::vector<std::size_t> owner;
        for (std::size_t b = 0; b < boxes.size(); ++b) {
            const auto bytes = boxes[b].text().to_utf8();
            all.append(bytes.begin(), bytes.end());
            owner.insert(owner.end(), bytes.size(), b);
        }
        const std::size_t at = all.find(text);
        if (at == std::string::npos) continue;
        double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
        for (std::size_t b = owner[at]; b <= owner[at + text.size() - 1]; ++b) {
            const auto r = boxes[b].bbox();
            x0 = std::min(x0, r.left());
            y0 = std::min(y0, r.top());
            x1 = std::max(x1, r.right());
            y1 = std::max(y1, r.bottom());
        }
        // Text boxes are in device space at 72 dpi: the crop box as displayed (the page's /Rotate
        // applied), origin top-left, y down. Back to user space, corner by corner.
        const poppler::rectf crop = page->page_rect(poppler::crop_box);
        const double X1 = crop.left(), Y1 = crop.top(), X2 = X1 + crop.width(), Y2 = Y1 + crop.height();
        const auto orientation = page->orientation();
        auto to_user = [&](double x, double y) -> std::pair<double, double> {
            switch (orientation) {
            case poppler::page::landscape: return {X1 + y, Y1 + x};    // /Rotate 90
            case poppler::page::upside_down: return {X2 - x, Y1 + y};  // /Rotate 180
            case poppler::page::seascape: return {X2 - y, Y2 - x};     // /Rotate 270
            default: return {X1 + x, Y2 - y};
            }
        };
        const auto [ax, ay] = to_user(x0, y0);
        const auto [bx, by] = to_user(x1, y1);
        AnchorHit hit;
        hit.page = i + 1;
        hit.box = {std::min(ax, bx), std::min(ay, by), std::abs(bx - ax), std::abs(by - ay)};
        return hit;
    }
    throw SealInputError("seal.anchor_not_found", "the anchor text was not found in the PDF: " + text);
}

}  // namespace ow::seal
