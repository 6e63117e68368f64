"""A pypdf reader that reads the objects of an object stream one at a time, as they are asked for.

pypdf 6.x-7.x parses *every* object of an object stream the first time any one of them is
asked for (so that a file resolving its objects one by one is not quadratic). A PDF packing
65,000 objects in one stream then costs 300 MB and seven seconds before its first page is
read, though a page needs a few dozen of them (pdf.js's ``bug1978317.pdf``; the import of the
odd-PDF set peaked at 742 MB for that file alone). This reader keeps, per object stream, its
decoded bytes and the table of where each object starts (read once, so still linear), and
parses only the object asked for.

It replaces one private method of :class:`pypdf.PdfReader`; ``tests/test_pdf_reader.py``
fails if a pypdf release stops calling it, and ``pyproject.toml`` bounds pypdf's version.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from pypdf import PdfReader
from pypdf._utils import read_non_whitespace
from pypdf.errors import PdfReadError
from pypdf.generic import IndirectObject, NullObject, NumberObject, PdfObject, read_object

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _ObjectStream:
    """An object stream's decoded bytes and where each of its objects starts in them."""

    data: bytes
    starts: dict[int, int]


class PdfFileReader(PdfReader):
    """:class:`pypdf.PdfReader` parsing the objects of object streams lazily (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._object_streams: dict[int, _ObjectStream | None] = {}
        super().__init__(*args, **kwargs)

    def _get_object_from_stream(self, indirect_reference: IndirectObject) -> PdfObject:
        number = indirect_reference.idnum
        stream_number, _ = self.xref_objStm[number]
        if stream_number not in self._object_streams:
            self._object_streams[stream_number] = self._read_object_stream(stream_number)
        stream = self._object_streams[stream_number]
        if stream is None:
            # A header this reader does not trust: pypdf's own reading, with its warnings
            # and repairs, decides.
            return super()._get_object_from_stream(indirect_reference)
        start = stream.starts.get(number)
        if start is None:
            return NullObject()
        data = BytesIO(stream.data)
        data.seek(start)
        read_non_whitespace(data)
        data.seek(-1, 1)
        try:
            value = read_object(data, self)
        except (PdfReadError, ValueError) as error:
            log.info("object %d of object stream %d: %r", number, stream_number, error)
            value = NullObject()
        # pypdf's get_object leaves caching objects of object streams to this method.
        self.cache_indirect_object(0, number, value)
        return value

    def _read_object_stream(self, stream_number: int) -> _ObjectStream | None:
        """The decoded stream and its table of objects, or None when the header is not plain
        (missing or odd /N and /First, offsets out of order or out of the stream)."""
        if stream_number in self.xref_objStm:  # an object stream inside an object stream
            return None
        try:
            stream: Any = IndirectObject(stream_number, 0, self).get_object()
            data = stream.get_data()
            count, first = stream.get("/N"), stream.get("/First")
            if not isinstance(count, NumberObject) or not isinstance(first, NumberObject):
                return None
            header = data[: int(first)].split()
        except Exception as error:  # pypdf raises many types on damaged streams
            log.info("object stream %d: %r", stream_number, error)
            return None
        if int(count) < 0 or len(header) != 2 * int(count) or not 0 <= first <= len(data):
            return None
        starts: dict[int, int] = {}
        previous = -1
        for number, offset in zip(header[::2], header[1::2], strict=True):
            if not (number.isdigit() and offset.isdigit()):
                return None
            start = int(first) + int(offset)
            if start <= previous or start > len(data):
                return None
            previous = start
            # An object an incremental update replaced is read from its newer place.
            if self.xref_objStm.get(int(number), (None,))[0] == stream_number:
                starts.setdefault(int(number), start)
        return _ObjectStream(data, starts)
