// libFuzzer: any bytes as an answer of the platform. The first byte picks the parser (the answer
// of which request it is), the rest is the body. Each parser either returns or throws
// core::Error (SyncError("platform.malformed") for the platform's answers); nothing else.
#include "ow/core/calendar.h"
#include "ow/sync/wire.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

using ow::sync::WireCodec;

// The mutation ids a push "sent": the ones the answer names (so that well-formed answers get
// through the whole check), plus one it may not name.
std::vector<std::string> sent_ids(std::string_view body) {
    std::vector<std::string> ids;
    auto j = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_object() && j.contains("results") && j["results"].is_array())
        for (const auto& r : j["results"])
            if (r.is_object() && r.contains("mutation_id") && r["mutation_id"].is_string() && ids.size() < 2000)
                ids.push_back(r["mutation_id"].get<std::string>());
    return ids;
}

void run(unsigned selector, std::string_view body) {
    static const WireCodec codec;
    static const WireCodec gb18030(ow::sync::Profile{.name = "fuzz-gb18030", .encoding = ow::sync::TextEncoding::gb18030});
    switch (selector % 16) {
    case 0: {
        auto ids = sent_ids(body);
        (void)codec.parse_results(body, ids);
        break;
    }
    case 1: (void)codec.parse_results(body, {"m-1", "m-2"}, {"c-1", "c-1"}); break;  // also the minimal form's case numbers
    case 2: (void)codec.parse_changes(body, false); break;
    case 3: (void)codec.parse_changes(body, true); break;
    case 4: (void)codec.parse_index(body); break;
    case 5: (void)codec.parse_blob_open(body); break;
    case 6: (void)codec.parse_offset(body); break;
    case 7:
        for (const auto& [type, text] : codec.parse_catalogue(body).entries) (void)nlohmann::json::parse(text);
        break;
    case 8:
        // The engine keeps each calendar the platform sends after reading it as a calendar year.
        for (const auto& c : codec.parse_calendars(body).calendars) {
            try {
                (void)ow::core::CalendarYear::parse(c.body, "platform calendar");
            } catch (const ow::core::Error&) {
            }
        }
        break;
    case 9: (void)codec.parse_elicences(body); break;
    case 10: {
        auto e = WireCodec::parse_error(body);
        (void)e;
        break;
    }
    case 11: (void)ow::sync::Credentials::parse(body, "the platform's enrolment answer"); break;
    case 12: (void)WireCodec::parse_ping(body); break;
    case 13: (void)WireCodec::parse_terminal(body); break;
    case 14: WireCodec::expect_complete(body, "the blob answer is not complete"); break;
    case 15: {
        // A province that answers in GB 18030: decoded first, then read like any answer.
        std::string text = gb18030.decode(std::string(body));
        (void)ow::sync::json_member_span(text, "changes");
        (void)gb18030.parse_changes(text, true);
        break;
    }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        run(data[0], body);
    } catch (const ow::core::Error&) {
    }
    (void)ow::sync::json_member_span(body, "mutation_id");
    return 0;
}
