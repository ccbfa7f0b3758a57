"""The four workflows of the volunteers app (ADR 0007, ``relais.core.workflow``).

Adviser (CEE, CET)::

    proposé ──designer──▶ désigné ──confirmer_employeur──▶ en mission ──terminer──▶ terminé
       │  └──refuser (motif)──▶ refusé    └──────────terminer / expirer──────────┘
       └──retirer──▶ retiré          (désigné, en mission: « renouveler » prolonge le mandat)

Application to the réserve citoyenne::

    déposée ──valider──▶ validée (compte bénévole)
       └──refuser (motif)──▶ refusée

Request of a school to a reservist::

    envoyée ──accepter──▶ acceptée ──realiser──▶ réalisée (comptée)
       ├──decliner──▶ déclinée  └──annuler──▶ annulée
       └──annuler──▶ annulée

Application to an immersion (the académie and the company both validate)::

    déposée ──donner_accord (l'une)──▶ déposée ──valider (l'autre)──▶ validée ──evaluer
       ├──refuser (motif, l'une ou l'autre)──▶ refusée        └──annuler──▶ annulée
       └──annuler (l'enseignant)──▶ annulée

« expirer » is fired by Relais only (the nightly job, ``perms.is_system``); « donner_accord »
and « evaluer » are steps: journaled, the state stays.

Who may fire each transition comes from ``relais.volunteers.perms``; guards are the
preconditions on the object (a CEE convention still in force, a reservist still in the
réserve, a place left…); effects set, with the move, the fields that go with it (the lettre
de mission, the refusal's reason, the employer's information…), after checking what the
service was given. Services fire with ``WORKFLOW.fire(obj, "name", user=…, note=…,
**context: object)``; pages ask ``WORKFLOW.names(user, obj)`` which buttons to show.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from relais.agreements.enums import AgreementState
from relais.core.school_years import school_year_of
from relais.core.workflow import Transition, Workflow
from relais.users.enums import Role
from relais.users.models import Membership, User
from relais.users.types import AnyUser

from . import perms
from .enums import (
    APPOINTED_STATES,
    KIND_SHORT,
    AdvisorState,
    ApplicationState,
    ImmersionState,
    RequestState,
)
from .models import (
    Advisor,
    AdvisorJournal,
    ApplicationJournal,
    ImmersionApplication,
    ImmersionJournal,
    ReserveApplication,
    ReserveRequest,
    ReserveRequestJournal,
)
from .texts import require_text

# --- Advisers ----------------------------------------------------------------------------


def _agreement_in_force(advisor: Advisor, **context: object) -> str | None:
    """A CEE is designated under its CEE convention while it is in force (D. 331-66)."""
    agreement = advisor.agreement
    if agreement is not None and agreement.state != AgreementState.IN_FORCE:
        return "La convention CEE n'est plus en vigueur : désignation impossible."
    return None


def check_mandate(advisor: Advisor, start: date | None, end: date | None) -> None:
    """The mandate has a start and an end, in this order, within its CEE convention."""
    if start is None or end is None:
        raise ValidationError({"mandate_end": "Indiquez le début et la fin du mandat."})
    if end <= start:
        raise ValidationError({"mandate_end": "La fin du mandat doit suivre son début."})
    agreement = advisor.agreement
    if agreement is None:
        return
    if agreement.start_date and start < agreement.start_date:
        raise ValidationError(
            {"mandate_start": "Le mandat ne peut commencer avant l'entrée en vigueur de la "
             f"convention ({agreement.start_date:%d/%m/%Y})."}
        )  # fmt: skip
    if agreement.current_end and end > agreement.current_end:
        raise ValidationError(
            {"mandate_end": "Le mandat ne peut dépasser la fin de la convention "
             f"({agreement.current_end:%d/%m/%Y})."}
        )  # fmt: skip


def _designation(
    advisor: Advisor,
    *,
    user: AnyUser | None,
    mandate_start: date | None = None,
    mandate_end: date | None = None,
    mission: str = "",
    geographic_scope: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    today: date | None = None,
    **context: object,
) -> None:
    """The lettre de mission (art. 3): nature, geographic scope, duration, académie contact,
    and its number (type, académie, school year, adviser)."""
    today = today or timezone.localdate()
    advisor.mission = require_text(mission, "mission", "Décrivez la nature de la mission.")
    advisor.geographic_scope = require_text(
        geographic_scope, "geographic_scope", "Indiquez le champ géographique de la mission."
    )
    advisor.contact_name = require_text(contact_name, "contact_name", "Indiquez le référent.")
    advisor.contact_email = require_text(
        contact_email, "contact_email", "Indiquez le courriel du référent."
    )
    advisor.contact_phone = (contact_phone or "").strip()
    check_mandate(advisor, mandate_start, mandate_end)
    advisor.mandate_start, advisor.mandate_end = mandate_start, mandate_end
    advisor.designated_on = today
    kind, code, year = KIND_SHORT[advisor.kind], advisor.academie.code, school_year_of(today)
    advisor.letter_number = f"{kind}-{code}-{year}-{advisor.pk:05d}"


def _advisor_refusal(advisor: Advisor, *, reason: str = "", **context: object) -> None:
    advisor.refusal_reason = require_text(reason, "reason", "Indiquez le motif du refus.")


def _employer_informed(
    advisor: Advisor, *, user: User, informed_on: date | None = None, **context: object
) -> None:
    """Art. 3: the date the employer was informed, and who confirmed it."""
    today = timezone.localdate()
    informed_on = informed_on or today
    if informed_on > today:
        raise ValidationError({"informed_on": "La date d'information ne peut être future."})
    if advisor.designated_on and informed_on < advisor.designated_on:
        raise ValidationError(
            {"informed_on": "L'employeur est informé de la lettre de mission après la désignation."}
        )
    advisor.employer_informed_on = informed_on
    advisor.employer_informed_by = user


def _ended(
    advisor: Advisor, *, reason: str = "", ended_on: date | None = None, **context: object
) -> None:
    require_text(reason, "reason", "Indiquez pourquoi la mission prend fin.")
    advisor.ended_on = ended_on or timezone.localdate()


def _mandate_over(advisor: Advisor, *, today: date | None = None, **context: object) -> str | None:
    today = today or timezone.localdate()
    if advisor.mandate_end is None or advisor.mandate_end >= today:
        return "Le mandat n'est pas arrivé à son terme."
    return None


def _expired(advisor: Advisor, **context: object) -> None:
    advisor.ended_on = advisor.mandate_end


def _renewed(advisor: Advisor, *, mandate_end: date | None = None, **context: object) -> None:
    """Mesure 8 (« renouvellement des conseillers de l'enseignement technologique ») and the
    CEE's next convention: the mandate runs on to a later end, within its CEE convention; the
    former end stays in the journal."""
    if mandate_end is None or advisor.mandate_end is None or mandate_end <= advisor.mandate_end:
        raise ValidationError(
            {"mandate_end": "Le renouvellement prolonge le mandat : choisissez une fin après le "
             f"{advisor.mandate_end:%d/%m/%Y}."}
        )  # fmt: skip
    check_mandate(advisor, advisor.mandate_start, mandate_end)
    advisor.mandate_end = mandate_end


TEAM_DECIDES = "Seule l'équipe académique statue sur les candidatures."

ADVISOR_WORKFLOW: Workflow[Advisor] = Workflow(
    model=Advisor,
    journal=AdvisorJournal,
    states=AdvisorState,
    transitions=[
        Transition(
            "designer", "Désigner", sources={AdvisorState.PROPOSED},
            target=AdvisorState.DESIGNATED, may_fire=perms.can_vet_advisor,
            guard=_agreement_in_force, effect=_designation,
            refusal="Seule l'équipe académique désigne les conseillers.",
        ),
        Transition(
            "refuser", "Refuser", sources={AdvisorState.PROPOSED}, target=AdvisorState.REFUSED,
            may_fire=perms.can_vet_advisor, effect=_advisor_refusal, refusal=TEAM_DECIDES,
        ),
        Transition(
            "retirer", "Retirer la proposition", sources={AdvisorState.PROPOSED},
            target=AdvisorState.WITHDRAWN, may_fire=perms.can_act_for_organisation,
            refusal="Seule l'organisation qui a proposé ce candidat peut le retirer.",
        ),
        Transition(
            "confirmer_employeur", "Confirmer que l'employeur est informé",
            sources={AdvisorState.DESIGNATED}, target=AdvisorState.ACTIVE,
            may_fire=perms.can_act_for_organisation, effect=_employer_informed,
            refusal="Seule l'organisation du conseiller confirme l'information.",
        ),
        Transition(
            "terminer", "Mettre fin à la mission", sources=APPOINTED_STATES,
            target=AdvisorState.ENDED, may_fire=perms.can_vet_advisor, effect=_ended,
            refusal="Seule l'équipe académique met fin à un mandat.",
        ),
        Transition(
            "renouveler", "Renouveler le mandat", sources=APPOINTED_STATES, target=None,
            may_fire=perms.can_vet_advisor, effect=_renewed,
            refusal="Seule l'équipe académique renouvelle un mandat.",
        ),
        Transition(
            "expirer", "Fin du mandat", sources=APPOINTED_STATES, target=AdvisorState.ENDED,
            may_fire=perms.is_system, guard=_mandate_over, effect=_expired,
            refusal="La fin du mandat à son terme est constatée par Relais.",
        ),
    ],
)  # fmt: skip


# --- Réserve citoyenne: applications -------------------------------------------------------


def _reservist_account(application: ReserveApplication) -> User:
    """The reservist's account (created without a password if the address has none), with
    the volunteer role on the application's académie."""
    account = User.objects.filter(email__iexact=application.email).first()
    if account is None:
        account = User.objects.create_user(
            email=application.email,
            password=None,
            first_name=application.first_name,
            last_name=application.last_name,
            phone=application.phone,
            job_title=application.profession,
        )
    Membership.objects.get_or_create(
        user=account, role=Role.VOLUNTEER, academie_id=application.academie_id
    )
    return account


def _vetted(
    application: ReserveApplication,
    *,
    user: User,
    now: datetime | None = None,
    **context: object,
) -> None:
    application.vetted_at = now or timezone.now()
    application.vetted_by = user


def _welcomed(
    application: ReserveApplication,
    *,
    user: User,
    now: datetime | None = None,
    **context: object,
) -> None:
    application.user = _reservist_account(application)
    _vetted(application, user=user, now=now)


def _application_refusal(
    application: ReserveApplication,
    *,
    user: User,
    reason: str = "",
    now: datetime | None = None,
    **context: object,
) -> None:
    application.refusal_reason = require_text(reason, "reason", "Indiquez le motif du refus.")
    _vetted(application, user=user, now=now)


REFERENT_ONLY = "Seul le référent académique examine les candidatures."

APPLICATION_WORKFLOW: Workflow[ReserveApplication] = Workflow(
    model=ReserveApplication,
    journal=ApplicationJournal,
    states=ApplicationState,
    transitions=[
        Transition(
            "valider", "Valider la candidature", sources={ApplicationState.SUBMITTED},
            target=ApplicationState.VALIDATED, may_fire=perms.can_vet_application,
            effect=_welcomed, refusal=REFERENT_ONLY,
        ),
        Transition(
            "refuser", "Refuser", sources={ApplicationState.SUBMITTED},
            target=ApplicationState.REFUSED, may_fire=perms.can_vet_application,
            effect=_application_refusal, refusal=REFERENT_ONLY,
        ),
    ],
)  # fmt: skip


# --- Réserve citoyenne: requests of schools ------------------------------------------------


def reservist_unavailable(reservist: ReserveApplication) -> str | None:
    """A reservist is asked, and answers, only while validated (vetted by the académie
    referent) with an account."""
    if reservist.state != ApplicationState.VALIDATED or reservist.user_id is None:
        return "Ce réserviste n'est pas (ou plus) disponible."
    return None


def _reservist_in_reserve(request: ReserveRequest, **context: object) -> str | None:
    return reservist_unavailable(request.reservist)


def _answered(request: ReserveRequest, *, answer: str = "", **context: object) -> None:
    request.answer_note = (answer or "").strip()
    request.answered_at = timezone.now()


def _done(
    request: ReserveRequest,
    *,
    done_on: date | None = None,
    hours: Decimal | float | None = None,
    pupils: int | None = None,
    **context: object,
) -> None:
    """The intervention took place: its date (past), duration and number of pupils."""
    if done_on is None or done_on > timezone.localdate():
        raise ValidationError({"done_on": "Indiquez la date, passée, de l'intervention."})
    if not hours or hours <= 0:
        raise ValidationError({"hours": "Indiquez la durée de l'intervention."})
    if pupils is None or pupils < 0:
        raise ValidationError({"pupils": "Indiquez le nombre d'élèves."})
    request.done_on, request.hours, request.pupils = done_on, hours, pupils


RESERVIST_ONLY = "Seul le réserviste sollicité répond à cette demande."

REQUEST_WORKFLOW: Workflow[ReserveRequest] = Workflow(
    model=ReserveRequest,
    journal=ReserveRequestJournal,
    states=RequestState,
    transitions=[
        Transition(
            "accepter", "Accepter", sources={RequestState.SENT}, target=RequestState.ACCEPTED,
            may_fire=perms.is_reservist_of, guard=_reservist_in_reserve, effect=_answered,
            refusal=RESERVIST_ONLY,
        ),
        Transition(
            "decliner", "Décliner", sources={RequestState.SENT}, target=RequestState.DECLINED,
            may_fire=perms.is_reservist_of, effect=_answered, refusal=RESERVIST_ONLY,
        ),
        Transition(
            "annuler", "Annuler la demande", sources={RequestState.SENT, RequestState.ACCEPTED},
            target=RequestState.CANCELLED, may_fire=perms.can_follow_request,
            refusal="Seul l'établissement qui a sollicité peut annuler.",
        ),
        Transition(
            "realiser", "Enregistrer l'intervention réalisée", sources={RequestState.ACCEPTED},
            target=RequestState.DONE, may_fire=perms.can_record_request_done, effect=_done,
            refusal="Vous ne pouvez pas enregistrer cette intervention.",
        ),
    ],
)  # fmt: skip


# --- Immersions -------------------------------------------------------------------------------


def _approved(application: ImmersionApplication, *, user: User, **context: object) -> None:
    """The validation of each side ``user`` speaks for and that has not validated yet."""
    now = timezone.now()
    sides = perms.approvals_pending_from(user, application)
    if perms.ACADEMIE_SIDE in sides:
        application.academie_approved_at, application.academie_approved_by = now, user
    if perms.COMPANY_SIDE in sides:
        application.company_approved_at, application.company_approved_by = now, user


def _place_left(
    application: ImmersionApplication, *, validated: int | None = None, **context: object
) -> str | None:
    """Validated applications count against the offer's capacity. Pages may pass the
    offer's ``validated`` count (annotated by the selectors) to spare a query."""
    offer = application.offer
    taken = validated
    if taken is None:
        taken = offer.applications.filter(state=ImmersionState.VALIDATED).count()
    if taken >= offer.capacity:
        return "Toutes les places de cette immersion sont prises."
    return None


def _immersion_refusal(
    application: ImmersionApplication, *, reason: str = "", **context: object
) -> None:
    application.refusal_reason = require_text(reason, "reason", "Indiquez le motif du refus.")


def _not_evaluated(application: ImmersionApplication, **context: object) -> str | None:
    if application.evaluated_at is not None:
        return "Une immersion déjà évaluée ne s'annule plus."
    return None


def _immersion_over(application: ImmersionApplication, **context: object) -> str | None:
    if timezone.localdate() < application.offer.end_date:
        return "L'évaluation se fait après l'immersion."
    return None


def _evaluated(
    application: ImmersionApplication,
    *,
    rating: int | None = None,
    evaluation: str = "",
    **context: object,
) -> None:
    if rating not in range(1, 6):
        raise ValidationError({"rating": "Donnez une appréciation de 1 à 5."})
    application.rating = rating
    application.evaluation = require_text(evaluation, "evaluation", "Rédigez l'évaluation.")
    application.evaluated_at = timezone.now()


BOTH_SIDES = "Seules l'académie et l'entreprise valident une immersion."

IMMERSION_WORKFLOW: Workflow[ImmersionApplication] = Workflow(
    model=ImmersionApplication,
    journal=ImmersionJournal,
    states=ImmersionState,
    transitions=[
        Transition(
            "donner_accord", "Valider", sources={ImmersionState.SUBMITTED}, target=None,
            may_fire=perms.gives_first_approval, effect=_approved, refusal=BOTH_SIDES,
        ),
        Transition(
            "valider", "Valider", sources={ImmersionState.SUBMITTED},
            target=ImmersionState.VALIDATED, may_fire=perms.gives_last_approval,
            guard=_place_left, effect=_approved, refusal=BOTH_SIDES,
        ),
        Transition(
            "refuser", "Refuser", sources={ImmersionState.SUBMITTED},
            target=ImmersionState.REFUSED, may_fire=perms.can_decide_immersion,
            effect=_immersion_refusal,
            refusal="Seules l'académie et l'entreprise statuent sur une immersion.",
        ),
        Transition(
            "annuler", "Annuler ma candidature",
            sources={ImmersionState.SUBMITTED, ImmersionState.VALIDATED},
            target=ImmersionState.CANCELLED, may_fire=perms.is_applicant, guard=_not_evaluated,
            refusal="Seul l'enseignant candidat annule sa candidature.",
        ),
        Transition(
            "evaluer", "Évaluer l'immersion", sources={ImmersionState.VALIDATED}, target=None,
            may_fire=perms.is_applicant, guard=_immersion_over, effect=_evaluated,
            refusal="Seul l'enseignant qui a suivi l'immersion l'évalue.",
        ),
    ],
)  # fmt: skip
