// GUI tests of the intake screen (F2, client/app/intake/intake_view.*): a whole case taken at the
// window through the desk's real widgets, on a real encrypted store, the simulated ID card reader
// (plugins/idcard-sim) and SANE's test scanner, under Xvfb. Part of test_desk_gui (its wx session
// and harness); ctest names gui_desk_intake_<test>.
//
// Keys only: every step is reached and every field filled with key events (XTest) — F2, Enter,
// Tab, Space, arrows, F4, F5, Ctrl+PgDn, Ctrl+P — and before each key the test checks that the
// focus is already where the key goes (the harness's focus() would otherwise move it, as a mouse
// click would). Chinese text, which XTest cannot type (no input method under Xvfb), is committed
// with WriteText into the focused field, as an input method does, and counted one key a character.
//
// Artefacts: test-artefacts/gui/intake/ — a screenshot of each step, the sealed receipt of the
// bundle intake (receipt.pdf, verified by pdfsig here), the printed notice (printed.pdf) and the
// keystroke count (keystrokes.txt).
#include "desk_fixture.h"
#include "gui_harness.h"

#include "intake/form_view.h"
#include "intake/intake_view.h"
#include "shell/applicant_screen.h"
#include "shell/demo_desk.h"

#include "ow/store/store.h"

#include <boost/test/unit_test.hpp>

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/listbox.h>
#include <wx/listctrl.h>
#include <wx/radiobox.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/uiaction.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace ow;
using namespace ow::guitest;
using namespace std::chrono_literals;

namespace {

std::filesystem::path intake_artefacts() {
    auto d = artefacts_dir() / "intake";
    std::filesystem::create_directories(d);
    return d;
}

/// Runs a command, its standard output and exit status.
std::pair<int, std::string> run(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return {-1, out};
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    int status = ::pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

/// The window that has the focus and its ancestors' names, for messages.
std::string focus_name() {
    wxWindow* f = wxWindow::FindFocus();
    return f ? utf8(f->GetName()) : std::string("(none)");
}

/// True when the focus is `w` or inside it (a GTK combo box keeps it on an inner button).
bool focus_in(wxWindow* w) {
    for (wxWindow* f = wxWindow::FindFocus(); f; f = f->GetParent())
        if (f == w) return true;
    return false;
}

/// The desk for an intake: the demo store with the window seal assigned to the clerk (an
/// administrator does that), SANE's test device as the desk's scanner, signed in as the clerk.
struct IntakeDesk : Desk {
    explicit IntakeDesk(int cases = 30) : Desk(cases) {
        {
            auto admin = store::Store::open(demo.dir, demo.admin.name, demo.admin.password);
            app::assign_window_seal(*admin, demo.clerk.name);
        }
        ::setenv("ONEWINDOW_SCANNER_DEVICE", "test", 1);
        unlock(demo.clerk);
    }

    app::IntakeView* view() {
        auto* v = frame->intake();
        if (!v) throw GuiFailure("the desk has no intake screen after sign-in");
        return v;
    }
    app::IntakePresenter& presenter() { return view()->presenter(); }
    bool at(app::IntakeStep s, std::chrono::milliseconds timeout = 3s) {
        return wait_until([&] { return presenter().step() == s && !view()->busy(); }, timeout);
    }
};

/// Counts what the clerk typed: keys (XTest) and Chinese characters (one key each), and every
/// value typed, to find a value typed twice (the software should have known it).
struct KeyLog {
    int keys = 0;
    int chinese = 0;
    std::map<std::string, std::string> values;  // value -> where it was typed first
    std::vector<std::string> twice;

    void typed(const std::string& where, const std::string& value) {
        if (value.empty()) return;
        auto [it, fresh] = values.emplace(value, where);
        if (!fresh) twice.push_back(value + " (" + it->second + ", again in " + where + ")");
    }
    /// A key into the focused window: the focus must already be on `target` (or inside it).
    void key(wxWindow* target, int code, int modifiers = 0) {
        // (GTK keeps a combo box's focus on an inner button that wx does not report: where the
        // key goes from a choice is checked by the next step instead.)
        const bool choice = dynamic_cast<wxChoice*>(target) != nullptr;
        BOOST_REQUIRE_MESSAGE(focus_in(target) || (choice && !wxWindow::FindFocus()),
                              "key " << code << " for " << utf8(target->GetName()) << ": the focus is on " << focus_name());
        xtest_key(target, code, modifiers);
        ++keys;
    }
    /// ASCII typed with XTest into the focused `target`.
    void type(wxWindow* target, const std::string& where, const std::string& ascii) {
        BOOST_REQUIRE_MESSAGE(focus_in(target), "typing into " << utf8(target->GetName()) << ": the focus is on " << focus_name());
        xtest_type(target, ascii);
        keys += int(ascii.size());
        typed(where, ascii);
    }
    /// Chinese committed into the focused text `target` as an input method does.
    void chinese_text(wxWindow* target, const std::string& where, const std::string& text) {
        BOOST_REQUIRE_MESSAGE(focus_in(target), "typing into " << utf8(target->GetName()) << ": the focus is on " << focus_name());
        auto* e = text_entry(target);
        e->WriteText(wxString::FromUTF8(text));
        pump_for(30ms);
        const int n = int(wxString::FromUTF8(text).length());
        keys += n;
        chinese += n;
        typed(where, text);
    }
};

/// Chooses `value` of the choice field `id` with the arrow keys (the GTK combo box moves its
/// active row on Up / Down).
void choose(KeyLog& k, app::FormView* form, wxWindow* top, const std::string& id, const std::string& value) {
    auto* c = widget<wxChoice>(top, "form." + id);
    const auto& rows = form->presenter().rows();
    std::string label;
    for (const auto& r : rows)
        if (r.id == id)
            for (const auto& o : r.options)
                if (o.value == value) label = o.label;
    BOOST_REQUIRE_MESSAGE(!label.empty(), "no option " << value << " in " << id);
    const int target = c->FindString(wxString::FromUTF8(label));
    BOOST_REQUIRE(target != wxNOT_FOUND);
    for (int guard = 0; c->GetSelection() != target && guard < 12; ++guard) {
        k.key(c, c->GetSelection() < target ? WXK_DOWN : WXK_UP);
        pump_for(50ms);
    }
    BOOST_REQUIRE_MESSAGE(c->GetSelection() == target, id << ": the arrows did not choose " << value << " (at " << c->GetSelection() << ")");
    k.typed("form." + id, value);
}

/// What the clerk types into each field of the newborn bundle's merged form; fields not listed
/// are passed with Enter (prefilled, optional, or read-only).
struct Answer {
    enum class How { ascii, chinese, choice, no, person, address } how;
    std::string a, b;
};
const std::map<std::string, Answer>& newborn_answers() {
    static const std::map<std::string, Answer> m{
        {"baby_name", {Answer::How::chinese, "王小宝", ""}},
        {"baby_sex", {Answer::How::choice, "female", ""}},
        {"birth_certificate_no", {Answer::How::ascii, "Q370102512", ""}},
        {"mother", {Answer::How::person, "李训练", "440304198511200021"}},
        {"father_known", {Answer::How::no, "", ""}},
        {"cs_birth_place", {Answer::How::address, "370102", "经十路12号"}},
        {"cs_hospital", {Answer::How::chinese, "济南市妇幼保健院", ""}},
        {"cs_weight_g", {Answer::How::ascii, "3250", ""}},
        {"cs_gestation_weeks", {Answer::How::ascii, "39", ""}},
        {"hk_ethnicity", {Answer::How::chinese, "汉族", ""}},
        {"hk_register_with", {Answer::How::choice, "mother", ""}},
        {"hk_household_head", {Answer::How::chinese, "王大山", ""}},
        {"yb_category", {Answer::How::choice, "newborn", ""}},
        {"yb_household_outside", {Answer::How::no, "", ""}},
        {"yb_insurance_year", {Answer::How::ascii, "2026", ""}},
        {"sbk_bank", {Answer::How::choice, "icbc", ""}},
        {"sbk_mail", {Answer::How::no, "", ""}},
    };
    return m;
}

/// Fills the form from its first field to the end with the keys, following Enter through the
/// paper order (FormPresenter::next_field), then Enter after the last field goes on.
void fill_newborn_form(IntakeDesk& d, KeyLog& k, const std::function<void()>& before_last_enter = {}) {
    auto* form = widget<app::FormView>(d.frame, "intake.form");
    auto& fp = form->presenter();
    auto path = fp.first_field();
    BOOST_REQUIRE(path);
    int guard = 0;
    while (path && ++guard < 80) {
        const std::string id = path->substr(1);
        auto* input = find_window(d.frame, "form." + id);
        const bool choice = dynamic_cast<wxChoice*>(input) != nullptr;
        BOOST_REQUIRE_MESSAGE(wait_until([&] { return focus_in(input) || (choice && !wxWindow::FindFocus()); }, 2s),
                              "Enter did not bring the focus to form." << id << " (it is on " << focus_name() << ")");
        auto it = newborn_answers().find(id);
        // born four days before the desk's today (the tests' clock runs from the demo seed's newest case)
        const Answer born{Answer::How::ascii, core::format_date(d.services.today() - std::chrono::days{4}), ""};
        if (it != newborn_answers().end() || id == "birth_date") {
            const Answer& a = id == "birth_date" ? born : it->second;
            switch (a.how) {
                case Answer::How::ascii: k.type(input, "form." + id, a.a); break;
                case Answer::How::chinese: k.chinese_text(input, "form." + id, a.a); break;
                case Answer::How::choice: choose(k, form, d.frame, id, a.a); break;
                case Answer::How::no: {  // the three-state box: unanswered → yes → no
                    auto* box = widget<wxCheckBox>(d.frame, "form." + id);
                    k.key(box, ' ');
                    k.key(box, ' ');
                    BOOST_REQUIRE(wait_until([&] { return box->Get3StateValue() == wxCHK_UNCHECKED; }, 2s));
                    break;
                }
                case Answer::How::person: {
                    k.chinese_text(input, "form." + id + ".name", a.a);
                    k.key(input, WXK_TAB);
                    auto* type = find_window(d.frame, "form." + id + ".doc_type");
                    BOOST_REQUIRE(wait_until([&] { return focus_in(type) || !wxWindow::FindFocus(); }, 2s));
                    k.key(type, WXK_TAB);  // 居民身份证 stays
                    auto* number = find_window(d.frame, "form." + id + ".doc_number");
                    BOOST_REQUIRE(wait_until([&] { return focus_in(number); }, 2s));
                    k.type(number, "form." + id + ".doc_number", a.b);
                    input = number;
                    break;
                }
                case Answer::How::address: {
                    k.type(input, "form." + id + ".region", a.a);
                    k.key(input, WXK_TAB);
                    auto* detail = find_window(d.frame, "form." + id + ".detail");
                    BOOST_REQUIRE(wait_until([&] { return focus_in(detail); }, 2s));
                    k.chinese_text(detail, "form." + id + ".detail", a.b);
                    input = detail;
                    break;
                }
            }
        }
        auto next = fp.next_field(*path);
        if (!next && before_last_enter) before_last_enter();
        k.key(input, WXK_RETURN);
        pump_for(30ms);
        path = next;
    }
}

/// F2 from the case list, "xsecs", Enter: the newborn bundle started, on the applicant step.
void start_newborn(IntakeDesk& d, KeyLog& k) {
    k.key(d.find("cases.search"), WXK_F2);
    auto* search = d.find("intake.search");
    BOOST_REQUIRE(wait_until([&] { return focus_in(search); }, 3s));
    k.type(search, "intake.search", "xsecs");
    k.key(search, WXK_RETURN);
    BOOST_REQUIRE(d.at(app::IntakeStep::applicant));
}

/// The PDF's text (pdftotext), for what a notice says.
std::string pdf_text(const std::filesystem::path& pdf) {
    return run("pdftotext -layout '" + pdf.string() + "' - 2>/dev/null").second;
}

std::string sql_text(store::Store& s, const std::string& q) { return s.db().query_text(q).value_or(""); }

/// The form's errors, for messages.
std::string form_errors(app::IntakePresenter& p) {
    std::string out;
    for (const auto& i : p.form().validate().issues)
        if (i.severity == forms::Severity::error) out += "\n  " + i.path + " " + i.code + " " + i.message_zh_CN;
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(intake_gui)

// The newborn bundle (新生儿出生一件事) from F2 to the sealed, printed receipt, keys only: the item
// found by its pinyin initials, the applicant from the ID card (F4), the merged form filled once
// (shared fields and the guardian not asked again), the materials checked with their letters and
// the photo scanned (F5), accepted with Enter, the notice previewed and printed (Ctrl+P). The
// receipt is verified by pdfsig; the outbox holds the case's changes for the platform.
BOOST_AUTO_TEST_CASE(newborn_bundle_keys_only) {
    IntakeDesk d;
    KeyLog k;
    const auto dir = intake_artefacts();
    auto step_shot = [&](const std::string& name) {
        wxWindow* w = d.frame;
        ShotOnExit shot("intake/" + name, &w);
        pump_for(200ms);
        shot.take();
    };

    // 1. F2 from the case list: the intake screen, the search focused.
    auto* cases_search = d.find("cases.search");
    BOOST_REQUIRE(wait_until([&] { return focus_in(cases_search); }, 3s));
    k.key(cases_search, WXK_F2);
    auto* search = d.find("intake.search");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return focus_in(search) && on_screen(search); }, 3s), "F2: focus on " << focus_name());
    k.type(search, "intake.search", "xsecs");
    auto* hits = d.get<wxListBox>("intake.hits");
    BOOST_REQUIRE(wait_until([&] { return hits->GetCount() >= 1; }, 2s));
    BOOST_CHECK(hits->GetString(0).Contains(wxString::FromUTF8("新生儿出生一件事")));
    step_shot("step-1-item");
    k.key(search, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(d.at(app::IntakeStep::applicant), "Enter did not start the bundle: "
                                                                << utf8(d.get<wxStaticText>("intake.message")->GetLabel()));
    const std::string case_id = d.presenter().case_id();
    BOOST_CHECK_EQUAL(d.presenter().case_data().bundle_code, "BUNDLE-XSECS");

    // 2. F4 reads the card: number, name, address; the phone is next.
    auto* number = d.find("intake.doc_number");
    BOOST_REQUIRE(wait_until([&] { return focus_in(number); }, 2s));
    k.key(number, WXK_F4);
    auto* phone = d.find("intake.phone");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return !d.get<wxTextCtrl>("intake.name")->IsEmpty() && focus_in(phone); }, 10s),
                          "F4 did not read the card: " << utf8(d.get<wxStaticText>("intake.message")->GetLabel()));
    BOOST_CHECK_EQUAL(utf8(d.get<wxTextCtrl>("intake.doc_number")->GetValue()), "11010519900307291X");
    BOOST_CHECK(d.presenter().applicant_checks().complete);
    k.type(phone, "intake.phone", "13800138000");
    BOOST_CHECK(d.get<wxStaticText>("intake.phone.check")->GetLabel().Contains(wxString::FromUTF8("✓")));
    step_shot("step-2-applicant");
    k.key(phone, WXK_RETURN);
    auto* address = d.find("intake.address");
    BOOST_REQUIRE(wait_until([&] { return focus_in(address); }, 2s));
    k.key(address, WXK_RETURN);  // the card's address stays: on to the form
    BOOST_REQUIRE_MESSAGE(d.at(app::IntakeStep::form), "Enter after the address did not go to the form: "
                                                           << utf8(d.get<wxStaticText>("intake.message")->GetLabel()));
    BOOST_CHECK_MESSAGE(d.presenter().form_prefilled().size() >= 2, "the form was not prefilled from the applicant");

    // 3. The merged form, field after field with Enter; Enter after the last one goes on.
    fill_newborn_form(d, k, [&] { step_shot("step-3-form"); });
    {
        auto* form = widget<app::FormView>(d.frame, "intake.form");
        auto& fp = form->presenter();
        // the guardian (社会保障卡) is the applicant: prefilled, not typed
        BOOST_CHECK_EQUAL(d.presenter().form().raw_answers().value(nlohmann::json::json_pointer("/sbk_guardian/doc_number"), std::string()),
                          "11010519900307291X");
        BOOST_CHECK_MESSAGE(fp.errors() <= 1, "form errors left: " << fp.errors() << form_errors(d.presenter()));  // the photo: scanned on step 4
    }
    BOOST_REQUIRE_MESSAGE(d.at(app::IntakeStep::materials), "Enter after the last field did not go to the materials (step "
                                                                << int(d.presenter().step()) << ", focus " << focus_name() << ")");

    // 4. Materials: the letters record the selected row and move on; F5 scans the photo.
    auto* list = d.get<wxListCtrl>("intake.materials");
    BOOST_REQUIRE(wait_until([&] { return focus_in(list); }, 2s));
    auto lines = d.presenter().materials();
    BOOST_REQUIRE(!lines.empty());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const long sel = list->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
        BOOST_REQUIRE_EQUAL(sel, long(i));
        const auto& m = lines[i];
        if (m.code == "sbk.photo") {
            k.key(list, WXK_F5);
            BOOST_REQUIRE_MESSAGE(wait_until([&] { return d.presenter().materials()[i].status == core::MaterialStatus::scanned && !d.view()->busy(); }, 30s),
                                  "F5 did not scan: " << utf8(d.get<wxStaticText>("intake.message")->GetLabel()));
            // the selection stays on the scanned row (its thumbnail): Down to the next
            if (i + 1 < lines.size()) k.key(list, WXK_DOWN);
        } else if (m.necessity == core::Necessity::optional) {
            k.key(list, 'N');
        } else if (m.code == "cs.birth_record") {
            k.key(list, 'E');  // issued electronically by the hospital
        } else {
            k.key(list, 'O');
        }
        pump_for(50ms);
        if (m.code != "sbk.photo")
            BOOST_REQUIRE_MESSAGE(wait_until([&] { return d.presenter().materials()[i].status != core::MaterialStatus::pending; }, 3s),
                                  m.code << " not recorded: " << utf8(d.get<wxStaticText>("intake.message")->GetLabel()));
    }
    step_shot("step-4-materials");
    BOOST_CHECK_MESSAGE(d.presenter().decision_preview().can_accept,
                        "not acceptable: missing " << d.presenter().decision_preview().missing.size() << ", form errors "
                                                   << d.presenter().decision_preview().form_errors);
    k.key(list, WXK_RETURN);

    // 5. The decision: the summary on the applicant's screen; Enter accepts.
    BOOST_REQUIRE(d.at(app::IntakeStep::decision));
    auto* screen = d.view()->applicant_screen();
    BOOST_REQUIRE(wait_until([&] { return screen->IsShown() && !screen->lines().empty(); }, 2s));
    {
        wxWindow* w = screen;
        ShotOnExit shot("intake/step-5-applicant-screen", &w);
        pump_for(200ms);
        shot.take();
    }
    auto* choice = d.get<wxListBox>("intake.decision");
    BOOST_CHECK_EQUAL(choice->GetSelection(), 0);
    BOOST_REQUIRE(wait_until([&] { return focus_in(choice); }, 2s));
    step_shot("step-5-decision");
    k.key(choice, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return d.presenter().document().has_value() && !d.view()->busy(); }, 30s),
                          "Enter did not accept: " << utf8(d.get<wxStaticText>("intake.message")->GetLabel()));
    BOOST_REQUIRE(d.at(app::IntakeStep::document));

    // 6. The notice: sealed, previewed, printed.
    const auto& doc = *d.presenter().document();
    BOOST_CHECK(doc.sealed);
    BOOST_CHECK_EQUAL(doc.kind, "acceptance_notice");
    const auto receipt = dir / "receipt.pdf";
    {
        std::ofstream out(receipt, std::ios::binary | std::ios::trunc);
        out.write(doc.pdf.data(), std::streamsize(doc.pdf.size()));
    }
    auto [rc, sig] = run("pdfsig '" + receipt.string() + "' 2>&1");
    BOOST_CHECK_MESSAGE(rc == 0 && sig.find("Signature is Valid") != std::string::npos, "pdfsig: " << sig);
    BOOST_CHECK_MESSAGE(pdf_text(receipt).find(d.presenter().case_data().receipt_no) != std::string::npos, "the receipt number is not on the notice");
    pump_for(500ms);  // the page renders off the UI thread
    step_shot("step-6-notice");
    auto* print = d.find("intake.print");
    BOOST_REQUIRE(wait_until([&] { return focus_in(print); }, 2s));
    k.key(print, 'P', wxMOD_CONTROL);
    wxWindow* preview = wait_for_window(nullptr, "intake.print_preview", 5s);
    BOOST_CHECK_MESSAGE(preview, "Ctrl+P opened no print preview");
    if (preview) {
        ShotOnExit shot("intake/step-6-print-preview", &preview);
        pump_for(500ms);
        shot.take();
        preview->Close(true);
        pump_for(200ms);
    }
    // Printed (in tests to a file: the same printout as on paper, A4 at 300 dpi)
    const auto printed = dir / "printed.pdf";
    std::filesystem::remove(printed);
    BOOST_REQUIRE(d.view()->print_to_file(printed));
    auto [info_rc, info] = run("pdfinfo '" + printed.string() + "' 2>&1");
    BOOST_CHECK_MESSAGE(info_rc == 0 && info.find("Pages:") != std::string::npos, "pdfinfo: " << info);

    // The store, on a second connection: accepted, the sealed notice kept, the outbox rows.
    auto second = d.demo.open_as_clerk();
    BOOST_CHECK_EQUAL(sql_text(*second, "SELECT state FROM cases WHERE id = '" + case_id + "'"), "accepted");
    BOOST_CHECK_EQUAL(sql_text(*second, "SELECT count(*) FROM case_documents WHERE case_id = '" + case_id +
                                            "' AND kind = 'acceptance_notice' AND sealed = 1"),
                      "1");
    const auto outbox = std::stoi(sql_text(*second, "SELECT count(*) FROM outbox WHERE case_id = '" + case_id + "'"));
    BOOST_CHECK_MESSAGE(outbox >= 5, "outbox rows of the case: " << outbox);
    BOOST_CHECK_EQUAL(sql_text(*second, "SELECT count(*) FROM intake_drafts WHERE case_id = '" + case_id + "'"), "0");

    // What the clerk typed: the count, and no value typed twice (goal 0).
    std::ofstream(dir / "keystrokes.txt") << "keys " << k.keys << " (of them Chinese characters, one key each: " << k.chinese
                                          << ")\nvalues typed " << k.values.size() << "\ntyped twice " << k.twice.size() << "\n";
    BOOST_TEST_MESSAGE("intake of the newborn bundle: " << k.keys << " keys (" << k.chinese << " Chinese characters), "
                                                        << k.values.size() << " values typed, " << k.twice.size() << " typed twice");
    for (const auto& t : k.twice) BOOST_ERROR("typed twice: " << t);
    BOOST_CHECK_MESSAGE(!k.values.count("11010519900307291X"), "the ID number was typed although the card gave it");
}

// A draft with materials missing: 一次性告知补正 chosen with the arrow key, Enter; the notice lists
// exactly the missing materials and the case waits for them (correction_requested).
BOOST_AUTO_TEST_CASE(correction_notice) {
    IntakeDesk d;
    KeyLog k;
    start_newborn(d, k);
    auto* number = d.find("intake.doc_number");
    // An organisation is one Shift+Tab and Down away (the labels follow); Up goes back to a person.
    auto* kind = d.get<wxChoice>("intake.kind");
    BOOST_REQUIRE(wait_until([&] { return focus_in(number); }, 2s));
    k.key(number, WXK_TAB, wxMOD_SHIFT);
    pump_for(100ms);
    k.key(kind, WXK_DOWN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return d.presenter().applicant().kind == core::ApplicantKind::organisation; }, 2s),
                          "Shift+Tab, Down did not choose an organisation (focus on " << focus_name() << ")");
    BOOST_CHECK(d.get<wxTextCtrl>("intake.legal_rep")->IsShown());
    k.key(kind, WXK_UP);
    BOOST_REQUIRE(wait_until([&] { return d.presenter().applicant().kind == core::ApplicantKind::person; }, 2s));
    k.key(kind, WXK_TAB);
    BOOST_REQUIRE(wait_until([&] { return focus_in(number); }, 2s));
    k.key(number, WXK_F4);
    auto* phone = d.find("intake.phone");
    BOOST_REQUIRE(wait_until([&] { return focus_in(phone); }, 10s));
    k.type(phone, "intake.phone", "13800138000");
    // straight to the decision (Alt+5): nothing recorded, everything required is missing
    k.key(phone, '5', wxMOD_ALT);
    BOOST_REQUIRE(d.at(app::IntakeStep::decision));
    const auto missing = d.presenter().decision_preview().missing;
    BOOST_REQUIRE(!missing.empty());
    auto* choice = d.get<wxListBox>("intake.decision");
    BOOST_REQUIRE(wait_until([&] { return focus_in(choice); }, 2s));
    k.key(choice, WXK_DOWN);  // the next radio button: 一次性告知
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return choice->GetSelection() == 1; }, 2s), "the arrow did not choose the correction");
    k.key(choice, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return d.presenter().document().has_value() && !d.view()->busy(); }, 30s),
                          "no correction notice: " << utf8(d.get<wxStaticText>("intake.message")->GetLabel()));
    const auto& doc = *d.presenter().document();
    BOOST_CHECK_EQUAL(doc.kind, "one_time_notice");
    const auto file = intake_artefacts() / "correction-notice.pdf";
    std::ofstream(file, std::ios::binary).write(doc.pdf.data(), std::streamsize(doc.pdf.size()));
    const auto text = pdf_text(file);
    // every missing material, by the start of its name (the table wraps long names), and no other row
    for (const auto& m : missing) {
        const auto head = wxString::FromUTF8(m.name).Left(4).utf8_string();
        BOOST_CHECK_MESSAGE(text.find(head) != std::string::npos, "the notice does not list " << m.name);
    }
    BOOST_CHECK(text.find(" " + std::to_string(missing.size()) + "  ") != std::string::npos);
    BOOST_CHECK(text.find(" " + std::to_string(missing.size() + 1) + "  ") == std::string::npos);
    auto second = d.demo.open_as_clerk();
    BOOST_CHECK_EQUAL(sql_text(*second, "SELECT state FROM cases WHERE id = '" + d.presenter().case_id() + "'"), "correction_requested");
    pump_for(400ms);
    wxWindow* w = d.frame;
    ShotOnExit("intake/correction-notice", &w).take();
}

// A refusal: 不予受理 needs a reason and the legal basis (Enter without them puts the focus there),
// then Enter refuses and the refusal notice names them.
BOOST_AUTO_TEST_CASE(refusal) {
    IntakeDesk d;
    KeyLog k;
    start_newborn(d, k);
    k.key(d.find("intake.doc_number"), WXK_F4);
    auto* phone = d.find("intake.phone");
    BOOST_REQUIRE(wait_until([&] { return focus_in(phone); }, 10s));
    k.key(phone, '5', wxMOD_ALT);
    BOOST_REQUIRE(d.at(app::IntakeStep::decision));
    auto* choice = d.get<wxListBox>("intake.decision");
    BOOST_REQUIRE(wait_until([&] { return focus_in(choice); }, 2s));
    k.key(choice, WXK_DOWN);
    k.key(choice, WXK_DOWN);
    BOOST_REQUIRE(wait_until([&] { return choice->GetSelection() == 2; }, 2s));
    k.key(choice, WXK_RETURN);  // no reason yet: refused by the screen, the focus to the reason
    auto* reason = d.find("intake.reason");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return focus_in(reason); }, 2s), "focus on " << focus_name());
    BOOST_CHECK(!d.presenter().is_decided());
    k.chinese_text(reason, "intake.reason", "申请事项不属于本中心受理范围");
    k.key(reason, WXK_RETURN);  // the basis is empty: the focus goes there
    auto* basis = d.find("intake.basis");
    BOOST_REQUIRE(wait_until([&] { return focus_in(basis); }, 2s));
    k.chinese_text(basis, "intake.basis", "《中华人民共和国行政许可法》第三十二条");
    k.key(basis, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return d.presenter().document().has_value() && !d.view()->busy(); }, 30s),
                          "no refusal: " << utf8(d.get<wxStaticText>("intake.message")->GetLabel()));
    const auto& doc = *d.presenter().document();
    BOOST_CHECK_EQUAL(doc.kind, "refusal_notice");
    const auto file = intake_artefacts() / "refusal-notice.pdf";
    std::ofstream(file, std::ios::binary).write(doc.pdf.data(), std::streamsize(doc.pdf.size()));
    const auto text = pdf_text(file);
    BOOST_CHECK(text.find("不属于本中心受理范围") != std::string::npos);
    BOOST_CHECK(text.find("第三十二条") != std::string::npos);
    auto second = d.demo.open_as_clerk();
    BOOST_CHECK_EQUAL(sql_text(*second, "SELECT state FROM cases WHERE id = '" + d.presenter().case_id() + "'"), "refused");
    pump_for(400ms);
    wxWindow* w = d.frame;
    ShotOnExit("intake/refusal-notice", &w).take();
}

// 不得两头受理: the same person for the same bundle a second time. The decision page names the
// first case (still open: a draft that names the applicant) and Enter on 受理 is stopped once with
// a message; the second Enter goes on to the workflow (which refuses: nothing of the form yet).
BOOST_AUTO_TEST_CASE(duplicate_warning) {
    IntakeDesk d;
    KeyLog k;
    std::string first_receipt;
    for (int round = 0; round < 2; ++round) {
        if (round == 0) start_newborn(d, k);
        else {  // F2 from the decision page: the next applicant, the same bundle
            k.key(wxWindow::FindFocus(), WXK_F2);
            auto* search = d.find("intake.search");
            BOOST_REQUIRE(wait_until([&] { return focus_in(search); }, 3s));
            k.type(search, "intake.search", "xsecs");
            k.key(search, WXK_RETURN);
            BOOST_REQUIRE(d.at(app::IntakeStep::applicant));
        }
        k.key(d.find("intake.doc_number"), WXK_F4);  // the simulated reader's first card both times
        auto* phone = d.find("intake.phone");
        BOOST_REQUIRE(wait_until([&] { return focus_in(phone); }, 10s));
        k.key(phone, '5', wxMOD_ALT);  // leaving the applicant step commits the applicant
        BOOST_REQUIRE(d.at(app::IntakeStep::decision));
        if (round == 0) {
            first_receipt = d.presenter().case_data().receipt_no;
            BOOST_CHECK(!d.find("intake.duplicate")->IsShown());
        }
    }
    auto* warning = d.get<wxStaticText>("intake.duplicate");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return warning->IsShownOnScreen(); }, 2s), "no duplicate warning on the decision page");
    BOOST_CHECK_MESSAGE(utf8(warning->GetLabel()).find(first_receipt) != std::string::npos, utf8(warning->GetLabel()));
    BOOST_CHECK_MESSAGE(utf8(warning->GetLabel()).find("两头受理") != std::string::npos || utf8(warning->GetLabel()).find("在办") != std::string::npos,
                        "not in Chinese: " << utf8(warning->GetLabel()));
    auto* choice = d.get<wxListBox>("intake.decision");
    BOOST_REQUIRE(wait_until([&] { return focus_in(choice); }, 2s));
    BOOST_REQUIRE_EQUAL(choice->GetSelection(), 0);  // 受理
    auto* message = d.get<wxStaticText>("intake.message");
    k.key(choice, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return utf8(message->GetLabel()).find("再") != std::string::npos; }, 3s),
                          "no request to decide again: " << utf8(message->GetLabel()));
    BOOST_CHECK(d.presenter().case_data().state == core::CaseState::draft);
    pump_for(300ms);
    wxWindow* w = d.frame;
    ShotOnExit("intake/duplicate-warning", &w).take();
    const std::string asked = utf8(message->GetLabel());
    BOOST_REQUIRE(wait_until([&] { return focus_in(choice); }, 2s));
    k.key(choice, WXK_RETURN);  // decided again: the workflow's own answer now
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return utf8(message->GetLabel()) != asked && !d.view()->busy(); }, 10s),
                          "the second Enter did nothing: " << utf8(message->GetLabel()));
    BOOST_CHECK(!d.presenter().is_decided());  // the form is not filled in: the workflow refused
}

// A crash mid-intake: a child process (this test program) takes an intake to the middle of the
// form and is killed (SIGKILL: no destructor, no save on the way out). The desk started again on
// the same store lists the intake under Shift+F2; Enter opens it on the form with what was typed,
// the invalid date included.
BOOST_AUTO_TEST_CASE(crash_restores_the_draft) {
    DemoStore demo(30);
    {
        auto admin = store::Store::open(demo.dir, demo.admin.name, demo.admin.password);
        app::assign_window_seal(*admin, demo.clerk.name);
    }
    // The child: this program, the hidden suite below, on this store.
    const auto self = std::filesystem::read_symlink("/proc/self/exe");
    const auto ready = demo.root / "child-ready";
    const std::string cmd = "OW_INTAKE_CRASH_STORE='" + demo.dir.string() + "' OW_INTAKE_CRASH_READY='" + ready.string() + "' '" +
                            self.string() + "' --run_test=intake_gui_crash_child --log_level=message 2>&1";
    auto [rc, out] = run(cmd);
    BOOST_REQUIRE_MESSAGE(std::filesystem::exists(ready), "the child did not reach the form: rc " << rc << "\n" << out);
    BOOST_REQUIRE_MESSAGE(out.find("child: killed mid-intake") != std::string::npos && rc != 0,
                          "the child was not killed: rc " << rc << "\n" << out);

    // A new desk on the same store: what it shows comes from the store alone.
    app::DeskServices services(Desk::config(demo));
    auto* frame = new app::MainFrame(services, app::DeskLaunch{});
    wxWindow* shot_window = frame;
    ShotOnExit shot("intake/crash-restored", &shot_window);
    struct Close {
        app::MainFrame* f;
        ShotOnExit& shot;
        ~Close() {
            shot.finish();
            f->Destroy();
            wait_until([] { return wxTopLevelWindows.empty(); }, 5s);
        }
    } close{frame, shot};
    frame->Show();
    pump_for(100ms);
    store::SecretText pw(64);
    pw.append(demo.clerk.password);
    BOOST_REQUIRE(frame->sign_in_with(demo.clerk.name, pw));
    KeyLog k;
    auto* cases_search = find_window(frame, "cases.search");
    BOOST_REQUIRE(wait_until([&] { return on_screen(cases_search); }, 5s));
    focus(cases_search);
    k.key(cases_search, WXK_F2, wxMOD_SHIFT);
    auto* drafts = widget<wxListBox>(frame, "intake.drafts");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return focus_in(drafts) && drafts->GetCount() == 1; }, 3s),
                          "Shift+F2: " << drafts->GetCount() << " drafts, focus on " << focus_name());
    k.key(drafts, WXK_RETURN);
    auto* view = frame->intake();
    BOOST_REQUIRE(wait_until([&] { return view->presenter().active() && view->presenter().step() == app::IntakeStep::form; }, 3s));
    BOOST_CHECK_EQUAL(utf8(widget<wxTextCtrl>(frame, "form.baby_name")->GetValue()), "王小宝");
    BOOST_CHECK_EQUAL(utf8(widget<wxTextCtrl>(frame, "form.birth_date")->GetValue()), "2026-11");
    BOOST_CHECK(wait_until([&] { return on_screen(find_window(frame, "form.birth_date.problem")); }, 2s));  // still wrong, still shown
    BOOST_CHECK_EQUAL(view->presenter().applicant().phone, "13800138000");
    pump_for(300ms);
}

BOOST_AUTO_TEST_SUITE_END()

// The child of crash_restores_the_draft: run only with OW_INTAKE_CRASH_STORE set. It signs in on
// that store, starts the bundle, reads the card, types a phone, the baby's name and half a date,
// writes the ready file and kills itself.
BOOST_AUTO_TEST_SUITE(intake_gui_crash_child)
BOOST_AUTO_TEST_CASE(child) {
    const char* store_dir = std::getenv("OW_INTAKE_CRASH_STORE");
    const char* ready = std::getenv("OW_INTAKE_CRASH_READY");
    if (!store_dir || !ready) return;  // not the child: nothing to do
    DemoUser clerk{"clerk", "李文静", "Clerk-pw2"};
    app::DeskConfig config;
    config.store_dir = store_dir;
    config.start_sync = false;
    app::DeskServices services(config);
    auto* frame = new app::MainFrame(services, app::DeskLaunch{});
    frame->Show();
    pump_for(100ms);
    store::SecretText pw(64);
    pw.append(clerk.password);
    BOOST_REQUIRE(frame->sign_in_with(clerk.name, pw));
    ::setenv("ONEWINDOW_SCANNER_DEVICE", "test", 1);
    KeyLog k;
    auto* cases_search = find_window(frame, "cases.search");
    BOOST_REQUIRE(wait_until([&] { return on_screen(cases_search); }, 5s));
    focus(cases_search);
    k.key(cases_search, WXK_F2);
    auto* search = find_window(frame, "intake.search");
    BOOST_REQUIRE(wait_until([&] { return focus_in(search); }, 3s));
    k.type(search, "search", "xsecs");
    k.key(search, WXK_RETURN);
    auto& p = frame->intake()->presenter();
    BOOST_REQUIRE(wait_until([&] { return p.step() == app::IntakeStep::applicant; }, 3s));
    k.key(find_window(frame, "intake.doc_number"), WXK_F4);
    auto* phone = find_window(frame, "intake.phone");
    BOOST_REQUIRE(wait_until([&] { return focus_in(phone); }, 10s));
    k.type(phone, "phone", "13800138000");
    k.key(phone, WXK_RETURN);
    k.key(find_window(frame, "intake.address"), WXK_RETURN);
    BOOST_REQUIRE(wait_until([&] { return p.step() == app::IntakeStep::form; }, 3s));
    auto* name = find_window(frame, "form.baby_name");
    BOOST_REQUIRE(wait_until([&] { return focus_in(name); }, 3s));
    k.chinese_text(name, "name", "王小宝");
    k.key(name, WXK_RETURN);
    auto* sex = find_window(frame, "form.baby_sex");
    BOOST_REQUIRE(wait_until([&] { return focus_in(sex); }, 2s));
    k.key(sex, WXK_RETURN);
    auto* date = find_window(frame, "form.birth_date");
    BOOST_REQUIRE(wait_until([&] { return focus_in(date); }, 2s));
    k.type(date, "date", "2026-11");
    pump_for(200ms);
    std::ofstream(ready) << "form\n";
    std::fprintf(stderr, "child: killed mid-intake\n");
    std::fflush(stderr);
    ::raise(SIGKILL);
}
BOOST_AUTO_TEST_SUITE_END()
