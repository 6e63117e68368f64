"""Turning PDFs into searchable text, the full-text index, and the command line."""
