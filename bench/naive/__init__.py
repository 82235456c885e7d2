"""The naive pipeline the benchmark compares with: rdflib's memory store, pyshacl's defaults,
plain NetworkX (as ptce-graph did it before its fast path, commit fec0978)."""
