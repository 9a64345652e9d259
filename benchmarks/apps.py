from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Installed for its management command (bench_search); it has no models."""

    name = "benchmarks"
