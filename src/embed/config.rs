//! The mount element's data attributes, parsed once at mount.
//!
//! Parsing is plain Rust over an attribute getter so it is tested natively.
//! A bad value never stops the app: it is reported (the error names the
//! attribute, the value, what is wrong and what the app does instead) and a
//! safe default is used.

use std::fmt;

/// `type` of the height message an embedded frame posts to its parent.
pub const FRAME_MESSAGE_TYPE: &str = "gongkai:height";
/// `type` of the message a frame posts when the reader goes to another page.
pub const FRAME_NAVIGATION_TYPE: &str = "gongkai:navigation";
/// `version` of both messages; bumped on any incompatible change.
pub const FRAME_MESSAGE_VERSION: u32 = 1;

/// How the app shares the page it runs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmbedMode {
    /// The app is the whole page (`data-standalone`): it sets the document
    /// title and `<html lang>`.
    Standalone,
    /// Inside a host page (the default): the app touches nothing outside its
    /// root, so the title and `<html lang>` stay the host's.
    InPage,
    /// The app's own page, shown in an iframe of a page at one of these
    /// origins (`data-frame-parent-origin`); it reports its height to the
    /// parent and opens other sites in the top window. Opened directly (not
    /// framed) it behaves as [`EmbedMode::Standalone`].
    Frame {
        /// The parent origins the height may be posted to (never `*`).
        parent_origins: Vec<String>,
    },
}

impl EmbedMode {
    /// The value of the root's `data-embed` attribute (none when standalone).
    pub fn as_str(&self) -> &'static str {
        match self {
            EmbedMode::Standalone => "standalone",
            EmbedMode::InPage => "inpage",
            EmbedMode::Frame { .. } => "frame",
        }
    }

    /// Whether the app owns the document (title, `<html lang>`).
    pub fn owns_document(&self) -> bool {
        !matches!(self, EmbedMode::InPage)
    }
}

/// Which footer the app shows (`data-footer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FooterMode {
    /// The footer inspectors check (`_gov.footer`): the default for the
    /// standalone page and the iframe embed.
    #[default]
    Full,
    /// One line naming who publishes the site: the default in-page, where
    /// the host page has its own footer.
    Brief,
}

impl FooterMode {
    /// `full` or `brief`, as written in `data-footer`.
    pub fn as_str(self) -> &'static str {
        match self {
            FooterMode::Full => "full",
            FooterMode::Brief => "brief",
        }
    }
}

impl std::str::FromStr for FooterMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "full" => Ok(FooterMode::Full),
            "brief" => Ok(FooterMode::Brief),
            _ => Err("expected full or brief".into()),
        }
    }
}

/// The portal's values that override the manifest's (which come from the
/// feed's site-level `_gov`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PortalOverrides {
    /// 登录 URL of the portal's unified identity service (`data-login-url`).
    pub login_url: Option<String>,
    /// 注册 URL (`data-register-url`).
    pub register_url: Option<String>,
    /// Site name in 简体 (`data-site-name`); also used for 繁體 unless
    /// `data-site-name-zh-hant` is given.
    pub site_name: Option<String>,
    /// Site name in 繁體 (`data-site-name-zh-hant`).
    pub site_name_hant: Option<String>,
    /// The footer to show (`data-footer`).
    pub footer: FooterMode,
}

impl PortalOverrides {
    /// `manifest` with these values in place of its own.
    pub fn apply(
        &self,
        mut manifest: gongkai_core::bundle::Manifest,
    ) -> gongkai_core::bundle::Manifest {
        if let Some(url) = &self.login_url {
            manifest.login_url = url.clone();
        }
        if let Some(url) = &self.register_url {
            manifest.register_url = url.clone();
        }
        if let Some(name) = &self.site_name {
            manifest.site_name = name.clone();
        }
        let hant = self.site_name_hant.as_ref().or(self.site_name.as_ref());
        if let Some(name) = hant {
            for text in manifest.localized.values_mut() {
                text.site_name = name.clone();
            }
        }
        if self.footer == FooterMode::Brief {
            manifest.footer = None;
            for text in manifest.localized.values_mut() {
                text.footer = None;
            }
        }
        manifest
    }
}

/// A theme colour the host may set with `data-theme-<name>`. The value is
/// written to `--gk-theme-<name>` on the app root, which the design tokens
/// read as their default; the high-contrast schemes still override it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeToken {
    /// Brand colour: masthead, buttons, pressed toggles.
    Brand,
    /// Text on the brand colour.
    BrandText,
    /// Masthead background (defaults to the brand colour).
    MastheadBg,
    /// Masthead text (defaults to the brand text colour).
    MastheadText,
    /// Links.
    Link,
    /// Visited links.
    LinkVisited,
    /// Focus highlight (dark text is drawn on it).
    Focus,
}

impl ThemeToken {
    /// Every token, in attribute order.
    pub const ALL: [ThemeToken; 7] = [
        ThemeToken::Brand,
        ThemeToken::BrandText,
        ThemeToken::MastheadBg,
        ThemeToken::MastheadText,
        ThemeToken::Link,
        ThemeToken::LinkVisited,
        ThemeToken::Focus,
    ];

    /// The name after `data-theme-` and `--gk-theme-`.
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeToken::Brand => "brand",
            ThemeToken::BrandText => "brand-text",
            ThemeToken::MastheadBg => "masthead-bg",
            ThemeToken::MastheadText => "masthead-text",
            ThemeToken::Link => "link",
            ThemeToken::LinkVisited => "link-visited",
            ThemeToken::Focus => "focus",
        }
    }

    /// The mount element's attribute.
    pub fn attribute(self) -> String {
        format!("data-theme-{}", self.as_str())
    }

    /// The custom property set on the app root.
    pub fn property(self) -> String {
        format!("--gk-theme-{}", self.as_str())
    }
}

/// The default colours of style/tokens.css, for the contrast checks.
const DEFAULT_BRAND: &str = "#a3121b";
const DEFAULT_BRAND_TEXT: &str = "#ffffff";
const DEFAULT_LINK: &str = "#0b4f8a";
const DEFAULT_LINK_VISITED: &str = "#5a2d82";
const DEFAULT_FOCUS: &str = "#ffbf47";
const FOCUS_TEXT: &str = "#0b0c0c";
/// Backgrounds links are drawn on: the page and the darkest surface (top bar).
const LINK_BACKGROUNDS: [&str; 2] = ["#ffffff", "#f0f0f0"];
/// WCAG 2.2 AA for normal text.
const MIN_CONTRAST: f64 = 4.5;

/// A bad attribute value, and what the app does instead.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    /// The attribute, e.g. `data-base`.
    pub attribute: String,
    /// Its value as written.
    pub value: String,
    /// What is wrong with it.
    pub problem: String,
    /// What the app uses instead.
    pub fallback: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "gongkai: {}=\"{}\" on the mount element: {}; {}",
            self.attribute, self.value, self.problem, self.fallback
        )
    }
}

/// Everything the mount element says, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountSettings {
    /// `data-bundle` as written (resolved against the document by the caller).
    pub bundle: Option<String>,
    /// Router base path: empty, or `/xxgk` (`data-base`).
    pub base: String,
    /// How the app shares the page.
    pub mode: EmbedMode,
    /// 登录 / 注册 URLs and the site name.
    pub portal: PortalOverrides,
    /// Theme colours, each `#rrggbb`, that passed the contrast checks.
    pub theme: Vec<(ThemeToken, String)>,
}

impl MountSettings {
    /// Reads the settings with `get` (an attribute lookup on the mount
    /// element). Never fails: each bad value is returned as a [`ConfigError`]
    /// and replaced by its default.
    pub fn parse(get: impl Fn(&str) -> Option<String>) -> (MountSettings, Vec<ConfigError>) {
        let mut errors = Vec::new();
        let bundle = get("data-bundle").filter(|s| !s.trim().is_empty());

        let base = match get("data-base") {
            None => String::new(),
            Some(raw) => normalize_base(&raw).unwrap_or_else(|problem| {
                errors.push(ConfigError {
                    attribute: "data-base".into(),
                    value: raw,
                    problem,
                    fallback: "routing from the site root instead".into(),
                });
                String::new()
            }),
        };

        let mode = match get("data-frame-parent-origin") {
            Some(raw) => {
                let mut origins = Vec::new();
                for word in raw.split_whitespace() {
                    match parse_origin(word) {
                        Ok(origin) => origins.push(origin),
                        Err(problem) => errors.push(ConfigError {
                            attribute: "data-frame-parent-origin".into(),
                            value: word.to_owned(),
                            problem,
                            fallback: "this origin is ignored".into(),
                        }),
                    }
                }
                if origins.is_empty() {
                    errors.push(ConfigError {
                        attribute: "data-frame-parent-origin".into(),
                        value: raw,
                        problem: "no valid origin".into(),
                        fallback: "the frame height is not reported to any parent".into(),
                    });
                    EmbedMode::Standalone
                } else {
                    EmbedMode::Frame {
                        parent_origins: origins,
                    }
                }
            }
            None if get("data-standalone").is_some() => EmbedMode::Standalone,
            None => EmbedMode::InPage,
        };

        let mut url = |attribute: &str| {
            let raw = get(attribute)?;
            match check_http_url(&raw) {
                Ok(url) => Some(url),
                Err(problem) => {
                    errors.push(ConfigError {
                        attribute: attribute.into(),
                        value: raw,
                        problem,
                        fallback: "using the manifest's URL".into(),
                    });
                    None
                }
            }
        };
        let login_url = url("data-login-url");
        let register_url = url("data-register-url");
        let text = |attribute: &str| {
            get(attribute)
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
        };
        // In-page, the host page has a footer of its own: the full one only
        // when the host asks for it.
        let default_footer = match mode {
            EmbedMode::InPage => FooterMode::Brief,
            _ => FooterMode::Full,
        };
        let footer = match get("data-footer") {
            None => default_footer,
            Some(raw) => raw.parse().unwrap_or_else(|problem| {
                errors.push(ConfigError {
                    attribute: "data-footer".into(),
                    value: raw,
                    problem,
                    fallback: format!("showing the {} footer", default_footer.as_str()),
                });
                default_footer
            }),
        };
        let portal = PortalOverrides {
            login_url,
            register_url,
            site_name: text("data-site-name"),
            site_name_hant: text("data-site-name-zh-hant"),
            footer,
        };

        let theme = parse_theme(&get, &mut errors);
        (
            MountSettings {
                bundle,
                base,
                mode,
                portal,
                theme,
            },
            errors,
        )
    }
}

/// `data-base` as the router's base: `/xxgk/` → `/xxgk`, `/` or empty → the
/// root (empty). `Err` says why a value cannot be a path prefix.
pub fn normalize_base(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() || trimmed == "/" {
        return Ok(String::new());
    }
    if !trimmed.starts_with('/') || trimmed.starts_with("//") {
        return Err("a base path must start with a single \"/\" (e.g. /xxgk/)".into());
    }
    if let Some(c) = trimmed
        .chars()
        .find(|c| matches!(c, '?' | '#' | '\\' | '%') || c.is_whitespace() || c.is_control())
    {
        // Plain `{c}`, not `{c:?}`: Debug escaping brings Unicode tables into the Wasm.
        return Err(format!("a base path cannot contain \"{c}\""));
    }
    let path = trimmed.trim_end_matches('/');
    if path
        .split('/')
        .skip(1)
        .any(|segment| segment.is_empty() || segment == "." || segment == "..")
    {
        return Err("a base path cannot have empty, \".\" or \"..\" segments".into());
    }
    Ok(path.to_owned())
}

/// A web origin, `scheme://host[:port]`, lower-cased; `Err` says what is wrong.
/// `*` is refused: the height goes to one named parent, never to any page.
pub fn parse_origin(raw: &str) -> Result<String, String> {
    if raw == "*" {
        return Err("\"*\" would send messages to any page; name the parent's origin".into());
    }
    let lower = raw.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or("an origin starts with https:// or http://")?;
    let host_port = rest.strip_suffix('/').unwrap_or(rest);
    if host_port.is_empty() {
        return Err("an origin needs a host".into());
    }
    if host_port.contains(['/', '?', '#', '@']) {
        return Err("an origin is scheme://host[:port], with no path, query or user".into());
    }
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, _)) if !h.ends_with(']') && h.contains(':') => (host_port, None),
        Some((h, p)) => (h, Some(p)),
        None => (host_port, None),
    };
    if let Some(port) = port {
        if port.is_empty() || port.parse::<u16>().is_err() {
            return Err(format!("\"{port}\" is not a port number"));
        }
    }
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'))
    {
        return Err(format!("\"{host}\" is not a host name"));
    }
    let scheme = if lower.starts_with("https://") {
        "https"
    } else {
        "http"
    };
    // Browsers serialize an origin without its scheme's default port.
    let host_port = match (scheme, port) {
        ("https", Some("443")) | ("http", Some("80")) => host,
        _ => host_port,
    };
    Ok(format!("{scheme}://{host_port}"))
}

/// An absolute `http(s)://` URL with a host and no spaces or quotes.
fn check_http_url(raw: &str) -> Result<String, String> {
    let url = raw.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or("not an absolute http(s):// URL")?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err("the URL has no host".into());
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'))
    {
        return Err("the URL contains spaces, quotes or angle brackets".into());
    }
    Ok(url.to_owned())
}

/// `#rgb` or `#rrggbb` as `#rrggbb` (lower case); only hex so that contrast
/// can be checked.
fn parse_hex_colour(raw: &str) -> Option<String> {
    let hex = raw.trim().strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let full = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_owned(),
        _ => return None,
    };
    Some(format!("#{}", full.to_ascii_lowercase()))
}

/// `x`^2.4 for `x` in 0..=1, with arithmetic only: `powf` and the float
/// printer are each kilobytes of Wasm, for a check that runs once at mount.
/// x^2.4 = x² · (x²)^(1/5); the fifth root by Newton's method, which from a
/// start of 1 descends monotonically and reaches full precision well within
/// 40 steps for any x² ≥ 1e-6 (the smallest sRGB value that gets here).
fn pow_2_4(x: f64) -> f64 {
    let square = x * x;
    let mut root = 1.0_f64;
    for _ in 0..40 {
        let r4 = root * root * root * root;
        root -= (r4 * root - square) / (5.0 * r4);
    }
    square * root
}

fn luminance(colour: &str) -> f64 {
    let channel = |i: usize| {
        let v = f64::from(u8::from_str_radix(&colour[i..i + 2], 16).unwrap_or(0)) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            pow_2_4((v + 0.055) / 1.055)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

/// `value` (≥ 0) with two decimals, without the float printer.
fn hundredths(value: f64) -> String {
    let n = (value * 100.0 + 0.5) as u64;
    format!("{}.{:02}", n / 100, n % 100)
}

/// WCAG contrast ratio of two `#rrggbb` colours (1 to 21).
pub fn contrast_ratio(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

fn parse_theme(
    get: &impl Fn(&str) -> Option<String>,
    errors: &mut Vec<ConfigError>,
) -> Vec<(ThemeToken, String)> {
    let mut set: Vec<(ThemeToken, String, String)> = Vec::new();
    for token in ThemeToken::ALL {
        let Some(raw) = get(&token.attribute()) else {
            continue;
        };
        match parse_hex_colour(&raw) {
            Some(colour) => set.push((token, colour, raw)),
            None => errors.push(ConfigError {
                attribute: token.attribute(),
                value: raw,
                problem: "not a #rgb or #rrggbb colour".into(),
                fallback: "using the default colour".into(),
            }),
        }
    }
    let value = |set: &[(ThemeToken, String, String)], t: ThemeToken| {
        set.iter()
            .find(|(s, ..)| *s == t)
            .map(|(_, c, _)| c.clone())
    };
    // Each colour pair the app draws text with; an override that breaks
    // 4.5:1 is dropped with its partner, back to the defaults (which pass).
    let brand = |set: &[_]| value(set, ThemeToken::Brand).unwrap_or(DEFAULT_BRAND.into());
    let brand_text =
        |set: &[_]| value(set, ThemeToken::BrandText).unwrap_or(DEFAULT_BRAND_TEXT.into());
    let checks: [(ThemeToken, Option<ThemeToken>); 5] = [
        (ThemeToken::BrandText, Some(ThemeToken::Brand)),
        (ThemeToken::MastheadText, Some(ThemeToken::MastheadBg)),
        (ThemeToken::Link, None),
        (ThemeToken::LinkVisited, None),
        (ThemeToken::Focus, None),
    ];
    for (token, partner) in checks {
        let (fg, backgrounds): (String, Vec<String>) = match token {
            ThemeToken::BrandText => (brand_text(&set), vec![brand(&set)]),
            ThemeToken::MastheadText => (
                value(&set, ThemeToken::MastheadText).unwrap_or_else(|| brand_text(&set)),
                vec![value(&set, ThemeToken::MastheadBg).unwrap_or_else(|| brand(&set))],
            ),
            ThemeToken::Link => (
                value(&set, token).unwrap_or(DEFAULT_LINK.into()),
                LINK_BACKGROUNDS.iter().map(|s| s.to_string()).collect(),
            ),
            ThemeToken::LinkVisited => (
                value(&set, token).unwrap_or(DEFAULT_LINK_VISITED.into()),
                LINK_BACKGROUNDS.iter().map(|s| s.to_string()).collect(),
            ),
            _ => (
                FOCUS_TEXT.into(),
                vec![value(&set, token).unwrap_or(DEFAULT_FOCUS.into())],
            ),
        };
        let worst = backgrounds
            .iter()
            .map(|bg| contrast_ratio(&fg, bg))
            .fold(f64::INFINITY, f64::min);
        if worst >= MIN_CONTRAST {
            continue;
        }
        let pair: Vec<ThemeToken> = std::iter::once(token).chain(partner).collect();
        let dropped: Vec<(ThemeToken, String, String)> = set
            .iter()
            .filter(|(t, ..)| pair.contains(t))
            .cloned()
            .collect();
        set.retain(|(t, ..)| !pair.contains(t));
        for (t, _, raw) in dropped {
            errors.push(ConfigError {
                attribute: t.attribute(),
                value: raw,
                problem: format!(
                    "text contrast would be {}:1, below the 4.5:1 of WCAG AA",
                    hundredths(worst)
                ),
                fallback: "using the default colours for this pair".into(),
            });
        }
    }
    set.into_iter().map(|(t, c, _)| (t, c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(attrs: &[(&str, &str)]) -> (MountSettings, Vec<ConfigError>) {
        let map: HashMap<String, String> = attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        MountSettings::parse(|k| map.get(k).cloned())
    }

    #[test]
    fn no_attributes_mean_an_in_page_app_at_the_root() {
        let (s, errors) = parse(&[]);
        assert!(errors.is_empty());
        assert_eq!(s.base, "");
        assert_eq!(s.mode, EmbedMode::InPage);
        assert!(!s.mode.owns_document());
        assert_eq!(
            s.portal,
            PortalOverrides {
                footer: FooterMode::Brief,
                ..PortalOverrides::default()
            }
        );
        assert!(s.theme.is_empty());
        let (s, _) = parse(&[("data-standalone", "")]);
        assert_eq!(s.mode, EmbedMode::Standalone);
        assert_eq!(s.portal.footer, FooterMode::Full);
    }

    #[test]
    fn the_full_footer_in_page_only_when_the_host_asks() {
        assert_eq!(parse(&[]).0.portal.footer, FooterMode::Brief);
        let (s, errors) = parse(&[("data-footer", "full")]);
        assert!(errors.is_empty());
        assert_eq!(s.portal.footer, FooterMode::Full);
        let (s, _) = parse(&[("data-standalone", ""), ("data-footer", "brief")]);
        assert_eq!(s.portal.footer, FooterMode::Brief);
        let (s, errors) = parse(&[
            ("data-frame-parent-origin", "https://p.example"),
            ("data-footer", "big"),
        ]);
        assert_eq!(s.portal.footer, FooterMode::Full);
        assert_eq!(
            errors[0].to_string(),
            "gongkai: data-footer=\"big\" on the mount element: expected full or brief; showing the full footer"
        );
        for m in [FooterMode::Full, FooterMode::Brief] {
            assert_eq!(m.as_str().parse::<FooterMode>(), Ok(m));
        }
    }

    #[test]
    fn base_paths_are_normalized_and_bad_ones_named() {
        assert_eq!(normalize_base("/xxgk/").unwrap(), "/xxgk");
        assert_eq!(normalize_base(" /a/b ").unwrap(), "/a/b");
        assert_eq!(normalize_base("/").unwrap(), "");
        assert_eq!(normalize_base("").unwrap(), "");
        for bad in [
            "xxgk",
            "//evil.example/x",
            "/a?b",
            "/a#b",
            "/a//b",
            "/a/../b",
            "/a b",
        ] {
            assert!(normalize_base(bad).is_err(), "{bad} should be refused");
        }
        let (s, errors) = parse(&[("data-base", "xxgk/")]);
        assert_eq!(s.base, "");
        assert_eq!(errors.len(), 1);
        let message = errors[0].to_string();
        assert!(message.contains("data-base=\"xxgk/\""), "{message}");
        assert!(message.contains("site root"), "{message}");
    }

    #[test]
    fn frame_origins_are_exact_and_never_a_wildcard() {
        assert_eq!(
            parse_origin("https://Portal.Example").unwrap(),
            "https://portal.example"
        );
        assert_eq!(
            parse_origin("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            parse_origin("https://portal.example:443").unwrap(),
            "https://portal.example"
        );
        for bad in [
            "*",
            "portal.example",
            "https://portal.example/xxgk",
            "https://",
            "https://a:b",
            "javascript://x",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad} should be refused");
        }
        let (s, errors) = parse(&[(
            "data-frame-parent-origin",
            "https://a.example * https://b.example",
        )]);
        assert_eq!(
            s.mode,
            EmbedMode::Frame {
                parent_origins: vec!["https://a.example".into(), "https://b.example".into()]
            }
        );
        assert_eq!(errors.len(), 1);
        assert!(errors[0]
            .to_string()
            .contains("data-frame-parent-origin=\"*\""));
        // Nothing valid: the page still works, as a standalone page.
        let (s, errors) = parse(&[("data-frame-parent-origin", "*")]);
        assert_eq!(s.mode, EmbedMode::Standalone);
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn portal_values_override_the_manifest() {
        let (s, errors) = parse(&[
            (
                "data-login-url",
                "https://id.example.gov.cn/login?from=xxgk",
            ),
            ("data-register-url", "javascript:alert(1)"),
            ("data-site-name", " 甘肃政务服务网 "),
        ]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().contains("data-register-url"));
        assert_eq!(
            s.portal.login_url.as_deref(),
            Some("https://id.example.gov.cn/login?from=xxgk")
        );
        assert_eq!(s.portal.register_url, None);
        assert_eq!(s.portal.site_name.as_deref(), Some("甘肃政务服务网"));
    }

    #[test]
    fn theme_colours_must_keep_text_readable() {
        assert!((contrast_ratio("#ffffff", "#000000") - 21.0).abs() < 1e-9);
        // The figures tokens.css documents for the default colours.
        assert_eq!(hundredths(contrast_ratio("#a3121b", "#ffffff")), "7.90");
        assert_eq!(hundredths(contrast_ratio("#0b4f8a", "#ffffff")), "8.40");
        assert_eq!(hundredths(contrast_ratio("#ffbf47", "#0b0c0c")), "11.93");
        for v in [0.0, 0.05, 0.3, 0.5, 0.99, 1.0] {
            assert!(
                (pow_2_4(v) - f64::powf(v, 2.4)).abs() < 1e-12,
                "pow_2_4({v})"
            );
        }
        let (s, errors) = parse(&[
            ("data-theme-brand", "#0B4F8A"),
            ("data-theme-link", "#36c"),
            ("data-theme-focus", "blue"),
        ]);
        // #3366cc on #f0f0f0 is about 4.6:1: accepted.
        assert_eq!(
            s.theme,
            vec![
                (ThemeToken::Brand, "#0b4f8a".to_owned()),
                (ThemeToken::Link, "#3366cc".to_owned())
            ]
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].attribute, "data-theme-focus");

        // Light text on a light brand: both of the pair are dropped.
        let (s, errors) = parse(&[
            ("data-theme-brand", "#f0f0f0"),
            ("data-theme-brand-text", "#ffffff"),
            ("data-theme-link", "#999999"),
        ]);
        assert!(s.theme.is_empty(), "{:?}", s.theme);
        let attrs: Vec<&str> = errors.iter().map(|e| e.attribute.as_str()).collect();
        assert_eq!(
            attrs,
            [
                "data-theme-brand",
                "data-theme-brand-text",
                "data-theme-link"
            ]
        );
        assert!(errors[0].to_string().contains("below the 4.5:1"));
    }

    #[test]
    fn site_name_override_reaches_every_script() {
        let mut manifest: gongkai_core::bundle::Manifest = serde_json::from_str(
            r#"{"format": 1, "title": "t", "site_name": "甘肃政务服务网-武山",
                "department": "科技局", "section": "政府信息公开",
                "login_url": "https://portal.example/login",
                "register_url": "https://portal.example/register",
                "columns": [], "item_count": 0, "pages": 1, "page_size": 20,
                "variants": ["zh-Hans", "zh-Hant"], "built_at": "2026-01-01T00:00:00Z",
                "content_hash": "0"}"#,
        )
        .unwrap();
        manifest.localized.insert(
            "zh-Hant".into(),
            manifest.site_text(gongkai_core::bundle::Variant::Hans),
        );
        let overrides = PortalOverrides {
            site_name: Some("门户".into()),
            site_name_hant: Some("門戶".into()),
            login_url: Some("https://id.example/login".into()),
            register_url: None,
            footer: FooterMode::Brief,
        };
        let register = manifest.register_url.clone();
        let m = overrides.apply(manifest);
        assert_eq!(m.site_name, "门户");
        assert_eq!(m.localized["zh-Hant"].site_name, "門戶");
        assert_eq!(m.login_url, "https://id.example/login");
        assert_eq!(m.register_url, register);
        assert!(m.footer.is_none(), "a brief footer drops the manifest's");
    }
}
