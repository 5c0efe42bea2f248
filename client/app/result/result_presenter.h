// ResultPresenter: handing out the result (出件) — the 待出件 queue, one decided case open with its
// decision, and the handover: window pickup with the recipient's signature from the signature pad
// (or signed on paper: the receipt has the line), or mail (address, carrier, tracking number). The
// act (Workflow::issue) makes the pickup or mail receipt; the applicant then rates on their screen.
// Free of wx.
//
// Threading: the desk's thread only, except run() (static, on a worker session). Needs the
// services signed in. Store errors propagate; refusals and bad input come back as ResultOutcome.
#pragma once

#include "shell/desk_services.h"

#include "ow/core/case.h"
#include "ow/workflow/workflow.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ow::app {

/// The case open on the result screen.
struct ResultCase {
    std::string case_id;
    std::string receipt_no;
    std::string item_name;
    core::CaseState state = core::CaseState::approved;
    bool approved = false;
    std::string decided_by;              ///< display name
    std::optional<core::Instant> decided_at;
    std::string applicant_name;
    std::string phone;                   ///< in full: the clerk may call the applicant
    std::string address;                 ///< the applicant's (the default mail address)
    std::optional<workflow::Document> decision;  ///< the sealed decision (with its PDF bytes)
    std::optional<workflow::Document> receipt;   ///< once issued: the pickup or mail receipt
    bool rated = false;
    /// Approved with fees neither paid nor waived (收费): the result waits for them (fen).
    std::int64_t fees_due_fen = 0;
};

enum class HandoverMode {
    pickup_signed,  ///< at the window, signed on the signature pad
    pickup_paper,   ///< at the window, signed on the printed receipt
    mail,           ///< posted (address, carrier, tracking number)
};

struct HandoverRequest {
    HandoverMode mode = HandoverMode::pickup_signed;
    std::string recipient;  ///< empty: the applicant
    std::optional<std::filesystem::path> signature_png;  ///< pickup_signed: the pad's PNG
    std::string address, carrier, tracking_no;           ///< mail
};

struct ResultOutcome {
    enum class Kind { done, refused, invalid } kind = Kind::done;
    std::string code;     ///< "result.signature_missing", "result.address_missing", "workflow.…"
    std::string message;  ///< English (logs)
    std::string case_id;
    core::CaseState state = core::CaseState::approved;
    std::optional<workflow::Document> receipt;  ///< done: the receipt (with its PDF bytes)
    bool ok() const { return kind == Kind::done; }
};

class ResultPresenter {
public:
    explicit ResultPresenter(DeskServices& services);

    /// Opens a case (any state; issue() is allowed when it is decided). False when there is none.
    bool open(const std::string& case_id);
    void close() { case_.reset(); }
    const ResultCase* current() const { return case_ ? &*case_ : nullptr; }
    /// The open case is decided and not handed out yet.
    bool issuable() const;
    /// The open case is handed out and not rated yet.
    bool ratable() const;

    /// Carriers offered for mail (the clerk may type another).
    static std::vector<std::string> carriers();
    /// Checks the request (nothing written). Codes: result.no_case, result.not_decided,
    /// result.signature_missing, result.address_missing, result.carrier_missing,
    /// result.tracking_missing, result.tracking_format.
    ResultOutcome prepare(const HandoverRequest& r) const;
    /// The handover, on a worker's workflow. The signature file is removed afterwards (it is in
    /// the store then, or was refused).
    static ResultOutcome run(workflow::Workflow& wf, const std::string& case_id, const HandoverRequest& r);
    /// Back on the desk's thread: reads the case again when done.
    void issued(const ResultOutcome& outcome);

private:
    DeskServices& services_;
    std::optional<ResultCase> case_;
};

}  // namespace ow::app
