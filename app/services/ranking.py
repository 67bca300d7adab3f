"""How ideas are ranked: "top" (Wilson lower bound) and "trending" (time-decayed)."""

import math
from datetime import datetime

Z_95 = 1.959963984540054  # two-sided 95 % quantile of the standard normal distribution

# Trending: an idea TRENDING_HOURS_PER_TENFOLD hours older needs ten times the net votes to
# rank level with a newer one. Written as log10(net votes) + a bonus for the creation time,
# the order only changes when votes change, so the score can be stored and indexed
# (the "hot" ranking of large discussion sites).
TRENDING_EPOCH = datetime(2017, 12, 4)  # the day the council decided on the process
TRENDING_HOURS_PER_TENFOLD = 24


def wilson_lower_bound(up: int, down: int, z: float = Z_95) -> float:
    """Lower bound of the Wilson score interval for the share of up-votes (0 without votes)."""
    n = up + down
    if n == 0:
        return 0.0
    p = up / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt((p * (1 - p) + z * z / (4 * n)) / n)
    return (centre - margin) / (1 + z * z / n)


def trending_score(up: int, down: int, created_at: datetime) -> float:
    """log10 of the net votes (signed) plus a bonus that grows with the idea's creation time."""
    net = up - down
    order = math.log10(max(abs(net), 1))
    sign = 1 if net > 0 else -1 if net < 0 else 0
    hours = (created_at - TRENDING_EPOCH).total_seconds() / 3600
    return sign * order + hours / TRENDING_HOURS_PER_TENFOLD
