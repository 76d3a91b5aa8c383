"""Tables of plain cells are laid out by the renderer itself, byte for byte as tabulate lays
them out; any other table (wide or non-ASCII text, line breaks, other formats) is still
tabulate's."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from tabulate import tabulate

from tracker.render import _plain_layout, table

printable_ascii = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=12)
plain_cells = st.one_of(
    printable_ascii,
    st.sampled_from(["True", "False", "1.5", "-3", "1e5", "nan", "  padded  ", ""]),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.none(),
)
any_cells = st.one_of(plain_cells, st.text(max_size=8), st.booleans(), st.floats())


@st.composite
def tables(draw: Any, cells: Any) -> tuple[list[list[Any]], list[str]]:
    width = draw(st.integers(min_value=1, max_value=5))
    columns = draw(st.lists(printable_ascii, min_size=width, max_size=width))
    body = draw(st.lists(st.lists(cells, min_size=width, max_size=width), min_size=1))
    return body, columns


def tabulated(body: list[list[Any]], columns: list[str], tablefmt: str) -> str:
    return tabulate(body, headers=columns, tablefmt=tablefmt, disable_numparse=True)


@given(tables(plain_cells))
def test_plain_cells_are_laid_out_as_tabulate_lays_them_out(
    drawn: tuple[list[list[Any]], list[str]],
) -> None:
    body, columns = drawn
    assert _plain_layout(body, columns, rule=True) == tabulated(body, columns, "simple")
    assert _plain_layout(body, columns, rule=False) == tabulated(body, columns, "plain")


@given(tables(any_cells), st.sampled_from(["simple", "plain", "github", "grid"]))
def test_every_table_is_what_tabulate_writes(
    drawn: tuple[list[list[Any]], list[str]], tablefmt: str
) -> None:
    body, columns = drawn
    rows = [{f"c{i}": value for i, value in enumerate(line)} for line in body]
    keys = list(rows[0])
    # A table mixing plain cells with others is still tabulate's, whole (a boolean shown as
    # yes or no, as a person reads it).
    shown = [[_yes_no(row[key]) for key in keys] for row in rows]
    expected = tabulated(shown, keys, tablefmt)
    assert table(rows, keys, tablefmt) == expected


def _yes_no(value: Any) -> Any:
    return ("yes" if value else "no") if isinstance(value, bool) else value


def test_other_text_is_left_to_tabulate() -> None:
    assert _plain_layout([["Amélie"]], ["title"], rule=True) is None
    assert _plain_layout([["two\nlines"]], ["title"], rule=True) is None
    assert _plain_layout([["a"]], ["títle"], rule=True) is None
    assert _plain_layout([[1.5]], ["n"], rule=True) is None
    assert _plain_layout([[True]], ["b"], rule=True) is None


def test_a_plain_table_does_not_import_tabulate() -> None:
    probe = (
        "import sys\n"
        "from tracker.render import table\n"
        "table([{'title': 'Dune', 'year': 2021}], ['title', 'year'])\n"
        "print('tabulate' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr
