"""Rows that are not records but hold a record's id (a candidate's evaluation job), written with the records
they depend on: in the one statement of an append alone (provenance.optimistic), or in the same transaction.

A row is an unsaved model instance whose `link` foreign key is set to a record appended in the same hold; the
record has no id until it is written, so on the one-statement path the row's cell for it is a subquery on the
WITH item that inserts the record (as links between records are, provenance.chain.inserts_sql). Its other
columns are what the model would save: defaults, and `auto_now_add` filled as `save()` fills it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Dependent:
    row: models.Model
    link: str  # the name of the row's foreign key to the record

    @property
    def record(self):
        return getattr(self.row, self.link)


def written(dependents: list[Dependent]) -> None:
    """The rows as saved, once the statement that inserted them has run (their links hold the ids now)."""
    for dependent in dependents:
        _linked(dependent)
        dependent.row._state.adding = False


def save(dependents: list[Dependent]) -> None:
    """Insert the rows, their records written (inside the records' transaction): one INSERT per model."""
    by_model: dict[type, list[models.Model]] = {}
    for dependent in dependents:
        _linked(dependent)
        by_model.setdefault(type(dependent.row), []).append(dependent.row)
    for model, rows in by_model.items():
        model.objects.bulk_create(rows)


def sql_items(dependents: list[Dependent], where: dict[int, int], cast, only_if: str, db
              ) -> tuple[list[str], list]:
    """WITH items `d<k> AS (INSERT … SELECT … WHERE EXISTS (SELECT FROM only_if))`, one per model, and their
    parameters in order. `where` maps id(record) to the WITH item `r<g>` that inserts it; `cast(field)` is
    the type a VALUES cell is cast to."""
    by_model: dict[type, list[Dependent]] = {}
    for dependent in dependents:
        by_model.setdefault(type(dependent.row), []).append(dependent)
    items, params = [], []
    for k, (model, group) in enumerate(by_model.items()):
        fields, table = _columns(model)
        rows = []
        for dependent in group:
            cells = []
            for field in fields:
                if field.name == dependent.link:
                    cells.append(f"(SELECT id FROM r{where[id(dependent.record)]} WHERE seq = %s)")
                    params.append(dependent.record.seq)
                else:
                    cells.append(f"%s::{cast(field)}")
                    params.append(field.get_db_prep_save(field.pre_save(dependent.row, True), db))
            rows.append("(" + ", ".join(cells) + ")")
        values = f"SELECT * FROM (VALUES {', '.join(rows)}) AS v WHERE EXISTS (SELECT FROM {only_if})"
        items.append(f"d{k} AS (INSERT INTO {table} {values})")
    return items, params


@functools.cache
def _columns(model: type) -> tuple[list, str]:
    """Every column, the primary key included (a job's is its candidate's id), and `table (column, …)`."""
    from django.db import connection

    fields = list(model._meta.concrete_fields)
    quote = connection.ops.quote_name
    return fields, f"{quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"


def _linked(dependent: Dependent) -> None:
    record = dependent.record
    field = dependent.row._meta.get_field(dependent.link)
    setattr(dependent.row, field.attname, record.pk)  # which forgets the cached record: keep it
    field.set_cached_value(dependent.row, record)
