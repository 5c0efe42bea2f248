#include "context.h"

#include "ow/core/validators.h"

#include <algorithm>

namespace ow::notices::detail {

using nlohmann::json;

namespace {

constexpr std::string_view kFilters[] = {"date", "doc_type", "item_kind", "handover_mode"};

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t");
    return std::string(s.substr(b, e - b + 1));
}

bool valid_path(const std::string& p) {
    if (p.empty() || p.front() == '.' || p.back() == '.' || p.find("..") != std::string::npos) return false;
    return std::all_of(p.begin(), p.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '#';
    });
}

Placeholder parse_placeholder(std::string_view body, const std::string& where) {
    Placeholder p;
    std::string left = trim(body);
    if (auto bar = left.find('|'); bar != std::string::npos) {
        p.filter = trim(std::string_view(left).substr(bar + 1));
        left = trim(std::string_view(left).substr(0, bar));
        if (std::find(std::begin(kFilters), std::end(kFilters), p.filter) == std::end(kFilters))
            throw TemplateError(where + ": unknown filter '" + p.filter + "' in {{" + std::string(body) + "}}");
    }
    if (!left.empty() && left.back() == '?') {
        p.optional = true;
        left = trim(std::string_view(left).substr(0, left.size() - 1));
    }
    std::size_t start = 0;
    while (start <= left.size()) {
        auto comma = left.find(',', start);
        std::string path = trim(std::string_view(left).substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (!valid_path(path)) throw TemplateError(where + ": bad placeholder {{" + std::string(body) + "}}");
        p.paths.push_back(path);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return p;
}

bool is_empty_value(const json* v) {
    return !v || v->is_null() || (v->is_string() && v->get_ref<const std::string&>().empty()) ||
           ((v->is_array() || v->is_object()) && v->empty());
}

std::string zh_date(core::Date d) {
    std::chrono::year_month_day ymd{d};
    return std::to_string(int(ymd.year())) + "年" + std::to_string(unsigned(ymd.month())) + "月" +
           std::to_string(unsigned(ymd.day())) + "日";
}

std::string scalar_text(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "是" : "否";
    if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
    return v.dump();
}

// "原件1份、复印件2份" — what the applicant has to bring.
std::string requirement_text(const core::ChecklistEntry& e) {
    std::string out;
    auto add = [&](const std::string& s) { out += (out.empty() ? "" : "、") + s; };
    switch (e.form) {
    case core::MaterialForm::electronic: add("电子文件"); break;
    case core::MaterialForm::original_or_copy:
        add("原件或复印件" + std::to_string(std::max(1, std::max(e.originals, e.copies))) + "份");
        break;
    default:
        if (e.originals > 0) add("原件" + std::to_string(e.originals) + "份");
        if (e.copies > 0) add("复印件" + std::to_string(e.copies) + "份");
        if (out.empty()) add(std::string(core::zh_name(e.form)));
    }
    return out;
}

std::string default_why(const core::ChecklistEntry& e) {
    if (!e.note.empty()) return e.note;
    switch (e.status) {
    case core::MaterialStatus::missing: return "未提交该材料";
    case core::MaterialStatus::defective: return "所提交材料不符合要求";
    case core::MaterialStatus::deferred: return "容缺受理，须在承诺期限内补交";
    default: return "";
    }
}

std::string default_where(const core::ChecklistEntry& e, const core::MaterialSpec* spec) {
    std::string out;
    if (spec && !spec->issuer.empty()) out = "由" + spec->issuer + "出具";
    if (spec && !spec->notes.empty()) out += (out.empty() ? "" : "；") + spec->notes;
    if (!out.empty()) return out;
    switch (e.source) {
    case core::MaterialSource::government: return "政府部门核发，可由窗口调取电子证照";
    case core::MaterialSource::online: return "可在窗口现场或网上填报";
    default: return "申请人自备";
    }
}

// Display helpers on each fee (the fee receipt), the totals, and the fee settled last (fee_last).
void add_fee_helpers(json& c, const core::Case& cs) {
    if (cs.fees.empty()) return;
    std::int64_t total = 0, paid = 0, waived = 0, due = 0;
    std::optional<std::size_t> last;
    for (std::size_t i = 0; i < cs.fees.size(); ++i) {
        const auto& f = cs.fees[i];
        json& j = c["fees"][i];
        j["amount_yuan"] = core::format_yuan(f.amount_fen);
        j["status_name"] = std::string(core::zh_name(f.status));
        j["paid"] = f.status == core::FeeStatus::paid;
        j["waived"] = f.status == core::FeeStatus::waived;
        j["paid_reason"] = f.status == core::FeeStatus::paid ? f.reason : std::string();
        total += f.amount_fen;
        if (f.status == core::FeeStatus::paid) {
            j["paid_yuan"] = core::format_yuan(f.paid_fen);
            j["paid_capital"] = core::capital_yuan(f.paid_fen);
            j["method_name"] = std::string(core::zh_name(f.method));
            paid += f.paid_fen;
        } else if (f.status == core::FeeStatus::waived) {
            waived += f.amount_fen;
        } else {
            due += f.amount_fen;
        }
        if (f.settled() && f.at && (!last || !cs.fees[*last].at || *cs.fees[*last].at <= *f.at)) last = i;
    }
    c["fees_total_yuan"] = core::format_yuan(total);
    c["fees_paid_yuan"] = core::format_yuan(paid);
    c["fees_waived_yuan"] = core::format_yuan(waived);
    c["fees_due_yuan"] = core::format_yuan(due);
    if (last) c["fee_last"] = c["fees"][*last];
}

// Templates add their own punctuation after a hint: drop a trailing 。；; or full stop.
std::string without_final_stop(std::string s) {
    for (bool again = true; again;) {
        again = false;
        for (std::string_view stop : {"。", "；", ";", ".", " "})
            if (s.size() >= stop.size() && s.ends_with(stop)) {
                s.resize(s.size() - stop.size());
                again = true;
            }
    }
    return s;
}

}  // namespace

std::vector<TextPiece> parse_text(std::string_view text, const std::string& where) {
    std::vector<TextPiece> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto open = text.find("{{", pos);
        if (open == std::string_view::npos) {
            out.push_back({std::string(text.substr(pos)), std::nullopt});
            break;
        }
        if (open > pos) out.push_back({std::string(text.substr(pos, open - pos)), std::nullopt});
        auto close = text.find("}}", open + 2);
        if (close == std::string_view::npos) throw TemplateError(where + ": unclosed '{{'");
        out.push_back({{}, parse_placeholder(text.substr(open + 2, close - open - 2), where)});
        pos = close + 2;
    }
    return out;
}

json build_context(const NoticeInput& input, const NoticeTemplate& tmpl) {
    json c = core::to_json(input.case_data);
    // 预计 before a promised date counted with a provisional calendar year (docs/calendar.md).
    c["due_date_prefix"] = input.case_data.due_date && input.case_data.promised_provisional ? "预计" : "";
    // Display helpers on each checklist entry (the "一次清" columns).
    for (std::size_t i = 0; i < input.case_data.checklist.entries.size(); ++i) {
        const auto& e = input.case_data.checklist.entries[i];
        json& j = c["checklist"][i];
        const core::MaterialSpec* spec = input.item ? input.item->material(e.material_code) : nullptr;
        auto hint = input.envelope.materials.find(e.material_code);
        j["status_name"] = std::string(core::zh_name(e.status));
        j["form_name"] = std::string(core::zh_name(e.form));
        j["necessity_name"] = std::string(core::zh_name(e.necessity));
        j["requirement"] = requirement_text(e);
        bool hinted = hint != input.envelope.materials.end();
        j["why"] = without_final_stop(hinted && !hint->second.why.empty() ? hint->second.why : default_why(e));
        j["where"] = without_final_stop(hinted && !hint->second.where.empty() ? hint->second.where : default_where(e, spec));
    }
    add_fee_helpers(c, input.case_data);
    json n = to_json(input.envelope);
    if (!input.envelope.issued_on) n["issued_on"] = core::format_date(core::china_date(core::now()));
    json ctx = {{"case", std::move(c)}, {"notice", std::move(n)}, {"template", {{"kind", tmpl.kind}, {"title", tmpl.title}}}};
    if (input.item) ctx["item"] = core::to_json(*input.item);
    return ctx;
}

std::pair<std::string, const json*> Expander::resolve(std::string_view path, const Row* row) const {
    std::string pointer;
    const json* v = &ctx_;
    std::string_view rest = path;
    if (path == "row" || path.starts_with("row.")) {
        if (!row) return {"/" + std::string(path), nullptr};
        pointer = row->pointer;
        v = row->value;
        rest = path.size() > 3 ? path.substr(4) : std::string_view{};
    }
    while (!rest.empty()) {
        auto dot = rest.find('.');
        std::string key(rest.substr(0, dot));
        rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
        pointer += "/" + key;
        if (v && v->is_object()) {
            auto it = v->find(key);
            v = it == v->end() ? nullptr : &*it;
        } else if (v && v->is_array() && !key.empty() && std::all_of(key.begin(), key.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
            auto idx = std::stoul(key);
            v = idx < v->size() ? &(*v)[idx] : nullptr;
        } else {
            v = nullptr;
        }
    }
    return {pointer, v};
}

void Expander::missing(const std::string& pointer, const std::string& others) const {
    throw NoticeDataError(pointer, kind_ + ": missing data: " + pointer + others);
}

std::string Expander::value_text(const Placeholder& p, const Row* row) const {
    if (p.paths.size() == 1 && p.paths[0] == "#") return row ? std::to_string(row->number) : "";
    const json* v = nullptr;
    std::string pointer;
    for (const auto& path : p.paths) {
        auto [ptr, val] = resolve(path, row);
        if (pointer.empty()) pointer = ptr;
        if (!is_empty_value(val)) {
            v = val;
            pointer = ptr;
            break;
        }
    }
    if (!v) {
        if (p.optional) return {};
        std::string others;
        for (std::size_t i = 1; i < p.paths.size(); ++i) others += (i == 1 ? " (or " : ", ") + resolve(p.paths[i], row).first;
        if (!others.empty()) others += ")";
        missing(resolve(p.paths[0], row).first, others);
    }
    last_pointer_ = pointer;
    auto bad = [&](const std::string& what) {
        throw NoticeDataError(pointer, kind_ + ": invalid data: " + pointer + ": " + what);
    };
    if (p.filter.empty()) return scalar_text(*v);
    if (p.filter == "date") {
        if (!v->is_string()) bad("not a date");
        const auto& s = v->get_ref<const std::string&>();
        if (auto d = core::try_parse_date(s)) return zh_date(*d);
        try {
            return zh_date(core::china_date(core::parse_instant(s)));
        } catch (const core::ParseError&) {
            bad("not a date or time");
        }
    }
    if (p.filter == "doc_type") {
        if (!v->is_number_integer()) bad("not a document type code");
        auto t = core::document_type_from_code(int(v->get<std::int64_t>()));
        if (!t) bad("unknown document type code");
        return core::document_type_info(*t).name_zh;
    }
    if (p.filter == "item_kind") {
        try {
            return std::string(core::zh_name(core::from_code<core::ItemKind>(scalar_text(*v))));
        } catch (const core::InvalidData& e) {
            bad(e.what());
        }
    }
    if (p.filter == "handover_mode") {
        auto s = scalar_text(*v);
        if (s == "pickup") return "窗口领取";
        if (s == "mail") return "邮寄送达";
        bad("unknown handover mode '" + s.substr(0, 20) + "'");
    }
    return scalar_text(*v);
}

std::string Expander::expand(std::string_view text, const Row* row) const {
    std::string out;
    for (const auto& piece : parse_text(text, kind_)) {
        if (piece.placeholder) out += value_text(*piece.placeholder, row);
        else out += piece.literal;
    }
    return out;
}

bool Expander::truthy(std::string_view path, const Row* row) const {
    bool negate = !path.empty() && path.front() == '!';
    if (negate) path.remove_prefix(1);
    auto [ptr, v] = resolve(path, row);
    bool t = !is_empty_value(v) && !(v->is_boolean() && !v->get<bool>()) &&
             !(v->is_number() && v->get<double>() == 0.0);
    return negate ? !t : t;
}

std::pair<std::string, std::vector<Row>> Expander::rows(std::string_view paths, const json& where) const {
    std::vector<Row> out;
    std::string first_pointer;
    std::size_t start = 0;
    while (start <= paths.size()) {
        auto comma = paths.find(',', start);
        std::string path = trim(paths.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        auto [ptr, arr] = resolve(path, nullptr);
        if (first_pointer.empty()) first_pointer = ptr;
        if (arr && arr->is_array() && !arr->empty()) {
            for (std::size_t i = 0; i < arr->size(); ++i) {
                const json& e = (*arr)[i];
                bool keep = true;
                if (where.is_object())
                    for (const auto& [key, want] : where.items()) {
                        const json* got = e.is_object() && e.contains(key) ? &e.at(key) : nullptr;
                        bool match = got && (want.is_array() ? std::find(want.begin(), want.end(), *got) != want.end()
                                                             : *got == want);
                        keep = keep && match;
                    }
                if (keep) out.push_back({ptr + "/" + std::to_string(i), &e, out.size() + 1});
            }
            return {ptr, out};
        }
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return {first_pointer, out};
}

void Expander::check(const json& req) const {
    std::string path = req.is_string() ? req.get<std::string>() : req.at("path").get<std::string>();
    auto [ptr, v] = resolve(path, nullptr);
    std::string message = req.is_object() && req.contains("message") ? req.at("message").get<std::string>() : "";
    if (req.is_object() && req.contains("equals")) {
        if (!v || *v != req.at("equals"))
            throw NoticeDataError(ptr, kind_ + ": invalid data: " + ptr + ": " +
                                           (message.empty() ? "must be " + req.at("equals").dump() : message));
        return;
    }
    if (is_empty_value(v)) {
        if (message.empty()) missing(ptr);
        throw NoticeDataError(ptr, kind_ + ": missing data: " + ptr + " (" + message + ")");
    }
}

}  // namespace ow::notices::detail
