"""scripts/phone_lcp.py's Total Blocking Time: what a phone visitor waits on after the first paint.

The browser part runs in CI against the README's server (.ci/run); this pins the arithmetic.
"""

from scripts.phone_lcp import blocking_time


def test_only_time_past_50_ms_of_each_long_task_blocks():
    assert blocking_time([(1000, 120), (2000, 60), (3000, 50)], start=500, end=5000) == 80


def test_tasks_before_first_paint_do_not_count():
    assert blocking_time([(100, 300)], start=500, end=5000) == 0


def test_a_task_across_first_paint_counts_from_the_paint():
    # 400-700 ms with the first paint at 500: 200 ms after it, 150 of them blocking.
    assert blocking_time([(400, 300)], start=500, end=5000) == 150


def test_tasks_after_the_page_went_quiet_do_not_count():
    assert blocking_time([(6000, 500)], start=500, end=5000) == 0
