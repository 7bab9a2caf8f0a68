"""Who reads the monthly report (declared in ``ReportsConfig.ready``).

Billing sends it to management and accounting; the auditor reads it as every other view permission.
"""

from backoffice.roles import BILLING

#: Reading the month's dashboard and downloading its report.
READ_REPORTS = "reports.view_monthlyreport"

GRANTS = {BILLING: [READ_REPORTS]}
