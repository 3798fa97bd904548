"""Sentences about levels and learning time, in the active language (frameworks.md §10).

Every sentence is one translatable whole with named placeholders; the only things put
into a placeholder are data (framework names, qualification names from ``frameworks/data``
in the reader's language, numbers) or the credential's own words. Level wording follows
§10.1: always name the framework, give the typical qualification as orientation, never
call an analogy an equivalence, and say when there is no official link.
"""

from __future__ import annotations

from django.utils.translation import get_language, gettext, ngettext

from credentials.explanation.sentences import join_sentences
from credentials.frameworks.catalogue import (
    Framework,
    Level,
    LevelMapping,
    Relation,
    credit_system,
    framework,
    jeqf_analogy,
    level,
    official_eqf_mapping,
)
from credentials.frameworks.hours import CreditStatement, Duration, HoursFinding, HoursRange
from credentials.frameworks.levels import LevelFinding, LevelStatement, Origin

JP_CREDIT_HOURS = 45.0  # 大学設置基準 Art. 21 (S4, S5)


def is_japanese() -> bool:
    return (get_language() or "").startswith("ja")


def number(value: float) -> str:
    """12 → "12", 2.75 → "2.8", 1500 → "1,500" (one decimal at most)."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return f"{int(rounded):,}"
    return f"{rounded:,.1f}"


def _plural_count(value: float) -> int:
    return 1 if value == 1 else 2


def framework_name(fw: Framework) -> str:
    name = fw.name_ja if is_japanese() else fw.name_en
    return gettext("%(name)s (%(short)s)") % {"name": name, "short": fw.short_name}


def level_label(lv: Level) -> str:
    """ "EQF level 6", or "QF-EHEA first cycle" for frameworks with named levels."""
    fw = framework(lv.framework_id)
    short = fw.short_name if fw else lv.framework_id
    label = lv.label_ja if is_japanese() else lv.label_en
    if label:
        return gettext("%(framework)s %(label)s") % {"framework": short, "label": label}
    return gettext("%(framework)s level %(level)s") % {"framework": short, "level": lv.code}


def qualification_names(lv: Level, *, with_gloss: bool = False) -> str:
    """The level's typical qualifications in the reader's language ("学士 / 高度専門士").

    Japanese qualification names are shown as they are in both languages, since HR staff
    know them; in English a gloss follows when asked for.
    """
    names = []
    for q in lv.typical_qualifications:
        if lv.framework_id == "jeqf":
            name = q.short_ja
            if with_gloss and not is_japanese():
                name = gettext("%(ja)s (%(en)s)") % {"ja": q.short_ja, "en": q.short_en}
        else:
            name = q.short_ja if is_japanese() else q.short_en
        names.append(name)
    return "・".join(names) if is_japanese() else " / ".join(names)


def jeqf_level_for(statement: LevelStatement) -> tuple[LevelMapping | None, Level | None]:
    """Our by-typical-qualification comparison with JEQF: direct, or through the EQF."""
    if not statement.framework_id or statement.framework_id == "jeqf":
        return None, None
    mapping = jeqf_analogy(statement.framework_id, statement.code)
    if mapping is None and statement.eqf_code:
        mapping = jeqf_analogy("eqf", statement.eqf_code)
    if mapping is None or mapping.to_code is None:
        return mapping, None
    return mapping, level("jeqf", mapping.to_code)


def headline_level(finding: LevelFinding) -> str:
    """The level as a short phrase for the headline, or "" when none is stated."""
    statement = finding.primary
    if statement is None:
        return ""
    lv = level(statement.framework_id, statement.code) if statement.framework_id else None
    if lv is None:
        phrase = gettext("the national framework level “%(quote)s”") % {"quote": statement.quote}
    else:
        phrase = level_label(lv)
        _mapping, jeqf = jeqf_level_for(statement)
        if jeqf is not None:
            phrase = gettext("%(level)s (comparable to %(japan)s in Japan)") % {
                "level": phrase,
                "japan": qualification_names(jeqf),
            }
        elif statement.framework_id == "jeqf":
            phrase = gettext("%(level)s (the level of %(japan)s)") % {
                "level": phrase,
                "japan": qualification_names(lv),
            }
    if statement.inferred:
        phrase = gettext("%(level)s (inferred from the text)") % {"level": phrase}
    return phrase


def level_sentences(finding: LevelFinding) -> str:
    statement = finding.primary
    if statement is None:
        return gettext("The credential does not state its level.")
    sentences = []
    if statement.inferred:
        sentences.append(
            gettext(
                "The credential's text mentions “%(quote)s” (not stated as structured data, "
                "so treated as inferred)."
            )
            % {"quote": statement.quote}
        )
    lv = level(statement.framework_id, statement.code) if statement.framework_id else None
    fw = framework(statement.framework_id) if statement.framework_id else None
    if lv is None or fw is None:
        sentences.append(
            gettext(
                "The credential states the national framework level “%(quote)s”. The portal "
                "does not know this framework, so it cannot compare the level."
            )
            % {"quote": statement.quote}
        )
    else:
        sentences.extend(_known_level_sentences(statement, fw, lv))
    for other in finding.conflicts:
        sentences.append(
            gettext(
                "The credential also states “%(quote)s”, which does not match; the portal "
                "shows the more reliable statement above."
            )
            % {"quote": other.quote}
        )
    for other in finding.others:
        if other not in finding.conflicts and other.origin != Origin.FREE_TEXT:
            sentences.append(
                gettext("The credential also states “%(quote)s”.") % {"quote": other.quote}
            )
    return join_sentences(sentences)


def _known_level_sentences(statement: LevelStatement, fw: Framework, lv: Level) -> list[str]:
    sentences = []
    values = {"level": level_label(lv), "framework": framework_name(fw)}
    if lv.typical_qualifications:
        sentences.append(
            gettext(
                "%(level)s of the %(framework)s. Qualifications usually placed at this level: "
                "%(typical)s."
            )
            % {**values, "typical": qualification_names(lv, with_gloss=True)}
        )
    else:
        sentences.append(gettext("%(level)s of the %(framework)s.") % values)
    if fw.id not in ("eqf", "jeqf"):
        sentences.append(_eqf_link_sentence(fw, lv))
    if fw.id != "jeqf":
        sentences.append(_japan_sentence(statement, fw, lv))
    return [s for s in sentences if s]


def _eqf_link_sentence(fw: Framework, lv: Level) -> str:
    mapping = official_eqf_mapping(fw.id, lv.code)
    if mapping is None:
        return gettext("It has no official link to the European Qualifications Framework (EQF).")
    if mapping.relation == Relation.JOINT_COMPARISON:
        if mapping.to_code is None:
            return gettext(
                "The %(year)s joint comparison by %(authority)s deliberately gives this level "
                "no EQF level."
            ) % {"year": mapping.year, "authority": mapping.authority}
        return gettext(
            "A %(year)s joint report by %(authority)s compares it with EQF level %(eqf)s."
        ) % {"year": mapping.year, "authority": mapping.authority, "eqf": mapping.to_code}
    if mapping.relation == Relation.SELF_CERTIFICATION:
        return gettext(
            "The European higher-education framework places it at EQF level %(eqf)s."
        ) % {"eqf": mapping.to_code}
    sentence = gettext(
        "The official referencing of this framework to the European Qualifications Framework "
        "places it at EQF level %(eqf)s."
    ) % {"eqf": mapping.to_code}
    if fw.id in ("uk-rqf", "uk-fheq", "scqf"):
        sentence = join_sentences(
            (
                sentence,
                gettext("This referencing dates from before the UK left the European framework."),
            )
        )
    return sentence


def _japan_sentence(statement: LevelStatement, fw: Framework, lv: Level) -> str:
    mapping, jeqf = jeqf_level_for(statement)
    if jeqf is not None:
        sentence = gettext(
            "In Japan's framework (JEQF), %(japan)s are at level %(jeqf_level)s. This is a "
            "comparison by typical qualification: there is no official link between the two "
            "frameworks."
        ) % {"japan": qualification_names(jeqf, with_gloss=True), "jeqf_level": jeqf.code}
        if jeqf.code != lv.code and fw.id in ("eqf", "aqf", "nzqcf", "mqf", "uk-rqf", "uk-fheq"):
            sentence = join_sentences(
                (sentence, gettext("The level numbers do not match across frameworks."))
            )
        return sentence
    if mapping is not None:
        return gettext(
            "Japan's framework (JEQF) has no school qualification of the same kind, so no "
            "comparison is given."
        )
    return gettext("No comparison with Japan's framework (JEQF) is available for this level.")


def headline_hours(hours: HoursFinding) -> str:
    """Learning time as a short phrase for the headline, or ""."""
    best = hours.best
    if best is None:
        return ""
    converted = hours.best_credit is not None
    phrase = _hours_phrase(best, approximate=converted)
    if hours.best_inferred:
        phrase = gettext("%(hours)s (inferred)") % {"hours": phrase}
    return phrase


def _hours_phrase(hours: HoursRange, *, approximate: bool) -> str:
    if hours.is_exact:
        values = {"hours": number(hours.low)}
        if approximate:
            return (
                ngettext(
                    "about %(hours)s hour of learning",
                    "about %(hours)s hours of learning",
                    _plural_count(hours.low),
                )
                % values
            )
        return (
            ngettext(
                "%(hours)s hour of learning",
                "%(hours)s hours of learning",
                _plural_count(hours.low),
            )
            % values
        )
    return gettext("about %(low)s–%(high)s hours of learning") % {
        "low": number(hours.low),
        "high": number(hours.high),
    }


def hours_sentences(hours: HoursFinding) -> str:
    sentences: list[str] = []
    if hours.duration is not None:
        sentences.extend(_duration_sentences(hours.duration))
    if hours.stated_hours is not None and not (
        hours.duration is not None and hours.duration.hours == hours.stated_hours
    ):
        values = {"hours": number(hours.stated_hours)}
        if hours.stated_origin == Origin.FREE_TEXT:
            sentences.append(
                gettext(
                    "Learning time: about %(hours)s hours, mentioned in the credential's text "
                    "(not stated as structured data, so treated as inferred)."
                )
                % values
            )
        else:
            sentences.append(
                gettext("Learning time: %(hours)s hours (stated in the credential).") % values
            )
    for credit in hours.credits:
        sentences.extend(_credit_sentences(credit))
    disagreeing = hours.disagreement
    if disagreeing is not None and disagreeing.hours is not None:
        sentences.append(
            gettext(
                "The stated hours and the credits do not agree: the credits would mean about "
                "%(low)s–%(high)s hours. Both are shown as the credential states them."
            )
            % {"low": number(disagreeing.hours.low), "high": number(disagreeing.hours.high)}
        )
    if not sentences:
        return gettext("The credential does not state learning hours or credits.")
    return join_sentences(sentences)


def _duration_sentences(duration: Duration) -> list[str]:
    values = {"raw": duration.raw}
    if duration.parse_error:
        return [
            gettext(
                "The credential states its volume of learning as “%(raw)s”, which the portal "
                "cannot read as a length of time."
            )
            % values
        ]
    if duration.years or duration.months:
        months = duration.years * 12 + duration.months
        return [
            ngettext(
                "The credential states its volume of learning as “%(raw)s”, which in the "
                "ISO 8601 format means %(months)s month. That is not plausible as an amount "
                "of learning and is probably a data error in the credential; the portal does "
                "not convert or correct it.",
                "The credential states its volume of learning as “%(raw)s”, which in the "
                "ISO 8601 format means %(months)s months. That is not plausible as an amount "
                "of learning and is probably a data error in the credential; the portal does "
                "not convert or correct it.",
                _plural_count(months),
            )
            % {**values, "months": number(months)}
        ]
    if duration.is_calendar_time:
        return [
            gettext(
                "The credential states a length of calendar time (“%(raw)s”, in weeks or "
                "days), not a number of hours of learning, so the portal does not convert it."
            )
            % values
        ]
    if duration.implausible and duration.hours is not None:
        return [
            gettext(
                "The credential states its volume of learning as “%(raw)s” (%(hours)s hours). "
                "That is not plausible and is probably a data error in the credential."
            )
            % {**values, "hours": number(duration.hours)}
        ]
    if duration.hours is not None:
        return [
            gettext("Learning time: %(hours)s hours (stated in the credential as “%(raw)s”).")
            % {**values, "hours": number(duration.hours)}
        ]
    return []


def _credit_sentences(credit: CreditStatement) -> list[str]:
    system = credit.system
    amount = number(credit.amount)
    if system is None:
        sentences = [
            ngettext(
                "%(amount)s credit (credit system not stated). The number of hours cannot be "
                "determined.",
                "%(amount)s credits (credit system not stated). The number of hours cannot be "
                "determined.",
                _plural_count(credit.amount),
            )
            % {"amount": amount}
        ]
        guess = credit_system(credit.guessed_from_country) if credit.guessed_from_country else None
        guessed = credit.guessed_hours
        if guess is not None and guessed is not None:
            sentences.append(
                gettext(
                    "If these are %(system)s (a guess from the issuer's country), that would "
                    "be about %(low)s–%(high)s hours of learning (inferred)."
                )
                % {
                    "system": guess.short_ja if is_japanese() else guess.short_en,
                    "low": number(guessed.low),
                    "high": number(guessed.high),
                }
            )
        return sentences
    hours = credit.hours
    if hours is None:
        return []
    short = system.short_ja if is_japanese() else system.short_en
    name = system.name_ja if is_japanese() else system.name_en
    if system.id == "hours":
        return [gettext("Learning time: %(hours)s hours.") % {"hours": number(hours.low)}]
    values = {
        "amount": amount,
        "system": short,
        "name": name,
        "low": number(hours.low),
        "high": number(hours.high),
        "per_min": number(system.hours_min),
        "per_max": number(system.hours_max),
    }
    if system.hours_min == system.hours_max:
        sentence = (
            gettext(
                "%(amount)s %(system)s. At %(per_min)s hours per credit (%(name)s), that is about "
                "%(low)s hours of learning."
            )
            % values
        )
    else:
        sentence = (
            gettext(
                "%(amount)s %(system)s. At %(per_min)s–%(per_max)s hours per credit (%(name)s), "
                "that is about %(low)s–%(high)s hours of learning."
            )
            % values
        )
    sentences = [sentence]
    if system.id == "jp-tani":
        sentences.append(
            gettext(
                "Under the Standards for the Establishment of Universities (大学設置基準, "
                "Article 21), one credit (単位) stands for 45 hours of study, classes and "
                "preparation together."
            )
        )
    if credit.origin == Origin.FREE_TEXT:
        sentences.append(
            gettext(
                "These credits are mentioned in the credential's text, not stated as "
                "structured data, so they are treated as inferred."
            )
        )
    elif credit.system_inferred:
        sentences.append(
            gettext(
                "The credit system is not stated as structured data; it is inferred from the "
                "credential's text."
            )
        )
    if system.id not in ("jp-tani", "jp-tani-kosen"):
        low, high = hours.low / JP_CREDIT_HOURS, hours.high / JP_CREDIT_HOURS
        sentences.append(
            gettext(
                "In Japanese university credits (45 hours each) that is roughly "
                "%(low)s–%(high)s 単位 (an estimate by hours, not an official conversion)."
            )
            % {"low": number(low), "high": number(high)}
            if round(low, 1) != round(high, 1)
            else gettext(
                "In Japanese university credits (45 hours each) that is roughly %(low)s 単位 "
                "(an estimate by hours, not an official conversion)."
            )
            % {"low": number(low)}
        )
    return sentences
