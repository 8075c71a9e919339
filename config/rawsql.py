"""Hand-written SQL for the few statements of the busiest requests (the answer POST
and every signed-in request's user), with model instances as the ORM builds them.

Django compiles a queryset anew on every request: for the answer form's round,
dimensions and access check (three joins, two subqueries) that was about 1.3 ms of
CPU against 0.16 ms to run it on SQLite (``benchmarks/profile_answer_post.py``,
docs/performance.md). The statements here are written once, from the models'
own table and column names (quoted by the backend), with every value passed as a
parameter; rows become instances through ``Model.from_db`` after the same
converters the ORM applies (UUIDs, datetimes and booleans on SQLite), so that
they behave exactly like fetched ones. Tests hold each statement equal to the
queryset it replaces.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class Columns:
    """The concrete columns of ``model`` under a table alias, for a SELECT list."""

    model: type[Model]
    alias: str
    sql: str  # "alias"."col", "alias"."col", ...
    attnames: list[str]
    converters: list[tuple[int, list[Converter], Any]]  # (index, converters, column)

    @property
    def width(self) -> int:
        return len(self.attnames)

    plain: bool  # Model.from_db only stores the values (``_plain``)

    def instance(self, values: Sequence[Any], using: str = "default") -> Any:
        """A model instance from this slice of a row, as a queryset would give it."""
        connection = connections[using]
        values = list(values)
        for index, functions, expression in self.converters:
            value = values[index]
            for function in functions:
                value = function(value, expression, connection)
            values[index] = value
        model = self.model
        if not self.plain or _observed(model):
            return model.from_db(using, self.attnames, values)
        # What from_db gives, without its per-field setattr: the instance's state
        # (fetched from ``using``), then each field's value under its attname.
        new = model.__new__(model)
        state = ModelState()
        state.adding = False
        state.db = using
        attributes = new.__dict__
        attributes["_state"] = state
        attributes.update(zip(self.attnames, values, strict=True))
        return new


def _observed(model: type[Model]) -> bool:
    return signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(
        model
    )


def _plain(model: type[Model]) -> bool:
    """Whether ``model.from_db(db, names, values)`` for all its concrete fields
    only stores each value in the instance's ``__dict__`` under its attname: no
    ``__init__`` or ``from_db`` of the model's own (``Round`` has one), and every
    field's attribute one of Django's plain descriptors (a foreign key's id
    forgets a cached related object, which a new instance has none of)."""
    if model.__init__ is not Model.__init__:
        return False
    if model.from_db.__func__ is not Model.from_db.__func__:  # type: ignore[attr-defined]
        return False
    return all(
        type(inspect.getattr_static(model, field.attname, None))
        in (DeferredAttribute, ForeignKeyDeferredAttribute)
        for field in model._meta.concrete_fields
    )


_columns: dict[tuple[type[Model], str, str], Columns] = {}


def columns(model: type[Model], alias: str, using: str = "default") -> Columns:
    key = (model, alias, using)
    found = _columns.get(key)
    if found is None:
        connection = connections[using]
        quote = connection.ops.quote_name
        fields = model._meta.concrete_fields
        converters = []
        for index, field in enumerate(fields):
            expression = field.get_col(alias)
            functions = [
                *connection.ops.get_db_converters(expression),
                *field.get_db_converters(connection),
            ]
            if functions:
                converters.append((index, functions, expression))
        found = Columns(
            model=model,
            alias=alias,
            sql=", ".join(f"{quote(alias)}.{quote(str(f.column))}" for f in fields),
            attnames=[f.attname for f in fields],
            converters=converters,
            plain=_plain(model),
        )
        _columns[key] = found
    return found


# Quoted names, found once per process: the statements above are put together on
# every request from a few dozen of them.
_names: dict[tuple[type[Model], str, str], str] = {}


def table(model: type[Model], using: str = "default") -> str:
    key = (model, "", using)
    found = _names.get(key)
    if found is None:
        quote = connections[using].ops.quote_name
        found = _names[key] = quote(model._meta.db_table)
    return found


def column(model: type[Model], name: str, using: str = "default") -> str:
    key = (model, name, using)
    found = _names.get(key)
    if found is None:
        field = model._meta.get_field(name)
        quote = connections[using].ops.quote_name
        found = _names[key] = quote(str(field.column))  # type: ignore[union-attr]
    return found


def prep(model: type[Model], name: str, value: Any, using: str = "default") -> Any:
    """``value`` as the database takes it for the field ``name`` (a UUID on SQLite
    is stored as 32 hex digits, a datetime as text)."""
    field = model._meta.get_field(name)
    return field.get_db_prep_value(value, connections[using], prepared=False)  # type: ignore[union-attr]


_inserts: dict[tuple[type[Model], str, frozenset[str]], tuple[str, list[Any]]] = {}


def insert(model: type[Model], using: str = "default", **values: Any) -> None:
    """``model.objects.create(**values)`` as one INSERT written from the model's
    names, for models without signals whose new id nobody reads: every concrete
    field not given gets its default, as ``save`` gives it; an auto-increment id is
    left to the database. Raises ``IntegrityError`` as ``create`` does. The
    statement is written once per model and set of names given."""
    connection = connections[using]
    key = (model, using, frozenset(values))
    plan = _inserts.get(key)
    if plan is None:
        fields = [
            field
            for field in model._meta.concrete_fields
            if field.name in values or not (field.primary_key and field.db_returning)
        ]
        unknown = set(values) - {field.name for field in fields}
        if unknown:
            raise TypeError(f"{model.__name__} has no field {', '.join(unknown)}")
        quote = connection.ops.quote_name
        names = ", ".join(quote(str(field.column)) for field in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table(model, using)} ({names}) VALUES ({marks})"  # noqa: S608
        plan = _inserts[key] = (sql, fields)
    sql, fields = plan
    params = []
    for field in fields:
        value = values[field.name] if field.name in values else field.get_default()
        if field.is_relation and isinstance(value, Model):
            value = getattr(value, field.target_field.attname)  # type: ignore[attr-defined]
        params.append(field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
