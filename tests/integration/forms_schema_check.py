#!/usr/bin/env python3
"""Every shipped definition conforms to the JSON Schema in forms/catalog/schema/ (a second,
independent reading of the format next to the C++ loader). Skips (exit 77) without python3-jsonschema."""
import json, pathlib, sys
try:
    import jsonschema
    from referencing import Registry, Resource
except ImportError:
    print("skipped: python3 jsonschema/referencing not installed"); sys.exit(77)
root = pathlib.Path(sys.argv[1]) / "forms" / "catalog"
schemas = {p.name: json.loads(p.read_text()) for p in (root / "schema").glob("*.schema.json")}
registry = Registry().with_resources([(s["$id"], Resource.from_contents(s)) for s in schemas.values()] +
                                     [(n, Resource.from_contents(s)) for n, s in schemas.items()])
bad = 0
for kind, schema in (("items", "item.schema.json"), ("bundles", "bundle.schema.json")):
    jsonschema.Draft202012Validator.check_schema(schemas[schema])
    v = jsonschema.Draft202012Validator(schemas[schema], registry=registry)
    for f in sorted((root / kind).glob("*.json")):
        for e in v.iter_errors(json.loads(f.read_text())):
            bad += 1
            print(f"{f}: /{'/'.join(map(str, e.absolute_path))}: {e.message}")
print("ok" if not bad else f"{bad} problems"); sys.exit(1 if bad else 0)
