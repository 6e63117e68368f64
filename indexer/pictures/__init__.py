"""Pictures of papers: first-page thumbnails and page previews with the words highlighted.

``page_images`` draws them with PDFium (pypdfium2), only ever in a worker process:
``page_render_worker`` is the web app's preview worker, ``preview_cache`` keeps drawn
previews on disk within a cap, and ``thumbnails`` draws the thumbnails papers lack
(``archive thumbnails``, ``archive verify --repair``, ``archive serve`` at start).

May import: ``archive``, the index core and the engine (the words to highlight).
``thumbnails`` alone also imports ``indexer.ingest.workers`` (it draws in the import's
worker pool). Never the command line or the web.
"""
