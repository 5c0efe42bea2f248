#include "shell/main_frame.h"

#include "sync/sync_panel.h"

#include "intake/item_guide.h"
#include "common/labels.h"

#include "ow/store/db.h"

#include <wx/aboutdlg.h>
#include <wx/datetime.h>
#include <wx/listbox.h>
#include <wx/listctrl.h>
#include <wx/menu.h>
#include <wx/panel.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/splitter.h>
#include <wx/srchctrl.h>
#include <wx/stattext.h>
#include <wx/statusbr.h>
#include <wx/textctrl.h>

namespace ow::app {
namespace {

enum { kIdFocusSearch = wxID_HIGHEST + 1, kIdLargeFont, kIdSyncNow, kIdSyncPanel };

const wxColour kHeaderBg(0x8a, 0x1c, 0x1c);  // the hall's red
const wxColour kHeaderFg(*wxWHITE);

}  // namespace

MainFrame::MainFrame(const DeskContext& ctx)
    : wxFrame(nullptr, wxID_ANY, _("OneWindow: comprehensive window desk"), wxDefaultPosition, wxSize(1366, 768)),
      ctx_(ctx), presenter_(*ctx.catalogue), timer_(this) {
    build_menu();
    auto* root = new wxPanel(this);
    auto* v = new wxBoxSizer(wxVERTICAL);
    v->Add(build_header(root), 0, wxEXPAND);

    auto* body = new wxBoxSizer(wxHORIZONTAL);
    // Left: zone filter.
    auto* left = new wxBoxSizer(wxVERTICAL);
    left->Add(new wxStaticText(root, wxID_ANY, _("Service catalogue")), 0, wxALL, 6);
    filter_list_ = new wxListBox(root, wxID_ANY, wxDefaultPosition, wxSize(210, -1));
    left->Add(filter_list_, 1, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    body->Add(left, 0, wxEXPAND);

    // Centre: search and list.
    auto* centre = new wxBoxSizer(wxVERTICAL);
    search_ = new wxSearchCtrl(root, wxID_ANY, wxEmptyString, wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER);
    search_->SetDescriptiveText(_("Name, code or pinyin initials (Ctrl+F)"));
    search_->ShowCancelButton(true);
    centre->Add(search_, 0, wxEXPAND | wxALL, 6);
    list_ = new wxListCtrl(root, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    list_->AppendColumn(_("Service item"), wxLIST_FORMAT_LEFT, 260);
    list_->AppendColumn(_("Kind"), wxLIST_FORMAT_LEFT, 80);
    list_->AppendColumn(_("Promised limit (working days)"), wxLIST_FORMAT_RIGHT, 130);
    list_->AppendColumn(_("Legal limit (working days)"), wxLIST_FORMAT_RIGHT, 130);
    list_->AppendColumn(_("Handling"), wxLIST_FORMAT_LEFT, 90);
    list_->AppendColumn(_("Department"), wxLIST_FORMAT_LEFT, 160);
    centre->Add(list_, 1, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    body->Add(centre, 3, wxEXPAND);

    // Right: the guide.
    guide_ = new wxTextCtrl(root, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(440, -1),
                            wxTE_MULTILINE | wxTE_READONLY | wxTE_RICH2 | wxTE_WORDWRAP | wxBORDER_NONE);
    body->Add(guide_, 2, wxEXPAND | wxTOP | wxRIGHT | wxBOTTOM, 6);
    v->Add(body, 1, wxEXPAND);
    root->SetSizer(v);

    CreateStatusBar(3);
    int widths[] = {-2, -4, -2};
    GetStatusBar()->SetStatusWidths(3, widths);

    fill_filters();
    refresh_rows();
    update_clock();
    update_sync_bar();

    filter_list_->Bind(wxEVT_LISTBOX, &MainFrame::on_filter, this);
    search_->Bind(wxEVT_TEXT, &MainFrame::on_search, this);
    search_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) {
        if (list_->GetItemCount() > 0) {
            list_->SetItemState(0, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
            list_->SetFocus();
        }
    });
    list_->Bind(wxEVT_LIST_ITEM_SELECTED, &MainFrame::on_row_selected, this);
    Bind(wxEVT_TIMER, &MainFrame::on_timer, this);
    timer_.Start(1000);
    search_->SetFocus();
}

void MainFrame::build_menu() {
    auto* file = new wxMenu;
    file->Append(wxID_EXIT, _("E&xit\tCtrl+Q"));
    if (ctx_.engine) {
        // TRANSLATORS: menu item that starts a sync pass with the platform at once
        file->Insert(0, kIdSyncNow, _("&Sync now\tF9"));
        file->InsertSeparator(1);
        Bind(wxEVT_MENU, [this](wxCommandEvent&) { ctx_.engine->wake(); }, kIdSyncNow);
    }
    if (ctx_.db) {
        // TRANSLATORS: menu item that opens the sync panel (queues, refused changes, conflicts)
        file->Insert(0, kIdSyncPanel, _("Sync &records...\tF8"));
        Bind(wxEVT_MENU, [this](wxCommandEvent&) { show_sync_panel(); }, kIdSyncPanel);
    }
    auto* view = new wxMenu;
    view->Append(kIdFocusSearch, _("&Search items\tCtrl+F"));
    view->AppendCheckItem(kIdLargeFont, _("&Large font\tCtrl+L"));
    auto* help = new wxMenu;
    help->Append(wxID_ABOUT, _("&About OneWindow"));
    auto* bar = new wxMenuBar;
    bar->Append(file, _("&File"));
    bar->Append(view, _("&View"));
    bar->Append(help, _("&Help"));
    SetMenuBar(bar);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { Close(); }, wxID_EXIT);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { search_->SetFocus(); search_->SelectAll(); }, kIdFocusSearch);
    Bind(wxEVT_MENU, [this](wxCommandEvent& e) {
        wxFont f = wxSystemSettings::GetFont(wxSYS_DEFAULT_GUI_FONT);
        if (e.IsChecked()) f.SetPointSize(f.GetPointSize() + 4);
        SetFont(f);
        for (wxWindow* w : {static_cast<wxWindow*>(filter_list_), static_cast<wxWindow*>(list_), static_cast<wxWindow*>(search_)})
            w->SetFont(f);
        guide_->SetFont(f);
        show_guide(list_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED));
        Layout();
    }, kIdLargeFont);
    Bind(wxEVT_MENU, [](wxCommandEvent&) {
        wxAboutDialogInfo info;
        info.SetName(_("OneWindow"));
        info.SetVersion(OW_VERSION);
        info.SetDescription(_("Desk client for the comprehensive windows of government service centres."));
        wxAboutBox(info);
    }, wxID_ABOUT);
}

wxWindow* MainFrame::build_header(wxWindow* parent) {
    auto* header = new wxPanel(parent);
    header->SetBackgroundColour(kHeaderBg);
    auto* h = new wxBoxSizer(wxHORIZONTAL);
    auto add = [&](const wxString& text, int proportion, bool bold) {
        auto* t = new wxStaticText(header, wxID_ANY, text);
        t->SetForegroundColour(kHeaderFg);
        if (bold) {
            wxFont f = t->GetFont();
            f.SetPointSize(f.GetPointSize() + 3);
            f.SetWeight(wxFONTWEIGHT_BOLD);
            t->SetFont(f);
        }
        h->Add(t, proportion, wxALIGN_CENTER_VERTICAL | wxALL, 8);
        return t;
    };
    add(_("OneWindow"), 0, true);
    add(ctx_.window_no, 0, false);
    add(wxString::Format(_("User: %s"), ctx_.user), 0, false);
    platform_ = add(ctx_.platform, 1, false);
    clock_ = add(wxString(), 0, false);
    header->SetSizer(h);
    return header;
}

void MainFrame::fill_filters() {
    filters_.clear();
    filter_list_->Clear();
    auto add = [&](CatalogFilter f, const wxString& name) {
        filters_.push_back(f);
        filter_list_->Append(wxString::Format("%s  (%zu)", name, presenter_.count(f)));
    };
    add({CatalogFilter::Kind::all_items, {}}, _("All items"));
    add({CatalogFilter::Kind::bundles, {}}, _("One-thing bundles"));
    for (auto z : {core::Zone::investment_construction, core::Zone::business_registration, core::Zone::social_affairs,
                   core::Zone::livelihood, core::Zone::public_convenience})
        add({CatalogFilter::Kind::zone, z}, label(z));
    filter_list_->SetSelection(0);
}

CatalogFilter MainFrame::current_filter() const {
    int sel = filter_list_->GetSelection();
    return sel >= 0 && std::size_t(sel) < filters_.size() ? filters_[std::size_t(sel)] : CatalogFilter{};
}

void MainFrame::refresh_rows() {
    rows_ = presenter_.rows(current_filter(), search_->GetValue().utf8_string());
    list_->Freeze();
    list_->DeleteAllItems();
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        const auto& r = rows_[i];
        long row = list_->InsertItem(long(i), u8(r.name));
        list_->SetItem(row, 1, r.is_bundle ? _("Bundle") : label(r.kind));
        list_->SetItem(row, 2, r.promised_days == 0 ? _("on the spot") : wxString::Format("%d", r.promised_days));
        list_->SetItem(row, 3, r.is_bundle ? wxString() : wxString::Format("%d", r.legal_days));
        list_->SetItem(row, 4, r.is_bundle ? wxString() : label(r.depth));
        list_->SetItem(row, 5, r.is_bundle ? wxString::Format(wxPLURAL("%zu item", "%zu items", unsigned(r.item_count)), r.item_count)
                                           : u8(r.department));
    }
    list_->Thaw();
    SetStatusText(wxString::Format(wxPLURAL("%zu entry shown", "%zu entries shown", unsigned(rows_.size())), rows_.size()), 0);
    if (!rows_.empty()) {
        list_->SetItemState(0, wxLIST_STATE_SELECTED, wxLIST_STATE_SELECTED);
        show_guide(0);
    } else {
        render_guide(guide_, {{GuideBlock::Style::text, _("No service item matches the search."), {}}});
    }
}

bool MainFrame::select_code(const std::string& code) {
    // A bundle is listed under its own filter; switch to it (and clear the search) when needed.
    bool is_bundle = presenter_.bundle(code) != nullptr;
    if (!is_bundle && !presenter_.item(code)) return false;
    if (is_bundle != (current_filter().kind == CatalogFilter::Kind::bundles) || !search_->IsEmpty()) {
        filter_list_->SetSelection(is_bundle ? 1 : 0);
        search_->ChangeValue(wxString());
        refresh_rows();
    }
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].code == code) {
            list_->SetItemState(long(i), wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED,
                                wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
            list_->EnsureVisible(long(i));
            show_guide(long(i));
            return true;
        }
    return false;
}

void MainFrame::show_guide(long row) {
    if (row < 0 || std::size_t(row) >= rows_.size()) return;
    const auto& r = rows_[std::size_t(row)];
    if (r.is_bundle) {
        if (const auto* b = presenter_.bundle(r.code)) render_guide(guide_, bundle_guide(*b, presenter_));
    } else if (const auto* it = presenter_.item(r.code)) {
        render_guide(guide_, item_guide(*it));
    }
}

void MainFrame::update_clock() {
    // China Standard Time, whatever the machine's time zone: the working day and every time
    // limit are counted on it (and the sync bar shows its times on it too).
    auto now = core::now();
    clock_->SetLabel(u8(core::format_china_minute(now)));
    auto today = core::china_date(now);
    TodayInfo info = today_info(*ctx_.calendar, today);
    wxString day;
    if (!info.calendar_known) day = _("No published working-day calendar for this year");
    else if (!info.holiday.empty()) day = wxString::Format(_("Holiday: %s"), u8(info.holiday));
    else day = info.workday ? _("Working day") : _("Rest day");
    // TRANSLATORS: the year's holiday schedule is not published yet; the day is counted with the
    // provisional calendar (statutory holidays only). zh_CN: 预计
    if (info.calendar_known && info.provisional) day = wxString::Format(_("%s (provisional)"), day);
    SetStatusText(day, 2);
    clock_->GetParent()->Layout();
}

void MainFrame::update_sync_bar() {
    sync::SyncStatus st;
    if (ctx_.db) st = sync::read_status(*ctx_.db);
    auto progress = ctx_.progress ? ctx_.progress->current() : std::nullopt;
    SyncBar bar = sync_bar(st, progress, core::now());
    wxString state;
    switch (bar.state) {
        case SyncBar::State::not_connected: state = _("Not connected to a platform: work is kept on this computer"); break;
        case SyncBar::State::connecting: state = _("Connecting to the platform"); break;
        case SyncBar::State::offline: state = _("Offline"); break;
        case SyncBar::State::degraded: state = _("Platform unstable, retrying"); break;
        case SyncBar::State::syncing: state = _("Syncing"); break;
        case SyncBar::State::online: state = _("Online"); break;
        case SyncBar::State::refused: state = _("The platform refused this terminal"); break;
        case SyncBar::State::untrusted: state = _("The platform's certificate is not trusted"); break;
    }
    wxString text = state;
    const wxString sep = wxString::FromUTF8(" · ");
    if (bar.percent >= 0) text += wxString::Format(" %d%%", bar.percent);
    if (bar.queued_cases > 0)
        // TRANSLATORS: cases whose changes are waiting to be sent to the platform
        text += sep + wxString::Format(wxPLURAL("%lld case waiting to sync", "%lld cases waiting to sync", unsigned(bar.queued_cases)),
                                       static_cast<long long>(bar.queued_cases));
    else if (bar.state != SyncBar::State::not_connected)
        text += sep + _("All synced");
    if (bar.blobs > 0)
        text += sep + wxString::Format(wxPLURAL("%lld scan to upload", "%lld scans to upload", unsigned(bar.blobs)),
                                       static_cast<long long>(bar.blobs));
    if (bar.attention > 0)
        // TRANSLATORS: sync records a clerk must look at (quarantined, conflicts)
        text += sep + wxString::Format(_("%lld need attention"), static_cast<long long>(bar.attention));
    if (bar.state != SyncBar::State::not_connected)
        text += sep + (bar.last_success.empty() ? _("Never synced") : wxString::Format(_("Last success %s"), u8(bar.last_success)));
    SetStatusText(text, 1);
    if (platform_ && ctx_.engine) platform_->SetLabel(ctx_.platform + sep + state);
}

wxWindow* MainFrame::show_sync_panel() {
    if (!ctx_.db) return nullptr;
    if (!sync_panel_) {
        auto* w = new SyncPanelWindow(this, *ctx_.db, ctx_.engine, ctx_.store_user);
        w->Bind(wxEVT_DESTROY, [this, w](wxWindowDestroyEvent& e) {
            if (e.GetWindow() == w) sync_panel_ = nullptr;
            e.Skip();
        });
        sync_panel_ = w;
    } else {
        static_cast<SyncPanelWindow*>(sync_panel_)->reload();
    }
    sync_panel_->Show();
    sync_panel_->Raise();
    return sync_panel_;
}

void MainFrame::on_filter(wxCommandEvent&) { refresh_rows(); }
void MainFrame::on_search(wxCommandEvent&) { refresh_rows(); }
void MainFrame::on_row_selected(wxListEvent& e) { show_guide(e.GetIndex()); }
void MainFrame::on_timer(wxTimerEvent&) {
    update_clock();
    if (++ticks_ % 2 == 0 || (ctx_.progress && ctx_.progress->current())) update_sync_bar();
}

}  // namespace ow::app
