// Realistic synthetic demo data for training, tests and benchmarks, made through the clerk's and
// the chief representative's acts (Workflow: start intake, applicant, form, materials, accept or
// correct or refuse, submit, decide, issue, rate): every seeded case went the way a real one goes,
// so every case, event and scan is queued for sync and audited like real work.
// Cases spread across the lifecycle; applicants with common, rare and compound surnames (and
// characters outside the BMP), some returning; synthetic ID numbers with valid check digits, never
// real people. Deterministic for a given seed (same case ids, receipt numbers, applicants, states).
//
// The acting users are synthetic ("clerk-demo", "chief-a" on post A, "chief-b" on post B): the seed
// acts as them through Environment::act_as. Without notices (the default, fast: benchmarks seed a
// million cases) no act makes a PDF. With notices, every act's notice is rendered, kept as a blob
// and the decisions sealed, so the store holds every notice kind; that needs chief-a / chief-b as
// users of the store with a seal on their posts, which only an administrator may set up.
#pragma once

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/forms/definition.h"
#include "ow/notices/notice.h"
#include "ow/notices/renderer.h"
#include "ow/store/cases.h"
#include "ow/store/store.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace ow::workflow {

struct SeedOptions {
    int cases = 100;
    int scans = 0;          ///< exactly this many distinct synthetic scans (TIFF) are attached
    std::uint64_t seed = 1;
    store::TerminalIdentity terminal;
    /// Called every 1,000 cases with the number done (progress for long seeds).
    std::function<void(int)> progress;
    /// Null (default): no notices. Otherwise every act's notice is rendered with it and kept with
    /// the case, and decisions are sealed: the signed-in user must be an administrator (see
    /// prepare_notice_users).
    const notices::NoticeRenderer* renderer = nullptr;
    notices::NoticeEnvelope envelope;  ///< with notices: the issuing body, window, progress URL
    /// Set: the seed also fills the desk's work queues as they stand on this China date (2025-03-01
    /// … 2099-12-31). Every sixth case is taken in the 15 working days up to `today` (the first of
    /// them on `today` itself: the today queue), accepted cases among them so that some are due
    /// within two working days (due-soon); the first rated case gets a bad rating (follow-ups);
    /// and one case's first queued change is refused by the platform as sync records a refusal
    /// (Outbox::quarantine: a quarantined mutation with its sync issue, the sync-problems queue).
    /// The older cases (2025-01 … 2026-08) fill overdue, deferred-due, awaiting-correction,
    /// awaiting-decision and to-issue. Deterministic for a given seed and `today`.
    /// Empty (default): no case after 2026-08 and nothing refused.
    std::optional<core::Date> today;
    /// Set: this user (a clerk or chief representative of the store) helps with three open cases
    /// (帮办 / 代办 / 帮办, issue 21), the first accepted or under review in id order — the desk's
    /// 我帮办的 queue. Draws nothing from the seed's random numbers.
    std::string assisted_by;
    /// Cases written per transaction: the acts of that many cases are committed together (their
    /// commit objects nest as savepoints), so a large seed is bound by the CPU, not by one fsync per
    /// act. 0: every act commits on its own, as at the desk. A failure rolls back only the cases of
    /// the current batch.
    int cases_per_commit = 500;
};

struct SeedReport {
    int cases = 0;
    int scans = 0;
    std::map<std::string, int> by_state;
    std::map<std::string, int> notices;  ///< notice kind → documents made (with notices)
};

/// Seeds `options.cases` cases of the catalogue's items that the seed has form answers for (every
/// shipped item; a platform's catalogue may hold items it leaves out). Throws core::InvalidData
/// for bad options, a catalogue without such items, or a
/// store that already holds this seed's cases (use another seed); store::NotAuthorised when
/// notices are asked for and the signed-in user is not an administrator (nothing written then);
/// StoreError. A case the acts refuse is a bug of the seed: Refused propagates. After a failure
/// the store holds the cases of the batches committed before it (see `cases_per_commit`).
SeedReport seed_demo(store::Store& store, const core::Catalogue& catalogue, const forms::FormCatalogue& forms,
                     const core::WorkCalendar& calendar, const SeedOptions& options);

/// What seed_demo does first when notices are asked for (administrators only; NotAuthorised
/// otherwise): adds the chief representatives "chief-a" (post A) and "chief-b" (post B) when the
/// store has no such users (random passwords nobody knows: an administrator resets them to use
/// them), and when no seal is assigned to post A or B, makes the demo seal (seal::make_demo_seal,
/// 样章, a throw-away CA) in a scratch folder inside the store, assigns it to both posts and removes
/// the folder. Idempotent. Audited like the same acts from the CLI.
void prepare_notice_users(store::Store& store);

}  // namespace ow::workflow
