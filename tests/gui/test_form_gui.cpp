// GUI tests of intake step 3 (表单, client/app/intake/form_view.*): the form view over the shipped
// 新生儿出生一件事 bundle, typed into with XTest (ASCII) and synthesized text (Chinese), under Xvfb.
// Part of test_desk_gui (its wx session and harness); ctest names gui_desk_intake_form_*.
// Screenshots: build/dev/test-artefacts/gui/intake/form*.png.
#include "gui_harness.h"

#include "intake/form_presenter.h"
#include "intake/form_view.h"

#include "../unit/forms/helpers.h"

#include "ow/forms/definition.h"
#include "ow/forms/session.h"

#include <boost/test/unit_test.hpp>

#include <wx/checkbox.h>
#include <wx/checklst.h>
#include <wx/choice.h>
#include <wx/frame.h>
#include <wx/grid.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/uiaction.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

using namespace ow;
using namespace ow::guitest;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::string text_of(const wxString& s) { return s.utf8_string(); }

/// The shipped newborn bundle in a FormView, in a frame of the desk's smallest screen.
struct FormWindow {
    forms::FormCatalogue catalogue = forms::FormCatalogue::load_shipped();
    std::unique_ptr<forms::FormSession> session;
    std::unique_ptr<app::FormPresenter> presenter;
    wxFrame* frame = nullptr;
    app::FormView* view = nullptr;
    int changes = 0;

    explicit FormWindow(const std::string& code = "BUNDLE-XSECS", bool large_font = false) {
        auto def = catalogue.find(code);
        BOOST_REQUIRE(def);
        session = std::make_unique<forms::FormSession>(def, core::parse_date("2026-12-06"));
        presenter = std::make_unique<app::FormPresenter>(*session, forms::Lang::zh_CN);
        frame = new wxFrame(nullptr, wxID_ANY, "intake form", wxPoint(0, 0), wxSize(1366, 768));
        if (large_font) {  // as the desk's Ctrl+L (MainFrame::set_large_font): the font before the view
            wxFont f = wxSystemSettings::GetFont(wxSYS_DEFAULT_GUI_FONT);
            f.SetPointSize(f.GetPointSize() * 4 / 3 + 1);
            frame->SetFont(f);
        }
        view = new app::FormView(frame, *presenter);
        view->on_changed([this] { ++changes; });
        auto* sizer = new wxBoxSizer(wxVERTICAL);
        sizer->Add(view, 1, wxEXPAND);
        frame->SetSizer(sizer);
        frame->Show();
        frame->Layout();
        pump_for(300ms);
    }
    ~FormWindow() {
        if (frame) frame->Destroy();
        wait_until([] { return wxTopLevelWindows.empty(); }, 5s);
    }
    wxWindow* w(const std::string& name) { return find_window(frame, name); }
    wxStaticText* problem(const std::string& id) { return widget<wxStaticText>(frame, "form." + id + ".problem"); }
    bool focused(const std::string& name) { return wxWindow::FindFocus() == w(name); }
};

std::string shot_name(const std::string& name) {
    std::filesystem::create_directories(artefacts_dir() / "intake");
    return "intake/" + name;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(intake_form)

// The inline error of a bad ID number appears as it is typed and goes when fixed; Enter moves on in
// the paper form's order, over hidden and read-only fields.
BOOST_AUTO_TEST_CASE(inline_errors) {
    FormWindow f;
    wxWindow* shot_window = f.frame;
    ShotOnExit shot(shot_name("form"), &shot_window);

    // Chinese is committed as an input method does (synthesized); the label marks it required
    auto* name = widget<wxTextCtrl>(f.frame, "form.baby_name");
    BOOST_TEST(text_of(widget<wxStaticText>(f.frame, "form.baby_name.label")->GetLabel()).find('*') != std::string::npos);
    focus(name);
    name->WriteText(wxString::FromUTF8("王小明"));
    pump_for(50ms);
    BOOST_TEST(f.session->raw_answers()["baby_name"] == "王小明");
    BOOST_TEST(f.changes > 0);

    // Enter: 新生儿姓名 → 性别 (the next field of the paper form)
    xtest_key(name, WXK_RETURN);
    BOOST_TEST(wait_until([&] { return f.focused("form.baby_sex"); }, 2s));

    // a resident ID typed key by key: wrong while one digit short, right with its check character
    auto* id = widget<wxTextCtrl>(f.frame, "form.baby_id");
    xtest_type(id, "11010519491231002");
    BOOST_TEST(text_of(id->GetValue()) == "11010519491231002");
    BOOST_TEST(wait_until([&] { return on_screen(f.problem("baby_id")); }, 2s));
    BOOST_TEST(text_of(f.problem("baby_id")->GetLabel()) == "居民身份证号码无效");
    BOOST_TEST(f.problem("baby_id")->GetForegroundColour().Red() > 150);  // an error's colour
    // the problem line sits directly under the field
    BOOST_TEST(f.problem("baby_id")->GetScreenPosition().y > id->GetScreenPosition().y);
    BOOST_TEST(f.problem("baby_id")->GetScreenPosition().y < id->GetScreenPosition().y + 3 * id->GetSize().y);
    {
        ShotOnExit error_shot(shot_name("form_inline_error"), &shot_window);
        error_shot.finish();
    }
    // (GTK selects a field's text when it gets the focus: the X goes after the digits)
    id->SetInsertionPointEnd();
    wxUIActionSimulator().Char('X', wxMOD_SHIFT);
    pump_for(50ms);
    BOOST_TEST(wait_until([&] { return !f.problem("baby_id")->IsShown(); }, 2s));
    BOOST_TEST(f.session->answers_json()["answers"]["baby_id"] == "11010519491231002X");

    // Enter from 父亲信息可以登记 skips 父亲 while it is hidden …
    auto* father_known = widget<wxCheckBox>(f.frame, "form.father_known");
    BOOST_TEST(!on_screen(f.w("form.father")));
    xtest_key(father_known, WXK_RETURN);
    BOOST_TEST(wait_until([&] { return f.focused("form.contact_phone"); }, 2s));
    // … and goes to it once the box is ticked (Space) and 父亲 appears
    xtest_key(father_known, ' ');
    BOOST_TEST(wait_until([&] { return father_known->Get3StateValue() == wxCHK_CHECKED; }, 2s));
    BOOST_TEST(wait_until([&] { return on_screen(f.w("form.father")); }, 2s));
    BOOST_TEST(f.session->raw_answers()["father_known"] == true);
    xtest_key(father_known, WXK_RETURN);
    BOOST_TEST(wait_until([&] { return f.focused("form.father"); }, 2s));

    // a read-only field (证件照, scanned on the materials step) is skipped
    xtest_key(widget<wxChoice>(f.frame, "form.sbk_bank"), WXK_RETURN);
    BOOST_TEST(wait_until([&] { return f.focused("form.sbk_mail"); }, 2s));

    // Tab follows the same order; Enter in a choice moves on too (GTK keeps a combo box's focus on
    // an inner button wx does not report, so the choice is checked by where Enter goes from it)
    xtest_key(id, WXK_TAB);
    BOOST_TEST(wait_until([&] { return f.focused("form.birth_certificate_no"); }, 2s));
    xtest_key(name, WXK_TAB);
    pump_for(100ms);
    wxUIActionSimulator().Char(WXK_RETURN);
    BOOST_TEST(wait_until([&] { return f.focused("form.birth_date"); }, 2s),
               "focus after Tab, Enter: " << (wxWindow::FindFocus() ? text_of(wxWindow::FindFocus()->GetName()) : "none"));

    // leaving an empty required field shows its problem
    auto* hospital = widget<wxTextCtrl>(f.frame, "form.cs_hospital");
    BOOST_TEST(!f.problem("cs_hospital")->IsShown());
    xtest_key(hospital, WXK_TAB);
    BOOST_TEST(wait_until([&] { return on_screen(f.problem("cs_hospital")); }, 2s));
    BOOST_TEST(text_of(f.problem("cs_hospital")->GetLabel()) == "此项为必填项");
    // the time from a key's text to the updated problem line, in the view (wxEVT_TEXT → presenter
    // → changed rows → widgets; synchronous in WriteText): reported, not asserted (a Debug build)
    // (typed after the ID already there: wrong from the first key on, the problem line shown)
    std::vector<double> ms;
    for (char c : std::string("11010519491231002X")) {
        auto t0 = std::chrono::steady_clock::now();
        id->WriteText(wxString(c));
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    BOOST_TEST_MESSAGE("keystroke to inline problem in the view (" << ms.size() << " keys): median " << ms[ms.size() / 2]
                       << " ms, max " << ms.back() << " ms");
    id->SetValue("11010519491231002X");  // (SetValue raises wxEVT_TEXT: the view takes it as typed)
    BOOST_TEST(wait_until([&] { return !f.problem("baby_id")->IsShown(); }, 2s));
    f.view->focus_first();
    pump_for(100ms);
    shot.finish();
}

// A repeat group is a table: Ctrl+Insert adds a row, a cell typed wrong is marked and named under
// the table, Ctrl+Delete removes the row. In the desk's large font at 1366×768 (企业开办一件事, the
// widest shipped form), nothing needs sideways scrolling and no label is cut.
BOOST_AUTO_TEST_CASE(table_and_large_font) {
    FormWindow f("BUNDLE-QYKB", true);
    wxWindow* shot_window = f.frame;
    ShotOnExit shot(shot_name("form_table_large_font"), &shot_window);
    const int t = f.presenter->row_of("/qy_shareholders");
    BOOST_REQUIRE(t >= 0);
    const auto& columns = f.presenter->rows()[std::size_t(t)].columns;
    int money = -1;
    for (std::size_t c = 0; c < columns.size(); ++c)
        if (columns[c].id == "qy_contribution_fen") money = int(c);
    BOOST_REQUIRE(money >= 0);

    auto* grid = widget<wxGrid>(f.frame, "form.qy_shareholders");
    BOOST_TEST(grid->GetNumberRows() == 0);
    BOOST_TEST(text_of(grid->GetToolTipText()).find("Ctrl+Insert") != std::string::npos);
    xtest_key(grid, WXK_INSERT, wxMOD_CONTROL);
    BOOST_TEST(wait_until([&] { return grid->GetNumberRows() == 1; }, 2s));
    BOOST_TEST(f.session->raw_answers()["qy_shareholders"].size() == 1u);
    xtest_key(grid, WXK_INSERT, wxMOD_CONTROL);
    BOOST_TEST(wait_until([&] { return grid->GetNumberRows() == 2; }, 2s));

    // 12.345 yuan has a fraction of a fen: typed into the cell (the editor opens on the first key)
    grid->SetGridCursor(0, money);
    xtest_type(grid, "12.345");
    xtest_key(grid, WXK_RETURN);
    auto* problem = widget<wxStaticText>(f.frame, "form.qy_shareholders.problem");
    BOOST_TEST(wait_until([&] { return on_screen(problem); }, 2s));
    BOOST_TEST(text_of(problem->GetLabel()).find("请输入金额") != std::string::npos, text_of(problem->GetLabel()));
    BOOST_TEST(grid->GetCellValue(0, money) == "12.345");
    BOOST_TEST(grid->GetCellBackgroundColour(0, money) != grid->GetDefaultCellBackgroundColour());
    // fixed: the amount is stored in fen
    grid->SetGridCursor(0, money);
    xtest_type(grid, "12.34");
    xtest_key(grid, WXK_RETURN);
    BOOST_TEST(wait_until([&] { return f.session->raw_answers()["qy_shareholders"][0].value("qy_contribution_fen", json()) == 1234; }, 2s));
    BOOST_TEST(grid->GetCellBackgroundColour(0, money) == grid->GetDefaultCellBackgroundColour());
    pump_for(100ms);
    {
        ShotOnExit table_shot(shot_name("form_table"), &shot_window);
        f.view->focus_path("/qy_shareholders");
        pump_for(200ms);
        table_shot.finish();
    }

    // Ctrl+Delete removes the current row
    grid->SetGridCursor(1, 0);
    xtest_key(grid, WXK_DELETE, wxMOD_CONTROL);
    BOOST_TEST(wait_until([&] { return grid->GetNumberRows() == 1; }, 2s));
    BOOST_TEST(f.session->raw_answers()["qy_shareholders"].size() == 1u);

    // the large font: every field's label is whole (wrapped, not cut) and the form fits the width
    auto* body = find_window(f.frame, "form.body");
    BOOST_TEST(body->GetSize().x <= f.view->GetClientSize().x);
    int cut = 0;
    for (const auto& r : f.presenter->rows()) {
        if (r.kind == app::FormRowKind::section || !r.visible) continue;
        auto* label = widget<wxStaticText>(f.frame, "form." + r.id + ".label");
        if (label->GetSize().x < label->GetBestSize().x || label->GetSize().y < label->GetBestSize().y) {
            ++cut;
            BOOST_TEST_MESSAGE("cut label: " << r.id);
        }
        for (auto* w : f.frame->GetChildren()) (void)w;
    }
    BOOST_TEST(cut == 0);
    for (auto* w : body->GetChildren())
        if (w->IsShown() && w->GetRect().GetRight() > body->GetClientSize().x) BOOST_TEST_MESSAGE("wider than the form: " << text_of(w->GetName()));
    for (auto* w : body->GetChildren()) BOOST_TEST(!(w->IsShown() && w->GetRect().GetRight() > body->GetClientSize().x), text_of(w->GetName()));
    f.view->focus_first();
    pump_for(100ms);
    shot.finish();
}

// Every field type of the engine has its control, also a group (a headed section, its field
// indented) and a repeat (a grid); a computed field is read-only and follows; en labels.
BOOST_AUTO_TEST_CASE(every_field_type) {
    using test::field;
    using test::label;
    json options = json::array({{{"value", "a"}, {"label", label("甲", "A")}}, {{"value", "b"}, {"label", label("乙", "B")}}});
    auto def = test::load(test::item(
        json::array({field("t_text", "text", {{"required", true}}), field("t_multi", "multiline", {{"required", "soft"}}),
                     field("t_int", "integer"), field("t_dec", "decimal"), field("t_money", "money"), field("t_date", "date"),
                     field("t_choice", "choice", {{"options", options}}), field("t_multi_choice", "multi_choice", {{"options", options}}),
                     field("t_bool", "boolean"), field("t_id", "resident_id"), field("t_uscc", "uscc"), field("t_phone", "phone"),
                     field("t_post", "postal_code"), field("t_address", "address"), field("t_person", "person"),
                     field("t_scan", "attachment", {{"material", "scan"}}),
                     field("t_group", "group", {{"fields", json::array({field("g_inner", "text")})}}),
                     field("t_rows", "repeat", {{"fields", json::array({field("r_name", "text"), field("r_amount", "money")})}}),
                     field("t_sum", "money", {{"compute", "sum(r_amount)"}})}),
        json::array(), json::array({{{"code", "scan"}, {"name", "照片"}, {"form", "electronic"}, {"necessity", "optional"}}})));
    forms::FormSession session(def, core::parse_date("2026-12-06"));
    app::FormPresenter presenter(session, forms::Lang::en);
    auto* frame = new wxFrame(nullptr, wxID_ANY, "every field type", wxPoint(0, 0), wxSize(1366, 768));
    auto* view = new app::FormView(frame, presenter);
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    sizer->Add(view, 1, wxEXPAND);
    frame->SetSizer(sizer);
    frame->Show();
    frame->Layout();
    pump_for(300ms);
    wxWindow* shot_window = frame;
    ShotOnExit shot(shot_name("form_every_type"), &shot_window);

    for (const char* id : {"t_text", "t_multi", "t_int", "t_dec", "t_money", "t_date", "t_id", "t_uscc", "t_phone", "t_post",
                           "t_address", "t_person", "g_inner"})
        BOOST_TEST(widget<wxTextCtrl>(frame, std::string("form.") + id), id);
    widget<wxTextCtrl>(frame, "form.t_address.detail");
    widget<wxChoice>(frame, "form.t_person.doc_type");
    widget<wxTextCtrl>(frame, "form.t_person.doc_number");
    widget<wxChoice>(frame, "form.t_choice");
    widget<wxCheckListBox>(frame, "form.t_multi_choice");
    widget<wxCheckBox>(frame, "form.t_bool");
    auto* grid = widget<wxGrid>(frame, "form.t_rows");
    BOOST_TEST(grid->GetNumberCols() == 2);
    auto* heading = widget<wxStaticText>(frame, "form.t_group.heading");
    BOOST_TEST(heading->GetFont().GetWeight() == wxFONTWEIGHT_BOLD);
    // the group's field is indented under its heading
    BOOST_TEST(widget<wxStaticText>(frame, "form.g_inner.label")->GetPosition().x > widget<wxStaticText>(frame, "form.t_text.label")->GetPosition().x);
    BOOST_TEST(find_window(frame, "form.g_inner")->GetPosition().x == find_window(frame, "form.t_text")->GetPosition().x);  // inputs in one column
    BOOST_TEST(text_of(widget<wxStaticText>(frame, "form.t_multi.label")->GetLabel()).find("\xE2\x97\x8B") != std::string::npos);  // ○
    auto* scan = widget<wxTextCtrl>(frame, "form.t_scan");
    BOOST_TEST(!scan->IsEditable());
    BOOST_TEST(text_of(scan->GetValue()) == "照片");
    auto* sum = widget<wxTextCtrl>(frame, "form.t_sum");
    BOOST_TEST(!sum->IsEditable());

    // typed into the table: the computed sum follows in its read-only field
    xtest_key(grid, WXK_INSERT, wxMOD_CONTROL);
    BOOST_TEST(wait_until([&] { return grid->GetNumberRows() == 1; }, 2s));
    grid->SetGridCursor(0, 1);
    xtest_type(grid, "12.5");
    xtest_key(grid, WXK_RETURN);
    BOOST_TEST(wait_until([&] { return text_of(sum->GetValue()) == "12.50"; }, 2s), text_of(sum->GetValue()));
    // a choice, the yes/no box and the check list reach the session
    auto* choice = widget<wxChoice>(frame, "form.t_choice");
    choice->SetSelection(2);
    wxCommandEvent pick(wxEVT_CHOICE, choice->GetId());
    pick.SetEventObject(choice);
    pick.SetInt(2);
    choice->GetEventHandler()->ProcessEvent(pick);  // synthesized: a GTK combo box's popup is not XTest-friendly
    BOOST_TEST(session.raw_answers()["t_choice"] == "b");
    auto* box = widget<wxCheckBox>(frame, "form.t_bool");
    xtest_key(box, ' ');
    BOOST_TEST(wait_until([&] { return session.raw_answers().contains("t_bool") && session.raw_answers()["t_bool"] == true; }, 2s));
    xtest_key(box, ' ');
    BOOST_TEST(wait_until([&] { return session.raw_answers()["t_bool"] == false; }, 2s));
    auto* list = widget<wxCheckListBox>(frame, "form.t_multi_choice");
    list->Check(1, true);
    wxCommandEvent tick(wxEVT_CHECKLISTBOX, list->GetId());
    tick.SetEventObject(list);
    tick.SetInt(1);
    list->GetEventHandler()->ProcessEvent(tick);
    BOOST_TEST(session.raw_answers()["t_multi_choice"] == json::array({"b"}));
    // the person's parts: a document type chosen, the name typed
    auto* person = widget<wxTextCtrl>(frame, "form.t_person");
    xtest_type(person, "Li Si");
    BOOST_TEST(wait_until([&] { return on_screen(find_window(frame, "form.t_person.problem")); }, 2s));
    BOOST_TEST(text_of(widget<wxStaticText>(frame, "form.t_person.problem")->GetLabel()) == "Enter the document number");
    // Ctrl+L after the view is built: the desk sets the larger font on every child, then calls
    // fonts_changed(); the inputs and the label column grow with it
    const int text_width = find_window(frame, "form.t_text")->GetSize().x;
    const int label_width = find_window(frame, "form.t_text.label")->GetSize().x;
    wxFont big = view->GetFont();
    big.SetPointSize(big.GetPointSize() * 4 / 3 + 1);
    std::function<void(wxWindow*)> set_font = [&](wxWindow* w) {
        w->SetFont(big);
        for (auto* c : w->GetChildren()) set_font(c);
    };
    set_font(view);
    view->fonts_changed();
    pump_for(200ms);
    BOOST_TEST(find_window(frame, "form.t_text")->GetSize().x > text_width);
    BOOST_TEST(find_window(frame, "form.t_text.label")->GetSize().x > label_width);
    BOOST_TEST(grid->GetDefaultRowSize() >= grid->GetCharHeight());
    for (const auto& r : presenter.rows()) {  // no label cut at the bottom (GTK measures late)
        if (r.kind == app::FormRowKind::section) continue;
        auto* label = widget<wxStaticText>(frame, "form." + r.id + ".label");
        int h = 0;
        label->GetTextExtent("Ag", nullptr, &h);
        BOOST_TEST(label->GetSize().y >= h, r.id);
    }
    pump_for(100ms);
    shot.finish();
    frame->Destroy();
    wait_until([] { return wxTopLevelWindows.empty(); }, 5s);
}

BOOST_AUTO_TEST_SUITE_END()
