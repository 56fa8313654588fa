"""Our notetype in the collection: added, fields appended, templates and CSS upgraded (the
user's fields and CSS kept), and the copies File › Import made merged back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ImportRefused
from ..notetype import (
    CSS_END,
    NOTETYPE_ID,
    OWNED_FIELDS,
    TEMPLATE_NAME,
    VERSION_KEY,
    installed_version,
)
from ..package import Package
from .report import Imported


def ensure_notetype(col: Any, package: Package, report: Imported) -> dict[str, Any]:
    """The collection's copy of our notetype, added or brought up to the package's version."""
    incoming = package.notetype
    model: dict[str, Any] | None = col.models.get(NOTETYPE_ID)
    if model is None:  # our GUIDs are in the collection under another notetype: add ours
        import json

        col._backend.add_or_update_notetype(json=json.dumps(incoming).encode(),
                                            preserve_usn_and_mtime=True, skip_checks=False)
        report.notetype.append(f"added the notetype {incoming.get('name')!r}")
        return dict(col.models.get(NOTETYPE_ID))
    if int(model.get("type", 0)) != 1:
        raise ImportRefused(f"the notetype {model['name']!r} in the collection has quote2anki's "
                            "ID but is not a cloze notetype; rename it or delete it in Anki")
    changed = False
    names = [str(f["name"]) for f in model["flds"]]
    for name in package.field_names:
        if name not in names:
            col.models.add_field(model, col.models.new_field(name))
            report.notetype.append(f"added the field {name!r} to {model['name']!r} (Anki asks "
                                   "for a one-way sync after a change of fields)")
            changed = True
    mine = [name for name in names if name not in package.field_names]
    if mine:
        report.notetype.append(f"kept your own field{'s' if len(mine) > 1 else ''} "
                               f"{', '.join(map(repr, mine))}: quote2anki never writes "
                               f"{'them' if len(mine) > 1 else 'it'}")
    version = int((incoming.get(VERSION_KEY) or {}).get("version") or incoming.get("mod") or 0)
    template = next((t for t in incoming.get("tmpls", []) if t.get("name") == TEMPLATE_NAME),
                    None)
    installed = installed_version(model)
    if template is not None and (version > installed or (
            installed == 0 and _differs(model, template, incoming))):
        changed |= _upgrade(model, template, str(incoming.get("css", "")), version, report)
    if changed:
        col.models.save(model)
    return model


def _differs(model: Mapping[str, Any], template: Mapping[str, Any],
             incoming: Mapping[str, Any]) -> bool:
    current = model["tmpls"][0] if model.get("tmpls") else {}
    ours = str(incoming.get("css", "")).split(CSS_END)[0]
    return (current.get("qfmt"), current.get("afmt")) != (template.get("qfmt"), template.get(
        "afmt")) or not str(model.get("css", "")).startswith(ours)


def _upgrade(model: dict[str, Any], template: Mapping[str, Any], css: str, version: int,
             report: Imported) -> bool:
    """Our templates and CSS into the collection's notetype, the user's CSS and fields kept."""
    current = model["tmpls"][0]
    ours = {str(f) for f in OWNED_FIELDS}
    theirs = [str(f["name"]) for f in model["flds"] if str(f["name"]) not in ours]
    back = str(template.get("afmt", ""))
    shown = [name for name in theirs if "{{" + name + "}}" in str(current.get("afmt", ""))
             and "{{" + name + "}}" not in back]
    for name in shown:  # a field the user showed on the back stays there
        back += f'\n{{{{#{name}}}}}<div class="q2a-yours">{{{{{name}}}}}</div>{{{{/{name}}}}}'
    own_css = str(model.get("css", "")).partition(CSS_END)[2] if CSS_END in str(
        model.get("css", "")) else ""
    new = {"qfmt": str(template.get("qfmt", "")), "afmt": back}
    new_css = css.rstrip("\n") + own_css if own_css.strip() else css
    if (current.get("qfmt"), current.get("afmt"), model.get("css")) == (
            new["qfmt"], new["afmt"], new_css) and installed_version(model) == version:
        return False
    current.update(new)
    model["css"] = new_css
    model[VERSION_KEY] = {"version": version}
    report.notetype.append(f"updated the card template and CSS of {model['name']!r} to "
                           f"quote2anki's version {version}" + (
                               f", still showing your field{'s' if len(shown) > 1 else ''} "
                               f"{', '.join(map(repr, shown))} on the back" if shown else ""))
    return True


def merge_copies(col: Any, model: Mapping[str, Any], report: Imported) -> None:
    """Notes File › Import put on a copy of our notetype (``quote2anki cloze+``, made when the
    user's notetype had a field more) go back to ours, and the copy goes."""
    for other in list(col.models.all()):
        if int(other["id"]) == NOTETYPE_ID or other.get("originalId") != NOTETYPE_ID:
            continue
        if int(other.get("type", 0)) != 1:
            continue
        nids = col.models.nids(other["id"])
        if nids:
            info = col.models.change_notetype_info(old_notetype_id=other["id"],
                                                   new_notetype_id=NOTETYPE_ID)
            request = info.input
            request.note_ids.extend(nids)
            col.models.change_notetype_of_notes(request)
        col.models.remove(other["id"])
        report.notetype.append(f"moved {len(nids)} note{'s' if len(nids) != 1 else ''} of "
                               f"{other['name']!r} (a copy File › Import made) back to "
                               f"{model['name']!r}")
