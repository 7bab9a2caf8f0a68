"""The bounds the OpenAPI file states for an input are the ones the field enforces."""

import re
from datetime import timedelta

import pytest
from rest_framework.exceptions import ValidationError

from api.fields import YEARS_IN_RANGE, DayField
from backoffice.dates import FIRST_DAY, LAST_DAY


@pytest.mark.parametrize("day", [FIRST_DAY, LAST_DAY])
def test_a_day_in_range_matches_the_schema_and_is_taken(day):
    assert re.match(YEARS_IN_RANGE, day.isoformat())
    assert DayField().run_validation(day.isoformat()) == day


@pytest.mark.parametrize("day", [FIRST_DAY - timedelta(days=1), LAST_DAY + timedelta(days=1)])
def test_a_day_out_of_range_matches_neither(day):
    assert not re.match(YEARS_IN_RANGE, day.isoformat())
    with pytest.raises(ValidationError):
        DayField().run_validation(day.isoformat())
