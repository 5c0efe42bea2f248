// Appointments (预约) and the other region of 通办 (cross-region cases), in the training platform.
//
// Appointments are booked on the platform (here: the admin command `appointment-add`) for a
// centre; every terminal of that centre pulls them (GET /v1/appointments, paged by an opaque
// cursor over a per-appointment version that grows at each change) and reports an arrival or a
// no-show (POST /v1/appointments:report, per-record results, deduplicated by report_id).
//
// 通办: a case whose escalate event carries data.cross_region was sent to another region's
// authority; the platform plays that region. It decides the case — after --decide-after-s (the
// back office) or at once with the admin command `region-decide` — making the decision document
// (a PDF kept as a blob) and a change `approved` / `denied` naming the authority and the
// document, which the terminal downloads (GET /v1/blobs/{sha256}/content).
// Every function expects the database lock held (or a connection of its own) and runs inside the
// caller's transaction.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace ow::sim {

class PlatformDb;
class BlobFiles;
class Routes;
struct Context;

/// Creates the appointment tables of a database made before they existed (idempotent).
void ensure_appointment_schema(PlatformDb& pdb);

/// Books an appointment (the admin command's input, checked: name, a valid resident ID number,
/// item code, date, slot HH:MM-HH:MM, channel code). Returns the stored appointment as the feed
/// shows it. Throws InputError.
nlohmann::json add_appointment(PlatformDb& pdb, const nlohmann::json& input);
/// Every appointment with its status and report (admin listing), by version.
nlohmann::json list_appointments(PlatformDb& pdb, const std::string& centre);

void register_appointment_routes(Routes& routes, Context& ctx);

/// The cross_region object of a case's escalate event, when the case was sent to another region.
std::optional<nlohmann::json> cross_region_of(PlatformDb& pdb, const std::string& case_id);
/// The other region decides an escalated 通办 case: the decision PDF stored as a blob, the
/// platform's record approved / denied, the change in the owner's feed. Returns the change's
/// record. Throws InputError when the case is unknown, not escalated or not cross-region.
nlohmann::json decide_cross_region(PlatformDb& pdb, const BlobFiles& files, const std::string& case_id, bool approve,
                                   const std::string& opinion, std::int64_t now_ms);

}  // namespace ow::sim
