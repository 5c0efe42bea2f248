// The administration screen (管理, Ctrl+Shift+A; administrators only): a page of the desk with five
// tabs (Alt+1 … Alt+5) — users (list with role and post; add, change role, reset password, remove), posts A/B and
// who acts for whom (post, absence), seals (the assignments; assign a PKCS#12 file or a PKCS#11
// token key with its PIN; the test signature), audit (verify the chain, naming the first broken
// entry; export to a file), authorisation (授权与备案: the matrix per department and item kind, a
// department with no one in the hall, a chief representative's department, the staff list for
// filing). A thin view over AdminPresenter: it moves text between widgets and
// the presenter and translates the presenter's codes; it never reads the store.
//
// Widget names (tests): admin.tabs, admin.message; admin.users, admin.user.name, admin.user.display,
// admin.user.role, admin.user.post, admin.user.password, admin.user.repeat, admin.user.add,
// admin.user.change_role, admin.user.reset, admin.user.remove; admin.chiefs, admin.post.a,
// admin.post.b, admin.post.absent, admin.post.present, admin.acting; admin.seals, admin.seal.holder,
// admin.seal.name, admin.seal.p12, admin.seal.uri, admin.seal.module, admin.seal.image,
// admin.seal.pin, admin.seal.assign, admin.seal.test_pin, admin.seal.test, admin.seal.result;
// admin.audit.verify, admin.audit.result, admin.audit.from, admin.audit.to, admin.audit.format,
// admin.audit.path, admin.audit.export; admin.authz.department, admin.authz.kind, admin.authz.grid,
// admin.authz.grantees, admin.authz.grant, admin.authz.clear, admin.authz.remote, admin.authz.minutes,
// admin.authz.contact, admin.authz.save_department, admin.authz.chief, admin.authz.set_chief,
// admin.authz.path, admin.authz.browse, admin.authz.export.
#pragma once

#include "admin/admin_presenter.h"
#include "shell/desk_services.h"

#include <wx/panel.h>
#include <wx/string.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

class wxButton;
class wxCheckBox;
class wxChoice;
class wxListCtrl;
class wxNotebook;
class wxStaticText;
class wxTextCtrl;

namespace ow::app {

class AdminView : public wxPanel {
public:
    enum class Tab { users = 0, posts = 1, seals = 2, audit = 3, authz = 4 };

    AdminView(wxWindow* parent, DeskServices& services, std::function<void()> changed);
    ~AdminView() override;

    /// After a sign-in (an administrator's): reads users and seals again; clears typed secrets.
    void signed_in();
    /// Before the lock screen: clears every typed password and PIN.
    void locked();
    /// Shows a tab (Alt+1 … Alt+4) and focuses its first control.
    void show_tab(Tab t);
    /// After the large-font switch.
    void fonts_changed();
    AdminPresenter& presenter() { return *presenter_; }

    // The intents, as the buttons run them (tests call them too).
    void add_user();
    void change_role();
    void reset_password();
    void remove_user();
    void set_post(core::Post post);
    void set_absent(bool absent);
    void assign_seal();
    /// The test signature of the seal selected in the list (the token PIN field's PIN).
    void test_seal();
    /// …of this holder's seal (selected in the list first).
    void test_seal_of(store::SealAssignment::HolderKind kind, const std::string& holder);
    void verify_audit();
    void export_audit();
    // The authorisation tab (授权与备案): the department (0: every department, then the
    // catalogue's) and the kind (0 immediate, 1 promised, 2 escalated) shown; the power chosen in
    // the grid.
    void show_authz(int department, int kind);
    void grant_selected();
    void clear_selected();
    void save_department();
    void set_chief_department();
    void export_staff();

private:
    wxWindow* build_users(wxWindow* parent);
    wxWindow* build_posts(wxWindow* parent);
    wxWindow* build_seals(wxWindow* parent);
    wxWindow* build_audit(wxWindow* parent);
    wxWindow* build_authz(wxWindow* parent);
    void fill_authz();
    std::string authz_department() const;
    core::ItemKind authz_kind() const;
    void fill();
    void say(const AdminResult& r);
    void say(const wxString& text, bool problem);
    std::string selected_chief() const;
    void clear_secrets();
    void wrap_hints();

    std::function<void()> changed_;
    std::unique_ptr<AdminPresenter> presenter_;

    wxNotebook* tabs_ = nullptr;
    wxStaticText* message_ = nullptr;
    // users
    wxListCtrl* users_ = nullptr;
    wxTextCtrl* user_name_ = nullptr;
    wxTextCtrl* user_display_ = nullptr;
    wxChoice* user_role_ = nullptr;
    wxChoice* user_post_ = nullptr;
    wxTextCtrl* user_password_ = nullptr;
    wxTextCtrl* user_repeat_ = nullptr;
    // posts
    wxListCtrl* chiefs_ = nullptr;
    wxStaticText* acting_ = nullptr;
    // seals
    wxListCtrl* seals_ = nullptr;
    wxChoice* seal_holder_ = nullptr;
    wxTextCtrl* seal_name_ = nullptr;
    wxTextCtrl* seal_p12_ = nullptr;
    wxTextCtrl* seal_uri_ = nullptr;
    wxTextCtrl* seal_module_ = nullptr;
    wxTextCtrl* seal_image_ = nullptr;
    wxTextCtrl* seal_pin_ = nullptr;
    wxTextCtrl* seal_test_pin_ = nullptr;
    wxStaticText* seal_result_ = nullptr;
    // audit
    wxStaticText* audit_result_ = nullptr;
    wxTextCtrl* audit_from_ = nullptr;
    wxTextCtrl* audit_to_ = nullptr;
    wxChoice* audit_format_ = nullptr;
    wxTextCtrl* audit_path_ = nullptr;
    // authorisation
    wxChoice* authz_department_ = nullptr;
    wxChoice* authz_kind_ = nullptr;
    wxListCtrl* authz_grid_ = nullptr;
    wxChoice* authz_grantees_ = nullptr;
    wxCheckBox* authz_remote_ = nullptr;
    wxTextCtrl* authz_minutes_ = nullptr;
    wxTextCtrl* authz_contact_ = nullptr;
    wxChoice* authz_chief_ = nullptr;
    wxTextCtrl* authz_path_ = nullptr;
    std::vector<std::string> departments_;  ///< the catalogue's, as the department choice lists them after "every department"
    std::vector<std::pair<wxStaticText*, wxString>> hints_;  // the long hints and their unwrapped text
};

/// The translated sentence for an AdminPresenter code (admin.user_added, admin.last_admin …).
wxString admin_message(const std::string& code);
/// "第 N 条记录被改动" and the like: what AdminPresenter::verify_audit found, translated.
wxString audit_verdict_text(const AuditCheck& check);

}  // namespace ow::app
