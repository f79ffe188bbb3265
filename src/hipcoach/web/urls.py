from django.contrib import admin
from django.urls import include, path

from hipcoach.web.api import api

urlpatterns = [
    path("", include("hipcoach.web.library.urls")),
    path("", include("hipcoach.web.screens.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
