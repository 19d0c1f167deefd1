//! The 繁體 copies of the bundle's types: which fields are text for people
//! (converted) and which are identifiers, URLs, dates or codes (kept).

use super::{s2t, s2t_html};
use crate::bundle::{ArticleFile, ListItem, ListPage, Neighbour};
use crate::feed::{Attachment, Author, Column, Item};
use crate::gov::{Apply, Contact, Footer};

/// A copy with its human-readable text in traditional characters (OpenCC
/// `s2t`). Ids, URLs, dates, 索引号, MIME types, `validity` (an enum the app
/// labels itself) and unknown extension keys are copied unchanged.
///
/// ```
/// use gongkai_core::{convert::ToHant, feed::Column};
/// let c = Column::new("fdzdgknr", "法定主动公开内容");
/// assert_eq!(c.to_hant(), Column::new("fdzdgknr", "法定主動公開內容"));
/// ```
pub trait ToHant {
    /// The traditional-character copy.
    fn to_hant(&self) -> Self;
}

impl ToHant for String {
    fn to_hant(&self) -> Self {
        s2t(self)
    }
}

impl<T: ToHant> ToHant for Option<T> {
    fn to_hant(&self) -> Self {
        self.as_ref().map(T::to_hant)
    }
}

impl<T: ToHant> ToHant for Vec<T> {
    fn to_hant(&self) -> Self {
        self.iter().map(T::to_hant).collect()
    }
}

impl ToHant for Column {
    fn to_hant(&self) -> Self {
        Column {
            name: self.name.to_hant(),
            ..self.clone()
        }
    }
}

impl ToHant for Author {
    fn to_hant(&self) -> Self {
        Author {
            name: self.name.to_hant(),
            url: self.url.clone(),
        }
    }
}

impl ToHant for Attachment {
    fn to_hant(&self) -> Self {
        Attachment {
            title: self.title.to_hant(),
            ..self.clone()
        }
    }
}

impl ToHant for Item {
    /// `content_html` is converted as HTML (text and `alt`/`title` only).
    fn to_hant(&self) -> Self {
        let mut item = self.clone();
        item.title = self.title.to_hant();
        item.content_html = self.content_html.as_deref().map(s2t_html);
        item.content_text = self.content_text.to_hant();
        item.summary = self.summary.to_hant();
        item.authors = self.authors.to_hant();
        item.tags = self.tags.to_hant();
        item.attachments = self.attachments.to_hant();
        let gov = &mut item.gov;
        gov.publisher = self.gov.publisher.to_hant();
        gov.source = self.gov.source.to_hant();
        gov.doc_no = self.gov.doc_no.to_hant();
        gov.keywords = self.gov.keywords.to_hant();
        item
    }
}

impl ToHant for ListItem {
    fn to_hant(&self) -> Self {
        let mut row = self.clone();
        row.title = self.title.to_hant();
        row.summary = self.summary.to_hant();
        row.gov.category_name = self.gov.category_name.to_hant();
        row
    }
}

impl ToHant for ListPage {
    fn to_hant(&self) -> Self {
        ListPage {
            title: self.title.to_hant(),
            items: self.items.to_hant(),
            ..self.clone()
        }
    }
}

impl ToHant for Neighbour {
    fn to_hant(&self) -> Self {
        Neighbour {
            id: self.id.clone(),
            title: self.title.to_hant(),
        }
    }
}

impl ToHant for ArticleFile {
    fn to_hant(&self) -> Self {
        ArticleFile {
            version: self.version.clone(),
            item: self.item.to_hant(),
            column: self.column.to_hant(),
            prev: self.prev.to_hant(),
            next: self.next.to_hant(),
            downloads: self.downloads.clone(),
        }
    }
}

impl ToHant for Apply {
    /// The text for people (受理机构, address, hours, notes as HTML);
    /// URLs, postcode, phone and e-mail are kept.
    fn to_hant(&self) -> Self {
        Apply {
            recipient: self.recipient.to_hant(),
            address: self.address.to_hant(),
            hours: self.hours.to_hant(),
            notes: self.notes.as_deref().map(s2t_html),
            ..self.clone()
        }
    }
}

impl ToHant for Contact {
    fn to_hant(&self) -> Self {
        Contact {
            address: self.address.to_hant(),
            ..self.clone()
        }
    }
}

impl ToHant for Footer {
    /// 主办单位, 承办单位 and the address; the site code and the filing
    /// numbers are registered identifiers, written as filed.
    fn to_hant(&self) -> Self {
        Footer {
            sponsor: self.sponsor.to_hant(),
            organizer: self.organizer.to_hant(),
            contact: self.contact.to_hant(),
            ..self.clone()
        }
    }
}
