// Online applications (网上申报) in the training platform: the online side of the window.
//
// An applicant applies on the platform's PC or mobile channel (here: the admin command
// `application-add`, with the form's answers and the uploaded files, which become platform blobs);
// every terminal of the centre pulls the applications (GET /v1/applications, paged by an opaque
// cursor over a per-application version that grows at each change) and downloads the uploads
// (GET /v1/blobs/{sha256}/content). A clerk takes one into a case: the case's `create` names the
// application (`application_id`); the first case to do so takes it (status taken, fed again so the
// other terminals drop it), a later one is rejected `conflict.application`. The applicant may
// withdraw an application not yet taken (`application-withdraw`).
// Every function expects the database lock held (or a connection of its own) and runs inside the
// caller's transaction.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace ow::sim {

class PlatformDb;
class BlobFiles;
class Routes;
struct Context;

/// Creates the applications table of a database made before it existed (idempotent).
void ensure_application_schema(PlatformDb& pdb);

/// Files an online application (the admin command's input, checked: centre, item, applicant name
/// and a valid resident ID number, channel 2 or 3, answers an object, uploads {material_code,
/// file, name}). Each upload's bytes become a platform blob. Returns the application as the feed
/// shows it. Throws InputError.
nlohmann::json add_application(PlatformDb& pdb, const BlobFiles& files, const nlohmann::json& input);
/// The applicant withdraws it (only while submitted). Throws InputError.
nlohmann::json withdraw_application(PlatformDb& pdb, const std::string& id);
/// Every application with its status (admin listing), by version.
nlohmann::json list_applications(PlatformDb& pdb, const std::string& centre);

/// Why a case's create may not take the application (the push's rejection), or nothing: then
/// the application is taken by the case (an idempotent no-op when this case holds it already).
struct ApplicationRefusal {
    std::string code, message;  // unknown_application | conflict.application (the message names its status)
};
std::optional<ApplicationRefusal> take_application(PlatformDb& pdb, const std::string& centre, const std::string& terminal,
                                                   const std::string& application_id, const std::string& case_id);

void register_application_routes(Routes& routes, Context& ctx);

}  // namespace ow::sim
