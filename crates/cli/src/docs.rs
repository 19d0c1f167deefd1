//! `gongkai build`'s 下载Word / 下载PDF step (crate `gongkai-docs`).

use crate::progress::Progress;
use gongkai_core::build::Bundle;
use gongkai_core::publish::Publication;
use gongkai_docs::{write_documents, DocOptions, Fonts, DEFAULT_FONT};
use std::path::PathBuf;
use std::time::Instant;

/// What the command line says about documents.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocsArgs {
    /// `--font FILE`: the CJK font for the PDFs; default [`DEFAULT_FONT`].
    pub font: Option<PathBuf>,
    /// `--no-docs`: write no Word or PDF files.
    pub skip: bool,
}

impl DocsArgs {
    /// Takes `a` (and its value from `it`) if it is a documents option.
    /// `Ok(false)`: not ours.
    pub fn parse<'a>(
        &mut self,
        a: &str,
        it: &mut impl Iterator<Item = &'a String>,
    ) -> Result<bool, String> {
        if a == "--font" {
            match it.next() {
                Some(f) => self.font = Some(PathBuf::from(f)),
                None => return Err("build: --font needs a file".to_owned()),
            }
        } else if let Some(f) = a.strip_prefix("--font=") {
            self.font = Some(PathBuf::from(f));
        } else if a == "--no-docs" {
            self.skip = true;
        } else {
            return Ok(false);
        }
        Ok(true)
    }
}

/// The documents step, prepared before the build: the font loaded (a missing
/// or unusable font is a warning: PDFs are skipped, Word files still written).
pub struct DocsStep {
    fonts: Option<Fonts>,
    font_path: PathBuf,
}

/// Loads the font if documents are wanted; `None` with `--no-docs`.
pub fn prepare(args: &DocsArgs) -> Option<DocsStep> {
    if args.skip {
        return None;
    }
    let font_path = args
        .font
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_FONT));
    let fonts = match Fonts::load(&font_path) {
        Ok(f) => Some(f),
        Err(e) => {
            println!("warning: {e}; PDF files are skipped, Word files are still written");
            None
        }
    };
    Some(DocsStep { fonts, font_path })
}

impl DocsStep {
    /// Stages the documents in the bundle's publication and prints what
    /// happened, the step shown on `progress`.
    pub fn run(
        &self,
        publication: &Publication,
        bundle: &mut Bundle,
        progress: &Progress,
    ) -> Result<(), String> {
        let start = Instant::now();
        progress.step("making the Word/PDF files");
        let report = write_documents(
            publication,
            bundle,
            &DocOptions {
                fonts: self.fonts.as_ref(),
            },
        )
        .map_err(|e| format!("cannot write the Word/PDF files: {e}"))?;
        progress.done();
        for w in &report.warnings {
            println!("{w}");
        }
        println!(
            "documents: {} made, {} unchanged, {} to remove, {} bytes ({:.1} MiB), {} ms{}",
            report.written,
            report.reused,
            report.removed,
            report.bytes,
            report.bytes as f64 / (1024.0 * 1024.0),
            start.elapsed().as_millis(),
            match &self.fonts {
                Some(f) => format!(
                    ", PDF font {} ({})",
                    f.hans.postscript_name,
                    self.font_path.display()
                ),
                None => ", no PDFs".to_owned(),
            }
        );
        Ok(())
    }
}
