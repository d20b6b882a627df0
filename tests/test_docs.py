"""The reference docs list what the code has: every route, JSON key, command, option and configuration key.

Each doc gives one section per route (`### `GET /path``), per command (`### `python -m pkg cmd``) and per
configuration table (`## `[crawl]``), whose table rows start with the documented name; these tests compare
those names with the app's url_map, the click commands and the keys the configuration parser accepts, both
ways, so that an addition without its docs, or docs of something removed, fails.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
import tomllib
from pathlib import Path

import click
import pytest

from indexer.document import Capture, Document
from indexer.search.response import API_RESULT_KEYS, SearchResponse
from tinphuong.config import ConfigError, load_config, parse_config
from webui import create_app
from webui.api import document_json

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
STAGES = ("tinphuong", "crawler", "indexer", "webui")
HEADING = re.compile(r"^(#{2,4}) (.+?)\s*$")
ROW_NAME = re.compile(r"^\| `([^`]+)`")


def sections(doc: str) -> dict[str, str]:
    """Heading text -> the text under it up to the next heading of any level (fenced code skipped)."""
    found: dict[str, list[str]] = {}
    current: list[str] = []
    fenced = False
    for line in (DOCS / doc).read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        heading = None if fenced else HEADING.match(line)
        if heading:
            current = found.setdefault(heading.group(2), [])
        else:
            current.append(line)
    return {title: "\n".join(lines) for title, lines in found.items()}


def row_names(text: str) -> list[str]:
    """The first cell of every table row, without its backticks (`--site NAME` -> `--site NAME`)."""
    return [match.group(1) for line in text.splitlines() if (match := ROW_NAME.match(line))]


def row_cells(text: str) -> dict[str, list[str]]:
    """Row name -> the row's cells."""
    return {name: [cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in text.splitlines() if (match := ROW_NAME.match(line)) for name in [match.group(1)]}


# --- docs/http-api.md --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(parse_config({}, tmp_path_factory.mktemp("docs") / "config.toml"),
                      test_config={"TESTING": True})


def test_every_route_has_a_section_and_every_section_a_route(app):
    served = {f"{method} {rule.rule}" for rule in app.url_map.iter_rules()
              for method in sorted(rule.methods - {"HEAD", "OPTIONS"})}
    documented = {title.strip("`") for title in sections("http-api.md")
                  if re.fullmatch(r"`[A-Z]+ /\S*`", title)}
    assert documented == served


def test_every_json_key_is_documented_in_its_route_section(app):
    docs = sections("http-api.md")
    empty = SearchResponse(query="", total=0, page=1, per_page=10, took_ms=0.0, suggestion=None)
    capture = Capture("2026-01-05T08:00:00Z", 200, "a.warc.gz", 0, 1)
    document = document_json(Document(url="https://a.example/", site="a", title="t", text="",
                                      captures=[capture]))
    expected = {
        "`GET /api/search`": [*empty.to_dict(), *API_RESULT_KEYS],
        "`GET /api/doc/<doc_id>`": [*document, *capture.to_dict()],
        "`GET /healthz`": list(app.test_client().get("/healthz").get_json()),
    }
    for route, keys in expected.items():
        documented = set(row_names(docs[route]))
        assert [key for key in keys if key not in documented] == [], route


# --- docs/cli.md -------------------------------------------------------------------------------------

def commands() -> dict[str, click.Command]:
    """`python -m <package> [<command>...]` -> the click command, for every stage with a __main__."""
    found: dict[str, click.Command] = {}

    def walk(name: str, command: click.Command) -> None:
        if isinstance(command, click.Group):
            for sub_name, sub in command.commands.items():
                walk(f"{name} {sub_name}", sub)
        else:
            found[name] = command

    for package in STAGES:
        if (ROOT / package / "__main__.py").exists():
            walk(f"python -m {package}", importlib.import_module(f"{package}.__main__").main)
    return found


def parameter_names(command: click.Command) -> set[str]:
    names = set()
    for param in command.params:
        if isinstance(param, click.Argument):
            names.add(param.human_readable_name)
        else:
            names.update(opt for opt in param.opts if opt.startswith("--") and opt != "--help")
    return names


def test_every_command_has_a_section_and_every_section_a_command():
    documented = {title.strip("`") for title in sections("cli.md")
                  if re.fullmatch(r"`python -m [^`]+`", title)}
    packages = {f"python -m {package}" for package in STAGES}        # the headings of each entry point
    assert set(commands()) <= documented
    assert documented - set(commands()) <= packages


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_option_is_documented_in_its_command_section(name):
    rows = {row.split()[0] for row in row_names(sections("cli.md")[f"`{name}`"])}
    assert {row for row in rows if row.startswith("--") or row.isupper()} == parameter_names(commands()[name])


# --- docs/configuration.md ---------------------------------------------------------------------------

UNKNOWN = {"zz-not-a-key": 1}
SITE = {"name": "a", "start_urls": ["https://a.example/"]}
# Section heading -> a raw configuration with an unknown key in that table.
TABLES = {
    "`[storage]`": {"storage": UNKNOWN},
    "`[crawl]`": {"crawl": UNKNOWN},
    "`[search]`": {"search": UNKNOWN},
    "`[[sites]]`": {"sites": [UNKNOWN]},
    "`[sites.selectors]`": {"sites": [SITE | {"selectors": UNKNOWN}]},
}


def accepted_keys(raw: dict) -> set[str]:
    """The keys the parser accepts in the table where `raw` has an unknown one, from its error message."""
    with pytest.raises(ConfigError) as error:
        parse_config(raw, Path("config.toml"))
    return set(re.search(r"expected one of: ([^)]*)\)", str(error.value)).group(1).split(", "))


def test_every_top_level_table_has_a_section():
    top = accepted_keys(UNKNOWN)
    assert {title for title in TABLES if "." not in title} == {f"`[[{t}]]`" if t == "sites" else f"`[{t}]`"
                                                                 for t in top}


@pytest.mark.parametrize("table", TABLES)
def test_every_key_of_a_table_is_documented_in_its_section(table):
    assert set(row_names(sections("configuration.md")[table])) == accepted_keys(TABLES[table])


@pytest.mark.parametrize("table", ["`[storage]`", "`[crawl]`", "`[search]`", "`[[sites]]`"])
def test_documented_defaults_are_the_code_defaults(tmp_path, table):
    config = parse_config({"sites": [SITE]}, tmp_path / "config.toml")
    loaded = {"`[storage]`": config.storage, "`[crawl]`": config.crawl, "`[search]`": config.search,
              "`[[sites]]`": config.sites[0]}[table]
    checked = 0
    for key, cells in row_cells(sections("configuration.md")[table]).items():
        literal = re.fullmatch(r"`(.+)`", cells[2])
        actual = getattr(loaded, key)
        if literal is None or dataclasses.is_dataclass(actual):
            continue                                   # "required", "the `name`", a sub-table
        value = tomllib.loads(f"value = {literal.group(1)}")["value"]
        if isinstance(actual, Path):
            value = tmp_path.resolve() / value
        elif isinstance(actual, tuple):
            value = tuple(value)
        assert value == actual, key
        checked += 1
    assert checked


def test_the_example_configuration_loads_and_shows_the_crawl_defaults():
    config = load_config(ROOT / "config.example.toml")
    assert config.crawl == type(config.crawl)()
    assert config.sites and config.search.abbreviations
