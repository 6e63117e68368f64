"""``python -m indexer`` is the ``archive`` command."""

from indexer.cli import main

main()
