from django.urls import path

from hipcoach.web.training import views_calendar, views_player, views_settings, views_today

app_name = "training"
urlpatterns = [
    path("welcome/", views_today.welcome, name="welcome"),
    path("today/", views_today.today, name="today"),
    path("today/once/", views_today.once, name="once"),
    path("settings/", views_settings.settings_page, name="settings"),
    path("settings/calendar.ics", views_calendar.download, name="calendar-download"),
    path("settings/handout.pdf", views_settings.handout_download, name="handout-download"),
    path("settings/calendar/link/", views_settings.calendar_link, name="calendar-link"),
    path("settings/calendar/revoke/", views_settings.calendar_revoke, name="calendar-revoke"),
    path("calendar/<slug:secret>.ics", views_calendar.feed, name="calendar-feed"),
    path("play/once/", views_player.play_once, name="play-once"),
    path("play/<str:day>/<slug:context>/", views_player.play_planned, name="play"),
    path("morning/", views_player.morning, name="morning"),
    path("morning/<int:log_id>/", views_player.morning_answer, name="morning-answer"),
]
