"""Load with nothing lost: the public and staff at once, then count that every write is there.

Run by scripts/load_nothing_lost.sh, which makes the database and starts gunicorn; see there.

  prepare  staff accounts, the public mix (searches, detail pages, report posts) for wrk
  run      wrk on the public mix while staff threads edit and verify listings in the admin
  check    after gunicorn has stopped: every report the server accepted (its access log) and
           every edit and verification staff saw accepted is in the database; no 5xx, no
           deadlock, no worker timeout. Exits 1 if anything is missing.
"""

import argparse
import http.cookiejar
import json
import os
import random
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finder.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402

from programs.models import Program, Verification  # noqa: E402
from reports.models import ProblemReport  # noqa: E402

STAFF = 4  # staff members editing at once, each on listings of their own
LISTINGS_EACH = 5
MARK = "load-"  # every write this run makes carries it


def prepare(work: Path) -> None:
    rng = random.Random(8)
    published = list(Program.objects.published().order_by("pk"))
    password = secrets.token_urlsafe(16)
    editors = Group.objects.get(name="Editor")
    staff = []
    for n in range(STAFF):
        user, _ = User.objects.update_or_create(
            username=f"load-editor-{n}", defaults={"is_staff": True, "is_active": True}
        )
        user.set_password(password)
        user.save()
        user.groups.set([editors])
        mine = published[n * LISTINGS_EACH : (n + 1) * LISTINGS_EACH]
        staff.append({"username": user.username, "programs": [p.pk for p in mine]})
    edited = {pk for member in staff for pk in member["programs"]}
    public = rng.sample([p for p in published if p.pk not in edited], 200)
    zips = sorted({p.zip_code[:5] for p in public})
    facets = ["", "&payment=medicaid", "&level=outpatient", "&medication=buprenorphine",
              "&level=residential&payment=private-insurance"]  # fmt: skip
    lines = []
    for n in range(400):  # the mix, in a seeded order: 6 searches, 3 detail pages, 1 report
        kind = n % 10
        program = public[n % len(public)]
        if kind < 6:
            lines.append(f"GET /?location={zips[n % len(zips)]}{facets[n % len(facets)]}")
        elif kind < 9:
            lines.append(f"GET {program.get_absolute_url()}")
        else:
            lines.append(f"POST /programs/{program.slug}/report/")
    (work / "mix.txt").write_text("\n".join(lines) + "\n")
    state = {
        "password": password,
        "staff": staff,
        "report_form": f"/programs/{public[0].slug}/report/",
    }
    (work / "state.json").write_text(json.dumps(state))
    print(
        f"{len(published)} published programs; {STAFF} staff members; mix of {len(lines)} requests"
    )


class FormFields(HTMLParser):
    """The fields of the one form of a page that has `marker` among its inputs, as a browser
    would submit them: text and hidden inputs, checked boxes and radios, selected options."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type", "text") not in {"submit", "button", "file"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer we count, not a page to follow


class Staff(threading.Thread):
    """One staff member: signs in, then edits and verifies their listings in turn until the end."""

    def __init__(self, base: str, admin: str, username: str, password: str, programs, deadline):
        super().__init__()
        self.base, self.admin, self.username, self.password = base, admin, username, password
        self.programs, self.deadline = programs, deadline
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
        )
        self.edits: list[tuple[int, str]] = []  # (program, hours written), each answered 302
        self.verifications: list[tuple[int, str]] = []
        self.problems: list[str] = []
        self.statuses: dict[int, int] = {}

    def fetch(self, path: str, data: list | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        self.statuses[status] = self.statuses.get(status, 0) + 1
        return status, text

    def form(self, path: str) -> list[tuple[str, str]]:
        status, html = self.fetch(path)
        if status != 200:
            raise RuntimeError(f"{self.username}: GET {path} answered {status}")
        parser = FormFields()
        parser.feed(html)
        return parser.fields

    def post(self, path: str, fields: list, what: str) -> bool:
        status, html = self.fetch(path, fields)
        if status == 302:
            return True
        errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
        self.problems.append(f"{what}: {status} {errors[:2]}")
        return False

    def run(self):
        try:
            login = f"/{self.admin}login/?next=/{self.admin}"
            fields = dict(self.form(login))
            fields.update(username=self.username, password=self.password)
            if not self.post(login, list(fields.items()), "sign in"):
                return
            n = 0
            while time.monotonic() < self.deadline:
                pk = self.programs[n % len(self.programs)]
                n += 1
                mark = f"{MARK}{self.username}-{n}"
                change = f"/{self.admin}programs/program/{pk}/change/"
                fields = [(k, v) for k, v in self.form(change) if k != "hours"]
                fields += [("hours", mark), ("_save", "Save")]
                if self.post(change, fields, f"edit {pk}"):
                    self.edits.append((pk, mark))
                verify = f"/{self.admin}programs/program/{pk}/verify/"
                fields = [(k, v) for k, v in self.form(verify) if k not in {"method", "note"}]
                fields += [("method", "phone"), ("note", mark)]
                if self.post(verify, fields, f"verify {pk}"):
                    self.verifications.append((pk, mark))
        except Exception as error:  # reported, and the check fails on it
            self.problems.append(f"{type(error).__name__}: {error}")


def csrf_for_reports(base: str, path: str) -> tuple[str, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + path, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    cookie = next(c.value for c in jar if c.name == settings.CSRF_COOKIE_NAME)
    return token, cookie


def deadlocks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def run(work: Path, base: str, seconds: int, connections: int) -> None:
    state = json.loads((work / "state.json").read_text())
    token, cookie = csrf_for_reports(base, state["report_form"])
    deadlocks_before = deadlocks()
    connection.close()  # not held open through the run
    deadline = time.monotonic() + seconds
    wrk = subprocess.Popen(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
         "-s", str(ROOT / "scripts/wrk_public.lua"), base, "--",
         str(work / "mix.txt"), token, cookie],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    staff = [
        Staff(base, settings.ADMIN_URL_PATH, member["username"], state["password"],
              member["programs"], deadline)
        for member in state["staff"]
    ]  # fmt: skip
    for member in staff:
        member.start()
    for member in staff:
        member.join()
    output, _ = wrk.communicate(timeout=seconds + 120)
    print(output.strip())
    public = json.loads(re.search(r"^RESULT (.*)$", output, re.M).group(1))
    state["result"] = {
        "public": public,
        "deadlocks_before": deadlocks_before,
        "staff": [
            {"username": m.username, "edits": m.edits, "verifications": m.verifications,
             "problems": m.problems, "statuses": m.statuses}
            for m in staff
        ],
    }  # fmt: skip
    (work / "state.json").write_text(json.dumps(state))


def check(work: Path, seconds: int, connections: int) -> int:
    state = json.loads((work / "state.json").read_text())
    result, public = state["result"], state["result"]["public"]
    access = (work / "access.log").read_text().splitlines()
    errors_log = (work / "error.log").read_text()
    answered_reports = sum(
        1 for line in access if re.search(r'"POST /programs/[^/]+/report/" 302 ', line)
    )
    server_5xx = sum(1 for line in access if re.search(r'" 5\d\d ', line))
    stored_reports = ProblemReport.objects.filter(details__startswith=f"{MARK}report-").count()

    edits = [tuple(e) for m in result["staff"] for e in m["edits"]]
    checks = [tuple(v) for m in result["staff"] for v in m["verifications"]]
    marks = [mark for _, mark in edits]
    recorded_edits = Program.history.filter(hours__in=marks).values("hours").distinct().count()
    last_edit = {pk: mark for pk, mark in edits}  # each listing has one editor: theirs is last
    now = dict(Program.objects.filter(pk__in=last_edit).values_list("pk", "hours"))
    showing = sum(now[pk] == mark for pk, mark in last_edit.items())
    stored_checks = Verification.objects.filter(note__in=[mark for _, mark in checks]).count()
    new_deadlocks = deadlocks() - result["deadlocks_before"]
    staff_problems = [p for m in result["staff"] for p in m["problems"]]
    staff_5xx = sum(n for m in result["staff"] for s, n in m["statuses"].items() if int(s) >= 500)
    staff_requests = sum(n for m in result["staff"] for n in m["statuses"].values())
    tracebacks = errors_log.count("Traceback") + errors_log.count("WORKER TIMEOUT")

    print(f"\n{public['requests']} public requests in {public['seconds']:.0f} s at {connections} "
          f"connections = {public['requests'] / public['seconds']:.1f} requests/s; latency ms "
          f"p50 {public['p50_ms']:.0f}, p90 {public['p90_ms']:.0f}, p99 {public['p99_ms']:.0f}, "
          f"max {public['max_ms']:.0f}")  # fmt: skip
    print(f"staff: {len(result['staff'])} editors, {staff_requests} requests, "
          f"{len(edits)} edits and {len(checks)} verifications accepted")  # fmt: skip
    rows = [
        ("server errors (5xx) in the access log", server_5xx, server_5xx == 0),
        ("5xx seen by wrk / by staff", f"{public['server_errors']} / {staff_5xx}",
         public["server_errors"] == 0 and staff_5xx == 0),
        ("socket errors and timeouts (wrk)",
         public["connect"] + public["read"] + public["write"] + public["timeout"],
         public["connect"] + public["read"] + public["write"] + public["timeout"] == 0),
        ("reports answered 302 by the server / in the database",
         f"{answered_reports} / {stored_reports}", answered_reports == stored_reports > 0),
        ("reports wrk saw accepted (≤ answered: the last may be in flight at the end)",
         public["reports_accepted"], public["reports_accepted"] <= answered_reports),
        ("reports refused (4xx)", public["refused_4xx"], public["refused_4xx"] == 0),
        ("staff edits accepted / in the history", f"{len(edits)} / {recorded_edits}",
         len(edits) == recorded_edits > 0),
        ("listings showing their editor's last accepted edit", f"{showing} / {len(last_edit)}",
         showing == len(last_edit)),
        ("verifications accepted / in the database", f"{len(checks)} / {stored_checks}",
         len(checks) == stored_checks > 0),
        ("staff requests refused or failed", len(staff_problems), not staff_problems),
        ("deadlocks (pg_stat_database)", new_deadlocks, new_deadlocks == 0),
        ("tracebacks and worker timeouts (gunicorn)", tracebacks, tracebacks == 0),
    ]  # fmt: skip
    for label, value, ok in rows:
        print(f"  {'ok  ' if ok else 'FAIL'} {label}: {value}")
    for problem in staff_problems[:10]:
        print(f"  staff: {problem}")
    return 0 if all(ok for _, _, ok in rows) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["prepare", "run", "check"])
    parser.add_argument("--work", type=Path, required=True, help="the run's scratch folder")
    parser.add_argument("--base", default="http://127.0.0.1:8022")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    if args.step == "prepare":
        prepare(args.work)
    elif args.step == "run":
        run(args.work, args.base, args.seconds, args.connections)
    else:
        return check(args.work, args.seconds, args.connections)
    return 0


if __name__ == "__main__":
    sys.exit(main())
