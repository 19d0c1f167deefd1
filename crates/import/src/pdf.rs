//! PDF bodies: the text layer, as paragraphs.
//!
//! The text comes from `pdf-extract` (pure Rust; it reads CJK fonts through
//! their ToUnicode maps, as LibreOffice and Word write them). It can panic on
//! a damaged file, so [`text`] catches that; where panics abort the process
//! (the release profile), the CLI runs the extraction in a child process.
//! A PDF without a text layer (a scan) is refused with that reason.

use crate::gongwen::heading_level;
use crate::html::Body;
use crate::text::{cjk_count, close_cjk_gaps, join_lines, trim};

/// The text of a PDF, or why there is none.
pub fn text(bytes: &[u8]) -> Result<String, String> {
    if !bytes.starts_with(b"%PDF") {
        return Err("not a PDF file (no %PDF header)".to_owned());
    }
    let result = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes));
    match result {
        Ok(Ok(t)) => Ok(t),
        Ok(Err(e)) => Err(format!("cannot read the PDF: {e}")),
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("the PDF reader failed");
            Err(format!("cannot read the PDF: {why}"))
        }
    }
}

/// A page number line: `1`, `- 2 -`, `— 3 —`, `第4页`.
fn is_page_number(line: &str) -> bool {
    let t: String = line
        .chars()
        .filter(|c| !matches!(c, '-' | '—' | '–' | ' ' | '第' | '页' | '共' | '/'))
        .collect();
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) && t.len() <= 4
}

/// The text of a PDF as a body: lines joined into paragraphs (a line that
/// fills the width continues; a short one or one ending a sentence ends the
/// paragraph), page numbers dropped, headings 一、（一） kept as headings.
pub fn body(text: &str) -> Result<String, String> {
    let lines: Vec<String> = text
        .lines()
        .map(|l| close_cjk_gaps(trim(l)))
        .filter(|l| !is_page_number(l))
        .collect();
    if lines
        .iter()
        .map(|l| cjk_count(l) + l.len() / 3)
        .sum::<usize>()
        < 4
    {
        return Err(
            "the PDF has no text layer (a scan?): give the body as .docx, .html or .txt".to_owned(),
        );
    }
    let width = |l: &str| {
        l.chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum::<usize>()
    };
    let mut widths: Vec<usize> = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| width(l))
        .collect();
    widths.sort_unstable();
    let full = widths.get(widths.len() * 9 / 10).copied().unwrap_or(0);
    let mut b = Body::new();
    let mut para: Vec<&str> = Vec::new();
    let flush = |b: &mut Body, para: &mut Vec<&str>| {
        if para.is_empty() {
            return;
        }
        let text = join_lines(para);
        match heading_level(&text) {
            Some(level) => b.heading(level, &text),
            None => b.paragraph(&text),
        }
        para.clear();
    };
    for line in &lines {
        if line.is_empty() {
            continue;
        }
        // A heading line starts a paragraph of its own.
        if heading_level(line).is_some() && !para.is_empty() {
            flush(&mut b, &mut para);
        }
        para.push(line);
        let ends = line.ends_with(['。', '！', '？', '：', '；', ':']);
        if ends || width(line) * 100 < full * 85 || heading_level(line).is_some() {
            flush(&mut b, &mut para);
        }
    }
    flush(&mut b, &mut para);
    Ok(b.into_html())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_paragraphs() {
        let text = "武科发〔2023〕12 号\n\n关于开展 2023 年科技活动周的通知\n\n一、活动时间\n\n为深入实施创新驱动发展战略，现将有关\n事项通知如下，请各单位认真组织实施并\n按时报送。\n\n- 1 -\n\n附件：1.活动安排表\n";
        let html = body(text).unwrap();
        assert_eq!(
            html,
            "<p>武科发〔2023〕12号</p><p>关于开展2023年科技活动周的通知</p><h2>一、活动时间</h2><p>为深入实施创新驱动发展战略，现将有关事项通知如下，请各单位认真组织实施并按时报送。</p><p>附件：1.活动安排表</p>"
        );
    }

    #[test]
    fn no_text_layer() {
        assert!(body("\n\n \n").unwrap_err().contains("no text layer"));
        assert!(text(b"GIF89a").unwrap_err().contains("not a PDF"));
        let e = text(b"%PDF-1.4\n%garbage").unwrap_err();
        assert!(e.starts_with("cannot read the PDF"), "{e}");
    }
}
