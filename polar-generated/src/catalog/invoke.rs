//! `Client::invoke`: run any catalog action by id with JSON arguments.

use std::fmt;

use serde_json::Value;

use super::invoke_support::{Arguments, Pages};
use super::{action, actions, close_matches, Action};
use crate::Error;

/// How [`crate::Client::invoke_with`] runs an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvokeOptions {
    /// For a paginated action: fetch every page from the requested one (`page`,
    /// default 1) to the last, and return the first page's shape with all items in
    /// `items`. Without it, one page is returned as the API sends it.
    pub all_pages: bool,
    /// With `all_pages`: the most pages fetched; more is [`InvokeError::PageLimit`]
    /// (never a silently shortened list). Default [`InvokeOptions::DEFAULT_MAX_PAGES`].
    pub max_pages: u32,
    /// With `all_pages`: the most items collected; more is [`InvokeError::PageLimit`].
    /// Default [`InvokeOptions::DEFAULT_MAX_ITEMS`].
    pub max_items: usize,
}

impl Default for InvokeOptions {
    fn default() -> Self {
        InvokeOptions {
            all_pages: false,
            max_pages: Self::DEFAULT_MAX_PAGES,
            max_items: Self::DEFAULT_MAX_ITEMS,
        }
    }
}

impl InvokeOptions {
    /// Default cap on the pages `all_pages` fetches: a list that never ends (or
    /// untrusted arguments) must not make one call run forever.
    pub const DEFAULT_MAX_PAGES: u32 = 1_000;
    /// Default cap on the items `all_pages` collects in memory.
    pub const DEFAULT_MAX_ITEMS: usize = 100_000;

    /// Fetch every page of a paginated action (within the default caps).
    pub fn all_pages() -> Self {
        InvokeOptions {
            all_pages: true,
            ..Self::default()
        }
    }

    /// The most pages `all_pages` may fetch.
    pub fn max_pages(mut self, max_pages: u32) -> Self {
        self.max_pages = max_pages;
        self
    }

    /// The most items `all_pages` may collect.
    pub fn max_items(mut self, max_items: usize) -> Self {
        self.max_items = max_items;
        self
    }
}

/// Why [`crate::Client::invoke`] failed. Every variant but [`InvokeError::Api`] means
/// nothing was sent.
#[derive(Debug)]
#[non_exhaustive]
pub enum InvokeError {
    /// No action has this id.
    UnknownAction {
        /// The id asked for.
        id: String,
        /// Known ids close to it (at most three).
        close_matches: Vec<&'static str>,
    },
    /// The arguments were not a JSON object.
    NotAnObject {
        /// The action.
        action: &'static str,
        /// The JSON type given: `null`, `array`, `string`, `number` or `boolean`.
        got: &'static str,
    },
    /// An argument the action does not take (unknown keys are rejected, not ignored,
    /// so a typo never silently drops a value).
    UnknownArgument {
        /// The action.
        action: &'static str,
        /// The unknown key.
        name: String,
        /// Argument names close to it.
        close_matches: Vec<&'static str>,
    },
    /// A required argument is absent (or `null`).
    MissingArgument {
        /// The action.
        action: &'static str,
        /// The argument's path, e.g. `email` or `prices[0].amount_type`.
        path: String,
    },
    /// An argument does not fit its type.
    InvalidArgument {
        /// The action.
        action: &'static str,
        /// The path of the offending value, e.g. `prices[0].price_amount`.
        path: String,
        /// What was expected, e.g. `invalid type: string "x", expected i64`.
        message: String,
    },
    /// The action exists, but the crate was built without the feature of its group.
    FeatureDisabled {
        /// The action.
        action: &'static str,
        /// The Cargo feature to enable.
        feature: &'static str,
    },
    /// The call was sent and failed: the same error as the typed method's.
    Api(Error),
    /// `all_pages` reached [`InvokeOptions::max_pages`] or [`InvokeOptions::max_items`]
    /// with pages still to come; nothing partial is returned.
    PageLimit {
        /// The action.
        action: &'static str,
        /// Pages fetched when the cap was reached.
        pages: u32,
        /// Items collected when the cap was reached.
        items: usize,
        /// Which cap: `max_pages` or `max_items`.
        limit: &'static str,
    },
    /// The typed result could not be turned into JSON (should not happen).
    Encode {
        /// The action.
        action: &'static str,
        /// serde's message.
        message: String,
    },
}

impl InvokeError {
    /// Whether the request was sent (only [`InvokeError::Api`] errors can be).
    pub fn was_sent(&self) -> bool {
        matches!(self, InvokeError::Api(err) if !matches!(err, Error::MissingCredential { .. } | Error::InvalidRequest { .. } | Error::Config { .. }))
    }

    /// For an API error, the response body as JSON (the body the typed error decodes,
    /// see [`Error::api_body`]); `None` for other errors or a body that is not JSON.
    pub fn error_body(&self) -> Option<Value> {
        match self {
            InvokeError::Api(err) => serde_json::from_str(err.raw_body()?).ok(),
            _ => None,
        }
    }

    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            InvokeError::Api(err) => err.status(),
            _ => None,
        }
    }
}

impl From<Error> for InvokeError {
    fn from(err: Error) -> Self {
        InvokeError::Api(err)
    }
}

impl fmt::Display for InvokeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvokeError::UnknownAction { id, close_matches } => {
                write!(f, "no action `{id}` in the catalog")?;
                suggest(f, close_matches)
            }
            InvokeError::NotAnObject { action, got } => write!(
                f,
                "{action}: the arguments must be a JSON object of named arguments, got {got}"
            ),
            InvokeError::UnknownArgument {
                action,
                name,
                close_matches,
            } => {
                write!(f, "{action}: unknown argument `{name}`")?;
                suggest(f, close_matches)
            }
            InvokeError::MissingArgument { action, path } => {
                write!(f, "{action}: missing required argument `{path}`")
            }
            InvokeError::InvalidArgument {
                action,
                path,
                message,
            } if path == "." => write!(f, "{action}: arguments: {message}"),
            InvokeError::InvalidArgument {
                action,
                path,
                message,
            } => write!(f, "{action}: argument `{path}`: {message}"),
            InvokeError::FeatureDisabled { action, feature } => write!(
                f,
                "{action}: compiled out; enable the `{feature}` feature of polar-generated"
            ),
            InvokeError::Api(err) => err.fmt(f),
            InvokeError::PageLimit {
                action,
                pages,
                items,
                limit,
            } => write!(
                f,
                "{action}: more pages remain after {pages} pages and {items} items, over \
                 {limit}; raise it in InvokeOptions or filter the list"
            ),
            InvokeError::Encode { action, message } => {
                write!(
                    f,
                    "{action}: the result could not be encoded as JSON: {message}"
                )
            }
        }
    }
}

fn suggest(f: &mut fmt::Formatter<'_>, matches: &[&str]) -> fmt::Result {
    match matches {
        [] => Ok(()),
        [one] => write!(f, "; did you mean `{one}`?"),
        many => write!(f, "; did you mean one of `{}`?", many.join("`, `")),
    }
}

impl std::error::Error for InvokeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InvokeError::Api(err) => Some(err),
            _ => None,
        }
    }
}

/// Look up an action and check the argument names, before anything is decoded.
pub(super) fn prepare(
    id: &str,
    arguments: Value,
    options: &InvokeOptions,
) -> Result<(&'static Action, Arguments), InvokeError> {
    let Some(action) = action(id) else {
        let ids: Vec<&'static str> = actions().iter().map(|a| a.id).collect();
        return Err(InvokeError::UnknownAction {
            id: id.to_owned(),
            close_matches: close_matches(id, &ids),
        });
    };
    let map = match arguments {
        Value::Object(map) => map,
        other => {
            return Err(InvokeError::NotAnObject {
                action: action.id,
                got: json_type(&other),
            })
        }
    };
    if let Some(name) = map.keys().find(|k| !action.arguments.contains(&k.as_str())) {
        return Err(InvokeError::UnknownArgument {
            action: action.id,
            name: name.clone(),
            close_matches: close_matches(name, action.arguments),
        });
    }
    Ok((action, Arguments::new(action.id, map, options)))
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

impl crate::Client {
    /// Run a catalog action by id with JSON arguments (the keys of its
    /// [`Action::input_schema`]) and return its result as JSON.
    ///
    /// The arguments are decoded into the operation's typed parameters and body first: a
    /// missing, mistyped or unknown argument fails with its path before anything is sent.
    /// Then the typed method is called, so auth, retries and the client's options apply
    /// as for a typed call, and a failed call is [`InvokeError::Api`] with the typed error
    /// (its body as JSON through [`InvokeError::error_body`]). A paginated action returns
    /// one page; see [`invoke_with`](Self::invoke_with) for every page.
    ///
    /// ```no_run
    /// # async fn run(client: &polar::Client) -> Result<(), polar::catalog::InvokeError> {
    /// let customer = client
    ///     .invoke("customers:create", serde_json::json!({ "email": "a@example.com" }))
    ///     .await?;
    /// println!("{}", customer["id"]);
    /// # Ok(()) }
    /// ```
    pub async fn invoke(&self, id: &str, arguments: Value) -> Result<Value, InvokeError> {
        self.invoke_with(id, arguments, InvokeOptions::default())
            .await
    }

    /// [`invoke`](Self::invoke) with options (every page of a paginated action).
    pub async fn invoke_with(
        &self,
        id: &str,
        arguments: Value,
        options: InvokeOptions,
    ) -> Result<Value, InvokeError> {
        let (action, arguments) = prepare(id, arguments, &options)?;
        let pages = if options.all_pages {
            Pages::All
        } else {
            Pages::One
        };
        match crate::generated::invoke::dispatch(self, action.id, arguments, pages).await {
            Some(result) => result,
            None => Err(InvokeError::FeatureDisabled {
                action: action.id,
                feature: action.feature,
            }),
        }
    }
}
