//! A 公文 in the GB/T 9704-2012 layout, read from a .docx's blocks:
//! 版头 (份号, 密级, 紧急程度, 发文机关标志, 发文字号, 签发人), 主体 (标题,
//! 主送机关, 正文 with headings 一、 （一） 1. （1）, tables and lists,
//! 附件说明, 署名, 成文日期, 附注) and 版记 (抄送, 印发).
//!
//! The 版头 and the 标题 become item fields and leave the body; everything
//! from the 主送机关 on stays in the body as text, as the reader expects to
//! see it, without Word's styling.

use crate::dates::{parse_when, When};
use crate::docx::{chinese_label, is_chinese_format, Align, Block, Docx, Para, TableCell};
use crate::html::{Body, Cell};
use crate::text::{collapse, squeeze, trim};
use std::collections::HashMap;

/// What a 公文 says about itself, and its body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gongwen {
    /// 发文机关标志 without `文件` (`武山县科学技术局`).
    pub issuer: Option<String>,
    /// 发文字号 (`武科发〔2023〕12号`).
    pub doc_no: Option<String>,
    /// 签发人.
    pub signer: Option<String>,
    /// 标题.
    pub title: Option<String>,
    /// 主送机关.
    pub addressee: Option<String>,
    /// 附件说明: the attachments' names.
    pub attachment_names: Vec<String>,
    /// 署名.
    pub signature: Option<String>,
    /// 成文日期.
    pub written: Option<When>,
    /// A 索引号 written in the document, if any.
    pub index_no: Option<String>,
    /// The body as clean HTML, from the 主送机关 on.
    pub body: String,
    /// Relationship ids of the images, in order of appearance.
    pub images: Vec<String>,
}

/// The 文种 a title ends with (党政机关公文处理工作条例, Art. 8, and the
/// forms sections also publish).
const DOC_KINDS: &[&str] = &[
    "决议", "决定", "命令", "令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示",
    "批复", "议案", "函", "纪要", "办法", "规定", "细则", "方案", "公示", "解读", "规划", "计划",
    "要点", "总结",
];

/// Finds a 发文字号 in a line: `武科发〔2023〕12号`, also with `[]`, `【】`,
/// `()` or `2023年12号`.
pub fn find_doc_no(line: &str) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    let open = ['〔', '[', '【', '(', '（', '［'];
    let close = ['〕', ']', '】', ')', '）', '］'];
    for (i, &c) in chars.iter().enumerate() {
        if !open.contains(&c) {
            continue;
        }
        // 〔2023〕
        let year: String = chars.iter().skip(i + 1).take(4).collect();
        if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let Some(&cl) = chars.get(i + 5) else {
            continue;
        };
        if !close.contains(&cl) {
            continue;
        }
        let mut j = i + 6;
        while chars.get(j).is_some_and(|c| c.is_ascii_digit()) {
            j += 1;
        }
        if j == i + 6 || chars.get(j) != Some(&'号') {
            continue;
        }
        // The 机关代字 before: up to 10 CJK characters.
        let mut s = i;
        while s > 0
            && i - s < 10
            && crate::text::is_cjk(chars[s - 1])
            && !matches!(chars[s - 1], '：' | ':' | '　')
        {
            s -= 1;
        }
        if s == i {
            continue;
        }
        return Some(chars[s..=j].iter().collect());
    }
    None
}

fn signer_of(line: &str) -> Option<String> {
    let squeezed = squeeze(line);
    let (_, rest) = squeezed.split_once("签发人")?;
    let name = rest.trim_start_matches([':', '：']);
    (!name.is_empty()).then(|| name.to_owned())
}

/// A heading level for 一、 （一） 1. （1） at the start of a short line.
pub fn heading_level(text: &str) -> Option<u8> {
    let t = trim(text);
    let len = t.chars().count();
    // A heading is a phrase: a line ending a sentence is text.
    let sentence = t.contains('。');
    if len > 40 || sentence || t.contains('；') || t.ends_with('：') && len > 20 {
        return None;
    }
    let cn = |c: char| "一二三四五六七八九十".contains(c);
    let chars: Vec<char> = t.chars().collect();
    let n_cn = chars.iter().take_while(|c| cn(**c)).count();
    if n_cn > 0 && chars.get(n_cn) == Some(&'、') && chars.len() > n_cn + 1 {
        return Some(2);
    }
    if matches!(chars.first(), Some('（' | '(')) {
        let inner_cn = chars[1..].iter().take_while(|c| cn(**c)).count();
        if inner_cn > 0 && matches!(chars.get(1 + inner_cn), Some('）' | ')')) {
            return Some(3);
        }
        let inner_d = chars[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if inner_d > 0 && matches!(chars.get(1 + inner_d), Some('）' | ')')) {
            return Some(5);
        }
    }
    let d = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    if d > 0
        && matches!(chars.get(d), Some('.' | '．'))
        && !chars.get(d + 1).is_some_and(|c| c.is_ascii_digit())
        && chars.len() > d + 1
    {
        return Some(4);
    }
    None
}

fn is_date_line(text: &str) -> Option<When> {
    let t = squeeze(text);
    if t.chars().count() > 16 || !t.ends_with('日') {
        return None;
    }
    parse_when(&t).ok()
}

/// Lines of the 版头 before the 发文机关标志: 份号, 密级, 紧急程度.
fn is_masthead_mark(text: &str) -> bool {
    let t = squeeze(text);
    (t.chars().count() <= 6 && t.chars().all(|c| c.is_ascii_digit()) && !t.is_empty())
        || ["特急", "加急", "特提", "平急", "秘密", "机密", "绝密"]
            .iter()
            .any(|m| t.starts_with(m))
            && t.chars().count() <= 12
}

/// Reads the layout of a .docx.
pub fn read(doc: &Docx) -> Gongwen {
    let mut g = Gongwen::default();
    let blocks = &doc.blocks;
    let is_para =
        |i: usize| matches!(blocks.get(i), Some(Block::Para(p)) if !trim(&p.text).is_empty());
    let para = |i: usize| match &blocks[i] {
        Block::Para(p) => p,
        Block::Table(_) => unreachable!("checked by is_para"),
    };
    let mut i = 0;
    // Images anywhere, in order.
    for b in blocks {
        if let Block::Para(p) = b {
            g.images.extend(p.images.iter().cloned());
        }
    }
    let skip_blank = |mut i: usize| {
        while i < blocks.len() && matches!(&blocks[i], Block::Para(p) if trim(&p.text).is_empty()) {
            i += 1;
        }
        i
    };
    i = skip_blank(i);
    // 版头: marks, 发文机关标志, 发文字号 (within the first lines).
    let head_end = (i + 10).min(blocks.len());
    let doc_no_at = (i..head_end).find(|&k| {
        is_para(k) && find_doc_no(&para(k).text).is_some() && para(k).text.chars().count() < 60
    });
    let mut issuer_lines = Vec::new();
    let limit = doc_no_at.unwrap_or(head_end);
    let mut k = i;
    while k < limit {
        if is_para(k) {
            let p = para(k);
            let t = collapse(&p.text);
            if is_masthead_mark(&t) {
                k += 1;
                continue;
            }
            let looks_like_mark =
                p.red || p.size >= 44 || (t.ends_with("文件") && p.align == Align::Center);
            if looks_like_mark {
                issuer_lines.push(t);
            } else if doc_no_at.is_none() {
                break;
            }
        }
        k += 1;
    }
    if !issuer_lines.is_empty() {
        let joined = issuer_lines.join("、");
        let name = joined
            .trim_end_matches("文件")
            .trim_end_matches('、')
            .trim();
        g.issuer = (!name.is_empty()).then(|| squeeze(name));
    }
    if let Some(d) = doc_no_at {
        let t = &para(d).text;
        g.doc_no = find_doc_no(t);
        g.signer = signer_of(t);
        i = d + 1;
    } else if !issuer_lines.is_empty() {
        i = k;
    }
    // 标题: the next centred lines (or the first line when nothing is centred).
    i = skip_blank(i);
    let mut title = Vec::new();
    while i < blocks.len() && is_para(i) && para(i).align == Align::Center {
        let t = collapse(&para(i).text);
        if is_date_line(&t).is_some() {
            break;
        }
        title.push(t);
        i += 1;
        if title.len() == 3 {
            break;
        }
    }
    if title.is_empty() && is_para(i) {
        let t = collapse(&para(i).text);
        if t.chars().count() <= 60 && (DOC_KINDS.iter().any(|k| t.ends_with(k)) || para(i).bold) {
            title.push(t);
            i += 1;
        }
    }
    if !title.is_empty() {
        g.title = Some(title.concat());
    }
    i = skip_blank(i);
    // 主送机关.
    if is_para(i) {
        let t = trim(&para(i).text);
        if (t.ends_with('：') || t.ends_with(':'))
            && t.chars().count() <= 80
            && para(i).align != Align::Center
        {
            g.addressee = Some(t.trim_end_matches(['：', ':']).to_owned());
        }
    }
    // 成文日期 and 署名: the last date line, with the short lines above it.
    let date_at = (i..blocks.len()).rev().find(|&k| {
        is_para(k) && is_date_line(&para(k).text).is_some() && !para(k).text.contains("印发")
    });
    if let Some(d) = date_at {
        g.written = is_date_line(&para(d).text);
        let mut s = d;
        let mut names = Vec::new();
        while s > i && names.len() < 3 {
            s -= 1;
            if !is_para(s) {
                if matches!(&blocks[s], Block::Table(_)) {
                    break;
                }
                continue;
            }
            let p = para(s);
            let t = collapse(&p.text);
            let signature_like = t.chars().count() <= 30
                && !t.ends_with(['。', '：', ':', '；'])
                && !t.starts_with("附件")
                && heading_level(&t).is_none()
                && (p.align == Align::Right || names.is_empty() && t.chars().count() <= 20);
            if !signature_like {
                break;
            }
            names.push(t);
        }
        names.reverse();
        if !names.is_empty() {
            g.signature = Some(names.join("、"));
        }
    }
    g.body = body(doc, &blocks[i..], &mut g);
    g
}

/// A Word list being gathered: its numId and its (level, ordered, text) items.
type OpenList = (String, Vec<(u32, bool, String)>);

/// The body from the 主送机关 on: headings, paragraphs, lists, tables.
fn body(doc: &Docx, blocks: &[Block], g: &mut Gongwen) -> String {
    let mut b = Body::new();
    let mut counters: HashMap<(String, u32), u32> = HashMap::new();
    let mut list: Option<OpenList> = None;
    let mut in_attachments = false;
    let flush_list = |b: &mut Body, list: &mut Option<OpenList>| {
        if let Some((_, items)) = list.take() {
            b.push_raw(&nested_list(&items));
        }
    };
    for block in blocks {
        match block {
            Block::Table(rows) => {
                flush_list(&mut b, &mut list);
                b.table(&table_cells(rows));
            }
            Block::Para(p) => {
                let mut text = collapse(&p.text.replace('\n', " "));
                // Word numbering: a real list, or a 公文 heading counted in Chinese.
                if let Some(num) = &p.num {
                    if let Some(ordered) = doc.list_kind(num) {
                        if !text.is_empty() {
                            match &mut list {
                                Some((id, items)) if *id == num.0 => {
                                    items.push((num.1, ordered, text))
                                }
                                _ => {
                                    flush_list(&mut b, &mut list);
                                    list = Some((num.0.clone(), vec![(num.1, ordered, text)]));
                                }
                            }
                        }
                        continue;
                    }
                    if let Some(level) =
                        doc.levels.get(num).filter(|l| is_chinese_format(&l.format))
                    {
                        let n = counters.entry(num.clone()).or_insert(0);
                        *n += 1;
                        // Deeper levels restart when a higher one advances.
                        let key = num.clone();
                        counters.retain(|k, _| !(k.0 == key.0 && k.1 > key.1));
                        text = format!(
                            "{}{text}",
                            chinese_label(level, *counters.get(&key).unwrap_or(&1))
                        );
                    }
                }
                flush_list(&mut b, &mut list);
                if text.is_empty() {
                    continue;
                }
                if let Some(idx) = index_no_line(&text) {
                    g.index_no = Some(idx);
                    continue;
                }
                if text.starts_with("附件：") || text.starts_with("附件:") {
                    in_attachments = true;
                    let first = text
                        .trim_start_matches("附件")
                        .trim_start_matches(['：', ':']);
                    push_attachment_name(&mut g.attachment_names, first);
                    b.paragraph(&text);
                    continue;
                }
                if in_attachments {
                    let numbered = text.chars().next().is_some_and(|c| c.is_ascii_digit());
                    if numbered && text.chars().count() <= 60 && is_date_line(&text).is_none() {
                        push_attachment_name(&mut g.attachment_names, &text);
                        b.paragraph(&text);
                        continue;
                    }
                    in_attachments = false;
                }
                let style_level = p
                    .style
                    .as_deref()
                    .and_then(|s| {
                        s.strip_prefix("Heading")
                            .or_else(|| s.strip_prefix("heading"))
                    })
                    .and_then(|n| n.trim().parse::<u8>().ok())
                    .map(|n| (n + 1).clamp(2, 6));
                match style_level.or_else(|| heading_level(&text)) {
                    Some(level) if text.chars().count() <= 40 => b.heading(level, &text),
                    _ => b.paragraph(&text),
                }
            }
        }
    }
    flush_list(&mut b, &mut list);
    b.into_html()
}

fn push_attachment_name(names: &mut Vec<String>, line: &str) {
    let t = trim(line);
    // `1.活动安排表` → `活动安排表`.
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    let rest: String = t.chars().skip(digits).collect();
    let name = if digits > 0 {
        rest.trim_start_matches(['.', '．', '、']).to_owned()
    } else {
        t.to_owned()
    };
    if !name.is_empty() {
        names.push(name);
    }
}

fn index_no_line(text: &str) -> Option<String> {
    let t = squeeze(text);
    let rest = t.strip_prefix("索引号")?.trim_start_matches([':', '：']);
    (!rest.is_empty() && rest.len() < 40).then(|| crate::text::half_width(rest))
}

/// Nested `<ol>`/`<ul>` from (level, ordered, text) items: a deeper item
/// opens a list inside the item above it.
fn nested_list(items: &[(u32, bool, String)]) -> String {
    let esc = gongkai_core::sanitize::escape_html;
    let tag = |ordered: bool| if ordered { "ol" } else { "ul" };
    let mut html = String::new();
    // Open lists, innermost last; each with whether its last <li> is open.
    let mut stack: Vec<(&str, bool)> = Vec::new();
    for (level, ordered, text) in items {
        let depth = *level as usize + 1;
        while stack.len() > depth {
            let (t, li) = stack.pop().expect("non-empty");
            if li {
                html.push_str("</li>");
            }
            html.push_str(&format!("</{t}>"));
        }
        while stack.len() < depth {
            let t = tag(*ordered);
            html.push_str(&format!("<{t}>"));
            stack.push((t, false));
        }
        let top = stack.last_mut().expect("depth >= 1");
        if top.1 {
            html.push_str("</li>");
        }
        html.push_str(&format!("<li>{}", esc(text)));
        top.1 = true;
    }
    while let Some((t, li)) = stack.pop() {
        if li {
            html.push_str("</li>");
        }
        html.push_str(&format!("</{t}>"));
    }
    html
}

/// A Word table's rows as HTML cells: vertical merges become `rowspan`.
fn table_cells(rows: &[Vec<TableCell>]) -> Vec<Vec<Cell>> {
    // Grid column of each cell, so that a continuation finds its start above.
    let mut out: Vec<Vec<Cell>> = Vec::new();
    let mut starts: HashMap<u32, (usize, usize)> = HashMap::new();
    for (r, row) in rows.iter().enumerate() {
        let mut cells = Vec::new();
        let mut col = 0u32;
        for c in row {
            match c.vmerge {
                Some(false) => {
                    if let Some(&(sr, sc)) = starts.get(&col) {
                        let start: &mut Cell = &mut out[sr][sc];
                        start.rowspan += 1;
                    }
                }
                _ => {
                    if c.vmerge == Some(true) {
                        starts.insert(col, (r, cells.len()));
                    } else {
                        starts.remove(&col);
                    }
                    cells.push(Cell {
                        paragraphs: c.paragraphs.clone(),
                        colspan: c.span,
                        rowspan: 1,
                        header: c.heading && r == 0,
                    });
                }
            }
            col += c.span;
        }
        out.push(cells);
    }
    // A header row is a first row whose cells are all headings.
    if out.first().is_some_and(|r| !r.iter().all(|c| c.header)) {
        for c in &mut out[0] {
            c.header = false;
        }
    }
    out
}

/// Exposed for tests of the heading rules.
pub fn para_text(p: &Para) -> String {
    collapse(&p.text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docx::Level;

    fn p(text: &str) -> Block {
        Block::Para(Para {
            text: text.into(),
            ..Default::default()
        })
    }
    fn centred(text: &str) -> Block {
        Block::Para(Para {
            text: text.into(),
            align: Align::Center,
            ..Default::default()
        })
    }
    fn right(text: &str) -> Block {
        Block::Para(Para {
            text: text.into(),
            align: Align::Right,
            ..Default::default()
        })
    }

    #[test]
    fn doc_numbers_in_the_wild() {
        for (line, want) in [
            ("武科发〔2023〕12号", Some("武科发〔2023〕12号")),
            ("武科发[2023]12号", Some("武科发[2023]12号")),
            (
                "武科发【2023】12号     签发人：张三",
                Some("武科发【2023】12号"),
            ),
            ("天政办发（2024）3号", Some("天政办发（2024）3号")),
            ("关于2023年工作的通知", None),
            ("2023年12号", None),
        ] {
            assert_eq!(find_doc_no(line).as_deref(), want, "{line}");
        }
        assert_eq!(
            signer_of("武科发【2023】12号   签发人：张　三").as_deref(),
            Some("张三")
        );
    }

    #[test]
    fn heading_rules() {
        assert_eq!(heading_level("一、活动时间"), Some(2));
        assert_eq!(heading_level("十二、其他"), Some(2));
        assert_eq!(heading_level("（一）集中示范活动"), Some(3));
        assert_eq!(heading_level("(二)分散活动"), Some(3));
        assert_eq!(heading_level("1.科普讲座"), Some(4));
        assert_eq!(heading_level("（1）讲座安排"), Some(5));
        assert_eq!(heading_level("1.5万元用于"), None);
        assert_eq!(
            heading_level("1.开展设施蔬菜种植技术指导。"),
            None,
            "a sentence, not a heading"
        );
        assert_eq!(
            heading_level("一、高新技术企业认定。符合条件的企业按照省科技厅统一安排进行网上申报。"),
            None
        );
        assert_eq!(heading_level("为深入实施创新驱动发展战略"), None);
    }

    #[test]
    fn reads_a_gongwen() {
        let mut mark = Para {
            text: "武山县科学技术局文件".into(),
            align: Align::Center,
            red: true,
            size: 72,
            ..Default::default()
        };
        let doc = Docx {
            blocks: vec![
                p("000123"),
                p("特急"),
                Block::Para(std::mem::take(&mut mark)),
                centred("武科发〔2023〕12号"),
                p(""),
                centred("武山县科学技术局关于开展"),
                centred("2023年科技活动周的通知"),
                p("各乡镇人民政府，县直有关部门："),
                p("为深入实施创新驱动发展战略，现将有关事项通知如下。"),
                p("一、活动时间"),
                p("（一）集中示范活动"),
                Block::Table(vec![
                    vec![
                        TableCell {
                            paragraphs: vec!["序号".into()],
                            span: 1,
                            vmerge: None,
                            heading: true,
                        },
                        TableCell {
                            paragraphs: vec!["活动".into()],
                            span: 1,
                            vmerge: None,
                            heading: true,
                        },
                    ],
                    vec![
                        TableCell {
                            paragraphs: vec!["1".into()],
                            span: 1,
                            vmerge: None,
                            heading: false,
                        },
                        TableCell {
                            paragraphs: vec!["科普讲座".into()],
                            span: 1,
                            vmerge: None,
                            heading: false,
                        },
                    ],
                ]),
                p("附件：1.活动安排表"),
                p("2.报名表"),
                right("武山县科学技术局"),
                right("2023年7月14日"),
                p("（此件公开发布）"),
                p("抄送：县委办，县政府办。"),
            ],
            ..Default::default()
        };
        let g = read(&doc);
        assert_eq!(g.issuer.as_deref(), Some("武山县科学技术局"));
        assert_eq!(g.doc_no.as_deref(), Some("武科发〔2023〕12号"));
        assert_eq!(
            g.title.as_deref(),
            Some("武山县科学技术局关于开展2023年科技活动周的通知")
        );
        assert_eq!(g.addressee.as_deref(), Some("各乡镇人民政府，县直有关部门"));
        assert_eq!(g.attachment_names, ["活动安排表", "报名表"]);
        assert_eq!(g.signature.as_deref(), Some("武山县科学技术局"));
        assert_eq!(
            g.written.as_ref().map(When::plain).as_deref(),
            Some("2023-07-14")
        );
        assert_eq!(
            g.body,
            "<p>各乡镇人民政府，县直有关部门：</p><p>为深入实施创新驱动发展战略，现将有关事项通知如下。</p><h2>一、活动时间</h2><h3>（一）集中示范活动</h3><table><thead><tr><th>序号</th><th>活动</th></tr></thead><tbody><tr><td>1</td><td>科普讲座</td></tr></tbody></table><p>附件：1.活动安排表</p><p>2.报名表</p><p>武山县科学技术局</p><p>2023年7月14日</p><p>（此件公开发布）</p><p>抄送：县委办，县政府办。</p>"
        );
    }

    #[test]
    fn word_numbering_lists_and_chinese_headings() {
        let mut levels = HashMap::new();
        levels.insert(
            ("1".to_owned(), 0),
            Level {
                format: "decimal".into(),
                text: "%1.".into(),
            },
        );
        levels.insert(
            ("1".to_owned(), 1),
            Level {
                format: "bullet".into(),
                text: "".into(),
            },
        );
        levels.insert(
            ("2".to_owned(), 0),
            Level {
                format: "chineseCounting".into(),
                text: "%1、".into(),
            },
        );
        let num = |id: &str, l: u32, t: &str| {
            Block::Para(Para {
                text: t.into(),
                num: Some((id.into(), l)),
                ..Default::default()
            })
        };
        let doc = Docx {
            blocks: vec![
                centred("关于印发方案的通知"),
                num("2", 0, "工作目标"),
                num("1", 0, "第一项"),
                num("1", 1, "细项"),
                num("1", 0, "第二项"),
                num("2", 0, "保障措施"),
            ],
            levels,
            ..Default::default()
        };
        let g = read(&doc);
        assert_eq!(g.title.as_deref(), Some("关于印发方案的通知"));
        assert_eq!(
            g.body,
            "<h2>一、工作目标</h2><ol><li>第一项<ul><li>细项</li></ul></li><li>第二项</li></ol><h2>二、保障措施</h2>"
        );
        assert!(gongkai_core::sanitize::sanitize(&g.body).is_clean());
    }

    #[test]
    fn vertical_merges_become_rowspans() {
        let cell = |t: &str, v: Option<bool>| TableCell {
            paragraphs: if t.is_empty() { vec![] } else { vec![t.into()] },
            span: 1,
            vmerge: v,
            heading: false,
        };
        let cells = table_cells(&[
            vec![cell("甲", Some(true)), cell("1", None)],
            vec![cell("", Some(false)), cell("2", None)],
            vec![cell("乙", None), cell("3", None)],
        ]);
        let mut b = Body::new();
        b.table(&cells);
        assert_eq!(
            b.html(),
            "<table><tbody><tr><td rowspan=\"2\">甲</td><td>1</td></tr><tr><td>2</td></tr><tr><td>乙</td><td>3</td></tr></tbody></table>"
        );
    }
}
