"""Tests of workshop.report (the per-client report runner) and workshop.report.sections.

Fast tests check discovery, validation, the output-folder housekeeping, the offline HTML
post-processing, escaping and the CLI's exit statuses without starting a kernel. The slow
ones (``-m slow``) build real reports: one module-scoped batch of the bundled example plans
plus an XSS plan, a plan that fails at run time (the fixture template
``tests/fixtures/failing-template/``, through ``WORKSHOP_REPORT_TEMPLATE``) and an invalid plan; an interrupted batch (SIGKILL / SIGTERM of ``python -m workshop report``);
and the HTML opened in Debian's Chromium with every non-loopback request aborted.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import openpyxl
import pandas as pd
import pytest
import yaml
from browsing import CHROMIUM_ARGS

from workshop import __version__, data, exports, i18n, report, roi, schedule, tables
from workshop import plan as plan_mod
from workshop.report import notebook as report_notebook
from workshop.report import sections

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
XSS = "<script>alert(1)</script>"
FAIL_ID = "fails-at-run"  # the fixture template fails for ids starting "fails-"
FAILING_TEMPLATE = ROOT / "tests" / "fixtures" / "failing-template" / "report.ipynb"
SETUP_CELL = 2  # the template's cell that loads the plan
XSS_ID = "xss-client"


def _raw(name: str) -> dict:
    return yaml.safe_load((data.data_dir() / "clients" / name).read_text(encoding="utf-8"))


def _write(folder: Path, name: str, raw: dict) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


class _Tags(HTMLParser):
    """Collects the src/href attributes of <script> and <link> tags."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "link"):
            self.scripts += tag == "script"
            for key, value in attrs:
                if key in ("src", "href") and value is not None:
                    self.refs.append((tag, value))


# --- Fast: discovery and validation (no kernel) ----------------------------------------------


def test_discover_files_and_folders_sorted_unique(tmp_path):
    (tmp_path / "b.yaml").write_text("x: 1")
    (tmp_path / "a.yml").write_text("x: 1")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / ".hidden.yaml").write_text("x: 1")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "c.yaml").write_text("x: 1")
    files, missing = report.discover([tmp_path, tmp_path / "b.yaml", sub, tmp_path / "nope.yaml"])
    assert [p.name for p in files] == ["a.yml", "b.yaml", "c.yaml"]
    assert [m.path for m in missing] == [str(tmp_path / "nope.yaml")]


def test_validate_all_reports_field_paths_and_duplicates(tmp_path):
    demo = _raw("demo-cafe.yaml")
    _write(tmp_path, "one.yaml", demo)
    _write(tmp_path, "two.yaml", demo)  # same client id: both refused
    bad = dict(demo, client=dict(demo["client"], id="other"), team={"hours_per_week": -3})
    _write(tmp_path, "bad.yaml", bad)
    good = dict(demo, client=dict(demo["client"], id="good-one"))
    _write(tmp_path, "good.yaml", good)
    plans, problems = report.validate_all([tmp_path])
    assert [p.client.id for _, p in plans] == ["good-one"]
    by_file = {Path(r.plan_path).name: r for r in problems}
    assert set(by_file) == {"bad.yaml", "one.yaml", "two.yaml"}
    assert all(r.status == "invalid" for r in problems)
    assert any("team.hours_per_week" in p for p in by_file["bad.yaml"].problems)
    assert "demo-cafe" in by_file["one.yaml"].error and "two.yaml" in by_file["one.yaml"].error


@pytest.mark.parametrize("bad_id", ["../x", "/etc", "a/b", "..", "A-B", "x y", ""])
def test_unsafe_client_id_refused_at_validation(tmp_path, bad_id):
    raw = _raw("demo-cafe.yaml")
    raw["client"]["id"] = bad_id
    _write(tmp_path, "evil.yaml", raw)
    plans, problems = report.validate_all([tmp_path / "evil.yaml"])
    assert plans == [] and len(problems) == 1
    assert any(p.startswith("client.id") for p in problems[0].problems)


def test_run_cli_bad_input_exit_2_and_no_folder(tmp_path, capsys):
    raw = _raw("demo-cafe.yaml")
    raw["client"]["id"] = "../x"
    evil = _write(tmp_path, "evil.yaml", raw)
    out = tmp_path / "out"
    assert report.run_cli([str(evil)], str(out), None, False) == 2
    assert not (tmp_path / "x").exists() and not out.exists()
    err = capsys.readouterr().err
    assert "client.id" in err
    assert report.run_cli([str(tmp_path / "missing.yaml")], str(out), None, False) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert report.run_cli([str(empty)], str(out), None, False) == 2
    assert report.run_cli([str(data.demo_plan())], str(out), 0, False) == 2
    assert not out.exists()


def test_validate_cli(tmp_path, capsys):
    assert report.validate_cli([str(data.data_dir() / "clients")]) == 0
    out = capsys.readouterr().out
    assert "demo-cafe" in out
    (tmp_path / "broken.yaml").write_text("client: [1, 2\n", encoding="utf-8")
    assert report.validate_cli([str(tmp_path / "broken.yaml"), str(data.demo_plan())]) == 2
    assert report.validate_cli([str(tmp_path / "nothing-here")]) == 2


def test_cli_messages_follow_workshop_lang(monkeypatch, tmp_path, capsys):
    missing = str(tmp_path / "missing.yaml")
    monkeypatch.setenv("WORKSHOP_LANG", "en")
    assert report.run_cli([missing], str(tmp_path / "o"), None, False) == 2
    assert i18n.t("report.cli.missing_path", "en", path=missing) in capsys.readouterr().err
    monkeypatch.setenv("WORKSHOP_LANG", "vi")
    assert report.run_cli([missing], str(tmp_path / "o"), None, False) == 2
    assert i18n.t("report.cli.missing_path", "vi", path=missing) in capsys.readouterr().err


def test_exit_status_rules():
    ok = report.ClientResult("a", status="ok")
    failed = report.ClientResult("b", status="failed")
    invalid = report.ClientResult("c", status="invalid")
    assert report.exit_status([ok, ok]) == 0
    assert report.exit_status([ok, failed]) == 1
    assert report.exit_status([ok, failed, invalid]) == 2
    assert report.exit_status([invalid]) == 2


def test_summary_table_names_failures_and_invalid():
    rows = [
        report.ClientResult(
            "/p/a.yaml", client_id="a", status="ok", seconds=7.1, out_dir="/out/a", language="en"
        ),
        report.ClientResult(
            "/p/b.yaml",
            client_id="b",
            status="failed",
            seconds=2.0,
            error="cell 3 raised RuntimeError: boom",
            language="en",
            failed_dir="/out/_failed/b",
        ),
        report.ClientResult(
            "/p/c.yaml",
            status="invalid",
            language="en",
            problems=["team.hours_per_week: too small"],
        ),
    ]
    text = report.summary_table(rows, "en")
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["client", "status", "time"]
    assert "/out/a" in lines[2] and "7.1 s" in lines[2]
    assert "cell 3 raised RuntimeError: boom" in lines[3] and "/out/_failed/b" in lines[3]
    assert "c.yaml" in lines[4] and "team.hours_per_week" in lines[4]


# --- Fast: output folder housekeeping ---------------------------------------------------------


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _staging(parent: Path, kind: str, cid: str, pid: int, token: str) -> Path:
    """A temporary folder as the tool makes them: exact name, marker first."""
    folder = parent / f".{kind}-{cid}-{pid}-{token}"
    folder.mkdir()
    report.write_staging_marker(folder, kind, cid, pid=pid)
    return folder


def _manifest(folder: Path, cid: str) -> None:
    payload = {"generator": "workshop", "toolkit_version": "x", "client_id": cid, "files": []}
    (folder / "manifest.json").write_text(json.dumps(payload))


def test_clean_stale_removes_dead_tmp_keeps_live_and_reports(tmp_path):
    dead = _dead_pid()
    good = tmp_path / "demo-cafe"
    good.mkdir()
    _manifest(good, "demo-cafe")
    stale_tmp = _staging(tmp_path, "tmp", "demo-cafe", dead, "abcd0000")
    (stale_tmp / "report.html").write_text("half")
    live_tmp = _staging(tmp_path, "tmp", "other", os.getppid(), "abcd0000")  # pytest's parent
    stale_old = _staging(tmp_path, "old", "demo-cafe", dead, "beef0000")  # report exists: delete
    _manifest(_mkdir(stale_old / "previous"), "demo-cafe")
    orphan_old = _staging(tmp_path, "old", "lost-client", dead, "cafe0000")  # restore it
    _manifest(_mkdir(orphan_old / "previous"), "lost-client")
    report.clean_stale(tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["demo-cafe", live_tmp.name, "lost-client"])
    assert (tmp_path / "lost-client" / "manifest.json").exists()


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def test_swap_into_replaces_only_at_the_end(tmp_path):
    final = tmp_path / "client"
    final.mkdir()
    (final / "report.html").write_text("old")
    _manifest(final, "client")  # the tool's own report: it may be replaced
    payload = json.loads((final / "manifest.json").read_text())
    payload["files"] = [{"name": "report.html"}]
    (final / "manifest.json").write_text(json.dumps(payload))
    new = tmp_path / "new"
    new.mkdir()
    (new / "report.html").write_text("new")
    report.replace_folder(new, final, "client")
    assert (final / "report.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client"]


def test_pdf_step_without_chromium_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKSHOP_CHROMIUM", str(tmp_path / "no-such-browser"))
    (tmp_path / "report.html").write_text("<html></html>")
    status, message = report.pdf_step(tmp_path, "en")
    assert status == "skipped: no chromium"
    assert message == i18n.t("report.cli.no_chromium", "en")
    assert not (tmp_path / "report.pdf").exists()
    assert report.pdf_step(tmp_path, "vi")[1] == i18n.t("report.cli.no_chromium", "vi")


# --- Fast: HTML offline post-processing and escaping ------------------------------------------


def test_make_offline_drops_external_scripts_and_links():
    page = (
        '<html><head><script src="https://cdn.example/require.js"></script>'
        "<script src='//cdn.example/x.js' defer></script>"
        '<link rel="stylesheet" href="http://cdn.example/a.css">'
        '<script>var u = "https://keep.me/in/code";</script>'
        '<script src="data:text/javascript;base64,AA=="></script></head>'
        '<body><a href="https://example.org">link</a></body></html>'
    )
    out = report.make_offline(page)
    assert report.external_references(page) == [
        "https://cdn.example/require.js",
        "//cdn.example/x.js",
        "http://cdn.example/a.css",
    ]
    assert report.external_references(out) == []
    assert 'var u = "https://keep.me/in/code"' in out  # inline code untouched
    assert "data:text/javascript" in out and '<a href="https://example.org">' in out


def test_report_sections_escape_client_text():
    cell = sections.table(tables.table(pd.DataFrame({"<th>": [XSS], "x": ["a & b"]})))
    assert "<script>" not in cell
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in cell and "a &amp; b" in cell
    assert "&lt;th&gt;" in cell
    raw = _raw("demo-cafe.yaml")
    raw["client"]["name"] = XSS
    plan = plan_mod.validate(raw)
    parts = sections.title_page(plan, "vi")
    assert "<script>alert(1)" not in parts[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in parts[0]


def test_html_report_lang_title_css_and_no_cdn():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# hidden"),
        nbformat.v4.new_code_cell(
            "x = 1",
            outputs=[nbformat.v4.new_output("display_data", data={"text/html": "<p>shown</p>"})],
        ),
    ]
    page = report.html_report(nb, f"{XSS} · Report", "en")
    assert '<html lang="en">' in page
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; · Report</title>" in page
    assert "<p>shown</p>" in page and "# hidden" not in page and "x = 1" not in page
    assert "@media print" in page and ".modebar" in page
    parser = _Tags()
    parser.feed(page)
    assert [r for r in parser.refs if "//" in r[1]] == []


def test_html_report_draws_plotly_mimetype_outputs_with_plotlyjs_once():
    import nbformat

    chart = {
        "data": [{"type": "bar", "x": [XSS], "y": [1], "name": "</script><b>x"}],
        "layout": {"height": 300},
        "config": dict(report_notebook.PLOTLY_CONFIG),
    }
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "show(...)",
            outputs=[
                nbformat.v4.new_output("display_data", data={report.PLOTLY_MIME: chart}),
                nbformat.v4.new_output("display_data", data={report.PLOTLY_MIME: chart}),
            ],
        )
    ]
    page = report.html_report(nb, "Charts", "vi")
    assert page.count("plotly.js v") == 1  # the library, once, in the head
    assert page.index("plotly.js v") < page.index("<body")
    assert page.count("Plotly.newPlot(") == 2 and page.count('class="plotly-graph-div"') == 2
    assert '"displaylogo": false' in page and "toImage" in page  # the chart's own config
    assert "<script>alert(1)" not in page and "</script><b>" not in page  # JSON escaped
    assert nb.cells[0].outputs[0].data[report.PLOTLY_MIME] == chart  # input not modified
    parser = _Tags()
    parser.feed(page)
    assert [r for r in parser.refs if "//" in r[1]] == []
    # no chart: no plotly.js
    empty = nbformat.v4.new_notebook()
    assert "plotly.js v" not in report.html_report(empty, "x", "en")


def test_report_kernel_renderer_is_mimetype_only():
    assert report_notebook.PLOTLY_RENDERER == "plotly_mimetype"


def test_report_charts_are_displayed_exactly_as_the_plotly_renderer_would():
    """report.sections give charts.Figures; figure_bundle = the renderer's bundle of
    the validated figure (same data, layout and config)."""
    import plotly.io as pio

    from workshop import charts

    report_notebook.configure_plotly()
    plan = plan_mod.load(data.demo_plan())
    specs = [p for p in sections.roi_section(plan, "en") if not isinstance(p, str)]
    assert specs and all(isinstance(p, charts.Figure) for p in specs)
    renderer = pio.renderers[report_notebook.PLOTLY_RENDERER]
    for spec in specs:
        expected = renderer.to_mimebundle(spec.to_plotly().to_dict())
        assert report_notebook.figure_bundle(spec) == expected


def test_catalogue_has_every_report_key_in_both_languages():
    vi = {k for k in i18n.catalogue("vi") if k.startswith("report.")}
    en = {k for k in i18n.catalogue("en") if k.startswith("report.")}
    assert vi == en and len(vi) > 100
    for key in vi:  # same placeholders in both languages
        import string

        names = {
            lang: {f[1] for f in string.Formatter().parse(i18n.t(key, lang)) if f[1]}
            for lang in ("vi", "en")
        }
        assert names["vi"] == names["en"], key


def test_failing_fixture_template_is_the_real_template_plus_one_failure():
    """tests/fixtures/failing-template/report.ipynb (the template the failing-client tests
    run) stays cell for cell the real template, but for its first (comment) cell and the
    two lines that raise in the setup cell for a client whose id starts with "fails-"."""
    import nbformat

    real = nbformat.read(data.report_template(), as_version=4)
    fixture = nbformat.read(FAILING_TEMPLATE, as_version=4)
    assert len(fixture.cells) == len(real.cells)
    for index, (mine, theirs) in enumerate(zip(fixture.cells, real.cells)):
        assert mine.cell_type == theirs.cell_type and mine.metadata == theirs.metadata, index
        if index == 0:
            continue
        if index == SETUP_CELL:
            assert "notebook.setup(" in theirs.source
            extra = mine.source[len(theirs.source) :]
            assert mine.source.startswith(theirs.source) and extra.count("\n") == 2, extra
            assert 'startswith("fails-")' in extra and "raise RuntimeError" in extra
        else:
            assert mine.source == theirs.source, index


# --- Slow: a real batch -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Build the example plans plus an XSS, a failing and an invalid plan, once (jobs=2)."""
    root = tmp_path_factory.mktemp("batch")
    plans = root / "plans"
    plans.mkdir()
    examples = data.example_plans()
    for path in examples:
        shutil.copy(path, plans / path.name)
    xss = _raw("studio-yoga.yaml")
    xss["client"].update(id=XSS_ID, name=XSS)
    xss["editorial"]["rules"][0]["slots"][0]["theme"] = "</script><img src=x onerror=alert(2)>"
    _write(plans, "xss.yaml", xss)
    fails = _raw("studio-yoga.yaml")
    fails["client"]["id"] = FAIL_ID
    _write(plans, "fails.yaml", fails)
    invalid = _raw("demo-cafe.yaml")
    invalid["client"]["id"] = "invalid-one"
    invalid["team"]["hours_per_week"] = "lots"
    invalid["platforms"]["chosen"] = ["myspace"]
    _write(plans, "invalid.yaml", invalid)
    out = root / "out"
    # a stale temp folder of a killed run and a previous good report of the failing client
    out.mkdir()
    _staging(out, "tmp", "demo-cafe", _dead_pid(), "0000abcd")
    previous = out / FAIL_ID
    previous.mkdir()
    (previous / "report.html").write_text("previous good report")
    _manifest(previous, FAIL_ID)
    payload = json.loads((previous / "manifest.json").read_text())
    payload["files"] = [{"name": "report.html"}]
    (previous / "manifest.json").write_text(json.dumps(payload))
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(report.inputs.TEMPLATE_ENV, str(FAILING_TEMPLATE))
        mp.setenv("WORKSHOP_LANG", "en")
        started = time.perf_counter()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = report.run_cli([str(plans)], str(out), 2, True)
        seconds = time.perf_counter() - started
    return dict(
        code=code,
        out=out,
        stdout=stdout.getvalue(),
        stderr=stderr.getvalue(),
        examples=examples,
        plans=plans,
        seconds=seconds,
    )


def _ok_clients(batch):
    return [plan_mod.load(p) for p in batch["examples"]]


@pytest.mark.slow
def test_batch_exit_status_folders_and_summary(batch):
    out = batch["out"]
    assert batch["code"] == 2, batch["stdout"] + batch["stderr"]  # invalid dominates failed
    names = sorted(p.name for p in out.iterdir())
    expected = sorted([p.client.id for p in _ok_clients(batch)] + [XSS_ID, FAIL_ID, "_failed"])
    assert names == expected  # no invalid-one, no .tmp-* left (the stale one was cleaned)
    summary = batch["stdout"]
    assert "invalid.yaml" in summary and "team.hours_per_week" in summary
    assert "platforms.chosen.0" in summary
    fail_line = next(line for line in summary.splitlines() if line.startswith(FAIL_ID))
    assert "FAILED" in fail_line and "RuntimeError" in fail_line and "cell" in fail_line
    for plan in _ok_clients(batch):
        line = next(line for line in summary.splitlines() if line.startswith(plan.client.id))
        assert str(out / plan.client.id) in line
    # the failing client's previous good report is untouched; its notebook kept for debugging
    assert (out / FAIL_ID / "report.html").read_text() == "previous good report"
    kept = out / "_failed" / FAIL_ID
    assert (kept / "report.ipynb").is_file() and "RuntimeError" in (kept / "error.txt").read_text()
    manifest = json.loads((kept / "manifest.json").read_text())
    assert manifest["status"] == "failed" and manifest["failed_step"] == "execute"
    nb = json.loads((kept / "report.ipynb").read_text())
    cells = [
        c
        for c in nb["cells"]  # without papermill's red "error here" markers
        if "papermill-error-cell-tag" not in c["metadata"].get("tags", [])
    ]
    errors = [
        c for c in cells if any(o.get("output_type") == "error" for o in c.get("outputs", []))
    ]
    assert len(errors) == 1 and errors[0]["outputs"][-1]["ename"] == "RuntimeError"
    assert "notebook.setup(" in "".join(errors[0]["source"])
    assert f"cell {cells.index(errors[0])} (In [{errors[0]['execution_count']}])" in fail_line
    # plain progress lines on a non-terminal
    assert "[1/6]" in batch["stderr"] and "[6/6]" in batch["stderr"]


@pytest.mark.slow
def test_batch_reports_content(batch):
    out = batch["out"]
    for plan in _ok_clients(batch):
        lang = plan.language
        folder = out / plan.client.id
        page = (folder / "report.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in page
        title = f"{plan.client.name} · {i18n.t('report.title.label', lang)}"
        assert f"<title>{html.escape(title, quote=False)}</title>" in page
        assert html.escape(plan.client.name) in page
        for key in (
            "summary.heading",
            "s1.heading",
            "s2.heading",
            "s3.heading",
            "s4.heading",
            "appendix.assumptions_heading",
            "appendix.run_heading",
        ):
            assert html.escape(i18n.t(f"report.{key}", lang)) in page, (plan.client.id, key)
        other = "en" if lang == "vi" else "vi"
        assert html.escape(i18n.t("report.s2.heading", other)) not in page
        # break-even month: exactly what workshop.roi computes
        proj = roi.project(plan)
        s = roi.summary(plan, proj)
        assert f'data-break-even-month="{s.break_even_month or ""}"' in page
        if s.break_even_month:
            label = i18n.fmt_month(
                pd.Timestamp(proj["month_start"].iloc[s.break_even_month - 1]).date(), lang
            )
            assert (
                html.escape(
                    i18n.t(
                        "report.roi.break_even_value", lang, month=s.break_even_month, label=label
                    )
                )
                in page
            )
        else:
            assert (
                html.escape(i18n.t("report.roi.no_break_even", lang, months=plan.horizon_months))
                in page
            )
        # parameters, version, plan hash shown; offline: no external script/link
        assert plan_mod.plan_hash(plan) in page and __version__ in page
        parser = _Tags()
        parser.feed(page)
        assert [v for _, v in parser.refs if v.startswith(("http://", "https://", "//"))] == []
        assert page.count("plotly.js v") >= 1  # plotly.js embedded
        assert (folder / "report.pdf").stat().st_size > 10_000


@pytest.mark.slow
def test_batch_calendar_files_match_the_schedule(batch):
    out = batch["out"]
    for plan in _ok_clients(batch):
        lang = plan.language
        cal = schedule.expand(plan, lang)
        folder = out / plan.client.id
        csv_df = pd.read_csv(folder / "calendar.csv", dtype=str, keep_default_na=False)
        assert list(csv_df.columns) == [
            "date",
            "time",
            "platform",
            "content_type",
            "title",
            "notes",
        ]
        assert len(csv_df) == len(cal)
        assert list(csv_df["date"]) == [d.isoformat() for d in cal["date"]]
        wb = openpyxl.load_workbook(folder / "calendar.xlsx", read_only=True)
        names = exports.xlsx_sheet_names(plan, cal, lang)
        assert wb.sheetnames[0] == names["all"]
        assert wb[names["all"]].max_row - 1 == len(cal)
        per_platform = sum(wb[names[p]].max_row - 1 for p in exports.platform_order(plan, cal))
        assert per_platform == len(cal)
        assert names["communication"] in wb.sheetnames
        ics = icalendar.Calendar.from_ical((folder / "calendar.ics").read_bytes())
        events = list(ics.walk("VEVENT"))
        assert len(events) == len(cal)
        starts = sorted(e.decoded("dtstart").date() for e in events)
        assert starts[0] == min(cal["date"]) and starts[-1] == max(cal["date"])


@pytest.mark.slow
def test_batch_manifest(batch):
    out = batch["out"]
    for plan_path in batch["examples"]:
        plan = plan_mod.load(plan_path)
        folder = out / plan.client.id
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["status"] == "ok"
        assert manifest["toolkit_version"] == __version__
        copied = batch["plans"] / plan_path.name
        assert manifest["plan"]["sha256"] == hashlib.sha256(copied.read_bytes()).hexdigest()
        assert manifest["plan"]["plan_hash"] == plan_mod.plan_hash(plan)
        assert manifest["parameters"] == {
            "plan_path": "plan.yaml",
            "plan_name": plan_path.name,
            "language": "",
        }
        assert (folder / "plan.yaml").read_bytes() == copied.read_bytes()
        assert set(manifest["durations"]) == {"validate", "execute", "html", "exports", "pdf"}
        assert manifest["durations"]["execute"] > 0 and manifest["pdf"] == "ok"
        assert manifest["started"] <= manifest["finished"]
        sizes = {f["name"]: f["bytes"] for f in manifest["files"]}
        # the schedulers' downloads: one per tool (a zip when a tool needs several files)
        tools = {
            "calendar-excel.csv",
            "checklist.html",
            "preflight.csv",
            "README.txt",
            "metricool.csv",
        }
        assert tools <= set(sizes)
        for tool in ("buffer", "publer", "hootsuite"):
            assert {n for n in sizes if n.split(".")[0].split("-")[0] == tool}, tool
        tools |= {
            n for n in sizes if n.split(".")[0].split("-")[0] in ("buffer", "publer", "hootsuite")
        }
        assert set(sizes) - tools == {
            "report.ipynb",
            "report.html",
            "report.pdf",
            "calendar.csv",
            "calendar.xlsx",
            "calendar.ics",
            "plan.yaml",
            "manifest.json",
        }
        for name, size in sizes.items():
            if size is not None:
                assert (folder / name).stat().st_size == size
        assert sorted(p.name for p in folder.iterdir()) == sorted(sizes)
        # the calendar files open in the tools they are for
        assert (folder / "calendar-excel.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        ics_text = (folder / "calendar.ics").read_text(encoding="utf-8")
        import icalendar

        events = icalendar.Calendar.from_ical(ics_text).walk("VEVENT")
        assert events and all(
            any(
                str(e["SUMMARY"]).startswith(n)
                for n in (
                    "Facebook",
                    "TikTok",
                    "Zalo",
                    "Insta",
                    "YouTube",
                    "LinkedIn",
                    "X",
                    "Pinterest",
                    "Threads",
                    "Telegram",
                    "WhatsApp",
                    "Snapchat",
                )
            )
            for e in events
        )


@pytest.mark.slow
def test_batch_escapes_client_text(batch):
    page = (batch["out"] / XSS_ID / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "<img src=x onerror" not in page
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in page


# --- Slow: interrupted batches ------------------------------------------------------------------


def _small_plans(folder: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        raw = _raw("studio-yoga.yaml")
        raw["client"]["id"] = f"client-{i}"
        paths.append(_write(folder, f"client-{i}.yaml", raw))
    return paths


def _wait_for(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _complete_folders_only(out: Path) -> list[str]:
    clients = []
    for entry in out.iterdir():
        if entry.name.startswith(".tmp-") or entry.name == report.LOCK_NAME:
            continue  # leftovers of the killed run, removed (or reused) by the next run
        assert not entry.name.startswith(".old-")
        manifest = json.loads((entry / "manifest.json").read_text())
        assert manifest["status"] == "ok"
        assert {f["name"] for f in manifest["files"]} <= {p.name for p in entry.iterdir()}
        clients.append(entry.name)
    return clients


def _cli(args: list[str], **kwargs) -> subprocess.Popen:
    env = dict(os.environ, WORKSHOP_LANG="en")
    return subprocess.Popen(
        [sys.executable, "-m", "workshop", "report", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        **kwargs,
    )


def _descendants(pid: int) -> list:
    import psutil

    return psutil.Process(pid).children(recursive=True)


def _all_gone(processes: list) -> bool:
    return not any(p.is_running() and p.status() != "zombie" for p in processes)


@pytest.mark.slow
def test_killed_batch_leaves_only_complete_folders_and_rerun_finishes(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    _small_plans(plans, 3)
    out = tmp_path / "out"
    proc = _cli([str(plans), "--out", str(out), "--jobs", "2"])
    try:
        # kill the parent with SIGKILL while the workers are writing their temp folders
        assert _wait_for(
            lambda: out.is_dir() and any(p.name.startswith(".tmp-") for p in out.iterdir()), 60
        )
        # resource tracker + 2 workers + at least one kernel running a client
        assert _wait_for(lambda: len(_descendants(proc.pid)) >= 4, 60)
        time.sleep(1.0)
        children = _descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    # the orphaned workers notice and exit, killing their kernels
    assert _wait_for(lambda: _all_gone(children), 20)
    done = _complete_folders_only(out)
    assert len(done) < 3
    rerun = _cli([str(plans), "--out", str(out), "--jobs", "2"])
    stdout, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr.decode()
    assert sorted(_complete_folders_only(out)) == ["client-0", "client-1", "client-2"]
    assert sorted(p.name for p in out.iterdir()) == ["client-0", "client-1", "client-2"]


@pytest.mark.slow
def test_sigterm_stops_workers_and_exits_143(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    _small_plans(plans, 2)
    out = tmp_path / "out"
    proc = _cli([str(plans), "--out", str(out), "--jobs", "2"])
    try:
        assert _wait_for(
            lambda: out.is_dir() and any(p.name.startswith(".tmp-") for p in out.iterdir()), 60
        )
        time.sleep(1.0)
        children = _descendants(proc.pid)
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143, stderr.decode()
    assert "Interrupted" in stderr.decode()
    assert _wait_for(lambda: _all_gone(children), 10)
    # workers removed their own temp folders: only complete reports (if any) remain
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    _complete_folders_only(out)


@pytest.mark.slow
def test_single_plan_is_built_in_the_cli_and_sigterm_leaves_nothing(tmp_path):
    """One plan: no worker process (the CLI runs the kernel itself); a SIGTERM while the
    kernel runs exits 143, kills the kernel and removes the temporary folder."""
    plans = tmp_path / "plans"
    plans.mkdir()
    (plan,) = _small_plans(plans, 1)
    out = tmp_path / "out"
    proc = _cli([str(plan), "--out", str(out), "--jobs", "1"])
    try:
        assert _wait_for(
            lambda: out.is_dir() and any(p.name.startswith(".tmp-") for p in out.iterdir()), 60
        )
        assert _wait_for(lambda: _descendants(proc.pid), 60)  # the kernel starts after OUT's checks
        children = _descendants(proc.pid)
        assert children and all(
            "workshop-report-worker" not in " ".join(c.cmdline())
            and "multiprocessing" not in " ".join(c.cmdline())
            for c in children
        )  # only the kernel
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143, stderr.decode()
    assert "Interrupted" in stderr.decode()
    assert _wait_for(lambda: _all_gone(children), 10)
    assert list(out.iterdir()) == []
    # and a normal single run: the report, no kernel left behind
    rerun = _cli([str(plan), "--out", str(out)])
    stdout, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr.decode()
    assert _complete_folders_only(out) == ["client-0"]
    nb = json.loads((out / "client-0" / "report.ipynb").read_text())
    assert (out / "client-0" / "report.ipynb").stat().st_size < 1_000_000
    assert (
        sum(
            report.PLOTLY_MIME in o.get("data", {})
            for c in nb["cells"]
            for o in c.get("outputs", [])
        )
        >= 10
    )


# --- Slow: the real browser ---------------------------------------------------------------------


#: Per chart with a month axis (fitted by the report's script): how many months, how many
#: labels are shown, and how many labels overlap the next one (bounding boxes in the page).
MONTH_LABEL_OVERLAPS_JS = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter(gd => gd._wsTicks)
  .map(gd => {
    const boxes = [...gd.querySelectorAll('.xtick text')].map(t => t.getBoundingClientRect())
      .filter(b => b.width > 0).sort((a, b) => a.left - b.left);
    let overlaps = 0;
    for (let i = 1; i < boxes.length; i++) if (boxes[i].left < boxes[i - 1].right - 0.5) overlaps++;
    return {months: gd._wsTicks.v.length, labels: boxes.length, overlaps};
  })"""


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian chromium not installed")
def test_report_renders_offline_in_chromium(batch):
    from playwright.sync_api import sync_playwright

    plan = plan_mod.load(data.demo_plan())
    folder = batch["out"] / plan.client.id
    nb = json.loads((folder / "report.ipynb").read_text())
    n_charts = sum(
        "application/vnd.plotly.v1+json" in o.get("data", {})
        for c in nb["cells"]
        for o in c.get("outputs", [])
    )
    assert n_charts >= 10
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    errors, blocked = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))

            def route(r):
                url = r.request.url
                if url.startswith(
                    ("file://", "data:", "blob:", "about:", "http://127.0.0.1", "http://localhost")
                ):
                    r.continue_()
                else:
                    blocked.append(url)
                    r.abort()

            page.route("**/*", route)
            page.goto((folder / "report.html").as_uri(), wait_until="load")
            page.wait_for_function(
                f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n_charts}",
                timeout=20_000,
            )
            plots = page.locator(".js-plotly-plot")
            rendered = sum(
                plots.nth(i).locator(".main-svg").count() > 0 for i in range(plots.count())
            )
            assert plots.count() == n_charts and rendered == n_charts
            # hover works: moving over the first plot shows plotly's hover layer
            page.screenshot(path=str(ARTIFACTS / "report-demo-cafe.png"), full_page=True)
            mobile = browser.new_page(viewport={"width": 390, "height": 844})
            mobile.goto((folder / "report.html").as_uri(), wait_until="load")
            mobile.wait_for_timeout(500)
            overflow = mobile.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            mobile.wait_for_timeout(700)  # the month axes are fitted after load
            month_axes = mobile.evaluate(MONTH_LABEL_OVERLAPS_JS)
            mobile.screenshot(path=str(ARTIFACTS / "report-demo-cafe-phone.png"))
        finally:
            browser.close()
    assert errors == []
    assert blocked == []  # nothing even tried to leave the machine
    assert overflow <= 1  # wide tables scroll inside their box, the page does not
    # every monthly x axis at phone width: labels thinned, none overlapping its neighbour
    assert len(month_axes) >= 5, month_axes
    assert all(a["overlaps"] == 0 and a["labels"] >= 2 for a in month_axes), month_axes
    assert any(a["labels"] < a["months"] for a in month_axes), month_axes
    assert (ARTIFACTS / "report-demo-cafe.png").stat().st_size > 50_000


def test_the_report_prints_the_first_months_posting_checklist():
    # Meta Business Suite and Zalo OA import nothing: the report shows the first month's
    # posts to make by hand, with a box to tick, in the plan's language (issue 12)
    from workshop import plan as plan_mod
    from workshop.report import sections
    from workshop.results import Results

    plan = plan_mod.load(data.demo_plan())
    res = Results(plan, "vi")
    html = "".join(str(p) for p in sections.schedule_section(res))
    assert 'class="workshop-checklist"' in html and "\u2610" in html
    assert "Meta Business Suite" in html and "Danh sách đăng bài" in html
    first = [s for s in res.checklist if any(i.date.month == 1 for i in s.items)]
    jan = sum(1 for s in first for i in s.items if (i.date.year, i.date.month) == (2027, 1))
    assert html.count("\u2610") == jan  # the first month only
    assert jan < sum(len(s.items) for s in res.checklist)
