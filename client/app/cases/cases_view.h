// The cases page of the desk: the queues with their counts on the left, the virtual list of the
// selected queue (or of a search) in the centre, the selected case on the right — summary,
// timeline (history + audit), materials, notices (Enter opens the PDF) and the acts its state
// allows, as buttons and as the list's context menu, both built from the action table. A thin
// view over CasesPresenter: it never reads the store.
#pragma once

#include "cases/cases_presenter.h"
#include "common/progress.h"
#include "shell/actions.h"
#include "shell/desk_services.h"

#include <wx/panel.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

class wxBoxSizer;
class wxButton;
class wxCheckBox;
class wxChoice;
class wxListBox;
class wxListCtrl;
class wxListEvent;
class wxNotebook;
class wxSearchCtrl;
class wxStaticText;
class wxTextCtrl;

namespace ow::app {

class CaseListCtrl;

class CasesView : public wxPanel {
public:
    /// `run(id)` runs an action of the table (the shell checks enabled-when); `changed()` tells the
    /// shell that the selection or the case changed (it updates the actions' state and the status).
    /// Acts run on `tasks` (a worker with a session of its own), so the window keeps drawing while a
    /// notice is rendered and sealed.
    CasesView(wxWindow* parent, DeskServices& services, const ActionRegistry& actions, TaskRunner& tasks,
              std::function<void(const std::string&)> run, std::function<void()> changed);
    ~CasesView() override;

    /// The desk locked: the presenter (which reads the store) goes; the widgets keep what was typed.
    void locked();
    /// Signed in again as the same user: the presenter comes back with the queue, the search text
    /// and the case as they were.
    void signed_in();

    void refresh();         ///< counts, the list and the selected case, read again
    void refresh_counts();  ///< the same (sync passed, or the half-minute timer)
    void focus_search();
    void select_queue_index(int index);
    bool open_row(long row);
    void fill_state(DeskState& state) const;
    void update_actions(const DeskState& state);
    void act(const std::string& id);  ///< case.accept, case.submit (on the worker; the outcome comes back)
    bool acting() const { return acting_; }
    void open_notice();                ///< the selected notice, else the latest
    /// case.close_follow_up: shows the note line under the case's buttons ("case.follow_up_note",
    /// "case.follow_up_close") and focuses it; Enter or the button closes the selected case's
    /// follow-up with the note (on the worker). A second run with a note typed closes at once.
    void close_follow_up();
    /// case.archive: shows the package's path line under the case's buttons ("case.archive_path",
    /// "case.archive_export"), prefilled with the documents folder and the receipt number; Enter
    /// or the button writes the selected concluded case's archive package there (on the worker).
    void export_archive();
    /// case.green: shows the green-channel line under the case's buttons (check boxes
    /// "case.green.elderly", "case.green.disabled", "case.green.key_project" with the case's
    /// flags) and focuses its first box; ticking or clearing a box sets or clears that flag at once.
    void edit_green();
    /// case.fee: shows the fee lines under the case's buttons — the fees still due
    /// ("case.fee.item"), how it was paid ("case.fee.method"), the transaction number
    /// ("case.fee.payment_no") and "case.fee.pay"; for a chief representative also the waiver's
    /// reason ("case.fee.reason") and "case.fee.waive" — and focuses the first. Paying or waiving
    /// runs on the worker and prints the 收费凭证 (Ctrl+O opens it).
    void edit_fees();
    /// case.assist (帮办代办): shows the help lines under the case's buttons — the mode
    /// ("case.assist.mode": help, agency, contact), the helper ("case.assist.helper": the store's
    /// clerks and chiefs), a note ("case.assist.note"), "case.assist.save" and "case.assist.end";
    /// while the case is at intake also the agent ("case.agent.name", "case.agent.id",
    /// "case.agent.relation", "case.agent.save", "case.agent.clear") — and focuses the first.
    /// Each button acts at once on the desk's thread (no notice is printed).
    void edit_assist();
    /// case.commit (告知承诺制 / 信即办, 事中事后核查): shows the commitment lines under the case's
    /// buttons — at intake, for an item that allows it, the text ("case.commit.text") with
    /// "case.commit.item" (on the item's conditions) and "case.commit.credit" (信即办: the
    /// platform's credit answer is asked when the line opens); once accepted, what awaits its
    /// follow-up ("case.verify.target"), the result ("case.verify.result": kept, breached and
    /// revoked, breached and referred), the finding ("case.verify.finding", Enter) and
    /// "case.verify.save" — and focuses the first. Each acts on the desk's thread.
    void edit_commitments();
    /// case.originals (网上申报): shows the online line under the case's buttons — 原件核验: an
    /// upload ("case.originals.target"), whether its original matches ("case.originals.result"),
    /// what differs ("case.originals.note", Enter) and "case.originals.save"; a material received
    /// by post: the material ("case.post.material"), the waybill ("case.post.tracking", Enter),
    /// the carrier ("case.post.carrier") and "case.post.save" — each row while it applies, and
    /// focuses the first. Each acts at once on the desk's thread.
    void edit_originals();
    void fonts_changed();
    wxString status() const;
    CasesPresenter* presenter() { return presenter_.get(); }

private:
    void fill_queues();
    void reload_list();
    void show_case(const CaseDetail* d);
    void on_search();
    void on_row_selected(long row);
    void context_menu();
    void open_document(std::size_t index);
    void say(const wxString& text, bool error);
    void show_outcome(const std::string& id, const ActOutcome& o);
    void finish_act(const std::string& id, const ActOutcome& outcome, const Progress::Snapshot& done);
    void commit_follow_up();
    void show_follow_up_line(bool show);
    void commit_archive();
    void show_archive_line(bool show);
    void show_green_line(bool show);
    void toggle_green(core::GreenFlag flag, wxCheckBox* box);
    /// Runs an act on the worker over a session of its own (see act()); the outcome comes back
    /// to finish_act on the desk's thread.
    void run_on_worker(const std::string& id, std::function<ActOutcome(workflow::Workflow&, const std::string&)> act);
    void show_fee_line(bool show);
    void fill_fee_line();
    /// The fee chosen on the fee line (what fee_due_ holds); says so and null when none is.
    const core::CaseFee* chosen_fee();
    void commit_payment();
    void commit_waiver();
    void show_assist_line(bool show);
    void fill_assist_line();
    /// Runs a 帮办代办 act (Workflow::assist / set_agent) and shows its outcome.
    void assist_act(const char* what, const std::function<ActOutcome()>& act, const wxString& done);
    void show_commit_line(bool show);
    void fill_commit_line();
    void commit_verify();

    DeskServices& services_;
    const ActionRegistry& actions_;
    TaskRunner& tasks_;
    bool acting_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // read and written on the desk's thread only
    std::function<void(const std::string&)> run_;
    std::function<void()> changed_;
    std::unique_ptr<CasesPresenter> presenter_;
    std::string selected_case_;  // kept across a lock

    wxListBox* queues_ = nullptr;
    wxSearchCtrl* search_ = nullptr;
    CaseListCtrl* list_ = nullptr;
    wxStaticText* title_ = nullptr;
    wxStaticText* message_ = nullptr;
    wxNotebook* tabs_ = nullptr;
    wxTextCtrl* summary_ = nullptr;
    wxListCtrl* timeline_ = nullptr;
    wxListCtrl* materials_ = nullptr;
    wxListCtrl* notices_ = nullptr;
    std::vector<std::pair<std::string, wxButton*>> buttons_;  // case actions of the table
    wxBoxSizer* follow_up_line_ = nullptr;  // the note of a follow-up being closed (hidden otherwise)
    wxTextCtrl* follow_up_note_ = nullptr;
    wxBoxSizer* archive_line_ = nullptr;  // where the archive package goes (hidden otherwise)
    wxTextCtrl* archive_path_ = nullptr;
    wxBoxSizer* green_line_ = nullptr;  // the case's green-channel flags (hidden otherwise)
    std::vector<std::pair<core::GreenFlag, wxCheckBox*>> green_boxes_;
    wxListCtrl* fees_ = nullptr;          // the Fees tab
    wxBoxSizer* fee_line_ = nullptr;      // paying or waiving a fee (hidden otherwise)
    wxBoxSizer* waive_row_ = nullptr;     // …the waiver's row: chief representatives only
    wxChoice* fee_choice_ = nullptr;
    wxChoice* fee_method_ = nullptr;
    wxTextCtrl* fee_payment_no_ = nullptr;
    wxTextCtrl* fee_reason_ = nullptr;
    std::vector<core::CaseFee> fee_due_;  // what fee_choice_ lists, in its order
    wxBoxSizer* assist_line_ = nullptr;   // 帮办代办: the helper and the agent (hidden otherwise)
    wxBoxSizer* agent_row_ = nullptr;     // …the agent's row: while the case is at intake
    wxChoice* assist_mode_ = nullptr;
    wxChoice* assist_helper_ = nullptr;
    wxTextCtrl* assist_note_ = nullptr;
    wxTextCtrl* agent_name_ = nullptr;
    wxTextCtrl* agent_id_ = nullptr;
    wxTextCtrl* agent_relation_ = nullptr;
    std::vector<Helper> helpers_;         // what assist_helper_ lists, in its order
    wxBoxSizer* commit_line_ = nullptr;   // 告知承诺 / 信即办 and the follow-up (hidden otherwise)
    bool commit_shown_ = false;
    wxBoxSizer* commit_row_ = nullptr;    // …at intake, for an item that allows it
    wxBoxSizer* verify_row_ = nullptr;    // …once accepted, while something awaits its follow-up
    wxTextCtrl* commit_text_ = nullptr;
    wxButton* commit_item_ = nullptr;
    wxButton* commit_credit_ = nullptr;
    wxChoice* verify_target_ = nullptr;
    wxChoice* verify_result_ = nullptr;
    wxTextCtrl* verify_finding_ = nullptr;
    std::vector<FollowUpTarget> follow_ups_;  // what verify_target_ lists, in its order
    // 网上申报 (case.originals): 原件核验 and a material received by post.
    void fill_online_line();
    void show_online_line(bool show);
    void commit_originals();
    void commit_post();
    wxBoxSizer* online_line_ = nullptr;
    bool online_shown_ = false;
    wxBoxSizer* originals_row_ = nullptr;
    wxBoxSizer* post_row_ = nullptr;
    wxChoice* originals_target_ = nullptr;
    wxChoice* originals_result_ = nullptr;
    wxTextCtrl* originals_note_ = nullptr;
    wxChoice* post_material_ = nullptr;
    wxTextCtrl* post_tracking_ = nullptr;
    wxTextCtrl* post_carrier_ = nullptr;
    std::vector<std::string> originals_codes_, post_codes_;  // what the two choices list, in their order
};

}  // namespace ow::app
