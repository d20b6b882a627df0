"""The configuration contract: defaults, relative paths, and one-line errors naming file and key."""

from pathlib import Path

import pytest

from tinphuong.config import ENV_VAR, ConfigError, load_config

MINIMAL = """
[[sites]]
name = "ben-nghe"
title = "Phường Bến Nghé"
start_urls = ["https://BenNghe.example.gov.vn/"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_config_gets_documented_defaults(tmp_path):
    config = load_config(write(tmp_path, MINIMAL))
    site = config.site("ben-nghe")
    assert site.title == "Phường Bến Nghé"
    assert site.allowed_hosts == ("bennghe.example.gov.vn",)
    assert (site.max_pages, site.revisit_days) == (20000, 30)
    assert config.crawl.delay_seconds == 1.0 and config.crawl.concurrency == 8
    assert config.crawl.max_bytes == 10_000_000
    assert config.storage.index_dir == tmp_path.resolve() / "index"
    assert config.storage.archive_dir == tmp_path.resolve() / "archive"


def test_requisite_and_attachment_settings_have_defaults_and_can_be_set(tmp_path):
    crawl = load_config(write(tmp_path, MINIMAL)).crawl
    assert (crawl.requisites, crawl.attachments) == (True, True)
    assert crawl.requisite_max_bytes < crawl.max_bytes < crawl.attachment_max_bytes
    assert crawl.requisite_revisit_days == 90
    assert load_config(write(tmp_path, MINIMAL)).sites[0].requisite_hosts == ()
    text = ("[crawl]\nrequisites = false\nrequisite_max_bytes = 2048\nattachment_max_bytes = 64_000_000\n"
            + MINIMAL + 'requisite_hosts = ["Static.HCMC.gov.vn"]\n')
    config = load_config(write(tmp_path, text))
    assert (config.crawl.requisites, config.crawl.requisite_max_bytes) == (False, 2048)
    assert config.crawl.attachment_max_bytes == 64_000_000
    assert config.sites[0].requisite_hosts == ("static.hcmc.gov.vn",)


def test_storage_paths_are_relative_to_the_config_file_not_the_cwd(tmp_path, monkeypatch):
    sub = tmp_path / "etc"
    sub.mkdir()
    path = write(sub, '[storage]\nindex_dir = "data/idx"\narchive_dir = "/srv/arch"\n' + MINIMAL)
    monkeypatch.chdir(tmp_path)
    config = load_config(path)
    assert config.storage.index_dir == sub.resolve() / "data" / "idx"
    assert config.storage.archive_dir == Path("/srv/arch")


def test_path_resolution_order(tmp_path, monkeypatch):
    chosen = write(tmp_path, MINIMAL)
    other = tmp_path / "other.toml"
    other.write_text(MINIMAL.replace("ben-nghe", "da-kao"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_config().site_names == ["ben-nghe"]          # ./config.toml
    monkeypatch.setenv(ENV_VAR, str(other))
    assert load_config().site_names == ["da-kao"]            # $TINPHUONG_CONFIG
    assert load_config(chosen).site_names == ["ben-nghe"]    # --config wins


def test_selectors_and_abbreviations_are_read(tmp_path):
    extra = ('[sites.selectors]\nbody = "div.entry"\n'
             '[search.abbreviations]\nBQL = "Ban quản lý"\nTDP = ["tổ dân phố", "tổ DP"]\n')
    config = load_config(write(tmp_path, MINIMAL + extra))
    assert config.sites[0].selectors.body == "div.entry"
    assert config.sites[0].selectors.title is None
    assert config.search.abbreviations == {"BQL": ("Ban quản lý",), "TDP": ("tổ dân phố", "tổ DP")}


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ("[[sites]]\nname = 3\n", "sites[0].name", "non-empty string"),
        ('[[sites]]\nname = "Bến Nghé"\nstart_urls = ["http://x.vn/"]\n', "sites[0].name", "lowercase"),
        ('[[sites]]\nname = "a"\n', "sites.a.start_urls", "at least one URL"),
        ('[[sites]]\nname = "a"\nstart_urls = ["ftp://x.vn/"]\n', "sites.a.start_urls", "not an http(s) URL"),
        ('[crawl]\ndelay_seconds = -1\n', "crawl.delay_seconds", "at least 0"),
        ('[crawl]\ndelay_seconds = "slow"\n', "crawl.delay_seconds", "must be a number"),
        ('[crawl]\nmax_bytes = 1.5\n', "crawl.max_bytes", "integer"),
        ('[crawl]\nconcurrency = 0\n', "crawl.concurrency", "at least 1"),
        ('[crawl]\nconcurrency = 2.5\n', "crawl.concurrency", "integer"),
        ('[crawl]\ndelay = 1\n', "crawl.delay", "unknown key"),
        ('[storage]\nindex = "x"\n', "storage.index", "unknown key"),
        ("sites = 1\n", "sites", "array of tables"),
        ('[search.abbreviations]\nBQL = []\n', "search.abbreviations.BQL", "long form"),
        (MINIMAL + MINIMAL, "sites.name", "duplicate site name 'ben-nghe'"),
        (MINIMAL + "max_pages = 0\n", "sites.ben-nghe.max_pages", "at least 1"),
        ('[crawl]\nrequisites = "yes"\n', "crawl.requisites", "true or false"),
        ('[crawl]\nattachments = 1\n', "crawl.attachments", "true or false"),
        ('[crawl]\nrequisite_max_bytes = 100\n', "crawl.requisite_max_bytes", "at least 1024"),
        ('[crawl]\nattachment_max_bytes = 100_000_000\n', "crawl.attachment_max_bytes", "at most 64000000"),
        ('[crawl]\nrequisite_revisit_days = 0\n', "crawl.requisite_revisit_days", "at least 1"),
        (MINIMAL + 'requisite_hosts = "cdn.vn"\n', "sites.ben-nghe.requisite_hosts", "list of non-empty"),
    ],
)
def test_invalid_values_give_one_line_errors_naming_file_and_key(tmp_path, text, key, problem):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {key}: ")
    assert problem in message
    assert "\n" not in message


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_config(tmp_path / "absent.toml")
    with pytest.raises(ConfigError, match=r"invalid TOML"):
        load_config(write(tmp_path, "[[sites]\nname = \n"))
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError):
        load_config(tmp_path / "bin.toml")


def test_unknown_site_lookup_names_the_known_ones(tmp_path):
    config = load_config(write(tmp_path, MINIMAL))
    with pytest.raises(ConfigError, match="no site named 'x'.*ben-nghe"):
        config.site("x")
