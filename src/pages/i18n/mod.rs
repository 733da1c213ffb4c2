//! The words of the webview and of the bank's consent page, one catalogue per language.
//!
//! Powens' webview speaks French unless told otherwise: `/webview/fr/...` and
//! `/webview/en/...` choose, the bare path follows the browser's `Accept-Language` (French
//! when it says nothing), and the other language codes of Powens' list get English.
//! Every text is a field of [`Texts`], so a language that forgets one does not compile;
//! `{name}` placeholders are filled by [`fill`] (plain text) or [`rich`] (markup values).

use maud::{html, Markup};

mod en;
mod fr;
mod texts;

pub use en::EN;
pub use fr::FR;
pub use texts::Texts;

/// A language the pages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// The language of a code (`fr`, `fr-CA`...); every other code is English.
    pub fn of_code(code: &str) -> Lang {
        let primary = code.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }

    /// The language for an `Accept-Language` header: French or English in the browser's
    /// order of preference (`q` weights), French when the header is absent, empty or `*`,
    /// English when it names only other languages.
    pub fn negotiate(accept: Option<&str>) -> Lang {
        let Some(accept) = accept.map(str::trim).filter(|a| !a.is_empty()) else {
            return Lang::Fr;
        };
        let mut ranges: Vec<(&str, u16)> = accept
            .split(',')
            .filter_map(|item| {
                let mut parts = item.split(';');
                let tag = parts.next()?.trim();
                let q = parts
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .next()
                    .map_or(Some(1000), |q| {
                        q.trim().parse::<f32>().ok().map(|q| (q * 1000.0) as u16)
                    })?;
                (!tag.is_empty() && q > 0).then_some((tag, q))
            })
            .collect();
        // A stable sort keeps the header's order among equal weights.
        ranges.sort_by_key(|r| std::cmp::Reverse(r.1));
        for (tag, _) in ranges {
            let primary = tag.split('-').next().unwrap_or("");
            if tag == "*" || primary.eq_ignore_ascii_case("fr") {
                return Lang::Fr;
            }
            if primary.eq_ignore_ascii_case("en") {
                return Lang::En;
            }
        }
        Lang::En
    }

    /// The code of the `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Fr => &FR,
            Lang::En => &EN,
        }
    }
}

/// The texts of a page in the language of this code.
pub fn texts(code: &str) -> &'static Texts {
    Lang::of_code(code).texts()
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// `template` as markup, its text escaped and each `{name}` replaced by its markup.
pub fn rich(template: &str, args: &[(&str, Markup)]) -> Markup {
    let mut rest = template;
    let mut parts: Vec<Markup> = Vec::new();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        match args.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => {
                let before = &rest[..start];
                parts.push(html! { (before) });
                parts.push(value.clone());
            }
            None => {
                let kept = &rest[..start + len + 1];
                parts.push(html! { (kept) });
            }
        }
        rest = &rest[start + len + 1..];
    }
    html! { @for p in parts { (p) } (rest) }
}

#[cfg(test)]
mod tests {
    use crate::pages::i18n::{fill, rich, Lang, EN, FR};
    use maud::html;

    fn placeholders(t: &str) -> Vec<&str> {
        let mut out: Vec<&str> = t
            .split('{')
            .skip(1)
            .filter_map(|r| r.split_once('}').map(|(name, _)| name))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn both_languages_define_every_key_with_the_same_placeholders() {
        let (en, fr) = (EN.entries(), FR.entries());
        assert_eq!(en.len(), fr.len());
        for ((key, e), (key_fr, f)) in en.iter().zip(&fr) {
            assert_eq!(key, key_fr);
            assert!(!e.trim().is_empty(), "{key} is empty in English");
            assert!(!f.trim().is_empty(), "{key} is empty in French");
            assert_eq!(placeholders(e), placeholders(f), "placeholders of {key}");
        }
    }

    #[test]
    fn the_french_catalogue_is_translated() {
        let same: Vec<&str> = EN
            .entries()
            .iter()
            .zip(FR.entries())
            .filter(|((_, e), (_, f))| e == f)
            .map(|((k, _), _)| *k)
            .collect();
        assert!(same.is_empty(), "not translated: {same:?}");
    }

    #[test]
    fn codes_other_than_french_are_english() {
        assert_eq!(Lang::of_code("fr"), Lang::Fr);
        assert_eq!(Lang::of_code("fr-CA"), Lang::Fr);
        assert_eq!(Lang::of_code("FR"), Lang::Fr);
        for code in ["en", "de", "nl", "pt", "it", "es", ""] {
            assert_eq!(Lang::of_code(code), Lang::En, "{code}");
        }
    }

    #[test]
    fn the_browser_language_is_french_unless_it_prefers_english_or_names_neither() {
        let cases = [
            (None, Lang::Fr),
            (Some(""), Lang::Fr),
            (Some("*"), Lang::Fr),
            (Some("fr-FR,fr;q=0.9,en;q=0.8"), Lang::Fr),
            (Some("en-US,en;q=0.9,fr;q=0.8"), Lang::En),
            (Some("en"), Lang::En),
            (Some("de-DE"), Lang::En),
            (Some("de, fr;q=0.5"), Lang::Fr),
            (Some("fr;q=0.2, en;q=0.7"), Lang::En),
            (Some("fr;q=0, en"), Lang::En),
            (Some("es, *;q=0.1"), Lang::Fr),
            (Some("garbage;q=x"), Lang::En),
        ];
        for (header, want) in cases {
            assert_eq!(Lang::negotiate(header), want, "{header:?}");
        }
    }

    #[test]
    fn placeholders_are_filled_and_values_escaped() {
        assert_eq!(fill("Connect {bank}", &[("bank", "B")]), "Connect B");
        let m = rich(
            "{app} asks <{bank}> {unknown}",
            &[("app", html! { strong { "A&B" } }), ("bank", html! { "K" })],
        );
        assert_eq!(
            m.into_string(),
            "<strong>A&amp;B</strong> asks &lt;K&gt; {unknown}"
        );
    }
}
