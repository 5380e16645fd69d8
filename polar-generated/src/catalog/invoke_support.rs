//! What the generated dispatcher (`src/generated/invoke.rs`) uses to decode arguments and
//! encode results. Not a public API.

use std::future::Future;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use super::InvokeError;
use crate::runtime::json::decode_value;

/// The argument that carries a body which is not merged into the arguments.
pub const WHOLE_BODY: &str = "body";

/// One page, or every page, of a paginated action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pages {
    /// The page asked for.
    One,
    /// Every page from the one asked for.
    All,
}

/// An action's arguments, taken out by name as they are decoded.
#[derive(Debug)]
pub struct Arguments {
    action: &'static str,
    map: Map<String, Value>,
    max_pages: u32,
    max_items: usize,
}

impl Arguments {
    /// `options` gives the caps [`all_pages`] enforces.
    pub(crate) fn new(
        action: &'static str,
        map: Map<String, Value>,
        options: &super::InvokeOptions,
    ) -> Self {
        Arguments {
            action,
            map,
            max_pages: options.max_pages,
            max_items: options.max_items,
        }
    }

    fn page_limit(&self, pages: u32, items: usize, limit: &'static str) -> InvokeError {
        InvokeError::PageLimit {
            action: self.action,
            pages,
            items,
            limit,
        }
    }

    /// A required argument; absent or `null` is [`InvokeError::MissingArgument`] unless
    /// the type itself accepts `null`.
    pub fn required<T: DeserializeOwned>(&self, name: &str) -> Result<T, InvokeError> {
        match self.map.get(name) {
            Some(value) => self.decode(name, value.clone()),
            // A nullable required parameter (`Option<T>`) takes absence as null.
            None => decode_value(Value::Null).map_err(|_| self.missing(name)),
        }
    }

    /// An optional argument; absent and `null` are `None`.
    pub fn optional<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, InvokeError> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => self.decode(name, value.clone()).map(Some),
        }
    }

    /// A required list filter: a single value counts as a list of one.
    pub fn required_list<T: DeserializeOwned>(&self, name: &str) -> Result<T, InvokeError> {
        match self.map.get(name) {
            Some(value) => self.decode(name, as_list(value)),
            None => Err(self.missing(name)),
        }
    }

    /// An optional list filter: a single value counts as a list of one.
    pub fn optional_list<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, InvokeError> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => self.decode(name, as_list(value)).map(Some),
        }
    }

    /// A required body made of every argument that is not a parameter.
    pub fn merged_body<T: DeserializeOwned>(&self, params: &[&str]) -> Result<T, InvokeError> {
        let body = self.body_fields(params);
        decode_value(Value::Object(body)).map_err(|err| self.decode_error(None, err))
    }

    /// An optional body made of every argument that is not a parameter; `None` when
    /// there is none.
    pub fn optional_merged_body<T: DeserializeOwned>(
        &self,
        params: &[&str],
    ) -> Result<Option<T>, InvokeError> {
        let body = self.body_fields(params);
        if body.is_empty() {
            return Ok(None);
        }
        decode_value(Value::Object(body))
            .map(Some)
            .map_err(|err| self.decode_error(None, err))
    }

    /// The error for an absent required argument.
    pub fn missing(&self, name: &str) -> InvokeError {
        InvokeError::MissingArgument {
            action: self.action,
            path: name.to_owned(),
        }
    }

    /// The typed result as JSON.
    pub fn encode<T: Serialize>(&self, value: &T) -> Result<Value, InvokeError> {
        serde_json::to_value(value).map_err(|err| InvokeError::Encode {
            action: self.action,
            message: err.to_string(),
        })
    }

    fn body_fields(&self, params: &[&str]) -> Map<String, Value> {
        self.map
            .iter()
            .filter(|(key, _)| !params.contains(&key.as_str()))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect()
    }

    fn decode<T: DeserializeOwned>(&self, name: &str, value: Value) -> Result<T, InvokeError> {
        decode_value(value).map_err(|err| self.decode_error(Some(name), err))
    }

    fn decode_error(
        &self,
        name: Option<&str>,
        err: crate::runtime::json::DecodeError,
    ) -> InvokeError {
        let inner = if err.path == "." {
            ""
        } else {
            err.path.as_str()
        };
        let path = match (name, inner) {
            (Some(name), "") => name.to_owned(),
            (Some(name), inner) if inner.starts_with('[') => format!("{name}{inner}"),
            (Some(name), inner) => format!("{name}.{inner}"),
            (None, inner) => inner.to_owned(),
        };
        // serde reports an absent field as `missing field `x``: name the full path.
        if let Some(field) = missing_field(&err.message) {
            let path = if path.is_empty() {
                field.to_owned()
            } else {
                format!("{path}.{field}")
            };
            return InvokeError::MissingArgument {
                action: self.action,
                path,
            };
        }
        InvokeError::InvalidArgument {
            action: self.action,
            path: if path.is_empty() {
                ".".to_owned()
            } else {
                path
            },
            message: err.message,
        }
    }
}

fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

fn as_list(value: &Value) -> Value {
    match value {
        Value::Array(_) => value.clone(),
        single => Value::Array(vec![single.clone()]),
    }
}

/// Every page from the one `fetch` is first called with, as the first page's JSON with
/// `items` holding all items. Stops after `pagination.max_page` or at an empty page.
pub async fn all_pages<T, F, Fut>(arguments: &Arguments, mut fetch: F) -> Result<Value, InvokeError>
where
    T: Serialize,
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<T, crate::Error>>,
{
    let first_page = match arguments.map.get("page").and_then(Value::as_i64) {
        Some(page) if page > 0 => page,
        _ => 1,
    };
    let mut page = first_page;
    let mut first: Option<Value> = None;
    let mut items = Vec::new();
    let mut fetched: u32 = 0;
    loop {
        if fetched >= arguments.max_pages {
            return Err(arguments.page_limit(fetched, items.len(), "max_pages"));
        }
        let response = arguments.encode(&fetch(page).await?)?;
        fetched += 1;
        let max_page = response["pagination"]["max_page"].as_i64().unwrap_or(page);
        let page_items = match response.get("items") {
            Some(Value::Array(list)) => list.clone(),
            _ => Vec::new(),
        };
        let empty = page_items.is_empty();
        items.extend(page_items);
        first.get_or_insert(response);
        if items.len() > arguments.max_items {
            return Err(arguments.page_limit(fetched, items.len(), "max_items"));
        }
        if empty || page >= max_page {
            break;
        }
        page += 1;
    }
    let mut result = first.unwrap_or(Value::Null);
    if let Value::Object(map) = &mut result {
        map.insert("items".into(), Value::Array(items));
    }
    Ok(result)
}
