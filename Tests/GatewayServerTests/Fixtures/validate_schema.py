#!/usr/bin/env python3
"""Validate a JSON document (stdin) against a JSON schema file, resolving relative $refs from disk.

Usage: validate_schema.py SCHEMA.json < document.json   (exit 0 valid, 1 invalid)
"""
import json
import pathlib
import sys

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


FIXTURES = pathlib.Path(__file__).resolve().parent / "beacon-v2"
REMOTE = "https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/"


def retrieve(uri: str) -> Resource:
    # The default model refers to the framework by its GitHub address: read the local copy instead.
    if uri.startswith(REMOTE):
        path = FIXTURES / uri.removeprefix(REMOTE).split("#")[0]
    else:
        path = pathlib.Path(uri.removeprefix("file://").split("#")[0])
    return Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012)


def main() -> int:
    schema_path = pathlib.Path(sys.argv[1]).resolve()
    schema = json.loads(schema_path.read_text())
    schema.setdefault("$id", schema_path.as_uri())
    document = json.load(sys.stdin)
    validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    validator = validator_class(schema, registry=Registry(retrieve=retrieve))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    for error in errors:
        print(f"{'/'.join(map(str, error.path)) or '(root)'}: {error.message}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
