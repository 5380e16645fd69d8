//! A doc line for each model whose schema says nothing about itself (no description, or
//! a title that only repeats the name): where the type appears, so a reader of
//! `DiscountBase` learns it is `Order.discount` and a reader of `CheckoutSortProperty`
//! learns which list takes it.

use std::collections::BTreeMap;

use super::names::TypeNames;
use super::OperationPlan;
use crate::ir::{Api, Docs, ResponseBody, TypeId, TypeKind, TypeRef};

/// Uses shown before "and N more".
const SHOWN: usize = 3;

/// The usage line of every model whose schema gives no docs, by id.
pub fn usage_docs(
    api: &Api,
    names: &BTreeMap<TypeId, TypeNames>,
    operations: &[OperationPlan],
) -> BTreeMap<TypeId, String> {
    let mut uses: BTreeMap<TypeId, Vec<String>> = BTreeMap::new();
    let mut add = |ty: &TypeRef, text: &dyn Fn() -> String| {
        ty.walk(&mut |inner| {
            if let TypeRef::Named(id) = inner {
                let entry = uses.entry(id.clone()).or_default();
                let text = text();
                if !entry.contains(&text) {
                    entry.push(text);
                }
            }
        });
    };
    for (op, plan) in api.operations.iter().zip(operations) {
        let call = {
            let mut chain = String::from("client");
            for accessor in &plan.names.accessors {
                chain.push_str(&format!(".{accessor}()"));
            }
            format!("`{chain}.{}()`", plan.names.method)
        };
        if let Some(body) = &op.body {
            add(&body.ty, &|| format!("the request body of {call}"));
        }
        if let Some(pagination) = &op.pagination {
            add(&pagination.item, &|| format!("an item of {call}"));
            if let ResponseBody::Json(TypeRef::Named(page)) = &op.success.body {
                add(&TypeRef::Named(page.clone()), &|| {
                    format!("a page of {call}")
                });
            }
        } else if let ResponseBody::Json(ty) = &op.success.body {
            add(ty, &|| format!("the response of {call}"));
        }
        for error in &op.errors {
            add(&error.ty, &|| {
                format!("the {} error body of {call}", error.status)
            });
        }
        for (param, rust) in op.params.iter().zip(&plan.params) {
            add(&param.ty, &|| format!("the `{rust}` parameter of {call}"));
        }
    }
    for hook in &api.webhooks {
        add(&TypeRef::Named(hook.payload.clone()), &|| {
            format!("the payload of the `{}` webhook", hook.event)
        });
    }
    for def in api.types.values() {
        let owner = names.get(&def.id).map_or("", |n| n.name.as_str());
        match &def.kind {
            TypeKind::Struct(s) => {
                for field in &s.fields {
                    add(&field.ty, &|| format!("`{owner}.{}`", field.name));
                }
            }
            TypeKind::Union(u) => {
                for variant in &u.variants {
                    add(&variant.ty, &|| format!("a branch of `{owner}`"));
                }
            }
            TypeKind::Alias(ty) => add(ty, &|| format!("the value of `{owner}`")),
            TypeKind::Enum(_) => {}
        }
    }
    uses.into_iter()
        .filter(|(id, list)| {
            let name = names.get(id).map_or("", |n| n.name.as_str());
            !list.is_empty()
                && api
                    .types
                    .get(id)
                    .is_some_and(|def| !says_something(&def.docs, name))
        })
        .map(|(id, list)| (id, sentence(&list)))
        .collect()
}

/// `Used as a, b and c.` / `Used as a, b, c and 4 more.`
fn sentence(uses: &[String]) -> String {
    let shown: Vec<&str> = uses.iter().take(SHOWN).map(String::as_str).collect();
    let rest = uses.len() - shown.len();
    let list = match (shown.as_slice(), rest) {
        ([one], 0) => (*one).to_owned(),
        (many, 0) => {
            let (last, init) = many.split_last().expect("not empty");
            format!("{} and {last}", init.join(", "))
        }
        (many, rest) => format!("{} and {rest} more", many.join(", ")),
    };
    let mut text = format!("Used as {list}.");
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

/// Whether `docs` says more than `name` (Polar's titles mostly repeat it).
pub fn says_something(docs: &Docs, name: &str) -> bool {
    use crate::names::letters;
    let name = letters(name);
    [&docs.title, &docs.description]
        .into_iter()
        .flatten()
        .any(|text| letters(text) != name && !text.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_lists_three_uses_then_counts() {
        let uses: Vec<String> = ["`A.x`", "`B.x`", "`C.x`", "`D.x`"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(sentence(&uses[..1]), "Used as `A.x`.");
        assert_eq!(sentence(&uses[..2]), "Used as `A.x` and `B.x`.");
        assert_eq!(sentence(&uses), "Used as `A.x`, `B.x`, `C.x` and 1 more.");
    }

    #[test]
    fn a_title_repeating_the_name_says_nothing() {
        let titled = |t: &str| Docs {
            title: Some(t.to_owned()),
            ..Docs::default()
        };
        assert!(!says_something(&titled("Order Status"), "OrderStatus"));
        assert!(says_something(
            &titled("How an order stands"),
            "OrderStatus"
        ));
        assert!(!says_something(&Docs::default(), "OrderStatus"));
    }
}
