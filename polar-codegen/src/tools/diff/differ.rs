//! The comparison itself: operations and webhooks here, types in [`super::types`].

use std::collections::{BTreeMap, BTreeSet};

use super::paths::normalize_path;
use super::report::{Change, ChangeKind, Item};
use super::show::{required_word, show_body, show_type};
use crate::ir::{
    Api, Field, Operation, ParamLocation, Parameter, Primitive, ResponseBody, TypeId, TypeRef,
};
use crate::plan;

/// The Rust type of a struct field, as `emit::models` writes it: the type inside the
/// `Option`s, boxing, and how many `Option`s wrap it (required + non-null: none;
/// optional + nullable in a type the client sends: `Option<Option<T>>`, the two
/// levels telling "absent" from `null`; else one).
#[derive(PartialEq, Eq)]
pub(super) struct FieldShape {
    pub(super) inner: TypeRef,
    pub(super) boxed: bool,
    pub(super) options: u8,
}

impl FieldShape {
    pub(super) fn of(f: &Field, sent: bool, boxed: bool) -> FieldShape {
        let (inner, nullable) = match &f.ty {
            TypeRef::Nullable(inner) => (inner.as_ref().clone(), true),
            other => (other.clone(), false),
        };
        let options = match (f.required, nullable) {
            (true, false) => 0,
            (false, true) if sent => 2,
            _ => 1,
        };
        FieldShape {
            inner,
            boxed,
            options,
        }
    }

    /// Rust-like spelling, e.g. `Option<Vec<String>>` (named types by spec id).
    pub(super) fn show(&self) -> String {
        fn rust(ty: &TypeRef) -> String {
            match ty {
                TypeRef::Primitive(p) => match p {
                    Primitive::String => "String",
                    Primitive::Integer => "i64",
                    Primitive::Number => "f64",
                    Primitive::Boolean => "bool",
                    Primitive::DateTime => "DateTime<Utc>",
                    Primitive::Date => "NaiveDate",
                    Primitive::Uuid => "Uuid",
                }
                .to_owned(),
                TypeRef::Array(i) => format!("Vec<{}>", rust(i)),
                TypeRef::Map { key, value } => format!("BTreeMap<{}, {}>", rust(key), rust(value)),
                TypeRef::Nullable(i) => format!("Option<{}>", rust(i)),
                TypeRef::Tuple(items) => {
                    let items: Vec<String> = items.iter().map(rust).collect();
                    format!("({})", items.join(", "))
                }
                TypeRef::Null => "()".to_owned(),
                TypeRef::Any => "Value".to_owned(),
                other => show_type(other),
            }
        }
        let mut out = rust(&self.inner);
        if self.boxed {
            out = format!("Box<{out}>");
        }
        for _ in 0..self.options {
            out = format!("Option<{out}>");
        }
        out
    }
}

pub(super) struct Differ {
    /// Old type id → new type id for types whose id changed (see [`type_renames`]).
    pub(super) renames: BTreeMap<TypeId, TypeId>,
    pub(super) changes: Vec<Change>,
    /// The plan's boxing decisions (cycle edges), old and new.
    pub(super) boxed: (Boxed, Boxed),
    /// The plan's Cargo features per type, old and new.
    pub(super) features: (TypeFeatures, TypeFeatures),
    /// The plan's Rust names per type, old and new.
    pub(super) names: (TypeNameTable, TypeNameTable),
}

/// Per type, the Rust names of the type and of its fields or variants.
pub(super) type TypeNameTable = BTreeMap<TypeId, crate::plan::TypeNames>;

/// The Rust name of type `id` in `names`.
pub(super) fn rust_name<'a>(names: &'a TypeNameTable, id: &TypeId) -> &'a str {
    names.get(id).map_or("?", |n| n.name.as_str())
}

/// The Rust names of the fields or variants of type `id` in `names`.
pub(super) fn rust_members<'a>(names: &'a TypeNameTable, id: &TypeId) -> &'a [String] {
    names.get(id).map_or(&[], |n| n.members.as_slice())
}

/// Per type, the indices of the fields or union variants the plan boxes.
pub(super) type Boxed = BTreeMap<TypeId, BTreeSet<usize>>;
/// Per type, the Cargo features that include it.
pub(super) type TypeFeatures = BTreeMap<TypeId, BTreeSet<String>>;

/// Whether the plan boxes field or variant `index` of type `id`.
pub(super) fn is_boxed(boxed: &Boxed, id: &TypeId, index: usize) -> bool {
    boxed.get(id).is_some_and(|set| set.contains(&index))
}

impl Differ {
    /// `ty` (from the old API) with renamed type ids replaced by their new ids.
    pub(super) fn renamed(&self, ty: &TypeRef) -> TypeRef {
        let mut ty = ty.clone();
        ty.walk_mut(&mut |ty| {
            if let TypeRef::Named(id) = ty {
                if let Some(new) = self.renames.get(id) {
                    *id = new.clone();
                }
            }
        });
        ty
    }

    /// Whether an old and a new type reference denote the same type.
    pub(super) fn same(&self, old: &TypeRef, new: &TypeRef) -> bool {
        self.renamed(old) == *new
    }

    pub(super) fn same_body(&self, old: &ResponseBody, new: &ResponseBody) -> bool {
        match (old, new) {
            (ResponseBody::Json(a), ResponseBody::Json(b)) => self.same(a, b),
            (a, b) => a == b,
        }
    }

    pub(super) fn push(
        &mut self,
        kind: ChangeKind,
        item: Item,
        subject: &str,
        detail: impl Into<String>,
        breaking: bool,
    ) {
        self.changes.push(Change {
            kind,
            item,
            subject: subject.to_owned(),
            detail: detail.into(),
            breaking,
        });
    }

    pub(super) fn operations(&mut self, old: &Api, new: &Api) {
        let old_ops: BTreeMap<String, &Operation> = old
            .operations
            .iter()
            .map(|o| (o.qualified_name(), o))
            .collect();
        let new_ops: BTreeMap<String, &Operation> = new
            .operations
            .iter()
            .map(|o| (o.qualified_name(), o))
            .collect();
        let route = |o: &Operation| (o.http_method, normalize_path(&o.path));
        // Added operations by route, to recognise renames.
        let mut added_by_route: BTreeMap<_, Vec<&str>> = BTreeMap::new();
        for (name, op) in &new_ops {
            if !old_ops.contains_key(name) {
                added_by_route
                    .entry(route(op))
                    .or_default()
                    .push(name.as_str());
            }
        }

        for (name, old_op) in &old_ops {
            if let Some(new_op) = new_ops.get(name) {
                self.operation(name, old_op, new_op);
                continue;
            }
            // Same route under a new name, or else the same operationId moved to a
            // new name and route.
            let renamed_to = added_by_route
                .get_mut(&route(old_op))
                .and_then(|names| names.pop())
                .or_else(|| {
                    added_by_route.values_mut().find_map(|names| {
                        let i = names
                            .iter()
                            .position(|n| new_ops[*n].operation_id == old_op.operation_id)?;
                        Some(names.remove(i))
                    })
                });
            match renamed_to {
                Some(new_name) => {
                    self.push(
                        ChangeKind::Renamed,
                        Item::Operation,
                        name,
                        format!(
                            "now `{new_name}` ({} {})",
                            old_op.http_method.as_str(),
                            old_op.path
                        ),
                        true,
                    );
                    self.operation(new_name, old_op, new_ops[new_name]);
                }
                None => self.push(
                    ChangeKind::Removed,
                    Item::Operation,
                    name,
                    format!("{} {}", old_op.http_method.as_str(), old_op.path),
                    true,
                ),
            }
        }
        for name in added_by_route.into_values().flatten() {
            let op = new_ops[name];
            self.push(
                ChangeKind::Added,
                Item::Operation,
                name,
                format!("{} {}", op.http_method.as_str(), op.path),
                false,
            );
        }
    }

    pub(super) fn operation(&mut self, name: &str, old: &Operation, new: &Operation) {
        let changed = ChangeKind::Changed;
        let op = Item::Operation;
        if (old.http_method, &old.path) != (new.http_method, &new.path) {
            let detail = format!(
                "request {} {} → {} {}",
                old.http_method.as_str(),
                old.path,
                new.http_method.as_str(),
                new.path
            );
            self.push(changed, op, name, detail, false);
        }
        let (old_feature, new_feature) = (
            plan::features::operation_feature(old),
            plan::features::operation_feature(new),
        );
        if old_feature != new_feature {
            self.push(
                changed,
                op,
                name,
                format!("cargo feature `{old_feature}` → `{new_feature}`"),
                true,
            );
        }
        match (&old.body, &new.body) {
            (None, None) => {}
            (Some(_), None) => self.push(changed, op, name, "request body removed", true),
            (None, Some(b)) => self.push(
                changed,
                op,
                name,
                format!("request body {} added", show_type(&b.ty)),
                true,
            ),
            (Some(a), Some(b)) => {
                if !self.same(&a.ty, &b.ty) {
                    let detail =
                        format!("request body {} → {}", show_type(&a.ty), show_type(&b.ty));
                    self.push(changed, op, name, detail, true);
                }
                if a.required != b.required {
                    let detail = format!(
                        "request body {} → {}",
                        required_word(a.required),
                        required_word(b.required)
                    );
                    self.push(changed, op, name, detail, true);
                }
                if a.encoding != b.encoding {
                    let detail = format!("request encoding {:?} → {:?}", a.encoding, b.encoding);
                    self.push(changed, op, name, detail, false);
                }
            }
        }
        if !self.same_body(&old.success.body, &new.success.body) {
            let detail = format!(
                "response {} → {}",
                show_body(&old.success.body),
                show_body(&new.success.body)
            );
            self.push(changed, op, name, detail, true);
        }
        if old.success.status != new.success.status {
            let detail = format!(
                "success status {} → {}",
                old.success.status, new.success.status
            );
            self.push(changed, op, name, detail, false);
        }
        let errors = |o: &Operation| -> BTreeMap<u16, TypeRef> {
            o.errors.iter().map(|e| (e.status, e.ty.clone())).collect()
        };
        let (old_errors, new_errors) = (errors(old), errors(new));
        for (status, ty) in &old_errors {
            match new_errors.get(status) {
                None => self.push(
                    changed,
                    op,
                    name,
                    format!("error {status} ({}) removed", show_type(ty)),
                    true,
                ),
                Some(new_ty) if !self.same(ty, new_ty) => {
                    let detail = format!(
                        "error {status} body {} → {}",
                        show_type(ty),
                        show_type(new_ty)
                    );
                    self.push(changed, op, name, detail, true);
                }
                Some(_) => {}
            }
        }
        for (status, ty) in &new_errors {
            if !old_errors.contains_key(status) {
                self.push(
                    changed,
                    op,
                    name,
                    format!("error {status} ({}) added", show_type(ty)),
                    false,
                );
            }
        }
        if old.security != new.security {
            let show = |security: &[crate::ir::SecurityRequirement]| {
                security
                    .iter()
                    .map(|alternative| alternative.schemes.join("+"))
                    .collect::<Vec<_>>()
                    .join(" | ")
            };
            self.push(
                changed,
                op,
                name,
                format!("security {} → {}", show(&old.security), show(&new.security)),
                false,
            );
        }
        match (&old.pagination, &new.pagination) {
            (None, Some(p)) => self.push(
                changed,
                op,
                name,
                format!("now paginated over {}", show_type(&p.item)),
                true,
            ),
            (Some(_), None) => self.push(changed, op, name, "no longer paginated", true),
            (Some(a), Some(b)) if !self.same(&a.item, &b.item) => {
                let detail = format!("page item {} → {}", show_type(&a.item), show_type(&b.item));
                self.push(changed, op, name, detail, true);
            }
            _ => {}
        }
        if old.docs.deprecated != new.docs.deprecated {
            let detail = if new.docs.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            self.push(changed, op, name, detail, false);
        }
        self.parameters(name, old, new);
    }

    pub(super) fn parameters(&mut self, op_name: &str, old_op: &Operation, new_op: &Operation) {
        let key = |p: &Parameter| (p.location, p.name.clone());
        let new_params: BTreeMap<_, &Parameter> =
            new_op.params.iter().map(|p| (key(p), p)).collect();
        // Same place and name, or else a path parameter renamed in place (`{id}` →
        // `{customer_id}`).
        let old_path: Vec<&str> = old_op.path_template.params().collect();
        let new_path: Vec<&str> = new_op.path_template.params().collect();
        let mut pairs: Vec<(&Parameter, &Parameter)> = Vec::new();
        let mut removed: Vec<&Parameter> = Vec::new();
        for old_p in &old_op.params {
            match new_params.get(&key(old_p)) {
                Some(new_p) => pairs.push((old_p, new_p)),
                None => removed.push(old_p),
            }
        }
        let paired = |pairs: &[(&Parameter, &Parameter)], p: &Parameter| {
            pairs.iter().any(|(_, n)| key(n) == key(p))
        };
        removed.retain(|old_p| {
            let renamed = (old_p.location == ParamLocation::Path)
                .then(|| old_path.iter().position(|n| *n == old_p.name))
                .flatten()
                .and_then(|i| new_path.get(i))
                .and_then(|name| new_params.get(&(ParamLocation::Path, (*name).to_owned())))
                .filter(|new_p| !paired(&pairs, new_p));
            match renamed {
                Some(new_p) => {
                    pairs.push((old_p, new_p));
                    false
                }
                None => true,
            }
        });
        let subject = |p: &Parameter| format!("{op_name}({})", p.name);
        for old_p in removed {
            let detail =
                format!("{:?} parameter {}", old_p.location, show_type(&old_p.ty)).to_lowercase();
            self.push(
                ChangeKind::Removed,
                Item::Parameter,
                &subject(old_p),
                detail,
                true,
            );
        }
        for (old_p, new_p) in &pairs {
            let s = subject(old_p);
            if old_p.name != new_p.name {
                // Required parameters are positional method arguments: their names
                // are not part of the Rust API.
                let positional = old_p.required && new_p.required;
                let detail = format!(
                    "now `{}` ({})",
                    new_p.name,
                    if positional {
                        "a positional argument: callers are unaffected"
                    } else {
                        "its builder setter is renamed"
                    }
                );
                self.push(
                    ChangeKind::Renamed,
                    Item::Parameter,
                    &s,
                    detail,
                    !positional,
                );
            }
            if !self.same(&old_p.ty, &new_p.ty) {
                let detail = format!("type {} → {}", show_type(&old_p.ty), show_type(&new_p.ty));
                self.push(ChangeKind::Changed, Item::Parameter, &s, detail, true);
            }
            if old_p.required != new_p.required {
                let detail = format!(
                    "{} → {}",
                    required_word(old_p.required),
                    required_word(new_p.required)
                );
                self.push(ChangeKind::Changed, Item::Parameter, &s, detail, true);
            }
            if old_p.style != new_p.style {
                let detail = format!("style {:?} → {:?}", old_p.style, new_p.style);
                self.push(ChangeKind::Changed, Item::Parameter, &s, detail, false);
            }
            if old_p.docs.deprecated != new_p.docs.deprecated {
                let detail = if new_p.docs.deprecated {
                    "deprecated"
                } else {
                    "no longer deprecated"
                };
                self.push(ChangeKind::Changed, Item::Parameter, &s, detail, false);
            }
        }
        for new_p in &new_op.params {
            if !paired(&pairs, new_p) {
                let detail = format!(
                    "{} {:?} parameter {}",
                    required_word(new_p.required),
                    new_p.location,
                    show_type(&new_p.ty)
                )
                .to_lowercase();
                self.push(
                    ChangeKind::Added,
                    Item::Parameter,
                    &subject(new_p),
                    detail,
                    new_p.required,
                );
            }
        }
        // Required parameters that stay required keep their place in the method's
        // argument list, or callers pass values to the wrong arguments.
        let kept: Vec<(&Parameter, &Parameter)> = pairs
            .iter()
            .copied()
            .filter(|(o, n)| o.required && n.required)
            .collect();
        let old_order: Vec<&str> = old_op
            .params
            .iter()
            .filter_map(|p| kept.iter().find(|(o, _)| std::ptr::eq(*o, p)))
            .map(|(_, n)| n.name.as_str())
            .collect();
        let new_order: Vec<&str> = new_op
            .params
            .iter()
            .filter(|p| kept.iter().any(|(_, n)| std::ptr::eq(*n, *p)))
            .map(|p| p.name.as_str())
            .collect();
        if old_order != new_order {
            let detail = format!(
                "required arguments reordered: ({}) → ({})",
                old_order.join(", "),
                new_order.join(", ")
            );
            self.push(ChangeKind::Changed, Item::Operation, op_name, detail, true);
        }
    }

    pub(super) fn webhooks(&mut self, old: &Api, new: &Api) {
        let hooks = |api: &'_ Api| -> BTreeMap<String, (crate::ir::Webhook, String)> {
            api.webhooks
                .iter()
                .cloned()
                .zip(plan::webhook_variants(&api.webhooks))
                .map(|(w, variant)| (w.event.clone(), (w, variant)))
                .collect()
        };
        let (old_hooks, new_hooks) = (hooks(old), hooks(new));
        for (event, (old_w, old_variant)) in &old_hooks {
            match new_hooks.get(event) {
                None => self.push(
                    ChangeKind::Removed,
                    Item::Webhook,
                    event,
                    format!("payload {}", old_w.payload),
                    true,
                ),
                Some((new_w, new_variant)) => {
                    if self.renames.get(&old_w.payload).unwrap_or(&old_w.payload) != &new_w.payload
                    {
                        let detail = format!("payload {} → {}", old_w.payload, new_w.payload);
                        self.push(ChangeKind::Changed, Item::Webhook, event, detail, true);
                    }
                    if old_variant != new_variant {
                        let detail = format!("event variant {old_variant} → {new_variant}");
                        self.push(ChangeKind::Renamed, Item::Webhook, event, detail, true);
                    }
                }
            }
        }
        for (event, (new_w, _)) in &new_hooks {
            if !old_hooks.contains_key(event) {
                self.push(
                    ChangeKind::Added,
                    Item::Webhook,
                    event,
                    format!("payload {}", new_w.payload),
                    false,
                );
            }
        }
    }
}
