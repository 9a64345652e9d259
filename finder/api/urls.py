from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from finder.api import views

urlpatterns = [
    path("v1/programs/", views.ProgramList.as_view(), name="api-program-list"),
    path("v1/programs/<int:pk>/", views.ProgramDetail.as_view(), name="api-program-detail"),
    path("v1/terms/", views.TermList.as_view(), name="api-term-list"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view loads its start-up script as a file: no inline script for the CSP to refuse.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Only addresses ending in "/", so /api/v1/programs still redirects to /api/v1/programs/.
    re_path(r"^[\s\S]*/$", views.not_found),  # any character, newlines too
]
