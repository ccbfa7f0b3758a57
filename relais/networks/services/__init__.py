"""Every write of the networks area: clubs and their members, mandates, the annuaire's
publication, campus des métiers et des qualifications, and the reminders of the scheduled
jobs (relais/networks/tasks.py). Rules cite the convention Clubster of the académie de Lille
(« Gouvernance et mise en œuvre ») and the 12 mesures of 2015 (fiches 4 and 12).

Networks builds on governance: a club's steering committee is a governance body, created and
seated through ``relais.governance.services``; governance never imports networks."""

from .campus import (
    CAMPUS_FIELDS,
    campus_label_renew,
    campus_member_add,
    campus_member_remove,
    campus_save,
    campus_search_text,
)
from .clubs import (
    CLUB_FIELDS,
    LILLE_CHARTER,
    STEERING_RULE,
    club_create,
    club_member_add,
    club_member_remove,
    club_search_text,
    club_update,
)
from .common import academie_team_emails
from .directory import directory_publish
from .mandates import (
    mandate_appoint,
    mandate_renew,
    mandate_seat_on_steering_committee,
    pilote_years_of,
)
from .reminders import (
    CAMPUS_REMINDER_MONTHS,
    MANDATE_REMINDER_DAYS,
    send_campus_label_reminders,
    send_mandate_reminders,
)

__all__ = [
    "CAMPUS_FIELDS",
    "CAMPUS_REMINDER_MONTHS",
    "CLUB_FIELDS",
    "LILLE_CHARTER",
    "MANDATE_REMINDER_DAYS",
    "STEERING_RULE",
    "academie_team_emails",
    "campus_label_renew",
    "campus_member_add",
    "campus_member_remove",
    "campus_save",
    "campus_search_text",
    "club_create",
    "club_member_add",
    "club_member_remove",
    "club_search_text",
    "club_update",
    "directory_publish",
    "mandate_appoint",
    "mandate_renew",
    "mandate_seat_on_steering_committee",
    "pilote_years_of",
    "send_campus_label_reminders",
    "send_mandate_reminders",
]
