"""``python -m bench.capacity web|workers|aws``: one command per scenario, each writing a report with plots,
and the AWS capacity model computed from their results."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.capacity import aws_model, report, target, web, workers
from bench.capacity.sampler import Watch
from bench.media_inputs import encoded_input
from bench.results import add_summary_option, write_summary
from bench.stamp import REPO, Stamp


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__)
    scenarios = parser.add_subparsers(dest="scenario", required=True)
    default_out = REPO / "bench" / "out" / "capacity"

    w = scenarios.add_parser("web", help="scenario 1: concurrent users of the web layer (Locust)")
    where = w.add_mutually_exclusive_group(required=True)
    where.add_argument("--base-url", help="the deployment to load (processing must not consume its uploads)")
    where.add_argument(
        "--serve", action="store_true", help="start the embedded service itself (see bench/capacity/target.py)"
    )
    w.add_argument("--serve-processes", type=int, default=2, help="HTTP server processes of the started service")
    w.add_argument("--published-videos", type=int, default=500, help="published by `anb demo` for --serve")
    w.add_argument("--users", type=int, nargs="+", default=[100, 200, 300], help="X of each ramp stage")
    w.add_argument("--ramp-seconds", type=float, default=180)
    w.add_argument("--hold-seconds", type=float, default=300)
    w.add_argument("--smoke-users", type=int, default=5)
    w.add_argument("--smoke-seconds", type=float, default=60, help="0: no smoke stage")
    w.add_argument("--sustained-seconds", type=float, default=300, help="0: no sustained stage")
    w.add_argument("--generator-processes", type=int, default=os.cpu_count() or 1, help="Locust worker processes")
    w.add_argument("--upload-mb", type=int, nargs="+", default=[4, 50], help="upload body sizes (1080p, real H.264)")
    w.add_argument("--upload-seconds", type=int, default=40, help="duration of the upload inputs (20–60)")
    w.add_argument(
        "--watch", action="append", default=[], type=Watch.parse, metavar="LABEL=PID|PIDFILE|name:NAME|cmdline:TEXT",
        help="a process tree whose CPU the report shows (e.g. api=1234, db=cmdline:anb_local)",
    )  # fmt: skip
    w.add_argument(
        "--judge-uploads", choices=("yes", "no"), default="yes",
        help="no: a stage's verdict leaves the upload endpoints out (still measured and judged in the report)",
    )  # fmt: skip
    w.add_argument("--deployment", default="", help="how the target is deployed, as the report should say it")
    w.add_argument("--out", type=Path, default=default_out)

    k = scenarios.add_parser("workers", help="scenario 2: videos per minute of the Celery workers")
    k.add_argument("--sizes", type=int, nargs="+", default=[50, 100], help="input sizes in MB")
    k.add_argument("--input-seconds", type=int, default=40)
    k.add_argument("--input-size", default="1920x1080", help="WIDTHxHEIGHT of the inputs")
    k.add_argument("--concurrency", type=int, nargs="+", default=[1, 2, 4])
    k.add_argument("--step-jobs", type=int, default=2, help="saturation: jobs added at each step")
    k.add_argument("--steps", type=int, default=3)
    k.add_argument("--step-seconds", type=float, default=30)
    k.add_argument("--sustained-jobs", type=int, default=4, help="0: no sustained run")
    k.add_argument("--preset", default="veryfast", help="ANB_FFMPEG__PRESET of the worker")
    k.add_argument("--out", type=Path, default=default_out)

    a = scenarios.add_parser("aws", help="ECS tasks and monthly cost for a target load, from two runs' results")
    a.add_argument("--web", type=Path, required=True, help="summary.json of a web run")
    a.add_argument("--workers", type=Path, required=True, help="runs.json of a workers run")
    a.add_argument("--api-labels", nargs="+", default=["api"], help="the --watch labels that are the API's processes")
    a.add_argument("--db-labels", nargs="*", default=[], help="the --watch labels that are the database's processes")
    a.add_argument("--uploads-per-hour", type=float, default=1000)
    a.add_argument("--users", type=int, default=500)
    for name, value in vars(aws_model.Prices()).items():
        a.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value, help="assumed list price")
    for scenario in (w, k, a):
        add_summary_option(scenario)
    return parser


@contextmanager
def _target(args: argparse.Namespace) -> Iterator[tuple[str, list[Watch], str]]:
    if not args.serve:
        yield args.base_url, args.watch, args.deployment or f"given base URL {args.base_url}"
        return
    described = (
        f"embedded `anb serve` started by the kit: {args.serve_processes} server processes, SQLite, local disk,"
        " jobs to an unconsumed RabbitMQ queue (no processing), every rate limit raised to 1000000/minute"
    )
    with (
        tempfile.TemporaryDirectory(prefix="anb-capacity-serve-") as work,
        target.embedded_service(Path(work), args.serve_processes, args.published_videos) as served,
    ):
        yield served.base_url, [Watch("api", str(served.pid)), *args.watch], args.deployment or described


def _web(args: argparse.Namespace, out: Path, stamp: Stamp) -> Path:
    uploads = {f"{mb}MB": encoded_input(mb, seconds=args.upload_seconds) for mb in sorted(set(args.upload_mb))}
    with _target(args) as (base_url, watches, deployment):
        plan = web.WebPlan(
            base_url=base_url, ramp_users=args.users, ramp_seconds=args.ramp_seconds, hold_seconds=args.hold_seconds,
            smoke_users=args.smoke_users, smoke_seconds=args.smoke_seconds, sustained_seconds=args.sustained_seconds,
            generator_processes=args.generator_processes, uploads=uploads, watches=watches,
            judge_uploads=args.judge_uploads == "yes",
        )  # fmt: skip
        results = web.run(plan, out)
    summary = [result.summary() for result in results]
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    write_summary("capacity-web", stamp, {"deployment": deployment, "stages": summary}, args.summary_dir)
    return report.web(results, stamp, deployment, out)


def _workers(args: argparse.Namespace, out: Path, stamp: Stamp) -> Path:
    width, height = (int(n) for n in args.input_size.split("x"))
    inputs = {mb: encoded_input(mb, seconds=args.input_seconds, width=width, height=height) for mb in args.sizes}
    plan = workers.Plan(
        inputs, args.concurrency, args.step_jobs, args.steps, args.step_seconds, args.sustained_jobs, args.preset
    )
    deployment = (
        "`anb worker` (Celery prefork) on RabbitMQ and PostgreSQL on loopback, local disk storage,"
        f" preset {args.preset}, inputs {args.input_size} {args.input_seconds} s"
    )
    runs = workers.run(plan, out)
    (out / "runs.json").write_text(json.dumps([dataclasses.asdict(run) for run in runs], indent=2))
    write_summary("capacity-workers", stamp, {"deployment": deployment, "runs": runs}, args.summary_dir)
    return report.workers(runs, stamp, deployment, out)


def main(argv: list[str] | None = None) -> Path | None:
    args = _parser().parse_args(argv)
    stamp = Stamp.now("bench.capacity", sys.argv[1:] if argv is None else argv, tools=("locust",))
    if args.scenario == "aws":
        prices = aws_model.Prices(**{name: getattr(args, name) for name in vars(aws_model.Prices())})
        target = aws_model.Target(uploads_per_hour=args.uploads_per_hour, users=args.users)
        model = aws_model.model(args.web, args.workers, args.api_labels, args.db_labels, target, prices)
        print(model)
        figures = {"target": target, "prices": prices, "web_run": str(args.web), "workers_run": str(args.workers)}
        write_summary("capacity-aws", stamp, {**figures, "model": model.splitlines()}, args.summary_dir)
        return None
    out = args.out / f"{args.scenario}-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}"
    out.mkdir(parents=True, exist_ok=True)
    path = _web(args, out, stamp) if args.scenario == "web" else _workers(args, out, stamp)
    print(path)
    return path


if __name__ == "__main__":
    main()
