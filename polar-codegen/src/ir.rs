//! The intermediate representation: plain, ordered data produced by `normalize` and
//! consumed by `plan` (which decides the Rust shape), the API-surface snapshot, the spec
//! diff and the catalog.
//!
//! Nothing here holds raw JSON: every spec construct the generator understands has
//! been interpreted into one of these types. Nothing here is a Rust layout decision
//! either: boxing, Cargo features, file and module names live in [`crate::plan`].

use std::collections::BTreeMap;

use heck::ToTitleCase;
use serde::Serialize;

/// A whole API: everything the emitters need, in deterministic order.
#[derive(Debug, Clone, Serialize)]
pub struct Api {
    pub info: ApiInfo,
    pub servers: Vec<Server>,
    /// Named types keyed by their stable id (usually the component name).
    pub types: BTreeMap<TypeId, TypeDef>,
    /// Sorted by (group path, method name).
    pub operations: Vec<Operation>,
    /// Sorted by event name.
    pub webhooks: Vec<Webhook>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApiInfo {
    pub title: String,
    /// The API version sent as `Polar-Version` (e.g. `2026-10`); not a semver version.
    pub version: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
    /// `x-polar-environment` (e.g. `production`, `sandbox`), else the server id.
    pub environment: Option<String>,
}

/// Stable identity of a named type: the component name, or `Parent.field` for
/// an inline schema. Ids never change with Rust naming decisions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TypeId(pub String);

impl TypeId {
    /// An inline schema's id (`Parent.field`, `shared.Name`), not a component's.
    pub fn is_inline(&self) -> bool {
        self.0.contains('.')
    }
}

impl std::fmt::Display for TypeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A name in words, before any language's casing, escaping or collision handling:
/// `order.paid` is `["Order", "Paid"]`, `Etc/GMT+1` is `["Etc", "Gmt", "Plus", "1"]`.
/// Normalize names derived types this way (a parent's words plus the field's);
/// `plan` turns words into unique Rust identifiers.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Name {
    /// Capitalized words (`Order`, `Paid`).
    pub words: Vec<String>,
}

impl Name {
    /// The words of a wire name or title. Characters that carry meaning are spelled
    /// out, so that `Etc/GMT+1` and `Etc/GMT-1`, or `created_at` and `-created_at`,
    /// keep different names.
    pub fn from_phrase(phrase: &str) -> Name {
        // `-created_at` is a descending sort key: `CreatedAtDesc`, as people write it.
        if let Some(key) = phrase
            .strip_prefix('-')
            .filter(|key| key.starts_with(|c: char| c.is_ascii_alphabetic()))
        {
            let mut name = Name::from_phrase(key);
            name.words.push("Desc".to_owned());
            return name;
        }
        let mut spelled = String::with_capacity(phrase.len() + 8);
        let chars: Vec<char> = phrase.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let next_is_digit = chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
            match c {
                '+' => spelled.push_str(" plus "),
                '-' if i == 0 || next_is_digit => spelled.push_str(" minus "),
                '.' if next_is_digit && i > 0 && chars[i - 1].is_ascii_digit() => {
                    spelled.push_str(" dot ")
                }
                '*' => spelled.push_str(" star "),
                c if c.is_alphanumeric() => spelled.push(c),
                _ => spelled.push(' '),
            }
        }
        Name {
            words: spelled
                .to_title_case()
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }

    /// These words followed by those of `phrase` (a field of a parent type, `Item`, …).
    pub fn child(&self, phrase: &str) -> Name {
        let mut words = self.words.clone();
        words.extend(Name::from_phrase(phrase).words);
        Name { words }
    }

    /// The words run together (`OrderPaid`): a label for ids, messages and comparisons.
    pub fn joined(&self) -> String {
        self.words.concat()
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.joined())
    }
}

/// A reference to a type, as used by a field, parameter, body or response.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum TypeRef {
    Primitive(Primitive),
    Named(TypeId),
    Array(Box<TypeRef>),
    /// A JSON object with arbitrary keys (`additionalProperties`). The key is always a
    /// string on the wire; `key` says which strings: [`Primitive::String`] unless
    /// `propertyNames` narrows it to [`Primitive::Uuid`] or a named string enum (or an
    /// alias of one of these).
    Map {
        key: Box<TypeRef>,
        value: Box<TypeRef>,
    },
    /// A fixed-length heterogeneous array (`prefixItems`).
    Tuple(Vec<TypeRef>),
    /// `anyOf: [X, {type: null}]`: the value may be JSON `null`.
    Nullable(Box<TypeRef>),
    /// `const`: exactly one value.
    Literal(Literal),
    /// `{type: null}` alone: only `null` is allowed.
    Null,
    /// `{}` or a schema without a usable type: any JSON value.
    Any,
}

impl TypeRef {
    /// A map with plain string keys.
    pub fn string_map(value: TypeRef) -> TypeRef {
        TypeRef::Map {
            key: Box::new(TypeRef::Primitive(Primitive::String)),
            value: Box::new(value),
        }
    }

    /// The references directly inside this one (a map's key and value, the element of an
    /// array, the items of a tuple, ...): the one place that knows how `TypeRef` nests.
    pub fn children(&self) -> impl Iterator<Item = &TypeRef> {
        let (pair, items): ([Option<&TypeRef>; 2], &[TypeRef]) = match self {
            TypeRef::Array(inner) | TypeRef::Nullable(inner) => ([Some(inner), None], &[]),
            TypeRef::Map { key, value } => ([Some(key), Some(value)], &[]),
            TypeRef::Tuple(items) => ([None, None], items),
            TypeRef::Primitive(_)
            | TypeRef::Named(_)
            | TypeRef::Literal(_)
            | TypeRef::Null
            | TypeRef::Any => ([None, None], &[]),
        };
        pair.into_iter().flatten().chain(items)
    }

    /// Mutable [`TypeRef::children`].
    pub fn children_mut(&mut self) -> impl Iterator<Item = &mut TypeRef> {
        let (pair, items): ([Option<&mut TypeRef>; 2], &mut [TypeRef]) = match self {
            TypeRef::Array(inner) | TypeRef::Nullable(inner) => ([Some(inner), None], &mut []),
            TypeRef::Map { key, value } => ([Some(key), Some(value)], &mut []),
            TypeRef::Tuple(items) => ([None, None], items),
            TypeRef::Primitive(_)
            | TypeRef::Named(_)
            | TypeRef::Literal(_)
            | TypeRef::Null
            | TypeRef::Any => ([None, None], &mut []),
        };
        pair.into_iter().flatten().chain(items.iter_mut())
    }

    /// Call `f` on this reference and every reference nested in it, outside in.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a TypeRef)) {
        f(self);
        for child in self.children() {
            child.walk(f);
        }
    }

    /// Call `f` on this reference and every reference nested in it, outside in.
    pub fn walk_mut(&mut self, f: &mut impl FnMut(&mut TypeRef)) {
        f(self);
        for child in self.children_mut() {
            child.walk_mut(f);
        }
    }

    /// Every named type anywhere inside this reference.
    pub fn named(&self) -> Vec<&TypeId> {
        let mut out = Vec::new();
        self.walk(&mut |ty| {
            if let TypeRef::Named(id) = ty {
                out.push(id);
            }
        });
        out
    }
}

/// The value of an OpenAPI `const`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Literal {
    String(String),
    Bool(bool),
}

impl std::fmt::Display for Literal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Literal::String(s) => write!(f, "{s:?}"),
            Literal::Bool(b) => write!(f, "{b}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Primitive {
    String,
    Integer,
    Number,
    Boolean,
    DateTime,
    Date,
    Uuid,
}

/// Where a named type is used; decides which serde impls it needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Usage {
    /// Sent by the client (request bodies, query parameters).
    pub input: bool,
    /// Received by the client (responses).
    pub output: bool,
    /// Received in a webhook payload.
    pub webhook: bool,
}

impl Usage {
    pub fn merge(&mut self, other: Usage) {
        self.input |= other.input;
        self.output |= other.output;
        self.webhook |= other.webhook;
    }
    pub fn is_used(&self) -> bool {
        self.input || self.output || self.webhook
    }
    pub fn deserialized(&self) -> bool {
        self.output || self.webhook
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    pub id: TypeId,
    /// What the type is called, in words (the component's key, or where an inline
    /// schema sits); `plan` makes the Rust name from it.
    pub name: Name,
    pub docs: Docs,
    pub kind: TypeKind,
    pub usage: Usage,
    /// JSON pointer of the schema this type came from.
    pub origin: String,
}

#[derive(Debug, Clone, Serialize)]
pub enum TypeKind {
    Struct(StructDef),
    Enum(EnumDef),
    Union(UnionDef),
    /// A named alias for another type (e.g. a component that is just a map or a primitive).
    Alias(TypeRef),
}

impl TypeKind {
    /// Every type reference directly inside this definition.
    pub fn refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| &f.ty)
                .chain(s.additional.iter())
                .collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::Enum(_) => Vec::new(),
        }
    }

    /// Mutable [`TypeKind::refs`].
    pub fn refs_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter_mut()
                .map(|f| &mut f.ty)
                .chain(s.additional.iter_mut())
                .collect(),
            TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.ty).collect(),
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::Enum(_) => Vec::new(),
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            TypeKind::Struct(_) => "struct",
            TypeKind::Enum(_) => "enum",
            TypeKind::Union(u) if u.discriminator.is_some() => "tagged-union",
            TypeKind::Union(_) => "untagged-union",
            TypeKind::Alias(_) => "alias",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StructDef {
    pub fields: Vec<Field>,
    /// `additionalProperties` value type when the object also allows extra keys we keep.
    pub additional: Option<TypeRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// The property name on the wire.
    pub name: String,
    pub ty: TypeRef,
    /// Must be present on the wire. Independent of nullability: a required field can be
    /// `null`, and an optional one can be absent, `null` or a value.
    pub required: bool,
    pub docs: Docs,
}

impl Field {
    pub fn nullable(&self) -> bool {
        matches!(self.ty, TypeRef::Nullable(_) | TypeRef::Null)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumDef {
    pub values: Vec<EnumValue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumValue {
    /// The string on the wire.
    pub value: String,
    pub docs: Docs,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnionDef {
    /// Tag property for discriminated unions (`oneOf` + `discriminator`).
    pub discriminator: Option<String>,
    pub variants: Vec<UnionVariant>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnionVariant {
    /// What the branch is called: its tag, else what it holds (a component's name,
    /// `String`, `Integer List`, …).
    pub name: Name,
    pub ty: TypeRef,
    /// Tag values selecting this variant (discriminated unions only).
    pub tags: Vec<String>,
    /// Wire names of the object properties this variant knows, used to choose the most
    /// specific match among overlapping untagged branches.
    pub known_fields: Vec<String>,
    /// Properties that must be present for this variant.
    pub required_fields: Vec<String>,
}

/// Human-facing text from the spec.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
}

impl HttpMethod {
    pub fn as_str(&self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// The spec's `operationId`, e.g. `customer_portal:customers:get`.
    pub operation_id: String,
    /// Service path from `x-speakeasy-group`, e.g. `["customer_portal", "customers"]`.
    pub group: Vec<String>,
    /// Method name from `x-speakeasy-name-override` (else the operationId's last part),
    /// as in the spec.
    pub method_name: String,
    pub http_method: HttpMethod,
    /// Path template as in the spec, e.g. `/v1/customers/{id}`.
    pub path: String,
    /// `path`, parsed once: literal text and parameter placeholders.
    pub path_template: PathTemplate,
    pub params: Vec<Parameter>,
    pub body: Option<RequestBody>,
    pub success: SuccessResponse,
    pub errors: Vec<ErrorResponse>,
    /// Security requirements: any one alternative is enough (empty: no credential).
    pub security: Vec<SecurityRequirement>,
    pub pagination: Option<Pagination>,
    pub docs: Docs,
    /// Restored by a project overlay (`x-polar-sdk-restored: true`): Polar serves it but
    /// no longer lists it in the spec.
    pub restored: bool,
    /// JSON pointer of the operation in the spec.
    pub origin: String,
}

impl Operation {
    /// `group.path.method`, the stable name used in snapshots, diffs and the catalog.
    pub fn qualified_name(&self) -> String {
        // The method in lower-case words, so `getMember` and `get_member` read the same.
        let method: Vec<String> = Name::from_phrase(&self.method_name)
            .words
            .iter()
            .map(|w| w.to_lowercase())
            .collect();
        let mut parts: Vec<&str> = self.group.iter().map(String::as_str).collect();
        let method = method.join("_");
        parts.push(&method);
        parts.join(".")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParamStyle {
    /// `name=value`, arrays as repeated keys.
    Form,
    /// `name[key]=value` for each map entry.
    DeepObject,
}

#[derive(Debug, Clone, Serialize)]
pub struct Parameter {
    /// The parameter's name on the wire.
    pub name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub style: ParamStyle,
    pub docs: Docs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BodyEncoding {
    Json,
    Form,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestBody {
    pub encoding: BodyEncoding,
    pub ty: TypeRef,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ResponseBody {
    Json(TypeRef),
    /// `text/csv` and other text bodies, returned as text.
    Text {
        content_type: String,
    },
    /// A binary body (`application/pdf`, `application/octet-stream`, images, …),
    /// returned as raw bytes.
    Bytes {
        content_type: String,
    },
    Empty,
}

#[derive(Debug, Clone, Serialize)]
pub struct SuccessResponse {
    pub status: u16,
    pub body: ResponseBody,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorResponse {
    pub status: u16,
    pub ty: TypeRef,
}

/// One alternative of an operation's `security`: every named scheme is needed together.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SecurityRequirement {
    /// Names of `components.securitySchemes` entries, as in the spec (sorted).
    pub schemes: Vec<String>,
}

/// An operation path, parsed once: `/v1/customers/{id}` is
/// `[Literal("/v1/customers/"), Param("id")]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PathTemplate {
    pub segments: Vec<PathSegment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PathSegment {
    Literal(String),
    /// The wire name of a path parameter.
    Param(String),
}

impl PathTemplate {
    /// Parse `{name}` placeholders; an unclosed `{` is an error.
    pub fn parse(path: &str) -> Result<Self, String> {
        let mut segments = Vec::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                return Err(format!("unclosed `{{` in path `{path}`"));
            };
            if start > 0 {
                segments.push(PathSegment::Literal(rest[..start].to_owned()));
            }
            segments.push(PathSegment::Param(rest[start + 1..start + len].to_owned()));
            rest = &rest[start + len + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_owned()));
        }
        Ok(PathTemplate { segments })
    }

    /// Wire names of the parameters, in path order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            PathSegment::Param(name) => Some(name.as_str()),
            PathSegment::Literal(_) => None,
        })
    }
}

/// Page-number pagination (`x-polar-pagination: page_limit`), as data.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// Item type of the response's item list.
    pub item: TypeRef,
    /// Query parameter selecting the page (1-based).
    pub page_param: String,
    /// Query parameter bounding the page size.
    pub limit_param: String,
    /// Response property holding the page's items.
    pub items_field: String,
    /// Response properties leading to the number of the last page.
    pub last_page_field: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Webhook {
    /// Event name, e.g. `order.paid`: the value of the payload's `type` tag.
    pub event: String,
    /// The payload type (e.g. `WebhookOrderPaidPayload`).
    pub payload: TypeId,
    pub docs: Docs,
}
