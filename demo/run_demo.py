"""`python -m demo.run_demo`: the whole product against the demo site, as `make demo` runs it.

Starts the demo ward site in this process (port 8001 when free, else any free port), writes
`demo/data/config.toml` with the real start URL, runs `python -m crawler refresh` on it, then
serves the search UI with `python -m webui` at http://127.0.0.1:5000 until interrupted. The
site keeps running meanwhile so that the UI's links to the original pages work.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from demo.serve import DemoSite

DEMO_DIR = Path(__file__).resolve().parent
TEMPLATE = DEMO_DIR / "config.toml"
DATA_DIR = DEMO_DIR / "data"
PREFERRED_PORT = 8001


def write_config(base_url: str, target: Path = DATA_DIR / "config.toml", template: Path = TEMPLATE) -> Path:
    """Write the demo configuration with `base_url` as the site's origin; storage stays in demo/data/."""
    raw = tomllib.loads(template.read_text(encoding="utf-8"))
    for key, value in raw["storage"].items():       # the template's paths, re-expressed relative to `target`
        raw["storage"][key] = os.path.relpath((template.parent / value).resolve(), target.parent.resolve())
    for site in raw["sites"]:
        site["start_urls"] = [f"{base_url}/"]
        site["feeds"] = [f"{base_url}/rss.xml"]
        site.pop("allowed_hosts", None)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("# Written by python -m demo.run_demo; edit demo/config.toml instead.\n" + to_toml(raw),
                      encoding="utf-8")
    return target


def to_toml(raw: Mapping[str, Any]) -> str:
    """TOML for the shapes a configuration has: tables of scalars/lists and arrays of tables."""
    lines = []
    for name, value in raw.items():
        tables = value if isinstance(value, list) else [value]
        header = f"[[{name}]]" if isinstance(value, list) else f"[{name}]"
        for table in tables:
            lines.append(header)
            lines += [f"{key} = {_toml_value(item)}" for key, item in table.items()]
            lines.append("")
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)    # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as a TOML value")


def port_is_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Crawl, archive and index the demo ward site, then serve the search UI.")
    parser.add_argument("--ui-port", type=int, default=5000, help="port of the search UI (default 5000)")
    args = parser.parse_args(argv)
    host = "127.0.0.1"
    port = PREFERRED_PORT if port_is_free(host, PREFERRED_PORT) else 0
    with DemoSite(host=host, port=port) as site:
        config = write_config(site.base_url)
        print(f"demo ward site: {site.base_url}/ (configuration: {config})", flush=True)
        refresh = subprocess.run([sys.executable, "-m", "crawler", "refresh", "--config", str(config)])
        if refresh.returncode != 0:
            print(f"refresh failed with exit code {refresh.returncode}", file=sys.stderr)
            return refresh.returncode
        print(f"search UI: http://{host}:{args.ui_port}/ (Ctrl-C to stop)", flush=True)
        ui = subprocess.Popen([sys.executable, "-m", "webui", "--config", str(config),
                               "--host", host, "--port", str(args.ui_port)])
        try:
            return ui.wait()
        except KeyboardInterrupt:
            ui.terminate()
            try:
                ui.wait(timeout=10)
            except subprocess.TimeoutExpired:
                ui.kill()
            return 0


if __name__ == "__main__":
    sys.exit(main())
