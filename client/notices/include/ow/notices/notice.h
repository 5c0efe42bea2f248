// Notices (通知书 / 回执): the paper a window hands out, rendered from case data as A4 PDFs.
//
// A notice is made from three things:
//   - a Case (ow::core::Case, e.g. read from the store or from a JSON file written by to_json);
//   - a NoticeEnvelope: what the case does not know — the issuing body, the window and its address,
//     the progress URL for the QR code, the issue date, per-material hints for the one-time notice;
//   - a NoticeTemplate (template.h): the layout, kept as data under assets/notices/.
// The JSON form of the input ({"case": …, "notice": …, "item": …}) is documented in docs/notices.md.
//
// Errors: NoticeDataError (missing or invalid data, naming the field), TemplateError (a broken
// template file), RenderError (cairo/pango or file system failure). All derive from ow::core::Error.
#pragma once

#include "ow/core/case.h"
#include "ow/core/catalog.h"
#include "ow/core/date.h"
#include "ow/core/error.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ow::notices {

/// Missing or invalid input data. `field()` is the JSON pointer of the offending value in the
/// input document (e.g. "/case/applicant/name", "/notice/progress_url"). Derives from InvalidData,
/// so shells treat it like any other invalid input (CLI exit 1).
class NoticeDataError : public core::InvalidData {
public:
    NoticeDataError(std::string field, const std::string& message)
        : core::InvalidData(message), field_(std::move(field)) {}
    const std::string& field() const noexcept { return field_; }

private:
    std::string field_;
};

/// A template file that cannot be used (bad JSON, unknown directive, bad placeholder).
class TemplateError : public core::Error {
public:
    explicit TemplateError(const std::string& message) : core::Error("notice.template", message) {}
};

/// Rendering or writing the PDF failed (cairo, fonts, disk).
class RenderError : public core::Error {
public:
    explicit RenderError(const std::string& message) : core::Error("notice.render", message) {}
};

/// Hints for one material on the one-time / correction notice ("一次清": what, why, where).
struct MaterialHint {
    std::string why;    // why it is needed or what is wrong with what was brought
    std::string where;  // where / how to obtain it
};

/// What a notice needs besides the case. Filled by the shell from the terminal's settings
/// (centre, window) and by the clerk (correction period, review body …).
struct NoticeEnvelope {
    std::string issuing_body;     // 出具单位, e.g. 济南市历下区政务服务中心 (named above the date, sealed)
    std::string window;           // 受理窗口, e.g. 综合受理 7 号窗口
    std::string window_address;   // where the window is
    std::string window_phone;     // 咨询电话
    std::string progress_url;     // progress look-up, encoded in the QR code
    std::optional<core::Date> issued_on;  // the date on the notice; today (China time) when absent
    std::string document_no;      // 文书编号; the receipt number when empty
    std::string clerk;            // 经办人
    std::string pickup;           // where / how the result is collected; the item's when empty
    std::string result_name;      // 结果名称 (licence …); the item's when empty
    int correction_days = 0;      // 补正期限 in working days; 0: not stated
    std::string review_body;      // 行政复议机关 named in refusals and denials; generic text when empty
    std::string commitment_text;  // extra commitment text for 容缺受理承诺书 / 告知承诺书
    bool licensing = true;        // an administrative licence (行政许可): notices cite the Licensing Law; other
                                  // items (公共服务, 行政确认 …) get neutral wording
    std::vector<std::string> conditions;           // 许可条件 for 告知承诺书; the item's when empty
    std::map<std::string, MaterialHint> materials; // by material code
};

/// Everything a notice is rendered from. The store (later) fills `case_data` from a case id.
struct NoticeInput {
    core::Case case_data;
    NoticeEnvelope envelope;
    std::optional<core::ServiceItem> item;  // the catalogue item, for hints (issuer, pickup, conditions)
};

/// Reads the envelope ("notice" member of the input document). `source` names the document in
/// errors. Throws NoticeDataError naming the JSON pointer.
NoticeEnvelope envelope_from_json(const nlohmann::json& j, const std::string& source);
nlohmann::json to_json(const NoticeEnvelope& e);

/// Reads a whole input document {"case": …, "notice": …, "item"?: …}. Throws NoticeDataError
/// (a missing member) or core::InvalidData / ParseError from the case reader, naming the pointer.
NoticeInput notice_input_from_json(const nlohmann::json& j, const std::string& source);
/// Reads and parses an input file.
NoticeInput read_notice_input(const std::filesystem::path& file);

}  // namespace ow::notices
