// The applicant's screen: a second top-level window facing the applicant, on the second monitor
// when there is one (else beside the desk). It shows what the clerk typed, in large type, for the
// applicant to check before the case is committed ("请核对您的信息"). The clerk's desk keeps the
// keyboard: the window never takes the focus. (The rating screen of issue 18 grows here.)
#pragma once

#include <wx/frame.h>

#include <string>
#include <utility>
#include <vector>

class wxStaticText;
class wxPanel;
class wxBoxSizer;

namespace ow::app {

class ApplicantScreen : public wxFrame {
public:
    /// `owner` is the desk's frame (the window closes with it).
    explicit ApplicantScreen(wxWindow* owner);

    /// Shows a summary: a heading and (label, value) lines, e.g. ("事项", "新生儿出生一件事").
    void show_summary(const wxString& heading, const std::vector<std::pair<wxString, wxString>>& lines);
    /// The idle picture between applicants ("欢迎", the window's name).
    void show_welcome(const wxString& window_label);
    /// The lines on show (tests).
    const std::vector<std::pair<wxString, wxString>>& lines() const { return lines_; }

    /// Moves the window onto the second display when there is one; else beside `owner`.
    void place();

private:
    wxWindow* owner_;
    wxPanel* panel_ = nullptr;
    wxStaticText* heading_ = nullptr;
    wxBoxSizer* body_ = nullptr;
    std::vector<std::pair<wxString, wxString>> lines_;
};

}  // namespace ow::app
