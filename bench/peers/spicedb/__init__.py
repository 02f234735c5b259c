"""SpiceDB, side by side with mutuals: ``python -m bench.peers.spicedb --size S`` (`make bench-peers`).

- ``schema``: the schema text and the translation of the benchmark's graph files into tuples (pure);
- ``server``: a throw-away PostgreSQL cluster and a ``spicedb serve`` on it, both on 127.0.0.1;
- ``run``: load both, check that they agree, measure in alternating slices, write the figures.
"""
