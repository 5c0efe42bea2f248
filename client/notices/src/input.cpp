#include "ow/core/json_reader.h"
#include "ow/notices/notice.h"

namespace ow::notices {

using nlohmann::json;

namespace {

// The JSON pointer in a JsonReader message "<source>: <pointer>: what"; `fallback` if none.
std::string pointer_in(const std::string& message, const std::string& source, const std::string& fallback) {
    if (message.size() < source.size() + 2 || message.compare(0, source.size() + 2, source + ": ") != 0) return fallback;
    auto start = source.size() + 2;
    auto end = message.find(": ", start);
    if (end == std::string::npos || message[start] != '/') return fallback;
    return message.substr(start, end - start);
}

// Runs a reader step, turning core::InvalidData into NoticeDataError naming the field.
template <class F>
auto checked(const std::string& source, const std::string& pointer, F&& f) {
    try {
        return f();
    } catch (const NoticeDataError&) {
        throw;
    } catch (const core::InvalidData& e) {
        throw NoticeDataError(pointer_in(e.what(), source, pointer), e.what());
    }
}

}  // namespace

NoticeEnvelope envelope_from_json(const json& j, const std::string& source) {
    return checked(source, "/notice", [&] {
        core::JsonReader r(j, source, "/notice");
        r.object();
        NoticeEnvelope e;
        e.issuing_body = r.str_or("issuing_body", "");
        e.window = r.str_or("window", "");
        e.window_address = r.str_or("window_address", "");
        e.window_phone = r.str_or("window_phone", "");
        e.progress_url = r.str_or("progress_url", "");
        e.issued_on = r.date_opt("issued_on");
        e.document_no = r.str_or("document_no", "");
        e.clerk = r.str_or("clerk", "");
        e.pickup = r.str_or("pickup", "");
        e.result_name = r.str_or("result_name", "");
        e.correction_days = int(r.int64_or("correction_days", 0, 0, 365));
        e.review_body = r.str_or("review_body", "");
        e.commitment_text = r.str_or("commitment_text", "");
        e.licensing = r.boolean_or("licensing", true);
        e.conditions = r.strings_or_empty("conditions");
        if (r.has("materials")) {
            core::JsonReader m = r.at("materials");
            m.object();
            for (const auto& [code, hint] : m.value().items()) {
                core::JsonReader h(hint, source, m.pointer() + "/" + core::json_pointer_token(code));
                h.object();
                e.materials[code] = {h.str_or("why", ""), h.str_or("where", "")};
            }
        }
        return e;
    });
}

json to_json(const NoticeEnvelope& e) {
    json materials = json::object();
    for (const auto& [code, h] : e.materials) materials[code] = {{"why", h.why}, {"where", h.where}};
    return {{"issuing_body", e.issuing_body},
            {"window", e.window},
            {"window_address", e.window_address},
            {"window_phone", e.window_phone},
            {"progress_url", e.progress_url},
            {"issued_on", e.issued_on ? json(core::format_date(*e.issued_on)) : json(nullptr)},
            {"document_no", e.document_no},
            {"clerk", e.clerk},
            {"pickup", e.pickup},
            {"result_name", e.result_name},
            {"correction_days", e.correction_days},
            {"review_body", e.review_body},
            {"commitment_text", e.commitment_text},
            {"licensing", e.licensing},
            {"conditions", e.conditions},
            {"materials", materials}};
}

NoticeInput notice_input_from_json(const json& j, const std::string& source) {
    if (!j.is_object()) throw NoticeDataError("/", source + ": /: must be an object {\"case\": …, \"notice\": …}");
    if (!j.contains("case") || j.at("case").is_null())
        throw NoticeDataError("/case", source + ": /case: missing (the case, as written by to_json(Case))");
    if (!j.contains("notice") || j.at("notice").is_null())
        throw NoticeDataError("/notice", source + ": /notice: missing (issuing body, window, progress URL …)");
    NoticeInput in;
    try {
        in.case_data = core::case_from_json(j.at("case"), source + " /case");
    } catch (const core::InvalidData& e) {
        // The case reader names "<source> /case[ /member]: /pointer: what"; name the field by
        // its pointer in the whole input document instead.
        std::string m = e.what();
        std::string rest = m.substr(std::min(m.size(), source.size() + 1));
        auto c1 = rest.find(": ");
        auto c2 = c1 == std::string::npos ? std::string::npos : rest.find(": ", c1 + 2);
        if (c2 == std::string::npos) throw NoticeDataError("/case", m);
        std::string field;
        for (char ch : rest.substr(0, c1))
            if (ch != ' ') field.push_back(ch);
        std::string inner = rest.substr(c1 + 2, c2 - c1 - 2);
        if (inner != "/") field += inner;
        throw NoticeDataError(field, source + ": " + field + rest.substr(c2));
    }
    in.envelope = envelope_from_json(j.at("notice"), source);
    if (j.contains("item") && !j.at("item").is_null())
        in.item = checked(source, "/item", [&] { return core::parse_item(j.at("item"), source + " /item"); });
    return in;
}

NoticeInput read_notice_input(const std::filesystem::path& file) {
    json j = core::read_json_file(file);
    return notice_input_from_json(j, file.string());
}

}  // namespace ow::notices
