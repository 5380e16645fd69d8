//! OpenAPI Overlay 1.0 documents: parse, validate and apply them to the spec JSON
//! before `normalize` sees it.
//!
//! The project's overlays live in `spec/overlays/` and are applied in file-name order
//! (so `010-…` before `020-…`). Each is JSON (`.json`) or YAML (`.yaml`, `.yml`).
//!
//! Semantics (Overlay 1.0.0, with the choices it leaves open written down):
//! - `target` is an RFC 9535 JSONPath query. An action whose target (and alternative
//!   targets, below) match nothing is an error unless the action says what to do then
//!   (`x-polar-sdk-if-target-missing`, below): a spec update that moved or renamed the
//!   target must never silently drop the change.
//! - `update` on an object merges recursively: keys of the update replace or are added
//!   to the target; where both sides are objects they merge; where both are arrays the
//!   update's items are appended (as Speakeasy and other tools do); anything else is
//!   replaced. The update for an object target must itself be an object.
//! - `update` on an array appends: an array update appends its items, any other value
//!   is appended as one entry.
//! - `update` on a string, number, boolean or null is an error (the spec allows only
//!   objects and arrays); target the parent object instead.
//! - `remove: true` deletes each matched node from its parent object or array. Several
//!   matches are removed deepest and last first, so indexes stay valid.
//! - An action has exactly one of `update` or `remove: true`.
//!
//! Extensions that let an overlay survive spec versions it was not written against.
//! Every [`Notice`] they give is printed by [`apply_all`] (`warning:` for a skipped
//! action, `note:` for one applied elsewhere than its `target`), so nothing is dropped
//! without a line on stderr:
//! - `x-polar-sdk-skip-if-present: <JSONPath>`: the action is skipped, with a notice,
//!   when that query matches anything in the spec: e.g. an operation the overlay
//!   restores that Polar publishes again is not added twice.
//! - `x-polar-sdk-add-missing: true` (updates of objects only): only the update's keys
//!   the target lacks are added; existing ones are left as they are. The restore
//!   overlay carries the schemas its operations need this way, so a spec without them
//!   still generates and a spec with them keeps its own.
//! - `x-polar-sdk-alternative-targets: [<JSONPath>, …]`: where else the target may be.
//!   When `target` matches nothing, these are tried in order and the first that
//!   matches is used, with a notice. A schema that older Polar specs keep under an
//!   operation's `x-components` (`AuthorizationCodeTokenRequest` under
//!   `/v1/oauth2/token`) is reached with `$.paths.*.*['x-components'].<Name>…`.
//! - `x-polar-sdk-if-target-missing: skip | create`: what to do when neither the target
//!   nor an alternative matches. `skip`: skip the action with a notice (the change is
//!   optional, or has nothing to change without its target). `create` (object updates
//!   of a plain member path such as `$.components.schemas`, checked when the overlay is
//!   read): create the missing objects along the path, with a notice, then apply.
//!   Without the marker a missing target is an error. Every project overlay action
//!   declares it (a test in `tests/tests/overlay_survival.rs` enforces this).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

#[derive(Debug, thiserror::Error)]
pub enum OverlayError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: invalid JSON: {source}")]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{path}: invalid YAML: {source}")]
    Yaml {
        path: PathBuf,
        #[source]
        source: yaml_serde::Error,
    },
    #[error("{path}: not an Overlay 1.0 document: at {pointer}: {message}")]
    Invalid {
        path: PathBuf,
        /// JSON pointer into the overlay document.
        pointer: String,
        message: String,
    },
    #[error("{path}: actions[{index}]: invalid JSONPath target `{target}`: {message}")]
    BadTarget {
        path: PathBuf,
        index: usize,
        target: String,
        message: String,
    },
    #[error(
        "{path}: actions[{index}]: target `{target}` matches nothing in the spec{tried}; \
         if the action may be skipped or its target created on such a spec, say so with \
         `x-polar-sdk-if-target-missing: skip` or `create` (polar-codegen/src/overlay.rs)"
    )]
    NoMatch {
        path: PathBuf,
        index: usize,
        target: String,
        /// `" (nor do its alternatives …)"`, or empty without alternatives.
        tried: String,
    },
    #[error("{path}: actions[{index}]: target `{target}` at spec node {pointer}: {message}")]
    Apply {
        path: PathBuf,
        index: usize,
        target: String,
        /// JSON pointer of the matched node in the spec.
        pointer: String,
        message: String,
    },
}

/// A parsed, validated overlay document.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The file it was read from (used in every error message).
    pub file: PathBuf,
    /// The `overlay` field, `1.0.x`.
    pub overlay_version: String,
    pub title: String,
    pub version: String,
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone)]
pub struct Action {
    pub target: String,
    pub description: Option<String>,
    pub kind: ActionKind,
    /// `x-polar-sdk-add-missing`: the update only adds keys the target lacks.
    pub add_missing: bool,
    /// `x-polar-sdk-skip-if-present`: skip the action when this query matches.
    pub skip_if_present: Option<(String, JsonPath)>,
    /// `x-polar-sdk-alternative-targets`: tried in order when `target` matches nothing.
    pub alternatives: Vec<(String, JsonPath)>,
    /// `x-polar-sdk-if-target-missing`: what to do when no target matches.
    pub if_missing: IfMissing,
    path: JsonPath,
}

/// `x-polar-sdk-if-target-missing`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMissing {
    /// No marker: a missing target is an error.
    Error,
    /// `skip`: skip the action with a notice.
    Skip,
    /// `create`: create the objects along the target's member path, then apply.
    /// Holds the path's member names.
    Create(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ActionKind {
    Update(Value),
    Remove,
}

/// Syntax of an overlay file, chosen by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

impl Format {
    /// `.json` → JSON, `.yaml`/`.yml` → YAML, anything else is not an overlay file.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()? {
            "json" => Some(Format::Json),
            "yaml" | "yml" => Some(Format::Yaml),
            _ => None,
        }
    }
}

/// Parses and validates overlay text; `file` names the source in errors.
pub fn parse_overlay(text: &str, format: Format, file: &Path) -> Result<Overlay, OverlayError> {
    let doc: Value = match format {
        Format::Json => serde_json::from_str(text).map_err(|source| OverlayError::Json {
            path: file.to_owned(),
            source,
        })?,
        Format::Yaml => yaml_serde::from_str(text).map_err(|source| OverlayError::Yaml {
            path: file.to_owned(),
            source,
        })?,
    };
    Overlay::from_value(&doc, file)
}

/// Reads one overlay file (format from its extension).
pub fn load_overlay(path: &Path) -> Result<Overlay, OverlayError> {
    let format = Format::from_path(path).ok_or_else(|| OverlayError::Invalid {
        path: path.to_owned(),
        pointer: String::new(),
        message: "overlay files must end in .json, .yaml or .yml".into(),
    })?;
    let text = std::fs::read_to_string(path).map_err(|source| OverlayError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse_overlay(&text, format, path)
}

/// Reads every `*.json`, `*.yaml` and `*.yml` file directly in `dir`, sorted by file
/// name. Other files and subdirectories are ignored; a missing `dir` is an error.
pub fn load_overlays(dir: &Path) -> Result<Vec<Overlay>, OverlayError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| OverlayError::Io { path, source }
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if path.is_file() && Format::from_path(&path).is_some() {
            files.push(path);
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    files.iter().map(|p| load_overlay(p)).collect()
}

/// Applies the overlays in order and prints each [`Notice`] on stderr: `warning:` for a
/// skipped action, `note:` for one applied at an alternative or created target.
pub fn apply_all(spec: &mut Value, overlays: &[Overlay]) -> Result<(), OverlayError> {
    for notice in apply_all_reporting(spec, overlays)? {
        let level = if notice.is_skip() { "warning" } else { "note" };
        eprintln!("{level}: {notice}");
    }
    Ok(())
}

/// Applies the overlays in order, returning a notice for every action skipped or
/// applied elsewhere than its `target`.
pub fn apply_all_reporting(
    spec: &mut Value,
    overlays: &[Overlay],
) -> Result<Vec<Notice>, OverlayError> {
    let mut notices = Vec::new();
    for overlay in overlays {
        notices.extend(overlay.apply(spec)?);
    }
    Ok(notices)
}

/// An action skipped, or applied elsewhere than its `target`, by one of the extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The overlay file.
    pub file: PathBuf,
    /// Index of the action in its `actions` list.
    pub index: usize,
    /// The action's `description`.
    pub description: Option<String>,
    pub kind: NoticeKind,
}

/// What happened to the action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeKind {
    /// Skipped: its `x-polar-sdk-skip-if-present` query matched, first at `pointer`.
    Present { condition: String, pointer: String },
    /// Skipped: no target matched and it says `x-polar-sdk-if-target-missing: skip`.
    TargetMissing { targets: Vec<String> },
    /// Applied at this alternative target, `target` having matched nothing.
    Alternative { target: String, alternative: String },
    /// Applied after creating the missing objects of its target (`create`).
    Created { target: String },
}

impl Notice {
    /// The action was not applied.
    pub fn is_skip(&self) -> bool {
        matches!(
            self.kind,
            NoticeKind::Present { .. } | NoticeKind::TargetMissing { .. }
        )
    }
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: actions[{}] ", self.file.display(), self.index)?;
        match &self.kind {
            NoticeKind::Present { condition, pointer } => write!(
                f,
                "skipped: the spec already has `{condition}` (at {})",
                display_pointer(pointer)
            )?,
            NoticeKind::TargetMissing { targets } => write!(
                f,
                "skipped: the spec has no {} (x-polar-sdk-if-target-missing: skip)",
                quoted_list(targets)
            )?,
            NoticeKind::Alternative {
                target,
                alternative,
            } => write!(f, "applied at `{alternative}`: the spec has no `{target}`")?,
            NoticeKind::Created { target } => write!(
                f,
                "created `{target}`, which the spec lacks (x-polar-sdk-if-target-missing: create)"
            )?,
        }
        if let Some(description) = &self.description {
            write!(f, ": {description}")?;
        }
        Ok(())
    }
}

/// `` `a` `` / `` `a` nor `b` ``.
fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(" nor ")
}

/// The `x-polar-sdk-…` extensions an action may carry (a misspelt one is an error, not
/// an ignored extension).
pub const ACTION_EXTENSIONS: &[&str] = &[
    "x-polar-sdk-skip-if-present",
    "x-polar-sdk-add-missing",
    "x-polar-sdk-alternative-targets",
    "x-polar-sdk-if-target-missing",
];

fn is_extension(key: &str) -> bool {
    key.starts_with("x-")
}

struct Checker<'a> {
    file: &'a Path,
}

impl Checker<'_> {
    fn invalid(&self, pointer: &str, message: impl Into<String>) -> OverlayError {
        OverlayError::Invalid {
            path: self.file.to_owned(),
            pointer: pointer.to_owned(),
            message: message.into(),
        }
    }

    fn object<'v>(
        &self,
        value: &'v Value,
        pointer: &str,
    ) -> Result<&'v Map<String, Value>, OverlayError> {
        value.as_object().ok_or_else(|| {
            self.invalid(
                pointer,
                format!("expected an object, found {}", kind_of(value)),
            )
        })
    }

    fn string(
        &self,
        obj: &Map<String, Value>,
        key: &str,
        pointer: &str,
    ) -> Result<String, OverlayError> {
        let at = format!("{pointer}/{key}");
        match obj.get(key) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(other) => {
                Err(self.invalid(&at, format!("expected a string, found {}", kind_of(other))))
            }
            None => Err(self.invalid(&at, format!("missing required field `{key}`"))),
        }
    }

    fn only_known(
        &self,
        obj: &Map<String, Value>,
        known: &[&str],
        pointer: &str,
    ) -> Result<(), OverlayError> {
        match obj
            .keys()
            .find(|k| !known.contains(&k.as_str()) && !is_extension(k))
        {
            Some(key) => Err(self.invalid(
                &format!("{pointer}/{key}"),
                format!("unknown field `{key}`"),
            )),
            None => Ok(()),
        }
    }
}

impl Overlay {
    /// Validates an overlay document already parsed into JSON.
    pub fn from_value(doc: &Value, file: &Path) -> Result<Overlay, OverlayError> {
        let c = Checker { file };
        let root = c.object(doc, "")?;
        let overlay_version = c.string(root, "overlay", "")?;
        if !is_version_1_0(&overlay_version) {
            return Err(c.invalid(
                "/overlay",
                format!("unsupported overlay version {overlay_version:?}; expected 1.0.x"),
            ));
        }
        c.only_known(root, &["overlay", "info", "extends", "actions"], "")?;
        let info = c.object(root.get("info").unwrap_or(&Value::Null), "/info")?;
        c.only_known(info, &["title", "version", "description"], "/info")?;
        let title = c.string(info, "title", "/info")?;
        let version = c.string(info, "version", "/info")?;
        let actions = match root.get("actions") {
            Some(Value::Array(items)) if !items.is_empty() => items,
            Some(Value::Array(_)) => {
                return Err(c.invalid("/actions", "`actions` must not be empty"))
            }
            Some(other) => {
                return Err(c.invalid(
                    "/actions",
                    format!("expected an array, found {}", kind_of(other)),
                ))
            }
            None => return Err(c.invalid("/actions", "missing required field `actions`")),
        };
        let actions = actions
            .iter()
            .enumerate()
            .map(|(index, action)| Action::from_value(action, index, &c))
            .collect::<Result<_, _>>()?;
        Ok(Overlay {
            file: file.to_owned(),
            overlay_version,
            title,
            version,
            actions,
        })
    }

    /// Applies every action in order; stops at the first failing action. Returns a
    /// notice for every action skipped or applied elsewhere than its `target`.
    pub fn apply(&self, spec: &mut Value) -> Result<Vec<Notice>, OverlayError> {
        let mut notices = Vec::new();
        for (index, action) in self.actions.iter().enumerate() {
            let notice = |kind| Notice {
                file: self.file.clone(),
                index,
                description: action.description.clone(),
                kind,
            };
            if let Some((condition, path)) = &action.skip_if_present {
                if let Some(location) = locate(path, spec).into_iter().next() {
                    notices.push(notice(NoticeKind::Present {
                        condition: condition.clone(),
                        pointer: to_pointer(&location),
                    }));
                    continue;
                }
            }
            let mut locations = locate(&action.path, spec);
            if locations.is_empty() {
                for (alternative, path) in &action.alternatives {
                    locations = locate(path, spec);
                    if !locations.is_empty() {
                        notices.push(notice(NoticeKind::Alternative {
                            target: action.target.clone(),
                            alternative: alternative.clone(),
                        }));
                        break;
                    }
                }
            }
            if locations.is_empty() {
                match &action.if_missing {
                    IfMissing::Error => {
                        let tried = if action.alternatives.is_empty() {
                            String::new()
                        } else {
                            let alternatives: Vec<String> =
                                action.alternatives.iter().map(|(t, _)| t.clone()).collect();
                            format!(" (nor do its alternatives {})", quoted_list(&alternatives))
                        };
                        return Err(OverlayError::NoMatch {
                            path: self.file.clone(),
                            index,
                            target: action.target.clone(),
                            tried,
                        });
                    }
                    IfMissing::Skip => {
                        let mut targets = vec![action.target.clone()];
                        targets.extend(action.alternatives.iter().map(|(t, _)| t.clone()));
                        notices.push(notice(NoticeKind::TargetMissing { targets }));
                        continue;
                    }
                    IfMissing::Create(members) => {
                        let location =
                            create_path(spec, members).map_err(|message| OverlayError::Apply {
                                path: self.file.clone(),
                                index,
                                target: action.target.clone(),
                                pointer: String::new(),
                                message,
                            })?;
                        notices.push(notice(NoticeKind::Created {
                            target: action.target.clone(),
                        }));
                        locations = vec![location];
                    }
                }
            }
            action
                .apply_at(spec, locations)
                .map_err(|Failure { pointer, message }| OverlayError::Apply {
                    path: self.file.clone(),
                    index,
                    target: action.target.clone(),
                    pointer,
                    message,
                })?;
        }
        Ok(notices)
    }
}

/// Creates the missing objects along `members` from the root; their location.
fn create_path(spec: &mut Value, members: &[String]) -> Result<Vec<Segment>, String> {
    let mut node = spec;
    let mut location = Vec::new();
    for member in members {
        let Value::Object(map) = node else {
            return Err(format!(
                "cannot create `{member}` in {} at {}",
                kind_of(node),
                display_pointer(&to_pointer(&location))
            ));
        };
        node = map
            .entry(member.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        location.push(Segment::Name(member.clone()));
    }
    Ok(location)
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "/"
    } else {
        pointer
    }
}

/// The member names of a plain member path (`$`, `.name`, `['name']`, `["name"]`
/// segments only), or `None` for any other query.
fn member_path(query: &str) -> Option<Vec<String>> {
    let mut rest = query.strip_prefix('$')?;
    let mut members = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            let name = &after[..end];
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            members.push(name.to_owned());
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let quote = after.chars().next().filter(|c| *c == '\'' || *c == '"')?;
            let mut name = String::new();
            let mut chars = after[1..].char_indices();
            let end = loop {
                match chars.next()? {
                    (_, '\\') => name.push(chars.next()?.1),
                    (i, c) if c == quote => break i,
                    (_, c) => name.push(c),
                }
            };
            rest = after[1 + end + 1..].strip_prefix(']')?;
            members.push(name);
        } else {
            return None;
        }
    }
    Some(members)
}

fn is_version_1_0(version: &str) -> bool {
    version
        .strip_prefix("1.0.")
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// One segment of a matched node's location.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Segment {
    Name(String),
    Index(usize),
}

fn to_pointer(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        match segment {
            Segment::Name(name) => out.push_str(&name.replace('~', "~0").replace('/', "~1")),
            Segment::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// An action failed at the spec node `pointer`.
struct Failure {
    pointer: String,
    message: String,
}

impl Action {
    fn from_value(value: &Value, index: usize, c: &Checker<'_>) -> Result<Action, OverlayError> {
        let pointer = format!("/actions/{index}");
        let obj = c.object(value, &pointer)?;
        c.only_known(
            obj,
            &["target", "description", "update", "remove"],
            &pointer,
        )?;
        for key in obj.keys().filter(|k| k.starts_with("x-polar-sdk-")) {
            if !ACTION_EXTENSIONS.contains(&key.as_str()) {
                return Err(c.invalid(
                    &format!("{pointer}/{key}"),
                    format!(
                        "unknown extension `{key}` (known: {})",
                        ACTION_EXTENSIONS.join(", ")
                    ),
                ));
            }
        }
        let target = c.string(obj, "target", &pointer)?;
        let description = match obj.get("description") {
            None => None,
            Some(_) => Some(c.string(obj, "description", &pointer)?),
        };
        let remove = match obj.get("remove") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                return Err(c.invalid(
                    &format!("{pointer}/remove"),
                    format!("expected a boolean, found {}", kind_of(other)),
                ))
            }
        };
        let kind = match (obj.get("update"), remove) {
            (Some(update), false) => ActionKind::Update(update.clone()),
            (None, true) => ActionKind::Remove,
            (Some(_), true) => {
                return Err(c.invalid(
                    &pointer,
                    "an action has either `update` or `remove: true`, not both",
                ))
            }
            (None, false) => {
                return Err(c.invalid(&pointer, "an action needs `update` or `remove: true`"))
            }
        };
        let parse = |query: &str| {
            JsonPath::parse(query).map_err(|e| OverlayError::BadTarget {
                path: c.file.to_owned(),
                index,
                target: query.to_owned(),
                message: e.to_string(),
            })
        };
        let path = parse(&target)?;
        let add_missing = match obj.get("x-polar-sdk-add-missing") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                return Err(c.invalid(
                    &format!("{pointer}/x-polar-sdk-add-missing"),
                    format!("expected a boolean, found {}", kind_of(other)),
                ))
            }
        };
        if add_missing && !matches!(kind, ActionKind::Update(Value::Object(_))) {
            return Err(c.invalid(
                &format!("{pointer}/x-polar-sdk-add-missing"),
                "only an object `update` can add missing keys",
            ));
        }
        let skip_if_present = match obj.get("x-polar-sdk-skip-if-present") {
            None => None,
            Some(_) => {
                let query = c.string(obj, "x-polar-sdk-skip-if-present", &pointer)?;
                let path = parse(&query)?;
                Some((query, path))
            }
        };
        let alternatives = match obj.get("x-polar-sdk-alternative-targets") {
            None => Vec::new(),
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::String(query) => Ok((query.clone(), parse(query)?)),
                    other => Err(c.invalid(
                        &format!("{pointer}/x-polar-sdk-alternative-targets/{i}"),
                        format!("expected a string, found {}", kind_of(other)),
                    )),
                })
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(c.invalid(
                    &format!("{pointer}/x-polar-sdk-alternative-targets"),
                    format!(
                        "expected a non-empty array of JSONPath strings, found {}",
                        kind_of(other)
                    ),
                ))
            }
        };
        let at = format!("{pointer}/x-polar-sdk-if-target-missing");
        let if_missing = match obj.get("x-polar-sdk-if-target-missing") {
            None => IfMissing::Error,
            Some(Value::String(s)) if s == "skip" => IfMissing::Skip,
            Some(Value::String(s)) if s == "create" => {
                if !matches!(kind, ActionKind::Update(Value::Object(_))) {
                    return Err(c.invalid(&at, "`create` needs an object `update`"));
                }
                let members = member_path(&target).ok_or_else(|| {
                    c.invalid(
                        &at,
                        format!(
                            "`create` needs a target made of member names only \
                             (`$.a.b`, `$['a']`), not `{target}`"
                        ),
                    )
                })?;
                IfMissing::Create(members)
            }
            Some(other) => {
                return Err(c.invalid(&at, format!("expected `skip` or `create`, found {other}")))
            }
        };
        Ok(Action {
            target,
            description,
            kind,
            add_missing,
            skip_if_present,
            alternatives,
            if_missing,
            path,
        })
    }

    /// Applies the action at `locations` (non-empty: what a target matched).
    fn apply_at(&self, spec: &mut Value, mut locations: Vec<Vec<Segment>>) -> Result<(), Failure> {
        match &self.kind {
            ActionKind::Update(update) => {
                for location in &locations {
                    let pointer = to_pointer(location);
                    let node = spec.pointer_mut(&pointer).ok_or_else(|| Failure {
                        pointer: pointer.clone(),
                        message: "matched node vanished during the update".into(),
                    })?;
                    let result = if self.add_missing {
                        add_missing_keys(node, update)
                    } else {
                        update_node(node, update)
                    };
                    result.map_err(|message| Failure { pointer, message })?;
                }
            }
            ActionKind::Remove => {
                // Deepest and highest index first, so earlier removals do not shift
                // the locations of later ones.
                locations.sort_by(|a, b| b.cmp(a));
                for location in &locations {
                    remove_node(spec, location)?;
                }
            }
        }
        Ok(())
    }
}

/// Locations of the nodes `path` matches, in query order, without duplicates.
fn locate(path: &JsonPath, spec: &Value) -> Vec<Vec<Segment>> {
    let mut found: Vec<Vec<Segment>> = Vec::new();
    for node in path.query_located(spec).iter() {
        let location: Vec<Segment> = node
            .location()
            .iter()
            .map(|element| match element.as_index() {
                Some(i) => Segment::Index(i),
                None => Segment::Name(element.as_name().unwrap_or_default().to_owned()),
            })
            .collect();
        if !found.contains(&location) {
            found.push(location);
        }
    }
    found
}

/// `x-polar-sdk-add-missing`: add the update's keys the target object lacks.
fn add_missing_keys(node: &mut Value, update: &Value) -> Result<(), String> {
    match (node, update) {
        (Value::Object(target), Value::Object(update)) => {
            for (key, value) in update {
                if !target.contains_key(key) {
                    target.insert(key.clone(), value.clone());
                }
            }
            Ok(())
        }
        (other, _) => Err(format!(
            "`x-polar-sdk-add-missing` needs an object target, found {}",
            kind_of(other)
        )),
    }
}

fn update_node(node: &mut Value, update: &Value) -> Result<(), String> {
    match (node, update) {
        (Value::Array(items), Value::Array(new)) => items.extend(new.iter().cloned()),
        (Value::Array(items), value) => items.push(value.clone()),
        (node @ Value::Object(_), Value::Object(_)) => merge(node, update),
        (Value::Object(_), other) => {
            return Err(format!(
                "the update for an object must be an object, found {}",
                kind_of(other)
            ))
        }
        (other, _) => {
            return Err(format!(
                "cannot update {}: Overlay 1.0 updates objects (merge) and arrays (append); \
                 target the parent object instead",
                kind_of(other)
            ))
        }
    }
    Ok(())
}

/// Recursive merge: objects merge key by key, arrays append, anything else is replaced.
fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(target), Value::Object(update)) => {
            for (key, value) in update {
                match target.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(target), Value::Array(update)) => target.extend(update.iter().cloned()),
        (target, update) => *target = update.clone(),
    }
}

fn remove_node(spec: &mut Value, location: &[Segment]) -> Result<(), Failure> {
    let Some((last, parent)) = location.split_last() else {
        return Err(Failure {
            pointer: String::new(),
            message: "cannot remove the document root".into(),
        });
    };
    // A node inside one removed earlier in this action is already gone.
    let Some(parent_node) = spec.pointer_mut(&to_pointer(parent)) else {
        return Ok(());
    };
    match (parent_node, last) {
        (Value::Object(map), Segment::Name(name)) => {
            map.shift_remove(name);
        }
        (Value::Array(items), Segment::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
    Ok(())
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn yaml(text: &str) -> Result<Overlay, OverlayError> {
        parse_overlay(text, Format::Yaml, Path::new("test.yaml"))
    }

    fn overlay_with(actions: Value) -> Overlay {
        let doc =
            json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions});
        Overlay::from_value(&doc, Path::new("inline.json")).expect("valid overlay")
    }

    fn base() -> Value {
        json!({
            "info": {"title": "API", "version": "1"},
            "tags": [{"name": "a"}],
            "paths": {
                "/a": {"get": {"summary": "A", "tags": ["a"], "deprecated": false}},
                "/b": {"get": {"summary": "B"}, "post": {"summary": "B2"}}
            }
        })
    }

    #[test]
    fn apply_table() {
        let cases: Vec<(&str, Value, Value)> = vec![
            (
                "update merges objects recursively and adds keys",
                json!([{"target": "$.paths['/a'].get", "update": {"deprecated": true, "x-new": 1}}]),
                json!({"summary": "A", "tags": ["a"], "deprecated": true, "x-new": 1}),
            ),
            (
                "nested arrays inside a merge are appended",
                json!([{"target": "$.paths['/a'].get", "update": {"tags": ["b"]}}]),
                json!({"summary": "A", "tags": ["a", "b"], "deprecated": false}),
            ),
            (
                "wildcard update touches every match",
                json!([{"target": "$.paths.*.get", "update": {"x-seen": true}}]),
                json!({"summary": "A", "tags": ["a"], "deprecated": false, "x-seen": true}),
            ),
        ];
        for (name, actions, expected_a_get) in cases {
            let mut spec = base();
            overlay_with(actions).apply(&mut spec).expect(name);
            assert_eq!(spec["paths"]["/a"]["get"], expected_a_get, "{name}");
        }
    }

    #[test]
    fn update_adds_path_item_and_wildcard_reaches_all() {
        let mut spec = base();
        let overlay = overlay_with(json!([
            {"target": "$.paths", "update": {"/c": {"get": {"summary": "C"}}}},
            {"target": "$.paths.*.get", "update": {"x-seen": true}}
        ]));
        overlay.apply(&mut spec).expect("apply");
        let keys: Vec<&String> = spec["paths"].as_object().expect("paths").keys().collect();
        assert_eq!(keys, ["/a", "/b", "/c"], "new keys go last, order kept");
        assert_eq!(
            spec["paths"]["/c"]["get"],
            json!({"summary": "C", "x-seen": true})
        );
    }

    #[test]
    fn conditions_skip_with_a_notice_and_add_missing_keeps_existing_keys() {
        let mut spec = base();
        let overlay = overlay_with(json!([
            {"target": "$.paths", "description": "restore /a",
             "x-polar-sdk-skip-if-present": "$.paths['/a'].get",
             "update": {"/a": {"get": {"summary": "dup"}}}},
            {"target": "$.paths", "x-polar-sdk-skip-if-present": "$.paths['/c'].get",
             "update": {"/c": {"get": {"summary": "C"}}}},
            {"target": "$.paths", "x-polar-sdk-add-missing": true,
             "update": {"/b": {"get": {"summary": "not merged"}}, "/d": {"get": {"summary": "D"}}}}
        ]));
        let skipped = overlay.apply(&mut spec).expect("apply");
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].index, 0);
        assert!(skipped[0].is_skip());
        assert_eq!(
            skipped[0].kind,
            NoticeKind::Present {
                condition: "$.paths['/a'].get".into(),
                pointer: "/paths/~1a/get".into()
            }
        );
        assert!(
            skipped[0].to_string().contains("restore /a"),
            "{}",
            skipped[0]
        );
        assert_eq!(spec["paths"]["/a"]["get"]["summary"], "A", "not duplicated");
        assert_eq!(
            spec["paths"]["/c"]["get"]["summary"], "C",
            "applied when absent"
        );
        assert_eq!(
            spec["paths"]["/b"],
            json!({"get": {"summary": "B"}, "post": {"summary": "B2"}})
        );
        assert_eq!(spec["paths"]["/d"]["get"]["summary"], "D");
        for (actions, needle) in [
            (
                json!([{"target": "$", "remove": true, "x-polar-sdk-add-missing": true}]),
                "only an object `update`",
            ),
            (
                json!([{"target": "$", "update": {}, "x-polar-sdk-add-missing": "yes"}]),
                "expected a boolean",
            ),
            (
                json!([{"target": "$", "update": {}, "x-polar-sdk-skip-if-present": "$.["}]),
                "invalid JSONPath",
            ),
        ] {
            let doc = json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions});
            let err = Overlay::from_value(&doc, Path::new("o.json")).expect_err("invalid");
            assert!(err.to_string().contains(needle), "{err}");
        }
    }

    #[test]
    fn missing_targets_use_alternatives_then_skip_or_create_with_a_notice() {
        let moved = "$.paths.*.*['x-components'].Req.properties";
        let actions = json!([
            {"target": "$.components.schemas.Req.properties", "description": "field",
             "x-polar-sdk-alternative-targets": [moved],
             "x-polar-sdk-if-target-missing": "skip",
             "update": {"v": {"type": "string"}}},
            {"target": "$['components'].schemas", "x-polar-sdk-if-target-missing": "create",
             "x-polar-sdk-add-missing": true, "update": {"New": {"type": "string"}}},
            {"target": "$.paths['/gone'].get", "remove": true,
             "x-polar-sdk-if-target-missing": "skip"}
        ]);
        // The schema moved into the operation's x-components: found there.
        let mut spec = base();
        spec["paths"]["/b"]["post"]["x-components"] =
            json!({"Req": {"type": "object", "properties": {"a": {}}}});
        let notices = overlay_with(actions.clone())
            .apply(&mut spec)
            .expect("apply");
        assert_eq!(
            spec["paths"]["/b"]["post"]["x-components"]["Req"]["properties"],
            json!({"a": {}, "v": {"type": "string"}})
        );
        assert_eq!(
            spec["components"]["schemas"],
            json!({"New": {"type": "string"}})
        );
        let texts: Vec<String> = notices.iter().map(ToString::to_string).collect();
        assert_eq!(texts.len(), 3, "{texts:#?}");
        assert!(!notices[0].is_skip() && !notices[1].is_skip() && notices[2].is_skip());
        assert!(
            texts[0].contains(&format!("applied at `{moved}`")),
            "{}",
            texts[0]
        );
        assert!(texts[0].ends_with(": field"), "{}", texts[0]);
        assert!(
            texts[1].contains("created `$['components'].schemas`"),
            "{}",
            texts[1]
        );
        assert!(
            texts[2].contains("skipped: the spec has no `$.paths['/gone'].get`"),
            "{}",
            texts[2]
        );

        // Neither place: skipped with a notice naming both; nothing changed.
        let mut spec = base();
        spec["components"] = json!({"schemas": {"Other": {}}});
        let before = spec.clone();
        let notices = overlay_with(json!([actions[0].clone()]))
            .apply(&mut spec)
            .expect("skip");
        assert_eq!(spec, before);
        assert_eq!(notices.len(), 1);
        assert_eq!(
            notices[0].kind,
            NoticeKind::TargetMissing {
                targets: vec!["$.components.schemas.Req.properties".into(), moved.into()]
            }
        );

        // Without the marker it is still an error, naming the alternatives tried.
        let mut strict = actions[0].clone();
        strict
            .as_object_mut()
            .expect("object")
            .shift_remove("x-polar-sdk-if-target-missing");
        let err = overlay_with(json!([strict]))
            .apply(&mut base())
            .expect_err("no target")
            .to_string();
        assert!(
            err.contains("matches nothing")
                && err.contains(moved)
                && err.contains("if-target-missing"),
            "{err}"
        );

        // `create` below a non-object is an error, not a silent skip.
        let mut spec = json!({"components": "text"});
        let err = overlay_with(json!([actions[1].clone()]))
            .apply(&mut spec)
            .expect_err("cannot create")
            .to_string();
        assert!(err.contains("cannot create `schemas` in a string"), "{err}");
    }

    #[test]
    fn missing_target_markers_are_validated() {
        for (action, needle) in [
            (
                json!({"target": "$.a", "update": {}, "x-polar-sdk-if-target-missing": "maybe"}),
                "expected `skip` or `create`",
            ),
            (
                json!({"target": "$.a.*", "update": {}, "x-polar-sdk-if-target-missing": "create"}),
                "member names only",
            ),
            (
                json!({"target": "$.a", "remove": true, "x-polar-sdk-if-target-missing": "create"}),
                "needs an object `update`",
            ),
            (
                json!({"target": "$.a", "update": {}, "x-polar-sdk-alternative-targets": "$.b"}),
                "non-empty array",
            ),
            (
                json!({"target": "$.a", "update": {}, "x-polar-sdk-alternative-targets": [1]}),
                "/x-polar-sdk-alternative-targets/0: expected a string",
            ),
            (
                json!({"target": "$.a", "update": {}, "x-polar-sdk-alternative-targets": ["$.["]}),
                "invalid JSONPath",
            ),
            (
                json!({"target": "$.a", "update": {}, "x-polar-sdk-skip-if-missing": true}),
                "unknown extension `x-polar-sdk-skip-if-missing`",
            ),
        ] {
            let doc = json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [action]});
            let err = Overlay::from_value(&doc, Path::new("o.json")).expect_err("invalid");
            assert!(err.to_string().contains(needle), "{err}");
        }
        for (query, members) in [
            ("$", Some(vec![])),
            ("$.components.schemas", Some(vec!["components", "schemas"])),
            (
                "$['paths'][\"/a'b\"].x_y",
                Some(vec!["paths", "/a'b", "x_y"]),
            ),
            ("$['a\\'b']", Some(vec!["a'b"])),
            ("$.a[0]", None),
            ("$.a.*", None),
            ("$..a", None),
            ("$.a['b'", None),
        ] {
            let expected = members.map(|m| m.into_iter().map(String::from).collect::<Vec<_>>());
            assert_eq!(member_path(query), expected, "{query}");
        }
    }

    #[test]
    fn array_target_appends() {
        let cases = [
            (json!({"name": "b"}), json!([{"name": "a"}, {"name": "b"}])),
            (
                json!([{"name": "b"}, {"name": "c"}]),
                json!([{"name": "a"}, {"name": "b"}, {"name": "c"}]),
            ),
        ];
        for (update, expected) in cases {
            let mut spec = base();
            overlay_with(json!([{"target": "$.tags", "update": update}]))
                .apply(&mut spec)
                .expect("append");
            assert_eq!(spec["tags"], expected);
        }
    }

    #[test]
    fn remove_cases() {
        let cases: Vec<(&str, &str, Value)> = vec![
            (
                "object member",
                "$.paths['/b'].post",
                json!({"get": {"summary": "B"}}),
            ),
            ("several members", "$.paths['/b'][?@.summary]", json!({})),
            (
                "primitive value",
                "$.paths['/b'].get.summary",
                json!({"get": {}, "post": {"summary": "B2"}}),
            ),
        ];
        for (name, target, expected_b) in cases {
            let mut spec = base();
            overlay_with(json!([{"target": target, "remove": true}]))
                .apply(&mut spec)
                .expect(name);
            assert_eq!(spec["paths"]["/b"], expected_b, "{name}");
        }
        let mut spec = json!({"list": [0, 1, 2, 3, 4]});
        overlay_with(json!([{"target": "$.list[1,3]", "remove": true}]))
            .apply(&mut spec)
            .expect("array items");
        assert_eq!(
            spec["list"],
            json!([0, 2, 4]),
            "indexes removed from the end first"
        );
    }

    #[test]
    fn apply_errors_name_file_action_and_target() {
        let cases: Vec<(Value, &[&str])> = vec![
            (
                json!([{"target": "$.info", "update": {}}, {"target": "$.paths['/zzz']", "remove": true}]),
                &[
                    "inline.json",
                    "actions[1]",
                    "$.paths['/zzz']",
                    "matches nothing",
                ],
            ),
            (
                json!([{"target": "$.info.title", "update": "New"}]),
                &[
                    "inline.json",
                    "actions[0]",
                    "/info/title",
                    "cannot update a string",
                ],
            ),
            (
                json!([{"target": "$.info", "update": "x"}]),
                &["actions[0]", "must be an object"],
            ),
            (
                json!([{"target": "$", "remove": true}]),
                &["actions[0]", "document root"],
            ),
        ];
        for (actions, needles) in cases {
            let mut spec = base();
            let err = overlay_with(actions.clone())
                .apply(&mut spec)
                .expect_err("should fail");
            let text = err.to_string();
            for needle in needles {
                assert!(
                    text.contains(needle),
                    "{actions}: `{needle}` not in: {text}"
                );
            }
        }
    }

    #[test]
    fn validation_table() {
        let cases: Vec<(&str, &str)> = vec![
            ("overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, remove: true}]", "/overlay: unsupported overlay version \"1.1.0\""),
            ("overlay: 1.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, remove: true}]", "/overlay: expected a string, found a number"),
            ("info: {title: t, version: '1'}\nactions: [{target: $, remove: true}]", "/overlay: missing required field `overlay`"),
            ("overlay: 1.0.0\nactions: [{target: $, remove: true}]", "at /info: expected an object, found null"),
            ("overlay: 1.0.0\ninfo: {title: t}\nactions: [{target: $, remove: true}]", "/info/version: missing required field"),
            ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: []", "/actions: `actions` must not be empty"),
            ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $}]", "/actions/0: an action needs `update` or `remove: true`"),
            ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, remove: true, update: {}}]", "/actions/0: an action has either"),
            ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, remove: 'yes'}]", "/actions/0/remove: expected a boolean"),
            ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{remove: true}]", "/actions/0/target: missing required field"),
            ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, updates: {}}]", "/actions/0/updates: unknown field"),
            ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: '$.[', remove: true}]", "actions[0]: invalid JSONPath target `$.[`"),
            ("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}", "missing required field `overlay`"),
            ("overlay: 1.0.0\n  info: [", "test.yaml: invalid YAML"),
        ];
        for (text, expected) in cases {
            let err = yaml(text).expect_err(text).to_string();
            assert!(err.starts_with("test.yaml: "), "{err}");
            assert!(
                err.contains(expected),
                "{text:?}\n  expected `{expected}`\n  got      {err}"
            );
        }
        let ok = yaml("overlay: 1.0.12\ninfo: {title: t, version: '1', x-a: 1}\nx-b: 2\nactions:\n  - target: $.info\n    description: d\n    update: {x-c: 3}\n");
        let ok = ok.expect("valid with extensions");
        assert_eq!(ok.actions[0].description.as_deref(), Some("d"));
        assert_eq!(ok.actions[0].kind, ActionKind::Update(json!({"x-c": 3})));
        let err =
            parse_overlay("{\"overlay\": ", Format::Json, Path::new("o.json")).expect_err("json");
        assert!(err.to_string().starts_with("o.json: invalid JSON"), "{err}");
    }

    #[test]
    fn yaml_status_code_keys_stay_strings() {
        let overlay = yaml(
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/a'].get\n    update:\n      responses:\n        204: {description: gone}\n",
        )
        .expect("parse");
        let mut spec = base();
        overlay.apply(&mut spec).expect("apply");
        assert_eq!(
            spec["paths"]["/a"]["get"]["responses"]["204"]["description"],
            "gone"
        );
    }

    #[test]
    fn load_overlays_in_file_name_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let write =
            |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
        let header = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\n";
        // Both set the same key; the later file name must win.
        write(
            "020-second.yml",
            &format!("{header}actions: [{{target: $.info, update: {{x-order: second}}}}]\n"),
        );
        write(
            "010-first.json",
            r#"{"overlay": "1.0.0", "info": {"title": "t", "version": "1"},
                "actions": [{"target": "$.info", "update": {"x-order": "first", "x-first": true}}]}"#,
        );
        write("README.md", "not an overlay, ignored");
        std::fs::create_dir(dir.path().join("drafts.yaml")).expect("dir is ignored");
        let overlays = load_overlays(dir.path()).expect("load");
        let names: Vec<_> = overlays
            .iter()
            .map(|o| o.file.file_name().expect("name").to_owned())
            .collect();
        assert_eq!(names, ["010-first.json", "020-second.yml"]);
        let mut spec = base();
        apply_all(&mut spec, &overlays).expect("apply");
        assert_eq!(spec["info"]["x-order"], "second");
        assert_eq!(spec["info"]["x-first"], true);

        write("030-broken.yaml", "overlay: [\n");
        let err = load_overlays(dir.path())
            .expect_err("broken file")
            .to_string();
        assert!(
            err.contains("030-broken.yaml") && err.contains("invalid YAML"),
            "{err}"
        );
        std::fs::remove_file(dir.path().join("030-broken.yaml")).expect("rm");
        write(
            "040-spec.json",
            r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}"#,
        );
        let err = load_overlays(dir.path())
            .expect_err("not an overlay")
            .to_string();
        assert!(
            err.contains("040-spec.json") && err.contains("not an Overlay 1.0 document"),
            "{err}"
        );

        let missing = dir.path().join("nope");
        let err = load_overlays(&missing)
            .expect_err("missing dir")
            .to_string();
        assert!(err.contains("nope"), "{err}");
    }
}
