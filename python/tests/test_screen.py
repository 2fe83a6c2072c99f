"""Screening names and records from Python gives `interdict screen --format json`'s reports."""

import json

import interdict
from conftest import cli

LIST = "ofac=tests/fixtures/lists/ofac_dprk_npwmd"


def test_names_screened_as_the_cli_screens_them():
    names = ["Korea Mining Development Trading Corp", "Acme Analytics"]
    engine = interdict.Engine.load(["policies/"], lists=[LIST], accept_small_lists=True)
    shown = cli("screen", "--list", LIST, "--accept-small-lists", "--format", "json", *names)
    expected = [json.loads(line) for line in shown.stdout.splitlines()]
    reports = engine.screen(names)
    assert reports == expected
    assert reports[0]["matches"], "KOMID is on the excerpt"
    assert reports[1]["matches"] == []


def test_records_with_identity_are_assessed():
    engine = interdict.Engine.load(["policies/"], facts="examples/silverstar.yaml")
    [report] = engine.screen(
        [{"id": "c-1", "name": "Volasys Silverstar", "kind": "organization", "country": "RU"}]
    )
    assert report["id"] == "c-1"
    best = report["matches"][0]
    assert best["id"] == "volasys"
    assert best["strength"] in {"possible", "probable", "strong"}
    assert engine.screen(["Volasys Silverstar"], threshold=1.0, limit=1)[0]["matches"][0]["score"] == 1.0
