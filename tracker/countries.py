"""Countries as ISO 3166-1 alpha-2 codes, read from a code, a name or a common alias.

Names are the common English short names (the ones a film database shows: "United States",
"South Korea", "Russia"); the longer official ISO forms are accepted as aliases.
Only the standard library is imported; difflib only on the error path.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from tracker.errors import InvalidValue

# All 249 officially assigned ISO 3166-1 alpha-2 codes.
CODES: dict[str, str] = {
    "AD": "Andorra",
    "AE": "United Arab Emirates",
    "AF": "Afghanistan",
    "AG": "Antigua and Barbuda",
    "AI": "Anguilla",
    "AL": "Albania",
    "AM": "Armenia",
    "AO": "Angola",
    "AQ": "Antarctica",
    "AR": "Argentina",
    "AS": "American Samoa",
    "AT": "Austria",
    "AU": "Australia",
    "AW": "Aruba",
    "AX": "Åland Islands",
    "AZ": "Azerbaijan",
    "BA": "Bosnia and Herzegovina",
    "BB": "Barbados",
    "BD": "Bangladesh",
    "BE": "Belgium",
    "BF": "Burkina Faso",
    "BG": "Bulgaria",
    "BH": "Bahrain",
    "BI": "Burundi",
    "BJ": "Benin",
    "BL": "Saint Barthélemy",
    "BM": "Bermuda",
    "BN": "Brunei",
    "BO": "Bolivia",
    "BQ": "Bonaire, Sint Eustatius and Saba",
    "BR": "Brazil",
    "BS": "Bahamas",
    "BT": "Bhutan",
    "BV": "Bouvet Island",
    "BW": "Botswana",
    "BY": "Belarus",
    "BZ": "Belize",
    "CA": "Canada",
    "CC": "Cocos (Keeling) Islands",
    "CD": "Democratic Republic of the Congo",
    "CF": "Central African Republic",
    "CG": "Republic of the Congo",
    "CH": "Switzerland",
    "CI": "Côte d'Ivoire",
    "CK": "Cook Islands",
    "CL": "Chile",
    "CM": "Cameroon",
    "CN": "China",
    "CO": "Colombia",
    "CR": "Costa Rica",
    "CU": "Cuba",
    "CV": "Cabo Verde",
    "CW": "Curaçao",
    "CX": "Christmas Island",
    "CY": "Cyprus",
    "CZ": "Czechia",
    "DE": "Germany",
    "DJ": "Djibouti",
    "DK": "Denmark",
    "DM": "Dominica",
    "DO": "Dominican Republic",
    "DZ": "Algeria",
    "EC": "Ecuador",
    "EE": "Estonia",
    "EG": "Egypt",
    "EH": "Western Sahara",
    "ER": "Eritrea",
    "ES": "Spain",
    "ET": "Ethiopia",
    "FI": "Finland",
    "FJ": "Fiji",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "FO": "Faroe Islands",
    "FR": "France",
    "GA": "Gabon",
    "GB": "United Kingdom",
    "GD": "Grenada",
    "GE": "Georgia",
    "GF": "French Guiana",
    "GG": "Guernsey",
    "GH": "Ghana",
    "GI": "Gibraltar",
    "GL": "Greenland",
    "GM": "Gambia",
    "GN": "Guinea",
    "GP": "Guadeloupe",
    "GQ": "Equatorial Guinea",
    "GR": "Greece",
    "GS": "South Georgia and the South Sandwich Islands",
    "GT": "Guatemala",
    "GU": "Guam",
    "GW": "Guinea-Bissau",
    "GY": "Guyana",
    "HK": "Hong Kong",
    "HM": "Heard Island and McDonald Islands",
    "HN": "Honduras",
    "HR": "Croatia",
    "HT": "Haiti",
    "HU": "Hungary",
    "ID": "Indonesia",
    "IE": "Ireland",
    "IL": "Israel",
    "IM": "Isle of Man",
    "IN": "India",
    "IO": "British Indian Ocean Territory",
    "IQ": "Iraq",
    "IR": "Iran",
    "IS": "Iceland",
    "IT": "Italy",
    "JE": "Jersey",
    "JM": "Jamaica",
    "JO": "Jordan",
    "JP": "Japan",
    "KE": "Kenya",
    "KG": "Kyrgyzstan",
    "KH": "Cambodia",
    "KI": "Kiribati",
    "KM": "Comoros",
    "KN": "Saint Kitts and Nevis",
    "KP": "North Korea",
    "KR": "South Korea",
    "KW": "Kuwait",
    "KY": "Cayman Islands",
    "KZ": "Kazakhstan",
    "LA": "Laos",
    "LB": "Lebanon",
    "LC": "Saint Lucia",
    "LI": "Liechtenstein",
    "LK": "Sri Lanka",
    "LR": "Liberia",
    "LS": "Lesotho",
    "LT": "Lithuania",
    "LU": "Luxembourg",
    "LV": "Latvia",
    "LY": "Libya",
    "MA": "Morocco",
    "MC": "Monaco",
    "MD": "Moldova",
    "ME": "Montenegro",
    "MF": "Saint Martin",
    "MG": "Madagascar",
    "MH": "Marshall Islands",
    "MK": "North Macedonia",
    "ML": "Mali",
    "MM": "Myanmar",
    "MN": "Mongolia",
    "MO": "Macao",
    "MP": "Northern Mariana Islands",
    "MQ": "Martinique",
    "MR": "Mauritania",
    "MS": "Montserrat",
    "MT": "Malta",
    "MU": "Mauritius",
    "MV": "Maldives",
    "MW": "Malawi",
    "MX": "Mexico",
    "MY": "Malaysia",
    "MZ": "Mozambique",
    "NA": "Namibia",
    "NC": "New Caledonia",
    "NE": "Niger",
    "NF": "Norfolk Island",
    "NG": "Nigeria",
    "NI": "Nicaragua",
    "NL": "Netherlands",
    "NO": "Norway",
    "NP": "Nepal",
    "NR": "Nauru",
    "NU": "Niue",
    "NZ": "New Zealand",
    "OM": "Oman",
    "PA": "Panama",
    "PE": "Peru",
    "PF": "French Polynesia",
    "PG": "Papua New Guinea",
    "PH": "Philippines",
    "PK": "Pakistan",
    "PL": "Poland",
    "PM": "Saint Pierre and Miquelon",
    "PN": "Pitcairn Islands",
    "PR": "Puerto Rico",
    "PS": "Palestine",
    "PT": "Portugal",
    "PW": "Palau",
    "PY": "Paraguay",
    "QA": "Qatar",
    "RE": "Réunion",
    "RO": "Romania",
    "RS": "Serbia",
    "RU": "Russia",
    "RW": "Rwanda",
    "SA": "Saudi Arabia",
    "SB": "Solomon Islands",
    "SC": "Seychelles",
    "SD": "Sudan",
    "SE": "Sweden",
    "SG": "Singapore",
    "SH": "Saint Helena, Ascension and Tristan da Cunha",
    "SI": "Slovenia",
    "SJ": "Svalbard and Jan Mayen",
    "SK": "Slovakia",
    "SL": "Sierra Leone",
    "SM": "San Marino",
    "SN": "Senegal",
    "SO": "Somalia",
    "SR": "Suriname",
    "SS": "South Sudan",
    "ST": "São Tomé and Príncipe",
    "SV": "El Salvador",
    "SX": "Sint Maarten",
    "SY": "Syria",
    "SZ": "Eswatini",
    "TC": "Turks and Caicos Islands",
    "TD": "Chad",
    "TF": "French Southern Territories",
    "TG": "Togo",
    "TH": "Thailand",
    "TJ": "Tajikistan",
    "TK": "Tokelau",
    "TL": "Timor-Leste",
    "TM": "Turkmenistan",
    "TN": "Tunisia",
    "TO": "Tonga",
    "TR": "Türkiye",
    "TT": "Trinidad and Tobago",
    "TV": "Tuvalu",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "UA": "Ukraine",
    "UG": "Uganda",
    "UM": "United States Minor Outlying Islands",
    "US": "United States",
    "UY": "Uruguay",
    "UZ": "Uzbekistan",
    "VA": "Holy See",
    "VC": "Saint Vincent and the Grenadines",
    "VE": "Venezuela",
    "VG": "British Virgin Islands",
    "VI": "United States Virgin Islands",
    "VN": "Vietnam",
    "VU": "Vanuatu",
    "WF": "Wallis and Futuna",
    "WS": "Samoa",
    "YE": "Yemen",
    "YT": "Mayotte",
    "ZA": "South Africa",
    "ZM": "Zambia",
    "ZW": "Zimbabwe",
}

# Other names people write, lower case -> code. Matching ignores case, accents,
# punctuation, "and"/"&", a leading "the", and "St" for "Saint".
ALIASES: dict[str, str] = {
    "usa": "US",
    "us of a": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "united kingdom of great britain and northern ireland": "GB",
    "uae": "AE",
    "emirates": "AE",
    "korea": "KR",
    "republic of korea": "KR",
    "korea, republic of": "KR",
    "dprk": "KP",
    "democratic people's republic of korea": "KP",
    "korea, democratic people's republic of": "KP",
    "russian federation": "RU",
    "czech republic": "CZ",
    "holland": "NL",
    "the netherlands": "NL",
    "viet nam": "VN",
    "iran, islamic republic of": "IR",
    "islamic republic of iran": "IR",
    "persia": "IR",
    "syrian arab republic": "SY",
    "bolivia, plurinational state of": "BO",
    "venezuela, bolivarian republic of": "VE",
    "tanzania, united republic of": "TZ",
    "lao people's democratic republic": "LA",
    "lao": "LA",
    "moldova, republic of": "MD",
    "republic of moldova": "MD",
    "taiwan, province of china": "TW",
    "turkey": "TR",
    "macau": "MO",
    "vatican": "VA",
    "vatican city": "VA",
    "ivory coast": "CI",
    "cape verde": "CV",
    "swaziland": "SZ",
    "burma": "MM",
    "macedonia": "MK",
    "east timor": "TL",
    "congo": "CG",
    "congo-brazzaville": "CG",
    "congo-kinshasa": "CD",
    "dr congo": "CD",
    "drc": "CD",
    "brunei darussalam": "BN",
    "micronesia, federated states of": "FM",
    "state of palestine": "PS",
    "palestine, state of": "PS",
    "falkland islands (malvinas)": "FK",
    "virgin islands (british)": "VG",
    "virgin islands (u.s.)": "VI",
    "us virgin islands": "VI",
    "caribbean netherlands": "BQ",
    "saint martin (french part)": "MF",
    "sint maarten (dutch part)": "SX",
    "pitcairn": "PN",
    "hong kong sar": "HK",
    "mainland china": "CN",
    "people's republic of china": "CN",
}

_EXAMPLES = "US, GB, FR"


def _key(text: str) -> str:
    """The form names are matched in: lower case, no accents or punctuation."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = re.findall(r"[a-z0-9]+", ascii_text)
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    return "".join("saint" if w == "st" else w for w in words if w != "and")


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """Matching key of every name and alias -> code (built on first use)."""
    index = {_key(name): code for code, name in CODES.items()}
    index.update((_key(alias), code) for alias, code in ALIASES.items())
    return index


def country_code(text: str) -> str:
    """The ISO 3166-1 alpha-2 code for a code, name or alias ("no", "Norway", "UAE")."""
    word = " ".join(str(text).split())
    if not word:
        raise InvalidValue(f"no country given; use an ISO 3166-1 alpha-2 code such as {_EXAMPLES}")
    is_code_shaped = len(word) == 2 and word.isascii() and word.isalpha()
    if is_code_shaped and word.upper() in CODES:
        return word.upper()
    key = _key(word)
    code = _index().get(key) if key else None
    if code is not None:
        return code
    if is_code_shaped:
        raise InvalidValue(
            f"unknown country code '{word}'; use an ISO 3166-1 alpha-2 code such as {_EXAMPLES}"
        )
    import difflib  # only on the error path

    index = _index()
    choices = list(index) + [code.lower() for code in CODES]
    suggested: list[str] = []
    for match in difflib.get_close_matches(key, choices, n=5, cutoff=0.7):
        code = index.get(match, match.upper())
        if code not in suggested:
            suggested.append(code)
    if suggested:
        options = " or ".join(f"{CODES[code]} ({code})" for code in suggested[:3])
        raise InvalidValue(f"unknown country '{word}'; did you mean {options}?")
    raise InvalidValue(
        f"unknown country '{word}'; use a country name or an ISO 3166-1 alpha-2 code "
        f"such as {_EXAMPLES}"
    )


def country_name(code: str) -> str:
    """The English short name for an ISO 3166-1 alpha-2 code."""
    name = CODES.get(str(code).strip().upper())
    if name is None:
        raise InvalidValue(
            f"unknown country code '{code}'; use an ISO 3166-1 alpha-2 code such as {_EXAMPLES}"
        )
    return name


def normalise_country(country: str | None) -> str | None:
    """A country as stored (its ISO code), or None for none (worldwide)."""
    return country_code(country) if country and country.strip() else None
