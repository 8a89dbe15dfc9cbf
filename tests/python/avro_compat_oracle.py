"""Reference verdicts for the engine's Avro compatibility checker.

Reads reader/writer schema pairs as JSON lines ({"id", "reader", "writer"})
from the file named by the first argument and writes one JSON line per pair
to the second: the verdict of the official Apache Avro Python package's
``avro.compatibility.ReaderWriterCompatibilityChecker`` (a port of Java's
``org.apache.avro.SchemaCompatibility``), with each incompatibility's type,
location and message, in the order the checker reports them.

Used by crates/engine/tests/avro_compat_differential.rs; run with the venv
that ``scripts/setup.sh test`` installs (tests/python/requirements.txt).

Each pair is checked twice:

``port``
    the package exactly as shipped. The only addition is bookkeeping: the
    port keeps an ordered list of incompatibility *types* but merges their
    locations and messages into unordered sets (adding a spurious "/" when
    an incompatible result is merged with a compatible one), so ``merge`` and
    ``incompatible`` are wrapped to carry an ordered list of
    (type, location, message) next to it. The wrappers call the originals and
    change no verdict.

``java``
    the same, with the two functions where the port departs from Java's
    ``SchemaCompatibility`` (Avro 1.12) replaced by Java's behaviour:

    * ``schema_name_equals``: Java compares the reader's aliases *as full
      names* (``Schema.getAliases()`` qualifies an alias without a dot with
      the schema's namespace, ``NamedSchema.addAlias``); the port compares
      the alias strings as written in the JSON.
    * ``lookup_writer_field``: Java collects the writer fields named by the
      reader field's name and each of its aliases and throws an
      ``AvroRuntimeException`` when there is more than one; the port returns
      the first. Here that pair's verdict is ``JAVA_THROWS``.

The test compares the engine with ``java`` and reports how often ``port``
differs from it. A third difference (the port checks the branches of a writer
union against a non-union reader from a fresh root location, where Java
appends the branch index to the current location) shows only in locations and
is handled by the test's location comparison.
"""

import ast
import json
import sys
import warnings

import avro.compatibility as compat
import avro.schema

Checker = compat.ReaderWriterCompatibilityChecker
Incompatible = compat.SchemaCompatibilityType.incompatible

ORIGINAL_MERGE = compat.merge
ORIGINAL_INCOMPATIBLE = compat.incompatible
ORIGINAL_SCHEMA_NAME_EQUALS = compat.schema_name_equals
ORIGINAL_LOOKUP_WRITER_FIELD = compat.lookup_writer_field


class JavaThrows(Exception):
    """Java's lookupWriterField throws AvroRuntimeException here."""


def details(result):
    return getattr(result, "details", [])


def tracked_merge(this, that):
    merged = ORIGINAL_MERGE(this, that)
    merged.details = details(this) + details(that)
    return merged


def tracked_incompatible(kind, message, location):
    result = ORIGINAL_INCOMPATIBLE(kind, message, location)
    (rendered,) = result.locations
    result.details = [(kind.name.upper(), rendered, message)]
    return result


def java_full_name(alias, namespace):
    """Java's Name(alias, space).full for an alias of a schema in namespace."""
    if "." in alias or not namespace:
        return alias
    return f"{namespace}.{alias}"


def java_schema_name_equals(reader, writer):
    if reader.name == writer.name:
        return True
    aliases = reader.props.get("aliases") or []
    return writer.fullname in {java_full_name(a, reader.namespace) for a in aliases}


def java_lookup_writer_field(writer_schema, reader_field):
    fields = writer_schema.fields_dict
    found = []
    if reader_field.name in fields:
        found.append(fields[reader_field.name])
    # Field.aliases() is a LinkedHashSet in Java: a repeated alias counts once.
    for alias in dict.fromkeys(reader_field.props.get("aliases") or []):
        if alias in fields:
            found.append(fields[alias])
    if len(found) > 1:
        raise JavaThrows(reader_field.name)
    return found[0] if found else None


def java_message(kind, message):
    """The port's message in Java's spelling (type names in upper case,
    missing symbols as a sorted list, a colon after "writer type")."""
    if kind == "TYPE_MISMATCH":
        head, writer_type = message.rsplit(": ", 1)
        reader_head, reader_type = head.split(": ", 1)
        reader_type = reader_type.replace(" not compatible with writer type", "")
        return f"{reader_head}: {reader_type.upper()} not compatible with writer type: {writer_type.upper()}"
    if kind == "MISSING_UNION_BRANCH":
        writer_type = message.replace("reader union lacking writer type", "").lstrip(": ")
        return f"reader union lacking writer type: {writer_type.upper()}"
    if kind == "MISSING_ENUM_SYMBOLS":
        return "[" + ", ".join(sorted(ast.literal_eval(message))) + "]"
    return message


def check(reader, writer, java):
    compat.schema_name_equals = java_schema_name_equals if java else ORIGINAL_SCHEMA_NAME_EQUALS
    compat.lookup_writer_field = java_lookup_writer_field if java else ORIGINAL_LOOKUP_WRITER_FIELD
    try:
        result = Checker().get_compatibility(reader, writer)
    except JavaThrows as thrown:
        return {"verdict": "JAVA_THROWS", "field": str(thrown), "incompatibilities": []}
    verdict = "INCOMPATIBLE" if result.compatibility is Incompatible else "COMPATIBLE"
    kinds = [kind.name.upper() for kind in result.incompatibilities]
    found = details(result)
    # The bookkeeping must mirror the port's own list exactly.
    assert kinds == [kind for kind, _, _ in found], (kinds, found)
    return {
        "verdict": verdict,
        "incompatibilities": [
            {"type": kind, "location": location, "message": java_message(kind, message), "port_message": message}
            for kind, location, message in found
        ],
    }


def main():
    warnings.simplefilter("ignore")
    compat.merge = tracked_merge
    compat.incompatible = tracked_incompatible
    with open(sys.argv[1], encoding="utf-8") as pairs, open(sys.argv[2], "w", encoding="utf-8") as out:
        for line in pairs:
            pair = json.loads(line)
            answer = {"id": pair["id"]}
            try:
                reader = avro.schema.parse(pair["reader"])
                writer = avro.schema.parse(pair["writer"])
            except Exception as error:  # noqa: BLE001 - reported to the test
                answer["parse_error"] = f"{type(error).__name__}: {error}"
            else:
                answer["port"] = check(reader, writer, java=False)
                answer["java"] = check(reader, writer, java=True)
            out.write(json.dumps(answer) + "\n")


if __name__ == "__main__":
    main()
