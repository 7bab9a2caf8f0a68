"""Quality guarantee of the month (sla): outages that started in it, their minutes and the credits granted,
per service, and the list of the month's outages."""

from collections import defaultdict
from datetime import datetime, time

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.exports import DATETIME, NUMBER, TEXT, YEN, Column
from backoffice.months import Month
from contracts.choices import ServiceCode
from sla.models import AffectedContract, Credit, Outage, OutageState

from ..report import Figure, Section


def bounds(month: Month) -> tuple[datetime, datetime]:
    """The month as moments: from its first midnight to the next month's, local time."""
    start = timezone.make_aware(datetime.combine(month.first_day, time.min))
    return start, timezone.make_aware(datetime.combine(month.shifted(1).first_day, time.min))


def outages_of(month: Month):
    """The confirmed outages that started in the month: a draft from the alerts is not yet a fact."""
    start, end = bounds(month)
    rows = Outage.objects.filter(started_at__gte=start, started_at__lt=end, state=OutageState.CONFIRMED)
    return rows.order_by("started_at", "pk")


def minutes(outage) -> int:
    return int((outage.ended_at - outage.started_at).total_seconds() // 60)


def credits_of(month: Month):
    return Credit.objects.filter(granted_on__range=(month.first_day, month.last_day))


def per_service(month: Month) -> Section:
    """Per service: outages, their minutes (an outage counted once for each service it hit), credits granted."""

    def rows():
        outages = {outage.pk: outage for outage in outages_of(month)}
        hit = AffectedContract.objects.filter(outage__in=outages).values_list("outage_id", "contract__service_id")
        by_service = defaultdict(set)
        for outage_id, service in hit.distinct():
            by_service[service].add(outage_id)
        credits = dict(
            credits_of(month)
            .order_by()
            .values_list("claim__affected__contract__service_id")
            .annotate(total=Sum("availability_amount") + Sum("notification_amount"))
        )
        for code, label in ServiceCode.choices:
            ids = by_service.get(code, set())
            yield str(label), len(ids), sum(minutes(outages[i]) for i in ids), credits.get(code, 0)

    columns = (
        Column(_("service")),
        Column(_("outages"), NUMBER),
        Column(_("minutes"), NUMBER),
        Column(_("credits granted (yen)"), YEN),
    )
    return Section("sla_by_service", _("SLA by service"), columns, rows, lambda: len(ServiceCode.choices))


def outage_list(month: Month) -> Section:
    queryset = outages_of(month)

    def rows():
        for outage in queryset.prefetch_related("affected"):
            affected = list(outage.affected.all())
            yield (
                timezone.localtime(outage.started_at).replace(tzinfo=None),
                timezone.localtime(outage.ended_at).replace(tzinfo=None),
                minutes(outage),
                outage.cause,
                outage.get_exclusion_reason_display() if outage.excluded else "",
                len(affected),
                sum(a.availability_credit + a.notification_credit for a in affected),
            )

    columns = (
        Column(_("started at"), DATETIME),
        Column(_("ended at"), DATETIME),
        Column(_("minutes"), NUMBER),
        Column(_("cause"), TEXT),
        Column(_("exclusion reason"), TEXT),
        Column(_("affected contracts"), NUMBER),
        Column(_("credits before the cap (yen)"), YEN),
    )
    return Section("outages", _("Outages"), columns, rows, queryset.count)


def figures(month: Month) -> list[Figure]:
    outages = list(outages_of(month))
    credits = credits_of(month).aggregate(a=Sum("availability_amount"), n=Sum("notification_amount"))
    return [
        Figure(_("Outages started in the month"), len(outages)),
        Figure(_("Outage minutes"), sum(minutes(outage) for outage in outages)),
        Figure(_("SLA credits granted"), credits_of(month).count(), (credits["a"] or 0) + (credits["n"] or 0)),
    ]


def provide(month: Month) -> tuple[list[Figure], list[Section]]:
    return figures(month), [per_service(month), outage_list(month)]
