"""The "progress" namespace: the progress page and the runner's data (progress:data, progress:export-json, ...).

A URL module has one app_name, so these names live here, beside training's own (urls.py), both at the site root.
"""

from django.urls import path

from hipcoach.web.training import views_data, views_progress

app_name = "progress"
urlpatterns = [
    path("progress/", views_progress.progress_page, name="progress"),
    path("settings/data/", views_data.data_page, name="data"),
    path("settings/export.json", views_data.export_everything, name="export-json"),
    path("settings/export-logs.csv", views_data.export_logs_csv, name="export-csv"),
    path("settings/delete/", views_data.delete_page, name="delete"),
    path("settings/deleted/", views_data.deleted, name="deleted"),
]
