"""Catalog files: JSON, JSON Lines, CSV and XLSX in and out, without a database."""
from __future__ import annotations

import copy
import io
import json
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practicebank.catalog.files import (
    COLUMNS,
    FORMATS,
    FileError,
    Limits,
    ParseResult,
    RecordError,
    dump_bytes,
    format_of,
    parse_bytes,
    parse_stream,
    read_file,
    validate,
    validate_projects,
    write_file,
    write_stream,
)
from practicebank.catalog.schema import ProjectIn


def resolve_region(name: str) -> str | None:
    return {"RU-TA": "RU-TA", "Tatarstan": "RU-TA", "Татарстан": "RU-TA"}.get(name)


TATARSTAN = {"code": "RU-TA", "name_en": "Tatarstan", "name_ru": "Татарстан", "federal_district": "volga", "group": "leading"}

FULL = {
    "id": "ta-kinder.queue_1",
    "title": "Электронная очередь в детские сады",
    "summary": '=SUM(A1) looks like a formula, has "quotes", commas',
    "description": "Многострочное\nописание; с точкой с запятой\r\nи \\ обратной чертой, _x000D_ и \x07",
    "features": [
        "онлайн-запись; с выбором сада",
        'a, b, "c"',
        "line1\nline2",
        "C:\\temp\\",
        "=cmd|' /C calc'!A0",
        "'=already quoted",
        "-минус",
        "@at",
    ],
    "region": "RU-TA",
    "industries": ["education", "social"],
    "technologies": ["ai", "gis_maps"],
    "status": "in_operation",
    "start_year": 2019,
    "end_year": 2024,
    "cost": {"capex": 1234.5, "opex_per_year": 300},
    "funding": {"regional": 1000.0, "federal": 0.1, "local": 7, "extrabudgetary": 1e9},
    "indicators": [
        {"name": "Время ожидания", "unit": "дн.", "baseline": 40.5, "target": 10, "target_year": 2025, "actual": None},
    ],
    "owner": "+Минобр РТ",
    "vendor": "ООО «Вектор»",
    "contact": "Министерство цифрового развития, отдел проектов",
    "license": "government_owned",
    "based_on": ["msk-queue", "spb.q"],
    "sources": [{"title": "Отчёт", "url": "https://example.org/a?b=1;c=2"}],
    "synthetic": True,
    "language": "ru",
    "translations": {
        "en": {"title": "Kindergarten queue", "summary": "=1+1 \"quoted\", commas",
               "description": "Two lines\nof text; with a semicolon", "features": ["online; with a choice", "-minus"],
               "translated": True},
        "ru": {"title": "Только название", "translated": False},
    },
}
MINIMAL = {"id": "m1", "title": "Minimal", "region": "Tatarstan", "industries": ["healthcare"]}


def records(result: ParseResult) -> list[dict]:
    return [record for _, record in result.projects]


def csv_bytes(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def xlsx_bytes(*rows: list) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- round trips -------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_every_field_survives_a_round_trip(fmt):
    result = parse_bytes(dump_bytes(fmt, [FULL, MINIMAL], [TATARSTAN]), fmt)
    assert result.errors == []
    assert records(result) == [FULL, MINIMAL]


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_regions_travel_in_json_and_xlsx(fmt):
    result = parse_bytes(dump_bytes(fmt, [MINIMAL], [TATARSTAN]), fmt)
    assert result.regions == [TATARSTAN]


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_through_a_file_by_suffix(tmp_path, fmt):
    path = tmp_path / f"catalog.{fmt}"
    write_file(path, [FULL])
    assert records(read_file(path)) == [FULL]


@pytest.mark.parametrize("fmt", FORMATS)
def test_validated_round_trip_gives_the_same_models(fmt):
    model = ProjectIn.model_validate(FULL)
    result = parse_bytes(dump_bytes(fmt, [model.to_record()]), fmt)
    valid, errors = validate(result, resolve_region)
    assert errors == []
    assert [m for _, m in valid] == [model]


def test_export_writes_spec_fields_only_in_spec_order():
    record = {"updated_at": "2024-01-01", **FULL}
    document = json.loads(dump_bytes("json", [record], [TATARSTAN]))
    assert list(document) == ["regions", "projects"]
    assert list(document["projects"][0]) == list(FULL)


def test_csv_has_every_column_in_spec_order():
    header = dump_bytes("csv", []).decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == list(COLUMNS)
    assert header.startswith("id,title,summary,description,features,region,industries")


def test_write_stream_and_parse_stream():
    stream = io.BytesIO()
    write_stream(stream, "jsonl", [MINIMAL])
    stream.seek(0)
    assert records(parse_stream(stream, "jsonl")) == [MINIMAL]


# --- spreadsheets as people type them ----------------------------------------------------

def test_csv_from_excel_with_bom_semicolons_and_decimal_commas():
    data = "\ufeffid;title;region;industries;cost.capex;start_year;synthetic\r\n" \
           "kz-1;Запись к врачу;Татарстан;\"healthcare; social\";1 234,5;2021;TRUE\r\n"
    result = parse_bytes(data.encode("utf-8"), "csv")
    assert records(result) == [{
        "id": "kz-1", "title": "Запись к врачу", "region": "Татарстан", "industries": ["healthcare", "social"],
        "cost": {"capex": 1234.5}, "start_year": 2021, "synthetic": True,
    }]


def test_list_items_split_on_semicolons_and_keep_escaped_ones():
    data = csv_bytes("id,features", r'a,"one; two\; still two;; C:\temp"')
    assert records(parse_bytes(data, "csv"))[0]["features"] == ["one", "two; still two", r"C:\temp"]


def test_xlsx_typed_cells_become_record_values():
    data = xlsx_bytes(
        ["id", "title", "start_year", "cost.capex", "synthetic", "based_on"],
        ["x1", 2024, 2021.0, 1500, False, None],
    )
    assert records(parse_bytes(data, "xlsx")) == [
        {"id": "x1", "title": "2024", "start_year": 2021, "cost": {"capex": 1500}, "synthetic": False},
    ]


def test_blank_rows_are_skipped_and_row_numbers_still_match_the_sheet():
    data = csv_bytes("id,title", "a,A", ",", "b,B")
    assert parse_bytes(data, "csv").projects == [(2, {"id": "a", "title": "A"}), (4, {"id": "b", "title": "B"})]


def test_formula_text_is_neutralised_in_csv():
    text = dump_bytes("csv", [{**MINIMAL, "title": "=HYPERLINK(\"http://evil\")", "owner": "@SUM(1)"}]).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text


def test_formula_text_is_neutralised_in_xlsx():
    data = dump_bytes("xlsx", [{**MINIMAL, "title": "=1+1", "features": ["-2", "ok"]}])
    sheet = openpyxl.load_workbook(io.BytesIO(data))["projects"]
    title, features = sheet["B2"], sheet["E2"]
    assert (title.value, title.data_type) == ("'=1+1", "s")
    assert features.value == "'-2; ok"


# --- errors name the record, the field and the reason ------------------------------------

def test_record_errors_name_row_field_and_reason():
    data = csv_bytes(
        "id,title,region,industries,start_year",
        "ok-1,Fine,RU-TA,healthcare,2020",
        "bad-2,Typo,RU-TA,helthcare,2020",
        "bad-3,,RU-TA,healthcare,2020",
        "Bad Id,Caps,RU-TA,healthcare,2020",
        "bad-5,Old,RU-TA,healthcare,1800",
        "bad-6,Where,Atlantis,healthcare,",
    )
    valid, errors = validate(parse_bytes(data, "csv"), resolve_region)
    assert [number for number, _ in valid] == [2]
    assert [(e.record, e.field) for e in errors] == [
        (3, "industries"), (4, "title"), (5, "id"), (6, "start_year"), (7, "region"),
    ]
    assert errors[0].message.startswith("unknown industry 'helthcare'; allowed: healthcare, education,")
    assert errors[1].message == "field required"
    assert "a-z, 0-9" in errors[2].message and "'Bad Id'" in errors[2].message
    assert errors[3].message == "input should be greater than or equal to 1990 (got 1800)"
    assert "unknown region 'Atlantis'" in errors[4].message
    assert str(errors[1]) == "row 4, title: field required"


def test_errors_in_nested_fields_have_dotted_paths():
    rows = [(1, {**MINIMAL, "cost": {"capex": -1}, "indicators": [{"unit": "%"}], "colour": "red"})]
    _, errors = validate_projects(rows, resolve_region)
    assert {(e.field, e.message) for e in errors} == {
        ("cost.capex", "input should be greater than or equal to 0 (got -1)"),
        ("indicators[0].name", "field required"),
        ("colour", "unknown field; allowed: " + ", ".join(ProjectIn.model_fields)),
    }


def test_jsonl_errors_name_the_line():
    data = b'{"id": "a", "title": "A", "region": "RU-TA", "industries": ["sport"]}\n\n{"id": "b"\n[1]\n'
    result = parse_bytes(data, "jsonl")
    valid, errors = validate(result, resolve_region)
    assert [n for n, _ in valid] == [1]
    assert [(e.record, e.unit) for e in errors] == [(3, "line"), (4, "line")]
    assert errors[0].message.startswith("invalid JSON at line 1, column")
    assert errors[1].message == "a project must be a JSON object, not a list"


def test_json_errors_name_the_record_index():
    data = json.dumps([MINIMAL, {**MINIMAL, "id": "m2", "end_year": "soon"}]).encode()
    _, errors = validate(parse_bytes(data, "json"), resolve_region)
    assert [(e.record, e.field) for e in errors] == [(2, "end_year")]
    assert str(errors[0]).startswith("record 2, end_year: input should be a valid integer")


def test_duplicate_ids_name_both_records():
    rows = [(2, MINIMAL), (3, {**MINIMAL, "id": "other"}), (5, MINIMAL)]
    valid, errors = validate_projects(rows, resolve_region, unit="row")
    assert [n for n, _ in valid] == [3]
    assert [str(e) for e in errors] == [
        "row 2, id: duplicate id 'm1': it appears in rows 2 and 5",
        "row 5, id: duplicate id 'm1': it appears in rows 2 and 5",
    ]


def test_a_malformed_indicators_cell_is_a_row_error():
    data = csv_bytes("id,title,region,industries,indicators", 'a,A,RU-TA,sport,"[{""name"": }]"')
    result = parse_bytes(data, "csv")
    assert result.projects == []
    assert [(e.record, e.field) for e in result.errors] == [(2, "indicators")]
    assert result.errors[0].message.startswith("not valid JSON at character 11")


# --- whole-file problems raise FileError -------------------------------------------------

def test_unknown_suffix_names_the_supported_ones():
    with pytest.raises(FileError, match=r"supported: \.json, \.jsonl, \.csv, \.xlsx"):
        format_of("catalog.txt")


def test_malformed_json_says_where():
    with pytest.raises(FileError, match="invalid JSON at line 2, column 14") as caught:
        parse_bytes(b'[\n  {"id": "a",}\n]', "json")
    assert (caught.value.line, caught.value.column) == (2, 14)


def test_undecodable_csv_says_it_is_not_utf8():
    with pytest.raises(FileError, match="not UTF-8 text: byte 0xc7 at offset 11"):
        parse_bytes("id,title\na,Запись".encode("cp1251"), "csv")


def test_unknown_column_is_refused():
    with pytest.raises(FileError, match="unknown column 'colour'"):
        parse_bytes(csv_bytes("id,colour", "a,red"), "csv")


def test_not_an_xlsx_file():
    with pytest.raises(FileError, match="not an XLSX file"):
        parse_bytes(b"id,title\n", "xlsx")


@pytest.mark.parametrize("fmt", FORMATS)
def test_file_size_limit(fmt):
    with pytest.raises(FileError, match="larger than the limit of 100 bytes"):
        parse_bytes(dump_bytes(fmt, [FULL]), fmt, Limits(max_bytes=100))


@pytest.mark.parametrize("fmt", FORMATS)
def test_row_limit(fmt):
    data = dump_bytes(fmt, [MINIMAL, {**MINIMAL, "id": "m2"}])
    assert len(parse_bytes(data, fmt, Limits(max_rows=2)).projects) == 2
    with pytest.raises(FileError, match="more than 1 records"):
        parse_bytes(data, fmt, Limits(max_rows=1))


def test_xlsx_zip_bomb_is_refused_before_opening():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 5_000_000)
    assert len(buffer.getvalue()) < 10_000
    with pytest.raises(FileError, match="unpacks to 4.8 MB; the limit is 1.0 MB"):
        parse_bytes(buffer.getvalue(), "xlsx", Limits(max_unzipped_bytes=1024 * 1024))


def test_read_file_refuses_a_big_file_before_reading_it(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 2000)
    with pytest.raises(FileError, match="larger than the limit"):
        read_file(path, Limits(max_bytes=1000))


# --- parsing never fails with anything but FileError -------------------------------------

def _parse_and_validate(data: bytes, fmt: str) -> None:
    try:
        result = parse_bytes(data, fmt)
    except FileError:
        return
    assert all(isinstance(e, RecordError) for e in result.errors)
    validate(result, resolve_region)


def _mutations(seed: bytes) -> st.SearchStrategy[bytes]:
    """A valid file with some bytes overwritten: gets past the first checks of a parser."""
    def mutate(edits: list[tuple[int, int]]) -> bytes:
        data = bytearray(seed)
        for position, value in edits:
            data[position % len(data)] = value
        return bytes(data)
    return st.lists(st.tuples(st.integers(0, len(seed) - 1), st.integers(0, 255)), min_size=1, max_size=8).map(mutate)


# Built once: XLSX carries a timestamp, and hypothesis needs the same seed on every run.
SEEDS = {fmt: dump_bytes(fmt, [FULL, MINIMAL], [TATARSTAN]) for fmt in FORMATS}
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_raise_only_file_error(fmt, data):
    _parse_and_validate(data, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(data=st.data())
def test_damaged_files_raise_only_file_error(fmt, data):
    _parse_and_validate(data.draw(_mutations(SEEDS[fmt])), fmt)


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
@SETTINGS
@given(text=st.text(alphabet=st.sampled_from(list('id,title;"\\\n\r\t[]{}:=\'-0123456789ab ') + ["\ufeff", "я"]), max_size=300))
def test_arbitrary_text_raises_only_file_error(fmt, text):
    _parse_and_validate(text.encode("utf-8"), fmt)


def test_input_records_are_not_modified_by_export():
    before = copy.deepcopy(FULL)
    for fmt in FORMATS:
        dump_bytes(fmt, [FULL])
    assert FULL == before


_item = st.text(min_size=1, max_size=30).map(str.strip).filter(bool)


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(title=st.text(max_size=40).filter(str.strip), features=st.lists(_item, min_size=1, max_size=4),
       capex=st.floats(min_value=0, allow_infinity=False) | st.integers(0, 10**15))
def test_any_text_and_numbers_survive_a_round_trip(fmt, title, features, capex):
    record = {**MINIMAL, "title": title, "features": features, "cost": {"capex": capex}}
    assert records(parse_bytes(dump_bytes(fmt, [record]), fmt)) == [record]
