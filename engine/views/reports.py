"""Analyst reports: plain ``.cypher`` files whose leading ``//`` lines declare them.

A report is read from ``cypher/reports/`` (shipped with mutuals) or from the directory named by
``MUTUALS_REPORTS_DIR`` (an analyst's own), every time reports are listed or run, so a file
dropped there shows at once. Its header::

    // name: reciprocity_leaderboard
    // description: Accounts by friends/followers ratio, among accounts with a minimum audience.
    // param min_followers: int = 10 -- only accounts with at least this many followers
    // param user: id -- an account (no default: required)
    // chart: bar id ratio

Types: ``string``, ``id`` (an account or post id), ``int``, ``float``, ``bool``, ``datetime``
(ISO-8601), ``list``, ``map``. A default of ``null`` makes a parameter optional. Values given as
text (the CLI's ``-p key=value``) are read by the declared type. The statement runs in a read
transaction, so the database refuses any write.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from mutuals.base import validate as v
from mutuals.base.errors import InvalidInput, MissingExtra, NotFound
from mutuals.base.values import plain
from mutuals.io.cypher import cypher_root
from mutuals.rules.fragments import inline

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped]

TYPES: Final = ("string", "id", "int", "float", "bool", "datetime", "list", "map")
CHART_KINDS: Final = ("bar", "donut")
_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
_PARAM = re.compile(r"param\s+([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([a-z]+)\s*(?:=\s*(.*?))?\s*(?:--\s*(.*))?$")
_MISSING: Final = object()


@dataclass(frozen=True, slots=True)
class ReportParam:
    """One declared parameter: its type, its default (when ``required`` is false) and what it means."""

    name: str
    type: str
    required: bool
    default: Any = None
    help: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "required": self.required}
        if not self.required:
            out["default"] = plain(self.default)
        if self.help:
            out["help"] = self.help
        return out

    def signature(self) -> str:
        """``name: type`` or ``name: type = default``, as in the declaration."""
        if self.required:
            return f"{self.name}: {self.type}"
        return f"{self.name}: {self.type} = {json.dumps(plain(self.default))}"


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """How to draw a report: a ``bar`` or ``donut`` chart of one label column and one value column."""

    kind: str
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Report:
    """A report as declared by its file."""

    name: str
    description: str
    params: tuple[ReportParam, ...]
    path: str
    builtin: bool
    chart: ChartSpec | None = None
    text: str = field(default="", repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "params": [p.to_dict() for p in self.params],
            "source": "builtin" if self.builtin else "user",
            "path": self.path,
        }


@dataclass(frozen=True, slots=True)
class ReportResult:
    """The rows of a report (JSON-ready dicts), its columns, and the chart file when one was drawn."""

    name: str
    params: dict[str, Any]
    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    chart: str | None = None

    def to_pandas(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame, one column per report column in order (times stay
        ISO-8601 text: ``pandas.to_datetime`` reads them). Needs the ``analysts`` extra."""
        try:
            import pandas
        except ImportError:
            raise MissingExtra("ReportResult.to_pandas", "analysts", "pandas") from None
        return pandas.DataFrame([dict(row) for row in self.rows], columns=list(self.columns))

    def to_parquet(self, path: Path | str) -> Path:
        """Write the rows to a Parquet file (through pandas and pyarrow: the ``analysts`` extra)."""
        out = v.path("out", path)
        if not out.parent.exists():
            raise InvalidInput("out", f"the directory {out.parent} does not exist")
        frame = self.to_pandas()
        try:
            import pyarrow  # type: ignore[import-untyped]
        except ImportError:
            raise MissingExtra("Parquet output", "analysts", "pyarrow") from None
        try:
            frame.to_parquet(out, index=False, engine="pyarrow")
        except OSError as e:
            raise InvalidInput("out", f"cannot write {out}: {e.strerror or e}") from None
        except pyarrow.ArrowException as e:  # a column mixing kinds of value (a user's report)
            raise InvalidInput("out", f"the rows cannot be written as Parquet: {e}") from None
        return out


def builtin_dir() -> Path:
    """``cypher/reports/``."""
    return cypher_root() / "reports"


def report_files(user_dir: Path | None) -> list[tuple[Path, bool]]:
    """Every report file: the built-in ones, then the user's (``True`` marks built-in)."""
    found = [(path, True) for path in sorted(builtin_dir().glob("*.cypher"))]
    if user_dir is not None:
        if not user_dir.is_dir():
            raise InvalidInput("MUTUALS_REPORTS_DIR", f"{user_dir} is not a directory")
        found.extend((path, False) for path in sorted(user_dir.glob("*.cypher")))
    return found


def parse(path: Path, *, builtin: bool) -> Report:
    """Read a report file and its declaration; InvalidInput names the file and the problem."""
    where = f"report file {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InvalidInput(where, f"cannot be read ({e.__class__.__name__})") from None
    lines = text.splitlines()
    header: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("//"):
            break
        header.append((number, stripped[2:].strip()))
    name = description = None
    params: list[ReportParam] = []
    chart: ChartSpec | None = None
    for number, line in header:
        key, sep, rest = line.partition(":")
        if line.startswith("param ") or line.startswith("param\t"):
            params.append(_param(where, number, line))
        elif sep and key.strip() == "name":
            name = rest.strip()
        elif sep and key.strip() == "description":
            description = rest.strip()
        elif sep and key.strip() == "chart":
            chart = _chart(where, number, rest)
    if name is None or not _NAME.fullmatch(name):
        raise InvalidInput(where, "needs a '// name: NAME' line (lower-case letters, digits and '_')")
    if name != path.stem:
        raise InvalidInput(where, f"declares the name {name!r}, but the file is named {path.name}")
    if not description:
        raise InvalidInput(where, "needs a '// description: ...' line")
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise InvalidInput(where, "declares a parameter twice")
    body = "\n".join(line for line in lines if not line.lstrip().startswith("//")).strip().rstrip(";").strip()
    if not body:
        raise InvalidInput(where, "has no Cypher statement after its declaration")
    try:
        # the rule fragments a report names ({{can_view(...)}}); "now" is the statement's own clock,
        # so the text runs from any client with the declared parameters alone (docs/reports.md)
        body = inline(body, clock="datetime()")
    except ValueError as e:
        raise InvalidInput(where, str(e)) from None
    problem = reads_messages(body)
    if problem:
        raise InvalidInput(where, f"may read direct messages ({problem}); reports never do")
    return Report(name, description, tuple(params), str(path), builtin, chart, body)


_REL = re.compile(r"(<?-)\[([^\]]*)\](->?)")
_BARE = re.compile(r"\)\s*(<?--?>?)\s*\(")
_TYPE = re.compile(r":\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*\|\s*:?[A-Za-z_][A-Za-z0-9_]*)*)\s*(?:[{*\s]|$)")
_POST_AFTER = re.compile(r"\s*\(\s*[A-Za-z_0-9]*\s*:\s*Post\b")
_POST_BEFORE = re.compile(r"\(\s*[A-Za-z_0-9]*\s*:\s*Post\b[^()]*\)\s*$")


def reads_messages(body: str) -> str | None:
    """Why a statement could read a direct message, or None: the structural guarantee that reports
    never read messages. A message is an ``INTERACTED`` relationship between two accounts, so every
    relationship pattern must name its type (no ``-[r]->``, no ``--``), and an ``INTERACTED`` one
    must point at a node written ``(x:Post)``."""
    if _BARE.search(body):
        return "a relationship pattern without a type"
    for match in _REL.finditer(body):
        left, inside, right = match.groups()
        kind = _TYPE.search(inside)
        if kind is None or "!" in inside or "%" in inside:
            return f"the relationship pattern [{inside}] has no plain type"
        types = {t.strip().lstrip(":") for t in kind.group(1).split("|")}
        if "INTERACTED" not in types:
            continue
        if right == "->" and left == "-":
            if not _POST_AFTER.match(body, match.end()):
                return f"[{inside}] does not point at a (:Post)"
        elif left == "<-" and right == "-":
            if not _POST_BEFORE.search(body[: match.start()]):
                return f"[{inside}] does not come from a (:Post)"
        else:
            return f"[{inside}] has no direction"
    return None


def _param(where: str, number: int, line: str) -> ReportParam:
    match = _PARAM.fullmatch(line)
    if match is None:
        raise InvalidInput(where, f"line {number}: expected 'param NAME: TYPE [= DEFAULT] [-- help]'")
    name, kind, default, help_text = match.groups()
    if kind not in TYPES:
        raise InvalidInput(where, f"line {number}: unknown type {kind!r} (types: {', '.join(TYPES)})")
    param = ReportParam(name, kind, default is None, None, (help_text or "").strip())
    if default is None:
        return param
    raw = default.strip()
    if raw == "null":
        return ReportParam(name, kind, False, None, param.help)
    try:
        value = coerce(param, raw if kind in ("string", "id", "datetime") and not raw.startswith('"') else _json(raw))
    except InvalidInput as e:
        raise InvalidInput(where, f"line {number}: the default of {name}: {e.problem}") from None
    return ReportParam(name, kind, False, value, param.help)


def _json(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _chart(where: str, number: int, rest: str) -> ChartSpec:
    parts = rest.split()
    if len(parts) != 3 or parts[0] not in CHART_KINDS:
        raise InvalidInput(where, f"line {number}: expected 'chart: bar|donut LABEL_COLUMN VALUE_COLUMN'")
    return ChartSpec(parts[0], parts[1], parts[2])


def load_all(user_dir: Path | None) -> list[Report]:
    """Every report, by name; a user's report may not reuse a name."""
    by_name: dict[str, Report] = {}
    for path, builtin in report_files(user_dir):
        report = parse(path, builtin=builtin)
        if report.name in by_name:
            other = by_name[report.name].path
            raise InvalidInput(f"report file {path}", f"the name {report.name!r} is already used by {other}")
        by_name[report.name] = report
    return sorted(by_name.values(), key=lambda r: r.name)


def find(name: Any, user_dir: Path | None) -> Report:
    """The report named ``name``; NotFound when there is none."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise InvalidInput("report", f"must be a report name (lower-case letters, digits, '_'), got {v.shown(name)}")
    for report in load_all(user_dir):
        if report.name == name:
            return report
    raise NotFound("report", name)


def bind(report: Report, given: Any) -> dict[str, Any]:
    """The parameters to run ``report`` with: each given value read by its declared type, the
    defaults for the rest. Missing, unknown or mistyped parameters are InvalidInput naming them."""
    if given is None:
        given = {}
    if not isinstance(given, dict):
        raise InvalidInput("params", "must be a mapping of parameter names to values")
    declared = {p.name: p for p in report.params}
    for key in given:
        if key not in declared:
            takes = ", ".join(declared) or "no parameters"
            raise InvalidInput(str(key), f"is not a parameter of report {report.name} (it takes: {takes})")
    bound: dict[str, Any] = {}
    for param in report.params:
        value = given.get(param.name, _MISSING)
        if value is _MISSING:
            if param.required:
                raise InvalidInput(param.name, f"is required by report {report.name} ({param.type})")
            bound[param.name] = param.default
        else:
            bound[param.name] = coerce(param, value)
    return bound


_BOOLS: Final = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def coerce(param: ReportParam, value: Any) -> Any:
    """``value`` as ``param.type``; text is parsed (``"3"`` for an int). InvalidInput names the parameter."""
    kind, name = param.type, param.name
    if value is None:
        if param.required or param.default is not None:
            raise InvalidInput(name, f"must be a {kind}, got null")
        return None
    if kind == "string":
        if not isinstance(value, str):
            raise InvalidInput(name, f"must be a string, got {v.shown(value)}")
        return value
    if kind == "id":
        return v.ident(name, value)
    if kind == "datetime":
        return v.timestamp(name, value)
    if kind == "int":
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,18}\s*", value):
            return int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise InvalidInput(name, f"must be an int (a whole number), got {v.shown(value)}")
    if kind == "float":
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                raise InvalidInput(name, f"must be a float (a number), got {v.shown(value)}") from None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise InvalidInput(name, f"must be a float (a number), got {v.shown(value)}")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _BOOLS:
            return _BOOLS[value.strip().lower()]
        raise InvalidInput(name, f"must be a bool (true or false), got {v.shown(value)}")
    wanted: type = list if kind == "list" else dict
    if isinstance(value, str):
        value = _json(value)
    if not isinstance(value, wanted):
        raise InvalidInput(name, f"must be a {kind} (JSON), got {v.shown(value)}")
    return v.parameters("params", {name: value})[name]


def chart_data(
    report: Report, columns: tuple[str, ...], rows: tuple[dict[str, Any], ...]
) -> tuple[str, list[str], list[float]]:
    """The chart kind, labels and values of a result: the declared columns, else the first text
    column and the first number column. InvalidInput("chart") when the rows are not label/value pairs."""
    spec = report.chart
    if spec is None:
        label = next((c for c in columns if rows and all(isinstance(r.get(c), str) for r in rows)), None)
        value = next(
            (c for c in columns if all(_number(r.get(c)) for r in rows) and any(r.get(c) is not None for r in rows)),
            None,
        )
        if label is None or value is None:
            raise InvalidInput("chart", f"report {report.name} has no label and value columns to draw")
        spec = ChartSpec("bar", label, value)
    for column in (spec.label, spec.value):
        if column not in columns:
            raise InvalidInput("chart", f"report {report.name} has no column {column!r} to draw")
    labels = [str(r.get(spec.label)) for r in rows]
    values: list[float] = []
    for r in rows:
        cell = r.get(spec.value)
        if cell is not None and not _number(cell):
            raise InvalidInput("chart", f"column {spec.value} of report {report.name} is not a number: {v.shown(cell)}")
        values.append(float(cell or 0))
    return spec.kind, labels, values


def _number(value: Any) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def prepare(name: Any, params: Any, user_dir: Path | None) -> tuple[Report, dict[str, Any]]:
    """The report and its parameters checked against its declaration (before anything runs)."""
    report = find(name, user_dir)
    return report, bind(report, params)


def finish(
    report: Report,
    bound: dict[str, Any],
    columns: list[str],
    rows: list[dict[str, Any]],
    chart: Path | str | None,
) -> ReportResult:
    """The result of a report's rows, with its chart drawn when ``chart`` names a file."""
    result = ReportResult(
        report.name,
        {k: plain(val) for k, val in bound.items()},
        tuple(columns),
        tuple({k: plain(val) for k, val in row.items()} for row in rows),
    )
    if chart is None:
        return result
    from mutuals.views import charts

    kind, labels, values = chart_data(report, result.columns, result.rows)
    shown = ", ".join(f"{k}={v}" for k, v in result.params.items() if isinstance(v, (str, int, float)))
    title = f"{report.name} ({shown})" if shown else report.name
    written = charts.chart(kind, labels, values, title=title, path=chart)
    return ReportResult(result.name, result.params, result.columns, result.rows, str(written))


def with_clock(text: str, bound: dict[str, Any]) -> dict[str, Any]:
    """The parameters of a report with ``now`` bound to the engine's clock when its text names
    ``$now`` (the active-block fragment, engine/rules/expiry.py) and no parameter gave it."""
    if "now" not in bound and re.search(r"\$now\b", text):
        return {**bound, "now": datetime.now(UTC)}
    return bound
