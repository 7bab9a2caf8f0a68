"""The articles of each guaranteed service's terms, named in the messages of the quality guarantee."""

from django.utils.translation import gettext_lazy as _

#: The guarantee itself, its exclusions and annex 1 (CXM2 art. 8, Smart HUB art. 5).
GUARANTEE = {"cxm2": _("CXM2 art. 8 and annex 1"), "smart_hub": _("Smart HUB art. 5 and annex 1")}
#: The credit, its cap and the 3 months to claim it (CXM2 art. 13, Smart HUB art. 9).
CLAIM = {"cxm2": _("CXM2 art. 13"), "smart_hub": _("Smart HUB art. 9")}
