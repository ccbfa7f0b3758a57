"""The seats of a conseiller (CET or CEE): a CLEE, a campus des métiers, a pôle de stages or a
commission professionnelle consultative, from a date, ended on a date (Mesure 8)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from relais.core.models import TimeStampedModel
from relais.networks.models import Campus, Club
from relais.territories.models import Bassin

from ..enums import SeatKind
from .advisors import Advisor


class AdvisorSeat(TimeStampedModel):
    """One seat: the body is a club (CLEE), a campus, a bassin's pôle de stages, or a CPC named
    in clear (the CPC are national commissions, not records of Relais)."""

    advisor = models.ForeignKey(
        Advisor, verbose_name="conseiller", on_delete=models.CASCADE, related_name="seats"
    )
    kind = models.CharField("instance", max_length=10, choices=SeatKind.choices)
    club = models.ForeignKey(
        Club, verbose_name="CLEE", null=True, blank=True, on_delete=models.PROTECT,
        related_name="advisor_seats",
    )  # fmt: skip
    campus = models.ForeignKey(
        Campus, verbose_name="campus", null=True, blank=True, on_delete=models.PROTECT,
        related_name="advisor_seats",
    )  # fmt: skip
    bassin = models.ForeignKey(
        Bassin, verbose_name="pôle de stages (bassin)", null=True, blank=True,
        on_delete=models.PROTECT, related_name="advisor_seats",
    )  # fmt: skip
    commission = models.CharField("commission (CPC)", max_length=200, blank=True)
    started_on = models.DateField("depuis le")
    ended_on = models.DateField("jusqu'au", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = "siège d'un conseiller"
        verbose_name_plural = "sièges des conseillers"
        ordering = ["kind", "started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=SeatKind.CLEE) & Q(club__isnull=False))
                | (Q(kind=SeatKind.CAMPUS) & Q(campus__isnull=False))
                | (Q(kind=SeatKind.POLE) & Q(bassin__isnull=False))
                | (Q(kind=SeatKind.CPC) & ~Q(commission="")),
                name="advisor_seat_names_its_body",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="advisor_seat_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.body_label}"

    @property
    def body_label(self) -> str:
        if self.kind == SeatKind.CLEE and self.club is not None:
            return self.club.name
        if self.kind == SeatKind.CAMPUS and self.campus is not None:
            return self.campus.name
        if self.kind == SeatKind.POLE and self.bassin is not None:
            return f"Pôle de stages — {self.bassin}"
        return self.commission
