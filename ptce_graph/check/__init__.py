"""Checks of a graph: SHACL validation (the compiled engine and pySHACL), likely duplicates."""
