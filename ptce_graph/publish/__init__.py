"""What ptce-graph writes: RDF exports and the main build job."""
