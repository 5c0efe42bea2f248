#include "online/online_view.h"

#include "common/labels.h"
#include "common/remeasure.h"

#include <wx/button.h>
#include <wx/listctrl.h>
#include <wx/log.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

namespace ow::app {

OnlineView::OnlineView(wxWindow* parent, DeskServices& services, std::function<void(const std::string&)> open_case,
                       std::function<void()> changed)
    : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "online"),
      services_(services), open_case_(std::move(open_case)), changed_(std::move(changed)),
      presenter_(std::make_unique<OnlinePresenter>(services)) {
    auto* root = new wxBoxSizer(wxVERTICAL);
    title_ = new wxStaticText(this, wxID_ANY, _("Online applications"), wxDefaultPosition, wxDefaultSize, 0, "online.title");
    wxFont bold = title_->GetFont();
    bold.SetWeight(wxFONTWEIGHT_BOLD);
    title_->SetFont(bold);
    root->Add(title_, 0, wxALL, 6);
    list_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL, wxDefaultValidator, "online.list");
    list_->AppendColumn(_("Submitted"), wxLIST_FORMAT_LEFT, FromDIP(140));
    list_->AppendColumn(_("Applicant"), wxLIST_FORMAT_LEFT, FromDIP(110));
    list_->AppendColumn(_("ID number"), wxLIST_FORMAT_LEFT, FromDIP(170));
    list_->AppendColumn(_("Phone"), wxLIST_FORMAT_LEFT, FromDIP(110));
    list_->AppendColumn(_("Item"), wxLIST_FORMAT_LEFT, FromDIP(280));
    list_->AppendColumn(_("Channel"), wxLIST_FORMAT_LEFT, FromDIP(130));
    list_->AppendColumn(_("Uploads"), wxLIST_FORMAT_LEFT, FromDIP(90));
    root->Add(list_, 1, wxEXPAND | wxLEFT | wxRIGHT, 6);
    auto* bar = new wxBoxSizer(wxHORIZONTAL);
    bar->AddStretchSpacer();
    take_ = new wxButton(this, wxID_ANY, _("Pre-check (Enter)"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "online.take");
    bar->Add(take_, 0);
    root->Add(bar, 0, wxEXPAND | wxALL, 6);
    message_ = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "online.message");
    root->Add(message_, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    SetSizer(root);

    take_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { take(); });
    list_->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent&) { take(); });
}

OnlineView::~OnlineView() = default;

void OnlineView::show() {
    fill();
    list_->SetFocus();
}

void OnlineView::fill() {
    const std::string keep = selected() >= 0 && std::size_t(selected()) < presenter_->rows().size()
                                 ? presenter_->rows()[std::size_t(selected())].id
                                 : std::string();
    try {
        presenter_->refresh();
    } catch (const std::exception& e) {
        wxLogError("online inbox: %s", e.what());
        say(_("The online applications could not be read. Try again or ask the administrator."), true);
    }
    list_->DeleteAllItems();
    long select = -1;
    const auto& rows = presenter_->rows();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        const long at = list_->InsertItem(long(i), u8(r.submitted));
        list_->SetItem(at, 1, u8(r.applicant_name));
        list_->SetItem(at, 2, u8(r.doc_number));
        list_->SetItem(at, 3, u8(r.phone));
        list_->SetItem(at, 4, u8(r.item_name));
        list_->SetItem(at, 5, label(r.channel == "mobile" ? core::Channel::mobile : core::Channel::pc));
        // TRANSLATORS: uploads of an online application: downloaded / uploaded, e.g. "2/3".
        list_->SetItem(at, 6, r.uploads_here == r.uploads ? wxString::Format("%d", r.uploads)
                                                          : wxString::Format(_("%d of %d here"), r.uploads_here, r.uploads));
        if (r.id == keep || (keep.empty() && select < 0)) select = at;
    }
    if (select >= 0) {
        list_->SetItemState(select, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
        list_->EnsureVisible(select);
    }
    take_->Enable(select >= 0);
    title_->SetLabel(wxString::Format(wxPLURAL("Online applications: %d waiting for pre-check", "Online applications: %d waiting for pre-check",
                                               unsigned(rows.size())),
                                      int(rows.size())));
    if (rows.empty()) say(_("No online applications are waiting (they come from the platform at each sync)."), false);
    Layout();
}

long OnlineView::selected() const { return list_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED); }

void OnlineView::take() {
    const long i = selected();
    if (i < 0 || std::size_t(i) >= presenter_->rows().size()) return;
    const auto row = presenter_->rows()[std::size_t(i)];
    const auto o = presenter_->take(row.id);
    if (!o.ok()) {
        wxLogMessage("online take: %s (%s)", u8(o.message), u8(o.code));
        say(o.code == "application.changed" ? _("The application was withdrawn or taken meanwhile: the list was read again.") : outcome_text(o.code),
            true);
        fill();
        return;
    }
    for (const auto& n : o.notes) wxLogMessage("online take: %s", u8(n));
    fill();
    say(wxString::Format(_("%s's application is taken for pre-check."), u8(row.applicant_name)), false);
    changed_();
    if (open_case_) open_case_(o.case_id);
}

void OnlineView::locked() {
    presenter_ = std::make_unique<OnlinePresenter>(services_);  // nothing of the store kept
    list_->DeleteAllItems();
}

void OnlineView::signed_in() { fill(); }

void OnlineView::fonts_changed() {
    remeasure_labels(this, [this](wxStaticText* t) { return t == title_ || t == message_; });
    Layout();
}

void OnlineView::say(const wxString& text, bool error) {
    message_->SetForegroundColour(error ? wxColour(0xb0, 0x1c, 0x1c) : wxColour(0x1c, 0x6c, 0x2c));
    message_->SetLabel(text);
    Layout();
}

}  // namespace ow::app
