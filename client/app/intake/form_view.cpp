#include "intake/form_view.h"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/checklst.h>
#include <wx/choice.h>
#include <wx/grid.h>
#include <wx/panel.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/utils.h>

#include <algorithm>

namespace ow::app {

namespace {

wxString u8(const std::string& s) { return wxString::FromUTF8(s); }
std::string utf8(const wxString& s) { return s.utf8_string(); }

const wxColour kErrorColour(0xB7, 0x1C, 0x1C);
const wxColour kWarningColour(0x8A, 0x5A, 0x00);
const wxColour kErrorCell(0xFD, 0xE2, 0xE0);
const wxColour kWarningCell(0xFF, 0xF4, 0xCC);
const wxColour kReadOnlyCell(0xEE, 0xEE, 0xEE);

/// The label with its requirement mark: "* " required, "○ " should be filled in.
wxString label_text(const FormRow& r) {
    wxString l = u8(r.label);
    if (r.requirement == forms::Requirement::required) l += " *";
    else if (r.requirement == forms::Requirement::soft) l += wxString::FromUTF8(" \xE2\x97\x8B");  // ○
    return l;
}

/// `text` in lines no wider than `width` pixels in `w`'s font: at a space when the line has one
/// (English), anywhere otherwise (Chinese has no spaces; wxStaticText::Wrap breaks only at spaces).
wxString wrap(const wxWindow* w, const wxString& text, int width) {
    wxString out, line;
    for (wxUniChar ch : text) {
        wxString next = line + ch;
        if (line.empty() || w->GetTextExtent(next).x <= width) {
            line = next;
            continue;
        }
        int space = line.Find(' ', true);
        if (space > 0 && ch != ' ') {
            out += line.Left(std::size_t(space)) + "\n";
            line = line.Mid(std::size_t(space) + 1) + ch;
        } else {
            out += line + "\n";
            line = ch == ' ' ? wxString() : wxString(ch);
        }
    }
    return out + line;
}

bool single_text(forms::FieldType t) {
    using T = forms::FieldType;
    return t != T::choice && t != T::multi_choice && t != T::boolean && t != T::address && t != T::person &&
           t != T::attachment && t != T::group && t != T::repeat;
}

/// Columns of text a field's input is wide (in characters of the current font).
int width_chars(forms::FieldType t) {
    using T = forms::FieldType;
    switch (t) {
    case T::integer: case T::decimal: case T::money: case T::postal_code: return 14;
    case T::date: return 14;
    case T::phone: return 16;
    case T::resident_id: case T::uscc: return 24;
    default: return 40;
    }
}

}  // namespace

/// The controls of one row. Inputs are direct children of the view, created in paper order, so
/// that the tab order is the paper form's.
struct FormView::Slot {
    wxSizer* sizer = nullptr;  // the whole row
    wxStaticText* label = nullptr;
    std::vector<wxWindow*> inputs;  // one per part (a grid for a table)
    std::vector<int> chars;         // text inputs: width in characters (0: its own size), per input
    wxStaticText* note = nullptr;
    wxStaticText* problem = nullptr;
    wxGrid* grid = nullptr;
};

FormView::FormView(wxWindow* parent, FormPresenter& presenter)
    : wxScrolledWindow(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxVSCROLL | wxTAB_TRAVERSAL, "form.view"),
      presenter_(presenter) {
    SetScrollRate(0, FromDIP(12));
    Bind(wxEVT_CHAR_HOOK, &FormView::on_key, this);
    build();
}

FormView::~FormView() {
    // the children go first, while the members their focus events reach are still there
    inputs_.clear();
    DestroyChildren();
}

void FormView::rebuild() {
    presenter_.reload();
    Freeze();
    slots_.clear();
    inputs_.clear();
    form_problems_ = nullptr;
    SetSizer(nullptr);
    body_->Destroy();
    body_ = nullptr;
    build();
    Thaw();
}

void FormView::build() {
    // One panel holds every control, so that scrolling moves one visible window (wxGTK's scroll
    // would otherwise reallocate each hidden problem line: GTK criticals) and Tab walks the
    // controls in the order they are made, the paper form's.
    body_ = new wxPanel(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "form.body");
    auto* top = new wxBoxSizer(wxVERTICAL);
    form_problems_ = new wxStaticText(body_, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "form.problems");
    form_problems_->SetForegroundColour(kErrorColour);
    top->Add(form_problems_, 0, wxEXPAND | wxALL, FromDIP(6));
    const auto& rows = presenter_.rows();
    slots_.resize(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) build_row(i, body_, top);
    top->AddSpacer(FromDIP(12));
    body_->SetSizer(top);
    auto* outer = new wxBoxSizer(wxVERTICAL);
    outer->Add(body_, 1, wxEXPAND);
    SetSizer(outer);
    update_form_problems();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        FormRowChange all;
        all.row = i;
        all.value = all.problem = all.requirement = all.visibility = all.table = true;
        update_row(i, all);
    }
    fonts_changed();
}

void FormView::build_row(std::size_t index, wxWindow* parent, wxSizer* sizer) {
    const FormRow& r = presenter_.rows()[index];
    auto slot = std::make_unique<Slot>();
    const std::string base = "form." + r.id;
    const int gap = FromDIP(6);
    const int indent = FromDIP(16) * r.depth;
    auto make_problem = [&] {
        slot->problem = new wxStaticText(parent, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, base + ".problem");
        slot->problem->Hide();
    };
    auto remember = [&](wxWindow* w, const std::string& part, int chars = 0) {
        slot->inputs.push_back(w);
        slot->chars.push_back(chars);
        inputs_[w] = {index, part};
        if (!r.help.empty()) w->SetToolTip(u8(r.help));
    };

    if (r.kind == FormRowKind::section) {
        auto* box = new wxBoxSizer(wxVERTICAL);
        slot->label = new wxStaticText(parent, wxID_ANY, u8(r.label), wxDefaultPosition, wxDefaultSize, 0, base + ".heading");
        box->Add(slot->label, 0, wxTOP, gap * 2);
        make_problem();
        box->Add(slot->problem, 0, wxTOP, gap / 2);
        sizer->Add(box, 0, wxEXPAND | wxLEFT | wxRIGHT, gap + indent);
        slot->sizer = box;
        slots_[index] = std::move(slot);
        return;
    }

    auto* line = new wxBoxSizer(wxHORIZONTAL);
    slot->label = new wxStaticText(parent, wxID_ANY, label_text(r), wxDefaultPosition, wxDefaultSize, wxST_NO_AUTORESIZE,
                                   base + ".label");
    line->Add(slot->label, 0, wxALIGN_TOP | wxTOP, FromDIP(4));
    auto* column = new wxBoxSizer(wxVERTICAL);
    auto* inputs = new wxBoxSizer(wxHORIZONTAL);
    const int cw = GetCharWidth();
    auto text_input = [&](const std::string& part, int chars, long style = 0) {
        std::string name = part.empty() || slot->inputs.empty() ? base : base + "." + part;
        auto* t = new wxTextCtrl(parent, wxID_ANY, wxString(), wxDefaultPosition, wxSize(cw * chars, -1), style,
                                 wxDefaultValidator, name);
        remember(t, part, chars);
        t->Bind(wxEVT_TEXT, [this, t](wxCommandEvent&) { on_text(t); });
        t->Bind(wxEVT_KILL_FOCUS, [this, t](wxFocusEvent& e) {
            on_leave(t);
            e.Skip();
        });
        return t;
    };
    auto choice_input = [&](const std::string& part, const std::vector<FormOption>& options) {
        wxArrayString labels;
        labels.Add(wxString::FromUTF8("\xE2\x80\x94"));  // — : not answered
        for (const auto& o : options) labels.Add(u8(o.label));
        std::string name = part.empty() || slot->inputs.empty() ? base : base + "." + part;
        auto* c = new wxChoice(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, labels, 0, wxDefaultValidator, name);
        remember(c, part);
        c->Bind(wxEVT_CHOICE, [this, c](wxCommandEvent&) { on_choice(c); });
        c->Bind(wxEVT_KILL_FOCUS, [this, c](wxFocusEvent& e) {
            on_leave(c);
            e.Skip();
        });
        return c;
    };

    using T = forms::FieldType;
    if (r.kind == FormRowKind::table) {
        auto* g = new wxGrid(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxWANTS_CHARS | wxBORDER_SIMPLE, base);
        g->CreateGrid(0, int(r.columns.size()));
        g->SetTabBehaviour(wxGrid::Tab_Leave);
        g->DisableDragRowSize();
        for (std::size_t c = 0; c < r.columns.size(); ++c) {
            const FormColumn& col = r.columns[c];
            g->SetColLabelValue(int(c), u8(col.label));
            auto* attr = new wxGridCellAttr;
            if (col.read_only) {
                attr->SetReadOnly();
                attr->SetBackgroundColour(kReadOnlyCell);
            } else if (!col.options.empty() || col.type == T::boolean) {
                wxArrayString labels;
                labels.Add(wxString());
                if (col.type == T::boolean) {
                    labels.Add(_("Yes"));
                    labels.Add(_("No"));
                } else {
                    for (const auto& o : col.options) labels.Add(u8(o.label));
                }
                attr->SetEditor(new wxGridCellChoiceEditor(labels));
            }
            g->SetColAttr(int(c), attr);
        }
        // TRANSLATORS: tooltip of a table in the intake form (a repeat group: children, shareholders …)
        g->SetToolTip(_("Ctrl+Insert adds a row, Ctrl+Delete removes the current row; Tab leaves the table"));
        g->Bind(wxEVT_GRID_CELL_CHANGED, [this, index](wxGridEvent& e) { on_cell(index, e.GetRow(), e.GetCol()); });
        slot->grid = g;
        remember(g, "");
        column->Add(g, 0, wxEXPAND);
        auto* buttons = new wxBoxSizer(wxHORIZONTAL);
        // TRANSLATORS: button under a table of the intake form; the key is given in brackets
        auto* add = new wxButton(parent, wxID_ANY, _("Add row (Ctrl+Insert)"), wxDefaultPosition, wxDefaultSize, 0,
                                 wxDefaultValidator, base + ".add");
        // TRANSLATORS: button under a table of the intake form; the key is given in brackets
        auto* remove = new wxButton(parent, wxID_ANY, _("Remove row (Ctrl+Delete)"), wxDefaultPosition, wxDefaultSize, 0,
                                    wxDefaultValidator, base + ".remove");
        add->Bind(wxEVT_BUTTON, [this, index](wxCommandEvent&) { add_row(index); });
        remove->Bind(wxEVT_BUTTON, [this, index](wxCommandEvent&) { remove_row(index); });
        buttons->Add(add, 0, wxRIGHT, gap);
        buttons->Add(remove, 0);
        column->Add(buttons, 0, wxTOP, gap / 2);
    } else if (r.read_only) {
        auto* t = new wxTextCtrl(parent, wxID_ANY, wxString(), wxDefaultPosition, wxSize(cw * width_chars(r.type), -1),
                                 wxTE_READONLY, wxDefaultValidator, base);
        t->SetBackgroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_BTNFACE));
        slot->inputs.push_back(t);  // not an input: Enter skips it
        slot->chars.push_back(r.type == T::attachment ? 40 : width_chars(r.type));
        inputs->Add(t, 0);
    } else if (r.type == T::multiline) {
        inputs->Add(text_input("", 60, wxTE_MULTILINE), 1, wxEXPAND);
    } else if (single_text(r.type)) {
        auto* t = text_input("", width_chars(r.type));
        if (r.type == T::date) t->SetHint("YYYY-MM-DD");
        inputs->Add(t, 0);
        if (r.type == T::money) {
            // TRANSLATORS: the unit after a money field of the intake form
            inputs->Add(new wxStaticText(parent, wxID_ANY, _("yuan")), 0, wxALIGN_CENTER_VERTICAL | wxLEFT, gap / 2);
        }
    } else if (r.type == T::choice) {
        inputs->Add(choice_input("", r.options), 0);
    } else if (r.type == T::boolean) {
        auto* c = new wxCheckBox(parent, wxID_ANY, _("Yes"), wxDefaultPosition, wxDefaultSize,
                                 wxCHK_3STATE | wxCHK_ALLOW_3RD_STATE_FOR_USER, wxDefaultValidator, base);
        // TRANSLATORS: tooltip of a yes/no field of the intake form (a three-state check box)
        c->SetToolTip(_("Space: yes / no / not answered"));
        slot->inputs.push_back(c);
        slot->chars.push_back(0);
        inputs_[c] = {index, ""};
        c->Bind(wxEVT_CHECKBOX, [this, c](wxCommandEvent&) { on_check(c); });
        c->Bind(wxEVT_KILL_FOCUS, [this, c](wxFocusEvent& e) {
            on_leave(c);
            e.Skip();
        });
        inputs->Add(c, 0, wxALIGN_CENTER_VERTICAL);
    } else if (r.type == T::multi_choice) {
        wxArrayString labels;
        for (const auto& o : r.options) labels.Add(u8(o.label));
        auto* l = new wxCheckListBox(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, labels, 0, wxDefaultValidator, base);
        l->SetMinSize(wxSize(cw * 30, GetCharHeight() * int(std::min<std::size_t>(r.options.size(), 6) + 1) * 3 / 2));
        remember(l, "");
        l->Bind(wxEVT_CHECKLISTBOX, [this, l](wxCommandEvent&) { on_checklist(l); });
        l->Bind(wxEVT_KILL_FOCUS, [this, l](wxFocusEvent& e) {
            on_leave(l);
            e.Skip();
        });
        inputs->Add(l, 0);
    } else if (r.type == T::address || r.type == T::person) {
        for (const auto& p : r.parts) {
            wxWindow* w = p.options.empty() ? static_cast<wxWindow*>(text_input(p.key, p.key == "region" ? 14 : p.key == "detail" ? 36 : 20))
                                            : static_cast<wxWindow*>(choice_input(p.key, p.options));
            if (auto* t = dynamic_cast<wxTextCtrl*>(w)) t->SetHint(u8(p.label));
            if (auto* c = dynamic_cast<wxChoice*>(w)) c->SetToolTip(u8(p.label));
            inputs->Add(w, 0, wxRIGHT, gap / 2);
        }
    }
    column->Add(inputs, 0);
    slot->note = new wxStaticText(parent, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, base + ".note");
    slot->note->SetForegroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT));
    slot->note->Hide();
    column->Add(slot->note, 0, wxTOP, FromDIP(2));
    make_problem();
    column->Add(slot->problem, 0, wxTOP, FromDIP(2));
    line->Add(column, 1, wxLEFT, gap);
    sizer->Add(line, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, gap);
    // the label column is indented with its section
    line->PrependSpacer(indent);
    slot->sizer = line;
    slots_[index] = std::move(slot);
}

// --- from the widgets to the presenter ---------------------------------------------------------

void FormView::on_text(wxTextCtrl* t) {
    if (updating_) return;
    auto it = inputs_.find(t);
    if (it == inputs_.end()) return;
    const FormRow& r = presenter_.rows()[it->second.first];
    apply(presenter_.set_text(r.path, utf8(t->GetValue()), it->second.second));
}

void FormView::on_choice(wxChoice* c) {
    if (updating_) return;
    auto it = inputs_.find(c);
    if (it == inputs_.end()) return;
    const FormRow& r = presenter_.rows()[it->second.first];
    const std::string& part = it->second.second;
    int sel = c->GetSelection();
    const std::vector<FormOption>* options = &r.options;
    for (const auto& p : r.parts)
        if (p.key == part && !p.options.empty()) options = &p.options;
    std::string value = sel >= 1 && std::size_t(sel) <= options->size() ? (*options)[std::size_t(sel - 1)].value : "";
    apply(presenter_.set_text(r.path, value, part));
}

void FormView::on_check(wxCheckBox* c) {
    if (updating_) return;
    auto it = inputs_.find(c);
    if (it == inputs_.end()) return;
    // the box cycles not answered → yes → no → not answered (GTK's own order starts with no)
    const FormRow& r = presenter_.rows()[it->second.first];
    std::optional<bool> v;
    if (r.value.empty()) v = true;
    else if (r.value == "true") v = false;
    FormChanges ch = presenter_.set_bool(r.path, v);
    updating_ = true;
    c->Set3StateValue(v ? (*v ? wxCHK_CHECKED : wxCHK_UNCHECKED) : wxCHK_UNDETERMINED);
    updating_ = false;
    apply(ch);
}

void FormView::on_checklist(wxCheckListBox* l) {
    if (updating_) return;
    auto it = inputs_.find(l);
    if (it == inputs_.end()) return;
    const FormRow& r = presenter_.rows()[it->second.first];
    std::vector<std::string> values;
    for (std::size_t k = 0; k < r.options.size(); ++k)
        if (l->IsChecked(unsigned(k))) values.push_back(r.options[k].value);
    apply(presenter_.set_selected(r.path, values));
}

void FormView::on_leave(wxWindow* w) {
    auto it = inputs_.find(w);
    if (it == inputs_.end()) return;
    std::string path = presenter_.rows()[it->second.first].path;
    // after the focus has moved (the change may show a problem line and lay the form out again)
    CallAfter([this, path] { apply(presenter_.touch(path), false); });
}

void FormView::on_cell(std::size_t index, int row, int col) {
    if (updating_) return;
    const FormRow& r = presenter_.rows()[index];
    if (row < 0 || std::size_t(row) >= r.cells.size() || col < 0 || std::size_t(col) >= r.columns.size()) return;
    std::string path = r.cells[std::size_t(row)][std::size_t(col)].path;
    std::string part = r.columns[std::size_t(col)].part;
    std::string text = utf8(slots_[index]->grid->GetCellValue(row, col));
    if (part == "doc_type")  // the choice shows a document type's name; the presenter takes either
        for (const auto& o : r.columns[std::size_t(col)].options)
            if (o.label == text) text = o.value;
    apply(presenter_.set_text(path, text, part));
}

void FormView::add_row(std::size_t index) {
    const FormRow& r = presenter_.rows()[index];
    FormChanges ch = presenter_.add_row(r.path);
    apply(ch);
    if (!ch.refused.empty()) {  // at max_count: the Add key does nothing, audibly
        wxBell();
        return;
    }
    wxGrid* g = slots_[index]->grid;
    g->SetFocus();
    g->SetGridCursor(g->GetNumberRows() - 1, 0);
    g->MakeCellVisible(g->GetNumberRows() - 1, 0);
}

void FormView::remove_row(std::size_t index) {
    wxGrid* g = slots_[index]->grid;
    int row = g->GetGridCursorRow();
    if (row < 0 || row >= g->GetNumberRows()) return;
    if (g->IsCellEditControlEnabled()) g->DisableCellEditControl();
    apply(presenter_.remove_row(presenter_.rows()[index].path, std::size_t(row)));
    if (g->GetNumberRows() > 0) g->SetGridCursor(std::min(row, g->GetNumberRows() - 1), 0);
}

void FormView::on_key(wxKeyEvent& e) {
    const int code = e.GetKeyCode();
    // the row of the input the key was pressed in (a grid's focus is on its inner window; GTK's
    // combo box keeps the focus on an inner button that FindFocus does not know)
    wxWindow* focus = dynamic_cast<wxWindow*>(e.GetEventObject());
    if (!focus || focus == this) focus = FindFocus();
    auto found = inputs_.end();
    for (wxWindow* w = focus; w && w != this && found == inputs_.end(); w = w->GetParent()) found = inputs_.find(w);
    if (found == inputs_.end()) {
        e.Skip();
        return;
    }
    const std::size_t index = found->second.first;
    const FormRow& r = presenter_.rows()[index];
    if (r.kind == FormRowKind::table && e.ControlDown() && !e.AltDown() && !e.ShiftDown()) {
        if (code == WXK_INSERT || code == WXK_NUMPAD_INSERT) {
            add_row(index);
            return;
        }
        if (code == WXK_DELETE || code == WXK_NUMPAD_DELETE) {
            remove_row(index);
            return;
        }
    }
    const bool enter = (code == WXK_RETURN || code == WXK_NUMPAD_ENTER) && !e.HasAnyModifiers();
    if (!enter || r.kind == FormRowKind::table || r.type == forms::FieldType::multiline) {
        e.Skip();
        return;
    }
    move_after(r.path);
}

void FormView::move_after(const std::string& path) {
    if (auto next = presenter_.next_field(path)) {
        focus_path(*next);
    } else if (on_end_) {
        on_end_();
    }
}

// --- from the presenter to the widgets ---------------------------------------------------------

void FormView::apply(const FormChanges& changes, bool notify) {
    if (changes.rows.empty() && !changes.form_problems) return;
    bool layout = changes.layout;
    updating_ = true;
    for (const auto& c : changes.rows) {
        const Slot& s = *slots_[c.row];
        bool problem_shown = s.problem && s.problem->IsShown();
        bool note_shown = s.note && s.note->IsShown();
        update_row(c.row, c);
        if ((s.problem && s.problem->IsShown() != problem_shown) || (s.note && s.note->IsShown() != note_shown)) layout = true;
    }
    if (changes.form_problems) {
        update_form_problems();
        layout = true;
    }
    updating_ = false;
    if (layout) {
        body_->Layout();
        Layout();
        FitInside();
    }
    if (notify) changed();
}

void FormView::update_row(std::size_t index, const FormRowChange& what) {
    const FormRow& r = presenter_.rows()[index];
    Slot& s = *slots_[index];
    if (what.visibility) {
        s.sizer->ShowItems(r.visible);
        if (s.problem) s.problem->Show(r.visible && r.problem);
        if (s.note) s.note->Show(r.visible && !r.note.empty());
    }
    if (what.requirement && r.kind != FormRowKind::section) set_label(index);
    if (what.problem || what.table) show_problem(index);
    if (what.table && s.grid) update_table(index);
    if (!what.value || r.kind != FormRowKind::field) return;
    if (s.note) {
        s.note->SetLabel(u8(r.note));
        s.note->Show(r.visible && !r.note.empty());
    }
    if (r.read_only) {
        auto* t = static_cast<wxTextCtrl*>(s.inputs[0]);
        wxString v = u8(r.type == forms::FieldType::attachment ? r.material : r.parts.empty() ? r.value : r.parts[0].text);
        if (t->GetValue() != v) t->ChangeValue(v);
        return;
    }
    for (std::size_t k = 0; k < s.inputs.size() && k < r.parts.size(); ++k) {
        wxWindow* w = s.inputs[k];
        const FormPart& p = r.parts[k];
        if (auto* t = dynamic_cast<wxTextCtrl*>(w)) {
            wxString v = u8(p.text);
            if (t->GetValue() != v) t->ChangeValue(v);
        } else if (auto* c = dynamic_cast<wxChoice*>(w)) {
            const std::vector<FormOption>& options = p.options.empty() ? r.options : p.options;
            const std::string& value = p.options.empty() ? r.value : p.text;
            int sel = 0;
            for (std::size_t o = 0; o < options.size(); ++o)
                if (options[o].value == value) sel = int(o) + 1;
            if (c->GetSelection() != sel) c->SetSelection(sel);
        } else if (auto* b = dynamic_cast<wxCheckBox*>(w)) {
            wxCheckBoxState st = r.value == "true" ? wxCHK_CHECKED : r.value == "false" ? wxCHK_UNCHECKED : wxCHK_UNDETERMINED;
            if (b->Get3StateValue() != st) b->Set3StateValue(st);
        } else if (auto* l = dynamic_cast<wxCheckListBox*>(w)) {
            for (std::size_t o = 0; o < r.options.size(); ++o) {
                bool on = std::find(r.selected.begin(), r.selected.end(), r.options[o].value) != r.selected.end();
                if (l->IsChecked(unsigned(o)) != on) l->Check(unsigned(o), on);
            }
        }
    }
}

void FormView::set_label(std::size_t index) {
    // a nested row's label is narrower by its indent, so that every input starts in one column
    const FormRow& r = presenter_.rows()[index];
    const int width = std::max(label_width_ - FromDIP(16) * r.depth, GetCharWidth() * 6);
    wxStaticText* l = slots_[index]->label;
    const wxString text = wrap(l, label_text(r), width);
    l->SetLabel(text);
    // measured with wx's font metrics: GTK reports the old size until it has restyled the label
    const int lines = int(text.Freq('\n')) + 1;
    int line_height = 0;
    l->GetTextExtent("Ag中", nullptr, &line_height);
    l->SetMinSize(wxSize(width, lines * line_height + FromDIP(2)));
}

void FormView::show_problem(std::size_t index) {
    const FormRow& r = presenter_.rows()[index];
    wxStaticText* label = slots_[index]->problem;
    if (!label) return;
    wxString text;
    bool error = false;
    if (r.problem) {
        text = u8(r.problem->message);
        error = r.problem->severity == forms::Severity::error;
    }
    if (r.kind == FormRowKind::table) {  // the cells' problems, by row and column
        int listed = 0;
        for (std::size_t row = 0; row < r.cells.size(); ++row)
            for (std::size_t c = 0; c < r.cells[row].size(); ++c) {
                const FormCell& cell = r.cells[row][c];
                if (!cell.problem || (c > 0 && r.cells[row][c - 1].path == cell.path)) continue;
                error = error || cell.problem->severity == forms::Severity::error;
                if (++listed > 3) continue;
                if (!text.empty()) text += "\n";
                // TRANSLATORS: a problem in a table of the intake form: row number, column, message
                text += wxString::Format(_("Row %d, %s: %s"), int(row + 1), u8(r.columns[c].label), u8(cell.problem->message));
            }
        // TRANSLATORS: after the first three problems of a table of the intake form
        if (listed > 3) text += "\n" + wxString::Format(_("and %d more"), listed - 3);
    }
    label->SetLabel(text);
    label->SetForegroundColour(error ? kErrorColour : kWarningColour);
    label->Show(r.visible && !text.empty());
}

void FormView::update_table(std::size_t index) {
    const FormRow& r = presenter_.rows()[index];
    wxGrid* g = slots_[index]->grid;
    const int want = int(r.cells.size());
    g->BeginBatch();
    if (g->GetNumberRows() < want) g->AppendRows(want - g->GetNumberRows());
    if (g->GetNumberRows() > want) g->DeleteRows(want, g->GetNumberRows() - want);
    for (int row = 0; row < want; ++row)
        for (std::size_t c = 0; c < r.columns.size() && c < r.cells[std::size_t(row)].size(); ++c) {
            const FormCell& cell = r.cells[std::size_t(row)][c];
            const FormColumn& col = r.columns[c];
            wxString v = u8(cell.text);
            if (g->GetCellValue(row, int(c)) != v && !(g->IsCellEditControlEnabled() && g->GetGridCursorRow() == row &&
                                                       g->GetGridCursorCol() == int(c)))
                g->SetCellValue(row, int(c), v);
            wxColour bg = !cell.visible || col.read_only ? kReadOnlyCell
                          : cell.problem ? (cell.problem->severity == forms::Severity::error ? kErrorCell : kWarningCell)
                                         : g->GetDefaultCellBackgroundColour();
            g->SetCellBackgroundColour(row, int(c), bg);
            g->SetReadOnly(row, int(c), !cell.visible || col.read_only);
        }
    g->EndBatch();
    size_grid(index);
}

void FormView::size_grid(std::size_t index) {
    wxGrid* g = slots_[index]->grid;
    const int shown_rows = std::clamp(g->GetNumberRows(), 1, 8);
    int width = g->GetRowLabelSize();
    for (int c = 0; c < g->GetNumberCols(); ++c) width += g->GetColSize(c);
    // room for the sideways scroll bar too (a wide table in a narrow window, the large font)
    const int height = g->GetColLabelSize() + shown_rows * g->GetDefaultRowSize() + FromDIP(4) +
                       std::max(wxSystemSettings::GetMetric(wxSYS_HSCROLL_Y, g), FromDIP(12));
    // as wide as its columns, or the form's width (the grid scrolls sideways itself)
    g->SetMinSize(wxSize(std::min(width + FromDIP(4), FromDIP(480)), height));
}

void FormView::update_form_problems() {
    wxString text;
    for (const auto& p : presenter_.form_problems()) {
        if (!text.empty()) text += "\n";
        text += u8(p.message);
    }
    form_problems_->SetLabel(text);
    form_problems_->Show(!text.empty());
}

// --- focus, fonts ------------------------------------------------------------------------------

bool FormView::focus_path(const std::string& path) {
    int row = presenter_.row_of(path);
    if (row < 0) return false;
    const FormRow& r = presenter_.rows()[std::size_t(row)];
    if (!r.visible || r.read_only || slots_[std::size_t(row)]->inputs.empty()) return false;
    wxWindow* w = slots_[std::size_t(row)]->inputs[0];
    w->SetFocus();
    if (auto* t = dynamic_cast<wxTextCtrl*>(w)) t->SelectAll();
    if (auto* g = dynamic_cast<wxGrid*>(w); g && g->GetNumberRows() > 0 && g->GetGridCursorRow() < 0) g->SetGridCursor(0, 0);
    // scroll it into view with some of the form above it
    int step_x = 0, step_y = 0, top = 0, left = 0;
    GetScrollPixelsPerUnit(&step_x, &step_y);
    GetViewStart(&left, &top);
    const int rel = w->GetScreenPosition().y - GetScreenPosition().y;  // in the visible area
    const int view_h = GetClientSize().y;
    if (step_y > 0 && (rel < 0 || rel + w->GetSize().y > view_h)) Scroll(-1, std::max(0, top + (rel - view_h / 3) / step_y));
    return true;
}

void FormView::focus_first() {
    if (auto first = presenter_.first_field()) focus_path(*first);
}

void FormView::fonts_changed() {
    Freeze();
    const wxFont base = GetFont();
    wxFont small = base;
    small.SetPointSize(std::max(8, base.GetPointSize() - 1));
    wxFont heading = base;
    heading.SetWeight(wxFONTWEIGHT_BOLD);
    heading.SetPointSize(base.GetPointSize() + 1);
    label_width_ = 0;
    for (const auto& r : presenter_.rows())
        if (r.kind != FormRowKind::section) label_width_ = std::max(label_width_, GetTextExtent(label_text(r) + " ○").x);
    label_width_ = std::min(label_width_, std::max(FromDIP(300), GetCharWidth() * 24));
    const auto& rows = presenter_.rows();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        Slot& s = *slots_[i];
        if (s.problem) s.problem->SetFont(small);
        if (s.note) s.note->SetFont(small);
        if (rows[i].kind == FormRowKind::section) {
            s.label->SetFont(heading);
            continue;
        }
        for (std::size_t k = 0; k < s.inputs.size() && k < s.chars.size(); ++k)
            if (s.chars[k] > 0) {
                auto* t = dynamic_cast<wxTextCtrl*>(s.inputs[k]);
                const bool tall = t && t->IsMultiLine();
                s.inputs[k]->SetMinSize(wxSize(GetCharWidth() * s.chars[k], tall ? GetCharHeight() * 4 : -1));
            }
        set_label(i);
        if (s.grid) {
            s.grid->SetDefaultCellFont(base);
            wxFont bold = base;
            bold.SetWeight(wxFONTWEIGHT_BOLD);
            s.grid->SetLabelFont(bold);
            s.grid->SetDefaultRowSize(GetCharHeight() * 3 / 2 + FromDIP(6), true);
            s.grid->SetColLabelSize(GetCharHeight() * 3 / 2 + FromDIP(6));
            s.grid->SetRowLabelSize(GetCharWidth() * 4);
            for (int c = 0; c < s.grid->GetNumberCols(); ++c) {
                const FormColumn& col = rows[i].columns[std::size_t(c)];
                int w = std::max(GetTextExtent(u8(col.label)).x + FromDIP(16), GetCharWidth() * std::min(width_chars(col.type), 24));
                s.grid->SetColSize(c, w);
            }
            size_grid(i);
        }
    }
    body_->Layout();
    Layout();
    FitInside();
    Thaw();
}

void FormView::changed() {
    if (on_changed_) on_changed_();
}

}  // namespace ow::app
