#include "enquiries/enquiries_view.h"

#include "common/labels.h"
#include "common/remeasure.h"

#include "ow/workflow/workflow.h"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/listctrl.h>
#include <wx/log.h>
#include <wx/sizer.h>
#include <wx/statbox.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <array>

namespace ow::app {
namespace {

constexpr std::array kKinds{"enquiry", "complaint", "suggestion"};
constexpr std::array kChannels{"window", "phone", "online", "hotline", "letter"};

wxString kind_text(const std::string& k) {
    if (k == "enquiry") return _("Enquiry");
    if (k == "complaint") return _("Complaint");
    if (k == "suggestion") return _("Suggestion");
    return u8(k);
}

wxString channel_text(const std::string& c) {
    if (c == "window") return _("At the window");
    if (c == "phone") return _("By phone");
    if (c == "online") return _("Online (web)");
    if (c == "hotline") return _("12345 hotline");
    if (c == "letter") return _("By letter");
    return u8(c);
}

wxString state_text(const EnquiryRow& r) {
    if (r.state == "answered") return _("Answered");
    if (r.state == "case") return wxString::Format(_("Became case %s"), u8(r.receipt_no));
    return r.overdue ? _("Reply overdue") : _("To answer");
}

wxString text_of(const wxTextCtrl* t) { return t->GetValue().Strip(wxString::both); }

}  // namespace

EnquiriesView::EnquiriesView(wxWindow* parent, DeskServices& services, std::function<void(const std::string&)> intake,
                             std::function<void()> changed)
    : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "enquiries"),
      services_(services), intake_(std::move(intake)), changed_(std::move(changed)),
      presenter_(std::make_unique<EnquiriesPresenter>(services)) {
    auto* root = new wxBoxSizer(wxVERTICAL);
    auto* head = new wxBoxSizer(wxHORIZONTAL);
    title_ = new wxStaticText(this, wxID_ANY, _("Enquiries, complaints and suggestions"), wxDefaultPosition, wxDefaultSize, 0,
                              "enquiries.title");
    wxFont bold = title_->GetFont();
    bold.SetWeight(wxFONTWEIGHT_BOLD);
    title_->SetFont(bold);
    head->Add(title_, 1, wxALIGN_CENTER_VERTICAL);
    all_ = new wxCheckBox(this, wxID_ANY, _("Show answered ones too"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "enquiries.all");
    mine_ = new wxCheckBox(this, wxID_ANY, _("Only those I hold"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "enquiries.mine");
    head->Add(all_, 0, wxALIGN_CENTER_VERTICAL | wxLEFT, 12);
    head->Add(mine_, 0, wxALIGN_CENTER_VERTICAL | wxLEFT, 12);
    root->Add(head, 0, wxEXPAND | wxALL, 6);

    list_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxSize(-1, FromDIP(170)), wxLC_REPORT | wxLC_SINGLE_SEL, wxDefaultValidator,
                           "enquiries.list");
    list_->AppendColumn(_("Reply due"), wxLIST_FORMAT_LEFT, FromDIP(100));
    list_->AppendColumn(_("Category"), wxLIST_FORMAT_LEFT, FromDIP(60));
    list_->AppendColumn(_("Channel"), wxLIST_FORMAT_LEFT, FromDIP(100));
    list_->AppendColumn(_("Asked by"), wxLIST_FORMAT_LEFT, FromDIP(150));
    list_->AppendColumn(_("What was asked"), wxLIST_FORMAT_LEFT, FromDIP(420));
    list_->AppendColumn(_("First asked"), wxLIST_FORMAT_LEFT, FromDIP(90));
    list_->AppendColumn(_("Held by"), wxLIST_FORMAT_LEFT, FromDIP(130));
    list_->AppendColumn(_("State"), wxLIST_FORMAT_LEFT, FromDIP(200));
    fit_headers(list_);
    root->Add(list_, 1, wxEXPAND | wxLEFT | wxRIGHT, 6);

    auto* lower = new wxBoxSizer(wxHORIZONTAL);
    // Left: record a new one.
    auto* add_box = new wxStaticBoxSizer(wxVERTICAL, this, _("Record what was asked"));
    wxWindow* a = add_box->GetStaticBox();
    auto* grid = new wxFlexGridSizer(2, FromDIP(4), FromDIP(6));
    grid->AddGrowableCol(1);
    auto row = [&](const wxString& label, wxWindow* w) {
        grid->Add(new wxStaticText(a, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL);
        grid->Add(w, 1, wxEXPAND);
    };
    kind_ = new wxChoice(a, wxID_ANY, wxDefaultPosition, wxDefaultSize, 0, nullptr, 0, wxDefaultValidator, "enquiries.kind");
    for (const char* k : kKinds) kind_->Append(kind_text(k));
    kind_->SetSelection(0);
    channel_ = new wxChoice(a, wxID_ANY, wxDefaultPosition, wxDefaultSize, 0, nullptr, 0, wxDefaultValidator, "enquiries.channel");
    for (const char* c : kChannels) channel_->Append(channel_text(c));
    channel_->SetSelection(0);
    auto* kinds = new wxBoxSizer(wxHORIZONTAL);
    kinds->Add(kind_, 1, wxRIGHT, 6);
    kinds->Add(channel_, 1);
    grid->Add(new wxStaticText(a, wxID_ANY, _("Kind, channel")), 0, wxALIGN_CENTER_VERTICAL);
    grid->Add(kinds, 1, wxEXPAND);
    name_ = new wxTextCtrl(a, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "enquiries.name");
    phone_ = new wxTextCtrl(a, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "enquiries.phone");
    auto* who = new wxBoxSizer(wxHORIZONTAL);
    who->Add(name_, 1, wxRIGHT, 6);
    who->Add(phone_, 1);
    grid->Add(new wxStaticText(a, wxID_ANY, _("Name, phone")), 0, wxALIGN_CENTER_VERTICAL);
    grid->Add(who, 1, wxEXPAND);
    item_ = new wxChoice(a, wxID_ANY, wxDefaultPosition, wxSize(FromDIP(200), -1), 0, nullptr, 0, wxDefaultValidator, "enquiries.item");
    row(_("Item"), item_);
    subject_ = new wxTextCtrl(a, wxID_ANY, wxString(), wxDefaultPosition, wxSize(-1, FromDIP(48)), wxTE_MULTILINE, wxDefaultValidator,
                              "enquiries.subject");
    row(_("What was asked"), subject_);
    answer_ = new wxTextCtrl(a, wxID_ANY, wxString(), wxDefaultPosition, wxSize(-1, FromDIP(40)), wxTE_MULTILINE, wxDefaultValidator,
                             "enquiries.answer");
    row(_("Answered at once"), answer_);
    add_box->Add(grid, 1, wxEXPAND | wxALL, 4);
    record_ = new wxButton(a, wxID_ANY, _("&Record (Ctrl+Enter)"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "enquiries.record");
    add_box->Add(record_, 0, wxALIGN_RIGHT | wxALL, 4);
    lower->Add(add_box, 1, wxEXPAND | wxRIGHT, 6);

    // Right: the selected one.
    auto* sel_box = new wxStaticBoxSizer(wxVERTICAL, this, _("The selected one"));
    wxWindow* b = sel_box->GetStaticBox();
    detail_ = new wxTextCtrl(b, wxID_ANY, wxString(), wxDefaultPosition, wxSize(-1, FromDIP(70)), wxTE_MULTILINE | wxTE_READONLY,
                             wxDefaultValidator, "enquiries.detail");
    sel_box->Add(detail_, 1, wxEXPAND | wxALL, 4);
    auto* reply_row = new wxBoxSizer(wxHORIZONTAL);
    reply_text_ = new wxTextCtrl(b, wxID_ANY, wxString(), wxDefaultPosition, wxSize(-1, FromDIP(40)), wxTE_MULTILINE, wxDefaultValidator,
                                 "enquiries.reply_text");
    reply_ = new wxButton(b, wxID_ANY, _("Re&ply"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "enquiries.reply");
    reply_row->Add(reply_text_, 1, wxEXPAND | wxRIGHT, 6);
    reply_row->Add(reply_, 0, wxALIGN_CENTER_VERTICAL);
    sel_box->Add(reply_row, 0, wxEXPAND | wxALL, 4);
    auto* hand_row = new wxBoxSizer(wxHORIZONTAL);
    colleague_ = new wxChoice(b, wxID_ANY, wxDefaultPosition, wxSize(FromDIP(230), -1), 0, nullptr, 0, wxDefaultValidator, "enquiries.colleague");
    note_ = new wxTextCtrl(b, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "enquiries.note");
    note_->SetHint(_("why (optional)"));
    hand_over_ = new wxButton(b, wxID_ANY, _("&Hand over"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "enquiries.hand_over");
    hand_row->Add(colleague_, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    hand_row->Add(note_, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    hand_row->Add(hand_over_, 0, wxALIGN_CENTER_VERTICAL);
    sel_box->Add(hand_row, 0, wxEXPAND | wxALL, 4);
    to_case_ = new wxButton(b, wxID_ANY, _("It is an application: start the &intake"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator,
                            "enquiries.to_case");
    sel_box->Add(to_case_, 0, wxALIGN_RIGHT | wxALL, 4);
    lower->Add(sel_box, 1, wxEXPAND);
    root->Add(lower, 0, wxEXPAND | wxALL, 6);

    message_ = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "enquiries.message");
    root->Add(message_, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    SetSizer(root);

    record_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { record(); });
    reply_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { reply(); });
    hand_over_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { hand_over(); });
    to_case_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { to_case(); });
    for (auto* c : {all_, mine_})
        c->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) {
            presenter_->set_filter(all_->GetValue(), mine_->GetValue());
            fill();
        });
    list_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent&) { show_selected(); });
    // Enter on a row: to its reply.
    list_->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent&) {
        if (reply_->IsEnabled()) reply_text_->SetFocus();
    });
    // Ctrl+Enter in the form records; in the reply box replies (Enter alone is a new line).
    auto ctrl_enter = [](wxTextCtrl* t, std::function<void()> act) {
        t->Bind(wxEVT_KEY_DOWN, [act = std::move(act)](wxKeyEvent& e) {
            if ((e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER) && e.ControlDown()) act();
            else e.Skip();
        });
    };
    for (auto* t : {name_, phone_, subject_, answer_}) ctrl_enter(t, [this] { record(); });
    ctrl_enter(reply_text_, [this] { reply(); });
}

EnquiriesView::~EnquiriesView() = default;

void EnquiriesView::show() {
    fill_choices();
    fill();
    subject_->SetFocus();
}

void EnquiriesView::fill_choices() {
    item_->Clear();
    item_codes_.clear();
    item_->Append(_("(none)"));
    item_codes_.push_back({});
    for (const auto& [code, name] : presenter_->items()) {
        item_->Append(u8(name));
        item_codes_.push_back(code);
    }
    item_->SetSelection(0);
    colleague_->Clear();
    colleagues_.clear();
    try {
        for (const auto& c : presenter_->colleagues()) {
            colleague_->Append(u8(c.label));
            colleagues_.push_back(c.user);
        }
    } catch (const std::exception& e) {
        wxLogError("enquiries: %s", e.what());
    }
    if (!colleagues_.empty()) colleague_->SetSelection(0);
}

void EnquiriesView::fill() {
    const EnquiryRow* keep_row = selected_row();
    const std::string keep = keep_row ? keep_row->id : std::string();
    try {
        presenter_->refresh();
    } catch (const std::exception& e) {
        wxLogError("enquiries: %s", e.what());
        say(_("The enquiries could not be read. Try again or ask the administrator."), true);
    }
    list_->Freeze();
    list_->DeleteAllItems();
    long select = -1;
    const auto& rows = presenter_->rows();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        const long at = list_->InsertItem(long(i), u8(r.due));
        list_->SetItem(at, 1, kind_text(r.kind));
        list_->SetItem(at, 2, channel_text(r.channel));
        list_->SetItem(at, 3, u8(r.asker));
        wxString subject = u8(r.subject);
        subject.Replace("\n", " ");
        list_->SetItem(at, 4, r.item_name.empty() ? subject : wxString::Format(_("[%s] %s"), u8(r.item_name), subject));
        list_->SetItem(at, 5, u8(r.owner));
        list_->SetItem(at, 6, u8(r.holder));
        list_->SetItem(at, 7, state_text(r));
        if (r.overdue) list_->SetItemTextColour(at, wxColour(0xb0, 0x1c, 0x1c));
        else if (r.state != "open") list_->SetItemTextColour(at, wxColour(0x70, 0x70, 0x70));
        if (r.id == keep || (keep.empty() && select < 0)) select = at;
    }
    if (select >= 0) {
        list_->SetItemState(select, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
        list_->EnsureVisible(select);
    }
    list_->Thaw();
    title_->SetLabel(wxString::Format(_("Enquiries, complaints and suggestions: %lld to answer, %lld overdue"),
                                      static_cast<long long>(presenter_->open_count()), static_cast<long long>(presenter_->overdue_count())));
    show_selected();
    Layout();
}

const EnquiryRow* EnquiriesView::selected_row() const {
    const long i = list_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    if (i < 0 || std::size_t(i) >= presenter_->rows().size()) return nullptr;
    return &presenter_->rows()[std::size_t(i)];
}

void EnquiriesView::show_selected() {
    const auto* r = selected_row();
    wxString d;
    if (r) {
        d << kind_text(r->kind) << " · " << channel_text(r->channel) << " · " << u8(r->asker) << "\n" << u8(r->subject) << "\n";
        d << wxString::Format(_("First asked: %s; held by %s; reply due %s"), u8(r->owner), u8(r->holder), u8(r->due)) << "\n";
        for (const auto& h : r->handovers)
            d << wxString::Format(_("Handed over by %s to %s at %s"), u8(h.from), u8(h.to), u8(h.at.substr(0, 16)))
              << (h.note.empty() ? wxString() : wxString(": ") + u8(h.note)) << "\n";
        if (!r->reply.empty()) d << _("Reply:") << " " << u8(r->reply) << "\n";
    }
    detail_->ChangeValue(d);
    const bool workable = r && r->workable;
    reply_->Enable(workable);
    reply_text_->Enable(workable);
    hand_over_->Enable(workable && !colleagues_.empty());
    to_case_->Enable(r && r->state != "case" && services_.who().role == core::Role::clerk);
}

void EnquiriesView::refused(const EnquiryOutcome& o, const char* what) {
    wxLogMessage("enquiry %s: %s (%s)", what, u8(o.message), u8(o.code));
    if (o.code == "enquiry.invalid") say(_("Some of what was entered is not valid: what was asked is needed, and a phone number must be one."), true);
    else if (o.code == "enquiry.no_item") say(_("Choose the item first: record the enquiry again with its item, or start the intake with F2."), true);
    else if (o.code == "workflow.enquiry_closed") say(_("It was answered or became a case meanwhile: the list was read again."), true);
    else if (o.code == "enquiry.failed") say(_("It could not be saved. Nothing was changed; try again or ask the administrator."), true);
    else say(outcome_text(o.code), true);
    if (o.code == "workflow.enquiry_closed") fill();
}

void EnquiriesView::record() {
    workflow::NewEnquiry e;
    e.kind = kKinds[std::size_t(std::max(0, kind_->GetSelection()))];
    e.channel = kChannels[std::size_t(std::max(0, channel_->GetSelection()))];
    e.asker_name = text_of(name_).utf8_string();
    e.asker_phone = text_of(phone_).utf8_string();
    const int item = item_->GetSelection();
    if (item > 0 && std::size_t(item) < item_codes_.size()) e.item_code = item_codes_[std::size_t(item)];
    e.subject = text_of(subject_).utf8_string();
    e.reply = text_of(answer_).utf8_string();
    if (e.subject.empty()) {
        say(_("Type what was asked first."), true);
        subject_->SetFocus();
        return;
    }
    const auto o = presenter_->record(e);
    if (!o.ok()) return refused(o, "record");
    for (auto* t : {name_, phone_, subject_, answer_}) t->Clear();
    item_->SetSelection(0);
    fill();
    say(e.reply.empty() ? _("Recorded: it is yours to answer by the end of the next working day.") : _("Recorded as answered at once."), false);
    subject_->SetFocus();
    changed_();
}

void EnquiriesView::reply() {
    const auto* r = selected_row();
    if (!r || !r->workable) return;
    const std::string id = r->id;
    const auto text = text_of(reply_text_);
    if (text.empty()) {
        say(_("Type the reply first."), true);
        reply_text_->SetFocus();
        return;
    }
    const auto o = presenter_->reply(id, text.utf8_string());
    if (!o.ok()) return refused(o, "reply");
    reply_text_->Clear();
    fill();
    say(_("Replied."), false);
    list_->SetFocus();
    changed_();
}

void EnquiriesView::hand_over() {
    const auto* r = selected_row();
    const int c = colleague_->GetSelection();
    if (!r || !r->workable || c < 0 || std::size_t(c) >= colleagues_.size()) return;
    const auto o = presenter_->hand_over(r->id, colleagues_[std::size_t(c)], text_of(note_).utf8_string());
    if (!o.ok()) return refused(o, "hand over");
    note_->Clear();
    fill();
    say(wxString::Format(_("Handed over to %s. You stay the first asked."), colleague_->GetString(c)), false);
    list_->SetFocus();
    changed_();
}

void EnquiriesView::to_case() {
    const auto* r = selected_row();
    if (!r) return;
    const auto o = presenter_->to_case(r->id);
    if (!o.ok()) return refused(o, "to case");
    fill();
    changed_();
    if (intake_) intake_(o.case_id);
}

void EnquiriesView::locked() {
    presenter_ = std::make_unique<EnquiriesPresenter>(services_);  // nothing of the store kept
    list_->DeleteAllItems();
    detail_->Clear();
}

void EnquiriesView::signed_in() {
    presenter_ = std::make_unique<EnquiriesPresenter>(services_);
    all_->SetValue(false);
    mine_->SetValue(false);
    fill_choices();
    fill();
}

void EnquiriesView::fonts_changed() {
    remeasure_labels(this, [this](wxStaticText* t) { return t == title_ || t == message_; });
    fit_headers(list_);
    // GTK keeps an entry's old height: one line of the new font and its frame.
    for (auto* t : {name_, phone_, note_}) t->SetMinSize(wxSize(t->GetMinSize().x, t->GetCharHeight() + FromDIP(14)));
    Layout();
}

void EnquiriesView::say(const wxString& text, bool error) {
    message_->SetForegroundColour(error ? wxColour(0xb0, 0x1c, 0x1c) : wxColour(0x1c, 0x6c, 0x2c));
    message_->SetLabel(text);
    Layout();
}

}  // namespace ow::app
