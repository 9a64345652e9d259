from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from finder import views
from reports import views as report_views

urlpatterns = [
    path("", views.search, name="search"),
    path("programs/<slug:slug>/", views.program_detail, name="program-detail"),
    path("api/", include("finder.api.urls")),
    path("programs/<slug:slug>/report/", report_views.report_problem, name="report-problem"),
    path(
        "programs/<slug:slug>/report/thanks/",
        report_views.report_thanks,
        name="report-thanks",
    ),
    path("hsds/", include("finder.api.hsds_urls")),
    path(settings.ADMIN_URL_PATH, admin.site.urls),
]
