"""Errors are exceptions carrying the command line's exit codes, diagnostic codes and locations."""

import json

import pytest

import interdict
from conftest import cli


def test_policy_error_carries_the_check_diagnostics():
    path = "tests/fixtures/invalid/unknown_name.policy"
    with pytest.raises(interdict.PolicyError) as raised:
        interdict.Engine.load([path], facts="examples/silverstar.yaml")
    error = raised.value
    assert error.exit_code == 1
    expected = json.loads(cli("check", "--format", "json", path, check=False).stdout)
    assert error.diagnostics == expected["diagnostics"]
    assert error.diagnostics[0]["code"] == "E0101"
    assert (error.diagnostics[0]["line"], error.diagnostics[0]["column"]) == (6, 61)
    assert "unknown_name.policy:6:61" in str(error)
    assert isinstance(error, interdict.InterdictError)


def test_facts_problems_name_each_record_as_the_cli_does():
    path = "tests/fixtures/facts/many_problems.yaml"
    with pytest.raises(interdict.FactsError) as raised:
        interdict.Engine.load(["policies/"], facts=path)
    error = raised.value
    assert error.exit_code == 2
    shown = cli("eval", "--policy", "policies/", "--facts", path, check=False)
    assert shown.returncode == 2
    assert str(error) == shown.stderr
    assert error.problems[0] == {
        "file": path,
        "record": "entities[2] (acme)",
        "message": "duplicate entity id `acme`, first used by entities[0]; ids must be unique",
    }


def test_facts_syntax_error_gives_line_and_column():
    path = "tests/fixtures/facts/bad_indent.yaml"
    with pytest.raises(interdict.FactsError) as raised:
        interdict.Engine.load(["policies/"], facts=path)
    problem = raised.value.problems[0]
    assert problem["file"] == path
    assert problem["line"] > 0 and problem["column"] > 0
    shown = cli("eval", "--policy", "policies/", "--facts", path, check=False)
    assert str(raised.value) == shown.stderr


def test_missing_policy_folder_is_exit_code_2():
    with pytest.raises(interdict.PolicyError) as raised:
        interdict.Engine.load(["no/such/folder"], facts="examples/silverstar.yaml")
    assert raised.value.exit_code == 2
    assert raised.value.diagnostics == []


def test_small_list_refused_unless_accepted():
    with pytest.raises(interdict.FactsError, match="accept"):
        interdict.Engine.load(["policies/"], lists=["ofac=tests/fixtures/lists/ofac_dprk_npwmd"])


@pytest.fixture(scope="module")
def engine():
    return interdict.Engine.load(["policies/"], facts="examples/silverstar.yaml")


def test_unknown_transaction_names_its_position(engine):
    with pytest.raises(interdict.RequestError) as raised:
        engine.decide_batch(["tx-1001", "tx-nowhere"])
    assert raised.value.index == 1
    assert raised.value.exit_code == 2
    assert "no transaction `tx-nowhere` in examples/silverstar.yaml" in str(raised.value)


def test_unknown_party_names_the_field(engine):
    request = {"id": "x", "kind": "payment", "date": "2024-03-01",
               "parties": [{"role": "beneficiary", "entity": "ghost"}]}
    with pytest.raises(interdict.RequestError, match=r"parties\[0\]\.entity: no entity `ghost`"):
        engine.decide(request)


def test_malformed_transaction_says_what_is_wrong(engine):
    with pytest.raises(interdict.RequestError, match="unknown field `colour`"):
        engine.decide({"id": "x", "kind": "payment", "date": "2024-03-01", "colour": "red"})
    with pytest.raises(interdict.RequestError, match="not a transaction"):
        engine.decide({"id": "x", "kind": "payment", "date": "2024-13-01"})
    with pytest.raises(interdict.RequestError, match="not int"):
        engine.decide(42)


def test_bad_as_of_and_threshold(engine):
    with pytest.raises(interdict.InterdictError, match="as_of `yesterday`"):
        engine.decide("tx-1001", as_of="yesterday")
    with pytest.raises(interdict.InterdictError, match="from 0 to 1"):
        engine.screen(["x"], threshold=1.5)
