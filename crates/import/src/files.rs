//! The old site's files (attachments, and the images and documents a body
//! links) moved to the new site, so that no link breaks when the old host
//! goes: each file the mirror holds is copied into the new site's files
//! folder under its old path (`/zwgk/202308/P02….docx` →
//! `files/zwgk/202308/P02….docx`), and the item's attachment URLs and body
//! links are rewritten to it. A file the mirror lacks is listed with its
//! page and keeps its old absolute URL; it is never dropped.

use crate::bodies::{extension, fnv, MediaDir};
use crate::page::ATTACHMENT_EXTENSIONS;
use crate::record::{Origin, Problem, Record};
use crate::text::percent_decode;
use gongkai_core::sanitize::escape_html;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use url::Url;

/// Image extensions whose files a body's `<img>` or link may point at.
pub const IMAGE_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "tif", "tiff",
];

/// What moving the files did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Moved {
    /// Files copied: old URL → new URL, in the order first met.
    pub copied: Vec<(String, String)>,
    /// Bytes copied.
    pub bytes: u64,
    /// Files linked but not in the mirror, each with its page: kept at the old URL.
    pub missing: Vec<Problem>,
}

/// The mirror's copy of `url`, if the mirror under `root` (saved from
/// `base`) holds it: the URL's path below the base, or the path with its
/// query as wget names such files (`download.jsp?id=1`; `@` for `?` in
/// its Windows mode).
pub fn in_mirror(url: &Url, root: &Path, base: &Url) -> Option<PathBuf> {
    if url.host_str() != base.host_str() {
        return None;
    }
    let rel = url
        .path()
        .strip_prefix(base.path())
        .or_else(|| url.path().strip_prefix('/'))?;
    let rel = safe_relative(&percent_decode(rel))?;
    let mut candidates = vec![root.join(&rel)];
    if let Some(q) = url.query() {
        let q = percent_decode(q);
        for sep in ['?', '@'] {
            candidates.insert(0, root.join(format!("{}{sep}{q}", rel.display())));
        }
    }
    candidates.into_iter().find(|p| p.is_file())
}

/// A relative path with only plain components (no `..`, no root).
fn safe_relative(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(rel);
    let plain = p.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && !rel.is_empty()).then_some(p)
}

/// Where a file of the old site goes under the files folder: its old path;
/// a URL with a query (`download.jsp?wbfileid=1`) gets a name of its own,
/// `download-<hash>.<ext>`, the extension from `name_hint` (the link's
/// text names the file).
fn new_path(url: &Url, name_hint: Option<&str>) -> Option<String> {
    let path = percent_decode(url.path().trim_start_matches('/'));
    safe_relative(&path)?;
    let Some(q) = url.query() else {
        return Some(path);
    };
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", &path));
    let stem = file.split('.').next().unwrap_or(file);
    let ext = name_hint
        .and_then(|n| extension(Path::new(n)))
        .or_else(|| extension(Path::new(file)))
        .unwrap_or_else(|| "bin".to_owned());
    let name = format!("{stem}-{:08x}.{ext}", fnv(q.as_bytes()) as u32);
    Some(if dir.is_empty() {
        name
    } else {
        format!("{dir}/{name}")
    })
}

/// A path made into a URL path: each segment percent-encoded.
fn url_path(rel: &str) -> String {
    let mut u = Url::parse("http://x/").expect("a valid URL");
    if let Ok(mut segs) = u.path_segments_mut() {
        segs.clear().extend(rel.split('/'));
    }
    u.path().trim_start_matches('/').to_owned()
}

/// Copies files and rewrites the links of one import's records.
struct Mover<'a> {
    root: &'a Path,
    base: &'a Url,
    dest: &'a MediaDir,
    /// Old URL → new URL (`None`: not in the mirror).
    done: HashMap<String, Option<String>>,
    moved: Moved,
}

impl Mover<'_> {
    /// The new URL of the old site's file at `url`, copying it the first
    /// time; `None` when the mirror lacks it (listed under `origin`).
    fn file(
        &mut self,
        url: &Url,
        name_hint: Option<&str>,
        origin: &Origin,
    ) -> Result<Option<String>, String> {
        let key = url.to_string();
        if let Some(known) = self.done.get(&key).cloned() {
            if known.is_none() {
                self.missing(origin, url, name_hint);
            }
            return Ok(known);
        }
        let found = in_mirror(url, self.root, self.base).zip(new_path(url, name_hint));
        let new = match found {
            Some((from, rel)) => {
                let to = self.dest.dir.join(&rel);
                if let Some(dir) = to.parent() {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                }
                let bytes = std::fs::copy(&from, &to).map_err(|e| {
                    format!("cannot copy {} to {}: {e}", from.display(), to.display())
                })?;
                let new = format!("{}{}", self.dest.url, url_path(&rel));
                self.moved.bytes += bytes;
                self.moved.copied.push((key.clone(), new.clone()));
                Some(new)
            }
            None => {
                self.missing(origin, url, name_hint);
                None
            }
        };
        self.done.insert(key, new.clone());
        Ok(new)
    }

    fn missing(&mut self, origin: &Origin, url: &Url, name: Option<&str>) {
        let what = name.map(|n| format!("{n:?} ")).unwrap_or_default();
        self.moved.missing.push(Problem {
            origin: origin.clone(),
            reason: format!("file {what}{url} is not in the mirror: kept at its old URL (save it into the mirror and import again, or copy it to the new site by hand)"),
        });
    }

    fn record(&mut self, r: &mut Record) -> Result<(), String> {
        let origin = r.origin.clone().unwrap_or_else(|| Origin::file(self.root));
        let page = r.old_url.as_deref().and_then(|u| Url::parse(u).ok());
        let mut by_old: HashMap<String, String> = HashMap::new();
        for a in &mut r.attachments {
            let Ok(old) = Url::parse(&a.url) else {
                continue;
            };
            if old.host_str() != self.base.host_str() {
                continue;
            }
            let new = self.file(&old, a.title.as_deref(), &origin)?;
            // A missing file keeps its old URL, which the body link gets too.
            let target = new.unwrap_or_else(|| old.to_string());
            by_old.insert(old.to_string(), target.clone());
            a.url = target;
        }
        if let Some(body) = r.body.take() {
            r.body = Some(self.body(&body, page.as_ref(), &by_old, &origin)?);
        }
        Ok(())
    }

    /// The body with the old site's file links (`href`, `src`) made the
    /// new ones. The body's own links to the old host are paths
    /// ([`crate::html::clean`]); pages among them are left to the
    /// redirect map.
    fn body(
        &mut self,
        body: &str,
        page: Option<&Url>,
        attachments: &HashMap<String, String>,
        origin: &Origin,
    ) -> Result<String, String> {
        let mut out = String::with_capacity(body.len());
        let mut rest = body;
        while let Some(i) = [" href=\"", " src=\""]
            .iter()
            .filter_map(|m| rest.find(m).map(|i| i + m.len()))
            .min()
        {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            let end = rest.find('"').unwrap_or(rest.len());
            let raw = &rest[..end];
            let value = unescape(raw);
            match self.link(&value, page, attachments, origin)? {
                Some(new) => out.push_str(&escape_html(&new)),
                None => out.push_str(raw),
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn link(
        &mut self,
        value: &str,
        page: Option<&Url>,
        attachments: &HashMap<String, String>,
        origin: &Origin,
    ) -> Result<Option<String>, String> {
        if !value.starts_with('/') || value.starts_with("//") {
            return Ok(None);
        }
        let Ok(old) = page.unwrap_or(self.base).join(value) else {
            return Ok(None);
        };
        let mut bare = old.clone();
        bare.set_fragment(None);
        if let Some(new) = attachments.get(bare.as_str()) {
            return Ok(Some(new.clone()));
        }
        let is_file = extension(Path::new(old.path())).is_some_and(|e| {
            ATTACHMENT_EXTENSIONS.contains(&e.as_str()) || IMAGE_EXTENSIONS.contains(&e.as_str())
        });
        if !is_file {
            return Ok(None);
        }
        Ok(Some(
            self.file(&bare, None, origin)?
                .unwrap_or_else(|| bare.to_string()),
        ))
    }
}

/// The inverse of [`escape_html`] for attribute values it wrote.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Copies the files the records link on the old site (`base`, mirrored
/// under `root`) into `dest`, and rewrites the records' attachment URLs
/// and body links to `dest`'s URL. Files of other hosts are left alone.
pub fn move_files(
    records: &mut [Record],
    root: &Path,
    base: &Url,
    dest: &MediaDir,
) -> Result<Moved, String> {
    let mut m = Mover {
        root,
        base,
        dest,
        done: HashMap::new(),
        moved: Moved::default(),
    };
    for r in records {
        m.record(r)?;
    }
    Ok(m.moved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::feed::Attachment;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("gk-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn new_paths_keep_the_old_path_and_name_query_urls() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert_eq!(
            new_path(&u("http://a.gov.cn/zwgk/%E9%80%9A%E7%9F%A5.pdf"), None).as_deref(),
            Some("zwgk/通知.pdf")
        );
        let q = new_path(
            &u("http://a.gov.cn/system/_content/download.jsp?wbfileid=1"),
            Some("名单.xlsx"),
        )
        .unwrap();
        assert!(
            q.starts_with("system/_content/download-") && q.ends_with(".xlsx"),
            "{q}"
        );
        assert_ne!(
            q,
            new_path(
                &u("http://a.gov.cn/system/_content/download.jsp?wbfileid=2"),
                Some("名单.xlsx")
            )
            .unwrap()
        );
        assert_eq!(
            url_path("zwgk/通知 1.pdf"),
            "zwgk/%E9%80%9A%E7%9F%A5%201.pdf"
        );
        assert_eq!(safe_relative("a/../b"), None);
    }

    #[test]
    fn copies_what_the_mirror_has_and_lists_the_rest() {
        let root = tmp("mirror");
        std::fs::create_dir_all(root.join("zwgk/202308")).unwrap();
        std::fs::write(root.join("zwgk/202308/a.docx"), b"docx bytes").unwrap();
        std::fs::create_dir_all(root.join("img")).unwrap();
        std::fs::write(root.join("img/1.png"), b"png").unwrap();
        std::fs::write(root.join("dl.jsp?id=7"), b"xlsx bytes").unwrap();
        let out = tmp("site");
        let dest = MediaDir {
            dir: out.join("files"),
            url: "https://new.gov.cn/files/".into(),
        };
        let base = Url::parse("http://old.gov.cn/").unwrap();
        let att = |url: &str, title: &str| Attachment {
            url: url.into(),
            mime_type: "application/octet-stream".into(),
            title: Some(title.into()),
            size_in_bytes: None,
        };
        let mut recs = vec![Record {
            origin: Some(Origin::file("zwgk/202308/t1.html")),
            old_url: Some("http://old.gov.cn/zwgk/202308/t1.html".into()),
            body: Some(r#"<p><a href="/zwgk/202308/a.docx">办法</a><img src="/img/1.png" alt=""><img src="/img/2.png" alt=""><a href="/zwgk/">上级</a><a href="/dl.jsp?id=7&amp;x=1">x</a></p>"#.into()),
            attachments: vec![
                att("http://old.gov.cn/zwgk/202308/a.docx", "办法.docx"),
                att("http://old.gov.cn/gone.pdf", "旧.pdf"),
                att("http://old.gov.cn/dl.jsp?id=7", "名单.xlsx"),
                att("https://other.gov.cn/b.pdf", "别处.pdf"),
            ],
            ..Default::default()
        }];
        let moved = move_files(&mut recs, &root, &base, &dest).unwrap();
        let urls: Vec<&str> = recs[0].attachments.iter().map(|a| a.url.as_str()).collect();
        assert_eq!(urls[0], "https://new.gov.cn/files/zwgk/202308/a.docx");
        assert_eq!(urls[1], "http://old.gov.cn/gone.pdf", "kept at its old URL");
        assert!(
            urls[2].starts_with("https://new.gov.cn/files/dl-") && urls[2].ends_with(".xlsx"),
            "{urls:?}"
        );
        assert_eq!(
            urls[3], "https://other.gov.cn/b.pdf",
            "another host's file is left alone"
        );
        assert_eq!(
            std::fs::read(dest.dir.join("zwgk/202308/a.docx")).unwrap(),
            b"docx bytes"
        );
        assert_eq!(std::fs::read(dest.dir.join("img/1.png")).unwrap(), b"png");
        let body = recs[0].body.as_deref().unwrap();
        assert!(
            body.contains(r#"<a href="https://new.gov.cn/files/zwgk/202308/a.docx">"#),
            "{body}"
        );
        assert!(
            body.contains(r#"<img src="https://new.gov.cn/files/img/1.png""#),
            "{body}"
        );
        assert!(
            body.contains(r#"<img src="http://old.gov.cn/img/2.png""#),
            "a missing image keeps its old URL: {body}"
        );
        assert!(
            body.contains(r#"<a href="/zwgk/">"#),
            "pages are the redirect map's: {body}"
        );
        assert!(
            body.contains(r#"<a href="/dl.jsp?id=7&amp;x=1">"#),
            "{body}"
        );
        assert_eq!(moved.copied.len(), 3);
        assert_eq!(moved.bytes, 10 + 3 + 10);
        let missing: Vec<String> = moved.missing.iter().map(ToString::to_string).collect();
        assert_eq!(
            missing,
            [
                "zwgk/202308/t1.html: file \"旧.pdf\" http://old.gov.cn/gone.pdf is not in the mirror: kept at its old URL (save it into the mirror and import again, or copy it to the new site by hand)",
                "zwgk/202308/t1.html: file http://old.gov.cn/img/2.png is not in the mirror: kept at its old URL (save it into the mirror and import again, or copy it to the new site by hand)",
            ]
        );
        std::fs::remove_dir_all(&root).unwrap();
        std::fs::remove_dir_all(&out).unwrap();
    }
}
