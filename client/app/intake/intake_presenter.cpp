#include "intake/intake_presenter.h"

#include "cases/cases_presenter.h"
#include "common/private_dir.h"

#include "ow/core/error.h"
#include "ow/plugins/host.h"
#include "ow/store/cases.h"
#include "ow/store/drafts.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>
#include <unistd.h>

namespace ow::app {

using nlohmann::json;

namespace {

constexpr int kDraftVersion = 1;
constexpr std::size_t kSummaryAnswers = 20;  ///< key answers on the confirmation screen at most

/// Runs an act; refusals and bad input become an outcome (store errors propagate).
template <class F>
IntakeOutcome guarded(F&& f) {
    IntakeOutcome out;
    try {
        f();
    } catch (const workflow::Refused& e) {
        out = {IntakeOutcome::Kind::refused, e.code(), e.what()};
    } catch (const core::IllegalTransition& e) {  // the machine's own refusal (state)
        out = {IntakeOutcome::Kind::refused, e.code(), e.what()};
    } catch (const core::NotAuthorised& e) {
        out = {IntakeOutcome::Kind::refused, e.code(), e.what()};
    } catch (const core::InvalidData& e) {  // workflow::InvalidInput among them
        out = {IntakeOutcome::Kind::invalid, e.code(), e.what()};
    }
    return out;
}

IntakeOutcome invalid(std::string code, std::string message) {
    return {IntakeOutcome::Kind::invalid, std::move(code), std::move(message)};
}

IntakeOutcome device(std::string code, std::string message) {
    return {IntakeOutcome::Kind::device, std::move(code), std::move(message)};
}

/// Maps a plugin error to the outcome the view shows. The host reports a plugin's own failure
/// code at the end of the message ("… (no_card)").
IntakeOutcome device_error(const plugins::PluginError& e) {
    if (dynamic_cast<const plugins::DeviceUnavailable*>(&e)) return device("device.unavailable", e.what());
    const std::string what = e.what();
    if (what.ends_with("(no_card)")) return device("device.no_card", what);
    return device("device.failed", what);
}

/// The discovered plugins with a capability, in discovery (name) order.
std::vector<std::string> plugins_with(const plugins::PluginHost& host, plugins::Capability cap) {
    std::vector<std::string> out;
    for (const auto& m : host.discovery().plugins)
        if (std::find(m.capabilities.begin(), m.capabilities.end(), cap) != m.capabilities.end()) out.push_back(m.name);
    return out;
}

std::string without_spaces_upper(std::string_view text) {
    std::string out;
    for (char c : text)
        if (c != ' ' && c != '\t') out.push_back(char(std::toupper(static_cast<unsigned char>(c))));
    return out;
}

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

const char* field_code(ApplicantField f) {
    switch (f) {
    case ApplicantField::doc_number: return "doc_number";
    case ApplicantField::name: return "name";
    case ApplicantField::phone: return "phone";
    case ApplicantField::address: return "address";
    case ApplicantField::legal_representative: return "legal_representative";
    }
    return "name";
}

std::optional<ApplicantField> parse_field(const std::string& code) {
    for (auto f : {ApplicantField::doc_number, ApplicantField::name, ApplicantField::phone, ApplicantField::address,
                   ApplicantField::legal_representative})
        if (code == field_code(f)) return f;
    return std::nullopt;
}

std::string& slot(ApplicantFields& a, ApplicantField f) {
    switch (f) {
    case ApplicantField::doc_number: return a.doc_number;
    case ApplicantField::name: return a.name;
    case ApplicantField::phone: return a.phone;
    case ApplicantField::address: return a.address;
    case ApplicantField::legal_representative: return a.legal_representative;
    }
    return a.name;
}

json to_json(const ApplicantFields& a) {
    return {{"kind", a.kind == core::ApplicantKind::organisation ? "organisation" : "person"},
            {"doc_type", int(a.doc_type)},
            {"doc_number", a.doc_number},
            {"name", a.name},
            {"phone", a.phone},
            {"address", a.address},
            {"legal_representative", a.legal_representative}};
}

ApplicantFields applicant_from_json(const json& j) {
    ApplicantFields a;
    if (!j.is_object()) return a;
    auto str = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string(); };
    a.kind = str("kind") == "organisation" ? core::ApplicantKind::organisation : core::ApplicantKind::person;
    if (j.contains("doc_type") && j["doc_type"].is_number_integer())
        if (auto t = core::document_type_from_code(j["doc_type"].get<int>())) a.doc_type = *t;
    a.doc_number = str("doc_number");
    a.name = str("name");
    a.phone = str("phone");
    a.address = str("address");
    a.legal_representative = str("legal_representative");
    return a;
}

/// A JSON answer as one plain line of text (objects and lists: nothing).
std::string plain(const forms::Field& f, const json& v) {
    if (v.is_string()) {
        const auto s = v.get<std::string>();
        for (const auto& o : f.options)
            if (o.value == s) return o.label.zh_CN.empty() ? s : o.label.zh_CN;
        return s;
    }
    if (v.is_boolean()) return v.get<bool>() ? "是" : "否";
    if (f.type == forms::FieldType::money && v.is_number_integer()) return CatalogPresenter::format_yuan(v.get<std::int64_t>());
    if (v.is_number()) return v.dump();
    return {};
}

}  // namespace

// ---- steps ----

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

// ---- checks as typed ----

IdNumberCheck check_id_number(std::string_view text, core::Date today) {
    IdNumberCheck out;
    out.normalized = without_spaces_upper(text);
    const std::string& s = out.normalized;
    if (s.empty()) return out;
    auto full = [&] {
        auto r = core::check_resident_id(s, today);
        if (r.valid) {
            out.state = IdNumberCheck::State::ok;
            out.normalized = r.normalized;
            out.birth = r.birth;
            out.sex = r.sex;
        } else {
            out.state = r.code == "id.check_digit" ? IdNumberCheck::State::bad_check_digit : IdNumberCheck::State::invalid;
            out.code = r.code;
            out.reason = r.reason;
        }
    };
    if (s.size() >= 18 || (s.size() == 15 && all_digits(s) && core::check_resident_id(s, today).valid)) {
        full();  // 18 characters, more (too long), or an old 15-digit number that checks
        return out;
    }
    if (!all_digits(s)) {  // an X only ends an 18-character number
        out.state = IdNumberCheck::State::invalid;
        out.code = "id.characters";
        out.reason = "A resident ID number may only contain digits and a final X";  // ow_core's text (OW_N_)
        return out;
    }
    out.state = IdNumberCheck::State::incomplete;
    return out;
}

UsccTypedCheck check_uscc_typed(std::string_view text) {
    UsccTypedCheck out;
    out.normalized = without_spaces_upper(text);
    const std::string& s = out.normalized;
    if (s.empty()) return out;
    static const std::string kSymbols = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    if (s.size() < 18 && s.find_first_not_of(kSymbols) == std::string::npos) {
        out.state = UsccTypedCheck::State::incomplete;
        return out;
    }
    auto r = core::check_uscc(s);
    out.normalized = r.normalized.empty() ? s : r.normalized;
    switch (r.status) {
    case core::UsccStatus::valid: out.state = UsccTypedCheck::State::ok; break;
    case core::UsccStatus::bad_check_digit:
        out.state = UsccTypedCheck::State::bad_check_digit;
        out.expected_check = r.expected_check;
        break;
    default: out.state = UsccTypedCheck::State::invalid; break;
    }
    out.code = r.code;
    out.reason = r.reason;
    return out;
}

PhoneState check_phone_typed(std::string_view text) {
    std::string t(text);
    if (t.find_first_not_of(" \t") == std::string::npos) return PhoneState::empty;
    if (t.size() > 20 || t.find_first_not_of("0123456789-+ ") != std::string::npos) return PhoneState::invalid;
    if (core::check_mobile(t).valid) return PhoneState::ok;
    std::string digits;
    for (char c : t)
        if (c >= '0' && c <= '9') digits.push_back(c);
    if (t.starts_with("+86") || t.starts_with("0086")) digits.erase(0, t.starts_with("+86") ? 2 : 4);
    if (!digits.empty() && digits[0] == '1')  // a mobile number on its way, or a wrong one
        return digits.size() < 11 ? PhoneState::incomplete : PhoneState::invalid;
    return digits.size() < 7 ? PhoneState::incomplete : PhoneState::ok;  // a landline (with its area code)
}

// ---- the presenter ----

IntakePresenter::IntakePresenter(DeskServices& services) : services_(services) {
    recheck();
    // Scans left by a desk killed between scanning and recording (an hour old: no scan takes that long).
    remove_stale("scan-", std::chrono::hours(1));
    remove_stale("demo-scan-", std::chrono::hours(1));
}
IntakePresenter::~IntakePresenter() = default;

const core::Case& IntakePresenter::case_data() const {
    if (!case_) throw std::logic_error("IntakePresenter: no intake is open");
    return *case_;
}

std::string IntakePresenter::case_id() const { return case_ ? case_->id.to_string() : std::string(); }

std::string IntakePresenter::title() const {
    if (!case_) return {};
    const auto& cat = services_.catalogue();
    if (!case_->bundle_code.empty())
        if (const auto* b = cat.bundle(case_->bundle_code)) return b->name;
    if (const auto* it = cat.item(case_->item_code)) return it->name;
    return case_->item_name.empty() ? case_->item_code : case_->item_name;
}

void IntakePresenter::close() {
    case_.reset();
    form_.reset();
    applicant_ = {};
    prefilled_.clear();
    form_prefilled_.clear();
    returning_ = false;
    id_card_ = json::object();
    committed_answers_.clear();
    committed_applicant_.clear();
    document_.reset();
    decided_ = false;
    duplicates_.clear();
    duplicates_confirmed_ = false;
    step_ = IntakeStep::item;
    recheck();
}

std::vector<StepState> IntakePresenter::steps() const {
    std::vector<StepState> out;
    using St = StepState::Status;
    for (auto s : kIntakeSteps) {
        StepState st{s, St::todo, 0};
        switch (s) {
        case IntakeStep::item:
            if (case_) st.status = St::done;
            break;
        case IntakeStep::applicant:
            if (!case_) break;
            if (checks_.problems > 0) {
                st = {s, St::problems, checks_.problems};
            } else if (checks_.complete) {
                st.status = St::done;
            } else {
                const bool number_ok = applicant_.kind == core::ApplicantKind::organisation
                                           ? checks_.uscc.state == UsccTypedCheck::State::ok
                                           : (applicant_.doc_type == core::DocumentType::resident_id ? checks_.id.state == IdNumberCheck::State::ok
                                                                                                     : checks_.other_doc_ok);
                st.count = int(!number_ok) + int(checks_.name_missing) + int(checks_.phone == PhoneState::incomplete);
            }
            break;
        case IntakeStep::form: {
            if (!form_) break;
            auto v = form_->validate();
            int missing = 0, wrong = 0;
            for (const auto& i : v.issues)
                if (i.severity == forms::Severity::error) ++(i.code == "field.required" ? missing : wrong);
            if (wrong > 0) st = {s, St::problems, wrong};
            else if (missing > 0) st.count = missing;
            else st.status = St::done;
            break;
        }
        case IntakeStep::materials: {
            if (!case_) break;
            int wrong = 0;
            for (const auto& e : case_->checklist.entries)
                if (e.status == core::MaterialStatus::missing || e.status == core::MaterialStatus::defective) ++wrong;
            const int blocking = int(case_->checklist.blocking().size());
            if (wrong > 0) st = {s, St::problems, wrong};
            else if (blocking > 0) st.count = blocking;
            else st.status = St::done;
            break;
        }
        case IntakeStep::decision:
            if (decided_) st.status = St::done;
            break;
        case IntakeStep::document:
            if (document_) st.status = St::done;
            break;
        }
        out.push_back(st);
    }
    return out;
}

IntakeOutcome IntakePresenter::goto_step(IntakeStep s) {
    IntakeOutcome out;
    if (case_ && s != step_ && !decided_) out = commit_if_leaving(step_);
    step_ = s;
    save_draft();
    return out;
}

IntakeOutcome IntakePresenter::commit_if_leaving(IntakeStep from) {
    if (from == IntakeStep::applicant && checks_.complete && to_json(applicant_).dump() != committed_applicant_)
        return commit_applicant();
    if (from == IntakeStep::form) return commit_answers();
    return {};
}

void IntakePresenter::take(const workflow::ActResult& r) { case_ = r.case_data; }

// ---- step 1 ----

std::vector<CatalogRow> IntakePresenter::search(const std::string& query) const {
    auto rows = catalog().rows({}, query);
    if (rows.size() > std::size_t(kSearchLimit)) rows.resize(std::size_t(kSearchLimit));
    return rows;
}

IntakeOutcome IntakePresenter::start(const std::string& code, bool is_bundle) {
    const auto& cat = services_.catalogue();
    if (is_bundle ? cat.bundle(code) == nullptr : cat.item(code) == nullptr)
        return invalid("intake.unknown_item", "no " + std::string(is_bundle ? "bundle" : "item") + " '" + code + "' in the catalogue");
    close();
    workflow::StartIntake cmd;
    (is_bundle ? cmd.bundle_code : cmd.item_code) = code;
    workflow::ActResult r;
    auto out = guarded([&] { r = services_.workflow().start_intake(cmd); });
    if (!out.ok()) return out;
    take(r);
    open_form(json::object());
    step_ = IntakeStep::applicant;
    save_draft();
    return out;
}

void IntakePresenter::open_form(const json& raw_answers) {
    form_.reset();
    if (!case_) return;
    auto def = services_.forms().find(case_->bundle_code.empty() ? case_->item_code : case_->bundle_code);
    if (!def) return;
    form_ = std::make_unique<forms::FormSession>(std::move(def), services_.today());
    form_->set_answers(raw_answers);
    attach_scans();
}

// ---- step 2 ----

void IntakePresenter::recheck() {
    ApplicantChecks c;
    const auto& a = applicant_;
    bool number_ok = false;
    int problems = 0;
    if (a.kind == core::ApplicantKind::organisation) {
        c.uscc = check_uscc_typed(a.doc_number);
        number_ok = c.uscc.state == UsccTypedCheck::State::ok;
        problems += c.uscc.state == UsccTypedCheck::State::invalid || c.uscc.state == UsccTypedCheck::State::bad_check_digit;
    } else if (a.doc_type == core::DocumentType::resident_id) {
        c.id = check_id_number(a.doc_number, services_.today());
        number_ok = c.id.state == IdNumberCheck::State::ok;
        problems += c.id.state == IdNumberCheck::State::invalid || c.id.state == IdNumberCheck::State::bad_check_digit;
    } else {
        c.other_doc_ok = core::check_document_number(a.doc_type, a.doc_number).valid;
        number_ok = c.other_doc_ok;
        problems += !a.doc_number.empty() && !c.other_doc_ok;
    }
    c.phone = check_phone_typed(a.phone);
    problems += c.phone == PhoneState::invalid;
    c.name_missing = a.name.find_first_not_of(" \t") == std::string::npos;
    c.complete = number_ok && !c.name_missing && (c.phone == PhoneState::empty || c.phone == PhoneState::ok);
    c.problems = problems;
    checks_ = std::move(c);
}

/// The number as the store keys applicants (normalised; organisations by USCC, doc type other).
void IntakePresenter::look_up_returning() {
    std::string number;
    core::DocumentType type = applicant_.doc_type;
    if (applicant_.kind == core::ApplicantKind::organisation) {
        if (checks_.uscc.state != UsccTypedCheck::State::ok) return;
        number = checks_.uscc.normalized;
        type = core::DocumentType::other;
    } else if (applicant_.doc_type == core::DocumentType::resident_id) {
        if (checks_.id.state != IdNumberCheck::State::ok) return;
        number = checks_.id.normalized;
    } else {
        if (!checks_.other_doc_ok) return;
        auto chk = core::check_document_number(type, applicant_.doc_number);
        number = chk.normalized.empty() ? applicant_.doc_number : chk.normalized;
    }
    // 免证办: the platform's e-licences of this applicant, asked now in the background, so that
    // committing the applicant (Workflow::set_applicant) finds them without waiting.
    services_.prefetch_e_licences(type, number);
    store::CaseStore cases(services_.store().db(), services_.calendar());
    auto known = cases.find_applicant(type, number);
    if (!known) return;
    returning_ = true;
    auto fill = [&](ApplicantField f, const std::string& value) {
        std::string& s = slot(applicant_, f);
        if (!s.empty() || value.empty()) return;
        s = value;
        if (std::find(prefilled_.begin(), prefilled_.end(), f) == prefilled_.end()) prefilled_.push_back(f);
    };
    fill(ApplicantField::name, known->name);
    fill(ApplicantField::phone, known->phone);
    fill(ApplicantField::address, known->address);
    if (applicant_.kind == core::ApplicantKind::organisation) fill(ApplicantField::legal_representative, known->legal_representative);
    recheck();
}

void IntakePresenter::set_applicant_kind(core::ApplicantKind kind) {
    if (kind == applicant_.kind) return;
    applicant_.kind = kind;
    set_field(ApplicantField::doc_number, "");  // a number of the other kind means nothing here
}

void IntakePresenter::set_doc_type(core::DocumentType type) {
    if (type == applicant_.doc_type) return;
    applicant_.doc_type = type;
    const std::string number = applicant_.doc_number;
    applicant_.doc_number.clear();
    set_field(ApplicantField::doc_number, number);  // checked again for the type
}

void IntakePresenter::set_field(ApplicantField f, const std::string& value) {
    std::string& s = slot(applicant_, f);
    if (f != ApplicantField::doc_number) {
        if (s == value) return;
        s = value;
        std::erase(prefilled_, f);  // typed over: no longer filled for the clerk
        recheck();
        save_draft();
        return;
    }
    const std::string before = without_spaces_upper(s);
    s = value;
    recheck();  // also after a change of kind or document type (same number, other rules)
    if (without_spaces_upper(value) != before) {
        // Another number: what a returning applicant or a card filled belongs to the old one.
        for (auto p : prefilled_)
            if (p != ApplicantField::doc_number) slot(applicant_, p).clear();
        prefilled_.clear();
        returning_ = false;
        if (!id_card_.empty() && id_card_.value("id_number", std::string()) != without_spaces_upper(value)) id_card_ = json::object();
        recheck();
        look_up_returning();
    }
    save_draft();
}

IdCardRead IntakePresenter::read_id_card(plugins::PluginHost& host, const json& request, const std::string& plugin) {
    IdCardRead out;
    const auto names = plugin.empty() ? plugins_with(host, plugins::Capability::id_reader) : std::vector<std::string>{plugin};
    if (names.empty()) {
        out.outcome = device("device.none", "no ID card reader plugin is installed");
        return out;
    }
    for (const auto& name : names) {
        out.plugin = name;
        out.outcome = {};
        try {
            json a = host.call(name, "read", request);
            if (!a.is_object() || !a.contains("id_number") || !a["id_number"].is_string() || !a.contains("name") ||
                !a["name"].is_string()) {
                out.outcome = device("device.bad_answer", "plugin '" + name + "': the card answer has no name or ID number");
                return out;
            }
            out.card = std::move(a);
            return out;
        } catch (const plugins::PluginNotFound& e) {
            out.outcome = device("device.none", e.what());
            return out;
        } catch (const plugins::PluginError& e) {
            out.outcome = device_error(e);
            if (out.outcome.code != "device.unavailable") return out;  // a reader is there: its answer stands
        }
    }
    return out;  // every reader unavailable
}

IntakeOutcome IntakePresenter::apply_id_card(const IdCardRead& read) {
    if (!read.outcome.ok()) return read.outcome;
    const json& card = read.card;
    auto str = [&](const char* k) { return card.contains(k) && card[k].is_string() ? card[k].get<std::string>() : std::string(); };
    applicant_.kind = core::ApplicantKind::person;
    applicant_.doc_type = core::DocumentType::resident_id;
    set_field(ApplicantField::doc_number, str("id_number"));  // clears what belonged to another number
    id_card_ = card;
    for (auto [f, key] : {std::pair{ApplicantField::name, "name"}, std::pair{ApplicantField::address, "address"}}) {
        const std::string v = str(key);
        if (v.empty()) continue;
        slot(applicant_, f) = v;  // the card's values replace typed ones
        if (std::find(prefilled_.begin(), prefilled_.end(), f) == prefilled_.end()) prefilled_.push_back(f);
    }
    if (std::find(prefilled_.begin(), prefilled_.end(), ApplicantField::doc_number) == prefilled_.end())
        prefilled_.insert(prefilled_.begin(), ApplicantField::doc_number);
    recheck();
    look_up_returning();  // a returning applicant's phone
    prefill_form();
    save_draft();
    return {};
}

IntakeOutcome IntakePresenter::read_id_card(const json& request) { return apply_id_card(read_id_card(services_.plugins(), request)); }

IntakeOutcome IntakePresenter::commit_applicant() {
    if (!case_) return invalid("intake.not_started", "no intake is open");
    if (!checks_.complete) return invalid("intake.applicant_incomplete", "the applicant's number, name or phone is not complete");
    workflow::SetApplicant cmd;
    cmd.kind = applicant_.kind;
    cmd.doc_type = applicant_.doc_type;
    cmd.doc_number = applicant_.kind == core::ApplicantKind::organisation ? checks_.uscc.normalized
                     : applicant_.doc_type == core::DocumentType::resident_id ? checks_.id.normalized
                                                                              : applicant_.doc_number;
    cmd.name = applicant_.name;
    cmd.phone = applicant_.phone;
    cmd.address = applicant_.address;
    cmd.legal_representative = applicant_.legal_representative;
    workflow::ActResult r;
    auto out = guarded([&] { r = services_.workflow().set_applicant(case_->id, cmd); });
    if (!out.ok()) return out;
    take(r);
    auto ids = [](const std::vector<store::SearchHit>& v) {
        std::vector<std::string> list;
        for (const auto& h : v) list.push_back(h.id);
        return list;
    };
    if (ids(r.duplicates) != ids(duplicates_)) duplicates_confirmed_ = false;  // other cases: tell again
    duplicates_ = r.duplicates;
    committed_applicant_ = to_json(applicant_).dump();
    prefill_form();
    save_draft();
    return out;
}

void IntakePresenter::prefill_form() {
    if (!form_) return;
    forms::PrefillData data;
    if (case_ && !case_->applicant.name.empty()) data.applicant = core::to_json(case_->applicant);
    else {
        core::Applicant a;
        a.kind = applicant_.kind;
        a.name = applicant_.name;
        a.doc_type = applicant_.kind == core::ApplicantKind::organisation ? core::DocumentType::other : applicant_.doc_type;
        a.doc_number = applicant_.doc_number;
        a.phone = applicant_.phone;
        a.address = applicant_.address;
        a.legal_representative = applicant_.legal_representative;
        data.applicant = core::to_json(a);
    }
    // An empty value is no value: it must not take a field a later prefill would fill.
    for (auto it = data.applicant.begin(); it != data.applicant.end();)
        it = it->is_string() && it->get<std::string>().empty() ? data.applicant.erase(it) : std::next(it);
    data.id_card = id_card_;
    for (auto& path : form_->prefill(data))
        if (std::find(form_prefilled_.begin(), form_prefilled_.end(), path) == form_prefilled_.end()) form_prefilled_.push_back(path);
}

void IntakePresenter::attach_scans() {
    // As Workflow::answer does: an attachment field bound to a material gets the material's scan,
    // so a material scanned on the materials step is not asked again in the form.
    if (!form_ || !case_) return;
    const auto& def = form_->definition();
    const json& given = form_->raw_answers();
    for (int root : def.roots()) {
        const forms::Field& f = def.fields()[std::size_t(root)];
        if (f.type != forms::FieldType::attachment || f.material.empty() || given.contains(f.id)) continue;
        const core::ChecklistEntry* entry = case_->checklist.find(f.material);
        if (!entry && !f.item.empty())
            for (const auto& part : def.parts())
                if (part.item == f.item && !entry) entry = case_->checklist.find(part.alias + "." + f.material);
        if (entry && !entry->blob_sha256.empty()) form_->set_answer("/" + f.id, {{"sha256", entry->blob_sha256}});
    }
}

// ---- step 3 ----

forms::FormSession& IntakePresenter::form() {
    if (!form_) throw std::logic_error(case_ ? "IntakePresenter: the case's item has no form" : "IntakePresenter: no intake is open");
    return *form_;
}

void IntakePresenter::form_edited() { save_draft(); }

IntakeOutcome IntakePresenter::commit_answers() {
    if (!case_ || !form_) return {};
    if (!form_->validate().valid) return {};  // kept in the draft as typed
    json answers = form_->answers_json();
    std::string text = answers.dump();
    if (text == committed_answers_) return {};
    workflow::ActResult r;
    auto out = guarded([&] { r = services_.workflow().answer(case_->id, answers); });
    if (!out.ok()) return out;
    take(r);
    committed_answers_ = std::move(text);
    save_draft();
    return out;
}

// ---- step 4 ----

std::vector<MaterialLine> IntakePresenter::materials() const {
    std::vector<MaterialLine> out;
    if (!case_) return out;
    const auto& cat = services_.catalogue();
    auto blocking = case_->checklist.blocking();
    for (const auto& e : case_->checklist.entries) {
        MaterialLine m;
        m.code = e.material_code;
        m.name = e.name;
        m.necessity = e.necessity;
        m.serves_items = e.serves_items;
        for (const auto& code : e.serves_items) {
            const auto* it = cat.item(code);
            m.serves_names.push_back(it ? it->name : code);
        }
        m.status = e.status;
        m.promised_by = e.promised_by;
        m.note = e.note;
        m.has_scan = !e.blob_sha256.empty();
        m.blocking = std::find(blocking.begin(), blocking.end(), &e) != blocking.end();
        m.commitment_allowed = e.commitment_allowed;
        out.push_back(std::move(m));
    }
    return out;
}

core::Date IntakePresenter::working_days_from_today(int days) const {
    return services_.calendar().add_working_days(services_.today(), days);
}

IntakeOutcome IntakePresenter::record_material(const MaterialRecord& rec) {
    if (!case_) return invalid("intake.not_started", "no intake is open");
    workflow::RecordMaterial cmd;
    cmd.material_code = rec.material_code;
    cmd.status = rec.status;
    cmd.file = rec.file;
    cmd.note = rec.note;
    cmd.commitment_text = rec.commitment_text;
    if (rec.status == core::MaterialStatus::deferred) {
        if (rec.deferred_days < 1 || rec.deferred_days > 60)
            return invalid("intake.deferred_days", "a deferred material (容缺) is promised within 1 to 60 working days");
        cmd.until = working_days_from_today(rec.deferred_days);
    }
    if (rec.status == core::MaterialStatus::commitment && rec.commitment_text.find_first_not_of(" \t\n") == std::string::npos)
        return invalid("intake.commitment_text_missing", "a commitment (告知承诺) needs the text the applicant commits to");
    workflow::ActResult r;
    auto out = guarded([&] { r = services_.workflow().record_material(case_->id, cmd); });
    if (!out.ok()) return out;
    take(r);
    attach_scans();
    save_draft();
    return out;
}

ScanResult IntakePresenter::scan(plugins::PluginHost& host, const ScanRequest& request) {
    ScanResult out;
    std::string name = request.plugin;
    if (name.empty())
        if (auto all = plugins_with(host, plugins::Capability::scanner); !all.empty()) name = all.front();
    if (name.empty()) {
        out.outcome = device("device.none", "no scanner plugin is installed");
        return out;
    }
    try {
        if (request.output_dir.empty()) {
            std::string tmpl = (private_dir() / "scan-XXXXXX").string();
            if (!::mkdtemp(tmpl.data())) {
                out.outcome = device("device.failed", "cannot make a private folder for the scan");
                return out;
            }
            out.output_dir = tmpl;
        } else {
            out.output_dir = request.output_dir;
        }
        json rq = {{"pages", request.pages}, {"resolution", request.resolution}, {"format", "both"},
                   {"output_dir", out.output_dir.string()}};
        if (!request.device.empty()) rq["device"] = request.device;
        json a = host.call(name, "scan", rq);
        if (a.is_object() && a.contains("pages") && a["pages"].is_array())
            for (const auto& p : a["pages"])
                if (p.is_object() && p.contains("png") && p["png"].is_string()) out.pages.emplace_back(p["png"].get<std::string>());
        if (a.is_object() && a.contains("pdf") && a["pdf"].is_string()) out.file = a["pdf"].get<std::string>();
        else if (!out.pages.empty()) out.file = out.pages.front();
        if (a.is_object() && a.contains("device") && a["device"].is_string()) out.device = a["device"].get<std::string>();
        std::error_code ec;
        if (out.file.empty() || !std::filesystem::is_regular_file(out.file, ec))
            out.outcome = device("device.bad_answer", "plugin '" + name + "': the scan answer names no file");
    } catch (const plugins::PluginError& e) {
        out.outcome = device_error(e);
    } catch (const core::Error& e) {  // the private folder
        out.outcome = device("device.failed", e.what());
    }
    if (!out.outcome.ok() && request.output_dir.empty()) discard_scan(out);
    return out;
}

void IntakePresenter::discard_scan(const ScanResult& scan) {
    std::error_code ec;
    if (!scan.output_dir.empty()) std::filesystem::remove_all(scan.output_dir, ec);
}

IntakeOutcome IntakePresenter::record_scan(const std::string& material_code, const ScanResult& scan) {
    if (!scan.outcome.ok()) return scan.outcome;
    MaterialRecord rec;
    rec.material_code = material_code;
    rec.status = core::MaterialStatus::scanned;
    rec.file = scan.file;
    auto out = record_material(rec);
    if (out.ok()) discard_scan(scan);  // the scan is a blob of the store now
    return out;
}

std::vector<workflow::Document> IntakePresenter::documents() {
    if (!case_) return {};
    return services_.workflow().documents(case_->id, true);
}

// ---- step 5 ----

DecisionPreview IntakePresenter::decision_preview() const {
    DecisionPreview p;
    if (!case_) return p;
    for (const auto& m : materials())
        if (m.blocking) p.missing.push_back(m);
    p.applicant_complete = !case_->applicant.name.empty();
    if (form_) p.form_errors = int(form_->validate().errors());
    p.can_accept = p.missing.empty() && p.applicant_complete && p.form_errors == 0;
    p.promised_days = case_->promised_limit_days;
    auto due = services_.calendar().due_date_answer(services_.today(), case_->promised_limit_days);
    p.promised = due.value;
    p.promised_provisional = due.provisional;
    p.duplicates = duplicates_;
    return p;
}

void IntakePresenter::refresh_duplicates() {
    duplicates_.clear();
    duplicates_confirmed_ = false;
    if (!case_ || case_->applicant.doc_number.empty()) return;
    try {
        duplicates_ = services_.workflow().open_duplicates(case_->id);
    } catch (const std::exception&) {  // the warning is a help, not a condition: nothing shown
    }
}

std::vector<SummaryLine> IntakePresenter::summary() const {
    std::vector<SummaryLine> out;
    if (!case_) return out;
    out.push_back({"item", "", title(), ""});
    out.push_back({"receipt_no", "", case_->receipt_no, ""});
    const std::string name = case_->applicant.name.empty() ? applicant_.name : case_->applicant.name;
    const std::string number = case_->applicant.doc_number.empty() ? applicant_.doc_number : case_->applicant.doc_number;
    const std::string phone = case_->applicant.phone.empty() ? applicant_.phone : case_->applicant.phone;
    out.push_back({"applicant", "", name, ""});
    if (!number.empty()) out.push_back({"doc_number", "", mask_middle(number, 4, 4), ""});
    if (!phone.empty()) out.push_back({"phone", "", mask_middle(phone, 3, 4), ""});
    if (form_) {
        // Key answers: the required top-level fields that have an answer, in form order.
        const json answers = form_->answers_json()["answers"];
        std::size_t n = 0;
        for (const auto& vf : form_->visible_fields()) {
            if (n >= kSummaryAnswers) break;
            const forms::Field* f = vf.field;
            if (!f || !vf.required || f->parent != -1 || f->repeat != -1 || f->type == forms::FieldType::attachment ||
                f->type == forms::FieldType::group || f->type == forms::FieldType::repeat || !answers.contains(f->id))
                continue;
            std::string v = plain(*f, answers[f->id]);
            if (v.empty()) continue;
            // The hall can see the applicant's screen: numbers masked as the applicant's own are.
            if (f->type == forms::FieldType::phone) v = mask_middle(v, 3, 4);
            else if (f->type == forms::FieldType::resident_id || f->type == forms::FieldType::uscc) v = mask_middle(v, 4, 4);
            out.push_back({"answer", f->label.zh_CN, v, f->label.en});
            ++n;
        }
    }
    for (const auto& e : case_->checklist.entries) out.push_back({"material", e.name, std::string(core::to_code(e.status)), ""});
    if (auto p = decision_preview(); p.promised) out.push_back({"promised", "", core::format_date(*p.promised), ""});
    return out;
}

IntakeOutcome IntakePresenter::prepare_decision(const DecisionRequest& r) {
    if (!case_) return invalid("intake.not_started", "no intake is open");
    if (decided_) return invalid("intake.decided", "this intake was decided already");
    if (r.decision == IntakeDecision::refuse) {
        if (r.reason.find_first_not_of(" \t\n") == std::string::npos)
            return invalid("intake.refusal_reason_missing", "a refusal (不予受理) needs its reason");
        if (r.legal_basis.find_first_not_of(" \t\n") == std::string::npos)
            return invalid("intake.legal_basis_missing", "a refusal (不予受理) needs its legal basis");
    }
    if (r.decision == IntakeDecision::correction && (r.correction_days < 1 || r.correction_days > 60))
        return invalid("intake.correction_days", "the correction period is 1 to 60 working days");
    if (checks_.complete && to_json(applicant_).dump() != committed_applicant_)
        if (auto out = commit_applicant(); !out.ok()) return out;
    if (r.decision == IntakeDecision::accept && !duplicates_.empty() && !duplicates_confirmed_) {
        duplicates_confirmed_ = true;  // told once: deciding again accepts
        return invalid("intake.duplicate_unconfirmed",
                       "the applicant has another open case of this item: check it, then decide again to accept anyway");
    }
    return commit_answers();
}

DecisionOutcome IntakePresenter::run_decision(workflow::Workflow& wf, const std::string& case_id, const DecisionRequest& r) {
    DecisionOutcome out;
    out.case_id = case_id;
    const auto id = core::Uuid::parse(case_id);
    if (!id) {
        out.outcome = invalid("intake.not_started", "no intake is open");
        return out;
    }
    out.outcome = guarded([&] {
        workflow::ActResult res;
        switch (r.decision) {
        case IntakeDecision::accept: res = wf.accept(*id); break;
        case IntakeDecision::correction: {
            workflow::Correction c;  // no materials named: the notice lists every blocking one
            c.reason = r.reason;
            c.correction_days = r.correction_days;
            res = wf.request_correction(*id, c);
            break;
        }
        case IntakeDecision::refuse: res = wf.refuse(*id, {r.reason, r.legal_basis}); break;
        }
        out.state = res.case_data.state;
        out.document = std::move(res.document);
    });
    return out;
}

void IntakePresenter::decided(const DecisionOutcome& outcome) {
    // Decided: nothing of the intake is left to resume, whichever intake is open now.
    if (outcome.outcome.ok()) store::IntakeDrafts(services_.store().db()).remove(outcome.case_id);
    if (!case_ || outcome.case_id != case_->id.to_string()) return;  // another intake is open now
    case_ = services_.workflow().load(case_->id);
    if (!outcome.outcome.ok()) return;
    decided_ = true;
    document_ = outcome.document;
    step_ = IntakeStep::document;
}

DecisionOutcome IntakePresenter::decide(const DecisionRequest& r) {
    DecisionOutcome out;
    out.case_id = case_id();
    out.outcome = prepare_decision(r);
    if (!out.outcome.ok()) return out;
    out = run_decision(services_.workflow(), case_id(), r);
    decided(out);
    return out;
}

// ---- drafts ----

void IntakePresenter::save_draft() {
    if (!case_ || decided_) return;
    json body = {{"v", kDraftVersion},
                 {"applicant", to_json(applicant_)},
                 {"returning", returning_},
                 {"id_card", id_card_},
                 {"answers", form_ ? form_->raw_answers() : json::object()},
                 {"committed_answers", committed_answers_},
                 {"committed_applicant", committed_applicant_}};
    json filled = json::array();
    for (auto f : prefilled_) filled.push_back(field_code(f));
    body["prefilled"] = std::move(filled);
    body["form_prefilled"] = form_prefilled_;
    store::IntakeDrafts(services_.store().db())
        .save(case_->id.to_string(), services_.store().user().name, std::string(to_code(step_)), body.dump(), services_.now());
}

std::vector<IntakeDraftRow> IntakePresenter::drafts() {
    std::vector<IntakeDraftRow> out;
    const auto& cat = services_.catalogue();
    for (const auto& l : store::IntakeDrafts(services_.store().db()).list(services_.store().user().name)) {
        IntakeDraftRow row;
        row.case_id = l.draft.case_id;
        row.receipt_no = l.receipt_no;
        if (const auto* b = cat.bundle(l.item_code)) row.title = b->name;
        else if (const auto* it = cat.item(l.item_code)) row.title = it->name;
        else row.title = l.item_code;
        auto body = json::parse(l.draft.body, nullptr, false);
        if (body.is_object() && body.contains("applicant")) row.applicant_name = applicant_from_json(body["applicant"]).name;
        if (row.applicant_name.empty()) row.applicant_name = l.applicant_name;
        row.step = parse_intake_step(l.draft.step).value_or(IntakeStep::item);
        row.updated_at = l.draft.updated_at;
        out.push_back(std::move(row));
    }
    return out;
}

IntakeOutcome IntakePresenter::resume(const std::string& case_id) {
    store::IntakeDrafts drafts(services_.store().db());
    auto d = drafts.load(case_id, services_.store().user().name);
    const auto id = core::Uuid::parse(case_id);
    if (!id) return invalid("intake.no_draft", "no draft of that intake for this user");
    if (!d) return adopt(*id);
    core::Case c;
    auto out = guarded([&] { c = services_.workflow().load(*id); });
    if (!out.ok()) return out;
    if (c.state != core::CaseState::draft) {
        drafts.remove(case_id);  // decided elsewhere (the cases screen): nothing to resume
        return invalid("intake.not_a_draft", "the case was taken further since: open it from the queues");
    }
    close();
    case_ = std::move(c);
    auto body = json::parse(d->body, nullptr, false);
    if (!body.is_object()) body = json::object();
    applicant_ = applicant_from_json(body.value("applicant", json::object()));
    returning_ = body.value("returning", false);
    if (body.contains("id_card") && body["id_card"].is_object()) id_card_ = body["id_card"];
    committed_answers_ = body.value("committed_answers", std::string());
    committed_applicant_ = body.value("committed_applicant", std::string());
    if (body.contains("prefilled") && body["prefilled"].is_array())
        for (const auto& f : body["prefilled"])
            if (f.is_string())
                if (auto p = parse_field(f.get<std::string>())) prefilled_.push_back(*p);
    if (body.contains("form_prefilled") && body["form_prefilled"].is_array())
        for (const auto& f : body["form_prefilled"])
            if (f.is_string()) form_prefilled_.push_back(f.get<std::string>());
    open_form(body.contains("answers") && body["answers"].is_object() ? body["answers"] : json::object());
    recheck();
    refresh_duplicates();
    step_ = parse_intake_step(d->step).value_or(IntakeStep::applicant);
    return out;
}

IntakeOutcome IntakePresenter::adopt(const core::Uuid& id) {
    // A draft case started without this screen (an appointment's check-in): its item, and the
    // applicant the act set (when the platform sent the whole ID number), taken as committed.
    core::Case c;
    try {
        c = services_.workflow().load(id);
    } catch (const core::InvalidData&) {  // no such case
        return invalid("intake.no_draft", "no draft of that intake for this user");
    }
    if (c.state != core::CaseState::draft) return invalid("intake.not_a_draft", "the case was taken further since: open it from the queues");
    IntakeOutcome out;
    close();
    case_ = std::move(c);
    const auto& a = case_->applicant;
    applicant_.kind = a.kind;
    applicant_.doc_type = a.doc_type;
    applicant_.doc_number = a.doc_number;
    applicant_.name = a.name;
    applicant_.phone = a.phone;
    applicant_.address = a.address;
    applicant_.legal_representative = a.legal_representative;
    open_form(json::object());
    recheck();
    if (!a.doc_number.empty() && checks_.complete) committed_applicant_ = to_json(applicant_).dump();
    refresh_duplicates();
    step_ = committed_applicant_.empty() ? IntakeStep::applicant : IntakeStep::form;
    save_draft();
    return out;
}

void IntakePresenter::discard() {
    if (case_) store::IntakeDrafts(services_.store().db()).remove(case_->id.to_string());
    close();
}

}  // namespace ow::app
