// Screenshots: page 1 of every kind (realistic and extreme) as PNG, for a person to look at.
// Written to <build>/tests/unit/notices/screens/ (kept after the run).
#include "fixtures.h"

#include <boost/test/unit_test.hpp>

using namespace ow::notices;
using namespace ow::notices::test;
namespace fs = std::filesystem;

BOOST_AUTO_TEST_SUITE(screens)

BOOST_AUTO_TEST_CASE(page_one_of_every_kind_as_png) {
    NoticeRenderer renderer(shipped_templates());
    fs::path out = fs::path(OW_SCREENS_DIR);
    fs::create_directories(out);
    for (const auto& t : renderer.templates().all()) {
        for (const char* variant : {"realistic", "extreme"}) {
            auto in = std::string(variant) == "realistic" ? realistic(t.kind) : extreme(t.kind);
            auto pdf = out / (t.kind + "-" + variant + ".pdf");
            renderer.render_to_file(t.kind, in, pdf);
            auto png = out / (t.kind + "-" + variant);
            auto r = run("pdftoppm -r 80 -png -singlefile -f 1 -l 1 " + quote(pdf) + " " + quote(png));
            BOOST_TEST_CONTEXT(png) {
                BOOST_TEST(r.rc == 0);
                BOOST_TEST(fs::exists(png.string() + ".png"));
                BOOST_TEST(fs::file_size(png.string() + ".png") > 5'000u);
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
