//! Word (`.docx`, Office Open XML) written directly with the `zip` crate.
//!
//! Seven small parts are all a valid WordprocessingML package needs; writing
//! them by hand compiles faster than a docx library and keeps full control of
//! the East Asian font settings. Lists are paragraphs with their marker as
//! text (no numbering part), so they look the same in every word processor.

use crate::html::{Block, Run};
use crate::notice::Notice;
use std::fmt::Write as _;
use std::io::Write as _;
use zip::write::SimpleFileOptions;

/// Fonts named in the document: the one a reader's machine most likely has
/// (Noto Sans CJK from Linux distributions) and, through `fontTable.xml`,
/// the Windows font to fall back to.
struct Fonts {
    name: &'static str,
    alt: &'static str,
    charset: &'static str,
}

fn fonts(lang: &str) -> Fonts {
    if lang == "zh-TW" {
        Fonts {
            name: "Noto Sans CJK TC",
            alt: "新細明體",
            charset: "88",
        }
    } else {
        Fonts {
            name: "Noto Sans CJK SC",
            alt: "宋体",
            charset: "86",
        }
    }
}

/// Escapes text for XML, dropping characters XML 1.0 does not allow.
fn esc(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
}

fn run(out: &mut String, text: &str, bold: bool, size_half_points: Option<u32>) {
    out.push_str("<w:r>");
    if bold || size_half_points.is_some() {
        out.push_str("<w:rPr>");
        if bold {
            out.push_str("<w:b/><w:bCs/>");
        }
        if let Some(sz) = size_half_points {
            let _ = write!(out, "<w:sz w:val=\"{sz}\"/><w:szCs w:val=\"{sz}\"/>");
        }
        out.push_str("</w:rPr>");
    }
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        out.push_str("<w:t xml:space=\"preserve\">");
        esc(line, out);
        out.push_str("</w:t>");
    }
    out.push_str("</w:r>");
}

fn para(out: &mut String, style: Option<&str>, ppr_extra: &str, runs: &[Run]) {
    out.push_str("<w:p>");
    if style.is_some() || !ppr_extra.is_empty() {
        out.push_str("<w:pPr>");
        if let Some(s) = style {
            let _ = write!(out, "<w:pStyle w:val=\"{s}\"/>");
        }
        out.push_str(ppr_extra);
        out.push_str("</w:pPr>");
    }
    for r in runs {
        run(out, &r.text, r.bold, None);
    }
    out.push_str("</w:p>");
}

/// Paragraph properties of text in a table cell.
const CELL: &str = "<w:pPr><w:pStyle w:val=\"GkCell\"/></w:pPr>";

fn table(out: &mut String, rows: &[Vec<crate::html::Cell>]) {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    // A4 text width with 2.5 cm margins: 9026 twips.
    let w = 9026 / cols;
    out.push_str("<w:tbl><w:tblPr><w:tblStyle w:val=\"GkTable\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>");
    for _ in 0..cols {
        let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
    }
    out.push_str("</w:tblGrid>");
    for row in rows {
        out.push_str("<w:tr>");
        if row.iter().all(|c| c.header) {
            out.push_str("<w:trPr><w:tblHeader/></w:trPr>");
        }
        for i in 0..cols {
            let _ = write!(
                out,
                "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/></w:tcPr><w:p>{CELL}"
            );
            if let Some(c) = row.get(i) {
                run(out, &c.text, c.header, None);
            }
            out.push_str("</w:p></w:tc>");
        }
        out.push_str("</w:tr>");
    }
    // Word needs a paragraph between two tables and after the last one.
    out.push_str("</w:tbl><w:p/>");
}

/// `word/document.xml`.
pub fn document_xml(n: &Notice) -> String {
    let mut o = String::with_capacity(4096 + n.all_text().len() * 2);
    o.push_str(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>"#);
    para(
        &mut o,
        Some("Title"),
        "",
        &[Run {
            text: n.title.clone(),
            bold: true,
        }],
    );
    if !n.meta.is_empty() {
        o.push_str("<w:tbl><w:tblPr><w:tblStyle w:val=\"GkMeta\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"1600\"/><w:gridCol w:w=\"2913\"/><w:gridCol w:w=\"1600\"/><w:gridCol w:w=\"2913\"/></w:tblGrid>");
        for pair in n.meta.chunks(2) {
            o.push_str("<w:tr>");
            for i in 0..2 {
                let (l, v) = pair
                    .get(i)
                    .map_or(("", ""), |(l, v)| (l.as_str(), v.as_str()));
                let _ = write!(
                    o,
                    "<w:tc><w:tcPr><w:tcW w:w=\"1600\" w:type=\"dxa\"/></w:tcPr><w:p>{CELL}"
                );
                if !l.is_empty() {
                    run(&mut o, &format!("{l}："), true, Some(20));
                }
                let _ = write!(o, "</w:p></w:tc><w:tc><w:tcPr><w:tcW w:w=\"2913\" w:type=\"dxa\"/></w:tcPr><w:p>{CELL}");
                run(&mut o, v, false, Some(20));
                o.push_str("</w:p></w:tc>");
            }
            o.push_str("</w:tr>");
        }
        o.push_str("</w:tbl><w:p/>");
    }
    for b in &n.body {
        match b {
            Block::Heading(level, runs) => {
                let style = format!("Heading{}", (level.saturating_sub(1)).clamp(1, 3));
                para(&mut o, Some(&style), "", runs);
            }
            Block::Paragraph(runs) => para(&mut o, None, "", runs),
            Block::ListItem {
                marker,
                depth,
                runs,
            } => {
                let left = 420 * (u32::from(*depth) + 1);
                let ind = format!("<w:ind w:left=\"{left}\" w:hanging=\"420\" w:firstLine=\"0\"/>");
                let mut all = vec![Run {
                    text: format!("{marker}\u{a0}"),
                    bold: false,
                }];
                all.extend(runs.iter().cloned());
                para(&mut o, Some("ListParagraph"), &ind, &all);
            }
            Block::Table(rows) => table(&mut o, rows),
            Block::Rule => o.push_str("<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"999999\"/></w:pBdr></w:pPr></w:p>"),
        }
    }
    o.push_str(r#"<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>"#);
    o
}

fn footer_xml(n: &Notice) -> String {
    let mut o = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>"#,
    );
    let mut line = n.site_name.clone();
    if let Some(u) = &n.url {
        line.push_str("  ");
        line.push_str(u);
    }
    run(&mut o, &line, false, None);
    o.push_str(r#"<w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>"#);
    o
}

fn styles_xml(n: &Notice) -> String {
    let f = fonts(n.lang);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/><w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="{lang}" w:eastAsia="{lang}" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="360" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="480"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/><w:spacing w:before="240" w:after="360"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="30"/><w:szCs w:val="30"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Heading1"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Heading1"/><w:pPr><w:outlineLvl w:val="3"/></w:pPr><w:rPr><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="GkCell"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/><w:spacing w:after="0" w:line="276" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr><w:rPr><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:tabs><w:tab w:val="right" w:pos="9026"/></w:tabs><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="left"/><w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style><w:style w:type="table" w:styleId="GkTable"><w:name w:val="Gk Table"/><w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/><w:spacing w:after="0" w:line="276" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr><w:rPr><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style><w:style w:type="table" w:styleId="GkMeta"><w:name w:val="Gk Meta"/><w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/><w:spacing w:after="0" w:line="276" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="999999"/></w:tblBorders></w:tblPr></w:style></w:styles>"#,
        name = f.name,
        lang = n.lang
    )
}

fn font_table_xml(n: &Notice) -> String {
    let f = fonts(n.lang);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="{cs}"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font></w:fonts>"#,
        name = f.name,
        alt = f.alt,
        cs = f.charset
    )
}

fn core_xml(n: &Notice) -> String {
    let mut title = String::new();
    esc(&n.title, &mut title);
    let mut creator = String::new();
    esc(&n.site_name, &mut creator);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator><dc:language>{lang}</dc:language></cp:coreProperties>"#,
        lang = n.lang
    )
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;

/// The parts of the package, in the order they are written.
pub const PARTS: [&str; 8] = [
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "word/_rels/document.xml.rels",
    "word/document.xml",
    "word/styles.xml",
    "word/fontTable.xml",
    "word/footer1.xml",
];

/// The `.docx` file of a notice. Deterministic: the same notice gives the
/// same bytes (zip entries carry a fixed timestamp).
pub fn write(n: &Notice) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::with_capacity(16 * 1024));
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        let parts: [(&str, String); 8] = [
            (PARTS[0], CONTENT_TYPES.to_owned()),
            (PARTS[1], ROOT_RELS.to_owned()),
            (PARTS[2], core_xml(n)),
            (PARTS[3], DOC_RELS.to_owned()),
            (PARTS[4], document_xml(n)),
            (PARTS[5], styles_xml(n)),
            (PARTS[6], font_table_xml(n)),
            (PARTS[7], footer_xml(n)),
        ];
        for (name, body) in parts {
            // Writing into memory cannot fail.
            z.start_file(name, opts).expect("zip to memory");
            z.write_all(body.as_bytes()).expect("zip to memory");
        }
        z.finish().expect("zip to memory");
    }
    buf.into_inner()
}
