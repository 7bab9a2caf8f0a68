"""Input fields whose bounds the OpenAPI file states, so a client (and Schemathesis) knows what is refused."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backoffice.dates import validate_in_range

#: The years of ``backoffice.dates.FIRST_DAY``–``LAST_DAY`` (1900–2099) as a pattern, since JSON Schema bounds
#: no date; ``tests/api/test_fields.py`` holds the two to each other.
YEARS_IN_RANGE = r"^(19|20)\d{2}-"


@extend_schema_field({"type": "string", "format": "date", "pattern": YEARS_IN_RANGE})
class DayField(serializers.DateField):
    """A day the product accepts (``backoffice.dates``): another is refused on its field (400), as the schema says."""

    default_validators = [validate_in_range]
