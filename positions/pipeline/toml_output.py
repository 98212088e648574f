"""Writing the data files with tomlkit, so that what an editor wrote by hand survives a write-back.

A file is described as ``TomlData``: a header comment, and arrays of tables (``[[stance]]``…) as
lists of plain field dicts, each keyed by what identifies it (a slug, an organisation × topic).
Where the file does not exist yet it is written fresh: the header, then one table after another.
Where it exists, the new data is merged into the parsed document instead: an entry, and a field
in it, is replaced only when what the build reads from it differs (``same`` decides), so comments,
blank lines, string styles and every untouched entry stay byte-for-byte as they were, and data
that did not change gives back the file it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Item, Table

Same = Callable[[str, tuple, str, object, object], bool]  # (array, key, field, in file, new)


@dataclass
class TomlData:
    header: str
    arrays: dict[str, list[dict]]  # array name -> entries (fields; a list of dicts is an array of tables)
    keys: dict[str, Callable[[dict], tuple]]  # how the build identifies an entry of each array
    # The fields this writer owns in each array; others (e.g. of a newer schema) are left alone.
    owned: dict[str, set[str]]
    tables: dict[str, dict[str, dict]] = field(default_factory=dict)  # [files."x.txt"] style tables


def toml_item(value) -> Item:
    """A value as tomlkit writes it here: multi-line text as a literal block starting on a new line
    where TOML allows it; long lists one item per line."""
    if isinstance(value, str):
        literal_safe = (
            "\n" in value
            and "'''" not in value
            and not value.endswith("'")
            and all(ch in "\n\t" or (ch >= " " and ch != "\x7f") for ch in value)
        )
        if literal_safe:  # TOML drops a newline right after the opening quotes
            return tomlkit.parse("x = '''\n" + value + "'''\n")["x"]
        return tomlkit.string(value)
    if isinstance(value, list) and not any(isinstance(item, dict) for item in value):
        array = tomlkit.array()
        array.extend(value)
        if len(array.as_string()) > 80 or any("\n" in str(item) for item in value):
            array.multiline(True)
        return array
    return tomlkit.item(value)


def toml_string(value: str) -> str:
    return toml_item(value).as_string()


def toml_table(fields: dict) -> Table:
    table = tomlkit.table()
    for name, value in fields.items():
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            if name not in table:
                table.add(tomlkit.nl())  # a blank line before the first [[outer.name]]
            table[name] = tomlkit.aot()
            for item in value:
                table[name].append(toml_table(item))
        else:
            table[name] = toml_item(value)
    return table


def render_new(data: TomlData) -> str:
    """The file fresh: the header, then each section (a table, an array of tables) after a blank line."""
    sections = [data.header + "\n"]
    for name, tables in data.tables.items():
        document, outer = tomlkit.document(), tomlkit.table(is_super_table=True)
        for key, fields in tables.items():
            outer.add(key, toml_table(fields))
        document[name] = outer
        sections.append(tomlkit.dumps(document))
    for name, entries in data.arrays.items():
        if entries:
            document = tomlkit.document()
            document[name] = tomlkit.aot()
            for entry in entries:
                document[name].append(toml_table(entry))
            sections.append(tomlkit.dumps(document))
    return "\n".join(sections)


def merge_into(text: str, data: TomlData, same: Same) -> str:
    """``text`` with ``data`` merged in (see the module's docstring); raises TOMLKitError if the
    text is not TOML."""
    document = tomlkit.parse(text)
    for name, tables in data.tables.items():
        outer = document.get(name)
        if not isinstance(outer, Table):
            document[name] = outer = tomlkit.table(is_super_table=True)
        for key in [key for key in outer if key not in tables]:
            del outer[key]
        for key, fields in tables.items():
            if isinstance(outer.get(key), Table):
                _merge_table(outer[key], fields, set(fields), name, (key,), same)
            else:
                if outer:
                    _blank_line_after(outer[list(outer)[-1]])
                outer.add(key, table := toml_table(fields))
                _blank_line_after(table)
    for name, entries in data.arrays.items():
        old = document.get(name)
        if not isinstance(old, AoT):
            if entries:
                document[name] = tomlkit.aot()
                for entry in entries:
                    document[name].append(toml_table(entry))
            continue
        key_of = data.keys[name]
        new_keys = [key_of(entry) for entry in entries]
        kept = set(new_keys)
        for index in reversed(range(len(old))):
            if _key(key_of, old[index]) not in kept:
                del old[index]
        old_keys = [_key(key_of, table) for table in old]
        by_key = dict(zip(old_keys, old, strict=True))
        for table_key, entry in zip(new_keys, entries, strict=True):
            if table_key in by_key:
                _merge_table(by_key[table_key], entry, data.owned[name], name, table_key, same)
        if [k for k in new_keys if k in by_key] != old_keys:  # reordered: rebuild in the new order
            tables = [
                by_key[k] if k in by_key else toml_table(e) for k, e in zip(new_keys, entries, strict=True)
            ]
            document[name] = tomlkit.aot()
            for table in tables:
                document[name].append(table)
            continue
        for position, (table_key, entry) in enumerate(zip(new_keys, entries, strict=True)):
            if table_key not in by_key:
                table = toml_table(entry)
                if position < len(old):
                    _blank_line_after(table)
                elif position:
                    _blank_line_after(old[position - 1])
                old.insert(position, table)
    return tomlkit.dumps(document)


def _blank_line_after(table: Table) -> None:
    """Separate a table from the one a merge puts after it, as the rest of the file is."""
    if not table.as_string().endswith("\n\n"):
        table.add(tomlkit.nl())


def _key(key_of: Callable[[dict], tuple], table: Table) -> tuple:
    try:
        return key_of(table.unwrap())
    except (KeyError, TypeError):
        return ("<unreadable>", id(table))


def _merge_table(table: Table, fields: dict, owned: set[str], array: str, key: tuple, same: Same) -> None:
    for name, value in fields.items():
        if name in table:
            if not same(array, key, name, table[name].unwrap(), value):
                table[name] = _field_item(value)
        elif not same(array, key, name, None, value):  # absent can mean the same (a default)
            table[name] = _field_item(value)
    for name in [name for name in table if name in owned and name not in fields]:
        if not same(array, key, name, table[name].unwrap(), None):
            del table[name]


def _field_item(value):
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return toml_table({"x": value})["x"]
    return toml_item(value)


__all__ = ["TOMLKitError", "TomlData", "merge_into", "render_new", "toml_item", "toml_string", "toml_table"]
