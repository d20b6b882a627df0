"""The soak's rebuild comparison: the same results in the same order, near ties in either order."""

from __future__ import annotations

from tests.soak.archive import same_order


def test_scores_a_little_apart_in_the_same_order_agree():
    nightly = [("a", 235.957), ("b", 92.291), ("c", 92.178), ("d", 89.67)]
    rebuilt = [("a", 234.433), ("b", 91.647), ("c", 91.631), ("d", 88.947)]
    assert same_order(nightly, rebuilt)


def test_only_near_ties_may_swap():
    assert same_order([("a", 10.0), ("b", 9.999)], [("b", 10.0), ("a", 9.9995)])
    assert not same_order([("a", 10.0), ("b", 9.0)], [("b", 10.0), ("a", 9.0)])
    assert not same_order([("a", 10.0), ("b", 9.999)], [("b", 10.0), ("a", 9.0)])   # apart in one index


def test_other_documents_disagree():
    assert not same_order([("a", 10.0), ("b", 9.0)], [("a", 10.0), ("c", 9.0)])
    assert not same_order([("a", 10.0)], [("a", 10.0), ("b", 9.0)])
