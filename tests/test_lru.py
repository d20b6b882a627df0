"""The bounded LRU cache every per-process cache is built on."""

from __future__ import annotations

import threading

from tinphuong.lru import LruCache


def test_a_value_is_computed_once_and_the_least_recently_used_goes_first():
    calls: list[str] = []
    cache: LruCache[str] = LruCache(2)

    def compute(key: str):
        return lambda: calls.append(key) or key.upper()

    assert cache.get("a", compute("a")) == "A" and cache.get("b", compute("b")) == "B"
    assert cache.get("a", compute("a")) == "A"            # remembered: "a" is now the most recent
    cache.get("c", compute("c"))                          # evicts "b", the least recently used
    assert len(cache) == 2
    cache.get("a", compute("a"))
    cache.get("b", compute("b"))
    assert calls == ["a", "b", "c", "b"]
    cache.clear()
    assert len(cache) == 0


def test_none_is_a_value_and_threads_share_the_cache():
    cache: LruCache[None] = LruCache(8)
    calls: list[int] = []
    assert cache.get("nothing", lambda: calls.append(1)) is None
    assert cache.get("nothing", lambda: calls.append(2)) is None and calls == [1]
    answers: list[int] = []
    threads = [threading.Thread(target=lambda n=n: answers.append(cache.get(n % 4, lambda n=n: n % 4)))
               for n in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(answers)) == [0, 1, 2, 3] and len(answers) == 64 and len(cache) == 5
