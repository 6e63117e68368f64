"""Starting the extraction workers' server process early, before this process needs it.

The workers fork from a server process (multiprocessing's forkserver) that loads the
extraction modules (pypdf, PDFium, the analysis) once. Started at the first worker, that
takes about half a second during which the import waits; started when the command begins,
it loads them while this process loads its own modules and opens the home, in parallel on
another core (for an import of a few hundred small files, a tenth of its time; issue 23).
This module imports nothing of the archive, so that starting the server costs nothing more.
"""

from __future__ import annotations

import multiprocessing

# What the server loads before it forks each worker (indexer.ingest.workers.ExtractionPool).
PRELOAD = ["indexer.ingest.workers"]


def start_worker_server() -> None:
    """Start the workers' server now, where workers are started that way (Linux, macOS), so
    that it loads :data:`PRELOAD` while the caller goes on; nothing when it runs already."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return
    from multiprocessing import forkserver

    forkserver.set_forkserver_preload(PRELOAD)
    forkserver.ensure_running()
