"""Factories for the whole suite (factory_boy), with traits for the common variants."""

import factory

from relais.core.identifiers import UAI_LETTERS, build_siret
from relais.core.text import search_key
from relais.establishments.enums import EstablishmentKind, PriorityEducation, Sector
from relais.establishments.models import Establishment
from relais.organisations.enums import OrganisationKind, OrganisationLevel
from relais.organisations.models import Organisation
from relais.territories.models import AcademicRegion, Academie, Bassin, Commune, Departement
from relais.users.enums import ROLE_SCOPE, Role, ScopeKind
from relais.users.models import SCOPE_FIELDS, Membership, User

TEST_PASSWORD = "Mot-de-passe-Test-2026!"


def valid_uai(number: int) -> str:
    seven = f"{number:07d}"
    return seven + UAI_LETTERS[int(seven) % 23]


def valid_siret(number: int) -> str:
    return build_siret(f"{number // 10000 % 10**8:08d}", f"{number % 10000:04d}")


class AcademicRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AcademicRegion
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Région académique {n}")


class AcademieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Academie
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"A{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Académie-test {n}")
    region = factory.SubFactory(AcademicRegionFactory)
    holiday_zone = "C"


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement

    code = factory.Sequence(lambda n: f"D{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Département {n}")
    academie = factory.SubFactory(AcademieFactory)


class BassinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bassin

    code = factory.Sequence(lambda n: f"B{n:05d}")
    name = factory.Sequence(lambda n: f"BASSIN {n}")
    academie = factory.SubFactory(AcademieFactory)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    insee_code = factory.Sequence(lambda n: f"{90000 + n % 9999:05d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    postal_code = factory.LazyAttribute(lambda o: o.insee_code)
    departement = factory.SubFactory(DepartementFactory)
    latitude = 43.6
    longitude = 3.87
    search_text = factory.LazyAttribute(lambda o: search_key(o.name, o.postal_code))


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    uai = factory.Sequence(lambda n: valid_uai(3400000 + n))
    name = factory.Sequence(lambda n: f"Collège Jean Moulin {n}")
    kind = EstablishmentKind.COLLEGE
    nature_code = "340"
    nature_label = "COLLEGE"
    sector = Sector.PUBLIC
    academie = factory.SubFactory(AcademieFactory)
    bassin = factory.SubFactory(BassinFactory, academie=factory.SelfAttribute("..academie"))
    commune = factory.SubFactory(
        CommuneFactory, departement__academie=factory.SelfAttribute("...academie")
    )
    departement = factory.LazyAttribute(lambda o: o.commune.departement if o.commune else None)
    latitude = 43.61
    longitude = 3.88
    search_text = factory.LazyAttribute(
        lambda o: search_key(o.name, o.uai, o.commune.name if o.commune else "")
    )

    class Params:
        rep = factory.Trait(priority_education=PriorityEducation.REP)
        rep_plus = factory.Trait(priority_education=PriorityEducation.REP_PLUS)
        private = factory.Trait(sector=Sector.PRIVATE)
        lycee_pro = factory.Trait(
            kind=EstablishmentKind.LYCEE,
            nature_code="320",
            nature_label="LYCEE PROFESSIONNEL",
            vocational_track=True,
            name=factory.Sequence(lambda n: f"Lycée professionnel Marie Curie {n}"),
        )


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Entreprise Dupont {n}")
    acronym = ""
    kind = OrganisationKind.COMPANY
    level = OrganisationLevel.LOCAL
    siret = factory.Sequence(lambda n: valid_siret(4_000_000_000_000 + n))
    academie = factory.SubFactory(AcademieFactory)
    academic_region = factory.SelfAttribute("academie.region")
    search_text = factory.LazyAttribute(lambda o: search_key(o.name, o.acronym, o.siret))

    class Params:
        national = factory.Trait(
            kind=OrganisationKind.PROFESSIONAL,
            level=OrganisationLevel.NATIONAL,
            academie=None,
            academic_region=None,
            siret=None,
        )
        professional = factory.Trait(kind=OrganisationKind.PROFESSIONAL, siret=None)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.NATIONAL_ADMIN


def make_user(role: Role | None = None, scope=None, **user_fields) -> User:
    """A user holding ``role`` on ``scope`` (an Academie, Bassin, Establishment or
    Organisation; None for a national role). Without a role, a user with no membership."""
    user = UserFactory(**user_fields)
    if role is not None:
        scope_kind = ROLE_SCOPE[Role(role)]
        fields = {}
        if scope_kind != ScopeKind.NATIONAL:
            assert scope is not None, f"{role} needs a {scope_kind} scope"
            fields[SCOPE_FIELDS[scope_kind]] = scope
        MembershipFactory(user=user, role=role, **fields)
    return user
