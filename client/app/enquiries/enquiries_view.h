// The 咨询投诉 page (F11): enquiries, complaints and suggestions (首问负责) — the list (open ones by
// due date; overdue in red), a form to record a new one (answered on the spot when the answer is
// typed: 一口清), and for the selected one: reply, hand over to a colleague with a note, or turn it
// into an intake (the intake screen opens with the new draft). A thin view over EnquiriesPresenter.
//
// Widget names (tests): enquiries.title, enquiries.all, enquiries.mine, enquiries.list,
// enquiries.kind, enquiries.channel, enquiries.name, enquiries.phone, enquiries.item,
// enquiries.subject, enquiries.answer, enquiries.record, enquiries.detail, enquiries.reply_text,
// enquiries.reply, enquiries.colleague, enquiries.note, enquiries.hand_over, enquiries.to_case,
// enquiries.message.
#pragma once

#include "enquiries/enquiries_presenter.h"
#include "shell/desk_services.h"

#include <wx/panel.h>

#include <functional>
#include <memory>
#include <string>

class wxButton;
class wxCheckBox;
class wxChoice;
class wxListCtrl;
class wxStaticText;
class wxTextCtrl;

namespace ow::app {

class EnquiriesView : public wxPanel {
public:
    /// `intake(case_id)` opens the intake screen with the draft an enquiry became; `changed()`
    /// tells the shell that the desk's state may have changed.
    EnquiriesView(wxWindow* parent, DeskServices& services, std::function<void(const std::string&)> intake,
                  std::function<void()> changed);
    ~EnquiriesView() override;

    /// Reads the list again and puts the focus on the new enquiry's subject.
    void show();
    void record();
    void reply();
    void hand_over();
    void to_case();
    void locked();
    void signed_in();
    void fonts_changed();
    EnquiriesPresenter* presenter() { return presenter_.get(); }

private:
    void fill();
    void fill_choices();
    void show_selected();
    const EnquiryRow* selected_row() const;
    void say(const wxString& text, bool error);
    void refused(const EnquiryOutcome& o, const char* what);

    DeskServices& services_;
    std::function<void(const std::string&)> intake_;
    std::function<void()> changed_;
    std::unique_ptr<EnquiriesPresenter> presenter_;
    std::vector<std::string> item_codes_;   ///< the item choice's codes ("" first: none)
    std::vector<std::string> colleagues_;   ///< the colleague choice's user names
    wxStaticText* title_ = nullptr;
    wxCheckBox* all_ = nullptr;
    wxCheckBox* mine_ = nullptr;
    wxListCtrl* list_ = nullptr;
    wxChoice* kind_ = nullptr;
    wxChoice* channel_ = nullptr;
    wxTextCtrl* name_ = nullptr;
    wxTextCtrl* phone_ = nullptr;
    wxChoice* item_ = nullptr;
    wxTextCtrl* subject_ = nullptr;
    wxTextCtrl* answer_ = nullptr;
    wxButton* record_ = nullptr;
    wxTextCtrl* detail_ = nullptr;
    wxTextCtrl* reply_text_ = nullptr;
    wxButton* reply_ = nullptr;
    wxChoice* colleague_ = nullptr;
    wxTextCtrl* note_ = nullptr;
    wxButton* hand_over_ = nullptr;
    wxButton* to_case_ = nullptr;
    wxStaticText* message_ = nullptr;
};

}  // namespace ow::app
