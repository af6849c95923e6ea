"""Two API schemas with one name would silently merge into one OpenAPI component."""

from collections import defaultdict

from ninja import Schema

from heyi.api.core import api


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def test_every_schema_of_the_api_has_a_name_of_its_own():
    api.get_openapi_schema()  # imports every router and its schemas
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("heyi."):
            by_name[cls.__name__].add(cls.__module__)
    clashes = {name: sorted(modules) for name, modules in by_name.items() if len(modules) > 1}
    assert not clashes, f"rename one of each: {clashes}"
