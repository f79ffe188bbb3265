from django.urls import path

from hipcoach.web.clinic import views

app_name = "clinic"
urlpatterns = [
    path("clinic/", views.dashboard, name="dashboard"),
]
