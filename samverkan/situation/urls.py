app_name = "situation"
urlpatterns = []
