"""The soak: a month of nightly refreshes while staff search, on generated ward sites that change.

`Soak(root, Plan(...)).run()` serves three evolving sites (`tests.wardsite`, two styles), starts
`python -m webui` and a load generator in processes of their own, and runs one real `python -m
crawler refresh` per simulated night, some killed with SIGKILL or starved of disk space; after
each night it checks the index and the archive against the sites' ground truth, and at the end
a rebuild. The short form runs in the test suite (`-m soak`); `benchmarks/soak.py` runs the
month and prints the table.

Inside: `world` (sites, configuration, calendar, which article a URL shows), `refresh` (one
night, and the kill), `disk` (the data disk that fills up), `webui` and `load` (staff),
`queries` (what they type), `promises` (what a night must have found), `documents` and
`archive` (the checks), `findings` (their verdicts), `scenario` (the nights in order).
"""
