"""The ``archive`` command: one click group (``main``) and a module per group of commands.

``main`` is the group and registers every command; ``importing`` (import,
refresh-metadata), ``searching`` (search, thesaurus, export), ``papers`` (show, remove),
``upkeep`` (reindex, verify, backup, restore, stats), ``serve``, ``users``,
``questions`` and ``thumbnails`` hold the commands; ``options`` what several share;
``startup`` keeps Whoosh's unused imports out of a command's start.

May import anything in ``indexer`` and ``archive``, at the top only what is light (see
``main``). ``serve`` alone imports ``webui``; nothing outside this package (but
``indexer/__main__.py``) imports it.
"""
