// The wire records of the case push and of the ratings interface, checked strictly by our own
// code against the contract (types, required members, the code tables; an unknown code is
// `invalid.<field>`). Parsing and checking need no database, so they run before the lock.
//
// `<field>` is the member's path inside its record (the case, the event, the blob, the rating or
// the mutation envelope), dotted, without array indices: `invalid.applicant.doc_type`,
// `invalid.materials.necessity`, `invalid.data.satisfaction`, `invalid.kind`. The message names
// the JSON pointer from the body's root.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ow::sim {

/// The request envelope is malformed (400) or too large (413): the whole request is refused.
struct EnvelopeError {
    int status = 400;
    std::string code;
    std::string message;
};

struct WireEvent {
    std::int64_t seq = 0;
    std::string action, from, to;
    std::string record;  // the event as JSON text
};

struct WireMutation {
    std::string mutation_id;  // lower case; "" when the record has none
    std::string case_id;      // lower case
    std::string kind;         // create | event | attach_blob | snapshot
    // When the record breaks the format:
    std::string invalid_field;    // e.g. "applicant.doc_type"
    std::string invalid_message;  // JSON pointer + what is wrong
    bool valid() const { return invalid_field.empty(); }

    // create / snapshot
    std::string record;  // the case as JSON text (without history)
    std::string state, case_kind, item_code, case_no;
    std::string application_id;  // 网上申报: the online application the case was taken from
    std::vector<WireEvent> history;  // snapshot only
    // event
    WireEvent event;
    // attach_blob
    std::string blob_sha256, blob_role, blob_material;
};

struct PushBatch {
    std::string batch_id;
    std::vector<WireMutation> mutations;
};

/// Parses a push body. Throws EnvelopeError.
PushBatch parse_push(std::string_view body);

struct WireRating {
    std::string mutation_id, case_id, case_no;
    std::string satisfaction;  // provincial order: 5 very satisfied … 1 very dissatisfied
    int gb_level = 0;          // GB/T 39046 order (1 very satisfied … 5), i.e. 6 − satisfaction
    std::string channel, reason, comment, rated_at;
    std::string invalid_field, invalid_message;
    bool valid() const { return invalid_field.empty(); }
};

/// Parses a ratings body. Throws EnvelopeError.
std::vector<WireRating> parse_ratings(std::string_view body);

constexpr std::size_t kMaxBatch = 1000;

}  // namespace ow::sim
