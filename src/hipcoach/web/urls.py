from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from hipcoach.web import admin as _admin_pages  # noqa: F401 - registers the models the admin shows
from hipcoach.web.api import api

urlpatterns = [
    path("", include("hipcoach.web.library.urls")),
    path("", include("hipcoach.web.screens.urls")),
    path("", include("hipcoach.web.accounts.urls")),
    path("", include("hipcoach.web.training.urls")),
    path("", include("hipcoach.web.training.urls_progress")),
    path("", include("hipcoach.web.clinic.urls")),
    # Browsers ask for /favicon.ico on their own; the pages link the SVG (base.html), so point there too.
    path("favicon.ico", RedirectView.as_view(url=static("hipcoach/favicon.svg"))),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
