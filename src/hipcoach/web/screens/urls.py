from django.urls import path

from hipcoach.web.screens import safety_check, views

app_name = "screens"
urlpatterns = [
    path("screen/", views.start, name="start"),
    path("screen/safety-check/", safety_check.safety_check, name="safety-check"),
    path("screen/<slug:step>/", views.step, name="step"),
    path("screens/", views.history, name="history"),
    path("screens/<int:screen_id>/", views.result, name="result"),
]
