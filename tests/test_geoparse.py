import pytest
from shapely.geometry import Point

import geoevents
from geoevents import Gazetteer
from geoevents.geoparse import focus, geoparse


def by_text(ms):
    return {m.text: m for m in ms}


def test_worked_example_sentence():
    text = ("Rockets hit Baghdad's Green Zone on Friday; US jets struck targets in "
            "eastern Syria.")
    ms = by_text(geoparse(text))
    for m in ms.values():
        assert text[m.start:m.end] == m.text
    assert ms["Baghdad"].place.kind == "city" and ms["Baghdad"].role == "literal"
    gz = ms["Green Zone"]
    assert gz.place.id == "curated:green-zone" and gz.geometry.geom_type == "Polygon"
    assert gz.precision == "district"
    east = ms["eastern Syria"]
    assert east.name == "Syria" and east.modifier == "east"
    syria = east.place.geometry
    assert east.geometry.area < syria.area * 0.75
    assert east.geometry.centroid.x > syria.centroid.x
    assert ms["US"].role == "associative"


@pytest.mark.parametrize("text,name,role", [
    ("Iran-aligned militias fired rockets.", "Iran", "associative"),
    ("The attack was supported by Tehran.", "Tehran", "metonymic"),
    ("Washington said it would respond.", "Washington", "metonymic"),
    ("Iraqi officials met on Monday.", "Iraqi", "demonym"),
    ("He worked for the New York Times.", "New York", "non_toponym"),
    ("She banks with Bank of America.", "America", "non_toponym"),
    ("George Washington crossed the river.", "Washington", "non_toponym"),
    ("Fighting continued in Mosul.", "Mosul", "literal"),
    ("The US Embassy was closed.", "US", "associative"),
    ("Farmers in France protested on Monday.", "France", "literal"),
    ("France protested on Monday.", "France", "metonymic"),
    ("The EU said it would impose new sanctions.", "EU", "non_toponym"),
    ("Prices fell across the European Union last year.", "European Union", "literal"),
    ("Boko Haram fighters attacked Maiduguri.", "Boko", "non_toponym"),
    ("Boko Haram fighters attacked Maiduguri.", "Haram", "non_toponym"),
    ("Boko Haram fighters attacked Maiduguri.", "Maiduguri", "literal"),
])
def test_roles(text, name, role):
    ms = [m for m in geoparse(text) if m.name == name]
    assert ms, f"{name} not found in {text!r}"
    assert ms[0].role == role


@pytest.mark.parametrize("text", [
    "Reading the report took an hour.",
    "Nice weather returned on Tuesday.",
    "Mobile phones were confiscated.",
    "Of the 40 people arrested, 12 were released.",
    "Date palms line the road.",
    "NICE WEATHER IN THE MORNING.",
])
def test_no_false_hits_on_common_words(text):
    assert [m.text for m in geoparse(text) if m.role == "literal"] == []


def test_multiword_hyphen_allcaps_and_function_words():
    text = ("Ships passed Bab el-Mandeb and the Gaza Strip was shelled; aid reached the "
            "Democratic Republic of the Congo and al-Anbar. BAGHDAD is calm.")
    ms = by_text(geoparse(text))
    assert ms["Bab el-Mandeb"].place.kind == "sea"
    assert ms["Gaza Strip"].place.geometry.geom_type in ("Polygon", "MultiPolygon")
    assert ms["Democratic Republic of the Congo"].place.country == "CD"
    assert ms["al-Anbar"].place.kind == "admin1"
    assert ms["BAGHDAD"].place.name == "Baghdad"


def test_hyphen_joined_and_elided_names():
    ms = by_text(geoparse("Cholera reached Port-au-Prince; Benin and Côte d'Ivoire sent aid. "
                          "Quakes shook L'Aquila."))
    assert ms["Port-au-Prince"].place.country == "HT"
    assert ms["Côte d'Ivoire"].place.kind == "country" and ms["Côte d'Ivoire"].place.country == "CI"
    assert ms["L'Aquila"].place.country == "IT"


def test_possessive_inside_a_name():
    ms = by_text(geoparse("Envoys of the People's Republic of China reached King's Lynn; "
                          "Baghdad's Green Zone was quiet."))
    assert ms["People's Republic of China"].place.country == "CN"
    assert ms["King's Lynn"].place.country == "GB"
    assert ms["Baghdad"].place.name == "Baghdad" and "Green Zone" in ms


def test_country_names_mean_countries_unless_a_container_says_otherwise():
    text = ("Cases rose in Portland, Bangor and Augusta, Maine. Health officials in "
            "Norway and Mexico reported the same strain.")
    ms = by_text(geoparse(text))
    assert ms["Norway"].place.kind == "country" and ms["Norway"].place.country == "NO"
    assert ms["Mexico"].place.country == "MX"
    town = by_text(geoparse("The fair opened in Mexico, Maine, on Saturday."))["Mexico"]
    assert town.place.kind == "city" and town.place.admin1 == "Maine"


def test_division_kind_after_the_name():
    m = by_text(geoparse("The cow came from a Washington state farm."))["Washington"]
    assert m.place.kind == "admin1" and m.place.country == "US"
    m = by_text(geoparse("Raids were reported in Diyala province."))["Diyala"]
    assert m.place.kind == "admin1"
    # the division, not its capital of the same name
    for text, name in (("Shelling killed 40 people in Idlib province.", "Idlib"),
                       ("Floods hit Kano state on Monday.", "Kano")):
        assert by_text(geoparse(text))[name].place.kind == "admin1"


def test_context_resolves_ambiguous_names():
    paris_tx = by_text(geoparse("The storm hit Paris, Texas, on Sunday."))["Paris"]
    assert paris_tx.place.country == "US" and paris_tx.place.admin1 == "Texas"
    paris_fr = by_text(geoparse("Protesters marched in Paris and Lyon, France."))["Paris"]
    assert paris_fr.place.country == "FR"
    assert paris_tx.alternatives and paris_tx.score > paris_tx.alternatives[0][1]


def test_two_divisions_side_by_side_are_a_list_not_a_container():
    ms = by_text(geoparse("Refugees crossed between Iraq, Iran and Turkey last year."))
    assert ms["Iraq"].place.kind == "country" and ms["Iraq"].place.country == "IQ"
    ms = by_text(geoparse("Outbreaks in Utah, Washington, West Virginia and Ohio."))
    assert ms["Washington"].place.kind == "admin1"
    town = by_text(geoparse("He grew up in Washington, Pennsylvania, and Erie."))["Washington"]
    assert town.place.kind == "city" and town.place.admin1 == "Pennsylvania"


def test_divisions_named_are_read_again_in_context():
    ms = by_text(geoparse("The firm moved from Savannah to Georgia's capital in May."))
    assert ms["Georgia"].place.kind == "admin1" and ms["Georgia"].place.country == "US"
    ms = by_text(geoparse("Talks in Tbilisi: Georgia wants closer ties."))
    assert ms["Georgia"].place.kind == "country"


def test_a_list_before_a_plural_division_noun_is_a_list_of_divisions():
    ms = by_text(geoparse("Flooding closed roads in Boone, Clay and Platte counties today."))
    assert set(ms) == {"Boone", "Clay", "Platte"}
    assert {m.place.kind for m in ms.values()} == {"admin2"}
    assert {m.place.admin1 for m in ms.values()} == {"Missouri"}


def test_a_comma_places_a_name_only_before_a_division_or_a_town():
    ms = by_text(geoparse("The coach praised Carter, Harmon and Wilkinson after the game."))
    assert ms["Carter"].role == "non_toponym"
    ms = by_text(geoparse("The coach moved to Carter, Montana, last May."))
    assert ms["Carter"].role == "literal" and ms["Carter"].place.admin1 == "Montana"


def test_valleys_bays_and_parks_keep_their_whole_name():
    ms = by_text(geoparse("Wildfires spread through the Salinas Valley and the Ural Mountains."))
    assert {"Salinas Valley", "Ural Mountains"} <= set(ms)
    assert "Valley" not in ms and "Salinas" not in ms
    assert ms["Salinas Valley"].role == "literal"
    # a name the gazetteer does not know stays unresolved, not the town it starts with
    ms = by_text(geoparse("Orcas were seen in Puget Sound on Friday."))
    assert ms["Puget Sound"].place is None
    ms = by_text(geoparse("Refugees fled to Abu Shok camp."))
    assert ms["Abu Shok"].place is None
    # ... and an article before a known name is left out of it
    ms = by_text(geoparse("The Sinai Peninsula was quiet."))
    assert ms["The Sinai Peninsula"].place.name == "Sinai Peninsula"


def test_a_name_after_a_middle_initial_is_a_person():
    ms = geoparse("Fans of Laura K. Barrie cheered; later Barrie thanked them in Toronto.")
    assert [m.role for m in ms if m.name == "Barrie"] == ["non_toponym", "non_toponym"]
    ms = by_text(geoparse("A fire damaged a S.E. Portland house and U.S. Army crews helped."))
    assert ms["Portland"].role == "literal"


def test_where_someone_lives_is_a_place():
    ms = by_text(geoparse("The award went to Dana Whitfield of Wooster and to Cole, 41, of Tyler."))
    assert ms["Wooster"].role == "literal" and ms["Tyler"].role == "literal"
    ms = by_text(geoparse("He read the Evening Times of India at the Bank of Princeton."))
    assert ms["India"].role == "non_toponym" and ms["Princeton"].role == "non_toponym"


def test_a_newspaper_word_makes_a_title_even_when_a_town_bears_it():
    ms = by_text(geoparse("She spoke to the New Zealand Herald about the flood."))
    assert ms["New Zealand"].role == "non_toponym"
    ms = by_text(geoparse("Senator Hale, a Connecticut Democrat, spoke."))
    assert ms["Connecticut"].role != "non_toponym"


def test_a_state_abbreviation_needs_its_dot():
    ms = geoparse("Miss Alden taught in Jackson, Miss., for years.")
    assert [(m.start, m.text) for m in ms if m.text == "Miss"] == [(30, "Miss")]
    ms = by_text(geoparse("Rep. Jane Roe, D-Calif, and Saudi officials met."))
    assert ms["Calif"].place.name == "California" and ms["Saudi"].place.country == "SA"


def test_people_speak_but_not_after_in_or_from():
    ms = by_text(geoparse("Flores said the nurse in Abilene told him so."))
    assert ms["Flores"].role == "non_toponym" and ms["Abilene"].role == "literal"
    ms = by_text(geoparse("The 20-year-old from Guelph said he was ready."))
    assert ms["Guelph"].role == "literal"


def test_a_towns_police_is_no_persons_name():
    ms = by_text(geoparse("Officers of the Dayton Police Department met Jackson Browne."))
    assert ms["Dayton"].role != "non_toponym" and ms["Jackson"].role == "non_toponym"


def test_a_common_word_in_a_title_is_no_place_even_if_a_province_bears_it():
    ms = by_text(geoparse("A Federal Trade Commission rule hit L.A. stations."))
    assert ms["Federal"].role == "non_toponym"
    assert ms["L.A."].role == "literal"


def test_another_name_of_a_populous_country_is_strong():
    ms = by_text(geoparse("Doctors in the Netherlands said the patient recovered."))
    assert ms["Netherlands"].role != "non_toponym" and ms["Netherlands"].place.country == "NL"
    assert [m.text for m in geoparse("Man arrested after a chase.") if m.role == "literal"] == []


def test_a_common_word_before_a_towns_department_is_the_town():
    ms = by_text(geoparse("Officers of the Reading Police Department met on Friday."))
    assert ms["Reading"].role != "non_toponym"


def test_in_a_persons_honour_is_no_place_cue():
    text = ("Who shot Mark T. Flores? A tree was planted in Flores' honor. "
            "Flores had no enemies.")
    assert {m.role for m in geoparse(text) if m.name == "Flores"} == {"non_toponym"}


def test_distance_and_vicinity_geometries():
    ms = by_text(geoparse("A convoy was hit 35 km north of Baghdad and shelling near Mosul."))
    north = ms["35 km north of Baghdad"]
    baghdad = north.place.point
    assert north.geometry.geom_type == "Point"
    assert north.geometry.y > baghdad.y and abs(north.geometry.x - baghdad.x) < 0.01
    from geopy.distance import geodesic
    km = geodesic((baghdad.y, baghdad.x), (north.geometry.y, north.geometry.x)).km
    assert km == pytest.approx(35, abs=0.1)
    near = ms["near Mosul"]
    assert near.geometry.geom_type == "Polygon"
    assert near.geometry.contains(near.place.point)


def test_one_sense_per_document():
    ms = geoparse("Jackson, Mississippi, flooded. Later, Jackson reopened its schools.")
    places = {m.place.id for m in ms if m.name == "Jackson"}
    assert len(places) == 1


def test_focus():
    assert focus("Clashes in Mosul and Kirkuk; Baghdad sent troops. Damascus was quiet.").name \
        == "Iraq"
    assert focus("No places here at all.") is None


@pytest.mark.parametrize("text", ["", " ", "\x00\ufffd", "🙂 Baghdad 🙂", "a" * 1000])
def test_odd_text_never_raises(text):
    for m in geoparse(text):
        assert text[m.start:m.end] == m.text


def test_public_api():
    assert geoevents.geoparse is geoparse
    assert isinstance(geoevents.geoparse("Kabul")[0].point, Point)


def test_a_towns_city_body_is_the_town():
    # "Dublin City" is also a division of Ireland; its schools and council are the town's
    ms = geoparse("Parents met the Dublin City Schools board in Dublin, Ohio, on Monday.")
    assert [m.text for m in ms][:1] == ["Dublin"]
    assert {m.place.admin1 for m in ms if m.text == "Dublin"} == {"Ohio"}
    assert [m.text for m in geoparse("Dublin City is a local authority.")] == ["Dublin City"]


def test_a_town_known_in_many_languages_outranks_a_province_of_its_size():
    # Gaza City has 62 names in the gazetteer, Mozambique's Gaza province 15
    m = by_text(geoparse("Israeli strikes hit Gaza overnight; rockets were fired at Israel."))
    assert (m["Gaza"].place.country, m["Gaza"].place.kind) == ("PS", "city")
    m = by_text(geoparse("Heavy rain fell on Gaza province in southern Mozambique."))
    assert (m["Gaza"].place.country, m["Gaza"].place.kind) == ("MZ", "admin1")
    first = Gazetteer.load().search("Gaza")[0]
    assert (first.country, first.kind) == ("PS", "city")


def test_a_surely_read_name_weighs_more_in_the_focus():
    # one vote each would tie Senegal ("St. Louis", barely its best reading) with the US
    # ("Chicago", surely); the surer name sets the focus, and St. Louis is Missouri's
    m = by_text(geoparse("He moved from St. Louis to Chicago."))
    assert m["St. Louis"].place.admin1 == "Missouri"


def test_beside_a_state_a_name_that_can_be_a_state_is_one():
    ms = by_text(geoparse("Voters in Georgia and North Carolina went to the polls."))
    assert (ms["Georgia"].place.kind, ms["Georgia"].place.country) == ("admin1", "US")
    ms = by_text(geoparse("Ministers from Georgia and Armenia met in Brussels."))
    assert ms["Georgia"].place.kind == "country"


def test_a_name_used_as_its_government_is_the_capital():
    ms = by_text(geoparse("Militias attacked US bases in Iraq; Washington blamed Tehran."))
    assert ms["Washington"].role == "metonymic"
    assert (ms["Washington"].place.kind, ms["Washington"].place.feature_code) == ("city", "PPLC")


def test_a_named_county_holds_the_towns_around_it():
    # Baton Rouge supports Lafayette, Louisiana; the county the text names wins
    ms = by_text(geoparse("The Tippecanoe County prosecutor, who grew up in Baton Rouge, "
                          "said the Lafayette case was closed."))
    assert ms["Lafayette"].place.admin1 == "Indiana"


def test_a_lone_ordinary_word_needs_a_cue_to_be_a_small_town():
    text = "The council signed a lease with Titan last year; supporters said Titan would pay."
    assert {m.role for m in geoparse(text) if m.text == "Titan"} == {"non_toponym"}
    # a locative preposition anywhere in the text is such a cue, for every mention
    text = "Crews worked in Titan overnight. Titan residents were told to boil water."
    assert {m.role for m in geoparse(text) if m.text == "Titan"} == {"literal"}


def test_a_preposition_before_a_list_places_every_member():
    ms = geoparse("Storms knocked out power in Gaston and Titan on Monday.")
    assert [(m.text, m.role) for m in ms] == [("Gaston", "literal"), ("Titan", "literal")]


def test_a_lone_word_known_only_as_another_places_old_name_needs_a_cue():
    # GeoNames lists "Nissan" among the names of Nissan-lez-Enserune, France
    ms = geoparse("Workers at the plant said Nissan would hire more staff.")
    assert [m.role for m in ms if m.text == "Nissan"] == ["non_toponym"]


@pytest.mark.parametrize("text,name", [
    ("John Smith, 25, from Gaston was arrested.", "Gaston"),
    ("Officials from the city of Sevierville said the road would reopen.", "Sevierville"),
    ("Flooding hit East Oxford on Monday.", "Oxford"),
])
def test_cues_that_keep_a_town_a_place(text, name):
    assert [m.role for m in geoparse(text) if m.text == name] == ["literal"]


def test_a_settlement_noun_names_a_place_the_gazetteer_does_not_know():
    ms = by_text(geoparse("Gunmen attacked the village of Umm Batta in South Kordofan."))
    assert ms["Umm Batta"].role == "literal" and ms["Umm Batta"].place is None
    assert "Batta" not in ms  # not a town called Batta elsewhere
    assert ms["South Kordofan"].place.kind == "admin1"


def test_a_town_named_in_apposition_is_a_place_even_if_unknown():
    ms = by_text(geoparse("Rebels captured Bunagana, a town on the Ugandan border."))
    assert ms["Bunagana"].role == "literal" and ms["Bunagana"].place is None
    # not a person described by a noun phrase that starts with "town"
    assert "John Smith" not in by_text(geoparse("He met John Smith, a town councillor."))


@pytest.mark.parametrize("text,name,admin1", [
    ("Bridge to close for repairs. HUME – The county engineer said the span will close.",
     "HUME", "Illinois"),
    ("Storm cleanup continues. HURRICANE, W.Va. - Crews worked overnight to clear roads.",
     "HURRICANE", "West Virginia"),
    ("Council race. ISLE OF PALMS — Two members of the council filed papers.",
     "ISLE OF PALMS", "South Carolina"),
])
def test_a_dateline_names_a_place_even_in_capitals(text, name, admin1):
    # in a headline, capitals make "HURRICANE" a word; before a dateline's dash, a place
    m = by_text(geoparse(text))[name]
    assert m.role == "literal" and m.place.admin1 == admin1


def test_a_dateline_needs_a_place_and_its_dash():
    assert geoparse("UPDATE — The road has reopened.") == []
    assert geoparse("The HURRICANE - a big one - hit the coast.") == []


def test_feasts_strains_and_cars_named_after_places_are_no_places():
    ms = by_text(geoparse("Crowds lined the streets of Savannah for the St. Patrick's Day "
                          "parade; pupils of St. Mary's High School marched."))
    assert ms["Savannah"].role == "literal"
    assert ms["St. Patrick"].role == ms["St. Mary"].role == "non_toponym"
    ms = geoparse("The vaccine covers the A/Michigan/45/2015 and B/Phuket/3073/2013 strains, "
                  "first seen in Michigan.")
    assert [(m.text, m.role) for m in ms] == [
        ("Michigan", "non_toponym"), ("Phuket", "non_toponym"), ("Michigan", "literal")]
    ms = by_text(geoparse("A 1994 Honda and a silver Dodge Durango collided in Elgin."))
    assert ms["Honda"].role == ms["Durango"].role == "non_toponym"
    assert ms["Elgin"].role == "literal"
    # a year alone does not make a car
    assert by_text(geoparse("In 2010 Lincoln grew by four percent."))["Lincoln"].role == "literal"


def test_a_towns_police_or_school_makes_a_country_named_name_the_town():
    # "Jordan" alone is the country; its elementary school and police are a town's
    assert geoparse("Jordan said the talks would resume.")[0].place.kind == "country"
    ms = geoparse("The Jordan Elementary School choir sang; Jordan police closed a road "
                  "near Minneapolis.")
    jordan = ms[0]
    assert jordan.text == "Jordan" and jordan.place.kind == "city"
    assert jordan.place.country == "US"
    norfolk = by_text(geoparse("The City of Norfolk will repave Main Street."))["Norfolk"]
    assert norfolk.place.kind == "city"


@pytest.mark.parametrize("text,name", [
    ("Ferries to Waiheke Island were cancelled.", "Waiheke Island"),
    ("Soldiers from Fort Benning flew home.", "Fort Benning"),
    ("A bakery in Squirrel Hill reopened.", "Squirrel Hill"),
    ("Floods cut roads in the Swat Valley.", "Swat Valley"),
    ("Snow closed Rocky Mountain National Park.", "Rocky Mountain National Park"),
    ("Fires burned in the Monongahela National Forest.", "Monongahela National Forest"),
])
def test_a_head_noun_makes_a_name_the_gazetteer_does_not_know(text, name):
    # kept whole and unresolved, not "Island" as Iceland
    m = by_text(geoparse(text))[name]
    assert m.role == "literal" and m.place is None


@pytest.mark.parametrize("text", [
    "Angela Hill said the vote was close.",
    "He served in Operation Desert Storm.",
    "Pupils at Glacier Ridge Elementary sang.",
    "Crews contained the Camp Fire by Sunday.",
])
def test_a_head_noun_after_a_name_or_inside_a_longer_one_makes_no_place(text):
    assert not any(m.role == "literal" and m.place is None for m in geoparse(text))


def test_a_plural_settlement_noun_names_every_member_of_its_list():
    ms = geoparse("Raiders burned the villages of Oltuvi and Kemebri, and three hamlets: "
                  "Sarvedi, Tomkeli and Ushnari.")
    assert [(m.text, m.role, m.place) for m in ms] == [
        (name, "literal", None) for name in ("Oltuvi", "Kemebri", "Sarvedi", "Tomkeli",
                                             "Ushnari")]


def test_a_small_towns_name_before_administration_is_a_persons():
    ms = by_text(geoparse("The Obama administration and Kabul officials met in Doha."))
    assert ms["Obama"].role == "non_toponym"
    assert ms["Kabul"].role == "associative" and ms["Doha"].role == "literal"


def test_a_demonym_that_is_also_a_word_opens_a_sentence():
    # "afghan" is a blanket too; a sentence's first word is still the demonym
    ms = geoparse("Afghan officials said the road had reopened.")
    assert [(m.text, m.role, m.place.name) for m in ms] == [
        ("Afghan", "demonym", "Afghanistan")]


def test_a_nationality_word_takes_no_area_modifier():
    # "near the Ukrainian border" is no 10 km circle inside Ukraine
    m = geoparse("Troops massed near the Ukrainian border.")[0]
    assert (m.text, m.role, m.modifier) == ("Ukrainian", "demonym", "")
    east = geoparse("Fighting continued in eastern Ukraine.")[0]
    assert (east.text, east.modifier) == ("eastern Ukraine", "east")


def test_a_modifier_reaches_over_the_places_kind():
    # "20 km south of the Iraqi city of Mosul": the distance is from Mosul
    ms = by_text(geoparse("A car bomb exploded 20 km south of the Iraqi city of Mosul."))
    mosul = ms["20 km south of the Iraqi city of Mosul"]
    assert mosul.name == "Mosul" and mosul.modifier == "20 km south"
    assert mosul.geometry.y < mosul.place.latitude - 0.15
    near = by_text(geoparse("Clashes broke out near the border town of Kobani."))
    assert near["near the border town of Kobani"].modifier.startswith("near")


def test_an_unknown_word_in_a_known_container_is_a_place():
    ms = geoparse("Stalls burned in Balintawak, Quezon City, and in Tondo.")
    assert (ms[0].text, ms[0].role, ms[0].place) == ("Balintawak", "literal", None)
    assert ms[1].place.name == "Quezon City"
    # a month, a surname or a word is no such place
    for text in ("He said in October, Moore would resign.", "He lives in Smith, Texas."):
        assert not any(m.place is None for m in geoparse(text))


def test_a_possessive_after_a_preposition_does_not_place_a_persons_surname():
    text = ("Police said Dorian K. Carter fled on foot. Officers found a rifle at Carter's "
            "house, and Carter was arrested in Lanark.")
    roles = [(m.text, m.role) for m in geoparse(text)]
    assert ("Carter", "literal") not in roles and ("Lanark", "literal") in roles


def test_a_possessive_after_a_preposition_still_places_a_town():
    # no person of that name in the text: "in Fallujah's market" is the city's
    ms = by_text(geoparse("A bomb exploded in Fallujah's main market on Friday."))
    assert ms["Fallujah"].role == "literal" and ms["Fallujah"].place.country == "IQ"


def test_a_common_word_opening_a_sentence_is_a_place_where_the_sentence_says_so():
    ms = geoparse("Reading is a large town in Berkshire. Reading is fun.")
    assert [(m.start, m.text, m.role) for m in ms][0] == (0, "Reading", "literal")
    assert ms[0].place.country == "GB"
    assert geoparse("Reading is a pleasure on long trips.") == []
    ms = geoparse("Mobile lies at the head of a wide bay in Alabama.")
    assert (ms[0].start, ms[0].text, ms[0].role) == (0, "Mobile", "literal")
    assert geoparse("Mobile lies behind the growth.") == []
    ms = geoparse("Reading is one of the largest towns in England.")
    assert (ms[0].text, ms[0].role) == ("Reading", "literal")
    # ... or writes its state after it
    ms = geoparse("Buffalo, N.Y., was buried under snow.")
    assert [(m.text, m.place.admin1) for m in ms] == [("Buffalo", "New York"),
                                                      ("N.Y.", "New York")]
    assert [m.text for m in geoparse("Buffalo, Devon and the driver were hurt.")] == ["Devon"]


def test_a_title_ending_a_sentence_does_not_make_the_next_name_a_persons():
    # "Judge. Madera" is no "Judge Madera"; "Sen. Graham" still is a person
    ms = by_text(geoparse("The case was heard by a Circuit Judge. Madera residents packed "
                          "the room, and Sen. Graham spoke."))
    assert ms["Madera"].role == "literal" and ms["Graham"].role == "non_toponym"


def test_a_short_title_before_a_name_is_no_town():
    assert [m.text for m in geoparse("Sens. Byrd and Rockefeller voted no.")] == ["Byrd"]
    assert [m.text for m in geoparse("Protesters marched through Sens.")] == ["Sens"]


def test_the_name_after_a_first_name_that_is_also_a_word_is_a_surname():
    roles = [(m.text, m.role) for m in geoparse(
        "The speaker was board member Holly Cuenca. Cuenca then introduced two officials "
        "from Fresno.")]
    assert roles.count(("Cuenca", "non_toponym")) == 2 and ("Fresno", "literal") in roles


@pytest.mark.parametrize("text,name,admin1", [
    ("Crews from Bellbrook and Franklin cleared the roads.", "Franklin", "Ohio"),
    ("Crews from Newburyport and Kingston cleared the roads.", "Kingston", "New Hampshire"),
])
def test_a_homonym_next_door_to_another_named_town_is_the_one_meant(text, name, admin1):
    # Franklin, Ohio lies about 20 km from Bellbrook; other Franklins are bigger
    m = by_text(geoparse(text))[name]
    assert (m.place.country, m.place.admin1) == ("US", admin1)


def test_a_resident_of_a_town_makes_it_a_place_though_a_verb_of_saying_follows():
    ms = by_text(geoparse("A former resident of Lubbock told reporters she was ill."))
    assert ms["Lubbock"].role == "literal" and ms["Lubbock"].place.admin1 == "Texas"


def test_an_office_for_a_place_is_the_places_and_an_outlet_of_a_place_is_not():
    ms = by_text(geoparse("Jan Smit, the Resident Coordinator for Pakistan, spoke to "
                          "the Voice of America."))
    assert ms["Pakistan"].role == "associative" and ms["America"].role == "non_toponym"


def test_two_places_joined_by_a_hyphen_are_both_places_though_one_is_also_a_word():
    # "us" is a word; "US" is a country's recorded abbreviation
    ms = geoparse("Trucks queued at the US-Canada border.")
    assert [(m.text, m.role) for m in ms] == [("US", "literal"), ("Canada", "literal")]


def test_a_closing_quote_after_a_full_stop_ends_the_sentence():
    text = "“The ban is over,” the chief said. “Burn safely.” Residents of Huntsville agreed."
    ms = by_text(geoparse(text))
    assert ms["Huntsville"].role == "literal"


def test_the_town_of_an_address_is_a_place():
    # "Cambridge" is also read as part of an organisation's name elsewhere in the text
    text = ("The club meets at 14 Mill Road, Cambridge, on Fridays. West Cambridge "
            "Christian Youth Ministries helped.")
    roles = [(m.text, m.role) for m in geoparse(text)]
    assert ("Cambridge", "literal") in roles


@pytest.mark.parametrize("text,county,town,admin1", [
    ("Officials from Greene County met in Athens on Monday.", "Greene County", "Athens",
     "New York"),
    ("Officials from Boone County met in Madison on Monday.", "Boone County", "Madison",
     "West Virginia"),
])
def test_a_county_and_a_town_inside_it_are_read_as_the_pair(text, county, town, admin1):
    # each name alone has many homonyms; the pair points to one county
    ms = by_text(geoparse(text))
    assert ms[county].place.admin1 == ms[town].place.admin1 == admin1
