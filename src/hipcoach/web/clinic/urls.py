from django.urls import path

from hipcoach.web.clinic import views, views_requests, views_sharing, views_staff

app_name = "clinic"
urlpatterns = [
    path("clinic/", views.dashboard, name="dashboard"),
    path("clinic/runners/<int:runner_id>/", views.runner_page, name="runner"),
    path("clinic/runners/<int:runner_id>/handout.pdf", views.runner_handout, name="runner-handout"),
    path("clinic/runners/<int:runner_id>/prescription/", views.prescription_page, name="prescription"),
    path("clinic/runners/<int:runner_id>/measurements/", views.add_measurement_page, name="add-measurement"),
    path("clinic/runners/<int:runner_id>/clearances/", views.add_clearance_page, name="add-clearance"),
    path("clinic/alerts/<int:alert_id>/acknowledge/", views.acknowledge_alert, name="acknowledge"),
    path("clinic/invite/", views_sharing.invite_page, name="invite"),
    path("clinic/invite/<int:link_id>/withdraw/", views_sharing.withdraw_invitation, name="withdraw"),
    path("clinic/staff/", views_staff.staff_page, name="staff"),
    path("clinic/staff/<int:clinician_id>/remove/", views_staff.remove_page, name="staff-remove"),
    path("clinic/requests/", views_requests.requests_page, name="requests"),
    path("appointment/", views_requests.request_page, name="request"),
    path("appointment/sent/", views_requests.request_sent, name="request-sent"),
    path("sharing/accept/", views_sharing.accept_page, name="accept"),
    path("sharing/<int:link_id>/", views_sharing.shared_page, name="shared"),
    path("sharing/<int:link_id>/stop/", views_sharing.stop_page, name="stop"),
]
