"""Fixtures of the web UI tests: one real archive and index per session, the app over them."""

from __future__ import annotations

import os

import pytest

from tests.webui.browser_requirement import CHROMIUM, missing_browser_parts, require_browser
from tests.webui.edited_site import EditedSite, build_edited_site
from tests.webui.listing_corpus import ListingCorpus, build_listing_corpus
from tests.webui.webui_corpus import Corpus, build_corpus
from webui import create_app


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Corpus:
    return build_corpus(tmp_path_factory.mktemp("webui"))


@pytest.fixture(scope="session")
def app(corpus):
    return create_app(corpus.config, test_config={"TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def edited(tmp_path_factory) -> EditedSite:
    """An article crawled before and after an edit (three real crawls of a loopback site), indexed."""
    return build_edited_site(tmp_path_factory.mktemp("edited"))


@pytest.fixture()
def edited_client(edited):
    return create_app(edited.config, test_config={"TESTING": True}).test_client()


@pytest.fixture(scope="session")
def listing(tmp_path_factory) -> ListingCorpus:
    return build_listing_corpus(tmp_path_factory.mktemp("listing"))


@pytest.fixture(scope="session")
def listing_app(listing):
    return create_app(listing.config, test_config={"TESTING": True})


@pytest.fixture()
def listing_client(listing_app):
    return listing_app.test_client()


@pytest.fixture(scope="module")
def browser_present():
    """For browser tests, before their server is built: skip, or in CI fail, when Chromium or Playwright
    is missing."""
    require_browser(missing_browser_parts(CHROMIUM), os.environ)
