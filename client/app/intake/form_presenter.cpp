#include "intake/form_presenter.h"

#include "intake/catalog_presenter.h"
#include "ow/core/date.h"
#include "ow/core/i18n.h"
#include "ow/core/validators.h"
#include "ow/forms/regions.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>
#include <unordered_map>

namespace ow::app {

using forms::Field;
using forms::FieldType;
using nlohmann::json;

namespace {

// The presenter's own messages and labels: the English source (marked for the .pot, translated in
// i18n/*.po like every desk string) and the texts the presenter shows, per UI language.
struct OwnText {
    const char* code;
    const char* en;
    const char* zh_CN;
    const char* zh_TW;
};
constexpr OwnText kTexts[] = {
    {"parse.integer", OW_N_("Enter a whole number"), "请输入整数", "請輸入整數"},
    {"parse.decimal", OW_N_("Enter a number"), "请输入数字", "請輸入數字"},
    {"parse.money", OW_N_("Enter an amount in yuan, e.g. 1234.50"), "请输入金额（元），如 1234.50", "請輸入金額（元），如 1234.50"},
    {"parse.boolean", OW_N_("Choose yes or no"), "请选择“是”或“否”", "請選擇「是」或「否」"},
    {"parse.choice", OW_N_("Not one of the options"), "不是可选的选项", "不是可選的選項"},
    {"parse.doc_type", OW_N_("Unknown document type"), "未知的证件类型", "未知的證件類型"},
    {"parse.person_name", OW_N_("Enter the name"), "请填写姓名", "請填寫姓名"},
    {"parse.person_number", OW_N_("Enter the document number"), "请填写证件号码", "請填寫證件號碼"},
    {"parse.address_region", OW_N_("Enter the six-digit region code"), "请填写六位行政区划代码", "請填寫六位行政區劃代碼"},
    {"label.yes", OW_N_("Yes"), "是", "是"},
    {"label.no", OW_N_("No"), "否", "否"},
    {"label.region", OW_N_("Region code"), "行政区划代码", "行政區劃代碼"},
    {"label.detail", OW_N_("Street address"), "详细地址", "詳細地址"},
    {"label.name", OW_N_("Name"), "姓名", "姓名"},
    {"label.doc_type", OW_N_("Document type"), "证件类型", "證件類型"},
    {"label.doc_number", OW_N_("Document number"), "证件号码", "證件號碼"},
    {"note.scanned", OW_N_("Scanned"), "已扫描", "已掃描"},
    {"note.not_scanned", OW_N_("Not scanned yet: scan it on the materials step"), "尚未扫描：请在“材料”步骤扫描",
     "尚未掃描：請在「材料」步驟掃描"},
    {"note.unknown_region", OW_N_("Region not in the list"), "不在行政区划列表中", "不在行政區劃列表中"},
};

std::string own_text(const std::string& code, forms::Lang lang) {
    for (const auto& t : kTexts)
        if (code == t.code) return lang == forms::Lang::en ? t.en : lang == forms::Lang::zh_TW ? t.zh_TW : t.zh_CN;
    return code;
}

std::string trim(std::string_view s) {
    auto space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && space(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    // a full-width space (U+3000) at either end, as Chinese input methods type it
    const std::string_view ideo = "\xE3\x80\x80";
    while (s.starts_with(ideo)) s.remove_prefix(ideo.size());
    while (s.ends_with(ideo)) s.remove_suffix(ideo.size());
    return std::string(s);
}

/// Removes every occurrence of each of `junk` (thousands separators, currency signs).
std::string strip(std::string s, std::initializer_list<std::string_view> junk) {
    for (auto j : junk)
        for (auto p = s.find(j); p != std::string::npos; p = s.find(j)) s.erase(p, j.size());
    return s;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::int64_t> parse_integer(const std::string& text) {
    std::string s = strip(trim(text), {",", " ", "，"});
    std::string_view v = s;
    bool neg = false;
    if (!v.empty() && (v[0] == '+' || v[0] == '-')) {
        neg = v[0] == '-';
        v.remove_prefix(1);
    }
    if (!all_digits(v)) return std::nullopt;
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size()) return std::nullopt;
    return neg ? -n : n;
}

std::optional<double> parse_decimal(const std::string& text) {
    std::string s = strip(trim(text), {",", " ", "，"});
    std::string_view v = s;
    bool neg = false;
    if (!v.empty() && (v[0] == '+' || v[0] == '-')) {
        neg = v[0] == '-';
        v.remove_prefix(1);
    }
    auto dot = v.find('.');
    std::string_view ip = v.substr(0, dot), fp = dot == std::string_view::npos ? std::string_view() : v.substr(dot + 1);
    if ((ip.empty() && fp.empty()) || (!ip.empty() && !all_digits(ip)) || (!fp.empty() && !all_digits(fp)) ||
        (dot != std::string_view::npos && fp.empty() && ip.empty()))
        return std::nullopt;
    double d = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d, std::chars_format::fixed);
    if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(d)) return std::nullopt;
    return neg ? -d : d;
}

/// Yuan as typed ("1,234.5", "¥12", "12元") to fen: core::parse_yuan (empty text: no value).
std::optional<std::int64_t> parse_money(const std::string& text) { return core::parse_yuan(text); }

/// A date as typed: YYYY-MM-DD, YYYYMMDD, YYYY/M/D, YYYY.M.D, YYYY-M-D → YYYY-MM-DD when it is a
/// real day; anything else unchanged (the engine reports it).
std::string normalise_date(const std::string& text) {
    std::string s = trim(text);
    if (s.size() == 8 && all_digits(s)) {
        std::string d = s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6, 2);
        return core::try_parse_date(d) ? d : s;
    }
    std::string parts[3];
    int n = 0;
    char sep = 0;
    for (char c : s) {
        if (c == '-' || c == '/' || c == '.') {
            if ((sep && c != sep) || ++n > 2) return s;
            sep = c;
        } else {
            parts[n] += c;
        }
    }
    if (n != 2 || parts[0].size() != 4 || !all_digits(parts[0]) || parts[1].empty() || parts[1].size() > 2 ||
        !all_digits(parts[1]) || parts[2].empty() || parts[2].size() > 2 || !all_digits(parts[2]))
        return s;
    auto pad = [](const std::string& p) { return p.size() == 1 ? "0" + p : p; };
    std::string d = parts[0] + "-" + pad(parts[1]) + "-" + pad(parts[2]);
    return core::try_parse_date(d) ? d : s;
}

std::optional<bool> parse_bool(const std::string& text) {
    std::string s = trim(text);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    for (const char* t : {"true", "yes", "y", "1", "是", "√"})
        if (s == t) return true;
    for (const char* f : {"false", "no", "n", "0", "否", "×"})
        if (s == f) return false;
    return std::nullopt;
}

/// An option by value, or by its label in any language.
const forms::Option* find_option(const Field& f, const std::string& text) {
    for (const auto& o : f.options)
        if (o.value == text) return &o;
    for (const auto& o : f.options)
        if (o.label.zh_CN == text || o.label.en == text || o.label.get(forms::Lang::zh_TW) == text) return &o;
    return nullptr;
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        std::string t = trim(cur);
        if (!t.empty()) out.push_back(t);
        cur.clear();
    };
    for (std::size_t i = 0; i < text.size();) {
        std::string_view rest = std::string_view(text).substr(i);
        std::size_t sep = 0;
        for (std::string_view s : {",", ";", "，", "、", "；"})
            if (rest.starts_with(s)) sep = s.size();
        if (sep) {
            flush();
            i += sep;
        } else {
            cur += text[i++];
        }
    }
    flush();
    return out;
}

/// The value at a JSON pointer made of plain tokens (field ids, row numbers); null when absent.
const json* at(const json& root, const std::string& path) {
    const json* cur = &root;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] != '/') return nullptr;
        auto next = path.find('/', i + 1);
        std::string token = path.substr(i + 1, next == std::string::npos ? std::string::npos : next - i - 1);
        i = next == std::string::npos ? path.size() : next;
        if (cur->is_object()) {
            auto it = cur->find(token);
            if (it == cur->end()) return nullptr;
            cur = &*it;
        } else if (cur->is_array()) {
            if (!all_digits(token) || token.size() > 6) return nullptr;
            std::size_t k = std::stoul(token);
            if (k >= cur->size()) return nullptr;
            cur = &(*cur)[k];
        } else {
            return nullptr;
        }
    }
    return cur->is_null() ? nullptr : cur;
}

std::vector<std::string> part_keys(FieldType t) {
    if (t == FieldType::address) return {"region", "detail"};
    if (t == FieldType::person) return {"name", "doc_type", "doc_number"};
    return {""};
}

bool value_type(FieldType t) { return t != FieldType::group && t != FieldType::repeat; }

/// A money field's label names the unit the answers store ("注册资本（分）", "Price (fen)"); the
/// desk takes yuan, and says so.
std::string money_label(std::string label) {
    for (auto [from, to] : {std::pair<std::string_view, std::string_view>{"（分", "（元"}, {"(fen", "(yuan"}})
        if (auto p = label.rfind(from); p != std::string::npos) label.replace(p, from.size(), to);
    return label;
}

std::string number_text(double d) {
    if (d == std::floor(d) && std::fabs(d) < 9e15) return std::to_string(std::int64_t(d));
    return json(d).dump();
}

FormChanges refused(std::string why) {
    FormChanges ch;
    ch.refused = std::move(why);
    return ch;
}

}  // namespace

FormPresenter::FormPresenter(forms::FormSession& session, forms::Lang lang) : session_(session), lang_(lang) {
    build_skeleton();
    refresh(true);
}

const forms::FormDefinition& FormPresenter::definition() const { return session_.definition(); }

FormProblem FormPresenter::own_problem(const std::string& code) const {
    return {forms::Severity::error, code, own_text(code, lang_)};
}

void FormPresenter::build_skeleton() {
    rows_.clear();
    row_by_path_.clear();
    table_fields_.clear();
    const auto& d = definition();
    const auto& fields = d.fields();
    auto options_of = [&](const Field& f) {
        std::vector<FormOption> out;
        for (const auto& o : f.options) out.push_back({o.value, o.label.get(lang_)});
        return out;
    };
    std::vector<FormOption> doc_types;
    for (const auto& t : core::document_types())
        doc_types.push_back({std::to_string(t.code), lang_ == forms::Lang::en ? t.name_en : t.name_zh});
    auto parts_of = [&](const Field& f) {
        std::vector<FormPart> parts;
        for (const auto& k : part_keys(f.type)) {
            FormPart p;
            p.key = k;
            if (!k.empty()) p.label = own_text("label." + k, lang_);
            if (k == "doc_type") p.options = doc_types;
            parts.push_back(std::move(p));
        }
        return parts;
    };
    auto material_name = [&](const Field& f) -> std::string {
        std::string item = f.item.empty() && d.item() ? d.item()->code : f.item;
        for (const auto& m : d.materials())
            for (const auto& u : m.uses)
                if ((u.item == item && u.material == f.material) ||
                    std::find(f.shared_materials.begin(), f.shared_materials.end(), std::make_pair(u.item, u.material)) !=
                        f.shared_materials.end())
                    return m.spec.name;
        return f.material;
    };
    auto walk = [&](auto&& self, const std::vector<int>& kids, const std::string& prefix, int depth) -> void {
        for (int c : kids) {
            const Field& f = fields[std::size_t(c)];
            FormRow r;
            r.field = c;
            r.id = f.id;
            r.path = prefix + "/" + f.id;
            r.depth = depth;
            r.type = f.type;
            r.label = f.type == FieldType::money ? money_label(f.label.get(lang_)) : f.label.get(lang_);
            r.help = f.help.get(lang_);
            r.read_only = f.compute.has_value() || f.type == FieldType::attachment;
            r.options = options_of(f);
            if (f.type == FieldType::group) {
                r.kind = FormRowKind::section;
            } else if (f.type == FieldType::repeat) {
                r.kind = FormRowKind::table;
                r.min_rows = f.min_count;
                r.max_rows = f.max_count;
                std::vector<TableField> leaves;
                auto cols = [&](auto&& again, const std::vector<int>& inner, const std::string& rel) -> void {
                    for (int k : inner) {
                        const Field& g = fields[std::size_t(k)];
                        std::string here = rel + "/" + g.id;
                        if (g.type == FieldType::group || g.type == FieldType::repeat) {
                            again(again, g.children, here);
                            continue;
                        }
                        leaves.push_back({k, here});
                        for (const auto& p : parts_of(g)) {
                            FormColumn col;
                            col.field = k;
                            col.id = g.id;
                            col.part = p.key;
                            std::string l = g.type == FieldType::money ? money_label(g.label.get(lang_)) : g.label.get(lang_);
                            col.label = l + (p.label.empty() ? "" : " · " + p.label);
                            col.type = g.type;
                            col.read_only = g.compute.has_value() || g.type == FieldType::attachment;
                            col.options = p.key == "doc_type" ? p.options : options_of(g);
                            r.columns.push_back(std::move(col));
                        }
                    }
                };
                cols(cols, f.children, "");
                table_fields_[int(rows_.size())] = std::move(leaves);
            } else {
                r.kind = FormRowKind::field;
                r.parts = parts_of(f);
                if (f.type == FieldType::attachment) r.material = material_name(f);
            }
            row_by_path_[r.path] = int(rows_.size());
            rows_.push_back(std::move(r));
            if (f.type == FieldType::group) self(self, f.children, prefix + "/" + f.id, depth + 1);
        }
    };
    walk(walk, d.roots(), "", 0);
}

std::string FormPresenter::format(const Field& f, const json* v, const std::string& part) const {
    if (!v) return {};
    auto str = [](const json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); };
    switch (f.type) {
    case FieldType::integer:
        return v->is_number_integer() ? std::to_string(v->get<std::int64_t>()) : str(*v);
    case FieldType::decimal:
        return v->is_number() ? number_text(v->get<double>()) : str(*v);
    case FieldType::money:
        return v->is_number_integer() && v->get<std::int64_t>() > std::numeric_limits<std::int64_t>::min()
                   ? CatalogPresenter::format_yuan(v->get<std::int64_t>())
                   : str(*v);
    case FieldType::boolean:
        return v->is_boolean() ? own_text(v->get<bool>() ? "label.yes" : "label.no", lang_) : str(*v);
    case FieldType::choice:
        if (v->is_string())
            for (const auto& o : f.options)
                if (o.value == *v) return o.label.get(lang_);
        return str(*v);
    case FieldType::multi_choice: {
        if (!v->is_array()) return str(*v);
        std::string out;
        for (const auto& o : f.options)
            if (std::find(v->begin(), v->end(), json(o.value)) != v->end())
                out += (out.empty() ? "" : lang_ == forms::Lang::en ? ", " : "、") + o.label.get(lang_);
        return out;
    }
    case FieldType::address: case FieldType::person: {
        if (!v->is_object()) return part == (f.type == FieldType::address ? "region" : "name") ? str(*v) : std::string();
        if (part == "doc_type") {
            auto t = v->find("doc_type");
            return t == v->end() ? std::string("111") : t->is_number_integer() ? std::to_string(t->get<std::int64_t>()) : str(*t);
        }
        auto it = v->find(part);
        return it == v->end() || it->is_null() ? std::string() : str(*it);
    }
    case FieldType::attachment:
        if (v->is_object()) {
            if (auto n = v->find("file_name"); n != v->end() && n->is_string()) return n->get<std::string>();
            if (auto h = v->find("sha256"); h != v->end() && h->is_string()) return h->get<std::string>().substr(0, 12);
        }
        return str(*v);
    default:
        return str(*v);
    }
}

void FormPresenter::fill_field(FormRow& r, const Field& f, const std::string& path, const json& raw,
                               const json& computed) const {
    const json* v = f.compute ? at(computed, path) : at(raw, path);
    for (auto& p : r.parts) {
        auto t = typed_.find(typed_key(path, p.key));
        p.text = t != typed_.end() ? t->second.first : format(f, v, p.key);
    }
    r.selected.clear();
    r.note.clear();
    switch (f.type) {
    case FieldType::boolean: r.value = v && v->is_boolean() ? (v->get<bool>() ? "true" : "false") : v ? v->dump() : ""; break;
    case FieldType::choice: r.value = v ? (v->is_string() ? v->get<std::string>() : v->dump()) : ""; break;
    case FieldType::multi_choice:
        if (v && v->is_array())
            for (const auto& o : f.options)
                if (std::find(v->begin(), v->end(), json(o.value)) != v->end()) r.selected.push_back(o.value);
        r.value.clear();
        for (const auto& s : r.selected) r.value += (r.value.empty() ? "" : ",") + s;
        break;
    case FieldType::address:
        r.value = r.parts[0].text + (r.parts[1].text.empty() ? "" : " " + r.parts[1].text);
        if (r.parts[0].text.size() == 6 && all_digits(r.parts[0].text)) {
            const forms::Region* reg = forms::find_region(r.parts[0].text);
            r.note = reg ? reg->name : forms::region_code_plausible(r.parts[0].text) ? "" : own_text("note.unknown_region", lang_);
        }
        break;
    case FieldType::person: r.value = r.parts[0].text + (r.parts[2].text.empty() ? "" : " " + r.parts[2].text); break;
    case FieldType::attachment:
        r.value = r.parts[0].text;
        r.note = v ? own_text("note.scanned", lang_) + (r.parts[0].text.empty() ? "" : ": " + r.parts[0].text)
                   : own_text("note.not_scanned", lang_);
        break;
    default: r.value = r.parts[0].text; break;
    }
}

FormChanges FormPresenter::reload() {
    typed_.clear();
    touched_.clear();
    return refresh(true);
}

FormChanges FormPresenter::refresh(bool everything) {
    const auto& d = definition();
    const auto& fields = d.fields();
    std::vector<forms::VisibleField> visible = session_.visible_fields();
    std::unordered_map<std::string, const forms::VisibleField*> vis;
    vis.reserve(visible.size());
    for (const auto& v : visible) vis.emplace(v.path, &v);
    forms::ValidationResult res = session_.validate();
    std::unordered_map<std::string, const forms::Issue*> issue_at;
    for (const auto& i : res.issues) {
        auto [it, fresh] = issue_at.emplace(i.path, &i);
        if (!fresh && it->second->severity == forms::Severity::warning && i.severity == forms::Severity::error) it->second = &i;
    }
    const json& raw = session_.raw_answers();
    bool any_computed = std::any_of(fields.begin(), fields.end(), [](const Field& f) { return f.compute.has_value(); });
    json computed = any_computed ? session_.answers_json()["answers"] : json::object();

    auto message_of = [&](const forms::Issue& i) -> std::string {
        if (lang_ == forms::Lang::en) return i.message_en;
        if (lang_ == forms::Lang::zh_TW) {
            // the definition's own texts have zh_TW; the engine's built-in messages are zh_CN and en only
            int fi = d.find(i.field);
            if (i.code == "field.constraint" && fi >= 0)
                for (const auto& c : fields[std::size_t(fi)].constraints)
                    if (c.message.zh_CN == i.message_zh_CN) return c.message.get(lang_);
            if (i.code.starts_with("check."))
                for (const auto& c : d.checks())
                    if ("check." + c.id == i.code) return c.message.get(lang_);
        }
        return i.message_zh_CN;
    };
    std::set<std::string> shown;  // issue paths shown at a row or cell
    auto problem_at = [&](const Field& f, const std::string& path, const json& rawv) -> std::optional<FormProblem> {
        for (const auto& k : part_keys(f.type)) {
            auto t = typed_.find(typed_key(path, k));
            if (t != typed_.end() && t->second.second) {
                shown.insert(path);
                return t->second.second;
            }
        }
        auto it = issue_at.find(path);
        if (it == issue_at.end()) return std::nullopt;
        shown.insert(path);
        const forms::Issue& i = *it->second;
        bool only_empty = i.code == "field.required" || i.code == "field.soft_required" || i.code == "answer.rows_min";
        if (only_empty && !revealed_ && !touched_.count(path)) return std::nullopt;
        // the engine's words for a half-typed person / address are about the whole object
        if (i.severity == forms::Severity::error && i.code.starts_with("answer.")) {
            const json* v = at(rawv, path);
            auto empty_member = [&](const char* k) {
                if (!v || !v->is_object()) return false;
                auto m = v->find(k);
                return m == v->end() || (m->is_string() && trim(m->get<std::string>()).empty());
            };
            if (f.type == FieldType::person && empty_member("name")) return own_problem("parse.person_name");
            if (f.type == FieldType::person && empty_member("doc_number")) return own_problem("parse.person_number");
            if (f.type == FieldType::address && empty_member("region")) return own_problem("parse.address_region");
            // text kept as typed in the session (a resumed draft): the words the clerk saw while typing
            if (i.code == "answer.type" && v && v->is_string()) {
                switch (f.type) {
                case FieldType::integer: return own_problem("parse.integer");
                case FieldType::decimal: return own_problem("parse.decimal");
                case FieldType::money: return own_problem("parse.money");
                case FieldType::boolean: return own_problem("parse.boolean");
                case FieldType::multi_choice: return own_problem("parse.choice");
                default: break;
                }
            }
            if (i.code == "answer.option" && f.type == FieldType::choice && v && v->is_string()) return own_problem("parse.choice");
        }
        return FormProblem{i.severity, i.code, message_of(i)};
    };
    auto requirement_of = [&](const forms::VisibleField* v) {
        if (!v) return forms::Requirement::none;
        return v->required ? forms::Requirement::required : v->soft_required ? forms::Requirement::soft : forms::Requirement::none;
    };

    std::vector<FormRow> next = rows_;
    for (std::size_t i = 0; i < next.size(); ++i) {
        FormRow& r = next[i];
        const Field& f = fields[std::size_t(r.field)];
        auto v = vis.find(r.path);
        r.visible = v != vis.end();
        r.requirement = requirement_of(r.visible ? v->second : nullptr);
        if (r.kind == FormRowKind::field) {
            fill_field(r, f, r.path, raw, computed);
            r.problem = r.visible ? problem_at(f, r.path, raw) : std::nullopt;
        } else if (r.kind == FormRowKind::section) {
            r.problem = r.visible ? problem_at(f, r.path, raw) : std::nullopt;
        } else {
            r.problem = r.visible ? problem_at(f, r.path, raw) : std::nullopt;
            const json* arr = at(raw, r.path);
            std::size_t n = arr && arr->is_array() ? std::min(arr->size(), f.max_count) : 0;
            const auto& leaves = table_fields_.at(int(i));
            r.cells.assign(n, {});
            for (std::size_t row = 0; row < n; ++row) {
                std::string base = r.path + "/" + std::to_string(row);
                auto& cells = r.cells[row];
                cells.reserve(r.columns.size());
                for (const auto& leaf : leaves) {
                    const Field& g = fields[std::size_t(leaf.field)];
                    std::string path = base + leaf.relative;
                    auto cv = vis.find(path);
                    bool on = r.visible && cv != vis.end();
                    FormRow tmp;  // the cell's field, filled as a row would be
                    tmp.parts.resize(part_keys(g.type).size());
                    for (std::size_t k = 0; k < tmp.parts.size(); ++k) tmp.parts[k].key = part_keys(g.type)[k];
                    fill_field(tmp, g, path, raw, computed);
                    std::optional<FormProblem> p = on ? problem_at(g, path, raw) : std::nullopt;
                    for (const auto& part : tmp.parts) {
                        FormCell c;
                        c.path = path;
                        c.visible = on;
                        c.requirement = requirement_of(on ? cv->second : nullptr);
                        c.text = on ? part.text : std::string();
                        c.problem = p;
                        cells.push_back(std::move(c));
                    }
                }
            }
        }
    }
    std::vector<FormProblem> form_problems;
    for (const auto& i : res.issues)
        if (!shown.count(i.path)) form_problems.push_back({i.severity, i.code, message_of(i)});

    FormChanges ch;
    for (std::size_t i = 0; i < next.size(); ++i) {
        const FormRow& a = rows_[i];
        const FormRow& b = next[i];
        FormRowChange c;
        c.row = i;
        c.value = everything || a.value != b.value || a.parts != b.parts || a.selected != b.selected || a.note != b.note;
        c.problem = everything || a.problem != b.problem;
        c.requirement = everything || a.requirement != b.requirement;
        c.visibility = everything || a.visible != b.visible;
        c.table = b.kind == FormRowKind::table && (everything || a.cells != b.cells);
        if (a.visible != b.visible || a.cells.size() != b.cells.size()) ch.layout = true;
        if (c.value || c.problem || c.requirement || c.visibility || c.table) ch.rows.push_back(c);
    }
    ch.layout = ch.layout || everything;
    ch.form_problems = everything || form_problems != form_problems_;
    rows_ = std::move(next);
    form_problems_ = std::move(form_problems);
    errors_ = res.errors();
    warnings_ = res.warnings();
    return ch;
}

int FormPresenter::row_of(const std::string& path) const { return locate(path).row; }

FormPresenter::Located FormPresenter::locate(const std::string& path) const {
    if (auto it = row_by_path_.find(path); it != row_by_path_.end()) return {it->second, rows_[std::size_t(it->second)].field, path};
    for (const auto& [row, leaves] : table_fields_) {
        const std::string& tp = rows_[std::size_t(row)].path;
        if (!path.starts_with(tp + "/")) continue;
        std::string rest = path.substr(tp.size() + 1);
        auto slash = rest.find('/');
        std::string index = rest.substr(0, slash);
        if (!all_digits(index) || index.size() > 6 || slash == std::string::npos) return {row, -1, path};
        std::string rel = rest.substr(slash);
        for (const auto& leaf : leaves)
            if (leaf.relative == rel) return {row, leaf.field, path};
        return {row, -1, path};
    }
    return {};
}

FormChanges FormPresenter::touch(const std::string& path) {
    Located l = locate(path);
    if (l.row < 0) return refused("no field at " + path.substr(0, 200));
    if (!touched_.insert(path).second) return {};
    return refresh();
}

FormChanges FormPresenter::reveal_all() {
    if (revealed_) return {};
    revealed_ = true;
    return refresh();
}

FormChanges FormPresenter::apply(const Located& at_path, const json& value) {
    touched_.insert(at_path.path);
    try {
        session_.set_answer(at_path.path, value);
    } catch (const core::InvalidData& e) {
        FormChanges ch;
        ch.refused = e.what();
        return ch;
    }
    return refresh();
}

FormChanges FormPresenter::set_text(const std::string& path, const std::string& text, const std::string& part) {
    Located l = locate(path);
    if (l.row < 0 || l.field < 0) return refused("no field at " + path.substr(0, 200));
    const Field& f = definition().fields()[std::size_t(l.field)];
    if (!value_type(f.type)) return refused("not a value field: " + path.substr(0, 200));
    if (f.compute || f.type == FieldType::attachment) return refused("read-only: " + path.substr(0, 200));
    auto keys = part_keys(f.type);
    if (std::find(keys.begin(), keys.end(), part) == keys.end()) return refused("no part '" + part.substr(0, 40) + "' of " + f.id);
    const FormRow& row = rows_[std::size_t(l.row)];
    if (row.kind == FormRowKind::table) {  // a cell: its row must exist
        std::string rest = path.substr(row.path.size() + 1);
        if (std::stoul(rest.substr(0, rest.find('/'))) >= row.cells.size()) return refused("no such row: " + path.substr(0, 200));
    }
    std::string t = trim(text);
    std::string key = typed_key(path, part);
    std::optional<FormProblem> problem;
    json value;
    switch (f.type) {
    case FieldType::integer:
        if (auto n = parse_integer(t)) value = *n;
        else if (!t.empty()) problem = own_problem("parse.integer");
        break;
    case FieldType::decimal:
        if (auto n = parse_decimal(t)) value = *n;
        else if (!t.empty()) problem = own_problem("parse.decimal");
        break;
    case FieldType::money:
        if (auto n = parse_money(t)) value = *n;
        else if (!t.empty()) problem = own_problem("parse.money");
        break;
    case FieldType::date:
        if (!t.empty()) value = normalise_date(t);
        break;
    case FieldType::boolean:
        if (auto b = parse_bool(t)) value = *b;
        else if (!t.empty()) problem = own_problem("parse.boolean");
        break;
    case FieldType::choice:
        if (const forms::Option* o = find_option(f, t)) value = o->value;
        else if (!t.empty()) problem = own_problem("parse.choice");
        break;
    case FieldType::multi_choice: {
        std::set<std::string> chosen;
        for (const auto& token : split_list(t)) {
            const forms::Option* o = find_option(f, token);
            if (!o) {
                problem = own_problem("parse.choice");
                break;
            }
            chosen.insert(o->value);
        }
        json list = json::array();
        for (const auto& o : f.options)  // option order, each once
            if (chosen.count(o.value)) list.push_back(o.value);
        if (!problem && !list.empty()) value = std::move(list);
        break;
    }
    case FieldType::address: case FieldType::person: {
        const json* cur = at(session_.raw_answers(), path);
        json obj = cur && cur->is_object() ? *cur : json::object();
        if (part == "doc_type") {
            std::optional<std::int64_t> code = parse_integer(t);
            if (!code)
                for (const auto& dt : core::document_types())
                    if (t == dt.name_zh || t == dt.name_en) code = dt.code;
            if (code && core::document_type_from_code(int(*code))) obj["doc_type"] = *code;
            else if (t.empty()) obj.erase("doc_type");
            else problem = own_problem("parse.doc_type");
        } else {
            obj[part] = t;
        }
        bool any = false;
        for (const auto& [k, m] : obj.items())
            if (k != "doc_type" && m.is_string() && !m.get<std::string>().empty()) any = true;
        if (any) {
            for (const auto& k : keys)
                if (k != "doc_type" && !obj.contains(k)) obj[k] = "";
            value = std::move(obj);
        }
        break;
    }
    default:
        if (!t.empty()) value = t;
        break;
    }
    if (problem && f.type != FieldType::address && f.type != FieldType::person)
        value = t;  // kept as typed in the session too: the form is not valid while it is there
    if (text.empty()) typed_.erase(key);
    else typed_[key] = {text, problem};
    return apply(l, value);
}

FormChanges FormPresenter::set_bool(const std::string& path, std::optional<bool> value) {
    Located l = locate(path);
    if (l.field < 0 || definition().fields()[std::size_t(l.field)].type != FieldType::boolean)
        return refused("not a yes/no field: " + path.substr(0, 200));
    if (definition().fields()[std::size_t(l.field)].compute) return refused("read-only: " + path.substr(0, 200));
    typed_.erase(typed_key(path, ""));
    return apply(l, value ? json(*value) : json(nullptr));
}

FormChanges FormPresenter::set_selected(const std::string& path, const std::vector<std::string>& values) {
    Located l = locate(path);
    if (l.field < 0) return refused("no field at " + path.substr(0, 200));
    const Field& f = definition().fields()[std::size_t(l.field)];
    if (f.type != FieldType::multi_choice) return refused("not a multi-choice field: " + path.substr(0, 200));
    if (f.compute) return refused("read-only: " + path.substr(0, 200));
    json list = json::array();
    for (const auto& o : f.options)  // option order, each once
        if (std::find(values.begin(), values.end(), o.value) != values.end()) list.push_back(o.value);
    for (const auto& v : values)
        if (!find_option(f, v) || find_option(f, v)->value != v) return refused("not an option of " + f.id + ": " + v.substr(0, 60));
    typed_.erase(typed_key(path, ""));
    return apply(l, list.empty() ? json(nullptr) : list);
}

FormChanges FormPresenter::add_row(const std::string& repeat_path) {
    auto it = row_by_path_.find(repeat_path);
    if (it == row_by_path_.end() || rows_[std::size_t(it->second)].kind != FormRowKind::table)
        return refused("no table at " + repeat_path.substr(0, 200));
    const FormRow& r = rows_[std::size_t(it->second)];
    if (r.cells.size() >= r.max_rows) return refused("at most " + std::to_string(r.max_rows) + " rows");
    const json* cur = at(session_.raw_answers(), repeat_path);
    json rows = cur && cur->is_array() ? *cur : json::array();
    rows.push_back(json::object());
    return apply({it->second, r.field, repeat_path}, rows);
}

FormChanges FormPresenter::remove_row(const std::string& repeat_path, std::size_t index) {
    auto it = row_by_path_.find(repeat_path);
    if (it == row_by_path_.end() || rows_[std::size_t(it->second)].kind != FormRowKind::table)
        return refused("no table at " + repeat_path.substr(0, 200));
    const FormRow& r = rows_[std::size_t(it->second)];
    const json* cur = at(session_.raw_answers(), repeat_path);
    if (!cur || !cur->is_array() || index >= cur->size() || index >= r.cells.size())
        return refused("no row " + std::to_string(index) + " in " + repeat_path.substr(0, 200));
    json rows = *cur;
    rows.erase(rows.begin() + std::ptrdiff_t(index));
    // text kept as typed moves up with its row
    std::map<std::string, std::pair<std::string, std::optional<FormProblem>>> moved;
    const std::string prefix = repeat_path + "/";
    for (auto& [k, v] : typed_) {
        if (!k.starts_with(prefix)) {
            moved.emplace(k, v);
            continue;
        }
        std::string rest = k.substr(prefix.size());
        auto end = rest.find_first_of("/#");
        std::size_t n = std::stoul(rest.substr(0, end));
        if (n == index) continue;
        moved.emplace(n < index ? k : prefix + std::to_string(n - 1) + rest.substr(end), v);
    }
    typed_ = std::move(moved);
    return apply({it->second, r.field, repeat_path}, rows.empty() ? json(nullptr) : rows);
}

std::optional<std::string> FormPresenter::next_field(const std::string& path) const {
    int from = row_of(path);
    for (std::size_t i = from < 0 ? rows_.size() : std::size_t(from) + 1; i < rows_.size(); ++i) {
        const FormRow& r = rows_[i];
        if (r.kind != FormRowKind::section && r.visible && !r.read_only) return r.path;
    }
    return std::nullopt;
}

std::optional<std::string> FormPresenter::first_field() const {
    for (const FormRow& r : rows_)
        if (r.kind != FormRowKind::section && r.visible && !r.read_only) return r.path;
    return std::nullopt;
}

}  // namespace ow::app
