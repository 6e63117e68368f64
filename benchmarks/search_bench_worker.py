"""The "before" side of ``benchmarks.search_bench``: searches timed in a process of its own,
with the code of another revision.

    PYTHONPATH=<a checkout of REV> python benchmarks/search_bench_worker.py INDEX_DIR

Run as a script (not ``-m``), so that ``indexer`` is imported from ``PYTHONPATH`` (the other
revision's checkout, which comes before this tree's editable install on ``sys.path``). Reads
one JSON object a line on stdin, ``{"query", "filters", "public", "answers"}`` (``filters``:
keyword arguments of ``Filters.build`` or null), searches the index as ``search_bench`` does
(a first page of 10 results with snippets and facets), and writes one JSON line back:
``{"ms", "total", "ids", "answers"}``: the time of the search alone, in-process, and what it
found, so that the two revisions' results can be compared too.
"""

from __future__ import annotations

import inspect
import json
import sys
import time
from pathlib import Path


def main() -> int:
    from indexer.engine.facets import Filters
    from indexer.engine.search import search
    from indexer.index import SearchIndex

    index = SearchIndex(Path(sys.argv[1]))
    accepted = set(inspect.signature(search).parameters)
    print(json.dumps({"ready": True, "code": str(Path(inspect.getfile(search)).parent)}))
    sys.stdout.flush()
    for line in sys.stdin:
        asked = json.loads(line)
        filters = Filters.build(**asked["filters"]) if asked["filters"] else None
        options = {"public": asked["public"], "answers": asked["answers"]}
        options = {name: value for name, value in options.items() if name in accepted}
        started = time.perf_counter()
        results = search(index, asked["query"], filters=filters, facets=True, **options)
        elapsed = (time.perf_counter() - started) * 1000
        answers = [answer.id for answer in getattr(results, "answers", [])]
        found = {"ms": elapsed, "total": results.total, "answers": answers}
        found["ids"] = [hit.id for hit in results.hits]
        print(json.dumps(found))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
