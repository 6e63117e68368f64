"""Turning PDFs into searchable text, the full-text index, and the command line.

The modules at this level are the index core, which everything else builds on: the analyzer
(``analysis``), the schema, text normalisation, the home (library and index side by side),
the index, its merge policy (``merging``) and its background syncer, published answers,
recent papers, exports, ``verify``, and ``concurrency`` (what worker processes and background
threads share). Around it, a
package per job: ``ingest`` (reading PDFs in), ``describe`` (a paper's metadata),
``pictures`` (thumbnails and previews), ``engine`` (searching) and ``cli`` (the ``archive``
command).

The core imports ``archive`` and ``indexer.engine`` only (the engine imports the core back);
``verify`` alone also uses the rooms' tools (``--repair`` extracts text again and draws
thumbnails). Nothing in ``indexer`` imports ``webui`` but ``indexer.cli.serve``.
"""
