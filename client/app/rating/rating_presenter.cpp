#include "rating/rating_presenter.h"

#include "ow/core/error.h"
#include "ow/plugins/host.h"
#include "ow/store/cases.h"

#include <algorithm>
#include <string_view>
#include <vector>

#ifndef N_
#define N_(s) s
#endif

namespace ow::app {
namespace {

using json = nlohmann::json;

RatingOutcome invalid(std::string code, std::string message) {
    return {RatingOutcome::Kind::invalid, std::move(code), std::move(message)};
}
RatingOutcome device(std::string code, std::string message) {
    return {RatingOutcome::Kind::device, std::move(code), std::move(message)};
}

bool known_reason(std::string_view code) {
    const auto& all = rating_reasons();
    return std::any_of(all.begin(), all.end(), [&](const RatingReason& r) { return code == r.code; });
}

/// A device's reason: a code of the short list as it is; one of the phrases the devices show
/// mapped to its code; anything else "other" (the phrase is kept as the text).
std::string reason_code(const std::string& said) {
    if (known_reason(said)) return said;
    static const std::vector<std::pair<std::string_view, std::string_view>> kPhrases = {
        {"等候", "slow"}, {"时限", "slow"}, {"太慢", "slow"},    {"态度", "attitude"},
        {"解释", "unclear"}, {"不清", "unclear"}, {"一次性告知", "repeat_visits"}, {"多次", "repeat_visits"},
        {"跑", "repeat_visits"}};
    for (const auto& [phrase, code] : kPhrases)
        if (said.find(phrase) != std::string::npos) return std::string(code);
    return "other";
}

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

/// Runs an act, turning the workflow's refusals and bad input into an outcome.
template <class F>
RatingOutcome guarded(F&& act) {
    RatingOutcome out;
    try {
        act(out);
    } catch (const workflow::Refused& e) {
        out = {RatingOutcome::Kind::refused, e.code(), e.what()};
    } catch (const core::IllegalTransition& e) {  // the case's state does not allow it
        out = {RatingOutcome::Kind::refused, e.code(), e.what()};
    } catch (const core::NotAuthorised& e) {
        out = {RatingOutcome::Kind::refused, e.code(), e.what()};
    } catch (const core::InvalidData& e) {  // workflow::InvalidInput among them
        out = invalid(e.code(), e.what());
    }
    return out;
}

}  // namespace

const std::array<RatingChoice, 5>& rating_choices() {
    static const std::array<RatingChoice, 5> kChoices = {{
        {5, N_("Very satisfied"), false},
        {4, N_("Satisfied"), false},
        {3, N_("Basically satisfied"), false},
        {2, N_("Dissatisfied"), true},
        {1, N_("Very dissatisfied"), true},
    }};
    return kChoices;
}

const std::array<RatingReason, 5>& rating_reasons() {
    static const std::array<RatingReason, 5> kReasons = {{
        {"slow", N_("It took too long")},
        {"attitude", N_("The staff's attitude")},
        {"unclear", N_("Things were not explained clearly")},
        {"repeat_visits", N_("I had to come more than once")},
        {"other", N_("Something else")},
    }};
    return kReasons;
}

bool is_bad_rating(int national_level) { return national_level == 1 || national_level == 2; }

int national_from_gbt(int gbt_level) { return gbt_level >= 1 && gbt_level <= 5 ? 6 - gbt_level : 0; }

RatingPresenter::RatingPresenter(DeskServices& services) : services_(services) {}

RatingOutcome RatingPresenter::start(const std::string& case_id) {
    case_ = {};
    level_ = 0;
    reason_.clear();
    text_.clear();
    const auto id = core::Uuid::parse(case_id);
    if (!id) return invalid("rating.no_case", "no case is selected");
    store::CaseStore cases(services_.store().db(), services_.calendar());
    const auto c = cases.load(*id);
    if (!c) return invalid("rating.no_case", "no such case: " + case_id);
    if (c->state != core::CaseState::result_issued)
        return invalid("rating.not_ratable", "case " + c->receipt_no + " is " + std::string(core::to_code(c->state)) +
                                                 ": only a case whose result was issued is rated");
    case_.case_id = case_id;
    case_.receipt_no = c->receipt_no;
    const auto* bundle = c->bundle_code.empty() ? nullptr : services_.catalogue().bundle(c->bundle_code);
    const auto* item = services_.catalogue().item(c->item_code);
    case_.item_name = bundle ? bundle->name : item ? item->name : c->item_name;
    const auto who = services_.who();
    case_.clerk = who.display_name.empty() ? who.user : who.display_name;
    return {};
}

RatingOutcome RatingPresenter::choose(int level) {
    if (level < 1 || level > 5) return invalid("rating.bad_level", "a rating is 1 (very dissatisfied) … 5 (very satisfied)");
    level_ = level;
    if (!is_bad_rating(level)) reason_.clear();
    return {};
}

RatingOutcome RatingPresenter::set_reason(const std::string& code) {
    if (!code.empty() && !known_reason(code)) return invalid("rating.unknown_reason", "unknown reason '" + code + "'");
    reason_ = code;
    return {};
}

RatingOutcome RatingPresenter::check() const {
    if (!started()) return invalid("rating.no_case", "no rating is being asked");
    if (level_ == 0) return invalid("rating.no_level", "no level was chosen");
    if (is_bad_rating(level_) && reason_.empty())
        return invalid("rating.reason_needed", "a rating of 1 or 2 needs a reason from the list");
    return {};
}

workflow::Rate RatingPresenter::command() const {
    workflow::Rate r;
    r.level = level_;
    r.reason = is_bad_rating(level_) ? reason_ : std::string();
    r.text = trimmed(text_);
    r.channel = "window_device";
    return r;
}

RatingOutcome RatingPresenter::submit() {
    if (auto c = check(); !c.ok()) return c;
    auto out = run_rate(services_.workflow(), case_.case_id, command());
    rated(out);
    return out;
}

RatingOutcome RatingPresenter::run_rate(workflow::Workflow& wf, const std::string& case_id, const workflow::Rate& cmd) {
    const auto id = core::Uuid::parse(case_id);
    if (!id) return invalid("rating.no_case", "no case is selected");
    return guarded([&](RatingOutcome& out) {
        wf.rate(*id, cmd);
        out.level = cmd.level;
        out.follow_up = is_bad_rating(cmd.level);
    });
}

void RatingPresenter::rated(const RatingOutcome& outcome) {
    if (!outcome.ok()) return;
    case_ = {};
    level_ = 0;
    reason_.clear();
    text_.clear();
}

DeviceRating RatingPresenter::read_device(plugins::PluginHost& host, const RatingCase& rating_case, const json& simulate,
                                          const std::string& plugin) {
    DeviceRating out;
    std::vector<std::string> names;
    for (const auto& m : host.discovery().plugins)
        if (std::find(m.capabilities.begin(), m.capabilities.end(), plugins::Capability::rating_device) != m.capabilities.end() &&
            (plugin.empty() || m.name == plugin))
            names.push_back(m.name);
    if (names.empty()) {
        out.outcome = device("device.none", "no rating device plugin is installed");
        return out;
    }
    json request = {{"case", {{"id", rating_case.case_id}, {"item_name", rating_case.item_name}, {"clerk", rating_case.clerk}}}};
    if (!simulate.is_null()) request["simulate"] = simulate;
    for (const auto& name : names) {
        out.plugin = name;
        out.outcome = {};
        try {
            const json a = host.call(name, "rate", request);
            const int gbt = a.is_object() && a.contains("level") && a["level"].is_number_integer() ? a["level"].get<int>() : 0;
            const int level = national_from_gbt(gbt);
            if (level == 0 || (a.contains("case_id") && a["case_id"] != rating_case.case_id)) {
                out.outcome = device("device.bad_answer", "plugin '" + name + "': the rating answer has no level 1–5 for this case");
                return out;
            }
            out.rate.level = level;
            out.rate.channel = "window_device";
            if (is_bad_rating(level)) {
                const std::string said = a.contains("reason") && a["reason"].is_string() ? a["reason"].get<std::string>() : "";
                out.rate.reason = reason_code(said);
                if (!known_reason(said)) out.rate.text = trimmed(said);
            }
            return out;
        } catch (const plugins::PluginNotFound& e) {
            out.outcome = device("device.none", e.what());
            return out;
        } catch (const plugins::DeviceUnavailable& e) {
            out.outcome = device("device.unavailable", e.what());  // try the next device
        } catch (const plugins::PluginError& e) {
            out.outcome = device("device.failed", e.what());
            return out;
        }
    }
    return out;  // every device unavailable
}

RatingOutcome RatingPresenter::take_device(const DeviceRating& d) {
    if (!d.outcome.ok()) return d.outcome;
    if (!started()) return invalid("rating.no_case", "no rating is being asked");
    if (auto c = choose(d.rate.level); !c.ok()) return c;
    reason_ = d.rate.reason;
    text_ = d.rate.text;
    return check();
}

RatingOutcome RatingPresenter::run_close_follow_up(workflow::Workflow& wf, const std::string& case_id, const std::string& note) {
    const auto id = core::Uuid::parse(case_id);
    if (!id) return invalid("rating.no_case", "no case is selected");
    const std::string what = trimmed(note);
    if (what.empty()) return invalid("follow_up.note_needed", "closing a follow-up needs a note of what was done");
    // The store's limit, checked here: the store's refusal would come back as "no open follow-up".
    if (what.size() > kMaxFollowUpNote) return invalid("follow_up.note_too_long", "the follow-up's note is longer than 4000 bytes");
    return guarded([&](RatingOutcome&) { wf.close_follow_up(*id, what); });
}

}  // namespace ow::app
