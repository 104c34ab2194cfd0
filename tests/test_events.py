"""Events from news text: the worked example and the other example reports."""

import datetime as dt
from pathlib import Path

import pytest
from shapely.geometry import Point

from geoevents import Gazetteer
from geoevents.events import EVENT_TYPES, extract_events, fatalities_in, split_sentences
from geoevents.mention import Mention

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXP = "Explosions/Remote violence"


def events_of(name, published):
    text = (EXAMPLES / name).read_text("utf-8")
    return text, extract_events(text, published=published, source="Example Wire", doc_id=name)


@pytest.fixture(scope="module")
def baghdad():
    return events_of("baghdad-2023-12-08.txt", "2023-12-08")


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


def table(events):
    return [(e.event_type, e.sub_event_type, e.location, str(e.event_date), e.time_precision,
             e.fatalities) for e in events]


# ------------------------------------------------------------------ the worked example

def test_embassy_attack(baghdad, gaz):
    _, evs = baghdad
    e = evs[0]
    assert (e.event_type, e.sub_event_type) == (EXP, "Shelling/artillery/missile attack")
    assert e.location == "Green Zone" and e.place_id == "curated:green-zone"
    assert e.geometry.geom_type == "Polygon" and e.precision == "district"
    assert e.geo_precision == 1
    # the Green Zone polygon lies inside Baghdad governorate
    baghdad_gov = gaz.search("Baghdad", kind="admin1")[0]
    assert baghdad_gov.geometry.contains(e.geometry.representative_point())
    assert e.geometry.area < baghdad_gov.geometry.area / 50
    assert (e.country, e.iso3, e.admin1) == ("Iraq", "IRQ", "Baghdad")
    assert e.event_date == dt.date(2023, 12, 8) and e.time_precision == 1
    assert e.event_time == "04:15"
    assert e.fatalities == 0                      # "There were no casualties"
    assert e.actor1 == "Iran-aligned militias"    # from the next sentence ("the rockets")
    assert "suspected" in e.notes
    a, b = e.mention_start - e.sentence_start, e.mention_end - e.sentence_start
    assert e.mention == e.sentence[a:b] == "Green Zone"


def test_headline_and_lead_are_one_event(baghdad):
    _, evs = baghdad
    at_baghdad = [e for e in evs if e.country == "Iraq" and e.event_type == EXP
                  and e.sub_event_type.startswith("Shelling")]
    assert len(at_baghdad) == 1


def test_full_table(baghdad):
    _, evs = baghdad
    assert table(evs) == [
        (EXP, "Shelling/artillery/missile attack", "Green Zone", "2023-12-08", 1, 0),
        ("Battles", "Armed clash", "Gaza Strip", "2023-12-08", 3, None),
        (EXP, "Air/drone strike", "Iraq", "2023-10-15", 3, None),
        (EXP, "Air/drone strike", "Syria", "2023-10-15", 3, None),
        (EXP, "Air/drone strike", "eastern Syria", "2023-12-08", 3, None),
        (EXP, "Air/drone strike", "Iraq", "2023-12-08", 3, None),
        (EXP, "Air/drone strike", "Red Sea", "2023-12-08", 3, None),
    ]


def test_since_mid_october_is_a_range(baghdad):
    _, evs = baghdad
    agg = [e for e in evs if e.event_date == dt.date(2023, 10, 15)]
    assert {e.location for e in agg} == {"Iraq", "Syria"}
    for e in agg:
        assert e.event_date_end == dt.date(2023, 12, 8) and e.time_precision == 3
        assert e.actor1 == "Iran-aligned groups" and e.actor2 == "US personnel"
        assert "aggregate" in e.notes


def test_eastern_syria_is_the_east_of_syria(baghdad, gaz):
    _, evs = baghdad
    (e,) = [e for e in evs if e.location == "eastern Syria"]
    syria = gaz.search("Syria", kind="country")[0]
    assert e.geometry.geom_type in ("Polygon", "MultiPolygon")
    assert syria.geometry.buffer(1e-6).covers(e.geometry)
    assert 0.2 < e.geometry.area / syria.geometry.area < 0.8
    assert e.geometry.centroid.x > syria.geometry.centroid.x
    assert e.geo_precision == 3 and e.actor1 == "United States"
    assert syria.geometry.contains(Point(40.14, 35.33))           # Deir ez-Zor...
    assert e.geometry.buffer(0.01).contains(Point(40.14, 35.33))  # ...is in the east


def test_red_sea_and_gaza_are_polygons(baghdad):
    _, evs = baghdad
    (red,) = [e for e in evs if e.location == "Red Sea"]
    assert red.precision == "sea" and red.geometry.geom_type in ("Polygon", "MultiPolygon")
    assert red.actor1 == "Houthi rebels"          # not located at Yemen ("rebels in Yemen")
    (gaza,) = [e for e in evs if e.location == "Gaza Strip"]
    assert gaza.geometry.geom_type in ("Polygon", "MultiPolygon") and gaza.iso3 == "PSE"
    assert gaza.actor1 == "Israel"                # "Israel's invasion": the agent, not the place


def test_no_event_at_non_literal_places(baghdad):
    _, evs = baghdad
    locs = {e.location for e in evs} | {e.mention for e in evs}
    for bad in ("Tehran", "Iran", "Iran-aligned", "Iraqi", "Islamic State", "United States",
                "US", "Yemen", "Israel"):
        assert bad not in locs
    assert not any(e.country in ("Iran", "United States") for e in evs)


def test_phone_call_is_not_an_event(baghdad):
    _, evs = baghdad
    assert not any("phone" in e.sentence for e in evs)
    assert not any("Islamic State" in e.sentence for e in evs)


def test_event_types_are_acled(baghdad):
    for e in baghdad[1]:
        assert e.sub_event_type in EVENT_TYPES[e.event_type]


def test_deterministic_ids(baghdad):
    text, evs = baghdad
    again = extract_events(text, published="2023-12-08", source="Example Wire",
                           doc_id="baghdad-2023-12-08.txt")
    assert [e.event_id for e in again] == [e.event_id for e in evs]
    assert len({e.event_id for e in evs}) == len(evs)
    assert all(e.event_id.startswith("ev-") for e in evs)


# ------------------------------------------------------------------ the other examples

def test_mogadishu():
    _, evs = events_of("mogadishu-2023-10-22.txt", "2023-10-22")
    assert table(evs) == [
        (EXP, "Suicide bomb", "Mogadishu", "2023-10-21", 1, 9),
        (EXP, "Remote explosive/landmine/IED", "near Afgooye", "2023-10-19", 1, 3),
        ("Battles", "Government regains territory", "Beledweyne", "2023-10-01", 3, None),
        ("Protests", "Peaceful protest", "Baidoa", "2023-10-21", 1, None),
    ]
    assert evs[0].actor1 == "Al-Shabaab"          # "claimed responsibility for the ... bombing"
    assert evs[1].geo_precision == 2              # "near" a town
    assert (evs[2].actor1, evs[2].actor2) == ("Somali troops", "al-Shabaab fighters")
    assert evs[3].actor1 == "protesters"
    # "threatened to arrest the organisers" is not an arrest


def test_omdurman():
    _, evs = events_of("omdurman-2023-06-05.txt", "2023-06-05")
    assert table(evs) == [
        ("Battles", "Armed clash", "Omdurman", "2023-06-04", 1, None),
        (EXP, "Shelling/artillery/missile attack", "Omdurman", "2023-06-05", 3, 12),
        ("Battles", "Government regains territory", "outskirts of Khartoum", "2023-06-03", 1,
         None),
        ("Violence against civilians", "Abduction/forced disappearance", "Nyala", "2023-06-01",
         1, None),
        ("Strategic developments", "Looting/property destruction", "Sudan", "2023-04-15", 3,
         None),
    ]
    assert (evs[0].actor1, evs[0].actor2) == ("Sudanese Armed Forces", "Rapid Support Forces")
    assert evs[0].country == "Sudan"              # never "Rapid City" from the RSF's name
    assert "publication date" in evs[1].notes     # "said on Monday" dates the statement
    assert evs[4].geo_method == "focus" and evs[4].geo_precision == 3
    assert evs[4].event_date_end == dt.date(2023, 6, 5)


def test_nairobi():
    _, evs = events_of("nairobi-2023-07-13.txt", "2023-07-13")
    assert table(evs) == [
        ("Protests", "Protest with intervention", "Nairobi", "2023-07-12", 1, None),
        ("Protests", "Excessive force against protesters", "Kisumu", "2023-07-12", 1, 3),
        ("Protests", "Peaceful protest", "Mombasa", "2023-07-11", 1, None),
        ("Strategic developments", "Arrests", "Kenya", "2023-07-03", 2, None),
    ]
    assert (evs[0].actor1, evs[0].actor2) == ("protesters", "Police")
    assert (evs[1].actor1, evs[1].actor2) == ("demonstrators", "security forces")
    assert evs[2].actor1 == "students"
    # "vowed to hold further protests next week" is not an event
    assert not any("vowed" in e.sentence for e in evs)


# ------------------------------------------------------------------ rules on their own

@pytest.mark.parametrize("text, n", [
    ("The blast killed at least 12 people and wounded 30.", 12),
    ("At least 12 people, including five children, were killed.", 12),
    ("Three soldiers were killed and 11 wounded.", 3),
    ("Gunmen shot dead two farmers.", None),  # no figure before the verb: unknown
    ("killing seven", 7),
    ("The death toll rose to 41 on Sunday.", 41),
    ("Dozens were killed.", 12),
    ("There were no casualties.", 0),
    ("No one was hurt in the attack.", 0),
    ("Rockets hit the base.", None),
    ("15 people were wounded.", None),
])
def test_fatalities(text, n):
    assert fatalities_in(text) == n


def test_sentences_keep_abbreviations():
    t = "Gen. Smith said U.S. forces left at 4 a.m. on Dec. 2. Then fighting began."
    assert [t[a:b] for a, b in split_sentences(t)] == [
        "Gen. Smith said U.S. forces left at 4 a.m. on Dec. 2.", "Then fighting began."]


def _mention(text, phrase, place, role="literal"):
    i = text.index(phrase)
    return Mention(i, i + len(phrase), phrase, phrase, role, place, place.geometry,
                   place.precision, 0.9)


def test_location_linking_with_hand_made_mentions(gaz):
    text = "Clashes erupted in Kirkuk on Monday. Separately, Iraqi police arrested 4 men in Erbil."
    kirkuk = gaz.search("Kirkuk", kind="city")[0]
    erbil = gaz.search("Erbil", kind="city")[0]
    iraq = gaz.search("Iraq", kind="country")[0]
    ms = [_mention(text, "Kirkuk", kirkuk), _mention(text, "Iraqi", iraq, "associative"),
          _mention(text, "Erbil", erbil)]
    evs = extract_events(text, published="2023-05-10", mentions=ms)
    assert [(e.event_type, e.sub_event_type, e.location, str(e.event_date)) for e in evs] == [
        ("Battles", "Armed clash", "Kirkuk", "2023-05-08"),
        ("Strategic developments", "Arrests", "Erbil", "2023-05-10"),
    ]
    assert evs[1].actor1 == "Iraqi police" and evs[1].time_precision == 3


def test_most_specific_place_wins(gaz):
    text = "A drone strike hit a car in Baghdad, Iraq, on Tuesday."
    b = gaz.search("Baghdad", kind="city")[0]
    iq = gaz.search("Iraq", kind="country")[0]
    evs = extract_events(text, published="2023-05-10",
                         mentions=[_mention(text, "Baghdad", b), _mention(text, "Iraq", iq)])
    assert [(e.sub_event_type, e.location, e.geo_precision) for e in evs] == [
        ("Air/drone strike", "Baghdad", 1)]


def test_unknown_place_and_no_date():
    evs = extract_events("Militants ambushed a patrol.", mentions=[])
    assert len(evs) == 1
    e = evs[0]
    assert (e.event_type, e.actor1, e.event_date, e.geometry, e.fatalities) == (
        "Battles", "Militants", None, None, None)


def test_threats_and_denials_are_not_events():
    text = ("The group threatened to attack US bases. Officials warned of more strikes. "
            "Protesters plan to march on Sunday.")
    assert extract_events(text, published="2023-12-08", mentions=[]) == []


def test_same_incident_twice_gives_one_event(gaz):
    text = ("Rockets hit Baghdad on Friday. Officials said rockets hit Baghdad on Friday, "
            "killing two.")
    b = gaz.search("Baghdad", kind="city")[0]
    i, j = text.index("Baghdad"), text.rindex("Baghdad")
    ms = [Mention(i, i + 7, "Baghdad", "Baghdad", "literal", b, b.geometry, "town", 0.9),
          Mention(j, j + 7, "Baghdad", "Baghdad", "literal", b, b.geometry, "town", 0.9)]
    evs = extract_events(text, published="2023-12-08", mentions=ms)
    assert len(evs) == 1 and evs[0].fatalities == 2
