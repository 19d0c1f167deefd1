//! PDF: A4 pages laid out here, text in a subset of the CJK font.
//!
//! The font is embedded as a Type0 font with Identity-H encoding over a
//! CID-keyed CFF (or TrueType) subset holding only the glyphs the notice
//! uses, plus a ToUnicode CMap so that the text can be searched and copied.
//! Line breaking follows the basic Chinese rules: a line may break between
//! any two Han characters, never before closing punctuation (，。、；：？！）」』…
//! which hangs into the margin instead) and never after opening punctuation.

use crate::font::Font;
use crate::html::{Block, Cell};
use crate::notice::Notice;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::collections::{BTreeSet, HashMap};

const PAGE_W: f32 = 595.276;
const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 64.0;
const MARGIN_TOP: f32 = 64.0;
const MARGIN_BOTTOM: f32 = 80.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
const BODY: f32 = 12.0;

/// Characters that may not start a line.
const NO_START: &str = "，。、；：？！）」』】》〉”’…—·,.;:?!)]}%‰°～";
/// Characters that may not end a line.
const NO_END: &str = "（「『【《〈“‘([{";

#[derive(Clone, Copy)]
struct Glyph {
    c: char,
    gid: u16,
    /// Advance in font units.
    adv: u16,
}

struct TextLine {
    x: f32,
    y: f32,
    size: f32,
    glyphs: Vec<Glyph>,
}

#[derive(Default)]
struct Page {
    text: Vec<TextLine>,
    /// Line segments: x1, y1, x2, y2, width.
    rules: Vec<[f32; 5]>,
}

/// What writing one PDF found.
#[derive(Debug, Default)]
pub struct PdfInfo {
    /// Characters the font has no glyph for (shown as the empty box).
    pub missing: BTreeSet<char>,
    /// Number of pages.
    pub pages: usize,
}

struct Layout<'f> {
    face: ttf_parser::Face<'f>,
    upem: f32,
    cache: HashMap<char, Glyph>,
    missing: BTreeSet<char>,
    pages: Vec<Page>,
    y: f32,
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '.' | '-' | '_' | '/' | ':' | '@' | '%' | '&' | '=' | '?' | '#' | '+' | '~'
        )
}

impl<'f> Layout<'f> {
    fn new(font: &'f Font) -> Self {
        let face = font.face();
        let upem = f32::from(face.units_per_em());
        let mut l = Layout {
            face,
            upem,
            cache: HashMap::new(),
            missing: BTreeSet::new(),
            pages: Vec::new(),
            y: 0.0,
        };
        l.new_page();
        l
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = PAGE_H - MARGIN_TOP;
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("one page at least")
    }

    fn glyph(&mut self, c: char) -> Glyph {
        if let Some(g) = self.cache.get(&c) {
            return *g;
        }
        let shown = match c {
            '\u{a0}' | '\u{3000}' if c == '\u{a0}' => ' ',
            '\t' => ' ',
            c => c,
        };
        let gid = self.face.glyph_index(shown).map(|g| g.0);
        if gid.is_none() && !c.is_control() {
            self.missing.insert(c);
        }
        let gid = gid.unwrap_or(0);
        let adv = self
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(gid))
            .unwrap_or(self.face.units_per_em());
        let g = Glyph { c: shown, gid, adv };
        self.cache.insert(c, g);
        g
    }

    fn width(&self, gs: &[Glyph], size: f32) -> f32 {
        gs.iter().map(|g| f32::from(g.adv)).sum::<f32>() * size / self.upem
    }

    /// Breaks `text` into lines: the first `first_w` wide, the rest `rest_w`.
    fn wrap(&mut self, text: &str, size: f32, first_w: f32, rest_w: f32) -> Vec<Vec<Glyph>> {
        let mut units: Vec<Vec<Glyph>> = Vec::new();
        let mut prev_word = false;
        for c in text.chars().filter(|c| !c.is_control() || *c == '\t') {
            let g = self.glyph(c);
            let word = is_word_char(c);
            match units.last_mut() {
                Some(u) if word && prev_word => u.push(g),
                _ => units.push(vec![g]),
            }
            prev_word = word;
        }
        let mut lines = Vec::new();
        let mut cur: Vec<Glyph> = Vec::new();
        let mut cur_w = 0.0;
        let max = |lines: &Vec<Vec<Glyph>>| if lines.is_empty() { first_w } else { rest_w };
        for unit in units {
            let w = self.width(&unit, size);
            let is_space = unit.len() == 1 && unit[0].c == ' ';
            if cur_w + w > max(&lines) && !cur.is_empty() {
                if unit.len() == 1 && NO_START.contains(unit[0].c) {
                    // Hanging punctuation: it stays with the text before it.
                    cur_w += w;
                    cur.extend(unit);
                    continue;
                }
                let mut carry = Vec::new();
                while cur.len() > 1 && cur.last().is_some_and(|g| NO_END.contains(g.c)) {
                    carry.insert(0, cur.pop().expect("checked"));
                }
                while cur.last().is_some_and(|g| g.c == ' ') {
                    cur.pop();
                }
                lines.push(std::mem::take(&mut cur));
                cur = carry;
                cur_w = self.width(&cur, size);
                if is_space {
                    continue;
                }
            }
            if is_space && cur.is_empty() {
                continue;
            }
            if w > max(&lines) {
                // A word longer than the line (a URL): break it anywhere.
                for g in unit {
                    let gw = f32::from(g.adv) * size / self.upem;
                    if cur_w + gw > max(&lines) && !cur.is_empty() {
                        lines.push(std::mem::take(&mut cur));
                        cur_w = 0.0;
                    }
                    cur.push(g);
                    cur_w += gw;
                }
                continue;
            }
            cur.extend(unit);
            cur_w += w;
        }
        if !cur.is_empty() || lines.is_empty() {
            lines.push(cur);
        }
        lines
    }

    /// Makes room for `h` points, starting a page if needed.
    fn need(&mut self, h: f32) {
        if self.y - h < MARGIN_BOTTOM && self.y < PAGE_H - MARGIN_TOP - 0.1 {
            self.new_page();
        }
    }

    /// Text lines at `x` (first line at `x_first`), advancing the cursor.
    fn lines(
        &mut self,
        lines: Vec<Vec<Glyph>>,
        size: f32,
        lead: f32,
        x_first: f32,
        x: f32,
        center: bool,
    ) {
        for (i, glyphs) in lines.into_iter().enumerate() {
            self.need(lead);
            let mut lx = if i == 0 { x_first } else { x };
            if center {
                lx = MARGIN_X + (CONTENT_W - self.width(&glyphs, size)).max(0.0) / 2.0;
            }
            let y = self.y - lead + (lead - size) / 2.0 + size * 0.12;
            self.page().text.push(TextLine {
                x: lx,
                y,
                size,
                glyphs,
            });
            self.y -= lead;
        }
    }

    fn paragraph(&mut self, text: &str, size: f32, indent_first: f32, indent: f32, after: f32) {
        let lines = self.wrap(text, size, CONTENT_W - indent_first, CONTENT_W - indent);
        self.lines(
            lines,
            size,
            size * 1.7,
            MARGIN_X + indent_first,
            MARGIN_X + indent,
            false,
        );
        self.y -= after;
    }

    fn meta(&mut self, meta: &[(String, String)]) {
        let size = 10.0;
        let lead = 16.0;
        let col = CONTENT_W / 2.0;
        self.need(lead + 6.0);
        let top = self.y;
        self.page()
            .rules
            .push([MARGIN_X, top, MARGIN_X + CONTENT_W, top, 0.5]);
        self.y -= 6.0;
        for pair in meta.chunks(2) {
            let cells: Vec<Vec<Vec<Glyph>>> = pair
                .iter()
                .map(|(l, v)| self.wrap(&format!("{l}：{v}"), size, col - 8.0, col - 8.0))
                .collect();
            let rows = cells.iter().map(Vec::len).max().unwrap_or(1);
            self.need(rows as f32 * lead);
            let y0 = self.y;
            for (i, lines) in cells.into_iter().enumerate() {
                self.y = y0;
                let x = MARGIN_X + i as f32 * col;
                self.lines(lines, size, lead, x, x, false);
            }
            self.y = y0 - rows as f32 * lead;
        }
        self.y -= 6.0;
        let y = self.y;
        self.page()
            .rules
            .push([MARGIN_X, y, MARGIN_X + CONTENT_W, y, 0.5]);
        self.y -= 14.0;
    }

    fn table(&mut self, rows: &[Vec<Cell>]) {
        let size = 10.0;
        let lead = 14.0;
        let pad = 4.0;
        let cols = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let cw = CONTENT_W / cols as f32;
        self.y -= 4.0;
        for row in rows {
            let mut cells: Vec<Vec<Vec<Glyph>>> = (0..cols)
                .map(|i| {
                    let text = row.get(i).map_or("", |c: &Cell| c.text.as_str());
                    text.split('\n')
                        .flat_map(|t| self.wrap(t, size, cw - 2.0 * pad, cw - 2.0 * pad))
                        .collect()
                })
                .collect();
            // A row taller than a page continues on the next one.
            loop {
                let n = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
                let fit = ((self.y - MARGIN_BOTTOM - 2.0 * pad) / lead)
                    .floor()
                    .max(0.0) as usize;
                if fit == 0 || (fit < n && fit < 3 && self.y < PAGE_H - MARGIN_TOP - 0.1) {
                    self.new_page();
                    continue;
                }
                let take = n.min(fit.max(1));
                let h = take as f32 * lead + 2.0 * pad;
                let top = self.y;
                let bottom = top - h;
                for (i, lines) in cells.iter_mut().enumerate() {
                    let x = MARGIN_X + i as f32 * cw + pad;
                    let part: Vec<_> = lines.drain(..take.min(lines.len())).collect();
                    self.y = top - pad;
                    self.lines(part, size, lead, x, x, false);
                }
                let page = self.page();
                page.rules
                    .push([MARGIN_X, top, MARGIN_X + CONTENT_W, top, 0.5]);
                page.rules
                    .push([MARGIN_X, bottom, MARGIN_X + CONTENT_W, bottom, 0.5]);
                for i in 0..=cols {
                    let x = MARGIN_X + i as f32 * cw;
                    page.rules.push([x, top, x, bottom, 0.5]);
                }
                self.y = bottom;
                if cells.iter().all(Vec::is_empty) {
                    break;
                }
                self.new_page();
            }
        }
        self.y -= 10.0;
    }

    fn notice(&mut self, n: &Notice) {
        let title = self.wrap(&n.title, 18.0, CONTENT_W, CONTENT_W);
        self.lines(title, 18.0, 28.0, MARGIN_X, MARGIN_X, true);
        self.y -= 10.0;
        if !n.meta.is_empty() {
            self.meta(&n.meta);
        }
        for b in &n.body {
            match b {
                Block::Heading(level, _) => {
                    let size = match level {
                        0..=2 => 15.0,
                        3 => 14.0,
                        _ => 13.0,
                    };
                    self.y -= 6.0;
                    self.need(size * 1.7 * 2.0);
                    self.paragraph(&b.text(), size, 0.0, 0.0, 4.0);
                }
                Block::Paragraph(_) => self.paragraph(&b.text(), BODY, 2.0 * BODY, 0.0, 6.0),
                Block::ListItem { marker, depth, .. } => {
                    let indent = 2.0 * BODY * f32::from(*depth);
                    let text = format!("{marker} {}", b.text());
                    self.paragraph(&text, BODY, indent, indent + 2.0 * BODY, 4.0);
                }
                Block::Table(rows) => self.table(rows),
                Block::Rule => {
                    self.need(12.0);
                    self.y -= 6.0;
                    let y = self.y;
                    self.page()
                        .rules
                        .push([MARGIN_X, y, MARGIN_X + CONTENT_W, y, 0.5]);
                    self.y -= 6.0;
                }
            }
        }
    }

    fn footers(&mut self, n: &Notice) {
        let total = self.pages.len();
        let url = n.url.clone().unwrap_or_default();
        for i in 0..total {
            let size = 9.0;
            let num = format!("第 {} 页 / 共 {total} 页", i + 1);
            let num_g: Vec<Glyph> = num.chars().map(|c| self.glyph(c)).collect();
            let num_w = self.width(&num_g, size);
            let site = self.wrap(&n.site_name, size, CONTENT_W - num_w - 12.0, CONTENT_W);
            let url_l = self.wrap(&url, size, CONTENT_W, CONTENT_W);
            let y = MARGIN_BOTTOM - 34.0;
            let page = &mut self.pages[i];
            page.rules
                .push([MARGIN_X, y + 14.0, MARGIN_X + CONTENT_W, y + 14.0, 0.3]);
            if let Some(l) = site.into_iter().next() {
                page.text.push(TextLine {
                    x: MARGIN_X,
                    y,
                    size,
                    glyphs: l,
                });
            }
            page.text.push(TextLine {
                x: MARGIN_X + CONTENT_W - num_w,
                y,
                size,
                glyphs: num_g,
            });
            if let Some(l) = url_l.into_iter().next().filter(|l| !l.is_empty()) {
                page.text.push(TextLine {
                    x: MARGIN_X,
                    y: y - 12.0,
                    size,
                    glyphs: l,
                });
            }
        }
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

/// The PDF of a notice. Never fails: a character the font lacks is drawn as
/// the font's empty box and reported in [`PdfInfo::missing`].
pub fn write(n: &Notice, font: &Font) -> Result<(Vec<u8>, PdfInfo), String> {
    let mut layout = Layout::new(font);
    layout.notice(n);
    layout.footers(n);
    let Layout {
        face,
        pages,
        missing,
        upem,
        ..
    } = layout;

    // Subset: new glyph ids in order of first use; CID = new glyph id.
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut to_unicode: Vec<(u16, char)> = Vec::new();
    for p in &pages {
        for l in &p.text {
            for g in &l.glyphs {
                if remapper.get(g.gid).is_none() {
                    let cid = remapper.remap(g.gid);
                    if g.gid != 0 {
                        to_unicode.push((cid, g.c));
                    }
                }
            }
        }
    }
    let (data, index) = font.data();
    let sub = subsetter::subset(data, index, &remapper)
        .map_err(|e| format!("subsetting the font: {e:?}"))?;
    let raw =
        ttf_parser::RawFace::parse(&sub, 0).map_err(|e| format!("reading the subset: {e}"))?;
    let cff = raw.table(ttf_parser::Tag::from_bytes(b"CFF "));

    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog = alloc();
    let pages_id = alloc();
    let info_id = alloc();
    let type0 = alloc();
    let cid_id = alloc();
    let descr = alloc();
    let file = alloc();
    let cmap_id = alloc();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();

    pdf.catalog(catalog).pages(pages_id).lang(TextStr(n.lang));
    pdf.pages(pages_id)
        .kids(page_ids.iter().map(|p| p.0))
        .count(pages.len() as i32);
    pdf.document_info(info_id)
        .title(TextStr(&n.title))
        .author(TextStr(&n.site_name))
        .producer(TextStr("gongkai"));

    // Subset tag: six capitals derived from the glyph set.
    let mut h: u32 = 2166136261;
    for g in remapper.remapped_gids() {
        h = (h ^ u32::from(g)).wrapping_mul(16777619);
    }
    let tag: String = (0..6)
        .map(|i| (b'A' + ((h >> (i * 5)) % 26) as u8) as char)
        .collect();
    let base = format!("{tag}+{}", font.postscript_name);
    let scale = |v: i16| f32::from(v) * 1000.0 / upem;

    pdf.type0_font(type0)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);
    let system_info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    let mut widths = vec![0.0f32; usize::from(remapper.num_gids())];
    for old in remapper.remapped_gids() {
        let new = remapper.get(old).expect("remapped");
        let adv = face
            .glyph_hor_advance(ttf_parser::GlyphId(old))
            .unwrap_or(0);
        widths[usize::from(new)] = f32::from(adv) * 1000.0 / upem;
    }
    {
        let mut cid = pdf.cid_font(cid_id);
        cid.subtype(if cff.is_some() {
            CidFontType::Type0
        } else {
            CidFontType::Type2
        })
        .base_font(Name(base.as_bytes()))
        .system_info(system_info)
        .font_descriptor(descr)
        .default_width(1000.0);
        if cff.is_none() {
            cid.cid_to_gid_map_predefined(Name(b"Identity"));
        }
        cid.widths().consecutive(0, widths.iter().copied());
    }
    let bbox = face.global_bounding_box();
    pdf.font_descriptor(descr)
        .name(Name(base.as_bytes()))
        .flags(FontFlags::SYMBOLIC)
        .bbox(Rect::new(
            scale(bbox.x_min),
            scale(bbox.y_min),
            scale(bbox.x_max),
            scale(bbox.y_max),
        ))
        .italic_angle(0.0)
        .ascent(scale(face.ascender()))
        .descent(scale(face.descender()))
        .cap_height(scale(face.capital_height().unwrap_or(face.ascender())))
        .stem_v(80.0)
        .font_file3_or_2(cff.is_some(), file);
    match cff {
        Some(cff) => {
            let data = deflate(cff);
            pdf.stream(file, &data)
                .filter(Filter::FlateDecode)
                .pair(Name(b"Subtype"), Name(b"CIDFontType0C"));
        }
        None => {
            let data = deflate(&sub);
            pdf.stream(file, &data).filter(Filter::FlateDecode);
        }
    }
    let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info);
    for (cid, c) in &to_unicode {
        cmap.pair(*cid, *c);
    }
    let cmap = deflate(&cmap.finish());
    pdf.cmap(cmap_id, &cmap).filter(Filter::FlateDecode);

    for (p, (page_id, content_id)) in pages.iter().zip(&page_ids) {
        let mut c = Content::new();
        if !p.rules.is_empty() {
            c.set_stroke_gray(0.4);
            for [x1, y1, x2, y2, w] in &p.rules {
                c.set_line_width(*w);
                c.move_to(*x1, *y1);
                c.line_to(*x2, *y2);
                c.stroke();
            }
        }
        c.begin_text();
        let mut size = 0.0;
        let mut bytes = Vec::new();
        for l in &p.text {
            if l.glyphs.is_empty() {
                continue;
            }
            if l.size != size {
                c.set_font(Name(b"F1"), l.size);
                size = l.size;
            }
            c.set_text_matrix([1.0, 0.0, 0.0, 1.0, l.x, l.y]);
            bytes.clear();
            for g in &l.glyphs {
                let cid = remapper.get(g.gid).unwrap_or(0);
                bytes.extend_from_slice(&cid.to_be_bytes());
            }
            c.show(Str(&bytes));
        }
        c.end_text();
        let stream = deflate(&c.finish());
        pdf.stream(*content_id, &stream).filter(Filter::FlateDecode);
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .parent(pages_id)
            .contents(*content_id);
        page.resources().fonts().pair(Name(b"F1"), type0);
        page.finish();
    }
    let info = PdfInfo {
        missing,
        pages: pages.len(),
    };
    Ok((pdf.finish(), info))
}

trait FontFileExt {
    fn font_file3_or_2(&mut self, cff: bool, id: Ref) -> &mut Self;
}

impl FontFileExt for pdf_writer::writers::FontDescriptor<'_> {
    fn font_file3_or_2(&mut self, cff: bool, id: Ref) -> &mut Self {
        if cff {
            self.font_file3(id)
        } else {
            self.font_file2(id)
        }
    }
}
