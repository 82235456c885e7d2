"""The read-only SPARQL endpoint (``ptce-graph serve``)."""
