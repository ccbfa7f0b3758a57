app_name = "internships"
urlpatterns = []
