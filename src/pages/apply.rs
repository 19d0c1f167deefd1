//! `/apply`: 依申请公开, how to apply for the disclosure of information the
//! section does not publish of its own accord (政府信息公开条例 Art. 27–33):
//! the steps, each channel the feed's `_gov.apply` gives, the time limits
//! as the 条例 states them, and the 申请表. Rendered by `gongkai build` as a
//! static page too, so it works without JavaScript (docs/compliance.md).

use crate::api::AppError;
use crate::app::Site;
use crate::components::{set_document_title, Breadcrumbs, Crumb, ErrorView, Loading};
use crate::i18n::Msg;
use crate::routes::{use_base, AppRoute};
use crate::state::Settings;
use gongkai_core::bundle::{Manifest, Variant};
use gongkai_core::gov::{Apply, ColumnKind};
use leptos::prelude::*;

/// The route: the manifest, then [`ApplyView`].
#[component]
pub fn ApplyPage() -> impl IntoView {
    // The build's static render: the manifest is already here.
    #[cfg(feature = "prerender")]
    if let Some(p) = crate::static_render::prerender()
        .filter(|p| matches!(p.content, crate::static_render::Prerendered::Apply))
    {
        let script = p.script;
        let manifest = p.manifest.localize(script);
        return leptos::either::Either::Left(view! { <ApplyView manifest script/> });
    }
    let site = expect_context::<Site>();
    let settings = expect_context::<Settings>();
    let data = LocalResource::new(move || {
        let site = site.clone();
        let script = settings.script.get();
        async move {
            let manifest = site.manifest_ready().await?;
            Ok::<_, AppError>((manifest.localize(script), script))
        }
    });
    let manifest = expect_context::<Site>().manifest;
    let retry = move || {
        manifest.refetch();
        data.refetch();
    };
    let view = view! {
        <Transition fallback=|| view! { <Loading/> }>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry/> }>
                {move || Suspend::new(async move {
                    let (manifest, script) = data.await?;
                    set_document_title(Msg::ApplyTitle.get(script), Some(&manifest));
                    Ok::<_, AppError>(view! { <ApplyView manifest script/> })
                })}
            </ErrorBoundary>
        </Transition>
    };
    #[cfg(feature = "prerender")]
    let view = leptos::either::Either::Right(view);
    view
}

/// One row of a channel's details: label and value, the value a link when
/// `href` is given.
fn detail(label: Msg, value: Option<&String>, href: Option<String>, script: Variant) -> AnyView {
    value
        .filter(|v| !v.trim().is_empty())
        .map(|v| {
            let value = match href {
                Some(href) => view! { <a href=href>{v.clone()}</a> }.into_any(),
                None => view! { <span>{v.clone()}</span> }.into_any(),
            };
            view! {
                <div class="gk-apply__detail">
                    <dt class="gk-apply__term">{label.get(script)}</dt>
                    <dd class="gk-apply__value">{value}</dd>
                </div>
            }
        })
        .into_any()
}

/// The channels an applicant can use, each with what it needs.
fn channels(apply: &Apply, script: Variant) -> AnyView {
    let text = |m: Msg| m.get(script);
    let online = apply.online_url.clone().map(|url| {
        view! {
            <li class="gk-apply__channel">
                <h3 class="gk-apply__channel-title">{text(Msg::ApplyOnline)}</h3>
                <p><a class="gk-apply__action" href=url>{text(Msg::ApplyOnlineLink)}</a></p>
            </li>
        }
    });
    let post = apply
        .address
        .clone()
        .filter(|a| !a.trim().is_empty())
        .map(|_| {
            view! {
                <li class="gk-apply__channel">
                    <h3 class="gk-apply__channel-title">{text(Msg::ApplyPost)}</h3>
                    <dl class="gk-apply__details">
                        {detail(Msg::ApplyRecipient, apply.recipient.as_ref(), None, script)}
                        {detail(Msg::ApplyAddress, apply.address.as_ref(), None, script)}
                        {detail(Msg::ApplyPostcode, apply.postcode.as_ref(), None, script)}
                        {detail(Msg::ApplyHours, apply.hours.as_ref(), None, script)}
                    </dl>
                    <p class="gk-apply__note">{text(Msg::ApplyPostNote)}</p>
                </li>
            }
        });
    let email = apply
        .email
        .clone()
        .filter(|e| !e.trim().is_empty())
        .map(|e| {
            let href = format!("mailto:{}", e.trim());
            view! {
                <li class="gk-apply__channel">
                    <h3 class="gk-apply__channel-title">{text(Msg::ApplyEmailChannel)}</h3>
                    <dl class="gk-apply__details">
                        {detail(Msg::ApplyEmail, Some(&e), Some(href), script)}
                    </dl>
                </li>
            }
        });
    let phone = apply
        .phone
        .clone()
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let href = format!("tel:{}", p.trim());
            view! {
                <dl class="gk-apply__details gk-apply__details--contact">
                    {detail(Msg::ApplyPhone, Some(&p), Some(href), script)}
                </dl>
            }
        });
    view! {
        <ul class="gk-apply__channels">{online}{post}{email}</ul>
        {phone}
    }
    .into_any()
}

/// The time limits, as the 条例 states them (Art. 30, 33).
fn limits(script: Variant) -> AnyView {
    let text = move |m: Msg| m.get(script);
    view! {
        <section class="gk-apply__section" aria-labelledby="gk-apply-limits">
            <h2 class="gk-apply__heading" id="gk-apply-limits">{text(Msg::ApplyLimitsTitle)}</h2>
            <ul class="gk-apply__limits">
                <li>{text(Msg::ApplyLimitNow)}</li>
                <li>{text(Msg::ApplyLimit20)}</li>
                <li>{text(Msg::ApplyLimitExtend)}</li>
                <li>{text(Msg::ApplyLimitCorrect)}</li>
            </ul>
            <p class="gk-apply__law">{text(Msg::ApplyLaw)}</p>
        </section>
    }
    .into_any()
}

/// The page itself. Pure: the app renders it once the manifest has loaded,
/// and `gongkai build` renders it into the static page `/apply`.
#[component]
pub fn ApplyView(
    /// The manifest, already in `script`.
    manifest: Manifest,
    /// The reader's script.
    script: Variant,
) -> impl IntoView {
    let text = move |m: Msg| m.get(script);
    let base = use_base();
    let home = AppRoute::Home { page: 1 };
    let trail = vec![
        Crumb::link(Msg::Home.get(script), home.href(base, script)),
        Crumb::link(manifest.section.clone(), home.href(base, script)),
        Crumb::here(text(Msg::ApplyTitle)),
    ];
    let guide = manifest.column_of_kind(ColumnKind::Guide).map(|c| {
        (
            c.name.clone(),
            AppRoute::Column {
                id: c.id.clone(),
                page: 1,
            }
            .href(base, script),
        )
    });
    let body = match manifest.apply.clone() {
        None => view! {
            <p class="gk-apply__none">{text(Msg::ApplyNone)}</p>
            {guide.map(|(name, href)| view! { <p><a href=href>{name}</a></p> })}
        }
        .into_any(),
        Some(apply) => {
            let form = apply.form_url.clone().map(|url| {
                view! {
                    <section class="gk-apply__section" aria-labelledby="gk-apply-form">
                        <h2 class="gk-apply__heading" id="gk-apply-form">{text(Msg::ApplyFormTitle)}</h2>
                        <p><a class="gk-apply__action" href=url>{text(Msg::ApplyFormLink)}</a></p>
                    </section>
                }
                .into_any()
            });
            let notes = apply.notes.clone().filter(|n| !n.trim().is_empty()).map(|notes| {
                view! {
                    <section class="gk-apply__section" aria-labelledby="gk-apply-notes">
                        <h2 class="gk-apply__heading" id="gk-apply-notes">{text(Msg::ApplyNotesTitle)}</h2>
                        <div class="gk-apply__notes" inner_html=notes></div>
                    </section>
                }
                .into_any()
            });
            view! {
                <section class="gk-apply__section" aria-labelledby="gk-apply-how">
                    <h2 class="gk-apply__heading" id="gk-apply-how">{text(Msg::ApplyHowTitle)}</h2>
                    <ol class="gk-apply__steps">
                        <li>{text(Msg::ApplyStepForm)}</li>
                        <li>{text(Msg::ApplyStepSend)}</li>
                        <li>{text(Msg::ApplyStepReply)}</li>
                    </ol>
                </section>
                <section class="gk-apply__section" aria-labelledby="gk-apply-channels">
                    <h2 class="gk-apply__heading" id="gk-apply-channels">{text(Msg::ApplyChannelsTitle)}</h2>
                    {channels(&apply, script)}
                </section>
                {form}
                {limits(script)}
                {notes}
            }
            .into_any()
        }
    };
    view! {
        <Breadcrumbs trail script/>
        <article class="gk-apply">
            <h1 class="gk-apply__title">{text(Msg::ApplyTitle)}</h1>
            <p class="gk-apply__intro">{text(Msg::ApplyIntro)}</p>
            {body}
        </article>
    }
}
