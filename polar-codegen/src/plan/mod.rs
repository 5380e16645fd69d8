//! IR → [`Plan`]: every Rust decision in one stage. The plan claims each identifier the
//! generated crate uses (types, model modules and files, literal types, error variants
//! and decoders, services, methods, builders), decides boxing and the Cargo feature of
//! every item. Emitters only print what the plan says; they never invent a name.

mod auth;
pub mod boxing;
mod builders;
pub mod catalog;
pub mod features;
mod names;
mod readable_names;
mod secrets;
mod services;
pub mod union_shape;
pub mod usage_docs;
mod webhooks;

use std::collections::{BTreeMap, BTreeSet};

use crate::error::SpecError;
use crate::ir::{
    Api, Literal, Operation, ParamLocation, ResponseBody, TypeDef, TypeId, TypeKind, TypeRef,
};
use crate::names::{snake, upper_camel, Namespace};

pub use auth::{credential, Credential};
pub use builders::{BuilderNames, FieldRole};
pub use features::{Features, GroupFeature, WEBHOOKS_FEATURE};
pub use names::{param_names, type_names, TypeNames};
pub use services::{OperationNames, ServicePlan};
pub use webhooks::webhook_variants;

/// Directory (relative to the crate root) that holds every generated Rust file.
pub const GENERATED_DIR: &str = "src/generated";
const MODELS_DIR: &str = "src/generated/models";
const SERVICES_DIR: &str = "src/generated/services";

/// How one named type is printed.
#[derive(Debug, Clone)]
pub struct TypePlan {
    /// The Rust type name.
    pub name: String,
    /// Module under `models` (one file per type).
    pub module: String,
    /// Output file, relative to the crate root.
    pub file: String,
    /// Features that compile this type (any of them).
    pub features: BTreeSet<String>,
    /// Fields (structs) or variants (unions), by index, stored in a `Box`.
    pub boxed: BTreeSet<usize>,
    /// Fields (structs), by index, that hold secrets: `Debug` shows presence only.
    pub secret: BTreeSet<usize>,
    /// Unions: a value matching no branch is kept as `Unknown(Value)`.
    pub keeps_unknown: bool,
    /// Unions: the fields every branch has, as accessor methods.
    pub accessors: Vec<union_shape::UnionAccessor>,
}

/// One variant of `ApiErrorBody`.
#[derive(Debug, Clone)]
pub struct ErrorPlan {
    pub ty: TypeRef,
    pub variant: String,
    /// The decoder function the runtime's per-operation status table names.
    pub decoder: String,
    pub features: BTreeSet<String>,
    /// The body is a struct, stored boxed.
    pub boxed: bool,
}

/// How one operation is printed.
#[derive(Debug, Clone)]
pub struct OperationPlan {
    pub names: OperationNames,
    /// Builder field (and setter) of each parameter, parallel to `Operation::params`.
    pub params: Vec<String>,
    pub feature: String,
    pub credential: Credential,
    pub pagination: Option<PaginationPlan>,
}

/// The Rust names a paginated operation's `stream()` uses.
#[derive(Debug, Clone)]
pub struct PaginationPlan {
    /// The builder setter (and field) of the page parameter.
    pub page_setter: String,
    /// The response field holding the items.
    pub items_field: String,
    /// The fields leading from the response to the last page number.
    pub last_page_path: Vec<String>,
}

/// Every Rust decision about one [`Api`].
#[derive(Debug)]
pub struct Plan<'a> {
    pub api: &'a Api,
    /// The Rust names of every named type and its members, generated or not.
    pub names: BTreeMap<TypeId, TypeNames>,
    /// Used named types; unused ones are not generated.
    pub types: BTreeMap<TypeId, TypePlan>,
    /// Setter and `clear_…` names of every generated request struct.
    pub builders: BTreeMap<TypeId, BuilderNames>,
    /// One unit type per distinct `const` value.
    pub literals: BTreeMap<Literal, String>,
    /// Where each model whose schema has no docs appears: its docs instead.
    pub usage_docs: BTreeMap<TypeId, String>,
    pub errors: Vec<ErrorPlan>,
    /// The top-level services, in module order.
    pub services: Vec<ServicePlan>,
    /// Parallel to `api.operations`.
    pub operations: Vec<OperationPlan>,
    /// `WebhookEvent` variants, parallel to `api.webhooks`.
    pub webhook_variants: Vec<String>,
    pub features: Features,
}

/// Make every Rust decision for `api`.
pub fn plan(api: &Api) -> Result<Plan<'_>, SpecError> {
    let names = names::type_names(api);
    let type_features = features::type_features(api);
    let mut boxed = boxing::cycle_edges(&api.types);
    let mut used: Vec<&TypeDef> = api.types.values().filter(|d| d.usage.is_used()).collect();
    used.sort_by(|a, b| names[&a.id].name.cmp(&names[&b.id].name));
    let mut modules = Namespace::new();
    modules.reserve("mod");
    let mut types = BTreeMap::new();
    for def in used {
        let name = names[&def.id].name.clone();
        let module = modules.claim(snake(&names::acronyms_folded(&name)));
        let mut boxed = boxed.remove(&def.id).unwrap_or_default();
        if let TypeKind::Union(u) = &def.kind {
            // Boxing struct branches keeps the enum small whatever the branch sizes.
            for (i, variant) in u.variants.iter().enumerate() {
                if is_struct(api, &variant.ty) {
                    boxed.insert(i);
                }
            }
        }
        types.insert(
            def.id.clone(),
            TypePlan {
                name,
                file: format!("{MODELS_DIR}/{module}.rs"),
                module,
                features: type_features.get(&def.id).cloned().unwrap_or_default(),
                boxed,
                secret: match &def.kind {
                    TypeKind::Struct(s) => secrets::secret_fields(s),
                    _ => BTreeSet::new(),
                },
                keeps_unknown: match &def.kind {
                    TypeKind::Union(u) => union_shape::keeps_unknown(def, u),
                    _ => false,
                },
                accessors: match &def.kind {
                    // `tag()` comes with every tagged union.
                    TypeKind::Union(u) => union_shape::accessors(api, &names, u, &["tag"]),
                    _ => Vec::new(),
                },
            },
        );
    }
    let updated = builders::update_body_types(api);
    let type_names: BTreeSet<&str> = names.values().map(|n| n.name.as_str()).collect();
    let builders = api
        .types
        .values()
        .filter(|def| def.usage.input && types.contains_key(&def.id))
        .filter_map(|def| match &def.kind {
            TypeKind::Struct(s) => {
                let name = &names[&def.id].name;
                let required = builders::needs_named_arguments(s).then(|| {
                    // `…Required` unless a schema already has that name.
                    let plain = format!("{name}Required");
                    if type_names.contains(plain.as_str()) {
                        format!("{name}RequiredFields")
                    } else {
                        plain
                    }
                });
                Some((
                    def.id.clone(),
                    builders::builder_names(
                        s,
                        &names[&def.id].members,
                        updated.contains(&def.id),
                        required,
                    ),
                ))
            }
            _ => None,
        })
        .collect();
    let (services, operation_names) = services::plan_services(api)?;
    let operations = api
        .operations
        .iter()
        .zip(operation_names)
        .map(|(op, operation_names)| {
            let params = names::param_names(op);
            Ok(OperationPlan {
                pagination: pagination(api, &names, op, &params)?,
                names: operation_names,
                params,
                feature: features::operation_feature(op),
                credential: auth::credential(op)?,
            })
        })
        .collect::<Result<Vec<_>, SpecError>>()?;
    let accessors: Vec<&[String]> = operations
        .iter()
        .map(|op| op.names.accessors.as_slice())
        .collect();
    let features = Features::new(api, &type_features, &accessors);
    let usage_docs = usage_docs::usage_docs(api, &names, &operations);
    // Literal unit types stay clear of model, service and builder names.
    let mut taken_by_types = type_names.clone();
    for op in &operations {
        taken_by_types.insert(op.names.service.as_str());
        taken_by_types.insert(op.names.builder.as_str());
    }
    Ok(Plan {
        usage_docs,
        literals: literals(api, &taken_by_types),
        errors: errors(api, &types),
        features,
        webhook_variants: webhook_variants(&api.webhooks),
        api,
        names,
        types,
        builders,
        services,
        operations,
    })
}

impl Plan<'_> {
    /// The Rust name of a named type.
    pub fn type_name(&self, id: &TypeId) -> &str {
        self.names
            .get(id)
            .map_or("MissingType", |names| names.name.as_str())
    }

    /// Field names (structs) or variant names (enums, unions) of a named type, by index.
    pub fn members(&self, id: &TypeId) -> &[String] {
        self.names
            .get(id)
            .map_or(&[], |names| names.members.as_slice())
    }

    /// The name of field (or variant) `index` of `id`.
    pub fn member(&self, id: &TypeId, index: usize) -> &str {
        self.members(id)
            .get(index)
            .map_or("missing_member", String::as_str)
    }

    /// The builder method names of a generated request struct.
    pub fn builder(&self, id: &TypeId) -> Option<&BuilderNames> {
        self.builders.get(id)
    }

    /// The plan of a named type, if it is generated.
    pub fn type_plan(&self, id: &TypeId) -> Option<&TypePlan> {
        self.types.get(id)
    }

    /// Whether field (or variant) `index` of `id` is boxed.
    pub fn is_boxed(&self, id: &TypeId, index: usize) -> bool {
        self.types.get(id).is_some_and(|t| t.boxed.contains(&index))
    }

    /// Whether union `id` keeps a value matching no branch as `Unknown`.
    pub fn keeps_unknown(&self, id: &TypeId) -> bool {
        self.types.get(id).is_some_and(|t| t.keeps_unknown)
    }

    /// The accessors of union `id`.
    pub fn accessors(&self, id: &TypeId) -> &[union_shape::UnionAccessor] {
        self.types.get(id).map_or(&[], |t| t.accessors.as_slice())
    }

    /// Whether field `index` of struct `id` holds a secret.
    pub fn is_secret(&self, id: &TypeId, index: usize) -> bool {
        self.types
            .get(id)
            .is_some_and(|t| t.secret.contains(&index))
    }

    /// The error variant whose body is `ty`.
    pub fn error_for(&self, ty: &TypeRef) -> Option<&ErrorPlan> {
        self.errors.iter().find(|e| &e.ty == ty)
    }

    /// The plan of `op` (which must belong to this plan's API).
    pub fn operation(&self, op: &Operation) -> &OperationPlan {
        let index = self
            .api
            .operations
            .iter()
            .position(|o| std::ptr::eq(o, op))
            .expect("the operation belongs to the planned API");
        &self.operations[index]
    }
}

/// Resolve the pagination data's wire names to the Rust names of the page parameter
/// and the response fields.
fn pagination(
    api: &Api,
    names: &BTreeMap<TypeId, TypeNames>,
    op: &Operation,
    params: &[String],
) -> Result<Option<PaginationPlan>, SpecError> {
    let Some(p) = &op.pagination else {
        return Ok(None);
    };
    let error = |what: String| {
        SpecError::new(
            format!("{}/x-polar-pagination", op.origin),
            format!("paginated operation: {what}"),
        )
    };
    let page_setter = op
        .params
        .iter()
        .zip(params)
        .find(|(param, _)| param.location == ParamLocation::Query && param.name == p.page_param)
        .map(|(_, name)| name.clone())
        .ok_or_else(|| error(format!("no query parameter `{}`", p.page_param)))?;
    let ResponseBody::Json(response) = &op.success.body else {
        return Err(error("no JSON response".to_owned()));
    };
    // Follow a path of wire names through named struct types.
    let field_path = |path: &[String]| -> Result<Vec<String>, SpecError> {
        let mut ty = response;
        let mut out = Vec::with_capacity(path.len());
        for wire in path {
            let (rust, field) = match ty {
                TypeRef::Named(id) => match api.types.get(id).map(|d| &d.kind) {
                    Some(TypeKind::Struct(s)) => s
                        .fields
                        .iter()
                        .enumerate()
                        .find(|(_, f)| &f.name == wire)
                        .map(|(i, f)| (names[id].members[i].clone(), f)),
                    _ => None,
                },
                _ => None,
            }
            .ok_or_else(|| error(format!("the response has no field `{}`", path.join("."))))?;
            out.push(rust);
            ty = &field.ty;
        }
        Ok(out)
    };
    let items_field = field_path(std::slice::from_ref(&p.items_field))?.remove(0);
    Ok(Some(PaginationPlan {
        page_setter,
        items_field,
        last_page_path: field_path(&p.last_page_field)?,
    }))
}

fn is_struct(api: &Api, ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Named(id) if matches!(api.types.get(id).map(|d| &d.kind), Some(TypeKind::Struct(_))))
}

/// A unit type name per distinct `const` value used by a model or parameter. A value
/// spelled like a model or service (`"error": "NotPermitted"` in the `NotPermitted` body) gets
/// `Tag` at the end, so no two types a user imports share a name.
fn literals(api: &Api, type_names: &BTreeSet<&str>) -> BTreeMap<Literal, String> {
    let mut found = BTreeSet::new();
    let mut collect = |ty: &TypeRef| {
        ty.walk(&mut |ty| {
            if let TypeRef::Literal(lit) = ty {
                found.insert(lit.clone());
            }
        })
    };
    for def in api.types.values() {
        def.kind.refs().into_iter().for_each(&mut collect);
    }
    for op in &api.operations {
        op.params.iter().for_each(|p| collect(&p.ty));
    }
    let mut names = Namespace::new();
    found
        .into_iter()
        .map(|lit| {
            let wire = match &lit {
                Literal::String(s) => s.clone(),
                Literal::Bool(b) => b.to_string(),
            };
            let mut name = upper_camel(&wire);
            if type_names.contains(name.as_str()) {
                name.push_str("Tag");
            }
            (lit, names.claim(name))
        })
        .collect()
}

/// One `ApiErrorBody` variant per distinct error body type, in a stable order.
fn errors(api: &Api, types: &BTreeMap<TypeId, TypePlan>) -> Vec<ErrorPlan> {
    let mut by_type: BTreeMap<TypeRef, BTreeSet<String>> = BTreeMap::new();
    for op in &api.operations {
        for error in &op.errors {
            by_type
                .entry(error.ty.clone())
                .or_default()
                .insert(features::operation_feature(op));
        }
    }
    let mut names = Namespace::new();
    names.reserve("Unknown");
    by_type
        .into_iter()
        .map(|(ty, features)| {
            let label = match &ty {
                TypeRef::Named(id) => types
                    .get(id)
                    .map(|t| t.name.clone())
                    .unwrap_or_else(|| id.0.clone()),
                TypeRef::Nullable(_) => "Nullable".to_owned(),
                _ => "Value".to_owned(),
            };
            let variant = names.claim(label);
            ErrorPlan {
                decoder: format!("decode_{}", snake(&variant)),
                boxed: is_struct(api, &ty),
                variant,
                ty,
                features,
            }
        })
        .collect()
}
