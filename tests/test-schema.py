#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Validates Chronomap's JSON Schema and the bundled sample dataset.

Usage: test-schema.py SCHEMA SAMPLE [ARTICLE]

SCHEMA  data/chronomap.schema.json
SAMPLE  data/samples/riyadh-talks-2025.json
ARTICLE the news article the sample is written from; when given and
        present, every quote in the sample must occur in it verbatim.

Prints TAP; exits non-zero if any check fails. Needs python3-jsonschema
(4.0 or newer, for draft 2020-12); without it the schema checks are
reported as skipped and the other checks still run.
"""

import json
import os
import re
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:  # pragma: no cover - depends on the machine
    jsonschema = None
    Draft202012Validator = None

try:
    import zoneinfo
except ImportError:  # pragma: no cover - Python < 3.9
    zoneinfo = None

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(HERE)

# The sample's story: the places the news report is about.
REQUIRED_PLACES = ["riyadh", "kyiv", "ankara", "moscow", "washington",
                   "paris", "london", "berlin", "brussels"]
MIN_EVENTS = 14
MIN_ACTORS = 12
MIN_PLACES = 9

# libadwaita's light and dark view backgrounds: group colours must reach
# 3:1 (WCAG 2 non-text contrast) against both.
BACKGROUNDS = ["#ffffff", "#242424"]
MIN_CONTRAST = 3.0

DATE_RE = re.compile(
    r"^(?P<year>-[0-9]{4,}|[0-9]{4})"
    r"(?:-(?P<month>[0-9]{2})"
    r"(?:-(?P<day>[0-9]{2})"
    r"(?:T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?"
    r"(?P<zone>Z|[+-][0-9]{2}:[0-9]{2})?)?)?)?$")


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, details=()):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, name))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name))
            for line in details:
                print("# " + str(line))
        sys.stdout.flush()
        return cond

    def skip(self, name, reason):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, name, reason))

    def finish(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0


def is_leap(year):
    # Proleptic Gregorian, astronomical years (Python's % is floored, so
    # this is right for negative years too).
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year, month):
    if month == 2:
        return 29 if is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def parse_date(text):
    """Returns a comparable key for the start of the interval @text names,
    or raises ValueError with a reason. Times without an offset are
    compared as written (good enough within one sample)."""
    m = DATE_RE.match(text)
    if not m:
        raise ValueError("%r is not an ISO 8601 date" % text)
    year = int(m.group("year"))
    month = int(m.group("month") or 1)
    day = int(m.group("day") or 1)
    hour = int(m.group("hour") or 0)
    minute = int(m.group("minute") or 0)
    second = int(m.group("second") or 0)
    if not 1 <= month <= 12:
        raise ValueError("%r: month %d" % (text, month))
    if not 1 <= day <= days_in_month(year, month):
        raise ValueError("%r: day %d does not exist" % (text, day))
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError("%r: time out of range" % text)
    offset = 0
    zone = m.group("zone")
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        oh, om = int(zone[1:3]), int(zone[4:6])
        if oh > 23 or om > 59:
            raise ValueError("%r: offset out of range" % text)
        offset = sign * (oh * 3600 + om * 60)
    # Days since an arbitrary epoch is not needed: a tuple with the offset
    # folded into the minutes compares correctly for sane offsets.
    total_minutes = ((hour * 60 + minute) * 60 + second - offset) / 60.0
    return (year, month, day, total_minutes)


def precision(text):
    m = DATE_RE.match(text)
    if not m:
        return None
    for name in ("second", "minute", "day", "month"):
        if m.group(name):
            return name
    return "year"


def luminance(color):
    def channel(c):
        c = c / 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def check_integrity(tap, doc):
    """Ids unique per kind, every reference resolves."""
    ids = {}
    for kind in ("groups", "actors", "places", "periods", "events"):
        seen = set()
        dups = []
        for i, item in enumerate(doc.get(kind, [])):
            if "id" not in item:
                continue
            if item["id"] in seen:
                dups.append("%s[%d].id: duplicate %r" % (kind, i, item["id"]))
            seen.add(item["id"])
        ids[kind] = seen
        tap.ok(not dups, "sample: %s ids are unique" % kind, dups)

    bad = []
    for i, actor in enumerate(doc.get("actors", [])):
        if "group" in actor and actor["group"] not in ids["groups"]:
            bad.append("actors[%d].group: no group %r" % (i, actor["group"]))
    for i, event in enumerate(doc.get("events", [])):
        for j, ref in enumerate(event.get("places", [])):
            if ref not in ids["places"]:
                bad.append("events[%d].places[%d]: no place %r" % (i, j, ref))
        for j, ref in enumerate(event.get("actors", [])):
            if ref not in ids["actors"]:
                bad.append("events[%d].actors[%d]: no actor %r" % (i, j, ref))
        for j, quote in enumerate(event.get("quotes", [])):
            if "actor" in quote and quote["actor"] not in ids["actors"]:
                bad.append("events[%d].quotes[%d].actor: no actor %r"
                           % (i, j, quote["actor"]))
    tap.ok(not bad, "sample: every reference names an existing id", bad)
    return ids


def check_dates(tap, doc):
    bad = []
    for kind in ("periods", "events"):
        for i, item in enumerate(doc.get(kind, [])):
            try:
                start = parse_date(item["start"])
                if "end" in item:
                    end = parse_date(item["end"])
                    if end < start:
                        bad.append("%s[%d]: end %s is before start %s"
                                   % (kind, i, item["end"], item["start"]))
            except (KeyError, ValueError) as e:
                bad.append("%s[%d]: %s" % (kind, i, e))
    tap.ok(not bad, "sample: dates are real calendar dates, end >= start", bad)


def check_timezones(tap, doc):
    if zoneinfo is None:
        tap.skip("sample: place time zones exist", "no zoneinfo module")
        return
    try:
        zoneinfo.ZoneInfo("Europe/Paris")
    except Exception:
        tap.skip("sample: place time zones exist", "no time zone database")
        return
    bad = []
    for i, place in enumerate(doc.get("places", [])):
        if "timezone" not in place:
            bad.append("places[%d]: no timezone" % i)
            continue
        try:
            zoneinfo.ZoneInfo(place["timezone"])
        except Exception as e:
            bad.append("places[%d].timezone: %r: %s" % (i, place["timezone"], e))
    tap.ok(not bad, "sample: every place has an existing IANA time zone", bad)


def check_story(tap, doc):
    events = doc.get("events", [])
    actors = doc.get("actors", [])
    places = doc.get("places", [])
    tap.ok(doc.get("chronomap") == 1 and doc.get("title") and doc.get("description"),
           "sample: version 1 with a title and a description")
    tap.ok(len(events) >= MIN_EVENTS, "sample: at least %d events" % MIN_EVENTS,
           ["has %d" % len(events)])
    tap.ok(len(actors) >= MIN_ACTORS, "sample: at least %d actors" % MIN_ACTORS,
           ["has %d" % len(actors)])
    tap.ok(len(places) >= MIN_PLACES, "sample: at least %d places" % MIN_PLACES,
           ["has %d" % len(places)])
    place_ids = {p.get("id") for p in places}
    missing = [p for p in REQUIRED_PLACES if p not in place_ids]
    tap.ok(not missing, "sample: the story's places are present",
           ["missing: " + ", ".join(missing)])

    periods = {p.get("id"): p for p in doc.get("periods", [])}
    war = periods.get("full-scale-war", {})
    tap.ok(war.get("start") == "2022-02-24",
           "sample: period full-scale-war starts 2022-02-24", [repr(war)])

    incomplete = ["events[%d] %s" % (i, e.get("id")) for i, e in enumerate(events)
                  if not (e.get("summary") and e.get("sources") and e.get("tags"))]
    tap.ok(not incomplete, "sample: every event has a summary, tags and sources",
           incomplete)

    kinds = {a.get("kind") for a in actors}
    tap.ok({"person", "government", "organisation"} <= kinds,
           "sample: actors include persons, governments and organisations",
           [sorted(k for k in kinds if k)])
    no_role = [a.get("id") for a in actors
               if not (a.get("kind") and a.get("role") and a.get("group")
                       and a.get("description"))]
    tap.ok(not no_role, "sample: every actor has kind, role, group, description",
           no_role)

    precisions = [precision(e.get("start", "")) for e in events]
    n_month = precisions.count("month")
    tap.ok(n_month >= 2, "sample: at least two events have month precision",
           ["month: %d, all: %r" % (n_month, precisions)])
    n_multi = sum(1 for e in events
                  if len(e.get("places", [])) >= 2 and len(e.get("actors", [])) >= 2)
    tap.ok(n_multi >= 3, "sample: at least three events with several places and actors",
           ["has %d" % n_multi])
    n_quotes = sum(len(e.get("quotes", [])) for e in events)
    tap.ok(n_quotes >= 3, "sample: at least three quotes", ["has %d" % n_quotes])

    colors = [g.get("color") for g in doc.get("groups", [])]
    tap.ok(all(colors) and len(set(c.lower() for c in colors)) == len(colors),
           "sample: every group has its own colour", [repr(colors)])
    low = []
    for g in doc.get("groups", []):
        c = g.get("color")
        if not c or not re.match(r"^#[0-9A-Fa-f]{6}$", c):
            continue
        for bg in BACKGROUNDS:
            if contrast(c, bg) < MIN_CONTRAST:
                low.append("%s %s on %s: %.2f:1" % (g.get("id"), c, bg, contrast(c, bg)))
    tap.ok(not low, "sample: group colours reach %.0f:1 on light and dark" % MIN_CONTRAST,
           low)

    urls = [l.get("url") for a in actors for l in a.get("links", [])]
    urls += [s.get("url") for e in events for s in e.get("sources", []) if "url" in s]
    not_https = [u for u in urls if not str(u).startswith("https://")]
    tap.ok(not not_https, "sample: every URL is https", not_https)


def check_quotes(tap, doc, article_path):
    name = "sample: every quote occurs verbatim in the article"
    if not article_path or not os.path.exists(article_path):
        tap.skip(name, "article not available")
        return
    with open(article_path, encoding="utf-8") as f:
        article = f.read()
    bad = []
    for i, event in enumerate(doc.get("events", [])):
        for j, quote in enumerate(event.get("quotes", [])):
            if quote.get("text", "") not in article:
                bad.append("events[%d].quotes[%d]: %r" % (i, j, quote.get("text")))
    tap.ok(not bad, name, bad)


def error_lines(validator, doc):
    out = []
    for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
        path = "".join("[%d]" % p if isinstance(p, int) else ".%s" % p
                       for p in e.absolute_path)
        out.append("%s: %s" % (path or "(root)", e.message))
    return out


def minimal(**extra):
    doc = {"chronomap": 1, "events": [{"id": "e", "title": "T", "start": "2025-02-18"}]}
    doc.update(extra)
    return doc


def with_event(**fields):
    event = {"id": "e", "title": "T", "start": "2025-02-18"}
    event.update(fields)
    return {"chronomap": 1, "events": [event]}


def without(d, key):
    d = dict(d)
    del d[key]
    return d


PLACE = {"id": "p", "name": "P", "lat": 24.7136, "lon": 46.6753}
ACTOR = {"id": "a", "name": "A"}


def check_schema_cases(tap, validator):
    good = {
        "undated event (imported story)": {"chronomap": 1, "events": [
            {"id": "e", "title": "T", "undated": True}]},
        "event with imported properties": with_event(
            properties=[{"key": "mag", "value": "4.5"}, {"key": "type", "value": "earthquake"}]),
        "minimal document": {"chronomap": 1, "events": []},
        "one event (the base of the rejected cases)": minimal(),
        "a place and an actor (bases of rejected cases)": minimal(places=[PLACE],
                                                                  actors=[ACTOR]),
        "unknown keys everywhere": {
            "chronomap": 1, "x-importer": {"from": "timelinejs"},
            "groups": [{"id": "g", "name": "G", "color": "#1C71D8", "extra": 1}],
            "actors": [dict(ACTOR, group="g", kind="organisation", future=True)],
            "places": [dict(PLACE, population=1)],
            "events": [{"id": "e", "title": "T", "start": "2025", "media": {},
                        "quotes": [{"text": "anonymous words", "lang": "en"}]}]},
        "source with title only": with_event(sources=[{"title": "A report"}]),
        "source with url only": with_event(sources=[{"url": "https://example.org/a"}]),
        "link with url only": minimal(actors=[dict(ACTOR, links=[{"url": "http://example.org"}])]),
        "period without id": minimal(periods=[{"title": "War", "start": "2022-02-24"}]),
        "places at the limits": minimal(places=[dict(PLACE, lat=-90, lon=180),
                                                dict(PLACE, id="q", lat=90.0, lon=-180.0)]),
        "ids with . : _ -": minimal(groups=[{"id": "us.gov:state_dept-1", "name": "G"},
                                            {"id": "2025", "name": "Year"}]),
    }
    for text in ["2025", "2025-02", "2025-02-18", "2025-02-18T10:00",
                 "2025-02-18T10:00:30", "2025-02-18T10:00Z", "2025-02-18T10:00:00+03:00",
                 "2025-02-18T23:59:59-09:30", "0000", "-0043-03-15", "-10000",
                 "2024-02-29"]:
        good["date %s" % text] = with_event(start=text)

    bad = {
        "bad date 2025-13-01": with_event(start="2025-13-01"),
        "bad date 2025-02-32": with_event(start="2025-02-32"),
        "bad date 18/02/2025": with_event(start="18/02/2025"),
        "bad date 25": with_event(start="25"),
        "bad date 20250218 (basic format)": with_event(start="20250218"),
        "bad date with hour 25": with_event(start="2025-02-18T25:00"),
        "bad date with hour only": with_event(start="2025-02-18T10"),
        "bad date with offset on a day": with_event(start="2025-02-18+03:00"),
        "bad date with offset +0300": with_event(start="2025-02-18T10:00+0300"),
        "bad end date": with_event(end="2025-02-18 10:00"),
        "date as a number": with_event(start=2025),
        "lat 91": minimal(places=[dict(PLACE, lat=91)]),
        "lat -90.5": minimal(places=[dict(PLACE, lat=-90.5)]),
        "lon 181": minimal(places=[dict(PLACE, lon=181)]),
        "lat as a string": minimal(places=[dict(PLACE, lat="24.7")]),
        "place without lon": minimal(places=[without(PLACE, "lon")]),
        "event without title": {"chronomap": 1,
                                "events": [{"id": "e", "start": "2025-02-18"}]},
        "event without id": {"chronomap": 1,
                             "events": [{"title": "T", "start": "2025-02-18"}]},
        "event without start": {"chronomap": 1, "events": [{"id": "e", "title": "T"}]},
        "undated event with a start": {"chronomap": 1, "events": [
            {"id": "e", "title": "T", "undated": True, "start": "2025"}]},
        "property without a value": with_event(properties=[{"key": "mag"}]),
        "properties as an object": with_event(properties={"mag": "4.5"}),
        "event with empty title": with_event(title=""),
        "period without title": minimal(periods=[{"id": "p", "start": "2022"}]),
        "period without start": minimal(periods=[{"id": "p", "title": "War"}]),
        "actor without name": minimal(actors=[{"id": "a"}]),
        "group without name": minimal(groups=[{"id": "g"}]),
        "bad colour #12345": minimal(groups=[{"id": "g", "name": "G", "color": "#12345"}]),
        "bad colour red": minimal(groups=[{"id": "g", "name": "G", "color": "red"}]),
        "bad colour #1c71d8ff": minimal(groups=[{"id": "g", "name": "G", "color": "#1c71d8ff"}]),
        "bad kind": minimal(actors=[dict(ACTOR, kind="robot")]),
        "bad id with a space": minimal(actors=[dict(ACTOR, id="marco rubio")]),
        "bad id starting with -": minimal(actors=[dict(ACTOR, id="-a")]),
        "bad id empty": minimal(actors=[dict(ACTOR, id="")]),
        "id as a number": minimal(actors=[dict(ACTOR, id=1)]),
        "event places not strings": with_event(places=[1]),
        "event places as a string": with_event(places="riyadh"),
        "duplicate actor in an event": with_event(actors=["a", "a"]),
        "link without url": minimal(actors=[dict(ACTOR, links=[{"title": "A page"}])]),
        "javascript url": minimal(actors=[dict(ACTOR, links=[{"url": "javascript:alert(1)"}])]),
        "file url in a source": with_event(sources=[{"title": "t", "url": "file:///etc/passwd"}]),
        "source with neither title nor url": with_event(sources=[{"note": "?"}]),
        "quote without text": with_event(quotes=[{"actor": "a"}]),
        "version 2": {"chronomap": 2, "events": []},
        "version as a string": {"chronomap": "1", "events": []},
        "no version": {"events": []},
        "no events": {"chronomap": 1},
        "events not an array": {"chronomap": 1, "events": {}},
        "not an object": [],
    }

    for name, doc in good.items():
        errors = error_lines(validator, doc)
        tap.ok(not errors, "schema accepts: " + name, errors)
    for name, doc in bad.items():
        tap.ok(not validator.is_valid(doc), "schema rejects: " + name,
               [json.dumps(doc)])


def main(argv):
    schema_path = argv[1] if len(argv) > 1 else os.path.join(
        SOURCE_ROOT, "data", "chronomap.schema.json")
    sample_path = argv[2] if len(argv) > 2 else os.path.join(
        SOURCE_ROOT, "data", "samples", "riyadh-talks-2025.json")
    article_path = argv[3] if len(argv) > 3 else os.path.join(
        os.path.dirname(SOURCE_ROOT), "shared", "seed", "000_90d5b9cef54d995a.txt")

    tap = Tap()
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(sample_path, encoding="utf-8") as f:
        sample = json.load(f)

    if jsonschema is None:
        for name in ("schema is a valid draft 2020-12 schema",
                     "sample validates against the schema"):
            tap.skip(name, "python3-jsonschema >= 4.0 is not installed")
    else:
        try:
            Draft202012Validator.check_schema(schema)
            tap.ok(True, "schema is a valid draft 2020-12 schema")
        except jsonschema.exceptions.SchemaError as e:
            tap.ok(False, "schema is a valid draft 2020-12 schema", [e.message])
            return tap.finish()
        tap.ok(schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema",
               "schema declares draft 2020-12")
        validator = Draft202012Validator(schema)
        tap.ok(not error_lines(validator, sample), "sample validates against the schema",
               error_lines(validator, sample))
        check_schema_cases(tap, validator)

    check_integrity(tap, sample)
    check_dates(tap, sample)
    check_timezones(tap, sample)
    check_story(tap, sample)
    check_quotes(tap, sample, article_path)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
