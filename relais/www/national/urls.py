from django.urls import path

from . import views, views_feed, views_partners

app_name = "national"
urlpatterns = [
    path("", views.national_view, name="view"),
    path("export/", views.export_view, name="export"),
    path("fil/", views_feed.feed_view, name="feed"),
    path("partenaires/", views_partners.partners_view, name="partners"),
    path("partenaires/<int:pk>/", views_partners.partner_view, name="partner"),
    path("partenaires/<int:pk>/export/", views_partners.partner_export_view, name="partner_export"),
]
