from django.urls import path

from hipcoach.web.clinic import views

app_name = "clinic"
urlpatterns = [
    path("clinic/", views.dashboard, name="dashboard"),
    path("clinic/runners/<int:runner_id>/", views.runner_page, name="runner"),
    path("clinic/alerts/<int:alert_id>/acknowledge/", views.acknowledge_alert, name="acknowledge"),
]
