// The wire format of the platform contract (docs/platform-api.md) and the province seam.
//
// The store's outbox holds core JSON (what CaseStore wrote); WireCodec turns it into the
// platform's records at the edge, with the code tables of each interface (the case push and the
// 好差评 interface use opposite satisfaction orders), and reads the platform's answers strictly:
// a response that is not of the documented shape is a retryable SyncError("platform.malformed")
// naming the JSON pointer, and nothing from it is applied.
//
// A province whose gateway differs gets its own Profile (signer, code tables, text encoding);
// the core and the engine stay the same.
#pragma once

#include "ow/store/applications.h"
#include "ow/store/appointments.h"

#include "ow/core/case.h"
#include "ow/store/sync_queue.h"
#include "ow/sync/errors.h"
#include "ow/sync/signing.h"

#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ow::sync {

enum class TextEncoding { utf8, gb18030 };

/// The text of member `key` of the JSON object `object_text` (top level only), or nothing when the
/// text is not a well-formed object or has no such member. No tree is built.
std::optional<std::string_view> json_member_span(std::string_view object_text, std::string_view key);

/// Converts UTF-8 text to the encoding and back (iconv); SyncError(retryable, platform.encoding)
/// for bytes that are not valid in the source encoding.
std::string encode_text(const std::string& utf8, TextEncoding enc);
std::string decode_text(const std::string& bytes, TextEncoding enc);

/// Everything province-specific about a platform interface.
struct Profile {
    std::string name = "national-v1";
    SignAlgorithm default_algorithm = SignAlgorithm::hmac_sha256;
    TextEncoding encoding = TextEncoding::utf8;
    /// 满意度 codes by core level (index 0 = level 1 非常满意 … 4 = level 5 非常不满意), per interface.
    std::array<const char*, 5> push_satisfaction{"1", "2", "3", "4", "5"};     // GB/T 39046 order
    std::array<const char*, 5> rating_satisfaction{"5", "4", "3", "2", "1"};   // provincial 好差评 order
    /// 办件类型 for immediate, promised, escalated.
    std::array<const char*, 3> case_kind{"1", "2", "9"};
    /// Throws SyncError(config) for an unknown profile name.
    static Profile named(const std::string& name);
};

/// A local record that cannot be expressed on the wire (e.g. a code with no mapping): it is
/// quarantined on the terminal and never sent.
class UnmappableRecord : public core::Error {
public:
    explicit UnmappableRecord(const std::string& message) : core::Error("local.unmappable", message) {}
};

struct RecordResult {
    enum class Status { accepted, duplicate, rejected };
    std::string mutation_id;
    Status status = Status::accepted;
    std::string case_no;
    std::string reason_code;
    std::string reason_message;
    std::string platform_state;
};

struct Change {
    std::string change_id, case_id, case_no;
    std::string type;  // review_started, correction_requested, approved, denied, result_ready, commitment_checked, or unknown
    bool known_type = false;
    core::Instant at{};
    std::string department, officer, opinion, legal_basis;
    nlohmann::json materials = nlohmann::json::array();  // correction_requested
    std::string result_name, result_number, result_ready_at;  // result_ready
    /// commitment_checked (审管联动, the regulator's finding): {commitment, result, outcome?, finding}
    nlohmann::json check = nlohmann::json::object();
    // approved / denied of a 通办 case by the other region: its decision document (a blob the
    // terminal downloads; empty sha256 when none).
    std::string document_sha256, document_media_type, document_title;
    std::int64_t document_size = 0;
    std::string problem;      // set when the change is not usable (unknown code, bad field)
    nlohmann::json raw;       // the change as received (for problem records)
};

struct ChangesPage {
    std::vector<Change> changes;
    std::string next_cursor;
    bool has_more = false;
};

struct IndexEntry {
    std::string case_id, case_no, state;
    std::int64_t last_seq = 0;
};

struct IndexPage {
    std::vector<IndexEntry> cases;
    std::string next_cursor, changes_cursor;
    bool has_more = false;
};

struct BlobOpen {
    bool complete = false;
    std::string upload_id;
    std::int64_t offset = 0;
    std::int64_t chunk_max = 4 << 20;
};

struct CataloguePage {
    std::string version;
    bool unchanged = false;
    std::vector<std::pair<std::string, std::string>> entries;  // type, body JSON text
    std::string next_cursor;
    bool has_more = false;
};

struct CalendarEntry {
    int year = 0;
    std::string revision, body;  // body: calendar file JSON text
};

struct CalendarsPage {
    std::vector<CalendarEntry> calendars;
    std::string next_cursor;
    bool has_more = false;
};

/// A page of GET /v1/appointments. An entry that cannot be read is skipped and named in `problems`.
struct AppointmentsPage {
    std::vector<store::Appointment> appointments;
    std::vector<std::string> problems;
    std::string next_cursor;
    bool has_more = false;
};

/// A page of GET /v1/applications (网上申报). An entry that cannot be read is skipped and named in `problems`.
struct ApplicationsPage {
    std::vector<store::OnlineApplication> applications;
    std::vector<std::string> problems;
    std::string next_cursor;
    bool has_more = false;
};

/// One result of POST /v1/appointments:report.
struct ReportResult {
    std::string report_id;
    std::string status;  // accepted, duplicate, rejected
    std::string reason_code, reason_message;
};

struct ELicence {
    std::string type_code, name, number, issuer, holder_name, valid_from, valid_to, status;
};

/// GET /v1/credit: the subject's credit standing (信即办), with the breaches on record.
struct CreditReport {
    std::string standing, source, report_no, checked_at;
    int records = 0;  // breaches on record
};

/// The credentials file (enrolment answer).
struct Credentials {
    std::string terminal_id, secret, algorithm = "hmac-sha256", centre, terminal_code, platform;
    /// Issued for the CSR sent at enrolment (PEM; empty when none was asked for): the terminal's
    /// client certificate, and the platform's terminal CA that signed it.
    std::string client_certificate, client_ca;
    /// Reads and checks the JSON text; core::InvalidData naming the member otherwise.
    static Credentials parse(std::string_view json_text, const std::string& source);
};

struct PingInfo {
    std::string platform;
    std::string server_time;
};

struct TerminalInfo {
    std::string terminal_id, centre, terminal_code, platform, status;
};

struct PlatformErrorBody {
    std::string code, message, platform_state;
    std::optional<std::int64_t> offset;
};

class WireCodec {
public:
    explicit WireCodec(Profile profile = {}) : profile_(std::move(profile)) {}
    const Profile& profile() const { return profile_; }

    /// One outbox entry as a record of `POST /v1/cases:push`. Throws UnmappableRecord or
    /// core::InvalidData when the stored payload cannot be sent.
    nlohmann::json push_record(const store::OutboxEntry& e) const;
    /// The same record as JSON text appended to `out` (the push body is assembled as text). A
    /// plain event, whose stored form is already the wire form in this profile, is copied from
    /// the payload without building a tree; anything else goes through push_record().
    void append_push_record(std::string& out, const store::OutboxEntry& e) const;
    /// A `rate` outbox entry as a record of `POST /v1/ratings` (the case's platform number if known).
    nlohmann::json rating_record(const store::OutboxEntry& e, const std::string& case_no) const;
    /// The whole case (and, for snapshots, its history) as the platform's case record.
    nlohmann::json case_record(const core::Case& c, bool with_history) const;
    nlohmann::json event_record(const nlohmann::json& core_history_entry) const;

    /// Results of a push or ratings batch; every sent mutation must have exactly one result.
    /// The minimal answer of a push (`Prefer: return=minimal`: the records not accepted, the count
    /// of those accepted, `case_nos` by case id) is read too; `sent_cases` (the case id of each
    /// sent mutation) then gives the accepted ones their case numbers.
    std::vector<RecordResult> parse_results(std::string_view body, const std::vector<std::string>& sent_ids,
                                            const std::vector<std::string>& sent_cases = {}) const;
    /// A change feed page. `lenient`: a change with bad fields becomes a problem instead of
    /// failing the whole page (used after the same page failed several times).
    ChangesPage parse_changes(std::string_view body, bool lenient) const;
    IndexPage parse_index(std::string_view body) const;
    BlobOpen parse_blob_open(std::string_view body) const;
    std::int64_t parse_offset(std::string_view body) const;
    CataloguePage parse_catalogue(std::string_view body) const;
    CalendarsPage parse_calendars(std::string_view body) const;
    std::vector<ELicence> parse_elicences(std::string_view body) const;
    /// The credit answer (docs/platform-api.md, "Credit"); SyncError(platform.malformed) otherwise.
    CreditReport parse_credit(std::string_view body) const;
    /// Appointments (docs/platform-api.md, "Appointments"); SyncError(platform.malformed) when the
    /// page itself is malformed.
    AppointmentsPage parse_appointments(std::string_view body) const;
    ApplicationsPage parse_applications(std::string_view body) const;
    /// One report record of an appointment's outcome (arrived / no_show).
    static nlohmann::json appointment_report(const store::Appointment& a);
    /// The results of a report batch: exactly one per sent report id.
    static std::vector<ReportResult> parse_report_results(std::string_view body, const std::vector<std::string>& sent_ids);
    /// The answers of GET /v1/ping and GET /v1/terminal; SyncError(retryable, platform.malformed)
    /// when they are not of the documented shape.
    static PingInfo parse_ping(std::string_view body);
    static TerminalInfo parse_terminal(std::string_view body);
    /// Checks that a blob PUT or finalize answer is {"status":"complete"}; otherwise
    /// SyncError(retryable, platform.malformed) with `what_not` as the message.
    static void expect_complete(std::string_view body, const char* what_not);
    /// The error object of a non-2xx answer; empty code when the body is not one.
    static PlatformErrorBody parse_error(std::string_view body);

    /// The text of a request body in the profile's encoding, and a response's text as UTF-8.
    std::string encode(const std::string& utf8) const { return encode_text(utf8, profile_.encoding); }
    std::string decode(const std::string& bytes) const { return decode_text(bytes, profile_.encoding); }

private:
    Profile profile_;
};

}  // namespace ow::sync
