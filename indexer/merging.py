"""Which segments a commit merges (issue 23): a capped, tiered policy for ordinary commits, and
the bounded steps of ``archive compact`` for the merges larger than that.

Every commit writes a new segment; Whoosh's default policy (``MERGE_SMALL``) then decides which
old segments the commit merges into it. That policy has no cap: on a 300,000-page index an
import's commit merged the large segments too and held the index's single writer lock for
241 s, while a web upload gives up after ``WRITE_TIMEOUT_S`` (120 s). Here an ordinary commit
merges only segments of about the same size (a few at a time), never reads more than
``MERGE_CAP_MB`` in one merge, and leaves alone a segment too large to be merged with another
of its size under that cap. Those large segments are merged later by ``archive compact``
(``SearchIndex.compact_step``), one bounded merge per lock, when the site is quiet.

Sizes: a segment's *bytes* are its files on disk (what a merge reads, so about its time:
merging reads and writes ~3.8 MB of index a second of CPU, on the development machine); its
*tier* comes from its live document count, which adds up exactly when segments merge (bytes
shrink by a varying amount as term dictionaries are shared), so four segments of one tier
make one of the next.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh.index import TOC

# The most one step of `archive compact` reads (~80 s of CPU): its merges are larger than an
# ordinary commit's, and it runs when the site is quiet.
from indexer.constants import COMPACT_STEP_MB

# The most one ordinary commit's merge reads: ~40 s of CPU on the development machine. A
# commit (with its own batch, ~7 s more) then stays under the 120 s an upload waits for the
# lock even while an import's workers keep the cores busy and the commit gets half a core
# (with a cap of 200 MB, bench-growth's commit merging 164 MB took 92 s at load 5-7).
MERGE_CAP_MB = 150.0
# How many segments of one tier an ordinary commit merges into one (and so how many of a tier
# may pile up before it does: fewer means fewer segments to search, more rewriting).
SEGMENTS_PER_TIER = 4
# A segment of fewer live documents than this (one upload, a small import) counts as this
# many: an import's batch of 1,000 pages is about 1,060 documents.
TIER_FLOOR_DOCS = 1_000
# A segment with this share of its documents deleted (papers indexed again, removed) is
# rewritten by `archive compact` even alone, to give the space and search time back.
EXPUNGE_DELETED = 0.2

MB = 1_000_000


@dataclass(frozen=True)
class SegmentSize:
    """A segment of the index with what the merge policies weigh."""

    segment: Any  # whoosh.codec.base.Segment
    bytes: int  # its files on disk
    docs: int  # live documents
    all_docs: int  # documents, deleted ones included

    @property
    def live_bytes(self) -> float:
        """Its bytes less the deleted documents' share: about what merging it leaves."""
        return self.bytes * self.docs / self.all_docs if self.all_docs else 0.0

    @property
    def deleted_share(self) -> float:
        """The share of its documents that are deleted."""
        return 1 - self.docs / self.all_docs if self.all_docs else 0.0


def segment_sizes(storage: Any, indexname: str, segments: Sequence[Any]) -> list[SegmentSize]:
    """Each of ``segments`` with its size on disk and its document counts."""
    pattern = TOC._segment_pattern(indexname)
    on_disk: dict[str, int] = {}
    for name in storage.list():
        if match := pattern.match(name):
            try:
                length = storage.file_length(name)
            except OSError:  # deleted meanwhile (a retired generation's file)
                continue
            on_disk[match.group(1)] = on_disk.get(match.group(1), 0) + length
    return [
        SegmentSize(
            segment=segment,
            bytes=on_disk.get(segment.segment_id(), 0),
            docs=segment.doc_count(),
            all_docs=segment.doc_count_all(),
        )
        for segment in segments
    ]


def tier(docs: int, per_tier: int = SEGMENTS_PER_TIER, floor: int = TIER_FLOOR_DOCS) -> int:
    """The tier of a segment of ``docs`` live documents: 0 up to about ``floor`` documents,
    then one more each time the count is ``per_tier`` times larger. Rounded, not truncated,
    so that four segments of a bit under 1,000 documents make a tier-1 segment."""
    return max(0, round(math.log(max(docs, floor) / floor, per_tier)))


def choose_tiered(
    sizes: Sequence[SegmentSize],
    cap_bytes: float = MERGE_CAP_MB * MB,
    per_tier: int = SEGMENTS_PER_TIER,
    floor: int = TIER_FLOOR_DOCS,
) -> list[SegmentSize]:
    """The segments an ordinary commit merges: ``per_tier`` segments of the lowest tier that
    has that many, the smallest of it, together reading at most ``cap_bytes``; or none.

    A segment whose live bytes are more than half the cap is left out (it is *full*: merged
    with one of its size the merge would pass the cap); :func:`choose_compact` merges those.
    One merge at most per commit, so what a commit costs is bounded by the cap.
    """
    open_segments = [s for s in sizes if s.live_bytes <= cap_bytes / 2]
    by_tier: dict[int, list[SegmentSize]] = {}
    for size in sorted(open_segments, key=lambda s: (s.docs, s.bytes)):
        by_tier.setdefault(tier(size.docs, per_tier, floor), []).append(size)
    for _, members in sorted(by_tier.items()):
        if len(members) < per_tier:
            continue
        chosen = members[:per_tier]
        while len(chosen) > 1 and sum(s.bytes for s in chosen) > cap_bytes:
            chosen.pop()  # the largest: what is left is still of one tier
        if len(chosen) > 1:
            return chosen
    return []


def choose_compact(
    sizes: Sequence[SegmentSize],
    step_bytes: float = COMPACT_STEP_MB * MB,
    expunge: float = EXPUNGE_DELETED,
) -> list[SegmentSize]:
    """The segments one step of ``archive compact`` merges: the smallest segments, as many as
    fit in ``step_bytes`` together (at least two); else one segment of at most ``step_bytes``
    with ``expunge`` or more of its documents deleted, rewritten without them; else none.

    Each step leaves one segment fewer (or one without deletions), so the steps end, and the
    index is left with segments each more than half of ``step_bytes`` (or alone).
    """
    chosen: list[SegmentSize] = []
    total = 0
    for size in sorted(sizes, key=lambda s: (s.live_bytes, s.bytes)):
        if total + size.bytes > step_bytes:
            break
        chosen.append(size)
        total += size.bytes
    if len(chosen) > 1:
        return chosen
    wasteful = [s for s in sizes if s.deleted_share >= expunge and s.bytes <= step_bytes]
    return [max(wasteful, key=lambda s: s.bytes - s.live_bytes)] if wasteful else []


def merge_chosen(writer: Any, segments: list[Any], chosen: Sequence[SegmentSize]) -> list[Any]:
    """Merge the ``chosen`` of ``segments`` into the segment ``writer`` commits (as Whoosh's
    own policies do, through ``add_reader``); the segments kept, in their order."""
    from whoosh.reading import SegmentReader

    ids = {size.segment.segment_id() for size in chosen}
    kept = []
    for segment in segments:
        if segment.segment_id() in ids:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()  # merge_in_order keeps it open until the new segment is written
        else:
            kept.append(segment)
    return kept


@dataclass(frozen=True)
class TieredMerge:
    """The merge policy of ordinary commits (a ``mergetype`` for Whoosh's ``commit``): see
    :func:`choose_tiered`. ``merged`` is told what was merged (for tests and benchmarks)."""

    cap_mb: float = MERGE_CAP_MB
    per_tier: int = SEGMENTS_PER_TIER
    floor_docs: int = TIER_FLOOR_DOCS
    merged: Callable[[list[SegmentSize]], None] | None = None

    def __call__(self, writer: Any, segments: list[Any]) -> list[Any]:
        """The segments the commit keeps, having merged the chosen ones into its own."""
        sizes = segment_sizes(writer.storage, writer.indexname, segments)
        chosen = choose_tiered(sizes, self.cap_mb * MB, self.per_tier, self.floor_docs)
        if self.merged is not None:
            self.merged(chosen)
        return merge_chosen(writer, segments, chosen) if chosen else list(segments)


@dataclass(frozen=True)
class CompactStep:
    """What one step of ``archive compact`` did."""

    merged: int  # segments merged (1: one rewritten without its deleted documents)
    read_mb: float  # their size on disk
    segments_left: int  # the index's segments after the step
    seconds: float  # wall time holding the lock
    cpu_seconds: float
