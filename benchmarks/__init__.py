"""Benchmarks and the search-quality evaluation; they read ../shared/corpus at run time, never tests."""
