"""The index writer's shortcut past Whoosh's Token stream yields what the analyzers yield."""

from __future__ import annotations

import unicodedata
from collections import defaultdict

import pytest
from whoosh.analysis import StandardAnalyzer

from indexer.analysis import analyzers, exact_analyzer, folded_analyzer, pairs_analyzer
from indexer.analysis.analyzers import pair_terms_function, term_positions_function
from indexer.analysis.tokenizer import token_spans

TEXTS = [
    "Hội nghị đảng viên\n\nChi bộ khu phố 3 tổ chức lễ kết nạp, theo Chỉ thị 10-CT/TW ngày 16/3/2023.",
    unicodedata.normalize("NFD", "Thủy hoà khoẻ ĐẢNG Viên; TP.HCM: 1.250.000 đồng (COVID-19)!"),
    "e-mail cb@phuong.gov.vn, https://phuong.gov.vn/tin?id=1. Q.1 – hết\u200b.",
    "", "   ", "a" * 250 + " b",
]


def chain_positions(analyzer, text: str) -> dict[str, list[int]]:
    """What Positions.word_values collects from the analyzer's Token stream."""
    found: dict[str, list[int]] = defaultdict(list)
    for token in analyzer(text, positions=True, boosts=True, mode="index"):
        if not token.stopped:
            found[token.text].append(token.pos)
    return dict(found)


@pytest.mark.parametrize("make", [exact_analyzer, folded_analyzer])
@pytest.mark.parametrize("text", TEXTS)
def test_term_positions_are_the_analyzer_chains(make, text):
    analyzer = make()
    assert term_positions_function(analyzer)(text) == chain_positions(analyzer, text)


@pytest.mark.parametrize("text", TEXTS)
def test_pair_terms_are_the_pairs_analyzers(text):
    analyzer = pairs_analyzer()
    assert pair_terms_function(analyzer)(text) == {token.text for token in analyzer(text, mode="index")}


def test_other_analyzers_get_no_shortcut():
    assert term_positions_function(pairs_analyzer()) is None
    assert term_positions_function(StandardAnalyzer()) is None
    assert pair_terms_function(exact_analyzer()) is None
    assert pair_terms_function(StandardAnalyzer()) is None


@pytest.mark.parametrize("first, second", [(exact_analyzer, folded_analyzer),
                                           (folded_analyzer, exact_analyzer)])
def test_a_text_s_exact_and_folded_terms_come_from_one_walk_over_its_tokens(monkeypatch, first, second):
    """Every text is indexed in an exact and a folded field: the second field reuses the first's walk."""
    cuts = []
    monkeypatch.setattr(analyzers, "token_spans", lambda value: cuts.append(value) or token_spans(value))
    text = "".join(TEXTS[:3])             # a new string: nothing of it is remembered yet

    found = [term_positions_function(make())(text) for make in (first, second)]

    assert found == [chain_positions(make(), text) for make in (first, second)]
    assert cuts == [text]
    term_positions_function(first())(text[:-1])        # another text is walked again
    assert cuts == [text, text[:-1]]
