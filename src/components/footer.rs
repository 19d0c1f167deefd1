//! The footer inspectors check on every page of a government site
//! (docs/compliance.md): 党政机关网站标识, 我为政府网站找错, 主办单位 and
//! 承办单位, 网站标识码, ICP备案号 (linked to the national ICP filing
//! system), 公安机关备案号 (linked with its number) and the contact details,
//! each shown when the feed's `_gov.footer` gives it. Without one (or in an
//! in-page embed whose host did not ask for it, `data-footer`), the footer
//! is the one line naming who publishes the site.

use crate::app::Site;
use crate::components::chrome::localized_manifest;
use crate::i18n::Msg;
use crate::state::Settings;
use gongkai_core::bundle::{Manifest, Variant};
use gongkai_core::gov::{icp_link, psb_link, Footer};
use leptos::prelude::*;

/// An item of the footer: text, with a link when `href` is given.
fn item(text: String, href: Option<String>) -> AnyView {
    match href {
        Some(href) => view! {
            <li class="gk-footer__item"><a class="gk-footer__link" href=href>{text}</a></li>
        }
        .into_any(),
        None => view! { <li class="gk-footer__item">{text}</li> }.into_any(),
    }
}

/// The full footer of `footer`; `badge` is the URL of the 党政机关网站标识.
fn gov_footer(footer: Footer, badge: Option<String>, script: Variant) -> impl IntoView {
    let fill = |m: Msg, v: &str| m.fill(script, &[&v]);
    let badge = footer.gov_badge_url.clone().zip(badge).map(|(href, badge)| {
        view! {
            <a class="gk-footer__badge" href=href>
                <img class="gk-footer__badge-img" src=badge alt=Msg::FooterBadge.get(script) width="110" height="55"/>
                // 纯文本 hides images: the link keeps its name as text.
                <span class="gk-footer__badge-text">{Msg::FooterBadge.get(script)}</span>
            </a>
        }
    });
    let report = footer.error_report().map(|href| {
        view! {
            <a class="gk-footer__report" href=href>{Msg::FooterErrorReport.get(script)}</a>
        }
    });
    let mut units = Vec::new();
    if let Some(s) = &footer.sponsor {
        units.push(item(fill(Msg::FooterSponsor, s), None));
    }
    if let Some(s) = &footer.organizer {
        units.push(item(fill(Msg::FooterOrganizer, s), None));
    }
    let mut codes = Vec::new();
    if let Some(code) = &footer.site_code {
        codes.push(item(fill(Msg::FooterSiteCode, code), None));
    }
    if let Some(icp) = &footer.icp {
        codes.push(item(icp.clone(), icp_link(icp).map(str::to_owned)));
    }
    if let Some(psb) = &footer.psb {
        codes.push(item(psb.clone(), psb_link(psb)));
    }
    let mut contact = Vec::new();
    if let Some(c) = &footer.contact {
        if let Some(p) = &c.phone {
            contact.push(item(
                fill(Msg::FooterPhone, p),
                Some(format!("tel:{}", p.trim())),
            ));
        }
        if let Some(e) = &c.email {
            contact.push(item(
                fill(Msg::FooterEmail, e),
                Some(format!("mailto:{}", e.trim())),
            ));
        }
        if let Some(a) = &c.address {
            contact.push(item(fill(Msg::FooterAddress, a), None));
        }
    }
    let list = |items: Vec<AnyView>, modifier: &'static str| {
        (!items.is_empty()).then(|| {
            view! { <ul class=format!("gk-footer__list gk-footer__list--{modifier}")>{items}</ul> }
        })
    };
    let contact = (!contact.is_empty()).then(|| {
        view! {
            <p class="gk-footer__heading">{Msg::FooterContact.get(script)}</p>
            {list(contact, "contact")}
        }
    });
    view! {
        <div class="gk-footer__inner gk-container">
            <div class="gk-footer__marks">{badge}{report}</div>
            <div class="gk-footer__info">
                {list(units, "units")}
                {list(codes, "codes")}
                {contact}
            </div>
        </div>
    }
}

/// The one line of a site without footer settings: who publishes it.
fn brief_footer(manifest: &Manifest, script: Variant) -> impl IntoView {
    view! {
        <div class="gk-container">
            <p class="gk-footer__text">
                {Msg::Footer.fill(script, &[&manifest.site_name, &manifest.department])}
            </p>
        </div>
    }
}

/// The footer of every page.
#[component]
pub fn SiteFooter() -> impl IntoView {
    let site = expect_context::<Site>();
    let settings = expect_context::<Settings>();
    let content = move || {
        let script = settings.script.get();
        localized_manifest(&site, settings).map(|m| match m.footer.clone() {
            Some(footer) => {
                let badge = m.gov_badge.as_deref().map(|b| site.bundle.file_url(&m, b));
                gov_footer(footer, badge, script).into_any()
            }
            None => brief_footer(&m, script).into_any(),
        })
    };
    view! {
        <footer class="gk-footer" aria-label=move || Msg::FooterLabel.get(settings.script.get())>
            {content}
        </footer>
    }
}
