// One work queue as a list at the side of a screen (审批's 待决定, 出件's 待出件): its title with the
// count, one line per case, the case ids behind the rows, and the open case's row kept selected.
// Not a widget of its own: it puts a label and a list into the parent's sizer, so the screen keeps
// its widget names (<name>.queue_label, <name>.queue) and binds its own keys on list().
//
// The list holds at most kMaxRows cases; when the queue holds more, the title says how many are
// shown of how many (a clerk works from the top: the queue's order puts the most urgent first).
#pragma once

#include "cases/cases_presenter.h"
#include "shell/desk_services.h"
#include "ow/store/queues.h"

#include <wx/string.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

class wxListBox;
class wxSizer;
class wxStaticText;
class wxWindow;

namespace ow::app {

class CaseQueueList {
public:
    static constexpr std::int64_t kMaxRows = 500;
    using Line = std::function<wxString(const CaseRow&)>;

    /// Adds the label and the list to `sizer` (the list takes the height left). `name`: the widget
    /// names' prefix ("review"); `title`: the queue's name as the label shows it ("待决定");
    /// `line`: a row's text. `opened` is called with the case id when the clerk moves to a row.
    CaseQueueList(wxWindow* parent, wxSizer* sizer, DeskServices& services, store::Queue queue, const wxString& name,
                  wxString title, Line line, std::function<void(const std::string&)> opened);
    ~CaseQueueList();

    /// Reads the queue again and selects the row of `open_case` when it is listed. A store error
    /// is logged and leaves the list empty.
    void refresh(const std::string& open_case = {});
    /// Selects the row of `case_id` (no event); nothing when it is not listed.
    void select(const std::string& case_id);

    const std::vector<std::string>& ids() const { return ids_; }
    bool contains(const std::string& case_id) const;
    /// The case id of a row; empty outside the list.
    std::string id_at(int row) const;
    /// The total the queue held at the last refresh (may exceed ids().size()).
    std::int64_t total() const { return total_; }

    wxListBox* list() const { return list_; }
    wxStaticText* label() const { return label_; }

private:
    void set_title();

    std::unique_ptr<CasesPresenter> presenter_;
    store::Queue queue_;
    wxString title_;
    Line line_;
    std::function<void(const std::string&)> opened_;
    wxStaticText* label_ = nullptr;
    wxListBox* list_ = nullptr;
    std::vector<std::string> ids_;
    std::int64_t total_ = 0;
};

}  // namespace ow::app
