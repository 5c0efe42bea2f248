// ReviewPresenter: the chief representative's screen (审批) — the 待决定 queue, one case open with
// what a decision rests on (the form as answered, the materials and their scans, the notices so
// far, the checks: ID number, e-licences, materials complete, days left), the countersign parts
// (who has signed, who is awaited), and the decision: 准予 / 不予 / 退回补正 / 上报 with an opinion
// (common phrases offered), the legal basis, acting for post A when the chief sits on post B, and
// the approval seal's PIN. Free of wx: the view (review_view.*) reads plain structs from here and
// never touches the store.
//
// The act. prepare() checks the request on the desk's thread (nothing written: the opinion a
// verdict needs, the materials a return names, the PIN a seal needs, B acting for an absent A);
// run() (static) makes the decision on a worker session — Workflow::decide renders the decision,
// seals it with the seal the store assigns (a PKCS#11 token or a PKCS#12 key, opened with the PIN)
// and commits it in one transaction; decided() back on the desk's thread reads the case again.
// A wrong PIN seals and commits nothing (workflow.seal_pin_wrong).
//
// Threading: the desk's thread only, except run(). Needs the services signed in (std::logic_error
// otherwise, from DeskServices). Store errors propagate as store::StoreError; refusals and bad
// input come back as ReviewOutcome (never thrown).
#pragma once

#include "shell/desk_services.h"

#include "ow/core/case.h"
#include "ow/core/date.h"
#include "ow/workflow/workflow.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ow::app {

/// One document of the case for the page viewer: a notice (PDF) or a material's scan (PNG or PDF).
struct ReviewDocument {
    std::string title;          ///< the notice's title, or the material's name
    std::string kind;           ///< notice kind (acceptance_notice …), or "scan"
    std::string material_code;  ///< scans: the material
    std::string mime;           ///< application/pdf or image/png
    std::string bytes;          ///< the content (decrypted from the store; never written to disk)
    bool sealed = false;
};

/// One answered field of the form, as the chief reads it.
struct ReviewField {
    std::string label;  ///< in the UI language; a section heading has an empty value
    std::string value;
    int depth = 0;
    bool heading = false;
};

/// A check the desk made, shown with a mark (✓ / !).
struct ReviewCheck {
    std::string code;    ///< id_number, id_card, e_licences, materials, deadline
    bool ok = false;
    std::string detail;  ///< plain data for the view to show (a count, a date); not a sentence
};

/// One part of a case that needs several decisions (会签: a bundle's items).
struct ReviewPart {
    std::string item_code;
    std::string item_name;
    std::string department;      ///< the item's department (who is awaited)
    bool signed_off = false;     ///< decided
    bool approved = false;
    std::string by;              ///< who decided it (display name when known)
    std::string acting_for;      ///< …acting for post A
    std::optional<core::Instant> at;
    std::string opinion;
};

struct ReviewMaterial {
    std::string code;
    std::string name;
    core::MaterialStatus status = core::MaterialStatus::pending;
    std::string note;
    bool has_scan = false;
};

/// The case open on the review screen.
struct ReviewCase {
    std::string case_id;
    std::string receipt_no;
    std::string item_code;
    std::string item_name;
    core::CaseState state = core::CaseState::under_review;
    core::ItemKind kind = core::ItemKind::promised;
    bool window_decides = false;  ///< a clerk may decide it on the spot (马上办: the authorisation matrix)
    std::string applicant_name;
    core::ApplicantKind applicant_kind = core::ApplicantKind::person;
    std::string doc_number;   ///< in full: the chief checks it (the review screen faces staff only)
    std::string phone;
    std::string address;
    std::string taken_by;     ///< who took the application
    std::optional<core::Date> promised;
    std::optional<int> days_left;
    bool overdue = false;
    std::string legal_basis;  ///< the item's (the default basis of the decision)
    std::vector<ReviewField> form;
    std::vector<ReviewMaterial> materials;
    std::vector<ReviewCheck> checks;
    std::vector<ReviewPart> parts;  ///< empty: one decision for the case
    std::vector<ReviewDocument> documents;  ///< notices first (oldest first), then scans
};

/// The seal a decision would carry, as the view tells the chief before the PIN is asked.
struct ReviewSeal {
    bool assigned = false;
    std::string name;     ///< 行政审批专用章 …
    std::string signer;   ///< the certificate's name
    bool token = false;   ///< on a PKCS#11 token (else a PKCS#12 key in the store)
    bool pin_required = false;
};

/// What the chief asks for.
struct ReviewRequest {
    workflow::Verdict verdict = workflow::Verdict::approve;
    std::string opinion;
    std::string legal_basis;        ///< empty: the item's
    std::string acting_for;         ///< post B: the absent post-A chief acted for (empty: none)
    std::string part;               ///< 会签: the part decided (empty: the only open one)
    std::vector<std::string> correct;  ///< return: the materials to bring again (codes)
    std::string correct_note;       ///< return: what is wrong with them (one note for all)
    std::string escalate_to;        ///< escalate: the higher level (empty: 上级审批机关)
    std::string pin;                ///< the seal's PIN as typed (wiped by run())
};

/// What a request came to. Never thrown.
struct ReviewOutcome {
    enum class Kind { done, refused, invalid } kind = Kind::done;
    std::string code;     ///< refused / invalid: "workflow.seal_pin_wrong", "review.opinion_missing" …
    std::string message;  ///< English (logs)
    std::string case_id;
    core::CaseState state = core::CaseState::under_review;  ///< done: the new state
    bool part_only = false;  ///< done: one part countersigned, others still awaited
    std::optional<workflow::Document> document;  ///< done: the decision (with its PDF bytes)
    bool ok() const { return kind == Kind::done; }
};

/// A post-A chief marked absent, for whom a post-B chief may act.
struct AbsentChief {
    std::string user;
    std::string display_name;
};

class ReviewPresenter {
public:
    /// `services` must be signed in and outlive the presenter.
    explicit ReviewPresenter(DeskServices& services);

    /// Opens a case: reads it, its documents and scans, the form as answered. False (and nothing
    /// open) when there is no such case.
    bool open(const std::string& case_id);
    void close() { case_.reset(); }
    const ReviewCase* current() const { return case_ ? &*case_ : nullptr; }
    /// The case can be decided now (under review, or an immediate case accepted at the window) by
    /// the signed-in user (a chief representative on a post, or a clerk where the window decides it
    /// on the spot: ReviewCase::window_decides).
    bool decidable() const;
    /// The signed-in user may escalate (上报): chief representatives; the window never does.
    bool may_escalate() const { return services_.who().role == core::Role::chief; }

    /// Common phrases for the opinion of a verdict (Chinese: the decision is written in Chinese).
    static std::vector<std::string> phrases(workflow::Verdict v);
    /// Post-A chiefs marked absent (a post-B chief acts for one of them).
    std::vector<AbsentChief> absent_a() const;
    /// The signed-in user sits on post B (acting for A must be chosen explicitly).
    bool on_post_b() const;
    /// The seal a decision by the signed-in user (acting for `acting_for`) would carry.
    ReviewSeal seal(const std::string& acting_for = {}) const;
    /// The open parts (会签) still to decide, in order.
    std::vector<std::string> open_parts() const;

    /// Checks the request (nothing written). Codes: review.no_case, review.opinion_missing,
    /// review.nothing_to_correct, review.acting_for_missing, review.pin_missing, review.part_missing.
    ReviewOutcome prepare(const ReviewRequest& r) const;
    /// The decision, on a worker's workflow (touches nothing of a presenter). Wipes r.pin.
    static ReviewOutcome run(workflow::Workflow& wf, const std::string& case_id, ReviewRequest r);
    /// Back on the desk's thread: reads the case again when the act was done (the decision joins
    /// the documents).
    void decided(const ReviewOutcome& outcome);

private:
    DeskServices& services_;
    std::optional<ReviewCase> case_;
};

}  // namespace ow::app
