"""Commission on a cash top-up: tiered profiles, one rounding rule, validated monotonicity.

A profile is a list of tiers; the tier an inserted amount falls in decides the whole
commission (not a marginal scheme). Rules (docs/decisions/003-commission-and-limits.md):

* commission = max(minimum, fixed + percent part), then capped at the inserted amount;
* the percent part is ``inserted × percent_bp / 10 000`` rounded half up to the whole tiyn;
* the amount credited never decreases when the customer inserts more; a profile that
  breaks this is refused at construction with :class:`CommissionError`.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.money import LANGUAGES, NBSP, Language, Money

BASIS_POINTS = 10_000  # 100 % in basis points
# Upper end of every inserted-amount search: far above any service maximum.
INSERTED_CEILING = Money.tenge(100_000_000)


class CommissionError(ValueError):
    """A commission profile that breaks the rules; the message names the profile and tier."""


@dataclass(frozen=True)
class Tier:
    """Applies from this inserted amount upward, until the next tier's ``from_inserted``."""

    from_inserted: Money
    percent_bp: int  # basis points: 150 = 1.50 %
    fixed: Money
    minimum: Money  # commission of this tier is at least this

    def raw_commission(self, inserted: Money) -> Money:
        """This tier's commission before the cap at the inserted amount."""
        percent_part = percent_of(inserted, self.percent_bp)
        return max(self.minimum, self.fixed + percent_part)


@dataclass(frozen=True)
class Breakdown:
    """How an inserted amount splits: ``inserted == commission + credited``."""

    inserted: Money
    commission: Money
    credited: Money


def percent_of(amount: Money, percent_bp: int) -> Money:
    """``amount × percent_bp / 10 000`` rounded half up to the whole tiyn: the one rounding rule."""
    if amount.tiyn < 0:
        raise ValueError(f"percent of a negative amount {amount}")
    return Money((amount.tiyn * percent_bp + BASIS_POINTS // 2) // BASIS_POINTS)


@dataclass(frozen=True)
class CommissionProfile:
    """A named commission schedule; validated when built."""

    id: str
    tiers: tuple[Tier, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.tiers, tuple):
            # Callers may pass a list; the value must stay immutable and hashable.
            object.__setattr__(self, "tiers", tuple(self.tiers))
        _validate(self)

    def tier_for(self, inserted: Money) -> Tier:
        """The tier an inserted amount falls in (the last one starting at or below it)."""
        chosen = self.tiers[0]
        for tier in self.tiers[1:]:
            if tier.from_inserted > inserted:
                break
            chosen = tier
        return chosen

    def breakdown(self, inserted: Money) -> Breakdown:
        """Split an inserted amount into commission and the amount credited to the account."""
        if inserted.tiyn < 0:
            raise ValueError(f"commission profile {self.id!r}: negative inserted amount {inserted}")
        commission = min(self.tier_for(inserted).raw_commission(inserted), inserted)
        return Breakdown(inserted=inserted, commission=commission, credited=inserted - commission)

    def credited(self, inserted: Money) -> Money:
        """The amount credited for an inserted amount."""
        return self.breakdown(inserted).credited

    def max_inserted_for_credit(
        self, credit_cap: Money, *, ceiling: Money = INSERTED_CEILING
    ) -> Money:
        """The largest inserted amount (at most ``ceiling``) whose credited <= ``credit_cap``.

        Exact, because credited is non-decreasing in inserted (checked at construction).
        """
        if credit_cap.tiyn < 0:
            raise ValueError(f"commission profile {self.id!r}: negative credit cap {credit_cap}")
        if self.credited(ceiling) <= credit_cap:
            return ceiling
        low, high = 0, ceiling.tiyn  # invariant: credited(low) <= cap < credited(high)
        while high - low > 1:
            middle = (low + high) // 2
            if self.credited(Money(middle)) <= credit_cap:
                low = middle
            else:
                high = middle
        return Money(low)

    def describe(self, language: Language) -> str:
        """What the screen shows, e.g. ``1,5 %, мин. 50 ₸`` or ``до 5 000 ₸: 2 %; от 5 000 ₸: 1 %``.

        Numbers and their ``%``/``₸`` signs are joined by a no-break space so they never wrap apart.
        """
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        if len(self.tiers) == 1:
            return _describe_tier(self.tiers[0], language)
        parts = [
            f"{_up_to(self.tiers[1].from_inserted, language)}: "
            f"{_describe_tier(self.tiers[0], language)}"
        ]
        for tier in self.tiers[1:]:
            parts.append(f"{_from(tier.from_inserted, language)}: {_describe_tier(tier, language)}")
        return "; ".join(parts)


def _validate(profile: CommissionProfile) -> None:
    """Refuse a profile that is malformed or would credit less when more is inserted."""
    where = f"commission profile {profile.id!r}"
    if not profile.id:
        raise CommissionError("commission profile with an empty id")
    if not profile.tiers:
        raise CommissionError(f"{where}: has no tiers; give at least one tier from 0")
    for number, tier in enumerate(profile.tiers, start=1):
        at = f"{where}, tier {number}"
        if not isinstance(tier, Tier):
            raise CommissionError(f"{at}: expected a Tier, got {type(tier).__name__}")
        if type(tier.percent_bp) is not int or not 0 <= tier.percent_bp <= BASIS_POINTS:
            raise CommissionError(
                f"{at}: percent_bp must be an int 0..{BASIS_POINTS} (basis points), "
                f"got {tier.percent_bp!r}"
            )
        for field_name in ("from_inserted", "fixed", "minimum"):
            value = getattr(tier, field_name)
            if not isinstance(value, Money) or value.tiyn < 0:
                raise CommissionError(
                    f"{at}: {field_name} must be non-negative Money, got {value!r}"
                )
    if profile.tiers[0].from_inserted.tiyn != 0:
        raise CommissionError(
            f"{where}, tier 1: must start from 0, starts from {profile.tiers[0].from_inserted}"
        )
    for number in range(1, len(profile.tiers)):
        before, tier = profile.tiers[number - 1], profile.tiers[number]
        at = f"{where}, tier {number + 1} (from {tier.from_inserted})"
        if tier.from_inserted <= before.from_inserted:
            raise CommissionError(
                f"{at}: tiers must be sorted by strictly increasing from_inserted "
                f"(previous tier starts from {before.from_inserted})"
            )
        # Within a tier credited cannot fall (see decision 003), so the thresholds are
        # the only places to check: one tiyn more must not credit less.
        last_before = tier.from_inserted - Money(1)
        credited_before = last_before - min(before.raw_commission(last_before), last_before)
        credited_at = tier.from_inserted - min(
            tier.raw_commission(tier.from_inserted), tier.from_inserted
        )
        if credited_at < credited_before:
            raise CommissionError(
                f"{at}: inserting {tier.from_inserted} would credit {credited_at}, less than "
                f"{credited_before} credited for {last_before}; the commission may rise at a "
                f"threshold by at most the one tiyn added"
            )


_MINIMUM_WORD: dict[str, str] = {"kk": "кемінде", "ru": "мин.", "en": "min."}
_DECIMAL_MARK: dict[str, str] = {"kk": ",", "ru": ",", "en": "."}


def _percent_text(percent_bp: int, language: Language) -> str:
    whole, fraction = divmod(percent_bp, 100)
    text = str(whole)
    if fraction:
        text += _DECIMAL_MARK[language] + f"{fraction:02d}".rstrip("0")
    return f"{text}{NBSP}%"


def _describe_tier(tier: Tier, language: Language) -> str:
    parts: list[str] = []
    if tier.percent_bp or not tier.fixed:
        parts.append(_percent_text(tier.percent_bp, language))
    if tier.fixed:
        parts.append(tier.fixed.format(language))
    text = " + ".join(parts)
    if tier.minimum:
        text += f", {_MINIMUM_WORD[language]} {tier.minimum.format(language)}"
    return text


# The Kazakh case ending is joined to "₸" by a non-breaking hyphen, so a line never ends in
# "₸-" with "ден" on the next one (seen at 1080x1920 on the cash screen).
NB_HYPHEN = "\u2011"


def _up_to(amount: Money, language: Language) -> str:
    if language == "kk":
        return f"{amount.format(language)}{NB_HYPHEN}ге дейін"  # read "теңгеге дейін"
    if language == "ru":
        return f"до {amount.format(language)}"
    return f"under {amount.format(language)}"


def _from(amount: Money, language: Language) -> str:
    if language == "kk":
        return f"{amount.format(language)}{NB_HYPHEN}ден бастап"  # read "теңгеден бастап"
    if language == "ru":
        return f"от {amount.format(language)}"
    return f"from {amount.format(language)}"
