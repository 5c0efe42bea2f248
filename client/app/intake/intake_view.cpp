#include "intake/intake_view.h"

#include "common/labels.h"
#include "common/pdf_pages.h"
#include "common/pdf_print.h"
#include "common/pdf_view.h"
#include "common/remeasure.h"
#include "common/private_dir.h"
#include "common/quiet_list_box.h"
#include "intake/form_view.h"
#include "intake/item_guide.h"
#include "shell/applicant_screen.h"

#include "ow/core/error.h"
#include "ow/plugins/host.h"

#include <wx/app.h>
#include <wx/bitmap.h>
#include <wx/button.h>
#include <wx/image.h>
#include <wx/intl.h>
#include <wx/listbox.h>
#include <wx/listctrl.h>
#include <wx/log.h>
#include <wx/choice.h>
#include <wx/simplebook.h>
#include <wx/sizer.h>
#include <wx/spinctrl.h>
#include <wx/statbmp.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/translation.h>

#include <algorithm>

#include <unistd.h>

namespace ow::app {
namespace {

const wxColour kError(0xb0, 0x1e, 0x1e);
const wxColour kOk(0x1e, 0x7a, 0x35);
const wxColour kHint(0x66, 0x66, 0x66);

/// The form's language: the desk's UI language (zh_CN unless the desk runs in zh_TW or English).
forms::Lang form_language() {
    wxString best;
    if (auto* t = wxTranslations::Get()) best = t->GetBestTranslation("onewindow");
    if (best.StartsWith("zh_TW") || best.StartsWith("zh_HK")) return forms::Lang::zh_TW;
    if (best.StartsWith("zh")) return forms::Lang::zh_CN;
    return forms::Lang::en;
}

wxString step_name(IntakeStep s) {
    switch (s) {
        case IntakeStep::item: return _("Item");
        case IntakeStep::applicant: return _("Applicant");
        case IntakeStep::form: return _("Form");
        case IntakeStep::materials: return _("Materials");
        case IntakeStep::decision: return _("Decision");
        case IntakeStep::document: return _("Notice");
    }
    return wxString();
}

/// A check's line beside a field: wide enough for the longest message from the start (its label
/// changes as the clerk types; the row must not jump).
wxStaticText* small_label(wxWindow* parent, const char* name) {
    auto* t = new wxStaticText(parent, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxST_NO_AUTORESIZE, name);
    t->SetMinSize(wxSize(parent->FromDIP(300), -1));
    return t;
}

void set_check(wxStaticText* t, const wxString& text, const wxColour& colour) {
    if (t->GetLabel() != text) t->SetLabel(text);
    t->SetForegroundColour(colour);
}

}  // namespace

IntakeView::IntakeView(wxWindow* parent, DeskServices& services, TaskRunner& tasks, std::function<void()> changed)
    : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "intake"),
      services_(services), tasks_(tasks), changed_(std::move(changed)),
      presenter_(std::make_unique<IntakePresenter>(services)) {
    auto* body = new wxBoxSizer(wxHORIZONTAL);
    // The steps at the side.
    auto* side = new wxBoxSizer(wxVERTICAL);
    side->Add(new wxStaticText(this, wxID_ANY, _("Intake steps")), 0, wxALL, 6);
    steps_ = new QuietListBox(this, wxSize(FromDIP(170), -1), "intake.steps");
    for (auto s : kIntakeSteps) steps_->Append(wxString::Format("%d  %s", int(s) + 1, step_name(s)));
    steps_->SetSelection(0);
    steps_->SetToolTip(_("Alt+1 ... Alt+6 go to a step; Ctrl+PgDn / Ctrl+PgUp to the next / previous one"));
    side->Add(steps_, 1, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    body->Add(side, 0, wxEXPAND);

    auto* main = new wxBoxSizer(wxVERTICAL);
    title_ = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxST_ELLIPSIZE_END, "intake.title");
    wxFont tf = title_->GetFont();
    tf.SetWeight(wxFONTWEIGHT_BOLD);
    tf.SetPointSize(tf.GetPointSize() + 2);
    title_->SetFont(tf);
    main->Add(title_, 0, wxEXPAND | wxALL, 6);
    book_ = new wxSimplebook(this, wxID_ANY);
    book_->SetName("intake.book");
    book_->AddPage(build_item(book_), wxString());
    book_->AddPage(build_applicant(book_), wxString());
    book_->AddPage(build_form(book_), wxString());
    book_->AddPage(build_materials(book_), wxString());
    book_->AddPage(build_decision(book_), wxString());
    book_->AddPage(build_document(book_), wxString());
    main->Add(book_, 1, wxEXPAND | wxLEFT | wxRIGHT, 6);
    message_ = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxST_ELLIPSIZE_END, "intake.message");
    main->Add(message_, 0, wxEXPAND | wxALL, 6);
    body->Add(main, 1, wxEXPAND);
    SetSizer(body);

    steps_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent& e) {
        if (e.GetSelection() >= 0 && e.GetSelection() < int(kIntakeSteps.size())) go_to(kIntakeSteps[std::size_t(e.GetSelection())]);
    });
    refresh_hits();
    refresh_title();
    refresh_steps();
}

IntakeView::~IntakeView() {
    *alive_ = false;
    if (applicant_screen_) applicant_screen_->Destroy();  // a top-level window of the frame, not of this page
}

// ---- building the steps ----

wxWindow* IntakeView::build_item(wxWindow* parent) {
    auto* p = new wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "intake.step.item");
    auto* h = new wxBoxSizer(wxHORIZONTAL);
    auto* left = new wxBoxSizer(wxVERTICAL);
    left->Add(new wxStaticText(p, wxID_ANY, _("Item or bundle: name, code or pinyin initials, then Enter")), 0, wxBOTTOM, 4);
    search_ = new wxTextCtrl(p, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER, wxDefaultValidator,
                             "intake.search");
    left->Add(search_, 0, wxEXPAND | wxBOTTOM, 4);
    hits_ = new QuietListBox(p, wxDefaultSize, "intake.hits");
    left->Add(hits_, 2, wxEXPAND);
    left->Add(new wxStaticText(p, wxID_ANY, _("Unfinished intakes (Shift+F2, then Enter to go on)")), 0, wxTOP | wxBOTTOM, 4);
    drafts_ = new QuietListBox(p, wxDefaultSize, "intake.drafts");
    left->Add(drafts_, 1, wxEXPAND);
    h->Add(left, 1, wxEXPAND | wxALL, 4);
    guide_ = new wxTextCtrl(p, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(420), -1),
                            wxTE_MULTILINE | wxTE_READONLY | wxTE_RICH2 | wxTE_WORDWRAP | wxBORDER_NONE, wxDefaultValidator, "intake.guide");
    h->Add(guide_, 1, wxEXPAND | wxALL, 4);
    p->SetSizer(h);

    search_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { refresh_hits(); });
    search_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { choose_hit(); });
    // Up / Down in the search field move through the hits; the focus stays in the field.
    search_->Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& e) {
        const int n = int(hits_->GetCount());
        if (n > 0 && (e.GetKeyCode() == WXK_DOWN || e.GetKeyCode() == WXK_UP)) {
            int sel = hits_->GetSelection();
            sel = e.GetKeyCode() == WXK_DOWN ? std::min(n - 1, sel + 1) : std::max(0, sel - 1);
            hits_->SetSelection(sel);
            show_hit_guide();
            return;
        }
        e.Skip();
    });
    auto resume_selected = [this] {
        const int sel = drafts_->GetSelection();
        if (sel >= 0 && std::size_t(sel) < draft_rows_.size()) resume(draft_rows_[std::size_t(sel)].case_id);
    };
    drafts_->Bind(wxEVT_LISTBOX_DCLICK, [resume_selected](wxCommandEvent&) { resume_selected(); });
    drafts_->Bind(wxEVT_KEY_DOWN, [resume_selected](wxKeyEvent& e) {
        if (e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER) resume_selected();
        else e.Skip();
    });
    hits_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent&) { show_hit_guide(); });
    hits_->Bind(wxEVT_LISTBOX_DCLICK, [this](wxCommandEvent&) { choose_hit(); });
    hits_->Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& e) {
        if (e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER) choose_hit();
        else e.Skip();
    });
    return p;
}

wxWindow* IntakeView::build_applicant(wxWindow* parent) {
    auto* p = new wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "intake.step.applicant");
    auto* v = new wxBoxSizer(wxVERTICAL);
    // Person or organisation: a choice (Up / Down change it; a radio box's arrows only move the focus in GTK).
    auto* kind_line = new wxBoxSizer(wxHORIZONTAL);
    kind_line->Add(new wxStaticText(p, wxID_ANY, _("Applicant")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    wxString kinds[] = {_("Person"), _("Organisation")};
    kind_ = new wxChoice(p, wxID_ANY, wxDefaultPosition, wxDefaultSize, 2, kinds, 0, wxDefaultValidator, "intake.kind");
    kind_->SetSelection(0);
    kind_line->Add(kind_, 0, wxALIGN_CENTER_VERTICAL);
    v->Add(kind_line, 0, wxALL, 4);
    auto* grid = new wxFlexGridSizer(3, wxSize(8, 6));
    grid->AddGrowableCol(1, 1);
    auto field = [&](const wxString& label, const char* name, wxStaticText** label_out) {
        auto* l = new wxStaticText(p, wxID_ANY, label);
        if (label_out) *label_out = l;
        auto* t = new wxTextCtrl(p, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(320), -1), wxTE_PROCESS_ENTER,
                                 wxDefaultValidator, name);
        grid->Add(l, 0, wxALIGN_CENTER_VERTICAL);
        grid->Add(t, 1, wxEXPAND);
        return t;
    };
    doc_number_ = field(_("ID number *"), "intake.doc_number", &doc_label_);
    doc_check_ = small_label(p, "intake.doc_number.check");
    grid->Add(doc_check_, 1, wxALIGN_CENTER_VERTICAL | wxEXPAND);
    name_ = field(_("Name *"), "intake.name", &name_label_);
    grid->AddSpacer(0);
    phone_ = field(_("Phone"), "intake.phone", nullptr);
    phone_check_ = small_label(p, "intake.phone.check");
    grid->Add(phone_check_, 1, wxALIGN_CENTER_VERTICAL | wxEXPAND);
    address_ = field(_("Address"), "intake.address", nullptr);
    grid->AddSpacer(0);
    legal_rep_ = field(_("Legal representative"), "intake.legal_rep", &legal_rep_label_);
    grid->AddSpacer(0);
    v->Add(grid, 0, wxEXPAND | wxALL, 4);
    prefilled_ = new wxStaticText(p, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "intake.prefilled");
    prefilled_->SetForegroundColour(kOk);
    v->Add(prefilled_, 0, wxALL, 4);
    auto* read = new wxButton(p, wxID_ANY, _("Read the ID card (F4)"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator,
                              "intake.read_id");
    read->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { read_id_card(); });
    v->Add(read, 0, wxALL, 4);
    auto* hint = new wxStaticText(p, wxID_ANY, _("Enter moves to the next field; after the last one, to the form."));
    hint->SetForegroundColour(kHint);
    v->Add(hint, 0, wxALL, 4);
    p->SetSizer(v);

    kind_->Bind(wxEVT_CHOICE, [this](wxCommandEvent& e) {
        if (filling_) return;
        presenter_->set_applicant_kind(e.GetSelection() == 1 ? core::ApplicantKind::organisation : core::ApplicantKind::person);
        fill_applicant();
        refresh_steps();
    });
    auto typed = [this](wxTextCtrl* t, ApplicantField f) {
        t->Bind(wxEVT_TEXT, [this, t, f](wxCommandEvent&) {
            if (filling_ || !presenter_->active()) return;
            const auto before = presenter_->prefilled().size();
            presenter_->set_field(f, t->GetValue().utf8_string());
            if (presenter_->prefilled().size() != before) fill_applicant();  // a returning applicant: the rest filled in
            refresh_applicant_checks();
            refresh_steps();
        });
    };
    typed(doc_number_, ApplicantField::doc_number);
    typed(name_, ApplicantField::name);
    typed(phone_, ApplicantField::phone);
    typed(address_, ApplicantField::address);
    typed(legal_rep_, ApplicantField::legal_representative);
    enter_moves(doc_number_, name_);
    enter_moves(name_, phone_);
    enter_moves(phone_, address_);
    address_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) {
        if (legal_rep_->IsShown()) legal_rep_->SetFocus();
        else next_step();
    });
    enter_moves(legal_rep_, nullptr);
    return p;
}

wxWindow* IntakeView::build_form(wxWindow* parent) {
    form_host_ = new wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "intake.step.form");
    form_host_->SetSizer(new wxBoxSizer(wxVERTICAL));
    return form_host_;
}

wxWindow* IntakeView::build_materials(wxWindow* parent) {
    auto* p = new wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "intake.step.materials");
    auto* v = new wxBoxSizer(wxVERTICAL);
    auto* h = new wxBoxSizer(wxHORIZONTAL);
    materials_ = new wxListCtrl(p, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL, wxDefaultValidator,
                                "intake.materials");
    materials_->AppendColumn(_("Material"), wxLIST_FORMAT_LEFT, FromDIP(300));
    materials_->AppendColumn(_("Necessity"), wxLIST_FORMAT_LEFT, FromDIP(90));
    materials_->AppendColumn(_("For the items"), wxLIST_FORMAT_LEFT, FromDIP(220));
    materials_->AppendColumn(_("Status"), wxLIST_FORMAT_LEFT, FromDIP(160));
    h->Add(materials_, 1, wxEXPAND | wxALL, 4);
    thumb_ = new wxStaticBitmap(p, wxID_ANY, wxNullBitmap, wxDefaultPosition, FromDIP(wxSize(170, 220)), 0, "intake.thumb");
    h->Add(thumb_, 0, wxALL, 4);
    v->Add(h, 1, wxEXPAND);

    // The statuses: buttons (and the same letters on the list) record the selected row, then the
    // selection moves to the next material.
    auto* keys = new wxBoxSizer(wxHORIZONTAL);
    struct Key {
        core::MaterialStatus status;
        wxString text;
        const char* name;
    };
    const Key buttons[] = {
        {core::MaterialStatus::original_received, _("Original (O)"), "intake.mat.original"},
        {core::MaterialStatus::copy_received, _("Copy (C)"), "intake.mat.copy"},
        {core::MaterialStatus::scanned, _("Scan (F5)"), "intake.mat.scanned"},
        {core::MaterialStatus::e_licence, _("E-licence (E)"), "intake.mat.e_licence"},
        {core::MaterialStatus::not_applicable, _("Not applicable (N)"), "intake.mat.not_applicable"},
    };
    for (const auto& k : buttons) {
        auto* b = new wxButton(p, wxID_ANY, k.text, wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT, wxDefaultValidator, k.name);
        b->Bind(wxEVT_BUTTON, [this, s = k.status](wxCommandEvent&) {
            if (s == core::MaterialStatus::scanned) scan();
            else record(s);
        });
        keys->Add(b, 0, wxALL, 3);
    }
    v->Add(keys, 0);
    auto* later = new wxBoxSizer(wxHORIZONTAL);
    auto* defer = new wxButton(p, wxID_ANY, _("Deferred (D), within"), wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT,
                               wxDefaultValidator, "intake.mat.deferred");
    defer->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { record(core::MaterialStatus::deferred); });
    later->Add(defer, 0, wxALL | wxALIGN_CENTER_VERTICAL, 3);
    deferred_days_ = new wxSpinCtrl(p, wxID_ANY, "5", wxDefaultPosition, wxSize(FromDIP(80), -1), wxSP_ARROW_KEYS, 1, 60, 5,
                                    "intake.deferred_days");
    later->Add(deferred_days_, 0, wxALL | wxALIGN_CENTER_VERTICAL, 3);
    later->Add(new wxStaticText(p, wxID_ANY, _("working days")), 0, wxALL | wxALIGN_CENTER_VERTICAL, 3);
    auto* commit = new wxButton(p, wxID_ANY, _("Commitment (M)"), wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT, wxDefaultValidator,
                                "intake.mat.commitment");
    commit->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { record(core::MaterialStatus::commitment); });
    later->Add(commit, 0, wxALL | wxALIGN_CENTER_VERTICAL, 3);
    commitment_ = new wxTextCtrl(p, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(360), -1), 0, wxDefaultValidator,
                                 "intake.commitment");
    commitment_->SetHint(_("What the applicant commits to (the commitment letter)"));
    later->Add(commitment_, 1, wxALL | wxALIGN_CENTER_VERTICAL, 3);
    v->Add(later, 0, wxEXPAND);
    p->SetSizer(v);

    materials_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent& e) {
        const long row = e.GetIndex();
        thumb_->SetBitmap(wxNullBitmap);
        if (row < 0 || std::size_t(row) >= material_rows_.size()) return;
        auto it = scans_.find(material_rows_[std::size_t(row)].code);
        if (it == scans_.end()) return;
        thumb_->SetBitmap(it->second);
        thumb_->GetParent()->Layout();
    });
    materials_->Bind(wxEVT_LIST_KEY_DOWN, [this](wxListEvent& e) {
        switch (e.GetKeyCode()) {
            case 'O': record(core::MaterialStatus::original_received); break;
            case 'C': record(core::MaterialStatus::copy_received); break;
            case 'E': record(core::MaterialStatus::e_licence); break;
            case 'D': record(core::MaterialStatus::deferred); break;
            case 'M': record(core::MaterialStatus::commitment); break;
            case 'N': record(core::MaterialStatus::not_applicable); break;
            case WXK_RETURN:
            case WXK_NUMPAD_ENTER: next_step(); break;
            default: e.Skip();
        }
    });
    return p;
}

wxWindow* IntakeView::build_decision(wxWindow* parent) {
    auto* p = new wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "intake.step.decision");
    auto* v = new wxBoxSizer(wxVERTICAL);
    promised_ = new wxStaticText(p, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "intake.promised");
    v->Add(promised_, 0, wxALL, 4);
    duplicate_ = new wxStaticText(p, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "intake.duplicate");
    duplicate_->SetForegroundColour(kError);
    duplicate_->Hide();
    v->Add(duplicate_, 0, wxALL, 4);
    v->Add(new wxStaticText(p, wxID_ANY, _("Missing for acceptance (the one-time notice lists exactly these):")), 0, wxLEFT | wxTOP, 4);
    missing_ = new wxTextCtrl(p, wxID_ANY, wxString(), wxDefaultPosition, wxSize(-1, FromDIP(90)),
                              wxTE_MULTILINE | wxTE_READONLY | wxTE_WORDWRAP, wxDefaultValidator, "intake.missing");
    v->Add(missing_, 0, wxEXPAND | wxALL, 4);
    // The three outcomes as a short list: Up / Down choose, Enter decides (a radio box's arrows are
    // GTK's focus moves, not choices).
    v->Add(new wxStaticText(p, wxID_ANY, _("Decision (Up / Down, then Enter):")), 0, wxLEFT | wxTOP, 4);
    decision_ = new QuietListBox(p, wxSize(FromDIP(360), -1), "intake.decision");
    decision_->Append(_("Accept"));
    decision_->Append(_("One-time notice of what is missing"));
    decision_->Append(_("Refuse"));
    decision_->SetSelection(0);
    decision_->SetMinSize(wxSize(FromDIP(360), decision_->GetCharHeight() * 5));
    v->Add(decision_, 0, wxALL, 4);
    auto* grid = new wxFlexGridSizer(2, wxSize(8, 6));
    grid->AddGrowableCol(1, 1);
    grid->Add(new wxStaticText(p, wxID_ANY, _("Reason (correction or refusal)")), 0, wxALIGN_CENTER_VERTICAL);
    reason_ = new wxTextCtrl(p, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER, wxDefaultValidator, "intake.reason");
    grid->Add(reason_, 1, wxEXPAND);
    grid->Add(new wxStaticText(p, wxID_ANY, _("Legal basis (refusal)")), 0, wxALIGN_CENTER_VERTICAL);
    basis_ = new wxTextCtrl(p, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER, wxDefaultValidator, "intake.basis");
    grid->Add(basis_, 1, wxEXPAND);
    grid->Add(new wxStaticText(p, wxID_ANY, _("Correction within (working days)")), 0, wxALIGN_CENTER_VERTICAL);
    correction_days_ = new wxSpinCtrl(p, wxID_ANY, "5", wxDefaultPosition, wxSize(FromDIP(80), -1), wxSP_ARROW_KEYS, 1, 60, 5,
                                      "intake.correction_days");
    grid->Add(correction_days_, 0);
    v->Add(grid, 0, wxEXPAND | wxALL, 4);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    auto* confirm = new wxButton(p, wxID_ANY, _("Show to the applicant"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator,
                                 "intake.confirm");
    confirm->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { show_to_applicant(); });
    buttons->Add(confirm, 0, wxALL, 4);
    commit_ = new wxButton(p, wxID_ANY, _("Decide and make the notice"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator,
                           "intake.commit");
    commit_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { commit_decision(); });
    buttons->Add(commit_, 0, wxALL, 4);
    v->Add(buttons, 0);
    commit_->SetToolTip(_("Enter on the decision or in a field decides; the notice is then made and sealed."));
    p->SetSizer(v);

    decision_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent&) { refresh_decision(); });
    decision_->Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& e) {
        if ((e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER) && !e.HasAnyModifiers()) commit_decision();
        else e.Skip();
    });
    decision_->Bind(wxEVT_LISTBOX_DCLICK, [this](wxCommandEvent&) { commit_decision(); });
    reason_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) {
        if (decision_->GetSelection() == 2 && basis_->GetValue().empty()) basis_->SetFocus();
        else commit_decision();
    });
    basis_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { commit_decision(); });
    return p;
}

wxWindow* IntakeView::build_document(wxWindow* parent) {
    auto* p = new wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "intake.step.document");
    auto* v = new wxBoxSizer(wxVERTICAL);
    auto* top = new wxBoxSizer(wxHORIZONTAL);
    document_ = new wxStaticText(p, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxST_ELLIPSIZE_END, "intake.document");
    top->Add(document_, 1, wxALIGN_CENTER_VERTICAL | wxALL, 4);
    auto* print = new wxButton(p, wxID_ANY, _("Print... (Ctrl+P)"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "intake.print");
    print->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { print_preview(); });
    top->Add(print, 0, wxALL, 4);
    auto* next = new wxButton(p, wxID_ANY, _("Next applicant (F2)"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator,
                              "intake.next_applicant");
    next->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { start_new(); });
    top->Add(next, 0, wxALL, 4);
    v->Add(top, 0, wxEXPAND);
    auto* body = new wxBoxSizer(wxHORIZONTAL);
    // The intake's notices (a commitment letter, a deferral notice, the decision's): Up / Down
    // choose the one previewed and printed.
    documents_ = new QuietListBox(p, wxSize(FromDIP(180), -1), "intake.documents");
    documents_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent&) { show_selected_document(); });
    body->Add(documents_, 0, wxEXPAND | wxALL, 4);
    pdf_ = new PdfView(p);
    pdf_->SetName("intake.pdf");
    body->Add(pdf_, 1, wxEXPAND | wxALL, 4);
    v->Add(body, 1, wxEXPAND);
    p->SetSizer(v);
    return p;
}

void IntakeView::enter_moves(wxWindow* from, wxWindow* to) {
    from->Bind(wxEVT_TEXT_ENTER, [this, to](wxCommandEvent&) {
        if (to) to->SetFocus();
        else next_step();
    });
}

// ---- steps ----

void IntakeView::start_new() {
    if (busy()) return;
    presenter_->close();
    form_presenter_.reset();
    if (form_view_) {
        form_view_->Destroy();
        form_view_ = nullptr;
    }
    scans_.clear();
    document_rows_.clear();
    documents_->Clear();
    pdf_->clear();
    filling_ = true;
    search_->ChangeValue(wxString());
    reason_->ChangeValue(wxString());
    basis_->ChangeValue(wxString());
    commitment_->ChangeValue(wxString());
    decision_->SetSelection(0);
    filling_ = false;
    refresh_hits();
    refresh_drafts();
    fill_applicant();
    refresh_materials();
    refresh_title();
    say(wxString(), false);
    if (applicant_screen_) applicant_screen_->show_welcome(u8(services_.window_label()));
    show_step(IntakeStep::item);
    changed();
}

void IntakeView::choose_draft() {
    if (busy()) return;
    go_to(IntakeStep::item);
    refresh_drafts();
    if (draft_rows_.empty()) {
        say(_("No unfinished intake to resume."), false);
        return;
    }
    drafts_->SetSelection(0);
    drafts_->SetFocus();
}

void IntakeView::refresh_drafts() {
    draft_rows_.clear();
    try {
        if (services_.signed_in()) draft_rows_ = presenter_->drafts();
    } catch (const std::exception& e) {
        wxLogError("drafts: %s", e.what());
        say(_("The unfinished intakes cannot be read now."), true);
    }
    wxArrayString lines;
    for (const auto& r : draft_rows_)
        lines.Add(wxString::Format("%s  %s  %s  (%s)", u8(r.receipt_no), u8(r.title), u8(r.applicant_name), step_name(r.step)));
    drafts_->Set(lines);
}

bool IntakeView::resume(const std::string& case_id) {
    IntakeOutcome o;
    try {
        o = presenter_->resume(case_id);
    } catch (const std::exception& e) {
        wxLogError("resume %s: %s", case_id, e.what());
        say(_("The intake cannot be opened now."), true);
        return false;
    }
    if (!o.ok()) {
        show_outcome(o);
        return false;
    }
    scans_.clear();
    pdf_->clear();
    open_form();
    fill_applicant();
    refresh_materials();
    refresh_title();
    show_document();
    say(_("The intake is open again where it was left."), false);
    show_step(presenter_->step());
    changed();
    return true;
}

void IntakeView::go_to(IntakeStep step) {
    if (presenter_->step() == step) {
        show_step(step);
        return;
    }
    IntakeOutcome o;
    try {
        o = presenter_->goto_step(step);
    } catch (const std::exception& e) {  // the store (disk full …): the step still changes
        wxLogError("intake: %s", e.what());
        say(_("What was typed could not be saved. Nothing was lost on screen; try again."), true);
    }
    if (!o.ok()) show_outcome(o);
    else say(wxString(), false);
    if (o.ok() && presenter_->active()) fill_applicant();  // the committed applicant's known data
    show_step(presenter_->step());
}

void IntakeView::next_step() {
    const int i = int(presenter_->step());
    if (i + 1 < int(kIntakeSteps.size())) go_to(kIntakeSteps[std::size_t(i + 1)]);
}

void IntakeView::previous_step() {
    const int i = int(presenter_->step());
    if (i > 0) go_to(kIntakeSteps[std::size_t(i - 1)]);
}

void IntakeView::show_step(IntakeStep step) {
    const int i = int(step);
    if (book_->GetSelection() != i) book_->ChangeSelection(std::size_t(i));
    switch (step) {
        case IntakeStep::item: search_->SetFocus(); break;
        case IntakeStep::applicant:
            if (doc_number_->GetValue().empty() || !presenter_->applicant_checks().complete) doc_number_->SetFocus();
            else name_->SetFocus();
            break;
        case IntakeStep::form:
            if (form_view_) form_view_->focus_first();
            if (!presenter_->form_prefilled().empty())
                say(wxString::Format(_("%zu fields of the form filled in automatically"), presenter_->form_prefilled().size()), false);
            break;
        case IntakeStep::materials: {
            refresh_materials();
            long first = 0;  // the first material still to check
            for (std::size_t r = 0; r < material_rows_.size(); ++r)
                if (material_rows_[r].status == core::MaterialStatus::pending) {
                    first = long(r);
                    break;
                }
            select_material(first);
            materials_->SetFocus();
            break;
        }
        case IntakeStep::decision:
            refresh_decision();
            if (presenter_->active() && !presenter_->is_decided()) show_to_applicant();
            decision_->SetFocus();
            break;
        case IntakeStep::document:
            if (auto* b = FindWindow("intake.print"); b && !document_rows_.empty()) b->SetFocus();
            break;
    }
    refresh_steps();
    changed();
}

void IntakeView::refresh_steps() {
    const auto states = presenter_->steps();
    for (std::size_t i = 0; i < states.size() && i < steps_->GetCount(); ++i) {
        const auto& s = states[i];
        wxString mark;
        switch (s.status) {
            case StepState::Status::done: mark = wxString::FromUTF8("  ✓"); break;
            case StepState::Status::problems: mark = wxString::Format("  ! %d", s.count); break;
            case StepState::Status::todo: mark = s.count > 0 ? wxString::Format("  (%d)", s.count) : wxString(); break;
        }
        wxString line = wxString::Format("%d  %s%s", int(s.step) + 1, step_name(s.step), mark);
        if (steps_->GetString(unsigned(i)) != line) steps_->SetString(unsigned(i), line);
    }
    const int sel = int(presenter_->step());
    if (steps_->GetSelection() != sel) steps_->SetSelection(sel);
}

void IntakeView::refresh_title() {
    if (!presenter_->active()) {
        title_->SetLabel(_("New intake: choose the item or bundle"));
        return;
    }
    const auto& c = presenter_->case_data();
    wxString who = u8(presenter_->applicant().name.empty() ? c.applicant.name : presenter_->applicant().name);
    title_->SetLabel(wxString::Format("%s  %s  %s  %s", u8(c.receipt_no), u8(presenter_->title()), who, label(c.state)));
}

// ---- step 1 ----

void IntakeView::refresh_hits() {
    hit_rows_ = presenter_->search(search_->GetValue().utf8_string());
    wxArrayString lines;
    lines.reserve(hit_rows_.size());
    for (const auto& r : hit_rows_) {
        if (r.is_bundle)
            lines.Add(wxString::Format("%s  %s  (%s)", _("[Bundle]"), u8(r.name), wxString::Format(_("%zu items"), r.item_count)));
        else
            lines.Add(wxString::Format("%s  (%s)", u8(r.name), u8(r.department)));
    }
    hits_->Set(lines);
    if (!hit_rows_.empty()) hits_->SetSelection(0);
    show_hit_guide();
}

void IntakeView::show_hit_guide() {
    const int sel = hits_->GetSelection();
    if (sel < 0 || std::size_t(sel) >= hit_rows_.size()) {
        guide_->Clear();
        return;
    }
    const auto& r = hit_rows_[std::size_t(sel)];
    const auto cat = presenter_->catalog();
    if (r.is_bundle) {
        if (const auto* b = cat.bundle(r.code)) render_guide(guide_, bundle_guide(*b, cat));
    } else if (const auto* it = cat.item(r.code)) {
        render_guide(guide_, item_guide(*it));
    }
}

void IntakeView::choose_hit() {
    const int sel = hits_->GetSelection();
    if (sel < 0 || std::size_t(sel) >= hit_rows_.size() || busy()) return;
    const auto& r = hit_rows_[std::size_t(sel)];
    if (presenter_->active() && !presenter_->is_decided()) {
        const auto& c = presenter_->case_data();
        const bool same = r.is_bundle ? c.bundle_code == r.code : c.bundle_code.empty() && c.item_code == r.code;
        if (same) {
            next_step();  // the same item again: go on with this intake
            return;
        }
    }
    IntakeOutcome o;
    try {
        o = presenter_->start(r.code, r.is_bundle);
    } catch (const std::exception& e) {
        wxLogError("start intake %s: %s", r.code, e.what());
        say(_("The intake could not be started. Nothing was changed; try again or ask the administrator."), true);
        return;
    }
    if (!o.ok()) {
        show_outcome(o);
        return;
    }
    scans_.clear();
    show_document();  // none yet
    open_form();
    fill_applicant();
    refresh_materials();
    refresh_title();
    say(wxString::Format(_("Intake started: receipt number %s."), u8(presenter_->case_data().receipt_no)), false);
    show_step(presenter_->step());
}

// ---- step 2 ----

void IntakeView::fill_applicant() {
    filling_ = true;
    const auto& a = presenter_->applicant();
    const bool org = a.kind == core::ApplicantKind::organisation;
    kind_->SetSelection(org ? 1 : 0);
    auto put = [](wxTextCtrl* t, const std::string& v) {
        wxString w = u8(v);
        if (t->GetValue() != w) t->ChangeValue(w);
    };
    put(doc_number_, a.doc_number);
    put(name_, a.name);
    put(phone_, a.phone);
    put(address_, a.address);
    put(legal_rep_, a.legal_representative);
    doc_label_->SetLabel(org ? _("Unified social credit code *") : _("ID number *"));
    name_label_->SetLabel(org ? _("Organisation name *") : _("Name *"));
    legal_rep_label_->Show(org);
    legal_rep_->Show(org);
    const bool enable = presenter_->active();
    for (wxWindow* w : {static_cast<wxWindow*>(kind_), static_cast<wxWindow*>(doc_number_), static_cast<wxWindow*>(name_),
                        static_cast<wxWindow*>(phone_), static_cast<wxWindow*>(address_), static_cast<wxWindow*>(legal_rep_)})
        w->Enable(enable);
    filling_ = false;
    refresh_applicant_checks();
    doc_number_->GetParent()->Layout();
}

void IntakeView::refresh_applicant_checks() {
    const auto& c = presenter_->applicant_checks();
    const bool org = presenter_->applicant().kind == core::ApplicantKind::organisation;
    if (org) {
        switch (c.uscc.state) {
            case UsccTypedCheck::State::empty: set_check(doc_check_, wxString(), kHint); break;
            case UsccTypedCheck::State::incomplete:
                set_check(doc_check_, wxString::Format(_("%zu of 18 characters"), c.uscc.normalized.size()), kHint);
                break;
            case UsccTypedCheck::State::bad_check_digit:
                set_check(doc_check_, _("The check character is wrong: a typing mistake?"), kError);
                break;
            case UsccTypedCheck::State::invalid: set_check(doc_check_, _("Not a unified social credit code"), kError); break;
            case UsccTypedCheck::State::ok: set_check(doc_check_, wxString::FromUTF8("✓ ") + _("The code checks"), kOk); break;
        }
    } else if (presenter_->applicant().doc_type != core::DocumentType::resident_id) {
        set_check(doc_check_, c.other_doc_ok ? wxString::FromUTF8("✓") : wxString(), kOk);
    } else {
        switch (c.id.state) {
            case IdNumberCheck::State::empty: set_check(doc_check_, wxString(), kHint); break;
            case IdNumberCheck::State::incomplete:
                set_check(doc_check_, wxString::Format(_("%zu of 18 characters"), c.id.normalized.size()), kHint);
                break;
            case IdNumberCheck::State::bad_check_digit:
                set_check(doc_check_, _("The check digit is wrong: a typing mistake?"), kError);
                break;
            case IdNumberCheck::State::invalid: set_check(doc_check_, _("Not a resident ID number"), kError); break;
            case IdNumberCheck::State::ok: {
                wxString sex = c.id.sex ? (*c.id.sex == core::Sex::female ? _("female") : _("male")) : wxString();
                set_check(doc_check_,
                          wxString::FromUTF8("✓ ") + wxString::Format(_("born %s, %s"), c.id.birth ? u8(core::format_date(*c.id.birth)) : wxString(), sex),
                          kOk);
                break;
            }
        }
    }
    switch (c.phone) {
        case PhoneState::empty: set_check(phone_check_, wxString(), kHint); break;
        case PhoneState::incomplete: set_check(phone_check_, _("Incomplete"), kHint); break;
        case PhoneState::invalid: set_check(phone_check_, _("Not a phone number"), kError); break;
        case PhoneState::ok: set_check(phone_check_, wxString::FromUTF8("✓"), kOk); break;
    }
    const auto n = presenter_->prefilled().size();
    if (n == 0) prefilled_->SetLabel(wxString());
    else if (presenter_->returning())
        prefilled_->SetLabel(wxString::Format(_("Returning applicant: %zu fields filled in automatically"), n));
    else
        prefilled_->SetLabel(wxString::Format(_("%zu fields filled in automatically"), n));
    refresh_title();
}

plugins::PluginHost* IntakeView::plugin_host() {
    try {
        return &services_.plugins();  // made on the desk's thread; its calls are thread-safe
    } catch (const std::exception& e) {
        wxLogError("plugins: %s", e.what());
        show_outcome({IntakeOutcome::Kind::device, "device.none", e.what()});
        return nullptr;
    }
}

void IntakeView::select_material(long row) {
    if (row < 0 || row >= materials_->GetItemCount()) return;
    const long old = materials_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    if (old >= 0 && old != row) materials_->SetItemState(old, 0, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
    materials_->SetItemState(row, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
    materials_->EnsureVisible(row);
}

void IntakeView::read_id_card() {
    if (!presenter_->active() || busy()) return;
    plugins::PluginHost* host = plugin_host();
    if (!host) return;
    go_to(IntakeStep::applicant);
    auto read = std::make_shared<IdCardRead>();
    ++busy_;
    say(_("Reading the ID card..."), false);
    const std::string plugin = services_.device_plugin("devices.id_reader");  // the settings' choice; empty: any
    tasks_.start([host, read, plugin](Progress&) { *read = IntakePresenter::read_id_card(*host, nlohmann::json::object(), plugin); },
                 [this, alive = alive_, read](const Progress::Snapshot& done) {
                     if (!*alive) return;
                     --busy_;
                     if (!done.error.empty()) {
                         wxLogError("ID card: %s", u8(done.error));
                         show_outcome({IntakeOutcome::Kind::device, "device.failed", done.error});
                     } else if (presenter_->active()) {
                         auto o = presenter_->apply_id_card(*read);
                         fill_applicant();
                         if (o.ok()) {
                             say(_("ID card read."), false);
                             // The card gives number, name and address: the phone is next.
                             if (presenter_->step() == IntakeStep::applicant) phone_->SetFocus();
                         } else {
                             show_outcome(o);
                         }
                     }
                     refresh_steps();
                     changed();
                 });
    changed();
}

// ---- step 3 ----

void IntakeView::open_form() {
    if (form_view_) {
        form_view_->Destroy();
        form_view_ = nullptr;
    }
    form_presenter_.reset();
    if (!presenter_->active()) return;
    form_presenter_ = std::make_unique<FormPresenter>(presenter_->form(), form_language());
    form_view_ = new FormView(form_host_, *form_presenter_);
    form_view_->SetName("intake.form");
    form_view_->on_changed([this] {
        presenter_->form_edited();
        refresh_steps();
    });
    form_view_->on_end([this] { next_step(); });  // Enter after the last field: on to the materials
    form_host_->GetSizer()->Add(form_view_, 1, wxEXPAND);
    form_host_->Layout();
}

// ---- step 4 ----

void IntakeView::refresh_materials() {
    const long sel = materials_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    material_rows_.clear();
    if (presenter_->active()) {
        try {
            material_rows_ = presenter_->materials();
        } catch (const std::exception& e) {
            wxLogError("materials: %s", e.what());
        }
    }
    materials_->Freeze();
    materials_->DeleteAllItems();
    for (std::size_t i = 0; i < material_rows_.size(); ++i) {
        const auto& m = material_rows_[i];
        const long row = materials_->InsertItem(long(i), u8(m.name));
        materials_->SetItem(row, 1, label(m.necessity));
        wxString items;
        for (const auto& n : m.serves_names) items += (items.empty() ? wxString() : wxString::FromUTF8("、")) + u8(n);
        materials_->SetItem(row, 2, items);
        wxString status = label(m.status);
        if (m.status == core::MaterialStatus::deferred && m.promised_by)
            status = wxString::Format(_("Deferred, by %s"), u8(core::format_date(*m.promised_by)));
        if (m.has_scan && m.status != core::MaterialStatus::scanned) status += wxString::FromUTF8(" · ") + _("scanned");
        materials_->SetItem(row, 3, status);
        if (m.blocking) materials_->SetItemTextColour(row, kError);
    }
    select_material(sel);
    materials_->Thaw();
}

void IntakeView::record(core::MaterialStatus status) {
    if (!presenter_->active() || busy()) return;
    const long row = materials_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    if (row < 0 || std::size_t(row) >= material_rows_.size()) {
        say(_("Choose a material in the list first."), true);
        return;
    }
    MaterialRecord r;
    r.material_code = material_rows_[std::size_t(row)].code;
    r.status = status;
    if (status == core::MaterialStatus::deferred) r.deferred_days = deferred_days_->GetValue();
    if (status == core::MaterialStatus::commitment) {
        r.commitment_text = commitment_->GetValue().utf8_string();
        if (r.commitment_text.empty()) {
            say(_("Type what the applicant commits to first."), true);
            commitment_->SetFocus();
            return;
        }
    }
    IntakeOutcome o;
    try {
        o = presenter_->record_material(r);
    } catch (const std::exception& e) {
        wxLogError("material %s: %s", r.material_code, e.what());
        say(_("The material could not be recorded. Nothing was changed; try again."), true);
        return;
    }
    if (!o.ok()) {
        show_outcome(o);
        return;
    }
    say(wxString::Format(_("%s: %s"), u8(material_rows_[std::size_t(row)].name), label(status)), false);
    refresh_materials();
    // 容缺 and 告知承诺 make a notice (once the applicant is known): step 6 lists it.
    if (status == core::MaterialStatus::deferred || status == core::MaterialStatus::commitment) show_document();
    // On to the next material.
    select_material(std::min<long>(row + 1, materials_->GetItemCount() - 1));
    if (status == core::MaterialStatus::commitment) materials_->SetFocus();
    refresh_steps();
    changed();
}

void IntakeView::scan() {
    if (!presenter_->active() || busy()) return;
    if (presenter_->step() != IntakeStep::materials) go_to(IntakeStep::materials);
    const long row = materials_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    if (row < 0 || std::size_t(row) >= material_rows_.size()) {
        say(_("Choose a material in the list first."), true);
        return;
    }
    plugins::PluginHost* host = plugin_host();
    if (!host) return;
    const std::string code = material_rows_[std::size_t(row)].code;
    ScanRequest request;
    if (const char* dev = std::getenv("ONEWINDOW_SCANNER_DEVICE")) request.device = dev;
    request.plugin = services_.device_plugin("devices.scanner");  // the settings' choice; empty: the first
    auto result = std::make_shared<ScanResult>();
    auto thumb = std::make_shared<RgbImage>();
    const wxSize box = FromDIP(wxSize(170, 220));
    ++busy_;
    say(_("Scanning..."), false);
    tasks_.start(
        [host, request, result, thumb, box](Progress&) {
            *result = IntakePresenter::scan(*host, request);
            // the thumbnail on the worker too (Poppler or PNG decoding), before recording removes the folder
            if (result->outcome.ok()) try {
                    *thumb = render_thumbnail(result->pages.empty() ? result->file : result->pages.front(), box.x, box.y);
                } catch (const std::exception&) {  // no thumbnail: the scan is kept all the same
                }
        },
                 [this, alive = alive_, result, thumb, code, row](const Progress::Snapshot& done) {
                     if (!*alive) return;
                     --busy_;
                     if (!done.error.empty()) {
                         wxLogError("scan: %s", u8(done.error));
                         show_outcome({IntakeOutcome::Kind::device, "device.failed", done.error});
                     } else if (presenter_->active()) {
                         if (!thumb->empty()) scans_[code] = wxBitmap(to_wx_image(*thumb));
                         IntakeOutcome o;
                         try {
                             o = presenter_->record_scan(code, *result);
                         } catch (const std::exception& e) {
                             wxLogError("scan %s: %s", code, e.what());
                             o = {IntakeOutcome::Kind::invalid, "workflow.invalid_input", e.what()};
                         }
                         if (o.ok()) {
                             say(_("Scanned and kept with the case."), false);
                             refresh_materials();
                             select_material(row);
                             if (auto it = scans_.find(code); it != scans_.end()) thumb_->SetBitmap(it->second);
                         } else {
                             show_outcome(o);
                         }
                     }
                     refresh_steps();
                     changed();
                 });
    changed();
}

// ---- step 5 ----

void IntakeView::refresh_decision() {
    if (!presenter_->active()) {
        promised_->SetLabel(_("Choose the item first (step 1)."));
        missing_->Clear();
        return;
    }
    DecisionPreview d;
    try {
        d = presenter_->decision_preview();
    } catch (const std::exception& e) {
        wxLogError("decision preview: %s", e.what());
        return;
    }
    wxString promised;
    if (d.promised)
        promised = wxString::Format(_("If accepted today, promised by %s (%d working days)%s"), u8(core::format_date(*d.promised)),
                                    d.promised_days, d.promised_provisional ? _(", provisional calendar") : wxString());
    else
        promised = _("Handled on the spot (no promised limit)");
    if (!d.applicant_complete) promised += wxString::FromUTF8(" · ") + _("the applicant is not complete");
    if (d.form_errors > 0) promised += wxString::FromUTF8(" · ") + wxString::Format(_("%d problems in the form"), d.form_errors);
    promised_->SetLabel(promised);
    promised_->SetForegroundColour(d.can_accept ? kOk : kError);
    // 不得两头受理: the applicant's other open cases of the item, by receipt number and state.
    wxString others;
    for (const auto& h : d.duplicates) {
        wxString state = u8(h.state);
        for (int i = 0; i <= int(core::CaseState::archived); ++i)
            if (core::to_code(core::CaseState(i)) == h.state) state = label(core::CaseState(i));
        if (!others.empty()) others += _(", ");
        others += wxString::Format(_("%s (%s)"), u8(h.receipt_no.empty() ? h.id : h.receipt_no), state);
    }
    duplicate_->SetLabel(others.empty() ? wxString()
                                        : wxString::Format(_("Caution: this applicant has another open case of this item: %s. "
                                                             "Check it before accepting the same matter twice."),
                                                           others));
    duplicate_->Show(!others.empty());
    duplicate_->Wrap(std::max(FromDIP(300), promised_->GetParent()->GetClientSize().GetWidth() - FromDIP(16)));
    wxString missing;
    for (const auto& m : d.missing) missing += wxString::FromUTF8("• ") + u8(m.name) + "\n";
    if (missing.empty()) missing = _("Nothing is missing.");
    missing_->ChangeValue(missing);
    const int sel = decision_->GetSelection();
    reason_->Enable(sel != 0);
    basis_->Enable(sel == 2);
    correction_days_->Enable(sel == 1);
    // What the clerk most likely does next, preselected when nothing was chosen by hand yet.
    promised_->GetParent()->Layout();
}

void IntakeView::show_to_applicant() {
    if (!presenter_->active()) return;
    std::vector<std::pair<wxString, wxString>> lines;
    for (const auto& l : presenter_->summary()) {
        wxString head;
        wxString value = u8(l.value);
        if (l.kind == "item") head = _("Item");
        else if (l.kind == "receipt_no") head = _("Receipt number");
        else if (l.kind == "applicant") head = _("Applicant");
        else if (l.kind == "doc_number") head = _("ID number");
        else if (l.kind == "phone") head = _("Phone");
        else if (l.kind == "answer") head = u8(l.label);
        else if (l.kind == "material") {
            head = u8(l.label);
            for (auto s : {core::MaterialStatus::pending, core::MaterialStatus::original_received, core::MaterialStatus::copy_received,
                           core::MaterialStatus::scanned, core::MaterialStatus::e_licence, core::MaterialStatus::deferred,
                           core::MaterialStatus::commitment, core::MaterialStatus::not_applicable})
                if (core::to_code(s) == l.value) value = label(s);
        } else if (l.kind == "promised") head = _("Promised by");
        else head = u8(l.label);
        lines.emplace_back(head, value);
    }
    auto* screen = applicant_screen();
    screen->show_summary(_("Please check your information"), lines);
}

ApplicantScreen* IntakeView::applicant_screen() {
    if (!applicant_screen_) {
        applicant_screen_ = new ApplicantScreen(wxGetTopLevelParent(this));
        applicant_screen_->place();
    }
    return applicant_screen_;
}

void IntakeView::commit_decision() {
    if (!presenter_->active() || busy()) return;
    if (presenter_->is_decided()) {
        go_to(IntakeStep::document);
        return;
    }
    DecisionRequest r;
    r.decision = decision_->GetSelection() == 1   ? IntakeDecision::correction
                 : decision_->GetSelection() == 2 ? IntakeDecision::refuse
                                                  : IntakeDecision::accept;
    r.reason = reason_->GetValue().utf8_string();
    r.legal_basis = basis_->GetValue().utf8_string();
    r.correction_days = correction_days_->GetValue();
    IntakeOutcome prepared;
    try {
        prepared = presenter_->prepare_decision(r);
    } catch (const std::exception& e) {
        wxLogError("decision: %s", e.what());
        say(_("The act could not be saved. Nothing was changed; try again or ask the administrator."), true);
        return;
    }
    if (prepared.code == "intake.duplicate_unconfirmed") {  // told once; deciding again accepts
        refresh_decision();
        say(_("This applicant has another open case of this item (named above). Check it; to accept anyway, decide again."), true);
        return;
    }
    if (!prepared.ok()) {
        show_outcome(prepared);
        if (prepared.code == "intake.refusal_reason_missing") reason_->SetFocus();
        if (prepared.code == "intake.legal_basis_missing") basis_->SetFocus();
        refresh_decision();
        return;
    }
    std::shared_ptr<workflow::Session> session;
    try {
        session = services_.worker_session();
    } catch (const std::exception& e) {
        wxLogError("decision: %s", e.what());
        say(_("The act could not be saved. Nothing was changed; try again or ask the administrator."), true);
        return;
    }
    const std::string case_id = presenter_->case_id();
    auto outcome = std::make_shared<DecisionOutcome>();
    ++busy_;
    commit_->Disable();
    say(_("Making and sealing the notice..."), false);
    tasks_.start([session, case_id, r, outcome](Progress&) { *outcome = IntakePresenter::run_decision(*session->workflow, case_id, r); },
                 [this, alive = alive_, outcome](const Progress::Snapshot& done) {
                     if (!*alive) return;
                     --busy_;
                     commit_->Enable();
                     if (!done.error.empty()) {
                         wxLogError("decision: %s", u8(done.error));
                         say(_("The act could not be saved. Nothing was changed; try again or ask the administrator."), true);
                     } else if (presenter_->active()) {
                         presenter_->decided(*outcome);
                         if (outcome->outcome.ok()) {
                             refresh_title();
                             refresh_materials();
                             show_document();
                             show_step(IntakeStep::document);
                             say(wxString::Format(_("Done: %s. The notice is ready to print (Ctrl+P)."), label(outcome->state)), false);
                         } else {
                             show_outcome(outcome->outcome);
                             refresh_decision();
                         }
                     }
                     refresh_steps();
                     changed();
                 });
    changed();
}

// ---- step 6 ----

void IntakeView::show_document() {
    document_rows_.clear();
    if (presenter_->active()) {
        try {
            document_rows_ = presenter_->documents();
        } catch (const std::exception& e) {
            wxLogError("documents: %s", e.what());
        }
    }
    wxArrayString titles;
    for (const auto& d : document_rows_) titles.Add(u8(d.title));
    documents_->Set(titles);
    if (document_rows_.empty()) {
        document_->SetLabel(_("No notice yet: decide on step 5 first."));
        pdf_->clear();
        return;
    }
    documents_->SetSelection(int(document_rows_.size()) - 1);  // the newest: the decision's
    show_selected_document();
}

const workflow::Document* IntakeView::selected_document() const {
    const int sel = documents_->GetSelection();
    return sel >= 0 && std::size_t(sel) < document_rows_.size() ? &document_rows_[std::size_t(sel)] : nullptr;
}

void IntakeView::show_selected_document() {
    const auto* d = selected_document();
    if (!d) return;
    document_->SetLabel(d->sealed ? wxString::Format(_("%s, sealed with %s"), u8(d->title), u8(d->seal_name))
                                  : wxString::Format(_("%s (not sealed: no seal is assigned to you)"), u8(d->title)));
    pdf_->set_pdf(d->pdf, d->title);
    document_->GetParent()->Layout();
}

void IntakeView::print_preview() {
    if (presenter_->step() != IntakeStep::document) go_to(IntakeStep::document);
    const auto* d = selected_document();
    if (!d) {
        say(_("No notice yet: decide on step 5 first."), true);
        return;
    }
    if (auto* f = ow::app::print_preview(wxGetTopLevelParent(this), d->pdf, d->title)) f->SetName("intake.print_preview");
}

bool IntakeView::print_to_file(const std::filesystem::path& out) {
    const auto* d = selected_document();
    if (!d) return false;
    try {
        ow::app::print_to_file(d->pdf, d->title, out);
    } catch (const std::exception& e) {
        wxLogError("print: %s", e.what());
        return false;
    }
    return true;
}

// ---- the desk ----

void IntakeView::fill_state(DeskState& state) const {
    state.intake_has_case = presenter_->active();
    state.intake_has_document = !document_rows_.empty();
    if (busy_ > 0) state.busy = true;
}

void IntakeView::locked() {
    if (!applicant_screen_) return;
    // A rating still asked ends (cancelled) and one being saved finishes on its worker's session
    // before the desk's store is locked.
    applicant_screen_->cancel_rating();
    applicant_screen_->wait_tasks();
    applicant_screen_->Hide();
}

void IntakeView::signed_in() {
    refresh_hits();
    refresh_drafts();
    refresh_materials();
    refresh_steps();
}

void IntakeView::fonts_changed() {
    wxFont tf = GetFont();  // the title stays bold and a step larger in either size
    tf.SetWeight(wxFONTWEIGHT_BOLD);
    tf.SetPointSize(tf.GetPointSize() + 2);
    title_->SetFont(tf);
    // GTK keeps a label's old size after a font change: measured again (the labels whose text
    // changes are measured by GTK at their next SetLabel).
    remeasure_labels(
        this,
        [this](wxStaticText* t) {
            return t == promised_ || t == prefilled_ || t == doc_check_ || t == phone_check_ || t == message_ || t == title_ ||
                   t == document_ || t == doc_label_ || t == name_label_;
        },
        form_view_);
    decision_->SetMinSize(wxSize(FromDIP(360), decision_->GetCharHeight() * 5));
    if (form_view_) form_view_->fonts_changed();
    Layout();
    for (std::size_t i = 0; i < book_->GetPageCount(); ++i) book_->GetPage(i)->Layout();
}

void IntakeView::say(const wxString& text, bool error) {
    message_->SetLabel(text);
    message_->SetForegroundColour(error ? kError : kHint);
}

void IntakeView::show_outcome(const IntakeOutcome& o) {
    if (o.ok()) return;
    if (!o.message.empty()) wxLogDebug("intake: %s: %s", o.code, o.message);
    say(outcome_text(o.code), true);
}

// ---- the scripted demo (screenshots) ----

std::string IntakeView::demo(IntakeStep upto) {
    start_new();
    search_->SetValue("xsecs");
    if (upto == IntakeStep::item) return {};
    choose_hit();
    if (!presenter_->active()) return "the bundle BUNDLE-XSECS did not start: " + message_->GetLabel().utf8_string();
    auto card = presenter_->read_id_card();
    if (!card.ok()) return "the simulated ID card was not read: " + card.code + " " + card.message;
    presenter_->set_field(ApplicantField::phone, "13800138000");
    fill_applicant();
    if (upto == IntakeStep::applicant) {
        show_step(IntakeStep::applicant);
        return {};
    }
    go_to(IntakeStep::form);
    if (!form_presenter_) return "no form";
    const std::pair<const char*, const char*> answers[] = {
        {"/baby_name", "王小宝"}, {"/baby_sex", "female"}, {"/birth_date", "2026-11-20"},
        {"/cs_hospital", "济南市妇幼保健院"}, {"/cs_weight_g", "3250"}, {"/cs_gestation_weeks", "39"},
        {"/father_known", "true"}, {"/hk_ethnicity", "汉族"}, {"/hk_register_with", "mother"},
        {"/hk_household_head", "王小测"}, {"/yb_category", "newborn"}, {"/yb_household_outside", "false"},
        {"/yb_insurance_year", "2026"}, {"/sbk_bank", "icbc"}, {"/sbk_mail", "false"},
    };
    for (const auto& [path, text] : answers) form_presenter_->set_text(path, text);
    form_presenter_->set_text("/cs_birth_place", "370102", "region");
    form_presenter_->set_text("/cs_birth_place", "经十路12号", "detail");
    form_presenter_->set_text("/mother", "李训练", "name");
    form_presenter_->set_text("/mother", "440304198511200021", "doc_number");
    form_presenter_->set_text("/father", "王小测", "name");  // the applicant (the card read on step 2)
    form_presenter_->set_text("/father", "11010519900307291X", "doc_number");
    presenter_->form_edited();
    form_view_->rebuild();
    if (upto == IntakeStep::form) {
        show_step(IntakeStep::form);
        return {};
    }
    go_to(IntakeStep::materials);
    // A synthetic photo as the scan of the photo material (no scanner in a screenshot run). Twice:
    // the scan completes the form, whose answers then call for the father's ID as well.
    for (int pass = 0; pass < 2; ++pass) {
        if (pass == 1) presenter_->commit_answers();
        for (const auto& m : presenter_->materials()) {
            if (m.status != core::MaterialStatus::pending) continue;
            if (m.code == "sbk.photo") {
                std::error_code ec;
                auto dir = private_dir() / ("demo-scan-" + std::to_string(::getpid()));
                std::filesystem::create_directories(dir, ec);
                wxImage photo(300, 400);
                photo.SetRGB(wxRect(0, 0, 300, 400), 0x3a, 0x7b, 0xd5);
                photo.SetRGB(wxRect(90, 80, 120, 150), 0xf1, 0xd3, 0xb8);
                photo.SetRGB(wxRect(60, 240, 180, 160), 0x22, 0x22, 0x22);
                const auto file = dir / "photo.png";
                if (!photo.SaveFile(wxString::FromUTF8(file.string()), wxBITMAP_TYPE_PNG)) return "the demo photo could not be written";
                ScanResult scan;
                scan.file = file;
                scan.pages = {file};
                scan.output_dir = dir;
                auto img = render_thumbnail(file, FromDIP(170), FromDIP(220));
                if (!img.empty()) scans_[m.code] = wxBitmap(to_wx_image(img));
                auto o = presenter_->record_scan(m.code, scan);
                if (!o.ok()) return "the demo scan was not recorded: " + o.code + " " + o.message;
                continue;
            }
            MaterialRecord r;
            r.material_code = m.code;
            r.status = m.necessity == core::Necessity::optional ? core::MaterialStatus::not_applicable : core::MaterialStatus::original_received;
            if (auto o = presenter_->record_material(r); !o.ok()) return "material " + m.code + ": " + o.code + " " + o.message;
        }
    }
    refresh_materials();
    if (upto == IntakeStep::materials) {
        show_step(IntakeStep::materials);
        if (materials_->GetItemCount() > 0) {
            const long last = materials_->GetItemCount() - 1;
            select_material(last);
            wxListEvent e(wxEVT_LIST_ITEM_SELECTED, materials_->GetId());
            e.m_itemIndex = last;
            materials_->GetEventHandler()->ProcessEvent(e);
        }
        return {};
    }
    go_to(IntakeStep::decision);
    if (upto == IntakeStep::decision) return {};
    auto d = presenter_->decide({});
    if (!d.outcome.ok()) {
        std::string why = "the demo intake was not accepted: " + d.outcome.code + " " + d.outcome.message;
        for (const auto& i : presenter_->form().validate().issues)
            if (i.severity == forms::Severity::error) why += "\n  " + i.path + ": " + i.code + " " + i.message_en;
        return why;
    }
    refresh_title();
    refresh_materials();
    show_document();
    show_step(IntakeStep::document);
    return {};
}

}  // namespace ow::app
