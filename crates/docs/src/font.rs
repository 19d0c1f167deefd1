//! The CJK font embedded in the PDFs, loaded once per build.

use std::path::{Path, PathBuf};

/// Where Debian's `fonts-noto-cjk` puts Noto Sans CJK (a collection of the
/// SC, TC, HK, JP and KR faces, CFF outlines). `gongkai build --font` overrides it.
pub const DEFAULT_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// Why the font could not be used.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// The file could not be read (usually: not installed).
    #[error("cannot read the PDF font {path}: {source} (install Debian's fonts-noto-cjk or pass --font FILE)")]
    Read {
        /// The font file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not an OpenType font or collection this crate can use.
    #[error("{path} is not a usable OpenType font: {reason}")]
    Parse {
        /// The font file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// A font file and the face in it to use.
pub struct Font {
    data: Vec<u8>,
    index: u32,
    /// PostScript name of the face, e.g. `NotoSansCJKsc-Regular`.
    pub postscript_name: String,
    /// Identity of the file for caches: path, size and face.
    pub fingerprint: String,
}

impl std::fmt::Debug for Font {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Font")
            .field("postscript_name", &self.postscript_name)
            .field("index", &self.index)
            .field("bytes", &self.data.len())
            .finish()
    }
}

fn name_of(face: &ttf_parser::Face<'_>, id: u16) -> Option<String> {
    face.names()
        .into_iter()
        .filter(|n| n.name_id == id)
        .find_map(|n| n.to_string())
}

impl Font {
    /// Loads `path`. In a collection (`.ttc`) it picks the face whose
    /// family name contains `prefer` (`SC` for 简体, `TC` for 繁體), else the first.
    pub fn load(path: &Path, prefer: &str) -> Result<Font, FontError> {
        let data = std::fs::read(path).map_err(|source| FontError::Read {
            path: path.to_owned(),
            source,
        })?;
        Font::from_bytes(data, prefer).map_err(|reason| FontError::Parse {
            path: path.to_owned(),
            reason,
        })
    }

    /// A font from the bytes of a font file or collection.
    pub fn from_bytes(data: Vec<u8>, prefer: &str) -> Result<Font, String> {
        let count = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
        let mut chosen = None;
        for i in 0..count {
            let Ok(face) = ttf_parser::Face::parse(&data, i) else {
                continue;
            };
            let family = name_of(&face, ttf_parser::name_id::FAMILY).unwrap_or_default();
            let wanted = family
                .split_whitespace()
                .any(|w| w.eq_ignore_ascii_case(prefer));
            if chosen.is_none() || wanted {
                chosen = Some(i);
            }
            if wanted {
                break;
            }
        }
        let index = chosen.ok_or("no face could be parsed")?;
        let face = ttf_parser::Face::parse(&data, index).map_err(|e| e.to_string())?;
        if face
            .raw_face()
            .table(ttf_parser::Tag::from_bytes(b"CFF2"))
            .is_some()
        {
            return Err("CFF2 (variable) outlines cannot be subset".to_owned());
        }
        let postscript_name = name_of(&face, ttf_parser::name_id::POST_SCRIPT_NAME)
            .unwrap_or_else(|| "CJKFont".to_owned())
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let fingerprint = format!("{postscript_name}:{index}:{}", data.len());
        Ok(Font {
            data,
            index,
            postscript_name,
            fingerprint,
        })
    }

    /// The parsed face (parsing is cheap: nothing is copied).
    pub fn face(&self) -> ttf_parser::Face<'_> {
        ttf_parser::Face::parse(&self.data, self.index).expect("checked in from_bytes")
    }

    /// The font file's bytes and the face index, for subsetting.
    pub fn data(&self) -> (&[u8], u32) {
        (&self.data, self.index)
    }
}
