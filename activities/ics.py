"""An activity as an iCalendar file (RFC 5545) that phones add to their calendar.

Times are written in UTC (``…Z``), which every calendar converts to the phone's zone: 08:00 in Asia/Shanghai is
``T000000Z``. The UID depends only on the activity and the site's domain, so downloading again updates the same
calendar entry instead of adding a second one; a cancelled activity is sent with STATUS:CANCELLED and a higher
SEQUENCE so that calendars mark the entry cancelled.
"""

import datetime

CRLF = "\r\n"
MAX_LINE_OCTETS = 75


def escape_text(value):
    """RFC 5545 §3.3.11: backslash, semicolon and comma are escaped; line breaks become ``\\n``."""
    value = str(value or "")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line):
    """RFC 5545 §3.1: lines longer than 75 octets continue on the next line after CRLF and one space.

    Counted in UTF-8 octets and never inside a character (Chinese is 3 octets a character).
    """
    parts, current, size, limit = [], [], 0, MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, MAX_LINE_OCTETS - 1  # continuation lines start with a space
        current.append(char)
        size += width
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def utc_stamp(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def activity_ics(activity, *, url, domain, now=None):
    """The calendar file for ``activity`` as text (CRLF line ends, folded, escaped)."""
    cancelled = activity.state == activity.State.CANCELLED
    description = activity.description or ""
    if cancelled and activity.cancelled_reason:
        description = f"{activity.cancelled_reason}\n\n{description}".strip()
    stamp = utc_stamp(activity.updated_at or now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//unionportal//activities//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:activity-{activity.pk}@{domain}",
        f"DTSTAMP:{stamp}",
        f"LAST-MODIFIED:{stamp}",
        f"SEQUENCE:{1 if cancelled else 0}",
        f"DTSTART:{utc_stamp(activity.starts_at)}",
        f"DTEND:{utc_stamp(activity.ends_at)}",
        f"SUMMARY:{escape_text(activity.title)}",
    ]
    if activity.place:
        lines.append(f"LOCATION:{escape_text(activity.place)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    lines += [
        f"URL:{url}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return CRLF.join(fold(line) for line in lines) + CRLF
