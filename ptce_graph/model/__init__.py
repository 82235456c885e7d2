"""The vocabulary: namespaces, ontology terms, identifiers, territories (the ontology files are read by
:mod:`ptce_graph.io.vocabulary`)."""
