"""Reading PDFs into the archive: files, folders, zips and web uploads, in worker processes.

``importer`` (``archive import``) and ``uploads`` (the web's uploads) list what to read,
skip what was read before (``import_state``, ``inputs``) and hand each PDF to the worker
pool (``workers``: a time and a memory limit per file), where ``extract`` reads its text
and metadata with pypdf, ``ocr`` reads scanned pages and ``pdf_scripts`` notes
JavaScript; then the paper is stored in the library and indexed. ``refresh`` runs the
same pool over papers already imported (``archive refresh-metadata``).

May import: ``archive``, the index core (``indexer.*`` modules at the top), the engine,
``indexer.describe`` (what a paper's description is made from) and ``indexer.pictures``
(the thumbnail drawn while a PDF is read). Never the command line or the web.
"""
