//! API-surface diff between two [`Api`]s, classified by what it means for users of
//! the generated Rust crate. The comparison goes through the IR, never through spec
//! text, so reordering or rewording the spec produces no noise.
//!
//! # What counts as breaking
//!
//! A change is *breaking* when code that compiled against the old crate may stop
//! compiling (or silently lose a capability it relied on). The generated code's shape
//! decides this:
//!
//! - Enums (from `enum` schemas), unions and the webhook event enum are
//!   `#[non_exhaustive]` and carry an `Unknown` variant, so **adding** a value, variant
//!   or webhook event is not breaking; removing or renaming one is.
//! - Structs are **not** `#[non_exhaustive]`, so users can build them with struct
//!   literals. Users build *input* structs (request bodies and parameters,
//!   `usage.input`): adding any field to one is breaking (a struct literal without
//!   `..` no longer compiles), whether the field is required or optional; the detail
//!   says which. Output and webhook structs are only received, and building them by
//!   hand (e.g. in tests) is not covered: adding a field to them is not breaking.
//! - Removing a field is breaking. A field whose type, requiredness, nullability or
//!   boxing changes is breaking when its *Rust* type changes (see `emit::models`:
//!   required non-null `T`; required nullable or optional `Option<T>`; optional
//!   nullable in a request type `Option<Option<T>>`). So an output field going from
//!   required-nullable to optional is reported, but not as breaking, and a struct
//!   that starts being sent breaks through its optional nullable fields.
//! - A type that loses a use loses a derived impl (`Serialize` for input,
//!   `Deserialize` for output and webhook): breaking. Gaining a use is not.
//! - A type or operation that leaves a cargo feature it used to be in: breaking
//!   (builds enabling only that feature lose it). Joining features is not.
//! - Types are matched by spec id. Inline types get ids from where they occur
//!   (`Parent.field`, `op.error403`, `Name#2`), so a removed and an added type with
//!   the same Rust name and kind, or the same unambiguous shape, are one type whose id
//!   changed: silent when the Rust name is kept, a breaking rename otherwise, and
//!   references to it do not count as type changes.
//! - Operations: removing or renaming (a new qualified name on the same method and
//!   path, or with the same operationId) is breaking. Required parameters are positional method arguments and optional ones
//!   are builder setters, so adding a required parameter, removing any, changing a
//!   type, flipping requiredness or reordering required ones is breaking; adding an
//!   optional parameter, or renaming a path parameter in place (`{id}` →
//!   `{customer_id}`), is not. Changing
//!   the request body type, its requiredness, the success body type or pagination
//!   is breaking. A removed error status is breaking (a `match` arm on it no longer
//!   compiles); an added one is not (error enums are non-exhaustive). Path, HTTP
//!   method, success status, auth and deprecation changes are wire or documentation
//!   changes, reported but not breaking.
//! - Deprecation and documentation never break anything.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::catalog::normalize_path;
use crate::ir::{
    Api, EnumDef, Field, Operation, ParamLocation, Parameter, Primitive, ResponseBody, StructDef,
    TypeDef, TypeId, TypeKind, TypeRef, UnionDef, Usage,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Renamed,
    Changed,
}

impl ChangeKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// What kind of API element a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Item {
    Operation,
    Parameter,
    Webhook,
    Type,
    Field,
    EnumValue,
    UnionVariant,
}

impl Item {
    pub fn plural(&self) -> &'static str {
        match self {
            Item::Operation => "operations",
            Item::Parameter => "parameters",
            Item::Webhook => "webhook events",
            Item::Type => "types",
            Item::Field => "fields",
            Item::EnumValue => "enum values",
            Item::UnionVariant => "union variants",
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Item::Operation => "operation",
            Item::Parameter => "parameter",
            Item::Webhook => "webhook",
            Item::Type => "type",
            Item::Field => "field",
            Item::EnumValue => "enum value",
            Item::UnionVariant => "union variant",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub item: Item,
    /// Stable name of the element: an operation's qualified name, an event name, a
    /// type id, `Type.field`, `Type::value`, `operation(param)`.
    pub subject: String,
    pub detail: String,
    pub breaking: bool,
}

/// Size of one API surface.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SurfaceCounts {
    pub operations: usize,
    pub webhooks: usize,
    pub types: usize,
}

impl SurfaceCounts {
    pub fn of(api: &Api) -> SurfaceCounts {
        SurfaceCounts {
            operations: api.operations.len(),
            webhooks: api.webhooks.len(),
            types: api.types.len(),
        }
    }
}

/// Totals of a report, for its heading and for CI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DiffSummary {
    pub old_version: String,
    pub new_version: String,
    pub old: SurfaceCounts,
    pub new: SurfaceCounts,
    pub breaking: usize,
    pub non_breaking: usize,
    /// Number of changes per item and kind, e.g. `operation` → `added` → 9.
    pub by_item: BTreeMap<Item, BTreeMap<ChangeKind, usize>>,
}

impl DiffSummary {
    /// The heading of [`DiffReport::to_text`].
    pub fn to_text(&self) -> String {
        let surface = |version: &str, c: SurfaceCounts| {
            format!(
                "(API version {version}): {} operations, {} webhook events, {} types",
                c.operations, c.webhooks, c.types
            )
        };
        let mut out = String::new();
        let _ = writeln!(out, "Old {}", surface(&self.old_version, self.old));
        let _ = writeln!(out, "New {}", surface(&self.new_version, self.new));
        let _ = writeln!(
            out,
            "{} breaking, {} non-breaking change(s)",
            self.breaking, self.non_breaking
        );
        for item in self.by_item.keys() {
            let kinds: Vec<String> = [
                ChangeKind::Added,
                ChangeKind::Removed,
                ChangeKind::Renamed,
                ChangeKind::Changed,
            ]
            .into_iter()
            .filter_map(|kind| match self.count(*item, kind) {
                0 => None,
                n => Some(format!("{n} {}", kind.as_str())),
            })
            .collect();
            let _ = writeln!(out, "  {}: {}", item.plural(), kinds.join(", "));
        }
        out
    }

    fn count(&self, item: Item, kind: ChangeKind) -> usize {
        self.by_item
            .get(&item)
            .and_then(|kinds| kinds.get(&kind))
            .copied()
            .unwrap_or(0)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    pub summary: DiffSummary,
    /// Breaking changes first, then by item, subject, kind and detail.
    pub changes: Vec<Change>,
}

impl DiffReport {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.breaking)
    }

    pub fn has_breaking(&self) -> bool {
        self.breaking().next().is_some()
    }

    /// Human-readable report: the summary, then breaking changes, then the others,
    /// one line per change.
    pub fn to_text(&self) -> String {
        let mut out = self.summary.to_text();
        out.push('\n');
        if self.changes.is_empty() {
            out.push_str("No API surface changes.\n");
            return out;
        }
        out.push_str(&self.changes_text());
        out
    }

    /// One line per change, breaking changes first.
    pub fn changes_text(&self) -> String {
        let mut out = String::new();
        for (breaking, heading) in [(true, "Breaking changes"), (false, "Non-breaking changes")] {
            let group: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.breaking == breaking)
                .collect();
            if group.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push('\n');
            }
            let _ = writeln!(out, "{heading} ({}):", group.len());
            for c in group {
                let _ = writeln!(
                    out,
                    "- {} {} `{}`: {}",
                    c.kind.as_str(),
                    c.item.as_str(),
                    c.subject,
                    c.detail
                );
            }
        }
        out
    }
}

/// Whether `api` looks like a Polar API worth comparing: it has operations and
/// webhook events. Any OpenAPI 3.1 document
/// normalizes, so without this a wrong file would diff as "everything removed".
pub fn check_polar_like(api: &Api) -> Result<(), String> {
    let mut missing = Vec::new();
    if api.operations.is_empty() {
        missing.push("no operations under `paths`");
    }
    if api.webhooks.is_empty() {
        missing.push("no `webhooks`");
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "not a Polar-like OpenAPI document ({})",
            missing.join(", ")
        ))
    }
}

/// Compares two APIs; see the module docs for the classification rules.
pub fn diff_apis(old: &Api, new: &Api) -> DiffReport {
    let mut d = Differ {
        renames: type_renames(old, new),
        changes: Vec::new(),
    };
    d.operations(old, new);
    d.webhooks(old, new);
    d.types(old, new);
    let mut changes = d.changes;
    changes.sort_by(|a, b| {
        b.breaking.cmp(&a.breaking).then_with(|| {
            (a.item, &a.subject, a.kind, &a.detail).cmp(&(b.item, &b.subject, b.kind, &b.detail))
        })
    });
    changes.dedup();
    let mut summary = DiffSummary {
        old_version: old.info.version.clone(),
        new_version: new.info.version.clone(),
        old: SurfaceCounts::of(old),
        new: SurfaceCounts::of(new),
        ..DiffSummary::default()
    };
    for c in &changes {
        if c.breaking {
            summary.breaking += 1;
        } else {
            summary.non_breaking += 1;
        }
        *summary
            .by_item
            .entry(c.item)
            .or_default()
            .entry(c.kind)
            .or_default() += 1;
    }
    DiffReport { summary, changes }
}

/// Compact, stable rendering of a type reference for details.
pub fn show_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Primitive(p) => format!("{p:?}").to_lowercase(),
        TypeRef::Named(id) => id.0.clone(),
        TypeRef::Array(inner) => format!("[{}]", show_type(inner)),
        TypeRef::Map(inner) => format!("map<{}>", show_type(inner)),
        TypeRef::Tuple(items) => {
            let items: Vec<String> = items.iter().map(show_type).collect();
            format!("({})", items.join(", "))
        }
        TypeRef::Nullable(inner) => format!("{} | null", show_type(inner)),
        TypeRef::Literal(value) => format!("{value:?}"),
        TypeRef::Null => "null".to_owned(),
        TypeRef::Any => "any".to_owned(),
    }
}

fn show_body(body: &ResponseBody) -> String {
    match body {
        ResponseBody::Json(ty) => show_type(ty),
        ResponseBody::Text { content_type } => format!("text ({content_type})"),
        ResponseBody::Bytes { content_type } => format!("bytes ({content_type})"),
        ResponseBody::Empty => "empty".to_owned(),
    }
}

/// Names of the `{parameters}` of a path template, in order.
fn path_params(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

fn required_word(required: bool) -> &'static str {
    if required {
        "required"
    } else {
        "optional"
    }
}

fn usage_words(usage: Usage) -> String {
    let words: Vec<&str> = [
        (usage.input, "input"),
        (usage.output, "output"),
        (usage.webhook, "webhook"),
    ]
    .into_iter()
    .filter_map(|(on, word)| on.then_some(word))
    .collect();
    if words.is_empty() {
        "unused".to_owned()
    } else {
        words.join("+")
    }
}

fn list(set: &BTreeSet<String>) -> String {
    set.iter().cloned().collect::<Vec<_>>().join(", ")
}

/// Pairs types that only changed their spec id (a type missing from `new` with a
/// type missing from `old`): inline types are named after the place they occur
/// (`Parent.field`, `operation.error403`, `Name#2` on a clash), so renaming or
/// reordering a parent changes their ids while the type stays the same.
///
/// A removed and an added type pair up when they have the same Rust name and kind,
/// or else when their [`shape_key`]s are equal and no other removed or added type
/// has the same key (ambiguity is left as removed + added).
fn type_renames(old: &Api, new: &Api) -> BTreeMap<TypeId, TypeId> {
    let removed: Vec<&TypeDef> = old
        .types
        .values()
        .filter(|t| !new.types.contains_key(&t.id))
        .collect();
    let added: Vec<&TypeDef> = new
        .types
        .values()
        .filter(|t| !old.types.contains_key(&t.id))
        .collect();
    let mut renames = BTreeMap::new();
    let mut taken: BTreeSet<&TypeId> = BTreeSet::new();
    for r in &removed {
        let same_name = added.iter().find(|a| {
            !taken.contains(&a.id) && a.name.rust == r.name.rust && a.kind.label() == r.kind.label()
        });
        if let Some(a) = same_name {
            taken.insert(&a.id);
            renames.insert(r.id.clone(), a.id.clone());
        }
    }
    let unpaired =
        |defs: &[&TypeDef], done: &dyn Fn(&TypeId) -> bool| -> BTreeMap<String, Vec<TypeId>> {
            let mut by_key: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
            for t in defs.iter().filter(|t| !done(&t.id)) {
                by_key.entry(shape_key(t)).or_default().push(t.id.clone());
            }
            by_key
        };
    let old_keys = unpaired(&removed, &|id| renames.contains_key(id));
    let new_keys = unpaired(&added, &|id| taken.contains(id));
    for (key, old_ids) in &old_keys {
        if let (Some([new_id]), [old_id]) =
            (new_keys.get(key).map(Vec::as_slice), old_ids.as_slice())
        {
            renames.insert(old_id.clone(), new_id.clone());
        }
    }
    renames
}

/// What a type looks like without its name: kind, field names, requiredness and types,
/// enum values, union tags. Named references count only as "a named type" so that
/// renamed types nested in renamed types still match.
fn shape_key(t: &TypeDef) -> String {
    fn ty(t: &TypeRef) -> String {
        match t {
            TypeRef::Named(_) => "#".to_owned(),
            TypeRef::Array(i) => format!("[{}]", ty(i)),
            TypeRef::Map(i) => format!("map<{}>", ty(i)),
            TypeRef::Nullable(i) => format!("{}?", ty(i)),
            TypeRef::Tuple(items) => {
                let items: Vec<String> = items.iter().map(ty).collect();
                format!("({})", items.join(","))
            }
            other => show_type(other),
        }
    }
    match &t.kind {
        TypeKind::Struct(s) => {
            let fields: Vec<String> = s
                .fields
                .iter()
                .map(|f| {
                    format!(
                        "{}{}:{}",
                        f.name.wire,
                        if f.required { "" } else { "?" },
                        ty(&f.ty)
                    )
                })
                .collect();
            let extra = s.additional.as_ref().map(ty).unwrap_or_default();
            format!("struct{{{}}}{extra}", fields.join(","))
        }
        TypeKind::Enum(e) => {
            let values: Vec<&str> = e.values.iter().map(|v| v.name.wire.as_str()).collect();
            format!("enum[{}]", values.join(","))
        }
        TypeKind::Union(u) => {
            let variants: Vec<String> = u
                .variants
                .iter()
                .map(|v| format!("{}={}", v.tags.join("|"), ty(&v.ty)))
                .collect();
            format!("union{:?}({})", u.discriminator, variants.join(","))
        }
        TypeKind::Alias(a) => format!("alias {}", ty(a)),
    }
}

/// The Rust type of a struct field, as `emit::models` writes it: the type inside the
/// `Option`s, boxing, and how many `Option`s wrap it (required + non-null: none;
/// optional + nullable in a type the client sends: `Option<Option<T>>`, the two
/// levels telling "absent" from `null`; else one).
#[derive(PartialEq, Eq)]
struct FieldShape {
    inner: TypeRef,
    boxed: bool,
    options: u8,
}

impl FieldShape {
    fn of(f: &Field, sent: bool) -> FieldShape {
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
            boxed: f.boxed,
            options,
        }
    }

    /// Rust-like spelling, e.g. `Option<Vec<String>>` (named types by spec id).
    fn show(&self) -> String {
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
                TypeRef::Map(i) => format!("BTreeMap<String, {}>", rust(i)),
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

struct Differ {
    /// Old type id → new type id for types whose id changed (see [`type_renames`]).
    renames: BTreeMap<TypeId, TypeId>,
    changes: Vec<Change>,
}

impl Differ {
    /// `ty` (from the old API) with renamed type ids replaced by their new ids.
    fn renamed(&self, ty: &TypeRef) -> TypeRef {
        match ty {
            TypeRef::Named(id) => TypeRef::Named(self.renames.get(id).unwrap_or(id).clone()),
            TypeRef::Array(i) => TypeRef::Array(Box::new(self.renamed(i))),
            TypeRef::Map(i) => TypeRef::Map(Box::new(self.renamed(i))),
            TypeRef::Nullable(i) => TypeRef::Nullable(Box::new(self.renamed(i))),
            TypeRef::Tuple(items) => {
                TypeRef::Tuple(items.iter().map(|i| self.renamed(i)).collect())
            }
            other => other.clone(),
        }
    }

    /// Whether an old and a new type reference denote the same type.
    fn same(&self, old: &TypeRef, new: &TypeRef) -> bool {
        self.renamed(old) == *new
    }

    fn same_body(&self, old: &ResponseBody, new: &ResponseBody) -> bool {
        match (old, new) {
            (ResponseBody::Json(a), ResponseBody::Json(b)) => self.same(a, b),
            (a, b) => a == b,
        }
    }

    fn push(
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

    fn operations(&mut self, old: &Api, new: &Api) {
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

    fn operation(&mut self, name: &str, old: &Operation, new: &Operation) {
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
        if old.feature != new.feature {
            self.push(
                changed,
                op,
                name,
                format!("cargo feature `{}` → `{}`", old.feature, new.feature),
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
        if old.auth != new.auth {
            self.push(
                changed,
                op,
                name,
                format!("auth {:?} → {:?}", old.auth, new.auth),
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

    fn parameters(&mut self, op_name: &str, old_op: &Operation, new_op: &Operation) {
        let key = |p: &Parameter| (p.location, p.name.wire.clone());
        let new_params: BTreeMap<_, &Parameter> =
            new_op.params.iter().map(|p| (key(p), p)).collect();
        // Same place and name, or else a path parameter renamed in place (`{id}` →
        // `{customer_id}`).
        let old_path = path_params(&old_op.path);
        let new_path = path_params(&new_op.path);
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
                .then(|| old_path.iter().position(|n| *n == old_p.name.wire))
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
        let subject = |p: &Parameter| format!("{op_name}({})", p.name.wire);
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
            if old_p.name.wire != new_p.name.wire {
                // Required parameters are positional method arguments: their names
                // are not part of the Rust API.
                let positional = old_p.required && new_p.required;
                let detail = format!(
                    "now `{}` ({})",
                    new_p.name.wire,
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
            .map(|(_, n)| n.name.wire.as_str())
            .collect();
        let new_order: Vec<&str> = new_op
            .params
            .iter()
            .filter(|p| kept.iter().any(|(_, n)| std::ptr::eq(*n, *p)))
            .map(|p| p.name.wire.as_str())
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

    fn webhooks(&mut self, old: &Api, new: &Api) {
        let old_hooks: BTreeMap<&str, _> =
            old.webhooks.iter().map(|w| (w.event.as_str(), w)).collect();
        let new_hooks: BTreeMap<&str, _> =
            new.webhooks.iter().map(|w| (w.event.as_str(), w)).collect();
        for (event, old_w) in &old_hooks {
            match new_hooks.get(event) {
                None => self.push(
                    ChangeKind::Removed,
                    Item::Webhook,
                    event,
                    format!("payload {}", old_w.payload),
                    true,
                ),
                Some(new_w) => {
                    if self.renames.get(&old_w.payload).unwrap_or(&old_w.payload) != &new_w.payload
                    {
                        let detail = format!("payload {} → {}", old_w.payload, new_w.payload);
                        self.push(ChangeKind::Changed, Item::Webhook, event, detail, true);
                    }
                    if old_w.variant.rust != new_w.variant.rust {
                        let detail = format!(
                            "event variant {} → {}",
                            old_w.variant.rust, new_w.variant.rust
                        );
                        self.push(ChangeKind::Renamed, Item::Webhook, event, detail, true);
                    }
                }
            }
        }
        for (event, new_w) in &new_hooks {
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

    fn types(&mut self, old: &Api, new: &Api) {
        let renamed_to: BTreeSet<TypeId> = self.renames.values().cloned().collect();
        for (id, old_t) in &old.types {
            if let Some(new_t) = new.types.get(id) {
                self.type_def(&id.0, old_t, new_t);
                continue;
            }
            let Some(new_id) = self.renames.get(id).cloned() else {
                let detail = format!("{} {}", old_t.kind.label(), old_t.name.rust);
                self.push(ChangeKind::Removed, Item::Type, &id.0, detail, true);
                continue;
            };
            let new_t = &new.types[&new_id];
            // The id is the spec's, not the crate's: only a new Rust name is news.
            if old_t.name.rust != new_t.name.rust {
                let detail = format!(
                    "now `{new_id}` (Rust name {} → {})",
                    old_t.name.rust, new_t.name.rust
                );
                self.push(ChangeKind::Renamed, Item::Type, &id.0, detail, true);
            }
            self.type_def(&new_id.0, old_t, new_t);
        }
        for (id, new_t) in &new.types {
            if !old.types.contains_key(id) && !renamed_to.contains(id) {
                let detail = format!("{} {}", new_t.kind.label(), new_t.name.rust);
                self.push(ChangeKind::Added, Item::Type, &id.0, detail, false);
            }
        }
    }

    fn type_def(&mut self, id: &str, old: &TypeDef, new: &TypeDef) {
        if old.name.rust != new.name.rust && old.id == new.id {
            let detail = format!("Rust name {} → {}", old.name.rust, new.name.rust);
            self.push(ChangeKind::Renamed, Item::Type, id, detail, true);
        }
        let lost = |was: bool, is: bool| was && !is;
        let usage_lost = lost(old.usage.input, new.usage.input)
            || lost(old.usage.deserialized(), new.usage.deserialized());
        if old.usage != new.usage {
            let detail = format!(
                "used as {} → {}",
                usage_words(old.usage),
                usage_words(new.usage)
            );
            self.push(ChangeKind::Changed, Item::Type, id, detail, usage_lost);
        }
        let left: BTreeSet<String> = old.features.difference(&new.features).cloned().collect();
        if !left.is_empty() {
            let detail = format!("no longer in cargo feature(s) {}", list(&left));
            self.push(ChangeKind::Changed, Item::Type, id, detail, true);
        }
        if old.docs.deprecated != new.docs.deprecated {
            let detail = if new.docs.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            self.push(ChangeKind::Changed, Item::Type, id, detail, false);
        }
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(_), TypeKind::Struct(_)) => self.struct_def(id, old, new),
            (TypeKind::Enum(a), TypeKind::Enum(b)) => self.enum_def(id, a, b),
            (TypeKind::Union(a), TypeKind::Union(b)) => self.union_def(id, a, b),
            (TypeKind::Alias(a), TypeKind::Alias(b)) => {
                if !self.same(a, b) {
                    let detail = format!("alias of {} → {}", show_type(a), show_type(b));
                    self.push(ChangeKind::Changed, Item::Type, id, detail, true);
                }
            }
            (a, b) => {
                let detail = format!("{} → {}", a.label(), b.label());
                self.push(ChangeKind::Changed, Item::Type, id, detail, true);
            }
        }
    }

    fn struct_def(&mut self, id: &str, old: &TypeDef, new: &TypeDef) {
        let (TypeKind::Struct(old_s), TypeKind::Struct(new_s)) = (&old.kind, &new.kind) else {
            return;
        };
        // Users build the structs they send; see the module docs.
        let built_by_users = old.usage.input || new.usage.input;
        let by_wire = |s: &StructDef| -> BTreeMap<String, Field> {
            s.fields
                .iter()
                .map(|f| (f.name.wire.clone(), f.clone()))
                .collect()
        };
        let (old_fields, new_fields) = (by_wire(old_s), by_wire(new_s));
        for (wire, old_f) in &old_fields {
            let subject = format!("{id}.{wire}");
            let Some(new_f) = new_fields.get(wire) else {
                self.push(
                    ChangeKind::Removed,
                    Item::Field,
                    &subject,
                    show_type(&old_f.ty),
                    true,
                );
                continue;
            };
            self.field(&subject, (old_f, old.usage.input), (new_f, new.usage.input));
        }
        for (wire, new_f) in &new_fields {
            if !old_fields.contains_key(wire) {
                let mut detail =
                    format!("{} {}", required_word(new_f.required), show_type(&new_f.ty));
                if built_by_users {
                    detail.push_str(" in an input struct (struct literals must name it)");
                }
                self.push(
                    ChangeKind::Added,
                    Item::Field,
                    &format!("{id}.{wire}"),
                    detail,
                    built_by_users,
                );
            }
        }
        match (&old_s.additional, &new_s.additional) {
            (None, Some(ty)) => {
                let detail = format!("additional properties {} allowed", show_type(ty));
                self.push(ChangeKind::Changed, Item::Type, id, detail, built_by_users);
            }
            (Some(_), None) => self.push(
                ChangeKind::Changed,
                Item::Type,
                id,
                "additional properties removed",
                true,
            ),
            (Some(a), Some(b)) if !self.same(a, b) => {
                let detail = format!("additional properties {} → {}", show_type(a), show_type(b));
                self.push(ChangeKind::Changed, Item::Type, id, detail, true);
            }
            _ => {}
        }
    }

    /// One field present on both sides; `sent` says whether its struct is a request
    /// type (which decides the Rust type of optional nullable fields). Breaking when
    /// the Rust field changes (type, `Option`s, boxing, name), whatever the wire says.
    fn field(
        &mut self,
        subject: &str,
        (old, old_sent): (&Field, bool),
        (new, new_sent): (&Field, bool),
    ) {
        let unwrap = |ty: &TypeRef| match ty {
            TypeRef::Nullable(inner) => (inner.as_ref().clone(), true),
            other => (other.clone(), false),
        };
        let ((old_inner, old_null), (new_inner, new_null)) = (unwrap(&old.ty), unwrap(&new.ty));
        let mut details = Vec::new();
        if !self.same(&old_inner, &new_inner) {
            details.push(format!(
                "type {} → {}",
                show_type(&old_inner),
                show_type(&new_inner)
            ));
        }
        if old_null != new_null {
            details.push(
                if new_null {
                    "now nullable"
                } else {
                    "no longer nullable"
                }
                .to_owned(),
            );
        }
        if old.required != new.required {
            details.push(format!(
                "{} → {}",
                required_word(old.required),
                required_word(new.required)
            ));
        }
        if old.boxed != new.boxed {
            details.push(
                if new.boxed {
                    "now boxed"
                } else {
                    "no longer boxed"
                }
                .to_owned(),
            );
        }
        if old.name.rust != new.name.rust {
            details.push(format!("Rust name {} → {}", old.name.rust, new.name.rust));
        }
        let old_shape = FieldShape::of(old, old_sent);
        let new_shape = FieldShape {
            inner: new_inner.clone(),
            ..FieldShape::of(new, new_sent)
        };
        let old_shape = FieldShape {
            inner: self.renamed(&old_shape.inner),
            ..old_shape
        };
        let rust_changed = old_shape != new_shape || old.name.rust != new.name.rust;
        if old_shape.options != new_shape.options && old_sent != new_sent {
            details.push(if new_sent {
                "its struct is now sent in requests".to_owned()
            } else {
                "its struct is no longer sent in requests".to_owned()
            });
        }
        if !details.is_empty() {
            let mut detail = details.join("; ");
            if rust_changed {
                if old_shape != new_shape {
                    let _ = write!(
                        detail,
                        " (Rust type {} → {})",
                        old_shape.show(),
                        new_shape.show()
                    );
                }
            } else {
                let _ = write!(detail, " (Rust type unchanged: {})", new_shape.show());
            }
            self.push(
                ChangeKind::Changed,
                Item::Field,
                subject,
                detail,
                rust_changed,
            );
        }
        if old.docs.deprecated != new.docs.deprecated {
            let detail = if new.docs.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            self.push(ChangeKind::Changed, Item::Field, subject, detail, false);
        }
    }

    fn enum_def(&mut self, id: &str, old: &EnumDef, new: &EnumDef) {
        let by_wire = |e: &EnumDef| -> BTreeMap<String, String> {
            e.values
                .iter()
                .map(|v| (v.name.wire.clone(), v.name.rust.clone()))
                .collect()
        };
        let (old_values, new_values) = (by_wire(old), by_wire(new));
        for (wire, rust) in &old_values {
            let subject = format!("{id}::{wire}");
            match new_values.get(wire) {
                None => self.push(
                    ChangeKind::Removed,
                    Item::EnumValue,
                    &subject,
                    format!("variant {rust}"),
                    true,
                ),
                Some(new_rust) if new_rust != rust => {
                    let detail = format!("variant {rust} → {new_rust}");
                    self.push(ChangeKind::Renamed, Item::EnumValue, &subject, detail, true);
                }
                Some(_) => {}
            }
        }
        for (wire, rust) in &new_values {
            if !old_values.contains_key(wire) {
                let detail = format!("variant {rust} (enum is non-exhaustive)");
                self.push(
                    ChangeKind::Added,
                    Item::EnumValue,
                    &format!("{id}::{wire}"),
                    detail,
                    false,
                );
            }
        }
    }

    fn union_def(&mut self, id: &str, old: &UnionDef, new: &UnionDef) {
        if old.discriminator != new.discriminator {
            let detail = format!(
                "discriminator {:?} → {:?}",
                old.discriminator, new.discriminator
            );
            self.push(ChangeKind::Changed, Item::Type, id, detail, false);
        }
        let by_name = |u: &UnionDef| -> BTreeMap<String, (TypeRef, Vec<String>, bool)> {
            u.variants
                .iter()
                .map(|v| (v.name.rust.clone(), (v.ty.clone(), v.tags.clone(), v.boxed)))
                .collect()
        };
        let (old_variants, new_variants) = (by_name(old), by_name(new));
        for (name, (ty, tags, boxed)) in &old_variants {
            let subject = format!("{id}::{name}");
            let Some((new_ty, new_tags, new_boxed)) = new_variants.get(name) else {
                self.push(
                    ChangeKind::Removed,
                    Item::UnionVariant,
                    &subject,
                    show_type(ty),
                    true,
                );
                continue;
            };
            if !self.same(ty, new_ty) {
                let detail = format!("type {} → {}", show_type(ty), show_type(new_ty));
                self.push(
                    ChangeKind::Changed,
                    Item::UnionVariant,
                    &subject,
                    detail,
                    true,
                );
            }
            if boxed != new_boxed {
                let detail = if *new_boxed {
                    "now boxed"
                } else {
                    "no longer boxed"
                };
                self.push(
                    ChangeKind::Changed,
                    Item::UnionVariant,
                    &subject,
                    detail,
                    true,
                );
            }
            if tags != new_tags {
                let detail = format!("tags {} → {}", tags.join("|"), new_tags.join("|"));
                self.push(
                    ChangeKind::Changed,
                    Item::UnionVariant,
                    &subject,
                    detail,
                    false,
                );
            }
        }
        for (name, (ty, _, _)) in &new_variants {
            if !old_variants.contains_key(name) {
                let detail = format!("{} (union is non-exhaustive)", show_type(ty));
                self.push(
                    ChangeKind::Added,
                    Item::UnionVariant,
                    &format!("{id}::{name}"),
                    detail,
                    false,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{
        ApiInfo, AuthRequirement, BodyEncoding, Docs, EnumValue, ErrorResponse, HttpMethod,
        ParamLocation, ParamStyle, Primitive, RequestBody, SuccessResponse, TypeId, UnionVariant,
        Webhook,
    };
    use crate::names::RustName;

    fn named(id: &str) -> TypeRef {
        TypeRef::Named(TypeId(id.to_owned()))
    }

    fn string() -> TypeRef {
        TypeRef::Primitive(Primitive::String)
    }

    fn field(wire: &str, ty: TypeRef, required: bool) -> Field {
        Field {
            name: RustName::value_name(wire),
            ty,
            required,
            docs: Docs::default(),
            boxed: false,
        }
    }

    fn param(wire: &str, location: ParamLocation, required: bool) -> Parameter {
        Parameter {
            name: RustName::value_name(wire),
            location,
            ty: string(),
            required,
            style: ParamStyle::Form,
            docs: Docs::default(),
        }
    }

    fn type_def(id: &str, kind: TypeKind, usage: Usage) -> (TypeId, TypeDef) {
        let def = TypeDef {
            id: TypeId(id.to_owned()),
            name: RustName::type_name(id),
            docs: Docs::default(),
            kind,
            usage,
            features: ["customers".to_owned()].into(),
            origin: format!("/components/schemas/{id}"),
        };
        (def.id.clone(), def)
    }

    fn op(name: &str, method: HttpMethod, path: &str) -> Operation {
        Operation {
            operation_id: format!("customers:{name}"),
            group: vec![RustName::value_name("customers")],
            method_name: RustName::value_name(name),
            feature: "customers".into(),
            http_method: method,
            path: path.into(),
            params: Vec::new(),
            body: None,
            success: SuccessResponse {
                status: 200,
                body: ResponseBody::Json(named("Customer")),
            },
            errors: vec![ErrorResponse {
                status: 422,
                ty: named("HTTPValidationError"),
            }],
            auth: AuthRequirement::AccessToken,
            pagination: None,
            docs: Docs::default(),
            restored: false,
            origin: String::new(),
        }
    }

    const INPUT: Usage = Usage {
        input: true,
        output: false,
        webhook: false,
    };
    const OUTPUT: Usage = Usage {
        input: false,
        output: true,
        webhook: false,
    };

    fn base() -> Api {
        let mut get = op("get", HttpMethod::Get, "/v1/customers/{id}");
        get.params = vec![
            param("id", ParamLocation::Path, true),
            param("include", ParamLocation::Query, false),
        ];
        get.errors.push(ErrorResponse {
            status: 404,
            ty: named("ResourceNotFound"),
        });
        let mut create = op("create", HttpMethod::Post, "/v1/customers/");
        create.body = Some(RequestBody {
            encoding: BodyEncoding::Json,
            ty: named("CustomerCreate"),
            required: true,
        });
        create.success.status = 201;
        let value = |wire: &str| EnumValue {
            name: RustName::type_name(wire),
            docs: Docs::default(),
        };
        let variant = |name: &str| UnionVariant {
            name: RustName::type_name(name),
            ty: named(name),
            tags: vec![name.to_lowercase()],
            known_fields: Vec::new(),
            required_fields: Vec::new(),
            boxed: false,
        };
        let types = [
            type_def(
                "Customer",
                TypeKind::Struct(StructDef {
                    fields: vec![
                        field("id", TypeRef::Primitive(Primitive::Uuid), true),
                        field("email", string(), true),
                        field("name", TypeRef::Nullable(Box::new(string())), true),
                    ],
                    additional: None,
                }),
                OUTPUT,
            ),
            type_def(
                "CustomerCreate",
                TypeKind::Struct(StructDef {
                    fields: vec![
                        field("email", string(), true),
                        field("name", string(), false),
                    ],
                    additional: None,
                }),
                INPUT,
            ),
            type_def(
                "Status",
                TypeKind::Enum(EnumDef {
                    values: vec![value("active"), value("archived")],
                }),
                OUTPUT,
            ),
            type_def(
                "Benefit",
                TypeKind::Union(UnionDef {
                    discriminator: Some("type".into()),
                    variants: vec![variant("Discord"), variant("Files")],
                }),
                OUTPUT,
            ),
        ]
        .into_iter()
        .collect();
        Api {
            info: ApiInfo {
                title: "Polar".into(),
                version: "2026-10".into(),
                description: None,
            },
            servers: Vec::new(),
            types,
            operations: vec![create, get],
            webhooks: vec![Webhook {
                event: "customer.created".into(),
                variant: RustName::type_name("customer.created"),
                payload: TypeId("WebhookCustomerCreatedPayload".into()),
                docs: Docs::default(),
            }],
        }
    }

    fn fields<'a>(api: &'a mut Api, id: &str) -> &'a mut Vec<Field> {
        match &mut api.types.get_mut(&TypeId(id.into())).expect("type").kind {
            TypeKind::Struct(s) => &mut s.fields,
            _ => panic!("{id} is not a struct"),
        }
    }

    fn get_op(api: &mut Api) -> &mut Operation {
        api.operations
            .iter_mut()
            .find(|o| o.method_name.rust == "get")
            .expect("get op")
    }

    type Edit = fn(&mut Api);
    type Expected = &'static [(ChangeKind, Item, &'static str, bool)];

    #[test]
    fn classification_table() {
        use ChangeKind::*;
        use Item::*;
        let cases: Vec<(&str, Edit, Expected)> = vec![
            ("no change", |_| {}, &[]),
            (
                "operation removed",
                |api| api.operations.retain(|o| o.method_name.rust != "create"),
                &[(Removed, Operation, "customers.create", true)],
            ),
            (
                "operation added",
                |api| {
                    api.operations
                        .push(op("list", HttpMethod::Get, "/v1/customers/"))
                },
                &[(Added, Operation, "customers.list", false)],
            ),
            (
                "operation renamed on the same route, path parameter renamed",
                |api| {
                    let op = get_op(api);
                    op.method_name = RustName::value_name("fetch");
                    op.path = "/v1/customers/{customer_id}/".into();
                },
                &[
                    (Renamed, Operation, "customers.get", true),
                    (Changed, Operation, "customers.fetch", false),
                ],
            ),
            (
                "operation moved to another group and path, same operationId",
                |api| {
                    let op = get_op(api);
                    op.group = vec![RustName::value_name("clients")];
                    op.path = "/v1/clients/{id}".into();
                },
                &[
                    (Renamed, Operation, "customers.get", true),
                    (Changed, Operation, "clients.get", false),
                ],
            ),
            (
                "optional parameter added, required parameter added",
                |api| {
                    let op = get_op(api);
                    op.params.push(param("expand", ParamLocation::Query, false));
                    op.params.push(param("org", ParamLocation::Query, true));
                },
                &[
                    (Added, Parameter, "customers.get(org)", true),
                    (Added, Parameter, "customers.get(expand)", false),
                ],
            ),
            (
                "parameter removed and made required",
                |api| {
                    let op = get_op(api);
                    op.params.retain(|p| p.name.wire != "id");
                    op.params[0].required = true;
                },
                &[
                    (Removed, Parameter, "customers.get(id)", true),
                    (Changed, Parameter, "customers.get(include)", true),
                ],
            ),
            (
                "error added and removed, success status changed, deprecated",
                |api| {
                    let op = get_op(api);
                    op.errors.retain(|e| e.status != 404);
                    op.errors.push(ErrorResponse {
                        status: 409,
                        ty: named("Conflict"),
                    });
                    op.success.status = 202;
                    op.docs.deprecated = true;
                },
                &[
                    (Changed, Operation, "customers.get", true),
                    (Changed, Operation, "customers.get", false),
                    (Changed, Operation, "customers.get", false),
                    (Changed, Operation, "customers.get", false),
                ],
            ),
            (
                "response type changed",
                |api| get_op(api).success.body = ResponseBody::Json(named("CustomerWithMembers")),
                &[(Changed, Operation, "customers.get", true)],
            ),
            (
                "webhook added, removed",
                |api| {
                    api.webhooks[0].event = "customer.deleted".into();
                },
                &[
                    (Removed, Webhook, "customer.created", true),
                    (Added, Webhook, "customer.deleted", false),
                ],
            ),
            (
                "optional field added to an output struct",
                |api| fields(api, "Customer").push(field("locale", string(), false)),
                &[(Added, Field, "Customer.locale", false)],
            ),
            (
                "optional and required fields added to an input struct",
                |api| {
                    let f = fields(api, "CustomerCreate");
                    f.push(field("locale", string(), false));
                    f.push(field("org", string(), true));
                },
                &[
                    (Added, Field, "CustomerCreate.locale", true),
                    (Added, Field, "CustomerCreate.org", true),
                ],
            ),
            (
                "field removed, made optional, made non-nullable",
                |api| {
                    let f = fields(api, "Customer");
                    f.retain(|f| f.name.wire != "id");
                    f[0].required = false;
                    f[1].ty = string();
                },
                &[
                    (Changed, Field, "Customer.email", true),
                    (Removed, Field, "Customer.id", true),
                    (Changed, Field, "Customer.name", true),
                ],
            ),
            (
                "enum value added and removed",
                |api| match &mut api
                    .types
                    .get_mut(&TypeId("Status".into()))
                    .expect("Status")
                    .kind
                {
                    TypeKind::Enum(e) => {
                        e.values[1] = crate::ir::EnumValue {
                            name: RustName::type_name("paused"),
                            docs: Docs::default(),
                        }
                    }
                    _ => unreachable!(),
                },
                &[
                    (Removed, EnumValue, "Status::archived", true),
                    (Added, EnumValue, "Status::paused", false),
                ],
            ),
            (
                "union variant added and removed",
                |api| match &mut api
                    .types
                    .get_mut(&TypeId("Benefit".into()))
                    .expect("Benefit")
                    .kind
                {
                    TypeKind::Union(u) => u.variants[1].name = RustName::type_name("Custom"),
                    _ => unreachable!(),
                },
                &[
                    (Removed, UnionVariant, "Benefit::Files", true),
                    (Added, UnionVariant, "Benefit::Custom", false),
                ],
            ),
            (
                "type removed, type added, kind changed",
                |api| {
                    let status = api.types.remove(&TypeId("Status".into())).expect("Status");
                    let (id, state) = type_def(
                        "State",
                        TypeKind::Enum(EnumDef {
                            values: vec![crate::ir::EnumValue {
                                name: RustName::type_name("on"),
                                docs: Docs::default(),
                            }],
                        }),
                        status.usage,
                    );
                    api.types.insert(id, state);
                    let benefit = api
                        .types
                        .get_mut(&TypeId("Benefit".into()))
                        .expect("Benefit");
                    benefit.kind = TypeKind::Alias(TypeRef::Any);
                },
                &[
                    (Changed, Type, "Benefit", true),
                    (Removed, Type, "Status", true),
                    (Added, Type, "State", false),
                ],
            ),
            (
                "type id changed, Rust name and shape kept (an inline type re-keyed)",
                |api| {
                    let status = api.types.remove(&TypeId("Status".into())).expect("Status");
                    let id = TypeId("Order.status#2".into());
                    api.types.insert(id.clone(), TypeDef { id, ..status });
                },
                &[],
            ),
            (
                "type renamed, same shape",
                |api| {
                    let status = api.types.remove(&TypeId("Status".into())).expect("Status");
                    let id = TypeId("OrderStatus".into());
                    let name = RustName::type_name("OrderStatus");
                    api.types.insert(id.clone(), TypeDef { id, name, ..status });
                },
                &[(Renamed, Type, "Status", true)],
            ),
            (
                "output field made optional: still an Option",
                |api| fields(api, "Customer")[2].required = false,
                &[(Changed, Field, "Customer.name", false)],
            ),
            (
                "output field made non-null but optional: still an Option",
                |api| {
                    let name = &mut fields(api, "Customer")[2];
                    name.required = false;
                    name.ty = string();
                },
                &[(Changed, Field, "Customer.name", false)],
            ),
            (
                "optional input field made nullable: Option<Option<T>>",
                |api| fields(api, "CustomerCreate")[1].ty = TypeRef::Nullable(Box::new(string())),
                &[(Changed, Field, "CustomerCreate.name", true)],
            ),
            (
                "path parameter renamed in place: a positional argument",
                |api| {
                    let op = get_op(api);
                    op.path = "/v1/customers/{customer_id}".into();
                    op.params[0].name = RustName::value_name("customer_id");
                },
                &[
                    (Changed, Operation, "customers.get", false),
                    (Renamed, Parameter, "customers.get(id)", false),
                ],
            ),
            (
                "usage gained is fine, usage lost breaks",
                |api| {
                    api.types
                        .get_mut(&TypeId("Customer".into()))
                        .expect("Customer")
                        .usage = Usage {
                        input: true,
                        ..OUTPUT
                    };
                    api.types
                        .get_mut(&TypeId("Status".into()))
                        .expect("Status")
                        .usage = INPUT;
                },
                &[
                    (Changed, Type, "Status", true),
                    (Changed, Type, "Customer", false),
                ],
            ),
        ];
        let old = base();
        for (name, edit, expected) in cases {
            let mut new = base();
            edit(&mut new);
            let report = diff_apis(&old, &new);
            let got: Vec<(ChangeKind, Item, &str, bool)> = report
                .changes
                .iter()
                .map(|c| (c.kind, c.item, c.subject.as_str(), c.breaking))
                .collect();
            assert_eq!(got, expected, "{name}:\n{}", report.to_text());
        }
    }

    #[test]
    fn text_and_json_output() {
        let old = base();
        let mut new = base();
        fields(&mut new, "Customer").push(field("locale", string(), false));
        new.operations.retain(|o| o.method_name.rust != "create");
        let report = diff_apis(&old, &new);
        assert!(report.has_breaking());
        assert_eq!(
            report.to_text(),
            "Old (API version 2026-10): 2 operations, 1 webhook events, 4 types\n\
             New (API version 2026-10): 1 operations, 1 webhook events, 4 types\n\
             1 breaking, 1 non-breaking change(s)\n  \
             operations: 1 removed\n  \
             fields: 1 added\n\
             \n\
             Breaking changes (1):\n\
             - removed operation `customers.create`: POST /v1/customers/\n\
             \n\
             Non-breaking changes (1):\n\
             - added field `Customer.locale`: optional string\n"
        );
        let json = serde_json::to_value(&report).expect("serialize");
        assert_eq!(
            json["changes"][0],
            serde_json::json!({
                "kind": "removed",
                "item": "operation",
                "subject": "customers.create",
                "detail": "POST /v1/customers/",
                "breaking": true
            })
        );
        assert_eq!(json["summary"]["breaking"], 1);
        assert_eq!(json["summary"]["by_item"]["operation"]["removed"], 1);
        assert!(diff_apis(&old, &old)
            .to_text()
            .ends_with("0 breaking, 0 non-breaking change(s)\n\nNo API surface changes.\n"));
    }

    #[test]
    fn details_are_readable() {
        let old = base();
        let mut new = base();
        fields(&mut new, "Customer")[2].ty = TypeRef::Array(Box::new(named("Name")));
        get_op(&mut new).errors.retain(|e| e.status != 404);
        let details: Vec<String> = diff_apis(&old, &new)
            .changes
            .iter()
            .map(|c| c.detail.clone())
            .collect();
        assert_eq!(
            details,
            [
                "error 404 (ResourceNotFound) removed",
                "type string → [Name]; no longer nullable (Rust type Option<String> → Vec<Name>)"
            ]
        );
    }

    /// Renaming a component renames the inline types named after it
    /// (`Customer.address` → `Client.address`): one rename per type, and the fields
    /// that use them report nothing.
    #[test]
    fn inline_type_renames_are_not_noise() {
        let address = |parent: &str| {
            type_def(
                &format!("{parent}.address"),
                TypeKind::Struct(StructDef {
                    fields: vec![field("city", string(), true)],
                    additional: None,
                }),
                OUTPUT,
            )
        };
        let mut old = base();
        let (id, def) = address("Customer");
        old.types.insert(id.clone(), def);
        fields(&mut old, "Customer").push(field("address", TypeRef::Named(id), true));
        let mut new = base();
        let (id, mut def) = address("Client");
        def.name = RustName::type_name("CustomerAddress");
        new.types.insert(id.clone(), def);
        fields(&mut new, "Customer").push(field("address", TypeRef::Named(id), true));
        let report = diff_apis(&old, &new);
        assert!(report.is_empty(), "{}", report.to_text());

        // With a new Rust name it is one breaking rename, still nothing on the field.
        let (id, def) = address("Client");
        new.types.insert(id, def);
        let report = diff_apis(&old, &new);
        let got: Vec<(ChangeKind, &str, bool)> = report
            .changes
            .iter()
            .map(|c| (c.kind, c.subject.as_str(), c.breaking))
            .collect();
        assert_eq!(
            got,
            [(ChangeKind::Renamed, "Customer.address", true)],
            "{}",
            report.to_text()
        );
        assert_eq!(
            report.changes[0].detail,
            "now `Client.address` (Rust name CustomerAddress → ClientAddress)"
        );
    }

    /// Two removed and two added types of the same shape: no guessing.
    #[test]
    fn ambiguous_renames_stay_removed_and_added() {
        let enum_type = |id: &str| {
            type_def(
                id,
                TypeKind::Enum(EnumDef {
                    values: vec![EnumValue {
                        name: RustName::type_name("on"),
                        docs: Docs::default(),
                    }],
                }),
                OUTPUT,
            )
        };
        let mut old = base();
        old.types.extend([enum_type("A"), enum_type("B")]);
        let mut new = base();
        new.types.extend([enum_type("C"), enum_type("D")]);
        let kinds: Vec<ChangeKind> = diff_apis(&old, &new)
            .changes
            .iter()
            .map(|c| c.kind)
            .collect();
        use ChangeKind::{Added, Removed};
        assert_eq!(kinds, [Removed, Removed, Added, Added]);
    }

    #[test]
    fn reordered_required_arguments_break() {
        let mut old = base();
        let op = get_op(&mut old);
        op.params.push(param("org", ParamLocation::Query, true));
        let mut new = old.clone();
        get_op(&mut new).params.swap(0, 2);
        let report = diff_apis(&old, &new);
        let got: Vec<(&str, &str, bool)> = report
            .changes
            .iter()
            .map(|c| (c.subject.as_str(), c.detail.as_str(), c.breaking))
            .collect();
        assert_eq!(
            got,
            [(
                "customers.get",
                "required arguments reordered: (id, org) → (org, id)",
                true
            )]
        );
    }

    /// A struct that starts being sent turns its optional nullable fields into
    /// `Option<Option<T>>`: the usage change alone is fine, the field change is not.
    #[test]
    fn becoming_an_input_type_changes_optional_nullable_fields() {
        let mut old = base();
        fields(&mut old, "Customer").push(field(
            "locale",
            TypeRef::Nullable(Box::new(string())),
            false,
        ));
        let mut new = old.clone();
        new.types
            .get_mut(&TypeId("Customer".into()))
            .expect("Customer")
            .usage
            .input = true;
        let report = diff_apis(&old, &new);
        let got: Vec<(Item, &str, bool)> = report
            .changes
            .iter()
            .map(|c| (c.item, c.detail.as_str(), c.breaking))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Item::Field,
                    "its struct is now sent in requests \
                     (Rust type Option<String> → Option<Option<String>>)",
                    true
                ),
                (Item::Type, "used as output → input+output", false),
            ]
        );
    }

    #[test]
    fn polar_like_needs_operations_and_webhooks() {
        assert_eq!(check_polar_like(&base()), Ok(()));
        let mut empty = base();
        empty.operations.clear();
        empty.webhooks.clear();
        assert_eq!(
            check_polar_like(&empty),
            Err(
                "not a Polar-like OpenAPI document (no operations under `paths`, no `webhooks`)"
                    .into()
            )
        );
    }
}
