"""The held-out split is a stable partition, and its per-query results are never shown."""

from __future__ import annotations

import json

import pytest

from benchmarks import eval_typing
from benchmarks.corpus import Article
from benchmarks.holdout import (
    HELDOUT,
    TUNING,
    HeldOutRefusal,
    check_per_query_output,
    part_of,
    record_look,
    select,
)
from tests.benchmarks.ward_news import WARD_NEWS, corpus


def articles(count: int) -> list[Article]:
    return [Article(str(20_000_000 + 7 * n), f"Tiêu đề {n}", "", "Nội dung") for n in range(count)]


def test_the_split_is_a_partition_of_about_equal_halves():
    corpus = articles(4000)
    tuning, heldout = select(corpus, TUNING), select(corpus, HELDOUT)
    assert {a.id for a in tuning}.isdisjoint(a.id for a in heldout)
    assert len(tuning) + len(heldout) == len(corpus)
    assert 0.45 < len(heldout) / len(corpus) < 0.55


def test_an_article_keeps_its_part_whatever_else_is_in_the_corpus():
    corpus = articles(300)
    alone = {a.id: select([a], part_of(a.id)) == [a] for a in corpus}
    assert all(alone.values())
    shuffled = list(reversed(corpus))
    assert [a.id for a in select(shuffled, HELDOUT)] == [a.id for a in reversed(select(corpus, HELDOUT))]


def test_per_query_output_is_refused_for_the_held_out_part_only():
    check_per_query_output(TUNING, 5)
    check_per_query_output(HELDOUT, 0)
    with pytest.raises(HeldOutRefusal):
        check_per_query_output(HELDOUT, 1)


def test_the_command_line_refuses_failures_of_the_held_out_split(capsys):
    with pytest.raises(SystemExit) as exit_status:
        eval_typing.parse_args(["--split", "heldout", "--show-failures", "3"])
    assert exit_status.value.code == 2
    assert "held-out" in capsys.readouterr().err
    assert eval_typing.parse_args(["--split", "tuning", "--show-failures", "3"]).show_failures == 3


def test_the_split_must_be_chosen(capsys):
    with pytest.raises(SystemExit):
        eval_typing.parse_args([])
    assert "--split" in capsys.readouterr().err


def test_each_held_out_look_is_counted(tmp_path):
    assert record_look(tmp_path, "abc1234", {"body_nodiac": 0.9}) == 1
    assert record_look(tmp_path, "abc1234", {"body_nodiac": 0.91}) == 2
    lines = (tmp_path / "heldout-looks.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["summary"]["body_nodiac"] for line in lines] == [0.9, 0.91]


def test_tuning_queries_are_kept_and_held_out_queries_never_are(tmp_path):
    articles = corpus(WARD_NEWS)
    options = ["--work-dir", str(tmp_path), "--corpus", str(tmp_path / "none.jsonl.gz"), "--queries", "6",
               "--exactness", "1"]
    tuning = eval_typing.parse_args(["--split", "tuning", *options])
    made = eval_typing.make_queries(articles, tuning)
    kept = list(tmp_path.iterdir())
    assert made[0] and [p.name[:len("queries-")] for p in kept] == ["queries-"]
    assert eval_typing.make_queries([], tuning) == made          # read back, not made again
    heldout = eval_typing.parse_args(["--split", "heldout", *options])
    assert eval_typing.make_queries(articles, heldout)[0]
    assert list(tmp_path.iterdir()) == kept
