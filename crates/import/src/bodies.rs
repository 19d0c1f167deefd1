//! Bodies from files: a `--bodies DIR` indexed by file name, and the
//! reading of one body file (`.docx`, `.doc`/`.wps` through LibreOffice,
//! `.html`/`.htm`, `.txt`, `.pdf`) into clean HTML.

use crate::gongwen::{self, Gongwen};
use crate::text::{decode, half_width, squeeze};
use crate::{docx, html, page, pdf};
use gongkai_core::feed::Attachment;
use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// Body file extensions, in the order preferred when one notice has several.
pub const BODY_EXTENSIONS: &[&str] = &["docx", "doc", "wps", "html", "htm", "pdf", "txt"];

/// How PDF text is extracted: in this process, or by a helper that isolates
/// a crash (the CLI's child process). Takes the file and its bytes.
pub type PdfText = dyn Fn(&Path, &[u8]) -> Result<String, String> + Sync;

/// Where embedded images go: written into `dir`, attached as `url` + name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaDir {
    /// Directory to write images into.
    pub dir: PathBuf,
    /// Public URL of that directory, ending in `/`.
    pub url: String,
}

/// How bodies are read.
pub struct Loader<'a> {
    /// PDF text extraction.
    pub pdf: &'a PdfText,
    /// Where a .docx's images go; `None` drops them with a note.
    pub media: Option<&'a MediaDir>,
    /// LibreOffice for .doc/.wps, when installed.
    pub soffice: Option<PathBuf>,
}

/// The in-process PDF extraction ([`pdf::text`]).
pub fn pdf_in_process(_: &Path, bytes: &[u8]) -> Result<String, String> {
    pdf::text(bytes)
}

/// A body read from a file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Loaded {
    /// Clean HTML.
    pub html: String,
    /// The 公文 fields, for a .docx.
    pub gongwen: Option<Gongwen>,
    /// Embedded images written to the media directory.
    pub images: Vec<Attachment>,
    /// Remarks for the report.
    pub notes: Vec<String>,
}

/// The files of a `--bodies` directory, by name.
#[derive(Debug, Clone, Default)]
pub struct BodyIndex {
    /// The directory.
    pub dir: PathBuf,
    /// File stem (spaces removed, full-width made ASCII) → files.
    by_stem: HashMap<String, Vec<PathBuf>>,
    /// File name, and path relative to the directory → file.
    by_name: HashMap<String, PathBuf>,
    /// Number of body files found.
    pub count: usize,
}

impl BodyIndex {
    /// Walks `dir` (recursively) for body files.
    pub fn scan(dir: &Path) -> Result<BodyIndex, String> {
        let mut index = BodyIndex {
            dir: dir.to_owned(),
            ..Default::default()
        };
        let mut stack = vec![dir.to_owned()];
        while let Some(d) = stack.pop() {
            let entries = std::fs::read_dir(&d)
                .map_err(|e| format!("cannot read the bodies directory {}: {e}", d.display()))?;
            for entry in entries.flatten() {
                let path = entry.path();
                let Ok(ft) = entry.file_type() else { continue };
                if ft.is_dir() {
                    stack.push(path);
                    continue;
                }
                let Some(ext) = extension(&path) else {
                    continue;
                };
                if !BODY_EXTENSIONS.contains(&ext.as_str()) {
                    continue;
                }
                index.count += 1;
                if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                    index
                        .by_stem
                        .entry(key(stem))
                        .or_default()
                        .push(path.clone());
                }
                if let Some(name) = path.file_name().and_then(|s| s.to_str()) {
                    index.by_name.insert(key(name), path.clone());
                }
                if let Ok(rel) = path.strip_prefix(dir) {
                    index
                        .by_name
                        .insert(key(&rel.to_string_lossy()), path.clone());
                }
            }
        }
        for files in index.by_stem.values_mut() {
            files.sort_by_key(|p| {
                let ext = extension(p).unwrap_or_default();
                BODY_EXTENSIONS
                    .iter()
                    .position(|e| *e == ext)
                    .unwrap_or(usize::MAX)
            });
        }
        Ok(index)
    }

    /// The body file named in a row's file-name column: by name, by path
    /// under the directory, or by name without extension.
    pub fn by_file_name(&self, name: &str) -> Option<&Path> {
        let k = key(name);
        self.by_name
            .get(&k)
            .or_else(|| {
                let stem = Path::new(name)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .map(key)?;
                self.by_stem.get(&stem).and_then(|v| v.first())
            })
            .map(PathBuf::as_path)
    }

    /// The body file of a 索引号: named `kjj1-2023-00026.docx`,
    /// `kjj1_2023-00026.pdf`, or with the 索引号's own characters where the
    /// file system allows. The second value lists other files of that name.
    pub fn by_index_no(&self, index_no: &str) -> Option<(&Path, Vec<&Path>)> {
        let idx = key(index_no);
        for cand in [
            idx.replace('/', "-"),
            idx.replace('/', "_"),
            idx.replace('/', ""),
            idx.clone(),
        ] {
            if let Some(files) = self.by_stem.get(&cand) {
                let rest = files[1..].iter().map(PathBuf::as_path).collect();
                return Some((files[0].as_path(), rest));
            }
        }
        None
    }
}

fn key(s: &str) -> String {
    squeeze(&half_width(s)).to_lowercase()
}

/// A file's extension, lower case.
pub fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Where LibreOffice is, if installed (`soffice` or `libreoffice` on PATH).
pub fn find_soffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["soffice", "libreoffice"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Converts a .doc or .wps to .docx with LibreOffice into a fresh temporary
/// directory; returns the .docx's bytes.
pub fn convert_with_libreoffice(soffice: &Path, file: &Path) -> Result<Vec<u8>, String> {
    let tmp = std::env::temp_dir().join(format!(
        "gongkai-import-{}-{}",
        std::process::id(),
        fnv(file.to_string_lossy().as_bytes())
    ));
    std::fs::create_dir_all(&tmp).map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
    // A private profile: a second LibreOffice (or a desktop session) using
    // the default profile would make this one exit without converting.
    let profile = format!("-env:UserInstallation=file://{}/profile", tmp.display());
    let out = std::process::Command::new(soffice)
        .arg(&profile)
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
        ])
        .arg(&tmp)
        .arg(file)
        .output()
        .map_err(|e| format!("cannot run LibreOffice ({}): {e}", soffice.display()))?;
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let converted = tmp.join(format!("{stem}.docx"));
    let result = std::fs::read(&converted).map_err(|_| {
        format!(
            "LibreOffice could not convert it to .docx: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )
    });
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

/// 64-bit FNV-1a: names images by their content.
pub fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// MIME type by extension, for attachments and images.
pub fn mime_of(ext: &str) -> &'static str {
    match ext {
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "zip" => "application/zip",
        "rar" => "application/vnd.rar",
        "7z" => "application/x-7z-compressed",
        "wps" => "application/vnd.ms-works",
        "et" => "application/vnd.ms-excel",
        "ofd" => "application/ofd",
        "txt" => "text/plain",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "bmp" => "image/bmp",
        "emf" => "image/emf",
        "wmf" => "image/wmf",
        "tif" | "tiff" => "image/tiff",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
}

impl Loader<'_> {
    /// Reads a body file into clean HTML.
    pub fn load(&self, path: &Path) -> Result<Loaded, String> {
        let ext = extension(path).unwrap_or_default();
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if bytes.is_empty() {
            return Err("the file is empty".to_owned());
        }
        match ext.as_str() {
            "docx" => self.docx(&bytes),
            "doc" | "wps" => match &self.soffice {
                Some(soffice) => {
                    let docx = convert_with_libreoffice(soffice, path)?;
                    let mut loaded = self.docx(&docx)?;
                    loaded.notes.push(format!("converted from .{ext} with LibreOffice"));
                    Ok(loaded)
                }
                None => Err(format!(
                    "a .{ext} file needs LibreOffice to be converted, and it is not installed (Debian: apt-get install libreoffice-writer-nogui); or save it as .docx"
                )),
            },
            "html" | "htm" => {
                let (text, _) = page::decode_html(&bytes);
                let body = page::body_only(&text, None);
                if body.html.is_empty() {
                    return Err("the page has no text".to_owned());
                }
                Ok(Loaded {
                    html: body.html,
                    notes: body.notes,
                    ..Default::default()
                })
            }
            "txt" => {
                let (text, _) = decode(&bytes);
                let html = html::text_body(&text);
                if html.is_empty() {
                    return Err("the file has no text".to_owned());
                }
                Ok(Loaded {
                    html,
                    ..Default::default()
                })
            }
            "pdf" => {
                let text = (self.pdf)(path, &bytes)?;
                Ok(Loaded {
                    html: pdf::body(&text)?,
                    ..Default::default()
                })
            }
            other => Err(format!("unsupported body file type .{other}: use .docx, .doc, .wps, .html, .htm, .txt or .pdf")),
        }
    }

    /// A .docx body: its 公文 layout read, images written or dropped.
    pub fn docx(&self, bytes: &[u8]) -> Result<Loaded, String> {
        let doc = docx::read(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        let g = gongwen::read(&doc);
        let mut loaded = Loaded {
            html: g.body.clone(),
            ..Default::default()
        };
        let mut dropped = 0;
        for (n, id) in g.images.iter().enumerate() {
            match (doc.media.get(id), self.media) {
                (Some(m), Some(dir)) => {
                    let ext = extension(Path::new(&m.path)).unwrap_or_else(|| "bin".to_owned());
                    let name = format!("img-{:016x}.{ext}", fnv(&m.bytes));
                    std::fs::create_dir_all(&dir.dir)
                        .map_err(|e| format!("cannot create {}: {e}", dir.dir.display()))?;
                    let file = dir.dir.join(&name);
                    if !file.exists() {
                        std::fs::write(&file, &m.bytes)
                            .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
                    }
                    loaded.images.push(Attachment {
                        url: format!("{}{name}", dir.url),
                        mime_type: mime_of(&ext).to_owned(),
                        title: Some(format!("图{}", n + 1)),
                        size_in_bytes: Some(m.bytes.len() as u64),
                    });
                }
                (Some(_), None) => dropped += 1,
                (None, _) => loaded.notes.push(format!(
                    "image {} is linked outside the document ({}), not embedded: left out",
                    n + 1,
                    doc.linked.get(id).map_or("unknown target", String::as_str)
                )),
            }
        }
        if dropped > 0 {
            loaded.notes.push(format!(
                "{dropped} embedded image(s) left out: give --files DIR --files-url URL to keep them as attachments"
            ));
        }
        if loaded.html.is_empty() {
            return Err("the document has no text".to_owned());
        }
        loaded.gongwen = Some(g);
        Ok(loaded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_finds_bodies_by_index_no_and_name() {
        let dir = std::env::temp_dir().join(format!("gk-bodies-{}", std::process::id()));
        let sub = dir.join("2023");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(dir.join("kjj1-2023-00026.pdf"), b"x").unwrap();
        std::fs::write(dir.join("kjj1-2023-00026.docx"), b"x").unwrap();
        std::fs::write(sub.join("通知 正文.txt"), b"x").unwrap();
        std::fs::write(dir.join("notes.md"), b"x").unwrap();
        let idx = BodyIndex::scan(&dir).unwrap();
        assert_eq!(idx.count, 3);
        let (first, rest) = idx.by_index_no("kjj1/2023-00026").unwrap();
        assert_eq!(
            first,
            dir.join("kjj1-2023-00026.docx"),
            ".docx is preferred"
        );
        assert_eq!(rest, [dir.join("kjj1-2023-00026.pdf")]);
        assert_eq!(
            idx.by_index_no("ｋｊｊ１/2023-00026").unwrap().0,
            dir.join("kjj1-2023-00026.docx")
        );
        assert!(idx.by_index_no("kjj1/2023-00027").is_none());
        assert_eq!(
            idx.by_file_name("通知正文.txt"),
            Some(sub.join("通知 正文.txt").as_path())
        );
        assert_eq!(
            idx.by_file_name("2023/通知 正文.txt"),
            Some(sub.join("通知 正文.txt").as_path())
        );
        assert_eq!(
            idx.by_file_name("通知 正文"),
            Some(sub.join("通知 正文.txt").as_path())
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
