//! Path items → [`Operation`]s: parameters, bodies, responses, security, pagination.

use serde_json::{Map, Value};

use super::schema::{docs_of_value, escape_pointer, is_null_schema, Hint, TypeBuilder};
use crate::error::SpecError;
use crate::ir::{
    BodyEncoding, Docs, ErrorResponse, HttpMethod, Name, Operation, Pagination, ParamLocation,
    ParamStyle, Parameter, PathTemplate, RequestBody, ResponseBody, SecurityRequirement,
    SuccessResponse, TypeKind, TypeRef,
};

/// The vendor extension the project's restore overlay sets on the operations it adds.
pub const RESTORED_MARKER: &str = "x-polar-sdk-restored";

const METHODS: [(&str, HttpMethod); 6] = [
    ("get", HttpMethod::Get),
    ("post", HttpMethod::Post),
    ("put", HttpMethod::Put),
    ("patch", HttpMethod::Patch),
    ("delete", HttpMethod::Delete),
    ("head", HttpMethod::Head),
];

/// Normalize every operation under `paths`.
pub fn operations(spec: &Value, types: &mut TypeBuilder) -> Result<Vec<Operation>, SpecError> {
    let paths = spec
        .get("paths")
        .and_then(Value::as_object)
        .ok_or_else(|| SpecError::new("#/paths", "missing `paths` object"))?;
    let global_security = spec.get("security");
    let mut operations = Vec::new();
    for (path, item) in paths {
        let item_pointer = format!("#/paths/{}", escape_pointer(path));
        let item = item
            .as_object()
            .ok_or_else(|| SpecError::new(&item_pointer, "expected a path item object"))?;
        let shared_params = item.get("parameters");
        for (key, method) in METHODS {
            let Some(op) = item.get(key) else { continue };
            let pointer = format!("{item_pointer}/{key}");
            let op = op
                .as_object()
                .ok_or_else(|| SpecError::new(&pointer, "expected an operation object"))?;
            operations.push(operation(
                spec,
                types,
                path,
                method,
                op,
                shared_params,
                global_security,
                &pointer,
            )?);
        }
    }
    operations.sort_by_key(Operation::qualified_name);
    Ok(operations)
}

#[allow(clippy::too_many_arguments)]
fn operation(
    spec: &Value,
    types: &mut TypeBuilder,
    path: &str,
    http_method: HttpMethod,
    op: &Map<String, Value>,
    shared_params: Option<&Value>,
    global_security: Option<&Value>,
    pointer: &str,
) -> Result<Operation, SpecError> {
    let str_field = |key: &str| op.get(key).and_then(Value::as_str);
    let operation_id = str_field("operationId")
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{}:{}", http_method.as_str().to_lowercase(), path));
    let group_wire = str_field("x-speakeasy-group")
        .map(str::to_owned)
        .or_else(|| {
            operation_id
                .rsplit_once(':')
                .map(|(g, _)| g.replace(':', "."))
        })
        .or_else(|| {
            op.get("tags")
                .and_then(|t| t.get(0))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "default".to_owned());
    let group: Vec<String> = group_wire.split('.').map(str::to_owned).collect();
    let method_wire = str_field("x-speakeasy-name-override")
        .map(str::to_owned)
        .unwrap_or_else(|| {
            operation_id
                .rsplit(':')
                .next()
                .unwrap_or(&operation_id)
                .to_owned()
        });

    // Inline types of the operation are named after its group and method.
    let type_prefix = group
        .iter()
        .fold(Name::default(), |name, part| name.child(part))
        .child(&method_wire);
    let hint = Hint::inline(operation_id.clone(), type_prefix);
    let path_template =
        PathTemplate::parse(path).map_err(|message| SpecError::new(pointer, message))?;

    let params = parameters(spec, types, op, shared_params, pointer, &hint)?;
    if let Some(missing) = path_template.params().find(|wire| {
        !params
            .iter()
            .any(|p| p.location == ParamLocation::Path && p.name == *wire)
    }) {
        return Err(SpecError::new(
            pointer,
            format!("path `{path}` names `{{{missing}}}`, which is not a path parameter"),
        ));
    }
    let body = request_body(types, op, pointer, &hint)?;
    let (success, errors) = responses(types, op, pointer, &hint)?;
    let security = security(op.get("security").or(global_security), pointer)?;
    let pagination = pagination(types, op, &success, pointer)?;
    let mut docs = Docs {
        title: str_field("summary").map(str::to_owned),
        description: str_field("description").map(str::to_owned),
        deprecated: op
            .get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    };
    if docs.title.is_none() && docs.description.is_none() {
        docs = docs_of_value(op);
    }
    Ok(Operation {
        operation_id,
        group,
        method_name: method_wire,
        http_method,
        path: path.to_owned(),
        path_template,
        params,
        body,
        success,
        errors,
        security,
        pagination,
        docs,
        restored: op
            .get(RESTORED_MARKER)
            .and_then(Value::as_bool)
            .unwrap_or(false),
        origin: pointer.to_owned(),
    })
}

/// Resolve a `$ref` (e.g. to `#/components/parameters/...`), or return the node itself.
fn deref<'a>(spec: &'a Value, node: &'a Value, pointer: &str) -> Result<&'a Value, SpecError> {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => super::reference::resolve(spec, reference)
            .map(|(_, target)| target)
            .map_err(|message| SpecError::new(format!("{pointer}/$ref"), message)),
        None => Ok(node),
    }
}

fn parameters(
    spec: &Value,
    types: &mut TypeBuilder,
    op: &Map<String, Value>,
    shared: Option<&Value>,
    pointer: &str,
    hint: &Hint,
) -> Result<Vec<Parameter>, SpecError> {
    // Operation-level parameters override path-level ones with the same name and location.
    let mut raw: Vec<(String, &Value)> = Vec::new();
    for (source, list) in [
        ("../parameters", shared),
        ("parameters", op.get("parameters")),
    ] {
        let Some(list) = list else { continue };
        let list = list.as_array().ok_or_else(|| {
            SpecError::new(
                format!("{pointer}/{source}"),
                "`parameters` must be an array",
            )
        })?;
        for (i, param) in list.iter().enumerate() {
            let p = format!("{pointer}/{source}/{i}");
            let param = deref(spec, param, &p)?;
            let key = |v: &Value| (v.get("name").cloned(), v.get("in").cloned());
            raw.retain(|(_, existing)| key(existing) != key(param));
            raw.push((p, param));
        }
    }
    let mut params = Vec::with_capacity(raw.len());
    for (p, param) in raw {
        let wire = param
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| SpecError::new(&p, "parameter without `name`"))?;
        let location = match param.get("in").and_then(Value::as_str) {
            Some("path") => ParamLocation::Path,
            Some("query") => ParamLocation::Query,
            Some("header") => ParamLocation::Header,
            Some("cookie") => return Err(SpecError::new(&p, "unsupported: cookie parameters")),
            _ => return Err(SpecError::new(&p, "parameter without a valid `in`")),
        };
        let required = location == ParamLocation::Path
            || param
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
        let style = match param.get("style").and_then(Value::as_str) {
            None | Some("form" | "simple") => ParamStyle::Form,
            Some("deepObject") => ParamStyle::DeepObject,
            Some(other) => {
                return Err(SpecError::new(
                    &p,
                    format!("unsupported parameter style `{other}`"),
                ))
            }
        };
        let schema = param.get("schema").ok_or_else(|| {
            SpecError::new(
                &p,
                "parameter without `schema` (content parameters are not supported)",
            )
        })?;
        let ty = parameter_type(
            types,
            schema,
            &format!("{p}/schema"),
            &hint.child(wire, wire),
        )?;
        let mut docs = super::schema::docs_of(schema);
        if let Some(description) = param.get("description").and_then(Value::as_str) {
            docs.description = Some(description.to_owned());
        }
        docs.deprecated |= param
            .get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        params.push(Parameter {
            name: wire.to_owned(),
            location,
            ty,
            required,
            style,
            docs,
        });
    }
    Ok(params)
}

/// A parameter's type. Polar's list filters are `anyOf: [X, array of X, null]`: since a
/// single value and a one-element list encode identically (`id=a`), they become a list.
fn parameter_type(
    types: &mut TypeBuilder,
    schema: &Value,
    pointer: &str,
    hint: &Hint,
) -> Result<TypeRef, SpecError> {
    if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
        let non_null: Vec<&Value> = branches.iter().filter(|b| !is_null_schema(b)).collect();
        if let [single, list] = non_null.as_slice() {
            if list.get("type").and_then(Value::as_str) == Some("array")
                && list.get("items") == Some(single)
            {
                let index = branches.iter().position(|b| b == *single).unwrap_or(0);
                let item = types.schema(single, &format!("{pointer}/anyOf/{index}"), hint)?;
                return Ok(TypeRef::Array(Box::new(item)));
            }
        }
    }
    let mut ty = types.schema(schema, pointer, hint)?;
    // Parameters are encoded by shape (list, deepObject map, scalar): see through aliases
    // such as `MetadataQuery = anyOf [map, null]`.
    let mut seen = 0;
    while let TypeRef::Named(id) = &ty {
        match types.types.get(id).map(|d| &d.kind) {
            Some(TypeKind::Alias(target)) if seen < 16 => {
                ty = target.clone();
                seen += 1;
            }
            _ => break,
        }
    }
    // Absence already says "no filter": an optional parameter is never sent as null.
    Ok(match ty {
        TypeRef::Nullable(inner) => *inner,
        other => other,
    })
}

fn request_body(
    types: &mut TypeBuilder,
    op: &Map<String, Value>,
    pointer: &str,
    hint: &Hint,
) -> Result<Option<RequestBody>, SpecError> {
    let Some(body) = op.get("requestBody") else {
        return Ok(None);
    };
    let p = format!("{pointer}/requestBody");
    let content = body
        .get("content")
        .and_then(Value::as_object)
        .ok_or_else(|| SpecError::new(&p, "request body without `content`"))?;
    let (media, encoding) = if content.contains_key("application/json") {
        ("application/json", BodyEncoding::Json)
    } else if content.contains_key("application/x-www-form-urlencoded") {
        ("application/x-www-form-urlencoded", BodyEncoding::Form)
    } else {
        let found: Vec<&String> = content.keys().collect();
        return Err(SpecError::new(
            &p,
            format!("unsupported request body media types {found:?}"),
        ));
    };
    let media_pointer = format!("{p}/content/{}", escape_pointer(media));
    let schema = content[media]
        .get("schema")
        .ok_or_else(|| SpecError::new(&media_pointer, "media type without `schema`"))?;
    let ty = types.schema(
        schema,
        &format!("{media_pointer}/schema"),
        &hint.child("body", "body"),
    )?;
    Ok(Some(RequestBody {
        encoding,
        ty,
        required: body
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    }))
}

fn responses(
    types: &mut TypeBuilder,
    op: &Map<String, Value>,
    pointer: &str,
    hint: &Hint,
) -> Result<(SuccessResponse, Vec<ErrorResponse>), SpecError> {
    let p = format!("{pointer}/responses");
    let responses = op
        .get("responses")
        .and_then(Value::as_object)
        .ok_or_else(|| SpecError::new(&p, "operation without `responses`"))?;
    let mut success: Option<SuccessResponse> = None;
    let mut errors = Vec::new();
    for (code, response) in responses {
        let rp = format!("{p}/{code}");
        let status: u16 = match code.as_str() {
            "default" => 0,
            c => c
                .parse()
                .map_err(|_| SpecError::new(&rp, format!("unsupported response code `{c}`")))?,
        };
        let content = response.get("content").and_then(Value::as_object);
        let json_schema = content
            .and_then(|c| c.get("application/json"))
            .map(|media| media.get("schema").unwrap_or(&Value::Bool(true)));
        if (200..300).contains(&status) {
            if success.as_ref().is_some_and(|s| s.status < status) {
                continue;
            }
            let body = match (json_schema, content) {
                (Some(schema), _) => {
                    let sp = format!("{rp}/content/application~1json/schema");
                    ResponseBody::Json(types.schema(
                        schema,
                        &sp,
                        &hint.child("response", "response"),
                    )?)
                }
                (None, Some(c)) if !c.is_empty() => {
                    // Text wins over binary when a response offers both.
                    let media = c
                        .keys()
                        .find(|m| m.starts_with("text/"))
                        .or_else(|| c.keys().next())
                        .cloned()
                        .unwrap_or_default();
                    if media.starts_with("text/") {
                        ResponseBody::Text {
                            content_type: media,
                        }
                    } else {
                        ResponseBody::Bytes {
                            content_type: media,
                        }
                    }
                }
                _ => ResponseBody::Empty,
            };
            success = Some(SuccessResponse { status, body });
        } else if let Some(schema) = json_schema {
            let sp = format!("{rp}/content/application~1json/schema");
            let ty = types.schema(
                schema,
                &sp,
                &hint.child(&format!("error{code}"), &format!("error{code}")),
            )?;
            errors.push(ErrorResponse { status, ty });
        }
    }
    let success = success.unwrap_or(SuccessResponse {
        status: 204,
        body: ResponseBody::Empty,
    });
    Ok((success, errors))
}

/// The `security` alternatives as data: scheme names are interpreted by `plan`.
fn security(
    security: Option<&Value>,
    pointer: &str,
) -> Result<Vec<SecurityRequirement>, SpecError> {
    let Some(security) = security else {
        return Ok(Vec::new());
    };
    let alternatives = security.as_array().ok_or_else(|| {
        SpecError::new(format!("{pointer}/security"), "`security` must be an array")
    })?;
    alternatives
        .iter()
        .enumerate()
        .map(|(i, alternative)| {
            let alternative = alternative.as_object().ok_or_else(|| {
                SpecError::new(
                    format!("{pointer}/security/{i}"),
                    "a security requirement must be an object",
                )
            })?;
            let mut schemes: Vec<String> = alternative.keys().cloned().collect();
            schemes.sort();
            Ok(SecurityRequirement { schemes })
        })
        .collect()
}

/// `x-polar-pagination`: the item type is that of the response's `items` array.
fn pagination(
    types: &TypeBuilder,
    op: &Map<String, Value>,
    success: &SuccessResponse,
    pointer: &str,
) -> Result<Option<Pagination>, SpecError> {
    let Some(ext) = op.get("x-polar-pagination") else {
        return Ok(None);
    };
    let p = format!("{pointer}/x-polar-pagination");
    if ext.get("type").and_then(Value::as_str) != Some("page_limit") {
        return Err(SpecError::new(
            &p,
            "unsupported pagination type (expected `page_limit`)",
        ));
    }
    let ResponseBody::Json(TypeRef::Named(id)) = &success.body else {
        return Err(SpecError::new(
            &p,
            "paginated operation without a named JSON response",
        ));
    };
    const ITEMS: &str = "items";
    let item = types.types.get(id).and_then(|def| match &def.kind {
        TypeKind::Struct(s) => {
            s.fields
                .iter()
                .find(|f| f.name == ITEMS)
                .and_then(|f| match &f.ty {
                    TypeRef::Array(item) => Some((**item).clone()),
                    _ => None,
                })
        }
        _ => None,
    });
    let item = item.ok_or_else(|| SpecError::new(&p, "paginated response has no `items` array"))?;
    Ok(Some(Pagination {
        item,
        page_param: "page".to_owned(),
        limit_param: "limit".to_owned(),
        items_field: ITEMS.to_owned(),
        // Polar's `ListResource` convention: `pagination.max_page`.
        last_page_field: vec!["pagination".to_owned(), "max_page".to_owned()],
    }))
}
