from django.urls import path

from hipcoach.web.library import views

app_name = "library"
urlpatterns = [
    path("", views.home, name="home"),
    path("drills/", views.drill_list, name="drill-list"),
    path("drills/<slug:drill_id>/", views.drill_detail, name="drill-detail"),
]
