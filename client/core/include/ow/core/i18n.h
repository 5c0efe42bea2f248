// Translation markers for the GUI-free core. The core has no gettext run time: it marks English
// source strings with OW_N_ so that xgettext collects them into i18n/onewindow.pot, and the shell
// (desk or CLI) translates them at display with the "onewindow" text domain.
#pragma once

/// Marks a string literal for translation without translating it here.
#define OW_N_(text) text
