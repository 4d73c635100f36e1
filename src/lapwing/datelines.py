"""Wire datelines: "BEIRUT (Reuters) -", "MARANCHON, SPAIN —" open a story with where it was filed.

The places stage resolves the town; the actor reader skips it, so that "BLANTYRE — Police said"
has the police as its actor, not "BLANTYRE — Police".
"""

from __future__ import annotations

import re

# The town in capitals, perhaps its country or state, perhaps an agency, then a dash and a space.
DATELINE = re.compile(
    r"\s*(?P<town>[A-Z][A-Z'’.\- ]{1,40}?)(?:,\s*(?P<hint>[A-Z][A-Za-z'’.\- ]{1,30}?))?\s*(?:\([^)\n]{1,40}\)\s*)?[—–-]{1,2}\s"
)
