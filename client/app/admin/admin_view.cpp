#include "admin/admin_view.h"

#include "common/labels.h"
#include "common/remeasure.h"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/filedlg.h>
#include <wx/intl.h>
#include <wx/listctrl.h>
#include <wx/log.h>
#include <wx/msgdlg.h>
#include <wx/notebook.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/utils.h>

#include <algorithm>

namespace ow::app {
namespace {

using HolderKind = store::SealAssignment::HolderKind;

wxString role_text(core::Role r) {
    switch (r) {
        case core::Role::clerk: return _("Window clerk");
        case core::Role::chief: return _("Chief representative");
        case core::Role::admin: return _("Administrator");
        default: return wxString::FromUTF8(std::string(core::to_code(r)));
    }
}

wxString post_text(core::Post p) {
    switch (p) {
        case core::Post::A: return _("Post A");
        case core::Post::B: return _("Post B");
        default: return wxString("-");
    }
}

/// The display name (the user name when none is set).
wxString who_text(const AdminUserRow& u) { return u8(u.display_name.empty() ? u.name : u.display_name); }
/// The display name and the user name, to tell two of the same name apart ("王晓梅 · wangxm").
wxString who_and_name(const AdminUserRow& u) { return u.display_name.empty() ? u8(u.name) : u8(u.display_name) + " · " + u8(u.name); }

wxString holder_text(HolderKind kind, const std::string& holder) {
    if (kind == HolderKind::post) return holder == "A" ? _("Post A") : _("Post B");
    return u8(holder);
}

/// The text of a wxTextCtrl into guarded memory; the control is cleared.
store::SecretText take_secret(wxTextCtrl* field, std::size_t capacity) {
    store::SecretText out(capacity);
    // The wxString must outlive the UTF-8 buffer: utf8_str() of a temporary may point into it.
    const wxString value = field->GetValue();
    const wxScopedCharBuffer utf8 = value.utf8_str();
    out.append(std::string_view(utf8.data(), std::min(utf8.length(), capacity)));
    field->Clear();
    return out;
}

std::string trimmed(wxTextCtrl* field) {
    wxString v = field->GetValue();
    v.Trim(true).Trim(false);
    return v.utf8_string();
}

wxTextCtrl* text(wxWindow* parent, const char* name, long style = 0) {
    auto* t = new wxTextCtrl(parent, wxID_ANY, wxEmptyString, wxDefaultPosition, wxDefaultSize, style);
    t->SetName(name);
    return t;
}

wxButton* button(wxWindow* parent, const wxString& label, const char* name) {
    auto* b = new wxButton(parent, wxID_ANY, label);
    b->SetName(name);
    return b;
}

void add_row(wxFlexGridSizer* grid, wxWindow* parent, const wxString& label, wxWindow* field, wxWindow* extra = nullptr) {
    grid->Add(new wxStaticText(parent, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL);
    if (extra) {
        auto* h = new wxBoxSizer(wxHORIZONTAL);
        h->Add(field, 1, wxEXPAND);
        h->Add(extra, 0, wxLEFT, 6);
        grid->Add(h, 1, wxEXPAND);
    } else {
        grid->Add(field, 1, wxEXPAND);
    }
}

/// Each column as wide as its widest cell or its header (the large font widens both).
void fit_columns(wxListCtrl* list) {
    for (int c = 0; c < list->GetColumnCount(); ++c) {
        list->SetColumnWidth(c, wxLIST_AUTOSIZE);
        const int cells = list->GetItemCount() ? list->GetColumnWidth(c) : 0;
        list->SetColumnWidth(c, wxLIST_AUTOSIZE_USEHEADER);
        list->SetColumnWidth(c, std::max(cells, list->GetColumnWidth(c)) + 12);
    }
}

long selected_row(wxListCtrl* list) { return list->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED); }

wxString power_text(core::Power p) {
    switch (p) {
        case core::Power::accept: return _("Accept applications");
        case core::Power::decide: return _("Decide");
        case core::Power::countersign: return _("Countersign joint approvals");
        case core::Power::escalate: return _("Escalate");
        case core::Power::collect_fee: return _("Collect fees");
        case core::Power::hold_seal: return _("Use the approval seal");
    }
    return wxString();
}

/// The grantee choices, in the order of the admin.authz.grantees choice.
constexpr unsigned kGranteeChoices[] = {core::kWindow, core::kChief, core::kWindow | core::kChief, core::kNobody};

wxString grantees_text(unsigned g) {
    if (g == (core::kWindow | core::kChief)) return _("Window and chief representatives");
    if (g == core::kWindow) return _("Comprehensive window");
    if (g == core::kChief) return _("Chief representatives");
    return _("Nobody at the centre");
}

wxString source_text(AuthzRow::Source s) {
    switch (s) {
        case AuthzRow::Source::department_kind: return _("This department, this kind");
        case AuthzRow::Source::department_any_kind: return _("This department, every kind");
        case AuthzRow::Source::centre_kind: return _("Every department, this kind");
        case AuthzRow::Source::centre_any_kind: return _("Every department, every kind");
        case AuthzRow::Source::builtin: return _("Default");
    }
    return wxString();
}

}  // namespace

wxString admin_message(const std::string& code) {
    if (code == "admin.user_added") return _("The user was added.");
    if (code == "admin.role_changed") return _("The role was changed; the user signs in with the new password.");
    if (code == "admin.password_reset") return _("The password was reset.");
    if (code == "admin.user_removed") return _("The user was removed.");
    if (code == "admin.post_set") return _("The post was set.");
    if (code == "admin.marked_absent") return _("Marked absent.");
    if (code == "admin.marked_present") return _("Marked present again.");
    if (code == "admin.seal_assigned") return _("The seal was assigned.");
    if (code == "admin.exported") return _("The audit trail was exported.");
    if (code == "admin.invalid_name") return _("The user name must be 1-64 characters without spaces.");
    if (code == "admin.invalid_display_name") return _("The display name is too long or holds control characters.");
    if (code == "admin.password_short") return _("The password is too short (at least 8 characters).");
    if (code == "admin.password_long") return _("The password is too long.");
    if (code == "admin.password_invalid") return _("The password holds characters that cannot be used.");
    if (code == "admin.password_mismatch") return _("The two passwords differ.");
    if (code == "admin.user_exists") return _("A user of this name exists already: choose the user and reset the password instead.");
    if (code == "admin.no_user") return _("Choose a user in the list first.");
    if (code == "admin.last_admin") return _("This is the last administrator: make another administrator first.");
    if (code == "admin.self") return _("You cannot remove yourself: another administrator can.");
    if (code == "admin.post_not_chief") return _("Posts A and B are for chief representatives only.");
    if (code == "admin.not_authorised") return _("Only an administrator may do this.");
    if (code == "admin.seal_holder") return _("Choose who holds the seal.");
    if (code == "admin.seal_key_missing") return _("Give either a PKCS#12 file or a PKCS#11 token URI (one of them).");
    if (code == "admin.seal_file") return _("The PKCS#12 file cannot be read (missing, empty or over 1 MiB).");
    if (code == "admin.seal_image") return _("The seal image must be a PNG file of at most 4 MiB.");
    if (code == "admin.seal_pin_wrong") return _("The PIN is wrong: nothing was assigned or signed.");
    if (code == "admin.seal_pin_missing") return _("Type the seal's PIN.");
    if (code == "admin.seal_no_seal") return _("Choose an assigned seal in the list first.");
    if (code == "admin.seal_failed") return _("The seal's key cannot be used (file, token or certificate); see the log.");
    if (code == "admin.export_path") return _("The export file cannot be written there: choose another file.");
    if (code == "admin.export_range") return _("Dates are written YYYY-MM-DD (both may be empty).");
    if (code == "admin.grant_set") return _("The authorisation was set.");
    if (code == "admin.grant_cleared") return _("The department's own rule was removed: the general one applies.");
    if (code == "admin.grant_none") return _("There is no rule of its own here to remove.");
    if (code == "admin.grant_invalid")
        return _("Not allowed: the window decides and seals only immediate items; countersigning and escalating are the chief representatives'.");
    if (code == "admin.department_set") return _("The department was saved.");
    if (code == "admin.department_invalid") return _("The answer time is 1 to 1440 minutes; the contact at most 100 characters.");
    if (code == "admin.no_department") return _("Choose a department first.");
    if (code == "admin.chief_department_set") return _("The chief representative's department was set.");
    if (code == "admin.staff_exported") return _("The staff list was exported.");
    return _("The action failed; see the log.");
}

wxString audit_verdict_text(const AuditCheck& c) {
    if (c.intact) return wxString::Format(_("The audit trail is intact: %lld entries, each linked to the one before."), (long long)c.entries);
    const long long n = c.first_bad ? (long long)*c.first_bad : 0;
    switch (c.fault) {
        case store::AuditFault::changed:
        case store::AuditFault::unknown_post:
            // TRANSLATORS: the audit trail's verification; %lld is the entry's number
            return wxString::Format(_("Entry %lld was altered after it was written."), n);
        case store::AuditFault::link: return wxString::Format(_("The chain is broken at entry %lld: entries before it were removed or reordered."), n);
        case store::AuditFault::missing: return wxString::Format(_("Entry %lld is missing."), n);
        case store::AuditFault::order: return wxString::Format(_("The entries are out of order at entry %lld."), n);
        case store::AuditFault::added: return wxString::Format(_("Entries from %lld on were added behind the recorded end."), n);
        default: return _("The record of the trail's end was altered.");
    }
}

AdminView::AdminView(wxWindow* parent, DeskServices& services, std::function<void()> changed)
    : wxPanel(parent, wxID_ANY), changed_(std::move(changed)), presenter_(std::make_unique<AdminPresenter>(services)) {
    SetName("admin");
    auto* v = new wxBoxSizer(wxVERTICAL);
    tabs_ = new wxNotebook(this, wxID_ANY);
    tabs_->SetName("admin.tabs");
    tabs_->AddPage(build_users(tabs_), _("Users"));
    tabs_->AddPage(build_posts(tabs_), _("Posts A/B"));
    tabs_->AddPage(build_seals(tabs_), _("Seals"));
    tabs_->AddPage(build_audit(tabs_), _("Audit trail"));
    tabs_->AddPage(build_authz(tabs_), _("Authorisation"));
    v->Add(tabs_, 1, wxEXPAND | wxALL, 6);
    message_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    message_->SetName("admin.message");
    v->Add(message_, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 8);
    SetSizer(v);
    fill();
    // The hints wrap to the width they are given (a long sentence, the large font).
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        e.Skip();
        CallAfter([this] { wrap_hints(); });
    });
    // Alt+1 … Alt+5: the tabs, from anywhere on the page (the intake's Alt+N are off here).
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        const int k = e.GetKeyCode();
        if (e.GetModifiers() == wxMOD_ALT && k >= '1' && k <= '5') {
            show_tab(Tab(k - '1'));
            return;
        }
        e.Skip();
    });
}

AdminView::~AdminView() = default;

wxWindow* AdminView::build_users(wxWindow* parent) {
    auto* page = new wxPanel(parent);
    auto* h = new wxBoxSizer(wxHORIZONTAL);
    users_ = new wxListCtrl(page, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    users_->SetName("admin.users");
    users_->AppendColumn(_("User name"), wxLIST_FORMAT_LEFT, 140);
    users_->AppendColumn(_("Name"), wxLIST_FORMAT_LEFT, 130);
    users_->AppendColumn(_("Role"), wxLIST_FORMAT_LEFT, 150);
    users_->AppendColumn(_("Post"), wxLIST_FORMAT_LEFT, 80);
    users_->AppendColumn(_("Status"), wxLIST_FORMAT_LEFT, 90);
    h->Add(users_, 3, wxEXPAND | wxALL, 6);

    auto* form = new wxBoxSizer(wxVERTICAL);
    auto* grid = new wxFlexGridSizer(2, 6, 8);
    grid->AddGrowableCol(1);
    user_name_ = text(page, "admin.user.name");
    user_display_ = text(page, "admin.user.display");
    user_role_ = new wxChoice(page, wxID_ANY);
    user_role_->SetName("admin.user.role");
    for (auto r : {core::Role::clerk, core::Role::chief, core::Role::admin}) user_role_->Append(role_text(r));
    user_role_->SetSelection(0);
    user_post_ = new wxChoice(page, wxID_ANY);
    user_post_->SetName("admin.user.post");
    user_post_->Append(_("No post"));
    user_post_->Append(_("Post A"));
    user_post_->Append(_("Post B"));
    user_post_->SetSelection(0);
    user_password_ = text(page, "admin.user.password", wxTE_PASSWORD);
    user_repeat_ = text(page, "admin.user.repeat", wxTE_PASSWORD);
    add_row(grid, page, _("User name"), user_name_);
    add_row(grid, page, _("Name"), user_display_);
    add_row(grid, page, _("Role"), user_role_);
    add_row(grid, page, _("Post"), user_post_);
    add_row(grid, page, _("Passphrase"), user_password_);
    add_row(grid, page, _("Passphrase again"), user_repeat_);
    form->Add(grid, 0, wxEXPAND | wxALL, 6);
    auto* hint = new wxStaticText(page, wxID_ANY, _("A new role takes a new password, typed twice."));
    hints_.push_back({hint, hint->GetLabel()});
    form->Add(hint, 0, wxEXPAND | wxLEFT | wxRIGHT, 6);
    auto* buttons = new wxGridSizer(2, 6, 6);
    auto* add = button(page, _("Add user"), "admin.user.add");
    auto* role = button(page, _("Change role"), "admin.user.change_role");
    auto* reset = button(page, _("Reset password"), "admin.user.reset");
    auto* remove = button(page, _("Remove user"), "admin.user.remove");
    for (auto* b : {add, role, reset, remove}) buttons->Add(b, 0, wxEXPAND);
    form->Add(buttons, 0, wxEXPAND | wxALL, 6);
    h->Add(form, 2, wxEXPAND);
    page->SetSizer(h);

    users_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent& e) {
        const auto row = std::size_t(e.GetIndex());
        if (row >= presenter_->users().size()) return;
        const auto& u = presenter_->users()[row];
        user_name_->ChangeValue(u8(u.name));
        user_display_->ChangeValue(u8(u.display_name));
        user_role_->SetSelection(u.role == core::Role::chief ? 1 : u.role == core::Role::admin ? 2 : 0);
        user_post_->SetSelection(u.post == core::Post::A ? 1 : u.post == core::Post::B ? 2 : 0);
    });
    add->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { add_user(); });
    role->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { change_role(); });
    reset->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { reset_password(); });
    remove->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { remove_user(); });
    return page;
}

wxWindow* AdminView::build_posts(wxWindow* parent) {
    auto* page = new wxPanel(parent);
    auto* v = new wxBoxSizer(wxVERTICAL);
    auto* posts_hint = new wxStaticText(page, wxID_ANY, _("Post B decides for post A while post A is marked absent; each use of the seal is recorded."));
    hints_.push_back({posts_hint, posts_hint->GetLabel()});
    v->Add(posts_hint, 0, wxEXPAND | wxALL, 6);
    acting_ = new wxStaticText(page, wxID_ANY, wxEmptyString);
    acting_->SetName("admin.acting");
    v->Add(acting_, 0, wxEXPAND | wxALL, 6);
    chiefs_ = new wxListCtrl(page, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    chiefs_->SetName("admin.chiefs");
    chiefs_->AppendColumn(_("Chief representative"), wxLIST_FORMAT_LEFT, 200);
    chiefs_->AppendColumn(_("User name"), wxLIST_FORMAT_LEFT, 140);
    chiefs_->AppendColumn(_("Post"), wxLIST_FORMAT_LEFT, 90);
    chiefs_->AppendColumn(_("Status"), wxLIST_FORMAT_LEFT, 110);
    v->Add(chiefs_, 1, wxEXPAND | wxALL, 6);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    auto* a = button(page, _("Set to post A"), "admin.post.a");
    auto* b = button(page, _("Set to post B"), "admin.post.b");
    auto* absent = button(page, _("Mark absent"), "admin.post.absent");
    auto* present = button(page, _("Mark present"), "admin.post.present");
    for (auto* w : {a, b, absent, present}) buttons->Add(w, 0, wxRIGHT, 6);
    v->Add(buttons, 0, wxALL, 6);
    page->SetSizer(v);
    a->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { set_post(core::Post::A); });
    b->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { set_post(core::Post::B); });
    absent->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { set_absent(true); });
    present->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { set_absent(false); });
    return page;
}

wxWindow* AdminView::build_seals(wxWindow* parent) {
    auto* page = new wxPanel(parent);
    auto* h = new wxBoxSizer(wxHORIZONTAL);
    auto* left = new wxBoxSizer(wxVERTICAL);
    seals_ = new wxListCtrl(page, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    seals_->SetName("admin.seals");
    seals_->AppendColumn(_("Holder"), wxLIST_FORMAT_LEFT, 110);
    seals_->AppendColumn(_("Seal"), wxLIST_FORMAT_LEFT, 140);
    seals_->AppendColumn(_("Certificate"), wxLIST_FORMAT_LEFT, 280);
    seals_->AppendColumn(_("Key store"), wxLIST_FORMAT_LEFT, 110);
    left->Add(seals_, 1, wxEXPAND | wxALL, 6);
    auto* test_row = new wxBoxSizer(wxHORIZONTAL);
    test_row->Add(new wxStaticText(page, wxID_ANY, _("Token PIN")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    seal_test_pin_ = text(page, "admin.seal.test_pin", wxTE_PASSWORD);
    test_row->Add(seal_test_pin_, 1, wxRIGHT, 6);
    auto* test = button(page, _("Test signature"), "admin.seal.test");
    test_row->Add(test, 0);
    left->Add(test_row, 0, wxEXPAND | wxLEFT | wxRIGHT, 6);
    seal_result_ = new wxStaticText(page, wxID_ANY, wxEmptyString);
    seal_result_->SetName("admin.seal.result");
    left->Add(seal_result_, 0, wxEXPAND | wxALL, 6);
    h->Add(left, 3, wxEXPAND);

    auto* form = new wxBoxSizer(wxVERTICAL);
    auto* grid = new wxFlexGridSizer(2, 6, 8);
    grid->AddGrowableCol(1);
    seal_holder_ = new wxChoice(page, wxID_ANY);
    seal_holder_->SetName("admin.seal.holder");
    seal_name_ = text(page, "admin.seal.name");
    seal_name_->ChangeValue(wxString::FromUTF8("行政审批专用章"));
    seal_p12_ = text(page, "admin.seal.p12");
    seal_uri_ = text(page, "admin.seal.uri");
    seal_module_ = text(page, "admin.seal.module");
    seal_image_ = text(page, "admin.seal.image");
    seal_pin_ = text(page, "admin.seal.pin", wxTE_PASSWORD);
    auto* browse_p12 = button(page, _("Browse..."), "admin.seal.browse_p12");
    auto* browse_image = button(page, _("Browse..."), "admin.seal.browse_image");
    add_row(grid, page, _("Holder"), seal_holder_);
    add_row(grid, page, _("Seal name"), seal_name_);
    add_row(grid, page, _("PKCS#12 file"), seal_p12_, browse_p12);
    add_row(grid, page, _("or token URI"), seal_uri_);
    add_row(grid, page, _("Token module"), seal_module_);
    add_row(grid, page, _("Seal image (PNG)"), seal_image_, browse_image);
    add_row(grid, page, _("PIN"), seal_pin_);
    form->Add(grid, 0, wxEXPAND | wxALL, 6);
    auto* pin_hint = new wxStaticText(page, wxID_ANY, _("A PKCS#12 PIN is kept with the seal; a token's PIN is typed at every decision."));
    hints_.push_back({pin_hint, pin_hint->GetLabel()});
    form->Add(pin_hint, 0, wxEXPAND | wxLEFT | wxRIGHT, 6);
    auto* assign = button(page, _("Assign seal"), "admin.seal.assign");
    form->Add(assign, 0, wxALL, 6);
    h->Add(form, 2, wxEXPAND);
    page->SetSizer(h);

    auto browse = [this](wxTextCtrl* into, const wxString& pattern) {
        wxFileDialog d(this, _("Choose a file"), wxEmptyString, wxEmptyString, pattern, wxFD_OPEN | wxFD_FILE_MUST_EXIST);
        if (d.ShowModal() == wxID_OK) into->ChangeValue(d.GetPath());
    };
    browse_p12->Bind(wxEVT_BUTTON, [this, browse](wxCommandEvent&) { browse(seal_p12_, "PKCS#12 (*.p12;*.pfx)|*.p12;*.pfx|*|*"); });
    browse_image->Bind(wxEVT_BUTTON, [this, browse](wxCommandEvent&) { browse(seal_image_, "PNG (*.png)|*.png"); });
    assign->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { assign_seal(); });
    test->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { test_seal(); });
    return page;
}

wxWindow* AdminView::build_audit(wxWindow* parent) {
    auto* page = new wxPanel(parent);
    auto* v = new wxBoxSizer(wxVERTICAL);
    auto* audit_hint = new wxStaticText(page, wxID_ANY,
                                        _("Every act is recorded in the audit trail, each entry linked to the one before: a changed or "
                                          "removed entry breaks the chain."));
    hints_.push_back({audit_hint, audit_hint->GetLabel()});
    v->Add(audit_hint, 0, wxEXPAND | wxALL, 6);
    auto* verify = button(page, _("Verify the audit trail"), "admin.audit.verify");
    v->Add(verify, 0, wxALL, 6);
    audit_result_ = new wxStaticText(page, wxID_ANY, wxEmptyString);
    audit_result_->SetName("admin.audit.result");
    v->Add(audit_result_, 0, wxEXPAND | wxALL, 6);

    auto* grid = new wxFlexGridSizer(2, 6, 8);
    grid->AddGrowableCol(1);
    audit_from_ = text(page, "admin.audit.from");
    audit_to_ = text(page, "admin.audit.to");
    audit_format_ = new wxChoice(page, wxID_ANY);
    audit_format_->SetName("admin.audit.format");
    audit_format_->Append("CSV");
    audit_format_->Append("JSON");
    audit_format_->SetSelection(0);
    audit_path_ = text(page, "admin.audit.path");
    auto* browse = button(page, _("Browse..."), "admin.audit.browse");
    add_row(grid, page, _("From (YYYY-MM-DD)"), audit_from_);
    add_row(grid, page, _("To (YYYY-MM-DD)"), audit_to_);
    add_row(grid, page, _("Format"), audit_format_);
    add_row(grid, page, _("Export file"), audit_path_, browse);
    v->Add(grid, 0, wxEXPAND | wxALL, 6);
    auto* exp = button(page, _("Export"), "admin.audit.export");
    v->Add(exp, 0, wxALL, 6);
    page->SetSizer(v);

    verify->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { verify_audit(); });
    exp->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { export_audit(); });
    browse->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        const bool csv = audit_format_->GetSelection() == 0;
        wxFileDialog d(this, _("Export the audit trail"), wxEmptyString, csv ? "audit.csv" : "audit.json",
                       csv ? "CSV (*.csv)|*.csv" : "JSON (*.json)|*.json", wxFD_SAVE | wxFD_OVERWRITE_PROMPT);
        if (d.ShowModal() == wxID_OK) audit_path_->ChangeValue(d.GetPath());
    });
    return page;
}

wxWindow* AdminView::build_authz(wxWindow* parent) {
    auto* page = new wxPanel(parent);
    auto* v = new wxBoxSizer(wxVERTICAL);
    auto* hint = new wxStaticText(page, wxID_ANY,
                                  _("What each department authorises the comprehensive window and its own chief representatives to do; "
                                    "every act is checked against it."));
    hints_.push_back({hint, hint->GetLabel()});
    v->Add(hint, 0, wxEXPAND | wxALL, 6);
    auto* pick = new wxBoxSizer(wxHORIZONTAL);
    authz_department_ = new wxChoice(page, wxID_ANY);
    authz_department_->SetName("admin.authz.department");
    authz_kind_ = new wxChoice(page, wxID_ANY);
    authz_kind_->SetName("admin.authz.kind");
    for (auto k : {core::ItemKind::immediate, core::ItemKind::promised, core::ItemKind::escalated}) authz_kind_->Append(label(k));
    authz_kind_->SetSelection(0);
    pick->Add(new wxStaticText(page, wxID_ANY, _("Department")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    pick->Add(authz_department_, 1, wxRIGHT, 12);
    pick->Add(new wxStaticText(page, wxID_ANY, _("Kind")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    pick->Add(authz_kind_, 0);
    v->Add(pick, 0, wxEXPAND | wxLEFT | wxRIGHT, 6);

    auto* h = new wxBoxSizer(wxHORIZONTAL);
    authz_grid_ = new wxListCtrl(page, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    authz_grid_->SetName("admin.authz.grid");
    authz_grid_->AppendColumn(_("Power"), wxLIST_FORMAT_LEFT, 150);
    authz_grid_->AppendColumn(_("Granted to"), wxLIST_FORMAT_LEFT, 170);
    authz_grid_->AppendColumn(_("Rule"), wxLIST_FORMAT_LEFT, 150);
    auto* left = new wxBoxSizer(wxVERTICAL);
    left->Add(authz_grid_, 1, wxEXPAND | wxALL, 6);
    h->Add(left, 3, wxEXPAND);

    auto* right = new wxBoxSizer(wxVERTICAL);
    auto* grid = new wxFlexGridSizer(2, 6, 8);
    grid->AddGrowableCol(1);
    authz_grantees_ = new wxChoice(page, wxID_ANY);
    authz_grantees_->SetName("admin.authz.grantees");
    for (unsigned g : kGranteeChoices) authz_grantees_->Append(grantees_text(g));
    authz_grantees_->SetSelection(0);
    add_row(grid, page, _("Granted to"), authz_grantees_);
    right->Add(grid, 0, wxEXPAND | wxALL, 6);
    auto* grant_buttons = new wxBoxSizer(wxHORIZONTAL);
    auto* set = button(page, _("Set"), "admin.authz.grant");
    auto* clear = button(page, _("Use the general rule"), "admin.authz.clear");
    grant_buttons->Add(set, 0, wxRIGHT, 6);
    grant_buttons->Add(clear, 0);
    right->Add(grant_buttons, 0, wxLEFT | wxRIGHT | wxBOTTOM, 6);

    authz_remote_ = new wxCheckBox(page, wxID_ANY, _("Not in the hall: its cases are passed on"));
    authz_remote_->SetName("admin.authz.remote");
    right->Add(authz_remote_, 0, wxEXPAND | wxALL, 6);
    auto* dgrid = new wxFlexGridSizer(2, 6, 8);
    dgrid->AddGrowableCol(1);
    authz_minutes_ = text(page, "admin.authz.minutes");
    authz_contact_ = text(page, "admin.authz.contact");
    add_row(dgrid, page, _("Answer within (minutes)"), authz_minutes_);
    add_row(dgrid, page, _("Contact"), authz_contact_);
    right->Add(dgrid, 0, wxEXPAND | wxLEFT | wxRIGHT, 6);
    auto* save = button(page, _("Save the department"), "admin.authz.save_department");
    right->Add(save, 0, wxALL, 6);

    auto* cgrid = new wxFlexGridSizer(2, 6, 8);
    cgrid->AddGrowableCol(1);
    authz_chief_ = new wxChoice(page, wxID_ANY);
    authz_chief_->SetName("admin.authz.chief");
    auto* represent = button(page, _("Represents it"), "admin.authz.set_chief");
    add_row(cgrid, page, _("Chief representative"), authz_chief_, represent);
    authz_path_ = text(page, "admin.authz.path");
    auto* browse = button(page, _("Browse..."), "admin.authz.browse");
    add_row(cgrid, page, _("Staff list file"), authz_path_, browse);
    // The chief representatives' departments and the staff list under the grid, where there is room.
    left->Add(cgrid, 0, wxEXPAND | wxALL, 6);
    auto* exp = button(page, _("Export the staff list"), "admin.authz.export");
    left->Add(exp, 0, wxLEFT | wxRIGHT | wxBOTTOM, 6);
    h->Add(right, 2, wxEXPAND);
    v->Add(h, 1, wxEXPAND);
    page->SetSizer(v);

    auto reshow = [this](wxCommandEvent&) { fill_authz(); };
    authz_department_->Bind(wxEVT_CHOICE, reshow);
    authz_kind_->Bind(wxEVT_CHOICE, reshow);
    authz_grid_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent& e) {
        const auto rows = presenter_->authz(authz_department(), authz_kind());
        const auto row = std::size_t(e.GetIndex());
        if (row >= rows.size()) return;
        for (std::size_t i = 0; i < std::size(kGranteeChoices); ++i)
            if (kGranteeChoices[i] == rows[row].grantees) authz_grantees_->SetSelection(int(i));
    });
    set->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { grant_selected(); });
    clear->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { clear_selected(); });
    save->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { save_department(); });
    represent->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { set_chief_department(); });
    exp->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { export_staff(); });
    browse->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        wxFileDialog d(this, _("Export the staff list"), wxEmptyString, "staff.csv", "CSV (*.csv)|*.csv", wxFD_SAVE | wxFD_OVERWRITE_PROMPT);
        if (d.ShowModal() == wxID_OK) authz_path_->ChangeValue(d.GetPath());
    });
    return page;
}

std::string AdminView::authz_department() const {
    const int i = authz_department_->GetSelection();
    return i >= 1 && std::size_t(i) <= departments_.size() ? departments_[std::size_t(i - 1)] : std::string();
}

core::ItemKind AdminView::authz_kind() const {
    const int k = authz_kind_->GetSelection();
    return k == 1 ? core::ItemKind::promised : k == 2 ? core::ItemKind::escalated : core::ItemKind::immediate;
}

void AdminView::fill_authz() {
    // The department choice: every department, then the catalogue's (kept across refreshes).
    const auto departments = presenter_->departments();
    if (departments != departments_ || authz_department_->GetCount() != departments.size() + 1) {
        const std::string was = authz_department();
        departments_ = departments;
        authz_department_->Clear();
        authz_department_->Append(_("Every department"));
        int select = 0;
        for (std::size_t i = 0; i < departments_.size(); ++i) {
            authz_department_->Append(u8(departments_[i]));
            if (departments_[i] == was) select = int(i + 1);
        }
        authz_department_->SetSelection(select);
    }
    const long selected = selected_row(authz_grid_);
    authz_grid_->DeleteAllItems();
    const auto rows = presenter_->authz(authz_department(), authz_kind());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const long row = authz_grid_->InsertItem(long(i), power_text(rows[i].power));
        authz_grid_->SetItem(row, 1, grantees_text(rows[i].grantees));
        authz_grid_->SetItem(row, 2, source_text(rows[i].source));
    }
    if (selected >= 0 && selected < authz_grid_->GetItemCount()) authz_grid_->SetItemState(selected, wxLIST_STATE_SELECTED, wxLIST_STATE_SELECTED);
    // The department's own policy (事进人不进); none for every department.
    const std::string dept = authz_department();
    const auto policy = presenter_->department_policy(dept);
    authz_remote_->SetValue(policy.remote);
    authz_minutes_->ChangeValue(wxString::Format("%d", policy.answer_minutes));
    authz_contact_->ChangeValue(u8(policy.contact));
    for (wxWindow* w : std::initializer_list<wxWindow*>{authz_remote_, authz_minutes_, authz_contact_,
                                                        FindWindowByName("admin.authz.save_department", this)})
        if (w) w->Enable(!dept.empty());
    const int chief = authz_chief_->GetSelection();
    authz_chief_->Clear();
    for (const auto& u : presenter_->users())
        if (u.role == core::Role::chief)
            authz_chief_->Append(who_and_name(u) + " — " + (u.department.empty() ? _("Every department") : u8(u.department)));
    if (authz_chief_->GetCount() > 0)
        authz_chief_->SetSelection(chief >= 0 && unsigned(chief) < authz_chief_->GetCount() ? chief : 0);
    fit_columns(authz_grid_);
}

void AdminView::show_authz(int department, int kind) {
    if (department >= 0 && unsigned(department) < authz_department_->GetCount()) authz_department_->SetSelection(department);
    if (kind >= 0 && kind < 3) authz_kind_->SetSelection(kind);
    fill_authz();
}

void AdminView::grant_selected() {
    const long row = selected_row(authz_grid_);
    if (row < 0 || row >= long(std::size(core::kAllPowers))) return say(_("Choose a power in the list first."), true);
    const int g = authz_grantees_->GetSelection();
    const auto r = presenter_->grant(authz_department(), authz_kind(), core::kAllPowers[row],
                                     kGranteeChoices[g >= 0 && std::size_t(g) < std::size(kGranteeChoices) ? std::size_t(g) : 0]);
    fill_authz();
    say(r);
}

void AdminView::clear_selected() {
    const long row = selected_row(authz_grid_);
    if (row < 0 || row >= long(std::size(core::kAllPowers))) return say(_("Choose a power in the list first."), true);
    const auto r = presenter_->clear_grant(authz_department(), authz_kind(), core::kAllPowers[row]);
    fill_authz();
    say(r);
}

void AdminView::save_department() {
    core::DepartmentPolicy p = presenter_->department_policy(authz_department());
    p.remote = authz_remote_->GetValue();
    long minutes = 0;
    p.answer_minutes = authz_minutes_->GetValue().Trim().Trim(false).ToLong(&minutes) && minutes > 0 && minutes <= 1440 ? int(minutes) : 0;
    p.contact = trimmed(authz_contact_);
    const auto r = presenter_->set_department_policy(p);
    fill_authz();
    say(r);
}

void AdminView::set_chief_department() {
    const int i = authz_chief_->GetSelection();
    std::string name;
    int c = 0;
    for (const auto& u : presenter_->users())
        if (u.role == core::Role::chief && c++ == i) name = u.name;
    const auto r = name.empty() ? AdminResult{false, "admin.no_user", {}} : presenter_->set_chief_department(name, authz_department());
    fill();
    say(r);
}

void AdminView::export_staff() {
    wxBusyCursor busy;
    const auto r = presenter_->export_staff(std::filesystem::path(authz_path_->GetValue().utf8_string()));
    say(r);
}

void AdminView::fill() {
    const auto& users = presenter_->users();
    users_->DeleteAllItems();
    chiefs_->DeleteAllItems();
    long c = 0;
    for (std::size_t i = 0; i < users.size(); ++i) {
        const auto& u = users[i];
        const long row = users_->InsertItem(long(i), u8(u.name));
        users_->SetItem(row, 1, u8(u.display_name));
        users_->SetItem(row, 2, role_text(u.role));
        users_->SetItem(row, 3, post_text(u.post));
        users_->SetItem(row, 4, u.absent ? _("Absent") : _("Present"));
        if (u.role != core::Role::chief) continue;
        const long crow = chiefs_->InsertItem(c++, who_text(u));
        chiefs_->SetItem(crow, 1, u8(u.name));
        chiefs_->SetItem(crow, 2, post_text(u.post));
        chiefs_->SetItem(crow, 3, u.absent ? _("Absent") : _("Present"));
    }
    wxString acting;
    for (const auto& line : presenter_->acting()) {
        if (!acting.empty()) acting += "\n";
        if (line.acting_b.empty()) {
            acting += wxString::Format(_("%s (post A) is absent and nobody on post B is present to act."), who_text(line.absent_a));
        } else {
            wxString names;
            for (const auto& b : line.acting_b) names += (names.empty() ? "" : ", ") + who_text(b);
            // TRANSLATORS: who acts for whom: "<post B chiefs> act for <absent post A chief>"
            acting += wxString::Format(_("%s (post B) acts for %s (post A, absent)."), names, who_text(line.absent_a));
        }
    }
    acting_->SetLabel(acting.empty() ? _("Nobody is absent: posts A and B decide for themselves.") : acting);
    acting_->SetForegroundColour(acting.empty() ? GetForegroundColour() : wxColour(0x8b, 0x1a, 0x1a));

    seals_->DeleteAllItems();
    const auto& seals = presenter_->seals();
    for (std::size_t i = 0; i < seals.size(); ++i) {
        const auto& s = seals[i];
        const long row = seals_->InsertItem(long(i), holder_text(s.holder_kind, s.holder));
        seals_->SetItem(row, 1, u8(s.name));
        seals_->SetItem(row, 2, u8(s.signer));
        seals_->SetItem(row, 3, s.on_token ? _("PKCS#11 token") : _("PKCS#12 file"));
    }
    const int holder = seal_holder_->GetSelection();
    seal_holder_->Clear();
    for (const auto& [kind, name] : presenter_->seal_holders()) {
        wxString label = holder_text(kind, name);
        if (kind == HolderKind::user)
            for (const auto& u : users)
                if (u.name == name) label = who_and_name(u);
        seal_holder_->Append(label);
    }
    seal_holder_->SetSelection(holder >= 0 && unsigned(holder) < seal_holder_->GetCount() ? holder : 0);
    for (auto* list : {users_, chiefs_, seals_}) fit_columns(list);
    fill_authz();
    Layout();
}

void AdminView::wrap_hints() {
    // Each hint runs from where it starts to the right edge of its tab (the forms are the right column).
    for (auto& [label, text] : hints_) {
        const int width = label->GetParent()->GetClientSize().GetWidth() - label->GetPosition().x - 12;
        if (width < 100) continue;
        label->SetLabel(text);
        label->Wrap(width);
    }
    Layout();
    for (auto* page : tabs_->GetChildren()) page->Layout();
}

void AdminView::say(const wxString& text, bool problem) {
    message_->SetForegroundColour(problem ? wxColour(0xb0, 0x00, 0x20) : wxColour(0x1b, 0x5e, 0x20));
    message_->SetLabel(text);
    Layout();
}

void AdminView::say(const AdminResult& r) {
    if (!r.ok && !r.detail.empty()) wxLogMessage("admin: %s: %s", r.code, u8(r.detail));
    say(admin_message(r.code), !r.ok);
    if (r.ok && changed_) changed_();
}

std::string AdminView::selected_chief() const {
    const long row = selected_row(chiefs_);
    if (row < 0) return {};
    long c = 0;
    for (const auto& u : presenter_->users())
        if (u.role == core::Role::chief && c++ == row) return u.name;
    return {};
}

void AdminView::add_user() {
    UserForm f;
    f.name = trimmed(user_name_);
    f.display_name = trimmed(user_display_);
    const int role = user_role_->GetSelection();
    f.role = role == 1 ? core::Role::chief : role == 2 ? core::Role::admin : core::Role::clerk;
    const int post = user_post_->GetSelection();
    f.post = post == 1 ? core::Post::A : post == 2 ? core::Post::B : core::Post::none;
    f.password = take_secret(user_password_, kMaxPassphraseBytes);
    f.repeat = take_secret(user_repeat_, kMaxPassphraseBytes);
    wxBusyCursor busy;
    const auto r = presenter_->add_user(f);
    fill();
    say(r);
}

void AdminView::change_role() {
    const int role = user_role_->GetSelection();
    const int post = user_post_->GetSelection();
    auto pw = take_secret(user_password_, kMaxPassphraseBytes);
    auto repeat = take_secret(user_repeat_, kMaxPassphraseBytes);
    wxBusyCursor busy;
    const auto r = presenter_->change_role(trimmed(user_name_),
                                           role == 1   ? core::Role::chief
                                           : role == 2 ? core::Role::admin
                                                       : core::Role::clerk,
                                           post == 1 ? core::Post::A : post == 2 ? core::Post::B : core::Post::none, pw, repeat);
    fill();
    say(r);
}

void AdminView::reset_password() {
    auto pw = take_secret(user_password_, kMaxPassphraseBytes);
    auto repeat = take_secret(user_repeat_, kMaxPassphraseBytes);
    wxBusyCursor busy;
    const auto r = presenter_->reset_password(trimmed(user_name_), pw, repeat);
    fill();
    say(r);
}

void AdminView::remove_user() {
    const std::string name = trimmed(user_name_);
    if (name.empty()) return say(admin_message("admin.no_user"), true);
    if (wxMessageBox(wxString::Format(_("Remove the user %s? They can no longer sign in."), u8(name)), _("Remove user"),
                     wxYES_NO | wxNO_DEFAULT | wxICON_QUESTION, this) != wxYES)
        return;
    const auto r = presenter_->remove_user(name);
    if (r.ok) {
        user_name_->Clear();
        user_display_->Clear();
    }
    fill();
    say(r);
}

void AdminView::set_post(core::Post post) {
    const auto name = selected_chief();
    const auto r = name.empty() ? AdminResult{false, "admin.no_user", {}} : presenter_->set_post(name, post);
    fill();
    say(r);
}

void AdminView::set_absent(bool absent) {
    const auto name = selected_chief();
    const auto r = name.empty() ? AdminResult{false, "admin.no_user", {}} : presenter_->set_absent(name, absent);
    fill();
    say(r);
}

void AdminView::assign_seal() {
    SealForm f;
    const auto holders = presenter_->seal_holders();
    const int h = seal_holder_->GetSelection();
    if (h >= 0 && std::size_t(h) < holders.size()) {
        f.holder_kind = holders[std::size_t(h)].first;
        f.holder = holders[std::size_t(h)].second;
    }
    f.name = trimmed(seal_name_);
    f.p12_file = trimmed(seal_p12_);
    f.pkcs11_uri = trimmed(seal_uri_);
    f.pkcs11_module = trimmed(seal_module_);
    f.image = trimmed(seal_image_);
    f.pin = take_secret(seal_pin_, 256);
    wxBusyCursor busy;
    const auto r = presenter_->assign_seal(f);
    fill();
    say(r);
}

void AdminView::test_seal() {
    const long row = selected_row(seals_);
    if (row < 0 || std::size_t(row) >= presenter_->seals().size()) {
        seal_test_pin_->Clear();
        return say(admin_message("admin.seal_no_seal"), true);
    }
    const auto s = presenter_->seals()[std::size_t(row)];
    test_seal_of(s.holder_kind, s.holder);
}

void AdminView::test_seal_of(store::SealAssignment::HolderKind kind, const std::string& holder) {
    auto pin = take_secret(seal_test_pin_, 256);
    const auto& seals = presenter_->seals();
    for (std::size_t i = 0; i < seals.size(); ++i)
        if (seals[i].holder_kind == kind && seals[i].holder == holder) seals_->SetItemState(long(i), wxLIST_STATE_SELECTED, wxLIST_STATE_SELECTED);
    wxBusyCursor busy;
    const auto t = presenter_->test_seal(kind, holder, pin);
    if (!t.result.ok) {
        seal_result_->SetLabel(wxEmptyString);
        return say(t.result);
    }
    for (const auto& p : t.problems) wxLogMessage("admin: seal test: %s", u8(p));
    seal_result_->SetForegroundColour(t.valid ? wxColour(0x1b, 0x5e, 0x20) : wxColour(0xb0, 0x00, 0x20));
    seal_result_->SetLabel(t.valid ? wxString::Format(_("Test signature valid: signed by %s with the seal %s."), u8(t.signer), u8(t.seal_name))
                                   : wxString::Format(_("Test signature NOT valid (signer %s): see the log."), u8(t.signer)));
    say(t.valid ? _("The test document was signed and verified.") : _("The test signature did not verify."), !t.valid);
    Layout();
}

void AdminView::verify_audit() {
    wxBusyCursor busy;
    const auto c = presenter_->verify_audit();
    if (!c.intact) wxLogMessage("admin: audit trail: %s", u8(c.reason));
    audit_result_->SetForegroundColour(c.intact ? wxColour(0x1b, 0x5e, 0x20) : wxColour(0xb0, 0x00, 0x20));
    audit_result_->SetLabel(audit_verdict_text(c));
    say(c.intact ? _("Verified.") : _("The audit trail was tampered with: report it to the supervisor."), !c.intact);
    Layout();
}

void AdminView::export_audit() {
    const std::string path = trimmed(audit_path_);
    wxBusyCursor busy;
    const auto e = presenter_->export_audit(path, audit_format_->GetSelection() == 1 ? store::AuditExportFormat::json : store::AuditExportFormat::csv,
                                            trimmed(audit_from_), trimmed(audit_to_));
    if (!e.result.ok) return say(e.result);
    say(wxString::Format(_("%lld entries exported to %s."), (long long)e.entries, u8(path)) +
            (e.trail_intact ? wxString() : " " + _("Note: the audit trail does not verify.")),
        !e.trail_intact);
    if (changed_) changed_();
}

void AdminView::clear_secrets() {
    for (auto* t : {user_password_, user_repeat_, seal_pin_, seal_test_pin_}) t->Clear();
}

void AdminView::signed_in() {
    clear_secrets();
    presenter_->refresh();
    fill();
    say(wxEmptyString, false);
}

void AdminView::locked() { clear_secrets(); }

void AdminView::show_tab(Tab t) {
    tabs_->ChangeSelection(std::size_t(t));
    // The tab's first control takes the focus (its list, or the audit's verify button).
    wxWindow* first = t == Tab::users ? static_cast<wxWindow*>(users_)
                      : t == Tab::posts ? static_cast<wxWindow*>(chiefs_)
                      : t == Tab::seals ? static_cast<wxWindow*>(seals_)
                      : t == Tab::authz ? static_cast<wxWindow*>(authz_department_)
                                        : FindWindowByName("admin.audit.verify", this);
    if (first && IsShownOnScreen()) first->SetFocus();
}

void AdminView::fonts_changed() {
    remeasure_labels(this, [](wxStaticText*) { return true; });
    for (auto* list : {users_, chiefs_, seals_, authz_grid_}) fit_columns(list);
    Layout();
    wrap_hints();
}

}  // namespace ow::app
