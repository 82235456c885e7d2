"""The vocabulary: namespaces, ontology terms and code lists, identifiers, territories."""
