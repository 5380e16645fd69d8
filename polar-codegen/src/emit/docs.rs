//! Doc comments from spec text, made safe for rustdoc: code fences are marked `text`
//! so that Python or TypeScript samples are never compiled as doctests.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Docs;

/// Doc attributes for `docs`, followed by `extra` paragraphs.
pub fn doc_attrs(docs: &Docs, extra: &[String]) -> TokenStream {
    let mut paragraphs: Vec<String> = Vec::new();
    // Polar's titles are mostly the humanized name ("Created At"): the description says more.
    match (&docs.title, &docs.description) {
        (_, Some(description)) => paragraphs.push(description.clone()),
        (Some(title), None) => paragraphs.push(title.clone()),
        (None, None) => {}
    }
    let mut paragraphs: Vec<String> = paragraphs.iter().map(|p| clean_indent(p)).collect();
    paragraphs.extend(extra.iter().cloned());
    let text = sanitize(&paragraphs.join("\n\n"));
    lines_to_attrs(&text)
}

/// [`doc_attrs`] for the item named `name`, leaving out a title or description that
/// only repeats the name (Polar's titles are mostly the humanized name: `Created At` on
/// `created_at`).
pub fn doc_attrs_for(docs: &Docs, name: &str, extra: &[String]) -> TokenStream {
    use crate::names::letters;
    let name = letters(name);
    let informative = |text: &Option<String>| text.clone().filter(|t| letters(t) != name);
    let docs = Docs {
        title: informative(&docs.title),
        description: informative(&docs.description),
        deprecated: docs.deprecated,
    };
    doc_attrs(&docs, extra)
}

pub fn lines_to_attrs(text: &str) -> TokenStream {
    if text.trim().is_empty() {
        return quote!();
    }
    let lines = text.lines().map(|line| {
        // prettyplease prints `#[doc = "x"]` as `///x`: keep a space after `///`.
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Remove the indentation Python docstrings carry (as `inspect.cleandoc`): four or more
/// leading spaces would make rustdoc render prose as a code block.
pub fn clean_indent(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let indent = lines
        .iter()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.trim_start()
            } else {
                l.get(indent..).unwrap_or("")
            }
        })
        .collect();
    while out.first().is_some_and(|l| l.trim().is_empty()) {
        out.remove(0);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// Mark every code fence as plain text and trim trailing whitespace.
pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("```") {
            if in_fence {
                out.push("```".to_owned());
            } else {
                let _ = rest;
                out.push("```text".to_owned());
            }
            in_fence = !in_fence;
            continue;
        }
        out.push(line.trim_end().to_owned());
    }
    if in_fence {
        out.push("```".to_owned());
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_that_repeat_the_name_are_dropped() {
        let titled = |title: &str| Docs {
            title: Some(title.to_owned()),
            ..Docs::default()
        };
        assert!(doc_attrs_for(&titled("Created At"), "created_at", &[]).is_empty());
        assert!(doc_attrs_for(&titled("Line1"), "line1", &[]).is_empty());
        let described = Docs {
            description: Some("Order ID".to_owned()),
            ..Docs::default()
        };
        assert!(doc_attrs_for(&described, "order_id", &[]).is_empty());
        let kept = doc_attrs_for(&titled("When it was made"), "created_at", &[]).to_string();
        assert!(kept.contains("When it was made"), "{kept}");
    }

    #[test]
    fn docstring_indentation_is_removed() {
        let text = "\n        Status.\n\n        - Open: opened.\n          more\n    ";
        assert_eq!(clean_indent(text), "Status.\n\n- Open: opened.\n  more");
    }

    #[test]
    fn fences_become_text_and_are_closed() {
        let text = "Intro\n```python\nprint(1)\n```\n```\nunclosed";
        assert_eq!(
            sanitize(text),
            "Intro\n```text\nprint(1)\n```\n```text\nunclosed\n```"
        );
    }
}
