"""`files`: a folder where a department drops CSV or XLSX exports (the usual SIPD/SIMDA reality).

Handles title blocks and merged cells above the header (the header row is found by the mapped
column names), totals rows (skipped, or the city-wide value with `city_wide: row`), footers and
signature blocks (`footer`), the period from the file name or the title block, Indonesian numbers
and dates, `;` or `,` separators, UTF-8 or cp1252. Each file is imported once: the collector stores a checkpoint
keyed by the file's content hash after the samples are written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator

from commandcenter.sources import registry
from commandcenter.sources.base import Connector, FetchContext, FetchResult, Options, SourceError, dedupe
from commandcenter.sources.mapping import RecordMap, valid_regex, When, is_expression, is_total, map_list, reported_at
from commandcenter.sources.parsing import ParseError, compile_period_pattern, period_from_match

_SPACES = re.compile(r"\s+")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class FileRecordMap(RecordMap):
    """A files mapping: also reads the period from the file name or the title block."""

    period_file: str | None = Field(None, examples=["LRA_OPD_{yyyy}-{mm}*.xlsx"], description="pattern of the file name giving the period, e.g. "
                                    "LRA_OPD_{yyyy}-{mm}*.xlsx ({yyyy} {mm} {m} {month} {q} {s} {dd}, * any text)")
    period_title: str | None = Field(None, examples=["BULAN {month} {yyyy}"], description="pattern searched in the title block above the header, "
                                     "e.g. 'BULAN {month} {yyyy}' finds 'LAPORAN ... BULAN JUNI 2025'")

    @field_validator("period_file", "period_title")
    @classmethod
    def _pattern(cls, value: str | None) -> str | None:
        if value is not None:
            compile_period_pattern(value)  # ValueError names the bad placeholder
        return value

    @classmethod
    def period_keys(cls) -> tuple[str, ...]:
        return ("ts_field", "month_field", "period", "period_file", "period_title")


class FilesOptions(Options):
    folder: str = Field(description="folder to watch: {data_dir}/..., ~/..., absolute, or relative to config/")
    pattern: str = Field("*", description="glob of file names, e.g. izin_*.csv")
    delimiter: Literal["auto", ";", ",", "\t"] = "auto"
    encoding: Literal["auto", "utf-8", "cp1252"] = "auto"
    sheet: str | None = Field(None, description="XLSX sheet name; default: the first")
    header_row: int | None = Field(None, ge=1, description="1-based header row; default: found by column names")
    decimal: Literal[",", "."] = ","
    footer: str | None = Field(None, examples=["(Sumber|Keterangan|Kepala|NIP).*"], description="regex: the table ends at the first row below the header with a "
                               "cell matching it, e.g. '(Sumber|Keterangan|Kepala|Batu Bara,).*' (a signature block)")
    max_bytes: int = Field(50 * 1024 * 1024, gt=0)
    samples: list[FileRecordMap] = Field(min_length=1)

    @field_validator("footer")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        return valid_regex(value)


Row = tuple[int, list[Any]]  # (1-based row number in the file, cells)


def _mtime_then_name(path: Path) -> tuple[float, str]:
    try:
        return path.stat().st_mtime, path.name
    except OSError:
        return 0.0, path.name


@registry.register
class Files(Connector):
    type_name = "files"
    Options = FilesOptions

    def fetch(self, ctx: FetchContext) -> FetchResult:
        opts: FilesOptions = ctx.options
        folder = ctx.path(opts.folder)
        if not folder.is_dir():
            raise SourceError(f"folder {folder} does not exist")
        result = FetchResult()
        for path in sorted(folder.glob(opts.pattern), key=_mtime_then_name):
            if path.is_file() and path.suffix.lower() in {".csv", ".txt", ".xlsx", ".xlsm"}:
                try:
                    self._file(ctx, opts, path, result)
                except OSError as exc:  # moved or deleted while we looked: the others still count
                    result.rejected.append(f"{path.name}: cannot be read ({exc.strerror or exc})")
        result.samples = dedupe(result.samples)
        if not result.checkpoints:
            result.nodata, result.message = True, "no new files"
        else:
            result.message = f"{len(result.checkpoints)} new file(s)"
        return result

    def _file(self, ctx: FetchContext, opts: FilesOptions, path: Path, result: FetchResult) -> None:
        if path.stat().st_size > opts.max_bytes:
            result.rejected.append(f"{path.name}: over the {opts.max_bytes} byte cap")
            return
        data = path.read_bytes()
        key = "sha256:" + hashlib.sha256(data).hexdigest()
        if ctx.get_checkpoint(key) is not None or key in result.checkpoints:
            return
        result.checkpoints[key] = path.name  # imported once, even if it was bad: reported once
        try:
            rows = _xlsx_rows(data, opts.sheet) if path.suffix.lower() in {".xlsx", ".xlsm"} else _csv_rows(data, opts)
        except SourceError as exc:
            result.rejected.append(f"{path.name}: {exc.reason}")
            return
        for rmap in opts.samples:
            try:
                records, numbers, title = _records(rows, rmap, opts)
                when = _file_period(rmap, path.name, title, ctx)
                samples, rejected = map_list(rmap, records, ctx.tz, ctx.now,
                                             lambda i: f"{path.name} row {numbers[i]}", opts.decimal, when)
            except SourceError as exc:
                result.rejected.append(f"{path.name}: {exc.reason}")
                continue
            # the export's modification time is when the department reported these figures
            result.samples += reported_at(samples, _mtime_then_name(path)[0] or None, ctx.now)
            result.rejected += rejected


def _decode(data: bytes, encoding: str) -> str:
    if encoding == "cp1252":
        return data.decode("cp1252", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if encoding == "utf-8":
            raise SourceError("not UTF-8 text") from None
        return data.decode("cp1252", errors="replace")  # Excel on Windows saves CSV as cp1252


def _sniff(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()][:5]
    for sep in (";", "\t"):
        if lines and all(sep in line for line in lines):
            return sep
    return ","


def _csv_rows(data: bytes, opts: FilesOptions) -> list[Row]:
    text = _decode(data, opts.encoding)
    sep = _sniff(text) if opts.delimiter == "auto" else opts.delimiter
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise SourceError(f"bad CSV at line {reader.line_num}: {exc}") from None


def _xlsx_rows(data: bytes, sheet: str | None) -> list[Row]:
    import openpyxl  # only needed when a spreadsheet arrives

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SourceError(f"not a readable XLSX file ({type(exc).__name__})") from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise SourceError(f"no sheet {sheet!r} (sheets: {', '.join(wb.sheetnames)})")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        return [(n, [_cell(c) for c in row]) for n, row in enumerate(ws.iter_rows(), start=1)]
    finally:
        wb.close()


def _cell(cell: Any) -> Any:
    value = getattr(cell, "value", None)
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in fmt:
        return value * 100  # a percent-formatted cell stores 0.4523 for 45,23%
    return value


def _norm(value: Any) -> str:
    return _SPACES.sub(" ", str(value)).strip() if value is not None else ""


def _file_period(rmap: FileRecordMap, name: str, title: list[Any], ctx: FetchContext) -> When | None:
    """The period a file's name or title block gives, for a mapping that asks for one."""
    if rmap.period_file:
        m = compile_period_pattern(rmap.period_file).fullmatch(name)
        if m is None:
            raise SourceError(f"file name does not match period_file {rmap.period_file!r}")
        return _period(m, ctx)
    if rmap.period_title:
        pattern = compile_period_pattern(rmap.period_title)
        for cell in title:
            if isinstance(cell, str) and (m := pattern.search(_norm(cell))):
                return _period(m, ctx)
        raise SourceError(f"no title cell above the header matches period_title {rmap.period_title!r}")
    return None


def _period(m: re.Match[str], ctx: FetchContext) -> When:
    try:
        return period_from_match(m, ctx.tz)
    except ParseError as exc:
        raise SourceError(str(exc)) from None


def _column(field: str) -> tuple[str, bool]:
    """The column name a field gives, and whether the header must contain it. A field that only
    reads as a jmespath expression (`join('-', [Tahun, Bulan])`) need not be a column; a header
    such as `Realisasi (Rp)` parses as an expression too, so it counts when the row holds it."""
    if len(field) > 1 and field[0] == field[-1] == '"':
        return field[1:-1], True  # a quoted jmespath identifier: "Nama OPD"
    return field, bool(_NAME.match(field)) or not is_expression(field)


def _fields(rmap: RecordMap) -> list[str]:
    return list(rmap.values.values()) + [f for f in (rmap.opd_field, rmap.dim_field, rmap.ts_field,
                                                     rmap.month_field, rmap.year_field) if f]


def _find_header(rows: list[Row], rmap: RecordMap, header_row: int | None) -> int:
    if header_row is not None:
        for idx, (number, _) in enumerate(rows):
            if number == header_row:
                return idx
        raise SourceError(f"no row {header_row} (header_row)")
    cols = [(_norm(name).lower(), must) for name, must in map(_column, _fields(rmap))]
    required = {c for c, must in cols if must}
    optional = {c for c, must in cols if not must}
    best, best_score = None, 0
    for idx, (_, cells) in enumerate(rows):
        names = {_norm(c).lower() for c in cells}
        score = len(optional & names) + 1
        if required <= names and (required or score > 1) and score > best_score:
            best, best_score = idx, score
            if score == len(optional) + 1:
                break  # every mapped name found: no better header further down
    if best is None:
        raise SourceError(f"no header row with the columns {sorted(required or optional)}")
    return best


def _records(rows: list[Row], rmap: RecordMap,
             opts: FilesOptions) -> tuple[list[dict[str, Any]], list[int], list[Any]]:
    """The table under the header: records, their row numbers, and the title block's cells."""
    header_at = _find_header(rows, rmap, opts.header_row)
    wanted = {_norm(_column(f)[0]).lower() for f in _fields(rmap)}
    header = [_norm(c) for c in rows[header_at][1]]
    title = [c for _, cells in rows[:header_at] for c in cells if c is not None]
    skip = re.compile(rmap.skip, re.IGNORECASE) if rmap.skip else None
    totals = rmap.total_pattern()
    footer = re.compile(opts.footer, re.IGNORECASE) if opts.footer else None
    records, numbers = [], []
    for number, cells in rows[header_at + 1:]:
        if footer and any(isinstance(c, str) and footer.fullmatch(c.strip()) for c in cells):
            break  # source note, signature block: the table is over
        record = {h: v for h, v in zip(header, cells) if h}
        if all(_norm(v) == "" for h, v in record.items() if h.lower() in wanted):
            continue  # empty, or text only in unmapped columns (a signature's name, a note)
        if skip and any(isinstance(c, str) and skip.fullmatch(c.strip()) for c in cells):
            continue
        if rmap.city_wide != "row" and is_total(cells, totals):
            continue  # a totals row; the wall computes its own totals unless city_wide: row
        records.append(record)
        numbers.append(number)
    return records, numbers, title
