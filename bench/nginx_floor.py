"""nginx answering each operation's canned success bytes: how fast a server can answer the same JSON.

An information row, not a goal: nginx is not a prerequisite of this repository. When Debian's nginx
is on PATH (or at /usr/sbin/nginx), the bench writes a minimal configuration into a temporary
directory (one worker, no access log, error log and pid file in that directory, 127.0.0.1 only)
that answers each operation's (method, path) with ``return 200`` and the bytes the bare-ASGI floor
sends (:func:`bench.floor.canned_answers`), and runs it in the foreground as the current user.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

from bench.tools import tool_version

SBIN_NGINX = Path("/usr/sbin/nginx")
INSTALL_HINT = "apt-get install -y nginx-light"
# A JSON body can hold "$"; nginx would read it as a variable in `return`. A geo variable whose
# value is "$" stands for it (nginx's strings have no escape for "$").
DOLLAR_VARIABLE = "medux_dollar"
# Where nginx would otherwise write request bodies and proxy buffers (/var/lib/nginx, root's).
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def find_nginx() -> Path | None:
    """Debian's nginx binary, or None when it is not installed (the row then says so)."""
    found = shutil.which("nginx")
    if found:
        return Path(found)
    return SBIN_NGINX if SBIN_NGINX.is_file() else None


def nginx_string(text: str) -> str:
    """``text`` as a single-quoted nginx string that ``return`` sends back byte for byte."""
    escaped = text.replace("\\", "\\\\").replace("'", "\\'").replace("$", "${" + DOLLAR_VARIABLE + "}")
    return f"'{escaped}'"


def nginx_conf(answers: Mapping[tuple[str, str], bytes], port: int, workdir: Path) -> str:
    """The whole configuration: each path answers its methods' bytes, 405 to any other method, and
    any other path 404."""
    by_path: dict[str, dict[str, bytes]] = {}
    for (method, path), body in answers.items():
        by_path.setdefault(path, {})[method] = body
    locations = []
    for path, bodies in by_path.items():
        lines = [f"        location = {path} {{"]
        for method, body in bodies.items():
            text = nginx_string(body.decode("utf-8"))
            lines.append(f"            if ($request_method = {method}) {{ return 200 {text}; }}")
        lines += ["            return 405;", "        }"]
        locations.append("\n".join(lines))
    temp = "\n".join(f"    {kind}_temp_path {workdir / kind};" for kind in TEMP_PATHS)
    location_blocks = "\n".join(locations)
    return f"""worker_processes 1;
daemon off;
pid {workdir / "nginx.pid"};
error_log {workdir / "error.log"} warn;
events {{
    worker_connections 1024;
}}
http {{
    access_log off;
{temp}
    keepalive_requests 1000000;
    default_type application/json;
    geo ${DOLLAR_VARIABLE} {{
        default "$";
    }}
    server {{
        listen 127.0.0.1:{port};
{location_blocks}
        location / {{
            return 404;
        }}
    }}
}}
"""


def command(
    nginx: Path, workdir: Path, answers: Mapping[tuple[str, str], bytes]
) -> Callable[[int], list[str]]:
    """The argv factory for :func:`bench.servers.serve`: writes the configuration for the port."""

    def argv(port: int) -> list[str]:
        conf = workdir / "nginx.conf"
        conf.write_text(nginx_conf(answers, port, workdir), encoding="utf-8")
        # -e: the error log before the configuration is read (else nginx opens /var/log/nginx).
        return [str(nginx), "-p", f"{workdir}/", "-e", str(workdir / "error.log"), "-c", str(conf)]

    return argv


def version(nginx: Path | None) -> str:
    if nginx is None:
        return "not installed"
    return tool_version([str(nginx), "-v"]).removeprefix("nginx version: ")
