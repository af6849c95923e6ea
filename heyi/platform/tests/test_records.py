"""Constraints decided on a record's values must agree with the database's answer."""

import datetime
import itertools
import random
import uuid
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Q

from heyi.platform.services.records import _holds


def _names(condition) -> set[str]:
    if isinstance(condition, Q):
        return set().union(*(_names(child) for child in condition.children))
    names = {condition[0].split("__")[0]}
    if isinstance(condition[1], models.F):
        names.add(condition[1].name)
    return names


def _candidates(field: models.Field) -> list:
    if field.is_relation:
        values = [uuid.uuid4()]
    elif isinstance(field, models.BooleanField):
        values = [True, False]
    elif isinstance(field, models.DateField):
        values = [datetime.date(2026, 11, 27), datetime.date(2026, 11, 28)]
    elif isinstance(field, (models.DecimalField, models.IntegerField, models.FloatField)):
        values = [Decimal(-1), Decimal(0), Decimal("0.5"), Decimal(1), Decimal(366)]
    elif field.choices:
        values = ["", *(value for value, _label in field.flatchoices)][:6]
    else:
        values = ["", "x"]
    return [*values, None] if field.null else values


def _conditions():
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if getattr(constraint, "condition", None) is not None:
                yield pytest.param(model, constraint, id=f"{model._meta.label}.{constraint.name}")


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "constraint"), list(_conditions()))
def test_a_condition_decided_on_values_agrees_with_the_database(model, constraint):
    names = sorted(_names(constraint.condition))
    fields = [model._meta.get_field(name) for name in names]
    choices = [_candidates(field) for field in fields]
    combinations = list(itertools.product(*choices))
    if len(combinations) > 200:
        combinations = random.Random(constraint.name).sample(combinations, 200)
    decided = 0
    for values in combinations:
        obj = model()
        for field, value in zip(fields, values, strict=True):
            setattr(obj, field.attname, value)
        verdict = _holds(constraint.condition, obj, set())
        if verdict is None:
            continue
        against = obj._get_field_expression_map(meta=model._meta)
        assert verdict == Q(constraint.condition).check(against), dict(zip(names, values, strict=True))
        decided += 1
    assert decided, "no value decided without the database"
