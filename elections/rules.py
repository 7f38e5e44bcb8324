"""The arithmetic of 《工会基层组织选举工作条例》, on the thresholds of an ElectionRules row (data, not constants).

Every comparison is exact (integers, no floats): "more than two thirds" is ``voted × 3 > entitled × 2``.
"""

from dataclasses import dataclass, field
from decimal import Decimal


def enough_candidates(rules, *, seats, candidates):
    """差额: candidates exceed the seats by at least ``margin_ratio`` of the seats (exactly at the ratio passes)."""
    return candidates >= seats and Decimal(candidates - seats) >= Decimal(seats) * rules.margin_ratio


def quorum_met(rules, *, voted, entitled):
    """The vote is valid only when those voting exceed the quorum share of those entitled (at exactly it: not)."""
    return voted * rules.quorum_denominator > entitled * rules.quorum_numerator


def has_majority(rules, *, votes, entitled):
    """Elected only with yes-votes above the majority share of those entitled to vote (at exactly half: not)."""
    return votes * rules.majority_denominator > entitled * rules.majority_numerator


@dataclass
class Outcome:
    valid: bool
    elected: list = field(default_factory=list)
    second_round: list = field(default_factory=list)  # candidates who go to a second round
    seats_left: int = 0


def outcome(rules, *, seats, entitled, voted, votes, ballots_issued=None):
    """Who is elected from ``votes`` ({candidate: yes votes}).

    More ballots returned than issued voids the vote, as does a missed quorum. Of those with a majority, the most
    votes win the seats; a tie across the last seat and seats left unfilled go to a second round (if the rules
    allow one) among the candidates not elected.
    """
    if (ballots_issued is not None and voted > ballots_issued) or not quorum_met(rules, voted=voted,
                                                                                  entitled=entitled):
        return Outcome(valid=False, seats_left=seats)
    ranked = sorted(votes.items(), key=lambda item: -item[1])
    with_majority = [(c, v) for c, v in ranked if has_majority(rules, votes=v, entitled=entitled)]
    elected = [c for c, _v in with_majority[:seats]]
    if len(with_majority) > seats and with_majority[seats][1] == with_majority[seats - 1][1]:
        tied = with_majority[seats - 1][1]
        elected = [c for c, v in with_majority if v > tied]
    seats_left = seats - len(elected)
    runoff = [c for c, _v in ranked if c not in elected] if seats_left and rules.second_round else []
    return Outcome(valid=True, elected=elected, second_round=runoff, seats_left=seats_left)


def ballot_valid(*, marks, seats):
    """A ballot naming more people than there are seats is invalid."""
    return marks <= seats
