"""nginx as the edge of the local topology, with the routing every environment shares."""

from __future__ import annotations

from pathlib import Path

ROUTES = Path(__file__).resolve().parents[1] / "nginx" / "routes.conf"
# The edge reaches auth and core from an address of its own, the one proxy they trust
# (ANB_TRUSTED_PROXIES): a client on this machine, at 127.0.0.1 or anywhere else in 127/8, is a
# client, and what it writes in X-Forwarded-For is not believed.
EDGE_ADDRESS = "127.0.0.2"

_TEMPLATE = """\
# Written by deploy/local/topology.py; the routing itself is {routes}.
worker_processes 2;
pid {run}/edge/nginx.pid;
error_log {run}/logs/edge-error.log warn;

events {{
    worker_connections 512;
}}

http {{
    access_log {run}/logs/edge-access.log;
    default_type application/octet-stream;
    server_tokens off;
    # Every path under the run directory: no root-owned default location is touched.
    client_body_temp_path {run}/edge/client_body;
    proxy_temp_path {run}/edge/proxy;
    fastcgi_temp_path {run}/edge/fastcgi;
    uwsgi_temp_path {run}/edge/uwsgi;
    scgi_temp_path {run}/edge/scgi;

    server {{
        listen 127.0.0.1:{port};
        proxy_bind {edge_address};
        set $anb_auth 127.0.0.1:{auth_port};
        set $anb_core 127.0.0.1:{core_port};
        include {routes};
    }}
}}
"""


def write_config(run_dir: Path, port: int, auth_port: int, core_port: int) -> Path:
    (run_dir / "edge").mkdir(parents=True, exist_ok=True)
    path = run_dir / "edge" / "nginx.conf"
    path.write_text(
        _TEMPLATE.format(
            run=run_dir, port=port, auth_port=auth_port, core_port=core_port, routes=ROUTES, edge_address=EDGE_ADDRESS
        )
    )
    return path


def command(config: Path) -> list[str]:
    # In the foreground (no daemon): the pid we record is the master's, whose group holds the workers.
    return ["nginx", "-p", str(config.parent), "-c", str(config), "-g", "daemon off;"]
