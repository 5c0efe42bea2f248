// CatalogPresenter drives the desk's item browser; tested here without a display.
#include <boost/test/unit_test.hpp>

#include "intake/catalog_presenter.h"

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"

using namespace ow;

namespace {

const core::Catalogue& catalogue() {
    static core::Catalogue c = core::Catalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog");
    return c;
}

bool has_code(const std::vector<app::CatalogRow>& rows, const std::string& code) {
    for (const auto& r : rows)
        if (r.code == code) return true;
    return false;
}

}  // namespace

BOOST_AUTO_TEST_CASE(all_items_and_search) {
    app::CatalogPresenter p(catalogue());
    auto all = p.rows({}, "");
    BOOST_CHECK_EQUAL(all.size(), catalogue().items().size() + catalogue().bundles().size());
    BOOST_CHECK_EQUAL(p.count({}), all.size());
    auto hits = p.rows({}, "gtgs");  // pinyin initials of 个体工商户…
    BOOST_REQUIRE_EQUAL(hits.size(), 1u);
    BOOST_CHECK_EQUAL(hits[0].name, "个体工商户设立登记");
    BOOST_CHECK(hits[0].kind == core::ItemKind::immediate);
    BOOST_CHECK(p.rows({}, "设立登记").size() >= 2);
    BOOST_CHECK(p.rows({}, "no such item").empty());
}

// Issue 17: under 全部事项, "新生儿" and "xsecs" found nothing, because bundles were listed only
// under their own filter. The all-items filter lists the matching bundles first, then the items.
BOOST_AUTO_TEST_CASE(all_items_lists_matching_bundles_too) {
    app::CatalogPresenter p(catalogue());
    for (const char* query : {"新生儿", "xsecs", "XSECS", "BUNDLE-XSECS"}) {
        auto rows = p.rows({}, query);
        BOOST_REQUIRE_MESSAGE(!rows.empty(), "nothing for " << query);
        BOOST_CHECK(rows[0].is_bundle);
        BOOST_CHECK_EQUAL(rows[0].code, "BUNDLE-XSECS");
        BOOST_CHECK_EQUAL(rows[0].name, "新生儿出生一件事");
        BOOST_CHECK_GT(rows[0].item_count, 1u);
    }
    // A query that matches items only lists no bundle; one matching both lists bundles first.
    for (const auto& r : p.rows({}, "gtgs")) BOOST_CHECK(!r.is_bundle);
    auto both = p.rows({}, "登记");  // 二手房转移登记… (a bundle) and the registration items
    BOOST_REQUIRE_GE(both.size(), 2u);
    BOOST_CHECK(both.front().is_bundle);
    BOOST_CHECK(!both.back().is_bundle);
    // A zone lists its items only.
    for (const auto& r : p.rows({app::CatalogFilter::Kind::zone, core::Zone::public_convenience}, "xsecs")) BOOST_CHECK(!r.is_bundle);
}

BOOST_AUTO_TEST_CASE(zone_filter_only_shows_the_zone) {
    app::CatalogPresenter p(catalogue());
    app::CatalogFilter f{app::CatalogFilter::Kind::zone, core::Zone::business_registration};
    auto rows = p.rows(f, "");
    BOOST_CHECK(!rows.empty());
    BOOST_CHECK_EQUAL(rows.size(), p.count(f));
    for (const auto& r : rows) BOOST_CHECK(p.item(r.code)->zone == core::Zone::business_registration);
    BOOST_CHECK(!has_code(rows, "370102-ZR-0031-002"));  // a livelihood item
}

BOOST_AUTO_TEST_CASE(bundles_list_their_items) {
    app::CatalogPresenter p(catalogue());
    auto rows = p.rows({app::CatalogFilter::Kind::bundles, {}}, "");
    BOOST_REQUIRE(!rows.empty());
    BOOST_CHECK(rows[0].is_bundle);
    const auto* b = p.bundle(rows[0].code);
    BOOST_REQUIRE(b);
    BOOST_CHECK_EQUAL(p.bundle_items(*b).size(), b->items.size());
    BOOST_CHECK_EQUAL(rows[0].item_count, b->items.size());
    BOOST_CHECK(p.rows({app::CatalogFilter::Kind::bundles, {}}, "qykb").size() == 1);
}

BOOST_AUTO_TEST_CASE(yuan_formatting_is_exact) {
    BOOST_CHECK_EQUAL(app::CatalogPresenter::format_yuan(38000), "380.00");
    BOOST_CHECK_EQUAL(app::CatalogPresenter::format_yuan(5), "0.05");
    BOOST_CHECK_EQUAL(app::CatalogPresenter::format_yuan(123456789), "1234567.89");
    BOOST_CHECK_EQUAL(app::CatalogPresenter::format_yuan(-250), "-2.50");
}

BOOST_AUTO_TEST_CASE(today_info_reports_holidays_and_unknown_years) {
    auto cal = core::WorkCalendar::load_directory(std::string(OW_SOURCE_DIR) + "/assets/calendar");
    auto national_day = app::today_info(cal, core::parse_date("2025-10-03"));
    BOOST_CHECK(national_day.calendar_known);
    BOOST_CHECK(!national_day.workday);
    BOOST_CHECK_EQUAL(national_day.holiday, "国庆节、中秋节");
    auto worked_sunday = app::today_info(cal, core::parse_date("2025-01-26"));
    BOOST_CHECK(worked_sunday.workday);
    BOOST_CHECK(worked_sunday.holiday.empty());
    BOOST_CHECK(!national_day.provisional);
    // 2027 is not published: the provisional calendar answers, flagged.
    auto future = app::today_info(cal, core::parse_date("2027-03-01"));
    BOOST_CHECK(future.calendar_known);
    BOOST_CHECK(future.provisional);
    BOOST_CHECK(future.workday);  // a Monday
    auto national_2027 = app::today_info(cal, core::parse_date("2027-10-04"));  // 国庆 made up (10-02/03 a weekend)
    BOOST_CHECK(national_2027.provisional);
    BOOST_CHECK(!national_2027.workday);
    BOOST_CHECK_EQUAL(national_2027.holiday, "国庆节");
    BOOST_CHECK(!app::today_info(cal, core::parse_date("2100-03-01")).calendar_known);
}
