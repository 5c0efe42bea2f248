// Handing out the result (出件, Ctrl+E): a page of the desk with the 待出件 queue at the side, the
// decision (and, once handed out, the receipt) in the page viewer, and the handover: window pickup
// signed on the signature pad (Alt+S asks the pad), signed on the paper receipt, or mail (address,
// carrier, tracking number). Ctrl+Enter hands it out and makes the receipt, Ctrl+P prints it; then
// the applicant rates on their screen (ApplicantScreen::ask_rating). A thin view over
// ResultPresenter; the pad and the act run on workers.
//
// Widget names (tests): result.queue, result.title, result.viewer, result.info, result.mode,
// result.recipient, result.sign, result.signature, result.address, result.carrier,
// result.tracking, result.commit, result.print, result.rate, result.rate_device, result.message.
#pragma once

#include "common/progress.h"
#include "result/result_presenter.h"
#include "shell/desk_services.h"

#include <wx/panel.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class wxButton;
class wxComboBox;
class wxListBox;
class wxStaticBitmap;
class wxStaticText;
class wxTextCtrl;

namespace ow::app {

class ApplicantScreen;
class CaseQueueList;
class PageViewer;
struct RatingOutcome;

class ResultView : public wxPanel {
public:
    /// `applicant_screen` gives the applicant's window (made on first use by the desk).
    ResultView(wxWindow* parent, DeskServices& services, TaskRunner& tasks, std::function<ApplicantScreen*()> applicant_screen,
               std::function<void()> changed);
    ~ResultView() override;

    /// Reads the queue again and opens `case_id` (empty: keeps the open case, else the first).
    void show(const std::string& case_id = {});
    bool open_row(int row);
    /// Asks the signature pad for the recipient's signature (on a worker).
    void sign();
    /// Hands the result out with what the screen holds (Ctrl+Enter, the button).
    void issue();
    /// The print preview of the receipt (Ctrl+P on this screen).
    void print_preview();
    /// Prints the receipt to a PDF file without a dialog (tests): false when there is none.
    bool print_to_file(const std::filesystem::path& out);
    /// Asks the applicant to rate the handed-out case on their screen (or on the rating device:
    /// the screen says so; the device failing, its buttons are offered instead).
    void ask_rating(bool device = false);

    bool busy() const { return busy_ > 0; }
    ResultPresenter& presenter() { return *presenter_; }
    PageViewer* viewer() { return viewer_; }
    /// The last rating's outcome text as shown (tests).
    wxString message() const;

    void locked();
    void signed_in();
    void fonts_changed();

private:
    void refresh_queue();
    void open_case(const std::string& case_id);
    void fill_case();
    void refresh_mode();
    HandoverMode mode() const;
    void drop_signature();
    void say(const wxString& text, bool error);
    void rated(const RatingOutcome& o);
    void changed() { if (changed_) changed_(); }

    DeskServices& services_;
    TaskRunner& tasks_;
    std::function<ApplicantScreen*()> applicant_screen_;
    std::function<void()> changed_;
    std::unique_ptr<ResultPresenter> presenter_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    int busy_ = 0;
    std::optional<std::filesystem::path> signature_;     ///< the pad's PNG
    std::optional<std::filesystem::path> signature_dir_; ///< its folder, removed with it

    std::unique_ptr<CaseQueueList> queue_;
    wxStaticText* title_ = nullptr;
    PageViewer* viewer_ = nullptr;
    wxStaticText* info_ = nullptr;
    wxListBox* mode_ = nullptr;
    wxTextCtrl* recipient_ = nullptr;
    wxButton* sign_ = nullptr;
    wxStaticBitmap* signature_bitmap_ = nullptr;
    wxTextCtrl* address_ = nullptr;
    wxComboBox* carrier_ = nullptr;
    wxTextCtrl* tracking_ = nullptr;
    wxButton* commit_ = nullptr;
    wxButton* print_ = nullptr;
    wxButton* rate_ = nullptr;
    wxButton* rate_device_ = nullptr;
    wxStaticText* message_ = nullptr;
    wxWindow* form_ = nullptr;
};

}  // namespace ow::app
