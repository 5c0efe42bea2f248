// What an error code means to a clerk: the ONE table from the stable codes of refusals and
// failures (workflow.*, archive.*, intake.*, rating.*, device.*, review.*, result.*, …) to an
// English sentence marked for translation (OW_N_). The desk shows it translated (outcome_text in
// client/app/common/labels.cpp), the CLI too when its language is not English (client/cli/i18n.h).
#pragma once

#include <string_view>

namespace ow::core {

/// The English source text (a msgid of the "onewindow" domain) for `code`; nullptr for a code the
/// table does not know (the caller then shows its own fallback).
const char* outcome_message(std::string_view code) noexcept;

}  // namespace ow::core
