#include "shell/main_frame.h"

#include "admin/admin_view.h"
#include "appointments/appointments_view.h"
#include "online/online_view.h"
#include "enquiries/enquiries_view.h"
#include "cases/cases_view.h"
#include "common/labels.h"
#include "intake/catalogue_view.h"
#include "intake/intake_view.h"
#include "result/result_view.h"
#include "shell/applicant_screen.h"
#include "review/review_view.h"
#include "common/pdf_print.h"
#include "settings/desk_settings.h"
#include "report/report_view.h"
#include "settings/settings_view.h"
#include "shell/unlock_view.h"
#include "sync/sync_panel.h"
#include "sync/sync_presenter.h"
#include "ow/version.h"

#include "intake/catalog_presenter.h"

#include <wx/app.h>
#include <wx/button.h>
#include <wx/dialog.h>
#include <wx/listbox.h>
#include <wx/listctrl.h>
#include <wx/menu.h>
#include <wx/notebook.h>
#include <wx/panel.h>
#include <wx/settings.h>
#include <wx/simplebook.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/statusbr.h>
#include <wx/utils.h>

#include <algorithm>

namespace ow::app {
namespace {

const wxColour kHeaderBg(0x8a, 0x1c, 0x1c);  // the hall's red
const wxColour kHeaderFg(*wxWHITE);
constexpr int kFirstActionId = wxID_HIGHEST + 100;

wxString tr(const char* msgid) { return msgid && *msgid ? wxGetTranslation(wxString::FromUTF8(msgid)) : wxString(); }

/// A hotkey as the menus show it ("Ctrl+Shift+L"); wx parses the same text for accelerators.
wxString key_text(const std::string& hotkey) { return wxString::FromUTF8(hotkey); }

/// Sets the font on a window and everything in it. Report lists widen their columns by `ratio`
/// (new size / old size) and list boxes grow to their longest line, so that nothing is cut off.
/// The hotkey of a key press in the table's syntax ("Ctrl+F", "Ctrl+Shift+L", "F8"); empty for keys
/// the table never uses (plain letters belong to text fields).
std::string hotkey_of(const wxKeyEvent& e) {
    const int code = e.GetKeyCode();
    std::string key;
    if (code >= WXK_F1 && code <= WXK_F12) key = "F" + std::to_string(code - WXK_F1 + 1);
    else if ((code >= 'A' && code <= 'Z') || (code >= '0' && code <= '9')) key = std::string(1, char(code));
    else if (code == WXK_PAGEDOWN) key = "PgDn";
    else if (code == WXK_PAGEUP) key = "PgUp";
    const bool function_key = key.size() > 1 && key[0] == 'F';
    // Alt+digit: the intake's steps (Alt+letters stay with the buttons' mnemonics).
    const bool alt_digit = e.AltDown() && !e.ControlDown() && code >= '0' && code <= '9';
    if (key.empty() || (!function_key && !e.ControlDown() && !alt_digit)) return {};
    std::string mods;
    if (e.ControlDown()) mods += "Ctrl+";
    if (e.AltDown()) mods += "Alt+";
    if (e.ShiftDown()) mods += "Shift+";
    return mods + key;
}

void apply_font(wxWindow* w, const wxFont& f, double ratio) {
    w->SetFont(f);
    if (auto* lc = wxDynamicCast(w, wxListCtrl); lc && lc->InReportView() && ratio != 1.0) {
        for (int c = 0; c < lc->GetColumnCount(); ++c) lc->SetColumnWidth(c, int(lc->GetColumnWidth(c) * ratio + 0.5));
    }
    // A label's minimum size is its size at creation: one hidden when the font grows (on a line
    // shown later, such as the help lines) would keep the small one. Without it the sizer asks for
    // the label's best size, which follows the font and the text.
    if (auto* st = wxDynamicCast(w, wxStaticText); st && !st->HasFlag(wxST_NO_AUTORESIZE) && !st->HasFlag(wxST_ELLIPSIZE_END)) {
        st->SetMinSize(wxDefaultSize);
        st->InvalidateBestSize();
    }
    if (auto* lb = wxDynamicCast(w, wxListBox)) {
        lb->InvalidateBestSize();
        lb->SetMinSize(wxSize(std::max(lb->GetMinSize().x, lb->GetBestSize().x + lb->FromDIP(12)), -1));
    }
    for (auto* child : w->GetChildren())
        if (!child->IsTopLevel()) apply_font(child, f, ratio);
}

}  // namespace

MainFrame::MainFrame(DeskServices& services, const DeskLaunch& launch)
    : wxFrame(nullptr, wxID_ANY, _("OneWindow: comprehensive window desk"), wxDefaultPosition, wxSize(1366, 768)),
      services_(services), launch_(launch), actions_(desk_actions()),
      idle_(std::chrono::seconds(0)),
      tasks_([](std::function<void()> f) {
          if (wxTheApp) wxTheApp->CallAfter(std::move(f));
      }),
      timer_(this) {
    SetMinSize(FromDIP(wxSize(1024, 640)));
    auto* root = new wxPanel(this);
    auto* v = new wxBoxSizer(wxVERTICAL);
    v->Add(build_header(root), 0, wxEXPAND);
    v->Add(build_toolbar(root), 0, wxEXPAND);

    book_ = new wxSimplebook(root);
    unlock_ = new UnlockView(book_, services_, [this](bool same_user) { signed_in(same_user); });
    first_run_ = new FirstRunView(book_, services_, [this](bool) {
        unlock_->set_session_user(first_run_->created_user());
        signed_in(false);
    });
    desk_ = new wxNotebook(book_, wxID_ANY);
    desk_->SetName("desk");
    catalogue_ = new CatalogueView(desk_, services_.catalogue());
    book_->AddPage(unlock_, wxString());
    book_->AddPage(first_run_, wxString());
    book_->AddPage(desk_, wxString());
    desk_->AddPage(catalogue_, _("Service catalogue"));
    v->Add(book_, 1, wxEXPAND);
    root->SetSizer(v);

    CreateStatusBar(3);
    int widths[] = {-3, -4, -2};  // the queue and its alarms, the sync state, the day
    GetStatusBar()->SetStatusWidths(3, widths);

    build_menus();
    bind_actions();
    if (launch_.idle_lock) idle_.set_idle(*launch_.idle_lock);

    if (!services_.has_store_dir()) show_page(Page::catalogue);
    else if (!FirstRunPresenter::needed(services_.config().store_dir)) show_page(Page::unlock);
    else show_page(Page::first_run);

    desk_->Bind(wxEVT_NOTEBOOK_PAGE_CHANGED, [this](wxBookCtrlEvent& e) {
        auto* shown = desk_->GetPage(std::size_t(e.GetSelection()));
        page_ = shown == catalogue_                ? Page::catalogue
                : intake_ && shown == intake_      ? Page::intake
                : review_ && shown == review_      ? Page::review
                : result_ && shown == result_      ? Page::result
                : appointments_ && shown == appointments_ ? Page::appointments
                : online_ && shown == online_      ? Page::online
                : enquiries_ && shown == enquiries_ ? Page::enquiries
                : admin_ && shown == admin_        ? Page::admin
                : settings_ && shown == settings_  ? Page::settings
                : report_ && shown == report_      ? Page::report
                                                   : Page::cases;
        update_state();
        update_status();
        e.Skip();
    });
    Bind(wxEVT_TIMER, &MainFrame::on_timer, this);
    // The table's keys work wherever the focus is: GTK's list views keep some (Ctrl+F opens their
    // own search) before the menu's accelerators see them. A key of the table is run here, first.
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        const auto* a = actions_.by_hotkey(hotkey_of(e));
        if (a) update_state();
        // A key of an action that is off here goes on to the focused widget (e.g. Ctrl+PgDn is
        // the intake's next step, and the page viewer's next document on the review screen).
        if (!a || !actions_.enabled(a->id, state_)) {
            e.Skip();
            return;
        }
        run(a->id);
    });
    timer_.Start(1000);
    update_clock();
    update_header();
    update_status();
    if (launch_.large_font) set_large_font(true);
}

MainFrame::~MainFrame() {
    timer_.Stop();
    tasks_.cancel_all();
}

wxWindow* MainFrame::build_header(wxWindow* parent) {
    auto* header = new wxPanel(parent);
    header->SetBackgroundColour(kHeaderBg);
    auto* h = new wxBoxSizer(wxHORIZONTAL);
    auto add = [&](const wxString& text, const char* name, int proportion, bool bold, long style = 0) {
        auto* t = new wxStaticText(header, wxID_ANY, text, wxDefaultPosition, wxDefaultSize, style, name);
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
    add(_("OneWindow"), "header.title", 0, true);
    header_window_ = add(wxString(), "header.window", 0, false);
    header_user_ = add(wxString(), "header.user", 0, false);
    header_post_ = add(wxString(), "header.post", 0, false);
    // The connectivity takes the rest of the line and is cut with an ellipsis rather than pushing
    // the clock out (large font, 1366 px).
    header_connectivity_ = add(wxString(), "header.connectivity", 1, false, wxST_ELLIPSIZE_END);
    clock_ = add(wxString(), "header.clock", 0, false);
    header->SetSizer(h);
    return header;
}

wxWindow* MainFrame::build_toolbar(wxWindow* parent) {
    // The toolbar: the actions the table marks for it, as text buttons with their key in the tooltip.
    auto* bar = new wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "toolbar");
    auto* h = new wxBoxSizer(wxHORIZONTAL);
    for (const auto& a : actions_.actions()) {
        if (!a.toolbar) continue;
        wxString label = wxStripMenuCodes(tr(a.label), wxStrip_Menu);  // also "锁定(&L)"
        auto* b = new wxButton(bar, wxID_ANY, label, wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT, wxDefaultValidator,
                               wxString::FromUTF8("tool." + a.id));
        b->SetToolTip(a.hotkey.empty() ? tr(a.help) : wxString::Format("%s (%s)", tr(a.help), key_text(a.hotkey)));
        b->Bind(wxEVT_BUTTON, [this, id = a.id](wxCommandEvent&) { run(id); });
        b->SetCanFocus(false);  // the keyboard has the keys; Tab stays in the work area
        h->Add(b, 0, wxALL, 3);
        tool_buttons_.emplace_back(a.id, b);
    }
    bar->SetSizer(h);
    return bar;
}

void MainFrame::build_menus() {
    wxMenu* menus[6] = {new wxMenu, new wxMenu, new wxMenu, new wxMenu, new wxMenu, new wxMenu};
    int i = 0;
    for (const auto& a : actions_.actions()) {
        wxString label = tr(a.label);
        if (!a.hotkey.empty()) label += "\t" + key_text(a.hotkey);
        auto* menu = menus[int(a.menu)];
        if (a.id == "view.large_font") menu->AppendCheckItem(kFirstActionId + i, label, tr(a.help));
        else menu->Append(kFirstActionId + i, label, tr(a.help));
        if (a.id == "desk.switch_user" || a.id == "cases.refresh" || a.id == "intake.print" || a.id == "intake.back") menu->AppendSeparator();
        ++i;
    }
    auto* bar = new wxMenuBar;
    bar->Append(menus[int(Menu::file)], _("&File"));
    bar->Append(menus[int(Menu::cases)], _("&Cases"));
    bar->Append(menus[int(Menu::intake)], _("&Intake"));
    bar->Append(menus[int(Menu::queues)], _("&Queues"));
    bar->Append(menus[int(Menu::view)], _("&View"));
    bar->Append(menus[int(Menu::help)], _("&Help"));
    wxMenuBar* old = GetMenuBar();
    SetMenuBar(bar);
    delete old;  // a language switch builds the bar again
    if (menus_bound_) return;
    menus_bound_ = true;
    Bind(wxEVT_MENU, [this](wxCommandEvent& e) {
        auto idx = std::size_t(e.GetId() - kFirstActionId);
        if (idx < actions_.actions().size()) run(actions_.actions()[idx].id);
    }, kFirstActionId, kFirstActionId + int(actions_.actions().size()));
    Bind(wxEVT_UPDATE_UI, [this](wxUpdateUIEvent& e) {
        auto idx = std::size_t(e.GetId() - kFirstActionId);
        if (idx >= actions_.actions().size()) return;
        const auto& a = actions_.actions()[idx];
        e.Enable(actions_.enabled(a.id, state_));
        if (a.id == "view.large_font") e.Check(launch_.large_font);
    }, kFirstActionId, kFirstActionId + int(actions_.actions().size()));
}

void MainFrame::bind_actions() {
    actions_.bind("sync.panel", [this] {
        if (!sync_panel_) {
            auto* w = new SyncPanelWindow(this, services_);
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
    });
    actions_.bind("sync.now", [this] { services_.wake_sync(); });
    actions_.bind("desk.lock", [this] { lock(); });
    actions_.bind("desk.switch_user", [this] {
        lock();
        unlock_->choose_other_user();
    });
    actions_.bind("app.exit", [this] { Close(); });
    actions_.bind("cases.search", [this] {
        if (!cases_) return;
        desk_->SetSelection(std::size_t(desk_->FindPage(cases_)));
        cases_->focus_search();
    });
    actions_.bind("cases.refresh", [this] {
        if (cases_) cases_->refresh();
    });
    actions_.bind("catalogue.show", [this] { show_page(Page::catalogue); catalogue_->focus_search(); });
    actions_.bind("admin.show", [this] { if (admin_) show_page(Page::admin); });
    actions_.bind("report.show", [this] {
        if (!report_) return;
        show_page(Page::report);
        report_->show();
    });
    actions_.bind("case.accept", [this] { if (cases_) cases_->act("case.accept"); });
    actions_.bind("case.submit", [this] { if (cases_) cases_->act("case.submit"); });
    actions_.bind("case.send_remote", [this] { if (cases_) cases_->act("case.send_remote"); });
    actions_.bind("case.receive", [this] { if (cases_) cases_->act("case.receive"); });
    actions_.bind("case.urge", [this] { if (cases_) cases_->act("case.urge"); });
    actions_.bind("case.open_notice", [this] { if (cases_) cases_->open_notice(); });
    // The case selected in the list, when it is one for that screen (else the screen's first).
    auto selected_case = [this](std::initializer_list<core::CaseState> states) {
        if (!cases_ || page_ != Page::cases || !cases_->presenter() || !cases_->presenter()->selected()) return std::string();
        const auto& s = cases_->presenter()->selected()->summary;
        return std::find(states.begin(), states.end(), s.state) != states.end() ? s.case_id : std::string();
    };
    actions_.bind("case.review", [this, selected_case] {
        // A clerk's review page is made the first time the window decides a case on the spot (马上办).
        if (!review_ && services_.signed_in() && services_.who().role == core::Role::clerk) make_review();
        if (!review_) return;
        const auto id = selected_case({core::CaseState::under_review, core::CaseState::accepted});
        show_page(Page::review);
        review_->show(id);
    });
    actions_.bind("case.issue", [this, selected_case] {
        if (!result_) return;
        const auto id = selected_case({core::CaseState::approved, core::CaseState::denied, core::CaseState::result_issued});
        show_page(Page::result);
        result_->show(id);
    });
    actions_.bind("appointments.show", [this] {
        if (!appointments_) return;
        show_page(Page::appointments);
        appointments_->show();
    });
    actions_.bind("online.show", [this] {
        if (!online_) return;
        show_page(Page::online);
        online_->show();
    });
    actions_.bind("enquiries.show", [this] {
        if (!enquiries_) return;
        show_page(Page::enquiries);
        enquiries_->show();
    });
    actions_.bind("case.archive", [this] {
        if (!cases_) return;
        show_page(Page::cases);  // the path line is on the cases page
        cases_->export_archive();
    });
    actions_.bind("case.green", [this] {
        if (!cases_) return;
        show_page(Page::cases);  // the flags' line is on the cases page
        cases_->edit_green();
    });
    actions_.bind("case.assist", [this] {
        if (!cases_) return;
        show_page(Page::cases);  // the help lines are on the cases page
        cases_->edit_assist();
    });
    actions_.bind("case.originals", [this] {
        if (!cases_) return;
        show_page(Page::cases);  // the line is on the cases page
        cases_->edit_originals();
    });
    actions_.bind("case.commit", [this] {
        if (!cases_) return;
        show_page(Page::cases);  // the commitment lines are on the cases page
        cases_->edit_commitments();
    });
    actions_.bind("case.fee", [this] {
        if (!cases_) return;
        show_page(Page::cases);  // the fee lines are on the cases page
        cases_->edit_fees();
    });
    actions_.bind("case.close_follow_up", [this] {
        if (!cases_) return;
        show_page(Page::cases);  // the note line is on the cases page
        cases_->close_follow_up();
    });
    for (int n = 1; n <= 13; ++n)  // 10: the closing-time list; 11: the cases the user assists; 12: remote calls; 13: acceptance due
        actions_.bind("queue." + std::to_string(n), [this, n] {
            if (!cases_) return;
            show_page(Page::cases);
            cases_->select_queue_index(n - 1);
        });
    // Intake (F2)
    actions_.bind("intake.new", [this] {
        if (!intake_) return;
        show_page(Page::intake);
        intake_->start_new();
    });
    actions_.bind("intake.resume", [this] {
        if (!intake_) return;
        show_page(Page::intake);
        intake_->choose_draft();
    });
    actions_.bind("intake.read_id", [this] { if (intake_) intake_->read_id_card(); });
    actions_.bind("intake.scan", [this] { if (intake_) intake_->scan(); });
    actions_.bind("intake.print", [this] {
        if (page_ == Page::result && result_) result_->print_preview();
        else if (intake_) intake_->print_preview();
    });
    actions_.bind("intake.next", [this] { if (intake_) intake_->next_step(); });
    actions_.bind("intake.back", [this] { if (intake_) intake_->previous_step(); });
    for (int n = 1; n <= 6; ++n)
        actions_.bind("intake.step." + std::to_string(n), [this, n] { if (intake_) intake_->go_to(kIntakeSteps[std::size_t(n - 1)]); });
    actions_.bind("view.large_font", [this] { set_large_font(!launch_.large_font); });
    actions_.bind("desk.settings", [this] {
        if (settings_) show_page(Page::settings);
    });
    actions_.bind("help.keys", [this] { show_keys(); });
    actions_.bind("help.about", [this] { show_about(); });
    for (const auto& id : actions_.unbound()) wxLogError("action %s has no command", id);
}

void MainFrame::run(const std::string& id) {
    update_state();
    if (!actions_.run(id, state_)) wxBell();
    update_state();
}

void MainFrame::update_state() {
    state_.signed_in = services_.signed_in();
    state_.has_store = services_.has_store_dir();
    if (state_.signed_in) {
        auto who = services_.who();
        state_.role = who.role;
        state_.post = who.post;
    }
    state_.case_state.reset();
    state_.case_has_documents = false;
    if (cases_ && page_ == Page::cases) cases_->fill_state(state_);
    state_.busy = tasks_.running() > 0;
    state_.intake_shown = intake_ && page_ == Page::intake && state_.signed_in;
    state_.intake_has_case = state_.intake_has_document = false;
    if (state_.intake_shown) intake_->fill_state(state_);
    state_.result_shown = result_ && page_ == Page::result && state_.signed_in;
    state_.result_has_receipt = state_.result_shown && result_->presenter().current() && result_->presenter().current()->receipt;
    if ((review_ && review_->busy()) || (result_ && result_->busy())) state_.busy = true;
    for (auto& [id, button] : tool_buttons_) button->Enable(actions_.enabled(id, state_));
    if (cases_) cases_->update_actions(state_);
}

void MainFrame::make_review() {
    review_ = new ReviewView(desk_, services_, tasks_, [this] {
        update_state();
        update_status();
        if (cases_) cases_->refresh_counts();
    });
    desk_->InsertPage(std::size_t(desk_->FindPage(intake_)) + 1, review_, _("Review"));
    if (launch_.large_font) {
        apply_font(review_, desk_font_, new_page_ratio());
        review_->fonts_changed();
    }
}

void MainFrame::show_page(Page p) {
    page_ = p;
    switch (p) {
        case Page::unlock:
            book_->ChangeSelection(0);
            unlock_->reset();
            break;
        case Page::first_run:
            book_->ChangeSelection(1);
            first_run_->focus_first();
            break;
        case Page::cases:
        case Page::catalogue:
        case Page::intake:
        case Page::review:
        case Page::result:
        case Page::appointments:
        case Page::online:
        case Page::enquiries:
        case Page::admin:
        case Page::settings:
        case Page::report:
            book_->ChangeSelection(2);
            if (p == Page::settings && settings_) desk_->ChangeSelection(std::size_t(desk_->FindPage(settings_)));
            else if (p == Page::intake && intake_) desk_->ChangeSelection(std::size_t(desk_->FindPage(intake_)));
            else if (p == Page::review && review_) desk_->ChangeSelection(std::size_t(desk_->FindPage(review_)));
            else if (p == Page::result && result_) desk_->ChangeSelection(std::size_t(desk_->FindPage(result_)));
            else if (p == Page::appointments && appointments_) desk_->ChangeSelection(std::size_t(desk_->FindPage(appointments_)));
            else if (p == Page::online && online_) desk_->ChangeSelection(std::size_t(desk_->FindPage(online_)));
            else if (p == Page::enquiries && enquiries_) desk_->ChangeSelection(std::size_t(desk_->FindPage(enquiries_)));
            else if (p == Page::admin && admin_) desk_->ChangeSelection(std::size_t(desk_->FindPage(admin_)));
            else if (p == Page::report && report_) desk_->ChangeSelection(std::size_t(desk_->FindPage(report_)));
            else if (p == Page::cases && cases_) desk_->ChangeSelection(std::size_t(desk_->FindPage(cases_)));
            else desk_->ChangeSelection(std::size_t(desk_->FindPage(catalogue_)));
            break;
    }
    update_state();
    update_header();
    update_status();
}

void MainFrame::signed_in(bool same_user) {
    if (!same_user && cases_) {  // another user: a fresh desk, nothing of the previous user's typing
        desk_->DeletePage(std::size_t(desk_->FindPage(cases_)));
        cases_ = nullptr;
    }
    if (!same_user && intake_) {  // (the previous user's intake stays a draft for them to resume)
        desk_->DeletePage(std::size_t(desk_->FindPage(intake_)));
        intake_ = nullptr;
    }
    if (!cases_) {
        cases_ = new CasesView(desk_, services_, actions_, tasks_, [this](const std::string& id) { run(id); },
                               [this] { update_state(); update_status(); });
        desk_->InsertPage(0, cases_, _("Cases"));
        if (launch_.large_font) {
            double ratio = double(desk_font_.GetPointSize()) / wxSystemSettings::GetFont(wxSYS_DEFAULT_GUI_FONT).GetPointSize();
            apply_font(cases_, desk_font_, ratio);
        }
    } else {
        cases_->signed_in();
    }
    if (!same_user && review_) {  // (a chief's decision not made is not kept for another user)
        desk_->DeletePage(std::size_t(desk_->FindPage(review_)));
        review_ = nullptr;
    }
    if (!same_user && result_) {
        desk_->DeletePage(std::size_t(desk_->FindPage(result_)));
        result_ = nullptr;
    }
    if (!same_user && online_) {
        desk_->DeletePage(std::size_t(desk_->FindPage(online_)));
        online_ = nullptr;
    }
    if (!same_user && appointments_) {
        desk_->DeletePage(std::size_t(desk_->FindPage(appointments_)));
        appointments_ = nullptr;
    }
    if (enquiries_ && (!same_user || (services_.who().role != core::Role::clerk && services_.who().role != core::Role::chief))) {
        desk_->DeletePage(std::size_t(desk_->FindPage(enquiries_)));
        enquiries_ = nullptr;
    }
    if (!intake_) {
        intake_ = new IntakeView(desk_, services_, tasks_, [this] { update_state(); update_status(); });
        desk_->InsertPage(1, intake_, _("Intake"));
        if (launch_.large_font) {
            apply_font(intake_, desk_font_, new_page_ratio());
            intake_->fonts_changed();
        }
    } else {
        intake_->signed_in();
    }
    auto on_change = [this] {
        update_state();
        update_status();
        if (cases_) cases_->refresh_counts();
    };
    if (!review_ && services_.who().role == core::Role::chief) {
        make_review();
    } else if (review_) {
        review_->signed_in();
    }
    if (!result_) {
        result_ = new ResultView(desk_, services_, tasks_, [this] { return intake_ ? intake_->applicant_screen() : nullptr; }, on_change);
        desk_->InsertPage(std::size_t(desk_->FindPage(review_ ? static_cast<wxWindow*>(review_) : intake_)) + 1, result_, _("Result"));
        if (launch_.large_font) {
            apply_font(result_, desk_font_, new_page_ratio());
            result_->fonts_changed();
        }
    } else {
        result_->signed_in();
    }
    // A check-in or an enquiry that was an application goes on in the intake screen with its draft.
    auto go_on_in_intake = [this](const std::string& case_id) {
        if (!intake_) return;
        show_page(Page::intake);
        intake_->resume(case_id);
    };
    if (!appointments_ && services_.who().role == core::Role::clerk) {
        appointments_ = new AppointmentsView(
            desk_, services_,
            go_on_in_intake,
            on_change);
        desk_->InsertPage(1, appointments_, _("Appointments"));
        if (launch_.large_font) {
            apply_font(appointments_, desk_font_, new_page_ratio());
            appointments_->fonts_changed();
        }
    } else if (appointments_) {
        appointments_->signed_in();
    }
    // 网上申报: the online inbox; 预审 goes on in the intake screen with the draft (clerks).
    if (!online_ && services_.who().role == core::Role::clerk) {
        online_ = new OnlineView(desk_, services_, go_on_in_intake, on_change);
        desk_->InsertPage(std::size_t(desk_->FindPage(appointments_)) + 1, online_, _("Online applications"));
        if (launch_.large_font) {
            apply_font(online_, desk_font_, new_page_ratio());
            online_->fonts_changed();
        }
    } else if (online_) {
        online_->signed_in();
    }
    // 首问负责: enquiries, complaints and suggestions (clerks and chief representatives).
    if (!enquiries_ && (services_.who().role == core::Role::clerk || services_.who().role == core::Role::chief)) {
        enquiries_ = new EnquiriesView(
            desk_, services_,
            go_on_in_intake,
            on_change);
        desk_->AddPage(enquiries_, _("Enquiries"));
        if (launch_.large_font) {
            apply_font(enquiries_, desk_font_, new_page_ratio());
            enquiries_->fonts_changed();
        }
    } else if (enquiries_) {
        enquiries_->signed_in();
    }
    // The administration page: an administrator's only (another user's sign-in removes it).
    if (admin_ && (!same_user || services_.who().role != core::Role::admin)) {
        desk_->DeletePage(std::size_t(desk_->FindPage(admin_)));
        admin_ = nullptr;
    }
    if (!admin_ && services_.who().role == core::Role::admin) {
        admin_ = new AdminView(desk_, services_, on_change);
        desk_->AddPage(admin_, _("Administration"));
        if (launch_.large_font) {
            apply_font(admin_, desk_font_, new_page_ratio());
            admin_->fonts_changed();
        }
    } else if (admin_) {
        admin_->signed_in();
    }
    // The settings screen (F10): made again at every sign-in, so it shows what the store holds now.
    if (settings_) desk_->DeletePage(std::size_t(desk_->FindPage(settings_)));
    settings_ = new SettingsView(desk_, services_, tasks_, [this](const std::string& key) { settings_changed(key); });
    desk_->AddPage(settings_, _("Settings"));
    if (launch_.large_font) {
        apply_font(settings_, desk_font_, new_page_ratio());
        settings_->fonts_changed();
    }
    // The centre's figures: administrators and chief representatives; made again at every sign-in
    // (it reads the store), like the settings screen.
    if (report_) desk_->DeletePage(std::size_t(desk_->FindPage(report_)));
    report_ = nullptr;
    if (services_.who().role == core::Role::admin || services_.who().role == core::Role::chief) {
        report_ = new ReportView(desk_, services_);
        desk_->InsertPage(std::size_t(desk_->FindPage(settings_)), report_, _("Figures"));
        if (launch_.large_font) {
            apply_font(report_, desk_font_, new_page_ratio());
            report_->fonts_changed();
        }
    }
    catalogue_->set_catalogue(services_.catalogue());  // the store's (the platform's after a sync)
    auto who = services_.who();
    signed_in_user_ = who.user;
    idle_.set_idle(launch_.idle_lock ? *launch_.idle_lock : services_.idle_lock());
    apply_print_setup();
    idle_.unlocked();
    show_page(Page::cases);
    cases_->focus_search();
    if (!services_.catalogue_problem().empty()) wxLogWarning("%s", u8(services_.catalogue_problem()));
}

void MainFrame::lock() {
    if (!services_.signed_in()) return;
    tasks_.cancel_all();
    tasks_.wait_all();  // an act in progress finishes on its own session before the key goes
    if (sync_panel_) {  // it reads the store: closed with it
        sync_panel_->Destroy();
        sync_panel_ = nullptr;
    }
    if (cases_) cases_->locked();
    if (intake_) intake_->locked();
    if (review_) review_->locked();
    if (result_) result_->locked();
    if (appointments_) appointments_->locked();
    if (online_) online_->locked();
    if (enquiries_) enquiries_->locked();
    if (admin_) admin_->locked();
    if (report_) {  // it reads the store: made again at sign-in
        if (page_ == Page::report) show_page(Page::cases);
        desk_->DeletePage(std::size_t(desk_->FindPage(report_)));
        report_ = nullptr;
    }
    if (settings_) {  // it reads the store: made again at sign-in
        if (page_ == Page::settings) show_page(Page::cases);
        desk_->DeletePage(std::size_t(desk_->FindPage(settings_)));
        settings_ = nullptr;
    }
    if (intake_ && intake_->has_applicant_screen() && intake_->applicant_screen()->asking_rating()) intake_->applicant_screen()->cancel_rating();
    services_.lock();
    catalogue_->set_catalogue(services_.catalogue());  // the shipped one: the store's went with the session
    idle_.locked();
    unlock_->set_user(signed_in_user_);
    show_page(Page::unlock);
}

void MainFrame::set_idle_timeout(std::chrono::seconds s) {
    launch_.idle_lock = s;
    idle_.set_idle(s);
}

void MainFrame::note_activity() { idle_.touch(); }

bool MainFrame::select_code(const std::string& code) {
    show_page(Page::catalogue);
    return catalogue_->select_code(code);
}

bool MainFrame::open_case_row(long row) {
    if (!cases_) return false;
    show_page(Page::cases);
    return cases_->open_row(row);
}

bool MainFrame::sign_in_with(const std::string& user, const store::SecretText& passphrase) {
    return unlock_->sign_in_with(user, passphrase);
}

void MainFrame::preselect_user(const std::string& user) { unlock_->set_user(user); }

wxWindow* MainFrame::open_sync_panel() {
    if (!services_.signed_in()) return nullptr;
    run("sync.panel");
    return sync_panel_;
}

bool MainFrame::open_richest_case() {
    if (!cases_ || !cases_->presenter()) return false;
    auto* p = cases_->presenter();
    int best_queue = -1;
    long best_row = -1;
    std::size_t best = 0;
    for (int q = 0; q < int(p->counts().size()); ++q) {
        cases_->select_queue_index(q);
        for (long r = 0; r < std::min<long>(40, long(p->row_count())); ++r) {
            const auto& row = p->row(r);
            if (row.case_id.empty()) continue;
            const auto* d = p->select(row.case_id);
            std::size_t score = d ? d->documents.size() * 100 + d->timeline.size() : 0;
            if (score > best) best = score, best_queue = q, best_row = r;
        }
    }
    if (best_queue < 0) return false;
    show_page(Page::cases);
    cases_->select_queue_index(best_queue);
    return cases_->open_row(best_row);
}

bool MainFrame::open_case_for_help() {
    if (!cases_ || !cases_->presenter()) return false;
    const auto& counts = cases_->presenter()->counts();
    for (std::size_t q = 0; q < counts.size(); ++q) {
        if (counts[q].queue != store::Queue::awaiting_correction || counts[q].count == 0) continue;
        show_page(Page::cases);
        cases_->select_queue_index(int(q));
        if (!cases_->open_row(0)) return false;
        cases_->edit_assist();
        return true;
    }
    return false;
}

bool MainFrame::open_case_for_commitments(bool check) {
    if (!cases_ || !cases_->presenter()) return false;
    auto* p = cases_->presenter();
    const auto counts = p->counts();
    // At intake: a case awaiting correction of an item that allows a commitment; the check: a case
    // with something awaiting its follow-up (the deferred-due queue).
    const store::Queue wanted = check ? store::Queue::deferred_due : store::Queue::awaiting_correction;
    for (std::size_t q = 0; q < counts.size(); ++q) {
        if (counts[q].queue != wanted || counts[q].count == 0) continue;
        show_page(Page::cases);
        cases_->select_queue_index(int(q));
        for (long row = 0; row < long(std::min<std::int64_t>(counts[q].count, 50)); ++row) {
            if (!cases_->open_row(row) || !p->selected()) continue;
            const auto* d = p->selected();
            const bool fits = check ? !d->follow_ups.empty() && p->allowed(core::CaseAction::verify_follow_up)
                                    : (d->commitment_scheme || d->credit_fast_track) && p->allowed(core::CaseAction::record_commitment);
            if (!fits) continue;
            cases_->edit_commitments();
            return true;
        }
    }
    return false;
}

void MainFrame::apply_print_setup() {
    try {
        const auto p = services_.print_setup();
        use_print_setup(p.printer, p.paper);
    } catch (const std::exception& e) {  // the store unreadable: the system's default printer, A4
        wxLogError("print settings: %s", u8(e.what()));
    }
}

void MainFrame::settings_changed(const std::string& key) {
    if (key == "ui.large_font") {
        set_large_font(load_prefs(services_.config().store_dir).prefs.large_font);
    } else if (key == "ui.language") {
        // After the settings view's event is over: the switch makes its page again.
        const std::string code = to_code(load_prefs(services_.config().store_dir).prefs.language);
        CallAfter([this, code] { set_language(code); });
    } else if (key == "lock.idle_minutes") {
        if (!launch_.idle_lock) idle_.set_idle(services_.idle_lock());
    } else if (key == "window.label" || key == "platform.enrol") {  // enrolled: the terminal code the header shows
        update_header();
    } else if (key == "print.printer" || key == "print.paper") {
        apply_print_setup();
    }
}

void MainFrame::set_language(const std::string& code) {
    const bool on_settings = page_ == Page::settings;
    use_language(code);
    Freeze();
    SetTitle(_("OneWindow: comprehensive window desk"));
    if (auto* title = FindWindowByName("header.title", this)) title->SetLabel(_("OneWindow"));
    build_menus();
    for (auto& [id, button] : tool_buttons_)
        if (const auto* a = actions_.find(id)) {
            button->SetLabel(wxStripMenuCodes(tr(a->label), wxStrip_Menu));
            button->SetToolTip(a->hotkey.empty() ? tr(a->help) : wxString::Format("%s (%s)", tr(a->help), key_text(a->hotkey)));
        }
    // The pages: the catalogue, and (signed in) the desk's pages as at another sign-in.
    const int at = desk_->FindPage(catalogue_);
    desk_->DeletePage(std::size_t(at));
    catalogue_ = new CatalogueView(desk_, services_.catalogue());
    desk_->InsertPage(std::size_t(at), catalogue_, _("Service catalogue"));
    if (launch_.large_font) apply_font(catalogue_, desk_font_, new_page_ratio());
    if (services_.signed_in()) signed_in(false);
    // The lock screen too (it is a page of book_, the first).
    book_->DeletePage(0);
    unlock_ = new UnlockView(book_, services_, [this](bool same_user) { signed_in(same_user); });
    book_->InsertPage(0, unlock_, wxString());
    if (launch_.large_font) apply_font(unlock_, desk_font_, new_page_ratio());
    if (services_.signed_in()) {
        unlock_->set_user(signed_in_user_);
        book_->ChangeSelection(2);
    }
    if (on_settings) show_page(Page::settings);
    update_header();
    update_clock();
    update_status();
    Layout();
    Thaw();
}

double MainFrame::new_page_ratio() const {
    // A page made now has its list columns at the normal font's widths: widen them as
    // set_large_font widened those made before.
    const int normal = wxSystemSettings::GetFont(wxSYS_DEFAULT_GUI_FONT).GetPointSize();
    return desk_font_.IsOk() && normal > 0 ? double(desk_font_.GetPointSize()) / normal : 1.0;
}

void MainFrame::set_large_font(bool on) {
    launch_.large_font = on;
    wxFont f = wxSystemSettings::GetFont(wxSYS_DEFAULT_GUI_FONT);
    if (on) f.SetPointSize(f.GetPointSize() * 4 / 3 + 1);
    double ratio = double(f.GetPointSize()) / (desk_font_.IsOk() ? desk_font_.GetPointSize() : wxSystemSettings::GetFont(wxSYS_DEFAULT_GUI_FONT).GetPointSize());
    desk_font_ = f;
    Freeze();
    SetFont(f);
    for (auto* child : GetChildren())
        if (!child->IsTopLevel()) apply_font(child, f, ratio);
    // The header's title stays larger and bold.
    if (auto* title = FindWindowByName("header.title", this)) {
        wxFont t = f;
        t.SetPointSize(f.GetPointSize() + 3);
        t.SetWeight(wxFONTWEIGHT_BOLD);
        title->SetFont(t);
    }
    catalogue_->refresh_guide();
    if (cases_) cases_->fonts_changed();
    if (intake_) intake_->fonts_changed();
    if (review_) review_->fonts_changed();
    if (result_) result_->fonts_changed();
    if (appointments_) appointments_->fonts_changed();
    if (online_) online_->fonts_changed();
    if (enquiries_) enquiries_->fonts_changed();
    if (admin_) admin_->fonts_changed();
    if (report_) report_->fonts_changed();
    Layout();
    if (auto* root = GetChildren().GetFirst()) root->GetData()->Layout();
    Thaw();
}

void MainFrame::update_header() {
    if (services_.signed_in()) {
        auto who = services_.who();
        header_user_->SetLabel(wxString::Format(_("User: %s"), u8(who.display_name)));
        wxString window = services_.window_label().empty() ? wxString::Format(_("Terminal %s"), u8(who.terminal))
                                                            : u8(services_.window_label());
        header_window_->SetLabel(window);
        wxString post;
        if (who.post == core::Post::A) post = _("Post A");
        else if (who.post == core::Post::B) post = services_.acting_for_a() ? _("Acting for post A (B post)") : _("Post B");
        header_post_->SetLabel(post);
        header_post_->Show(!post.empty());
    } else {
        header_user_->SetLabel(!services_.has_store_dir() ? _("Not signed in") : page_ == Page::first_run ? _("First start") : _("Locked"));
        header_window_->SetLabel(wxString());
        header_post_->Hide();
    }
    header_user_->GetParent()->Layout();
}

void MainFrame::update_clock() {
    // China Standard Time, whatever the machine's time zone: the working day and every time
    // limit are counted on it.
    auto now = services_.now();
    clock_->SetLabel(u8(core::format_china_minute(now)));
    TodayInfo info = today_info(services_.calendar(), core::china_date(now));
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

void MainFrame::update_status() {
    if (page_ == Page::catalogue) SetStatusText(catalogue_->status(), 0);
    else if (page_ == Page::cases && cases_) SetStatusText(cases_->status(), 0);
    else SetStatusText(wxString(), 0);
    if (!services_.signed_in()) {
        SetStatusText(services_.has_store_dir() ? _("Locked: sign in to work with cases") : _("No store open: the catalogue only"), 1);
        header_connectivity_->SetLabel(services_.has_store_dir() ? wxString() : _("Catalogue only (no store)"));
        return;
    }
    auto read = read_sync_bar(services_);
    if (!read) {  // the first background read has not finished yet
        SetStatusText(wxString(), 1);
        header_connectivity_->SetLabel(u8(services_.platform_name()));
        return;
    }
    const SyncBar& bar = *read;
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
    else if (bar.all_synced)
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
    wxString platform = u8(services_.platform_name());
    header_connectivity_->SetLabel(platform.empty() ? state : platform + sep + state);
    header_connectivity_->SetToolTip(header_connectivity_->GetLabel());
}

wxDialog* MainFrame::about_dialog() {
    // The desk's own dialog, not GTK's (whose title and buttons follow the system's language,
    // not the desk's): every word of it from our catalogue or wx's.
    auto* dlg = new wxDialog(this, wxID_ANY, _("About OneWindow"), wxDefaultPosition, wxDefaultSize, wxDEFAULT_DIALOG_STYLE, "about");
    auto* s = new wxBoxSizer(wxVERTICAL);
    auto* name = new wxStaticText(dlg, wxID_ANY, _("OneWindow"), wxDefaultPosition, wxDefaultSize, 0, "about.name");
    wxFont big = name->GetFont();
    big.SetPointSize(big.GetPointSize() + 6);
    big.SetWeight(wxFONTWEIGHT_BOLD);
    name->SetFont(big);
    s->Add(name, 0, wxALIGN_CENTER_HORIZONTAL | wxTOP | wxLEFT | wxRIGHT, 16);
    s->Add(new wxStaticText(dlg, wxID_ANY, wxString::Format(_("Version %s"), OW_VERSION_TEXT), wxDefaultPosition, wxDefaultSize, 0,
                            "about.version"),
           0, wxALIGN_CENTER_HORIZONTAL | wxALL, 8);
    auto* what = new wxStaticText(dlg, wxID_ANY, _("Desk client for the comprehensive windows of government service centres."),
                                  wxDefaultPosition, wxDefaultSize, wxALIGN_CENTER_HORIZONTAL, "about.description");
    what->Wrap(FromDIP(360));
    s->Add(what, 0, wxALIGN_CENTER_HORIZONTAL | wxLEFT | wxRIGHT, 16);
    s->Add(dlg->CreateStdDialogButtonSizer(wxCLOSE), 0, wxEXPAND | wxALL, 12);
    dlg->SetEscapeId(wxID_CLOSE);
    dlg->SetAffirmativeId(wxID_CLOSE);
    dlg->SetSizerAndFit(s);
    dlg->CentreOnParent();
    return dlg;
}

void MainFrame::show_about() {
    wxDialog* dlg = about_dialog();
    dlg->ShowModal();
    dlg->Destroy();
}

void MainFrame::show_keys() {
    wxDialog dlg(this, wxID_ANY, _("Keyboard shortcuts"), wxDefaultPosition, FromDIP(wxSize(640, 520)),
                 wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER);
    auto* list = new wxListCtrl(&dlg, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL, wxDefaultValidator,
                                "keys.list");
    list->AppendColumn(_("Key"), wxLIST_FORMAT_LEFT, FromDIP(130));
    list->AppendColumn(_("Action"), wxLIST_FORMAT_LEFT, FromDIP(190));
    list->AppendColumn(_("What it does"), wxLIST_FORMAT_LEFT, FromDIP(300));
    long row = 0;
    for (const auto& a : actions_.actions()) {
        if (a.hotkey.empty()) continue;
        wxString label = wxStripMenuCodes(tr(a.label), wxStrip_Menu);
        row = list->InsertItem(row, key_text(a.hotkey));
        list->SetItem(row, 1, label);
        list->SetItem(row, 2, tr(a.help));
        ++row;
    }
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(list, 1, wxEXPAND | wxALL, 8);
    s->Add(dlg.CreateStdDialogButtonSizer(wxOK), 0, wxEXPAND | wxALL, 8);
    dlg.SetSizer(s);
    dlg.ShowModal();
}

void MainFrame::on_timer(wxTimerEvent&) {
    update_clock();
    if (services_.signed_in() && idle_.due()) {
        lock();
        return;
    }
    ++ticks_;
    if (!services_.signed_in()) {
        if (page_ == Page::unlock) unlock_->tick();
        return;
    }
    long passes = services_.progress().passes();
    if (ticks_ % 2 == 0 || services_.progress().current() || passes != sync_passes_) update_status();
    if (passes != sync_passes_ || ticks_ % 30 == 0) {  // sync changed the store, or every half minute
        sync_passes_ = passes;
        if (cases_) cases_->refresh_counts();
    }
}

}  // namespace ow::app
