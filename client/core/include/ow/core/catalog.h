// The service catalogue: service items (事项) with their implementation list (实施清单, ItemSpec)
// and materials (MaterialSpec), and bundles (一件事). This is the part of the catalogue that the
// domain needs; form definitions (ow_forms) extend the same JSON files with a "form" section.
// Codes in the JSON are the canonical English enum names below; provincial code tables are mapped
// at the edge (sync), never here.
#pragma once

#include "ow/core/date.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ow::core {

/// 即办件 / 承诺件 / 上报件
enum class ItemKind { immediate, promised, escalated };
/// 必要 / 非必要 / 容缺 (may be missing at intake, delivered later)
enum class Necessity { required, optional, deferrable };
/// 原件 / 复印件 / 原件或复印件 / 电子
enum class MaterialForm { original, copy, original_or_copy, electronic };
/// 申请人自备 / 政府部门核发 (obtainable as e-licence) / 在线填报
enum class MaterialSource { applicant, government, online };
/// 现场办理 / 原件预审 / 原件核验 / 全程网办
enum class HandlingDepth { on_site, original_precheck, original_verify, fully_online };
/// Hall zones (专区).
enum class Zone { investment_construction, business_registration, social_affairs, livelihood, public_convenience };

/// Fees are integers in fen (1 yuan = 100 fen); never floating point.
struct Fee {
    std::string name;
    std::int64_t amount_fen = 0;
    std::string basis;  // legal basis for charging
};

/// An amount in fen as yuan with two decimals, exact: 38000 → "380.00" (a minus sign when negative).
std::string format_yuan(std::int64_t fen);
/// Yuan as typed ("1,234.5", "¥12", "12元", "-3") to fen: at most two decimals, no floating point;
/// nothing for anything else or an amount beyond ±92 quadrillion yuan.
std::optional<std::int64_t> parse_yuan(std::string_view text);
/// An amount in 人民币大写 as receipts write it: 38000 fen → "叁佰捌拾元整", 1205 → "壹拾贰元零伍分",
/// 10000500 → "壹拾万零伍元整" (会计基础工作规范 art. 52: 整 after 元 or 角, never after 分).
std::string capital_yuan(std::int64_t fen);

struct MaterialSpec {
    std::string code;          // unique within the item
    std::string name;          // 材料名称
    MaterialForm form = MaterialForm::original;
    int originals = 0;         // 原件份数
    int copies = 0;            // 复印件份数
    Necessity necessity = Necessity::required;
    MaterialSource source = MaterialSource::applicant;
    std::string issuer;        // 出具机构
    std::string e_licence_type;     // when source == government: the e-licence type that replaces it
    bool commitment_allowed = false; // may be replaced by a written commitment (告知承诺)
    std::string condition;     // when it is required (form-engine expression); empty = always
    std::string notes;         // what to bring, where to get it
};

struct ItemSpec {
    std::vector<std::string> conditions;  // 受理条件
    int legal_limit_days = 0;              // 法定时限, working days
    int promised_limit_days = 0;           // 承诺时限, working days (<= legal)
    /// A shorter promise in hours of opening time (e.g. 企业开办 4 hours, 不动产 3.5 hours), in
    /// minutes; 0: none. JSON "promised_limit_hours" (a number of hours, whole minutes, over 0 and
    /// at most 24); only on items that are not immediate, beside promised_limit_days >= 1, which
    /// stays the limit the platform and the figures count (docs/calendar.md, "Limits in hours").
    int promised_limit_minutes = 0;
    std::vector<Fee> fees;                 // empty = free of charge
    HandlingDepth depth = HandlingDepth::on_site;
    std::string result_name;               // 结果名称, e.g. 营业执照
    std::string legal_basis;               // 设定依据
    std::string pickup;                    // where / how the result is collected
    std::vector<int> service_objects;      // GB/T 39046 服务对象 codes (1 自然人, 2 企业法人 …)
    int max_visits = 1;                    // 最多跑几次
    /// 告知承诺制: the applicant may commit to meeting the item's conditions (a commitment on the
    /// whole item) — besides the materials that each allow a commitment (commitment_allowed).
    bool commitment_scheme = false;
    /// 信即办: for an applicant in good credit standing (the platform's credit service), a written
    /// credit commitment replaces the applicant's materials still to come and the case is decided
    /// on the spot. Not for items decided elsewhere (escalated, 通办).
    bool credit_fast_track = false;
    /// Working days after a commitment within which it is verified (事中事后核查, by the regulator).
    int commitment_check_days = 20;
    std::vector<MaterialSpec> materials;
};

/// 通办: the item is accepted at this window and decided by another region's authority, to which
/// the case goes through the platform (item JSON member "cross_region").
struct CrossRegion {
    std::string region_code;  // the other region's 6-digit administrative division code
    std::string region;       // its name, e.g. 烟台市
    std::string authority;    // the deciding authority there, e.g. 烟台市行政审批服务局
    bool operator==(const CrossRegion&) const = default;
};

struct ServiceItem {
    std::string code;            // 实施编码 (up to 31 characters seen)
    std::string basic_code;      // 基本编码
    std::string name;            // 事项名称 (zh_CN)
    std::string name_en;
    std::string pinyin_initials; // for type-to-search, e.g. "gtgshsldj"
    std::string department;      // 实施主体
    std::string department_uscc;
    int item_type = 1;           // GB/T 39046 事项类型 (01 行政许可 … 07 行政确认 … 20 公共服务)
    int level = 3;               // 行使层级 (1 国家 … 5 乡镇 6 村)
    ItemKind kind = ItemKind::promised;
    Zone zone = Zone::public_convenience;
    std::string version;         // catalogue version of this definition
    ItemSpec spec;
    std::optional<CrossRegion> cross_region;  // 通办 with another region's authority; none: decided here

    std::int64_t total_fee_fen() const;
    const MaterialSpec* material(std::string_view code) const;
};

struct Bundle {
    std::string code;
    std::string name;
    std::string name_en;
    std::string pinyin_initials;
    Zone zone = Zone::public_convenience;
    std::vector<std::string> items;  // item codes, in the order they are handled
    int promised_limit_days = 0;     // for the whole bundle
    std::string description;
    std::string version;
};

/// Loaded items and bundles, consistent with each other.
class Catalogue {
public:
    /// Loads <dir>/items/*.json and <dir>/bundles/*.json. Throws ParseError / InvalidData naming
    /// the file and JSON pointer of the first problem.
    static Catalogue load_directory(const std::filesystem::path& dir);
    static Catalogue load_shipped();

    void add_item(ServiceItem item);
    /// Throws InvalidData if the bundle names an unknown item.
    void add_bundle(Bundle bundle);

    const std::vector<ServiceItem>& items() const { return items_; }
    const std::vector<Bundle>& bundles() const { return bundles_; }
    const ServiceItem* item(std::string_view code) const;
    const Bundle* bundle(std::string_view code) const;

    /// Items whose name contains `query`, or whose code or pinyin initials start with it
    /// (case-insensitive for ASCII). Empty query: all items.
    std::vector<const ServiceItem*> search(std::string_view query, std::optional<Zone> zone = std::nullopt) const;

private:
    std::vector<ServiceItem> items_;
    std::vector<Bundle> bundles_;
};

// JSON codes of the enums ("immediate", "deferrable", …). from_code throws InvalidData.
std::string_view to_code(ItemKind v);
std::string_view to_code(Necessity v);
std::string_view to_code(MaterialForm v);
std::string_view to_code(MaterialSource v);
std::string_view to_code(HandlingDepth v);
std::string_view to_code(Zone v);
template <class E> E from_code(std::string_view code);

/// Display names (zh_CN source text of the domain, e.g. 即办件) for the desk and notices.
std::string_view zh_name(ItemKind v);
std::string_view zh_name(Necessity v);
std::string_view zh_name(MaterialForm v);
std::string_view zh_name(MaterialSource v);
std::string_view zh_name(HandlingDepth v);
std::string_view zh_name(Zone v);

/// Parse one item / bundle from JSON; `where` prefixes error messages (file name).
ServiceItem parse_item(const nlohmann::json& j, const std::string& where);
Bundle parse_bundle(const nlohmann::json& j, const std::string& where);
nlohmann::json to_json(const ServiceItem& item);
nlohmann::json to_json(const Bundle& bundle);

}  // namespace ow::core
