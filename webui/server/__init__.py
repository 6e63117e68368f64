"""Serving under load: waitress with logs and SIGTERM (``serving``), bodies and slow
clients refused early (``guards``), quick requests served before waiting searches
(``queueing``), rate limits and 429/503 answers (``throttle``),
long downloads spooled off the threads (``export_spool``), usage counted off the
request (``usage``), and ``/healthz`` (``health``).

May import: ``archive``, ``indexer`` (never ``indexer.cli``) and the helpers at the top
of ``webui`` (``serving`` imports the app factory to serve it). Never ``webui.public``
or ``webui.staff``.
"""
