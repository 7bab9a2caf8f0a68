"""The ranges of the contracts domain's own numbers (``backoffice.ranges``: the shared yen and units)."""

from backoffice.ranges import Range

#: A minimum period: the terms use 0 to 12 months; ten years leaves room for special contracts.
MONTHS = Range(0, 120)
#: Days of notice: the terms use 30 and 45.
NOTICE_DAYS = Range(0, 365)
#: ISP Platform lines of one contract; a line item with none is refused by its rule (art. 1).
LINE_COUNT = Range(0, 10_000_000)
#: ISP Platform upper limit of one area, in Mbps (units of 100, art. 1): up to 1 Tbps.
AREA_MBPS = Range(100, 1_000_000)
#: Smart HUB NAPT / firewall sessions (the terms list up to 4,000,000).
SESSIONS = Range(1, 10_000_000)
#: Smart HUB PBB bandwidth expansion, in Gbps (the terms list 5 and 10).
BANDWIDTH_GBPS = Range(1, 100)
#: Display order of catalog entries.
RANK = Range(0, 9_999)
