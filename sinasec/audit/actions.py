"""The audit log's actions as sentences in the reader's language.

Services record a machine code (``committees.record_sworn``): it is what filters and the
API match on and never changes. People read the sentence: one table here, translated
when the page is rendered, so the same record reads in Spanish or English. A code with
no sentence (an app added later) is shown as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: Mapping[str, Promise] = {
    "accounts.activate": _("Activated the account"),
    "accounts.create": _("Created the account"),
    "accounts.create_api_token": _("Created an API token"),
    "accounts.deactivate": _("Deactivated the account"),
    "accounts.invite": _("Invited the user"),
    "accounts.locked": _("The account was locked after failed sign-ins"),
    "accounts.password_changed": _("Changed the password"),
    "accounts.password_reset": _("Reset the password"),
    "accounts.password_reset_requested": _("Requested a password reset"),
    "accounts.reactivate": _("Reactivated the account"),
    "accounts.revoke_api_token": _("Revoked an API token"),
    "accounts.set_role": _("Changed the role"),
    "accounts.two_factor_enrolled": _("Enrolled two-factor authentication"),
    "accounts.unlocked": _("Unlocked the account"),
    "accounts.update": _("Updated the account"),
    "barrios.add_commitment": _("Added a commitment of the barrio"),
    "barrios.change_status": _("Changed the barrio's status"),
    "barrios.create_from_target": _("Created a barrio from the targeting"),
    "barrios.mark_agreement_done": _("Marked an agreement as done"),
    "barrios.record_table_session": _("Recorded a session of the barrio's table"),
    "barrios.report_delivery": _("Reported a sector's delivery"),
    "barrios.run_targeting": _("Ran a targeting"),
    "barrios.set_boundary": _("Set the barrio's boundary"),
    "barrios.update_details": _("Updated the barrio's details"),
    "committees.import_events": _("Imported committee events"),
    "committees.record_installed": _("Recorded the committee's installation"),
    "committees.record_sworn": _("Recorded the committee's swearing-in"),
    "committees.record_plan": _("Recorded the committee's plan"),
    "committees.record_secretary": _("Recorded the committee's technical secretary"),
    "institutions.declare_service": _("Declared a service of the institution"),
    "institutions.update_contact": _("Updated the institution's contact"),
    "institutions.withdraw_service": _("Withdrew a service of the institution"),
    "jobs.enqueue": _("Started a background job"),
    "jobs.finish": _("A background job finished"),
    "notifications.set_preferences": _("Changed the notification preferences"),
    "observatory.import_incidents": _("Imported incidents"),
    "observatory.import_sidpol": _("Imported SIDPOL figures"),
    "observatory.import_table": _("Imported a crime table"),
    "plans.add_evidence": _("Added evidence to a monthly report"),
    "plans.approve_report": _("Approved a monthly report"),
    "plans.import_execution": _("Imported the plan's execution"),
    "plans.import_plan": _("Imported a plan"),
    "plans.reopen_report": _("Reopened a monthly report"),
    "plans.return_report": _("Returned a monthly report"),
    "plans.save_report": _("Saved a monthly report"),
    "plans.submit_plan": _("Submitted the plan"),
    "plans.submit_report": _("Submitted a monthly report"),
    "territories.import_boundaries": _("Imported boundaries"),
    "territories.import_population": _("Imported population figures"),
    "barrios.demo_placement": _("Placed a demo barrio (boundary and launch chosen for the demo)"),
    "community.add_certificate": _("Added a training certificate"),
    "community.advance_project": _("Moved an investment project to its next stage"),
    "community.import_juntas": _("Imported juntas vecinales from a file"),
    "community.import_trainings": _("Imported trainings from a file"),
    "community.record_training": _("Recorded a training"),
    "community.register_junta": _("Registered a junta vecinal"),
    "community.register_project": _("Registered a public investment project"),
    "community.set_junta_status": _("Changed a junta vecinal's status"),
    "meetings.attach_minutes": _("Attached the signed minutes of a session"),
    "meetings.import_consultation": _("Imported a public consultation"),
    "meetings.import_extraordinary": _("Imported an extraordinary session"),
    "meetings.import_ordinary": _("Imported an ordinary session"),
    "meetings.mark_agreement_done": _("Marked an agreement done"),
    "meetings.record_consultation": _("Recorded a public consultation"),
    "meetings.record_extraordinary": _("Recorded an extraordinary session"),
    "meetings.record_ordinary": _("Recorded an ordinary session"),
    "observatory.remove_geocoding_value": _("Removed a value from the geocoding quality table"),
    "observatory.set_geocoding_value": _("Set a value of the geocoding quality table"),
    "plans.copy_forward": _("Copied a year's programme forward to the next year"),
    "plans.start_multiyear_plan": _("Started a multi-year plan"),
    "territories.import_police_stations": _("Imported police stations"),
}


def action_text(code: str) -> str:
    """The sentence of an action code in the active language; the code when it has none."""
    sentence = ACTIONS.get(code)
    return str(sentence) if sentence is not None else code
