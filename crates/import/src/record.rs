//! What every source reads a notice into before it becomes a feed item: a
//! [`Record`] with the metadata as found, the body as clean HTML, and where
//! it came from, so that every problem names its file and row or line.

use crate::dates::When;
use gongkai_core::feed::Attachment;
use std::fmt;
use std::path::PathBuf;

/// A place inside a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// The whole file (a page, a .docx).
    File,
    /// A spreadsheet row, 1-based as the spreadsheet shows it.
    Row(usize),
    /// A line of a CSV file, 1-based.
    Line(usize),
}

/// Where a record, a problem or a note comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    /// The source file.
    pub file: PathBuf,
    /// Where in it.
    pub place: Place,
}

impl Origin {
    /// A whole file.
    pub fn file(file: impl Into<PathBuf>) -> Origin {
        Origin {
            file: file.into(),
            place: Place::File,
        }
    }

    /// A place in a file.
    pub fn at(file: impl Into<PathBuf>, place: Place) -> Origin {
        Origin {
            file: file.into(),
            place,
        }
    }
}

impl fmt::Display for Origin {
    /// `目录.xlsx row 12`, `目录.csv line 7`, `pages/a.html`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        match self.place {
            Place::File => Ok(()),
            Place::Row(n) => write!(f, " row {n}"),
            Place::Line(n) => write!(f, " line {n}"),
        }
    }
}

/// A notice as read from a source, before it becomes a feed item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// Where it was read.
    pub origin: Option<Origin>,
    /// 索引号 as written (full-width forms made ASCII, spaces removed).
    pub index_no: Option<String>,
    /// 标题.
    pub title: Option<String>,
    /// 发布机构.
    pub publisher: Option<String>,
    /// 文号.
    pub doc_no: Option<String>,
    /// 成文日期.
    pub written: Option<When>,
    /// 发布日期 (with a time when the source gave one).
    pub published: Option<When>,
    /// 栏目, as the source names it.
    pub column: Option<String>,
    /// 主题分类, as the source names it.
    pub category: Option<String>,
    /// 有效性, as the source writes it.
    pub validity: Option<String>,
    /// 内容概述.
    pub summary: Option<String>,
    /// 关键词.
    pub keywords: Vec<String>,
    /// 来源.
    pub source: Option<String>,
    /// 作者.
    pub author: Option<String>,
    /// The body as clean HTML (see [`crate::html`]).
    pub body: Option<String>,
    /// The body's file name, as a catalogue's file-name column gives it.
    pub body_file: Option<String>,
    /// Files attached to the notice.
    pub attachments: Vec<Attachment>,
    /// The notice's URL on the old site (for the redirect map).
    pub old_url: Option<String>,
    /// Why the record cannot be imported (it is listed, not written).
    pub errors: Vec<String>,
    /// What was done to it that the report should mention.
    pub notes: Vec<String>,
}

/// One line of a report: something about a file, a row or a page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// Where.
    pub origin: Origin,
    /// What, in a sentence.
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.reason)
    }
}
