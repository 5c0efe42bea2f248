// Translatable display labels for the domain's codes. Persisted codes stay untranslated; the desk
// translates at display (zh_CN by default), so every label here goes through gettext.
#pragma once

#include "ow/core/case.h"
#include "ow/core/catalog.h"

#include <wx/intl.h>
#include <wx/string.h>

#include <string>

#ifndef N_
#define N_(s) s
#endif

namespace ow::app {

wxString label(core::ItemKind v);
wxString label(core::Zone v);
wxString label(core::HandlingDepth v);
wxString label(core::Necessity v);
wxString label(core::MaterialForm v);
wxString label(core::MaterialSource v);
wxString label(core::CaseState v);
wxString label(core::MaterialStatus v);
/// A timeline line's action: a case event's code (accept …) or an audit action (case.create …).
wxString case_action_label(const std::string& code);
/// What an error code of the workflow, the intake or a device means for the clerk (translated):
/// "workflow.materials_missing", "intake.applicant_incomplete", "device.no_card" … Unknown codes
/// give a generic sentence naming the code.
wxString outcome_text(const std::string& code);
/// Loads the desk's translations for a language ("zh_CN", "zh_TW", "en") from core::locale_dir()
/// and makes them current (at start, and when the settings screen switches the language). A
/// missing catalogue is logged and leaves English.
void use_language(const std::string& code);
/// The mark before the applicant's name of a green-channel case (绿色通道) in the queues: "【绿】".
wxString green_mark();
/// A green-channel flag's name: 老年人, 残疾人, 重点项目.
wxString label(core::GreenFlag v);
/// How a fee was paid: 现金, 银行卡, 微信支付 …
wxString label(core::PaymentMethod v);
/// How a fee stands: 待缴, 已缴, 减免.
wxString label(core::FeeStatus v);
wxString label(core::AssistMode v);
/// 网上申报: how the application came (窗口, 网上（电脑端）, 网上（移动端）).
wxString label(core::Channel v);
/// A device plugin's name for people ("idcard-sim" → 身份证阅读器模拟器（培训）); a plugin we do not
/// ship keeps its own name.
wxString plugin_label(const std::string& name);
/// UTF-8 std::string → wxString.
inline wxString u8(const std::string& s) { return wxString::FromUTF8(s.data(), s.size()); }

}  // namespace ow::app
