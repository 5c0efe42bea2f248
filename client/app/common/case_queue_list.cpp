#include "common/case_queue_list.h"

#include "common/quiet_list_box.h"

#include <wx/log.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/window.h>

#include <algorithm>

namespace ow::app {

CaseQueueList::CaseQueueList(wxWindow* parent, wxSizer* sizer, DeskServices& services, store::Queue queue, const wxString& name,
                             wxString title, Line line, std::function<void(const std::string&)> opened)
    : presenter_(std::make_unique<CasesPresenter>(services)), queue_(queue), title_(std::move(title)), line_(std::move(line)),
      opened_(std::move(opened)) {
    label_ = new wxStaticText(parent, wxID_ANY, title_, wxDefaultPosition, wxDefaultSize, 0, name + ".queue_label");
    sizer->Add(label_, 0, wxALL, 4);
    list_ = new QuietListBox(parent, wxSize(parent->FromDIP(230), -1), name + ".queue");
    sizer->Add(list_, 1, wxEXPAND | wxALL, 4);
    list_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent& e) {
        const auto id = id_at(e.GetSelection());
        if (!id.empty() && opened_) opened_(id);
    });
}

CaseQueueList::~CaseQueueList() = default;

void CaseQueueList::refresh(const std::string& open_case) {
    ids_.clear();
    total_ = 0;
    wxArrayString lines;
    try {
        presenter_->select_queue(queue_);
        total_ = presenter_->row_count();
        const auto n = std::min(total_, kMaxRows);
        for (std::int64_t i = 0; i < n; ++i) {
            const auto& r = presenter_->row(i);
            if (r.case_id.empty()) continue;  // gone since the count was read
            ids_.push_back(r.case_id);
            lines.Add(line_(r));
        }
    } catch (const std::exception& e) {
        wxLogError("%s: %s", list_->GetName(), e.what());
        ids_.clear();
        lines.clear();
        total_ = 0;
    }
    list_->Set(lines);
    set_title();
    select(open_case);
}

void CaseQueueList::set_title() {
    const auto shown = ids_.size();
    if (total_ > std::int64_t(shown))
        label_->SetLabel(wxString::Format(_("%s (first %zu of %lld)"), title_, shown, static_cast<long long>(total_)));
    else
        label_->SetLabel(wxString::Format(_("%s (%zu)"), title_, shown));
}

void CaseQueueList::select(const std::string& case_id) {
    if (case_id.empty()) return;
    const auto it = std::find(ids_.begin(), ids_.end(), case_id);
    if (it == ids_.end()) return;
    const int row = int(it - ids_.begin());
    if (list_->GetSelection() != row) list_->SetSelection(row);  // SetSelection sends no event
}

bool CaseQueueList::contains(const std::string& case_id) const {
    return std::find(ids_.begin(), ids_.end(), case_id) != ids_.end();
}

std::string CaseQueueList::id_at(int row) const {
    return row >= 0 && std::size_t(row) < ids_.size() ? ids_[std::size_t(row)] : std::string();
}

}  // namespace ow::app
