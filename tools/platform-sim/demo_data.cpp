#include "demo_data.h"

#include "platform_db.h"
#include "tsa.h"
#include "util.h"

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/core/json_reader.h"
#include "ow/core/paths.h"
#include "ow/core/validators.h"

#include <algorithm>
#include <vector>

namespace ow::sim {

namespace {

struct Entry {
    std::string type, code;
    nlohmann::json body;
};

std::vector<Entry> read_entries(const std::filesystem::path& dir, const char* type) {
    std::error_code ec;
    std::vector<Entry> out;
    for (const auto& f : core::json_files_in(dir, ec)) {
        nlohmann::json j = core::read_json_file(f);
        out.push_back({type, j.value("code", std::string()), std::move(j)});
    }
    if (ec) throw InputError("cannot read the shipped catalogue in " + dir.string() + ": " + ec.message());
    std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.code < b.code; });
    return out;
}

std::uint64_t h64(std::string_view s) {
    const std::string d = sha256_raw(s);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(d[std::size_t(i)]);
    return v;
}

}  // namespace

void install_demo_data(PlatformDb& pdb) {
    auto& db = pdb.db();
    // The catalogue: validated by ow_core exactly as a terminal will (a shipped definition that
    // does not load is a build problem, not something to serve), then served as the files are.
    const auto dir = core::data_dir() / "catalog";
    try {
        (void)core::Catalogue::load_directory(dir);
    } catch (const core::Error& e) {
        throw InputError(std::string("the shipped catalogue does not load: ") + e.what());
    }
    auto items = read_entries(dir / "items", "item");
    auto bundles = read_entries(dir / "bundles", "bundle");
    int seq = 0;
    for (auto* list : {&items, &bundles})
        for (const auto& e : *list)
            db.cached("INSERT INTO catalogue(seq, type, code, body) VALUES(?1, ?2, ?3, ?4)")
                .bind(1, ++seq)
                .bind(2, e.type)
                .bind(3, e.code)
                .bind(4, dump(e.body))
                .run();
    pdb.set_meta("catalogue_revision", "0");
    pdb.set_meta("catalogue_version", compute_catalogue_version(pdb));

    // Calendars: the year files as they ship (checked by ow_core first).
    std::error_code ec;
    for (const auto& f : core::json_files_in(core::data_dir() / "calendar", ec)) {
        const std::string text = read_file(f.string());
        core::CalendarYear y;
        try {
            y = core::CalendarYear::parse(text, f.filename().string());
        } catch (const core::Error& e) {
            throw InputError(std::string("a shipped calendar does not load: ") + e.what());
        }
        db.cached("INSERT INTO calendars(year, revision, body) VALUES(?1, ?2, ?3)")
            .bind(1, y.year)
            .bind(2, y.document)
            .bind(3, dump(nlohmann::json::parse(text)))
            .run();
    }
    if (ec) throw InputError("cannot read the shipped calendars: " + ec.message());

    create_tsa_material(pdb);
    pdb.set_meta("platform", "山东省一体化政务服务平台（训练）");
}

std::string compute_catalogue_version(PlatformDb& pdb) {
    auto& st = pdb.db().cached("SELECT body FROM catalogue ORDER BY seq");
    std::string all = "rev:" + pdb.meta("catalogue_revision").value_or("0") + "\n";
    std::string top;
    while (st.step()) {
        const std::string body = st.text(0);
        all += body;
        all += '\n';
        const auto j = nlohmann::json::parse(body, nullptr, false);
        if (j.is_object() && j.contains("version") && j["version"].is_string()) top = std::max(top, j["version"].get<std::string>());
    }
    st.reset();
    if (top.empty()) top = "1";
    return top + "." + sha256_hex(all).substr(0, 8);
}

std::map<std::string, ItemInfo> load_item_info(PlatformDb& pdb) {
    std::map<std::string, ItemInfo> out;
    auto& st = pdb.db().cached("SELECT body FROM catalogue WHERE type = 'item'");
    while (st.step()) {
        const auto j = nlohmann::json::parse(st.text(0), nullptr, false);
        if (!j.is_object()) continue;
        ItemInfo info;
        info.name = j.value("name", "");
        info.department = j.value("department", "");
        if (j.contains("spec") && j["spec"].is_object()) {
            info.result_name = j["spec"].value("result_name", "");
            info.legal_basis = j["spec"].value("legal_basis", "");
        }
        out[j.value("code", "")] = info;
    }
    st.reset();
    return out;
}

nlohmann::json demo_elicences(const std::string& doc_type, const std::string& doc_number) {
    using nlohmann::json;
    json list = json::array();
    const std::uint64_t h = h64("elicence:" + doc_number);
    static const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"};
    static const char* kGiven[] = {"芳", "伟", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "婷", "强", "丽"};
    const std::string holder = std::string(kSurnames[h % 12]) + kGiven[(h >> 8) % 14] + ((h >> 16) % 2 ? kGiven[(h >> 20) % 14] : "");

    const auto uscc_for = [&](std::string_view region) {
        // 9 (个体工商户 registration authority class 9, type 2) + region + 9 characters + check.
        static constexpr char kSym[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        std::string s = "92" + std::string(region.substr(0, 6));
        std::uint64_t x = h;
        for (int i = 0; i < 9; ++i) {
            s.push_back(kSym[x % 31]);
            x /= 31;
        }
        s.push_back(core::uscc_check_char(s));
        return s;
    };

    const auto id = core::check_resident_id(doc_number);
    if (doc_type == "111" && id.valid && !id.legacy) {
        const std::string region = id.normalized.substr(0, 6);
        const std::string city = region.substr(0, 4);
        const char* police = city == "3701" ? "济南市公安局" : city == "3702" ? "青岛市公安局" : city == "1101" ? "北京市公安局"
                           : city == "3101" ? "上海市公安局" : "公安机关";
        const int birth_year = std::stoi(id.normalized.substr(6, 4));
        const int from_year = std::max(birth_year + 16, 2015) + int(h % 5);
        const std::string from = std::to_string(from_year) + "-0" + std::to_string(1 + (h >> 4) % 9) + "-1" + std::to_string((h >> 12) % 10);
        const bool long_term = birth_year < 1980;
        list.push_back({{"type_code", "CN-111"}, {"name", "居民身份证"}, {"number", id.normalized},
                        {"issuer", std::string(police) + "（训练数据）"}, {"holder_name", holder},
                        {"valid_from", from}, {"valid_to", long_term ? "长期" : std::to_string(from_year + 20) + from.substr(4)},
                        {"status", "valid"}});
        if (h % 3 == 0)
            list.push_back({{"type_code", "CN-BL-92"}, {"name", "营业执照"}, {"number", uscc_for(region)},
                            {"issuer", "市场监督管理局（训练数据）"}, {"holder_name", holder + "便民商店"},
                            {"valid_from", "2023-05-01"}, {"valid_to", "长期"}, {"status", "valid"}});
        if (h % 4 == 1 && birth_year < 2004)
            list.push_back({{"type_code", "CN-MC"}, {"name", "结婚证"}, {"number", "J" + region + "-" + std::to_string(2010 + h % 14) + "-" + std::to_string(100000 + h % 900000)},
                            {"issuer", "民政局婚姻登记处（训练数据）"}, {"holder_name", holder},
                            {"valid_from", std::to_string(2010 + h % 14) + "-10-01"}, {"valid_to", "长期"}, {"status", "valid"}});
        if (h % 5 == 2)
            list.push_back({{"type_code", "CN-BDC"}, {"name", "不动产权证书"}, {"number", "鲁（2021）济南市不动产权第" + std::to_string(1000000 + h % 9000000) + "号"},
                            {"issuer", "自然资源和规划局（训练数据）"}, {"holder_name", holder},
                            {"valid_from", "2021-06-18"}, {"valid_to", "长期"}, {"status", "valid"}});
    } else {
        const auto u = core::check_uscc(doc_number);
        if (u.status != core::UsccStatus::invalid) {
            static const char* kNames[] = {"泉城", "明湖", "齐鲁", "历下", "趵突", "千佛山"};
            static const char* kKinds[] = {"商贸有限公司", "科技有限公司", "餐饮管理有限公司", "建筑工程有限公司"};
            list.push_back({{"type_code", "CN-BL"}, {"name", "营业执照"}, {"number", u.normalized},
                            {"issuer", "市场监督管理局（训练数据）"},
                            {"holder_name", std::string("济南") + kNames[h % 6] + kKinds[(h >> 8) % 4]},
                            {"valid_from", std::to_string(2015 + h % 9) + "-03-15"}, {"valid_to", "长期"}, {"status", "valid"}});
        }
    }
    return {{"licences", list}, {"training", true}};
}

}  // namespace ow::sim
