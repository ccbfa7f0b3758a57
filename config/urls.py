from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Relais — administration"
admin.site.site_title = "Relais"
admin.site.index_title = "Back-office"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("relais.api.urls")),
    path("", include("relais.www.urls")),
]
