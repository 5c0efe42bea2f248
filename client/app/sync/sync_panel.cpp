#include "sync/sync_panel.h"

#include "common/labels.h"
#include "common/remeasure.h"

#include <wx/button.h>
#include <wx/listctrl.h>
#include <wx/log.h>
#include <wx/msgdlg.h>
#include <wx/panel.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/textdlg.h>

namespace ow::app {
namespace {

wxString kind_label(SyncIssueRow::Kind k) {
    switch (k) {
        // TRANSLATORS: a sync record: the platform already decided differently
        case SyncIssueRow::Kind::conflict: return _("Conflict");
        // TRANSLATORS: a sync record: the platform refused a change; it waits for the clerk
        case SyncIssueRow::Kind::quarantine: return _("Refused change");
        // TRANSLATORS: a sync record: something the engine could not use (a damaged scan, an unknown change)
        case SyncIssueRow::Kind::problem: return _("Problem");
    }
    return {};
}

/// What a reason code means, in the clerk's language; empty for a code without a description
/// (then the platform's own message is shown).
wxString describe(const std::string& code) {
    auto starts = [&](const char* p) { return code.rfind(p, 0) == 0; };
    if (code == "resync.unknown_case") return _("The platform holds a case of this terminal that this computer does not have");
    if (code == "change.unknown_case") return _("The platform sent news of a case this computer does not have");
    if (code == "change.unknown_type" || code == "change.unusable") return _("The platform sent a change this version cannot use");
    if (code == "blob.damaged") return _("A scan on this computer is damaged and cannot be sent; scan it again");
    if (code == "blob.refused") return _("The platform refused a scan");
    if (code == "audit.rewritten")
        return _("The platform reports that this computer's audit trail was altered after it was last synced: tell the "
                 "centre's administrator at once");
    if (code == "platform.clock_offset")
        return _("The platform's clock is more than a day away from this computer's: sync is stopped. Check this computer's "
                 "date and time and tell the platform's operators");
    if (code == "blob.upload_failed") return _("A scan did not reach the platform intact after three tries");
    if (code == "local.unmappable") return _("The change cannot be put into the platform's format");
    if (code == "calendar.invalid" || code == "catalogue.invalid") return _("The platform sent a calendar or catalogue that cannot be used");
    if (starts("conflict.")) return _("The platform has already decided this case differently");
    if (starts("invalid.")) return _("The platform refused the data of this change");
    return {};
}

enum { kIdResend = wxID_HIGHEST + 100, kIdResolve, kIdSyncNow, kIdReload, kIdClose };

}  // namespace

SyncPanelWindow::SyncPanelWindow(wxWindow* parent, DeskServices& services)
    : wxFrame(parent, wxID_ANY, _("Sync records"), wxDefaultPosition, wxSize(1000, 520),
              wxDEFAULT_FRAME_STYLE | wxFRAME_FLOAT_ON_PARENT),
      services_(services), user_(services.store().user().name) {
    auto* root = new wxPanel(this);
    auto* box = new wxBoxSizer(wxVERTICAL);
    summary_ = new wxStaticText(root, wxID_ANY, wxEmptyString);
    box->Add(summary_, 0, wxALL | wxEXPAND, 10);
    list_ = new wxListCtrl(root, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    // TRANSLATORS: column of the sync panel: conflict, refused change or problem
    list_->AppendColumn(_("Type of record"), wxLIST_FORMAT_LEFT, 70);
    list_->AppendColumn(_("Receipt no."), wxLIST_FORMAT_LEFT, 190);
    list_->AppendColumn(_("Reason"), wxLIST_FORMAT_LEFT, 210);
    list_->AppendColumn(_("Details"), wxLIST_FORMAT_LEFT, 380);
    list_->AppendColumn(_("Time"), wxLIST_FORMAT_LEFT, 100);
    fit_headers(list_);
    box->Add(list_, 1, wxLEFT | wxRIGHT | wxEXPAND, 10);
    detail_ = new wxTextCtrl(root, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(-1, 80), wxTE_MULTILINE | wxTE_READONLY);
    box->Add(detail_, 0, wxLEFT | wxRIGHT | wxTOP | wxEXPAND, 10);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    // TRANSLATORS: button: send a refused change to the platform again (after the cause was fixed)
    resend_ = new wxButton(root, kIdResend, _("Send &again"));
    // TRANSLATORS: button: mark a sync record as dealt with (asks for a note)
    resolve_ = new wxButton(root, kIdResolve, _("&Mark dealt with..."));
    buttons->Add(resend_, 0, wxRIGHT, 8);
    buttons->Add(resolve_, 0, wxRIGHT, 8);
    buttons->AddStretchSpacer();
    if (services_.engine()) buttons->Add(new wxButton(root, kIdSyncNow, _("&Sync now")), 0, wxRIGHT, 8);
    buttons->Add(new wxButton(root, kIdReload, _("&Refresh")), 0, wxRIGHT, 8);
    buttons->Add(new wxButton(root, kIdClose, _("&Close")), 0);
    box->Add(buttons, 0, wxALL | wxEXPAND, 10);
    root->SetSizer(box);

    list_->Bind(wxEVT_LIST_ITEM_SELECTED, &SyncPanelWindow::on_selected, this);
    list_->Bind(wxEVT_LIST_ITEM_DESELECTED, &SyncPanelWindow::on_selected, this);
    Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        const auto* row = selected();
        if (!row) return;
        if (!resend_issue(services_.store().db(), *row, user_, services_.now()))
            wxMessageBox(_("This record is no longer waiting to be sent."), _("Sync records"), wxOK | wxICON_INFORMATION, this);
        else
            services_.wake_sync();
        reload();
    }, kIdResend);
    Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        const auto* row = selected();
        if (!row) return;
        wxTextEntryDialog ask(this, _("How was it dealt with? (e.g. checked with the back office)"), _("Mark dealt with"));
        if (ask.ShowModal() != wxID_OK) return;
        wxString note = ask.GetValue().Trim().Trim(false);
        if (note.empty()) {
            wxMessageBox(_("Please say how the record was dealt with."), _("Mark dealt with"), wxOK | wxICON_WARNING, this);
            return;
        }
        resolve_issue(services_.store().db(), *row, note.utf8_string(), user_, services_.now());
        reload();
    }, kIdResolve);
    Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        services_.wake_sync();
    }, kIdSyncNow);
    Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { reload(); }, kIdReload);
    Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Close(); }, kIdClose);
    reload();
}

void SyncPanelWindow::reload() {
    try {
        panel_ = load_sync_panel(services_.store().db());
    } catch (const std::exception& e) {
        wxLogError("sync panel: %s", u8(e.what()));
        summary_->SetLabel(_("The sync records cannot be read. Try again or ask the administrator."));
        return;
    }
    const wxString sep = wxString::FromUTF8(" · ");
    wxString s = wxString::Format(_("Waiting to sync: %lld changes of %lld cases"), static_cast<long long>(panel_.status.queued_mutations),
                                  static_cast<long long>(panel_.status.queued_cases));
    if (panel_.status.held_mutations > 0) s += sep + wxString::Format(_("%lld held behind a refused change"), static_cast<long long>(panel_.status.held_mutations));
    s += sep + wxString::Format(_("scans to upload: %lld (%.1f MB)"), static_cast<long long>(panel_.status.blobs_pending), double(panel_.status.blob_bytes_pending) / 1e6);
    s += "\n" + (panel_.last_success.empty() ? _("Never synced") : wxString::Format(_("Last success %s"), u8(panel_.last_success)));
    // The engine's own words are English: the clerk reads that the pass failed, the detail is the
    // tooltip's (for the administrator).
    if (!panel_.status.last_error.empty()) s += sep + _("the last sync pass failed (point here for the details)");
    summary_->SetToolTip(panel_.status.last_error.empty() ? wxString() : u8(panel_.status.last_error));
    s += "\n" + wxString::Format(wxPLURAL("%zu record needs attention", "%zu records need attention", unsigned(panel_.issues.size())),
                                 panel_.issues.size());
    summary_->SetLabel(s);
    list_->Freeze();
    list_->DeleteAllItems();
    for (std::size_t i = 0; i < panel_.issues.size(); ++i) {
        const auto& r = panel_.issues[i];
        long at = list_->InsertItem(long(i), kind_label(r.kind));
        list_->SetItem(at, 1, r.receipt_no.empty() ? wxString::FromUTF8("—") : u8(r.receipt_no));
        list_->SetItem(at, 2, u8(r.code));
        // The clerk's language only: a code without a description says what kind of trouble it is;
        // the platform's own words are in the detail below, marked as such.
        wxString what = describe(r.code);
        list_->SetItem(at, 3, what.empty() ? _("Not taken by the platform (its own words are in the details)") : what);
        list_->SetItem(at, 4, u8(r.at));
    }
    list_->Thaw();
    if (!panel_.issues.empty()) {  // keyboard first: the first record is selected, the list has the focus
        list_->SetItemState(0, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
        list_->SetFocus();
    }
    summary_->GetParent()->Layout();
    update_buttons();
}

const SyncIssueRow* SyncPanelWindow::selected() const {
    long i = list_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    if (i < 0 || std::size_t(i) >= panel_.issues.size()) return nullptr;
    return &panel_.issues[std::size_t(i)];
}

void SyncPanelWindow::on_selected(wxListEvent&) { update_buttons(); }

void SyncPanelWindow::update_buttons() {
    const auto* row = selected();
    wxString d;
    if (row) {
        wxString what = describe(row->code);
        if (!what.empty()) d << what << "\n";
        d << _("In the platform's own words (for the administrator):") << " " << u8(row->code) << ": " << u8(row->message);
        if (!row->mutation_id.empty()) d << "\n" << wxString::Format(_("Change %s"), u8(row->mutation_id));
    }
    detail_->ChangeValue(d);
    resend_->Enable(row && row->can_resend);
    resolve_->Enable(row != nullptr);
}

}  // namespace ow::app
