"""The catalog as the annexes read: ISP Platform options are prorated by day (別紙1 §2 (2) has no
"日割計算式が適用されません" note, SPEC §1 applies); Smart HUB ports have no change fee (別紙2 §3)."""

from django.db import migrations
from django.utils import timezone

ISP_OPTIONS = (
    "isp_platform.router_rental",
    "isp_platform.ipv4_port_expansion",
    "isp_platform.ipv4_fixed_ip",
    "isp_platform.dslite",
)
HUB_PORTS = ("smart_hub.onprem_port", "smart_hub.cloud_port")


def forward(apps, schema_editor):
    OptionKind = apps.get_model("contracts", "OptionKind")
    History = apps.get_model("contracts", "HistoricalOptionKind")
    fields = [field.attname for field in OptionKind._meta.concrete_fields]
    for codes, changes, reason in (
        (ISP_OPTIONS, {"prorated": True}, "ISP Platform options are prorated by day (annex 1 §2 (2))"),
        (HUB_PORTS, {"change_fee": 0}, "Smart HUB ports have no change fee (annex 2 §3)"),
    ):
        for row in OptionKind.objects.filter(code__in=codes):
            if all(getattr(row, name) == value for name, value in changes.items()):
                continue
            for name, value in changes.items():
                setattr(row, name, value)
            row.save()
            History.objects.create(
                **{name: getattr(row, name) for name in fields},
                history_date=timezone.now(),
                history_type="~",
                history_change_reason=reason,
            )


class Migration(migrations.Migration):
    dependencies = [("contracts", "0008_history_reason_text")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
