// The catalogue of a store: the shipped one until a platform catalogue is cached; a cached body
// keeps its form section and builds both ow_core's catalogue and the form engine's; a download
// either parser refuses does not enter the cache.
#include <boost/test/unit_test.hpp>

#include "fixture.h"

#include "ow/catalogue/store_catalogue.h"
#include "ow/forms/catalogue.h"
#include "ow/store/repositories.h"

#include <nlohmann/json.hpp>

#include <algorithm>

using namespace ow;
using namespace ow::test;
using nlohmann::json;

namespace {

/// The shipped entries with one item revised: a new name, a promised limit one day shorter, one
/// more material and a new form field. `promised` gets the new limit.
std::vector<forms::CatalogueEntry> revised_entries(std::string& code, int& promised) {
    auto entries = catalogue_entries();
    auto it = std::find_if(entries.begin(), entries.end(), [](const auto& e) {
        return json::parse(e.second)["spec"].value("promised_limit_days", 0) > 1;
    });
    BOOST_REQUIRE(it != entries.end());
    json item = json::parse(it->second);
    code = item["code"];
    item["name"] = "修订后的事项";
    promised = item["spec"]["promised_limit_days"].get<int>() - 1;
    item["spec"]["promised_limit_days"] = promised;
    item["spec"]["materials"].push_back({{"code", "revised_m"}, {"name", "修订新增材料"}, {"form", "original"}, {"originals", 1}, {"copies", 0}, {"necessity", "required"}, {"source", "applicant"}});
    item["form"]["fields"].push_back({{"id", "revised_note"}, {"type", "text"}, {"label", {{"zh_CN", "修订备注"}, {"en", "Revised note"}}}});
    it->second = item.dump();
    return entries;
}

void stage_all(store::Db& db, const std::string& version, const std::vector<forms::CatalogueEntry>& entries) {
    store::CatalogCache(db).stage(version, entries);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(store_catalogue)

BOOST_FIXTURE_TEST_CASE(an_empty_cache_gives_the_shipped_catalogue, StoreFixture) {
    auto cat = catalogue::load_store_catalogue(s->db());
    BOOST_CHECK_EQUAL(cat.version, catalogue::kShippedVersion);
    BOOST_CHECK(!cat.from_platform);
    BOOST_CHECK(cat.problem.empty());
    BOOST_CHECK_EQUAL(cat.catalogue.items().size(), test::catalogue().items().size());
    BOOST_CHECK_EQUAL(cat.forms.all().size(), test::catalogue().items().size() + test::catalogue().bundles().size());
    // Reading it copies nothing into the cache: the first download is a full one.
    BOOST_CHECK_EQUAL(store::CatalogCache(s->db()).version(), "");
}

BOOST_FIXTURE_TEST_CASE(a_cached_body_keeps_its_form_and_builds_both_catalogues, StoreFixture) {
    std::string code;
    int promised = 0;
    auto entries = revised_entries(code, promised);
    stage_all(s->db(), "2026.12.5", entries);
    catalogue::promote_staged(s->db());

    // The cache holds the bodies as delivered, form section included.
    auto cached = store::CatalogCache(s->db()).entries();
    BOOST_REQUIRE(cached == entries);
    for (const auto& [type, body] : cached) BOOST_CHECK(type == "bundle" || json::parse(body).contains("form"));

    // FormCatalogue::from_entries reads the cached bodies: the revised form field is there.
    auto forms_cat = forms::FormCatalogue::from_entries(cached, "cache");
    auto def = forms_cat.find(code);
    BOOST_REQUIRE(def);
    BOOST_CHECK(def->find("revised_note") >= 0);
    BOOST_CHECK_EQUAL(forms_cat.all().size(), entries.size());

    // The store's catalogue is now the platform's, in both models.
    auto cat = catalogue::load_store_catalogue(s->db());
    BOOST_CHECK(cat.from_platform);
    BOOST_CHECK_EQUAL(cat.version, "2026.12.5");
    const auto* item = cat.catalogue.item(code);
    BOOST_REQUIRE(item);
    BOOST_CHECK_EQUAL(item->name, "修订后的事项");
    BOOST_CHECK_EQUAL(item->spec.promised_limit_days, promised);
    BOOST_CHECK_EQUAL(item->spec.materials.back().code, "revised_m");
    BOOST_REQUIRE(cat.forms.find(code));
    BOOST_CHECK_EQUAL(cat.forms.find(code)->name(), "修订后的事项");
    BOOST_CHECK(cat.forms.find(code)->find("revised_note") >= 0);
    BOOST_CHECK_EQUAL(cat.forms.all().size(), entries.size());
}

BOOST_FIXTURE_TEST_CASE(a_download_the_form_engine_refuses_stays_out_of_the_cache, StoreFixture) {
    stage_all(s->db(), "2026.12.5", catalogue_entries());
    catalogue::promote_staged(s->db());
    // ow_core takes this item (it does not read "form"), the form engine does not: a rule names
    // a field the form lacks.
    auto entries = catalogue_entries();
    json item = json::parse(entries.front().second);
    item["form"]["checks"] = json::array({{{"id", "bad"}, {"rule", "no_such_field == 1"}, {"message", {{"zh_CN", "错"}, {"en", "bad"}}}}});
    entries.front().second = item.dump();
    BOOST_CHECK_NO_THROW(core::parse_item(item, "probe"));
    stage_all(s->db(), "2026.12.6", entries);
    BOOST_CHECK_THROW(catalogue::promote_staged(s->db()), forms::DefinitionError);
    store::CatalogCache cache(s->db());
    BOOST_CHECK_EQUAL(cache.version(), "2026.12.5");
    BOOST_CHECK(cache.entries() == catalogue_entries());
    BOOST_CHECK_EQUAL(catalogue::load_store_catalogue(s->db()).version, "2026.12.5");
}

BOOST_FIXTURE_TEST_CASE(a_cache_this_build_cannot_read_falls_back_to_the_shipped_one, StoreFixture) {
    stage_all(s->db(), "2026.12.5", catalogue_entries());
    catalogue::promote_staged(s->db());
    // As if a newer build had cached a form this one does not know.
    json item = json::parse(catalogue_entries().front().second);
    item["form"]["fields"].push_back({{"id", "future"}, {"type", "hologram"}, {"label", {{"zh_CN", "未来"}, {"en", "future"}}}});
    s->db().cached("UPDATE catalog_cache SET body = ? WHERE code = ?").bind(1, item.dump()).bind(2, item["code"].get<std::string>()).run();
    auto cat = catalogue::load_store_catalogue(s->db());
    BOOST_CHECK(!cat.from_platform);
    BOOST_CHECK_EQUAL(cat.version, catalogue::kShippedVersion);
    BOOST_CHECK(cat.problem.find("hologram") != std::string::npos);
    BOOST_CHECK_EQUAL(cat.catalogue.items().size(), test::catalogue().items().size());
}

BOOST_AUTO_TEST_SUITE_END()
