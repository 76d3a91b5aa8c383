"""The streaming JSON reader (tracker.exchange.json_stream) and the import that uses it."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import Run
from tracker.errors import BadFile
from tracker.exchange import json_stream
from tracker.exchange.json_stream import JsonStream

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=12,
)
documents = st.dictionaries(st.text(max_size=6), st.lists(values, max_size=5) | values, max_size=5)


def _read(text: str) -> dict[str, Any]:
    """The document as the stream gives it: arrays' items collected back into lists."""
    members = JsonStream(io.StringIO(text), "doc.json").members()
    return {key: list(value) if _is_items(value) else value for key, value in members}


def _is_items(value: Any) -> bool:
    return hasattr(value, "__next__")


@settings(max_examples=150, deadline=None)
@given(document=documents, indent=st.sampled_from([None, 0, 2]), block=st.integers(1, 9))
def test_the_stream_reads_what_json_loads_reads(
    document: dict[str, Any], indent: int | None, block: int
) -> None:
    text = json.dumps(document, indent=indent, ensure_ascii=False)
    with pytest.MonkeyPatch.context() as patch:
        # Tiny blocks put a block boundary inside every kind of token.
        patch.setattr(json_stream, "BLOCK", block)
        assert _read(text) == json.loads(text)


@settings(max_examples=100, deadline=None)
@given(document=documents, cut=st.integers(min_value=1))
def test_a_document_cut_short_is_one_error_naming_where(document: dict[str, Any], cut: int) -> None:
    text = json.dumps(document, indent=2)
    short = text[: cut % len(text)]
    with pytest.raises(BadFile, match=r"^doc\.json: "):
        _read(short)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{\n  "films": [\n    {"id": 1,}\n  ]\n}', "line 3 column 14"),
        ('{"films": [1 2]}', "line 1 column 14"),
        ('{"films": []}\n{"again": 1}', "line 2 column 1"),
        ('{"films": [], 3: 4}', "line 1 column 15"),
    ],
)
def test_errors_give_the_line_and_column(text: str, where: str) -> None:
    with pytest.raises(BadFile, match=where):
        _read(text)


def test_members_come_in_file_order_and_items_one_at_a_time() -> None:
    text = '{"b": 1, "a": [{"x": 1}, {"x": 2}], "c": {"y": [1, 2]}}'
    members = JsonStream(io.StringIO(text), "doc.json").members()
    assert next(members) == ("b", 1)
    key, items = next(members)
    assert key == "a"
    assert next(items) == {"x": 1}  # the second is not read yet: a part left is skipped
    assert next(members) == ("c", {"y": [1, 2]})
    assert next(members, None) is None


def _export(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(document))
    return path


FILM = {"id": 7, "title": "Heat", "year": 1995, "statuses": [], "releases": []}


def test_sections_in_another_order_still_load(run: Run, tmp_path: Path) -> None:
    """A file written by hand may list the diary before the films it refers to: what had to
    wait is read in a second pass."""
    path = _export(
        tmp_path,
        {
            "diary": [{"film": 7, "seen_on": "2020-01-02", "rating": 4}],
            "version": 1,
            "films": [FILM],
            "format": "tracker",
        },
    )
    assert "1 film," in run("import", "json", str(path)).stdout
    assert [row["title"] for row in run.json("diary")] == ["Heat"]


def test_a_section_given_twice_is_refused(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "twice.json"
    path.write_text(
        '{"format": "tracker", "version": 1, "films": [], "films": [' + json.dumps(FILM) + "]}"
    )
    assert "films: in this file twice" in run.error("import", "json", str(path))
    assert run.json("list") == []


def test_a_film_with_a_title_history_gets_its_latest_title(run: Run, tmp_path: Path) -> None:
    film = {
        **FILM,
        "title": "Old",
        "titles": [
            {"title": "Old", "on": None, "source": None},
            {"title": "Newest", "on": "2020-03-01", "source": None},
            {"title": "Newer", "on": "2020-02-01", "source": None},
        ],
    }
    path = _export(tmp_path, {"format": "tracker", "version": 1, "films": [film]})
    run("import", "json", str(path))
    assert [row["title"] for row in run.json("list")] == ["Newest"]
    assert [row["title"] for row in run.json("search", "newer")] == ["Newest"]


def test_a_duplicate_film_in_a_batch_is_named(run: Run, tmp_path: Path) -> None:
    films = [{**FILM, "id": number, "title": f"Film {number}"} for number in range(1, 40)]
    films.append({**FILM, "id": 40, "title": "film 12"})  # the same key and year as #12
    path = _export(tmp_path, {"format": "tracker", "version": 1, "films": films})
    message = run.error("import", "json", str(path))
    assert "films[39]" in message and "already tracked" in message
    assert run.json("list") == []


def test_a_duplicate_credit_in_a_batch_is_named(run: Run, tmp_path: Path) -> None:
    credit = {"film": 7, "person": "Michael Mann", "role": "director", "character": None}
    path = _export(
        tmp_path,
        {"format": "tracker", "version": 1, "films": [FILM], "credits": [credit, credit]},
    )
    message = run.error("import", "json", str(path))
    assert "credits[1]" in message and "already credited" in message
    assert run.json("list") == []


@settings(max_examples=200, deadline=None)
@given(
    pairs=st.lists(st.tuples(st.integers(1, 40), st.integers(1, 40) | st.none()), max_size=30),
    floor=st.integers(0, 45),
)
def test_film_ids_answer_as_a_dict_would(pairs: list[tuple[int, int | None]], floor: int) -> None:
    """FilmIds keeps runs of ids that stayed the same instead of a dict entry each."""
    from tracker.exchange.json_reader import FilmIds

    ids, model = FilmIds(), {}
    for file_id, moved in pairs:
        film_id = file_id if moved is None else moved
        if file_id in model or film_id in model.values():
            continue  # a file never names a film twice, and no two films share an id
        ids[file_id] = film_id
        model[file_id] = film_id
    for number in range(0, 46):
        assert (number in ids) == (number in model)
        if number in model:
            assert ids[number] == model[number]
        assert ids.taken(number) == (number in model.values())
    assert sorted(ids.at_or_below(floor)) == sorted(v for v in model.values() if v <= floor)
