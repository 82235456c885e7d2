"""Reference paths for ``tests/test_fast_paths.py``: the rdflib ingest, rdflib's serialisers and
rdflib's SPARQL engine that the fast paths replaced. The benchmark no longer uses them (its
naive baseline is the package at commit fec0978, from git history); they stay only as the
oracles the fast paths are checked equal to."""
