// Online applications (网上申报) as the platform sends them, and the case a clerk took each into.
//
// The sync engine pulls the centre's applications (docs/platform-api.md, "Online applications")
// into online_applications (schema migration 14) and downloads their uploads as blobs; the
// online inbox lists those still submitted, oldest first. A clerk takes one into a draft case for
// 预审 (Workflow::take_application: the application marked taken in the act's transaction); the
// case's create record names the application, and the platform refuses a second case for it
// (another terminal was quicker: a sync conflict). The platform's withdrawn or taken-elsewhere
// status leaves the inbox; a local take is never overwritten.
#pragma once

#include "ow/core/date.h"
#include "ow/store/db.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace ow::store {

/// One upload of an application: the material it is for and the file's blob.
struct ApplicationUpload {
    std::string material_code;
    std::string name;        // the file's name as the applicant uploaded it
    std::string sha256;      // the platform's blob (downloaded into the local blob store)
    std::int64_t size = 0;
    std::string media_type;
};

struct OnlineApplication {
    std::string id;            // the platform's application id
    std::string channel;       // pc | mobile (core::Channel codes)
    std::string item_code;
    std::string item_name;
    std::string applicant_name;
    int doc_type = 111;        // GA/T 2000.156
    std::string doc_number;    // whole (the applicant signed in with real-name authentication)
    std::string phone;
    std::string address;
    nlohmann::json answers = nlohmann::json::object();  // the online form's answers, as `forms check` takes them
    std::vector<ApplicationUpload> uploads;
    std::string submitted_at;  // RFC 3339 UTC
    std::string status = "submitted";  // submitted | withdrawn (by the applicant) | taken (here or elsewhere)
    std::string case_id;       // taken here: the case
    std::string taken_by;      // taken here: the clerk
    std::string taken_at;
    std::string updated_at;
};

/// The online_applications table over one connection. Writes run in the caller's transaction.
class Applications {
public:
    explicit Applications(Db& db) : db_(db) {}

    /// Stores an application from the platform or updates a known one (the platform's status:
    /// submitted, withdrawn, taken). One taken here keeps its local state. core::InvalidData for a
    /// malformed one (empty id, no item or applicant, bad time, unknown status or channel).
    void upsert_from_platform(const OnlineApplication& a, core::Instant at);
    std::optional<OnlineApplication> get(const std::string& id);
    /// The application a case was taken from, if any.
    std::optional<OnlineApplication> for_case(const std::string& case_id);
    /// The online inbox: submitted applications, oldest first; at most `limit` after `offset`.
    std::vector<OnlineApplication> inbox(int limit = 1000, int offset = 0);
    std::int64_t inbox_count();
    /// A clerk took it into `case_id`. StoreError("store.conflict") when it is not submitted any
    /// more (withdrawn, or taken already); core::InvalidData when unknown.
    void mark_taken(const std::string& id, const std::string& case_id, const std::string& user, core::Instant at);

private:
    Db& db_;
};

nlohmann::json to_json(const OnlineApplication& a);

}  // namespace ow::store
