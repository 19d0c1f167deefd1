//! The HTML tokenizer's states that matter for elements: tags with their
//! attributes (quoted values may hold `>`), comments and other markup
//! declarations, raw text (`<script>`…), and text between tags.

/// A token, borrowing from the body.
pub(super) enum Token<'a> {
    /// `<name attrs>`; `at` is the byte offset of `<`.
    Start {
        at: usize,
        name: &'a str,
        attrs: &'a str,
        self_closing: bool,
    },
    /// `</name …>`.
    End { at: usize, name: &'a str },
    /// Character data starting at `at`; `blank`: only whitespace.
    Text { at: usize, blank: bool },
}

/// The tokens of a body, read one at a time.
pub(super) struct Tokens<'a> {
    /// The body.
    pub html: &'a str,
    /// Where the next token starts.
    pub pos: usize,
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

impl<'a> Tokens<'a> {
    /// The next token; markup declarations and stray `</…>` are skipped.
    pub fn next_token(&mut self) -> Option<Token<'a>> {
        let b = self.html.as_bytes();
        loop {
            if self.pos >= b.len() {
                return None;
            }
            if b[self.pos] != b'<' {
                let at = self.pos;
                self.pos = find(self.html, at, '<').unwrap_or(b.len());
                let blank = b[at..self.pos].iter().all(|&c| is_space(c));
                return Some(Token::Text { at, blank });
            }
            let at = self.pos;
            match b.get(at + 1) {
                Some(c) if c.is_ascii_alphabetic() => {
                    let (name, attrs, self_closing) = self.tag(at + 1)?;
                    return Some(Token::Start {
                        at,
                        name,
                        attrs,
                        self_closing,
                    });
                }
                Some(b'/') => match b.get(at + 2) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        let (name, _, _) = self.tag(at + 2)?;
                        return Some(Token::End { at, name });
                    }
                    Some(b'>') => self.pos = at + 3,
                    Some(_) => self.pos = find(self.html, at, '>').map_or(b.len(), |i| i + 1),
                    None => {
                        self.pos = b.len();
                        return Some(Token::Text { at, blank: false });
                    }
                },
                Some(b'!') if b[at..].starts_with(b"<!--") => {
                    // `<!-->` and `<!--->` are whole comments.
                    let body = at + 4;
                    self.pos = if b[body..].starts_with(b">") {
                        body + 1
                    } else if b[body..].starts_with(b"->") {
                        body + 2
                    } else {
                        find_str(self.html, body, "-->").map_or(b.len(), |i| i + 3)
                    };
                }
                Some(b'!' | b'?') => self.pos = find(self.html, at, '>').map_or(b.len(), |i| i + 1),
                _ => {
                    self.pos = at + 1;
                    return Some(Token::Text { at, blank: false });
                }
            }
        }
    }

    /// Reads a tag whose name starts at `start`: (name, attributes as
    /// written, self-closing). `None` at the end of input inside the tag (the
    /// tokenizer drops such a tag).
    fn tag(&mut self, start: usize) -> Option<(&'a str, &'a str, bool)> {
        let b = self.html.as_bytes();
        let mut i = start;
        while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        let name = &self.html[start..i];
        let attrs_start = i;
        let mut self_closing = false;
        loop {
            let Some(&c) = b.get(i) else {
                self.pos = b.len();
                return None;
            };
            match c {
                b'>' => break,
                b'/' => {
                    self_closing = b.get(i + 1) == Some(&b'>');
                    i += 1;
                    continue;
                }
                c if is_space(c) => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            // An attribute: its name (a leading `=` belongs to it), then an
            // optional value, quoted or not.
            i += 1;
            while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            if b.get(i) != Some(&b'=') {
                continue;
            }
            i += 1;
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    i = find(self.html, i + 1, char::from(q)).map_or(b.len(), |j| j + 1);
                }
                _ => {
                    while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                        i += 1;
                    }
                }
            }
        }
        self.pos = i + 1;
        Some((name, self.html[attrs_start..i].trim(), self_closing))
    }

    /// Skips the content of a raw-text element up to its end tag, which is
    /// left to be read next (`plaintext` has none: the rest is text).
    pub fn skip_raw_text(&mut self, name: &str) {
        let b = self.html.as_bytes();
        if name == "plaintext" {
            self.pos = b.len();
            return;
        }
        let mut i = self.pos;
        while let Some(lt) = find_str(self.html, i, "</") {
            let end = lt + 2 + name.len();
            if b.len() >= end
                && b[lt + 2..end].eq_ignore_ascii_case(name.as_bytes())
                && b.get(end)
                    .is_none_or(|&c| is_space(c) || c == b'/' || c == b'>')
            {
                self.pos = lt;
                return;
            }
            i = lt + 2;
        }
        self.pos = b.len();
    }
}

/// The first `needle` in `hay` from `from`.
/// The first `needle` in `hay` from `from` (std's memchr-based search: the
/// text between tags is most of a body). `from` is always just after an
/// ASCII byte, so on a character boundary.
fn find(hay: &str, from: usize, needle: char) -> Option<usize> {
    hay.get(from..)?.find(needle).map(|i| from + i)
}

/// [`find`] for a string.
fn find_str(hay: &str, from: usize, needle: &str) -> Option<usize> {
    hay.get(from..)?.find(needle).map(|i| from + i)
}
