"""``geoevents gazetteer``: search, reverse and describe the bundled gazetteer."""

from __future__ import annotations

import json

import click

from ..gazetteer import KINDS, Gazetteer


def _feature(place, rank=None):
    f = place.__geo_interface__
    if rank is not None:
        f["properties"]["rank"] = rank
    return f


def _emit(places, as_json: bool, as_geojson: bool):
    if as_geojson:
        from ..outputs import dumps_feature_collection
        click.echo(dumps_feature_collection([_feature(p, i + 1) for i, p in enumerate(places)]))
    elif as_json:
        for p in places:
            click.echo(json.dumps(p.raw, ensure_ascii=False, sort_keys=True))
    else:
        for p in places:
            where = ", ".join(x for x in (p.admin1 if p.kind != "admin1" else "", p.country) if x)
            click.echo(f"{p.id}\t{p.name}\t{p.kind}\t{where}\t{p.latitude:.5f}\t{p.longitude:.5f}")


@click.group("gazetteer")
def command():
    """Look places up in the bundled offline gazetteer."""


@command.command("search")
@click.argument("name")
@click.option("--country", help="ISO alpha-2 country code to restrict to.")
@click.option("--kind", type=click.Choice(KINDS), help="Only places of this kind.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="One JSON record per line.")
@click.option("--geojson", "as_geojson", is_flag=True, help="A GeoJSON FeatureCollection.")
def search(name, country, kind, limit, as_json, as_geojson):
    """Places called NAME, best first (case, accents, punctuation ignored)."""
    places = Gazetteer.load().search(name, limit=limit, country=country, kind=kind)
    if not places:
        raise click.ClickException(f"no place called {name!r} in the gazetteer")
    _emit(places, as_json, as_geojson)


@command.command("reverse")
@click.argument("lat", type=click.FloatRange(-90, 90))
@click.argument("lon", type=click.FloatRange(-180, 180))
@click.option("--json", "as_json", is_flag=True, help="One JSON record per line.")
@click.option("--geojson", "as_geojson", is_flag=True, help="A GeoJSON FeatureCollection.")
def reverse(lat, lon, as_json, as_geojson):
    """Areal places containing LAT LON, most specific first."""
    _emit(Gazetteer.load().reverse(lat, lon), as_json, as_geojson)


@command.command("info")
@click.option("--json", "as_json", is_flag=True, help="As JSON.")
def info(as_json):
    """Counts by kind and source, build inputs and licences."""
    data = Gazetteer.load().info()
    if as_json:
        click.echo(json.dumps(data, indent=1, sort_keys=True))
        return
    click.echo(f"gazetteer: {data['path']}")
    click.echo(f"places: {data['places']:,}  names: {data['names']:,}")
    for k, v in data["counts"].items():
        click.echo(f"  {k:28s} {v:>9,}")
    click.echo("inputs:")
    for i in data["inputs"]:
        click.echo(f"  {i['registry']}:{i['package']}=={i['version']}  {i['licence']}")
    click.echo(f"  curated supplement: {data['supplement']}")
