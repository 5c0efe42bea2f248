#include "ow/notices/template.h"

#include "context.h"
#include "ow/core/json_reader.h"
#include "ow/core/paths.h"
#include "ow/notices/notice.h"

#include <algorithm>
#include <map>
#include <set>

namespace ow::notices {

using nlohmann::json;

namespace {

// The directives and the attributes each one accepts; "text" attributes may hold placeholders.
struct Directive {
    std::set<std::string> required;
    std::set<std::string> optional;
    std::set<std::string> texts;  // attributes holding placeholder text
};

const std::map<std::string, Directive>& directives() {
    static const std::set<std::string> style{"align", "size", "bold", "font", "indent", "space_before", "space_after"};
    static const std::map<std::string, Directive> d = [] {
        std::map<std::string, Directive> m;
        auto with_style = [](std::set<std::string> s) {
            s.insert(style.begin(), style.end());
            return s;
        };
        m["title"] = {{"text"}, with_style({}), {"text"}};
        m["heading"] = {{"text"}, with_style({}), {"text"}};
        m["paragraph"] = {{"text"}, with_style({}), {"text"}};
        m["note"] = {{"text"}, with_style({}), {"text"}};
        m["fields"] = {{"rows"}, {"label_width", "space_before", "space_after", "size"}, {}};
        m["table"] = {{"each", "columns"}, {"where", "min", "min_message", "space_before", "space_after", "size", "empty_text"}, {}};
        m["list"] = {{"each", "text"}, {"where", "min", "min_message", "space_before", "space_after", "size", "indent"}, {"text"}};
        m["qr"] = {{"data"}, {"caption", "size_mm", "space_before", "space_after"}, {"data", "caption"}};
        m["signature"] = {{"lines"}, {"space_before", "space_after", "rule_mm"}, {}};
        m["seal"] = {{"body", "date"}, {"anchor", "space_before", "space_after"}, {"body", "date", "anchor"}};
        m["spacer"] = {{"mm"}, {}, {}};
        m["rule"] = {{}, {"space_before", "space_after"}, {}};
        return m;
    }();
    return d;
}

void check_text(const json& v, const std::string& where) {
    if (!v.is_string()) throw TemplateError(where + ": must be a string");
    detail::parse_text(v.get<std::string>(), where);
}

// Types and ranges of the layout attributes, so that a template cannot ask for absurd sizes.
void check_attribute(const std::string& key, const json& v, const std::string& where) {
    static const std::map<std::string, std::pair<double, double>> ranges = {
        {"size", {5, 40}},         {"indent", {0, 10}},     {"space_before", {0, 100}}, {"space_after", {0, 100}},
        {"mm", {0, 200}},          {"size_mm", {10, 80}},   {"rule_mm", {5, 150}},      {"label_width", {10, 120}},
        {"min", {0, 10000}}};
    auto bad = [&](const std::string& what) { throw TemplateError(where + "/" + key + ": " + what); };
    if (auto r = ranges.find(key); r != ranges.end()) {
        if (!v.is_number()) bad("must be a number");
        double d = v.get<double>();
        if (d < r->second.first || d > r->second.second)
            bad("must be between " + std::to_string(int(r->second.first)) + " and " + std::to_string(int(r->second.second)));
    } else if (key == "align") {
        if (!v.is_string() || (v != "left" && v != "center" && v != "right")) bad("must be left, center or right");
    } else if (key == "font") {
        if (!v.is_string() || (v != "serif" && v != "sans")) bad("must be serif or sans");
    } else if (key == "bold") {
        if (!v.is_boolean()) bad("must be true or false");
    } else if (key == "where") {
        if (!v.is_object()) bad("must be an object {member: value or [values]}");
    } else if (key == "min_message" || key == "empty_text") {
        if (!v.is_string()) bad("must be a string");
    }
}

void check_block(const json& b, const std::string& where) {
    if (!b.is_object() || !b.contains("type") || !b.at("type").is_string())
        throw TemplateError(where + ": a block needs a \"type\"");
    auto type = b.at("type").get<std::string>();
    auto it = directives().find(type);
    if (it == directives().end()) throw TemplateError(where + ": unknown block type '" + type + "'");
    const Directive& d = it->second;
    for (const auto& key : d.required)
        if (!b.contains(key)) throw TemplateError(where + ": " + type + " needs \"" + key + "\"");
    for (const auto& [key, value] : b.items()) {
        if (key == "type" || key == "when") continue;
        if (!d.required.count(key) && !d.optional.count(key))
            throw TemplateError(where + ": " + type + ": unknown attribute \"" + key + "\"");
        if (d.texts.count(key)) check_text(value, where + "/" + key);
        else check_attribute(key, value, where);
    }
    if (b.contains("when") && !b.at("when").is_string()) throw TemplateError(where + "/when: must be a path string");
    if (type == "fields") {
        if (!b.at("rows").is_array()) throw TemplateError(where + "/rows: must be an array");
        for (std::size_t i = 0; i < b.at("rows").size(); ++i) {
            const json& r = b.at("rows")[i];
            auto rw = where + "/rows/" + std::to_string(i);
            if (!r.is_object() || !r.contains("label") || !r.contains("value"))
                throw TemplateError(rw + ": a row is {\"label\", \"value\", \"when\"?}");
            check_text(r.at("label"), rw + "/label");
            check_text(r.at("value"), rw + "/value");
        }
    }
    if (type == "table") {
        if (!b.at("columns").is_array() || b.at("columns").empty()) throw TemplateError(where + "/columns: must be a non-empty array");
        for (std::size_t i = 0; i < b.at("columns").size(); ++i) {
            const json& c = b.at("columns")[i];
            auto cw = where + "/columns/" + std::to_string(i);
            if (!c.is_object() || !c.contains("title") || !c.contains("text") || !c.contains("width") ||
                !c.at("width").is_number() || c.at("width").get<double>() <= 0)
                throw TemplateError(cw + ": a column is {\"title\", \"text\", \"width\" > 0, \"align\"?}");
            check_text(c.at("title"), cw + "/title");
            check_text(c.at("text"), cw + "/text");
            if (c.contains("align")) check_attribute("align", c.at("align"), cw);
        }
    }
    if (type == "signature") {
        if (!b.at("lines").is_array()) throw TemplateError(where + "/lines: must be an array");
        for (std::size_t i = 0; i < b.at("lines").size(); ++i) check_text(b.at("lines")[i], where + "/lines/" + std::to_string(i));
    }
    if ((type == "table" || type == "list") && !b.at("each").is_string()) throw TemplateError(where + "/each: must be a path");
}

}  // namespace

NoticeTemplate NoticeTemplate::parse(const json& j, const std::string& source) {
    NoticeTemplate t;
    try {
        core::JsonReader r(j, source);
        r.object();
        if (r.str("format") != "onewindow-notice-template") r.fail_at("format", "must be \"onewindow-notice-template\"");
        if (r.int64("format_version", 1, 1000) != 1) r.fail_at("format_version", "unsupported version (this build reads 1)");
        t.kind = r.str("kind");
        t.title = r.str("title");
        t.title_en = r.str_or("title_en", "");
        t.order = int(r.int64_or("order", 0, -1000, 1000));
        if (t.kind.empty() || !std::all_of(t.kind.begin(), t.kind.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; }))
            r.fail_at("kind", "must be a code of a-z and _");
        if (r.has("running_header")) check_text(r.at("running_header").value(), source + ": /running_header");
        if (r.has("requires")) {
            r.at("requires").array();
            t.checks = r.at("requires").value();
            for (const auto& req : t.checks)
                if (!req.is_string() && !(req.is_object() && req.contains("path") && req.at("path").is_string()))
                    throw TemplateError(source + ": /requires: each entry is a path or {\"path\", \"equals\"?, \"message\"?}");
        }
        r.at("blocks").array();
        t.blocks = r.at("blocks").value();
    } catch (const core::InvalidData& e) {
        throw TemplateError(e.what());
    }
    for (std::size_t i = 0; i < t.blocks.size(); ++i) {
        check_block(t.blocks[i], source + ": /blocks/" + std::to_string(i));
        if (t.blocks[i].at("type") == "seal") t.sealed = true;
    }
    if (j.contains("running_header")) t.blocks.insert(t.blocks.begin(), json{{"type", "running_header"}, {"text", j.at("running_header")}});
    return t;
}

TemplateSet TemplateSet::load_directory(const std::filesystem::path& dir) {
    TemplateSet set;
    std::error_code ec;
    auto files = core::json_files_in(dir, ec);
    if (ec) throw TemplateError(dir.string() + ": cannot read the template directory: " + ec.message());
    for (const auto& f : files) {
        json j;
        try {
            j = core::read_json_file(f);
        } catch (const core::Error& e) {
            throw TemplateError(e.what());
        }
        set.add(NoticeTemplate::parse(j, f.string()));
    }
    if (set.templates_.empty()) throw TemplateError(dir.string() + ": no notice templates (*.json)");
    return set;
}

TemplateSet TemplateSet::load_shipped() { return load_directory(core::data_dir() / "notices"); }

void TemplateSet::add(NoticeTemplate t) {
    if (find(t.kind)) throw TemplateError("notice kind '" + t.kind + "' is defined twice");
    templates_.push_back(std::move(t));
    std::stable_sort(templates_.begin(), templates_.end(), [](const NoticeTemplate& a, const NoticeTemplate& b) {
        return a.order != b.order ? a.order < b.order : a.kind < b.kind;
    });
}

const NoticeTemplate* TemplateSet::find(std::string_view kind) const {
    for (const auto& t : templates_)
        if (t.kind == kind) return &t;
    return nullptr;
}

}  // namespace ow::notices
