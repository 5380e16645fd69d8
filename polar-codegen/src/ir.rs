//! The intermediate representation: plain, ordered Rust data produced by `normalize`
//! and consumed by the emitters, the API-surface snapshot, the spec diff and the catalog.
//!
//! Nothing here holds raw JSON: every spec construct the generator understands has
//! been interpreted into one of these types.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::names::RustName;

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

impl std::fmt::Display for TypeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A reference to a type, as used by a field, parameter, body or response.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum TypeRef {
    Primitive(Primitive),
    Named(TypeId),
    Array(Box<TypeRef>),
    /// A JSON object with arbitrary string keys (`additionalProperties`).
    Map(Box<TypeRef>),
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
    pub name: RustName,
    pub docs: Docs,
    pub kind: TypeKind,
    pub usage: Usage,
    /// Feature groups (top-level `x-speakeasy-group`s, plus `webhooks`) that reach this type.
    pub features: BTreeSet<String>,
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
    pub name: RustName,
    pub ty: TypeRef,
    /// Must be present on the wire. Independent of nullability: a required field can be
    /// `null`, and an optional one can be absent, `null` or a value.
    pub required: bool,
    pub docs: Docs,
    /// Must be boxed to break a type cycle.
    pub boxed: bool,
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
    /// Rust variant name plus the wire string.
    pub name: RustName,
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
    pub name: RustName,
    pub ty: TypeRef,
    /// Tag values selecting this variant (discriminated unions only).
    pub tags: Vec<String>,
    /// Wire names of the object properties this variant knows, used to choose the most
    /// specific match among overlapping untagged branches.
    pub known_fields: Vec<String>,
    /// Properties that must be present for this variant.
    pub required_fields: Vec<String>,
    pub boxed: bool,
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
    pub group: Vec<RustName>,
    /// Method name from `x-speakeasy-name-override` (else the operationId's last part).
    pub method_name: RustName,
    /// Cargo feature that gates this operation (kebab-case top-level group).
    pub feature: String,
    pub http_method: HttpMethod,
    /// Path template as in the spec, e.g. `/v1/customers/{id}`.
    pub path: String,
    pub params: Vec<Parameter>,
    pub body: Option<RequestBody>,
    pub success: SuccessResponse,
    pub errors: Vec<ErrorResponse>,
    pub auth: AuthRequirement,
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
        let mut parts: Vec<&str> = self.group.iter().map(|g| g.wire.as_str()).collect();
        parts.push(&self.method_name.rust);
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
    pub name: RustName,
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

/// Credentials an operation accepts, from its security requirements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum AuthRequirement {
    /// No security requirement: send no token.
    None,
    /// Organization access token, personal access token or OAuth2 access token.
    AccessToken,
    /// Customer session token (customer portal).
    CustomerSession,
    /// Customer session or member session token (customer portal).
    CustomerOrMemberSession,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// Item type of the `items` array.
    pub item: TypeRef,
    pub page_param: String,
    pub limit_param: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Webhook {
    /// Event name, e.g. `order.paid`: the value of the payload's `type` tag.
    pub event: String,
    pub variant: RustName,
    /// The payload type (e.g. `WebhookOrderPaidPayload`).
    pub payload: TypeId,
    pub docs: Docs,
}
