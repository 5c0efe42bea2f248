#include "ow/forms/definition.h"

#include "ow/core/json_reader.h"
#include "ow/core/paths.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace ow::forms {

using core::JsonReader;
using nlohmann::json;

const std::string& LocalText::get(Lang lang) const {
    switch (lang) {
    case Lang::en: return en.empty() ? zh_CN : en;
    case Lang::zh_TW: return zh_TW.empty() ? zh_CN : zh_TW;
    default: return zh_CN;
    }
}

namespace {

constexpr std::pair<FieldType, std::string_view> kTypes[] = {
    {FieldType::text, "text"},           {FieldType::multiline, "multiline"},
    {FieldType::integer, "integer"},     {FieldType::decimal, "decimal"},
    {FieldType::money, "money"},         {FieldType::date, "date"},
    {FieldType::choice, "choice"},       {FieldType::multi_choice, "multi_choice"},
    {FieldType::boolean, "boolean"},     {FieldType::resident_id, "resident_id"},
    {FieldType::uscc, "uscc"},           {FieldType::phone, "phone"},
    {FieldType::postal_code, "postal_code"}, {FieldType::address, "address"},
    {FieldType::person, "person"},       {FieldType::attachment, "attachment"},
    {FieldType::group, "group"},         {FieldType::repeat, "repeat"},
};

bool is_container(FieldType t) { return t == FieldType::group || t == FieldType::repeat; }
bool is_texty(FieldType t) { return t == FieldType::text || t == FieldType::multiline; }
bool is_numeric(FieldType t) { return t == FieldType::integer || t == FieldType::decimal || t == FieldType::money; }

bool valid_id(const std::string& id) {
    if (id.empty() || id.size() > 48 || !(id[0] >= 'a' && id[0] <= 'z')) return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return id != "true" && id != "false" && id != "null" && id != "in";
}

/// Fails on members other than `allowed`.
void only_keys(const JsonReader& r, std::initializer_list<const char*> allowed) {
    r.object();
    for (const auto& [k, v] : r.value().items()) {
        bool ok = false;
        for (const char* a : allowed)
            if (k == a) ok = true;
        if (!ok) r.fail_at(k, "unknown member");
    }
}

}  // namespace

std::string_view to_code(FieldType t) {
    for (const auto& [e, name] : kTypes)
        if (e == t) return name;
    return "?";
}

int FormDefinition::find(std::string_view id) const {
    auto it = by_id_.find(std::string(id));
    return it == by_id_.end() ? -1 : it->second;
}

/// Builds and checks FormDefinitions (items and bundles).
class DefinitionBuilder {
public:
    DefinitionBuilder(FormDefinition& d, std::string source) : d_(d), source_(std::move(source)) {}

    [[noreturn]] void fail(const std::string& pointer, const std::string& what) const {
        throw DefinitionError(source_ + ": " + (pointer.empty() ? "/" : pointer) + ": " + what);
    }

    LocalText text(const JsonReader& parent, const char* key, bool required) const {
        LocalText t;
        if (!parent.has(key)) {
            if (required) parent.fail_at(key, "missing");
            return t;
        }
        JsonReader r = parent.at(key);
        only_keys(r, {"zh_CN", "en", "zh_TW"});
        t.zh_CN = r.str("zh_CN");
        t.en = r.str("en");
        t.zh_TW = r.str_or("zh_TW", "");
        for (const auto* s : {&t.zh_CN, &t.en, &t.zh_TW})
            if (s->size() > FormDefinition::kMaxText) r.fail("text too long (at most " + std::to_string(FormDefinition::kMaxText) + " bytes)");
        if (t.zh_CN.empty() || t.en.empty()) r.fail("zh_CN and en must not be empty");
        return t;
    }

    Expression expr(const JsonReader& parent, const char* key) const {
        JsonReader r = parent.at(key);
        if (!r.value().is_string()) r.fail("must be a string (an expression)");
        try {
            return Expression::parse(r.value().get_ref<const std::string&>());
        } catch (const ExprSyntaxError& e) {
            r.fail(e.what());
        }
    }

    // ---- items ----

    void parse_form(const JsonReader& form) {
        only_keys(form, {"version", "fields", "checks"});
        d_.version_ = form.str("version");
        if (d_.version_.empty() || d_.version_.size() > 40) form.fail_at("version", "must be 1-40 characters");
        JsonReader fs = form.at("fields");
        fs.array();
        if (fs.size() > FormDefinition::kMaxFields) fs.fail("too many fields");
        for (std::size_t i = 0; i < fs.size(); ++i) d_.roots_.push_back(parse_field(fs.at(i), -1, -1, 1));
        if (form.has("checks")) parse_checks(form.at("checks"));
    }

    int parse_field(const JsonReader& r, int parent, int repeat, int depth) {
        if (depth > FormDefinition::kMaxDepth)
            r.fail("groups nested too deeply (at most " + std::to_string(FormDefinition::kMaxDepth) + " levels)");
        if (d_.fields_.size() >= FormDefinition::kMaxFields)
            r.fail("too many fields (at most " + std::to_string(FormDefinition::kMaxFields) + ")");
        only_keys(r, {"id", "type", "label", "help", "required", "required_if", "visible_if", "compute", "constraints",
                      "min_length", "max_length", "min", "max", "scale", "options", "prefill", "material", "min_count",
                      "max_count", "fields"});
        Field f;
        f.pointer = r.pointer();
        f.parent = parent;
        f.repeat = repeat;
        f.id = r.str("id");
        if (!valid_id(f.id)) r.fail_at("id", "must match [a-z][a-z0-9_]* (at most 48 characters, not a keyword)");
        if (d_.by_id_.count(f.id)) r.fail_at("id", "duplicate field id '" + f.id + "'");
        std::string type = r.str("type");
        bool known = false;
        for (const auto& [e, name] : kTypes)
            if (name == type) {
                f.type = e;
                known = true;
            }
        if (!known) r.fail_at("type", "unknown field type '" + type.substr(0, 40) + "'");
        f.label = text(r, "label", true);
        f.help = text(r, "help", false);
        if (r.has("required")) {
            JsonReader q = r.at("required");
            if (q.value().is_boolean()) f.required = q.value().get<bool>() ? Requirement::required : Requirement::none;
            else if (q.value().is_string() && q.value().get<std::string>() == "soft") f.required = Requirement::soft;
            else q.fail("must be true, false or \"soft\"");
        }
        if (r.has("required_if")) f.required_if.push_back(expr(r, "required_if"));
        if (r.has("visible_if")) f.visible_if = expr(r, "visible_if");
        if (r.has("compute")) {
            if (is_container(f.type) || f.type == FieldType::attachment) r.fail_at("compute", "a " + type + " cannot be computed");
            f.compute = expr(r, "compute");
        }
        if (r.has("constraints")) {
            JsonReader cs = r.at("constraints");
            cs.array();
            if (cs.size() > 50) cs.fail("too many constraints");
            for (std::size_t i = 0; i < cs.size(); ++i) {
                JsonReader c = cs.at(i);
                only_keys(c, {"rule", "message"});
                f.constraints.push_back({expr(c, "rule"), text(c, "message", true)});
            }
        }
        auto want = [&](const char* key, bool allowed) {
            if (r.has(key) && !allowed) r.fail_at(key, "not allowed for a " + type + " field");
        };
        want("min_length", is_texty(f.type));
        want("max_length", is_texty(f.type));
        want("min", is_numeric(f.type));
        want("max", is_numeric(f.type));
        want("scale", f.type == FieldType::decimal);
        want("options", f.type == FieldType::choice || f.type == FieldType::multi_choice);
        want("material", f.type == FieldType::attachment);
        want("min_count", f.type == FieldType::repeat);
        want("max_count", f.type == FieldType::repeat);
        want("fields", is_container(f.type));
        if (r.has("min_length")) f.min_length = r.int64("min_length", 0, 65536);
        if (r.has("max_length")) f.max_length = r.int64("max_length", 1, 65536);
        if (f.min_length && f.max_length && *f.min_length > *f.max_length) r.fail_at("min_length", "greater than max_length");
        auto number = [&](const char* key) -> std::optional<double> {
            if (!r.has(key)) return std::nullopt;
            JsonReader n = r.at(key);
            if (!n.value().is_number()) n.fail("must be a number");
            double v = n.value().get<double>();
            if (!(v >= -9e15 && v <= 9e15)) n.fail("out of range");
            return v;
        };
        f.min = number("min");
        f.max = number("max");
        if (f.min && f.max && *f.min > *f.max) r.fail_at("min", "greater than max");
        f.scale = int(r.int64_or("scale", 2, 0, 6));
        if (r.has("options")) {
            JsonReader os = r.at("options");
            os.array();
            if (os.size() == 0 || os.size() > FormDefinition::kMaxOptions)
                os.fail("must have 1-" + std::to_string(FormDefinition::kMaxOptions) + " options");
            std::set<std::string> seen;
            for (std::size_t i = 0; i < os.size(); ++i) {
                JsonReader o = os.at(i);
                only_keys(o, {"value", "label"});
                Option opt{o.str("value"), text(o, "label", true)};
                if (opt.value.empty() || opt.value.size() > 64 || !seen.insert(opt.value).second)
                    o.fail_at("value", "empty, too long or duplicate option value");
                f.options.push_back(std::move(opt));
            }
        } else if (f.type == FieldType::choice || f.type == FieldType::multi_choice) {
            r.fail_at("options", "missing");
        }
        if (r.has("prefill")) {
            if (repeat >= 0 || is_container(f.type)) r.fail_at("prefill", "not allowed here (repeats and groups)");
            JsonReader p = r.at("prefill");
            only_keys(p, {"source", "key"});
            std::string src = p.str("source");
            Prefill pf;
            if (src == "applicant") pf.source = PrefillSource::applicant;
            else if (src == "id_card") pf.source = PrefillSource::id_card;
            else if (src == "e_licence") pf.source = PrefillSource::e_licence;
            else if (src == "earlier") pf.source = PrefillSource::earlier;
            else p.fail_at("source", "unknown prefill source (applicant, id_card, e_licence, earlier)");
            pf.key = p.str("key");
            static const std::set<std::string> applicant_keys{
                "name", "doc_type", "doc_number", "phone", "address", "postal_code", "legal_representative",
                "agent_name", "agent_doc_number", "person"};
            static const std::set<std::string> id_card_keys{
                "name", "sex", "ethnicity", "birth", "address", "id_number", "authority", "valid_from", "valid_to"};
            if (pf.source == PrefillSource::applicant && !applicant_keys.count(pf.key))
                p.fail_at("key", "unknown applicant key '" + pf.key.substr(0, 40) + "'");
            if (pf.source == PrefillSource::id_card && !id_card_keys.count(pf.key))
                p.fail_at("key", "unknown ID card key '" + pf.key.substr(0, 40) + "'");
            if (pf.source == PrefillSource::e_licence && pf.key.find('.') == std::string::npos)
                p.fail_at("key", "must be <licence type>.<key>");
            if (pf.key.empty() || pf.key.size() > 100) p.fail_at("key", "must be 1-100 characters");
            if ((pf.source == PrefillSource::applicant && pf.key == "person") != (f.type == FieldType::person))
                p.fail_at("key", f.type == FieldType::person ? "a person field is prefilled from the applicant key 'person'"
                                                             : "the applicant key 'person' fills person fields only");
            f.prefill = pf;
        }
        if (f.type == FieldType::attachment) {
            f.material = r.str("material");
            const auto* it = d_.item();
            if (!it || !it->material(f.material))
                r.fail_at("material", "names no material of this item: '" + f.material.substr(0, 40) + "'");
        }
        if (f.type == FieldType::repeat) {
            if (repeat >= 0) r.fail("a repeat cannot contain another repeat");
            f.min_count = std::size_t(r.int64_or("min_count", 0, 0, std::int64_t(FormDefinition::kMaxRows)));
            f.max_count = std::size_t(r.int64_or("max_count", 50, 1, std::int64_t(FormDefinition::kMaxRows)));
            if (f.min_count > f.max_count) r.fail_at("min_count", "greater than max_count");
        }
        int index = int(d_.fields_.size());
        d_.by_id_[f.id] = index;
        bool container = is_container(f.type);
        bool is_rep = f.type == FieldType::repeat;
        d_.fields_.push_back(std::move(f));
        if (container) {
            JsonReader kids = r.at("fields");
            kids.array();
            if (kids.size() == 0) kids.fail("a group needs at least one field");
            for (std::size_t i = 0; i < kids.size(); ++i) {
                int k = parse_field(kids.at(i), index, is_rep ? index : repeat, depth + 1);
                d_.fields_[std::size_t(index)].children.push_back(k);
            }
        }
        return index;
    }

    void parse_checks(const JsonReader& cs) {
        cs.array();
        if (cs.size() > 200) cs.fail("too many checks");
        std::set<std::string> ids;
        for (std::size_t i = 0; i < cs.size(); ++i) {
            JsonReader c = cs.at(i);
            only_keys(c, {"id", "rule", "message", "severity", "fields"});
            Check k{c.str("id"), expr(c, "rule"), text(c, "message", true), Severity::error, c.strings_or_empty("fields")};
            if (!valid_id(k.id) || !ids.insert(k.id).second) c.fail_at("id", "invalid or duplicate check id");
            std::string sev = c.str_or("severity", "error");
            if (sev == "warning") k.severity = Severity::warning;
            else if (sev != "error") c.fail_at("severity", "must be error or warning");
            for (std::size_t j = 0; j < k.fields.size(); ++j)
                if (d_.find(k.fields[j]) < 0)
                    c.at("fields").at(j).fail("names no field of this form: '" + k.fields[j].substr(0, 48) + "'");
            check_refs(k.rule, c.pointer() + "/rule");
            d_.checks_.push_back(std::move(k));
        }
    }

    void check_refs(const Expression& e, const std::string& pointer) const {
        for (const auto& name : e.references()) {
            int i = d_.find(name);
            if (i < 0) fail(pointer, "the rule names a missing field '" + name + "'");
            if (d_.fields_[std::size_t(i)].type == FieldType::group) fail(pointer, "the rule names the group '" + name + "' (name a field in it)");
        }
    }

    void check_field_refs() const {
        for (const auto& f : d_.fields_) {
            for (std::size_t i = 0; i < f.required_if.size(); ++i) check_refs(f.required_if[i], f.pointer + "/required_if");
            if (f.visible_if) check_refs(*f.visible_if, f.pointer + "/visible_if");
            if (f.compute) check_refs(*f.compute, f.pointer + "/compute");
            for (std::size_t i = 0; i < f.constraints.size(); ++i)
                check_refs(f.constraints[i].rule, f.pointer + "/constraints/" + std::to_string(i) + "/rule");
        }
    }

    void item_materials(const nlohmann::json& j) {
        const auto& it = *d_.item_;
        for (std::size_t i = 0; i < it.spec.materials.size(); ++i) {
            const auto& m = it.spec.materials[i];
            MaterialRule rule;
            rule.code = m.code;
            rule.spec = m;
            MaterialRule::Use use;
            use.item = it.code;
            use.material = m.code;
            use.necessity = m.necessity;
            if (!m.condition.empty()) {
                std::string ptr = "/spec/materials/" + std::to_string(i) + "/condition";
                try {
                    use.condition = Expression::parse(m.condition);
                } catch (const ExprSyntaxError& e) {
                    fail(ptr, e.what());
                }
                check_refs(*use.condition, ptr);
            }
            rule.uses.push_back(std::move(use));
            d_.materials_.push_back(std::move(rule));
        }
        (void)j;
    }

    /// Index, dependency order, cycle detection. Computed values and visibility depend on the
    /// fields their expressions read and on the parent's visibility.
    void finalize() {
        const auto n = d_.fields_.size();
        d_.by_id_.clear();
        for (std::size_t i = 0; i < n; ++i) d_.by_id_[d_.fields_[i].id] = int(i);
        std::vector<std::vector<int>> deps(n);
        for (std::size_t i = 0; i < n; ++i) {
            const Field& f = d_.fields_[i];
            if (f.parent >= 0) deps[i].push_back(f.parent);
            auto add = [&](const Expression& e) {
                for (const auto& r : e.references()) {
                    int k = d_.find(r);
                    if (k < 0) continue;
                    deps[i].push_back(k);
                }
            };
            if (f.compute) add(*f.compute);
            if (f.visible_if) add(*f.visible_if);
        }
        // Kahn's algorithm; ties keep definition order.
        std::vector<int> indeg(n, 0);
        std::vector<std::vector<int>> users(n);
        for (std::size_t i = 0; i < n; ++i)
            for (int k : deps[i]) {
                users[std::size_t(k)].push_back(int(i));
                ++indeg[i];
            }
        std::vector<int> ready;
        for (std::size_t i = n; i-- > 0;)
            if (indeg[i] == 0) ready.push_back(int(i));
        d_.order_.clear();
        while (!ready.empty()) {
            int i = ready.back();
            ready.pop_back();
            d_.order_.push_back(i);
            for (int u : users[std::size_t(i)])
                if (--indeg[std::size_t(u)] == 0) ready.push_back(u);
        }
        if (d_.order_.size() != n) {
            // find a cycle among the remaining fields
            int start = -1;
            for (std::size_t i = 0; i < n; ++i)
                if (indeg[i] > 0) {
                    start = int(i);
                    break;
                }
            std::vector<int> path;
            std::vector<int> pos(n, -1);
            int cur = start;
            while (pos[std::size_t(cur)] < 0) {
                pos[std::size_t(cur)] = int(path.size());
                path.push_back(cur);
                int next = -1;
                for (int k : deps[std::size_t(cur)])
                    if (indeg[std::size_t(k)] > 0) {
                        next = k;
                        break;
                    }
                cur = next;
            }
            std::string chain;
            for (std::size_t i = std::size_t(pos[std::size_t(cur)]); i < path.size(); ++i)
                chain += d_.fields_[std::size_t(path[i])].id + " -> ";
            chain += d_.fields_[std::size_t(cur)].id;
            const Field& f = d_.fields_[std::size_t(cur)];
            fail(f.pointer + (f.compute ? "/compute" : f.visible_if ? "/visible_if" : ""), "cyclic dependency: " + chain);
        }
    }

    // ---- bundles ----

    void merge(const JsonReader& r, const std::map<std::string, std::shared_ptr<const FormDefinition>>& items) {
        const core::Bundle& b = *d_.bundle_;
        std::vector<const FormDefinition*> defs;
        for (std::size_t i = 0; i < b.items.size(); ++i) {
            auto it = items.find(b.items[i]);
            if (it == items.end() || !it->second) fail("/items/" + std::to_string(i), "bundle names unknown item " + b.items[i]);
            if (std::find(b.items.begin(), b.items.begin() + std::ptrdiff_t(i), b.items[i]) != b.items.begin() + std::ptrdiff_t(i))
                fail("/items/" + std::to_string(i), "item listed twice");
            defs.push_back(it->second.get());
        }
        std::optional<JsonReader> form;
        if (r.has("form")) {
            form.emplace(r.at("form"));
            only_keys(*form, {"version", "aliases", "elements", "materials", "checks"});
            d_.version_ = form->str("version");
        } else {
            d_.version_ = b.version;
        }
        // aliases
        std::set<std::string> aliases;
        for (std::size_t i = 0; i < defs.size(); ++i) {
            BundlePart p;
            p.item = b.items[i];
            p.version = defs[i]->version();
            p.alias = "i" + std::to_string(i + 1);
            if (form && form->has("aliases")) {
                JsonReader a = form->at("aliases");
                a.object();
                if (!a.has(p.item.c_str())) a.fail("no alias for item " + p.item);
                p.alias = a.str(p.item.c_str());
                if (!valid_id(p.alias) || p.alias.size() > 16) a.fail_at(p.item, "an alias must match [a-z][a-z0-9_]{0,15}");
            }
            if (!aliases.insert(p.alias).second) fail(form ? form->pointer() + "/aliases" : "/", "duplicate alias " + p.alias);
            d_.parts_.push_back(std::move(p));
        }
        if (form && form->has("aliases"))
            for (const auto& [k, v] : form->at("aliases").value().items())
                if (std::find(b.items.begin(), b.items.end(), k) == b.items.end())
                    form->at("aliases").fail_at(k, "not an item of this bundle");

        // elements: which item fields are one data element (groups and repeats with their fields)
        defs_ = defs;
        if (form && form->has("elements")) {
            JsonReader es = form->at("elements");
            es.array();
            if (es.size() > FormDefinition::kMaxFields) es.fail("too many elements");
            for (std::size_t e = 0; e < es.size(); ++e) elements_.push_back(parse_element(es.at(e), nullptr));
        }
        // every other field gets "<alias>_<id>"
        for (std::size_t p = 0; p < defs.size(); ++p)
            for (const auto& f : defs[p]->fields())
                if (!d_.parts_[p].field_ids.count(f.id)) d_.parts_[p].field_ids[f.id] = d_.parts_[p].alias + "_" + f.id;
        // element fields first, then the rest of each item's fields in item order
        for (const auto& n : elements_) emit(n, -1, -1);
        for (std::size_t p = 0; p < defs.size(); ++p) {
            const FormDefinition& src = *defs[p];
            auto rn = renamer(p);
            for (int root : src.roots())
                if (!mapped_.count({p, src.fields()[std::size_t(root)].id})) copy_field(p, root, -1, -1);
            for (const auto& c : src.checks()) {
                Check k = c;
                k.id = d_.parts_[p].alias + "_" + c.id;
                k.rule.rename(rn);
                for (auto& fid : k.fields) fid = rn(fid);
                d_.checks_.push_back(std::move(k));
            }
        }
        for (std::size_t i = 0; i < d_.fields_.size(); ++i) d_.by_id_[d_.fields_[i].id] = int(i);
        if (d_.by_id_.size() != d_.fields_.size()) fail("/form/aliases", "merged field ids collide; choose other aliases or element ids");

        // materials: shared ones once, the others per item
        std::map<std::pair<std::size_t, std::string>, std::size_t> shared;  // (part, material) -> rule index
        if (form && form->has("materials")) {
            JsonReader ms = form->at("materials");
            ms.array();
            std::set<std::string> ids;
            for (std::size_t i = 0; i < ms.size(); ++i) {
                JsonReader m = ms.at(i);
                only_keys(m, {"id", "uses"});
                MaterialRule rule;
                rule.code = m.str("id");
                if (!valid_id(rule.code) || !ids.insert(rule.code).second) m.fail_at("id", "invalid or duplicate material id");
                JsonReader us = m.at("uses");
                us.array();
                if (us.size() == 0 || us.size() > defs.size()) us.fail("must name 1 material per item at most");
                for (std::size_t k = 0; k < us.size(); ++k) {
                    JsonReader u = us.at(k);
                    only_keys(u, {"item", "material"});
                    std::string item = u.str("item");
                    auto pit = std::find(b.items.begin(), b.items.end(), item);
                    if (pit == b.items.end()) u.fail_at("item", "not an item of this bundle: " + item.substr(0, 64));
                    std::size_t part = std::size_t(pit - b.items.begin());
                    std::string mat = u.str("material");
                    const MaterialRule* src = nullptr;
                    for (const auto& mr : defs[part]->materials())
                        if (mr.code == mat) src = &mr;
                    if (!src) u.fail_at("material", "item " + item + " has no material '" + mat.substr(0, 48) + "'");
                    if (!shared.emplace(std::make_pair(part, mat), d_.materials_.size()).second)
                        u.fail_at("material", "material mapped twice");
                    if (rule.uses.empty()) {
                        rule.spec = src->spec;
                        rule.spec.code = rule.code;
                    }
                    for (auto use : src->uses) {
                        if (use.condition) use.condition->rename(renamer(part));
                        rule.uses.push_back(std::move(use));
                    }
                }
                d_.materials_.push_back(std::move(rule));
            }
        }
        for (std::size_t p = 0; p < defs.size(); ++p)
            for (const auto& mr : defs[p]->materials()) {
                if (shared.count({p, mr.code})) continue;
                MaterialRule rule = mr;
                rule.code = d_.parts_[p].alias + "." + mr.code;
                rule.spec.code = rule.code;
                for (auto& use : rule.uses)
                    if (use.condition) use.condition->rename(renamer(p));
                d_.materials_.push_back(std::move(rule));
            }
        if (form && form->has("checks")) parse_checks(form->at("checks"));
    }

    // ---- bundle merging: data elements, also groups and repeats asked once ----

    /// One item field taking part in a merged field; `pointer` is where the bundle maps it.
    struct Mapping {
        std::size_t part;
        int field;
        std::string pointer;
    };
    /// A field of the merged form standing for fields of one or several items.
    struct MergedNode {
        std::string id;
        std::vector<Mapping> maps;
        bool own = false;  // one item's field inside a shared group / repeat: copied as "<alias>_<id>"
        std::optional<LocalText> label;
        std::optional<Requirement> required;  // the bundle's override
        bool no_prefill = false;              // the bundle's "prefill": false
        std::string pointer;                  // the element's pointer in the bundle
        std::vector<MergedNode> children;
    };

    const Field& item_field(const Mapping& m) const { return defs_[m.part]->fields()[std::size_t(m.field)]; }

    std::function<std::string(const std::string&)> renamer(std::size_t p) const {
        return [this, p](const std::string& name) {
            auto it = d_.parts_[p].field_ids.find(name);
            return it == d_.parts_[p].field_ids.end() ? name : it->second;
        };
    }

    static void rename_rules(Field& f, const std::function<std::string(const std::string&)>& rn) {
        for (auto& x : f.required_if) x.rename(rn);
        if (f.visible_if) f.visible_if->rename(rn);
        if (f.compute) f.compute->rename(rn);
        for (auto& c : f.constraints) c.rule.rename(rn);
    }

    /// "item B-1 /form/fields/2/fields/0" for messages.
    std::string where(const Mapping& m) const { return "item " + d_.parts_[m.part].item + " " + item_field(m).pointer; }

    /// Fields merged into one must be the same kind of data: the same type and the same option values.
    void same_kind(const Mapping& first, const Mapping& other, const std::string& what) const {
        const Field& a = item_field(first);
        const Field& o = item_field(other);
        std::string both = " (" + where(other) + " vs " + where(first) + ")";
        if (a.type != o.type)
            fail(other.pointer, what + "type " + std::string(to_code(o.type)) + " differs from " + std::string(to_code(a.type)) + both);
        std::set<std::string> x, y;
        for (const auto& opt : a.options) x.insert(opt.value);
        for (const auto& opt : o.options) y.insert(opt.value);
        if (x != y) fail(other.pointer, what + "options differ from the first mapped field" + both);
    }

    /// Parses one element of "elements" (`outer`: the element of the group / repeat it is nested in).
    MergedNode parse_element(const JsonReader& el, const MergedNode* outer) {
        only_keys(el, {"id", "label", "fields", "required", "elements", "prefill"});
        const core::Bundle& b = *d_.bundle_;
        MergedNode n;
        n.id = el.str("id");
        n.pointer = el.pointer();
        if (!valid_id(n.id) || !element_ids_.insert(n.id).second) el.fail_at("id", "invalid or duplicate element id");
        JsonReader fs = el.at("fields");
        fs.array();
        if (fs.size() == 0 || fs.size() > defs_.size()) fs.fail("must map 1 field per item at most");
        for (std::size_t k = 0; k < fs.size(); ++k) {
            JsonReader m = fs.at(k);
            only_keys(m, {"item", "field"});
            std::string item = m.str("item");
            auto pit = std::find(b.items.begin(), b.items.end(), item);
            if (pit == b.items.end()) m.fail_at("item", "not an item of this bundle: " + item.substr(0, 64));
            std::size_t part = std::size_t(pit - b.items.begin());
            for (const auto& mm : n.maps)
                if (mm.part == part) m.fail_at("item", "item mapped twice in one element");
            std::string field = m.str("field");
            int fi = defs_[part]->find(field);
            if (fi < 0) m.fail_at("field", "item " + item + " has no field '" + field.substr(0, 48) + "'");
            const Field& src = defs_[part]->fields()[std::size_t(fi)];
            if (!outer) {
                if (src.parent >= 0)
                    m.fail_at("field", "only top-level fields can be mapped (map the fields of a group or repeat with a "
                                       "nested \"elements\")");
            } else {
                auto om = std::find_if(outer->maps.begin(), outer->maps.end(), [&](const Mapping& x) { return x.part == part; });
                if (om == outer->maps.end()) m.fail_at("item", "item " + item + " is not mapped by the enclosing element");
                if (src.parent != om->field)
                    m.fail_at("field", "'" + field.substr(0, 48) + "' is not a field of item " + item + "'s '" + item_field(*om).id + "'");
            }
            Mapping here{part, fi, m.pointer() + "/field"};
            if (!n.maps.empty()) same_kind(n.maps[0], here, "");
            if (!mapped_.insert({part, field}).second) m.fail_at("field", "field mapped by two elements");
            d_.parts_[part].field_ids[field] = n.id;
            n.maps.push_back(std::move(here));
        }
        if (el.has("required")) {
            JsonReader q = el.at("required");
            if (q.value().is_boolean()) n.required = q.value().get<bool>() ? Requirement::required : Requirement::none;
            else if (q.value().is_string() && q.value().get<std::string>() == "soft") n.required = Requirement::soft;
            else q.fail("must be true, false or \"soft\"");
        }
        if (el.has("label")) n.label = text(el, "label", true);
        if (el.has("prefill")) {
            // Only `false`: the element is not prefilled although the first mapping is (a newborn's
            // name and ID number in an item where the ID card holder is the insured person).
            JsonReader q = el.at("prefill");
            if (!q.value().is_boolean() || q.value().get<bool>()) q.fail("must be false (no prefill for this element)");
            n.no_prefill = true;
        }
        bool container = is_container(item_field(n.maps[0]).type);
        if (el.has("elements")) {
            if (!container) el.fail_at("elements", "only an element of groups or repeats has nested elements");
            JsonReader es = el.at("elements");
            es.array();
            if (es.size() > FormDefinition::kMaxFields) es.fail("too many elements");
            for (std::size_t i = 0; i < es.size(); ++i) n.children.push_back(parse_element(es.at(i), &n));
        }
        if (container) plan_children(n);
        return n;
    }

    /// The fields of a shared group / repeat: those the bundle maps (nested elements), then those
    /// with the same id in several of the mapped containers (one field, merged recursively), then
    /// each item's own ("<alias>_<id>"); in the order they first appear in the items.
    void plan_children(MergedNode& n) {
        std::vector<MergedNode> found;
        std::map<std::string, std::size_t> by_id;
        for (const auto& m : n.maps)
            for (int k : item_field(m).children) {
                const Field& c = defs_[m.part]->fields()[std::size_t(k)];
                if (mapped_.count({m.part, c.id})) continue;  // a nested element has it
                auto [it, fresh] = by_id.emplace(c.id, found.size());
                if (fresh) {
                    found.emplace_back();
                    found.back().id = c.id;
                }
                found[it->second].maps.push_back({m.part, k, m.pointer});
            }
        std::string path_prefix = "'" + n.id + "/";
        for (auto& c : found) {
            c.own = c.maps.size() == 1;
            if (!c.own) {
                for (std::size_t k = 1; k < c.maps.size(); ++k) same_kind(c.maps[0], c.maps[k], path_prefix + c.id + "': ");
                for (const auto& m : c.maps) {
                    mapped_.insert({m.part, c.id});
                    d_.parts_[m.part].field_ids[c.id] = c.id;
                }
                if (is_container(item_field(c.maps[0]).type)) plan_children(c);
            }
            n.children.push_back(std::move(c));
        }
        // where each child first appears: (mapping of the container, position among its fields)
        std::map<std::pair<std::size_t, int>, std::pair<std::size_t, std::size_t>> place;  // (part, field) -> rank
        for (std::size_t i = 0; i < n.maps.size(); ++i) {
            const auto& kids = item_field(n.maps[i]).children;
            for (std::size_t k = 0; k < kids.size(); ++k) place[{n.maps[i].part, kids[k]}] = {i, k};
        }
        std::vector<std::pair<std::pair<std::size_t, std::size_t>, std::size_t>> order;  // (rank, child)
        for (std::size_t c = 0; c < n.children.size(); ++c) {
            std::pair<std::size_t, std::size_t> best{SIZE_MAX, SIZE_MAX};
            for (const auto& cm : n.children[c].maps) best = std::min(best, place[{cm.part, cm.field}]);
            order.push_back({best, c});
        }
        std::sort(order.begin(), order.end());
        std::vector<MergedNode> sorted;
        for (const auto& [rank, c] : order) sorted.push_back(std::move(n.children[c]));
        n.children = std::move(sorted);
    }

    /// Folds another item's field into a merged one: the strongest requirement, every rule, and
    /// of every bound the stricter, so that the merged answer satisfies each item's form.
    void merge_field(Field& f, const Mapping& m, const std::string& id) {
        const Field& o = item_field(m);
        auto rn = renamer(m.part);
        if (o.required == Requirement::required || (o.required == Requirement::soft && f.required == Requirement::none))
            f.required = o.required;
        for (auto x : o.required_if) {
            x.rename(rn);
            f.required_if.push_back(std::move(x));
        }
        for (auto c : o.constraints) {
            c.rule.rename(rn);
            f.constraints.push_back(std::move(c));
        }
        auto lower = [](auto& a, const auto& b) { if (b && (!a || *b > *a)) a = b; };
        auto upper = [](auto& a, const auto& b) { if (b && (!a || *b < *a)) a = b; };
        lower(f.min_length, o.min_length);
        upper(f.max_length, o.max_length);
        lower(f.min, o.min);
        upper(f.max, o.max);
        f.scale = std::min(f.scale, o.scale);
        f.min_count = std::max(f.min_count, o.min_count);
        f.max_count = std::min(f.max_count, o.max_count);
        std::string none = "'" + id + "': no answer satisfies every item's bounds (" + where(m) + ")";
        if ((f.min_length && f.max_length && *f.min_length > *f.max_length) || (f.min && f.max && *f.min > *f.max) ||
            f.min_count > f.max_count)
            fail(m.pointer, none);
        if (o.type == FieldType::attachment) f.shared_materials.emplace_back(d_.parts_[m.part].item, o.material);
    }

    int push(Field f, int parent) {
        if (d_.fields_.size() >= FormDefinition::kMaxFields) fail("/items", "the merged form has too many fields");
        int index = int(d_.fields_.size());
        f.parent = parent;
        if (parent < 0) d_.roots_.push_back(index);
        else d_.fields_[std::size_t(parent)].children.push_back(index);
        d_.fields_.push_back(std::move(f));
        return index;
    }

    /// Adds a merged field and its children under `parent`.
    void emit(const MergedNode& n, int parent, int repeat) {
        if (n.own) {
            copy_field(n.maps[0].part, n.maps[0].field, parent, repeat);
            return;
        }
        const Mapping& m0 = n.maps[0];
        Field f = item_field(m0);
        rename_rules(f, renamer(m0.part));
        f.id = n.id;
        f.item.clear();
        f.pointer = n.pointer.empty() ? m0.pointer : n.pointer;
        if (f.type == FieldType::attachment) f.shared_materials.emplace_back(d_.parts_[m0.part].item, f.material);
        for (std::size_t k = 1; k < n.maps.size(); ++k) merge_field(f, n.maps[k], n.id);
        if (n.label) f.label = *n.label;
        if (n.no_prefill) f.prefill.reset();
        if (n.required) {
            f.required = *n.required;
            f.required_if.clear();
        }
        f.repeat = repeat;
        f.children.clear();
        bool is_rep = f.type == FieldType::repeat;
        int index = push(std::move(f), parent);
        for (const auto& c : n.children) emit(c, index, is_rep ? index : repeat);
    }

    /// Copies one item's field and its children as that item's own ("<alias>_<id>", rules renamed).
    void copy_field(std::size_t p, int i, int parent, int repeat) {
        const Field& o = defs_[p]->fields()[std::size_t(i)];
        Field f = o;
        auto rn = renamer(p);
        f.id = rn(o.id);
        f.item = defs_[p]->code();
        rename_rules(f, rn);
        f.repeat = repeat;
        f.children.clear();
        int index = push(std::move(f), parent);
        for (int c : o.children) copy_field(p, c, index, o.type == FieldType::repeat ? index : repeat);
    }

private:
    FormDefinition& d_;
    std::string source_;
    // bundle merging
    std::vector<const FormDefinition*> defs_;
    std::vector<MergedNode> elements_;
    std::set<std::string> element_ids_;
    std::set<std::pair<std::size_t, std::string>> mapped_;  // (part, item field id) asked through an element
};

FormDefinition FormDefinition::from_item(const nlohmann::json& j, const std::string& source) {
    FormDefinition d;
    try {
        d.item_ = core::parse_item(j, source);
    } catch (const DefinitionError&) {
        throw;
    } catch (const core::InvalidData& e) {
        throw DefinitionError(e.what());
    }
    d.code_ = d.item_->code;
    d.name_ = d.item_->name;
    d.name_en_ = d.item_->name_en;
    d.version_ = d.item_->version;
    DefinitionBuilder b(d, source);
    try {
        JsonReader r(j, source);
        if (r.has("form")) b.parse_form(r.at("form"));
        b.check_field_refs();
        b.item_materials(j);
        b.finalize();
    } catch (const DefinitionError&) {
        throw;
    } catch (const core::InvalidData& e) {
        throw DefinitionError(e.what());
    }
    return d;
}

FormDefinition FormDefinition::from_bundle(const nlohmann::json& j, const std::string& source,
                                           const std::map<std::string, std::shared_ptr<const FormDefinition>>& items) {
    FormDefinition d;
    d.is_bundle_ = true;
    try {
        d.bundle_ = core::parse_bundle(j, source);
    } catch (const core::InvalidData& e) {
        throw DefinitionError(e.what());
    }
    d.code_ = d.bundle_->code;
    d.name_ = d.bundle_->name;
    d.name_en_ = d.bundle_->name_en;
    DefinitionBuilder b(d, source);
    try {
        b.merge(JsonReader(j, source), items);
        b.finalize();
    } catch (const DefinitionError&) {
        throw;
    } catch (const core::InvalidData& e) {
        throw DefinitionError(e.what());
    }
    return d;
}

nlohmann::json read_definition_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw DefinitionError(file.string() + ": cannot be opened");
    std::string data;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        data.append(buf, std::size_t(in.gcount()));
        if (data.size() > FormDefinition::kMaxFileBytes)
            throw DefinitionError(file.string() + ": /: file too large (at most 4 MiB)");
    }
    return core::parse_json_text(data, file.string());
}

FormCatalogue FormCatalogue::load_directory(const std::filesystem::path& dir) {
    auto files_in = [](const std::filesystem::path& d) {
        std::error_code ec;  // a missing bundles/ folder is an empty one
        return core::json_files_in(d, ec);
    };
    if (!std::filesystem::is_directory(dir / "items")) throw DefinitionError(dir.string() + ": no catalogue here (items/ missing)");
    FormCatalogue cat;
    for (const auto& f : files_in(dir / "items")) cat.add_item(read_definition_file(f), f.string());
    for (const auto& f : files_in(dir / "bundles")) cat.add_bundle(read_definition_file(f), f.string());
    return cat;
}

FormCatalogue FormCatalogue::load_shipped() { return load_directory(core::data_dir() / "catalog"); }

void FormCatalogue::add_item(const nlohmann::json& j, const std::string& source) {
    auto d = std::make_shared<const FormDefinition>(FormDefinition::from_item(j, source));
    if (items_.count(d->code()) || bundles_.count(d->code()))
        throw DefinitionError(source + ": /code: duplicate code " + d->code());
    items_[d->code()] = d;
    all_.push_back(d);
}

void FormCatalogue::add_bundle(const nlohmann::json& j, const std::string& source) {
    auto d = std::make_shared<const FormDefinition>(FormDefinition::from_bundle(j, source, items_));
    if (items_.count(d->code()) || bundles_.count(d->code()))
        throw DefinitionError(source + ": /code: duplicate code " + d->code());
    bundles_[d->code()] = d;
    all_.push_back(d);
}

std::shared_ptr<const FormDefinition> FormCatalogue::find(std::string_view code) const {
    std::string c(code);
    if (auto it = items_.find(c); it != items_.end()) return it->second;
    if (auto it = bundles_.find(c); it != bundles_.end()) return it->second;
    return nullptr;
}

}  // namespace ow::forms
