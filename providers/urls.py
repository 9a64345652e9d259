from django.urls import path

from providers import views

app_name = "providers"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.request_link, name="request-link"),
    path("sign-in/sent/", views.link_sent, name="link-sent"),
    path("sign-in/<str:token>/", views.sign_in, name="link"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("programs/<int:pk>/", views.program, name="program"),
    path("programs/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("programs/<int:pk>/changes/", views.propose, name="propose"),
]
