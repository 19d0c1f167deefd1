//! Pieces of the article page: metadata, attachments, neighbours.

use crate::format::{display_date, display_size, mime_label};
use crate::i18n::Msg;
use crate::routes::{use_base, AppRoute};
use gongkai_core::bundle::{Neighbour, Variant};
use gongkai_core::feed::{Attachment, Column, Item};
use leptos::prelude::*;

/// The labelled metadata of a notice, in the order of the original page
/// (发布机构, 索引号, 来源, 时间, 作者), then 文号, 成文日期, 主题分类, 有效性
/// where present.
pub fn meta_rows(item: &Item, column: &Column, script: Variant) -> Vec<(&'static str, String)> {
    let gov = &item.gov;
    let mut rows = vec![
        (Msg::Publisher, gov.publisher.clone()),
        (Msg::IndexNo, gov.index_no.clone()),
    ];
    if let Some(source) = &gov.source {
        rows.push((Msg::Source, source.clone()));
    }
    rows.push((Msg::Time, display_date(&item.date_published)));
    if !item.authors.is_empty() {
        rows.push((Msg::Author, item.author_names()));
    }
    if let Some(doc_no) = &gov.doc_no {
        rows.push((Msg::DocNo, doc_no.clone()));
    }
    if let Some(written) = &gov.written_date {
        rows.push((Msg::WrittenDate, written.clone()));
    }
    rows.push((Msg::Category, column.name.clone()));
    if !gov.keywords.is_empty() {
        rows.push((Msg::Keywords, gov.keywords.join(" ")));
    }
    if let Some(validity) = gov.validity {
        rows.push((
            Msg::Validity,
            Msg::validity(validity).get(script).to_owned(),
        ));
    }
    rows.into_iter()
        .map(|(label, value)| (label.get(script), value))
        .collect()
}

/// The metadata block as a description list.
#[component]
pub fn MetaBlock(
    /// The notice.
    item: Item,
    /// Its column.
    column: Column,
    /// The reader's script.
    #[prop(optional)]
    script: Variant,
) -> impl IntoView {
    let rows = meta_rows(&item, &column, script)
        .into_iter()
        .map(|(label, value)| {
            view! {
                <div class="gk-meta__row">
                    <dt class="gk-meta__label">{label}</dt>
                    <dd class="gk-meta__value">{value}</dd>
                </div>
            }
        })
        .collect_view();
    view! { <dl class="gk-meta">{rows}</dl> }
}

/// 附件: download links with type and size.
#[component]
pub fn AttachmentList(
    /// The notice's attachments.
    attachments: Vec<Attachment>,
    /// The reader's script.
    #[prop(optional)]
    script: Variant,
) -> impl IntoView {
    if attachments.is_empty() {
        return ().into_any();
    }
    let items = attachments
        .into_iter()
        .map(|a| {
            let name = a.title.clone().unwrap_or_else(|| {
                a.url.rsplit('/').next().unwrap_or(&a.url).to_owned()
            });
            let mut facts = vec![mime_label(&a.mime_type, script)];
            if let Some(size) = a.size_in_bytes {
                facts.push(display_size(size));
            }
            view! {
                <li class="gk-attachments__item">
                    <a class="gk-attachments__link" href=a.url rel="noopener noreferrer" download="">
                        {name}
                    </a>
                    " "
                    <span class="gk-attachments__facts">{format!("({})", facts.join(","))}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="gk-attachments" aria-labelledby="gk-attachments-title">
            <h2 class="gk-attachments__title" id="gk-attachments-title">{Msg::Attachments.get(script)}</h2>
            <ul class="gk-attachments__list">{items}</ul>
        </section>
    }
    .into_any()
}

/// 上一篇 / 下一篇 within the column.
#[component]
pub fn NeighbourNav(
    /// The newer notice in the column.
    prev: Option<Neighbour>,
    /// The older notice in the column.
    next: Option<Neighbour>,
    /// The reader's script.
    #[prop(optional)]
    script: Variant,
) -> impl IntoView {
    let base = use_base();
    let link = move |label: Msg, n: Option<Neighbour>| {
        let label = label.get(script);
        match n {
            Some(n) => view! {
                <li class="gk-neighbours__item">
                    <a class="gk-neighbours__link" href=AppRoute::Article { id: n.id }.href(base, script)>
                        {format!("{label}:{}", n.title)}
                    </a>
                </li>
            }
            .into_any(),
            None => view! {
                <li class="gk-neighbours__item gk-neighbours__item--none">
                    {format!("{label}:{}", Msg::NoMore.get(script))}
                </li>
            }
            .into_any(),
        }
    };
    view! {
        <nav class="gk-neighbours" aria-label=Msg::Neighbours.get(script)>
            <ul class="gk-neighbours__list">
                {link(Msg::PrevArticle, prev)}
                {link(Msg::NextArticle, next)}
            </ul>
        </nav>
    }
}

/// One 下载 link of the article tools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadLink {
    /// 下载Word or 下载PDF.
    pub label: Msg,
    /// Where the file is.
    pub href: String,
    /// The name to save it under.
    pub file_name: String,
    /// Type and size, e.g. `Word,7.3 KB`.
    pub facts: String,
}

/// The 下载Word / 下载PDF links of a notice: the files the build made
/// (`downloads`, paths relative to the bundle, resolved by `resolve`), or,
/// where the feed attaches a file of that type, that attachment instead.
pub fn download_links(
    article: &gongkai_core::bundle::ArticleFile,
    script: Variant,
    resolve: impl Fn(&str) -> String,
) -> Vec<DownloadLink> {
    use gongkai_core::bundle::DownloadKind;
    let attached = |kind: DownloadKind| {
        article.item.attachments.iter().find(|a| {
            let mime = a.mime_type.split(';').next().unwrap_or("").trim();
            match kind {
                DownloadKind::Pdf => mime == "application/pdf" || a.url.ends_with(".pdf"),
                DownloadKind::Docx => {
                    mime == kind.mime_type()
                        || mime == "application/msword"
                        || a.url.ends_with(".docx")
                }
            }
        })
    };
    [
        (DownloadKind::Docx, Msg::DownloadWord),
        (DownloadKind::Pdf, Msg::DownloadPdf),
    ]
    .into_iter()
    .filter_map(|(kind, label)| {
        if let Some(d) = article.downloads.iter().find(|d| d.kind == kind) {
            return Some(DownloadLink {
                label,
                href: resolve(&d.path),
                file_name: d.file_name.clone(),
                facts: format!(
                    "{},{}",
                    mime_label(&d.mime_type, script),
                    display_size(d.size_in_bytes)
                ),
            });
        }
        attached(kind).map(|a| {
            let mut facts = vec![mime_label(&a.mime_type, script)];
            if let Some(size) = a.size_in_bytes {
                facts.push(display_size(size));
            }
            DownloadLink {
                label,
                href: a.url.clone(),
                file_name: a.title.clone().unwrap_or_default(),
                facts: facts.join(","),
            }
        })
    })
    .collect()
}

/// 【下载Word】【下载PDF】.
#[component]
pub fn DownloadLinks(
    /// The links.
    links: Vec<DownloadLink>,
    /// The reader's script.
    #[prop(optional)]
    script: Variant,
) -> impl IntoView {
    if links.is_empty() {
        return ().into_any();
    }
    let items = links
        .into_iter()
        .map(|l| {
            view! {
                <li class="gk-downloads__item">
                    <a class="gk-article__download" href=l.href download=l.file_name>
                        {l.label.get(script)}
                    </a>
                    " "
                    <span class="gk-downloads__facts">{format!("({})", l.facts)}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="gk-downloads" aria-label=Msg::Downloads.get(script)>{items}</ul>
    }
    .into_any()
}
