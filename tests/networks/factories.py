"""Factories of the networks app (clubs, members, mandates, campus)."""

from datetime import date

import factory

from relais.core.school_years import school_year_bounds
from relais.networks.enums import CampusMemberKind, MandateRole
from relais.networks.models import Campus, CampusMember, Club, ClubMember, Mandate
from relais.networks.rules import campus_label_end
from tests.factories import AcademieFactory, BassinFactory


class ClubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Club

    academie = factory.SubFactory(AcademieFactory)
    bassin = factory.SubFactory(BassinFactory, academie=factory.SelfAttribute("..academie"))
    name = factory.LazyAttribute(lambda o: f"Club école-entreprise {o.bassin.name}")
    contact_email = factory.Sequence(lambda n: f"club{n}@exemple.fr")
    search_text = factory.LazyAttribute(lambda o: o.name.lower())


class ClubMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClubMember

    club = factory.SubFactory(ClubFactory)
    full_name = factory.Sequence(lambda n: f"Membre {n}")


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    club = factory.SubFactory(ClubFactory)
    role = MandateRole.REFERENT
    school_year = 2025
    full_name = factory.Sequence(lambda n: f"Personne {n}")
    email = factory.Sequence(lambda n: f"mandat{n}@exemple.fr")
    appointed_on = factory.LazyAttribute(lambda o: date(o.school_year, 6, 15))
    appointed_by = "Recteur"
    starts_on = factory.LazyAttribute(lambda o: school_year_bounds(o.school_year)[0])
    ends_on = factory.LazyAttribute(lambda o: school_year_bounds(o.school_year)[1])


class CampusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campus

    name = factory.Sequence(lambda n: f"Campus des métiers de l'aéronautique {n}")
    sector = "Aéronautique et spatial"
    academie = factory.SubFactory(AcademieFactory)
    label_starts_on = date(2023, 9, 1)
    label_ends_on = factory.LazyAttribute(lambda o: campus_label_end(o.label_starts_on))
    search_text = factory.LazyAttribute(lambda o: f"{o.name} {o.sector}".lower())


class CampusMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampusMember

    campus = factory.SubFactory(CampusFactory)
    kind = CampusMemberKind.HIGHER_EDUCATION
    name = factory.Sequence(lambda n: f"Université {n}")
