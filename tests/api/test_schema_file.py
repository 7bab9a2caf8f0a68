"""The OpenAPI file kept in the repository is the one the code generates: a change to an endpoint that
forgets the file fails here (regenerate: ``manage.py spectacular --lang en --file api/openapi.yaml``)."""

from pathlib import Path

from django.core.management import call_command

KEPT = Path(__file__).resolve().parents[2] / "api" / "openapi.yaml"


def test_the_kept_file_is_what_the_code_generates(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--lang", "en", "--validate", "--fail-on-warn", "--file", str(generated))
    assert generated.read_text() == KEPT.read_text(), (
        "api/openapi.yaml is out of date: run manage.py spectacular --lang en --file api/openapi.yaml"
    )
