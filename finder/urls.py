from django.contrib import admin
from django.urls import include, path

from finder import views

urlpatterns = [
    path("", views.search, name="search"),
    path("programs/<slug:slug>/", views.program_detail, name="program-detail"),
    path("api/", include("finder.api.urls")),
    path("admin/", admin.site.urls),
]
