"""``geoevents evaluate``: score the geoparser on annotated corpora."""

from __future__ import annotations

import json

import click

from ..evaluate import DEFAULT_ROLES, evaluate
from ..mention import ROLES


@click.command("evaluate")
@click.argument("corpora", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--recall-only", is_flag=True,
              help="Report recall, not precision (corpora that annotate only some names).")
@click.option("--roles", default=",".join(DEFAULT_ROLES), show_default=True,
              help="Comma-separated roles counted as predicted toponyms.")
@click.option("--limit", type=click.IntRange(1), help="Only the first N documents.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per corpus.")
@click.option("--errors", type=click.Path(dir_okay=False, writable=True),
              help="Write every gold toponym's outcome and every false hit as JSONL.")
def command(corpora, recall_only, roles, limit, as_json, errors):
    """Recognition P/R/F1 (exact, overlap), Acc@161, mean/median km, AUC, end-to-end."""
    keep = tuple(r.strip() for r in roles.split(",") if r.strip())
    bad = [r for r in keep if r not in ROLES]
    if bad:
        raise click.BadParameter(f"unknown role(s) {bad}; choose from {list(ROLES)}",
                                 param_hint="--roles")
    rows = []
    for path in corpora:
        err: list | None = [] if errors else None
        d = evaluate(path, roles=keep, limit=limit, errors_out=err).as_dict()
        d["corpus"] = path
        rows.append(d)
        if errors:
            from .._io import atomic_output
            with atomic_output(errors) as fh:
                for e in err:
                    fh.write(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n")
        if as_json:
            click.echo(json.dumps(d, sort_keys=True))
            continue
        click.echo(f"{path}  ({d['docs']} docs, {d['gold']} gold toponyms)")
        if recall_only:
            click.echo(f"  recognition recall   exact {d['exact_r']:.3f}   overlap "
                       f"{d['overlap_r']:.3f}")
        else:
            click.echo(f"  recognition exact    P {d['exact_p']:.3f}  R {d['exact_r']:.3f}  "
                       f"F1 {d['exact_f1']:.3f}")
            click.echo(f"  recognition overlap  P {d['overlap_p']:.3f}  R {d['overlap_r']:.3f}"
                       f"  F1 {d['overlap_f1']:.3f}")
        click.echo(f"  resolution ({d['resolved']})  Acc@161 {d['acc161']:.3f}  mean "
                   f"{d['mean_km']:.0f} km  median {d['median_km']:.1f} km  AUC {d['auc']:.3f}")
        click.echo(f"  end-to-end Acc@161 {d['e2e_acc161']:.3f}   speed {d['mb_per_s']:.2f} MB/s")
