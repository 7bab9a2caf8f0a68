"""The terms call their annexes 別紙: a Japanese message cites 別紙 and the section the seed text gives, never 別表."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PO_FILE = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def test_no_japanese_message_cites_an_appended_table_the_terms_have_none():
    assert "別表" not in PO_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("message", "cited"),
    [
        pytest.param(
            "A failure handling charge applies only when the failure was the customer's fault or no failure "
            "was found (Managed Router art. 8, annex 1 3.(5)).",
            "(マネージドルータ個別規程第8条、別紙1 3.(5))",
            id="managed-router-failure-charge",
        ),
        pytest.param(
            "The ISP Platform terms charge no failure handling for rented routers (ISP Platform annex 1 §3).",
            "(ISPプラットフォーム個別規程別紙1 3.)",
            id="isp-platform-failure",
        ),
    ],
)
def test_the_equipment_charge_refusals_cite_the_annex_and_its_section(message, cited):
    """Managed Router 別紙1 3.(5) (failures under art. 8 ¶3); ISP Platform 別紙1 3. names only the loss charge
    (2) and the cancellation fee per unit (3) of a rented router (which billing derives, so no refusal of an
    amount cites it)."""
    with translation.override("ja"):
        assert cited in translation.gettext(message)
