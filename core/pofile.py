"""A small reader for gettext .po files, enough to check the catalogue is complete (no polib needed)."""

import ast
from dataclasses import dataclass, field


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict = field(default_factory=dict)
    flags: set = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self):
        return (self.msgctxt, self.msgid)

    @property
    def translated(self):
        return bool(self.msgstr) and all(value.strip() for value in self.msgstr.values())


def read_po(path):
    entries, entry, current = [], Entry(), None

    def flush():
        nonlocal entry
        if entry.msgid or entry.msgstr:
            entries.append(entry)
        entry = Entry()

    with open(path, encoding="utf-8") as handle:
        lines = handle.readlines()
    for raw in lines:
        line = raw.strip()
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if not line:
            flush()
            current = None
            continue
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = ast.literal_eval(line)
            _append(entry, current, value)
            continue
        value = ast.literal_eval(rest)
        if keyword == "msgctxt":
            if entry.msgid or entry.msgstr:
                flush()
            entry.msgctxt, current = value, ("msgctxt",)
        elif keyword == "msgid":
            if entry.msgid or entry.msgstr:
                flush()
            entry.msgid, current = value, ("msgid",)
        elif keyword == "msgid_plural":
            entry.msgid_plural, current = value, ("msgid_plural",)
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            entry.msgstr[index] = value
            current = ("msgstr", index)
    flush()
    return [e for e in entries if not e.obsolete]


def _append(entry, current, value):
    if current is None:
        return
    if current[0] == "msgstr":
        entry.msgstr[current[1]] += value
    elif current[0] == "msgctxt":
        entry.msgctxt += value
    else:
        setattr(entry, current[0], getattr(entry, current[0]) + value)
