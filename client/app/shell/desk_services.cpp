#include "shell/desk_services.h"

#include "settings/desk_settings.h"

#include "ow/plugins/host.h"
#include "ow/seal/seal.h"
#include "ow/store/repositories.h"
#include "ow/sync/client.h"
#include "ow/sync/signing.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>

namespace ow::app {

/// Answers of the platform asked in the background, by document ("<doc type>:<number>"), with the
/// look-ups in flight (shared with the workers that run them). An act never waits on the network:
/// it takes what a look-up already brought.
template <class Answer>
struct DeskServices::Lookups {
    mutable std::mutex mutex;
    std::uint64_t generation = 0;  // lock() moves it on: answers of an earlier sign-in are dropped
    std::map<std::string, Answer> answers;
    std::set<std::string> asked;
    std::vector<std::future<void>> running;

    static std::string key(core::DocumentType type, const std::string& number) {
        return std::to_string(core::document_type_info(type).code) + ":" + number;
    }
    /// Starts `lookup` on a worker unless that document was asked already; a failed look-up
    /// (offline, refused) is asked again next time.
    static void start(const std::shared_ptr<Lookups>& self, std::function<Answer(core::DocumentType, const std::string&)> lookup,
                      core::DocumentType type, const std::string& number) {
        const std::string k = key(type, number);
        std::lock_guard lock(self->mutex);
        if (!self->asked.insert(k).second) return;
        std::erase_if(self->running, [](auto& f) { return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready; });
        const auto generation = self->generation;
        self->running.push_back(std::async(std::launch::async, [self, lookup = std::move(lookup), type, number, k, generation] {
            Answer answer{};
            try {
                answer = lookup(type, number);
            } catch (const std::exception&) {
                std::lock_guard guard(self->mutex);
                if (self->generation == generation) self->asked.erase(k);
                return;
            }
            std::lock_guard guard(self->mutex);
            if (self->generation == generation) self->answers[k] = std::move(answer);
        }));
    }
    std::optional<Answer> find(core::DocumentType type, const std::string& number) const {
        std::lock_guard lock(mutex);
        auto it = answers.find(key(type, number));
        if (it == answers.end()) return std::nullopt;
        return it->second;
    }
    void wait() {
        std::vector<std::future<void>> in_flight;
        {
            std::lock_guard lock(mutex);
            in_flight.swap(running);
        }
        for (auto& f : in_flight) f.wait();
    }
    void forget() {
        std::lock_guard lock(mutex);
        ++generation;
        answers.clear();
        asked.clear();
    }
};

DeskServices::DeskServices(DeskConfig config)
    : config_(std::move(config)),
      shipped_catalogue_(core::Catalogue::load_shipped()),
      shipped_calendar_(core::WorkCalendar::load_shipped()),
      e_licences_(std::make_shared<Lookups<std::vector<std::string>>>()),
      credits_(std::make_shared<Lookups<workflow::CreditAnswer>>()) {}

DeskServices::~DeskServices() {
    lock();
    wait_e_licences();
    wait_credit();
}

workflow::Environment DeskServices::environment() {
    workflow::Environment env;
    env.envelope = workflow::default_envelope();
    if (config_.now) env.now = config_.now;
    env.after_commit = [this](const core::Case&) { wake_sync(); };  // thread-safe
    // Only what a background look-up already brought: an act never waits on the network.
    env.e_licences = [cache = e_licences_](core::DocumentType type, const std::string& number) {
        return cache->find(type, number).value_or(std::vector<std::string>{});
    };
    // 信即办: the credit standing asked when the case was opened for it (prefetch_credit).
    env.credit = [cache = credits_](core::DocumentType type, const std::string& number) {
        auto answer = cache->find(type, number);
        if (!answer) throw std::runtime_error("the platform's credit service has not answered (yet)");
        return *answer;
    };
    return env;
}

void DeskServices::prefetch_e_licences(core::DocumentType type, const std::string& number) {
    auto lookup = config_.e_licence_lookup;
    if (!lookup) {
        auto cfg = store::Settings(store().db()).platform();
        if (!cfg) return;  // no platform: nothing to ask
        lookup = [cfg = *cfg](core::DocumentType t, const std::string& n) {
            sync::PlatformClient client(cfg);
            std::vector<std::string> names;
            for (const auto& l : client.elicences(core::document_type_info(t).code, n))
                if (l.status == "valid") names.push_back(l.name);
            return names;
        };
    }
    Lookups<std::vector<std::string>>::start(e_licences_, std::move(lookup), type, number);
}

std::optional<std::vector<std::string>> DeskServices::e_licences(core::DocumentType type, const std::string& number) const {
    return e_licences_->find(type, number);
}

void DeskServices::wait_e_licences() { e_licences_->wait(); }

void DeskServices::prefetch_credit(core::DocumentType type, const std::string& number) {
    auto lookup = config_.credit_lookup;
    if (!lookup) {
        auto cfg = store::Settings(store().db()).platform();
        if (!cfg) return;  // no platform: 信即办 is refused (workflow.credit_unavailable)
        lookup = [cfg = *cfg](core::DocumentType t, const std::string& n) {
            sync::PlatformClient client(cfg);
            auto r = client.credit(core::document_type_info(t).code, n);
            return workflow::CreditAnswer{r.standing, r.source, r.report_no, core::parse_instant(r.checked_at)};
        };
    }
    Lookups<workflow::CreditAnswer>::start(credits_, std::move(lookup), type, number);
}

std::optional<workflow::CreditAnswer> DeskServices::credit(core::DocumentType type, const std::string& number) const {
    return credits_->find(type, number);
}

void DeskServices::wait_credit() { credits_->wait(); }

void DeskServices::sign_in(std::unique_ptr<store::Store> store) {
    lock();
    auto session = workflow::open_session(std::move(store), environment());
    if (config_.start_sync) {  // the engine waits quietly while no platform is configured
        sync::SyncOptions options;
        // Documents sealed offline get their document timestamp from the platform's TSA.
        options.timestamp_document = [](const auto& in, const auto& out, const auto& tsa) {
            seal::timestamp_document(in, out, tsa);
        };
        engine_ = std::make_unique<sync::SyncEngine>(*session->store, std::move(options));
        engine_->set_listener(&progress_);
        session_ = std::move(session);
        engine_->start();
    } else {
        session_ = std::move(session);
    }
    status_ = std::make_unique<SyncStatusPoller>(session_->store->connect(), std::chrono::seconds(2));
}

void DeskServices::lock() {
    e_licences_->forget();  // whose licences and credit: personal data, gone with the key
    credits_->forget();
    status_.reset();               // its connection closes with it
    if (engine_) engine_->stop();  // before the store closes
    engine_.reset();
    if (session_) {
        session_->workflow.reset();
        if (session_->store) session_->store->lock();  // wipes the key
    }
    session_.reset();
}

core::Instant DeskServices::now() const { return config_.now ? config_.now() : core::now(); }
core::Date DeskServices::today() const { return core::china_date(now()); }

const core::Catalogue& DeskServices::catalogue() const { return session_ ? session_->catalogue : shipped_catalogue_; }
const core::WorkCalendar& DeskServices::calendar() const { return session_ ? session_->calendar : shipped_calendar_; }

namespace {
[[noreturn]] void signed_out() { throw std::logic_error("the desk is locked: no store is open"); }
}  // namespace

store::Store& DeskServices::store() {
    if (!session_) signed_out();
    return *session_->store;
}
workflow::Workflow& DeskServices::workflow() {
    if (!session_) signed_out();
    return *session_->workflow;
}
const forms::FormCatalogue& DeskServices::forms() const {
    if (!session_) signed_out();
    return session_->forms;
}
const notices::NoticeRenderer& DeskServices::renderer() const {
    if (!session_) signed_out();
    return *session_->renderer;
}
store::SealAssignments DeskServices::seals() { return store::SealAssignments(store().db()); }
const std::string& DeskServices::catalogue_problem() const {
    static const std::string none;
    return session_ ? session_->catalogue_problem : none;
}

plugins::PluginHost& DeskServices::plugins() {
    if (!plugins_) plugins_ = std::make_unique<plugins::PluginHost>();
    return *plugins_;
}

DeskServices::Who DeskServices::who() {
    Who w;
    auto& s = store();
    const auto& u = s.user();
    w.user = u.name;
    w.display_name = u.display_name.empty() ? u.name : u.display_name;
    w.role = u.role;
    w.post = u.post;
    if (auto info = s.user_info(u.name)) w.absent = info->absent_since.has_value();
    w.terminal = store::Settings(s.db()).terminal().terminal;
    return w;
}

std::chrono::seconds DeskServices::idle_lock() { return app::idle_lock(store()); }

std::string DeskServices::window_label() { return app::window_label(store()); }

PrintSetup DeskServices::print_setup() { return app::print_setup(store()); }

bool DeskServices::acting_for_a() {
    auto& s = store();
    if (s.user().post != core::Post::B) return false;
    for (const auto& u : s.users())
        if (u.post == core::Post::A && u.absent_since) return true;
    return false;
}

std::string DeskServices::device_plugin(const std::string& key) {
    return store::Settings(store().db()).value(key);
}

std::string DeskServices::platform_name() {
    auto p = store::Settings(store().db()).platform();
    if (!p) return {};
    sync::wipe_secret(p->secret);  // only the name is needed here
    return p->platform_name;
}

void DeskServices::wake_sync() {
    if (engine_) engine_->wake();
    if (status_) status_->poke();
}

std::unique_ptr<workflow::Session> DeskServices::worker_session() {
    return workflow::open_session(store().another(), environment());
}

std::optional<sync::SyncStatus> DeskServices::sync_status() { return status_ ? status_->latest() : std::nullopt; }

}  // namespace ow::app
