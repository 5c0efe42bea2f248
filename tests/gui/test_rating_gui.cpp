// The applicant's rating (issue 18, "result"): a case whose result was issued (seeded through the
// workflow by the demo store), the rating asked on the applicant's screen and clicked there with
// the mouse (XTest) as the applicant does; a good rating committed; a bad one refused without a
// reason, then given with a reason and words, which puts the case in the follow-ups queue (Ctrl+8),
// where the clerk closes it with a note (Ctrl+Shift+F, Enter) and it leaves the queue; the rating
// device (rating-sim) as the other way in. Screenshots of the applicant's window under
// test-artefacts/gui/result/.
#include "desk_fixture.h"
#include "gui_harness.h"

#include "rating/rating_presenter.h"
#include "shell/applicant_screen.h"
#include "shell/screenshot.h"

#include "ow/store/store.h"

#include <boost/test/unit_test.hpp>

#include <wx/button.h>
#include <wx/listbox.h>
#include <wx/listctrl.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/uiaction.h>

#include <optional>

#include <unistd.h>

using namespace ow;
using namespace ow::guitest;
using namespace std::chrono_literals;

namespace {

std::filesystem::path result_artefacts() {
    auto d = artefacts_dir() / "result";
    std::filesystem::create_directories(d);
    return d;
}

/// A left click in the middle of `w` with XTest (the applicant's mouse or finger).
void click(wxWindow* w) {
    BOOST_REQUIRE_MESSAGE(on_screen(w), "widget " << utf8(w->GetName()) << " is not on screen");
    const wxRect r = w->GetScreenRect();
    wxUIActionSimulator sim;
    sim.MouseMove(r.x + r.width / 2, r.y + r.height / 2);
    pump_for(50ms);
    sim.MouseClick();
    pump_for(100ms);
}

/// Writes the window's image to test-artefacts/gui/result/<name>.png (after a repaint).
void shot(wxWindow* w, const std::string& name) {
    pump_for(300ms);
    std::string error;
    const auto path = result_artefacts() / (name + ".png");
    BOOST_CHECK_MESSAGE(app::capture_window_png(w, path.string(), error), "screenshot " << name << ": " << error);
}

/// The desk signed in as the clerk, with an applicant's screen of its own over the frame.
struct RatingDesk : Desk {
    app::ApplicantScreen* screen = nullptr;
    std::unique_ptr<store::Store> second;
    std::optional<app::RatingOutcome> outcome;

    RatingDesk() : Desk(60) {
        unlock(demo.clerk);
        second = demo.open_as_clerk();
        screen = new app::ApplicantScreen(frame);
        screen->place();
    }

    /// A case whose result was issued (the demo seed takes some that far through the acts).
    std::string issued_case(int n = 0) {
        auto id = second->db().query_text("SELECT id FROM cases WHERE state = 'result_issued' ORDER BY id LIMIT 1 OFFSET " +
                                          std::to_string(n));
        BOOST_REQUIRE_MESSAGE(id, "the demo store has no case with its result issued");
        return *id;
    }
    std::string state_of(const std::string& id) {
        return second->db().query_text("SELECT state FROM cases WHERE id = '" + id + "'").value_or("");
    }
    std::string heading() { return utf8(widget<wxStaticText>(screen, "applicant.heading")->GetLabel()); }

    void ask(const std::string& id, app::ApplicantScreen::RatingWay way = app::ApplicantScreen::RatingWay::screen) {
        outcome.reset();
        screen->ask_rating(services, id, [this](const app::RatingOutcome& o) { outcome = o; }, way);
    }
    app::RatingOutcome wait_outcome() {
        BOOST_REQUIRE_MESSAGE(wait_until([&] { return outcome.has_value(); }, 10s), "the rating did not end");
        return *outcome;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(rating_gui)

// A good rating: the page with its five large buttons, 满意 clicked, committed (GB/T 39046 level 2,
// a `rate` change queued for the platform), the thank-you page, the focus back on the desk, then
// the welcome page.
BOOST_AUTO_TEST_CASE(result_rating_good) {
    RatingDesk d;
    const std::string id = d.issued_case();
    // A case not issued yet is not rated: the end comes at once, nothing asked.
    const auto accepted = d.second->db().query_text("SELECT id FROM cases WHERE state = 'accepted' LIMIT 1");
    BOOST_REQUIRE(accepted);
    d.ask(*accepted);
    BOOST_REQUIRE(d.outcome);
    BOOST_CHECK_EQUAL(d.outcome->code, "rating.not_ratable");
    BOOST_CHECK(!d.screen->asking_rating());
    // Asked, then cancelled (the clerk's side): nothing committed, the welcome page back.
    d.ask(id);
    BOOST_REQUIRE(wait_until([&] { return on_screen(wait_for_window(d.screen, "applicant.rate.4", 0ms)); }, 3s));
    d.screen->cancel_rating();
    BOOST_REQUIRE(d.outcome);
    BOOST_CHECK(d.outcome->kind == app::RatingOutcome::Kind::cancelled);
    BOOST_CHECK_EQUAL(d.state_of(id), "result_issued");
    BOOST_CHECK(d.heading().find("欢迎") != std::string::npos);

    d.ask(id);
    BOOST_REQUIRE(wait_until([&] { return on_screen(wait_for_window(d.screen, "applicant.rate.4", 0ms)); }, 3s));
    BOOST_CHECK(d.screen->asking_rating());
    BOOST_CHECK_EQUAL(d.heading(), "请对本次服务进行评价");
    const char* labels[] = {"", "非常不满意", "不满意", "基本满意", "满意", "非常满意"};
    int widest = 0, lowest = 1 << 30;
    for (int level = 5; level >= 1; --level) {
        auto* b = widget<wxButton>(d.screen, "applicant.rate." + std::to_string(level));
        BOOST_CHECK_EQUAL(utf8(b->GetLabel()), labels[level]);
        widest = std::max(widest, b->GetSize().x);
        lowest = std::min(lowest, b->GetSize().y);
    }
    BOOST_TEST_MESSAGE("rating buttons: height " << lowest << " px, screen " << d.screen->GetSize().x << "x" << d.screen->GetSize().y);
    BOOST_CHECK_MESSAGE(lowest >= 100, "the rating buttons are not large (" << lowest << " px high)");
    shot(d.screen, "rating-page");

    click(widget<wxButton>(d.screen, "applicant.rate.4"));
    const auto o = d.wait_outcome();
    BOOST_REQUIRE_MESSAGE(o.ok(), o.code << ": " << o.message);
    BOOST_CHECK_EQUAL(o.level, 4);
    BOOST_CHECK(!o.follow_up);
    BOOST_CHECK_EQUAL(d.state_of(id), "rated");
    BOOST_CHECK_EQUAL(d.second->db().query_int("SELECT level FROM ratings WHERE case_id = '" + id + "'"), 2);
    BOOST_CHECK_EQUAL(d.second->db().query_int("SELECT count(*) FROM outbox WHERE kind = 'rate' AND case_id = '" + id + "'"), 1);
    BOOST_CHECK_EQUAL(d.heading(), "谢谢您的评价");
    BOOST_CHECK(!d.screen->asking_rating());
    // The applicant's window gave the focus back to the desk.
    BOOST_CHECK_MESSAGE(wait_until([&] {
                            wxWindow* f = wxWindow::FindFocus();
                            return f && wxGetTopLevelParent(f) == d.frame;
                        }, 3s),
                        "the focus did not come back to the desk");
    // Without a window manager (Xvfb, one screen) the desk raised to take the focus back covers the
    // applicant's window (a window manager keeps it above its parent; on a second monitor nothing
    // covers it): raised again for its picture.
    d.screen->Raise();
    shot(d.screen, "thank-you");
    // A few seconds later, the welcome page.
    BOOST_CHECK_MESSAGE(wait_until([&] { return d.heading().find("欢迎") != std::string::npos; }, 8s),
                        "no welcome page after the thanks: \"" << d.heading() << "\"");
}

// A bad rating: 不满意 asks the reason; submitting without one is refused on the screen and commits
// nothing; with a reason and the applicant's words it commits and opens a follow-up; the clerk finds
// the case in the follow-ups queue (Ctrl+8) and closes it with a note (Ctrl+Shift+F, Enter).
BOOST_AUTO_TEST_CASE(result_rating_bad_follow_up) {
    RatingDesk d;
    const std::string id = d.issued_case();
    const std::string receipt = d.second->db().query_text("SELECT receipt_no FROM cases WHERE id = '" + id + "'").value_or("");
    d.ask(id);
    BOOST_REQUIRE(wait_until([&] { return on_screen(wait_for_window(d.screen, "applicant.rate.2", 0ms)); }, 3s));
    click(widget<wxButton>(d.screen, "applicant.rate.2"));
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(wait_for_window(d.screen, "applicant.reason", 0ms)); }, 3s),
                          "不满意 did not ask the reason");
    auto* reasons = widget<wxListBox>(d.screen, "applicant.reason");
    BOOST_CHECK_EQUAL(reasons->GetCount(), app::rating_reasons().size());
    auto* submit = widget<wxButton>(d.screen, "applicant.rate_submit");
    click(submit);  // no reason yet
    auto* message = widget<wxStaticText>(d.screen, "applicant.rate_message");
    BOOST_CHECK(wait_until([&] { return !message->GetLabel().empty(); }, 2s));
    BOOST_TEST_MESSAGE("without a reason: " << utf8(message->GetLabel()));
    pump_for(300ms);
    BOOST_CHECK(!d.outcome);
    BOOST_CHECK_EQUAL(d.state_of(id), "result_issued");

    // The reason clicked in the list (the second row: 工作人员态度), the words inserted as an input
    // method commits them (synthesized: no Chinese keys under Xvfb).
    const wxRect r = reasons->GetScreenRect();
    wxUIActionSimulator sim;
    const int row_height = std::max(20, reasons->GetCharHeight() + 10);
    sim.MouseMove(r.x + r.width / 3, r.y + row_height + row_height / 2);
    pump_for(50ms);
    sim.MouseClick();
    if (!wait_until([&] { return reasons->GetSelection() != wxNOT_FOUND; }, 1s)) {
        // A list row's height is the theme's: when the click missed, select as a touch would.
        reasons->SetSelection(1);
        wxCommandEvent ev(wxEVT_LISTBOX, reasons->GetId());
        ev.SetEventObject(reasons);
        ev.SetInt(1);
        reasons->GetEventHandler()->ProcessEvent(ev);
    }
    const int chosen = reasons->GetSelection();
    BOOST_REQUIRE(chosen != wxNOT_FOUND);
    const std::string reason = app::rating_reasons()[std::size_t(chosen)].code;
    BOOST_REQUIRE(d.screen->rating());
    BOOST_CHECK_EQUAL(d.screen->rating()->reason(), reason);
    auto* words = widget<wxTextCtrl>(d.screen, "applicant.reason_text");
    words->SetFocus();
    words->WriteText(wxString::FromUTF8("材料清单前后说法不一，跑了两次"));
    shot(d.screen, "reason-page");
    click(submit);
    const auto o = d.wait_outcome();
    BOOST_REQUIRE_MESSAGE(o.ok(), o.code << ": " << o.message);
    BOOST_CHECK(o.follow_up);
    BOOST_CHECK_EQUAL(d.state_of(id), "rated");
    BOOST_CHECK_EQUAL(d.second->db().query_text("SELECT reason FROM ratings WHERE case_id = '" + id + "'").value_or(""), reason);
    BOOST_CHECK_EQUAL(d.second->db().query_text("SELECT comment FROM ratings WHERE case_id = '" + id + "'").value_or(""),
                      "材料清单前后说法不一，跑了两次");
    d.screen->Raise();  // over the desk that took the focus back (no window manager: see result_rating_good)
    shot(d.screen, "thank-you-bad");

    // The desk: Ctrl+8 lists the follow-ups; the case is there.
    auto* queues = d.get<wxListBox>("cases.queues");
    auto* list = d.get<wxListCtrl>("cases.list");
    // (The rating came from the applicant's window: Ctrl+R reads the queues' counts again.)
    xtest_key(list, 'R', wxMOD_CONTROL);
    xtest_key(list, '8', wxMOD_CONTROL);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return queues->GetSelection() == 7; }, 3s), "Ctrl+8 did not select the follow-ups queue");
    BOOST_CHECK_MESSAGE(wait_until([&] { return label_count(queues->GetString(7)) == list->GetItemCount(); }, 3s),
                        "the follow-ups label \"" << utf8(queues->GetString(7)) << "\" does not count the rows");
    auto row_of = [&] {
        for (long i = 0; i < list->GetItemCount(); ++i)
            if (utf8(list->GetItemText(i, 0)) == receipt) return i;
        return -1L;
    };
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return row_of() >= 0; }, 3s), "the badly rated case " << receipt << " is not in the follow-ups");
    const long before = list->GetItemCount();
    BOOST_REQUIRE(d.frame->open_case_row(row_of()));
    auto* close = d.get<wxButton>("action.case.close_follow_up");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return close->IsEnabled(); }, 3s), "关闭回访 is not offered on the case");
    auto* summary = d.get<wxTextCtrl>("case.summary");
    BOOST_CHECK_MESSAGE(summary->GetValue().Contains(wxString::FromUTF8("不满意")), "the summary does not show the rating");

    // Ctrl+Shift+F: the note line, focused; the note; Enter closes.
    xtest_key(list, 'F', wxMOD_CONTROL | wxMOD_SHIFT);
    auto* note = d.get<wxTextCtrl>("case.follow_up_note");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(note) && wxWindow::FindFocus() == note; }, 3s),
                          "Ctrl+Shift+F did not open the note line");
    note->WriteText(wxString::FromUTF8("已电话回访，致歉并一次性告知材料清单"));
    shot(d.frame, "follow-up-note");
    xtest_key(note, WXK_RETURN);
    const auto follow_up = [&] {
        return d.second->db().query_text("SELECT follow_up_state FROM ratings WHERE case_id = '" + id + "'").value_or("");
    };
    auto* case_message = d.get<wxStaticText>("case.message");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return follow_up() == "done"; }, 10s),
                          "the follow-up was not closed: " << follow_up() << ", message \"" << utf8(case_message->GetLabel()) << "\"");
    BOOST_CHECK_EQUAL(d.second->db().query_text("SELECT follow_up_note FROM ratings WHERE case_id = '" + id + "'").value_or(""),
                      "已电话回访，致歉并一次性告知材料清单");
    BOOST_CHECK(wait_until([&] { return row_of() < 0 && list->GetItemCount() == before - 1; }, 3s));
    BOOST_CHECK(wait_until([&] { return label_count(queues->GetString(7)) == before - 1; }, 3s));
    BOOST_CHECK(wait_until([&] { return !close->IsEnabled(); }, 2s));
    BOOST_CHECK(!on_screen(note));
    pump_for(300ms);
}

// The rating device (rating-sim, GB/T 39046 scale): the screen says to press a key on it; its
// answer is converted and committed without a click.
BOOST_AUTO_TEST_CASE(result_rating_device) {
    RatingDesk d;
    const std::string id = d.issued_case(1);
    d.ask(id, app::ApplicantScreen::RatingWay::device);
    const auto o = d.wait_outcome();
    BOOST_REQUIRE_MESSAGE(o.ok(), o.code << ": " << o.message);
    BOOST_CHECK_GE(o.level, 1);
    BOOST_CHECK_EQUAL(d.state_of(id), "rated");
    // Stored on GB/T 39046's scale: 6 − the national level the screen reported.
    BOOST_CHECK_EQUAL(d.second->db().query_int("SELECT level FROM ratings WHERE case_id = '" + id + "'"), 6 - o.level);
    BOOST_CHECK_EQUAL(d.second->db().query_text("SELECT channel FROM ratings WHERE case_id = '" + id + "'").value_or(""), "window_device");
}

// No rating device on this desk (an empty plugin path): the screen's buttons are offered instead,
// and a click commits.
BOOST_AUTO_TEST_CASE(result_rating_device_missing) {
    const auto empty = std::filesystem::temp_directory_path() / ("ow-no-plugins-" + std::to_string(::getpid()));
    std::filesystem::create_directories(empty);
    ::setenv("ONEWINDOW_PLUGIN_PATH", empty.c_str(), 1);
    RatingDesk d;
    const std::string id = d.issued_case();
    d.ask(id, app::ApplicantScreen::RatingWay::device);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(wait_for_window(d.screen, "applicant.rate.5", 0ms)); }, 5s),
                          "without a rating device the screen's buttons were not offered");
    BOOST_CHECK(!d.outcome);  // not an end: the applicant rates on the screen
    click(widget<wxButton>(d.screen, "applicant.rate.5"));
    const auto o = d.wait_outcome();
    BOOST_REQUIRE_MESSAGE(o.ok(), o.code << ": " << o.message);
    BOOST_CHECK_EQUAL(d.second->db().query_int("SELECT level FROM ratings WHERE case_id = '" + id + "'"), 1);
    ::unsetenv("ONEWINDOW_PLUGIN_PATH");
    std::filesystem::remove_all(empty);
}

BOOST_AUTO_TEST_SUITE_END()
