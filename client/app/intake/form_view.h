// Intake step 3 (表单): the form rendered from its definition. A scrolled panel of controls built
// from FormPresenter's rows in paper order (which is also the tab order): text inputs, choices,
// three-state check boxes for booleans, check lists for multi-choice, grids for repeat groups
// (Ctrl+Insert adds a row, Ctrl+Delete removes the current one), each label with its requirement
// mark (* required, ○ should be filled in) and the field's problem in a small coloured line
// directly under the input, updated as the clerk types (only the rows the presenter reports
// changed are touched). Enter moves to the next editable field; computed fields are read-only.
//
// Widget names (for tests): "form.<field id>" is a field's (first) input, "form.<field id>.<part>"
// the further inputs of an address / person, "form.<repeat id>" a table's grid,
// "form.<field id>.problem" the problem line, "form.problems" the form's own problems at the top.
// It only moves data between widgets and the FormPresenter, which the caller owns.
#pragma once

#include "intake/form_presenter.h"

#include <wx/scrolwin.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

class wxCheckBox;
class wxCheckListBox;
class wxChoice;
class wxGrid;
class wxKeyEvent;
class wxPanel;
class wxSizer;
class wxStaticText;
class wxTextCtrl;

namespace ow::app {

class FormView : public wxScrolledWindow {
public:
    /// Builds the controls of `presenter`'s rows. `presenter` must outlive the view.
    FormView(wxWindow* parent, FormPresenter& presenter);
    ~FormView() override;

    /// Rebuilds every control after the session changed wholesale (prefill, a resumed draft):
    /// calls FormPresenter::reload() first.
    void rebuild();
    /// Focuses the first editable field (scrolled into view).
    void focus_first();
    /// Focuses the input of `path` (a field's or a table's); false when it is hidden or unknown.
    bool focus_path(const std::string& path);
    /// Called after every change the clerk made (a value, a row added or removed), once the view is
    /// updated: the intake autosaves its draft and refreshes the step's status here.
    void on_changed(std::function<void()> callback) { on_changed_ = std::move(callback); }
    /// Called when Enter is pressed in the last editable field (the intake may move to the next
    /// step).
    void on_end(std::function<void()> callback) { on_end_ = std::move(callback); }
    /// Re-lays out after a font change (the desk's large font, Ctrl+L: call it after the new font
    /// is set on the view and its children): the label column, the problem lines, the grids.
    void fonts_changed();

    FormPresenter& presenter() { return presenter_; }

private:
    struct Slot;  // the controls of one row
    void build();
    void build_row(std::size_t index, wxWindow* parent, wxSizer* sizer);
    // from the widgets
    void on_text(wxTextCtrl* t);
    void on_choice(wxChoice* c);
    void on_check(wxCheckBox* c);
    void on_checklist(wxCheckListBox* l);
    void on_leave(wxWindow* w);
    void on_cell(std::size_t index, int row, int col);
    void on_key(wxKeyEvent& e);
    void add_row(std::size_t index);
    void remove_row(std::size_t index);
    void move_after(const std::string& path);
    // to the widgets
    void apply(const FormChanges& changes, bool notify = true);
    void update_row(std::size_t index, const FormRowChange& what);
    void update_table(std::size_t index);
    void size_grid(std::size_t index);
    void show_problem(std::size_t index);
    void set_label(std::size_t index);
    void update_form_problems();
    void changed();

    FormPresenter& presenter_;
    std::function<void()> on_changed_, on_end_;
    std::vector<std::unique_ptr<Slot>> slots_;  // one per row
    std::map<wxWindow*, std::pair<std::size_t, std::string>> inputs_;  // input -> (row, part)
    wxPanel* body_ = nullptr;  // holds every control (the scrolled window's one child)
    wxStaticText* form_problems_ = nullptr;
    int label_width_ = 0;
    bool updating_ = false;  // true while the view writes into its own controls
};

}  // namespace ow::app
