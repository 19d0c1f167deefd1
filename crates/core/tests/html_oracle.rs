//! The parser-free HTML helpers (`gongkai_core::html`) against html5ever, the
//! parser inside the sanitiser, on generated input (proptest, fixed seed):
//! the entity decoder against html5ever's tokenizer, the search text of
//! sanitised bodies against the same, and the nesting depth against the
//! depth of the tree html5ever builds.
//!
//! Issue #15, fault 1: the decoders cut strings at byte 12 and panicked when
//! `&`, `<` or `>` came before Chinese text; fault 6: bodies nested 200,000
//! deep passed `check`.
#![cfg(feature = "build")]

use gongkai_core::html::entity::decode;
use gongkai_core::html::nesting::max_depth;
use gongkai_core::sanitize::{escape_html, sanitize};
use gongkai_core::search::html_to_text;
use html5ever::driver::{parse_fragment, ParseOpts};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tokenizer::{
    BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{local_name, ns, Attribute, QualName};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use std::borrow::Cow;
use std::cell::RefCell;

fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(15),
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------
// Oracles.

/// The text html5ever's tokenizer reads from `html` (character tokens).
fn tokenizer_text(html: &str) -> String {
    #[derive(Default)]
    struct Text(RefCell<String>);
    impl TokenSink for Text {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let Token::CharacterTokens(t) = token {
                self.0.borrow_mut().push_str(&t);
            }
            TokenSinkResult::Continue
        }
    }
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // Not the browser's input-stream step that drops a leading BOM: the
    // decoder sees text from inside a body, where a U+FEFF is kept.
    let opts = TokenizerOpts {
        discard_bom: false,
        ..TokenizerOpts::default()
    };
    let tok = Tokenizer::new(Text::default(), opts);
    let _ = tok.feed(&input);
    tok.end();
    tok.sink.0.into_inner()
}

/// A tree sink that only records each node's parent and element name.
#[derive(Default)]
struct Depths {
    /// Per node: name (elements only) and parent; node 0 is the document.
    nodes: RefCell<Vec<(Option<&'static QualName>, Option<usize>)>>,
}

impl Depths {
    fn node(&self, name: Option<QualName>) -> usize {
        let name = name.map(|n| &*Box::leak(Box::new(n)));
        let mut nodes = self.nodes.borrow_mut();
        if nodes.is_empty() {
            nodes.push((None, None)); // the document
        }
        nodes.push((name, None));
        nodes.len() - 1
    }

    fn attach(&self, parent: usize, child: NodeOrText<usize>) {
        if let NodeOrText::AppendNode(c) = child {
            self.nodes.borrow_mut()[c].1 = Some(parent);
        }
    }
}

impl TreeSink for Depths {
    type Handle = usize;
    type Output = usize;
    type ElemName<'a> = &'static QualName;

    /// The depth of the deepest element in the finished tree.
    fn finish(self) -> usize {
        let nodes = self.nodes.into_inner();
        let depth = |mut n: usize| {
            let mut d: usize = 0;
            while let Some(p) = nodes[n].1 {
                d += 1;
                n = p;
            }
            // In the document: fragment parsing puts the body's elements
            // under an <html> root.
            (n == 0).then(|| d.saturating_sub(1))
        };
        (1..nodes.len())
            .filter(|&n| nodes[n].0.is_some())
            .filter_map(depth)
            .max()
            .unwrap_or(0)
    }
    fn parse_error(&self, _: Cow<'static, str>) {}
    fn get_document(&self) -> usize {
        if self.nodes.borrow().is_empty() {
            self.node(None);
        }
        0
    }
    fn elem_name<'a>(&'a self, target: &'a usize) -> &'static QualName {
        self.nodes.borrow()[*target].0.expect("an element")
    }
    fn create_element(&self, name: QualName, _: Vec<Attribute>, _: ElementFlags) -> usize {
        self.node(Some(name))
    }
    fn create_comment(&self, _: StrTendril) -> usize {
        self.node(None)
    }
    fn create_pi(&self, _: StrTendril, _: StrTendril) -> usize {
        self.node(None)
    }
    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        self.attach(*parent, child);
    }
    fn append_based_on_parent_node(&self, element: &usize, prev: &usize, child: NodeOrText<usize>) {
        let parent = self.nodes.borrow()[*element].1;
        self.attach(parent.unwrap_or(*prev), child);
    }
    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}
    fn get_template_contents(&self, target: &usize) -> usize {
        *target
    }
    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }
    fn set_quirks_mode(&self, _: QuirksMode) {}
    fn append_before_sibling(&self, sibling: &usize, child: NodeOrText<usize>) {
        let parent = self.nodes.borrow()[*sibling].1.unwrap_or(0);
        self.attach(parent, child);
    }
    fn add_attrs_if_missing(&self, _: &usize, _: Vec<Attribute>) {}
    fn remove_from_parent(&self, target: &usize) {
        self.nodes.borrow_mut()[*target].1 = None;
    }
    fn reparent_children(&self, node: &usize, new_parent: &usize) {
        let mut nodes = self.nodes.borrow_mut();
        for n in nodes.iter_mut().filter(|n| n.1 == Some(*node)) {
            n.1 = Some(*new_parent);
        }
    }
}

/// The depth of the deepest element html5ever builds from `html`, parsed
/// as the sanitiser parses it (a fragment in a `<div>`).
fn tree_depth(html: &str) -> usize {
    parse_fragment(
        Depths::default(),
        ParseOpts::default(),
        QualName::new(None, ns!(html), local_name!("div")),
        vec![],
        false,
    )
    .one(html)
}

// ---------------------------------------------------------------------------
// Generators.

/// Text around references: Chinese, full-width and ASCII punctuation, the
/// characters of references (`&`, `#`, `;`), no ASCII letters or digits
/// (those only come inside the references below, so that every `&` either
/// starts a reference the decoder knows or cannot start one).
fn plain_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::char::range('\u{4E00}', '\u{9FFF}'),
        1 => prop::sample::select(vec![
            '&', '&', '#', ';', ';', ' ', '>', '"', '\'', '=', '/', '，', '。', '《', '》', '“',
            '、', '（', '\u{A0}', '\u{3000}', '😀', 'é', '\u{FEFF}',
        ]),
    ]
}

fn reference() -> impl Strategy<Value = String> {
    let scalar = prop_oneof![
        0x20u32..0x7F,
        0xA0u32..0xD800,
        0xE000u32..0xFDD0,
        0x10000u32..0x10FFFE
    ];
    prop_oneof![
        prop::sample::select(vec![
            "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&nbsp;", "&#39;"
        ])
        .prop_map(str::to_owned),
        scalar.clone().prop_map(|n| format!("&#{n};")),
        scalar.clone().prop_map(|n| format!("&#x{n:x};")),
        scalar.prop_map(|n| format!("&#X{n:04X};")),
        Just("&#".to_owned()),
        Just("&#x".to_owned()),
    ]
}

/// Strings of references and plain text, e.g. `&lt;&lt;中华&#x4E2D;&;`.
fn referenced_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            2 => plain_char().prop_map(String::from),
            1 => reference(),
        ],
        0..40,
    )
    .prop_map(|v| v.concat())
}

/// Any text, markup characters included (no CR or NUL: the parser rewrites
/// those before tokenizing).
fn any_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => plain_char(),
            1 => prop::sample::select(vec!['<', '<', '>', 'a', 'p', 'b', '!', '-', 'x', '1', '\n']),
            1 => any::<char>().prop_filter("no CR or NUL", |c| !matches!(c, '\r' | '\0')),
        ],
        0..60,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// Markup as CMSs write it: nested blocks, inline formatting, lists and
/// tables, with the end tags HTML lets authors omit sometimes left out,
/// tag names in either case, comments and scripts holding fake tags.
fn markup() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        4 => referenced_text(),
        1 => prop::sample::select(vec![
            "<br>", "<img src=a.png alt='图>'>", "<hr>", "<!-- <div><div> -->",
            "<script>if (a<b) '<div>'</script>", "<style>p>b{}</style>", "<input value=1>",
            "</span>", "</div>", "</p>",
        ])
        .prop_map(str::to_owned),
    ];
    leaf.prop_recursive(8, 256, 5, |inner| {
        let kids = prop::collection::vec(inner, 0..5).prop_map(|v| v.concat());
        let name = prop::sample::select(vec![
            "div",
            "p",
            "span",
            "b",
            "strong",
            "em",
            "font",
            "a",
            "h2",
            "h3",
            "blockquote",
            "section",
            "pre",
            "u",
            "sub",
            "center",
        ]);
        let case = any::<bool>();
        prop_oneof![
            (name, kids.clone(), any::<bool>(), case).prop_map(|(n, k, close, upper)| {
                let n = if upper {
                    n.to_ascii_uppercase()
                } else {
                    n.to_owned()
                };
                let omit = !close && matches!(&*n.to_ascii_lowercase(), "p");
                format!(
                    "<{n} class=\"x\">{k}{}",
                    if omit {
                        String::new()
                    } else {
                        format!("</{n}>")
                    }
                )
            }),
            (
                prop::sample::select(vec!["ul", "ol"]),
                prop::collection::vec((kids.clone(), any::<bool>()), 0..4)
            )
                .prop_map(|(list, items)| {
                    let items: String = items
                        .into_iter()
                        .map(|(k, close)| format!("<li>{k}{}", if close { "</li>" } else { "" }))
                        .collect();
                    format!("<{list}>{items}</{list}>")
                }),
            (
                any::<bool>(),
                prop::collection::vec(
                    (
                        prop::collection::vec((kids, any::<bool>()), 0..3),
                        any::<bool>()
                    ),
                    0..3
                )
            )
                .prop_map(|(tbody, rows)| {
                    let rows: String = rows
                        .into_iter()
                        .map(|(cells, close)| {
                            let cells: String = cells
                                .into_iter()
                                .map(|(k, close)| {
                                    format!("<td>{k}{}", if close { "</td>" } else { "" })
                                })
                                .collect();
                            format!("<tr>{cells}{}", if close { "</tr>" } else { "" })
                        })
                        .collect();
                    if tbody {
                        format!("<table><tbody>{rows}</tbody></table>")
                    } else {
                        format!("<table>{rows}</table>")
                    }
                }),
        ]
    })
}

/// Start and end tags in any order.
fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(vec![
                "div", "p", "span", "b", "i", "font", "a", "h2", "li", "ul", "table", "tr", "td",
                "th", "tbody", "caption", "option", "select", "svg", "math", "dd", "dt", "pre",
                "em", "nobr", "button", "object", "br", "img", "hr",
            ]),
            0u8..3,
            prop::sample::select(vec!["", "x", "中"]),
        ),
        0..40,
    )
    .prop_map(|v| {
        v.into_iter()
            .map(|(n, k, t)| match k {
                0 => format!("<{n}>{t}"),
                1 => format!("</{n}>{t}"),
                _ => format!("<{n} id=1>{t}"),
            })
            .collect()
    })
}

// ---------------------------------------------------------------------------
// Properties.

proptest! {
    #![proptest_config(config(2000))]

    /// Any text escaped as the sanitiser escapes it decodes back to itself.
    #[test]
    fn escaped_text_decodes_to_itself(t in any_text()) {
        prop_assert_eq!(decode(&escape_html(&t)), t);
    }

    /// Text with references decodes as html5ever's tokenizer reads it.
    #[test]
    fn decode_agrees_with_the_tokenizer(s in referenced_text()) {
        prop_assert_eq!(decode(&s), tokenizer_text(&s));
    }

    /// Any input: neither decoder nor the search text panics, and the
    /// search text of a sanitised body is the text html5ever reads from it.
    #[test]
    fn search_text_of_sanitised_bodies_agrees_with_the_tokenizer(t in any_text()) {
        let _ = decode(&t);
        let _ = html_to_text(&t);
        let _ = max_depth(&t, 256);
        let html = sanitize(&t).html;
        let ours: String = html_to_text(&html).chars().filter(|&c| c != '\n').collect();
        let theirs: String = tokenizer_text(&html).chars().filter(|&c| c != '\n').collect();
        prop_assert_eq!(ours, theirs, "sanitised: {:?}", html);
    }
}

proptest! {
    #![proptest_config(config(1500))]

    /// The depth `max_depth` finds is the depth of the tree html5ever builds.
    #[test]
    fn depth_agrees_with_the_tree_builder(html in markup()) {
        prop_assert_eq!(max_depth(&html, 100_000), Ok(tree_depth(&html)), "{}", html);
    }

    /// On any input, never a panic.
    #[test]
    fn depth_of_any_text(t in any_text()) {
        let _ = max_depth(&t, 4);
    }
}

proptest! {
    #![proptest_config(config(3000))]

    /// On tag soup (misnested formatting elements, tables without cells,
    /// `<svg>`, `<select>`…) never less than the tree's depth: the depth
    /// while parsing can be more than the finished tree's, when misnested
    /// `</b>` or `<a>` move elements up.
    #[test]
    fn depth_of_tag_soup_is_never_less_than_the_trees(html in soup()) {
        let ours = max_depth(&html, 100_000).unwrap();
        prop_assert!(ours >= tree_depth(&html), "{} for {}", ours, html);
    }
}

/// The sample feed's bodies: the same depth as html5ever's tree.
#[test]
fn sample_feed_depths_agree_with_the_tree_builder() {
    let feed: serde_json::Value =
        serde_json::from_str(include_str!("../../../content/feed.json")).unwrap();
    let mut deepest = 0;
    for item in feed["items"].as_array().unwrap() {
        if let Some(html) = item["content_html"].as_str() {
            let d = max_depth(html, 100_000).unwrap();
            assert_eq!(d, tree_depth(html), "{}", item["id"]);
            deepest = deepest.max(d);
        }
    }
    assert!(deepest >= 3, "the sample has tables: {deepest}");
}
