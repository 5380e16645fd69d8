//! How a request struct is built: which fields the constructor takes (in order, or by
//! name through a `…Required` struct where positions would be easy to mix up), and the
//! names of the setters (`customer_id(…)`) and of the `clear_…` methods that send `null`
//! (only on update bodies, where `null` means "clear it").

use std::collections::BTreeSet;

use crate::ir::{Api, Field, HttpMethod, Primitive, StructDef, TypeId, TypeRef};
use crate::names::Namespace;

/// How one field is set: by the constructor, by a fixed literal, or by a setter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRole {
    /// A required field: a constructor argument.
    Argument,
    /// A required `const` field (a union tag): filled in with its only value.
    Constant,
    /// An optional `const` field (e.g. `type: "team"` of `CustomerTeamCreate`): sent with
    /// its only value, so the server reads the branch the caller built.
    OptionalConstant,
    /// Optional: `None` by default, a setter sends the value.
    Optional,
    /// Optional + nullable on a request: `None` by default, a setter sends the value and
    /// `clear_…` sends `null`.
    OptionalNullable,
}

impl FieldRole {
    pub fn of(f: &Field) -> FieldRole {
        match (f.required, &f.ty) {
            // A field that can only be `null` (`SubscriptionUpdateClear.pending_update`) has
            // one value too: `new()`, not `new(())`.
            (true, TypeRef::Literal(_) | TypeRef::Null) => FieldRole::Constant,
            (false, TypeRef::Literal(_)) => FieldRole::OptionalConstant,
            (true, _) => FieldRole::Argument,
            (false, TypeRef::Nullable(_)) => FieldRole::OptionalNullable,
            (false, _) => FieldRole::Optional,
        }
    }
}

/// The method names of one request struct's builder, by field index.
#[derive(Debug, Clone, Default)]
pub struct BuilderNames {
    /// The setter of each optional field (`None` for fields the constructor fills).
    pub setters: Vec<Option<String>>,
    /// The `clear_…` method of each optional nullable field of an update body.
    pub clears: Vec<Option<String>>,
    /// The struct `new` takes when its arguments are passed by name (more than three, two
    /// adjacent of one type, or a `bool`); `None`: `new` takes them in field order.
    pub required: Option<String>,
}

/// More than this many required values are passed by name.
const MAX_POSITIONAL_ARGUMENTS: usize = 3;

/// Whether the constructor's arguments would be easy to pass in the wrong order or
/// unreadable at the call site: more than three, two adjacent of one type
/// (`new(name, external_customer_id)`), or a bare `bool` (`new(true)`).
pub fn needs_named_arguments(s: &StructDef) -> bool {
    let args: Vec<&TypeRef> = s
        .fields
        .iter()
        .filter(|f| FieldRole::of(f) == FieldRole::Argument)
        .map(|f| &f.ty)
        .collect();
    let is_bool = |ty: &TypeRef| match ty {
        TypeRef::Nullable(inner) => matches!(**inner, TypeRef::Primitive(Primitive::Boolean)),
        other => matches!(other, TypeRef::Primitive(Primitive::Boolean)),
    };
    args.len() > MAX_POSITIONAL_ARGUMENTS
        || args.windows(2).any(|pair| pair[0] == pair[1])
        || args.iter().any(|ty| is_bool(ty))
}

/// The types sent in the body of an update (`PATCH`, `PUT`), and every type inside them:
/// there an optional nullable field sent as `null` clears the value; elsewhere (a
/// create body) `null` and absent mean the same, so no `clear_…` is generated.
pub fn update_body_types(api: &Api) -> BTreeSet<TypeId> {
    let mut todo: Vec<&TypeId> = api
        .operations
        .iter()
        .filter(|op| matches!(op.http_method, HttpMethod::Patch | HttpMethod::Put))
        .filter_map(|op| op.body.as_ref())
        .flat_map(|body| body.ty.named())
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(id) = todo.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        if let Some(def) = api.types.get(id) {
            todo.extend(def.kind.refs().into_iter().flat_map(TypeRef::named));
        }
    }
    seen
}

/// Setter and `clear_…` names for a struct whose fields are named `fields` (`clear_…`
/// only when it is `updated`), and the name of its named-arguments struct (`required`,
/// decided by the caller, which knows every type name). Setters are named like their
/// field; `new` is the constructor, so a field `new` gets `set_new`.
pub fn builder_names(
    s: &StructDef,
    fields: &[String],
    updated: bool,
    required: Option<String>,
) -> BuilderNames {
    let mut methods = Namespace::new();
    methods.reserve("new");
    for field in fields {
        methods.reserve(field);
    }
    let mut names = BuilderNames::default();
    for (f, field) in s.fields.iter().zip(fields) {
        let role = FieldRole::of(f);
        let optional = matches!(role, FieldRole::Optional | FieldRole::OptionalNullable);
        let setter = optional.then(|| {
            if field == "new" {
                methods.claim("set_new")
            } else {
                field.clone()
            }
        });
        let clear = (updated && role == FieldRole::OptionalNullable)
            .then(|| methods.claim(format!("clear_{field}")));
        names.setters.push(setter);
        names.clears.push(clear);
    }
    names.required = required;
    names
}
