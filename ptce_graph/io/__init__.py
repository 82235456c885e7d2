"""Reading and writing: the format table, RDF files, CSV tables, the ontology, N-Triples lines, atomic writes."""
