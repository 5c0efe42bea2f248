#include "intake/intake_presenter.h"

#include <stdexcept>

// First commit: the API only (the coordinator codes the view against it); the intents follow.
namespace ow::app {
namespace {
[[noreturn]] void todo() { throw std::logic_error("IntakePresenter: not implemented yet"); }
}  // namespace

std::string_view to_code(IntakeStep s) {
    switch (s) {
    case IntakeStep::item: return "item";
    case IntakeStep::applicant: return "applicant";
    case IntakeStep::form: return "form";
    case IntakeStep::materials: return "materials";
    case IntakeStep::decision: return "decision";
    case IntakeStep::document: return "document";
    }
    return "item";
}

std::optional<IntakeStep> parse_intake_step(std::string_view code) {
    for (auto s : kIntakeSteps)
        if (to_code(s) == code) return s;
    return std::nullopt;
}

IdNumberCheck check_id_number(std::string_view, core::Date) { todo(); }
UsccTypedCheck check_uscc_typed(std::string_view) { todo(); }
PhoneState check_phone_typed(std::string_view) { todo(); }

IntakePresenter::IntakePresenter(DeskServices& services) : services_(services) {}
IntakePresenter::~IntakePresenter() = default;

std::vector<StepState> IntakePresenter::steps() const { todo(); }
IntakeOutcome IntakePresenter::goto_step(IntakeStep) { todo(); }
const core::Case& IntakePresenter::case_data() const { todo(); }
std::string IntakePresenter::case_id() const { todo(); }
std::string IntakePresenter::title() const { todo(); }
void IntakePresenter::close() { todo(); }
std::vector<CatalogRow> IntakePresenter::search(const std::string&) const { todo(); }
IntakeOutcome IntakePresenter::start(const std::string&, bool) { todo(); }
void IntakePresenter::set_applicant_kind(core::ApplicantKind) { todo(); }
void IntakePresenter::set_doc_type(core::DocumentType) { todo(); }
void IntakePresenter::set_field(ApplicantField, const std::string&) { todo(); }
IdCardRead IntakePresenter::read_id_card(plugins::PluginHost&, const nlohmann::json&) { todo(); }
IntakeOutcome IntakePresenter::apply_id_card(const IdCardRead&) { todo(); }
IntakeOutcome IntakePresenter::read_id_card(const nlohmann::json&) { todo(); }
IntakeOutcome IntakePresenter::commit_applicant() { todo(); }
forms::FormSession& IntakePresenter::form() { todo(); }
void IntakePresenter::form_edited() { todo(); }
IntakeOutcome IntakePresenter::commit_answers() { todo(); }
std::vector<MaterialLine> IntakePresenter::materials() const { todo(); }
IntakeOutcome IntakePresenter::record_material(const MaterialRecord&) { todo(); }
ScanResult IntakePresenter::scan(plugins::PluginHost&, const ScanRequest&) { todo(); }
IntakeOutcome IntakePresenter::record_scan(const std::string&, const ScanResult&) { todo(); }
core::Date IntakePresenter::working_days_from_today(int) const { todo(); }
DecisionPreview IntakePresenter::decision_preview() const { todo(); }
std::vector<SummaryLine> IntakePresenter::summary() const { todo(); }
IntakeOutcome IntakePresenter::prepare_decision(const DecisionRequest&) { todo(); }
DecisionOutcome IntakePresenter::run_decision(workflow::Workflow&, const std::string&, const DecisionRequest&) { todo(); }
void IntakePresenter::decided(const DecisionOutcome&) { todo(); }
DecisionOutcome IntakePresenter::decide(const DecisionRequest&) { todo(); }
std::vector<IntakeDraftRow> IntakePresenter::drafts() { todo(); }
IntakeOutcome IntakePresenter::resume(const std::string&) { todo(); }
void IntakePresenter::discard() { todo(); }

}  // namespace ow::app
