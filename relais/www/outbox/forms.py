from django import forms

from relais.core.enums import NotificationState

NOT_SENT = [
    (state.value, state.label.capitalize())
    for state in (
        NotificationState.FAILED,
        NotificationState.ABANDONED,
        NotificationState.PENDING,
    )
]


class OutboxFilterForm(forms.Form):
    etat = forms.ChoiceField(
        label="État", choices=[("", "Tous les courriels non envoyés"), *NOT_SENT], required=False
    )
