//! How a request struct is built: which fields the constructor takes, and the names of
//! the setters (`customer_id(…)`) and of the `clear_…` methods that send `null`.

use crate::ir::{Field, StructDef, TypeRef};
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
            (true, TypeRef::Literal(_)) => FieldRole::Constant,
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
    /// The `clear_…` method of each optional nullable field.
    pub clears: Vec<Option<String>>,
}

/// Setter and `clear_…` names for a struct whose fields are named `fields`. Setters are
/// named like their field; `new` is the constructor, so a field `new` gets `set_new`.
pub fn builder_names(s: &StructDef, fields: &[String]) -> BuilderNames {
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
        let clear =
            (role == FieldRole::OptionalNullable).then(|| methods.claim(format!("clear_{field}")));
        names.setters.push(setter);
        names.clears.push(clear);
    }
    names
}
