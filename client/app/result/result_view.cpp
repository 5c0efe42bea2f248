#include "result/result_view.h"

#include "cases/cases_presenter.h"
#include "common/case_queue_list.h"
#include "common/labels.h"
#include "common/page_viewer.h"
#include "common/pdf_print.h"
#include "common/quiet_list_box.h"
#include "common/remeasure.h"
#include "common/signature_pad.h"
#include "rating/rating_presenter.h"
#include "shell/applicant_screen.h"

#include "ow/core/date.h"

#include <wx/bitmap.h>
#include <wx/button.h>
#include <wx/combobox.h>
#include <wx/image.h>
#include <wx/log.h>
#include <wx/sizer.h>
#include <wx/statbmp.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <algorithm>

namespace ow::app {
namespace {

/// The empty signature box: white with a grey frame (a bare wxBitmap is black on GTK).
wxBitmap blank_signature(int w, int h) {
    wxImage img(w, h);
    img.SetRGB(wxRect(0, 0, w, h), 0xff, 0xff, 0xff);
    for (int x = 0; x < w; ++x) img.SetRGB(x, 0, 0xb0, 0xb0, 0xb0), img.SetRGB(x, h - 1, 0xb0, 0xb0, 0xb0);
    for (int y = 0; y < h; ++y) img.SetRGB(0, y, 0xb0, 0xb0, 0xb0), img.SetRGB(w - 1, y, 0xb0, 0xb0, 0xb0);
    return wxBitmap(img);
}

bool enter(const wxKeyEvent& e) { return (e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER) && !e.HasAnyModifiers(); }

}  // namespace

ResultView::ResultView(wxWindow* parent, DeskServices& services, TaskRunner& tasks, std::function<ApplicantScreen*()> applicant_screen,
                       std::function<void()> changed)
    : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "result"),
      services_(services), tasks_(tasks), applicant_screen_(std::move(applicant_screen)), changed_(std::move(changed)),
      presenter_(std::make_unique<ResultPresenter>(services)) {
    auto* root = new wxBoxSizer(wxHORIZONTAL);
    auto* left = new wxBoxSizer(wxVERTICAL);
    queue_ = std::make_unique<CaseQueueList>(
        this, left, services, store::Queue::to_issue, "result", _("To issue"),
        [](const CaseRow& r) { return wxString::Format("%s  %s  %s", (r.green ? green_mark() : wxString()) + u8(r.applicant_name), label(r.state), u8(r.item_name)); },
        [this](const std::string& id) { open_case(id); });
    root->Add(left, 0, wxEXPAND);

    auto* centre = new wxBoxSizer(wxVERTICAL);
    title_ = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxST_ELLIPSIZE_END, "result.title");
    wxFont bold = title_->GetFont();
    bold.SetWeight(wxFONTWEIGHT_BOLD);
    title_->SetFont(bold);
    centre->Add(title_, 0, wxEXPAND | wxALL, 4);
    viewer_ = new PageViewer(this);
    viewer_->SetName("result.viewer");
    centre->Add(viewer_, 1, wxEXPAND | wxALL, 2);
    root->Add(centre, 3, wxEXPAND);

    auto* form = new wxPanel(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "result.form");
    form_ = form;
    auto* v = new wxBoxSizer(wxVERTICAL);
    info_ = new wxStaticText(form, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "result.info");
    v->Add(info_, 0, wxEXPAND | wxALL, 4);
    v->Add(new wxStaticText(form, wxID_ANY, _("Handover (Up / Down, Enter):")), 0, wxLEFT | wxTOP, 4);
    mode_ = new QuietListBox(form, wxSize(FromDIP(300), -1), "result.mode");
    mode_->Append(_("Pickup, signed on the signature pad"));
    mode_->Append(_("Pickup, signed on the paper receipt"));
    mode_->Append(_("By mail"));
    mode_->SetSelection(0);
    mode_->SetMinSize(wxSize(FromDIP(300), mode_->GetCharHeight() * 5));
    v->Add(mode_, 0, wxEXPAND | wxALL, 4);
    auto* grid = new wxFlexGridSizer(2, wxSize(6, 4));
    grid->AddGrowableCol(1, 1);
    auto label = [&](const wxString& text) { grid->Add(new wxStaticText(form, wxID_ANY, text), 0, wxALIGN_CENTER_VERTICAL); };
    label(_("Recipient"));
    recipient_ = new wxTextCtrl(form, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER, wxDefaultValidator,
                                "result.recipient");
    grid->Add(recipient_, 1, wxEXPAND);
    label(_("Address"));
    address_ = new wxTextCtrl(form, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER, wxDefaultValidator,
                              "result.address");
    grid->Add(address_, 1, wxEXPAND);
    label(_("Carrier"));
    wxArrayString carriers;
    for (const auto& c : ResultPresenter::carriers()) carriers.Add(u8(c));
    carrier_ = new wxComboBox(form, wxID_ANY, carriers[0], wxDefaultPosition, wxDefaultSize, carriers, wxTE_PROCESS_ENTER, wxDefaultValidator,
                              "result.carrier");
    grid->Add(carrier_, 1, wxEXPAND);
    label(_("Tracking number"));
    tracking_ = new wxTextCtrl(form, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER, wxDefaultValidator,
                               "result.tracking");
    grid->Add(tracking_, 1, wxEXPAND);
    v->Add(grid, 0, wxEXPAND | wxALL, 4);
    auto* sig = new wxBoxSizer(wxHORIZONTAL);
    sign_ = new wxButton(form, wxID_ANY, _("&Sign on the pad"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "result.sign");
    sig->Add(sign_, 0, wxALIGN_CENTER_VERTICAL | wxALL, 4);
    signature_bitmap_ = new wxStaticBitmap(form, wxID_ANY, blank_signature(FromDIP(180), FromDIP(60)), wxDefaultPosition, wxDefaultSize, 0,
                                           "result.signature");
    sig->Add(signature_bitmap_, 0, wxALIGN_CENTER_VERTICAL | wxALL, 4);
    v->Add(sig, 0);
    // One button a line, as wide as the column: no label is cut off (English, the large font).
    commit_ = new wxButton(form, wxID_ANY, _("Hand out (Ctrl+Enter)"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "result.commit");
    v->Add(commit_, 0, wxEXPAND | wxALL, 3);
    print_ = new wxButton(form, wxID_ANY, _("&Print the receipt..."), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "result.print");
    v->Add(print_, 0, wxEXPAND | wxALL, 3);
    rate_ = new wxButton(form, wxID_ANY, _("Ask the applicant to &rate"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "result.rate");
    v->Add(rate_, 0, wxEXPAND | wxALL, 3);
    // The rating device (评价器) is the other way in: the applicant presses its key.
    rate_device_ = new wxButton(form, wxID_ANY, _("On the rating &device"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator,
                                "result.rate_device");
    v->Add(rate_device_, 0, wxEXPAND | wxALL, 3);
    message_ = new wxStaticText(form, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "result.message");
    v->Add(message_, 0, wxEXPAND | wxALL, 4);
    form->SetSizer(v);
    root->Add(form, 2, wxEXPAND);
    SetSizer(root);

    queue_->list()->Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& e) {
        if (enter(e)) mode_->SetFocus();
        else e.Skip();
    });
    mode_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent&) { refresh_mode(); });
    // Enter on a GTK list is its "activate" (a double click to wx): the key or the event, once.
    auto chosen = [this] {
        if (mode() == HandoverMode::mail) address_->SetFocus();
        else if (mode() == HandoverMode::pickup_signed && !signature_) sign();
        else recipient_->SetFocus();
    };
    mode_->Bind(wxEVT_KEY_DOWN, [chosen](wxKeyEvent& e) {
        if (enter(e)) chosen();
        else e.Skip();
    });
    mode_->Bind(wxEVT_LISTBOX_DCLICK, [chosen](wxCommandEvent&) { chosen(); });
    queue_->list()->Bind(wxEVT_LISTBOX_DCLICK, [this](wxCommandEvent&) { mode_->SetFocus(); });
    recipient_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { issue(); });
    address_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { carrier_->SetFocus(); });
    carrier_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { tracking_->SetFocus(); });
    tracking_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { issue(); });
    sign_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { sign(); });
    commit_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { issue(); });
    print_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { print_preview(); });
    rate_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { ask_rating(); });
    rate_device_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { ask_rating(true); });
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        const bool ctrl_enter = (e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER) && e.ControlDown() && !e.AltDown();
        if (ctrl_enter) issue();
        else e.Skip();
    });
    fill_case();
}

ResultView::~ResultView() {
    *alive_ = false;
    drop_signature();
}

wxString ResultView::message() const { return message_->GetLabel(); }

void ResultView::say(const wxString& text, bool error) {
    message_->SetForegroundColour(error ? wxColour(0xb0, 0x00, 0x20) : GetForegroundColour());
    message_->SetLabel(text);
    message_->Wrap(std::max(FromDIP(200), form_->GetClientSize().x - FromDIP(12)));
    Layout();
}

void ResultView::show(const std::string& case_id) {
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
    if (presenter_->issuable()) mode_->SetFocus();
    else if (!c || listed) queue_->list()->SetFocus();
    else if (presenter_->ratable()) rate_->SetFocus();
    else print_->SetFocus();
}

bool ResultView::open_row(int row) {
    const auto id = queue_->id_at(row);
    if (id.empty()) return false;
    open_case(id);
    return presenter_->current() != nullptr;
}

void ResultView::refresh_queue() {
    const auto* c = presenter_->current();
    queue_->refresh(c ? c->case_id : std::string());
}

void ResultView::open_case(const std::string& case_id) {
    if (busy()) return;
    drop_signature();
    try {
        if (!presenter_->open(case_id)) {
            say(_("This case is not there any more: the queue was read again."), true);
            refresh_queue();
        }
    } catch (const std::exception& e) {
        wxLogError("result: %s", e.what());
        say(_("The case could not be read. Try again or ask the administrator."), true);
    }
    queue_->select(case_id);  // the queue's row of the case
    fill_case();
}

void ResultView::fill_case() {
    const ResultCase* c = presenter_->current();
    if (!c) {
        title_->SetLabel(_("No case open: choose one in the queue (Up / Down)."));
        info_->SetLabel(wxString());
        viewer_->set_documents({});
        form_->Enable(false);
        Layout();
        return;
    }
    form_->Enable(true);
    title_->SetLabel(wxString::Format("%s · %s · %s · %s", u8(c->receipt_no), u8(c->item_name), u8(c->applicant_name), label(c->state)));
    wxString info;
    if (c->decided_at)
        info = wxString::Format(_("Decided: %s"), c->approved ? _("approved") : _("denied")) + "\n" +
               wxString::Format(_("by %s, %s"), u8(c->decided_by), u8(core::format_china_minute(*c->decided_at)));
    if (!c->phone.empty()) info += "\n" + wxString::Format(_("Phone: %s"), u8(c->phone));
    if (c->fees_due_fen > 0)
        info += "\n" + wxString::Format(_("Fees due: %s yuan. Collect them first (Ctrl+Shift+Y on the cases page)."),
                                        u8(core::format_yuan(c->fees_due_fen)));
    info_->SetLabel(info);
    std::vector<ViewerDocument> docs;
    if (c->receipt) docs.push_back({c->receipt->title, c->receipt->kind, c->receipt->pdf, "application/pdf"});
    if (c->decision) docs.push_back({c->decision->title, c->decision->kind, c->decision->pdf, "application/pdf"});
    viewer_->set_documents(std::move(docs));
    recipient_->ChangeValue(u8(c->applicant_name));
    address_->ChangeValue(u8(c->address));
    tracking_->ChangeValue(wxString());
    const bool issuable = presenter_->issuable();
    mode_->Enable(issuable);
    recipient_->Enable(issuable);
    commit_->Enable(issuable);
    print_->Enable(c->receipt.has_value());
    rate_->Enable(presenter_->ratable());
    rate_device_->Enable(presenter_->ratable());
    if (!issuable && c->state == core::CaseState::result_issued)
        say(c->rated ? _("Handed out and rated.") : _("Handed out; the applicant has not rated yet."), false);
    else if (!issuable && c->state != core::CaseState::rated && c->state != core::CaseState::archived)
        say(wxString::Format(_("Not decided yet (%s): nothing to hand out."), label(c->state)), false);
    else
        say(wxString(), false);
    refresh_mode();
    Layout();
}

HandoverMode ResultView::mode() const {
    switch (mode_->GetSelection()) {
    case 1: return HandoverMode::pickup_paper;
    case 2: return HandoverMode::mail;
    default: return HandoverMode::pickup_signed;
    }
}

void ResultView::refresh_mode() {
    const bool issuable = presenter_->issuable() && !busy();
    const bool mail = mode() == HandoverMode::mail;
    address_->Enable(issuable && mail);
    carrier_->Enable(issuable && mail);
    tracking_->Enable(issuable && mail);
    sign_->Enable(issuable && mode() == HandoverMode::pickup_signed);
    signature_bitmap_->Show(mode() == HandoverMode::pickup_signed);
    form_->Layout();
}

void ResultView::drop_signature() {
    if (signature_dir_) {
        SignatureResult r;
        r.output_dir = *signature_dir_;
        r.own_dir = true;
        discard_signature(r);
    }
    signature_.reset();
    signature_dir_.reset();
    if (signature_bitmap_) signature_bitmap_->SetBitmap(blank_signature(FromDIP(180), FromDIP(60)));
}

void ResultView::sign() {
    if (busy() || !presenter_->issuable()) return;
    plugins::PluginHost* host = nullptr;
    try {
        host = &services_.plugins();
    } catch (const std::exception& e) {
        wxLogError("plugins: %s", e.what());
        say(outcome_text("device.none"), true);
        return;
    }
    drop_signature();
    auto result = std::make_shared<SignatureResult>();
    ++busy_;
    sign_->Disable();
    say(_("Waiting for the signature on the pad..."), false);
    SignatureRequest request;
    request.plugin = services_.device_plugin("devices.signature");  // the settings' choice; empty: the first that answers
    tasks_.start([host, result, request](Progress&) { *result = capture_signature(*host, request); },
                 [this, alive = alive_, result](const Progress::Snapshot& done) {
                     if (!*alive) {
                         discard_signature(*result);
                         return;
                     }
                     --busy_;
                     refresh_mode();
                     if (!done.error.empty() || !result->ok()) {
                         if (!done.error.empty()) wxLogError("signature: %s", u8(done.error));
                         discard_signature(*result);
                         say(outcome_text(result->code.empty() ? "device.failed" : result->code) + "\n" +
                                 _("The recipient may sign the paper receipt instead (Down, Enter)."),
                             true);
                         changed();
                         return;
                     }
                     signature_ = result->png;
                     if (result->own_dir) signature_dir_ = result->output_dir;
                     wxImage img;
                     if (img.LoadFile(wxString(result->png.string()), wxBITMAP_TYPE_PNG) && img.IsOk()) {
                         const int w = FromDIP(180), h = FromDIP(60);
                         const double k = std::min(double(w) / img.GetWidth(), double(h) / img.GetHeight());
                         img.Rescale(std::max(1, int(img.GetWidth() * k)), std::max(1, int(img.GetHeight() * k)), wxIMAGE_QUALITY_HIGH);
                         wxImage box = blank_signature(w, h).ConvertToImage();
                         box.Paste(img, (w - img.GetWidth()) / 2, (h - img.GetHeight()) / 2, wxIMAGE_ALPHA_BLEND_COMPOSE);
                         signature_bitmap_->SetBitmap(wxBitmap(box));
                     }
                     // The training pad signs by itself: say so, so that a desk whose real pad is
                     // missing never takes a made-up signature for the applicant's.
                     say(result->source == "simulator" ? _("Signed on the simulated pad (training only). Ctrl+Enter hands the result out.")
                                                       : _("Signed. Ctrl+Enter hands the result out."),
                         result->source == "simulator");
                     commit_->SetFocus();
                     form_->Layout();
                     changed();
                 });
    changed();
}

void ResultView::issue() {
    if (busy() || !presenter_->issuable()) {
        if (!busy()) wxBell();
        return;
    }
    HandoverRequest r;
    r.mode = mode();
    r.recipient = recipient_->GetValue().utf8_string();
    if (r.mode == HandoverMode::pickup_signed) r.signature_png = signature_;
    r.address = address_->GetValue().utf8_string();
    r.carrier = carrier_->GetValue().utf8_string();
    r.tracking_no = tracking_->GetValue().utf8_string();
    auto prepared = presenter_->prepare(r);
    if (!prepared.ok()) {
        say(outcome_text(prepared.code), true);
        if (prepared.code == "result.signature_missing") sign_->SetFocus();
        else if (prepared.code == "result.address_missing") address_->SetFocus();
        else if (prepared.code == "result.carrier_missing") carrier_->SetFocus();
        else if (prepared.code == "result.tracking_missing" || prepared.code == "result.tracking_format") {
            tracking_->SetFocus();
            tracking_->SelectAll();  // typed again over the wrong one
        }
        return;
    }
    std::shared_ptr<workflow::Session> session;
    try {
        session = services_.worker_session();
    } catch (const std::exception& e) {
        wxLogError("result: %s", e.what());
        say(_("The act could not be saved. Nothing was changed; try again or ask the administrator."), true);
        return;
    }
    const std::string case_id = presenter_->current()->case_id;
    auto outcome = std::make_shared<ResultOutcome>();
    ++busy_;
    commit_->Disable();
    say(_("Handing out and making the receipt..."), false);
    tasks_.start([session, case_id, r, outcome](Progress&) { *outcome = ResultPresenter::run(*session->workflow, case_id, r); },
                 [this, alive = alive_, outcome](const Progress::Snapshot& done) {
                     if (!*alive) return;
                     --busy_;
                     if (!done.error.empty()) {
                         wxLogError("result: %s", u8(done.error));
                         commit_->Enable();
                         say(_("The act could not be saved. Nothing was changed; try again or ask the administrator."), true);
                         changed();
                         return;
                     }
                     if (outcome->ok()) {
                         drop_signature();  // the workflow removed the file; its folder goes too
                         presenter_->issued(*outcome);
                         refresh_queue();
                         fill_case();
                         say(wxString::Format(_("Handed out. %s is ready to print (Ctrl+P); the applicant is asked to rate."),
                                              outcome->receipt ? u8(outcome->receipt->title) : _("The receipt")),
                             false);
                         ask_rating();
                     } else {
                         commit_->Enable();
                         say(outcome_text(outcome->code), true);
                     }
                     changed();
                 });
    changed();
}

void ResultView::print_preview() {
    const auto* c = presenter_->current();
    if (!c || !c->receipt) {
        say(_("No receipt yet: hand the result out first."), true);
        return;
    }
    if (auto* f = ow::app::print_preview(wxGetTopLevelParent(this), c->receipt->pdf, c->receipt->title)) f->SetName("result.print_preview");
}

bool ResultView::print_to_file(const std::filesystem::path& out) {
    const auto* c = presenter_->current();
    if (!c || !c->receipt) return false;
    try {
        ow::app::print_to_file(c->receipt->pdf, c->receipt->title, out);
        return true;
    } catch (const std::exception& e) {
        wxLogError("print: %s", e.what());
        return false;
    }
}

void ResultView::ask_rating(bool device) {
    if (!presenter_->ratable()) return;
    auto* screen = applicant_screen_ ? applicant_screen_() : nullptr;
    if (!screen) return;
    screen->ask_rating(
        services_, presenter_->current()->case_id,
        [this, alive = alive_](const RatingOutcome& o) {
            if (*alive) rated(o);
        },
        device ? ApplicantScreen::RatingWay::device : ApplicantScreen::RatingWay::screen);
    rate_->Disable();
    rate_device_->Disable();
}

void ResultView::rated(const RatingOutcome& o) {
    const std::string id = presenter_->current() ? presenter_->current()->case_id : std::string();
    if (!id.empty()) {
        try {
            presenter_->open(id);
        } catch (const std::exception& e) {
            wxLogError("result: %s", e.what());
        }
        fill_case();
    }
    if (o.ok()) {
        wxString level;
        for (const auto& c : rating_choices())
            if (c.level == o.level) level = wxGetTranslation(wxString::FromUTF8(c.label));
        say(o.follow_up ? wxString::Format(_("Rated: %s. A follow-up was opened (Follow-ups, Ctrl+8)."), level)
                        : wxString::Format(_("Rated: %s. Thank you."), level),
            !o.follow_up ? false : true);
    } else if (o.kind == RatingOutcome::Kind::cancelled) {
        say(_("The applicant did not rate."), false);
    } else {
        say(outcome_text(o.code), true);
    }
    changed();
}

void ResultView::locked() { drop_signature(); }  // the applicant signs again after the lock

void ResultView::signed_in() {
    if (presenter_->current()) show();  // the case open before the lock, read again (nothing read for a page never opened)
}

void ResultView::fonts_changed() {
    mode_->SetMinSize(wxSize(FromDIP(300), mode_->GetCharHeight() * 5));
    remeasure_labels(this, [this](wxStaticText* t) { return t == title_ || t == info_ || t == message_ || t == queue_->label(); });
    wxFont bold = GetFont();  // the title stays bold in either size
    bold.SetWeight(wxFONTWEIGHT_BOLD);
    title_->SetFont(bold);
    form_->Layout();
    Layout();
}

}  // namespace ow::app
