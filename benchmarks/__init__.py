"""Benchmarks and synthetic directories: tools for measuring, kept out of the apps they measure.

`manage.py bench_search` (benchmarks/management/commands/bench_search.py) times the search on
synthetic directories built by benchmarks/directory.py; benchmarks/providers.py builds the
directory of provider contacts the reminder test and scripts/measure_reminders.py use.
"""
