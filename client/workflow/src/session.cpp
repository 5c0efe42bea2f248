#include "ow/workflow/session.h"

#include "ow/catalogue/store_catalogue.h"
#include "ow/core/json_reader.h"
#include "ow/core/paths.h"
#include "ow/store/repositories.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace ow::workflow {

std::unique_ptr<Session> open_session(std::unique_ptr<store::Store> store, Environment env) {
    auto s = std::make_unique<Session>();
    s->store = std::move(store);
    s->calendar = store::PlatformCalendars(s->store->db()).calendar();
    auto cat = catalogue::load_store_catalogue(s->store->db());
    s->catalogue_problem = std::move(cat.problem);
    s->catalogue = std::move(cat.catalogue);
    s->forms = std::move(cat.forms);
    s->renderer = std::make_unique<notices::NoticeRenderer>(notices::TemplateSet::load_shipped());
    env.catalogue = &s->catalogue;
    env.forms = &s->forms;
    env.renderer = s->renderer.get();
    env.terminal = store::Settings(s->store->db()).terminal();
    s->workflow = std::make_unique<Workflow>(*s->store, s->calendar, std::move(env));
    return s;
}

notices::NoticeEnvelope default_envelope() {
    nlohmann::json merged = nlohmann::json::object();
    auto defaults = core::data_dir() / "notices" / "envelope" / "default.json";
    if (std::filesystem::exists(defaults)) merged = core::read_json_file(defaults);
    return notices::envelope_from_json(merged, defaults.string());
}

}  // namespace ow::workflow
