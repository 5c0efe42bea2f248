// PageViewerModel (client/app/common/page_viewer_model.h): the page viewer's documents, pages,
// zoom, keys, label and pages ahead, without a display.
#include <boost/test/unit_test.hpp>

#include "common/page_viewer_model.h"

#include <stdexcept>

using namespace ow::app;
using V = std::vector<int>;

namespace {

std::vector<ViewerDocument> three() {
    return {ViewerDocument{"申请书", "material", "%PDF-1.7\n…", ""},
            ViewerDocument{"身份证扫描件", "material", std::string("\x89PNG\r\n\x1a\n....", 12), ""},
            ViewerDocument{"受理通知书", "notice", "%PDF-1.4\n…", "application/pdf"}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(page_viewer_model)

BOOST_AUTO_TEST_CASE(mime_told_from_the_first_bytes) {
    BOOST_TEST(sniff_mime("%PDF-1.7\n1 0 obj") == "application/pdf");
    BOOST_TEST(sniff_mime("\n\n%PDF-1.4 after junk") == "application/pdf");
    BOOST_TEST(sniff_mime(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)) == "image/png");
    BOOST_TEST(sniff_mime("GIF89a......") == "");
    BOOST_TEST(sniff_mime("") == "");
    BOOST_TEST(sniff_mime(std::string(2000, ' ') + "%PDF-1.7") == "");  // past the first KiB
}

BOOST_AUTO_TEST_CASE(no_documents_nothing_moves) {
    PageViewerModel m;
    BOOST_TEST(m.empty());
    BOOST_TEST(m.page_count() == 0);
    for (auto k : {ViewerKey::next_page, ViewerKey::last_page, ViewerKey::next_document, ViewerKey::zoom_in}) BOOST_TEST(!m.apply(k));
    BOOST_TEST(m.prefetch().empty());
    const auto l = m.label();
    BOOST_TEST(l.documents == 0u);
    BOOST_TEST(l.pages == 0);
    BOOST_CHECK_THROW(m.document(0), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(documents_pages_and_where_each_was_left) {
    PageViewerModel m;
    m.set_documents(three());
    BOOST_TEST(m.document_count() == 3u);
    BOOST_TEST(m.document(0).mime == "application/pdf");  // sniffed
    BOOST_TEST(m.document(1).mime == "image/png");
    BOOST_TEST(m.document(2).kind == "notice");
    BOOST_TEST(m.current() == 0u);
    // Before the view has opened it, a document counts one page and paging on is not held back.
    BOOST_TEST(!m.page_count_known());
    BOOST_TEST(m.page_count() == 1);
    BOOST_TEST(m.prefetch() == V({1}));
    BOOST_TEST(!m.last_page());  // End needs the count
    m.set_page_count(0, 5);
    BOOST_TEST(m.page_count_known());
    BOOST_TEST(m.apply(ViewerKey::next_page));
    BOOST_TEST(m.apply(ViewerKey::next_page));
    BOOST_TEST(m.page() == 2);
    BOOST_TEST(m.prefetch() == V({3, 1}));
    BOOST_TEST(m.apply(ViewerKey::last_page));
    BOOST_TEST(m.page() == 4);
    BOOST_TEST(!m.apply(ViewerKey::next_page));  // the last page stays
    BOOST_TEST(m.prefetch() == V({3}));
    BOOST_TEST(m.apply(ViewerKey::previous_page));
    BOOST_TEST(m.page() == 3);

    // The next document opens at its first page; coming back finds page 4 of 5 again.
    BOOST_TEST(m.apply(ViewerKey::next_document));
    BOOST_TEST(m.current() == 1u);
    BOOST_TEST(m.page() == 0);
    m.set_page_count(1, 1);  // the PNG
    BOOST_TEST(!m.apply(ViewerKey::next_page));
    BOOST_TEST(m.prefetch().empty());
    BOOST_TEST(m.apply(ViewerKey::next_document));
    BOOST_TEST(!m.apply(ViewerKey::next_document));  // the last document stays
    BOOST_TEST(m.current() == 2u);
    BOOST_TEST(m.show_document(0));
    BOOST_TEST(m.page() == 3);
    BOOST_TEST(!m.show_document(0));  // already shown
    BOOST_TEST(!m.show_document(3));  // no such document
    BOOST_TEST(!m.apply(ViewerKey::previous_document));
    BOOST_TEST(m.apply(ViewerKey::first_page));
    BOOST_TEST(m.page() == 0);
    BOOST_TEST(!m.apply(ViewerKey::previous_page));

    // A count learnt late clamps the page; a document that cannot be read has no pages.
    m.show_document(2);
    m.go_to_page(6);
    BOOST_TEST(m.page() == 6);
    m.set_page_count(2, 3);
    BOOST_TEST(m.page() == 2);
    m.set_page_count(2, 0);
    BOOST_TEST(m.page_count() == 0);
    BOOST_TEST(m.page() == 0);
    BOOST_TEST(m.label().page == 0);
    m.set_page_count(7, 3);  // no such document: ignored

    // New documents start over at the first.
    m.set_documents(three());
    BOOST_TEST(m.current() == 0u);
    BOOST_TEST(m.page() == 0);
    BOOST_TEST(!m.page_count_known());
}

BOOST_AUTO_TEST_CASE(zoom_and_fit_width) {
    PageViewerModel m;
    m.set_documents(three());
    BOOST_TEST(m.fits_width());
    m.set_fitted_zoom(1.6);  // the view's width fits the page at 160 %
    BOOST_TEST(m.label().zoom_percent == 160);
    BOOST_TEST(m.label().fit_width);
    BOOST_TEST(m.apply(ViewerKey::zoom_in));  // from the zoom shown
    BOOST_TEST(!m.fits_width());
    BOOST_TEST(m.zoom() == 2.0);
    m.set_fitted_zoom(0.5);  // a resize: not the zoom set
    BOOST_TEST(m.zoom() == 2.0);
    BOOST_TEST(m.apply(ViewerKey::zoom_out));
    BOOST_TEST(m.label().zoom_percent == 160);
    for (int i = 0; i < 20; ++i) m.apply(ViewerKey::zoom_in);
    BOOST_TEST(m.zoom() == PageViewerModel::kMaxZoom);
    BOOST_TEST(!m.apply(ViewerKey::zoom_in));  // at the limit: nothing changes
    for (int i = 0; i < 30; ++i) m.apply(ViewerKey::zoom_out);
    BOOST_TEST(m.zoom() == PageViewerModel::kMinZoom);
    BOOST_TEST(m.apply(ViewerKey::actual_size));
    BOOST_TEST(m.label().zoom_percent == 100);
    BOOST_TEST(m.apply(ViewerKey::fit_width));
    BOOST_TEST(m.fits_width());
    BOOST_TEST(m.zoom() == 0.5);  // the fitted zoom last reported
    BOOST_TEST(!m.apply(ViewerKey::fit_width));
    m.set_fitted_zoom(0);  // nonsense is ignored
    m.set_fitted_zoom(-3);
    BOOST_TEST(m.zoom() == 0.5);
    // The zoom is the reader's: it stays across documents.
    m.set_zoom(1.25);
    m.next_document();
    BOOST_TEST(m.zoom() == 1.25);
    BOOST_TEST(!m.fits_width());
}

BOOST_AUTO_TEST_CASE(the_label_figures) {
    PageViewerModel m;
    m.set_documents(three());
    m.set_page_count(0, 5);
    m.next_page();
    m.set_zoom(1.0);
    const auto l = m.label();
    BOOST_TEST(l.document == 1u);
    BOOST_TEST(l.documents == 3u);
    BOOST_TEST(l.page == 2);
    BOOST_TEST(l.pages == 5);
    BOOST_TEST(l.zoom_percent == 100);
    BOOST_TEST(!l.fit_width);
}

BOOST_AUTO_TEST_SUITE_END()
