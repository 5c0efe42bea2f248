// The centre's figures page (中心统计, Ctrl+Shift+M; administrators and chief representatives): one
// month's figures (ow/workflow/report.h) as a table — the total, then one row per window, clerk or
// department — and a bar chart of one figure per group, drawn with wxDC. The month moves back and
// forth with the two buttons (Alt+← / Alt+→ … the buttons' mnemonics). A thin view over
// ReportPresenter: it reads the store only through it.
//
// Widget names (tests): report.title, report.previous, report.next, report.grouping, report.measure,
// report.table, report.chart, report.message.
#pragma once

#include "report/report_presenter.h"
#include "shell/desk_services.h"

#include <wx/panel.h>

#include <memory>

class wxButton;
class wxChoice;
class wxListCtrl;
class wxStaticText;

namespace ow::app {

class ReportChart;

class ReportView : public wxPanel {
public:
    ReportView(wxWindow* parent, DeskServices& services);
    ~ReportView() override;

    /// Reads the month's figures again and focuses the table.
    void show();
    void previous_month();
    void next_month();
    /// Groups the table and the chart by window, clerk or department (as the choice does).
    void set_grouping(ReportGrouping g);
    /// Charts this figure (as the choice does).
    void set_measure(ReportMeasure m);
    void fonts_changed();
    ReportPresenter& presenter() { return *presenter_; }

private:
    void fill();
    void size_title();
    void say(const wxString& text, bool error);

    std::unique_ptr<ReportPresenter> presenter_;
    wxStaticText* title_ = nullptr;
    wxButton* previous_ = nullptr;
    wxButton* next_ = nullptr;
    wxChoice* grouping_ = nullptr;
    wxChoice* measure_ = nullptr;
    wxListCtrl* table_ = nullptr;
    ReportChart* chart_ = nullptr;
    wxStaticText* message_ = nullptr;
};

/// What a group's empty key stands for, per grouping: 未知窗口, 未知人员, 多部门.
wxString report_key_label(ReportGrouping g, const std::string& key);
/// The name of a figure (the chart's choice and the table's header).
wxString report_measure_label(ReportMeasure m);

}  // namespace ow::app
