"""Oracles for ``tests/publish/test_fast_paths.py``: rdflib's serialisers and rdflib's SPARQL engine,
which the fast writers and the Oxigraph store are checked equal to. Plain rdflib calls, not
copies of the package (the CSV reader is checked by its known-answer tests)."""
