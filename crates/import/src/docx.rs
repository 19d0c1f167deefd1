//! Reading a .docx: its paragraphs (text, alignment, colour, size,
//! numbering), tables (with merged cells) and embedded images, as plain
//! [`Block`]s for [`crate::gongwen`] to lay out. Word's styling is read only
//! where the GB/T 9704 layout needs it (the red 发文机关标志, centred titles,
//! right-aligned 署名) and never carried into the body.

use crate::text::{collapse, trim};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use quick_xml::XmlVersion;
use std::collections::HashMap;
use std::io::{Read, Seek};

/// Where a .docx part or file may be refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocxError {
    /// Not a zip archive at all.
    #[error("not a Word .docx file: {0}")]
    NotZip(String),
    /// A zip without `word/document.xml`.
    #[error("a zip file but not a Word document: it has no word/document.xml (it holds {0})")]
    NotWord(String),
    /// A part could not be read or parsed.
    #[error("{part} is damaged: {why}")]
    Damaged {
        /// The part's path in the zip.
        part: String,
        /// What went wrong.
        why: String,
    },
    /// Over the size limit once unpacked (a zip bomb, or a huge file).
    #[error("{part} unpacks to more than {limit} MB; refused")]
    TooLarge {
        /// The part's path in the zip.
        part: String,
        /// The limit in MB.
        limit: u64,
    },
}

/// Horizontal alignment of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Left or start (the default).
    #[default]
    Left,
    /// Centred.
    Center,
    /// Right or end.
    Right,
    /// Justified.
    Both,
}

/// A paragraph of a .docx.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Para {
    /// Its text, runs joined, tabs as spaces, line breaks as `\n`.
    pub text: String,
    /// Alignment.
    pub align: Align,
    /// Some run of visible text is red (the 发文机关标志).
    pub red: bool,
    /// Largest font size of its text, in half-points (`w:sz`).
    pub size: u32,
    /// Every run of visible text is bold.
    pub bold: bool,
    /// The paragraph style's id (`Heading1`, `TextBody`…).
    pub style: Option<String>,
    /// Word list numbering: the list (`w:numId`) and level (`w:ilvl`).
    pub num: Option<(String, u32)>,
    /// Relationship ids of the images in it, in order.
    pub images: Vec<String>,
}

/// A table cell of a .docx.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableCell {
    /// Its paragraphs' texts.
    pub paragraphs: Vec<String>,
    /// Grid columns spanned (`w:gridSpan`).
    pub span: u32,
    /// `Some(true)` starts a vertical merge, `Some(false)` continues one.
    pub vmerge: Option<bool>,
    /// Text all bold or a table-heading style.
    pub heading: bool,
}

/// A block of a .docx body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph.
    Para(Para),
    /// A table: rows of cells.
    Table(Vec<Vec<TableCell>>),
}

/// An image stored in the .docx.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    /// Its path in the zip, e.g. `word/media/image1.png`.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// How a list level is numbered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    /// `w:numFmt`: `bullet`, `decimal`, `chineseCounting`…
    pub format: String,
    /// `w:lvlText`, e.g. `%1、` or `（%1）`.
    pub text: String,
}

/// A read .docx.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Docx {
    /// Its body, in order.
    pub blocks: Vec<Block>,
    /// Images by relationship id; linked (not embedded) images are absent.
    pub media: HashMap<String, Media>,
    /// Images the document links to outside itself, by relationship id.
    pub linked: HashMap<String, String>,
    /// List formats: (numId, ilvl) → level.
    pub levels: HashMap<(String, u32), Level>,
}

/// Any single part larger than this once unpacked is refused.
const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a .docx from its bytes.
pub fn read<R: Read + Seek>(reader: R) -> Result<Docx, DocxError> {
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| DocxError::NotZip(e.to_string()))?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    if !names.iter().any(|n| n == "word/document.xml") {
        let mut shown: Vec<&str> = names.iter().map(String::as_str).take(5).collect();
        if names.len() > 5 {
            shown.push("…");
        }
        let list = if shown.is_empty() {
            "nothing".to_owned()
        } else {
            shown.join(", ")
        };
        return Err(DocxError::NotWord(list));
    }
    let document = part(&mut zip, "word/document.xml")?;
    let rels = match names.iter().any(|n| n == "word/_rels/document.xml.rels") {
        true => relationships(&part(&mut zip, "word/_rels/document.xml.rels")?)?,
        false => HashMap::new(),
    };
    let levels = match names.iter().any(|n| n == "word/numbering.xml") {
        true => numbering(&part(&mut zip, "word/numbering.xml")?)?,
        false => HashMap::new(),
    };
    let blocks = body(&document)?;
    let mut media = HashMap::new();
    let mut linked = HashMap::new();
    let wanted: Vec<&String> = blocks
        .iter()
        .flat_map(|b| match b {
            Block::Para(p) => p.images.iter().collect::<Vec<_>>(),
            Block::Table(_) => Vec::new(),
        })
        .collect();
    for id in wanted {
        match rels.get(id) {
            Some(Rel {
                target,
                external: true,
            }) => {
                linked.insert(id.clone(), target.clone());
            }
            Some(Rel { target, .. }) => {
                let path = resolve_target(target);
                if names.contains(&path) {
                    let bytes = part_bytes(&mut zip, &path)?;
                    media.insert(id.clone(), Media { path, bytes });
                }
            }
            None => {}
        }
    }
    Ok(Docx {
        blocks,
        media,
        linked,
        levels,
    })
}

fn resolve_target(target: &str) -> String {
    match target.strip_prefix('/') {
        Some(abs) => abs.to_owned(),
        None => {
            let mut parts: Vec<&str> = vec!["word"];
            for seg in target.split('/') {
                match seg {
                    ".." => {
                        parts.pop();
                    }
                    "." | "" => {}
                    s => parts.push(s),
                }
            }
            parts.join("/")
        }
    }
}

fn part_bytes<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Vec<u8>, DocxError> {
    let damaged = |why: String| DocxError::Damaged {
        part: name.to_owned(),
        why,
    };
    let f = zip.by_name(name).map_err(|e| damaged(e.to_string()))?;
    if f.size() > MAX_PART_BYTES {
        return Err(DocxError::TooLarge {
            part: name.to_owned(),
            limit: MAX_PART_BYTES / (1024 * 1024),
        });
    }
    let mut bytes = Vec::with_capacity(f.size() as usize);
    f.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| damaged(e.to_string()))?;
    if bytes.len() as u64 > MAX_PART_BYTES {
        return Err(DocxError::TooLarge {
            part: name.to_owned(),
            limit: MAX_PART_BYTES / (1024 * 1024),
        });
    }
    Ok(bytes)
}

fn part<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Result<String, DocxError> {
    let bytes = part_bytes(zip, name)?;
    String::from_utf8(bytes).map_err(|_| DocxError::Damaged {
        part: name.to_owned(),
        why: "not UTF-8 text".to_owned(),
    })
}

/// An attribute's value by its local name (`w:val` → `val`).
pub(crate) fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

fn xml_error(part: &str, reader: &Reader<&[u8]>, e: impl std::fmt::Display) -> DocxError {
    DocxError::Damaged {
        part: part.to_owned(),
        why: format!("XML error at byte {}: {e}", reader.buffer_position()),
    }
}

struct Rel {
    target: String,
    external: bool,
}

fn relationships(xml: &str) -> Result<HashMap<String, Rel>, DocxError> {
    let mut r = Reader::from_str(xml);
    let mut out = HashMap::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    let external = attr(&e, "TargetMode").is_some_and(|m| m == "External");
                    out.insert(id, Rel { target, external });
                }
            }
            Ok(Event::Eof) => return Ok(out),
            Err(e) => return Err(xml_error("word/_rels/document.xml.rels", &r, e)),
            _ => {}
        }
    }
}

fn numbering(xml: &str) -> Result<HashMap<(String, u32), Level>, DocxError> {
    let mut r = Reader::from_str(xml);
    let mut abstracts: HashMap<String, HashMap<u32, Level>> = HashMap::new();
    let mut nums: Vec<(String, String)> = Vec::new();
    let mut cur_abs: Option<String> = None;
    let mut cur_lvl: Option<u32> = None;
    let mut cur_num: Option<String> = None;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "abstractNum" => cur_abs = attr(&e, "abstractNumId"),
                "lvl" => cur_lvl = attr(&e, "ilvl").and_then(|v| v.parse().ok()),
                "numFmt" | "lvlText" => {
                    if let (Some(a), Some(l), Some(v)) = (&cur_abs, cur_lvl, attr(&e, "val")) {
                        let lvl =
                            abstracts
                                .entry(a.clone())
                                .or_default()
                                .entry(l)
                                .or_insert(Level {
                                    format: String::new(),
                                    text: String::new(),
                                });
                        if e.local_name().as_ref() == "numFmt" {
                            lvl.format = v;
                        } else {
                            lvl.text = v;
                        }
                    }
                }
                "num" => cur_num = attr(&e, "numId"),
                "abstractNumId" => {
                    if let (Some(n), Some(v)) = (&cur_num, attr(&e, "val")) {
                        nums.push((n.clone(), v));
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "abstractNum" => cur_abs = None,
                "lvl" => cur_lvl = None,
                "num" => cur_num = None,
                _ => {}
            },
            Ok(Event::Eof) => break,
            Err(e) => return Err(xml_error("word/numbering.xml", &r, e)),
            _ => {}
        }
    }
    let mut out = HashMap::new();
    for (num, abs) in nums {
        if let Some(levels) = abstracts.get(&abs) {
            for (l, level) in levels {
                out.insert((num.clone(), *l), level.clone());
            }
        }
    }
    Ok(out)
}

fn is_red(hex: &str) -> bool {
    if hex.len() != 6 || !hex.is_ascii() {
        return false;
    }
    let c = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
    let (r, g, b) = (c(0), c(2), c(4));
    r >= 0xb0 && g <= 0x60 && b <= 0x60
}

/// A run's properties as they apply to its text.
#[derive(Default, Clone)]
struct RunProps {
    red: bool,
    size: u32,
    bold: bool,
}

/// What the parser is inside of.
#[derive(Default)]
struct ParaState {
    para: Para,
    run: RunProps,
    /// Every run with visible text so far was bold.
    all_bold: bool,
    has_text: bool,
}

struct CellState {
    cell: TableCell,
}

/// A table being read: its rows, the open row, the open cell.
type OpenTable = (Vec<Vec<TableCell>>, Vec<TableCell>, Option<CellState>);

/// The body's blocks, in order. Paragraphs inside text boxes come before
/// the paragraph that anchors them; `mc:Fallback` copies are skipped.
fn body(xml: &str) -> Result<Vec<Block>, DocxError> {
    const PART: &str = "word/document.xml";
    let mut r = Reader::from_str(xml);
    let mut out: Vec<Block> = Vec::new();
    // Open paragraphs (a text box's paragraphs nest inside a run).
    let mut paras: Vec<ParaState> = Vec::new();
    // Open tables: rows of cells, the open row, the open cell.
    let mut tables: Vec<OpenTable> = Vec::new();
    let mut in_text = false;
    let mut in_rpr = false;
    let mut in_ppr = false;
    let mut skip_depth = 0usize; // inside mc:Fallback, w:delText's run, field instructions
    let mut depth = 0usize;
    let mut header_row = false;
    loop {
        let ev = r.read_event().map_err(|e| xml_error(PART, &r, e))?;
        match ev {
            Event::Start(e) => {
                depth += 1;
                let name = e.local_name();
                let name = name.as_ref();
                if skip_depth > 0 {
                    continue;
                }
                match name {
                    "Fallback" | "instrText" | "delText" | "footnoteReference" => {
                        skip_depth = depth
                    }
                    "p" => paras.push(ParaState {
                        all_bold: true,
                        ..Default::default()
                    }),
                    "pPr" => in_ppr = true,
                    "rPr" => in_rpr = true,
                    "r" => {
                        if let Some(p) = paras.last_mut() {
                            p.run = RunProps::default();
                        }
                    }
                    "t" => in_text = true,
                    "tbl" => tables.push((Vec::new(), Vec::new(), None)),
                    "tr" => header_row = false,
                    "tc" => {
                        if let Some(t) = tables.last_mut() {
                            t.2 = Some(CellState {
                                cell: TableCell {
                                    span: 1,
                                    heading: true,
                                    ..Default::default()
                                },
                            });
                        }
                    }
                    _ => {
                        start_or_empty(&e, &mut paras, &mut tables, in_ppr, in_rpr, &mut header_row)
                    }
                }
            }
            Event::Empty(e) => {
                if skip_depth > 0 {
                    continue;
                }
                match e.local_name().as_ref() {
                    "tab" if !in_ppr => push_text(&mut paras, " ", false),
                    "br" | "cr" => push_text(&mut paras, "\n", false),
                    "p" => {
                        // An empty paragraph.
                        if tables.last().is_some_and(|t| t.2.is_some()) {
                            continue;
                        }
                        out.push(Block::Para(Para::default()));
                    }
                    _ => {
                        start_or_empty(&e, &mut paras, &mut tables, in_ppr, in_rpr, &mut header_row)
                    }
                }
            }
            Event::Text(t) if in_text && skip_depth == 0 => {
                push_text(&mut paras, &t.xml10_content(), true);
            }
            Event::GeneralRef(g) if in_text && skip_depth == 0 => {
                let s = match g.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match g.xml10_content().as_ref() {
                        "amp" => "&".to_owned(),
                        "lt" => "<".to_owned(),
                        "gt" => ">".to_owned(),
                        "quot" => "\"".to_owned(),
                        "apos" => "'".to_owned(),
                        _ => String::new(),
                    },
                };
                push_text(&mut paras, &s, true);
            }
            Event::End(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if skip_depth > 0 {
                    if depth == skip_depth {
                        skip_depth = 0;
                    }
                    depth -= 1;
                    continue;
                }
                depth -= 1;
                match name {
                    "t" => in_text = false,
                    "pPr" => in_ppr = false,
                    "rPr" => in_rpr = false,
                    "p" => {
                        if let Some(mut st) = paras.pop() {
                            st.para.bold = st.has_text && st.all_bold;
                            match tables.last_mut().and_then(|t| t.2.as_mut()) {
                                Some(cell) if paras.is_empty() => {
                                    let text = collapse(&st.para.text);
                                    if !text.is_empty() {
                                        cell.cell.heading &= st.para.bold
                                            || st
                                                .para
                                                .style
                                                .as_deref()
                                                .is_some_and(|s| s.contains("Heading"));
                                        cell.cell.paragraphs.push(text);
                                    }
                                }
                                _ => out.push(Block::Para(st.para)),
                            }
                        }
                    }
                    "tc" => {
                        if let Some(t) = tables.last_mut() {
                            if let Some(mut c) = t.2.take() {
                                if c.cell.paragraphs.is_empty() {
                                    c.cell.heading = header_row;
                                }
                                c.cell.heading |= header_row;
                                t.1.push(c.cell);
                            }
                        }
                    }
                    "tr" => {
                        if let Some(t) = tables.last_mut() {
                            let row = std::mem::take(&mut t.1);
                            t.0.push(row);
                        }
                    }
                    "tbl" => {
                        if let Some((rows, _, _)) = tables.pop() {
                            match tables.last_mut().and_then(|t| t.2.as_mut()) {
                                // A table in a cell: its text joins the cell.
                                Some(cell) => {
                                    for row in rows {
                                        let line: Vec<String> = row
                                            .into_iter()
                                            .map(|c| c.paragraphs.join(" "))
                                            .collect();
                                        cell.cell.paragraphs.push(line.join(" "));
                                    }
                                }
                                None => out.push(Block::Table(rows)),
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn push_text(paras: &mut [ParaState], s: &str, visible: bool) {
    let Some(p) = paras.last_mut() else { return };
    p.para.text.push_str(s);
    if visible && !trim(s).is_empty() {
        p.has_text = true;
        p.all_bold &= p.run.bold;
        p.para.red |= p.run.red;
        p.para.size = p.para.size.max(p.run.size);
    }
}

fn start_or_empty(
    e: &BytesStart<'_>,
    paras: &mut [ParaState],
    tables: &mut [OpenTable],
    in_ppr: bool,
    in_rpr: bool,
    header_row: &mut bool,
) {
    let name = e.local_name();
    let val = || attr(e, "val");
    match name.as_ref() {
        "tblHeader" => *header_row = val().is_none_or(|v| v != "false" && v != "0"),
        "gridSpan" => {
            if let Some(c) = tables.last_mut().and_then(|t| t.2.as_mut()) {
                c.cell.span = val().and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
            }
        }
        "vMerge" => {
            if let Some(c) = tables.last_mut().and_then(|t| t.2.as_mut()) {
                c.cell.vmerge = Some(val().is_some_and(|v| v == "restart"));
            }
        }
        "blip" => {
            if let (Some(p), Some(id)) = (
                paras.last_mut(),
                attr(e, "embed").or_else(|| attr(e, "link")),
            ) {
                p.para.images.push(id);
            }
        }
        "imagedata" => {
            if let (Some(p), Some(id)) = (paras.last_mut(), attr(e, "id")) {
                p.para.images.push(id);
            }
        }
        _ => {}
    }
    let Some(p) = paras.last_mut() else { return };
    if in_ppr && !in_rpr {
        match name.as_ref() {
            "jc" => {
                p.para.align = match val().as_deref() {
                    Some("center") => Align::Center,
                    Some("right" | "end") => Align::Right,
                    Some("both" | "distribute") => Align::Both,
                    _ => Align::Left,
                }
            }
            "pStyle" => p.para.style = val(),
            "numId" => {
                if let Some(v) = val().filter(|v| v != "0") {
                    let lvl = p.para.num.as_ref().map_or(0, |n| n.1);
                    p.para.num = Some((v, lvl));
                }
            }
            "ilvl" => {
                let l = val().and_then(|v| v.parse().ok()).unwrap_or(0);
                p.para.num = Some(match p.para.num.take() {
                    Some((id, _)) => (id, l),
                    None => (String::new(), l),
                });
            }
            _ => {}
        }
    } else if in_rpr && !in_ppr {
        match name.as_ref() {
            "b" => p.run.bold = val().is_none_or(|v| v != "false" && v != "0"),
            "color" => p.run.red = val().is_some_and(|v| is_red(&v)),
            "sz" => p.run.size = val().and_then(|v| v.parse().ok()).unwrap_or(0),
            _ => {}
        }
    }
}

impl Docx {
    /// The numbering of a list paragraph, if its list is a real list
    /// (bullets or Arabic numbers); Chinese-counted numbering (`一、`,
    /// `（一）`) is a 公文's heading series instead, see [`Docx::label`].
    pub fn list_kind(&self, num: &(String, u32)) -> Option<bool> {
        let level = self.levels.get(num)?;
        match level.format.as_str() {
            "bullet" => Some(false),
            "none" => None,
            f if is_chinese_format(f) => None,
            _ => Some(true),
        }
    }
}

/// Number formats that write Chinese numerals (`一`, `壹`).
pub fn is_chinese_format(f: &str) -> bool {
    f.starts_with("chinese")
        || f.starts_with("ideograph")
        || f.starts_with("japanese")
        || f == "taiwaneseCounting"
}

/// The label Word shows for a Chinese-counted list level: `%1、` with the
/// counter 3 → `三、`.
pub fn chinese_label(level: &Level, counter: u32) -> String {
    level
        .text
        .replace("%1", &chinese_number(counter))
        .replace('%', "")
}

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三 (up to 99).
pub fn chinese_number(n: u32) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_owned(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[(n - 10) as usize] }),
        20..=99 => format!(
            "{}十{}",
            D[(n / 10) as usize],
            if n.is_multiple_of(10) {
                ""
            } else {
                D[(n % 10) as usize]
            }
        ),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(20), "二十");
        assert_eq!(chinese_number(23), "二十三");
        let lvl = Level {
            format: "chineseCounting".into(),
            text: "（%1）".into(),
        };
        assert_eq!(chinese_label(&lvl, 3), "（三）");
    }

    #[test]
    fn red_is_red() {
        assert!(is_red("FF0000"));
        assert!(is_red("C00000"));
        assert!(!is_red("000000"));
        assert!(!is_red("FF9900"));
        assert!(!is_red("auto"));
        assert!(!is_red("红色"), "six bytes, not six hex digits");
    }

    #[test]
    fn paragraphs_runs_and_text_boxes() {
        let xml = r#"<w:document xmlns:w="w" xmlns:mc="mc" xmlns:a="a" xmlns:r="r"><w:body>
        <w:p><w:pPr><w:jc w:val="center"/><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:rPr><w:color w:val="FF0000"/><w:sz w:val="72"/></w:rPr><w:t>武山县科学技术局</w:t></w:r><w:r><w:rPr><w:color w:val="FF0000"/></w:rPr><w:t xml:space="preserve">文件 &amp; </w:t></w:r></w:p>
        <w:p><w:r><w:t>武科发〔</w:t></w:r><w:r><w:tab/><w:t>2023</w:t></w:r><w:r><w:delText>删</w:delText></w:r><w:r><w:t>〕12号</w:t></w:r></w:p>
        <w:p><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent><w:t>锚</w:t></w:r></w:p>
        <w:p><w:r><w:drawing><a:blip r:embed="rId5"/></w:drawing></w:r></w:p>
        </w:body></w:document>"#;
        let blocks = body(xml).unwrap();
        let paras: Vec<&Para> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Para(p) => Some(p),
                _ => None,
            })
            .collect();
        assert_eq!(paras[0].text, "武山县科学技术局文件 & ");
        assert!(paras[0].red && !paras[0].bold);
        assert_eq!((paras[0].align, paras[0].size), (Align::Center, 72));
        assert_eq!(paras[1].text, "武科发〔 2023〕12号");
        assert_eq!(paras[2].text, "框内");
        assert_eq!(paras[3].text, "锚");
        assert_eq!(paras[4].images, ["rId5"]);
    }

    #[test]
    fn tables_with_merges() {
        let xml = r#"<w:document xmlns:w="w"><w:body><w:tbl>
        <w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc></w:tr>
        </w:tbl></w:body></w:document>"#;
        let blocks = body(xml).unwrap();
        let Block::Table(rows) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(rows.len(), 3);
        assert_eq!((rows[0][0].span, rows[0][0].heading), (2, true));
        assert_eq!(rows[1][0].vmerge, Some(true));
        assert_eq!(rows[1][1].paragraphs, ["1", "2"]);
        assert!(!rows[1][1].heading);
        assert_eq!(rows[2][0].vmerge, Some(false));
    }

    #[test]
    fn not_a_docx() {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            w.start_file("readme.txt", zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut w, b"hello").unwrap();
            w.finish().unwrap();
        }
        buf.set_position(0);
        assert_eq!(
            read(buf).unwrap_err().to_string(),
            "a zip file but not a Word document: it has no word/document.xml (it holds readme.txt)"
        );
        let err = read(std::io::Cursor::new(b"plain text".to_vec())).unwrap_err();
        assert!(
            err.to_string().starts_with("not a Word .docx file: "),
            "{err}"
        );
    }
}
