from tests.conftest import Run


def test_upcoming_as_of_the_seed_article_lists_seven_and_eight(demo: Run) -> None:
    rows = demo.json("upcoming")
    assert [(row["id"], row["date"], row["days"]) for row in rows] == [
        (7, "2021-11-19", 400),
        (8, "2022-11-04", 750),
    ]
