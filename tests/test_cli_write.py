"""cli.common.write prints streamed pieces joined a few hundred at a time: the same text
as a write a piece, and what was made before an error still printed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tracker.cli import common


@pytest.mark.parametrize("count", [0, 1, common.WRITE_BATCH - 1, common.WRITE_BATCH, 1000])
def test_the_pieces_are_printed_whole_and_in_order(
    capsys: pytest.CaptureFixture[str], count: int
) -> None:
    pieces = [f"row {number}\n" for number in range(count)]
    common.write(iter(pieces))
    assert capsys.readouterr().out == "".join(pieces)


def test_what_was_made_before_an_error_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    def failing() -> Iterator[str]:
        yield "first\n"
        yield "second\n"
        raise ValueError("the third row is broken")

    with pytest.raises(ValueError, match="third row"):
        common.write(failing())
    assert capsys.readouterr().out == "first\nsecond\n"
