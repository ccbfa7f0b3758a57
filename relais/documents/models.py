from django.conf import settings
from django.db import models


class DocumentTemplate(models.Model):
    """A Word template uploaded by the académie team to replace the one shipped with Relais.

    Legal texts change without a deploy: the team downloads the shipped template, edits it
    in Word (keeping the ``{{ champ }}`` placeholders) and uploads it back here.
    """

    kind = models.CharField("modèle", max_length=60, unique=True)
    file = models.FileField("fichier Word (.docx)", upload_to="modeles/")
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = "modèle de document"
        verbose_name_plural = "modèles de documents"

    def __str__(self) -> str:
        return self.kind
