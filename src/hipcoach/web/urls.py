from django.contrib import admin
from django.urls import include, path

from hipcoach.web.api import api

urlpatterns = [
    path("", include("hipcoach.web.library.urls")),
    path("", include("hipcoach.web.screens.urls")),
    path("", include("hipcoach.web.accounts.urls")),
    path("", include("hipcoach.web.training.urls")),
    path("", include("hipcoach.web.training.urls_progress")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
