// The applicant's screen: a second top-level window facing the applicant, on the second monitor
// when there is one (else beside the desk). It shows what the clerk typed, in large type, for the
// applicant to check before the case is committed ("请核对您的信息"), and, once the result is
// issued, asks for the rating (好差评: five large buttons; a bad level asks a reason from a short
// list and the applicant's words). The clerk's desk keeps the keyboard: the window never takes the
// focus, except while it asks for a rating (the applicant clicks or touches it), and gives it back
// to the desk afterwards.
#pragma once

#include "rating/rating_presenter.h"

#include <wx/frame.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

class wxStaticText;
class wxPanel;
class wxBoxSizer;
class wxTimer;

namespace ow::app {
class DeskServices;
class TaskRunner;
}

namespace ow::app {

class ApplicantScreen : public wxFrame {
public:
    /// `owner` is the desk's frame (the window closes with it).
    explicit ApplicantScreen(wxWindow* owner);
    ~ApplicantScreen() override;

    /// Shows a summary: a heading and (label, value) lines, e.g. ("事项", "新生儿出生一件事").
    void show_summary(const wxString& heading, const std::vector<std::pair<wxString, wxString>>& lines);
    /// The idle picture between applicants ("欢迎", the window's name).
    void show_welcome(const wxString& window_label);
    /// The lines on show (tests).
    const std::vector<std::pair<wxString, wxString>>& lines() const { return lines_; }

    /// Moves the window onto the second display when there is one; else beside `owner`.
    void place();

    // ---- the rating (好差评) ----
    /// How the applicant rates: on this window's buttons, or on the rating device (评价器
    /// plugin; the window asks the applicant to press a key on it, and commits its answer).
    enum class RatingWay { screen, device };
    /// Called once on the desk's thread when the rating ends: done (committed: level, follow_up),
    /// refused / invalid (the case could not be rated: not result_issued, …; refused
    /// "rating.not_saved" when the store failed), cancelled (cancel_rating, or another rating
    /// asked before). A failing rating device is not an end: the screen's buttons are offered.
    using RatingDone = std::function<void(const RatingOutcome&)>;
    /// Asks the applicant to rate the case: the page "请对本次服务进行评价" with the five levels
    /// (widgets "applicant.rate.5" … "applicant.rate.1"); a bad level shows the reasons
    /// ("applicant.reason"), a text field ("applicant.reason_text") and "applicant.rate_submit";
    /// a good level is committed at once. The act runs on a worker (services.worker_session());
    /// then a thank-you page, and the welcome page a few seconds later. A case that cannot be
    /// rated ends at once (done with invalid "rating.not_ratable", nothing shown). A rating still
    /// asked is cancelled first; while one is being saved, done comes at once with invalid
    /// "rating.busy". `services` must be signed in and outlive the rating.
    void ask_rating(DeskServices& services, const std::string& case_id, RatingDone done, RatingWay way = RatingWay::screen);
    /// True while a rating is asked (until committed, refused or cancelled).
    bool asking_rating() const;
    /// Ends the rating asked without a rating (done: cancelled); the welcome page comes back.
    /// No-op while the rating is being saved: the act's outcome ends it (done as it comes).
    void cancel_rating();
    /// The presenter of the rating being asked (tests); null when none is asked.
    RatingPresenter* rating() { return rating_.get(); }
    /// Waits for a rating act still running on its worker (the desk calls it before it locks).
    void wait_tasks();

private:
    void clear_page(const wxString& heading);
    void show_levels();
    void show_reasons();
    void show_device();
    void show_end(const wxString& heading, const wxString& line);
    void chose(int level);
    void commit();
    void finish(const RatingOutcome& outcome);
    void say(const wxString& text);
    void give_focus_back();

    wxWindow* owner_;
    wxPanel* panel_ = nullptr;
    wxStaticText* heading_ = nullptr;
    wxBoxSizer* body_ = nullptr;
    std::vector<std::pair<wxString, wxString>> lines_;
    std::unique_ptr<RatingPresenter> rating_;
    RatingDone rating_done_;
    DeskServices* services_ = nullptr;  ///< the rating's (set while one is asked)
    wxString welcome_label_;            ///< the window's label, read when the rating was asked
    wxStaticText* message_ = nullptr;   ///< the rating pages' message line ("applicant.rate_message")
    bool committing_ = false;           ///< the act runs on its worker: clicks wait
    bool reading_device_ = false;       ///< the rating device is asked (on the worker)
    wxTimer* back_timer_ = nullptr;     ///< the thank-you page → the welcome page
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    std::unique_ptr<TaskRunner> tasks_;
};

}  // namespace ow::app
