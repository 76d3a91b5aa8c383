"""Countries: ISO 3166-1 alpha-2 codes from codes, names and aliases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.countries import ALIASES, CODES, country_code, country_name
from tracker.errors import InvalidValue


def test_table_has_every_assigned_code() -> None:
    assert len(CODES) == 249
    assert all(len(code) == 2 and code.isupper() and code.isascii() for code in CODES)
    assert CODES["NO"] == "Norway"
    assert CODES["US"] == "United States"
    assert CODES["GB"] == "United Kingdom"


def test_aliases_point_at_assigned_codes() -> None:
    assert set(ALIASES.values()) <= set(CODES)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("NO", "NO"),
        ("no", "NO"),
        (" Norway ", "NO"),
        ("norway", "NO"),
        ("NORWAY", "NO"),
        ("United Arab Emirates", "AE"),
        ("uae", "AE"),
        ("Italy", "IT"),
    ],
)
def test_country_code_reads_codes_names_and_case(text: str, code: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("usa", "US"),
        ("United States of America", "US"),
        ("america", "US"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("england", "GB"),
        ("britain", "GB"),
        ("south korea", "KR"),
        ("north korea", "KP"),
        ("russia", "RU"),
        ("Czech Republic", "CZ"),
        ("holland", "NL"),
        ("the netherlands", "NL"),
        ("vietnam", "VN"),
        ("Viet Nam", "VN"),
        ("iran", "IR"),
        ("syria", "SY"),
        ("bolivia", "BO"),
        ("venezuela", "VE"),
        ("tanzania", "TZ"),
        ("laos", "LA"),
        ("moldova", "MD"),
        ("taiwan", "TW"),
        ("turkey", "TR"),
    ],
)
def test_country_code_reads_aliases(text: str, code: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("cote d'ivoire", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("curacao", "CW"),
        ("St Lucia", "LC"),
        ("Trinidad & Tobago", "TT"),
        ("guinea bissau", "GW"),
        ("The Bahamas", "BS"),
    ],
)
def test_country_code_ignores_accents_punctuation_and_the(text: str, code: str) -> None:
    assert country_code(text) == code


def test_every_name_reads_back_as_its_code() -> None:
    for code, name in CODES.items():
        assert country_code(name) == code
        assert country_code(code.lower()) == code


@pytest.mark.parametrize("text", ["XX", "xx", "ZZ", "AA"])
def test_unassigned_code_is_refused(text: str) -> None:
    with pytest.raises(
        InvalidValue,
        match=f"unknown country code '{text}'; use an ISO 3166-1 alpha-2 code such as US, GB, FR",
    ):
        country_code(text)


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("Norwya", "Norway (NO)"),
        ("Germny", "Germany (DE)"),
        ("United Stats", "United States (US)"),
        ("Itly", "Italy (IT)"),
    ],
)
def test_misspelling_suggests_the_right_name(text: str, suggestion: str) -> None:
    with pytest.raises(InvalidValue, match=f"unknown country '{text}'; did you mean") as info:
        country_code(text)
    assert suggestion in str(info.value)


def test_misspelling_message_example() -> None:
    with pytest.raises(InvalidValue) as info:
        country_code("Norwya")
    assert str(info.value) == "unknown country 'Norwya'; did you mean Norway (NO)?"


def test_nothing_close_gives_a_hint() -> None:
    with pytest.raises(InvalidValue, match="use a country name or an ISO 3166-1 alpha-2 code"):
        country_code("qwxzqwxz")


def test_empty_is_refused() -> None:
    with pytest.raises(InvalidValue):
        country_code("   ")


def test_country_name() -> None:
    assert country_name("NO") == "Norway"
    assert country_name("ae") == "United Arab Emirates"
    with pytest.raises(InvalidValue, match="unknown country code 'XX'"):
        country_name("XX")


@settings(max_examples=200)
@given(st.text())
def test_any_text_gives_a_code_or_invalid_value(text: str) -> None:
    try:
        code = country_code(text)
    except InvalidValue:
        pass
    else:
        assert code in CODES


@given(st.sampled_from(sorted(CODES)))
def test_code_and_name_round_trip(code: str) -> None:
    assert country_code(country_name(code)) == code
