"""Pages of the library of kits and resources (Mesures 2, 7 and 9): the list per audience,
a resource with its versions and (for its managers) its counts, the forms of the académie
and national teams, and the page a company opens from its e-mail, without an account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from relais.core.uploads import limit_uploads, pdf_max_bytes
from relais.resources import services
from relais.resources.enums import UseKind
from relais.resources.perms import can_manage_resource, can_manage_resources
from relais.resources.selectors import resources_visible_to, version_use_counts, with_use_counts
from relais.www.forms import add_errors, upload_form_is_valid
from relais.www.lists import paginate

from .forms import FilterForm, ResourceForm, VersionForm


def list_view(request):
    form = FilterForm(request.GET or None)
    resources = resources_visible_to(user=request.user).filter(archived_at__isnull=True)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            resources = resources.filter(
                Q(title__icontains=data["q"]) | Q(summary__icontains=data["q"])
            )
        if data["audience"]:
            resources = resources.filter(audience=data["audience"])
        if data["kind"]:
            resources = resources.filter(kind=data["kind"])
    manager = can_manage_resources(request.user)
    if manager:
        resources = with_use_counts(resources)
    page = paginate(request, resources.order_by("audience", "kind", "step", "topic", "title", "pk"))
    return render(
        request,
        "resources/list.html",
        {"title": "Kits et ressources", "form": form, "page_obj": page, "manager": manager},
    )


def _visible(request, pk):
    return get_object_or_404(resources_visible_to(user=request.user), pk=pk)


def detail_view(request, pk):
    """The resource's current version; its history; its counts for those who manage it.
    Opening it counts one « ouverture » (not when its managers open it)."""
    resource = _visible(request, pk)
    manager = can_manage_resource(request.user, resource)
    if not manager:
        services.use_record(resource=resource, kind=UseKind.OPEN, user=request.user)
    versions = list(resource.versions.select_related("created_by").order_by("-number"))
    counts = version_use_counts(resource) if manager else {}
    return render(
        request,
        "resources/detail.html",
        {
            "title": resource.title,
            "resource": resource,
            "version": resource.current,
            "versions": [(version, counts.get(version.number)) for version in versions],
            "manager": manager,
            "share_url": services.share_url(resource) if manager else "",
        },
    )


def version_view(request, pk, number):
    """An older version, as it was (what a company was sent then)."""
    resource = _visible(request, pk)
    version = get_object_or_404(resource.versions, number=number)
    return render(
        request,
        "resources/version.html",
        {"title": f"{resource.title} — version {number}", "resource": resource, "version": version},
    )


def _file_response(resource, version) -> HttpResponse:
    if not version.file:
        raise Http404("Cette version n'a pas de fichier.")
    with version.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="ressource-{resource.pk}-v{version.number}.pdf"'
    )
    return response


def download_view(request, pk):
    resource = _visible(request, pk)
    if resource.current is None:
        raise Http404
    response = _file_response(resource, resource.current)
    services.use_record(resource=resource, kind=UseKind.DOWNLOAD, user=request.user)
    return response


def _form_page(request, form, title, cancel_url):
    return render(
        request,
        "resources/form.html",
        {"title": title, "form": form, "cancel_url": cancel_url},
        status=400 if form.errors else 200,
    )


@limit_uploads(pdf_max_bytes)
def create_view(request):
    if not can_manage_resources(request.user):
        raise PermissionDenied(
            "Seules les équipes académique et nationale ajoutent des ressources."
        )
    form = ResourceForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and upload_form_is_valid(request, form, "file"):
        resource = form.save(commit=False)
        resource.academie = form.academie()
        data = form.cleaned_data
        version = services.VersionData(
            body=data["body"], url=data["url"], file=data["file"], note=data["note"]
        )
        try:
            services.resource_create(user=request.user, resource=resource, version=version)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "La ressource est ajoutée à la bibliothèque.")
            return redirect(resource)
    return _form_page(request, form, "Nouvelle ressource", "/ressources/")


def _managed(request, pk):
    resource = _visible(request, pk)
    if not can_manage_resource(request.user, resource):
        raise PermissionDenied("Seule l'équipe qui gère cette ressource la modifie.")
    return resource


@limit_uploads(pdf_max_bytes)
def version_add_view(request, pk):
    resource = _managed(request, pk)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload_form_is_valid(request, form, "file"):
        data = form.cleaned_data
        version = services.VersionData(
            body=data["body"], url=data["url"], file=data["file"], note=data["note"]
        )
        try:
            services.resource_version_add(user=request.user, resource=resource, version=version)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                "La nouvelle version est publiée ; les anciennes restent dans l'historique.",
            )
            return redirect(resource)
    return _form_page(
        request, form, f"Nouvelle version — {resource.title}", resource.get_absolute_url()
    )


@require_POST
def archive_view(request, pk):
    resource = _managed(request, pk)
    services.resource_archive(user=request.user, resource=resource)
    messages.success(request, "La ressource est archivée : elle ne figure plus dans les listes.")
    return redirect(resource)


# --- the company's link (no account) --------------------------------------------------------


def _shared(token):
    try:
        return services.resource_from_token(token)
    except ValidationError as error:
        return " ".join(error.messages)


@login_not_required
def shared_view(request, token):
    resource = _shared(token)
    if isinstance(resource, str):
        return render(
            request,
            "resources/shared_error.html",
            {"title": "Lien inutilisable", "message": resource},
            status=404,
        )
    services.use_record(resource=resource, kind=UseKind.OPEN)
    return render(
        request,
        "resources/shared.html",
        {
            "title": resource.title,
            "resource": resource,
            "version": resource.current,
            "token": token,
        },
    )


@login_not_required
def shared_download_view(request, token):
    resource = _shared(token)
    if isinstance(resource, str) or resource.current is None:
        raise Http404("Ce lien n'est pas valide.")
    response = _file_response(resource, resource.current)
    services.use_record(resource=resource, kind=UseKind.DOWNLOAD)
    return response
