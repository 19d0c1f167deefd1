//! A 政府信息公开目录 as a spreadsheet (`.xlsx`, `.xls`, `.ods`) or CSV
//! (UTF-8 or GB18030): one row a notice, headers recognised by their usual
//! names ([`crate::fields`]) or named by the mapping file.
//!
//! The header row is found among the first rows (a catalogue often has a
//! title row above it). Vertically merged cells (a 栏目 spanning its rows)
//! are filled down; formulas are read as the values last computed, and a
//! formula without one is reported. Bodies are joined from `--bodies DIR` by
//! 索引号 or by a file-name column.

use crate::bodies::{BodyIndex, Loader};
use crate::dates::{from_excel_serial, parse_when, When};
use crate::fields::Field;
use crate::mapping::Mapping;
use crate::record::{Origin, Place, Problem, Record};
use crate::text::{collapse, decode, half_width, split_words, squeeze, trim};
use crate::Progress;
use calamine::{open_workbook_auto, Data, Range, Reader, Sheets};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Catalogues larger than this are refused: a spreadsheet is unpacked
/// whole in memory (about ten times its size).
pub const MAX_CATALOG_BYTES: u64 = 100 * 1024 * 1024;

/// How many rows may stand above the header row (titles, notes).
const HEADER_SEARCH_ROWS: usize = 20;

/// A cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A number (an Excel date serial in a date column).
    Number(f64),
    /// A date-formatted cell.
    Date(When),
    /// An error value (`#REF!`).
    Error(String),
    /// A formula with no computed value.
    Formula(String),
}

impl Value {
    fn text(&self) -> String {
        match self {
            Value::Text(s) => collapse(s),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Value::Number(n) => n.to_string(),
            Value::Date(w) => w.rfc3339(),
            Value::Empty | Value::Error(_) | Value::Formula(_) => String::new(),
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(s) => trim(s).is_empty(),
            _ => false,
        }
    }
}

/// A catalogue read into rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The sheet read, for a workbook.
    pub sheet: Option<String>,
    /// Where the header row is.
    pub header_place: Place,
    /// Column index → field, for the columns read.
    pub columns: BTreeMap<usize, Field>,
    /// Headers not read (not recognised, or `ignore`).
    pub unread: Vec<String>,
    /// The rows below the header: place and cells.
    pub rows: Vec<(Place, Vec<Value>)>,
    /// Remarks about the file (merged cells filled, other sheets).
    pub notes: Vec<String>,
}

/// Options for reading a catalogue.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The sheet to read, by name.
    pub sheet: Option<String>,
}

/// Refuses files that are empty or too large before opening them.
pub fn check_size(path: &Path, limit: u64) -> Result<(), String> {
    let len = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .len();
    if len == 0 {
        return Err(format!("{} is empty (0 bytes)", path.display()));
    }
    if len > limit {
        return Err(format!(
            "{} is {:.1} MB; files over {} MB are refused (a spreadsheet is unpacked whole in memory): split it, or save only the catalogue's sheet as .csv",
            path.display(),
            len as f64 / 1e6,
            limit / (1024 * 1024)
        ));
    }
    Ok(())
}

/// Reads a catalogue file into a [`Table`].
pub fn read(path: &Path, opts: &ReadOptions, mapping: &Mapping) -> Result<Table, String> {
    check_size(path, MAX_CATALOG_BYTES)?;
    let ext = crate::bodies::extension(path).unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" => read_csv(path, mapping),
        "xlsx" | "xlsm" | "xls" | "ods" | "xlsb" => read_workbook(path, opts, mapping),
        other => Err(format!(
            "{}: unsupported catalogue type {:?}: use .xlsx, .xls, .ods or .csv",
            path.display(),
            if other.is_empty() {
                "(no extension)".to_owned()
            } else {
                format!(".{other}")
            }
        )),
    }
}

fn read_csv(path: &Path, mapping: &Mapping) -> Result<Table, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (text, encoding) = decode(&bytes);
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches('\t').count() > first_line.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows: Vec<(Place, Vec<Value>)> = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| format!("{}: not a readable CSV file: {e}", path.display()))?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        rows.push((
            Place::Line(line),
            rec.iter()
                .map(|c| {
                    if trim(c).is_empty() {
                        Value::Empty
                    } else {
                        Value::Text(c.to_owned())
                    }
                })
                .collect(),
        ));
    }
    let mut table =
        table_from_rows(rows, mapping, None).map_err(|e| format!("{}: {e}", path.display()))?;
    if encoding != "UTF-8" {
        table.notes.push(format!("read as {encoding}"));
    }
    Ok(table)
}

fn read_workbook(path: &Path, opts: &ReadOptions, mapping: &Mapping) -> Result<Table, String> {
    let mut wb = open_workbook_auto(path)
        .map_err(|e| format!("{}: not a readable spreadsheet: {e}", path.display()))?;
    let names = wb.sheet_names();
    if names.is_empty() {
        return Err(format!("{}: the workbook has no sheets", path.display()));
    }
    let listed = || {
        names
            .iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let wanted: Vec<String> = match &opts.sheet {
        Some(s) => {
            if !names.contains(s) {
                return Err(format!(
                    "{}: no sheet {s:?}; the sheets are {}",
                    path.display(),
                    listed()
                ));
            }
            vec![s.clone()]
        }
        None => names.clone(),
    };
    let mut first_error = None;
    let mut found: Vec<(String, Table)> = Vec::new();
    for name in &wanted {
        let range = wb
            .worksheet_range(name)
            .map_err(|e| format!("{}: sheet {name:?} cannot be read: {e}", path.display()))?;
        let formulas = wb.worksheet_formula(name).ok();
        let merges = merged_regions(&mut wb, path, name)?;
        let rows = rows_of(&range, formulas.as_ref(), &merges);
        match table_from_rows(rows.0, mapping, Some(name)) {
            Ok(mut t) => {
                if rows.1 > 0 {
                    t.notes.push(format!(
                        "{} merged cell(s) filled down from the cell above",
                        rows.1
                    ));
                }
                found.push((name.clone(), t));
                if opts.sheet.is_some() {
                    break;
                }
            }
            Err(e) => {
                if first_error.is_none() {
                    first_error = Some(e);
                }
            }
        }
    }
    match found.len() {
        0 => Err(format!(
            "{}: {}{}",
            path.display(),
            first_error.unwrap_or_else(|| "no catalogue found".to_owned()),
            if opts.sheet.is_none() && names.len() > 1 {
                format!(
                    " (in any of the sheets {}; choose one with --sheet NAME)",
                    listed()
                )
            } else {
                String::new()
            }
        )),
        _ => {
            let (_, mut t) = found.remove(0);
            if !found.is_empty() {
                let others: Vec<String> = found.iter().map(|(n, _)| format!("{n:?}")).collect();
                t.notes.push(format!(
                    "read sheet {:?}; sheets {} also look like catalogues: import them with --sheet NAME",
                    t.sheet.as_deref().unwrap_or(""),
                    others.join(", ")
                ));
            }
            Ok(t)
        }
    }
}

/// The sheet's merged regions: calamine's for `.xlsx` and `.xls`, read
/// from `content.xml` for `.ods` (calamine does not report them there).
fn merged_regions(
    wb: &mut Sheets<std::io::BufReader<std::fs::File>>,
    path: &Path,
    name: &str,
) -> Result<Vec<calamine::Dimensions>, String> {
    Ok(match wb {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Ods(_) => crate::ods::merged_cells(path, name)?,
        Sheets::Xlsb(_) => Vec::new(),
    })
}

/// A sheet's rows (1-based row numbers), merged cells filled down; the
/// second value counts the cells filled.
fn rows_of(
    range: &Range<Data>,
    formulas: Option<&Range<String>>,
    merges: &[calamine::Dimensions],
) -> (Vec<(Place, Vec<Value>)>, usize) {
    let Some((r0, c0)) = range.start() else {
        return (Vec::new(), 0);
    };
    let mut rows: Vec<(Place, Vec<Value>)> = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let abs_row = r0 + i as u32;
        let cells = row
            .iter()
            .enumerate()
            .map(|(j, d)| {
                let v = value_of(d);
                if v.is_empty() {
                    if let Some(f) = formulas
                        .and_then(|f| f.get_value((abs_row, c0 + j as u32)))
                        .filter(|f| !f.is_empty())
                    {
                        return Value::Formula(f.clone());
                    }
                }
                v
            })
            .collect();
        rows.push((Place::Row(abs_row as usize + 1), cells));
    }
    let mut filled = 0;
    for m in merges {
        if m.end.0 == m.start.0 {
            continue;
        }
        let (sr, sc) = (
            m.start.0.saturating_sub(r0) as usize,
            m.start.1.saturating_sub(c0) as usize,
        );
        let Some(v) = rows.get(sr).and_then(|r| r.1.get(sc)).cloned() else {
            continue;
        };
        for r in (m.start.0 + 1)..=m.end.0 {
            let ri = r.saturating_sub(r0) as usize;
            if let Some(cell) = rows.get_mut(ri).and_then(|row| row.1.get_mut(sc)) {
                if cell.is_empty() {
                    *cell = v.clone();
                    filled += 1;
                }
            }
        }
    }
    (rows, filled)
}

fn value_of(d: &Data) -> Value {
    match d {
        Data::Empty => Value::Empty,
        Data::String(s) => Value::Text(s.clone()),
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::Bool(b) => Value::Text(if *b { "是" } else { "否" }.to_owned()),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            let date = gongkai_core::date::PlainDate {
                year: i32::from(y),
                month: u32::from(m),
                day: u32::from(d),
            };
            let time = (h, mi, s) != (0, 0, 0);
            Value::Date(When {
                date,
                time: time.then_some((u32::from(h), u32::from(mi), u32::from(s))),
                exact: None,
            })
        }
        Data::DateTime(dt) => Value::Number(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Error(format!("{e:?}")),
    }
}

/// Finds the header row and maps its columns.
fn table_from_rows(
    rows: Vec<(Place, Vec<Value>)>,
    mapping: &Mapping,
    sheet: Option<&str>,
) -> Result<Table, String> {
    if rows.iter().all(|(_, r)| r.iter().all(Value::is_empty)) {
        return Err(match sheet {
            Some(s) => format!("sheet {s:?} is empty"),
            None => "the file has no rows".to_owned(),
        });
    }
    let mut header_at = None;
    for (i, (_, row)) in rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let fields: Vec<Field> = row
            .iter()
            .filter_map(|v| mapping.field_of(&v.text()))
            .filter(|f| *f != Field::Ignore)
            .collect();
        if fields.len() >= 2 && (fields.contains(&Field::Title) || fields.contains(&Field::IndexNo))
        {
            header_at = Some(i);
            break;
        }
    }
    let Some(h) = header_at else {
        let first = rows
            .iter()
            .find(|(_, r)| !r.iter().all(Value::is_empty))
            .map(|(p, r)| {
                (
                    p,
                    r.iter()
                        .map(Value::text)
                        .filter(|t| !t.is_empty())
                        .take(8)
                        .collect::<Vec<_>>()
                        .join(" | "),
                )
            })
            .map(|(p, t)| {
                format!(
                    "; its first row ({}) reads: {}",
                    place_name(*p),
                    crate::text::excerpt(&t, 80)
                )
            })
            .unwrap_or_default();
        let wherein = sheet.map(|s| format!("sheet {s:?}: ")).unwrap_or_default();
        return Err(format!(
            "{wherein}no header row: none of the first {HEADER_SEARCH_ROWS} rows names 标题 or 索引号 and another field (发布机构, 文号, 成文日期, 发布日期, 栏目…){first}; name the columns with [headers] in --map MAP.toml"
        ));
    };
    let header_place = rows[h].0;
    let mut columns = BTreeMap::new();
    let mut unread = Vec::new();
    let mut seen: HashMap<Field, usize> = HashMap::new();
    for (j, v) in rows[h].1.iter().enumerate() {
        let name = v.text();
        match mapping.field_of(&name) {
            Some(Field::Ignore) | None => {
                if !name.is_empty() {
                    unread.push(name);
                }
            }
            Some(f) => {
                // The first column of a field wins (发布日期 before 时间).
                if seen.insert(f, j).is_none() {
                    columns.insert(j, f);
                } else {
                    unread.push(name);
                }
            }
        }
    }
    if !columns.values().any(|f| *f == Field::Title) {
        return Err(format!(
            "no 标题 column in the header row ({}): name it with [headers] in --map MAP.toml",
            place_name(header_place)
        ));
    }
    let rows = rows.into_iter().skip(h + 1).collect();
    Ok(Table {
        sheet: sheet.map(str::to_owned),
        header_place,
        columns,
        unread,
        rows,
        notes: Vec::new(),
    })
}

fn place_name(p: Place) -> String {
    match p {
        Place::Row(n) => format!("row {n}"),
        Place::Line(n) => format!("line {n}"),
        Place::File => "the file".to_owned(),
    }
}

/// A date cell: a date-formatted cell, an Excel serial, or text.
fn date_of(v: &Value) -> Result<When, String> {
    match v {
        Value::Date(w) => parse_when(&w.plain()).map(|_| w.clone()),
        // A date serial, or digits typed as a number (20230714).
        Value::Number(n) => {
            from_excel_serial(*n, false).or_else(|e| parse_when(&v.text()).map_err(|_| e))
        }
        other => parse_when(&other.text()),
    }
}

/// The rows of a table as records; `bodies` joins body files. Returns the
/// records (empty rows skipped) and the number of empty rows.
pub fn records(
    table: &Table,
    file: &Path,
    bodies: Option<(&BodyIndex, &Loader<'_>)>,
    progress: &dyn Progress,
) -> (Vec<Record>, usize) {
    let empty = table
        .rows
        .iter()
        .filter(|(_, r)| r.iter().all(Value::is_empty))
        .count();
    let rows: Vec<&(Place, Vec<Value>)> = table
        .rows
        .iter()
        .filter(|(_, r)| !r.iter().all(Value::is_empty))
        .collect();
    progress.start(rows.len() as u64, "rows");
    let out = rows
        .par_iter()
        .map(|(place, cells)| {
            let mut r = record_of(table, file, *place, cells);
            if let Some((index, loader)) = bodies {
                join_body(&mut r, index, loader);
            }
            progress.tick();
            r
        })
        .collect();
    progress.finish();
    (out, empty)
}

fn record_of(table: &Table, file: &Path, place: Place, cells: &[Value]) -> Record {
    let mut r = Record {
        origin: Some(Origin::at(file, place)),
        ..Default::default()
    };
    for (&j, &field) in &table.columns {
        let Some(v) = cells.get(j) else { continue };
        let label = field.label();
        match v {
            Value::Formula(f) => {
                if matches!(field, Field::Title | Field::IndexNo | Field::Published) {
                    r.errors.push(format!("{label} is a formula ({f}) with no computed value: open and save the file in Excel or LibreOffice so the value is stored"));
                } else {
                    r.notes.push(format!(
                        "{label} is a formula ({f}) with no computed value: left out"
                    ));
                }
                continue;
            }
            Value::Error(e) => {
                r.notes
                    .push(format!("{label} is an error value ({e}): left out"));
                continue;
            }
            _ if v.is_empty() => continue,
            _ => {}
        }
        let text = v.text();
        let text = trim(&text).to_owned();
        match field {
            Field::IndexNo => r.index_no = Some(squeeze(&half_width(&text))),
            Field::Title => r.title = Some(text),
            Field::Publisher => r.publisher = Some(text),
            Field::DocNo => r.doc_no = Some(text),
            Field::WrittenDate => match date_of(v) {
                Ok(w) => r.written = Some(w),
                Err(e) => r.notes.push(format!("成文日期 left out: {e}")),
            },
            Field::Published => match date_of(v) {
                Ok(w) => r.published = Some(w),
                Err(e) => r.errors.push(format!("发布日期: {e}")),
            },
            Field::Category => r.category = Some(text),
            Field::Column => r.column = Some(text),
            Field::Validity => r.validity = Some(text),
            Field::Summary => r.summary = Some(text),
            Field::Keywords => r.keywords = split_words(&text),
            Field::Source => r.source = Some(text),
            Field::Author => r.author = Some(text),
            Field::BodyFile => r.body_file = Some(text),
            Field::Ignore => {}
        }
    }
    r
}

/// Joins a row's body file: the file-name column first, else the 索引号.
fn join_body(r: &mut Record, index: &BodyIndex, loader: &Loader<'_>) {
    let named = r.body_file.clone();
    let path: Option<PathBuf> = match &named {
        Some(name) => match index.by_file_name(name) {
            Some(p) => Some(p.to_owned()),
            None => {
                r.notes.push(format!(
                    "body file {name:?} not found in {}",
                    index.dir.display()
                ));
                None
            }
        },
        None => r
            .index_no
            .as_deref()
            .and_then(|i| index.by_index_no(i))
            .map(|(p, rest)| {
                if !rest.is_empty() {
                    let others: Vec<String> =
                        rest.iter().map(|p| p.display().to_string()).collect();
                    r.notes.push(format!(
                        "body from {}; also found {} (not read)",
                        p.display(),
                        others.join(", ")
                    ));
                }
                p.to_owned()
            }),
    };
    let Some(path) = path else { return };
    match loader.load(&path) {
        Ok(loaded) => {
            r.body = Some(loaded.html);
            r.attachments.extend(loaded.images);
            for n in loaded.notes {
                r.notes.push(format!("{}: {n}", path.display()));
            }
            if let Some(g) = loaded.gongwen {
                // The catalogue's values win; the document fills the gaps.
                r.doc_no = r.doc_no.take().or(g.doc_no);
                r.written = r.written.take().or(g.written);
                r.publisher = r.publisher.take().or(g.issuer);
            }
        }
        Err(e) => r
            .notes
            .push(format!("body file {} not read: {e}", path.display())),
    }
}

/// The table-level remarks as report lines.
pub fn table_notes(table: &Table, file: &Path, empty_rows: usize) -> Vec<Problem> {
    let mut out: Vec<Problem> = table
        .notes
        .iter()
        .map(|n| Problem {
            origin: Origin::file(file),
            reason: n.clone(),
        })
        .collect();
    if !table.unread.is_empty() {
        out.push(Problem {
            origin: Origin::at(file, table.header_place),
            reason: format!(
                "columns not read: {} (name them with [headers] in --map MAP.toml to read them)",
                table.unread.join(", ")
            ),
        });
    }
    if empty_rows > 0 {
        out.push(Problem {
            origin: Origin::file(file),
            reason: format!("{empty_rows} empty row(s) skipped"),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn finds_the_header_below_a_title_row() {
        let rows = vec![
            (
                Place::Row(1),
                vec![t("武山县科学技术局政府信息公开目录"), Value::Empty],
            ),
            (
                Place::Row(2),
                vec![
                    t("序号"),
                    t("索 引 号"),
                    t("信息名称"),
                    t("生成日期"),
                    t("备注"),
                ],
            ),
            (
                Place::Row(3),
                vec![
                    Value::Number(1.0),
                    t("kjj1/2023-00026"),
                    t("通知"),
                    Value::Number(45121.0),
                    t(""),
                ],
            ),
        ];
        let table = table_from_rows(rows, &Mapping::default(), Some("目录")).unwrap();
        assert_eq!(table.header_place, Place::Row(2));
        assert_eq!(
            table.columns.values().copied().collect::<Vec<_>>(),
            [Field::IndexNo, Field::Title, Field::WrittenDate]
        );
        assert_eq!(table.unread, ["序号", "备注"]);
        let recs = records(&table, Path::new("目录.xlsx"), None, &crate::NoProgress).0;
        assert_eq!(recs[0].written.as_ref().unwrap().plain(), "2023-07-14");
        assert_eq!(
            recs[0].origin.as_ref().unwrap().to_string(),
            "目录.xlsx row 3"
        );
    }

    #[test]
    fn no_header_says_what_the_first_row_reads() {
        let rows = vec![
            (Place::Line(1), vec![t("a"), t("b")]),
            (Place::Line(2), vec![t("1"), t("2")]),
        ];
        let e = table_from_rows(rows, &Mapping::default(), None).unwrap_err();
        assert!(e.starts_with("no header row"), "{e}");
        assert!(e.contains("its first row (line 1) reads: a | b"), "{e}");
        let e = table_from_rows(
            vec![(Place::Row(1), vec![Value::Empty])],
            &Mapping::default(),
            Some("Sheet2"),
        )
        .unwrap_err();
        assert_eq!(e, "sheet \"Sheet2\" is empty");
    }

    #[test]
    fn formulas_without_values_are_reported() {
        let rows = vec![
            (Place::Row(1), vec![t("索引号"), t("标题"), t("文号")]),
            (
                Place::Row(2),
                vec![
                    t("kjj1/2023-00001"),
                    Value::Formula("CONCAT(A1,\"通知\")".into()),
                    Value::Formula("B2".into()),
                ],
            ),
        ];
        let table = table_from_rows(rows, &Mapping::default(), None).unwrap();
        let r = &records(&table, Path::new("a.xlsx"), None, &crate::NoProgress).0[0];
        assert!(
            r.errors[0]
                .starts_with("标题 is a formula (CONCAT(A1,\"通知\")) with no computed value"),
            "{:?}",
            r.errors
        );
        assert!(r.notes[0].starts_with("文号 is a formula"), "{:?}", r.notes);
    }

    #[test]
    fn size_limits() {
        let dir = std::env::temp_dir().join(format!("gk-cat-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.xlsx");
        std::fs::write(&empty, b"").unwrap();
        assert!(read(&empty, &ReadOptions::default(), &Mapping::default())
            .unwrap_err()
            .ends_with("is empty (0 bytes)"));
        let big = dir.join("big.csv");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(200 * 1000 * 1000)
            .unwrap();
        let e = read(&big, &ReadOptions::default(), &Mapping::default()).unwrap_err();
        assert!(
            e.contains("is 200.0 MB; files over 100 MB are refused"),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
