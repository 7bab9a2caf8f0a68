"""Rules of CXM2 (Cloud Exchange Service / Type M2), SPEC §2.

Prerequisites count only live contracts and options (``LIVE_STATUSES``); a related contract counts
when in force on the day the option is formed (``queries.formed_on``).
"""

from django.utils.translation import gettext as _

from customers.choices import RelatedKind

from ..choices import ApplicationType, ServiceCode
from ..models import Contract, ContractOption
from .hooks import (
    contract_change_rule,
    contract_rule,
    option_end_guard,
    option_rule,
    refuse,
    refuse_while_needed,
    related_end_guard,
)
from .queries import formed_on, holds_related, keeps_another, lives_after

FIREWALL = "cxm2.firewall"
STATIC_NAT = "cxm2.static_nat"
#: The Managed Firewall item that firewall integration needs (art. 7 ¶3).
FIREWALL_ITEM = "M/CXE"


@contract_rule(ServiceCode.CXM2)
def standby_names_a_live_active_partner(contract):
    """Only a customer holding an Active CXM2 may hold a Standby (art. 5).

    Decision (SPEC §2): a Standby names its Active partner, a live Active CXM2 of the same customer.
    """
    if contract.application_type != ApplicationType.STANDBY:
        return
    partner = contract.standby_of
    if partner is None:
        refuse(_("A Standby contract names the Active CXM2 contract it backs up (CXM2 art. 5)."), "standby_of")
    if (
        partner.service_id != ServiceCode.CXM2
        or partner.customer_id != contract.customer_id
        or partner.application_type != ApplicationType.ACTIVE
        or not partner.is_live
    ):
        refuse(
            _("Standby requires a live Active CXM2 contract of the same customer as its partner (CXM2 art. 5)."),
            "standby_of",
        )


@contract_rule(ServiceCode.CXM2)
def active_has_no_partner(contract):
    """An Active contract backs up nothing (art. 2, art. 5); a Standby changed to Active (art. 6) has
    its partner dropped by ``Contract.clean`` before this rule runs."""
    if contract.application_type == ApplicationType.ACTIVE and contract.standby_of_id:
        refuse(_("Only a Standby contract names an Active partner (CXM2 art. 5)."), "standby_of")


@contract_change_rule(ServiceCode.CXM2)
def active_backing_standbys_stays_active(contract, old):
    """An Active that live Standby contracts back up cannot itself become a Standby (art. 5, art. 6)."""
    if old.get("application_type") != ApplicationType.ACTIVE or contract.application_type != ApplicationType.STANDBY:
        return
    if contract.standbys.live().exists():
        refuse(
            _("This Active contract has a live Standby partner; it cannot become a Standby (CXM2 art. 5, art. 6)."),
            "application_type",
        )


def standbys_end_with_their_active(contract, on) -> list[Contract]:
    """Decision: a Standby may not outlive its Active (SPEC §2, art. 5), so ending an Active ends
    its live Standby partners with it (reason cascade, history note "Ended with <number>").
    Refusing instead would force staff to end the Standby first for no benefit to the customer.
    A cascade (``cascades``).
    """
    if contract.application_type != ApplicationType.ACTIVE:
        return []
    return list(contract.standbys.live())


@option_rule(ServiceCode.CXM2)
def firewall_integration_needs_managed_firewall(option):
    """Firewall integration needs a live Managed Firewall contract of item Type M/CXE (art. 7 ¶3)."""
    day = formed_on(option)
    if option.kind_id != FIREWALL or day is None:
        return
    if not holds_related(
        option.contract.customer_id, RelatedKind.MANAGED_FIREWALL, day, firewall_item__iexact=FIREWALL_ITEM
    ):
        refuse(
            _("Firewall integration requires a Managed Firewall contract of item Type M/CXE (CXM2 art. 7 ¶3)."),
            "kind",
        )


@option_rule(ServiceCode.CXM2)
def static_nat_needs_firewall_integration(option):
    """Static NAT needs a live firewall integration option on the same contract (art. 7 ¶4)."""
    if option.kind_id != STATIC_NAT:
        return
    if not ContractOption.objects.live().filter(contract_id=option.contract_id, kind_id=FIREWALL).exists():
        refuse(
            _("Static NAT requires the firewall integration option on the same CXM2 contract (CXM2 art. 7 ¶4)."),
            "kind",
        )


@option_end_guard(ServiceCode.CXM2)
def firewall_integration_outlives_static_nat(option, on):
    """Firewall integration cannot stop while a static NAT on the same contract outlives it (art. 7 ¶4).

    A static NAT already due to end by the same day does not hold it back, so both may be
    cancelled together.
    """
    if option.kind_id != FIREWALL:
        return
    nats = ContractOption.objects.live().filter(contract_id=option.contract_id, kind_id=STATIC_NAT)
    if any(lives_after(nat, on) for nat in nats):
        refuse(
            _(
                "Firewall integration cannot stop while a static NAT option on the same contract continues "
                "(CXM2 art. 7 ¶4); stop the static NAT first or with it."
            )
        )


@related_end_guard(RelatedKind.MANAGED_FIREWALL)
def managed_firewall_outlives_firewall_integration(related, on):
    """The last Managed Firewall Type M/CXE contract cannot end while a firewall integration option
    needs it (art. 7 ¶3)."""
    if related.firewall_item.upper() != FIREWALL_ITEM or keeps_another(
        related, on, firewall_item__iexact=FIREWALL_ITEM
    ):
        return
    options = ContractOption.objects.live().filter(contract__customer_id=related.customer_id, kind_id=FIREWALL)
    refuse_while_needed(
        options.select_related("contract"),
        _("Firewall integration requires a Managed Firewall contract of item Type M/CXE (CXM2 art. 7 ¶3)."),
    )
