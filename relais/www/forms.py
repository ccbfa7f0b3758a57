"""Form base classes rendered with the DSFR (labels, hints, errors next to each field)."""

from django import forms
from dsfr.forms import DsfrBaseForm, DsfrBoundField
from dsfr.utils import dsfr_input_class_attr


class DsfrModelForm(forms.ModelForm):
    template_name = "dsfr/form_snippet.html"
    bound_field_class = DsfrBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)


class DsfrForm(DsfrBaseForm):
    pass


def add_errors(form, error) -> None:
    """Put a service's ValidationError on ``form``: next to the fields it names, or on top of
    the form when it names none (or a field the form does not show)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def upload_form_is_valid(request, form, field: str) -> bool:
    """``form.is_valid()``, except after an upload stopped by its size limit
    (``relais.core.uploads``): the file field then says why instead of « champ obligatoire »."""
    from relais.core.uploads import upload_refusal

    valid = form.is_valid()
    refusal = upload_refusal(request)
    if refusal is None:
        return valid
    # Also on an unbound form: the fields sent after the file were not read.
    form.errors[field] = form.error_class([refusal])
    if hasattr(form, "cleaned_data"):
        form.cleaned_data.pop(field, None)
    return False
