"""Back-office page where the national administration replaces a shipped Word template.

The file is refused while it is being sent once past ``RELAIS_TEMPLATE_UPLOAD_MAX_BYTES``,
then checked (``word_templates.validate_template_upload``) before it is stored."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import path

from relais.core.uploads import limit_uploads, size_fr, template_max_bytes, upload_refusal

from .models import DocumentTemplate
from .services import document_template_save
from .word_templates import kinds, validate_template_upload


class DocumentTemplateForm(forms.ModelForm):
    kind = forms.ChoiceField(label="modèle", choices=())
    refusal: str | None = None  # why the upload was stopped while it was read

    class Meta:
        model = DocumentTemplate
        fields = ["kind", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds().items())
        self.fields["file"].help_text = (
            "Le modèle livré, modifié dans Word en gardant ses champs {{ … }} ; "
            f"{size_fr(template_max_bytes())} au plus. Il est vérifié avant d'être enregistré."
        )

    def clean(self):
        data = super().clean()
        if self.refusal:
            self.errors.pop("file", None)
            self.add_error("file", self.refusal)
            return data
        upload, kind = data.get("file"), data.get("kind")
        new_file = isinstance(upload, UploadedFile)
        if kind and upload and (new_file or "kind" in self.changed_data):
            try:
                if not new_file:  # the stored file, now for another kind of document
                    upload.open("rb")
                validate_template_upload(upload, kind)
            except ValidationError as error:
                self.add_error("file", error)
            finally:
                if not new_file:
                    upload.close()
        return data


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    form = DocumentTemplateForm
    list_display = ["kind", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"refusal": upload_refusal(request)})

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("file")
        new_file = upload if isinstance(upload, UploadedFile) else None
        document_template_save(user=request.user, template=obj, upload=new_file)

    def get_urls(self):
        """The add and change pages read the upload through the size-limiting handler."""
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        limited = limit_uploads(template_max_bytes)
        return [
            path(
                "add/",
                limited(self.admin_site.admin_view(self.add_view)),
                name=f"{prefix}_add",
            ),
            path(
                "<path:object_id>/change/",
                limited(self.admin_site.admin_view(self.change_view)),
                name=f"{prefix}_change",
            ),
            *super().get_urls(),
        ]
