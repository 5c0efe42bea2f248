#include "cases/cases_view.h"

#include "cases/archive_export.h"
#include "common/labels.h"
#include "common/quiet_list_box.h"
#include "common/remeasure.h"
#include "rating/rating_presenter.h"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/filename.h>

#include <algorithm>

#include <wx/listbox.h>
#include <wx/listctrl.h>
#include <wx/log.h>
#include <wx/menu.h>
#include <wx/notebook.h>
#include <wx/sizer.h>
#include <wx/srchctrl.h>
#include <wx/stattext.h>
#include <wx/stdpaths.h>
#include <wx/textctrl.h>
#include <wx/utils.h>
#include <wx/wrapsizer.h>

namespace ow::app {

namespace {
/// The payment methods in the order the fee line offers them.
constexpr core::PaymentMethod kPaymentMethods[] = {core::PaymentMethod::cash,    core::PaymentMethod::bank_card, core::PaymentMethod::wechat,
                                                   core::PaymentMethod::alipay,  core::PaymentMethod::unionpay,  core::PaymentMethod::transfer,
                                                   core::PaymentMethod::online,  core::PaymentMethod::other};
}  // namespace
namespace {

wxString tr(const char* msgid) { return msgid && *msgid ? wxGetTranslation(wxString::FromUTF8(msgid)) : wxString(); }

/// A label without its mnemonic, also the CJK form "受理(&A)" (buttons and list titles).
wxString plain(const char* msgid) { return wxStripMenuCodes(tr(msgid), wxStrip_Menu); }

wxString sync_label(SyncMark m) {
    switch (m) {
        // TRANSLATORS: the case's sync column: the platform refused a change or disagrees
        case SyncMark::problem: return _("Problem");
        // TRANSLATORS: the case's sync column: a draft kept back until the applicant is known
        case SyncMark::held: return _("Not sent");
        case SyncMark::pending: return _("Waiting");
        case SyncMark::synced: return _("Synced");
    }
    return wxString();
}

wxString date_text(const std::optional<core::Date>& d, bool provisional) {
    if (!d) return wxString();
    wxString s = u8(core::format_date(*d));
    // TRANSLATORS: a promised date counted with a provisional calendar year. zh_CN: 预计
    if (provisional) s = wxString::Format(_("%s (provisional)"), s);
    return s;
}

wxString days_text(const std::optional<int>& days) {
    if (!days) return wxString();
    if (*days < 0) return wxString::Format(wxPLURAL("%d working day overdue", "%d working days overdue", unsigned(-*days)), -*days);
    if (*days == 0) return _("Due today");
    return wxString::Format(wxPLURAL("%d working day left", "%d working days left", unsigned(*days)), *days);
}

wxString clock_text(core::Instant t) { return u8(core::format_china_minute(t)); }

}  // namespace

/// The case list: virtual (the presenter pages through the store), overdue rows in red.
class CaseListCtrl : public wxListCtrl {
public:
    CaseListCtrl(wxWindow* parent, std::function<CasesPresenter*()> presenter)
        : wxListCtrl(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_VIRTUAL | wxLC_SINGLE_SEL,
                     wxDefaultValidator, "cases.list"),
          presenter_(std::move(presenter)) {
        overdue_.SetTextColour(wxColour(0xc0, 0x10, 0x10));
        problem_.SetTextColour(wxColour(0xa0, 0x50, 0x00));
        green_.SetBackgroundColour(wxColour(0xe2, 0xf4, 0xe2));  // 绿色通道: a pale green row
        green_overdue_ = green_;
        green_overdue_.SetTextColour(wxColour(0xc0, 0x10, 0x10));
    }

    const CaseRow* at(long item) const {
        auto* p = presenter_();
        if (!p || item < 0 || item >= p->row_count()) return nullptr;
        try {
            return &p->row(item);
        } catch (const std::exception& e) {
            wxLogError("case list: %s", u8(e.what()));
            return nullptr;
        }
    }

    wxString OnGetItemText(long item, long column) const override {
        const CaseRow* r = at(item);
        if (!r || r->case_id.empty()) return wxString();
        switch (column) {
            case 0: return u8(r->receipt_no);
            case 1: return u8(r->item_name);
            case 2: return r->green ? green_mark() + u8(r->applicant_name) : u8(r->applicant_name);
            case 3: return label(r->state);
            case 4: return date_text(r->promised, r->provisional);
            case 5: return days_text(r->days_left);
            case 6: return sync_label(r->sync);
            case 7:
                // TRANSLATORS: a limit in hours (e.g. 企业开办 in 4 hours): the promised time, "2026-12-07 15:30".
                if (r->call_due)
                    // TRANSLATORS: 事进人不进: the remote department called and when its answer is due; "(late)" once past it.
                    return wxString::Format(r->call_overdue ? _("%s: answer due %s (late)") : _("%s: answer due %s"), u8(r->call_department),
                                            clock_text(*r->call_due));
                if (r->accept_due)
                    // TRANSLATORS: 网上申报: the date by which the received application must be accepted, refused or answered.
                    return wxString::Format(r->accept_overdue ? _("Decide acceptance by %s (late)") : _("Decide acceptance by %s"),
                                            date_text(r->accept_due, false));
                if (r->due_at) return wxString::Format(_("Due by %s"), clock_text(*r->due_at));
                if (!r->material_name.empty())
                    return wxString::Format(_("%s by %s"), u8(r->material_name), date_text(r->promised_by, false));
                if (r->rating_level > 0) return wxString::Format(_("Rating level %d"), r->rating_level);
                return u8(r->sync_code);
        }
        return wxString();
    }

    wxItemAttr* OnGetItemAttr(long item) const override {
        const CaseRow* r = at(item);
        if (!r) return nullptr;
        if (r->overdue || r->call_overdue || r->accept_overdue) return r->green ? &green_overdue_ : &overdue_;
        if (r->sync == SyncMark::problem) return &problem_;
        return r->green ? &green_ : nullptr;
    }

private:
    std::function<CasesPresenter*()> presenter_;
    mutable wxItemAttr overdue_, problem_, green_, green_overdue_;
};

CasesView::CasesView(wxWindow* parent, DeskServices& services, const ActionRegistry& actions, TaskRunner& tasks,
                     std::function<void(const std::string&)> run, std::function<void()> changed)
    : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "cases"),
      services_(services), actions_(actions), tasks_(tasks), run_(std::move(run)), changed_(std::move(changed)) {
    presenter_ = std::make_unique<CasesPresenter>(services_);
    auto* body = new wxBoxSizer(wxHORIZONTAL);

    // Left: the queues.
    auto* left = new wxBoxSizer(wxVERTICAL);
    left->Add(new wxStaticText(this, wxID_ANY, _("Queues")), 0, wxALL, 6);
    queues_ = new QuietListBox(this, wxSize(FromDIP(190), -1), "cases.queues");
    left->Add(queues_, 1, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    body->Add(left, 0, wxEXPAND);

    // Centre: search and the list.
    auto* centre = new wxBoxSizer(wxVERTICAL);
    search_ = new wxSearchCtrl(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER, wxDefaultValidator,
                               "cases.search");
    search_->SetDescriptiveText(_("Receipt number, ID number, name or phone (Ctrl+F)"));
    search_->ShowCancelButton(true);
    centre->Add(search_, 0, wxEXPAND | wxALL, 6);
    list_ = new CaseListCtrl(this, [this] { return presenter_.get(); });
    list_->AppendColumn(_("Receipt number"), wxLIST_FORMAT_LEFT, FromDIP(205));
    list_->AppendColumn(_("Service item"), wxLIST_FORMAT_LEFT, FromDIP(150));
    list_->AppendColumn(_("Applicant"), wxLIST_FORMAT_LEFT, FromDIP(90));  // 【绿】 and three characters
    list_->AppendColumn(_("State"), wxLIST_FORMAT_LEFT, FromDIP(70));
    list_->AppendColumn(_("Promised date"), wxLIST_FORMAT_LEFT, FromDIP(110));
    list_->AppendColumn(_("Time left"), wxLIST_FORMAT_LEFT, FromDIP(105));
    list_->AppendColumn(_("Sync"), wxLIST_FORMAT_LEFT, FromDIP(60));
    list_->AppendColumn(_("Note"), wxLIST_FORMAT_LEFT, FromDIP(120));
    fit_headers(list_);
    list_->SetMinSize(FromDIP(wxSize(320, 200)));  // the columns scroll; the case pane keeps its width
    centre->Add(list_, 1, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    body->Add(centre, 3, wxEXPAND);

    // Right: the selected case.
    auto* right = new wxBoxSizer(wxVERTICAL);
    title_ = new wxStaticText(this, wxID_ANY, _("No case selected"), wxDefaultPosition, wxDefaultSize, wxST_ELLIPSIZE_END, "case.title");
    wxFont tf = title_->GetFont();
    tf.SetWeight(wxFONTWEIGHT_BOLD);
    title_->SetFont(tf);
    right->Add(title_, 0, wxEXPAND | wxALL, 6);
    auto* buttons = new wxWrapSizer(wxHORIZONTAL);
    for (const auto& a : actions_.actions()) {
        if (!a.case_action) continue;
        auto* b = new wxButton(this, wxID_ANY, plain(a.label), wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT, wxDefaultValidator,
                               wxString::FromUTF8("action." + a.id));
        b->SetToolTip(a.hotkey.empty() ? tr(a.help) : wxString::Format("%s (%s)", tr(a.help), u8(a.hotkey)));
        b->Bind(wxEVT_BUTTON, [this, id = a.id](wxCommandEvent&) { run_(id); });
        buttons->Add(b, 0, wxRIGHT | wxBOTTOM, 4);
        buttons_.emplace_back(a.id, b);
    }
    right->Add(buttons, 0, wxEXPAND | wxLEFT | wxRIGHT, 6);
    // Closing a bad rating's follow-up (case.close_follow_up): what was done, in one line.
    follow_up_line_ = new wxBoxSizer(wxHORIZONTAL);
    follow_up_note_ = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER, wxDefaultValidator,
                                     "case.follow_up_note");
    follow_up_note_->SetHint(_("What was done for the applicant (the follow-up's note)"));
    follow_up_note_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { commit_follow_up(); });
    auto* close_follow_up = new wxButton(this, wxID_ANY, _("Close the follow-up"), wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT,
                                         wxDefaultValidator, "case.follow_up_close");
    close_follow_up->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { commit_follow_up(); });
    follow_up_line_->Add(follow_up_note_, 1, wxRIGHT, 4);
    follow_up_line_->Add(close_follow_up, 0);
    right->Add(follow_up_line_, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    right->Hide(follow_up_line_);
    // The green channel (case.green): the case's flags, each box acting at once.
    green_line_ = new wxBoxSizer(wxHORIZONTAL);
    green_line_->Add(new wxStaticText(this, wxID_ANY, _("Green channel:")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    for (auto [flag, name] : {std::pair{core::GreenFlag::elderly, "case.green.elderly"}, std::pair{core::GreenFlag::disabled, "case.green.disabled"},
                              std::pair{core::GreenFlag::ill, "case.green.ill"}, std::pair{core::GreenFlag::pregnant, "case.green.pregnant"},
                              std::pair{core::GreenFlag::key_project, "case.green.key_project"}}) {
        auto* box = new wxCheckBox(this, wxID_ANY, label(flag), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, name);
        box->Bind(wxEVT_CHECKBOX, [this, flag = flag, box](wxCommandEvent&) { toggle_green(flag, box); });
        green_line_->Add(box, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 10);
        green_boxes_.emplace_back(flag, box);
    }
    right->Add(green_line_, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    right->Hide(green_line_);
    // Fees (case.fee): the fee due, how it was paid, the transaction number; a chief may waive.
    fee_line_ = new wxBoxSizer(wxVERTICAL);
    auto* fee_row = new wxBoxSizer(wxHORIZONTAL);
    fee_row->Add(new wxStaticText(this, wxID_ANY, _("Fee:")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    fee_choice_ = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, 0, nullptr, 0, wxDefaultValidator, "case.fee.item");
    fee_row->Add(fee_choice_, 1, wxALIGN_CENTER_VERTICAL);
    fee_line_->Add(fee_row, 0, wxEXPAND | wxBOTTOM, 4);
    auto* pay_row = new wxBoxSizer(wxHORIZONTAL);
    fee_method_ = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, 0, nullptr, 0, wxDefaultValidator, "case.fee.method");
    for (auto m : kPaymentMethods) fee_method_->Append(label(m));
    fee_method_->SetSelection(0);
    fee_payment_no_ = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER, wxDefaultValidator,
                                     "case.fee.payment_no");
    fee_payment_no_->SetHint(_("Transaction number (not for cash)"));
    fee_payment_no_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { commit_payment(); });
    auto* pay = new wxButton(this, wxID_ANY, _("Record payment"), wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT, wxDefaultValidator,
                             "case.fee.pay");
    pay->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { commit_payment(); });
    pay_row->Add(fee_method_, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    pay_row->Add(fee_payment_no_, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    pay_row->Add(pay, 0, wxALIGN_CENTER_VERTICAL);
    fee_line_->Add(pay_row, 0, wxEXPAND | wxBOTTOM, 4);
    waive_row_ = new wxBoxSizer(wxHORIZONTAL);
    fee_reason_ = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER, wxDefaultValidator,
                                 "case.fee.reason");
    fee_reason_->SetHint(_("Reason for waiving the fee"));
    fee_reason_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { commit_waiver(); });
    auto* waive = new wxButton(this, wxID_ANY, _("Waive"), wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT, wxDefaultValidator,
                               "case.fee.waive");
    waive->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { commit_waiver(); });
    waive_row_->Add(fee_reason_, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    waive_row_->Add(waive, 0, wxALIGN_CENTER_VERTICAL);
    fee_line_->Add(waive_row_, 0, wxEXPAND);
    right->Add(fee_line_, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    right->Hide(fee_line_);
    // 帮办代办 (case.assist): the helper — how, who, a note — and, at intake, the applicant's agent.
    assist_line_ = new wxBoxSizer(wxVERTICAL);
    auto* helper_row = new wxBoxSizer(wxHORIZONTAL);
    helper_row->Add(new wxStaticText(this, wxID_ANY, _("Helper:")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    assist_mode_ = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, 0, nullptr, 0, wxDefaultValidator, "case.assist.mode");
    for (auto m : {core::AssistMode::help, core::AssistMode::agency, core::AssistMode::contact}) assist_mode_->Append(label(m));
    assist_mode_->SetSelection(0);
    assist_helper_ = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, 0, nullptr, 0, wxDefaultValidator, "case.assist.helper");
    assist_note_ = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER, wxDefaultValidator,
                                  "case.assist.note");
    assist_note_->SetHint(_("Note (e.g. cannot walk: handled to the end)"));
    auto save_assist = [this] {
        const auto* d = presenter_ ? presenter_->selected() : nullptr;
        const int h = assist_helper_->GetSelection();
        if (!d || h < 0 || std::size_t(h) >= helpers_.size()) return say(_("Choose the helper."), true);
        workflow::Assist cmd;
        cmd.mode = std::array{core::AssistMode::help, core::AssistMode::agency, core::AssistMode::contact}[std::size_t(
            std::clamp(assist_mode_->GetSelection(), 0, 2))];
        cmd.helper = helpers_[std::size_t(h)].user;
        cmd.note = assist_note_->GetValue().Trim().Trim(false).utf8_string();
        const wxString who = u8(helpers_[std::size_t(h)].display_name.empty() ? cmd.helper : helpers_[std::size_t(h)].display_name);
        assist_act("case.assist", [this, cmd] { return presenter_->set_assist(cmd); },
                   wxString::Format(_("%s helps with the case (%s); it is in their list Assisted by me."), who, label(*cmd.mode)));
    };
    assist_note_->Bind(wxEVT_TEXT_ENTER, [save_assist](wxCommandEvent&) { save_assist(); });
    auto* assist_save = new wxButton(this, wxID_ANY, _("Assign"), wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT, wxDefaultValidator,
                                     "case.assist.save");
    assist_save->Bind(wxEVT_BUTTON, [save_assist](wxCommandEvent&) { save_assist(); });
    auto* assist_end = new wxButton(this, wxID_ANY, _("End the help"), wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT, wxDefaultValidator,
                                    "case.assist.end");
    assist_end->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        assist_act("case.assist", [this] { return presenter_->set_assist(workflow::Assist{}); }, _("The help has ended."));
    });
    helper_row->Add(assist_mode_, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    helper_row->Add(assist_helper_, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    helper_row->Add(assist_note_, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    helper_row->Add(assist_save, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    helper_row->Add(assist_end, 0, wxALIGN_CENTER_VERTICAL);
    assist_line_->Add(helper_row, 0, wxEXPAND | wxBOTTOM, 4);
    agent_row_ = new wxBoxSizer(wxHORIZONTAL);
    agent_row_->Add(new wxStaticText(this, wxID_ANY, _("Agent:")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    agent_name_ = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "case.agent.name");
    agent_name_->SetHint(_("Agent's name"));
    agent_id_ = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "case.agent.id");
    agent_id_->SetHint(_("Agent's ID number"));
    agent_relation_ = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER, wxDefaultValidator,
                                     "case.agent.relation");
    agent_relation_->SetHint(_("Relation (e.g. relative)"));
    auto save_agent = [this] {
        workflow::SetAgent cmd;
        cmd.name = agent_name_->GetValue().Trim().Trim(false).utf8_string();
        cmd.doc_number = agent_id_->GetValue().Trim().Trim(false).Upper().utf8_string();
        cmd.relation = agent_relation_->GetValue().Trim().Trim(false).utf8_string();
        if (cmd.name.empty() || cmd.doc_number.empty()) return say(_("Type the agent's name and ID number."), true);
        assist_act("case.agent", [this, cmd] { return presenter_->set_agent(cmd); },
                   _("Agent recorded: the power of attorney and the agent's ID are now on the checklist."));
    };
    agent_relation_->Bind(wxEVT_TEXT_ENTER, [save_agent](wxCommandEvent&) { save_agent(); });
    auto* agent_save = new wxButton(this, wxID_ANY, _("Record agent"), wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT, wxDefaultValidator,
                                    "case.agent.save");
    agent_save->Bind(wxEVT_BUTTON, [save_agent](wxCommandEvent&) { save_agent(); });
    auto* agent_clear = new wxButton(this, wxID_ANY, _("No agent"), wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT, wxDefaultValidator,
                                     "case.agent.clear");
    agent_clear->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        assist_act("case.agent", [this] { return presenter_->set_agent(workflow::SetAgent{}); }, _("The agent is cleared: the applicant came in person."));
    });
    agent_row_->Add(agent_name_, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    agent_row_->Add(agent_id_, 2, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    agent_row_->Add(agent_relation_, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    agent_row_->Add(agent_save, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    agent_row_->Add(agent_clear, 0, wxALIGN_CENTER_VERTICAL);
    assist_line_->Add(agent_row_, 0, wxEXPAND);
    right->Add(assist_line_, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    right->Hide(assist_line_);
    // 告知承诺制 / 信即办 at intake, and the follow-up of commitments and deferred materials (case.commit).
    commit_line_ = new wxBoxSizer(wxVERTICAL);
    commit_row_ = new wxBoxSizer(wxHORIZONTAL);
    commit_row_->Add(new wxStaticText(this, wxID_ANY, _("Commitment:")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    commit_text_ = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "case.commit.text");
    commit_text_->SetHint(_("What the applicant commits to (empty: the standard wording)"));
    auto commit = [this](workflow::RecordCommitment::Kind kind) {
        workflow::RecordCommitment cmd;
        cmd.kind = kind;
        cmd.text = commit_text_->GetValue().Trim().Trim(false).utf8_string();
        assist_act("case.commit", [this, cmd] { return presenter_->record_commitment(cmd); },
                   kind == workflow::RecordCommitment::Kind::credit
                       ? _("Credit commitment recorded; see the Notices tab.")
                       : _("Commitment recorded; see the Notices tab."));
    };
    commit_item_ = new wxButton(this, wxID_ANY, _("On the conditions"), wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT, wxDefaultValidator,
                                "case.commit.item");
    commit_item_->Bind(wxEVT_BUTTON, [commit](wxCommandEvent&) { commit(workflow::RecordCommitment::Kind::item); });
    commit_credit_ = new wxButton(this, wxID_ANY, _("On good credit"), wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT, wxDefaultValidator,
                                  "case.commit.credit");
    commit_credit_->Bind(wxEVT_BUTTON, [commit](wxCommandEvent&) { commit(workflow::RecordCommitment::Kind::credit); });
    commit_row_->Add(commit_text_, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    commit_row_->Add(commit_item_, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    commit_row_->Add(commit_credit_, 0, wxALIGN_CENTER_VERTICAL);
    commit_line_->Add(commit_row_, 0, wxEXPAND | wxBOTTOM, 4);
    // Two rows, so that the finding keeps its width with the large font: what and how, then the finding.
    verify_row_ = new wxBoxSizer(wxVERTICAL);
    auto* verify_what = new wxBoxSizer(wxHORIZONTAL);
    auto* verify_how = new wxBoxSizer(wxHORIZONTAL);
    verify_what->Add(new wxStaticText(this, wxID_ANY, _("Check:")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    verify_target_ = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, 0, nullptr, 0, wxDefaultValidator, "case.verify.target");
    verify_result_ = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, 0, nullptr, 0, wxDefaultValidator, "case.verify.result");
    verify_result_->Append(_("Kept"));
    verify_result_->Append(_("Breached: revoke the approval"));
    verify_result_->Append(_("Breached: refer"));
    verify_result_->SetSelection(0);
    verify_finding_ = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER, wxDefaultValidator,
                                     "case.verify.finding");
    verify_finding_->SetHint(_("What the check found"));
    verify_finding_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { commit_verify(); });
    auto* verify_save = new wxButton(this, wxID_ANY, _("Record the check"), wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT, wxDefaultValidator,
                                     "case.verify.save");
    verify_save->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { commit_verify(); });
    verify_what->Add(verify_target_, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    verify_what->Add(verify_result_, 0, wxALIGN_CENTER_VERTICAL);
    verify_how->Add(verify_finding_, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    verify_how->Add(verify_save, 0, wxALIGN_CENTER_VERTICAL);
    verify_row_->Add(verify_what, 0, wxEXPAND | wxBOTTOM, 4);
    verify_row_->Add(verify_how, 0, wxEXPAND);
    commit_line_->Add(verify_row_, 0, wxEXPAND);
    right->Add(commit_line_, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    right->Hide(commit_line_);
    // 网上申报 (case.originals): 原件核验 of the uploads, and a material received by post.
    online_line_ = new wxBoxSizer(wxVERTICAL);
    originals_row_ = new wxBoxSizer(wxVERTICAL);
    auto* originals_what = new wxBoxSizer(wxHORIZONTAL);
    auto* originals_how = new wxBoxSizer(wxHORIZONTAL);
    originals_what->Add(new wxStaticText(this, wxID_ANY, _("Original:")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    originals_target_ = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, 0, nullptr, 0, wxDefaultValidator, "case.originals.target");
    originals_result_ = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, 0, nullptr, 0, wxDefaultValidator, "case.originals.result");
    originals_result_->Append(_("Matches the upload"));
    originals_result_->Append(_("Does not match"));
    originals_result_->SetSelection(0);
    originals_note_ = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER, wxDefaultValidator,
                                     "case.originals.note");
    originals_note_->SetHint(_("What differs (when it does not match)"));
    originals_note_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { commit_originals(); });
    auto* originals_save = new wxButton(this, wxID_ANY, _("Record the comparison"), wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT,
                                        wxDefaultValidator, "case.originals.save");
    originals_save->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { commit_originals(); });
    originals_what->Add(originals_target_, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    originals_what->Add(originals_result_, 0, wxALIGN_CENTER_VERTICAL);
    originals_how->Add(originals_note_, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    originals_how->Add(originals_save, 0, wxALIGN_CENTER_VERTICAL);
    originals_row_->Add(originals_what, 0, wxEXPAND | wxBOTTOM, 4);
    originals_row_->Add(originals_how, 0, wxEXPAND | wxBOTTOM, 4);
    online_line_->Add(originals_row_, 0, wxEXPAND);
    post_row_ = new wxBoxSizer(wxVERTICAL);
    auto* post_what = new wxBoxSizer(wxHORIZONTAL);
    auto* post_how = new wxBoxSizer(wxHORIZONTAL);
    post_what->Add(new wxStaticText(this, wxID_ANY, _("By post:")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    post_material_ = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, 0, nullptr, 0, wxDefaultValidator, "case.post.material");
    post_what->Add(post_material_, 1, wxALIGN_CENTER_VERTICAL);
    post_tracking_ = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER, wxDefaultValidator,
                                    "case.post.tracking");
    post_tracking_->SetHint(_("Waybill number"));
    post_tracking_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { commit_post(); });
    post_carrier_ = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER, wxDefaultValidator,
                                   "case.post.carrier");
    post_carrier_->SetHint(_("Carrier (EMS ...)"));
    post_carrier_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { commit_post(); });
    auto* post_save = new wxButton(this, wxID_ANY, _("Log the original received"), wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT,
                                   wxDefaultValidator, "case.post.save");
    post_save->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { commit_post(); });
    post_how->Add(post_tracking_, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    post_how->Add(post_carrier_, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    post_how->Add(post_save, 0, wxALIGN_CENTER_VERTICAL);
    post_row_->Add(post_what, 0, wxEXPAND | wxBOTTOM, 4);
    post_row_->Add(post_how, 0, wxEXPAND);
    online_line_->Add(post_row_, 0, wxEXPAND);
    right->Add(online_line_, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    right->Hide(online_line_);
    // The archive package (case.archive): where it goes, in one line.
    archive_line_ = new wxBoxSizer(wxHORIZONTAL);
    archive_line_->Add(new wxStaticText(this, wxID_ANY, _("Package:")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    archive_path_ = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER, wxDefaultValidator,
                                   "case.archive_path");
    archive_path_->SetHint(_("Where the archive package goes (.zip, or a folder)"));
    archive_path_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { commit_archive(); });
    auto* archive_export = new wxButton(this, wxID_ANY, _("Export"), wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT, wxDefaultValidator,
                                        "case.archive_export");
    archive_export->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { commit_archive(); });
    archive_line_->Add(archive_path_, 1, wxRIGHT, 4);
    archive_line_->Add(archive_export, 0);
    right->Add(archive_line_, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    right->Hide(archive_line_);
    message_ = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "case.message");
    right->Add(message_, 0, wxEXPAND | wxLEFT | wxRIGHT, 6);
    tabs_ = new wxNotebook(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, 0, "case.tabs");
    summary_ = new wxTextCtrl(tabs_, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize,
                              wxTE_MULTILINE | wxTE_READONLY | wxTE_RICH2 | wxTE_WORDWRAP | wxBORDER_NONE, wxDefaultValidator, "case.summary");
    timeline_ = new wxListCtrl(tabs_, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL, wxDefaultValidator,
                               "case.timeline");
    timeline_->AppendColumn(_("Time"), wxLIST_FORMAT_LEFT, FromDIP(120));
    timeline_->AppendColumn(_("What"), wxLIST_FORMAT_LEFT, FromDIP(130));
    timeline_->AppendColumn(_("By"), wxLIST_FORMAT_LEFT, FromDIP(90));
    timeline_->AppendColumn(_("State"), wxLIST_FORMAT_LEFT, FromDIP(90));
    materials_ = new wxListCtrl(tabs_, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL, wxDefaultValidator,
                                "case.materials");
    materials_->AppendColumn(_("Material"), wxLIST_FORMAT_LEFT, FromDIP(200));
    materials_->AppendColumn(_("Necessity"), wxLIST_FORMAT_LEFT, FromDIP(70));
    materials_->AppendColumn(_("Status"), wxLIST_FORMAT_LEFT, FromDIP(120));
    notices_ = new wxListCtrl(tabs_, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL, wxDefaultValidator,
                              "case.notices");
    notices_->AppendColumn(_("Notice"), wxLIST_FORMAT_LEFT, FromDIP(200));
    notices_->AppendColumn(_("Sealed"), wxLIST_FORMAT_LEFT, FromDIP(60));
    notices_->AppendColumn(_("Made"), wxLIST_FORMAT_LEFT, FromDIP(120));
    tabs_->AddPage(summary_, _("Summary"));
    tabs_->AddPage(timeline_, _("Timeline"));
    tabs_->AddPage(materials_, _("Materials"));
    fees_ = new wxListCtrl(tabs_, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL, wxDefaultValidator, "case.fees");
    fees_->AppendColumn(_("Fee"), wxLIST_FORMAT_LEFT, FromDIP(170));
    fees_->AppendColumn(_("Yuan"), wxLIST_FORMAT_RIGHT, FromDIP(70));
    fees_->AppendColumn(_("Status"), wxLIST_FORMAT_LEFT, FromDIP(160));
    tabs_->AddPage(notices_, _("Notices"));
    tabs_->AddPage(fees_, _("Fees"));
    right->Add(tabs_, 1, wxEXPAND | wxALL, 6);
    right->SetMinSize(FromDIP(wxSize(400, -1)));
    body->Add(right, 2, wxEXPAND);
    SetSizer(body);

    fill_queues();
    queues_->SetSelection(0);
    reload_list();
    if (list_->GetItemCount() > 0) open_row(0);

    queues_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent&) { select_queue_index(queues_->GetSelection()); });
    search_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { on_search(); });
    search_->Bind(wxEVT_SEARCHCTRL_CANCEL_BTN, [this](wxCommandEvent&) {
        search_->ChangeValue(wxString());
        on_search();
    });
    search_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) {
        if (list_->GetItemCount() > 0) open_row(0);
        list_->SetFocus();
    });
    list_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent& e) { on_row_selected(e.GetIndex()); });
    list_->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent& e) {
        on_row_selected(e.GetIndex());
        tabs_->SetFocus();
    });
    list_->Bind(wxEVT_CONTEXT_MENU, [this](wxContextMenuEvent&) { context_menu(); });
    notices_->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent& e) { open_document(std::size_t(e.GetIndex())); });
}

CasesView::~CasesView() { *alive_ = false; }

void CasesView::fill_queues() {
    if (!presenter_) return;
    const auto& counts = presenter_->counts();
    bool fresh = queues_->GetCount() != counts.size();
    if (fresh) queues_->Clear();
    for (std::size_t i = 0; i < counts.size(); ++i) {
        // The queue's name is its action's label (Ctrl+1 … Ctrl+9), declared once in the table.
        const auto* spec = actions_.find("queue." + std::to_string(i + 1));
        wxString text = wxString::Format("%s (%lld)", spec ? plain(spec->label) : wxString(), static_cast<long long>(counts[i].count));
        if (fresh) queues_->Append(text);
        else if (queues_->GetString(unsigned(i)) != text) queues_->SetString(unsigned(i), text);
    }
    // Wide enough for the longest queue name with its count (other languages, the large font).
    queues_->InvalidateBestSize();
    int want = std::max(FromDIP(190), queues_->GetBestSize().x + FromDIP(12));
    if (want > queues_->GetMinSize().x) {
        queues_->SetMinSize(wxSize(want, -1));
        Layout();
    }
}

void CasesView::reload_list() {
    if (!presenter_) {
        list_->SetItemCount(0);
        return;
    }
    list_->SetItemCount(long(presenter_->row_count()));
    list_->Refresh();
}

void CasesView::select_queue_index(int index) {
    if (!presenter_ || index < 0 || std::size_t(index) >= presenter_->counts().size()) return;
    if (queues_->GetSelection() != index) queues_->SetSelection(index);
    if (!search_->IsEmpty()) search_->ChangeValue(wxString());
    presenter_->select_queue(presenter_->counts()[std::size_t(index)].queue);
    reload_list();
    if (list_->GetItemCount() > 0) open_row(0);
    else show_case(nullptr);
    changed_();
}

void CasesView::on_search() {
    if (!presenter_) return;
    try {
        presenter_->search(search_->GetValue().utf8_string());
    } catch (const std::exception& e) {
        wxLogError("search: %s", u8(e.what()));
    }
    reload_list();
    if (list_->GetItemCount() > 0) open_row(0);
    else show_case(nullptr);
    changed_();
}

bool CasesView::open_row(long row) {
    if (row < 0 || row >= list_->GetItemCount()) return false;
    list_->SetItemState(row, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
    list_->EnsureVisible(row);
    on_row_selected(row);
    return presenter_ && presenter_->selected();
}

void CasesView::on_row_selected(long row) {
    if (!presenter_) return;
    const CaseRow* r = list_->at(row);
    if (!r || r->case_id.empty()) return;
    if (presenter_->selected() && presenter_->selected()->summary.case_id == r->case_id) return;
    try {
        show_case(presenter_->select(r->case_id));
    } catch (const std::exception& e) {
        wxLogError("case %s: %s", u8(r->case_id), u8(e.what()));
        say(_("The case could not be read."), true);
    }
    changed_();
}

void CasesView::show_case(const CaseDetail* d) {
    timeline_->DeleteAllItems();
    materials_->DeleteAllItems();
    notices_->DeleteAllItems();
    fees_->DeleteAllItems();
    message_->SetLabel(wxString());
    if (!d) {
        show_fee_line(false);
        show_follow_up_line(false);
        show_archive_line(false);
        show_green_line(false);
        show_assist_line(false);
        show_commit_line(false);
        show_online_line(false);
        selected_case_.clear();
        title_->SetLabel(_("No case selected"));
        summary_->Clear();
        return;
    }
    const auto& s = d->summary;
    if (s.case_id != selected_case_ || !d->follow_up_open) show_follow_up_line(false);
    if (s.case_id != selected_case_ || !archivable(s.state)) show_archive_line(false);
    if (s.case_id != selected_case_) show_green_line(false);
    if (s.case_id != selected_case_) show_assist_line(false);
    if (s.case_id != selected_case_) show_commit_line(false);
    if (s.case_id != selected_case_) show_online_line(false);
    const bool fees_due = std::any_of(d->fees.begin(), d->fees.end(), [](const core::CaseFee& f) { return !f.settled(); });
    if (s.case_id != selected_case_ || !fees_due) show_fee_line(false);
    for (auto& [flag, box] : green_boxes_)
        box->SetValue(std::find(s.green_flags.begin(), s.green_flags.end(), flag) != s.green_flags.end());
    selected_case_ = s.case_id;
    title_->SetLabel(wxString::Format("%s  %s", u8(s.receipt_no), u8(s.item_name)));
    wxString text;
    auto line = [&](const wxString& k, const wxString& v) {
        if (!v.empty()) text += k + wxString::FromUTF8("：") + v + "\n";
    };
    line(_("Receipt number"), u8(s.receipt_no));
    line(_("Platform case number"), u8(s.platform_case_no));
    line(_("Service item"), u8(s.item_name));
    line(_("State"), label(s.state));
    line(_("Applicant"), u8(s.applicant_name));
    wxString green;
    for (auto flag : s.green_flags) green += (green.empty() ? wxString() : wxString::FromUTF8("、")) + label(flag);
    line(_("Green channel"), green);
    if (s.assistance)
        line(_("Helper"), wxString::Format(_("%s (%s)"), u8(s.assistance->helper_name.empty() ? s.assistance->helper : s.assistance->helper_name),
                                           label(s.assistance->mode)) +
                              (s.assistance->note.empty() ? wxString() : wxString::FromUTF8("：") + u8(s.assistance->note)));
    if (!s.agent_name.empty())
        line(_("Agent"), s.agent_relation.empty() ? u8(s.agent_name) : wxString::Format(_("%s (%s)"), u8(s.agent_name), u8(s.agent_relation)));
    if (s.credit)
        line(_("Credit standing"), wxString::Format(_("%s (%s, %s)"), s.credit->standing == "good" ? _("good") : u8(s.credit->standing),
                                                    u8(s.credit->source), u8(s.credit->report_no)));
    if (!d->commitments.empty()) {
        std::size_t pending = 0;
        for (const auto& cm : d->commitments) pending += cm.finding ? 0 : 1;
        line(_("Commitments"), wxString::Format(_("%d, %d awaiting the check"), int(d->commitments.size()), int(pending)));
    }
    if (s.revocation) line(_("Approval revoked"), u8(s.revocation->reason));
    if (const auto& rc = s.remote_call) {
        // 事进人不进: the department called at acceptance, and whether (when) it answered.
        const wxString who = rc->contact.empty() ? u8(rc->department) : wxString::Format(_("%s (%s)"), u8(rc->department), u8(rc->contact));
        line(_("Department called"),
             rc->answered_at ? wxString::Format(_("%s, answered %s"), who, clock_text(*rc->answered_at))
             : rc->due_at < services_.now() ? wxString::Format(_("%s, answer was due %s (late)"), who, clock_text(rc->due_at))
                                              : wxString::Format(_("%s, answer due %s"), who, clock_text(rc->due_at)));
    }
    if (s.channel != core::Channel::window)
        line(_("Applied"), wxString::Format(_("%s (application %s)"), label(s.channel), u8(s.application_id)));
    if (s.acceptance_due)
        line(_("Acceptance decision"), wxString::Format(s.acceptance_late ? _("due by %s (late)") : _("due by %s"), date_text(s.acceptance_due, false)));
    auto names = [](const std::vector<std::string>& list) {
        wxString out;
        for (const auto& n : list) out += (out.empty() ? wxString() : wxString::FromUTF8("、")) + u8(n);
        return out;
    };
    if (!s.originals_waiting.empty()) line(_("Originals to compare"), names(s.originals_waiting));
    if (!s.originals_mismatched.empty()) line(_("Originals not matching"), names(s.originals_mismatched));
    if (!s.urges.empty())
        line(_("Urged"), wxString::Format(_("%d times, last %s to %s"), int(s.urges.size()), clock_text(s.urges.back().at), u8(s.urges.back().to)));
    line(_("ID number"), u8(s.doc_number_masked));
    line(_("Phone"), u8(s.phone_masked));
    if (s.submitted) line(_("Received"), clock_text(*s.submitted));
    if (s.accepted) line(_("Accepted"), clock_text(*s.accepted));
    line(_("Promised date"), date_text(s.promised, s.provisional));
    if (s.promised_at) line(_("Promised time"), clock_text(*s.promised_at));
    line(_("Time left"), days_text(s.days_left));
    line(_("Taken by"), u8(s.taken_by));
    if (!d->fees.empty()) {
        std::int64_t total = 0, due = 0;
        for (const auto& f : d->fees) {
            total += f.amount_fen;
            if (!f.settled()) due += f.amount_fen;
        }
        line(_("Fees"), due > 0 ? wxString::Format(_("%s yuan, %s yuan due"), u8(core::format_yuan(total)), u8(core::format_yuan(due)))
                                : wxString::Format(_("%s yuan, settled"), u8(core::format_yuan(total))));
    }
    if (s.rating) {
        const int national = national_from_gbt(int(s.rating->level));
        for (const auto& c : rating_choices())
            if (c.level == national) line(_("Rating"), wxGetTranslation(c.label));
        for (const auto& r : rating_reasons())
            if (s.rating->reason == r.code) line(_("Reason for the rating"), wxGetTranslation(r.label));
        line(_("Applicant's words"), u8(s.rating->comment));
        if (s.rating->follow_up_due)
            line(d->follow_up_open ? _("Follow-up due") : _("Follow-up (closed) was due"), date_text(s.rating->follow_up_due, false));
    }
    summary_->SetValue(text);
    if (s.overdue) summary_->SetStyle(0, long(text.length()), wxTextAttr(wxColour(0xc0, 0x10, 0x10)));

    long i = 0;
    for (const auto& e : d->timeline) {
        long row = timeline_->InsertItem(i++, clock_text(e.at));
        timeline_->SetItem(row, 1, case_action_label(e.action));
        timeline_->SetItem(row, 2, u8(e.user));
        if (e.to) timeline_->SetItem(row, 3, label(*e.to));
    }
    i = 0;
    for (const auto& m : d->materials) {
        long row = materials_->InsertItem(i++, u8(m.name));
        materials_->SetItem(row, 1, label(m.necessity));
        wxString status = label(m.status);
        if (m.promised_by) status = wxString::Format(_("%s by %s"), status, date_text(m.promised_by, false));
        materials_->SetItem(row, 2, status);
    }
    i = 0;
    for (const auto& f : d->fees) {
        long row = fees_->InsertItem(i++, u8(f.name));
        fees_->SetItem(row, 1, u8(core::format_yuan(f.amount_fen)));
        wxString status = label(f.status);
        if (f.status == core::FeeStatus::paid)
            status = wxString::Format("%s %s (%s)", status, u8(core::format_yuan(f.paid_fen)), label(f.method));
        if (f.status == core::FeeStatus::waived) status += wxString::FromUTF8("：") + u8(f.reason);
        fees_->SetItem(row, 2, status);
    }
    if (fee_line_ && fee_choice_->IsShown()) fill_fee_line();
    if (assist_line_ && assist_mode_->IsShown()) fill_assist_line();
    if (commit_shown_) fill_commit_line();
    i = 0;
    for (const auto& doc : d->documents) {
        long row = notices_->InsertItem(i++, u8(doc.title));
        notices_->SetItem(row, 1, doc.sealed ? _("Sealed") : wxString());
        notices_->SetItem(row, 2, u8(core::format_china_minute(core::parse_instant(doc.created_at))));
    }
}

void CasesView::context_menu() {
    if (!presenter_ || !presenter_->selected()) return;
    DeskState state;
    state.signed_in = services_.signed_in();
    state.has_store = true;
    auto who = services_.who();
    state.role = who.role;
    state.post = who.post;
    presenter_->fill(state);
    wxMenu menu;
    std::vector<std::string> ids;
    for (const auto& a : actions_.actions()) {
        if (!a.case_action) continue;
        wxString text = tr(a.label);
        if (!a.hotkey.empty()) text += "\t" + u8(a.hotkey);
        int id = wxID_HIGHEST + 500 + int(ids.size());
        menu.Append(id, text, tr(a.help));
        menu.Enable(id, actions_.enabled(a.id, state));
        ids.push_back(a.id);
    }
    int chosen = GetPopupMenuSelectionFromUser(menu);
    if (chosen >= wxID_HIGHEST + 500 && std::size_t(chosen - wxID_HIGHEST - 500) < ids.size())
        run_(ids[std::size_t(chosen - wxID_HIGHEST - 500)]);
}

void CasesView::fill_state(DeskState& state) const {
    if (presenter_) presenter_->fill(state);
}

void CasesView::update_actions(const DeskState& state) {
    for (auto& [id, b] : buttons_) b->Enable(actions_.enabled(id, state));
}

void CasesView::act(const std::string& id) {
    run_on_worker(id, [id](workflow::Workflow& wf, const std::string& case_id) { return CasesPresenter::run_act(wf, case_id, id); });
}

void CasesView::run_on_worker(const std::string& id, std::function<ActOutcome(workflow::Workflow&, const std::string&)> run) {
    if (!presenter_ || !presenter_->selected() || acting_) return;
    // The act renders and seals its notice on a worker, over a session of its own; the desk's
    // thread keeps drawing (and reading on its own connection) meanwhile.
    std::shared_ptr<workflow::Session> session;
    try {
        session = services_.worker_session();
    } catch (const std::exception& e) {
        wxLogError("%s: %s", u8(id), u8(e.what()));
        say(_("The act could not be saved. Nothing was changed; try again or ask the administrator."), true);
        return;
    }
    const std::string case_id = presenter_->selected()->summary.case_id;
    auto outcome = std::make_shared<ActOutcome>();
    acting_ = true;
    say(_("Working..."), false);
    tasks_.start(
        [session, case_id, run = std::move(run), outcome](Progress&) { *outcome = run(*session->workflow, case_id); },
        // `alive` (not a wxWeakRef: the callback is copied on the worker thread) tells whether the
        // view still exists when the outcome arrives on the desk's thread.
        [this, alive = alive_, id, outcome](const Progress::Snapshot& done) {
            if (!*alive) return;  // the view went (another user signed in): the act stands, nothing to show
            finish_act(id, *outcome, done);
        });
    changed_();
}

void CasesView::finish_act(const std::string& id, const ActOutcome& outcome, const Progress::Snapshot& done) {
    acting_ = false;
    if (!done.error.empty()) {  // a store error (disk full, damaged): nothing was committed
        wxLogError("%s: %s", u8(id), u8(done.error));
        say(_("The act could not be saved. Nothing was changed; try again or ask the administrator."), true);
    } else if (presenter_) {  // (none while locked: the act stands, the next sign-in reads it)
        presenter_->acted(outcome);
        show_outcome(id, outcome);
    }
    changed_();
}

void CasesView::show_outcome(const std::string& id, const ActOutcome& o) {
    switch (o.kind) {
        case ActOutcome::Kind::done:
            fill_queues();
            reload_list();
            show_case(presenter_->selected());
            if (id == "case.fee")  // the state does not change: say what was done
                say(wxString::Format(_("Fee recorded. %s made: open it with Ctrl+O."), o.notice ? u8(o.notice->title) : wxString()), false);
            else
                say(o.notice ? wxString::Format(_("Done: %s. %s made."), label(o.state), u8(o.notice->title))
                             : wxString::Format(_("Done: %s."), label(o.state)),
                    false);
            break;
        case ActOutcome::Kind::refused:
            wxLogMessage("%s refused: %s (%s)", u8(id), u8(o.code), u8(o.message));
            say(outcome_text(o.code), true);
            break;
        case ActOutcome::Kind::invalid:
            wxLogMessage("%s: %s", u8(id), u8(o.message));
            say(_("The case's data is not complete for this act."), true);
            break;
    }
}

void CasesView::close_follow_up() {
    if (!presenter_ || !presenter_->selected() || !presenter_->selected()->follow_up_open || acting_) return;
    const bool shown = follow_up_note_->IsShown();
    if (shown && !follow_up_note_->GetValue().Trim().Trim(false).empty()) {
        commit_follow_up();
        return;
    }
    show_follow_up_line(true);
    say(_("Type what was done for the applicant, then press Enter."), false);
    follow_up_note_->SetFocus();
}

void CasesView::show_follow_up_line(bool show) {
    if (!follow_up_line_ || show == follow_up_note_->IsShown()) return;
    if (!show) follow_up_note_->Clear();
    GetSizer()->Show(follow_up_line_, show, true);
    Layout();
}

void CasesView::edit_green() {
    if (!presenter_ || !presenter_->selected() || acting_) return;
    show_green_line(true);
    say(_("Tick or clear a box (Space): the case's green channel changes at once."), false);
    green_boxes_.front().second->SetFocus();
}

void CasesView::show_green_line(bool show) {
    if (!green_line_ || show == green_boxes_.front().second->IsShown()) return;
    GetSizer()->Show(green_line_, show, true);
    Layout();
}

void CasesView::toggle_green(core::GreenFlag flag, wxCheckBox* box) {
    if (!presenter_ || !presenter_->selected() || acting_) return;
    const bool on = box->GetValue();
    ActOutcome o;
    try {
        o = presenter_->set_green(flag, on);
    } catch (const std::exception& e) {  // a store error: nothing was committed
        wxLogError("case.green: %s", u8(e.what()));
        box->SetValue(!on);
        say(_("The act could not be saved. Nothing was changed; try again or ask the administrator."), true);
        return;
    }
    if (o.kind != ActOutcome::Kind::done) {
        wxLogMessage("case.green %s: %s (%s)", u8(std::string(core::to_code(flag))), u8(o.code), u8(o.message));
        box->SetValue(!on);
        say(o.kind == ActOutcome::Kind::refused ? outcome_text(o.code) : _("The case's data is not complete for this act."), true);
        return;
    }
    fill_queues();
    reload_list();
    show_case(presenter_->selected());
    box->SetFocus();
    say(wxString::Format(on ? _("Green channel: %s marked; the case goes first in its queues.") : _("Green channel: %s cleared."), label(flag)),
        false);
    changed_();
}

void CasesView::edit_assist() {
    if (!presenter_ || !presenter_->selected() || acting_) return;
    show_assist_line(true);
    fill_assist_line();
    say(_("Choose how and who helps, then Assign; at intake, type the agent and Record agent."), false);
    assist_mode_->SetFocus();
}

void CasesView::fill_assist_line() {
    const auto* d = presenter_ ? presenter_->selected() : nullptr;
    if (!d) return;
    helpers_ = presenter_->helpers();
    assist_helper_->Clear();
    // The case's helper if it has one, else the signed-in user.
    const std::string current = d->summary.assistance ? d->summary.assistance->helper : services_.who().user;
    int chosen = 0;
    for (std::size_t i = 0; i < helpers_.size(); ++i) {
        const auto& h = helpers_[i];
        assist_helper_->Append(h.display_name.empty() ? u8(h.user) : wxString::Format(_("%s (%s)"), u8(h.display_name), u8(h.user)));
        if (h.user == current) chosen = int(i);
    }
    if (!helpers_.empty()) assist_helper_->SetSelection(chosen);
    if (d->summary.assistance) {
        assist_mode_->SetSelection(int(d->summary.assistance->mode));
        assist_note_->ChangeValue(u8(d->summary.assistance->note));
    }
    agent_name_->ChangeValue(u8(d->summary.agent_name));
    agent_relation_->ChangeValue(u8(d->summary.agent_relation));
    agent_id_->Clear();  // the number is not shown again (masked elsewhere): typed anew to change it
    const bool at_intake = presenter_->allowed(core::CaseAction::set_agent);
    if (agent_name_->IsShown() != at_intake) {
        assist_line_->Show(agent_row_, at_intake, true);
        Layout();
    }
}

void CasesView::show_assist_line(bool show) {
    if (!assist_line_ || show == assist_mode_->IsShown()) return;
    if (!show) {
        assist_note_->Clear();
        agent_name_->Clear();
        agent_id_->Clear();
        agent_relation_->Clear();
    }
    GetSizer()->Show(assist_line_, show, true);
    Layout();
}

void CasesView::assist_act(const char* what, const std::function<ActOutcome()>& act, const wxString& done) {
    if (!presenter_ || !presenter_->selected() || acting_) return;
    ActOutcome o;
    try {
        o = act();
    } catch (const std::exception& e) {  // a store error: nothing was committed
        wxLogError("%s: %s", what, u8(e.what()));
        say(_("The act could not be saved. Nothing was changed; try again or ask the administrator."), true);
        return;
    }
    if (o.kind != ActOutcome::Kind::done) {
        wxLogMessage("%s: %s (%s)", what, u8(o.code), u8(o.message));
        say(o.kind == ActOutcome::Kind::refused || !o.code.empty() ? outcome_text(o.code) : outcome_text("workflow.invalid_input"), true);
        return;
    }
    fill_queues();
    reload_list();
    show_case(presenter_->selected());
    say(done, false);
    changed_();
}

void CasesView::edit_commitments() {
    if (!presenter_ || !presenter_->selected() || acting_) return;
    show_commit_line(true);
    fill_commit_line();
    presenter_->prefetch_credit();  // 信即办 takes the platform's answer when the clerk presses the button
    if (commit_text_->IsShown()) {
        say(_("Type the commitment, or leave it empty; then choose a button."), false);
        commit_text_->SetFocus();
    } else if (verify_target_->IsShown()) {
        say(_("Choose what and the result, write the finding, press Enter."), false);
        verify_target_->SetFocus();
    } else {
        show_commit_line(false);
        say(_("Nothing here takes a commitment or awaits a check."), false);
    }
}

void CasesView::fill_commit_line() {
    const auto* d = presenter_ ? presenter_->selected() : nullptr;
    if (!d) return;
    const bool may_commit = services_.who().role == core::Role::clerk && (d->commitment_scheme || d->credit_fast_track) &&
                            presenter_->allowed(core::CaseAction::record_commitment);
    commit_item_->Enable(d->commitment_scheme);
    commit_credit_->Enable(d->credit_fast_track && !d->summary.credit);
    const bool may_verify = !d->follow_ups.empty() && presenter_->allowed(core::CaseAction::verify_follow_up);
    follow_ups_ = d->follow_ups;
    verify_target_->Clear();
    for (const auto& f : follow_ups_) {
        const wxString due = f.due ? date_text(f.due, false) : wxString(_("no date"));
        if (f.commitment > 0) {
            const wxString kind = f.kind == core::CommitmentKind::credit ? _("Credit commitment")
                                  : f.kind == core::CommitmentKind::item ? _("Commitment on the conditions")
                                                                         : _("Commitment on a material");
            verify_target_->Append(wxString::Format(_("%d. %s, check by %s"), f.commitment, kind, due));
        } else {
            verify_target_->Append(wxString::Format(_("Deferred: %s, due %s"), u8(f.name), due));
        }
    }
    if (!follow_ups_.empty()) verify_target_->SetSelection(0);
    bool changed = false;
    if (commit_text_->IsShown() != may_commit) {
        commit_line_->Show(commit_row_, may_commit, true);
        changed = true;
    }
    if (verify_target_->IsShown() != may_verify) {
        commit_line_->Show(verify_row_, may_verify, true);
        changed = true;
    }
    if (changed) Layout();
}

void CasesView::show_commit_line(bool show) {
    if (!commit_line_ || show == commit_shown_) return;
    commit_shown_ = show;
    if (!show) {
        commit_text_->Clear();
        verify_finding_->Clear();
    }
    GetSizer()->Show(commit_line_, show, true);
    Layout();
}

void CasesView::commit_verify() {
    const int t = verify_target_->GetSelection();
    if (t < 0 || std::size_t(t) >= follow_ups_.size()) return say(_("Choose what was checked."), true);
    const auto& target = follow_ups_[std::size_t(t)];
    workflow::VerifyFollowUp cmd;
    cmd.commitment = target.commitment;
    cmd.material_code = target.material_code;
    const int r = std::clamp(verify_result_->GetSelection(), 0, 2);
    cmd.result = r == 0 ? core::FollowUpResult::fulfilled : core::FollowUpResult::breached;
    cmd.outcome = r == 1 ? core::BreachOutcome::revoked : r == 2 ? core::BreachOutcome::referred : core::BreachOutcome::none;
    cmd.finding = verify_finding_->GetValue().Trim().Trim(false).utf8_string();
    if (cmd.finding.empty()) return say(outcome_text("commit.finding_missing"), true);
    if (target.commitment == 0 && r == 0)
        return say(_("A delivered material is recorded on the Materials tab."), true);
    assist_act("case.verify", [this, cmd] { return presenter_->verify_follow_up(cmd); },
               r == 0 ? _("Check recorded: kept.")
               : r == 1 ? _("Check recorded: breached, approval revoked.")
                        : _("Check recorded: breached, referred."));
}

void CasesView::edit_originals() {
    if (!presenter_ || !presenter_->selected() || acting_) return;
    show_online_line(true);
    fill_online_line();
    if (originals_target_->IsShown()) {
        say(_("Compare the original with its upload; Enter records it."), false);
        originals_target_->SetFocus();
    } else if (post_material_->IsShown()) {
        say(_("Choose the material that came by post, type the waybill number, press Enter."), false);
        post_material_->SetFocus();
    } else {
        show_online_line(false);
        say(_("Nothing here waits for its original or for a material by post."), false);
    }
}

void CasesView::fill_online_line() {
    const auto* d = presenter_ ? presenter_->selected() : nullptr;
    if (!d) return;
    const auto& s = d->summary;
    originals_target_->Clear();
    originals_codes_.clear();
    int first_waiting = -1;
    for (const auto& u : s.uploads) {
        const wxString state = !u.matched ? (u.original_asked ? _("to compare") : _("not asked for")) : *u.matched ? _("matches") : _("does not match");
        if (first_waiting < 0 && !u.matched && u.original_asked) first_waiting = int(originals_codes_.size());
        originals_target_->Append(wxString::Format(_("%s (%s)"), u8(u.name), state));
        originals_codes_.push_back(u.material_code);
    }
    if (!originals_codes_.empty()) originals_target_->SetSelection(std::max(first_waiting, 0));
    post_material_->Clear();
    post_codes_.clear();
    for (const auto& [code, name] : s.awaited) {
        post_material_->Append(u8(name));
        post_codes_.push_back(code);
    }
    if (!post_codes_.empty()) post_material_->SetSelection(0);
    const bool may_compare = !originals_codes_.empty() && presenter_->allowed(core::CaseAction::verify_originals);
    const bool may_post = !post_codes_.empty() && services_.who().role == core::Role::clerk &&
                          (presenter_->allowed(core::CaseAction::mark_material) || presenter_->allowed(core::CaseAction::fulfil_material));
    bool changed = false;
    if (originals_target_->IsShown() != may_compare) {
        online_line_->Show(originals_row_, may_compare, true);
        changed = true;
    }
    if (post_material_->IsShown() != may_post) {
        online_line_->Show(post_row_, may_post, true);
        changed = true;
    }
    if (changed) Layout();
}

void CasesView::show_online_line(bool show) {
    if (!online_line_ || show == online_shown_) return;
    online_shown_ = show;
    if (!show) {
        originals_note_->Clear();
        post_tracking_->Clear();
        post_carrier_->Clear();
    }
    GetSizer()->Show(online_line_, show, true);
    Layout();
}

void CasesView::commit_originals() {
    const int t = originals_target_->GetSelection();
    if (t < 0 || std::size_t(t) >= originals_codes_.size()) return say(_("Choose the upload whose original was compared."), true);
    workflow::OriginalsCheck cmd;
    const bool match = originals_result_->GetSelection() != 1;
    const std::string note = originals_note_->GetValue().Trim().Trim(false).utf8_string();
    if (!match && note.empty()) return say(_("Write what differs between the original and the upload."), true);
    cmd.materials.push_back({originals_codes_[std::size_t(t)], match, note});
    assist_act("case.originals", [this, cmd] { return presenter_->verify_originals(cmd); },
               match ? _("Original compared: it matches the upload.") : _("Original compared: it does not match; recorded."));
    originals_note_->Clear();
    fill_online_line();
}

void CasesView::commit_post() {
    const int m = post_material_->GetSelection();
    if (m < 0 || std::size_t(m) >= post_codes_.size()) return say(_("Choose the material that came by post."), true);
    const std::string tracking = post_tracking_->GetValue().Trim().Trim(false).utf8_string();
    if (tracking.empty()) return say(_("Type the waybill number of the parcel."), true);
    const std::string carrier = post_carrier_->GetValue().Trim().Trim(false).utf8_string();
    const std::string code = post_codes_[std::size_t(m)];
    assist_act("case.post", [this, code, tracking, carrier] { return presenter_->receive_by_post(code, tracking, carrier); },
               _("Material received by post: logged with its waybill."));
    post_tracking_->Clear();
    post_carrier_->Clear();
    fill_online_line();
}

void CasesView::edit_fees() {
    if (!presenter_ || !presenter_->selected() || acting_) return;
    show_fee_line(true);
    fill_fee_line();
    if (fee_due_.empty()) {
        show_fee_line(false);
        say(_("Every fee of the case is paid or waived."), false);
        return;
    }
    say(services_.who().role == core::Role::chief ? _("Choose the fee and how it was paid, then Record payment; or type the reason and Waive.")
                                              : _("Choose the fee and how it was paid, then Record payment (Enter)."),
        false);
    fee_choice_->SetFocus();
}

void CasesView::fill_fee_line() {
    fee_due_.clear();
    const int was = fee_choice_->GetSelection();
    fee_choice_->Clear();
    if (const auto* d = presenter_ ? presenter_->selected() : nullptr)
        for (const auto& f : d->fees)
            if (!f.settled()) {
                fee_due_.push_back(f);
                fee_choice_->Append(wxString::Format(_("%s (%s yuan)"), u8(f.name), u8(core::format_yuan(f.amount_fen))));
            }
    if (!fee_due_.empty()) fee_choice_->SetSelection(was >= 0 && std::size_t(was) < fee_due_.size() ? was : 0);
    const bool chief = services_.who().role == core::Role::chief;
    if (fee_choice_->IsShown() && fee_reason_->IsShown() != chief) {
        fee_line_->Show(waive_row_, chief, true);
        Layout();
    }
}

void CasesView::show_fee_line(bool show) {
    if (!fee_line_ || show == fee_choice_->IsShown()) return;
    if (!show) {
        fee_payment_no_->Clear();
        fee_reason_->Clear();
    }
    GetSizer()->Show(fee_line_, show, true);
    if (show) fee_line_->Show(waive_row_, services_.who().role == core::Role::chief, true);
    Layout();
}

const core::CaseFee* CasesView::chosen_fee() {
    if (!presenter_ || !presenter_->selected() || acting_) return nullptr;
    const int i = fee_choice_->GetSelection();
    if (i >= 0 && std::size_t(i) < fee_due_.size()) return &fee_due_[std::size_t(i)];
    say(_("Choose the fee."), true);
    return nullptr;
}

void CasesView::commit_payment() {
    const core::CaseFee* fee = chosen_fee();
    if (!fee) return;
    workflow::Payment cmd;
    cmd.fee = fee->name;
    cmd.item_code = fee->item_code;
    cmd.method = kPaymentMethods[std::size_t(std::clamp(fee_method_->GetSelection(), 0, int(std::size(kPaymentMethods)) - 1))];
    cmd.payment_no = fee_payment_no_->GetValue().Trim().Trim(false).utf8_string();
    if (cmd.method != core::PaymentMethod::cash && cmd.method != core::PaymentMethod::other && cmd.payment_no.empty()) {
        say(_("Type the transaction number of the card, QR, transfer or online payment."), true);
        fee_payment_no_->SetFocus();
        return;
    }
    run_on_worker("case.fee", [cmd](workflow::Workflow& wf, const std::string& case_id) { return CasesPresenter::run_payment(wf, case_id, cmd); });
}

void CasesView::commit_waiver() {
    const core::CaseFee* fee = chosen_fee();
    if (!fee) return;
    workflow::FeeWaiver cmd;
    cmd.fee = fee->name;
    cmd.item_code = fee->item_code;
    cmd.reason = fee_reason_->GetValue().Trim().Trim(false).utf8_string();
    if (cmd.reason.empty()) {
        say(_("Type the reason for waiving the fee."), true);
        fee_reason_->SetFocus();
        return;
    }
    run_on_worker("case.fee", [cmd](workflow::Workflow& wf, const std::string& case_id) { return CasesPresenter::run_waiver(wf, case_id, cmd); });
}

void CasesView::export_archive() {
    if (!presenter_ || !presenter_->selected() || acting_) return;
    const auto& summary = presenter_->selected()->summary;
    if (!archivable(summary.state)) {
        say(_("Only a concluded case (refused, or its result handed out) goes to the archive."), true);
        return;
    }
    if (archive_path_->IsShown() && !archive_path_->GetValue().Trim().Trim(false).empty() && wxWindow::FindFocus() == archive_path_) {
        commit_archive();
        return;
    }
    // The documents folder's archive folder, the receipt number as the name.
    const wxFileName where(wxStandardPaths::Get().GetDocumentsDir() + wxFileName::GetPathSeparator() + _("OneWindow archive"),
                           wxString::FromUTF8(archive_file_name(summary)));
    archive_path_->ChangeValue(where.GetFullPath());
    show_archive_line(true);
    say(_("Check where the package goes, then press Enter."), false);
    archive_path_->SetFocus();
    archive_path_->SetInsertionPointEnd();
}

void CasesView::show_archive_line(bool show) {
    if (!archive_line_ || show == archive_path_->IsShown()) return;
    GetSizer()->Show(archive_line_, show, true);
    Layout();
}

void CasesView::commit_archive() {
    if (!presenter_ || !presenter_->selected() || acting_) return;
    const wxString typed = archive_path_->GetValue().Trim().Trim(false);
    if (typed.empty()) {
        say(_("Type where the archive package goes."), true);
        archive_path_->SetFocus();
        return;
    }
    std::shared_ptr<workflow::Session> session;
    try {
        session = services_.worker_session();
    } catch (const std::exception& e) {
        wxLogError("case.archive: %s", u8(e.what()));
        say(_("The archive package could not be written. Try again or ask the administrator."), true);
        return;
    }
    const std::string case_id = presenter_->selected()->summary.case_id;
    const std::filesystem::path path(typed.utf8_string());
    auto outcome = std::make_shared<ArchiveOutcome>();
    acting_ = true;
    say(_("Writing and checking the archive package..."), false);
    tasks_.start([session, case_id, path, outcome](Progress&) { *outcome = run_archive_export(*session, case_id, path); },
                 [this, alive = alive_, outcome](const Progress::Snapshot& done) {
                     if (!*alive) return;
                     acting_ = false;
                     if (!done.error.empty()) {
                         wxLogError("case.archive: %s", u8(done.error));
                         say(_("The archive package could not be written. Try again or ask the administrator."), true);
                     } else if (outcome->ok()) {
                         wxLogMessage("case.archive: %s (%d files, %llu bytes)", outcome->path.string(), outcome->files,
                                      static_cast<unsigned long long>(outcome->bytes));
                         show_archive_line(false);
                         if (presenter_) {
                             presenter_->refresh();  // the export is in the case's trail
                             show_case(presenter_->selected());
                         }
                         // The name only (the folder was on the path line just confirmed; the log has it whole).
                         say(wxString::Format(_("Archive package written and checked: %s (%d files)."),
                                              wxString::FromUTF8(outcome->path.filename().string()), outcome->files),
                             false);
                     } else {
                         wxLogMessage("case.archive: %s (%s)", u8(outcome->message), u8(outcome->code));
                         say(outcome_text(outcome->code), true);
                         archive_path_->SetFocus();
                     }
                     changed_();
                 });
    changed_();
}

void CasesView::commit_follow_up() {
    if (!presenter_ || !presenter_->selected() || acting_) return;
    const std::string note = follow_up_note_->GetValue().utf8_string();
    std::shared_ptr<workflow::Session> session;
    try {
        session = services_.worker_session();
    } catch (const std::exception& e) {
        wxLogError("case.close_follow_up: %s", u8(e.what()));
        say(_("The act could not be saved. Nothing was changed; try again or ask the administrator."), true);
        return;
    }
    const std::string case_id = presenter_->selected()->summary.case_id;
    auto outcome = std::make_shared<RatingOutcome>();
    acting_ = true;
    say(_("Working..."), false);
    tasks_.start([session, case_id, note, outcome](Progress&) { *outcome = RatingPresenter::run_close_follow_up(*session->workflow, case_id, note); },
                 [this, alive = alive_, outcome](const Progress::Snapshot& done) {
                     if (!*alive) return;
                     acting_ = false;
                     if (!done.error.empty()) {
                         wxLogError("case.close_follow_up: %s", u8(done.error));
                         say(_("The act could not be saved. Nothing was changed; try again or ask the administrator."), true);
                     } else if (presenter_ && outcome->ok()) {
                         show_follow_up_line(false);
                         presenter_->refresh();
                         fill_queues();
                         reload_list();
                         show_case(presenter_->selected());
                         say(_("Follow-up closed."), false);
                     } else if (presenter_) {
                         wxLogMessage("case.close_follow_up: %s (%s)", u8(outcome->message), u8(outcome->code));
                         say(outcome_text(outcome->code), true);
                     }
                     changed_();
                 });
    changed_();
}

void CasesView::open_notice() {
    if (!presenter_ || !presenter_->selected() || presenter_->selected()->documents.empty()) return;
    long sel = notices_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    open_document(sel >= 0 ? std::size_t(sel) : presenter_->selected()->documents.size() - 1);
}

void CasesView::open_document(std::size_t index) {
    if (!presenter_) return;
    try {
        auto path = presenter_->export_document(index);
        if (!wxLaunchDefaultApplication(wxString::FromUTF8(path.string()))) say(_("No PDF viewer is installed."), true);
    } catch (const std::exception& e) {
        wxLogError("open notice: %s", u8(e.what()));
        say(_("The notice could not be opened."), true);
    }
}

void CasesView::say(const wxString& text, bool error) {
    message_->SetForegroundColour(error ? wxColour(0xb0, 0x1c, 0x1c) : wxColour(0x1c, 0x6c, 0x2c));
    message_->SetLabel(text);
    Layout();
}

void CasesView::refresh() {
    if (!presenter_) return;
    try {
        presenter_->refresh();
    } catch (const std::exception& e) {
        wxLogError("refresh: %s", u8(e.what()));
    }
    fill_queues();
    reload_list();
    show_case(presenter_->selected());
    changed_();
}

void CasesView::refresh_counts() {
    // A refresh keeps the selection; a row the clerk is looking at is not moved under the cursor.
    refresh();
}

void CasesView::focus_search() {
    search_->SetFocus();
    search_->SelectAll();
}

void CasesView::locked() { presenter_.reset(); }

void CasesView::signed_in() {
    int queue = queues_->GetSelection();
    presenter_ = std::make_unique<CasesPresenter>(services_);
    fill_queues();
    if (queue >= 0) {
        queues_->SetSelection(queue);
        presenter_->select_queue(presenter_->counts()[std::size_t(queue)].queue);
    }
    if (!search_->IsEmpty()) presenter_->search(search_->GetValue().utf8_string());
    reload_list();
    show_case(selected_case_.empty() ? nullptr : presenter_->select(selected_case_));
    changed_();
}

void CasesView::fonts_changed() {
    Layout();
    list_->Refresh();
}

wxString CasesView::status() const {
    if (!presenter_) return wxString();
    auto n = presenter_->row_count();
    if (presenter_->searching())
        return wxString::Format(wxPLURAL("%lld case found", "%lld cases found", unsigned(n)), static_cast<long long>(n));
    wxString text = wxString::Format(wxPLURAL("%lld case in the queue", "%lld cases in the queue", unsigned(n)), static_cast<long long>(n));
    if (presenter_->selected_queue() == store::Queue::closing) {
        wxString names;
        for (const auto& name : presenter_->on_duty()) names += (names.empty() ? wxString() : wxString::FromUTF8("、")) + u8(name);
        // TRANSLATORS: the closing-time list's status: who is on duty today (the duty roster), e.g. "王芳、李强".
        if (!names.empty()) text += "  " + wxString::Format(_("On duty: %s"), names);
    }
    // 事进人不进: departments late to answer, whatever queue is shown (the alarm).
    if (const auto late = presenter_->late_calls(); late > 0)
        // TRANSLATORS: the alarm in the status bar: cases whose remote department did not answer in time (待部门响应超时)
        text += wxString::FromUTF8(" · ") +
                wxString::Format(wxPLURAL("%lld department late", "%lld departments late", unsigned(late)),
                                 static_cast<long long>(late));
    return text;
}

}  // namespace ow::app
