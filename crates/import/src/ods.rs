//! Merged cells of an OpenDocument spreadsheet (`.ods`), which calamine
//! does not report: the spans (`table:number-rows-spanned`,
//! `table:number-columns-spanned`) read from the sheet's `content.xml`, so
//! that a 栏目 merged over its rows is filled down as in `.xlsx` and `.xls`.

use crate::docx::attr;
use calamine::Dimensions;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::io::BufReader;
use std::path::Path;

/// The merged regions of sheet `sheet` of the `.ods` file at `path`, with
/// absolute 0-based (row, column) corners, as calamine's ranges count.
pub fn merged_cells(path: &Path, sheet: &str) -> Result<Vec<Dimensions>, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| format!("{}: not an OpenDocument file: {e}", path.display()))?;
    let content = zip
        .by_name("content.xml")
        .map_err(|e| format!("{}: no content.xml: {e}", path.display()))?;
    spans(BufReader::new(content), sheet)
        .map_err(|e| format!("{}: content.xml: {e}", path.display()))
}

fn count(e: &BytesStart<'_>, name: &str) -> Result<u32, String> {
    match attr(e, name) {
        None => Ok(1),
        Some(v) => v
            .parse::<u32>()
            .map_err(|_| format!("{name}={v:?} is not a count")),
    }
}

/// The spans in a `content.xml` stream, for the table named `sheet`.
fn spans(content: impl std::io::BufRead, sheet: &str) -> Result<Vec<Dimensions>, String> {
    let mut r = Reader::from_reader(content);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    // Inside the wanted table: its depth of nested tables (a table in a
    // cell is not part of the sheet's grid).
    let mut depth: Option<usize> = None;
    let (mut row, mut col) = (0u32, 0u32);
    let mut row_repeats = 1u32;
    loop {
        let ev = r
            .read_event_into(&mut buf)
            .map_err(|e| format!("XML error at byte {}: {e}", r.buffer_position()))?;
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(e) | Event::Empty(e) => match (e.name().as_ref(), depth) {
                ("table:table", None) if !empty && attr(&e, "name").as_deref() == Some(sheet) => {
                    depth = Some(0);
                }
                ("table:table", Some(d)) if !empty => depth = Some(d + 1),
                ("table:table-row", Some(0)) => {
                    row_repeats = count(&e, "number-rows-repeated")?;
                    col = 0;
                    if empty {
                        row = row.saturating_add(row_repeats);
                    }
                }
                ("table:table-cell" | "table:covered-table-cell", Some(0)) => {
                    let rows = count(&e, "number-rows-spanned")?;
                    let cols = count(&e, "number-columns-spanned")?;
                    if rows > 1 || cols > 1 {
                        out.push(Dimensions {
                            start: (row, col),
                            end: (row + rows - 1, col + cols - 1),
                        });
                    }
                    col = col.saturating_add(count(&e, "number-columns-repeated")?);
                }
                _ => {}
            },
            Event::End(e) => match (e.name().as_ref(), depth) {
                ("table:table", Some(0)) => return Ok(out),
                ("table:table", Some(d)) => depth = Some(d - 1),
                ("table:table-row", Some(0)) => row = row.saturating_add(row_repeats),
                _ => {}
            },
            Event::Eof => return Ok(out),
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_count_repeated_rows_and_columns_and_skip_other_sheets() {
        let xml = r#"<office:document-content><office:body><office:spreadsheet>
<table:table table:name="说明"><table:table-row><table:table-cell table:number-rows-spanned="9"/></table:table-row></table:table>
<table:table table:name="目录">
<table:table-row><table:table-cell table:number-columns-spanned="3" table:number-rows-spanned="1"><text:p>目录</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="2"/></table:table-row>
<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="4"/></table:table-row>
<table:table-row/>
<table:table-row><table:table-cell table:number-columns-repeated="2"><text:p>a</text:p></table:table-cell><table:table-cell table:number-rows-spanned="3"><table:table><table:table-row><table:table-cell table:number-rows-spanned="5"/></table:table-row></table:table></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
        let got = spans(xml.as_bytes(), "目录").unwrap();
        assert_eq!(
            got,
            [
                Dimensions {
                    start: (0, 0),
                    end: (0, 2)
                },
                Dimensions {
                    start: (4, 2),
                    end: (6, 2)
                },
            ]
        );
        assert_eq!(spans(xml.as_bytes(), "无").unwrap(), []);
        let bad = r#"<table:table table:name="目录"><table:table-row><table:table-cell table:number-rows-spanned="x"/>"#;
        assert_eq!(
            spans(bad.as_bytes(), "目录").unwrap_err(),
            "number-rows-spanned=\"x\" is not a count"
        );
    }
}
