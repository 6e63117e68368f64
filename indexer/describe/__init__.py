"""Describing a paper: title, authors, year, venue, abstract, and how sure we are of them.

``header`` reads the first page's layout, ``metadata`` holds the heuristics over a PDF's
own metadata and text, ``metadata_file`` reads staff's CSV and BibTeX files,
``crossref`` asks Crossref by DOI, and ``curation_queue`` lists the papers whose
description is weakest for the staff dashboard.

May import: ``archive``, the index core and the engine. ``curation_queue`` alone also
imports ``indexer.ingest.ocr`` (which pages are scans). Never the worker pool (the
ingest modules call these, not the other way), the command line or the web.
"""
