"""The web pages and their JSON: runs, candidates, lineage, annotations, human edits, reviewer links."""
