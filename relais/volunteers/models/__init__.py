"""The people of the relation école-entreprise who are not staff of the school, one module
per area:

- ``advisors``: conseillers entreprises pour l'école (CEE) and de l'enseignement
  technologique (CET), their interventions and the yearly nominative list;
- ``seats``: where a conseiller sits (CLEE, campus, pôle de stages, CPC);
- ``reserve``: the réserve citoyenne (sign-up and vetting, teachers' requests);
- ``immersions``: immersions of teachers in companies (offers, joint validation);
- ``course``: the 56-hour course of new heads of school and inspectors.

Every state machine is declared in ``relais.volunteers.workflows`` (``core.workflow``): a
``state`` field here, its journal (a ``JournalEntry`` the database refuses to update or
delete, ``related_name="journal"``) and constraints tying fields to states.
"""

from .advisors import Advisor, AdvisorIntervention, AdvisorJournal, NominativeListSending
from .course import Course, CourseHours, CourseParticipant
from .immersions import ImmersionApplication, ImmersionJournal, ImmersionOffer
from .reserve import ApplicationJournal, ReserveApplication, ReserveRequest, ReserveRequestJournal
from .seats import AdvisorSeat

__all__ = [
    "Advisor",
    "AdvisorIntervention",
    "AdvisorJournal",
    "AdvisorSeat",
    "ApplicationJournal",
    "Course",
    "CourseHours",
    "CourseParticipant",
    "ImmersionApplication",
    "ImmersionJournal",
    "ImmersionOffer",
    "NominativeListSending",
    "ReserveApplication",
    "ReserveRequest",
    "ReserveRequestJournal",
]
