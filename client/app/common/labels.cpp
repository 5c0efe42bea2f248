#include "common/labels.h"

#include "ow/core/messages.h"
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
        {A::flag_green, N_("Green channel changed")},
        {A::record_fee, N_("Fee paid or waived")},
        {A::set_agent, N_("Agent recorded")},
        {A::assist, N_("Helper assigned")},
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

wxString label(core::PaymentMethod v) {
    switch (v) {
        case core::PaymentMethod::cash: return _("Cash");
        case core::PaymentMethod::bank_card: return _("Bank card");
        case core::PaymentMethod::wechat: return _("WeChat Pay");
        case core::PaymentMethod::alipay: return _("Alipay");
        case core::PaymentMethod::unionpay: return _("UnionPay QR");
        case core::PaymentMethod::transfer: return _("Bank transfer");
        case core::PaymentMethod::online: return _("Paid online");
        case core::PaymentMethod::other: return _("Other payment");
    }
    return {};
}

wxString label(core::FeeStatus v) {
    switch (v) {
        // TRANSLATORS: a fee not paid yet. zh_CN: 待缴
        case core::FeeStatus::due: return _("Due");
        // TRANSLATORS: a fee paid. zh_CN: 已缴
        case core::FeeStatus::paid: return _("Paid");
        // TRANSLATORS: a fee waived (减免). zh_CN: 减免
        case core::FeeStatus::waived: return _("Waived");
    }
    return {};
}

wxString label(core::AssistMode v) {
    switch (v) {
        // TRANSLATORS: 帮办: a clerk helps the applicant at the window (fills in, explains). zh_CN: 帮办
        case core::AssistMode::help: return _("Help");
        // TRANSLATORS: 代办: a clerk handles the case for the applicant to the end. zh_CN: 代办
        case core::AssistMode::agency: return _("Agency");
        // TRANSLATORS: 一企一员: the clerk who follows every case of an enterprise. zh_CN: 企业联络员
        case core::AssistMode::contact: return _("Enterprise contact clerk");
    }
    return {};
}

wxString label(core::Channel v) {
    switch (v) {
        case core::Channel::window: return _("At the window");
        // TRANSLATORS: 网上申报 from a computer. zh_CN: 网上（电脑端）
        case core::Channel::pc: return _("Online (computer)");
        // TRANSLATORS: 网上申报 from a phone app. zh_CN: 网上（移动端）
        case core::Channel::mobile: return _("Online (mobile)");
    }
    return {};
}

wxString label(core::GreenFlag v) {
    switch (v) {
        case core::GreenFlag::elderly: return _("Elderly");
        case core::GreenFlag::disabled: return _("Disabled");
        case core::GreenFlag::key_project: return _("Key project");
        // TRANSLATORS: a green-channel flag: an applicant who is ill, injured or frail (伤病体弱). zh_CN: 伤病体弱
        case core::GreenFlag::ill: return _("Ill or frail");
        // TRANSLATORS: a green-channel flag: a pregnant applicant (孕妇). zh_CN: 孕妇
        case core::GreenFlag::pregnant: return _("Pregnant");
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
    // The table of codes lives in the core (ow/core/messages.h), shared with the CLI.
    if (const char* text = core::outcome_message(code)) return wxGetTranslation(wxString::FromUTF8(text));
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
