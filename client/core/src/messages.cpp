#include "ow/core/messages.h"

#include "ow/core/i18n.h"

namespace ow::core {

const char* outcome_message(std::string_view code) noexcept {
    // The workflow's refusals.
    if (code == "workflow.materials_missing") return OW_N_("Required materials are missing: the case cannot be accepted yet.");
    if (code == "workflow.no_applicant") return OW_N_("The applicant is not identified yet.");
    if (code == "workflow.form_missing" || code == "workflow.no_form") return OW_N_("The application form is not filled in yet.");
    if (code == "workflow.not_authorised") return OW_N_("Your role may not do this.");
    // The authorisation matrix (授权清单).
    if (code == "workflow.not_granted") return OW_N_("The item's department has not authorised you to do this (authorisation list).");
    if (code == "workflow.seal_pin_needed") return OW_N_("The seal is on a token: type its PIN.");
    if (code == "workflow.seal_pin_wrong") return OW_N_("Wrong seal PIN: nothing was sealed. Type it again.");
    if (code == "workflow.no_seal" || code == "workflow.seal_refused" || code == "workflow.seal_failed")
        return OW_N_("No usable seal: ask the administrator to assign one.");
    if (code == "workflow.not_now") return OW_N_("Not possible in the case's present state.");
    if (code == "workflow.refused") return OW_N_("Not possible in the case's present state, or done already.");
    if (code == "workflow.notice_data") return OW_N_("The notice cannot be made from the case's data.");
    if (code == "workflow.invalid_input") return OW_N_("Some of what was entered is not valid.");
    // The archive package (case.archive).
    if (code == "archive.not_concluded") return OW_N_("Only a concluded case (refused, or its result handed out) goes to the archive.");
    if (code == "archive.output_exists") return OW_N_("Something is already there: choose another name or an empty folder.");
    if (code == "archive.unsound") return OW_N_("The package did not pass its check (a seal or a stored file is damaged): nothing was written. Ask the administrator.");
    if (code == "archive.unknown_case" || code == "archive.no_case") return OW_N_("This case is not there any more.");
    if (code == "archive.path_empty") return OW_N_("Type where the archive package goes.");
    if (code == "archive.write_failed") return OW_N_("The package could not be written there: check the folder and the free space.");
    if (code == "archive.failed") return OW_N_("The archive package could not be written. Try again or ask the administrator.");
    // Fees (收费).
    if (code == "workflow.fees_unpaid") return OW_N_("Fees are still due: record the payment or the waiver before handing out the result.");
    if (code == "workflow.fee_settled") return OW_N_("This fee is paid or waived already.");
    // 帮办代办.
    if (code == "workflow.assist_same") return OW_N_("The case already has this helper.");
    if (code == "workflow.not_eligible") return OW_N_("The catalogue does not allow this for the case's item.");
    if (code == "workflow.credit_unavailable")
        return OW_N_("No credit answer from the platform yet: retry, or take the materials.");
    if (code == "workflow.credit_not_good")
        return OW_N_("Credit standing not good: take the materials instead.");
    if (code == "workflow.credit_already") return OW_N_("The case already has a commitment on credit.");
    if (code == "commit.finding_missing") return OW_N_("Write what the check found.");
    if (code == "assist.agent_id") return OW_N_("The agent's ID number does not check: type it again.");
    // 通办 (cross-region service).
    if (code == "workflow.cross_region") return OW_N_("Another region decides this item: send the accepted case there (Ctrl+Shift+R).");
    if (code == "workflow.not_cross_region") return OW_N_("This item is decided here, not by another region.");
    // Appointments (预约).
    if (code == "workflow.appointment_not_booked") return OW_N_("The appointment is not booked any more (checked in, cancelled or missed).");
    if (code == "workflow.appointment_not_today") return OW_N_("The appointment is for another day.");
    if (code == "appointment.invalid") return OW_N_("The appointment's item is not in the catalogue: start the intake by hand (F2).");
    if (code == "appointment.failed") return OW_N_("The act could not be saved. Nothing was changed; try again or ask the administrator.");
    // The intake screen's own checks.
    if (code == "intake.applicant_incomplete") return OW_N_("The applicant is not complete: an ID number that checks and a name.");
    if (code == "intake.refusal_reason_missing") return OW_N_("Give the reason for refusing.");
    if (code == "intake.legal_basis_missing") return OW_N_("Give the legal basis for refusing.");
    if (code == "intake.no_draft") return OW_N_("This intake has no draft to resume.");
    if (code == "intake.no_case" || code == "intake.not_started") return OW_N_("Choose the item first (step 1).");
    if (code == "intake.commitment_text_missing") return OW_N_("Type what the applicant commits to first.");
    if (code == "intake.correction_days") return OW_N_("The correction period is 1 to 60 working days.");
    if (code == "intake.deferred_days") return OW_N_("A deferred material is due within 1 to 60 working days.");
    if (code == "intake.decided") return OW_N_("This intake is decided already: print its notice or start the next one (F2).");
    if (code == "intake.not_a_draft") return OW_N_("This case is no longer a draft: open it from the queues.");
    if (code == "intake.unknown_item") return OW_N_("No such item or bundle in the catalogue.");
    // The rating (applicant's screen) and the follow-up of a bad rating.
    if (code == "rating.no_case") return OW_N_("Choose a case first.");
    if (code == "rating.not_ratable") return OW_N_("Only a case whose result was issued can be rated, once.");
    if (code == "rating.bad_level" || code == "rating.no_level") return OW_N_("Choose one of the five levels.");
    if (code == "rating.reason_needed") return OW_N_("A dissatisfied rating needs a reason from the list.");
    if (code == "rating.unknown_reason") return OW_N_("Choose a reason from the list.");
    if (code == "rating.busy") return OW_N_("The previous rating is still being saved: try again in a moment.");
    if (code == "rating.not_saved") return OW_N_("The rating could not be saved: nothing was changed.");
    if (code == "follow_up.note_needed") return OW_N_("Write down what was done for the applicant.");
    if (code == "follow_up.note_too_long") return OW_N_("The note is too long: shorten it.");
    if (code == "workflow.no_follow_up") return OW_N_("This case has no open follow-up.");
    // Devices.
    if (code == "device.none") return OW_N_("No device of this kind is set up on this desk.");
    if (code == "device.no_card") return OW_N_("No ID card on the reader: put the card on it and press F4 again.");
    if (code == "device.unavailable") return OW_N_("The device is not connected or not ready: check it, then try again.");
    if (code == "device.failed" || code == "device.bad_answer") return OW_N_("The device failed: try again, or type the data in.");
    // The signature pad (common/signature_pad.h).
    if (code == "device.cancelled") return OW_N_("The signature was cancelled on the pad: ask the applicant to sign again, or sign on paper.");
    if (code == "device.timeout") return OW_N_("Nobody signed on the pad in time: try again, or sign on paper.");
    // The review screen (decisions) and the result screen (handing out).
    if (code == "workflow.b_alone" || code == "review.acting_for_missing")
        return OW_N_("Post B decides only acting for an absent post A: choose whom you act for.");
    if (code == "workflow.a_present") return OW_N_("Post A is not marked absent: post B may not act for them.");
    if (code == "workflow.acting_for") return OW_N_("The chief you act for is not on post A of your department.");
    if (code == "workflow.no_post") return OW_N_("You sit on no post (A/B): the administrator sets it.");
    if (code == "review.no_case" || code == "result.no_case") return OW_N_("No case open: choose one in the queue.");
    if (code == "review.opinion_missing") return OW_N_("Write the opinion (the reasons) first.");
    if (code == "review.nothing_to_correct") return OW_N_("Tick the materials the applicant must bring again.");
    if (code == "review.pin_missing") return OW_N_("Type the seal's PIN: the decision is sealed with it.");
    if (code == "review.part_missing") return OW_N_("Choose the part you decide (countersigning).");
    if (code == "result.not_decided") return OW_N_("The case is not decided, or was handed out already.");
    if (code == "result.signature_missing") return OW_N_("The recipient has not signed on the pad yet (Alt+S), or choose the paper receipt.");
    if (code == "result.address_missing") return OW_N_("Type the mailing address.");
    if (code == "result.carrier_missing") return OW_N_("Choose or type the carrier.");
    if (code == "result.tracking_missing") return OW_N_("Type the tracking number.");
    if (code == "result.tracking_format") return OW_N_("A tracking number is 8 to 30 letters and digits.");
    return nullptr;
}

}  // namespace ow::core
