// The 网上申报 page (Ctrl+Shift+O): the online inbox — submitted at, applicant (ID number and phone
// masked), item, channel, uploads — oldest first, and one act: 预审 (Enter on a row, or the
// button) takes the application into a draft case and goes on in the case list with it selected
// (接件 Ctrl+Shift+I, 原件核验 Ctrl+Shift+V, the one-time notice online or acceptance follow there).
// A thin view over OnlinePresenter.
//
// Widget names (tests): online.title, online.list, online.take, online.message.
#pragma once

#include "online/online_presenter.h"
#include "shell/desk_services.h"

#include <wx/panel.h>

#include <functional>
#include <memory>
#include <string>

class wxButton;
class wxListCtrl;
class wxStaticText;

namespace ow::app {

class OnlineView : public wxPanel {
public:
    /// `open_case(case_id)` shows the new draft in the case list; `changed()` tells the shell that
    /// the desk's state may have changed.
    OnlineView(wxWindow* parent, DeskServices& services, std::function<void(const std::string&)> open_case, std::function<void()> changed);
    ~OnlineView() override;

    /// Reads the inbox again and focuses the list (the first row selected).
    void show();
    /// Takes the selected application for 预审 (Enter, the button).
    void take();
    void locked();
    void signed_in();
    void fonts_changed();
    OnlinePresenter* presenter() { return presenter_.get(); }

private:
    void fill();
    long selected() const;
    void say(const wxString& text, bool error);

    DeskServices& services_;
    std::function<void(const std::string&)> open_case_;
    std::function<void()> changed_;
    std::unique_ptr<OnlinePresenter> presenter_;
    wxStaticText* title_ = nullptr;
    wxListCtrl* list_ = nullptr;
    wxButton* take_ = nullptr;
    wxStaticText* message_ = nullptr;
};

}  // namespace ow::app
