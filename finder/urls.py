from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from finder import health, shortlist, views
from reports import views as report_views

# Public pages carry their language in the URL: English at /, Spanish at /es/.
# Admin and the machine-readable API stay outside any language prefix.
urlpatterns = [
    # For a load balancer: no language prefix, no data, no cookie (finder/health.py).
    path("healthz", health.healthz, name="healthz"),
    # Browsers and feed readers that ignore <link rel="icon"> ask here: no 404 in every log.
    path("favicon.ico", views.favicon),
    path("api/", include("finder.api.urls")),
    path("hsds/", include("finder.api.hsds_urls")),
    path(settings.ADMIN_URL_PATH, admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("", views.search, name="search"),
    path("help-me-choose/", views.help_me_choose, name="choose"),
    path("programs/<slug:slug>/", views.program_detail, name="program-detail"),
    path("programs/<slug:slug>/report/", report_views.report_problem, name="report-problem"),
    path(
        "programs/<slug:slug>/report/thanks/",
        report_views.report_thanks,
        name="report-thanks",
    ),
    path("list/", shortlist.my_list, name="shortlist"),
    path("compare/", shortlist.compare, name="compare"),
    path("export.csv", shortlist.export_csv, name="export-csv"),
    path("guides/", views.guide_index, name="guide-index"),
    path("guides/<slug:slug>/", views.guide, name="guide"),
    path("providers/", include("providers.urls")),
    prefix_default_language=False,
)
