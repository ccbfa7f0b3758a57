from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Relais — administration"
admin.site.site_title = "Relais"
admin.site.index_title = "Back-office"

handler400 = "relais.www.errors.views.bad_request"
handler403 = "relais.www.errors.views.permission_denied"
handler404 = "relais.www.errors.views.page_not_found"
handler500 = "relais.www.errors.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("relais.api.urls")),
    path("", include("relais.www.urls")),
]
