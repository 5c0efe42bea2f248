// The desk's actions, declared once: id, label, hotkey, where it appears, when it is enabled, and
// the command it runs. Menus, the toolbar, context menus, tooltips and the F1 key list are built
// from this table; nothing else declares a shortcut. Free of wx: labels are gettext msgids
// (English, marked N_ for xgettext) that the view translates at display; hotkeys are in wx's
// accelerator syntax ("Ctrl+F", "F2").
#pragma once

#include "ow/core/case.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// Marks a string for translation without translating it here (the view translates it).
#ifndef N_
#define N_(s) s
#endif

namespace ow::app {

/// What the enabled-when predicates look at: the desk's state, kept by the shell.
struct DeskState {
    bool signed_in = false;
    bool has_store = false;             ///< the desk has a store folder (not the catalogue-only demo)
    core::Role role = core::Role::clerk;
    core::Post post = core::Post::none;
    std::optional<core::CaseState> case_state;  ///< the selected case's state, if one is selected
    bool case_has_documents = false;    ///< the selected case has a notice to open
    bool case_follow_up_open = false;   ///< the selected case's bad rating awaits its follow-up
    bool case_cross_region = false;     ///< the selected case's item is decided by another region (通办)
    bool case_archivable = false;       ///< the selected case is concluded: its archive package can be made
    bool case_fees_due = false;         ///< the selected case has a fee neither paid nor waived (收费)
    bool case_may_commit = false;       ///< the selected case's item allows 告知承诺制 or 信即办
    bool case_follow_ups = false;       ///< the selected case has a commitment or deferred material to follow up
    bool case_window_decides = false;   ///< the signed-in clerk may decide the selected case on the spot (马上办)
    bool case_online = false;           ///< the selected case came as an online application (网上申报)
    bool case_originals_waiting = false;  ///< …with uploads to compare with their originals (原件核验)
    bool case_late = false;             ///< the selected case is late (promised date or instant past, remote call unanswered): 催办
    bool busy = false;                  ///< long work is running (acts wait for it)
    // The intake screen (F2).
    bool intake_shown = false;          ///< the intake screen is the page on show
    bool intake_has_case = false;       ///< …with a case started (an item chosen)
    bool intake_has_document = false;   ///< …whose decision's notice is there to print
    // The chief representative's review (Ctrl+D) and the result screen (Ctrl+E).
    bool result_shown = false;          ///< the result screen is the page on show
    bool result_has_receipt = false;    ///< …with a handed-out case whose receipt is there to print
};

enum class Menu { file, cases, intake, queues, view, help };

struct ActionSpec {
    std::string id;         ///< stable, e.g. "case.accept"
    const char* label;      ///< msgid, with & for the mnemonic
    const char* help;       ///< msgid: tooltip and status-bar help
    std::string hotkey;     ///< wx accelerator syntax, empty: none
    Menu menu = Menu::file;
    bool toolbar = false;   ///< also on the toolbar
    bool case_action = false;  ///< also among the selected case's buttons and its context menu
    std::function<bool(const DeskState&)> enabled_when;  ///< empty: always
};

class ActionRegistry {
public:
    /// Declares an action. std::invalid_argument for a duplicate id or hotkey.
    void declare(ActionSpec spec);
    /// Binds the command an action runs (the shell binds them when it builds the screens).
    /// std::invalid_argument for an unknown id.
    void bind(const std::string& id, std::function<void()> command);

    const std::vector<ActionSpec>& actions() const { return specs_; }
    const ActionSpec* find(std::string_view id) const;
    /// The action with this hotkey (as declared, compared case-insensitively), or null.
    const ActionSpec* by_hotkey(std::string_view hotkey) const;
    bool enabled(std::string_view id, const DeskState& state) const;
    bool bound(std::string_view id) const;
    /// Runs the action's command when it is enabled and bound. False otherwise (nothing run).
    bool run(std::string_view id, const DeskState& state) const;
    /// Ids of declared actions with no command bound (the shell checks this at start).
    std::vector<std::string> unbound() const;

private:
    std::vector<ActionSpec> specs_;
    std::vector<std::function<void()>> commands_;
};

/// The desk's table of actions (every screen's), in menu order.
ActionRegistry desk_actions();

/// Enabled-when helpers shared by the table and tests.
bool case_act_allowed(const DeskState& s, core::CaseAction act);

}  // namespace ow::app
