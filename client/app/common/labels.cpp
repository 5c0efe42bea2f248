#include "common/labels.h"

#include "ow/core/paths.h"

#include <wx/log.h>
#include <wx/translation.h>

#include <clocale>
#include <cstdlib>
#include <cstring>

#ifdef __GLIBC__
extern "C" int _nl_msg_cat_cntr;  // glibc's gettext: bumped to drop its cache of looked-up translations
#endif

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

namespace ow::app {

wxString label(core::MaterialStatus v) {
    switch (v) {
    case core::MaterialStatus::pending: return _("Not checked");
    case core::MaterialStatus::original_received: return _("Original received");
    case core::MaterialStatus::copy_received: return _("Copy received");
    case core::MaterialStatus::scanned: return _("Scanned");
    // TRANSLATORS: 电子证照 — fetched from the government's e-licence library
    case core::MaterialStatus::e_licence: return _("E-licence");
    // TRANSLATORS: 容缺 — accepted now, the material to be handed in later
    case core::MaterialStatus::deferred: return _("Deferred");
    // TRANSLATORS: 告知承诺 — the applicant's written commitment instead of the material
    case core::MaterialStatus::commitment: return _("Commitment");
    case core::MaterialStatus::not_applicable: return _("Not applicable");
    case core::MaterialStatus::missing: return _("Missing");
    case core::MaterialStatus::defective: return _("Defective");
    }
    return wxString();
}

wxString case_action_label(const std::string& code) {
    using A = core::CaseAction;
    static const std::pair<A, const char*> kActions[] = {
        {A::receive, N_("Received")},
        {A::accept, N_("Accepted")},
        {A::refuse, N_("Refused")},
        {A::request_correction, N_("Correction requested")},
        {A::resubmit, N_("Corrected materials handed in")},
        {A::start_review, N_("Submitted for decision")},
        {A::escalate, N_("Escalated")},
        {A::approve, N_("Approved")},
        {A::deny, N_("Denied")},
        {A::issue_result, N_("Result issued")},
        {A::rate, N_("Rated")},
        {A::archive, N_("Archived")},
        {A::mark_material, N_("Material recorded")},
        {A::defer_material, N_("Material deferred")},
        {A::fulfil_material, N_("Deferred material handed in")},
        {A::record_commitment, N_("Commitment recorded")},
        {A::start_special_procedure, N_("Clock paused")},
        {A::end_special_procedure, N_("Clock resumed")},
        {A::recompute_due, N_("Promised date recomputed")},
        {A::set_applicant, N_("Applicant identified")},
        {A::answer_form, N_("Form answered")},
        {A::countersign, N_("Countersigned")},
    };
    for (const auto& [a, text] : kActions)
        if (core::to_code(a) == code) return wxGetTranslation(text);
    // Audit entries about the case.
    if (code == "case.create") return _("Case created");
    if (code == "case.attach_blob") return _("Scan or document attached");
    if (code == "case.platform_case_no") return _("Platform case number received");
    if (code == "case.follow_up_closed") return _("Follow-up closed");
    if (code.rfind("document.", 0) == 0) return _("Notice");
    if (code.rfind("seal.", 0) == 0) return _("Seal");
    if (code.rfind("sync.", 0) == 0 || code.rfind("blob.", 0) == 0) return _("Sync");
    return _("Other record");
}

wxString green_mark() {
    // TRANSLATORS: put before an applicant's name in the queues: the case is in the green channel
    // (绿色通道: elderly, disabled, key project) and is handled first. zh_CN: 【绿】
    return _("[Green] ");
}

wxString label(core::GreenFlag v) {
    switch (v) {
        case core::GreenFlag::elderly: return _("Elderly");
        case core::GreenFlag::disabled: return _("Disabled");
        case core::GreenFlag::key_project: return _("Key project");
    }
    return {};
}

wxString plugin_label(const std::string& name) {
    if (name == "idcard-sdt") return _("ID card reader (vendor SDT library)");
    if (name == "idcard-sim") return _("ID card reader simulator (training)");
    if (name == "rating-sim") return _("Rating device simulator (training)");
    if (name == "scanner-sane") return _("Scanner or document camera (SANE)");
    if (name == "signature-evdev") return _("Signature pad or pen tablet");
    if (name == "signature-sim") return _("Signature pad simulator (training)");
    return u8(name);
}

wxString outcome_text(const std::string& code) {
    // The workflow's refusals.
    if (code == "workflow.materials_missing") return _("Required materials are missing: the case cannot be accepted yet.");
    if (code == "workflow.no_applicant") return _("The applicant is not identified yet.");
    if (code == "workflow.form_missing" || code == "workflow.no_form") return _("The application form is not filled in yet.");
    if (code == "workflow.not_authorised") return _("Your role may not do this.");
    if (code == "workflow.seal_pin_needed") return _("The seal is on a token: type its PIN.");
    if (code == "workflow.seal_pin_wrong") return _("Wrong seal PIN: nothing was sealed. Type it again.");
    if (code == "workflow.no_seal" || code == "workflow.seal_refused" || code == "workflow.seal_failed")
        return _("No usable seal: ask the administrator to assign one.");
    if (code == "workflow.not_now") return _("Not possible in the case's present state.");
    if (code == "workflow.refused") return _("Not possible in the case's present state, or done already.");
    if (code == "workflow.notice_data") return _("The notice cannot be made from the case's data.");
    if (code == "workflow.invalid_input") return _("Some of what was entered is not valid.");
    // The archive package (case.archive).
    if (code == "archive.not_concluded") return _("Only a concluded case (refused, or its result handed out) goes to the archive.");
    if (code == "archive.output_exists") return _("Something is already there: choose another name or an empty folder.");
    if (code == "archive.unsound") return _("The package did not pass its check (a seal or a stored file is damaged): nothing was written. Ask the administrator.");
    if (code == "archive.unknown_case" || code == "archive.no_case") return _("This case is not there any more.");
    if (code == "archive.path_empty") return _("Type where the archive package goes.");
    if (code == "archive.write_failed") return _("The package could not be written there: check the folder and the free space.");
    if (code == "archive.failed") return _("The archive package could not be written. Try again or ask the administrator.");
    // 通办 (cross-region service).
    if (code == "workflow.cross_region") return _("Another region decides this item: send the accepted case there (Ctrl+Shift+R).");
    if (code == "workflow.not_cross_region") return _("This item is decided here, not by another region.");
    // Appointments (预约).
    if (code == "workflow.appointment_not_booked") return _("The appointment is not booked any more (checked in, cancelled or missed).");
    if (code == "workflow.appointment_not_today") return _("The appointment is for another day.");
    if (code == "appointment.invalid") return _("The appointment's item is not in the catalogue: start the intake by hand (F2).");
    if (code == "appointment.failed") return _("The act could not be saved. Nothing was changed; try again or ask the administrator.");
    // The intake screen's own checks.
    if (code == "intake.applicant_incomplete") return _("The applicant is not complete: an ID number that checks and a name.");
    if (code == "intake.refusal_reason_missing") return _("Give the reason for refusing.");
    if (code == "intake.legal_basis_missing") return _("Give the legal basis for refusing.");
    if (code == "intake.no_draft") return _("This intake has no draft to resume.");
    if (code == "intake.no_case" || code == "intake.not_started") return _("Choose the item first (step 1).");
    if (code == "intake.commitment_text_missing") return _("Type what the applicant commits to first.");
    if (code == "intake.correction_days") return _("The correction period is 1 to 60 working days.");
    if (code == "intake.deferred_days") return _("A deferred material is due within 1 to 60 working days.");
    if (code == "intake.decided") return _("This intake is decided already: print its notice or start the next one (F2).");
    if (code == "intake.not_a_draft") return _("This case is no longer a draft: open it from the queues.");
    if (code == "intake.unknown_item") return _("No such item or bundle in the catalogue.");
    // The rating (applicant's screen) and the follow-up of a bad rating.
    if (code == "rating.no_case") return _("Choose a case first.");
    if (code == "rating.not_ratable") return _("Only a case whose result was issued can be rated, once.");
    if (code == "rating.bad_level" || code == "rating.no_level") return _("Choose one of the five levels.");
    if (code == "rating.reason_needed") return _("A dissatisfied rating needs a reason from the list.");
    if (code == "rating.unknown_reason") return _("Choose a reason from the list.");
    if (code == "rating.busy") return _("The previous rating is still being saved: try again in a moment.");
    if (code == "rating.not_saved") return _("The rating could not be saved: nothing was changed.");
    if (code == "follow_up.note_needed") return _("Write down what was done for the applicant.");
    if (code == "follow_up.note_too_long") return _("The note is too long: shorten it.");
    if (code == "workflow.no_follow_up") return _("This case has no open follow-up.");
    // Devices.
    if (code == "device.none") return _("No device of this kind is set up on this desk.");
    if (code == "device.no_card") return _("No ID card on the reader: put the card on it and press F4 again.");
    if (code == "device.unavailable") return _("The device is not connected or not ready: check it, then try again.");
    if (code == "device.failed" || code == "device.bad_answer") return _("The device failed: try again, or type the data in.");
    // The signature pad (common/signature_pad.h).
    if (code == "device.cancelled") return _("The signature was cancelled on the pad: ask the applicant to sign again, or sign on paper.");
    if (code == "device.timeout") return _("Nobody signed on the pad in time: try again, or sign on paper.");
    // The review screen (decisions) and the result screen (handing out).
    if (code == "workflow.b_alone" || code == "review.acting_for_missing")
        return _("Post B decides only acting for an absent post A: choose whom you act for.");
    if (code == "workflow.a_present") return _("Post A is not marked absent: post B may not act for them.");
    if (code == "workflow.acting_for") return _("The chief you act for is not on post A.");
    if (code == "workflow.no_post") return _("You sit on no post (A/B): the administrator sets it.");
    if (code == "review.no_case" || code == "result.no_case") return _("No case open: choose one in the queue.");
    if (code == "review.opinion_missing") return _("Write the opinion (the reasons) first.");
    if (code == "review.nothing_to_correct") return _("Tick the materials the applicant must bring again.");
    if (code == "review.pin_missing") return _("Type the seal's PIN: the decision is sealed with it.");
    if (code == "review.part_missing") return _("Choose the part you decide (countersigning).");
    if (code == "result.not_decided") return _("The case is not decided, or was handed out already.");
    if (code == "result.signature_missing") return _("The recipient has not signed on the pad yet (Alt+S), or choose the paper receipt.");
    if (code == "result.address_missing") return _("Type the mailing address.");
    if (code == "result.carrier_missing") return _("Choose or type the carrier.");
    if (code == "result.tracking_missing") return _("Type the tracking number.");
    if (code == "result.tracking_format") return _("A tracking number is 8 to 30 letters and digits.");
    return wxString::Format(_("The act was refused (%s)."), u8(code));
}

void use_language(const std::string& code) {
    const wxString lang = u8(code);
#ifdef __GLIBC__
    // GTK's own words — its stock buttons (关闭, 取消), message boxes, file chooser and print
    // dialog — come from GTK's catalogues through gettext, in the process's language, not from
    // ours: make that the desk's. gettext ignores LANGUAGE in the "C" locale (CI, kiosks): messages
    // in C.UTF-8 then (the same as C but for that). Bumping _nl_msg_cat_cntr drops gettext's cache
    // of translations already looked up (the gettext manual's way to switch at run time).
    // (setenv while another thread reads the environment is a race: only when the value changes —
    // at start, and when the clerk switches the language, which is rare.)
    const char* before = std::getenv("LANGUAGE");
    if (!before || code != before) ::setenv("LANGUAGE", code.c_str(), 1);
    const char* messages = std::setlocale(LC_MESSAGES, nullptr);
    if (!messages || std::strcmp(messages, "C") == 0 || std::strcmp(messages, "POSIX") == 0) std::setlocale(LC_MESSAGES, "C.UTF-8");
    ++_nl_msg_cat_cntr;
#endif
    auto* t = new wxTranslations;
    wxTranslations::Set(t);  // deletes the previous one
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(wxString(core::locale_dir().string()));
#ifdef wxINSTALL_PREFIX
    // wx's own catalogue (wxstd: stock buttons such as 关闭, 取消) where wx is installed: the desk
    // run from its build tree would look beside itself only.
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(wxString(wxINSTALL_PREFIX) + "/share/locale");
#endif
    t->SetLanguage(lang);
    // wx searches the catalogue added last first: wx's own before ours, so that where both have a
    // word ("Printing": wx's 正在打印, our group title 打印) ours is the one shown.
    t->AddStdCatalog();
    if (lang != "en" && !t->AddCatalog("onewindow"))
        wxLogWarning("No %s translation found under %s; showing English", lang, core::locale_dir().string());
}

}  // namespace ow::app
