// The device plugins through the host, the pipe and the helper: real answers.
#include "ow/core/validators.h"
#include "ow/plugins/host.h"

#include <poppler-document.h>
#include <poppler-page.h>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

namespace fs = std::filesystem;
using namespace ow::plugins;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

HostOptions options() {
    HostOptions o;
    o.search_path = {OW_BUILD_PLUGIN_DIR};
    o.helper = OW_PLUGIN_HELPER;
    return o;
}

struct TempDir {
    fs::path path;
    TempDir() {
        std::string t = (fs::temp_directory_path() / "ow-scan-test-XXXXXX").string();
        BOOST_REQUIRE(::mkdtemp(t.data()));
        path = t;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// Width and height from a PNG file's IHDR chunk (after checking the signature).
std::pair<unsigned, unsigned> png_size(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    unsigned char h[24] = {};
    in.read(reinterpret_cast<char*>(h), sizeof h);
    BOOST_REQUIRE(in.gcount() == 24);
    const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    BOOST_REQUIRE(std::equal(sig, sig + 8, h));
    BOOST_REQUIRE(std::string(reinterpret_cast<char*>(h + 12), 4) == "IHDR");
    auto be32 = [&](int o) {
        return unsigned(h[o]) << 24 | unsigned(h[o + 1]) << 16 | unsigned(h[o + 2]) << 8 | h[o + 3];
    };
    return {be32(16), be32(20)};
}

// Sets an environment variable for one scope (the helpers inherit it).
struct EnvGuard {
    std::string name;
    EnvGuard(std::string n, const std::string& value) : name(std::move(n)) { ::setenv(name.c_str(), value.c_str(), 1); }
    ~EnvGuard() { ::unsetenv(name.c_str()); }
};

template <class E, class F>
E expect_error(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e;
    }
    BOOST_FAIL("no error of the expected type was thrown");
    throw;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(idcard_sim)

BOOST_AUTO_TEST_CASE(reads_synthetic_cards_with_valid_ids) {
    PluginHost host(options());
    auto card = host.call("idcard-sim", "read");
    BOOST_TEST(card["source"] == "idcard-sim");
    BOOST_TEST(!card["name"].get<std::string>().empty());
    auto id = card["id_number"].get<std::string>();
    BOOST_TEST(id.size() == 18u);
    BOOST_TEST(ow::core::check_resident_id(id).valid);

    auto list = host.call("idcard-sim", "list")["cards"];
    BOOST_REQUIRE(list.size() >= 4u);
    std::set<std::string> ids;
    bool long_term = false;
    for (std::size_t i = 0; i < list.size(); ++i) {
        auto c = host.call("idcard-sim", "read", {{"index", i}});
        auto check = ow::core::check_resident_id(c["id_number"].get<std::string>());
        BOOST_TEST(check.valid, c["id_number"]);
        BOOST_TEST(ow::core::format_date(*check.birth) == c["birth"].get<std::string>());
        BOOST_TEST((check.sex == ow::core::Sex::male) == (c["sex"] == "male"));
        ids.insert(c["id_number"].get<std::string>());
        long_term = long_term || c["long_term"].get<bool>();
    }
    BOOST_TEST(ids.size() == list.size());
    BOOST_TEST(long_term);  // at least one 长期 card for training
    auto by_id = host.call("idcard-sim", "read", {{"id_number", list[1]["id_number"]}});
    BOOST_TEST(by_id["name"] == list[1]["name"]);
}

BOOST_AUTO_TEST_CASE(simulated_failures) {
    PluginHost host(options());
    auto u = expect_error<DeviceUnavailable>([&] { host.call("idcard-sim", "read", {{"simulate", "unavailable"}}); });
    BOOST_TEST(u.code() == "plugin.unavailable");
    auto n = expect_error<PluginFailed>([&] { host.call("idcard-sim", "read", {{"simulate", "no_card"}}); });
    BOOST_TEST(std::string(n.what()).find("no card") != std::string::npos);
    BOOST_CHECK_THROW(host.call("idcard-sim", "read", {{"index", 99}}), PluginRequestError);
}

BOOST_AUTO_TEST_CASE(a_cards_file_with_an_invalid_id_is_refused) {
    TempDir t;
    std::ofstream(t.path / "cards.json") << R"({"cards": [{"name": "错号", "sex_code": "1", "ethnicity_code": "01",
        "birth": "1990-03-07", "address": "测试", "id_number": "110105199003072910", "authority": "测试",
        "valid_from": "2015-06-01", "valid_to": "2035-06-01"}]})";
    EnvGuard env("ONEWINDOW_IDCARD_SIM_CARDS", (t.path / "cards.json").string());
    PluginHost host(options());
    auto e = expect_error<PluginRefused>([&] { host.call("idcard-sim", "read"); });
    BOOST_TEST(e.code() == "plugin.load_failed");
    BOOST_TEST(std::string(e.what()).find("/cards/0/id_number") != std::string::npos, e.what());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(idcard_sdt)

BOOST_AUTO_TEST_CASE(without_a_vendor_library_the_reader_is_unavailable) {
    HostOptions o = options();
    PluginHost host(o);
    ::unsetenv("ONEWINDOW_SDT_LIBRARY");
    auto e = expect_error<DeviceUnavailable>([&] { host.call("idcard-sdt", "read"); });
    BOOST_TEST(std::string(e.what()).find("no reader library") != std::string::npos, e.what());
    BOOST_TEST((host.status("idcard-sdt").state == DeviceState::unavailable));
}

BOOST_AUTO_TEST_CASE(reads_through_a_vendor_library) {
    EnvGuard env("ONEWINDOW_SDT_LIBRARY", OW_FAKE_SDT_LIBRARY);
    PluginHost host(options());
    json card;
    BOOST_CHECK_NO_THROW(card = host.call("idcard-sdt", "read"));
    BOOST_TEST(card["name"] == "赵样卡");
    BOOST_TEST(card["sex"] == "female");
    BOOST_TEST(card["ethnicity"] == "回族");
    BOOST_TEST(card["birth"] == "1988-12-12");
    BOOST_TEST(card["address"] == "浙江省杭州市西湖区测试路100号");
    BOOST_TEST(card["id_number"] == "330106198812120021");
    BOOST_TEST(card["id_valid"] == true);
    BOOST_TEST(card["long_term"] == true);
    BOOST_TEST(card["port"] == 1001);
    BOOST_TEST(card["photo_wlt_base64"].get<std::string>().size() == 1368u);  // 1024 bytes
    BOOST_TEST(card["source"] == "idcard-sdt");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(scanner_sane)

BOOST_AUTO_TEST_CASE(scans_pages_to_png_and_a_multi_page_pdf) {
    TempDir t;
    PluginHost host(options());
    auto answer = host.call("scanner-sane", "scan",
                            {{"device", "test"}, {"pages", 3}, {"resolution", 50}, {"output_dir", t.path.string()}});
    BOOST_TEST(answer["device"] == "test");
    BOOST_REQUIRE(answer["pages"].size() == 3u);
    for (const auto& page : answer["pages"]) {
        fs::path png = page["png"].get<std::string>();
        BOOST_TEST(png.parent_path() == t.path);
        auto [w, h] = png_size(png);
        BOOST_TEST(w == page["width"].get<unsigned>());
        BOOST_TEST(h == page["height"].get<unsigned>());
        BOOST_TEST(w > 10u);
        BOOST_TEST(h > 10u);
    }
    fs::path pdf = answer["pdf"].get<std::string>();
    BOOST_REQUIRE(fs::exists(pdf));
    // Checked by an independent reader (Poppler): three pages of the scanned size.
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(pdf.string()));
    BOOST_REQUIRE(doc);
    BOOST_TEST(doc->pages() == 3);
    std::unique_ptr<poppler::page> p(doc->create_page(0));
    auto rect = p->page_rect();
    double want_w = answer["pages"][0]["width"].get<double>() * 72.0 / answer["resolution"].get<double>();
    BOOST_TEST(std::abs(rect.width() - want_w) < 1.0);
    // Nothing half-written is left behind.
    for (const auto& e : fs::directory_iterator(t.path))
        BOOST_TEST(e.path().extension() != ".part");
}

BOOST_AUTO_TEST_CASE(the_document_feeder_runs_until_empty) {
    TempDir t;
    PluginHost host(options());
    // SANE's test device reports an empty feeder after 10 sheets.
    auto answer = host.call("scanner-sane", "scan",
                            {{"device", "test"},
                             {"pages", 50},
                             {"resolution", 25},
                             {"mode", "Gray"},
                             {"format", "pdf"},
                             {"output_dir", t.path.string()},
                             {"options", {{"source", "Automatic Document Feeder"}}}});
    BOOST_TEST(answer["pages"].size() == 10u);
    BOOST_TEST(!answer["pages"][0].contains("png"));
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(answer["pdf"].get<std::string>()));
    BOOST_REQUIRE(doc);
    BOOST_TEST(doc->pages() == 10);
}

BOOST_AUTO_TEST_CASE(unknown_devices_and_bad_requests) {
    PluginHost host(options());
    BOOST_CHECK_THROW(host.call("scanner-sane", "scan", {{"device", "no-such-scanner:0"}}), DeviceUnavailable);
    BOOST_CHECK_THROW(host.call("scanner-sane", "scan", {{"device", "test"}, {"format", "tiff"}}), PluginRequestError);
    BOOST_CHECK_THROW(host.call("scanner-sane", "scan", {{"device", "test"}, {"pages", "two"}}), PluginRequestError);
    BOOST_CHECK_THROW(host.call("scanner-sane", "scan", {{"device", "test"}, {"output_dir", 7}}), PluginRequestError);
    BOOST_CHECK_THROW(host.call("scanner-sane", "scan", {{"device", "test"}, {"options", {{"no-such-option", 1}}}}),
                      PluginRequestError);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rating_sim)

BOOST_AUTO_TEST_CASE(answers_one_of_five_levels_with_a_reason_for_bad_ones) {
    PluginHost host(options());
    std::set<int> seen;
    for (int i = 0; i < 200; ++i) {
        std::string id = "case-" + std::to_string(i);
        auto r = host.call("rating-sim", "rate", {{"case", {{"id", id}, {"item_name", "测试事项"}}}});
        int level = r["level"];
        BOOST_TEST((level >= 1 && level <= 5));
        BOOST_TEST(r["case_id"] == id);
        BOOST_TEST(r.contains("reason") == (level >= 4));
        if (level >= 4) BOOST_TEST(!r["reason"].get<std::string>().empty());
        seen.insert(level);
        if (i < 3) BOOST_TEST(host.call("rating-sim", "rate", {{"case", {{"id", id}}}})["level"] == level);  // stable
    }
    BOOST_TEST(seen.size() >= 4u);
    auto bad =
        host.call("rating-sim", "rate", {{"case", {{"id", "x"}}}, {"simulate", {{"level", 5}, {"reason", "等太久"}}}});
    BOOST_TEST(bad["label"] == "very_dissatisfied");
    BOOST_TEST(bad["reason"] == "等太久");
    BOOST_CHECK_THROW(host.call("rating-sim", "rate", {{"simulate", {{"level", 1}}}}), PluginRequestError);
    BOOST_CHECK_THROW(host.call("rating-sim", "rate", {{"case", {{"id", "x"}}}, {"simulate", {{"level", 6}}}}),
                      PluginRequestError);
}

BOOST_AUTO_TEST_SUITE_END()
