"""Reading and writing: the format table, RDF files, CSV tables, N-Triples lines, atomic writes."""
