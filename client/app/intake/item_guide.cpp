#include "intake/item_guide.h"

#include "common/labels.h"

#include <wx/settings.h>
#include <wx/textctrl.h>

#include <algorithm>

namespace ow::app {
namespace {

using Style = GuideBlock::Style;

wxString days(int n) {
    if (n == 0) return _("on the spot");
    return wxString::Format(wxPLURAL("%d working day", "%d working days", unsigned(n)), n);
}

const wxString kSep(L" \u00b7 ");

}  // namespace

std::vector<GuideBlock> item_guide(const core::ServiceItem& it) {
    const auto& sp = it.spec;
    std::vector<GuideBlock> g;
    g.push_back({Style::title, u8(it.name), {}});
    g.push_back({Style::subtitle, u8(it.code) + kSep + u8(it.department), {}});
    g.push_back({Style::field, _("Kind"), label(it.kind)});
    g.push_back({Style::field, _("Promised time limit"), days(sp.promised_limit_days)});
    g.push_back({Style::field, _("Legal time limit"), days(sp.legal_limit_days)});
    g.push_back({Style::field, _("Handling depth"), label(sp.depth)});
    g.push_back({Style::field, _("Fees"),
                 it.total_fee_fen() == 0 ? _("Free of charge")
                                         : wxString::Format(_("CNY %s"), CatalogPresenter::format_yuan(it.total_fee_fen()))});
    g.push_back({Style::field, _("Visits needed"), wxString::Format("%d", sp.max_visits)});
    if (!sp.result_name.empty()) g.push_back({Style::field, _("Result"), u8(sp.result_name)});
    if (!sp.conditions.empty()) {
        g.push_back({Style::heading, _("Conditions"), {}});
        for (const auto& c : sp.conditions) g.push_back({Style::item, L"\u2022 " + u8(c), {}});
    }
    g.push_back({Style::heading, _("Materials"), {}});
    int n = 0;
    for (const auto& m : sp.materials) {
        wxString detail = label(m.necessity) + kSep + label(m.form);
        if (m.originals > 0) detail += kSep + wxString::Format(_("originals: %d"), m.originals);
        if (m.copies > 0) detail += kSep + wxString::Format(_("copies: %d"), m.copies);
        g.push_back({Style::item, wxString::Format("%d. ", ++n) + u8(m.name), {}});
        g.push_back({Style::note, detail, {}});
        if (m.source == core::MaterialSource::government) g.push_back({Style::hint, _("Can be fetched as an electronic licence"), {}});
        if (m.commitment_allowed) g.push_back({Style::hint, _("May be replaced by a written commitment"), {}});
        if (!m.condition.empty()) g.push_back({Style::note, _("Only when it applies to the case"), {}});
        if (!m.notes.empty()) g.push_back({Style::note, u8(m.notes), {}});
    }
    if (!sp.legal_basis.empty()) {
        g.push_back({Style::heading, _("Legal basis"), {}});
        g.push_back({Style::text, u8(sp.legal_basis), {}});
    }
    if (!sp.pickup.empty()) {
        g.push_back({Style::heading, _("Collecting the result"), {}});
        g.push_back({Style::text, u8(sp.pickup), {}});
    }
    return g;
}

std::vector<GuideBlock> bundle_guide(const core::Bundle& b, const CatalogPresenter& presenter) {
    std::vector<GuideBlock> g;
    g.push_back({Style::title, u8(b.name), {}});
    if (!b.description.empty()) g.push_back({Style::text, u8(b.description), {}});
    g.push_back({Style::field, _("Promised time limit"), days(b.promised_limit_days)});
    g.push_back({Style::heading, _("Items handled together"), {}});
    int n = 0;
    for (const auto* it : presenter.bundle_items(b)) {
        g.push_back({Style::item, wxString::Format("%d. ", ++n) + u8(it->name), {}});
        g.push_back({Style::note, label(it->kind) + kSep + days(it->spec.promised_limit_days), {}});
    }
    return g;
}

void render_guide(wxTextCtrl* ctrl, const std::vector<GuideBlock>& blocks) {
    const wxFont base = ctrl->GetFont();
    const wxColour text = wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOWTEXT);
    const wxColour red(0x8a, 0x1c, 0x1c), grey(0x55, 0x55, 0x55), green(0x1a, 0x5e, 0x20);
    auto font = [&](int delta, bool bold) {
        wxFont f = base;
        f.SetPointSize(std::max(6, base.GetPointSize() + delta));
        if (bold) f.SetWeight(wxFONTWEIGHT_BOLD);
        return f;
    };
    ctrl->Freeze();
    ctrl->Clear();
    for (const auto& b : blocks) {
        switch (b.style) {
        case Style::title:
            ctrl->SetDefaultStyle(wxTextAttr(text, wxNullColour, font(4, true)));
            ctrl->AppendText(b.text + "\n");
            break;
        case Style::subtitle:
            ctrl->SetDefaultStyle(wxTextAttr(grey, wxNullColour, font(-1, false)));
            ctrl->AppendText(b.text + "\n\n");
            break;
        case Style::heading:
            ctrl->SetDefaultStyle(wxTextAttr(red, wxNullColour, font(2, true)));
            ctrl->AppendText("\n" + b.text + "\n");
            break;
        case Style::field:
            ctrl->SetDefaultStyle(wxTextAttr(text, wxNullColour, font(0, true)));
            ctrl->AppendText(b.text + "  ");
            ctrl->SetDefaultStyle(wxTextAttr(text, wxNullColour, font(0, false)));
            ctrl->AppendText(b.value + "\n");
            break;
        case Style::text:
        case Style::item:
            ctrl->SetDefaultStyle(wxTextAttr(text, wxNullColour, font(0, false)));
            ctrl->AppendText(b.text + "\n");
            break;
        case Style::note:
            ctrl->SetDefaultStyle(wxTextAttr(grey, wxNullColour, font(-1, false)));
            ctrl->AppendText(L"    " + b.text + "\n");
            break;
        case Style::hint:
            ctrl->SetDefaultStyle(wxTextAttr(green, wxNullColour, font(-1, false)));
            ctrl->AppendText(L"    " + b.text + "\n");
            break;
        }
    }
    ctrl->SetInsertionPoint(0);
    ctrl->ShowPosition(0);
    ctrl->Thaw();
}

}  // namespace ow::app
