"""Pages of the clubs école-entreprise, their mandates and annuaire (the campus des métiers et
des qualifications are in ``views_campus.py``). Each view validates a form, calls one
service, renders."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.core.school_years import (
    school_year_from,
    school_year_label,
    school_year_of,
)
from relais.documents.rendering import render_pdf
from relais.governance.selectors import held_meetings_count
from relais.networks import perms, services
from relais.networks.enums import ByRight, MandateRole
from relais.networks.filters import ClubFilter
from relais.networks.models import ClubMember
from relais.networks.selectors import (
    club_get,
    club_list,
    club_mandates,
    club_members,
    clubs_visible_to,
    current_mandate,
    directory,
    mandate_get,
    mandate_list,
    mandates_to_renew,
    steering_body,
)
from relais.territories.selectors import academies_visible_to
from relais.users.enums import PersonalData
from relais.users.scopes import get_reach
from relais.www.forms import add_errors
from relais.www.journal import log_export
from relais.www.lists import export_response, paginate

from .forms import (
    ClubForm,
    ClubMemberForm,
    DirectoryChoiceForm,
    DirectoryPublishForm,
    MandateForm,
    MandateRenewForm,
    default_school_year,
)


def _form_page(request, form, *, title, back_url, intro="", status=None):
    return render(
        request,
        "networks/form.html",
        {"title": title, "form": form, "back_url": back_url, "intro": intro},
        status=status or (400 if form.errors else 200),
    )


# --- clubs ---------------------------------------------------------------------------------


def _clubs_filtered(request):
    return ClubFilter(
        request.GET or None,
        queryset=club_list(user=request.user).order_by("academie__name", "bassin__name"),
        user=request.user,
    )


def club_list_view(request):
    filterset = _clubs_filtered(request)
    page = paginate(request, filterset.qs)
    for club in page:
        club.referent = current_mandate(club.year_mandates, MandateRole.REFERENT)
        club.pilote = current_mandate(club.year_mandates, MandateRole.PILOTE)
    return render(
        request,
        "networks/club_list.html",
        {
            "title": "Clubs école-entreprise",
            "filter": filterset,
            "page_obj": page,
            "school_year": school_year_label(school_year_of(timezone.localdate())),
            "can_create": perms.can_create_club(request.user),
        },
    )


CLUB_HEADER = [
    "Club",
    "Bassin",
    "Académie",
    "Référent école-entreprise",
    "Courriel du référent",
    "Pilote",
    "Courriel du pilote",
    "Entreprise du pilote",
    "Membres",
    "Contact du club",
]


def _club_row(club):
    referent = current_mandate(club.year_mandates, MandateRole.REFERENT)
    pilote = current_mandate(club.year_mandates, MandateRole.PILOTE)
    return [
        club.name,
        club.bassin.name,
        club.academie.name,
        referent.full_name if referent else "",
        referent.email if referent else "",
        pilote.full_name if pilote else "",
        pilote.email if pilote else "",
        pilote.organisation.name if pilote and pilote.organisation else "",
        club.member_count,
        club.contact_email,
    ]


def club_export_view(request, fmt):
    """The clubs with their référent and pilote (names, e-mails): journaled."""
    clubs = _clubs_filtered(request).qs
    log_export(
        request, data=PersonalData.CLUBS, description="Clubs école-entreprise", fmt=fmt,
        rows=clubs.count(),
    )  # fmt: skip
    return export_response(
        fmt, "clubs-ecole-entreprise", CLUB_HEADER, clubs, _club_row, title="Clubs"
    )


def _steering_link(club):
    body = steering_body(club)
    if body is None:
        return None, None, 0
    try:
        url = body.get_absolute_url()
    except NoReverseMatch:  # the governance pages are not mounted
        url = None
    held = held_meetings_count(body, school_year=school_year_of(timezone.localdate()))
    return body, url, held


def club_detail_view(request, pk):
    club = club_get(user=request.user, pk=pk)
    members = club_members(club)
    mandates = club_mandates(club)
    year = school_year_of(timezone.localdate())
    current = [m for m in mandates if m.school_year == year]
    body, body_url, held = _steering_link(club)
    seats = {m.by_right: m for m in members if m.by_right}
    return render(
        request,
        "networks/club_detail.html",
        {
            "title": club.name,
            "club": club,
            "members": [m for m in members if not m.by_right],
            "seats": [
                (value, label, seats.get(value)) for value, label in ByRight.choices if value
            ],
            "mandates": mandates,
            "referent": current_mandate(current, MandateRole.REFERENT),
            "pilote": current_mandate(current, MandateRole.PILOTE),
            "school_year": school_year_label(year),
            "body": body,
            "body_url": body_url,
            "meetings_held": held,
            "can_manage": perms.can_manage_club(request.user, club),
            "can_name": perms.can_manage_mandates(request.user, club),
        },
    )


def club_create_view(request):
    if not perms.can_create_club(request.user):
        raise PermissionDenied("Seule l'équipe académique crée les clubs.")
    form = ClubForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            club = services.club_create(
                user=request.user,
                bassin=form.cleaned_data["bassin"],
                name=form.cleaned_data["name"],
                charter=form.cleaned_data["charter"],
                contact_email=form.cleaned_data["contact_email"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, f"Le club « {club.name} » est créé, avec son comité de pilotage."
            )
            return redirect(club)
    return _form_page(request, form, title="Nouveau club école-entreprise", back_url="/reseaux/")


def club_edit_view(request, pk):
    club = club_get(user=request.user, pk=pk)
    if not perms.can_manage_club(request.user, club):
        raise PermissionDenied("Vous ne pouvez pas modifier ce club.")
    form = ClubForm(request.POST or None, instance=club, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.club_update(user=request.user, club=club, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Les modifications du club sont enregistrées.")
            return redirect(club)
    return _form_page(
        request, form, title=f"Modifier « {club.name} »", back_url=club.get_absolute_url()
    )


def club_member_add_view(request, pk):
    club = club_get(user=request.user, pk=pk)
    if not perms.can_manage_club(request.user, club):
        raise PermissionDenied("Vous ne pouvez pas modifier les membres de ce club.")
    form = ClubMemberForm(
        request.POST or None,
        user=request.user,
        club=club,
        initial={"by_right": request.GET.get("droit", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.club_member_add(user=request.user, club=club, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"« {member.label} » est membre du club.")
            return redirect(club)
    return _form_page(
        request,
        form,
        title=f"Ajouter un membre — {club.name}",
        back_url=club.get_absolute_url(),
        intro="Un établissement, une entreprise ou organisation, ou une personne (avec sa "
        "structure le cas échéant).",
    )


@require_POST
def club_member_remove_view(request, pk):
    member = get_object_or_404(
        ClubMember.objects.select_related("club"),
        pk=pk,
        club__in=clubs_visible_to(user=request.user),
    )
    try:
        services.club_member_remove(user=request.user, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"« {member.label} » a quitté le club.")
    return redirect(member.club)


# --- mandates ------------------------------------------------------------------------------


def mandate_create_view(request, pk):
    club = club_get(user=request.user, pk=pk)
    if not perms.can_manage_mandates(request.user, club):
        raise PermissionDenied("Seule l'équipe académique nomme les référents et les pilotes.")
    form = MandateForm(request.POST or None, user=request.user, club=club,
                       initial={"role": request.GET.get("role", MandateRole.REFERENT)})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mandate = services.mandate_appoint(user=request.user, club=club, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{mandate} : nomination enregistrée, courriel envoyé.")
            return redirect(club)
    return _form_page(
        request,
        form,
        title=f"Nommer un référent ou un pilote — {club.name}",
        back_url=club.get_absolute_url(),
        intro="Un mandat vaut pour une année scolaire, du 1er septembre au 31 août. Le "
        "référent est nommé par le recteur en juin ; le pilote, issu du monde de "
        "l'entreprise, est nommé conjointement par les organisations signataires et son "
        "mandat est renouvelable chaque année dans la limite de 5 ans.",
    )


def mandate_renew_view(request, pk):
    mandate = mandate_get(user=request.user, pk=pk)
    if not perms.can_manage_mandates(request.user, mandate.club):
        raise PermissionDenied("Seule l'équipe académique renouvelle les mandats.")
    form = MandateRenewForm(request.POST or None, mandate=mandate)
    if request.method == "POST" and form.is_valid():
        try:
            renewed = services.mandate_renew(
                user=request.user, mandate=mandate, appointed_on=form.cleaned_data["appointed_on"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{renewed} : mandat renouvelé.")
            return redirect("networks:mandates_to_renew")
    return _form_page(
        request,
        form,
        title=f"Renouveler — {mandate}",
        back_url=mandate.club.get_absolute_url(),
        intro=f"Nouveau mandat pour {school_year_label(mandate.school_year + 1)}, même "
        "personne, mêmes organisations qui nomment.",
    )


def _renew_context(request):
    year_text = request.GET.get("annee", "")
    year = school_year_from(year_text) or school_year_of(timezone.localdate())
    academies = academies_visible_to(reach=get_reach(request.user))
    academie = academies.filter(code=request.GET.get("academie", "")).first()
    items = mandates_to_renew(
        queryset=mandate_list(user=request.user), school_year=year, academie=academie
    )
    return year, academie, items


def mandates_to_renew_view(request):
    year, academie, items = _renew_context(request)
    if request.GET.get("format") in ("csv", "xlsx"):
        log_export(
            request, data=PersonalData.MANDATES, fmt=request.GET["format"], rows=len(items),
            description=f"Mandats à renouveler {school_year_label(year)}",
        )  # fmt: skip
        return export_response(
            request.GET["format"],
            f"mandats-a-renouveler-{school_year_label(year)}",
            [
                "Club",
                "Bassin",
                "Académie",
                "Mandat",
                "Nom",
                "Courriel",
                "Fin",
                "Années de suite",
                "Renouvelable",
            ],
            items,
            lambda i: [
                i.mandate.club.name,
                i.mandate.club.bassin.name,
                i.mandate.club.academie.name,
                i.mandate.short_role,
                i.mandate.full_name,
                i.mandate.email,
                i.mandate.ends_on,
                i.consecutive_years,
                "oui" if i.renewable else "non (5 ans atteints)",
            ],
            title="Mandats à renouveler",
        )
    managed = {
        i.mandate.club_id for i in items if perms.can_manage_mandates(request.user, i.mandate.club)
    }
    return render(
        request,
        "networks/mandates_to_renew.html",
        {
            "title": f"Mandats à renouveler — fin {school_year_label(year)}",
            "items": items,
            "year": year,
            "year_label": school_year_label(year),
            "next_label": school_year_label(year + 1),
            "academie": academie,
            "academies": academies_visible_to(reach=get_reach(request.user)),
            "years": range(year - 3, year + 2),
            "managed": managed,
        },
    )


# --- annuaire des clubs ----------------------------------------------------------------------


def _directory_for(request, code, year):
    academie = get_object_or_404(academies_visible_to(reach=get_reach(request.user)), code=code)
    return directory(user=request.user, academie=academie, school_year=year)


def directory_view(request):
    form = DirectoryChoiceForm(request.GET or None, user=request.user)
    chosen = None
    if form.is_bound and form.is_valid():
        chosen = _directory_for(
            request, form.cleaned_data["academie"].code, form.cleaned_data["annee"]
        )
    elif not form.is_bound:
        first = form.fields["academie"].queryset.first()
        if first is not None:
            chosen = _directory_for(request, first.code, default_school_year())
            form = DirectoryChoiceForm(
                initial={"academie": first, "annee": default_school_year()}, user=request.user
            )
    publish_form = None
    if (
        chosen is not None
        and chosen.publication is None
        and perms.can_manage_academie(request.user, chosen.academie.pk)
    ):
        publish_form = DirectoryPublishForm(
            academie=chosen.academie, school_year=chosen.school_year
        )
    return render(
        request,
        "networks/directory.html",
        {
            "title": "Annuaire des clubs école-entreprise",
            "form": form,
            "directory": chosen,
            "publish_form": publish_form,
        },
    )


DIRECTORY_HEADER = [
    "Bassin",
    "Club",
    "Référent école-entreprise",
    "Courriel du référent",
    "Téléphone du référent",
    "Pilote",
    "Entreprise du pilote",
    "Courriel du pilote",
    "Téléphone du pilote",
    "Contact du club",
]


def _directory_row(club):
    r, p = club.referent, club.pilote
    return [
        club.bassin.name,
        club.name,
        r.full_name if r else "",
        r.email if r else "",
        r.phone if r else "",
        p.full_name if p else "",
        p.organisation.name if p and p.organisation else "",
        p.email if p else "",
        p.phone if p else "",
        club.contact_email,
    ]


def directory_export_view(request, code, year, fmt):
    if (year := school_year_from(year)) is None:
        raise Http404("Année scolaire inconnue.")
    chosen = _directory_for(request, code, year)
    basename = f"annuaire-clubs-{code}-{school_year_label(year)}"
    log_export(
        request, data=PersonalData.CLUB_DIRECTORY, fmt=fmt, rows=len(chosen.clubs),
        description=f"Annuaire des clubs {code} {school_year_label(year)}",
    )  # fmt: skip
    if fmt == "pdf":
        rendered = render_pdf(
            "networks/directory_print.html",
            {"directory": chosen, "generated_on": timezone.localdate()},
            filename=f"{basename}.pdf",
        )
        response = HttpResponse(rendered.content, content_type=rendered.mimetype)
        response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
        return response
    return export_response(
        fmt, basename, DIRECTORY_HEADER, chosen.clubs, _directory_row, title="Annuaire des clubs"
    )


@require_POST
def directory_publish_view(request, code, year):
    academie = get_object_or_404(academies_visible_to(reach=get_reach(request.user)), code=code)
    if not perms.can_manage_academie(request.user, academie.pk):
        raise PermissionDenied("Seule l'équipe académique publie l'annuaire des clubs.")
    form = DirectoryPublishForm(request.POST, academie=academie, school_year=year)
    back = f"/reseaux/annuaire/?academie={academie.pk}&annee={year}"
    if form.is_valid():
        try:
            services.directory_publish(
                user=request.user, academie=academie, school_year=year, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"L'annuaire {school_year_label(year)} est publié.")
            return redirect(back)
    return _form_page(
        request, form, title=f"Publier l'annuaire {school_year_label(year)}", back_url=back
    )
