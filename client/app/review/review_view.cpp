#include "review/review_view.h"

#include "cases/cases_presenter.h"
#include "common/case_queue_list.h"
#include "common/labels.h"
#include "common/page_viewer.h"
#include "common/quiet_list_box.h"
#include "common/remeasure.h"

#include "ow/core/date.h"

#include <wx/button.h>
#include <wx/checklst.h>
#include <wx/choice.h>
#include <wx/listctrl.h>
#include <wx/log.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <algorithm>

namespace ow::app {
namespace {

using workflow::Verdict;

constexpr Verdict kVerdicts[] = {Verdict::approve, Verdict::deny, Verdict::return_for_correction, Verdict::escalate};

wxString verdict_label(Verdict v) {
    switch (v) {
    case Verdict::approve: return _("Approve");
    case Verdict::deny: return _("Deny");
    case Verdict::return_for_correction: return _("Return for correction");
    case Verdict::escalate: return _("Escalate");
    }
    return {};
}

wxString check_text(const ReviewCheck& c) {
    // ✓ holds, ! needs a look; no e-licence used is neither (the applicant brought the papers).
    const wxString mark = c.ok ? wxString::FromUTF8("✓ ") : c.code == "e_licences" ? wxString::FromUTF8("· ") : wxString::FromUTF8("! ");
    if (c.code == "id_number") return mark + (c.ok ? wxString::Format(_("ID number checks (born %s)"), u8(c.detail)) : _("ID number does not check"));
    if (c.code == "uscc") return mark + (c.ok ? _("Credit code checks") : _("Credit code does not check"));
    if (c.code == "e_licences")
        return mark + (c.ok ? wxString::Format(_("E-licences used: %s"), u8(c.detail)) : _("No e-licence used"));
    if (c.code == "materials")
        return mark + (c.ok ? _("Required materials complete") : wxString::Format(_("Required materials missing: %s"), u8(c.detail)));
    if (c.code == "deadline")
        return mark + (c.ok ? wxString::Format(_("%s working days left"), u8(c.detail))
                            : wxString::Format(_("Overdue by %s working days"), u8(c.detail.substr(c.detail[0] == '-' ? 1 : 0))));
    return mark + u8(c.code);
}

}  // namespace

ReviewView::ReviewView(wxWindow* parent, DeskServices& services, TaskRunner& tasks, std::function<void()> changed)
    : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "review"),
      services_(services), tasks_(tasks), changed_(std::move(changed)),
      presenter_(std::make_unique<ReviewPresenter>(services)) {
    auto* root = new wxBoxSizer(wxHORIZONTAL);

    // The queue.
    auto* left = new wxBoxSizer(wxVERTICAL);
    queue_ = std::make_unique<CaseQueueList>(
        this, left, services, store::Queue::awaiting_decision, "review", _("Awaiting decision"),
        [](const CaseRow& r) {
            const wxString days = r.days_left ? (r.overdue ? wxString::Format(_("overdue %d"), -*r.days_left) : wxString::Format(_("%d days"), *r.days_left))
                                              : wxString();
            return wxString::Format("%s  %s  %s", (r.green ? green_mark() : wxString()) + u8(r.applicant_name), days, u8(r.item_name));
        },
        [this](const std::string& id) { open_case(id); });
    root->Add(left, 0, wxEXPAND);

    auto* right = new wxBoxSizer(wxVERTICAL);
    title_ = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxST_ELLIPSIZE_END, "review.title");
    wxFont bold = title_->GetFont();
    bold.SetWeight(wxFONTWEIGHT_BOLD);
    title_->SetFont(bold);
    right->Add(title_, 0, wxEXPAND | wxALL, 4);

    auto* upper = new wxBoxSizer(wxHORIZONTAL);
    viewer_ = new PageViewer(this);
    viewer_->SetName("review.viewer");
    upper->Add(viewer_, 3, wxEXPAND | wxALL, 2);
    auto* side = new wxBoxSizer(wxVERTICAL);
    checks_ = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "review.checks");
    side->Add(checks_, 0, wxEXPAND | wxALL, 4);
    parts_label_ = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "review.parts");
    side->Add(parts_label_, 0, wxEXPAND | wxALL, 4);
    data_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL, wxDefaultValidator, "review.data");
    data_->AppendColumn(_("Field"), wxLIST_FORMAT_LEFT, FromDIP(150));
    data_->AppendColumn(_("Content"), wxLIST_FORMAT_LEFT, FromDIP(260));
    side->Add(data_, 1, wxEXPAND | wxALL, 2);
    upper->Add(side, 2, wxEXPAND);
    right->Add(upper, 1, wxEXPAND);

    // The decision bar.
    auto* bar = new wxPanel(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "review.bar");
    bar_ = bar;
    auto* h = new wxBoxSizer(wxHORIZONTAL);
    auto* c1 = new wxBoxSizer(wxVERTICAL);
    c1->Add(new wxStaticText(bar, wxID_ANY, _("Decision (Up / Down):")), 0, wxALL, 2);
    verdict_ = new QuietListBox(bar, wxSize(FromDIP(150), -1), "review.verdict");
    // 上报 is last: left out for a clerk deciding on the spot (马上办), the others keep their rows.
    for (auto v : kVerdicts)
        if (v != Verdict::escalate || presenter_->may_escalate()) verdict_->Append(verdict_label(v));
    verdict_->SetSelection(0);
    verdict_->SetMinSize(wxSize(FromDIP(150), verdict_->GetCharHeight() * 7));
    c1->Add(verdict_, 0, wxALL, 2);
    part_ = new wxChoice(bar, wxID_ANY, wxDefaultPosition, wxSize(FromDIP(150), -1), 0, nullptr, 0, wxDefaultValidator, "review.part");
    c1->Add(part_, 0, wxALL, 2);
    h->Add(c1, 0, wxEXPAND);

    auto* c2 = new wxBoxSizer(wxVERTICAL);
    c2->Add(new wxStaticText(bar, wxID_ANY, _("Opinion:")), 0, wxALL, 2);
    opinion_ = new wxTextCtrl(bar, wxID_ANY, wxString(), wxDefaultPosition, wxSize(-1, FromDIP(54)), wxTE_MULTILINE | wxTE_WORDWRAP,
                              wxDefaultValidator, "review.opinion");
    c2->Add(opinion_, 0, wxEXPAND | wxALL, 2);
    c2->Add(new wxStaticText(bar, wxID_ANY, _("Common phrases (Enter adds one):")), 0, wxALL, 2);
    phrases_ = new QuietListBox(bar, wxSize(-1, FromDIP(60)), "review.phrases");
    c2->Add(phrases_, 1, wxEXPAND | wxALL, 2);
    h->Add(c2, 1, wxEXPAND);

    auto* c3 = new wxFlexGridSizer(2, wxSize(6, 3));
    c3->AddGrowableCol(1, 1);
    auto label = [&](const wxString& text) { c3->Add(new wxStaticText(bar, wxID_ANY, text), 0, wxALIGN_CENTER_VERTICAL); };
    label(_("Legal basis"));
    basis_ = new wxTextCtrl(bar, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "review.basis");
    c3->Add(basis_, 1, wxEXPAND);
    label(_("Bring again"));
    correct_ = new wxCheckListBox(bar, wxID_ANY, wxDefaultPosition, wxSize(-1, FromDIP(54)), 0, nullptr, 0, wxDefaultValidator, "review.correct");
    c3->Add(correct_, 1, wxEXPAND);
    label(_("What is wrong"));
    correct_note_ = new wxTextCtrl(bar, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "review.correct_note");
    c3->Add(correct_note_, 1, wxEXPAND);
    label(_("Escalate to"));
    escalate_to_ = new wxTextCtrl(bar, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "review.escalate_to");
    c3->Add(escalate_to_, 1, wxEXPAND);
    label(_("Acting for post A"));
    acting_for_ = new wxChoice(bar, wxID_ANY, wxDefaultPosition, wxDefaultSize, 0, nullptr, 0, wxDefaultValidator, "review.acting_for");
    c3->Add(acting_for_, 1, wxEXPAND);
    label(_("Seal PIN"));
    auto* pin_row = new wxBoxSizer(wxHORIZONTAL);
    pin_ = new wxTextCtrl(bar, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(110), -1), wxTE_PASSWORD | wxTE_PROCESS_ENTER,
                          wxDefaultValidator, "review.pin");
    pin_row->Add(pin_, 0, wxALIGN_CENTER_VERTICAL);
    seal_ = new wxStaticText(bar, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxST_ELLIPSIZE_END, "review.seal");
    pin_row->Add(seal_, 1, wxALIGN_CENTER_VERTICAL | wxLEFT, 6);
    c3->Add(pin_row, 1, wxEXPAND);
    c3->AddSpacer(0);
    commit_ = new wxButton(bar, wxID_ANY, _("Seal and decide (Ctrl+Enter)"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator,
                           "review.commit");
    c3->Add(commit_, 0);
    h->Add(c3, 1, wxEXPAND | wxLEFT, 6);
    bar->SetSizer(h);
    right->Add(bar, 0, wxEXPAND | wxALL, 2);
    message_ = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxST_ELLIPSIZE_END, "review.message");
    right->Add(message_, 0, wxEXPAND | wxALL, 4);
    root->Add(right, 1, wxEXPAND);
    SetSizer(root);

    queue_->list()->Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& e) {
        if ((e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER) && !e.HasAnyModifiers()) verdict_->SetFocus();
        else e.Skip();
    });
    verdict_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent&) { refresh_bar(); });
    // Enter on a GTK list is its "activate" (a double click to wx): both move on.
    queue_->list()->Bind(wxEVT_LISTBOX_DCLICK, [this](wxCommandEvent&) { verdict_->SetFocus(); });
    verdict_->Bind(wxEVT_LISTBOX_DCLICK, [this](wxCommandEvent&) { opinion_->SetFocus(); });
    verdict_->Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& e) {
        if ((e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER) && !e.HasAnyModifiers()) opinion_->SetFocus();
        else e.Skip();
    });
    phrases_->Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& e) {
        if ((e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER) && !e.HasAnyModifiers()) add_phrase();
        else e.Skip();
    });
    phrases_->Bind(wxEVT_LISTBOX_DCLICK, [this](wxCommandEvent&) { add_phrase(); });
    acting_for_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { refresh_bar(); });
    pin_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { decide(); });
    commit_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { decide(); });
    // Ctrl+Enter decides from anywhere on the screen (the opinion is multi-line: Enter is a new line there).
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        if ((e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER) && e.ControlDown() && !e.AltDown()) decide();
        else e.Skip();
    });
    fill_case();
}

ReviewView::~ReviewView() { *alive_ = false; }

void ReviewView::say(const wxString& text, bool error) {
    message_->SetForegroundColour(error ? wxColour(0xb0, 0x00, 0x20) : GetForegroundColour());
    message_->SetLabel(text);
    message_->SetToolTip(text);
    Layout();
}

void ReviewView::show(const std::string& case_id) {
    refresh_queue();
    std::string id = case_id;
    if (id.empty() && presenter_->current()) id = presenter_->current()->case_id;
    if (id.empty() && !queue_->ids().empty()) id = queue_->ids().front();
    if (!id.empty()) open_case(id);
    else fill_case();
    // A GTK list that gets the focus without a selection selects its first row (and says so): the
    // queue gets the focus only when the open case is one of its rows, or none is open.
    const auto* c = presenter_->current();
    const bool listed = c && queue_->contains(c->case_id);
    if (c && presenter_->decidable()) verdict_->SetFocus();
    else if (!c || listed) queue_->list()->SetFocus();
    else viewer_->focus_page();
}

bool ReviewView::open_row(int row) {
    const auto id = queue_->id_at(row);
    if (id.empty()) return false;
    open_case(id);
    return presenter_->current() != nullptr;
}

void ReviewView::refresh_queue() {
    const auto* c = presenter_->current();
    queue_->refresh(c ? c->case_id : std::string());
}

void ReviewView::open_case(const std::string& case_id) {
    try {
        if (!presenter_->open(case_id)) say(_("This case is not there any more: the queue was read again."), true), refresh_queue();
    } catch (const std::exception& e) {
        wxLogError("review: %s", e.what());
        say(_("The case could not be read. Try again or ask the administrator."), true);
    }
    pin_->ChangeValue(wxString());
    opinion_->ChangeValue(wxString());
    queue_->select(case_id);  // the queue's row of the case
    fill_case();
}

void ReviewView::fill_case() {
    const ReviewCase* c = presenter_->current();
    data_->DeleteAllItems();
    if (!c) {
        title_->SetLabel(_("No case open: choose one in the queue (Up / Down)."));
        viewer_->set_documents({});
        checks_->SetLabel(wxString());
        parts_label_->SetLabel(wxString());
        bar_->Enable(false);
        Layout();
        return;
    }
    title_->SetLabel(wxString::Format("%s · %s · %s · %s", u8(c->receipt_no), u8(c->item_name), u8(c->applicant_name), label(c->state)));
    std::vector<ViewerDocument> docs;
    for (const auto& d : c->documents) docs.push_back({d.title, d.kind, d.bytes, d.mime});
    viewer_->set_documents(std::move(docs));

    wxString checks;
    for (const auto& k : c->checks) checks += (checks.empty() ? "" : "\n") + check_text(k);
    checks_->SetLabel(checks);

    wxString parts;
    if (!c->parts.empty()) {
        std::size_t signed_n = 0;
        for (const auto& p : c->parts) signed_n += p.signed_off ? 1 : 0;
        parts = wxString::Format(_("Countersigning: %zu of %zu parts signed"), signed_n, c->parts.size());
        for (const auto& p : c->parts) {
            parts += "\n";
            if (p.signed_off)
                parts += wxString::FromUTF8("✓ ") +
                         wxString::Format(_("%s: %s by %s"), u8(p.item_name), p.approved ? _("approved") : _("denied"),
                                          p.acting_for.empty() ? u8(p.by) : wxString::Format(_("%s for %s"), u8(p.by), u8(p.acting_for)));
            else
                parts += wxString::FromUTF8("… ") + wxString::Format(_("%s: awaiting %s"), u8(p.item_name), u8(p.department.empty() ? p.item_code : p.department));
        }
    }
    parts_label_->SetLabel(parts);
    parts_label_->Show(!parts.empty());

    long row = 0;
    auto add = [&](const wxString& k, const wxString& v) {
        row = data_->InsertItem(data_->GetItemCount(), k);
        data_->SetItem(row, 1, v);
    };
    add(_("Applicant"), u8(c->applicant_name));
    add(c->applicant_kind == core::ApplicantKind::organisation ? _("Credit code") : _("ID number"), u8(c->doc_number));
    if (!c->phone.empty()) add(_("Phone"), u8(c->phone));
    if (!c->address.empty()) add(_("Address"), u8(c->address));
    if (!c->taken_by.empty()) add(_("Taken by"), u8(c->taken_by));
    if (c->promised) add(_("Promised by"), u8(core::format_date(*c->promised)));
    for (const auto& f : c->form) add(wxString(' ', std::size_t(f.depth * 2)) + (f.heading ? wxString::FromUTF8("【") + u8(f.label) + wxString::FromUTF8("】") : u8(f.label)), u8(f.value));
    for (const auto& m : c->materials)
        add(_("Material: ") + u8(m.name), label(m.status) + (m.has_scan ? wxString::FromUTF8(" · ") + _("scanned") : wxString()));

    // The decision bar.
    const bool can = presenter_->decidable();
    bar_->Enable(can && !busy());
    basis_->ChangeValue(u8(c->legal_basis));
    escalate_to_->ChangeValue(wxString());
    correct_note_->ChangeValue(wxString());
    parts_ = presenter_->open_parts();
    part_->Clear();
    for (const auto& code : parts_) {
        wxString name = u8(code);
        for (const auto& p : c->parts)
            if (p.item_code == code) name = u8(p.item_name);
        part_->Append(name);
    }
    if (!parts_.empty()) part_->SetSelection(0);
    correct_->Clear();
    correct_codes_.clear();
    for (const auto& m : c->materials) {
        correct_->Append(u8(m.name));
        correct_codes_.push_back(m.code);
    }
    absent_ = presenter_->on_post_b() ? presenter_->absent_a() : std::vector<AbsentChief>{};
    acting_for_->Clear();
    for (const auto& a : absent_) acting_for_->Append(u8(a.display_name));
    if (!absent_.empty()) acting_for_->SetSelection(0);
    if (!can) {
        if (c->state == core::CaseState::approved || c->state == core::CaseState::denied)
            say(wxString::Format(_("Decided: %s. The result is handed out on the result screen (Ctrl+E)."), label(c->state)), false);
        else if (services_.who().role != core::Role::chief)
            say(_("Only a chief representative decides."), false);
        else if (services_.who().post == core::Post::none)
            say(_("You sit on no post (A/B): the administrator sets it."), true);
        else
            say(wxString::Format(_("Not for decision in its present state (%s)."), label(c->state)), false);
    } else {
        say(wxString(), false);
    }
    refresh_bar();
    Layout();
}

workflow::Verdict ReviewView::verdict() const {
    const int i = verdict_->GetSelection();
    return i >= 0 && i < 4 ? kVerdicts[i] : Verdict::approve;
}

void ReviewView::refresh_bar() {
    const Verdict v = verdict();
    const bool sealed = v == Verdict::approve || v == Verdict::deny;
    wxArrayString lines;
    for (const auto& p : ReviewPresenter::phrases(v)) lines.Add(u8(p));
    phrases_->Set(lines);
    part_->Show(sealed && parts_.size() > 1);
    correct_->Enable(v == Verdict::return_for_correction);
    correct_note_->Enable(v == Verdict::return_for_correction);
    escalate_to_->Enable(v == Verdict::escalate);
    basis_->Enable(sealed);
    const bool b = presenter_->on_post_b();
    acting_for_->Enable(b && !absent_.empty());
    const std::string acting = b && acting_for_->GetSelection() >= 0 && std::size_t(acting_for_->GetSelection()) < absent_.size()
                                   ? absent_[std::size_t(acting_for_->GetSelection())].user
                                   : std::string();
    ReviewSeal s;
    try {
        s = presenter_->current() ? presenter_->seal(acting) : ReviewSeal{};
    } catch (const std::exception& e) {
        wxLogError("review seal: %s", e.what());
    }
    if (!sealed) seal_->SetLabel(_("No seal: this decision makes no sealed document."));
    else if (!s.assigned) seal_->SetLabel(_("No seal is assigned to you: ask the administrator."));
    else {
        seal_->SetLabel(s.token ? wxString::Format(_("%s, on the token"), u8(s.name)) : u8(s.name));
        seal_->SetToolTip(wxString::Format(s.token ? _("%s (%s), on the token") : _("%s (%s)"), u8(s.name), u8(s.signer)));
    }
    if (!sealed || !s.assigned) seal_->SetToolTip(seal_->GetLabel());
    pin_->Enable(sealed && s.assigned);
    if (b && absent_.empty() && presenter_->decidable())
        say(_("Post B decides only while post A is marked absent."), true);
    bar_->Layout();
}

void ReviewView::add_phrase() {
    const int i = phrases_->GetSelection();
    if (i < 0) return;
    opinion_->ChangeValue(opinion_->GetValue() + phrases_->GetString(std::size_t(i)));
    opinion_->SetInsertionPointEnd();
    opinion_->SetFocus();
}

void ReviewView::decide() {
    if (busy() || !presenter_->current() || !presenter_->decidable()) {
        if (!busy()) wxBell();
        return;
    }
    ReviewRequest r;
    r.verdict = verdict();
    r.opinion = opinion_->GetValue().utf8_string();
    r.legal_basis = basis_->GetValue().utf8_string();
    if (presenter_->on_post_b() && acting_for_->GetSelection() >= 0 && std::size_t(acting_for_->GetSelection()) < absent_.size())
        r.acting_for = absent_[std::size_t(acting_for_->GetSelection())].user;
    if (part_->IsShown() && part_->GetSelection() >= 0 && std::size_t(part_->GetSelection()) < parts_.size())
        r.part = parts_[std::size_t(part_->GetSelection())];
    for (unsigned i = 0; i < correct_->GetCount() && i < correct_codes_.size(); ++i)
        if (correct_->IsChecked(i)) r.correct.push_back(correct_codes_[i]);
    r.correct_note = correct_note_->GetValue().utf8_string();
    r.escalate_to = escalate_to_->GetValue().utf8_string();
    r.pin = pin_->GetValue().utf8_string();
    auto prepared = presenter_->prepare(r);
    if (!prepared.ok()) {
        std::fill(r.pin.begin(), r.pin.end(), '\0');
        say(outcome_text(prepared.code), true);
        if (prepared.code == "review.opinion_missing") opinion_->SetFocus();
        else if (prepared.code == "review.nothing_to_correct") correct_->SetFocus();
        else if (prepared.code == "review.pin_missing") pin_->SetFocus();
        else if (prepared.code == "review.acting_for_missing") acting_for_->SetFocus();
        else if (prepared.code == "review.part_missing") part_->SetFocus();
        return;
    }
    std::shared_ptr<workflow::Session> session;
    try {
        session = services_.worker_session();
    } catch (const std::exception& e) {
        wxLogError("review: %s", e.what());
        say(_("The act could not be saved. Nothing was changed; try again or ask the administrator."), true);
        return;
    }
    pin_->ChangeValue(wxString());  // the PIN goes with the request; never kept in the field
    const std::string case_id = presenter_->current()->case_id;
    auto outcome = std::make_shared<ReviewOutcome>();
    ++busy_;
    bar_->Enable(false);
    say(_("Making and sealing the decision..."), false);
    auto req = std::make_shared<ReviewRequest>(std::move(r));
    tasks_.start([session, case_id, req, outcome](Progress&) { *outcome = ReviewPresenter::run(*session->workflow, case_id, std::move(*req)); },
                 [this, alive = alive_, outcome](const Progress::Snapshot& done) {
                     if (!*alive) return;
                     --busy_;
                     if (!done.error.empty()) {
                         wxLogError("review: %s", u8(done.error));
                         bar_->Enable(true);
                         say(_("The act could not be saved. Nothing was changed; try again or ask the administrator."), true);
                         changed();
                         return;
                     }
                     presenter_->decided(*outcome);
                     refresh_queue();
                     if (outcome->ok()) {
                         fill_case();
                         if (outcome->document) {
                             // The decision on show in the viewer.
                             const auto* c = presenter_->current();
                             for (std::size_t i = 0; c && i < c->documents.size(); ++i)
                                 if (c->documents[i].kind == outcome->document->kind) viewer_->show_document(i);
                             say(wxString::Format(_("Decided: %s. %s sealed with %s."), label(outcome->state), u8(outcome->document->title),
                                                  u8(outcome->document->seal_name)),
                                 false);
                         } else if (outcome->part_only) {
                             say(_("This part is signed; the other parts are awaited."), false);
                         } else {
                             say(wxString::Format(_("Done: %s."), label(outcome->state)), false);
                         }
                     } else {
                         bar_->Enable(true);
                         say(outcome_text(outcome->code), true);
                         if (outcome->code == "workflow.seal_pin_wrong" || outcome->code == "workflow.seal_pin_needed") pin_->SetFocus();
                     }
                     changed();
                 });
    changed();
}

void ReviewView::locked() {
    pin_->ChangeValue(wxString());
}

void ReviewView::signed_in() {
    if (presenter_->current()) show();  // the case open before the lock, read again (nothing read for a page never opened)
}

void ReviewView::fonts_changed() {
    verdict_->SetMinSize(wxSize(FromDIP(150), verdict_->GetCharHeight() * 7));
    // The frame gave every list its best width and no height: a case with many materials would
    // push the page viewer off the screen. Three lines; the list scrolls.
    correct_->SetMinSize(wxSize(FromDIP(160), correct_->GetCharHeight() * 3));
    remeasure_labels(this, [this](wxStaticText* t) { return t == title_ || t == checks_ || t == parts_label_ || t == seal_ || t == message_ || t == queue_->label(); });
    wxFont bold = GetFont();  // the title stays bold in either size
    bold.SetWeight(wxFONTWEIGHT_BOLD);
    title_->SetFont(bold);
    bar_->Layout();
    Layout();
}

}  // namespace ow::app
