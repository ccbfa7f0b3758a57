"""Words of the pages: the annuaire's capitals in readable French."""

from django import template

from relais.establishments.labels import readable
from relais.nomenclatures.enums import ROME_DOMAINS

register = template.Library()


@register.filter
def annuaire(value: str) -> str:
    """``{{ e.nature_label|annuaire }}``: « LYCEE D ENSEIGNEMENT TECHNOLOGIQUE » → « Lycée
    d'enseignement technologique »."""
    return readable(value)


@register.filter
def pluriel(value, forms: str = "s") -> str:
    """French plural: « 0 élève », « 1 élève », « 2 élèves » (Django's ``pluralize`` writes
    « 0 élèves »). ``{{ n|pluriel }}`` → "" or "s"; ``{{ n|pluriel:"al,aux" }}``."""
    singular, _, plural = forms.rpartition(",") if "," in forms else ("", "", forms)
    try:
        many = abs(float(value)) >= 2
    except (TypeError, ValueError):
        many = bool(value) and len(value) >= 2
    return plural if many else singular


@register.filter
def rome_families(codes) -> str:
    """A pupil's wishes, ROME families, with their domain in words: ``["H22", "D11"]`` →
    « H22 (Industrie), D11 (Commerce, vente et grande distribution) »; « Aucun » if none."""
    named = [
        f"{code} ({ROME_DOMAINS[code[:1]]})" if code[:1] in ROME_DOMAINS else code
        for code in codes or ()
    ]
    return ", ".join(named) or "Aucun"
