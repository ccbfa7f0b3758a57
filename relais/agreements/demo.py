"""Demo conventions: the three seed texts of data/seeds/ with their real parties,
clauses and dates, built through the services (so they have versions and a journal), plus
two avenants.

- Lille « Clubster école-entreprise » (académie de Lille, MEDEF, UIMM, CMA, CCI of Nord-Pas
  de Calais): five years, tacit renewal, 3 months' notice of termination or non-renewal,
  termination for breach 2 months after the sending of a registered letter, tribunal
  administratif de Lille, open to new signatories (each adhesion signed by the académie).
  The seed does not give its signature date: the demo signs it on 15 March 2016 (after the
  « douze mesures » of December 2015 it cites). Avenant n° 1 (demo) adds a new signatory, as
  its clause requires: an adhesion signed by the CRESS and the académie.
- CPME Île-de-France 2018 (académies of Paris, Créteil, Versailles and the CPME): three
  years from signature, four signatories, dated as the text reads (``CPME_SIGNED_ON``): the
  recteur of Paris « 22 janvier 2018 »; Versailles « 22 Marvier 2018 » and Créteil « 22
  towner 2018 », the 22nd of a month the scan garbles whose only reading with the first is
  « janvier »: 22 January 2018; the CPME « May 2018 », whose day is not legible: the demo
  records the last day of May (31 May 2018), so that the three years « à compter de la
  signature » never start before the text allows. It expired on 30 May 2021.
- The ministry's model CEE convention (art. D. 331-66), instantiated for the académie de
  Montpellier with MEDEF Occitanie, its « [à compléter] » fields filled as a demo; avenant
  n° 1 (demo) raises the number of CEE committed.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from relais.core import clock
from relais.organisations.models import Organisation
from relais.territories.models import AcademicRegion, Academie
from relais.users.enums import Role
from relais.users.models import User

from . import services
from .enums import (
    AgreementKind,
    AgreementScope,
    AgreementState,
    ArticleOperation,
    AvenantPurpose,
    CommitmentCategory,
    PartySide,
    SignatureMode,
)
from .models import Agreement

LILLE_TITLE = "Convention Clubster école-entreprise de l'académie de Lille"
CPME_TITLE = (
    "Convention de partenariat académies de Créteil, Paris, Versailles — CPME Île-de-France"
)
# The signature dates as the seed text reads them (see the module's docstring), in the
# order of the signatories.
CPME_SIGNED_ON = {
    "Monsieur Gilles PECOUT": date(2018, 1, 22),  # « Date: 22 janvier 2018 »
    "Monsieur Daniel FILATRE": date(2018, 1, 22),  # « 22 Marvier 2018 »
    "Madame Béatrice GILLE": date(2018, 1, 22),  # « 22 towner 2018 »
    "Monsieur Bernard COHEN-HADAD": date(2018, 5, 31),  # « May 2018 », day illegible
}
CEE_TITLE = "Convention conseillers entreprises pour l'école — Montpellier — MEDEF Occitanie"


def _seed(name: str) -> str:
    return (Path(settings.DATA_DIR) / "seeds" / name).read_text(encoding="utf-8")


def _clean(text: str) -> str:
    lines = [re.sub(r"\s+", " ", line).strip(" \t") for line in text.splitlines()]
    out: list[str] = []
    blank = False
    for line in lines:
        if not line:
            blank = True
            continue
        if blank and out:
            out.append("")
        out.append(line)
        blank = False
    return "\n".join(out).strip()


def _sections(text: str, pattern: str) -> list[tuple[str, str, str]]:
    """Split ``text`` at the headings matching ``pattern`` (groups: number, heading)."""
    matches = list(re.finditer(pattern, text, flags=re.MULTILINE))
    sections = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = _clean(text[match.end() : end])
        sections.append((match.group(1).strip(), match.group(2).strip(" \t–-"), body))
    return sections


def _admin() -> User:
    """The demo national administrator (creates every demo convention)."""
    user = User.objects.filter(memberships__role=Role.NATIONAL_ADMIN).order_by("pk").first()
    if user is None:
        raise RuntimeError("Les comptes de démonstration doivent être chargés d'abord.")
    return user


def _org(acronym: str) -> Organisation | None:
    return Organisation.objects.filter(acronym=acronym).order_by("pk").first()


def _add_party(user, agreement, *, name, side, represented_by="", short_name="", org=None,
               address="", signatory=None):  # fmt: skip
    party = services.party_save(
        user=user,
        agreement=agreement,
        data={
            "organisation": org,
            "name": name,
            "side": side,
            "represented_by": represented_by,
            "short_name": short_name,
            "address": address,
        },
    )
    if signatory:
        full_name, title = signatory
        services.signatory_save(
            user=user,
            agreement=agreement,
            data={"party": party, "full_name": full_name, "title": title},
        )
    return party


def _sign(user, agreement, days: list[date], mode=SignatureMode.PAPER) -> Agreement:
    services.agreement_send_for_signature(user=user, agreement=agreement, note="Démonstration")
    for signatory, day in zip(agreement.signatories.order_by("order", "pk"), days, strict=True):
        agreement = services.agreement_record_signature(
            user=user, signatory=signatory, signed_on=day, mode=mode, today=clock.today()
        )
    return agreement


# --- Lille ------------------------------------------------------------------------------------


def load_lille(user) -> Agreement:
    text = _seed("convention-clubster-academie-lille.txt")
    preamble = _clean(text.split("PREAMBULE", 1)[1].split("CADRES DE REFERENCE", 1)[0])
    legal = "\n".join(
        _clean(m) for m in re.findall(r"^Vu .*?;", text, flags=re.MULTILINE | re.DOTALL)
    )
    sections = _sections(
        text,
        r"^[ \t]*(AXE \d+|GOUVERNANCE ET MISE EN ŒUVRE|REGLEMENT DES LITIGES|COMMUNICATION|"
        r"DUREE DE LA CONVENTION)[ \t]*(.*)$",
    )
    lille = Academie.objects.get(name__iexact="Lille")
    agreement = services.agreement_create(
        user=user,
        title=LILLE_TITLE,
        kind=AgreementKind.FRAMEWORK,
        scope=AgreementScope.ACADEMIE,
        academie=lille,
        fields={
            "legal_basis": legal,
            "preamble": preamble,
            "duration_months": 60,
            "duration_unit": "ans",  # « cinq ans »
            "tacit_renewal": True,
            "notice_months": 3,
            # « En cas de dénonciation ou de non-renouvellement, un préavis de trois mois » ;
            # for breach: « deux mois suivant l'envoi d'une lettre recommandée … valant mise
            # en demeure ».
            "termination_months": 3,
            "breach_months": 2,
            "breach_from_sending": True,
            "signature_place": "Lille",
            "dispute_clause": _clean(
                text.split("REGLEMENT DES LITIGES", 1)[1].split("COMMUNICATION", 1)[0]
            ),
            "competent_court": "tribunal administratif de Lille",
            "open_to_new_signatories": True,
        },
    )
    rectorat = _add_party(user, agreement, name="Académie de Lille", side=PartySide.EDUCATION,
                          represented_by="le recteur de l'académie de Lille",
                          signatory=("Le recteur de l'académie de Lille", "Recteur"))  # fmt: skip
    # The académie signs each adhesion (« chaque nouvelle signature fera l'objet d'un avenant »).
    services.party_save(
        user=user, agreement=agreement, party=rectorat, data={"signs_adhesions": True}
    )
    for acronym, name in [
        ("MEDEF NPC", "Mouvement des Entreprises de France Nord-Pas de Calais"),
        ("UIMM NPDC", "Union des Industries et des Métiers de la Métallurgie Nord-Pas de Calais"),
        ("CMA NPdC", "Chambre de Métiers et de l'Artisanat Nord-Pas de Calais"),
        ("CCIR NdF", "Chambre de Commerce et d'Industrie de Région Nord de France"),
    ]:
        _add_party(
            user, agreement, name=name, short_name=acronym, org=_org(acronym),
            side=PartySide.ECONOMIC, signatory=(f"Le président de {acronym}", "Président"),
        )  # fmt: skip
    for number, heading, body in sections:
        body = body.split("Contact :", 1)[0].strip()
        if number.startswith("AXE"):
            label, title = number.title(), heading.capitalize()
        else:
            label, title = number.capitalize(), ""
        services.article_save(
            user=user,
            agreement=agreement,
            data={"number": label, "heading": title, "body": body},
        )
    economic = agreement.parties.filter(side=PartySide.ECONOMIC)
    services.commitment_save(
        user=user,
        agreement=agreement,
        data={"party": economic.first(), "category": CommitmentCategory.DISCOVERY,
              "description": "Animer avec le référent le comité de pilotage de chaque club "
              "école-entreprise, au moins deux fois par an",
              "article_number": "Gouvernance et mise en œuvre"},
    )  # fmt: skip
    return _sign(user, agreement, [date(2016, 3, 15)] * agreement.signatories.count())


def load_lille_avenant(user, lille: Agreement) -> Agreement:
    avenant = services.avenant_create(
        user=user,
        agreement=lille,
        title="Avenant n° 1 — adhésion d'un nouveau signataire (démonstration)",
        purpose=AvenantPurpose.ADHESION,
    )
    _add_party(user, avenant, name="Chambre régionale de l'économie sociale et solidaire "
               "(démonstration)", short_name="CRESS", side=PartySide.ECONOMIC,
               signatory=("La présidente de la CRESS", "Présidente"))  # fmt: skip
    services.article_save(
        user=user,
        agreement=avenant,
        data={
            "number": "Adhésion",
            "heading": "Nouveau signataire",
            "body": "Conformément à la clause d'ouverture de la convention, la CRESS adhère "
            "au Clubster école-entreprise et siège au comité de pilotage régional.",
        },
    )
    return _sign(user, avenant, [date(2019, 9, 12)] * avenant.signatories.count())


# --- CPME Île-de-France ---------------------------------------------------------------------


def load_cpme(user) -> Agreement:
    text = _seed("convention-cpme-ile-de-france-2018.txt")
    preamble = _clean(text.split("#### Préambule", 1)[1].split("#### Article 1", 1)[0])
    sections = _sections(text, r"^#*\s*Article\s+(\d+)\s*[-–]\s*(.*)$")
    region = AcademicRegion.objects.get(name__icontains="le-de-France")
    agreement = services.agreement_create(
        user=user,
        title=CPME_TITLE,
        kind=AgreementKind.FRAMEWORK,
        scope=AgreementScope.ACADEMIC_REGION,
        academic_region=region,
        fields={
            "preamble": preamble,
            "duration_months": 36,
            "duration_unit": "ans",  # « trois ans »
            "tacit_renewal": False,
            "notice_months": 3,  # « résilier ou ne pas reconduire … préavis de trois mois »
            "termination_months": 3,
            "dispute_clause": "Les cosignataires s'engagent à résoudre à l'amiable tout litige "
            "avant d'avoir recours à la procédure de résiliation prévue dans le cadre de la "
            "présente convention.",
            "competent_court": "tribunal compétent",
            "confidentiality_clause": _clean(
                text.split("#### 3.2 Confidentialité", 1)[1].split("## 3.3", 1)[0]
            ),
        },
    )
    signatories = [
        ("Académie de Paris", "Monsieur Gilles PECOUT",
         "Recteur de la région académique Île-de-France, recteur de l'académie de Paris"),
        ("Académie de Versailles", "Monsieur Daniel FILATRE",
         "Recteur de l'académie de Versailles"),
        ("Académie de Créteil", "Madame Béatrice GILLE", "Rectrice de l'académie de Créteil"),
    ]  # fmt: skip
    for name, person, title in signatories:
        _add_party(
            user, agreement, name=name, side=PartySide.EDUCATION, short_name="les académies",
            represented_by=f"{person}, {title.lower()}", signatory=(person, title),
        )  # fmt: skip
    cpme = _add_party(
        user, agreement,
        name="Confédération des petites et moyennes entreprises d'Île-de-France",
        short_name="CPME Île-de-France", org=_org("CPME IDF") or _org("CPME Île-de-France"),
        side=PartySide.ECONOMIC,
        represented_by="Monsieur Bernard COHEN HADAD, président de la CPME Paris-IDF",
        signatory=("Monsieur Bernard COHEN-HADAD", "Président de la CPME Paris"),
    )  # fmt: skip
    for number, heading, body in sections:
        services.article_save(
            user=user,
            agreement=agreement,
            data={"number": number, "heading": heading, "body": body},
        )
    for category, description, article in [
        (CommitmentCategory.CASNAV, "Faire circuler auprès des adhérents les CV et lettres de "
         "motivation transmis par le CASNAV de Paris", "2.2"),
        (CommitmentCategory.JURIES, "Désigner des professionnels pour les jurys d'examen", "2.4"),
        (CommitmentCategory.PFMP, "Favoriser l'accueil des élèves en PFMP et diffuser les offres "
         "de stage dans les pôles de stages", "2.1"),
        (CommitmentCategory.IMMERSION, "Sensibiliser les adhérents à l'accueil d'enseignants en "
         "immersion", "1.2"),
    ]:  # fmt: skip
        services.commitment_save(
            user=user,
            agreement=agreement,
            data={"party": cpme, "category": category, "description": description,
                  "article_number": article},
        )  # fmt: skip
    ordered = agreement.signatories.order_by("order", "pk")
    return _sign(user, agreement, [CPME_SIGNED_ON[s.full_name] for s in ordered])


# --- model CEE convention ---------------------------------------------------------------------


def load_cee(user) -> Agreement:
    montpellier = Academie.objects.get(name__iexact="Montpellier")
    agreement = services.agreement_create(
        user=user,
        title=CEE_TITLE,
        kind=AgreementKind.CEE,
        scope=AgreementScope.ACADEMIE,
        academie=montpellier,
        fields={
            "legal_basis": "Vu le code de l'éducation et notamment ses articles D. 331-65 à "
            "D. 331-67 ;",
            "template_fields": {
                "domaines_intervention": "parcours Avenir de la 6e à la terminale ; "
                "développement quantitatif et qualitatif des périodes en entreprise ; "
                "participation aux jurys d'examens des diplômes professionnels (démonstration)",
                "secteurs": "l'industrie, le BTP et les services aux entreprises (démonstration)",
                "modalites": "une réunion de rentrée des conseillers et un point trimestriel "
                "avec le référent académique (démonstration)",
                "comite_composition": "le DAET, deux représentants du MEDEF Occitanie, deux "
                "conseillers entreprises pour l'école (démonstration)",
                "comite_initiative": "la déléguée académique aux enseignements techniques",
                "compte_rendu_redacteur": "la DAET",
                "recteur_qualite": "La rectrice de l'académie de Montpellier",
            },
        },
    )
    _add_party(user, agreement, name="Académie de Montpellier", short_name="l'académie",
               side=PartySide.EDUCATION, address="31 rue de l'Université, 34064 Montpellier",
               represented_by="la rectrice de l'académie de Montpellier",
               signatory=("La rectrice de l'académie de Montpellier", "Rectrice"))  # fmt: skip
    medef = _add_party(
        user, agreement, name="MEDEF Occitanie", short_name="le MEDEF Occitanie",
        org=_org("MEDEF Occitanie"), side=PartySide.ECONOMIC,
        address="Toulouse (démonstration)", represented_by="son président (démonstration)",
        signatory=("Le président du MEDEF Occitanie (démonstration)", "Président"),
    )  # fmt: skip
    services.commitment_save(
        user=user,
        agreement=agreement,
        data={"party": medef, "category": CommitmentCategory.CEE, "quantity": 10,
              "unit": "conseillers", "description": "Mobiliser des conseillers entreprises "
              "pour l'école pendant la durée de la convention", "article_number": "1"},
    )  # fmt: skip
    for number, heading, body in [
        ("1", "Objet", "Les signataires conviennent de mobiliser 10 conseillers entreprises "
         "pour l'école pendant la durée de la présente convention."),
        ("6", "Pilotage de la convention", "Il est constitué un comité de pilotage chargé de "
         "suivre et d'évaluer la mise en œuvre de la convention. Il se réunit a minima une fois "
         "par an. Un compte-rendu est adressé à l'ensemble des membres du comité de pilotage."),
    ]:  # fmt: skip
        services.article_save(
            user=user,
            agreement=agreement,
            data={"number": number, "heading": heading, "body": body},
        )
    return _sign(user, agreement, [date(2025, 9, 15), date(2025, 9, 22)], SignatureMode.ELECTRONIC)


def load_cee_avenant(user, cee: Agreement) -> Agreement:
    avenant = services.avenant_create(
        user=user, agreement=cee, title="Avenant n° 1 — 15 conseillers (démonstration)"
    )
    medef = avenant.parties.get(side=PartySide.ECONOMIC)
    services.article_save(
        user=user,
        agreement=avenant,
        data={"number": "1", "heading": "Objet", "operation": ArticleOperation.REPLACE,
              "body": "Les signataires conviennent de mobiliser 15 conseillers entreprises pour "
              "l'école pendant la durée de la présente convention."},
    )  # fmt: skip
    services.commitment_save(
        user=user,
        agreement=avenant,
        data={"party": medef, "category": CommitmentCategory.CEE, "quantity": 5,
              "unit": "conseillers supplémentaires", "description": "Mobiliser cinq conseillers "
              "entreprises pour l'école de plus", "article_number": "1"},
    )  # fmt: skip
    return _sign(user, avenant, [date(2026, 6, 2), date(2026, 6, 9)], SignatureMode.ELECTRONIC)


@transaction.atomic
def load() -> str:
    """Create the demo conventions once (found again by title on later runs)."""
    if Agreement.objects.filter(title=LILLE_TITLE).exists():
        return "Conventions de démonstration : déjà chargées."
    user = _admin()
    lille = load_lille(user)
    load_lille_avenant(user, lille)
    cpme = load_cpme(user)
    from .alerts import close_ended

    close_ended(today=clock.today())
    cee = load_cee(user)
    load_cee_avenant(user, cee)
    count = Agreement.objects.exclude(state=AgreementState.DRAFT).count()
    cpme.refresh_from_db()
    return (
        f"Conventions de démonstration : {count} conventions et avenants chargés "
        f"(Lille, CPME Île-de-France — {cpme.get_state_display().lower()}, CEE Montpellier)."
    )
