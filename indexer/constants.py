"""Values the library defines and the ``archive`` command shows in its help (choices, defaults).

They live in this module, which imports nothing, so that defining the commands stays cheap:
``archive --help`` must not load the search engine, the PDF reader or the worker pool only to
print a default (issue 28). The modules that use them import them from here under their old
names (``indexer.engine.search.SORTS``, ``indexer.ingest.workers.DEFAULT_TIMEOUT_S``, ...).
"""

from __future__ import annotations

# Orders of search results (indexer.engine.search).
SORTS = ("relevance", "newest", "oldest", "title")
# An export of more papers than this is refused unless asked for (indexer.export).
DEFAULT_MAX_PAPERS = 500
# The extraction workers' limits (indexer.ingest.workers.Limits).
DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MEMORY_MB = 2048
# The columns of a metadata CSV file (indexer.describe.metadata_file).
CSV_COLUMNS = (
    "file", "title", "authors", "year", "doi", "tags", "abstract", "type", "access", "embargo",
)  # fmt: skip
# `archive compact` (indexer.merging): the most one step merges, and the pause between steps
# in which an upload or an import's commit takes the index's lock.
COMPACT_STEP_MB = 300.0
COMPACT_PAUSE_S = 5.0
