#include "review/review_presenter.h"

#include "common/page_viewer_model.h"
#include "intake/form_presenter.h"

#include "ow/core/validators.h"
#include "ow/forms/session.h"
#include "ow/store/blobs.h"

#include <algorithm>
#include <sstream>

namespace ow::app {
namespace {

using core::CaseState;
using workflow::Verdict;

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

ReviewOutcome invalid(std::string code, std::string message) {
    ReviewOutcome o;
    o.kind = ReviewOutcome::Kind::invalid;
    o.code = std::move(code);
    o.message = std::move(message);
    return o;
}

/// What a field shows to the chief: option labels for choices, 是/否 for booleans, the parts joined.
std::string shown(const FormRow& r) {
    if (r.type == forms::FieldType::boolean) return r.value == "true" ? "是" : r.value == "false" ? "否" : r.value;
    if (r.type == forms::FieldType::choice || r.type == forms::FieldType::multi_choice) {
        std::string out;
        auto label_of = [&](const std::string& v) {
            for (const auto& o : r.options)
                if (o.value == v) return o.label;
            return v;
        };
        if (r.type == forms::FieldType::choice) return r.value.empty() ? r.value : label_of(r.value);
        for (const auto& v : r.selected) out += (out.empty() ? "" : "、") + label_of(v);
        return out;
    }
    if (r.parts.size() > 1) {
        std::string out;
        for (const auto& p : r.parts)  // (a person's document type is a code: the number says enough)
            if (!p.text.empty() && p.key != "doc_type") out += (out.empty() ? "" : " ") + p.text;
        return out;
    }
    return r.value;
}

std::string display_name(DeskServices& s, const std::string& user) {
    if (user.empty()) return user;
    auto u = s.store().user_info(user);
    return u && !u->display_name.empty() ? u->display_name : user;
}

}  // namespace

ReviewPresenter::ReviewPresenter(DeskServices& services) : services_(services) {}

bool ReviewPresenter::open(const std::string& case_id) {
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
    ReviewCase r;
    r.case_id = case_id;
    r.receipt_no = c.receipt_no;
    r.item_code = c.bundle_code.empty() ? c.item_code : c.bundle_code;
    r.item_name = c.item_name;
    if (!c.bundle_code.empty())
        if (const auto* b = services_.catalogue().bundle(c.bundle_code)) r.item_name = b->name;
    r.state = c.state;
    r.kind = c.kind;
    r.window_decides = services_.who().role == core::Role::clerk && wf.window_may_decide(c);
    r.applicant_name = c.applicant.name;
    r.applicant_kind = c.applicant.kind;
    r.doc_number = c.applicant.doc_number;
    r.phone = c.applicant.phone;
    r.address = c.applicant.address;
    for (const auto& h : c.history)
        if (h.action == core::CaseAction::accept || h.action == core::CaseAction::receive) {
            r.taken_by = display_name(services_, h.actor.user_id);
            break;
        }
    r.promised = c.due_date;
    const auto today = services_.today();
    r.days_left = c.working_days_left(today, services_.calendar());
    r.overdue = r.days_left && *r.days_left < 0;
    if (const auto* item = services_.catalogue().item(c.item_code)) r.legal_basis = item->spec.legal_basis;

    // The form as answered (the engine's definition, the UI language of the desk's catalogue: zh_CN).
    if (auto def = services_.forms().find(r.item_code)) {
        forms::FormSession session(std::move(def), today);
        session.set_answers(c.answers);
        FormPresenter fp(session, forms::Lang::zh_CN);
        for (const auto& row : fp.rows()) {
            if (!row.visible) continue;
            if (row.kind == FormRowKind::section) {
                r.form.push_back({row.label, "", row.depth, true});
            } else if (row.kind == FormRowKind::table) {
                r.form.push_back({row.label, std::to_string(row.cells.size()), row.depth, false});
                for (std::size_t i = 0; i < row.cells.size(); ++i) {
                    std::string line;
                    for (std::size_t k = 0; k < row.cells[i].size() && k < row.columns.size(); ++k) {
                        if (!row.cells[i][k].visible || row.cells[i][k].text.empty()) continue;
                        line += (line.empty() ? "" : "；") + row.columns[k].label + "：" + row.cells[i][k].text;
                    }
                    r.form.push_back({std::to_string(i + 1), line, row.depth + 1, false});
                }
            } else if (row.type != forms::FieldType::attachment) {
                std::string v = shown(row);
                if (!v.empty()) r.form.push_back({row.label, v, row.depth, false});
            }
        }
        // Sections with nothing answered under them are dropped.
        std::vector<ReviewField> kept;
        for (std::size_t i = 0; i < r.form.size(); ++i) {
            if (r.form[i].heading && (i + 1 == r.form.size() || r.form[i + 1].depth <= r.form[i].depth)) continue;
            kept.push_back(r.form[i]);
        }
        r.form = std::move(kept);
    }

    // Materials, checks.
    int missing = 0, e_licences = 0;
    for (const auto& e : c.checklist.entries) {
        r.materials.push_back({e.material_code, e.name, e.status, e.note, !e.blob_sha256.empty()});
        if (e.status == core::MaterialStatus::e_licence) ++e_licences;
        if (e.necessity == core::Necessity::required && !e.satisfied()) ++missing;
    }
    if (c.applicant.kind == core::ApplicantKind::organisation) {
        auto u = core::check_uscc(c.applicant.doc_number);
        r.checks.push_back({"uscc", u.status == core::UsccStatus::valid, u.code});
    } else if (c.applicant.doc_type == core::DocumentType::resident_id) {
        auto chk = core::check_resident_id(c.applicant.doc_number, today);
        r.checks.push_back({"id_number", chk.valid, chk.valid && chk.birth ? core::format_date(*chk.birth) : chk.code});
    }
    r.checks.push_back({"e_licences", e_licences > 0, std::to_string(e_licences)});
    r.checks.push_back({"materials", missing == 0, std::to_string(missing)});
    if (r.days_left) r.checks.push_back({"deadline", *r.days_left >= 0, std::to_string(*r.days_left)});

    // 会签: who has signed, who is awaited.
    for (const auto& part : c.countersign_items) {
        ReviewPart p;
        p.item_code = part;
        if (const auto* item = services_.catalogue().item(part)) {
            p.item_name = item->name;
            p.department = item->department;
        } else {
            p.item_name = part;
        }
        for (const auto& s : c.countersigns)
            if (s.item == part) {
                p.signed_off = true;
                p.approved = s.approved;
                p.by = display_name(services_, s.by.user_id);
                p.acting_for = s.by.acting_for.empty() ? "" : display_name(services_, s.by.acting_for);
                p.at = s.at;
                p.opinion = s.opinion;
            }
        r.parts.push_back(std::move(p));
    }

    // The documents: the notices so far, then the scans.
    for (auto& d : wf.documents(*id, true)) {
        ReviewDocument doc;
        doc.title = d.title.empty() ? d.kind : d.title;
        doc.kind = d.kind;
        doc.mime = "application/pdf";
        doc.bytes = std::move(d.pdf);
        doc.sealed = d.sealed;
        r.documents.push_back(std::move(doc));
    }
    auto& st = services_.store();
    store::BlobStore blobs(st.db(), st.dir(), st.key());
    for (const auto& e : c.checklist.entries) {
        if (e.blob_sha256.empty()) continue;
        std::ostringstream bytes;
        blobs.get(e.blob_sha256, bytes);
        ReviewDocument doc;
        doc.title = e.name;
        doc.kind = "scan";
        doc.material_code = e.material_code;
        doc.bytes = bytes.str();
        doc.mime = sniff_mime(doc.bytes);  // PDF or PNG; another format (TIFF) is shown as unreadable
        r.documents.push_back(std::move(doc));
    }
    case_ = std::move(r);
    return true;
}

bool ReviewPresenter::decidable() const {
    if (!case_) return false;
    auto who = services_.who();
    // A clerk: only what the authorisation matrix lets the window decide on the spot (马上办).
    const bool may = who.role == core::Role::clerk ? case_->window_decides : who.role == core::Role::chief && who.post != core::Post::none;
    if (!may) return false;
    return case_->state == CaseState::under_review || case_->state == CaseState::accepted;
}

std::vector<std::string> ReviewPresenter::phrases(Verdict v) {
    switch (v) {
    case Verdict::approve:
        return {"申请材料齐全，符合法定形式，经审查符合法定条件，准予许可。", "经现场核查，符合相关规定，同意办理。",
                "材料真实有效，同意。"};
    case Verdict::deny:
        return {"经审查，申请人不符合法定条件，不予许可。", "申请事项不属于本机关职权范围。",
                "申请材料存在虚假内容，不予许可。"};
    case Verdict::return_for_correction:
        return {"申请材料不齐全，请按补正通知补齐后重新提交。", "所附材料模糊不清，请提供清晰的原件扫描件。",
                "申请表填写内容与证明材料不一致，请核对更正。"};
    case Verdict::escalate:
        return {"事项涉及重大公共利益，报上级审批机关决定。", "超出窗口授权范围，报请上级审批。"};
    }
    return {};
}

std::vector<AbsentChief> ReviewPresenter::absent_a() const {
    std::vector<AbsentChief> out;
    for (const auto& u : services_.store().users())
        if (u.role == core::Role::chief && u.post == core::Post::A && u.absent_since)
            out.push_back({u.name, u.display_name.empty() ? u.name : u.display_name});
    return out;
}

bool ReviewPresenter::on_post_b() const { return services_.who().post == core::Post::B; }

ReviewSeal ReviewPresenter::seal(const std::string& acting_for) const {
    ReviewSeal s;
    if (auto info = services_.workflow().decision_seal(acting_for)) {
        s.assigned = true;
        s.name = info->name;
        s.signer = info->signer;
        s.token = info->kind == workflow::SealInfo::Kind::pkcs11;
        s.pin_required = info->pin_required;
    }
    return s;
}

std::vector<std::string> ReviewPresenter::open_parts() const {
    std::vector<std::string> out;
    if (!case_) return out;
    for (const auto& p : case_->parts)
        if (!p.signed_off) out.push_back(p.item_code);
    return out;
}

ReviewOutcome ReviewPresenter::prepare(const ReviewRequest& r) const {
    if (!case_) return invalid("review.no_case", "no case is open");
    const bool sealed = r.verdict == Verdict::approve || r.verdict == Verdict::deny;
    if (r.verdict != Verdict::approve && blank(r.opinion))
        return invalid("review.opinion_missing", "this decision needs the opinion (the reasons)");
    if (r.verdict == Verdict::return_for_correction && r.correct.empty())
        return invalid("review.nothing_to_correct", "a return names the materials to bring again");
    if (on_post_b() && r.acting_for.empty())
        return invalid("review.acting_for_missing", "post B decides only acting for an absent post A: choose whom");
    if (sealed && !case_->parts.empty() && r.part.empty() && open_parts().size() > 1)
        return invalid("review.part_missing", "this case is decided part by part (会签): choose the part");
    if (sealed) {
        // The seal's PIN: the decision is sealed after it (a part that completes the case too).
        auto s = seal(r.acting_for);
        const bool completes = case_->parts.empty() || open_parts().size() == 1 || r.verdict == Verdict::deny;
        if (completes && s.assigned && blank(r.pin)) return invalid("review.pin_missing", "the approval seal needs its PIN");
    }
    ReviewOutcome ok;
    ok.case_id = case_->case_id;
    ok.state = case_->state;
    return ok;
}

ReviewOutcome ReviewPresenter::run(workflow::Workflow& wf, const std::string& case_id, ReviewRequest r) {
    ReviewOutcome out;
    out.case_id = case_id;
    const auto id = core::Uuid::parse(case_id);
    if (!id) return invalid("review.no_case", "no case is open");
    workflow::Decide cmd;
    cmd.verdict = r.verdict;
    cmd.opinion = r.opinion;
    cmd.legal_basis = r.legal_basis;
    cmd.acting_for = r.acting_for;
    cmd.item = r.part;
    cmd.escalate_to = r.escalate_to;
    for (const auto& code : r.correct) cmd.correct.push_back({code, !blank(r.correct_note), r.correct_note});
    cmd.seal_pin = r.pin;
    std::fill(r.pin.begin(), r.pin.end(), '\0');
    try {
        auto res = wf.decide(*id, cmd);
        std::fill(cmd.seal_pin.begin(), cmd.seal_pin.end(), '\0');
        out.state = res.case_data.state;
        out.document = std::move(res.document);
        out.part_only = !res.case_data.countersign_items.empty() && res.case_data.state == CaseState::under_review &&
                        (r.verdict == Verdict::approve || r.verdict == Verdict::deny);
    } catch (const workflow::Refused& e) {
        out.kind = ReviewOutcome::Kind::refused, out.code = e.code(), out.message = e.what();
    } catch (const core::IllegalTransition& e) {
        out.kind = ReviewOutcome::Kind::refused, out.code = e.code(), out.message = e.what();
    } catch (const core::NotAuthorised& e) {
        out.kind = ReviewOutcome::Kind::refused, out.code = e.code(), out.message = e.what();
    } catch (const core::InvalidData& e) {
        out.kind = ReviewOutcome::Kind::invalid, out.code = e.code(), out.message = e.what();
    }
    std::fill(cmd.seal_pin.begin(), cmd.seal_pin.end(), '\0');
    return out;
}

void ReviewPresenter::decided(const ReviewOutcome& outcome) {
    if (!outcome.ok() || !case_ || case_->case_id != outcome.case_id) return;
    open(outcome.case_id);
}

}  // namespace ow::app
