//! Pieces of the article page: metadata, attachments, neighbours.

use crate::format::{display_date, display_size, mime_label};
use gongkai_core::bundle::Neighbour;
use gongkai_core::feed::{Attachment, Column, Item};
use leptos::prelude::*;

/// The labelled metadata of a notice, in the order of the original page
/// (发布机构, 索引号, 来源, 时间, 作者), then 文号, 成文日期, 主题分类, 有效性
/// where present.
pub fn meta_rows(item: &Item, column: &Column) -> Vec<(&'static str, String)> {
    let gov = &item.gov;
    let mut rows = vec![
        ("发布机构", gov.publisher.clone()),
        ("索引号", gov.index_no.clone()),
    ];
    if let Some(source) = &gov.source {
        rows.push(("来源", source.clone()));
    }
    rows.push(("时间", display_date(&item.date_published)));
    if !item.authors.is_empty() {
        rows.push(("作者", item.author_names()));
    }
    if let Some(doc_no) = &gov.doc_no {
        rows.push(("文号", doc_no.clone()));
    }
    if let Some(written) = &gov.written_date {
        rows.push(("成文日期", written.clone()));
    }
    rows.push(("主题分类", column.name.clone()));
    if !gov.keywords.is_empty() {
        rows.push(("主题词", gov.keywords.join(" ")));
    }
    if let Some(validity) = gov.validity {
        rows.push(("有效性", validity.as_str().to_owned()));
    }
    rows
}

/// The metadata block as a description list.
#[component]
pub fn MetaBlock(
    /// The notice.
    item: Item,
    /// Its column.
    column: Column,
) -> impl IntoView {
    let rows = meta_rows(&item, &column)
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
            let mut facts = vec![mime_label(&a.mime_type)];
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
            <h2 class="gk-attachments__title" id="gk-attachments-title">"附件"</h2>
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
) -> impl IntoView {
    let link = |label: &'static str, n: Option<Neighbour>| {
        match n {
        Some(n) => view! {
            <li class="gk-neighbours__item">
                <a class="gk-neighbours__link" href=format!("/article/{}", n.id)>
                    {format!("{label}:{}", n.title)}
                </a>
            </li>
        }
        .into_any(),
        None => view! {
            <li class="gk-neighbours__item gk-neighbours__item--none">{format!("{label}:没有了")}</li>
        }
        .into_any(),
    }
    };
    view! {
        <nav class="gk-neighbours" aria-label="相邻文章">
            <ul class="gk-neighbours__list">
                {link("上一篇", prev)}
                {link("下一篇", next)}
            </ul>
        </nav>
    }
}
