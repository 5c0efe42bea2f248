// The chief representative's screen (审批, Ctrl+D): a page of the desk with the 待决定 queue at the
// side, the open case's materials and notices in the page viewer, the form as answered with the
// desk's checks and the countersign parts beside it, and the decision bar below: 准予 / 不予 /
// 退回补正 / 上报 as a short list (Up / Down), the opinion with common phrases (Enter on a phrase
// adds it), the legal basis, acting for post A (post B only, explicit), the seal and its PIN, then
// Enter in the PIN (or Ctrl+Enter anywhere) decides. A thin view over ReviewPresenter; the decision
// is rendered and sealed on a worker (TaskRunner), the desk keeps drawing.
//
// Widget names (tests): review.queue, review.title, review.viewer (PageViewer), review.checks,
// review.parts, review.data, review.verdict, review.opinion, review.phrases, review.basis,
// review.part, review.correct, review.correct_note, review.escalate_to, review.acting_for, review.seal, review.pin,
// review.commit, review.message.
#pragma once

#include "common/progress.h"
#include "review/review_presenter.h"
#include "shell/desk_services.h"

#include <wx/panel.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

class wxButton;
class wxCheckListBox;
class wxChoice;
class wxListBox;
class wxListCtrl;
class wxStaticText;
class wxTextCtrl;

namespace ow::app {

class CaseQueueList;
class PageViewer;

class ReviewView : public wxPanel {
public:
    /// `changed` is called when the desk's state may have changed (the actions' enabled state, the
    /// queues' counts).
    ReviewView(wxWindow* parent, DeskServices& services, TaskRunner& tasks, std::function<void()> changed);
    ~ReviewView() override;

    /// Reads the queue again and opens `case_id` (empty: keeps the open case, else the first).
    void show(const std::string& case_id = {});
    /// Opens a case of the queue by its row (tests, keys).
    bool open_row(int row);
    /// Decides with what the decision bar holds (Ctrl+Enter, Enter in the PIN, the button).
    void decide();
    bool busy() const { return busy_ > 0; }
    ReviewPresenter& presenter() { return *presenter_; }
    PageViewer* viewer() { return viewer_; }

    void locked();
    void signed_in();
    void fonts_changed();

private:
    void refresh_queue();
    void open_case(const std::string& case_id);
    void fill_case();
    void refresh_bar();   ///< what the chosen verdict needs (part, materials, escalation, seal + PIN)
    void add_phrase();
    workflow::Verdict verdict() const;
    void say(const wxString& text, bool error);
    void changed() { if (changed_) changed_(); }

    DeskServices& services_;
    TaskRunner& tasks_;
    std::function<void()> changed_;
    std::unique_ptr<ReviewPresenter> presenter_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    int busy_ = 0;
    std::vector<AbsentChief> absent_;
    std::vector<std::string> parts_;   ///< the part choice's item codes
    std::vector<std::string> correct_codes_;

    std::unique_ptr<CaseQueueList> queue_;
    wxStaticText* title_ = nullptr;
    PageViewer* viewer_ = nullptr;
    wxStaticText* checks_ = nullptr;
    wxStaticText* parts_label_ = nullptr;
    wxListCtrl* data_ = nullptr;
    wxListBox* verdict_ = nullptr;
    wxTextCtrl* opinion_ = nullptr;
    wxListBox* phrases_ = nullptr;
    wxTextCtrl* basis_ = nullptr;
    wxChoice* part_ = nullptr;
    wxCheckListBox* correct_ = nullptr;
    wxTextCtrl* correct_note_ = nullptr;
    wxTextCtrl* escalate_to_ = nullptr;
    wxChoice* acting_for_ = nullptr;
    wxStaticText* seal_ = nullptr;
    wxTextCtrl* pin_ = nullptr;
    wxButton* commit_ = nullptr;
    wxStaticText* message_ = nullptr;
    wxWindow* bar_ = nullptr;
};

}  // namespace ow::app
