// RatingPresenter: the applicant's rating (好差评) of a case whose result was issued, and the
// closing of a bad rating's follow-up (回访整改) from the desk. Free of wx: the applicant's screen
// (shell/applicant_screen.h) shows the five levels and the reasons from here and sends the
// applicant's clicks back; the cases view closes follow-ups through run_close_follow_up.
//
// Scales. The applicant and workflow::Rate use the national order 5 非常满意 … 1 非常不满意; the
// rating device plugin (docs/plugins.md) and the case's `rate` event use GB/T 39046, 1 very
// satisfied … 5 very dissatisfied. national_from_gbt converts (n = 6 − g). Levels 1–2 (national)
// are bad: they need a reason from the short list (rating_reasons) and open a follow-up in the
// follow-ups queue (store::Queue::follow_ups).
//
// Threading: the instance lives on the desk's thread (start() reads the case through the
// signed-in store). The acts (run_rate, run_close_follow_up) and the device (read_device) are
// static, for a worker thread with its own session (DeskServices::worker_session) or the
// plugin host; their outcome is applied back on the desk's thread (rated / take_device).
// Refusals and bad input come back as RatingOutcome (never thrown); store errors propagate.
#pragma once

#include "shell/desk_services.h"

#include "ow/workflow/workflow.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <string>

namespace ow::plugins {
class PluginHost;
}

namespace ow::app {

/// One of the five levels as the applicant's screen shows them.
struct RatingChoice {
    int level = 0;              ///< national order: 5 非常满意 … 1 非常不满意 (workflow::Rate::level)
    const char* label = "";     ///< msgid (English, e.g. "Very satisfied"); the view translates it
    bool bad = false;           ///< levels 1–2: a reason is asked and a follow-up is opened
};
/// The five levels, best first (5, 4, 3, 2, 1), as the buttons are laid out.
const std::array<RatingChoice, 5>& rating_choices();

/// One reason of the short list a bad rating picks from.
struct RatingReason {
    const char* code = "";   ///< workflow::Rate::reason: slow, attitude, unclear, repeat_visits, other
    const char* label = "";  ///< msgid (English); the view translates it
};
/// The short list, in the order shown ("other" last).
const std::array<RatingReason, 5>& rating_reasons();

/// National levels 1 and 2 (不满意, 非常不满意).
bool is_bad_rating(int national_level);
/// GB/T 39046 (1 very satisfied … 5 very dissatisfied) → national (5 … 1); 0 outside 1–5.
int national_from_gbt(int gbt_level);

/// What the applicant's screen shows about the case being rated.
struct RatingCase {
    std::string case_id;
    std::string receipt_no;
    std::string item_name;   ///< the item's (or bundle's) name
    std::string clerk;       ///< the signed-in user's display name
};

/// What a rating step came to.
struct RatingOutcome {
    enum class Kind {
        done,
        refused,    ///< the workflow refused: `code` is its code() ("workflow.not_authorised", a state …)
        invalid,    ///< bad input: "rating.no_case", "rating.not_ratable" (result not issued),
                    ///< "rating.bad_level", "rating.no_level", "rating.reason_needed" (a bad level
                    ///< without a reason), "rating.unknown_reason", "follow_up.note_needed",
                    ///< "follow_up.note_too_long", "rating.busy" (the applicant's screen is saving
                    ///< another rating); or the
                    ///< workflow's InvalidInput code
        device,     ///< the rating device failed: "device.none", "device.unavailable", "device.failed",
                    ///< "device.bad_answer"
        cancelled,  ///< the rating page was closed without a rating (the case stays result_issued)
    } kind = Kind::done;
    std::string code;
    std::string message;      ///< English (logs; shown when no translation)
    int level = 0;            ///< done (rate): the national level committed
    bool follow_up = false;   ///< done (rate): a follow-up was opened
    bool ok() const { return kind == Kind::done; }
};

/// The rating device's answer, turned into the command to commit.
struct DeviceRating {
    RatingOutcome outcome;   ///< device errors (kind device); ok otherwise
    workflow::Rate rate;     ///< national level; a bad level's reason mapped to a code of the short
                             ///< list (the device's own phrase kept as the text); channel "window_device"
    std::string plugin;      ///< the plugin that answered (or failed last)
};

class RatingPresenter {
public:
    /// `services` must be signed in and outlive the presenter.
    explicit RatingPresenter(DeskServices& services);

    /// Starts rating a case: reads it (item name, receipt number) and clears the choice.
    /// invalid "rating.no_case" when there is no such case, "rating.not_ratable" unless its
    /// result was issued (state result_issued).
    RatingOutcome start(const std::string& case_id);
    bool started() const { return !case_.case_id.empty(); }
    const RatingCase& rating_case() const { return case_; }

    /// Chooses a level (national, 1–5; invalid "rating.bad_level" otherwise). A good level drops
    /// the reason chosen for a bad one.
    RatingOutcome choose(int level);
    int level() const { return level_; }   ///< 0: none chosen yet
    bool needs_reason() const { return is_bad_rating(level_); }
    /// A code of rating_reasons() (invalid "rating.unknown_reason" otherwise); "" clears it.
    RatingOutcome set_reason(const std::string& code);
    const std::string& reason() const { return reason_; }
    /// The applicant's own words (optional; kept as the rating's comment).
    void set_text(std::string text) { text_ = std::move(text); }
    const std::string& text() const { return text_; }

    /// Whether the choice can be submitted: invalid "rating.no_case", "rating.no_level",
    /// "rating.reason_needed"; done otherwise.
    RatingOutcome check() const;
    /// The command as chosen (channel "window_device": the applicant's screen at the window).
    workflow::Rate command() const;

    /// Checks and commits on the desk's thread (tests; the screen commits on a worker).
    RatingOutcome submit();
    /// Workflow::rate for a worker thread (its own session's workflow): never throws for refusals
    /// or bad input; store errors propagate.
    static RatingOutcome run_rate(workflow::Workflow& wf, const std::string& case_id, const workflow::Rate& cmd);
    /// Back on the desk's thread: a done rating ends the presenter (started() false).
    void rated(const RatingOutcome& outcome);

    /// Asks the rating device: the first `rating_device` plugin (discovery order) that answers
    /// (an unavailable one is skipped; another failure stands). `simulate` is passed on as the
    /// request's "simulate" (rating-sim; null: none). For a worker thread; never throws for device
    /// failures. `plugin` (the settings' devices.rating_device): only that plugin is asked
    /// ("device.none" when it is not installed); empty: as above.
    static DeviceRating read_device(plugins::PluginHost& host, const RatingCase& rating_case,
                                    const nlohmann::json& simulate = nullptr, const std::string& plugin = {});
    /// Takes the device's answer as the choice (level, reason, text; the device's case id must be
    /// the one started, invalid "rating.no_case" otherwise). The device's outcome when it failed.
    RatingOutcome take_device(const DeviceRating& device);

    /// The longest note of a closed follow-up, in bytes of UTF-8 (the store's limit).
    static constexpr std::size_t kMaxFollowUpNote = 4000;
    /// Workflow::close_follow_up for a worker thread: `note` (what was done; trimmed, required:
    /// invalid "follow_up.note_needed"; at most kMaxFollowUpNote bytes: invalid
    /// "follow_up.note_too_long") recorded; refused "workflow.no_follow_up" when the case has no
    /// open follow-up. Never throws for refusals or bad input; store errors propagate.
    static RatingOutcome run_close_follow_up(workflow::Workflow& wf, const std::string& case_id, const std::string& note);

private:
    DeskServices& services_;
    RatingCase case_;
    int level_ = 0;
    std::string reason_;
    std::string text_;
};

}  // namespace ow::app
