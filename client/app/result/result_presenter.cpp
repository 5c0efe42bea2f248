#include "result/result_presenter.h"

#include <algorithm>
#include <cctype>
#include <system_error>

namespace ow::app {
namespace {

using core::CaseState;

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

ResultOutcome invalid(std::string code, std::string message) {
    ResultOutcome o;
    o.kind = ResultOutcome::Kind::invalid;
    o.code = std::move(code);
    o.message = std::move(message);
    return o;
}

bool decided(CaseState s) { return s == CaseState::approved || s == CaseState::denied; }

bool is_receipt(const std::string& kind) { return kind == "pickup_receipt" || kind == "mail_receipt"; }
bool is_decision(const std::string& kind) {
    return kind == "approval_decision" || kind == "approval_result" || kind == "denial_decision" || kind == "denial_result";
}

}  // namespace

ResultPresenter::ResultPresenter(DeskServices& services) : services_(services) {}

bool ResultPresenter::open(const std::string& case_id) {
    case_.reset();
    const auto id = core::Uuid::parse(case_id);
    if (!id) return false;
    auto& wf = services_.workflow();
    core::Case c;
    try {
        c = wf.load(*id);
    } catch (const workflow::InvalidInput&) {
        return false;
    }
    ResultCase r;
    r.case_id = case_id;
    r.receipt_no = c.receipt_no;
    r.item_name = c.item_name;
    if (!c.bundle_code.empty())
        if (const auto* b = services_.catalogue().bundle(c.bundle_code)) r.item_name = b->name;
    r.state = c.state;
    r.applicant_name = c.applicant.name;
    r.phone = c.applicant.phone;
    r.address = c.applicant.address;
    if (c.decision) {
        r.approved = c.decision->approved;
        r.decided_at = c.decision->at;
        auto u = services_.store().user_info(c.decision->by.user_id);
        r.decided_by = u && !u->display_name.empty() ? u->display_name : c.decision->by.user_id;
    }
    r.rated = c.rating.has_value();
    if (c.state == CaseState::approved) r.fees_due_fen = c.fees_due_fen();
    for (auto& d : wf.documents(*id, true)) {
        if (is_decision(d.kind)) r.decision = d;
        else if (is_receipt(d.kind)) r.receipt = d;
    }
    case_ = std::move(r);
    return true;
}

bool ResultPresenter::issuable() const { return case_ && decided(case_->state); }

bool ResultPresenter::ratable() const { return case_ && case_->state == CaseState::result_issued && !case_->rated; }

std::vector<std::string> ResultPresenter::carriers() { return {"中国邮政EMS", "顺丰速运", "京东物流", "中通快递"}; }

ResultOutcome ResultPresenter::prepare(const HandoverRequest& r) const {
    if (!case_) return invalid("result.no_case", "no case is open");
    if (!decided(case_->state)) return invalid("result.not_decided", "the case is not decided, or was handed out already");
    switch (r.mode) {
    case HandoverMode::pickup_signed:
        if (!r.signature_png) return invalid("result.signature_missing", "the recipient has not signed on the pad yet");
        break;
    case HandoverMode::pickup_paper: break;
    case HandoverMode::mail: {
        if (blank(r.address)) return invalid("result.address_missing", "mailing needs the address");
        if (blank(r.carrier)) return invalid("result.carrier_missing", "mailing needs the carrier");
        if (blank(r.tracking_no)) return invalid("result.tracking_missing", "mailing needs the tracking number");
        // Waybill numbers: 8–30 letters and digits (EMS 13, SF 12–15, JD "JD…").
        const bool shape = r.tracking_no.size() >= 8 && r.tracking_no.size() <= 30 &&
                           std::all_of(r.tracking_no.begin(), r.tracking_no.end(), [](char ch) {
                               return std::isalnum(static_cast<unsigned char>(ch)) != 0;
                           });
        if (!shape) return invalid("result.tracking_format", "a tracking number is 8 to 30 letters and digits");
        break;
    }
    }
    ResultOutcome ok;
    ok.case_id = case_->case_id;
    ok.state = case_->state;
    return ok;
}

ResultOutcome ResultPresenter::run(workflow::Workflow& wf, const std::string& case_id, const HandoverRequest& r) {
    ResultOutcome out;
    out.case_id = case_id;
    const auto id = core::Uuid::parse(case_id);
    if (!id) return invalid("result.no_case", "no case is open");
    workflow::IssueResult cmd;
    cmd.mode = r.mode == HandoverMode::mail ? core::ResultHandover::Mode::mail : core::ResultHandover::Mode::pickup;
    cmd.recipient = r.recipient;
    if (r.mode == HandoverMode::pickup_signed) cmd.signature_png = r.signature_png;
    if (r.mode == HandoverMode::mail) {
        cmd.address = r.address;
        cmd.carrier = r.carrier;
        cmd.tracking_no = r.tracking_no;
    }
    try {
        auto res = wf.issue(*id, cmd);
        out.state = res.case_data.state;
        out.receipt = std::move(res.document);
    } catch (const workflow::Refused& e) {
        out.kind = ResultOutcome::Kind::refused, out.code = e.code(), out.message = e.what();
    } catch (const core::IllegalTransition& e) {
        out.kind = ResultOutcome::Kind::refused, out.code = e.code(), out.message = e.what();
    } catch (const core::NotAuthorised& e) {
        out.kind = ResultOutcome::Kind::refused, out.code = e.code(), out.message = e.what();
    } catch (const core::InvalidData& e) {
        out.kind = ResultOutcome::Kind::invalid, out.code = e.code(), out.message = e.what();
    }
    if (r.signature_png) {
        std::error_code ec;
        std::filesystem::remove(*r.signature_png, ec);  // in the store now, or refused: never left behind
    }
    return out;
}

void ResultPresenter::issued(const ResultOutcome& outcome) {
    if (!outcome.ok() || !case_ || case_->case_id != outcome.case_id) return;
    open(outcome.case_id);
}

}  // namespace ow::app
