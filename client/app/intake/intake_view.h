// The intake screen (F2): one page of the desk with the six steps at the side — 事项, 申请人, 表单,
// 材料, 决定, 文书 — every step reachable at any time (Alt+1 … Alt+6, Ctrl+PgDn / Ctrl+PgUp, or the
// side list), nothing needing the mouse: Enter moves on in every field, the keys of the action
// table do the rest (F4 reads the ID card, F5 scans into the selected material, Ctrl+P prints).
// A thin view over IntakePresenter (which saves the draft as it is typed), the form step's
// FormView and the notice's PdfView; acts that render a notice, the ID card reader and the scanner
// run on workers (TaskRunner), the desk keeps drawing.
//
// Widget names (tests): intake.steps, intake.title, intake.message; step 1 intake.search,
// intake.hits, intake.guide, intake.drafts; step 2 intake.kind, intake.doc_number, intake.doc_number.check,
// intake.name, intake.phone, intake.phone.check, intake.address, intake.legal_rep,
// intake.prefilled; step 3 intake.form (FormView's own names inside); step 4 intake.materials,
// intake.thumb, intake.deferred_days, intake.commitment, intake.mat.<status>; step 5
// intake.promised, intake.missing, intake.decision, intake.reason, intake.basis,
// intake.correction_days, intake.confirm, intake.commit; step 6 intake.document, intake.documents, intake.pdf
// (PdfView), intake.print, intake.next_applicant.
#pragma once

#include "common/progress.h"
#include "intake/form_presenter.h"
#include "intake/intake_presenter.h"
#include "shell/actions.h"
#include "shell/desk_services.h"

#include <wx/bitmap.h>
#include <wx/panel.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

class wxButton;
class wxListBox;
class wxListCtrl;
class wxChoice;
class wxSimplebook;
class wxSpinCtrl;
class wxStaticBitmap;
class wxStaticText;
class wxTextCtrl;

namespace ow::app {

class ApplicantScreen;
class FormView;
class PdfView;

class IntakeView : public wxPanel {
public:
    /// `changed` is called when the desk's state may have changed (the actions' enabled state).
    IntakeView(wxWindow* parent, DeskServices& services, TaskRunner& tasks, std::function<void()> changed);
    ~IntakeView() override;

    /// F2: a fresh intake (the open one, if any, stays a draft to resume), step 1 with the search focused.
    void start_new();
    /// Shift+F2: the list of unfinished intakes on step 1 gets the focus; Enter opens the chosen
    /// one where it was left.
    void choose_draft();
    /// Opens a draft where it was (false when there is none for that case).
    bool resume(const std::string& case_id);
    /// Goes to a step (Alt+1 … Alt+6, the side list).
    void go_to(IntakeStep step);
    void next_step();
    void previous_step();
    /// F4: reads the ID card into the applicant (on a worker).
    void read_id_card();
    /// F5: scans into the selected material (on a worker).
    void scan();
    /// Ctrl+P: the print preview of the notice (print from there).
    void print_preview();
    /// Prints the notice to a file without a dialog (tests, headless): false when there is none.
    bool print_to_file(const std::filesystem::path& out);

    /// The desk's state for the action table.
    void fill_state(DeskState& state) const;
    /// The desk is being locked: workers are waited for by the frame; nothing to drop here (the
    /// presenter keeps the intake, the widgets keep the typing, the draft is in the store).
    void locked();
    /// Signed in again as the same user: the steps are read again.
    void signed_in();
    /// The large font changed (re-layout).
    void fonts_changed();

    /// A scripted intake of the newborn bundle (新生儿出生一件事) up to `upto`, through the same
    /// intents the keys use, with the simulated ID card and a synthetic photo as the scan: what
    /// --screenshot-screen shows for the user guide. Returns an error message, empty when done.
    std::string demo(IntakeStep upto);

    IntakePresenter& presenter() { return *presenter_; }
    /// True while an act, the reader or the scanner is at work.
    bool busy() const { return busy_ > 0; }
    /// The applicant's screen (made on first use).
    ApplicantScreen* applicant_screen();
    bool has_applicant_screen() const { return applicant_screen_ != nullptr; }

private:
    wxWindow* build_item(wxWindow* parent);
    wxWindow* build_applicant(wxWindow* parent);
    wxWindow* build_form(wxWindow* parent);
    wxWindow* build_materials(wxWindow* parent);
    wxWindow* build_decision(wxWindow* parent);
    wxWindow* build_document(wxWindow* parent);

    void show_step(IntakeStep step);  ///< the book's page and the focus
    void refresh_steps();
    void refresh_title();
    void refresh_hits();
    void show_hit_guide();
    void choose_hit();
    void refresh_drafts();
    void fill_applicant();  ///< presenter → fields
    void refresh_applicant_checks();
    void open_form();       ///< a FormView over the presenter's session (a new case, a resumed draft)
    void refresh_materials();
    void select_material(long row);  ///< selected, focused and scrolled into view (ignored out of range)
    /// The device plugins (DeskServices::plugins), or null after telling the clerk why not.
    plugins::PluginHost* plugin_host();
    void record(core::MaterialStatus status);
    void refresh_decision();
    void show_to_applicant();
    void commit_decision();
    void show_document();
    void show_selected_document();
    const workflow::Document* selected_document() const;
    void say(const wxString& text, bool error);
    void show_outcome(const IntakeOutcome& o);
    void changed() { if (changed_) changed_(); }
    /// Enter in `from` moves the focus to `to` (or to the next step when `to` is null).
    void enter_moves(wxWindow* from, wxWindow* to);

    DeskServices& services_;
    TaskRunner& tasks_;
    std::function<void()> changed_;
    std::unique_ptr<IntakePresenter> presenter_;
    std::unique_ptr<FormPresenter> form_presenter_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    int busy_ = 0;
    bool filling_ = false;  // the view writes into its own fields

    wxListBox* steps_ = nullptr;
    wxStaticText* title_ = nullptr;
    wxStaticText* message_ = nullptr;
    wxSimplebook* book_ = nullptr;
    // 1 item
    wxTextCtrl* search_ = nullptr;
    wxListBox* hits_ = nullptr;
    wxTextCtrl* guide_ = nullptr;
    std::vector<CatalogRow> hit_rows_;
    wxListBox* drafts_ = nullptr;
    std::vector<IntakeDraftRow> draft_rows_;
    // 2 applicant
    wxChoice* kind_ = nullptr;
    wxTextCtrl* doc_number_ = nullptr;
    wxStaticText* doc_check_ = nullptr;
    wxStaticText* doc_label_ = nullptr;
    wxTextCtrl* name_ = nullptr;
    wxStaticText* name_label_ = nullptr;
    wxTextCtrl* phone_ = nullptr;
    wxStaticText* phone_check_ = nullptr;
    wxTextCtrl* address_ = nullptr;
    wxTextCtrl* legal_rep_ = nullptr;
    wxStaticText* legal_rep_label_ = nullptr;
    wxStaticText* prefilled_ = nullptr;
    // 3 form
    wxPanel* form_host_ = nullptr;
    FormView* form_view_ = nullptr;
    // 4 materials
    wxListCtrl* materials_ = nullptr;
    wxStaticBitmap* thumb_ = nullptr;
    wxSpinCtrl* deferred_days_ = nullptr;
    wxTextCtrl* commitment_ = nullptr;
    std::vector<MaterialLine> material_rows_;
    std::map<std::string, wxBitmap> scans_;  // material → the thumbnail of its scan made here
    // 5 decision
    wxStaticText* promised_ = nullptr;
    wxStaticText* duplicate_ = nullptr;  ///< the applicant's other open cases of the item (两头受理)
    wxTextCtrl* missing_ = nullptr;
    wxListBox* decision_ = nullptr;
    wxTextCtrl* reason_ = nullptr;
    wxTextCtrl* basis_ = nullptr;
    wxSpinCtrl* correction_days_ = nullptr;
    wxButton* commit_ = nullptr;
    // 6 document
    wxStaticText* document_ = nullptr;
    wxListBox* documents_ = nullptr;
    std::vector<workflow::Document> document_rows_;  // the intake's notices, oldest first
    PdfView* pdf_ = nullptr;
    ApplicantScreen* applicant_screen_ = nullptr;
};

}  // namespace ow::app
