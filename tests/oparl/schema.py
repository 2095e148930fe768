"""The OParl 1.1 JSON schemas as validators, shared by the endpoint's tests.

The schemas are read from ``../shared/oparl/schema/`` beside the project checkout
(they are not copied into the project); without them the tests that need them skip
locally and fail in CI. The ``validators`` fixture (tests/oparl/conftest.py) loads
them once per module.
"""

import json
import os
import re
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "shared" / "oparl" / "schema"
TYPE_PREFIX = "https://schema.oparl.org/1.1/"

# OParl 2.4 is stricter than RFC 3339: seconds and a numeric offset, always.
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

checker = FormatChecker(formats=())
checker.checks("date-time")(lambda value: bool(DATE_TIME.match(value)))
checker.checks("date")(lambda value: bool(DATE.match(value)))
checker.checks("url")(lambda value: value.startswith(("http://", "https://")))


def _schema_dir() -> Path:
    if SCHEMA_DIR.is_dir():
        return SCHEMA_DIR
    reason = f"OParl schemas not found at {SCHEMA_DIR} (expected ../shared/oparl/schema/)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; they must be present in CI", pytrace=False)
    print(f"SKIPPED: {reason}")
    pytest.skip(reason)


def _with_refs(schema: dict) -> dict:
    """The OParl schemas name embedded objects with a non-standard ``"schema":
    "Location.json"``; turn those into ``$ref`` so embedded objects are validated too."""
    for prop in schema.get("properties", {}).values():
        if prop.get("type") == "object" and str(prop.get("schema", "")).endswith(".json"):
            prop["$ref"] = prop["schema"]
        items = prop.get("items")
        if (
            prop.get("type") == "array"
            and isinstance(items, dict)
            and items.get("type") == "object"
            and str(items.get("schema", "")).endswith(".json")
        ):
            items["$ref"] = items["schema"]
    return schema


def load_validators() -> dict:
    """One validator per OParl type name (``"Meeting"``), resolving the schemas'
    references to each other."""
    folder = _schema_dir()
    schemas = {
        path.name: _with_refs(json.loads(path.read_text(encoding="utf-8")))
        for path in folder.glob("*.json")
    }
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT7))
        for name, schema in schemas.items()
    )
    return {
        name.removesuffix(".json"): Draft7Validator(
            schema, registry=registry, format_checker=checker
        )
        for name, schema in schemas.items()
    }


def validate(validators, obj: dict) -> str:
    """Assert that ``obj`` matches the schema of its type; return the type name."""
    kind = obj["type"].removeprefix(TYPE_PREFIX)
    errors = sorted(validators[kind].iter_errors(obj), key=str)
    assert not errors, f"{obj['id']}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors
    )
    return kind
