"""Issue 14: an optional field is marked once (« Message (Optionnel) »), not « Message
(facultatif) (Optionnel) »: the DSFR adds its own mark."""

import re

import pytest

from relais.www.forms import mark_optional_once
from relais.www.volunteers.forms import AnswerForm


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_optional_field_marked_once():
    html = AnswerForm().as_div()
    label = re.search(r"<label[^>]*>(.*?)</label>", html, re.S).group(1)
    marks = re.findall(r"facultati|optionnel", label, re.I)
    assert len(marks) == 1, label


def test_required_labels_are_left_alone():
    from django import forms

    class Form(forms.Form):
        a = forms.CharField(label="Nom (facultatif)")
        b = forms.CharField(label="Note (facultative)", required=False)

    form = Form()
    mark_optional_once(form)
    assert form.fields["a"].label == "Nom (facultatif)"
    assert form.fields["b"].label == "Note"
