#include "common/labels.h"

namespace ow::app {

wxString label(core::ItemKind v) {
    switch (v) {
    // TRANSLATORS: 即办件 — decided on the spot at the window
    case core::ItemKind::immediate: return _("Immediate");
    // TRANSLATORS: 承诺件 — decided by the promised date
    case core::ItemKind::promised: return _("Promised");
    // TRANSLATORS: 上报件 — sent to a higher level
    case core::ItemKind::escalated: return _("Escalated");
    }
    return wxString();
}

wxString label(core::Zone v) {
    switch (v) {
    case core::Zone::investment_construction: return _("Investment and construction");
    case core::Zone::business_registration: return _("Business registration");
    case core::Zone::social_affairs: return _("Social affairs");
    case core::Zone::livelihood: return _("Livelihood");
    case core::Zone::public_convenience: return _("Public convenience");
    }
    return wxString();
}

wxString label(core::HandlingDepth v) {
    switch (v) {
    case core::HandlingDepth::on_site: return _("On site");
    case core::HandlingDepth::original_precheck: return _("Original pre-check");
    case core::HandlingDepth::original_verify: return _("Original verified");
    case core::HandlingDepth::fully_online: return _("Fully online");
    }
    return wxString();
}

wxString label(core::Necessity v) {
    switch (v) {
    case core::Necessity::required: return _("Required");
    case core::Necessity::optional: return _("Optional");
    // TRANSLATORS: 容缺 — may be missing at intake and delivered later
    case core::Necessity::deferrable: return _("Deferrable");
    }
    return wxString();
}

wxString label(core::MaterialForm v) {
    switch (v) {
    case core::MaterialForm::original: return _("Original");
    case core::MaterialForm::copy: return _("Copy");
    case core::MaterialForm::original_or_copy: return _("Original or copy");
    case core::MaterialForm::electronic: return _("Electronic");
    }
    return wxString();
}

wxString label(core::MaterialSource v) {
    switch (v) {
    case core::MaterialSource::applicant: return _("Brought by the applicant");
    // TRANSLATORS: 政府部门核发 — can be fetched as an electronic licence
    case core::MaterialSource::government: return _("Issued by a government department");
    case core::MaterialSource::online: return _("Filled in online");
    }
    return wxString();
}

wxString label(core::CaseState v) {
    switch (v) {
    case core::CaseState::draft: return _("Draft");
    case core::CaseState::received: return _("Received");
    case core::CaseState::accepted: return _("Accepted");
    case core::CaseState::refused: return _("Refused");
    case core::CaseState::correction_requested: return _("Correction requested");
    case core::CaseState::under_review: return _("Under review");
    case core::CaseState::escalated: return _("Escalated to higher level");
    case core::CaseState::approved: return _("Approved");
    case core::CaseState::denied: return _("Denied");
    case core::CaseState::result_issued: return _("Result issued");
    case core::CaseState::rated: return _("Rated");
    case core::CaseState::archived: return _("Archived");
    }
    return wxString();
}

}  // namespace ow::app
