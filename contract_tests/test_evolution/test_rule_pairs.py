"""Every rule of the table, proved on its own pair of small specs: the class and the JSON pointer."""

from __future__ import annotations

import pytest

from contract_tests.test_evolution.pairs import FIXTURES, load_pair
from medux_contract.evolution.diff_rules import RULES, Section, Severity
from medux_contract.evolution.spec_diff import diff_specs

B, N, OK = Severity.BREAKING, Severity.NOTICE, Severity.NON_BREAKING
OP = "/paths/~1things/post"
REQ = "/components/schemas/ThingRequest"
THING = "/components/schemas/Thing"
CODE = "/components/schemas/Code"

# rule id, the class a client sees, where the change is. Written out (not read from RULES) so that
# reclassifying a rule has to change this table too.
EXPECTED = [
    ("path-removed", B, "/paths/~1health"),
    ("path-added", OK, "/paths/~1health"),
    ("operation-removed", B, "/paths/~1things/get"),
    ("operation-added", OK, "/paths/~1things/get"),
    ("operation-id-changed", B, f"{OP}/operationId"),
    ("operation-tag-changed", B, f"{OP}/tags"),
    ("parameter-removed", B, f"{OP}/parameters/0"),
    ("parameter-added-required", B, f"{OP}/parameters/1"),
    ("parameter-added-optional", OK, f"{OP}/parameters/1"),
    ("parameter-became-required", B, f"{OP}/parameters/0/required"),
    ("parameter-became-optional", OK, f"{OP}/parameters/0/required"),
    ("request-body-removed", B, f"{OP}/requestBody"),
    ("request-body-added", OK, f"{OP}/requestBody"),
    ("request-body-became-required", B, f"{OP}/requestBody/required"),
    ("request-body-became-optional", OK, f"{OP}/requestBody/required"),
    ("request-media-type-removed", B, f"{OP}/requestBody/content/multipart~1form-data"),
    ("request-media-type-added", OK, f"{OP}/requestBody/content/multipart~1form-data"),
    ("request-property-removed", B, f"{REQ}/properties/size"),
    ("request-property-added-required", B, f"{REQ}/properties/tag"),
    ("request-property-added-optional", OK, f"{REQ}/properties/tag"),
    ("request-property-became-required", B, f"{REQ}/required"),
    ("request-property-became-optional", OK, f"{REQ}/required"),
    ("request-type-narrowed", B, f"{REQ}/properties/size/type"),
    ("request-type-widened", OK, f"{REQ}/properties/size/type"),
    ("request-enum-narrowed", B, f"{REQ}/properties/colour/enum/1"),
    ("request-enum-widened", OK, f"{REQ}/properties/colour/enum/2"),
    ("request-constraint-tightened", B, f"{REQ}/properties/name/minLength"),
    ("request-constraint-relaxed", OK, f"{REQ}/properties/name/minLength"),
    ("response-removed", B, f"{OP}/responses/404"),
    ("response-added", N, f"{OP}/responses/404"),
    ("response-media-type-removed", B, f"{OP}/responses/200/content/text~1plain"),
    ("response-media-type-added", OK, f"{OP}/responses/200/content/text~1plain"),
    ("response-property-removed", B, f"{THING}/properties/label"),
    ("response-property-added", OK, f"{THING}/properties/colour"),
    ("response-property-became-optional", B, "/components/schemas/ThingResponse/required"),
    ("response-property-became-required", OK, f"{THING}/required"),
    ("response-type-changed", B, f"{THING}/properties/id/type"),
    ("response-type-narrowed", OK, f"{THING}/properties/label/type"),
    ("response-enum-value-removed", B, f"{CODE}/enum/1"),
    ("response-enum-value-added", N, f"{CODE}/enum/2"),
    ("response-constraint-changed", OK, f"{THING}/properties/id/maxLength"),
    ("enum-member-renamed", B, f"{CODE}/x-enum-varnames/1"),
    ("default-changed", N, f"{REQ}/properties/size/default"),
    ("component-schema-removed", B, "/components/schemas/Spare"),
    ("component-schema-added", OK, "/components/schemas/Spare"),
    ("security-scheme-removed", B, "/components/securitySchemes/apiKeyAuth"),
    ("security-scheme-added", OK, "/components/securitySchemes/apiKeyAuth"),
    ("security-scheme-changed", B, "/components/securitySchemes/bearerAuth/scheme"),
    ("security-requirement-added", B, f"{OP}/security"),
    ("security-requirement-relaxed", OK, f"{OP}/security"),
    ("code-removed", B, "/x-medux-codes/1"),
    ("code-added", N, "/x-medux-codes/2"),
    ("code-message-changed", B, "/x-medux-codes/1/message"),
    ("code-name-changed", B, "/x-medux-codes/1/name"),
    ("code-exception-changed", B, "/x-medux-codes/1/exception"),
    ("code-behaviour-changed", OK, "/x-medux-codes/1/retry"),
    ("code-table-reshaped", N, "/x-medux-codes"),
    ("outcome-added", N, f"{OP}/x-medux-outcomes/1"),
    ("outcome-removed", N, f"{OP}/x-medux-outcomes/1"),
    ("outcome-data-removed", B, f"{OP}/x-medux-outcomes/0/carries"),
    ("outcome-data-added", OK, f"{OP}/x-medux-outcomes/0/carries"),
    ("documentation-changed", OK, f"{OP}/responses/200/description"),
    ("unclassified-change", N, "/servers/0/url"),
]


@pytest.mark.parametrize(("rule_id", "severity", "where"), EXPECTED, ids=[case[0] for case in EXPECTED])
def test_fixture_pair_yields_exactly_its_rule_with_its_class_at_its_pointer(
    rule_id: str, severity: Severity, where: str
) -> None:
    old, new = load_pair(rule_id)
    changes = diff_specs(old, new)
    assert [(c.rule.id, c.severity, c.pointer) for c in changes] == [(rule_id, severity, where)]


@pytest.mark.parametrize("rule_id", [case[0] for case in EXPECTED])
def test_old_spec_of_each_pair_compared_with_itself_has_no_change(rule_id: str) -> None:
    old, _ = load_pair(rule_id)
    assert diff_specs(old, old) == []


def test_every_rule_has_one_fixture_pair_and_one_expectation() -> None:
    expected_ids = [case[0] for case in EXPECTED]
    assert sorted(expected_ids) == sorted(RULES), "each rule needs exactly one row in EXPECTED"
    on_disk = sorted(path.name for path in FIXTURES.iterdir() if path.is_dir())
    assert on_disk == sorted(RULES), "each rule needs fixtures/<rule-id>/{old,new}.yaml and nothing else"


def test_only_breaking_rules_go_to_the_breaking_section_and_need_a_major_bump() -> None:
    for rule in RULES.values():
        assert (rule.severity is Severity.BREAKING) == (rule.section is Section.BREAKING), rule.id
        assert rule.reason, rule.id
        assert "\n" not in rule.reason, f"{rule.id}: the reason is one line"
