from django.urls import path, register_converter

from . import calendar, views, views_drafting, views_files, views_lifecycle, views_signing


class FormatConverter:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class DocFormatConverter(FormatConverter):
    regex = "docx|pdf"


class EndingConverter(FormatConverter):
    regex = "non_reconduction|resiliation_faute|commun_accord"


class ChildConverter(FormatConverter):
    regex = "parties|signataires|articles|engagements"


register_converter(FormatConverter, "export")
register_converter(ChildConverter, "child")
register_converter(DocFormatConverter, "doc")
register_converter(EndingConverter, "ending")

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list_view, name="list"),
    path("export.<export:fmt>", views.agreement_export_view, name="export"),
    path("nouvelle/", views_drafting.agreement_create_view, name="create"),
    path("echeances/", views.deadlines_view, name="deadlines"),
    path("calendrier/", calendar.calendar_view, name="calendar"),
    path("calendrier/renouveler/", calendar.calendar_renew_view, name="calendar_renew"),
    path("calendrier/<str:token>.ics", calendar.calendar_feed_view, name="calendar_feed"),
    path("signature/<str:token>/", views_signing.esign_view, name="esign"),
    path("signature/<str:token>/code/", views_signing.esign_code_view, name="esign_code"),
    path(
        "signature/<str:token>/document.pdf",
        views_signing.esign_document_view,
        name="esign_document",
    ),
    path("<int:pk>/document-signe.pdf", views_files.signed_document_view, name="signed_document"),
    path("<int:pk>/", views.agreement_detail_view, name="detail"),
    path("<int:pk>/modifier/", views_drafting.agreement_edit_view, name="edit"),
    path("<int:pk>/champs/", views_drafting.template_fields_view, name="template_fields"),
    path("<int:pk>/versions/<int:number>/", views.agreement_version_view, name="version"),
    path("<int:pk>/<child:kind>/ajouter/", views_drafting.child_edit_view, name="child_add"),
    path(
        "<int:pk>/<child:kind>/<int:child_pk>/", views_drafting.child_edit_view, name="child_edit"
    ),
    path(
        "<int:pk>/<child:kind>/<int:child_pk>/supprimer/",
        views_drafting.child_remove_view,
        name="child_remove",
    ),
    path("<int:pk>/envoyer/", views_lifecycle.send_for_signature_view, name="send"),
    path("<int:pk>/brouillon/", views_lifecycle.back_to_draft_view, name="back_to_draft"),
    path("<int:pk>/abandonner/", views_lifecycle.abandon_view, name="abandon"),
    path("<int:pk>/signer/<int:signatory_pk>/", views_lifecycle.sign_view, name="sign"),
    path(
        "<int:pk>/signer/<int:signatory_pk>/nouveau-lien/",
        views_lifecycle.resend_link_view,
        name="resend_link",
    ),
    path("<int:pk>/resilier/", views_lifecycle.terminate_view, name="terminate"),
    path("<int:pk>/fin/<ending:step>/", views_lifecycle.end_view, name="end"),
    path("<int:pk>/retrait/", views_lifecycle.withdraw_view, name="withdraw"),
    path("<int:pk>/lettres/<int:entry_pk>.pdf", views_files.letter_view, name="letter"),
    path("<int:pk>/avenant/", views_lifecycle.avenant_create_view, name="avenant"),
    path("<int:pk>/decliner/", views_lifecycle.decline_view, name="decline"),
    path("<int:pk>/document.<doc:fmt>", views_files.document_view, name="document"),
    path("<int:pk>/scans/ajouter/", views_files.scan_add_view, name="scan_add"),
    path("<int:pk>/scans/<int:scan_pk>/", views_files.scan_download_view, name="scan"),
]
