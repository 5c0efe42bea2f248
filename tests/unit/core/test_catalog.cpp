// The service catalogue: loading the shipped items and bundle, search, strict parsing with JSON
// pointers in error messages, fees, and JSON round trips.
#include "ow/core/catalog.h"
#include "ow/core/error.h"
#include "ow/core/json_reader.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

using namespace ow::core;
using nlohmann::json;

namespace {

const std::string kCatalogDir = std::string(OW_SOURCE_DIR) + "/forms/catalog";

const Catalogue& shipped() {
    static const Catalogue cat = Catalogue::load_directory(kCatalogDir);
    return cat;
}

std::set<std::string> codes(const std::vector<const ServiceItem*>& v) {
    std::set<std::string> out;
    for (const auto* i : v) out.insert(i->code);
    return out;
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

// A complete, valid item as JSON; tests break one thing at a time.
json item_json() {
    return json::parse(R"({
      "code": "TEST-0001", "name": "测试事项", "department": "测试局",
      "kind": "promised", "zone": "livelihood",
      "spec": {
        "legal_limit_days": 20, "promised_limit_days": 5,
        "fees": [{"name": "工本费", "amount_fen": 1050}, {"name": "检测费", "amount_fen": 2000, "basis": "某规定"}],
        "service_objects": [1, 2],
        "materials": [
          {"code": "a", "name": "申请书", "form": "original", "originals": 1, "necessity": "required", "source": "online"},
          {"code": "b", "name": "身份证", "form": "copy", "copies": 2, "necessity": "required", "source": "government",
           "e_licence_type": "居民身份证"},
          {"code": "c", "name": "任职文件", "form": "original_or_copy", "necessity": "deferrable", "commitment_allowed": true}
        ]
      }
    })");
}

std::string parse_error(const json& j) {
    try {
        parse_item(j, "items/test.json");
    } catch (const InvalidData& e) {
        return e.what();
    }
    return "<no InvalidData>";
}

std::filesystem::path temp_catalog(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "items");
    std::filesystem::create_directories(dir / "bundles");
    return dir;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(catalog_loading)

BOOST_AUTO_TEST_CASE(loads_shipped_items_and_bundle) {
    const auto& cat = shipped();
    BOOST_CHECK_EQUAL(cat.items().size(), 17u);
    BOOST_REQUIRE_EQUAL(cat.bundles().size(), 4u);
    const ServiceItem* gt = cat.item("370102-SC-0001-001");
    BOOST_REQUIRE(gt);
    BOOST_CHECK_EQUAL(gt->name, "个体工商户设立登记");
    BOOST_CHECK(gt->kind == ItemKind::immediate);
    BOOST_CHECK(gt->zone == Zone::business_registration);
    BOOST_CHECK_EQUAL(gt->spec.legal_limit_days, 15);
    BOOST_CHECK_EQUAL(gt->spec.promised_limit_days, 0);
    BOOST_CHECK_EQUAL(gt->spec.materials.size(), 4u);
    const MaterialSpec* premises = gt->material("premises");
    BOOST_REQUIRE(premises);
    BOOST_CHECK(premises->commitment_allowed);
    BOOST_CHECK(premises->form == MaterialForm::copy);
    BOOST_CHECK_EQUAL(premises->copies, 1);
    const MaterialSpec* op = gt->material("operator_id");
    BOOST_REQUIRE(op);
    BOOST_CHECK(op->source == MaterialSource::government);
    BOOST_CHECK_EQUAL(op->e_licence_type, "居民身份证");
    BOOST_CHECK(!gt->material("nope"));

    const ServiceItem* qy = cat.item("370102-SC-0002-001");
    BOOST_REQUIRE(qy);
    BOOST_CHECK(qy->kind == ItemKind::promised);
    BOOST_CHECK_EQUAL(qy->spec.promised_limit_days, 1);
    BOOST_CHECK_EQUAL(qy->spec.promised_limit_minutes, 240);  // 企业开办 within 4 hours (Leshan)
    BOOST_CHECK(qy->spec.depth == HandlingDepth::original_precheck);
    BOOST_REQUIRE(qy->material("officers"));
    BOOST_CHECK(qy->material("officers")->necessity == Necessity::deferrable);

    const Bundle* b = cat.bundle("BUNDLE-QYKB");
    BOOST_REQUIRE(b);
    BOOST_CHECK_EQUAL(b->name, "企业开办一件事");
    BOOST_CHECK((b->items == std::vector<std::string>{"370102-SC-0002-001", "370102-GA-0210-001", "370102-SW-0101-001",
                                                      "370102-RS-0201-001", "370102-GJ-0301-001"}));
    BOOST_CHECK_EQUAL(b->promised_limit_days, 1);
    for (const auto& code : b->items) BOOST_CHECK_MESSAGE(cat.item(code), code);
    BOOST_CHECK(!cat.bundle("BUNDLE-NONE"));
    BOOST_CHECK(!cat.item(""));
}

BOOST_AUTO_TEST_CASE(missing_directory_is_refused) {
    BOOST_CHECK_THROW(Catalogue::load_directory(std::filesystem::temp_directory_path() / "ow_no_such_catalogue"), InvalidData);
}

BOOST_AUTO_TEST_CASE(bad_item_file_names_the_file_and_pointer) {
    auto dir = temp_catalog("ow_test_catalog_bad_item");
    json j = item_json();
    j["kind"] = "urgent";
    std::ofstream(dir / "items" / "broken.json") << j.dump();
    std::string msg;
    try {
        Catalogue::load_directory(dir);
    } catch (const InvalidData& e) {
        msg = e.what();
    }
    BOOST_TEST_INFO("message: " << msg);
    BOOST_CHECK(contains(msg, "broken.json"));
    BOOST_CHECK(contains(msg, "/kind"));
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(bad_json_file_is_a_parse_error) {
    auto dir = temp_catalog("ow_test_catalog_bad_json");
    std::ofstream(dir / "items" / "broken.json") << "{\"code\": ";
    BOOST_CHECK_THROW(Catalogue::load_directory(dir), ParseError);
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(duplicate_item_codes_are_refused) {
    Catalogue cat;
    cat.add_item(parse_item(item_json(), "a"));
    BOOST_CHECK_THROW(cat.add_item(parse_item(item_json(), "b")), InvalidData);
    BOOST_CHECK_EQUAL(cat.items().size(), 1u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(catalog_bundles)

BOOST_AUTO_TEST_CASE(bundle_naming_an_unknown_item) {
    Catalogue cat;
    cat.add_item(parse_item(item_json(), "a"));
    Bundle b;
    b.code = "BUNDLE-X";
    b.name = "测试一件事";
    b.items = {"TEST-0001", "TEST-9999"};
    std::string msg;
    try {
        cat.add_bundle(b);
    } catch (const InvalidData& e) {
        msg = e.what();
    }
    BOOST_TEST_INFO("message: " << msg);
    BOOST_CHECK(contains(msg, "TEST-9999"));
    BOOST_CHECK(contains(msg, "/items/1"));
    BOOST_CHECK(cat.bundles().empty());

    json other = item_json();
    other["code"] = "TEST-9999";
    cat.add_item(parse_item(other, "b"));
    BOOST_CHECK_NO_THROW(cat.add_bundle(b));
    BOOST_CHECK_EQUAL(cat.bundles().size(), 1u);
    BOOST_CHECK_THROW(cat.add_bundle(b), InvalidData);  // duplicate bundle code
}

BOOST_AUTO_TEST_CASE(bundle_file_with_unknown_item_names_the_file) {
    auto dir = temp_catalog("ow_test_catalog_bad_bundle");
    std::ofstream(dir / "items" / "t.json") << item_json().dump();
    std::ofstream(dir / "bundles" / "b.json")
        << R"({"code": "BUNDLE-X", "name": "x", "zone": "livelihood", "items": ["TEST-0001", "NOPE"], "promised_limit_days": 3})";
    std::string msg;
    try {
        Catalogue::load_directory(dir);
    } catch (const InvalidData& e) {
        msg = e.what();
    }
    BOOST_TEST_INFO("message: " << msg);
    BOOST_CHECK(contains(msg, "b.json"));
    BOOST_CHECK(contains(msg, "/items/1"));
    BOOST_CHECK(contains(msg, "NOPE"));
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(parse_bundle_rules) {
    json b = json::parse(R"({"code": "B", "name": "x", "zone": "livelihood", "items": ["A"], "promised_limit_days": 3})");
    std::string msg;
    try {
        parse_bundle(b, "bundles/b.json");
    } catch (const InvalidData& e) {
        msg = e.what();
    }
    BOOST_TEST_INFO("message: " << msg);
    BOOST_CHECK(contains(msg, "/items"));
    b["items"] = {"A", "B"};
    b["zone"] = "lobby";
    BOOST_CHECK_THROW(parse_bundle(b, "bundles/b.json"), InvalidData);
    b["zone"] = "livelihood";
    Bundle ok = parse_bundle(b, "bundles/b.json");
    BOOST_CHECK(ok.zone == Zone::livelihood);
    BOOST_CHECK_EQUAL(ok.promised_limit_days, 3);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(catalog_search)

BOOST_AUTO_TEST_CASE(by_name_substring) {
    const auto& cat = shipped();
    BOOST_CHECK((codes(cat.search("登记")) ==
                 std::set<std::string>{"370102-ZR-0031-002", "370102-SC-0001-001", "370102-SC-0002-001", "370102-YB-0107-001",
                                       "370102-RS-0201-001", "370102-GJ-0301-001", "370102-ZR-0012-001", "370102-GA-0220-001"}));
    BOOST_CHECK((codes(cat.search("个体工商户")) == std::set<std::string>{"370102-SC-0001-001"}));
    BOOST_CHECK((codes(cat.search("公章")) == std::set<std::string>{"370102-GA-0210-001"}));
    BOOST_CHECK(cat.search("不存在的事项").empty());
}

BOOST_AUTO_TEST_CASE(by_pinyin_initials_prefix) {
    const auto& cat = shipped();
    BOOST_CHECK((codes(cat.search("gtgs")) == std::set<std::string>{"370102-SC-0001-001"}));
    BOOST_CHECK((codes(cat.search("GTGS")) == std::set<std::string>{"370102-SC-0001-001"}));
    BOOST_CHECK((codes(cat.search("gtgshsldj")) == std::set<std::string>{"370102-SC-0001-001"}));
    BOOST_CHECK((codes(cat.search("qy")) == std::set<std::string>{"370102-SC-0002-001"}));
    BOOST_CHECK(cat.search("sldj").empty());  // prefix, not substring
    BOOST_CHECK(cat.search("gtgshsldjx").empty());
}

BOOST_AUTO_TEST_CASE(by_code_prefix) {
    const auto& cat = shipped();
    BOOST_CHECK((codes(cat.search("370102-SC")) == std::set<std::string>{"370102-SC-0001-001", "370102-SC-0002-001"}));
    BOOST_CHECK((codes(cat.search("370102-sc-0002")) == std::set<std::string>{"370102-SC-0002-001"}));
    BOOST_CHECK_EQUAL(cat.search("370102").size(), 17u);
    BOOST_CHECK(cat.search("0002-001").empty());  // prefix, not substring
}

BOOST_AUTO_TEST_CASE(with_zone_filter) {
    const auto& cat = shipped();
    BOOST_CHECK_EQUAL(cat.search("").size(), 17u);
    BOOST_CHECK((codes(cat.search("", Zone::business_registration)) ==
                 std::set<std::string>{"370102-SC-0001-001", "370102-SC-0002-001", "370102-GA-0210-001", "370102-SW-0101-001",
                                       "370102-RS-0201-001", "370102-GJ-0301-001", "370102-KJ-0601-001", "370102-GA-0610-001"}));
    BOOST_CHECK((codes(cat.search("登记", Zone::business_registration)) ==
                 std::set<std::string>{"370102-SC-0001-001", "370102-SC-0002-001", "370102-RS-0201-001", "370102-GJ-0301-001"}));
    BOOST_CHECK((codes(cat.search("登记", Zone::social_affairs)) ==
                 std::set<std::string>{"370102-YB-0107-001", "370102-GA-0220-001"}));
    BOOST_CHECK((codes(cat.search("", Zone::livelihood)) == std::set<std::string>{"370102-ZR-0031-002", "370102-ZR-0012-001"}));
    BOOST_CHECK(cat.search("gtgs", Zone::livelihood).empty());
    BOOST_CHECK(cat.search("", Zone::investment_construction).empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(catalog_parse_item)

BOOST_AUTO_TEST_CASE(valid_item) {
    ServiceItem it = parse_item(item_json(), "items/test.json");
    BOOST_CHECK_EQUAL(it.code, "TEST-0001");
    BOOST_CHECK(it.kind == ItemKind::promised);
    BOOST_CHECK(it.zone == Zone::livelihood);
    BOOST_CHECK_EQUAL(it.item_type, 1);  // defaults
    BOOST_CHECK_EQUAL(it.level, 3);
    BOOST_CHECK_EQUAL(it.version, "1");
    BOOST_CHECK(it.spec.depth == HandlingDepth::on_site);
    BOOST_CHECK_EQUAL(it.spec.max_visits, 1);
    BOOST_REQUIRE_EQUAL(it.spec.materials.size(), 3u);
    BOOST_CHECK(it.spec.materials[0].source == MaterialSource::online);
    BOOST_CHECK(it.spec.materials[2].source == MaterialSource::applicant);  // default
    BOOST_CHECK(it.spec.materials[2].necessity == Necessity::deferrable);
    BOOST_CHECK(it.spec.materials[2].commitment_allowed);
    BOOST_CHECK_EQUAL(it.spec.materials[1].copies, 2);
    BOOST_CHECK((it.spec.service_objects == std::vector<int>{1, 2}));
}

BOOST_AUTO_TEST_CASE(unknown_kind_code) {
    json j = item_json();
    j["kind"] = "urgent";
    auto msg = parse_error(j);
    BOOST_TEST_INFO("message: " << msg);
    BOOST_CHECK(contains(msg, "items/test.json"));
    BOOST_CHECK(contains(msg, "/kind"));
    BOOST_CHECK(contains(msg, "urgent"));
}

BOOST_AUTO_TEST_CASE(promised_longer_than_legal) {
    json j = item_json();
    j["spec"]["promised_limit_days"] = 21;
    auto msg = parse_error(j);
    BOOST_TEST_INFO("message: " << msg);
    BOOST_CHECK(contains(msg, "/spec/promised_limit_days"));
    j["spec"]["promised_limit_days"] = 20;  // equal is allowed
    BOOST_CHECK_NO_THROW(parse_item(j, "items/test.json"));
}

BOOST_AUTO_TEST_CASE(immediate_with_promised_days) {
    json j = item_json();
    j["kind"] = "immediate";
    auto msg = parse_error(j);
    BOOST_TEST_INFO("message: " << msg);
    BOOST_CHECK(contains(msg, "/spec/promised_limit_days"));
    j["spec"]["promised_limit_days"] = 0;
    ServiceItem it = parse_item(j, "items/test.json");
    BOOST_CHECK(it.kind == ItemKind::immediate);
}

BOOST_AUTO_TEST_CASE(promised_limit_in_hours) {
    json j = item_json();
    BOOST_CHECK_EQUAL(parse_item(j, "t").spec.promised_limit_minutes, 0);
    j["spec"]["promised_limit_hours"] = 3.5;
    BOOST_CHECK_EQUAL(parse_item(j, "t").spec.promised_limit_minutes, 210);
    j["spec"]["promised_limit_hours"] = 24;
    BOOST_CHECK_EQUAL(parse_item(j, "t").spec.promised_limit_minutes, 1440);
    for (json bad : {json(0), json(-1), json(24.5), json(0.001), json("4"), json(true)}) {
        j["spec"]["promised_limit_hours"] = bad;
        auto msg = parse_error(j);
        BOOST_TEST_CONTEXT("hours " << bad.dump() << ": " << msg) { BOOST_CHECK(contains(msg, "/spec/promised_limit_hours")); }
    }
    // Only beside a limit of at least one working day, and never on an immediate item.
    j["spec"]["promised_limit_hours"] = 4;
    j["spec"]["promised_limit_days"] = 0;
    BOOST_CHECK(contains(parse_error(j), "/spec/promised_limit_hours"));
    j["kind"] = "immediate";
    BOOST_CHECK(contains(parse_error(j), "/spec/promised_limit_hours"));
}

BOOST_AUTO_TEST_CASE(duplicate_material_code) {
    json j = item_json();
    j["spec"]["materials"][2]["code"] = "a";
    auto msg = parse_error(j);
    BOOST_TEST_INFO("message: " << msg);
    BOOST_CHECK(contains(msg, "/spec/materials/2/code"));
    j["spec"]["materials"][2]["code"] = "";
    BOOST_CHECK(contains(parse_error(j), "/spec/materials/2/code"));
}

BOOST_AUTO_TEST_CASE(other_errors_name_the_pointer) {
    struct Bad {
        const char* what;
        json::json_pointer at;
        json value;
        const char* pointer;
    };
    const std::vector<Bad> cases{
        {"missing name", json::json_pointer("/name"), nullptr, "/name"},
        {"bad zone", json::json_pointer("/zone"), "lobby", "/zone"},
        {"number as code", json::json_pointer("/code"), 17, "/code"},
        {"level out of range", json::json_pointer("/level"), 7, "/level"},
        {"negative legal limit", json::json_pointer("/spec/legal_limit_days"), -1, "/spec/legal_limit_days"},
        {"bad necessity", json::json_pointer("/spec/materials/1/necessity"), "maybe", "/spec/materials/1/necessity"},
        {"bad form", json::json_pointer("/spec/materials/0/form"), "fax", "/spec/materials/0/form"},
        {"bad source", json::json_pointer("/spec/materials/2/source"), "friend", "/spec/materials/2/source"},
        {"fee as text", json::json_pointer("/spec/fees/1/amount_fen"), "20.00", "/spec/fees/1/amount_fen"},
        {"negative fee", json::json_pointer("/spec/fees/0/amount_fen"), -5, "/spec/fees/0/amount_fen"},
        {"service object 7", json::json_pointer("/spec/service_objects/1"), 7, "/spec/service_objects/1"},
        {"service object beyond int", json::json_pointer("/spec/service_objects/0"), 4294967297ULL, "/spec/service_objects/0"},
        {"commitment as text", json::json_pointer("/spec/materials/2/commitment_allowed"), "yes",
         "/spec/materials/2/commitment_allowed"},
        {"materials not an array", json::json_pointer("/spec/materials"), json::object(), "/spec/materials"},
    };
    for (const auto& c : cases) {
        json j = item_json();
        if (c.value.is_null())
            j[c.at.parent_pointer()].erase(c.at.back());
        else
            j[c.at] = c.value;
        auto msg = parse_error(j);
        BOOST_TEST_CONTEXT(c.what << ": " << msg) { BOOST_CHECK(contains(msg, c.pointer)); }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(catalog_fees_and_json)

BOOST_AUTO_TEST_CASE(total_fee_fen) {
    BOOST_CHECK_EQUAL(parse_item(item_json(), "t").total_fee_fen(), 3050);
    const auto& cat = shipped();
    BOOST_REQUIRE(cat.item("370102-YB-0107-001"));
    BOOST_CHECK_EQUAL(cat.item("370102-YB-0107-001")->total_fee_fen(), 38000);
    BOOST_REQUIRE(cat.item("370102-SC-0001-001"));
    BOOST_CHECK_EQUAL(cat.item("370102-SC-0001-001")->total_fee_fen(), 0);
    ServiceItem big;
    big.spec.fees = {{"a", 5'000'000'000, ""}, {"b", 1, ""}};  // beyond 32 bits: no overflow
    BOOST_CHECK_EQUAL(big.total_fee_fen(), 5'000'000'001);
}

BOOST_AUTO_TEST_CASE(item_round_trip) {
    std::vector<ServiceItem> all = shipped().items();
    all.push_back(parse_item(item_json(), "t"));
    json hours = item_json();
    hours["spec"]["promised_limit_hours"] = 3.5;
    all.push_back(parse_item(hours, "t"));
    for (const auto& it : all) {
        BOOST_TEST_CONTEXT(it.code) {
            json j = to_json(it);
            ServiceItem back = parse_item(j, "round-trip");
            BOOST_CHECK_EQUAL(to_json(back).dump(), j.dump());
            BOOST_CHECK_EQUAL(back.name, it.name);
            BOOST_CHECK_EQUAL(back.pinyin_initials, it.pinyin_initials);
            BOOST_CHECK(back.kind == it.kind);
            BOOST_CHECK(back.zone == it.zone);
            BOOST_CHECK_EQUAL(back.spec.materials.size(), it.spec.materials.size());
            BOOST_CHECK_EQUAL(back.total_fee_fen(), it.total_fee_fen());
            BOOST_CHECK_EQUAL(back.spec.promised_limit_minutes, it.spec.promised_limit_minutes);
        }
    }
}

BOOST_AUTO_TEST_CASE(bundle_round_trip) {
    const Bundle* b = shipped().bundle("BUNDLE-QYKB");
    BOOST_REQUIRE(b);
    json j = to_json(*b);
    Bundle back = parse_bundle(j, "round-trip");
    BOOST_CHECK_EQUAL(to_json(back).dump(), j.dump());
    BOOST_CHECK((back.items == b->items));
}

BOOST_AUTO_TEST_CASE(enum_codes) {
    BOOST_CHECK_EQUAL(to_code(ItemKind::escalated), "escalated");
    BOOST_CHECK(from_code<ItemKind>("immediate") == ItemKind::immediate);
    BOOST_CHECK(from_code<Necessity>("deferrable") == Necessity::deferrable);
    BOOST_CHECK(from_code<Zone>("public_convenience") == Zone::public_convenience);
    BOOST_CHECK_THROW(from_code<ItemKind>("Immediate"), InvalidData);
    BOOST_CHECK_EQUAL(zh_name(ItemKind::immediate), "即办件");
    BOOST_CHECK_EQUAL(zh_name(ItemKind::promised), "承诺件");
    BOOST_CHECK_EQUAL(zh_name(ItemKind::escalated), "上报件");
    BOOST_CHECK_EQUAL(zh_name(Necessity::deferrable), "容缺");
    BOOST_CHECK_EQUAL(zh_name(Zone::business_registration), "商事登记");
}

BOOST_AUTO_TEST_SUITE_END()
