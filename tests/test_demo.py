"""The demo of ``make run``, loaded from the real files of data/opendata."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from stdnum.fr import siret

from relais.core.models import ImportRun
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.users.enums import Role
from relais.users.models import Membership, User


@pytest.mark.django_db
def test_demo_loads_real_data_and_one_account_per_role():
    call_command("load_demo", verbosity=0, stdout=io.StringIO())

    assert Establishment.objects.filter(academie__code="11").count() > 2000  # Montpellier
    assert Establishment.objects.filter(academie__code="16").count() > 3000  # Toulouse
    companies = Organisation.objects.filter(kind="entreprise", is_demo=True)
    assert companies.count() == 50
    assert all(siret.is_valid(c.siret) for c in companies)
    assert all(c.commune and c.academie.code in {"11", "16"} for c in companies)
    regional = Organisation.objects.get(acronym="MEDEF Occitanie")
    assert regional.parent.acronym == "MEDEF" and regional.academic_region.name == "Occitanie"
    assert Organisation.objects.get(acronym="CPME IDF").parent.acronym == "CPME"

    roles = set(Membership.objects.filter(user__is_demo=True).values_list("role", flat=True))
    assert roles == set(Role.values)
    admin = User.objects.get(email="admin@demo.relais.example")
    assert admin.check_password(settings.RELAIS_DEMO_PASSWORD) and admin.is_staff

    # A second run skips the unchanged files and creates nothing.
    runs, organisations = ImportRun.objects.count(), Organisation.objects.count()
    admin.set_password("Changé-par-l-utilisateur-1")
    admin.save()
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    assert ImportRun.objects.count() == runs
    assert Organisation.objects.count() == organisations
    admin.refresh_from_db()
    assert admin.check_password("Changé-par-l-utilisateur-1")  # nothing a user changed is lost


@pytest.mark.django_db
def test_demo_conventions_come_from_the_seed_texts():
    from datetime import date, timedelta

    from relais.agreements.consolidation import consolidate
    from relais.agreements.models import Agreement

    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    lille = Agreement.objects.get(title__startswith="Convention Clubster")
    assert lille.state == "en_vigueur" and lille.tacit_renewal and lille.duration_months == 60
    # « dénonciation ou non-renouvellement : préavis de trois mois » ; breach: « deux mois
    # suivant l'envoi d'une lettre recommandée … valant mise en demeure » (issue 13).
    assert lille.termination_months == 3 and lille.open_to_new_signatories
    assert lille.breach_months == 2 and lille.breach_from_sending
    assert lille.duration_unit == "ans"
    assert lille.competent_court == "tribunal administratif de Lille"
    assert "Vu l’arrêté du 1er juillet 2015 relatif au parcours avenir ;" in lille.legal_basis
    assert [a.number for a in lille.articles.all()][:4] == ["Axe 1", "Axe 2", "Axe 3", "Axe 4"]
    assert "CRESS" in [p.short_name for p in consolidate(lille).parties]  # by avenant
    adhesion = lille.avenants.get()
    assert adhesion.avenant_purpose == "adhesion" and adhesion.parties.count() == 2
    joined = adhesion.start_date
    assert "CRESS" not in [
        p.short_name for p in consolidate(lille, on=joined - timedelta(days=1)).parties
    ]
    cpme = Agreement.objects.get(title__contains="CPME Île-de-France")
    signed = sorted(cpme.signatories.values_list("signed_on", flat=True))
    # As the text reads them: three rectors on « 22 janvier 2018 », the CPME « May 2018 ».
    assert set(signed) == {date(2018, 1, 22), date(2018, 5, 31)}
    assert cpme.start_date == date(2018, 5, 31)
    assert cpme.state == "expiree" and cpme.ended_on == date(2021, 5, 30)
    assert "CASNAV" in " ".join(cpme.commitments.values_list("description", flat=True))
    cee = Agreement.objects.get(kind="cee")
    assert cee.duration_months == 36 and cee.avenants.count() == 1
    assert (
        consolidate(cee).articles[0].body.startswith("Les signataires conviennent de mobiliser 15")
    )
    assert Agreement.objects.filter(kind="avenant").count() == 2
    before = Agreement.objects.count()
    call_command("load_demo", "--no-reference", verbosity=0, stdout=io.StringIO())
    assert Agreement.objects.count() == before
