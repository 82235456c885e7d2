"""SPARQL: the canned-query catalogue, safe local runs, remote endpoints."""
