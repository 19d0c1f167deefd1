//! The redirect map from the old site's URLs to the new article pages and
//! to the files copied to the new site ([`crate::files`]), so links to the
//! old site keep working after the switch: an nginx `map`
//! include (`deploy/nginx.conf` reads `redirects.map` beside it) and a CSV
//! for any other server or CDN.

use crate::text::trim;
use url::Url;

/// One redirect: the old URL and where it now lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The path on the old site, decoded as nginx's `$uri` is (`/art/2023/7/14/art_1_2.html`).
    pub from: String,
    /// The old URL as found.
    pub old_url: String,
    /// The new URL (`/article/kjj1-2023-00026` under `--site-url`, or a
    /// copied file's URL).
    pub to: String,
}

/// The redirects of `pages`, `(old URL, item id)` pairs, under the new
/// site's root (`/` or `https://new.example.gov.cn/kjj/`), and of `files`,
/// `(old URL, new URL)` pairs. A path seen twice keeps its first target;
/// the second list names the paths left out that way. A file URL with a
/// query (`download.jsp?id=1`) has no entry: nginx's `$uri` has no query,
/// and the import rewrote the links to it.
pub fn build(
    pages: &[(String, String)],
    files: &[(String, String)],
    site_url: &str,
) -> (Vec<Redirect>, Vec<String>) {
    let root = if site_url.ends_with('/') {
        site_url.to_owned()
    } else {
        format!("{site_url}/")
    };
    let targets = pages
        .iter()
        .map(|(old, id)| (old, format!("{root}article/{id}")))
        .chain(files.iter().map(|(old, new)| (old, new.clone())));
    let mut out: Vec<Redirect> = Vec::new();
    let mut conflicts = Vec::new();
    for (old, to) in targets {
        let Ok(u) = Url::parse(trim(old)) else {
            continue;
        };
        if u.query().is_some() && files.iter().any(|(o, _)| o == old) {
            continue;
        }
        let from = crate::text::percent_decode(u.path());
        match out.iter().find(|r| r.from == from) {
            Some(r) if r.to != to => {
                conflicts.push(format!("{from} → {} (kept), {to} (left out)", r.to))
            }
            Some(_) => {}
            None => out.push(Redirect {
                from,
                old_url: u.to_string(),
                to,
            }),
        }
    }
    out.sort_by(|a, b| a.from.cmp(&b.from));
    (out, conflicts)
}

fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        if matches!(c, '"' | '\\' | '$') {
            q.push('\\');
        }
        q.push(c);
    }
    q.push('"');
    q
}

/// The entries of an nginx `map $uri $gk_redirect { … }` block, one a line.
pub fn nginx_map(redirects: &[Redirect]) -> String {
    let mut s = String::from(
        "# Old URLs → new article pages and copied files, written by `gongkai import html`.\n# Included by deploy/nginx.conf into `map $uri $gk_redirect { … }` (docs/deployment.md).\n",
    );
    for r in redirects {
        s.push_str(&format!("{} {};\n", quote(&r.from), quote(&r.to)));
    }
    s
}

/// The same as CSV: `old_url,old_path,new_url`.
pub fn csv(redirects: &[Redirect]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["old_url", "old_path", "new_url"]);
    for r in redirects {
        let _ = w.write_record([&r.old_url, &r.from, &r.to]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_and_csv() {
        let pairs = vec![
            (
                "http://www.wushan.gov.cn/art/2023/7/14/art_1_2.html".to_owned(),
                "kjj1-2023-00026".to_owned(),
            ),
            (
                "http://www.wushan.gov.cn/xxgk/%E9%80%9A%E7%9F%A5.html".to_owned(),
                "kjj1-2023-00027".to_owned(),
            ),
            (
                "http://www.wushan.gov.cn/art/2023/7/14/art_1_2.html".to_owned(),
                "kjj1-2023-00099".to_owned(),
            ),
        ];
        let files = vec![
            (
                "http://www.wushan.gov.cn/zwgk/P02.docx".to_owned(),
                "https://new.gov.cn/files/zwgk/P02.docx".to_owned(),
            ),
            (
                "http://www.wushan.gov.cn/download.jsp?id=1".to_owned(),
                "https://new.gov.cn/files/download-1.xlsx".to_owned(),
            ),
        ];
        let (r, conflicts) = build(&pairs, &files, "/");
        assert_eq!(r.len(), 3, "no entry for a file URL with a query: {r:?}");
        assert_eq!(conflicts.len(), 1);
        let map = nginx_map(&r);
        assert!(
            map.contains("\"/art/2023/7/14/art_1_2.html\" \"/article/kjj1-2023-00026\";\n"),
            "{map}"
        );
        assert!(
            map.contains("\"/xxgk/通知.html\" \"/article/kjj1-2023-00027\";\n"),
            "decoded as $uri is: {map}"
        );
        assert!(
            map.contains("\"/zwgk/P02.docx\" \"https://new.gov.cn/files/zwgk/P02.docx\";\n"),
            "{map}"
        );
        let csv = csv(&r);
        assert!(csv.starts_with("old_url,old_path,new_url\n"));
        assert!(csv.contains("http://www.wushan.gov.cn/art/2023/7/14/art_1_2.html,/art/2023/7/14/art_1_2.html,/article/kjj1-2023-00026"));
        let (r, _) = build(&pairs[..1], &[], "https://new.example.gov.cn/kjj");
        assert_eq!(
            r[0].to,
            "https://new.example.gov.cn/kjj/article/kjj1-2023-00026"
        );
    }
}
