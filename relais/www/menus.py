"""The main menu: each entry is shown to those who may open it.

Each entry names its page (URL name) and the predicate that says who sees it: the same
predicates (``perms``, selectors) as the view behind it, so that a menu never leads to a
refusal. A section (« section:<name> ») is shown when one of its entries is. The nav
templates ask ``{% if "internships:run_list" in menu %}``.

Where the view answers 200 to everybody but the page is none of a role's business (a
réserviste has nothing to do in the conventions' list), the predicate says so too: the
menu is grouped by what each role does; the page itself stays reachable by URL.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from relais.actions import perms as action_perms
from relais.agreements import perms as agreement_perms
from relais.internships import perms as internship_perms
from relais.networks import perms as network_perms
from relais.pupils.perms import can_manage_any_pupils
from relais.reporting.national import may_read_national_view
from relais.training import perms as training_perms
from relais.users.enums import Role
from relais.users.scopes import Reach, get_reach
from relais.users.selectors import can_follow_outbox
from relais.users.types import AnyUser
from relais.volunteers import perms as volunteer_perms

Predicate = Callable[[AnyUser, Reach], bool]


def member(user, reach: Reach) -> bool:
    """Anyone with a role, except a volunteer with no other role (their own space)."""
    return bool(reach.roles - {Role.VOLUNTEER})


def figures_territory(reach: Reach) -> bool:
    """Mirror of relais.www.pathways.views_indicators.default_territory: a territory of the
    user's own whose figures they read."""
    return bool(
        reach.national or reach.managed_academie_ids or reach.bassin_ids or reach.establishment_ids
    )


ENTRIES: dict[str, tuple[str, Predicate]] = {
    # url name: (section, predicate)
    "establishments:list": ("directory", member),
    "organisations:list": ("directory", member),
    "agreements:list": ("agreements", member),
    "agreements:deadlines": ("agreements", member),
    "agreements:calendar": ("agreements", member),
    "governance:body_list": ("governance", member),
    "governance:compliance": ("governance", member),
    "governance:report_list": ("governance", member),
    "governance:council_list": ("governance", member),
    "pupils:roster": ("pupils", lambda user, reach: can_manage_any_pupils(user)),
    "internships:home": ("internships", member),
    "internships:case_list": ("internships", lambda u, r: internship_perms.can_see_pupils(u)),
    "internships:period_list": (
        "internships",
        lambda u, r: bool(r.establishment_ids or r.hub_bassin_ids),
    ),
    "internships:preparation_list": (
        "internships",
        lambda u, r: bool(
            r.national or r.managed_academie_ids or r.bassin_ids or r.establishment_ids
        ),
    ),
    "internships:offer_list": ("internships", member),
    "internships:proposal_list": ("internships", member),
    "internships:run_list": ("internships", lambda u, r: internship_perms.can_see_hub_pages(u)),
    "internships:calendar": ("internships", lambda u, r: internship_perms.can_view_indicators(u)),
    "internships:indicators": (
        "internships",
        lambda u, r: internship_perms.can_view_indicators(u),
    ),
    "pathways:home": ("pathways", lambda u, r: figures_territory(r)),
    "pathways:indicators": ("pathways", lambda u, r: figures_territory(r)),
    "pathways:settings": ("pathways", lambda u, r: r.national or bool(r.managed_academie_ids)),
    "networks:club_list": ("networks", member),
    "networks:mandates_to_renew": (
        "networks",
        # A référent manages their bassin's club (networks.perms.referent_bassin_ids, read
        # here from the roles: no query on every page).
        lambda u, r: network_perms.can_create_club(u) or r.has_role(Role.BASSIN_REFERENT),
    ),
    "networks:directory": ("networks", member),
    "networks:campus_list": ("networks", member),
    "volunteers:mine": ("volunteers", lambda u, r: r.has_role(Role.VOLUNTEER)),
    "volunteers:advisor_list": ("volunteers", member),
    "volunteers:advisor_renewals": ("volunteers", lambda u, r: volunteer_perms.is_team(u)),
    "volunteers:reservist_search": (
        "volunteers",
        lambda u, r: volunteer_perms.can_search_reserve(u),
    ),
    "volunteers:request_list": (
        "volunteers",
        lambda u, r: volunteer_perms.can_search_reserve(u) or r.has_role(Role.VOLUNTEER),
    ),
    "volunteers:application_list": ("volunteers", lambda u, r: volunteer_perms.is_team(u)),
    "volunteers:offer_list": ("volunteers", member),
    "volunteers:course_list": ("volunteers", lambda u, r: volunteer_perms.is_team(u)),
    "juries:session_list": ("volunteers", member),
    # Issue 15, items 5 and 6: the training offer for every member; the CVs of young
    # newcomers for the CASNAV staff and the companies (a representative) only.
    "training:section_list": ("volunteers", member),
    "training:newcomer_list": (
        "volunteers",
        # (the CASNAV staff hold no other role: no query for everybody else)
        lambda u, r: (
            r.has_role(Role.ORGANISATION_REP) or (r.is_empty and training_perms.is_casnav(u))
        ),
    ),
    "actions:offer_list": ("actions", member),
    "actions:request_list": ("actions", member),
    "actions:record_list": ("actions", member),
    # Kits and resources (Mesures 2, 7, 9): for every role, the réserviste too (a partner).
    "resources:list": ("resources", lambda u, r: bool(r.roles)),
    "outbox:list": ("outbox", lambda u, r: can_follow_outbox(u)),
    # Issue 11: the national view for the teams (each for its académies); the open data and
    # « Offres de stage près de chez moi » are public: in everyone's menu.
    "national:view": ("national", lambda u, r: may_read_national_view(r)),
    "national:partners": ("national", lambda u, r: may_read_national_view(r)),
    "national:feed": ("national", lambda u, r: may_read_national_view(r)),
    "opendata:index": ("national", lambda u, r: True),
    "opendata:offers_near": ("national", lambda u, r: True),
    # The API is for the teams and the partners' programs; the footer links its
    # documentation for everyone.
    "api-docs": (
        "api",
        lambda u, r: bool(
            r.national
            or r.managed_academie_ids
            or r.organisation_ids
            or agreement_perms.can_create(u)
            or action_perms.can_create_offer(u)
        ),
    ),
}


class Menu:
    """The URL names (and « section:<name> ») the user's menu shows, computed on first use."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def visible(self) -> frozenset[str]:
        user = self.user
        if user is None or not user.is_authenticated:
            return frozenset()
        reach = get_reach(user)
        names = {name for name, (_, shown) in ENTRIES.items() if shown(user, reach)}
        sections = {f"section:{ENTRIES[name][0]}" for name in names}
        return frozenset(names | sections)

    def __contains__(self, name: object) -> bool:
        return name in self.visible

    def __iter__(self):
        return iter(sorted(self.visible))
