"""scripts/phone_lcp.py's Total Blocking Time: what a phone visitor waits on after the first paint.

The browser part runs in CI against the README's server (.ci/run); this pins the arithmetic.
"""

from scripts.phone_lcp import Visit, blocking_time, median_visits


def test_only_time_past_50_ms_of_each_long_task_blocks():
    assert blocking_time([(1000, 120), (2000, 60), (3000, 50)], start=500, end=5000) == 80


def test_tasks_before_first_paint_do_not_count():
    assert blocking_time([(100, 300)], start=500, end=5000) == 0


def test_a_task_across_first_paint_counts_from_the_paint():
    # 400-700 ms with the first paint at 500: 200 ms after it, 150 of them blocking.
    assert blocking_time([(400, 300)], start=500, end=5000) == 150


def test_tasks_after_the_page_went_quiet_do_not_count():
    assert blocking_time([(6000, 500)], start=500, end=5000) == 0


def visit(lcp: float, tbt: float, element: str) -> Visit:
    return Visit(
        url="/?location=94110",
        kind="first",
        server=20,
        fcp=lcp / 2,
        lcp=lcp,
        tbt=tbt,
        kilobytes=140,
        requests=10,
        cached=0,
        element=element,
        resources=[],
        timeline={},
    )


def test_several_runs_report_each_figure_median_and_the_median_runs_lcp_element():
    runs = [[visit(3000, 10, "h3")], [visit(1500, 900, "dd")], [visit(1800, 300, "p")]]
    [row] = median_visits(runs)
    assert (row.lcp, row.tbt, row.fcp, row.element) == (1800, 300, 900, "p")
