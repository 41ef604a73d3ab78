"""Group commit on the event loop: what arrives during a write goes together in the next one, each
caller gets its own result, a failing item fails alone, and an error of the whole group reaches all."""

from __future__ import annotations

import asyncio

import pytest

from anb.db.group_commit import MAX_BATCH, GroupCommit


class Unreachable(Exception):
    pass


class Recorder:
    """A write function that keeps every group it is given; items named "bad" fail their group."""

    def __init__(self, reachable: bool = True) -> None:
        self.groups: list[list[str]] = []
        self.reachable = reachable
        self.release = asyncio.Event()
        self.release.set()

    async def write(self, items: list[str]) -> list[str]:
        self.groups.append(list(items))
        await self.release.wait()
        if not self.reachable:
            raise Unreachable("no database")
        if "bad" in items:
            raise ValueError("bad item")
        return [item.upper() for item in items]


async def _let_tasks_run() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def _group(recorder: Recorder) -> GroupCommit[str, str]:
    return GroupCommit(recorder.write, key=lambda item: item, shared_errors=(Unreachable,))


async def test_what_arrives_during_a_write_goes_together_in_the_next() -> None:
    recorder = Recorder()
    recorder.release.clear()
    group = _group(recorder)
    first = asyncio.ensure_future(group.submit("a"))
    await _let_tasks_run()  # the first group is in flight, held open
    assert recorder.groups == [["a"]]
    later = [asyncio.ensure_future(group.submit(item)) for item in ("b", "c", "d")]
    await _let_tasks_run()
    recorder.release.set()
    assert await asyncio.gather(first, *later) == ["A", "B", "C", "D"]
    assert recorder.groups == [["a"], ["b", "c", "d"]]


async def test_a_group_holds_an_item_once_and_at_most_max_batch_items() -> None:
    recorder = Recorder()
    group = _group(recorder)
    items = ["same", "same", *(f"v{n}" for n in range(MAX_BATCH))]
    assert await asyncio.gather(*(group.submit(item) for item in items)) == [item.upper() for item in items]
    assert [len(written) for written in recorder.groups] == [MAX_BATCH, 2]
    assert recorder.groups[1] == ["same", "v63"], "the repeated key and the overflow wait for the next group"


async def test_a_failing_item_fails_alone() -> None:
    recorder = Recorder()
    group = _group(recorder)
    results = await asyncio.gather(*(group.submit(item) for item in ("a", "bad", "c")), return_exceptions=True)
    assert results[0] == "A" and results[2] == "C"
    assert isinstance(results[1], ValueError)
    assert recorder.groups == [["a", "bad", "c"], ["a"], ["bad"], ["c"]]


async def test_an_error_of_the_whole_group_reaches_every_item_without_retries() -> None:
    recorder = Recorder(reachable=False)
    group = _group(recorder)
    results = await asyncio.gather(*(group.submit(item) for item in ("a", "b")), return_exceptions=True)
    assert all(isinstance(result, Unreachable) for result in results)
    assert recorder.groups == [["a", "b"]]
    recorder.reachable = True
    assert await group.submit("a") == "A", "the next write starts a new group"


async def test_a_caller_gone_before_its_group_is_sent_is_not_written() -> None:
    recorder = Recorder()
    recorder.release.clear()
    group = _group(recorder)
    first = asyncio.ensure_future(group.submit("a"))
    await _let_tasks_run()
    gone = asyncio.ensure_future(group.submit("gone"))
    kept = asyncio.ensure_future(group.submit("kept"))
    await _let_tasks_run()
    gone.cancel()
    recorder.release.set()
    assert await asyncio.gather(first, kept) == ["A", "KEPT"]
    with pytest.raises(asyncio.CancelledError):
        await gone
    assert recorder.groups == [["a"], ["kept"]]
