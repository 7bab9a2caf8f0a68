"""What the equipment app's permissions give each role (declared in ``EquipmentConfig.ready``).

Logistics receives and moves units, reports incidents, follows up overdue returns (the customer's answers,
a unit recorded lost: ``investigate_incident``) and assesses their charges; the approver
approves or rejects charges (never one they assessed: the service and the database check it);
billing reads the charges and the cancellation fees, and owns the price list as it owns every price;
sales reads the units of its customers. The auditor reads everything (``backoffice.roles``).
"""

from backoffice.roles import APPROVER, BILLING, LOGISTICS, SALES, permissions

UNITS = ("unitmodel", "unit", "unitevent", "returnreminder")
CHARGES = ("charge", "pricelistentry")

GRANTS = {
    LOGISTICS: [
        *permissions("equipment", ["unitmodel", "unit"], "view", "add", "change"),
        *permissions("equipment", ["unitevent", "returnreminder", "followup", *CHARGES], "view"),
        *permissions("equipment", ["incident"], "view", "add"),
        "equipment.move_unit",
        "equipment.investigate_incident",
        "equipment.assess_incident",
    ],
    APPROVER: [
        *permissions("equipment", [*UNITS, "incident", "followup", *CHARGES], "view"),
        "equipment.approve_charge",
    ],
    BILLING: [
        *permissions("equipment", [*UNITS, "incident", "followup", *CHARGES], "view"),
        *permissions("equipment", ["pricelistentry"], "add", "change"),
    ],
    SALES: permissions("equipment", ["unitmodel", "unit", "unitevent"], "view"),
}
