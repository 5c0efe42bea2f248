#include "report/report_view.h"

#include "common/labels.h"
#include "common/remeasure.h"

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/dcbuffer.h>
#include <wx/listctrl.h>
#include <wx/scrolwin.h>
#include <wx/log.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include <algorithm>

namespace ow::app {

wxString report_key_label(ReportGrouping g, const std::string& key) {
    if (!key.empty()) return u8(key);
    switch (g) {
        case ReportGrouping::window: return _("(unknown window)");
        case ReportGrouping::clerk: return _("(unknown clerk)");
        case ReportGrouping::department: return _("(several departments)");
    }
    return wxString();
}

wxString report_measure_label(ReportMeasure m) {
    switch (m) {
        case ReportMeasure::received: return _("Cases received");
        case ReportMeasure::done: return _("Cases done");
        case ReportMeasure::on_the_spot_rate: return _("Done on the spot");
        case ReportMeasure::one_visit_rate: return _("One visit");
        case ReportMeasure::on_time_rate: return _("On time");
        case ReportMeasure::overdue: return _("Overdue cases");
        case ReportMeasure::satisfaction_rate: return _("Satisfaction");
        case ReportMeasure::bad_ratings: return _("Bad ratings");
        case ReportMeasure::e_licence_rate: return _("E-licences");
        case ReportMeasure::e_seal_rate: return _("E-seals");
    }
    return wxString();
}

/// Horizontal bars, one per group: the group's name, the bar, its value. Painted from the
/// presenter's bars (nothing of its own).
class ReportChart : public wxScrolledCanvas {
public:
    ReportChart(wxWindow* parent, const ReportPresenter& presenter)
        : wxScrolledCanvas(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxFULL_REPAINT_ON_RESIZE | wxVSCROLL, "report.chart"),
          presenter_(presenter) {
        SetBackgroundStyle(wxBG_STYLE_PAINT);
        Bind(wxEVT_PAINT, [this](wxPaintEvent&) { paint(); });
        Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
            fit();
            e.Skip();
        });
    }
    /// A few rows at least; the bars share the height the page gives (the table keeps its half) and
    /// scroll when they need more (many groups, the large font).
    void fit() {
        const int line = GetCharHeight();
        SetMinSize(wxSize(-1, 6 * line));
        SetScrollRate(0, line);
        SetVirtualSize(wxSize(-1, (int(presenter_.bars().size()) + 1) * line + FromDIP(8)));
        Refresh();
    }

private:
    void paint() {
        wxAutoBufferedPaintDC dc(this);
        DoPrepareDC(dc);
        dc.SetBackground(wxBrush(wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOW)));
        dc.Clear();
        dc.SetFont(GetFont());
        dc.SetTextForeground(wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOWTEXT));
        const auto bars = presenter_.bars();
        const int line = GetCharHeight(), pad = FromDIP(8);
        const wxSize size = GetClientSize();
        // One and a half lines a bar, closer when many groups share the height (never below a line).
        const int row = std::max(line, std::min(line * 3 / 2, (size.y - pad) / (int(bars.size()) + 1)));
        // TRANSLATORS: the chart's title: a figure (收件量 …) by window, clerk or department.
        dc.DrawText(wxString::Format(_("%s per %s"), report_measure_label(presenter_.measure()), grouping_name()), pad, pad / 2);
        if (bars.empty()) {
            dc.DrawText(_("Nothing to show for this month."), pad, pad / 2 + row);
            return;
        }
        int label_w = 0, value_w = dc.GetTextExtent("100.0%").x;
        for (const auto& b : bars) {
            label_w = std::max(label_w, dc.GetTextExtent(report_key_label(presenter_.grouping(), b.key)).x);
            value_w = std::max(value_w, dc.GetTextExtent(u8(b.text)).x);
        }
        label_w = std::min(label_w, size.x / 3);
        const int x0 = pad + label_w + pad, span = std::max(10, size.x - x0 - value_w - 2 * pad);
        const double scale = presenter_.scale();
        int y = pad / 2 + row;
        dc.SetPen(*wxTRANSPARENT_PEN);
        for (const auto& b : bars) {
            wxString name = report_key_label(presenter_.grouping(), b.key);
            while (name.size() > 1 && dc.GetTextExtent(name).x > label_w) name = name.Left(name.size() - 2) + wxString::FromUTF8("\u2026");
            dc.DrawText(name, pad, y);
            const int w = b.value ? int(span * std::clamp(*b.value / scale, 0.0, 1.0)) : 0;
            dc.SetBrush(wxBrush(wxColour(0x2f, 0x6d, 0xb5)));
            if (w > 0) dc.DrawRectangle(x0, y + line / 8, w, std::max(2, std::min(line * 7 / 8, row - line / 4)));
            dc.DrawText(u8(b.text), x0 + w + pad / 2, y);
            y += row;
        }
    }
    wxString grouping_name() const {
        switch (presenter_.grouping()) {
            case ReportGrouping::clerk: return _("clerk");
            case ReportGrouping::department: return _("department");
            case ReportGrouping::window: break;
        }
        return _("window");
    }

    const ReportPresenter& presenter_;
};

ReportView::ReportView(wxWindow* parent, DeskServices& services)
    : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "report"),
      presenter_(std::make_unique<ReportPresenter>(services)) {
    auto* root = new wxBoxSizer(wxVERTICAL);
    auto* top = new wxBoxSizer(wxHORIZONTAL);
    previous_ = new wxButton(this, wxID_ANY, _("< &Previous month"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "report.previous");
    title_ = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "report.title");
    wxFont bold = title_->GetFont();
    bold.SetWeight(wxFONTWEIGHT_BOLD);
    title_->SetFont(bold);
    next_ = new wxButton(this, wxID_ANY, _("&Next month >"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "report.next");
    top->Add(previous_, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    top->Add(title_, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    top->Add(next_, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 16);
    top->AddStretchSpacer();
    top->Add(new wxStaticText(this, wxID_ANY, _("&Group by:")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    wxArrayString groupings;
    groupings.Add(_("Window"));
    groupings.Add(_("Clerk"));
    groupings.Add(_("Department"));
    grouping_ = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, groupings, 0, wxDefaultValidator, "report.grouping");
    grouping_->SetSelection(0);
    top->Add(grouping_, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 12);
    top->Add(new wxStaticText(this, wxID_ANY, _("C&hart:")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    wxArrayString measures;
    for (auto m : kReportMeasures) measures.Add(report_measure_label(m));
    measure_ = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, measures, 0, wxDefaultValidator, "report.measure");
    measure_->SetSelection(0);
    top->Add(measure_, 0, wxALIGN_CENTER_VERTICAL);
    root->Add(top, 0, wxEXPAND | wxALL, 6);

    table_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL, wxDefaultValidator, "report.table");
    // TRANSLATORS: the first column: the window, clerk or department a row counts.
    table_->AppendColumn(_("Group"), wxLIST_FORMAT_LEFT, FromDIP(220));
    for (auto m : kReportMeasures) table_->AppendColumn(report_measure_label(m), wxLIST_FORMAT_RIGHT, FromDIP(84));
    root->Add(table_, 1, wxEXPAND | wxLEFT | wxRIGHT, 6);
    chart_ = new ReportChart(this, *presenter_);
    root->Add(chart_, 1, wxEXPAND | wxALL, 6);
    message_ = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "report.message");
    root->Add(message_, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    SetSizer(root);
    fit_headers(table_);

    previous_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { previous_month(); });
    next_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { next_month(); });
    grouping_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) {
        const int g = grouping_->GetSelection();
        set_grouping(g == 1 ? ReportGrouping::clerk : g == 2 ? ReportGrouping::department : ReportGrouping::window);
    });
    measure_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) {
        const int m = measure_->GetSelection();
        if (m >= 0 && std::size_t(m) < kReportMeasures.size()) set_measure(kReportMeasures[std::size_t(m)]);
    });
}

ReportView::~ReportView() = default;

void ReportView::show() {
    try {
        presenter_->refresh();
        say(wxString(), false);
    } catch (const std::exception& e) {
        wxLogError("report: %s", e.what());
        say(_("The figures could not be read. Try again or ask the administrator."), true);
    }
    fill();
    table_->SetFocus();
}

void ReportView::previous_month() {
    try {
        if (!presenter_->previous_month()) return;
        say(wxString(), false);
    } catch (const std::exception& e) {
        wxLogError("report: %s", e.what());
        say(_("The figures could not be read. Try again or ask the administrator."), true);
    }
    fill();
}

void ReportView::next_month() {
    try {
        if (!presenter_->next_month()) return;
        say(wxString(), false);
    } catch (const std::exception& e) {
        wxLogError("report: %s", e.what());
        say(_("The figures could not be read. Try again or ask the administrator."), true);
    }
    fill();
}

void ReportView::set_grouping(ReportGrouping g) {
    presenter_->set_grouping(g);
    grouping_->SetSelection(g == ReportGrouping::clerk ? 1 : g == ReportGrouping::department ? 2 : 0);
    fill();
}

void ReportView::set_measure(ReportMeasure m) {
    presenter_->set_measure(m);
    const auto at = std::find(kReportMeasures.begin(), kReportMeasures.end(), m);
    measure_->SetSelection(int(at - kReportMeasures.begin()));
    chart_->fit();
    Layout();
}

void ReportView::fill() {
    const auto& m = presenter_->month();
    title_->SetLabel(wxString::Format(_("The centre's figures, %d-%02u"), m.year, m.month));
    size_title();
    table_->DeleteAllItems();
    auto row = [this](long at, const wxString& name, const workflow::ReportFigures& f) {
        table_->InsertItem(at, name);
        for (std::size_t i = 0; i < kReportMeasures.size(); ++i) table_->SetItem(at, int(i) + 1, u8(ReportPresenter::text(kReportMeasures[i], f)));
    };
    row(0, _("Total"), presenter_->report().total);
    long at = 1;
    for (const auto& g : presenter_->groups()) row(at++, report_key_label(presenter_->grouping(), g.key), g.figures);
    if (presenter_->report().total == workflow::ReportFigures{}) say(_("No cases were received, decided or rated in this month."), false);
    chart_->fit();
    Layout();
}

void ReportView::size_title() {
    // GTK keeps a label's first size; measured with wx in the label's (bold, maybe large) font.
    const wxSize text = title_->GetTextExtent(title_->GetLabel());
    title_->SetMinSize(wxSize(text.x + FromDIP(4), text.y));
}

void ReportView::fonts_changed() {
    wxFont bold = GetFont();  // the title stays bold in the new size
    bold.SetWeight(wxFONTWEIGHT_BOLD);
    title_->SetFont(bold);
    remeasure_labels(this, [this](wxStaticText* t) { return t == title_ || t == message_; });
    size_title();
    fit_headers(table_);
    chart_->fit();
    Layout();
}

void ReportView::say(const wxString& text, bool error) {
    message_->SetForegroundColour(error ? wxColour(0xb0, 0x1c, 0x1c) : wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOWTEXT));
    message_->SetLabel(text);
}

}  // namespace ow::app
