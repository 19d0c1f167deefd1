//! 相关文件 on an article: each relation of the feed shown on both notices
//! (docs/feed-format.md, "The policy library"). A notice that another
//! repeals or amends says so in a prominent note above its metadata.

use crate::i18n::Msg;
use crate::routes::{use_base, AppRoute, Base};
use gongkai_core::bundle::Variant;
use gongkai_core::library::{RelatedDoc, RelationRole};
use leptos::prelude::*;

/// The label of a role in the 相关文件 list.
pub fn role_label(role: RelationRole) -> Msg {
    match role {
        RelationRole::RepealedBy => Msg::RoleRepealedBy,
        RelationRole::AmendedBy => Msg::RoleAmendedBy,
        RelationRole::Original => Msg::RoleOriginal,
        RelationRole::Interpretation => Msg::RoleInterpretation,
        RelationRole::Repeals => Msg::RoleRepeals,
        RelationRole::Amends => Msg::RoleAmends,
        RelationRole::Related => Msg::RelatedTitle,
    }
}

fn title_link(r: &RelatedDoc, base: Base, script: Variant) -> impl IntoView {
    view! {
        <a class="gk-related__link" href=AppRoute::Article { id: r.id.clone() }.href(base, script)>
            {format!("《{}》", r.title)}
        </a>
    }
}

/// 本文件已被《…》废止 / 修订: one note per notice that repeals or amends
/// this one. Empty when there is none.
#[component]
pub fn RelatedNotes(
    /// The article's relations.
    related: Vec<RelatedDoc>,
    /// The reader's script.
    script: Variant,
) -> impl IntoView {
    let base = use_base();
    related
        .iter()
        .filter(|r| r.role.is_notice())
        .map(|r| {
            // The 有效性 in words first, as the plain note says it.
            let (modifier, state, verb, after) = match r.role {
                RelationRole::RepealedBy => {
                    ("repealed", Msg::Repealed, Msg::NoteRepealed, Msg::VoidSuffix)
                }
                _ => ("amended", Msg::Amended, Msg::NoteAmended, Msg::AmendedSuffix),
            };
            view! {
                <p class=format!("gk-article__status gk-article__status--{modifier}") role="note">
                    <strong>{format!("{}:", state.get(script))}{Msg::NoteBy.get(script)}{title_link(r, base, script)}{verb.get(script)}</strong>
                    {after.get(script)}
                </p>
            }
        })
        .collect_view()
}

/// The 相关文件 section: every related notice with what it is to this one.
#[component]
pub fn RelatedList(
    /// The article's relations.
    related: Vec<RelatedDoc>,
    /// The reader's script.
    script: Variant,
) -> impl IntoView {
    if related.is_empty() {
        return ().into_any();
    }
    let base = use_base();
    let items = related
        .iter()
        .map(|r| {
            view! {
                <li class=format!("gk-related__item gk-related__item--{}", r.role.as_str())>
                    <span class="gk-related__role">{format!("{}:", role_label(r.role).get(script))}</span>
                    {title_link(r, base, script)}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="gk-related" aria-labelledby="gk-related-title">
            <h2 class="gk-related__title" id="gk-related-title">{Msg::RelatedTitle.get(script)}</h2>
            <ul class="gk-related__list">{items}</ul>
        </section>
    }
    .into_any()
}
