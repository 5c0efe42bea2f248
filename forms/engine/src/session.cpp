#include "ow/forms/session.h"

#include "ow/core/i18n.h"
#include "ow/core/json_reader.h"
#include "ow/core/validators.h"
#include "ow/forms/regions.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

namespace ow::forms {

using nlohmann::json;

namespace {

// Built-in messages: English source text (marked for the .pot) and the zh_CN text the engine
// reports alongside it (kept equal to i18n/zh_CN.po). "{x}" is replaced by a parameter.
struct Builtin {
    const char* code;
    const char* en;
    const char* zh;
};
constexpr Builtin kMessages[] = {
    {"field.required", OW_N_("This field is required"), "此项为必填项"},
    {"field.soft_required", OW_N_("This field should be filled in"), "此项建议填写"},
    {"answer.unknown_field", OW_N_("Unknown field in the answers"), "填写内容中有未知字段"},
    {"answer.type", OW_N_("Wrong kind of value: expected {x}"), "值的类型不正确：应为{x}"},
    {"answer.too_long", OW_N_("Too long: at most {x} characters"), "过长：最多 {x} 个字符"},
    {"answer.too_short", OW_N_("Too short: at least {x} characters"), "过短：至少 {x} 个字符"},
    {"answer.too_small", OW_N_("Must be at least {x}"), "不得小于 {x}"},
    {"answer.too_large", OW_N_("Must be at most {x}"), "不得大于 {x}"},
    {"answer.scale", OW_N_("Too many decimal places (at most {x})"), "小数位数过多（最多 {x} 位）"},
    {"answer.option", OW_N_("Not one of the allowed options"), "不是允许的选项"},
    {"answer.date", OW_N_("Not a valid date (YYYY-MM-DD)"), "不是有效日期（YYYY-MM-DD）"},
    {"answer.resident_id", OW_N_("Not a valid resident ID number"), "居民身份证号码无效"},
    {"answer.uscc", OW_N_("Not a valid unified social credit code"), "统一社会信用代码无效"},
    {"answer.uscc_check", OW_N_("The check character of the unified social credit code is wrong: compare it with the licence"),
     "统一社会信用代码校验位不符，请与营业执照核对"},
    {"answer.phone", OW_N_("Not a valid mobile number"), "手机号码无效"},
    {"answer.postal_code", OW_N_("Not a valid postal code"), "邮政编码无效"},
    {"answer.region", OW_N_("Unknown administrative region code"), "未知的行政区划代码"},
    {"answer.document_type", OW_N_("Unsupported identity document type"), "不支持的证件类型"},
    {"answer.document_number", OW_N_("The document number does not fit the document type"), "证件号码与证件类型不符"},
    {"answer.attachment", OW_N_("An attachment needs the SHA-256 of its scan"), "附件须有扫描件的 SHA-256 值"},
    {"answer.rows_min", OW_N_("At least {x} rows are needed"), "至少需要 {x} 行"},
    {"answer.rows_max", OW_N_("At most {x} rows are allowed"), "最多允许 {x} 行"},
    {"answer.not_object", OW_N_("The answers must be a JSON object"), "填写内容必须是 JSON 对象"},
    {"answer.too_deep", OW_N_("The answers are nested too deeply"), "填写内容嵌套层次过深"},
    {"answer.form", OW_N_("The answers belong to another form ({x})"), "填写内容属于其他表单（{x}）"},
    {"answer.version", OW_N_("The answers were given for another version of the form ({x})"),
     "填写内容对应的表单版本不同（{x}）"},
    {"answer.too_many_issues", OW_N_("More problems were found than can be listed"), "问题过多，未全部列出"},
    {"rule.error", OW_N_("A rule of the form could not be evaluated: {x}"), "表单规则无法计算：{x}"},
};

const char* type_word_en(FieldType t) {
    switch (t) {
    case FieldType::integer: case FieldType::money: return OW_N_("an integer");
    case FieldType::decimal: return OW_N_("a number");
    case FieldType::boolean: return OW_N_("true or false");
    case FieldType::multi_choice: return OW_N_("a list of options");
    case FieldType::address: return OW_N_("an address object");
    case FieldType::person: return OW_N_("a person object");
    case FieldType::attachment: return OW_N_("an attachment object");
    case FieldType::group: return OW_N_("an object");
    case FieldType::repeat: return OW_N_("a list of rows");
    default: return OW_N_("text");
    }
}

const char* type_word_zh(FieldType t) {
    switch (t) {
    case FieldType::integer: case FieldType::money: return "整数";
    case FieldType::decimal: return "数字";
    case FieldType::boolean: return "是或否";
    case FieldType::multi_choice: return "选项列表";
    case FieldType::address: return "地址对象";
    case FieldType::person: return "人员对象";
    case FieldType::attachment: return "附件对象";
    case FieldType::group: return "对象";
    case FieldType::repeat: return "行列表";
    default: return "文本";
    }
}

std::string replace_param(std::string s, const std::string& x) {
    auto p = s.find("{x}");
    if (p != std::string::npos) s.replace(p, 3, x);
    return s;
}

Issue builtin(std::string path, std::string field, const std::string& code, Severity sev = Severity::error,
              const std::string& x_en = {}, const std::string& x_zh = {}) {
    Issue i;
    i.path = std::move(path);
    i.field = std::move(field);
    i.code = code;
    i.severity = sev;
    for (const auto& m : kMessages)
        if (code == m.code) {
            i.message_en = replace_param(m.en, x_en);
            i.message_zh_CN = replace_param(m.zh, x_zh.empty() ? x_en : x_zh);
        }
    return i;
}

Issue from_text(std::string path, std::string field, std::string code, Severity sev, const LocalText& t) {
    return {std::move(path), std::move(field), std::move(code), sev, t.zh_CN, t.en};
}

std::string number_text(double d) {
    if (d == std::floor(d) && std::fabs(d) < 9e15) return std::to_string(std::int64_t(d));
    return Value(d).debug();
}

std::size_t utf8_length(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

bool valid_utf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 9;
        if (n == 9 || i + n >= s.size() + (n == 0 ? 1 : 0)) return false;
        for (std::size_t k = 1; k <= n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n + 1;
    }
    return true;
}

/// Strings (also inside a small object) that can be written back as JSON.
bool utf8_ok(const json& j) {
    if (j.is_string()) return valid_utf8(j.get_ref<const std::string&>());
    if (j.is_object())
        for (const auto& [k, v] : j.items())
            if (!valid_utf8(k) || (v.is_string() && !valid_utf8(v.get_ref<const std::string&>()))) return false;
    return true;
}

/// At most `max` bytes of s, cut at a character boundary, "?" when s is not UTF-8.
std::string safe_text(const std::string& s, std::size_t max) {
    if (!valid_utf8(s)) return "?";
    if (s.size() <= max) return s;
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n) + "...";
}

constexpr std::size_t kHardMaxString = 65536;
constexpr std::size_t kMaxAnswerDepth = 32;  // a form nests groups 6 deep; anything deeper is refused

/// Depth of a JSON document, measured without recursion (a hostile document may be millions deep).
bool deeper_than(const json& root, std::size_t limit) {
    std::vector<std::pair<const json*, std::size_t>> todo{{&root, 1}};
    while (!todo.empty()) {
        auto [j, depth] = todo.back();
        todo.pop_back();
        if (depth > limit) return true;
        if (j->is_object())
            for (const auto& member : j->items()) todo.emplace_back(&member.value(), depth + 1);
        else if (j->is_array())
            for (const auto& e : *j) todo.emplace_back(&e, depth + 1);
    }
    return false;
}

class SessionScope : public Scope {
public:
    SessionScope(const FormDefinition& d, const FormSession::State& s, core::Date today, int repeat, std::size_t row)
        : d_(d), s_(s), today_(today), repeat_(repeat), row_(row) {}

    Value lookup(std::string_view name) const override {
        int i = d_.find(name);
        if (i < 0) return {};
        const Field& f = d_.fields()[std::size_t(i)];
        const auto& slots = s_.slots[std::size_t(i)];
        if (f.type == FieldType::group) return {};
        if (f.type == FieldType::repeat) {
            if (slots.empty() || !slots[0].visible) return Value(ValueList{});
            return Value(ValueList(s_.rows[std::size_t(i)], Value(true)));
        }
        if (f.repeat < 0) return slots.empty() ? Value() : slots[0].value;
        if (f.repeat == repeat_) return row_ < slots.size() ? slots[row_].value : Value();
        ValueList all;
        all.reserve(slots.size());
        for (const auto& sl : slots) all.push_back(sl.value);
        return Value(std::move(all));
    }
    core::Date today() const override { return today_; }

private:
    const FormDefinition& d_;
    const FormSession::State& s_;
    core::Date today_;
    int repeat_;
    std::size_t row_;
};

json value_to_json(const Value& v) {
    switch (v.v.index()) {
    case 1: return std::get<bool>(v.v);
    case 2: return std::get<std::int64_t>(v.v);
    case 3: return std::get<double>(v.v);
    case 4: return std::get<std::string>(v.v);
    case 5: {
        json a = json::array();
        for (const auto& e : std::get<ValueList>(v.v)) a.push_back(value_to_json(e));
        return a;
    }
    default: return nullptr;
    }
}

/// Converts one answer for a leaf field into a slot (type and value checks).
FormSession::Slot convert(const Field& f, const json* v, const std::string& path) {
    FormSession::Slot s;
    if (!v || v->is_null()) return s;
    s.present = true;
    if (!utf8_ok(*v)) {
        s.issue = builtin(path, f.id, "answer.type", Severity::error, type_word_en(f.type), type_word_zh(f.type));
        return s;
    }
    auto bad = [&](const std::string& code, const std::string& x = {}, const std::string& xzh = {}) {
        s.issue = builtin(path, f.id, code, Severity::error, x, xzh);
        s.value = Value();
        s.normal = nullptr;
        return s;
    };
    auto wrong_type = [&] { return bad("answer.type", type_word_en(f.type), type_word_zh(f.type)); };
    auto string_of = [&](std::string& out) -> bool {
        if (!v->is_string()) return false;
        out = v->get<std::string>();
        return true;
    };
    std::string str;
    switch (f.type) {
    case FieldType::text: case FieldType::multiline: {
        if (!string_of(str)) return wrong_type();
        std::int64_t max = f.max_length.value_or(f.type == FieldType::text ? 200 : 4000);
        if (str.size() > kHardMaxString) return bad("answer.too_long", std::to_string(max));
        if (str.empty()) {
            s.present = false;
            return s;
        }
        auto n = std::int64_t(utf8_length(str));
        if (n > max) return bad("answer.too_long", std::to_string(max));
        if (f.min_length && n < *f.min_length) return bad("answer.too_short", std::to_string(*f.min_length));
        s.value = Value(str);
        s.normal = str;
        return s;
    }
    case FieldType::integer: case FieldType::money: case FieldType::decimal: {
        if (!v->is_number()) return wrong_type();
        double d = v->get<double>();
        if (f.type != FieldType::decimal) {
            if (!v->is_number_integer() || (v->is_number_unsigned() && v->get<std::uint64_t>() > std::uint64_t(INT64_MAX)))
                return wrong_type();
            s.value = Value(v->get<std::int64_t>());
            s.normal = v->get<std::int64_t>();
        } else {
            if (!std::isfinite(d)) return wrong_type();
            double scaled = d * std::pow(10.0, f.scale);
            if (std::fabs(scaled - std::round(scaled)) > 1e-6 * std::max(1.0, std::fabs(scaled)))
                return bad("answer.scale", std::to_string(f.scale));
            s.value = Value(d);
            s.normal = d;
        }
        if (f.min && d < *f.min) return bad("answer.too_small", number_text(*f.min));
        if (f.max && d > *f.max) return bad("answer.too_large", number_text(*f.max));
        return s;
    }
    case FieldType::date: {
        if (!string_of(str)) return wrong_type();
        if (!core::try_parse_date(str)) return bad("answer.date");
        s.value = Value(str);
        s.normal = str;
        return s;
    }
    case FieldType::boolean:
        if (!v->is_boolean()) return wrong_type();
        s.value = Value(v->get<bool>());
        s.normal = v->get<bool>();
        return s;
    case FieldType::choice: {
        if (!string_of(str)) return wrong_type();
        if (std::none_of(f.options.begin(), f.options.end(), [&](const Option& o) { return o.value == str; }))
            return bad("answer.option");
        s.value = Value(str);
        s.normal = str;
        return s;
    }
    case FieldType::multi_choice: {
        if (!v->is_array()) return wrong_type();
        if (v->size() > f.options.size()) return bad("answer.option");
        ValueList l;
        std::set<std::string> seen;
        for (const auto& e : *v) {
            if (!e.is_string()) return wrong_type();
            const auto& x = e.get_ref<const std::string&>();
            if (std::none_of(f.options.begin(), f.options.end(), [&](const Option& o) { return o.value == x; }) ||
                !seen.insert(x).second)
                return bad("answer.option");
            l.push_back(Value(x));
        }
        if (l.empty()) {
            s.present = false;
            return s;
        }
        s.value = Value(std::move(l));
        s.normal = *v;
        return s;
    }
    case FieldType::resident_id: {
        if (!string_of(str)) return wrong_type();
        if (str.size() > 64) return bad("answer.resident_id");
        auto r = core::check_resident_id(str);
        if (!r.valid) return bad("answer.resident_id");
        s.value = Value(r.normalized);
        s.normal = r.normalized;
        return s;
    }
    case FieldType::uscc: {
        if (!string_of(str)) return wrong_type();
        if (str.size() > 64) return bad("answer.uscc");
        auto r = core::check_uscc(str);
        if (r.status == core::UsccStatus::invalid) return bad("answer.uscc");
        s.value = Value(r.normalized);
        s.normal = r.normalized;
        if (r.status == core::UsccStatus::bad_check_digit) s.issue = builtin(path, f.id, "answer.uscc_check", Severity::warning);
        return s;
    }
    case FieldType::phone: case FieldType::postal_code: {
        if (!string_of(str)) return wrong_type();
        if (str.size() > 64) return bad(f.type == FieldType::phone ? "answer.phone" : "answer.postal_code");
        auto r = f.type == FieldType::phone ? core::check_mobile(str) : core::check_postal_code(str);
        if (!r.valid) return bad(f.type == FieldType::phone ? "answer.phone" : "answer.postal_code");
        s.value = Value(r.normalized);
        s.normal = r.normalized;
        return s;
    }
    case FieldType::address: {
        if (!v->is_object()) return wrong_type();
        for (const auto& [k, e] : v->items())
            if ((k != "region" && k != "detail") || !e.is_string()) return wrong_type();
        std::string region = v->value("region", ""), detail = v->value("detail", "");
        if (!region_code_plausible(region)) return bad("answer.region");
        if (utf8_length(detail) > 200 || detail.size() > kHardMaxString) return bad("answer.too_long", "200");
        s.value = Value(region);
        s.normal = json{{"region", region}, {"detail", detail}};
        return s;
    }
    case FieldType::person: {
        if (!v->is_object()) return wrong_type();
        for (const auto& [k, e] : v->items())
            if (k != "name" && k != "doc_type" && k != "doc_number") return wrong_type();
        auto name = v->find("name");
        auto type = v->find("doc_type");
        auto number = v->find("doc_number");
        if (name == v->end() || !name->is_string() || number == v->end() || !number->is_string()) return wrong_type();
        const auto& nm = name->get_ref<const std::string&>();
        if (nm.empty() || utf8_length(nm) > 60 || nm.size() > 1000) return bad("answer.too_long", "60");
        int code = 111;
        if (type != v->end()) {
            if (!type->is_number_integer() || type->get<std::int64_t>() < 0 || type->get<std::int64_t>() > 999)
                return bad("answer.document_type");
            code = int(type->get<std::int64_t>());
        }
        auto dt = core::document_type_from_code(code);
        if (!dt) return bad("answer.document_type");
        const auto& num = number->get_ref<const std::string&>();
        if (num.size() > 64) return bad("answer.document_number");
        auto r = core::check_document_number(*dt, num);
        if (!r.valid) return bad("answer.document_number");
        s.value = Value(r.normalized);
        s.normal = json{{"name", nm}, {"doc_type", code}, {"doc_number", r.normalized}};
        return s;
    }
    case FieldType::attachment: {
        if (!v->is_object()) return wrong_type();
        auto h = v->find("sha256");
        if (h == v->end() || !h->is_string() || h->get_ref<const std::string&>().size() != 64 ||
            !std::all_of(h->get_ref<const std::string&>().begin(), h->get_ref<const std::string&>().end(),
                         [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
            return bad("answer.attachment");
        json n{{"sha256", *h}};
        auto fname = v->find("file_name");
        if (fname != v->end()) {
            if (!fname->is_string() || fname->get_ref<const std::string&>().size() > 255) return wrong_type();
            n["file_name"] = *fname;
        }
        for (const auto& [k, e] : v->items())
            if (k != "sha256" && k != "file_name") return wrong_type();
        s.value = Value(true);
        s.normal = std::move(n);
        return s;
    }
    default: return s;
    }
}

/// Bounds the work of one pass over a form (all its rules over all rows), on top of each rule's
/// own step budget, so a hostile definition with answers cannot make validation hang.
class PassBudget {
public:
    static constexpr std::int64_t kSteps = 2'000'000;
    Value operator()(const Expression& e, const Scope& s) {
        if (remaining_ <= 0) throw EvalError("the form's rules are too expensive to evaluate");
        std::int64_t b = std::min(Expression::kDefaultBudget, remaining_);
        std::int64_t start = b;
        try {
            Value v = e.evaluate(s, b);
            remaining_ -= start - b;
            return v;
        } catch (...) {
            remaining_ -= start - std::max<std::int64_t>(b, 0);
            throw;
        }
    }

private:
    std::int64_t remaining_ = kSteps;
};

int necessity_rank(core::Necessity n) {
    return n == core::Necessity::required ? 2 : n == core::Necessity::deferrable ? 1 : 0;
}

}  // namespace

std::size_t ValidationResult::errors() const {
    return std::size_t(std::count_if(issues.begin(), issues.end(), [](const Issue& i) { return i.severity == Severity::error; }));
}
std::size_t ValidationResult::warnings() const { return issues.size() - errors(); }

FormSession::FormSession(std::shared_ptr<const FormDefinition> definition, std::optional<core::Date> today)
    : def_(std::move(definition)), today_(today.value_or(core::china_date(core::now()))) {
    if (!def_) throw core::InvalidData("FormSession needs a definition");
}

void FormSession::set_answers(const json& answers) {
    state_.reset();
    envelope_issues_.clear();
    raw_ = json::object();
    if (!answers.is_object()) {
        envelope_issues_.push_back(builtin("", "", "answer.not_object"));
        return;
    }
    if (deeper_than(answers, kMaxAnswerDepth)) {  // before any (recursive) copy
        envelope_issues_.push_back(builtin("", "", "answer.too_deep"));
        return;
    }
    auto a = answers.find("answers");
    if (a != answers.end() && answers.contains("version")) {
        const json& ver = answers["version"];
        auto form = answers.find("form");
        if (form != answers.end() && (!form->is_string() || *form != def_->code()))
            envelope_issues_.push_back(builtin("/form", "", "answer.form", Severity::error,
                                               form->is_string() ? safe_text(form->get<std::string>(), 64) : "?"));
        if (!ver.is_string() || ver != def_->version())
            envelope_issues_.push_back(builtin("/version", "", "answer.version", Severity::warning,
                                               ver.is_string() ? safe_text(ver.get<std::string>(), 40) : "?"));
        if (!a->is_object()) {
            envelope_issues_.push_back(builtin("", "", "answer.not_object"));
            return;
        }
        raw_ = *a;
        return;
    }
    raw_ = answers;
}

void FormSession::set_answer(const std::string& pointer, const json& value) {
    state_.reset();
    json::json_pointer p;
    try {
        p = json::json_pointer(pointer);
    } catch (const json::exception&) {
        throw core::InvalidData("not a JSON pointer: " + pointer.substr(0, 200));
    }
    if (p.empty()) throw core::InvalidData("an answer needs a field path");
    // Walk and create containers, refusing absurd row indexes.
    json* cur = &raw_;
    std::vector<std::string> tokens;
    for (json::json_pointer q = p; !q.empty(); q.pop_back()) tokens.insert(tokens.begin(), q.back());
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string& t = tokens[i];
        bool last = i + 1 == tokens.size();
        bool numeric = !t.empty() && t.size() <= 6 && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (cur->is_null()) *cur = numeric ? json::array() : json::object();
        if (cur->is_array()) {
            if (!numeric) throw core::InvalidData("not a row index: " + t.substr(0, 40));
            std::size_t idx = std::stoul(t);
            if (idx >= FormDefinition::kMaxRows) throw core::InvalidData("row index too large: " + t);
            while (cur->size() <= idx) cur->push_back(json::object());
            cur = &(*cur)[idx];
        } else if (cur->is_object()) {
            if (last && value.is_null()) {
                cur->erase(t);
                return;
            }
            cur = &(*cur)[t];
        } else {
            throw core::InvalidData("path goes through a value: " + pointer.substr(0, 200));
        }
        if (last) *cur = value;
    }
}

std::vector<std::string> FormSession::prefill(const PrefillData& data) {
    std::vector<std::string> filled;
    const auto& fields = def_->fields();
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const Field& f = fields[i];
        if (!f.prefill || f.repeat >= 0) continue;
        std::string path = path_of(int(i), 0);
        json::json_pointer p(path);
        if (raw_.contains(p) && !raw_.at(p).is_null()) continue;
        const json* src = nullptr;
        const std::string& key = f.prefill->key;
        auto member = [](const json& obj, const std::string& k) -> const json* {
            if (!obj.is_object()) return nullptr;
            auto it = obj.find(k);
            return it == obj.end() || it->is_null() ? nullptr : &*it;
        };
        json person;
        switch (f.prefill->source) {
        case PrefillSource::applicant:
            if (key == "person") {
                // The applicant as a person value: a guardian or agent field filled with who stands
                // at the window (people only: an organisation is no guardian).
                const json* name = member(data.applicant, "name");
                const json* number = member(data.applicant, "doc_number");
                const json* kind = member(data.applicant, "kind");
                if (name && number && (!kind || *kind == "person")) {
                    person = {{"name", *name}, {"doc_number", *number}};
                    if (const json* type = member(data.applicant, "doc_type")) person["doc_type"] = *type;
                    src = &person;
                }
            } else {
                src = member(data.applicant, key);
            }
            break;
        case PrefillSource::id_card: src = member(data.id_card, key); break;
        case PrefillSource::e_licence: {
            auto dot = key.find('.');
            if (const json* lic = member(data.e_licence, key.substr(0, dot))) src = member(*lic, key.substr(dot + 1));
            break;
        }
        case PrefillSource::earlier: {
            const json& e = data.earlier.is_object() && data.earlier.contains("answers") ? data.earlier["answers"] : data.earlier;
            src = member(e, key);
            break;
        }
        }
        if (!src) continue;
        set_answer(path, *src);
        filled.push_back(path);
    }
    return filled;
}

std::string FormSession::path_of(int field, std::size_t row) const {
    const auto& fields = def_->fields();
    std::vector<int> chain;
    for (int i = field; i >= 0; i = fields[std::size_t(i)].parent) chain.push_back(i);
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const Field& f = fields[std::size_t(*it)];
        if (f.parent >= 0 && fields[std::size_t(f.parent)].type == FieldType::repeat) out += "/" + std::to_string(row);
        out += "/" + core::json_pointer_token(f.id);
    }
    return out;
}

const FormSession::State& FormSession::state() const {
    if (state_) return *state_;
    const FormDefinition& d = *def_;
    const auto& fields = d.fields();
    State st;
    st.slots.resize(fields.size());
    st.rows.assign(fields.size(), 0);
    st.issues = envelope_issues_;
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].repeat < 0) st.slots[i].resize(1);

    // 1. read the answers along the definition: types, values, unknown members
    std::size_t unknown = 0;
    auto walk = [&](auto&& self, int parent, const std::vector<int>& kids, const json* obj, std::size_t row,
                    const std::string& prefix) -> void {
        if (obj && obj->is_object()) {
            for (const auto& member : obj->items()) {
                const std::string& k = member.key();
                int idx = d.find(k);
                bool known = idx >= 0 && fields[std::size_t(idx)].parent == parent;
                if (!known && ++unknown <= 100)
                    st.issues.push_back(builtin(prefix + "/" + core::json_pointer_token(safe_text(k, 200)), "", "answer.unknown_field"));
            }
        }
        for (int c : kids) {
            const Field& f = fields[std::size_t(c)];
            const json* v = nullptr;
            if (obj && obj->is_object()) {
                auto it = obj->find(f.id);
                if (it != obj->end() && !it->is_null()) v = &*it;
            }
            std::string path = prefix + "/" + f.id;
            Slot& slot = st.slots[std::size_t(c)][row];
            if (f.type == FieldType::group) {
                if (v && !v->is_object()) slot.issue = builtin(path, f.id, "answer.type", Severity::error, type_word_en(f.type), type_word_zh(f.type));
                slot.present = v != nullptr;
                self(self, c, f.children, v && v->is_object() ? v : nullptr, row, path);
            } else if (f.type == FieldType::repeat) {
                std::size_t rows = 0;
                if (v && !v->is_array()) slot.issue = builtin(path, f.id, "answer.type", Severity::error, type_word_en(f.type), type_word_zh(f.type));
                else if (v) {
                    rows = std::min(v->size(), f.max_count);
                    if (v->size() > f.max_count) slot.issue = builtin(path, f.id, "answer.rows_max", Severity::error, std::to_string(f.max_count));
                }
                st.rows[std::size_t(c)] = rows;
                slot.present = rows > 0;
                for (std::size_t k = 0; k < fields.size(); ++k)
                    if (fields[k].repeat == c) st.slots[k].assign(rows, Slot{});
                for (std::size_t r = 0; r < rows; ++r) {
                    const json& rowv = (*v)[r];
                    std::string rp = path + "/" + std::to_string(r);
                    if (!rowv.is_object() && !rowv.is_null())
                        st.issues.push_back(builtin(rp, f.id, "answer.type", Severity::error, type_word_en(FieldType::group), type_word_zh(FieldType::group)));
                    self(self, c, f.children, rowv.is_object() ? &rowv : nullptr, r, rp);
                }
            } else {
                slot = convert(f, v, path);
            }
        }
    };
    if (raw_.is_object()) walk(walk, -1, d.roots(), &raw_, 0, "");
    if (unknown > 100) st.issues.push_back(builtin("", "", "answer.too_many_issues", Severity::error));

    // 2. visibility and computed values, in dependency order
    PassBudget run;
    for (int idx : d.order()) {
        const Field& f = fields[std::size_t(idx)];
        auto& slots = st.slots[std::size_t(idx)];
        for (std::size_t r = 0; r < slots.size(); ++r) {
            Slot& s = slots[r];
            bool visible = true;
            if (f.parent >= 0) {
                const Field& p = fields[std::size_t(f.parent)];
                const auto& ps = st.slots[std::size_t(f.parent)];
                std::size_t pr = p.repeat < 0 ? 0 : r;
                visible = pr < ps.size() && ps[pr].visible;
            }
            SessionScope scope(d, st, today_, f.repeat, r);
            if (visible && f.visible_if) {
                try {
                    visible = run(*f.visible_if, scope).truthy();
                } catch (const EvalError& e) {
                    visible = false;
                    st.rule_issues.push_back(builtin(path_of(idx, r), f.id, "rule.error", Severity::error, e.what()));
                }
            }
            s.visible = visible;
            if (!visible) {
                s.value = Value();
                s.normal = nullptr;
                continue;
            }
            if (f.compute) {
                try {
                    Value v = run(*f.compute, scope);
                    if (v.is_list()) v = Value();
                    s.value = v;
                    s.normal = value_to_json(v);
                    s.present = !v.is_null();
                    s.issue.reset();
                } catch (const EvalError& e) {
                    s.value = Value();
                    s.normal = nullptr;
                    st.rule_issues.push_back(builtin(path_of(idx, r), f.id, "rule.error", Severity::error, e.what()));
                }
            }
        }
    }
    state_ = std::move(st);
    return *state_;
}

ValidationResult FormSession::validate() const {
    const State& st = state();
    const FormDefinition& d = *def_;
    const auto& fields = d.fields();
    ValidationResult res;
    res.issues = st.issues;
    PassBudget run;
    auto walk = [&](auto&& self, const std::vector<int>& kids, std::size_t row) -> void {
        for (int c : kids) {
            const Field& f = fields[std::size_t(c)];
            std::size_t rows = f.type == FieldType::repeat ? st.rows[std::size_t(c)] : 0;
            const Slot& s = st.slots[std::size_t(c)][row];
            if (!s.visible) continue;
            std::string path = path_of(c, row);
            if (s.issue) res.issues.push_back(*s.issue);
            SessionScope scope(d, st, today_, f.repeat, row);
            bool required = f.required == Requirement::required;
            for (const auto& e : f.required_if) {
                if (required) break;
                try {
                    required = run(e, scope).truthy();
                } catch (const EvalError& ex) {
                    res.issues.push_back(builtin(path, f.id, "rule.error", Severity::error, ex.what()));
                }
            }
            bool empty = f.type == FieldType::repeat ? rows == 0 : !s.present;
            if (empty && f.type != FieldType::group) {
                if (required) res.issues.push_back(builtin(path, f.id, "field.required"));
                else if (f.required == Requirement::soft) res.issues.push_back(builtin(path, f.id, "field.soft_required", Severity::warning));
            }
            if (f.type == FieldType::repeat && rows > 0 && rows < f.min_count)
                res.issues.push_back(builtin(path, f.id, "answer.rows_min", Severity::error, std::to_string(f.min_count)));
            if (f.type == FieldType::repeat && rows == 0 && f.min_count > 0 && !required)
                res.issues.push_back(builtin(path, f.id, "answer.rows_min", Severity::error, std::to_string(f.min_count)));
            if (!s.value.is_null() || (f.type == FieldType::repeat && rows > 0)) {
                for (std::size_t k = 0; k < f.constraints.size(); ++k) {
                    try {
                        Value ok = run(f.constraints[k].rule, scope);
                        if (!ok.is_null() && !ok.truthy())
                            res.issues.push_back(from_text(path, f.id, "field.constraint", Severity::error, f.constraints[k].message));
                    } catch (const EvalError& ex) {
                        res.issues.push_back(builtin(path, f.id, "rule.error", Severity::error, ex.what()));
                    }
                }
            }
            if (f.type == FieldType::group) self(self, f.children, row);
            if (f.type == FieldType::repeat)
                for (std::size_t r = 0; r < rows; ++r) self(self, f.children, r);
        }
    };
    walk(walk, d.roots(), 0);
    SessionScope global(d, st, today_, -1, 0);
    for (const auto& c : d.checks()) {
        std::string path;
        if (!c.fields.empty()) {
            int fi = d.find(c.fields[0]);
            if (fi >= 0 && fields[std::size_t(fi)].repeat < 0) path = path_of(fi, 0);
        }
        try {
            Value ok = run(c.rule, global);
            if (!ok.is_null() && !ok.truthy())
                res.issues.push_back(from_text(path, c.fields.empty() ? "" : c.fields[0], "check." + c.id, c.severity, c.message));
        } catch (const EvalError& ex) {
            res.issues.push_back(builtin(path, "", "rule.error", Severity::error, ex.what()));
        }
    }
    res.issues.insert(res.issues.end(), st.rule_issues.begin(), st.rule_issues.end());
    if (res.issues.size() > kMaxIssues) {
        res.issues.resize(kMaxIssues);
        res.issues.push_back(builtin("", "", "answer.too_many_issues"));
    }
    res.valid = std::none_of(res.issues.begin(), res.issues.end(), [](const Issue& i) { return i.severity == Severity::error; });
    return res;
}

std::vector<VisibleField> FormSession::visible_fields() const {
    const State& st = state();
    const auto& fields = def_->fields();
    std::vector<VisibleField> out;
    PassBudget run;
    auto walk = [&](auto&& self, const std::vector<int>& kids, std::size_t row) -> void {
        for (int c : kids) {
            const Field& f = fields[std::size_t(c)];
            const Slot& s = st.slots[std::size_t(c)][row];
            if (!s.visible) continue;
            VisibleField vf;
            vf.path = path_of(c, row);
            vf.field = &f;
            vf.required = f.required == Requirement::required;
            SessionScope scope(*def_, st, today_, f.repeat, row);
            for (const auto& e : f.required_if) {
                try {
                    vf.required = vf.required || run(e, scope).truthy();
                } catch (const EvalError&) {
                }
            }
            vf.soft_required = f.required == Requirement::soft;
            out.push_back(std::move(vf));
            if (f.type == FieldType::group) self(self, f.children, row);
            if (f.type == FieldType::repeat)
                for (std::size_t r = 0; r < st.rows[std::size_t(c)]; ++r) self(self, f.children, r);
        }
    };
    walk(walk, def_->roots(), 0);
    return out;
}

core::Checklist FormSession::checklist() const {
    const State& st = state();
    const FormDefinition& d = *def_;
    SessionScope global(d, st, today_, -1, 0);
    core::Checklist cl;
    PassBudget run;
    for (const auto& rule : d.materials()) {
        core::ChecklistEntry e;
        int rank = -1;
        for (const auto& use : rule.uses) {
            bool needed = true;
            if (use.condition) {
                try {
                    needed = run(*use.condition, global).truthy();
                } catch (const EvalError&) {
                    needed = true;  // when in doubt, ask for it
                }
            }
            if (!needed) continue;
            if (std::find(e.serves_items.begin(), e.serves_items.end(), use.item) == e.serves_items.end())
                e.serves_items.push_back(use.item);
            if (necessity_rank(use.necessity) > rank) {
                rank = necessity_rank(use.necessity);
                e.necessity = use.necessity;
            }
        }
        if (e.serves_items.empty()) continue;
        e.material_code = rule.code;
        e.name = rule.spec.name;
        e.form = rule.spec.form;
        e.originals = rule.spec.originals;
        e.copies = rule.spec.copies;
        e.source = rule.spec.source;
        e.commitment_allowed = rule.spec.commitment_allowed;
        e.note = rule.spec.notes;
        // an attachment field bound to this material: the scan is already there
        const auto& fields = d.fields();
        for (std::size_t i = 0; i < fields.size() && e.blob_sha256.empty(); ++i) {
            const Field& f = fields[i];
            if (f.type != FieldType::attachment) continue;
            std::string item = f.item.empty() && d.item() ? d.item()->code : f.item;
            bool bound = std::any_of(rule.uses.begin(), rule.uses.end(), [&](const MaterialRule::Use& u) {
                if (u.item == item && u.material == f.material) return true;
                return std::find(f.shared_materials.begin(), f.shared_materials.end(), std::make_pair(u.item, u.material)) !=
                       f.shared_materials.end();
            });
            if (!bound) continue;
            for (const auto& s : st.slots[i])
                if (s.visible && s.normal.is_object()) {
                    e.blob_sha256 = s.normal.value("sha256", "");
                    e.status = core::MaterialStatus::scanned;
                    break;
                }
        }
        cl.entries.push_back(std::move(e));
    }
    return cl;
}

json FormSession::answers_json() const {
    const State& st = state();
    const auto& fields = def_->fields();
    auto build = [&](auto&& self, const std::vector<int>& kids, std::size_t row) -> json {
        json obj = json::object();
        for (int c : kids) {
            const Field& f = fields[std::size_t(c)];
            const Slot& s = st.slots[std::size_t(c)][row];
            if (!s.visible) continue;
            if (f.type == FieldType::group) {
                json g = self(self, f.children, row);
                if (!g.empty()) obj[f.id] = std::move(g);
            } else if (f.type == FieldType::repeat) {
                if (st.rows[std::size_t(c)] == 0) continue;
                json a = json::array();
                for (std::size_t r = 0; r < st.rows[std::size_t(c)]; ++r) a.push_back(self(self, f.children, r));
                obj[f.id] = std::move(a);
            } else if (!s.normal.is_null()) {
                obj[f.id] = s.normal;  // invalid values were dropped when read
            }
        }
        return obj;
    };
    return json{{"form", def_->code()}, {"version", def_->version()}, {"answers", build(build, def_->roots(), 0)}};
}

std::map<std::string, json> FormSession::item_answers() const {
    std::map<std::string, json> out;
    json all = answers_json();
    if (!def_->is_bundle()) {
        out[def_->code()] = all;
        return out;
    }
    // rebuild each item's answers from the merged ones, through the declared mapping
    const json& merged = all["answers"];
    for (const auto& part : def_->parts()) {
        // every merged key of this item (shared elements and "<alias>_<id>") translates back
        std::map<std::string, std::string> back;
        for (const auto& [item_id, merged_id] : part.field_ids) back[merged_id] = item_id;
        std::function<json(const json&)> translate = [&](const json& src) -> json {
            json o = json::object();
            for (const auto& [k, v] : src.items()) {
                auto it = back.find(k);
                if (it == back.end()) continue;
                if (v.is_object() && def_->find(k) >= 0 && def_->fields()[std::size_t(def_->find(k))].type == FieldType::group)
                    o[it->second] = translate(v);
                else if (v.is_array() && def_->find(k) >= 0 && def_->fields()[std::size_t(def_->find(k))].type == FieldType::repeat) {
                    json a = json::array();
                    for (const auto& row : v) a.push_back(translate(row));
                    o[it->second] = std::move(a);
                } else
                    o[it->second] = v;
            }
            return o;
        };
        out[part.item] = json{{"form", part.item}, {"version", part.version}, {"bundle", def_->code()}, {"answers", translate(merged)}};
    }
    return out;
}

Value FormSession::value(std::string_view id) const {
    const State& st = state();
    SessionScope scope(*def_, st, today_, -1, 0);
    return scope.lookup(id);
}

json to_json(const Issue& i) {
    return {{"path", i.path}, {"field", i.field}, {"code", i.code},
            {"severity", i.severity == Severity::error ? "error" : "warning"},
            {"message", {{"zh_CN", i.message_zh_CN}, {"en", i.message_en}}}};
}

json to_json(const ValidationResult& r) {
    json issues = json::array();
    for (const auto& i : r.issues) issues.push_back(to_json(i));
    return {{"valid", r.valid}, {"errors", issues}};
}

json to_json(const core::ChecklistEntry& e) {
    return {{"material_code", e.material_code}, {"name", e.name}, {"necessity", core::to_code(e.necessity)},
            {"necessity_zh", core::zh_name(e.necessity)}, {"form", core::to_code(e.form)}, {"originals", e.originals},
            {"copies", e.copies}, {"source", core::to_code(e.source)}, {"commitment_allowed", e.commitment_allowed},
            {"serves_items", e.serves_items}, {"status", core::to_code(e.status)}, {"note", e.note},
            {"blob_sha256", e.blob_sha256}};
}

}  // namespace ow::forms
