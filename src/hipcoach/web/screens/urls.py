from django.urls import path

from hipcoach.web.screens import views

app_name = "screens"
urlpatterns = [
    path("screen/", views.start, name="start"),
    path("screen/<slug:step>/", views.step, name="step"),
    path("screens/", views.history, name="history"),
    path("screens/<int:screen_id>/", views.result, name="result"),
]
