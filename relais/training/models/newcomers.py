"""Young allophone newcomers whose CV the CASNAV circulates to the member companies of the
organisations committed to it (CPME Île-de-France, art. 2.2). Minimum data: a first name
and an initial, a birth year, languages, a level of French, the sector sought, the CV, and
the consent recorded before anything is shared. Purged after the retention delay
(``services.newcomers.newcomers_purge_expired``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from relais.core.models import TimeStampedModel
from relais.core.workflow import JournalEntry
from relais.organisations.models import Organisation
from relais.territories.models import Academie

from ..enums import SECTOR_CHOICES, AnswerState, ConsentGiver, ContractKind, FrenchLevel


class CasnavStaff(TimeStampedModel):
    """A member of the CASNAV of an académie (centre académique pour la scolarisation des
    élèves allophones nouvellement arrivés), named by the académie team: the only people who
    upload and read the CVs, with the companies they are shared with."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="personne", on_delete=models.CASCADE,
        related_name="casnav_seats",
    )  # fmt: skip
    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="casnav_staff"
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "membre du CASNAV"
        verbose_name_plural = "membres du CASNAV"
        constraints = [
            models.UniqueConstraint(fields=["user", "academie"], name="casnav_staff_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — CASNAV {self.academie}"


def cv_path(instance: "Newcomer", filename: str) -> str:
    return f"casnav/{instance.academie_id}/{instance.token}.pdf"


class Newcomer(TimeStampedModel):
    """One young allophone newcomer's CV, with the recorded consent."""

    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="newcomers"
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    first_name = models.CharField("prénom", max_length=80)
    initial = models.CharField("initiale du nom", max_length=2)
    birth_year = models.PositiveSmallIntegerField("année de naissance", null=True, blank=True)
    languages = models.CharField("langues parlées", max_length=200, blank=True)
    french_level = models.CharField("niveau de français", max_length=2, choices=FrenchLevel.choices)
    sector = models.CharField("secteur recherché", max_length=1, choices=SECTOR_CHOICES)
    wish = models.CharField("métier ou formation recherchés", max_length=200, blank=True)
    cv = models.FileField("CV et lettre de motivation (PDF)", upload_to=cv_path, blank=True)
    # The consent: who gave it, when, to which text (its version), recorded by whom.
    consent_giver = models.CharField(
        "consentement donné par", max_length=12, choices=ConsentGiver.choices
    )
    consent_name = models.CharField("nom de la personne qui consent", max_length=150)
    consent_at = models.DateTimeField("consentement recueilli le")
    consent_version = models.CharField("version du texte de consentement", max_length=20)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retention_until = models.DateField("conservé jusqu'au")
    purged_at = models.DateTimeField("purgé le", null=True, blank=True)

    class Meta:
        verbose_name = "jeune allophone (CV)"
        verbose_name_plural = "jeunes allophones (CV)"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["retention_until"],
                condition=Q(purged_at__isnull=True),
                name="newcomer_to_purge",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(purged_at__isnull=False) | ~Q(consent_name=""),
                name="newcomer_consent_recorded",
            )
        ]

    def __str__(self) -> str:
        if self.purged_at:
            return "Jeune (données purgées)"
        return f"{self.first_name} {self.initial}."

    def get_absolute_url(self) -> str:
        return reverse("training:newcomer_detail", args=[self.pk])


class NewcomerShare(models.Model):
    """The CV shared with an organisation that committed to circulate the CASNAV's CVs: its
    member companies may read it and answer."""

    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.PROTECT,
        related_name="newcomer_shares",
    )  # fmt: skip
    shared_at = models.DateTimeField("partagé le", auto_now_add=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "partage d'un CV"
        verbose_name_plural = "partages des CV"
        constraints = [
            models.UniqueConstraint(fields=["newcomer", "organisation"], name="newcomer_share_once")
        ]

    def __str__(self) -> str:
        return f"{self.newcomer} → {self.organisation}"


class NewcomerAnswer(TimeStampedModel):
    """A company's answer, moved along ``workflows.ANSWER_WORKFLOW``: interest, interview,
    written promise (of an apprenticeship or employment contract), contract signed."""

    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="answers")
    company = models.ForeignKey(
        Organisation, verbose_name="entreprise", on_delete=models.PROTECT,
        related_name="newcomer_answers",
    )  # fmt: skip
    via = models.ForeignKey(
        NewcomerShare, verbose_name="partage", on_delete=models.CASCADE, related_name="answers"
    )
    state = models.CharField(
        "réponse", max_length=12, choices=AnswerState.choices, default=AnswerState.INTEREST
    )
    contract_kind = models.CharField(
        "contrat", max_length=15, choices=ContractKind.choices, blank=True
    )
    interview_on = models.DateField("entretien le", null=True, blank=True)
    note = models.TextField("message au CASNAV", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "réponse d'une entreprise"
        verbose_name_plural = "réponses des entreprises"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["newcomer", "company"], name="newcomer_answer_once"),
            models.CheckConstraint(
                condition=~Q(state__in=[AnswerState.PROMISE, AnswerState.CONTRACT])
                | ~Q(contract_kind=""),
                name="newcomer_promise_names_contract",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} : {self.get_state_display()}"


class NewcomerJournal(JournalEntry):
    """The journal of a company's answer (purged with the young person's data)."""

    answer = models.ForeignKey(NewcomerAnswer, on_delete=models.CASCADE, related_name="journal")

    class Meta(JournalEntry.Meta):
        verbose_name = "étape (réponse d'entreprise)"
        verbose_name_plural = "journal des réponses d'entreprises"
