"""Form base classes rendered with the DSFR (labels, hints, errors next to each field)."""

import re

from django import forms
from dsfr.forms import DsfrBaseForm, DsfrBoundField
from dsfr.utils import dsfr_input_class_attr

# The DSFR marks every optional field « (Optionnel) » (DSFR_MARK_OPTIONAL_FIELDS): a label
# that says it too would read « Message (facultatif) (Optionnel) ».
OPTIONAL_IN_LABEL = re.compile(r"\s*\((facultatif|facultative|optionnel|optionnelle)\)\s*$", re.I)


def mark_optional_once(form) -> None:
    """Drop « (facultatif) » from the labels of optional fields: the DSFR adds its own."""
    for name, field in form.fields.items():
        if not field.required and isinstance(field.label, str):
            field.label = OPTIONAL_IN_LABEL.sub("", field.label)
            bound = getattr(form, "_bound_fields_cache", {}).get(name)
            if bound is not None:  # built by the DSFR base form's __init__
                bound.label = field.label


class DsfrModelForm(forms.ModelForm):
    template_name = "dsfr/form_snippet.html"
    bound_field_class = DsfrBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)
        mark_optional_once(self)


class DsfrForm(DsfrBaseForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_optional_once(self)


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
