"""Clubs école-entreprise / CLEE (one per bassin) with their members and the mandates of
their two co-animators, the annuaire des clubs and its publication, and the campus des
métiers et des qualifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from relais.core.models import TimeStampedModel
from relais.core.school_years import school_year_label
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.territories.models import Academie, Bassin

from .enums import ByRight, CampusMemberKind, MandateRole


class Club(TimeStampedModel):
    """A club école-entreprise (CLEE) of a bassin; Lille's Clubster is the network of the
    académie's clubs under its convention (« Gouvernance et mise en œuvre »)."""

    name = models.CharField("nom", max_length=255)
    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="clubs"
    )
    bassin = models.OneToOneField(
        Bassin, verbose_name="bassin", on_delete=models.PROTECT, related_name="club"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name="convention de rattachement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clubs",
    )
    charter = models.TextField("charte", blank=True)
    contact_email = models.EmailField("courriel de contact", blank=True)
    search_text = models.TextField(blank=True, editable=False)

    # Set by the selectors, not fields: the mandates of one school year (``club_list``'s
    # prefetch) and their current holders (``directory``).
    year_mandates: list["Mandate"]
    referent: "Mandate | None"
    pilote: "Mandate | None"

    class Meta:
        verbose_name = "club école-entreprise"
        verbose_name_plural = "clubs école-entreprise"
        ordering = ["academie__name", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:club_detail", args=[self.pk])


class ClubMember(TimeStampedModel):
    """A member of a club: a school, a company or organisation, or a person. The pôle de
    stages animator and the CIO director are members by right (``by_right``): a new holder
    replaces the previous one, who leaves the club on that day."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="members")
    establishment = models.ForeignKey(
        Establishment, verbose_name="établissement", null=True, blank=True,
        on_delete=models.PROTECT, related_name="club_memberships",
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, verbose_name="entreprise ou organisation", null=True, blank=True,
        on_delete=models.PROTECT, related_name="club_memberships",
    )  # fmt: skip
    full_name = models.CharField("personne", max_length=150, blank=True)
    email = models.EmailField("courriel", blank=True)
    function = models.CharField("fonction", max_length=150, blank=True)
    by_right = models.CharField(
        "membre de droit", max_length=20, choices=ByRight.choices, blank=True, default=""
    )
    joined_on = models.DateField("membre depuis", default=timezone.localdate)
    left_on = models.DateField("a quitté le club le", null=True, blank=True)

    class Meta:
        verbose_name = "membre de club"
        verbose_name_plural = "membres de club"
        ordering = ["-by_right", "full_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(establishment__isnull=False)
                | Q(organisation__isnull=False)
                | ~Q(full_name=""),
                name="club_member_is_someone",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="club_member_leaves_after_joining",
            ),
            models.UniqueConstraint(
                fields=["club", "by_right"],
                condition=Q(left_on__isnull=True) & ~Q(by_right=""),
                name="club_one_holder_per_seat_by_right",
            ),
            models.UniqueConstraint(
                fields=["club", "establishment"],
                condition=Q(left_on__isnull=True, by_right="", establishment__isnull=False),
                name="club_member_establishment_once",
            ),
            models.UniqueConstraint(
                fields=["club", "organisation"],
                condition=Q(left_on__isnull=True, by_right="", organisation__isnull=False)
                & Q(full_name=""),
                name="club_member_organisation_once",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        parts = [self.full_name]
        if self.establishment is not None:  # self.establishment_id
            parts.append(self.establishment.name)
        if self.organisation is not None:  # self.organisation_id
            parts.append(self.organisation.name)
        return " — ".join(p for p in parts if p) or "Membre"

    @property
    def kind_label(self) -> str:
        if self.by_right:
            return "Membre de droit"
        if self.establishment_id:
            return "Établissement"
        if self.organisation_id:
            return "Entreprise ou organisation"
        return "Personne"


class Mandate(TimeStampedModel):
    """A référent école-entreprise (named by the recteur each June) or a pilote (from the
    business side, named jointly by the signatory organisations) of a club, for one school
    year: 1 September to 31 August (a replacement starts during the year)."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="mandates")
    role = models.CharField("mandat", max_length=10, choices=MandateRole.choices)
    school_year = models.PositiveSmallIntegerField("année scolaire (année de rentrée)")
    full_name = models.CharField("nom et prénom", max_length=150)
    email = models.EmailField("courriel")
    phone = models.CharField("téléphone", max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="compte Relais", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="club_mandates",
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, verbose_name="entreprise ou organisation", null=True, blank=True,
        on_delete=models.PROTECT, related_name="club_mandates",
    )  # fmt: skip
    establishment = models.ForeignKey(
        Establishment, verbose_name="établissement d'exercice", null=True, blank=True,
        on_delete=models.PROTECT, related_name="club_mandates",
    )  # fmt: skip
    appointed_on = models.DateField("nommé le")
    appointed_by = models.CharField("nommé par", max_length=255, blank=True)
    appointing_organisations = models.ManyToManyField(
        Organisation, verbose_name="organisations signataires qui nomment", blank=True,
        related_name="appointed_pilotes",
    )  # fmt: skip
    replacement = models.BooleanField("remplacement en cours d'année", default=False)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin (dernier jour)")
    previous = models.ForeignKey(
        "self", verbose_name="mandat renouvelé", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="renewals",
    )  # fmt: skip
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "mandat"
        verbose_name_plural = "mandats"
        ordering = ["-school_year", "club__name", "role", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="mandate_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["club", "role", "starts_on"], name="mandate_one_start_per_day"
            ),
        ]
        indexes = [models.Index(fields=["role", "ends_on"]), models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.full_name} ({self.school_year_label})"

    def get_absolute_url(self) -> str:
        return reverse("networks:club_detail", args=[self.club_id]) + f"#mandat-{self.pk}"

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)

    @property
    def short_role(self) -> str:
        return "Référent" if self.role == MandateRole.REFERENT else "Pilote"


class DirectoryPublication(models.Model):
    """The annuaire des clubs of an académie for a school year, « communiqué à l'issue du
    comité stratégique de juin »: when, by whom, after which meeting."""

    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT,
        related_name="club_directory_publications",
    )  # fmt: skip
    school_year = models.PositiveSmallIntegerField("année scolaire (année de rentrée)")
    published_on = models.DateField("publié le")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="publié par", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    strategic_meeting = models.ForeignKey(
        "governance.Meeting", verbose_name="comité stratégique", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    note = models.TextField("observations", blank=True)
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "publication de l'annuaire des clubs"
        verbose_name_plural = "publications de l'annuaire des clubs"
        ordering = ["-school_year", "academie__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["academie", "school_year"], name="directory_published_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"Annuaire {school_year_label(self.school_year)} — {self.academie}"


class Campus(TimeStampedModel):
    """A campus des métiers et des qualifications: a network of schools, higher education,
    research, companies and communities around one sector, labelled for 4 years."""

    name = models.CharField("nom", max_length=255)
    sector = models.CharField("filière", max_length=200)
    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="campuses"
    )
    head_establishment = models.ForeignKey(
        Establishment, verbose_name="établissement support", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="supported_campuses",
    )  # fmt: skip
    description = models.TextField("présentation", blank=True)
    website = models.URLField("site web", max_length=500, blank=True)
    contact_email = models.EmailField("courriel de contact", blank=True)
    label_starts_on = models.DateField("label obtenu le")
    label_ends_on = models.DateField("fin du label (dernier jour)")
    label_reference = models.CharField(
        "référence de la labellisation", max_length=255, blank=True,
        help_text="Arrêté ou publication au Bulletin officiel.",
    )  # fmt: skip
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = "campus des métiers et des qualifications"
        verbose_name_plural = "campus des métiers et des qualifications"
        ordering = ["academie__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(label_ends_on__gt=models.F("label_starts_on")),
                name="campus_label_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:campus_detail", args=[self.pk])


class CampusMember(models.Model):
    campus = models.ForeignKey(Campus, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField("catégorie", max_length=20, choices=CampusMemberKind.choices)
    establishment = models.ForeignKey(
        Establishment, verbose_name="établissement", null=True, blank=True,
        on_delete=models.PROTECT, related_name="campus_memberships",
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", null=True, blank=True,
        on_delete=models.PROTECT, related_name="campus_memberships",
    )  # fmt: skip
    name = models.CharField(
        "nom (hors annuaire)", max_length=255, blank=True,
        help_text="Université, laboratoire, collectivité… absents de Relais.",
    )  # fmt: skip

    class Meta:
        verbose_name = "membre de campus"
        verbose_name_plural = "membres de campus"
        ordering = ["kind", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(establishment__isnull=False)
                | Q(organisation__isnull=False)
                | ~Q(name=""),
                name="campus_member_is_someone",
            ),
            models.UniqueConstraint(
                fields=["campus", "establishment"],
                condition=Q(establishment__isnull=False),
                name="campus_member_establishment_once",
            ),
            models.UniqueConstraint(
                fields=["campus", "organisation"],
                condition=Q(organisation__isnull=False),
                name="campus_member_organisation_once",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.establishment is not None:  # self.establishment_id
            return self.establishment.name
        if self.organisation is not None:  # self.organisation_id
            return self.organisation.name
        return self.name
