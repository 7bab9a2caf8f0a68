"""How a refusal of a request's fields reads: 400 when the request does not match the schema, 422 when it
does but names a row that does not exist."""

from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from api import problems


def refused(**codes):
    detail = {field: [serializers.ErrorDetail("x", code)] for field, code in codes.items()}
    return problems.handle(ValidationError(detail), {})


def test_a_row_that_does_not_exist_is_422():
    answer = refused(customer="does_not_exist")
    assert answer.status_code == 422 and answer.data["code"] == "no-such-row"
    assert answer.data["errors"] == [{"pointer": "#/customer", "detail": "x", "code": "does_not_exist"}]


def test_a_field_the_schema_refuses_is_400_whatever_else():
    assert refused(customer="does_not_exist", on="invalid").status_code == 400
    assert refused(on=None).data["errors"][0]["code"] == "invalid"
