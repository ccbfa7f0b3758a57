app_name = "actions"
urlpatterns = []
