#include "ow/core/catalog.h"

#include "ow/core/json_reader.h"
#include "ow/core/paths.h"
#include "enum_table.h"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <array>
#include <charconv>
#include <limits>
#include <set>
#include <utility>
#include <vector>

namespace ow::core {
namespace {

template <class E, std::size_t N>
using Table = detail::EnumTable<E, N>;

constexpr Table<ItemKind, 3> kKinds{{{ItemKind::immediate, {"immediate", "即办件"}},
                                     {ItemKind::promised, {"promised", "承诺件"}},
                                     {ItemKind::escalated, {"escalated", "上报件"}}}};
constexpr Table<Necessity, 3> kNecessity{{{Necessity::required, {"required", "必要"}},
                                          {Necessity::optional, {"optional", "非必要"}},
                                          {Necessity::deferrable, {"deferrable", "容缺"}}}};
constexpr Table<MaterialForm, 4> kForms{{{MaterialForm::original, {"original", "原件"}},
                                         {MaterialForm::copy, {"copy", "复印件"}},
                                         {MaterialForm::original_or_copy, {"original_or_copy", "原件或复印件"}},
                                         {MaterialForm::electronic, {"electronic", "电子"}}}};
constexpr Table<MaterialSource, 3> kSources{{{MaterialSource::applicant, {"applicant", "申请人自备"}},
                                             {MaterialSource::government, {"government", "政府部门核发"}},
                                             {MaterialSource::online, {"online", "在线填报"}}}};
constexpr Table<HandlingDepth, 4> kDepths{{{HandlingDepth::on_site, {"on_site", "现场办理"}},
                                           {HandlingDepth::original_precheck, {"original_precheck", "原件预审"}},
                                           {HandlingDepth::original_verify, {"original_verify", "原件核验"}},
                                           {HandlingDepth::fully_online, {"fully_online", "全程网办"}}}};
constexpr Table<Zone, 5> kZones{{{Zone::investment_construction, {"investment_construction", "投资建设"}},
                                 {Zone::business_registration, {"business_registration", "商事登记"}},
                                 {Zone::social_affairs, {"social_affairs", "社会事务"}},
                                 {Zone::livelihood, {"livelihood", "民生事务"}},
                                 {Zone::public_convenience, {"public_convenience", "公共便民"}}}};

template <class E, std::size_t N>
std::string_view lookup(const Table<E, N>& t, E v, int col) { return detail::enum_name(t, v, col); }

template <class E, std::size_t N>
E parse_code(const Table<E, N>& t, std::string_view code) { return detail::enum_parse(t, code); }

bool lower_ascii_starts_with(std::string_view hay, std::string_view needle) {
    if (needle.size() > hay.size()) return false;
    for (std::size_t i = 0; i < needle.size(); ++i) {
        auto a = static_cast<unsigned char>(hay[i]), b = static_cast<unsigned char>(needle[i]);
        if (std::tolower(a) != std::tolower(b)) return false;
    }
    return true;
}

}  // namespace

std::string_view to_code(ItemKind v) { return lookup(kKinds, v, 0); }
std::string_view to_code(Necessity v) { return lookup(kNecessity, v, 0); }
std::string_view to_code(MaterialForm v) { return lookup(kForms, v, 0); }
std::string_view to_code(MaterialSource v) { return lookup(kSources, v, 0); }
std::string_view to_code(HandlingDepth v) { return lookup(kDepths, v, 0); }
std::string_view to_code(Zone v) { return lookup(kZones, v, 0); }
std::string_view zh_name(ItemKind v) { return lookup(kKinds, v, 1); }
std::string_view zh_name(Necessity v) { return lookup(kNecessity, v, 1); }
std::string_view zh_name(MaterialForm v) { return lookup(kForms, v, 1); }
std::string_view zh_name(MaterialSource v) { return lookup(kSources, v, 1); }
std::string_view zh_name(HandlingDepth v) { return lookup(kDepths, v, 1); }
std::string_view zh_name(Zone v) { return lookup(kZones, v, 1); }

template <> ItemKind from_code<ItemKind>(std::string_view c) { return parse_code(kKinds, c); }
template <> Necessity from_code<Necessity>(std::string_view c) { return parse_code(kNecessity, c); }
template <> MaterialForm from_code<MaterialForm>(std::string_view c) { return parse_code(kForms, c); }
template <> MaterialSource from_code<MaterialSource>(std::string_view c) { return parse_code(kSources, c); }
template <> HandlingDepth from_code<HandlingDepth>(std::string_view c) { return parse_code(kDepths, c); }
template <> Zone from_code<Zone>(std::string_view c) { return parse_code(kZones, c); }

std::string format_yuan(std::int64_t fen) {
    // Unsigned magnitude: llabs(INT64_MIN) would overflow.
    const std::uint64_t mag = fen < 0 ? std::uint64_t(0) - std::uint64_t(fen) : std::uint64_t(fen);
    return (fen < 0 ? "-" : "") + std::to_string(mag / 100) + "." + char('0' + mag % 100 / 10) + char('0' + mag % 10);
}

std::optional<std::int64_t> parse_yuan(std::string_view text) {
    // What people type around an amount: thousands separators, spaces, the yuan sign and word.
    std::string s;
    for (std::size_t i = 0; i < text.size();) {
        bool skipped = false;
        for (std::string_view junk : {",", " ", "\t", "，", "¥", "￥", "元"})
            if (text.substr(i, junk.size()) == junk) {
                i += junk.size();
                skipped = true;
                break;
            }
        if (!skipped) s += text[i++];
    }
    std::string_view v = s;
    bool neg = false;
    if (!v.empty() && (v[0] == '+' || v[0] == '-')) {
        neg = v[0] == '-';
        v.remove_prefix(1);
    }
    auto digits = [](std::string_view d) { return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; }); };
    const auto dot = v.find('.');
    std::string_view ip = v.substr(0, dot), fp = dot == std::string_view::npos ? std::string_view() : v.substr(dot + 1);
    if (v.empty() || v == "." || !digits(ip) || fp.size() > 2 || !digits(fp)) return std::nullopt;
    std::int64_t yuan = 0;
    if (!ip.empty()) {
        auto [end, ec] = std::from_chars(ip.data(), ip.data() + ip.size(), yuan);
        if (ec != std::errc() || end != ip.data() + ip.size() || yuan > std::numeric_limits<std::int64_t>::max() / 100 - 1)
            return std::nullopt;
    }
    std::int64_t fen = fp.empty() ? 0 : (fp[0] - '0') * 10 + (fp.size() > 1 ? fp[1] - '0' : 0);
    std::int64_t total = yuan * 100 + fen;
    return neg ? -total : total;
}

std::string capital_yuan(std::int64_t fen) {
    static constexpr std::string_view kDigits[] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
    static constexpr std::string_view kUnits[] = {"仟", "佰", "拾", ""};
    static constexpr std::string_view kGroups[] = {"", "万", "亿", "万亿", "亿亿"};
    std::string out = fen < 0 ? "负" : "";
    const std::uint64_t mag = fen < 0 ? std::uint64_t(0) - std::uint64_t(fen) : std::uint64_t(fen);
    const std::uint64_t yuan = mag / 100;
    const int jiao = int(mag / 10 % 10), f = int(mag % 10);
    std::string digits;
    if (yuan > 0) {
        std::vector<int> groups;  // four digits each, lowest first
        for (auto n = yuan; n > 0; n /= 10000) groups.push_back(int(n % 10000));
        bool zero = false;  // a 零 is owed before the next non-zero digit
        for (std::size_t gi = groups.size(); gi-- > 0;) {
            const int g = groups[gi];
            if (g == 0) {
                zero = zero || !digits.empty();
                continue;
            }
            const int d4[4] = {g / 1000, g / 100 % 10, g / 10 % 10, g % 10};
            for (int k = 0; k < 4; ++k) {
                if (d4[k] == 0) {
                    zero = zero || !digits.empty();
                    continue;
                }
                if (zero) digits += "零";
                zero = false;
                digits += kDigits[d4[k]];
                digits += kUnits[k];
            }
            digits += kGroups[gi];
        }
        digits += "元";
    }
    // 会计基础工作规范 art. 52: 整 after 元 or 角, never after 分; 零 between 元 and a lone 分.
    if (jiao == 0 && f == 0) return out + (digits.empty() ? "零元" : digits) + "整";
    if (jiao > 0) digits += std::string(kDigits[jiao]) + "角";
    else if (yuan > 0) digits += "零";
    if (f > 0) digits += std::string(kDigits[f]) + "分";
    else digits += "整";
    return out + digits;
}

std::int64_t ServiceItem::total_fee_fen() const {
    std::int64_t sum = 0;
    for (const auto& f : spec.fees) sum += f.amount_fen;
    return sum;
}

const MaterialSpec* ServiceItem::material(std::string_view c) const {
    for (const auto& m : spec.materials)
        if (m.code == c) return &m;
    return nullptr;
}

ServiceItem parse_item(const nlohmann::json& j, const std::string& where) {
    JsonReader r(j, where);
    r.object();
    ServiceItem it;
    it.code = r.str("code");
    if (it.code.empty() || it.code.size() > 64) r.fail_at("code", "must be 1–64 characters");
    it.basic_code = r.str_or("basic_code", "");
    it.name = r.str("name");
    if (it.name.empty() || it.name.size() > 600) r.fail_at("name", "must be 1–200 characters");
    it.name_en = r.str_or("name_en", "");
    it.pinyin_initials = r.str_or("pinyin_initials", "");
    it.department = r.str("department");
    it.department_uscc = r.str_or("department_uscc", "");
    it.item_type = int(r.int64_or("item_type", 1, 1, 20));
    it.level = int(r.int64_or("level", 3, 1, 6));
    it.kind = detail::read_enum(r, "kind", kKinds);
    it.zone = detail::read_enum(r, "zone", kZones);
    it.version = r.str_or("version", "1");
    if (r.has("cross_region")) {
        JsonReader x = r.at("cross_region");
        x.object();
        CrossRegion cr{x.str("region_code"), x.str("region"), x.str("authority")};
        if (cr.region_code.size() != 6 || cr.region_code.find_first_not_of("0123456789") != std::string::npos)
            x.fail_at("region_code", "must be a 6-digit administrative division code");
        if (cr.region.empty() || cr.region.size() > 200) x.fail_at("region", "must be 1–200 bytes");
        if (cr.authority.empty() || cr.authority.size() > 200) x.fail_at("authority", "must be 1–200 bytes");
        if (it.kind == ItemKind::immediate) r.fail_at("cross_region", "an immediate item is decided on the spot, not by another region");
        it.cross_region = std::move(cr);
    }

    JsonReader s = r.at("spec");
    s.object();
    ItemSpec& sp = it.spec;
    sp.conditions = s.strings_or_empty("conditions");
    sp.legal_limit_days = int(s.int64("legal_limit_days", 0, 3650));
    sp.promised_limit_days = int(s.int64("promised_limit_days", 0, 3650));
    if (sp.promised_limit_days > sp.legal_limit_days)
        s.fail_at("promised_limit_days", "the promised limit cannot exceed the legal limit");
    if (it.kind == ItemKind::immediate && sp.promised_limit_days != 0)
        s.fail_at("promised_limit_days", "an immediate item is decided on the spot (0 working days)");
    if (s.has("promised_limit_hours")) {
        const auto& h = s.at("promised_limit_hours").value();
        if (!h.is_number()) s.fail_at("promised_limit_hours", "must be a number of hours (e.g. 4 or 3.5)");
        const double minutes = h.get<double>() * 60.0;
        if (!(minutes >= 1.0 && minutes <= 24.0 * 60.0) || std::abs(minutes - std::round(minutes)) > 1e-6)
            s.fail_at("promised_limit_hours", "must be more than 0 and at most 24 hours, in whole minutes (e.g. 4 or 3.5)");
        if (it.kind == ItemKind::immediate) s.fail_at("promised_limit_hours", "an immediate item is decided on the spot, not within hours");
        if (sp.promised_limit_days < 1)
            s.fail_at("promised_limit_hours", "a limit in hours goes beside a promised limit of at least 1 working day");
        sp.promised_limit_minutes = int(std::lround(minutes));
    }
    sp.depth = detail::read_enum(s, "depth", kDepths, std::optional<HandlingDepth>(HandlingDepth::on_site));
    sp.result_name = s.str_or("result_name", "");
    sp.legal_basis = s.str_or("legal_basis", "");
    sp.pickup = s.str_or("pickup", "");
    sp.max_visits = int(s.int64_or("max_visits", 1, 0, 5));
    sp.commitment_scheme = s.boolean_or("commitment_scheme", false);
    sp.credit_fast_track = s.boolean_or("credit_fast_track", false);
    sp.commitment_check_days = int(s.int64_or("commitment_check_days", 20, 1, 250));
    if (sp.credit_fast_track && (it.kind == ItemKind::escalated || it.cross_region))
        s.fail_at("credit_fast_track", "信即办 is decided on the spot: not for an item decided by a higher level or another region");
    if (s.has("service_objects")) {
        JsonReader so = s.at("service_objects");
        so.array();
        for (std::size_t i = 0; i < so.size(); ++i) {
            JsonReader e = so.at(i);
            // Compare as 64-bit: get<int>() would wrap a huge number (e.g. 2^32 + 1) into range.
            if (!e.value().is_number_integer() || (e.value().is_number_unsigned() && e.value().get<std::uint64_t>() > 6) ||
                e.value().get<std::int64_t>() < 1 || e.value().get<std::int64_t>() > 6)
                e.fail("must be a GB/T 39046 service-object code 1–6");
            sp.service_objects.push_back(int(e.value().get<std::int64_t>()));
        }
    }
    if (s.has("fees")) {
        JsonReader fs = s.at("fees");
        fs.array();
        for (std::size_t i = 0; i < fs.size(); ++i) {
            JsonReader f = fs.at(i);
            f.object();
            sp.fees.push_back({f.str("name"), f.int64("amount_fen", 0, 100'000'000'00), f.str_or("basis", "")});
        }
    }
    JsonReader ms = s.at("materials");
    ms.array();
    std::set<std::string> codes;
    for (std::size_t i = 0; i < ms.size(); ++i) {
        JsonReader m = ms.at(i);
        m.object();
        MaterialSpec mat;
        mat.code = m.str("code");
        if (mat.code.empty() || !codes.insert(mat.code).second) m.fail_at("code", "empty or duplicate material code");
        mat.name = m.str("name");
        mat.form = detail::read_enum(m, "form", kForms);
        mat.originals = int(m.int64_or("originals", 0, 0, 99));
        mat.copies = int(m.int64_or("copies", 0, 0, 99));
        mat.necessity = detail::read_enum(m, "necessity", kNecessity);
        mat.source = detail::read_enum(m, "source", kSources, std::optional<MaterialSource>(MaterialSource::applicant));
        mat.issuer = m.str_or("issuer", "");
        mat.e_licence_type = m.str_or("e_licence_type", "");
        mat.commitment_allowed = m.boolean_or("commitment_allowed", false);
        mat.condition = m.str_or("condition", "");
        mat.notes = m.str_or("notes", "");
        sp.materials.push_back(std::move(mat));
    }
    return it;
}

Bundle parse_bundle(const nlohmann::json& j, const std::string& where) {
    JsonReader r(j, where);
    r.object();
    Bundle b;
    b.code = r.str("code");
    if (b.code.empty() || b.code.size() > 64) r.fail_at("code", "must be 1–64 characters");
    b.name = r.str("name");
    b.name_en = r.str_or("name_en", "");
    b.pinyin_initials = r.str_or("pinyin_initials", "");
    b.zone = detail::read_enum(r, "zone", kZones);
    b.items = r.strings_or_empty("items");
    if (b.items.size() < 2) r.fail_at("items", "a bundle joins at least two items");
    b.promised_limit_days = int(r.int64("promised_limit_days", 0, 3650));
    b.description = r.str_or("description", "");
    b.version = r.str_or("version", "1");
    return b;
}

nlohmann::json to_json(const ServiceItem& it) {
    nlohmann::json mats = nlohmann::json::array();
    for (const auto& m : it.spec.materials)
        mats.push_back({{"code", m.code}, {"name", m.name}, {"form", to_code(m.form)}, {"originals", m.originals},
                        {"copies", m.copies}, {"necessity", to_code(m.necessity)}, {"source", to_code(m.source)},
                        {"issuer", m.issuer}, {"e_licence_type", m.e_licence_type},
                        {"commitment_allowed", m.commitment_allowed}, {"condition", m.condition}, {"notes", m.notes}});
    nlohmann::json fees = nlohmann::json::array();
    for (const auto& f : it.spec.fees) fees.push_back({{"name", f.name}, {"amount_fen", f.amount_fen}, {"basis", f.basis}});
    nlohmann::json j = {{"code", it.code}, {"basic_code", it.basic_code}, {"name", it.name}, {"name_en", it.name_en},
            {"pinyin_initials", it.pinyin_initials}, {"department", it.department},
            {"department_uscc", it.department_uscc}, {"item_type", it.item_type}, {"level", it.level},
            {"kind", to_code(it.kind)}, {"zone", to_code(it.zone)}, {"version", it.version},
            {"spec",
             {{"conditions", it.spec.conditions}, {"legal_limit_days", it.spec.legal_limit_days},
              {"promised_limit_days", it.spec.promised_limit_days}, {"fees", fees}, {"depth", to_code(it.spec.depth)},
              {"result_name", it.spec.result_name}, {"legal_basis", it.spec.legal_basis}, {"pickup", it.spec.pickup},
              {"service_objects", it.spec.service_objects}, {"max_visits", it.spec.max_visits},
              {"commitment_scheme", it.spec.commitment_scheme}, {"credit_fast_track", it.spec.credit_fast_track},
              {"commitment_check_days", it.spec.commitment_check_days}, {"materials", mats}}}};
    if (it.spec.promised_limit_minutes > 0) j["spec"]["promised_limit_hours"] = it.spec.promised_limit_minutes / 60.0;
    if (it.cross_region)
        j["cross_region"] = {{"region_code", it.cross_region->region_code}, {"region", it.cross_region->region},
                             {"authority", it.cross_region->authority}};
    return j;
}

nlohmann::json to_json(const Bundle& b) {
    return {{"code", b.code}, {"name", b.name}, {"name_en", b.name_en}, {"pinyin_initials", b.pinyin_initials},
            {"zone", to_code(b.zone)}, {"items", b.items}, {"promised_limit_days", b.promised_limit_days},
            {"description", b.description}, {"version", b.version}};
}

Catalogue Catalogue::load_directory(const std::filesystem::path& dir) {
    Catalogue cat;
    auto files_in = [](const std::filesystem::path& d) {
        std::error_code ec;  // a missing bundles/ folder is an empty one
        return json_files_in(d, ec);
    };
    if (!std::filesystem::is_directory(dir / "items")) throw InvalidData("no catalogue at " + dir.string() + " (items/ missing)");
    for (const auto& f : files_in(dir / "items")) cat.add_item(parse_item(read_json_file(f), f.string()));
    for (const auto& f : files_in(dir / "bundles")) {
        try {
            cat.add_bundle(parse_bundle(read_json_file(f), f.string()));
        } catch (const InvalidData& e) {
            if (std::string_view(e.what()).find(f.string()) == std::string_view::npos)
                throw InvalidData(f.string() + ": " + e.what());
            throw;
        }
    }
    return cat;
}

Catalogue Catalogue::load_shipped() { return load_directory(data_dir() / "catalog"); }

void Catalogue::add_item(ServiceItem item) {
    if (this->item(item.code)) throw InvalidData("duplicate item code " + item.code);
    items_.push_back(std::move(item));
}

void Catalogue::add_bundle(Bundle b) {
    for (std::size_t i = 0; i < b.items.size(); ++i)
        if (!item(b.items[i]))
            throw InvalidData("/items/" + std::to_string(i) + ": bundle " + b.code + " names unknown item " + b.items[i]);
    if (bundle(b.code)) throw InvalidData("duplicate bundle code " + b.code);
    bundles_.push_back(std::move(b));
}

const ServiceItem* Catalogue::item(std::string_view code) const {
    for (const auto& i : items_)
        if (i.code == code) return &i;
    return nullptr;
}

const Bundle* Catalogue::bundle(std::string_view code) const {
    for (const auto& b : bundles_)
        if (b.code == code) return &b;
    return nullptr;
}

std::vector<const ServiceItem*> Catalogue::search(std::string_view q, std::optional<Zone> zone) const {
    std::vector<const ServiceItem*> out;
    for (const auto& i : items_) {
        if (zone && i.zone != *zone) continue;
        if (q.empty() || i.name.find(q) != std::string::npos || lower_ascii_starts_with(i.code, q) ||
            lower_ascii_starts_with(i.pinyin_initials, q))
            out.push_back(&i);
    }
    return out;
}

}  // namespace ow::core
