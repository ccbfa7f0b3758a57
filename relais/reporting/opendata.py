"""The open data of Relais (issue 11, item 5): what is published without login under
``/donnees/``, as CSV and JSON, each file described by a Frictionless Table Schema in one
``datapackage.json``, with DCAT metadata (JSON-LD), under the Licence Ouverte 2.0.

What is never published: a person's name, e-mail or telephone (signatories, référents,
pilotes, tutors, volunteers, pupils), a count of fewer than ``SMALL_COUNT`` pupils, or
anything computed from one (``relais.reporting.national``). Organisations are published by
their name: they are legal persons, parties to public conventions.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch

from relais.agreements.enums import AgreementScope
from relais.agreements.models import Party
from relais.core.clock import today
from relais.networks.enums import MandateRole
from relais.networks.models import Campus, Mandate
from relais.pathways.selectors import SMALL_COUNT
from relais.territories.models import Bassin

from . import measures, national

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
PUBLISHER = "Relais — relation école-entreprise"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # string | integer | number | boolean | date
    title: str
    description: str = ""

    def schema(self) -> dict:
        field = {"name": self.name, "type": self.type, "title": self.title}
        if self.description:
            field["description"] = self.description
        return field


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    rows: Callable[[], Iterable[list]]
    primary_key: tuple[str, ...] = ()

    def schema(self) -> dict:
        schema: dict = {
            "fields": [field.schema() for field in self.fields],
            "missingValues": [""],
        }
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        return schema

    @property
    def header(self) -> list[str]:
        return [field.name for field in self.fields]


def _scope_code(agreement) -> tuple[str, str]:
    """The territory of a convention: (code, name) — UAI for a school, code of the bassin,
    académie or région académique; empty for the nation."""
    if agreement.scope == AgreementScope.NATIONAL:
        return "", "National"
    if agreement.scope == AgreementScope.ACADEMIC_REGION:
        return agreement.academic_region.code, f"Région académique {agreement.academic_region}"
    if agreement.scope == AgreementScope.ESTABLISHMENT:
        return agreement.establishment.uai, agreement.establishment.name
    if agreement.scope == AgreementScope.BASSIN:
        return agreement.bassin.code, str(agreement.bassin)
    return agreement.academie.code, str(agreement.academie)


def conventions_rows() -> Iterable[list]:
    """Conventions in force, with the organisations that are parties (never a signatory)."""
    parties = Party.objects.filter(organisation__isnull=False).select_related("organisation")
    agreements = (
        measures.in_force()
        .select_related("academic_region", "academie", "bassin", "establishment", "parent")
        .prefetch_related(Prefetch("parties", queryset=parties, to_attr="org_parties"))
        .order_by("number")
    )
    scopes = dict(AgreementScope.choices)
    for agreement in agreements.iterator(chunk_size=2000):
        code, name = _scope_code(agreement)
        # ``org_parties``: the parties that are organisations (the prefetch above).
        orgs = [p.organisation for p in agreement.org_parties if p.organisation is not None]
        organisations = sorted({o.name for o in orgs})
        sirets = sorted({o.siret for o in orgs if o.siret})
        yield [
            agreement.number,
            agreement.title,
            agreement.get_kind_display(),
            scopes[agreement.scope],
            agreement.academie.code if agreement.academie is not None else "",
            code,
            name,
            " | ".join(organisations),
            " | ".join(sirets),
            agreement.signed_on,
            agreement.start_date,
            agreement.current_end,
            agreement.parent.number if agreement.parent is not None else "",
        ]


CONVENTIONS = Dataset(
    "conventions-en-vigueur",
    "Conventions de partenariat école-entreprise en vigueur",
    "Les conventions en vigueur (nationales, régionales, académiques, de bassin et "
    "d'établissement) et les organisations qui en sont parties. Les signataires ne sont pas "
    "publiés.",
    (
        Field("numero", "string", "Numéro de la convention"),
        Field("intitule", "string", "Intitulé"),
        Field("type", "string", "Type de convention"),
        Field("niveau", "string", "Niveau (national, régional, académique, bassin, établissement)"),
        Field("code_academie", "string", "Code de l'académie (vide : national ou régional)"),
        Field("code_territoire", "string", "Code du territoire (région, académie, bassin, UAI)"),
        Field("territoire", "string", "Territoire"),
        Field("organisations_parties", "string", "Organisations parties, séparées par « | »"),
        Field("siret_parties", "string", "SIRET des organisations parties, séparés par « | »"),
        Field("date_signature", "date", "Date de la dernière signature"),
        Field("date_entree_vigueur", "date", "Date d'entrée en vigueur"),
        Field("fin_periode_en_cours", "date", "Fin de la période en cours (dernier jour)"),
        Field("convention_declinee", "string", "Convention déclinée (numéro)"),
    ),
    conventions_rows,
    ("numero",),
)  # fmt: skip


def clubs_rows() -> Iterable[list]:
    """One line per bassin: its club if any, and whether a référent and a pilote are in
    office today (never their names)."""
    day = today()

    def in_office(role: str) -> Exists:
        return Exists(
            Mandate.objects.filter(
                club__bassin=OuterRef("pk"), role=role, starts_on__lte=day, ends_on__gte=day
            )
        )

    bassins = (
        Bassin.objects.select_related("academie", "club")
        .annotate(referent=in_office(MandateRole.REFERENT), pilote=in_office(MandateRole.PILOTE))
        .order_by("academie__code", "code")
    )
    for bassin in bassins.iterator(chunk_size=2000):
        club = getattr(bassin, "club", None)
        yield [
            bassin.academie.code,
            bassin.academie.name,
            bassin.code,
            bassin.name,
            club is not None,
            club.name if club else "",
            bassin.referent,
            bassin.pilote,
        ]


CLUBS = Dataset(
    "clubs-ecole-entreprise",
    "Clubs école-entreprise (CLEE) par bassin",
    "Chaque bassin de formation, son club école-entreprise s'il en a un, et si un référent "
    "(Éducation nationale) et un pilote (monde économique) sont en fonction ce jour "
    "(Mesure 12 : un CLEE dans chaque bassin). Les noms des personnes ne sont pas publiés.",
    (
        Field("code_academie", "string", "Code de l'académie"),
        Field("academie", "string", "Académie"),
        Field("code_bassin", "string", "Code du bassin de formation"),
        Field("bassin", "string", "Bassin de formation"),
        Field("a_un_club", "boolean", "Le bassin a un club école-entreprise"),
        Field("club", "string", "Nom du club"),
        Field("referent_en_fonction", "boolean", "Un référent école-entreprise est en fonction"),
        Field("pilote_en_fonction", "boolean", "Un pilote école-entreprise est en fonction"),
    ),
    clubs_rows,
    ("code_bassin",),
)  # fmt: skip


def campus_rows() -> Iterable[list]:
    campuses = Campus.objects.select_related("academie", "head_establishment").order_by(
        "academie__code", "name", "pk"
    )
    for campus in campuses.iterator(chunk_size=2000):
        head = campus.head_establishment
        yield [
            campus.pk,
            campus.name,
            campus.sector,
            campus.academie.code,
            campus.academie.name,
            head.uai if head else "",
            head.name if head else "",
            campus.website,
            campus.label_starts_on,
            campus.label_ends_on,
            campus.label_reference,
        ]


CAMPUS = Dataset(
    "campus-metiers-qualifications",
    "Campus des métiers et des qualifications",
    "Les campus des métiers et des qualifications, leur filière, leur établissement support "
    "et leur label.",
    (
        Field("identifiant", "integer", "Identifiant dans Relais"),
        Field("nom", "string", "Nom du campus"),
        Field("filiere", "string", "Filière"),
        Field("code_academie", "string", "Code de l'académie"),
        Field("academie", "string", "Académie"),
        Field("uai_support", "string", "UAI de l'établissement support"),
        Field("etablissement_support", "string", "Établissement support"),
        Field("site_web", "string", "Site web"),
        Field("label_debut", "date", "Label obtenu le"),
        Field("label_fin", "date", "Fin du label (dernier jour)"),
        Field("reference_label", "string", "Référence de la labellisation"),
    ),
    campus_rows,
    ("identifiant",),
)  # fmt: skip

# The indicators published per académie and per bassin: the national view's columns.
INDICATOR_KEYS = [
    "conventions", "conventions_region", "conventions_academie", "conventions_local",
    "declinations", "bassins", "clubs", "clubs_complete", "clee_coverage",
    "referred", "placed", "placement_rate", "placement_days", "placement_gap",
    "cee_active", "cee_target", "cee_interventions", "reservists", "reserve_done",
    "immersions", "course_56h", "parcours_pupils", "parcours_complete", "parcours_gap",
]  # fmt: skip
FIELD_NAMES = {
    "conventions": "conventions_en_vigueur",
    "conventions_region": "conventions_regionales",
    "conventions_academie": "conventions_academiques",
    "conventions_local": "conventions_locales",
    "declinations": "declinaisons_conventions_nationales",
    "bassins": "bassins",
    "clubs": "bassins_avec_club",
    "clubs_complete": "clubs_referent_et_pilote",
    "clee_coverage": "couverture_clee_pct",
    "referred": "eleves_orientes_pole",
    "placed": "eleves_places",
    "placement_rate": "taux_placement_pct",
    "placement_days": "delai_median_placement_jours",
    "placement_gap": "ecart_placement_points",
    "cee_active": "conseillers_en_mission",
    "cee_target": "conseillers_prevus",
    "cee_interventions": "interventions_conseillers",
    "reservists": "reservistes_valides",
    "reserve_done": "interventions_reserve",
    "immersions": "immersions_validees",
    "course_56h": "participants_parcours_56h",
    "parcours_pupils": "eleves_3e",
    "parcours_complete": "parcours_avenir_complet_3e_pct",
    "parcours_gap": "ecart_parcours_points",
}
FLOAT_KEYS = {
    "clee_coverage", "placement_rate", "placement_days", "placement_gap",
    "parcours_complete", "parcours_gap",
}  # fmt: skip
SECRECY_NOTE = (
    f"Vide quand le nombre d'élèves est compris entre 1 et {SMALL_COUNT - 1} (secret "
    "statistique) ou quand il n'y a aucun élève."
)


def _indicator_fields(level: str) -> tuple[Field, ...]:
    head = [
        Field("annee_scolaire", "string", "Année scolaire (du 1er août au 31 juillet)"),
        Field("code_academie", "string", "Code de l'académie"),
        Field("academie", "string", "Académie"),
    ]
    if level == "bassin":
        head += [
            Field("code_bassin", "string", "Code du bassin de formation"),
            Field("bassin", "string", "Bassin de formation"),
        ]
    fields = []
    for key in INDICATOR_KEYS:
        column = national.COLUMN_BY_KEY[key]
        title = column.label + (f" ({column.unit})" if column.unit else "")
        fields.append(
            Field(
                FIELD_NAMES[key],
                "number" if key in FLOAT_KEYS else "integer",
                title,
                SECRECY_NOTE if column.pupils else "",
            )
        )
    return (*head, *fields)


def _published(cell: national.Cell):
    return "" if cell.value is None else cell.value


def indicators_rows(level: str) -> Callable[[], Iterable[list]]:
    def rows() -> Iterable[list]:
        year = national.current_year()
        label = f"{year}-{year + 1}"
        academies = national.table("academie", year=year)
        if level == "academie":
            for row in academies:
                yield [
                    label,
                    row.code,
                    row.name,
                    *(_published(row.cell(k)) for k in INDICATOR_KEYS),
                ]
            return
        for academie in academies:
            for row in national.table("bassin", year=year, parent=academie.pk):
                yield [
                    label, academie.code, academie.name, row.code, row.name,
                    *(_published(row.cell(k)) for k in INDICATOR_KEYS),
                ]  # fmt: skip

    return rows


INDICATORS_ACADEMIES = Dataset(
    "indicateurs-academies",
    "Indicateurs de la relation école-entreprise par académie",
    "Par académie, pour l'année scolaire en cours : conventions en vigueur, clubs "
    "école-entreprise, pôles de stages, conseillers entreprises, réserve citoyenne, "
    "immersions, parcours de 56 heures et parcours Avenir des élèves de 3e. Effectifs "
    f"d'élèves de moins de {SMALL_COUNT} masqués (secret statistique).",
    _indicator_fields("academie"),
    indicators_rows("academie"),
    ("code_academie",),
)
INDICATORS_BASSINS = Dataset(
    "indicateurs-bassins",
    "Indicateurs de la relation école-entreprise par bassin de formation",
    "Les mêmes indicateurs que par académie, pour chaque bassin de formation. Effectifs "
    f"d'élèves de moins de {SMALL_COUNT} masqués (secret statistique).",
    _indicator_fields("bassin"),
    indicators_rows("bassin"),
    ("code_bassin",),
)

DATASETS: list[Dataset] = [CONVENTIONS, CLUBS, CAMPUS, INDICATORS_ACADEMIES, INDICATORS_BASSINS]
BY_NAME = {dataset.name: dataset for dataset in DATASETS}


def cell_text(value) -> str:
    """A value as written in the CSV (Table Schema's lexical forms)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(round(value, 1))
    return str(value)


def json_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value == "":
        return None
    return value
