// Everything an act needs for one signed-in store, opened in one place for the CLI and the desk:
// the store's calendar (official and provisional years), the store's catalogue and forms (the
// platform's once a sync delivered them, the shipped ones before), the notice renderer with the
// shipped templates, and the Workflow over them.
#pragma once

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/forms/definition.h"
#include "ow/notices/notice.h"
#include "ow/notices/renderer.h"
#include "ow/store/store.h"
#include "ow/workflow/workflow.h"

#include <memory>
#include <string>

namespace ow::workflow {

struct Session {
    std::unique_ptr<store::Store> store;
    core::WorkCalendar calendar;
    core::Catalogue catalogue;
    forms::FormCatalogue forms;
    std::unique_ptr<notices::NoticeRenderer> renderer;
    std::unique_ptr<Workflow> workflow;
    /// Set when the store holds a platform catalogue this build cannot read (the shipped one is
    /// used instead; the next sync downloads it again). Empty otherwise.
    std::string catalogue_problem;
};

/// Builds the session over an open store. `env` supplies what the caller knows (envelope,
/// e-licence lookup, after_commit …); the catalogue, forms, renderer and terminal are filled here.
/// Throws what loading the templates or the store's settings throws.
std::unique_ptr<Session> open_session(std::unique_ptr<store::Store> store, Environment env = {});

/// The notice envelope shipped in data/notices/envelope/default.json (the issuing body, window,
/// progress URL), or an empty one when that file is missing.
notices::NoticeEnvelope default_envelope();

}  // namespace ow::workflow
