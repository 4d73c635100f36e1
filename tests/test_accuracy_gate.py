"""CI gate: accuracy on the public PLOVER gold standard may not drop silently.

The floors sit a little below the figures in the README; raise them when the engine improves.
"""

from __future__ import annotations

import pytest
from conftest import shared_path

from lapwing.eval import check_floors, run_eval

pytestmark = pytest.mark.model

FLOORS = {
    "primary.micro_f1": 0.78,  # 0.778 on 2026-12-03, 0.785 late that day, 0.792 on 2026-12-08, then 0.790
    "primary.macro_f1": 0.73,  # 0.735, then 0.751, then 0.748
    "countries.actor": 0.81,  # 0.829, then 0.835
    "countries.recipient": 0.68,  # 0.665 at the end of 2026-12-03, 0.675 later, 0.695 on 2026-12-08, then 0.703
}


def test_plover_gsr_accuracy_stays_above_its_floors():
    gold = shared_path("data", "plover", "PLOVER_GSR_CAMEO.json")
    _, result = run_eval(gold)
    assert check_floors(result, FLOORS) == []


# The shipped judge was trained on these articles, so these figures are above what unseen news
# gets (the README gives the cross-validated ones); the floors guard against silent drops.
ARTICLE_FLOORS = {
    "precision": 0.68,  # 0.678 on 2026-12-03, 0.683, then 0.698, 0.696 on 2026-12-08, then 0.696
    "recall": 0.67,  # 0.635, then 0.644, then 0.660, 0.682 on 2026-12-08, then 0.690
    "duplicate_rate": 0.11,  # a ceiling (0.103, then 0.105, then 0.102)
    "place": 0.53,  # 0.506, then 0.484, then 0.549, 0.557 on 2026-12-08
    "actor": 0.73,  # 0.744 on 2026-12-08, then 0.750
    "recipient": 0.57,  # 0.569 on 2026-12-08, then 0.599
    "date": 0.66,  # 0.670 on 2026-12-08, then 0.688
    "full": 0.31,  # 0.241, then 0.258, 0.298 on 2026-12-08, then 0.336
    # negotiation move on hits of gold moves in talks: 0.758 (25 of 33) earlier on 2026-12-03, then
    # 0.703 (26 of 37) once more moves were found: one more right, four more hits with another move;
    # 0.737 at the end of the day; 0.683 (28 of 41) at the end of 2026-12-08's second session: the
    # same 28 right, three more hits of gold moves coded with another move
    "move": 0.68,
}


def test_article_gold_accuracy_stays_above_its_floors():
    gold = shared_path("data", "articles", "voa-gold.jsonl")
    articles = shared_path("data", "voa", "voa_stories.jsonl")
    _, result = run_eval(gold, articles=articles)
    assert check_floors(result, ARTICLE_FLOORS) == []
