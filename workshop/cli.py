"""The ``workshop`` command: ``report``, ``validate``, ``summary``, ``check``, ``schema``.

Exit status: 0 done; 1 a client failed while running; 2 bad input (invalid plan, unreadable
path, bad option). Messages follow ``WORKSHOP_LANG`` (vi or en; default vi) where no plan
says otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from workshop import __version__


def _lang() -> str:
    lang = os.environ.get("WORKSHOP_LANG", "vi")
    return lang if lang in ("vi", "en") else "vi"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # bad options are exit status 2, as argparse does
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


REPORT_HELP = """\
Check OUT, validate every plan, then build each valid client's report in
OUT/<client-id>/: report.html, report.ipynb, calendar.csv/.xlsx/.ics, plan.yaml (the
plan exactly as it was read and validated) and manifest.json. Invalid plans are named
with their field paths and get no folder; the valid ones are still built.

Folders the tool owns: OUT/<client-id>/ (and OUT/_failed/<client-id>/) is replaced
only if workshop report made it: a real folder (not a link) holding its manifest.json
for that same client, and nothing but the files that manifest lists. Any other folder
of that name is left untouched and that client is refused before anything runs (the
message names the folder and up to 5 entries it should not hold): move or rename the
folder, or choose another --out. Temporary folders (OUT/.tmp-*, OUT/.old-*) are
removed at the next run only if the tool's marker is in them and their run is over.
One run at a time writes into an OUT (OUT/.workshop-report.lock).

On a Dask cluster (pip install workshop[cluster]): --scheduler tcp://HOST:8786 builds
each client on the cluster's workers; the finished files come back to this machine and
are written into OUT here, atomically (no shared file system needed). With --shared-out,
the workers write into OUT themselves: OUT must then be the same path on every worker.
A worker that dies mid-batch: Dask runs its clients again on another worker.

Exit status: 0 all done; 1 a client failed while running (its notebook is kept in
OUT/_failed/<client-id>/); 2 bad input (an invalid plan, a missing path, a bad option,
an OUT that is not a writable folder, a refused client, OUT in use by another run),
even if the other clients were built; 130 / 143 interrupted (Ctrl-C / SIGTERM).
"""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="workshop", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"workshop {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    rep = sub.add_parser(
        "report",
        help="build each client's report, calendar files and manifest",
        description=REPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rep.add_argument("paths", nargs="+", help="plan files (.yaml) or folders of plans")
    rep.add_argument("--out", default="reports", help="output folder (default: reports/)")
    rep.add_argument(
        "--jobs",
        type=_positive_int,
        default=None,
        help="worker processes (default: number of cores)",
    )
    rep.add_argument("--pdf", action="store_true", help="also print report.pdf with Chromium")
    rep.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="build on the Dask cluster at ADDRESS (tcp://HOST:8786) instead of local workers",
    )
    rep.add_argument(
        "--shared-out",
        action="store_true",
        help="with --scheduler: the workers write into OUT, a folder they all see at that path",
    )

    val = sub.add_parser("validate", help="check plans without running anything")
    val.add_argument("paths", nargs="+", help="plan files (.yaml) or folders of plans")

    summ = sub.add_parser("summary", help="print a plan's answers as tables (no kernel)")
    summ.add_argument("path", nargs="?", default=None, help="plan file (default: the demo plan)")
    summ.add_argument("--language", choices=("vi", "en"), default=None)

    lab = sub.add_parser(
        "lab",
        help="the workshop in JupyterLab, from a working copy outside the repository",
        description="Copies the notebooks of one language to a folder of your own (default "
        "~/workshop-toolkit/LANG; code cells collapsed, plan_path = the current plan) and "
        "opens JupyterLab there, in that language. Notebooks already copied are kept.",
    )
    lab.add_argument("--language", choices=("vi", "en"), default=None, help="default: vi")
    lab.add_argument("--folder", default=None, help="the working copy's folder")
    lab.add_argument("--port", type=_positive_int, default=8888)
    lab.add_argument("--ip", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    lab.add_argument("--no-browser", action="store_true")
    lab.add_argument("--reset", action="store_true", help="copy the notebooks again")
    rm = sub.add_parser(
        "room",
        help="serve the workshop to a room through Voilà (participants need only a browser)",
        description="Prepares a room folder (default ~/workshop-room/LANG: the notebooks, the "
        "participants' plans, a room code and a facilitator secret) and serves notebooks 00-05 "
        "through Voilà, code hidden, one pre-heated kernel per page. Prints the participants' "
        "URL (with a QR code) and the facilitator's URL. Ctrl-C stops it.",
    )
    rm.add_argument("--language", choices=("vi", "en"), default=None, help="default: vi")
    rm.add_argument("--folder", default=None, help="the room's folder")
    rm.add_argument("--port", type=_positive_int, default=8866)
    rm.add_argument(
        "--ip", default="127.0.0.1", help="listen address (default 127.0.0.1; 0.0.0.0 = the LAN)"
    )
    rm.add_argument(
        "--pool", type=int, default=1, help="pre-heated kernels per notebook (0 = none)"
    )
    rm.add_argument("--new-secrets", action="store_true", help="a new room code and secret")
    rm.add_argument(
        "--hub",
        action="store_true",
        help="run as a JupyterHub service (started by the hub; see workshop hub-config)",
    )
    hc = sub.add_parser(
        "hub-config",
        help="write a jupyterhub_config.py that runs the room on JupyterHub",
        description="Prepares a room folder (as `workshop room` does) and writes a documented "
        "jupyterhub_config.py (default ROOM/hub/jupyterhub_config.py): the room as a hub service, "
        "participants logging in with the room code, the facilitator as the hub's admin. "
        "Start it with `jupyterhub -f FILE` (needs configurable-http-proxy from npm).",
    )
    hc.add_argument("--language", choices=("vi", "en"), default=None, help="default: vi")
    hc.add_argument("--folder", default=None, help="the room's folder (shared by the hub)")
    hc.add_argument("--facilitator", required=True, help="the facilitator's hub user name")
    hc.add_argument("--out", default=None, help="where to write jupyterhub_config.py")
    hc.add_argument("--ip", default="127.0.0.1", help="the hub's public address")
    hc.add_argument("--port", type=_positive_int, default=8000, help="the hub's public port")
    hc.add_argument("--hub-port", type=_positive_int, default=8081)
    hc.add_argument("--proxy-api-port", type=_positive_int, default=8001)
    hc.add_argument("--service-port", type=_positive_int, default=10101)
    hc.add_argument("--proxy", default=None, help="path of configurable-http-proxy")
    hc.add_argument("--pool", type=int, default=1, help="pre-heated kernels per notebook")
    sub.add_parser("check", help="is this machine ready for the workshop?")
    sch = sub.add_parser("schema", help="print the plan's JSON Schema")
    sch.add_argument("--out", default=None, help="write to this file instead of stdout")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "report":
        from workshop import report

        if args.shared_out and not args.scheduler:
            build_parser().error("--shared-out needs --scheduler")
        return report.run_cli(
            args.paths, args.out, args.jobs, args.pdf, args.scheduler, args.shared_out
        )
    if args.command == "validate":
        from workshop import report

        return report.validate_cli(args.paths)
    if args.command == "summary":
        from workshop import summary

        return summary.run_cli(args.path, args.language)
    if args.command == "lab":
        from workshop import lab
        from workshop.errors import WorkshopError

        language = args.language or (_lang() if _lang() in ("vi", "en") else "vi")
        try:
            return lab.run(
                language, args.folder, args.port, args.ip, not args.no_browser, args.reset
            )
        except WorkshopError as exc:
            print(exc, file=sys.stderr)
            return 2
    if args.command == "room":
        from workshop import room_server
        from workshop.errors import WorkshopError

        language = args.language or (_lang() if _lang() in ("vi", "en") else "vi")
        try:
            if args.hub:
                from workshop import room_hub

                return room_hub.run_service(language, args.folder, args.pool)
            return room_server.run(
                language, args.folder, args.ip, args.port, args.pool, args.new_secrets
            )
        except WorkshopError as exc:
            print(exc, file=sys.stderr)
            return 2
    if args.command == "hub-config":
        from workshop import room_hub
        from workshop.errors import WorkshopError

        args.language = args.language or (_lang() if _lang() in ("vi", "en") else "vi")
        try:
            return room_hub.run_config_cli(args)
        except WorkshopError as exc:
            print(exc, file=sys.stderr)
            return 2
    if args.command == "check":
        from workshop import readiness

        return readiness.run_cli()
    if args.command == "schema":
        import json

        from workshop import plan

        if args.out:
            plan.write_json_schema(Path(args.out))
        else:
            print(json.dumps(plan.json_schema(), indent=2, ensure_ascii=False))
        return 0
    return 2  # pragma: no cover - argparse requires a command


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
