from django.urls import path

from hipcoach.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/signup/sent/", views.signup_sent, name="signup-sent"),
    path("accounts/signup/confirm/<uidb64>/<token>/", views.signup_confirm, name="signup-confirm"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("accounts/password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("accounts/password-reset/done/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("settings/tokens/", views.tokens, name="tokens"),
    path("settings/tokens/<int:token_id>/revoke/", views.revoke, name="token-revoke"),
]
