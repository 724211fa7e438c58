"""`files`: a folder where a department drops CSV or XLSX exports (the usual SIPD/SIMDA reality).

Handles title blocks and merged cells above the header (the header row is found by the mapped
column names), totals rows (skipped by the `skip` regex), Indonesian numbers and dates, `;` or
`,` separators, UTF-8 or cp1252. Each file is imported once: the collector stores a checkpoint
keyed by the file's content hash after the samples are written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from commandcenter.sources import registry
from commandcenter.sources.base import Connector, FetchContext, FetchResult, Options, SourceError, dedupe
from commandcenter.sources.mapping import RecordMap, map_records

TOTALS = r"(jumlah|total|rata-rata|grand total)\b.*"
_SPACES = re.compile(r"\s+")


class FilesOptions(Options):
    folder: str = Field(description="folder to watch: {data_dir}/..., ~/..., absolute, or relative to config/")
    pattern: str = Field("*", description="glob of file names, e.g. izin_*.csv")
    delimiter: Literal["auto", ";", ",", "\t"] = "auto"
    encoding: Literal["auto", "utf-8", "cp1252"] = "auto"
    sheet: str | None = Field(None, description="XLSX sheet name; default: the first")
    header_row: int | None = Field(None, ge=1, description="1-based header row; default: found by column names")
    decimal: Literal[",", "."] = ","
    max_bytes: int = Field(50 * 1024 * 1024, gt=0)
    samples: list[RecordMap] = Field(min_length=1)


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
                records, numbers = _records(rows, rmap, opts.header_row)
            except SourceError as exc:
                result.rejected.append(f"{path.name}: {exc.reason}")
                continue
            samples, rejected = map_records(rmap, records, ctx.tz, ctx.now,
                                            lambda i: f"{path.name} row {numbers[i]}", opts.decimal)
            result.samples += samples
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


def _wanted(rmap: RecordMap) -> set[str]:
    fields = list(rmap.values.values()) + [f for f in (rmap.opd_field, rmap.dim_field, rmap.ts_field) if f]
    return {_norm(f).lower() for f in fields}


def _records(rows: list[Row], rmap: RecordMap, header_row: int | None) -> tuple[list[dict[str, Any]], list[int]]:
    wanted = _wanted(rmap)
    header_at = None
    for idx, (number, cells) in enumerate(rows):
        names = {_norm(c).lower() for c in cells}
        if (header_row is not None and number == header_row) or (header_row is None and wanted <= names):
            header_at = idx
            break
    if header_at is None:
        raise SourceError(f"no header row with the columns {sorted(wanted)}")
    header = [_norm(c) for c in rows[header_at][1]]
    skip = re.compile(rmap.skip or TOTALS, re.IGNORECASE)
    records, numbers = [], []
    for number, cells in rows[header_at + 1:]:
        if all(_norm(c) == "" for c in cells):
            continue
        if any(isinstance(c, str) and skip.fullmatch(c.strip()) for c in cells):
            continue  # a totals row; the wall computes its own totals
        records.append({h: v for h, v in zip(header, cells) if h})
        numbers.append(number)
    return records, numbers
