//! The Polar workflow catalog (`polar-workflow-catalog.txt`): the triggers (webhook
//! events) and actions (API operations) Polar advertises for workflows, and how much
//! of it the generated SDK covers.
//!
//! The file is plain text scraped from a web page:
//! - a header ending with a line `N triggers and M actions …` (the header may itself
//!   contain a sample trigger, which is not counted);
//! - prose, then the triggers: an event-name line (`order.paid`) followed by one
//!   description line, repeated;
//! - prose introducing the operations, then categories: one description line (no
//!   name), followed by its actions, each a title line and then a line holding the
//!   path glued to the description (`/v1/benefits/{id}Retrieve detailed …`);
//! - a footer of prose lines, ignored.
//!
//! The path ends where the path grammar ends: segments of `a-z 0-9 - _ .` or a
//! `{param}`; the description must then start with an upper-case letter, else the
//! split is ambiguous and parsing fails. The counts in the header are checked.
//!
//! The catalog names no HTTP methods; [`infer_method`] derives one from the title's
//! verb and the path, and [`match_catalog`] tolerates the few titles whose verb
//! does not say how Polar spells the request (see [`MatchKind`]).

use std::path::{Path, PathBuf};

use serde::Serialize;

use polar_codegen::ir::{Api, HttpMethod};

use polar_codegen::tools::diff::normalize_path;

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Format {
        path: PathBuf,
        /// 1-based line number (0 when the problem is the file as a whole).
        line: usize,
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Catalog {
    pub triggers: Vec<Trigger>,
    pub categories: Vec<Category>,
    /// In file order (grouped by category).
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trigger {
    /// Webhook event name, e.g. `order.paid`.
    pub event: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Category {
    /// The resource segment of its actions' paths, e.g. `benefit-grants` (the file
    /// gives categories no names).
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    /// [`Category::name`] of the category it is listed under.
    pub category: String,
    pub title: String,
    /// Path template as written in the catalog (trailing slash and parameter names
    /// may differ from the spec).
    pub path: String,
    pub description: String,
    /// Inferred by [`infer_method`].
    pub method: HttpMethod,
}

/// Reads and parses the catalog file.
pub fn load_catalog(path: &Path) -> Result<Catalog, CatalogError> {
    let text = std::fs::read_to_string(path).map_err(|source| CatalogError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse_catalog(&text, path)
}

/// Parses catalog text; `file` names the source in errors.
pub fn parse_catalog(text: &str, file: &Path) -> Result<Catalog, CatalogError> {
    let err = |line: usize, message: String| CatalogError::Format {
        path: file.to_owned(),
        line,
        message,
    };
    // (1-based line number, trimmed text), blank lines dropped.
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();

    let (counts_at, (declared_triggers, declared_actions)) = lines
        .iter()
        .enumerate()
        .find_map(|(i, (_, l))| declared_counts(l).map(|c| (i, c)))
        .ok_or_else(|| err(0, "no `N triggers and M actions` line in the header".into()))?;

    let mut i = counts_at + 1;
    while i < lines.len() && !is_event_name(lines[i].1) {
        i += 1;
    }
    let mut triggers = Vec::new();
    while i < lines.len() && is_event_name(lines[i].1) {
        let (line_no, event) = lines[i];
        let description = match lines.get(i + 1) {
            Some((_, d)) if !is_event_name(d) && !d.starts_with('/') => *d,
            _ => {
                return Err(err(
                    line_no,
                    format!("trigger `{event}` has no description line"),
                ))
            }
        };
        triggers.push(Trigger {
            event: event.to_owned(),
            description: description.to_owned(),
        });
        i += 2;
    }

    let mut categories: Vec<Category> = Vec::new();
    let mut actions = Vec::new();
    let mut prose: Vec<(usize, &str)> = Vec::new();
    while i < lines.len() {
        let (line_no, line) = lines[i];
        if line.starts_with('/') {
            return Err(err(
                line_no,
                "a path line must follow an action title".into(),
            ));
        }
        let Some(&(path_line_no, path_line)) = lines.get(i + 1).filter(|(_, l)| l.starts_with('/'))
        else {
            prose.push((line_no, line));
            i += 1;
            continue;
        };
        // `line` is an action title.
        if let Some(&(_, description)) = prose.last() {
            // Extra prose is allowed only before the first category (the intro).
            if !categories.is_empty() && prose.len() > 1 {
                let (stray, _) = prose[0];
                return Err(err(stray, "expected one category description line".into()));
            }
            let (path, _) = split_path(path_line);
            categories.push(Category {
                name: resource_segment(path).to_owned(),
                description: description.to_owned(),
            });
            prose.clear();
        }
        let Some(category) = categories.last() else {
            return Err(err(
                line_no,
                "action listed before any category description".into(),
            ));
        };
        let (path, description) = split_path(path_line);
        if !description.starts_with(|c: char| c.is_uppercase()) {
            return Err(err(
                path_line_no,
                format!(
                    "cannot tell where the path ends and the description begins: `{path_line}`"
                ),
            ));
        }
        actions.push(Action {
            category: category.name.clone(),
            title: line.to_owned(),
            path: path.to_owned(),
            description: description.to_owned(),
            method: infer_method(line, path),
        });
        i += 2;
    }
    // Lines after the last action are the page footer.

    let last_line = lines.last().map_or(0, |(n, _)| *n);
    if triggers.len() != declared_triggers || actions.len() != declared_actions {
        return Err(err(
            last_line,
            format!(
                "the header declares {declared_triggers} triggers and {declared_actions} actions, \
                 found {} and {}",
                triggers.len(),
                actions.len()
            ),
        ));
    }
    Ok(Catalog {
        triggers,
        categories,
        actions,
    })
}

/// `35 triggers and 169 actions …` → `(35, 169)`.
fn declared_counts(line: &str) -> Option<(usize, usize)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        [t, "triggers", "and", a, "actions", ..] => Some((t.parse().ok()?, a.parse().ok()?)),
        _ => None,
    }
}

/// `order.paid`, `customer_seat.claimed`: lower-case dotted words.
fn is_event_name(line: &str) -> bool {
    let mut parts = line.split('.');
    let all_words = line.split('.').all(|p| {
        p.starts_with(|c: char| c.is_ascii_lowercase())
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    });
    parts.nth(1).is_some() && all_words
}

/// Splits `/v1/x/{id}Description` into the path and the description.
fn split_path(line: &str) -> (&str, &str) {
    let bytes = line.as_bytes();
    let mut end = 0;
    while end < bytes.len() {
        match bytes[end] {
            b'{' => match line[end..].find('}') {
                Some(close) => end += close + 1,
                None => break,
            },
            b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => end += 1,
            _ => break,
        }
    }
    (&line[..end], &line[end..])
}

/// The first path segment after a version segment: `/v1/benefit-grants/` → `benefit-grants`.
fn resource_segment(path: &str) -> &str {
    let mut segments = path.split('/').filter(|s| !s.is_empty()).peekable();
    if let Some(first) = segments.peek() {
        let is_version = first
            .strip_prefix('v')
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
        if is_version {
            segments.next();
        }
    }
    segments.next().unwrap_or("")
}

/// What a title's first word says about the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum VerbClass {
    /// list, get, retrieve, look (up), export, …: a GET.
    Read,
    /// check, inspect: probably a GET, but some are POSTs carrying the thing to inspect.
    Probe,
    /// create, add, assign, register, issue, upload, send, invite: a POST.
    Create,
    /// update, modify, edit, change, rename, set: a PATCH (or PUT).
    Update,
    /// delete, remove, revoke, cancel, archive: a DELETE on `…/{id}`, else a POST
    /// to an action endpoint such as `/oauth2/revoke`.
    Delete,
    /// Any other verb (activate, confirm, rotate, initiate, …): an action, usually a POST.
    Action,
}

impl VerbClass {
    pub fn of_title(title: &str) -> VerbClass {
        let verb = title
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match verb.as_str() {
            "list" | "get" | "retrieve" | "fetch" | "read" | "view" | "show" | "look"
            | "lookup" | "find" | "search" | "export" | "download" | "count" => VerbClass::Read,
            "check" | "inspect" | "verify" => VerbClass::Probe,
            "create" | "add" | "assign" | "register" | "issue" | "upload" | "send" | "invite"
            | "ingest" => VerbClass::Create,
            "update" | "modify" | "edit" | "change" | "rename" | "set" | "patch" => {
                VerbClass::Update
            }
            "delete" | "remove" | "revoke" | "cancel" | "archive" | "destroy" | "unassign" => {
                VerbClass::Delete
            }
            _ => VerbClass::Action,
        }
    }

    /// Whether an operation with `method` can be what this verb describes when the
    /// method differs from the inferred one: writes may use any write method, reads
    /// only GET, probes and other actions anything.
    fn accepts(self, method: HttpMethod) -> bool {
        let is_read = matches!(method, HttpMethod::Get | HttpMethod::Head);
        match self {
            VerbClass::Read => is_read,
            VerbClass::Create | VerbClass::Update | VerbClass::Delete => !is_read,
            VerbClass::Probe | VerbClass::Action => true,
        }
    }
}

/// The HTTP method a catalog action most likely uses, from its title's first word
/// ([`VerbClass`]) and, for removing verbs, whether the path ends in an id.
pub fn infer_method(title: &str, path: &str) -> HttpMethod {
    let ends_with_id = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .is_some_and(|segment| segment.starts_with('{'));
    match VerbClass::of_title(title) {
        VerbClass::Read | VerbClass::Probe => HttpMethod::Get,
        VerbClass::Update => HttpMethod::Patch,
        VerbClass::Delete if ends_with_id => HttpMethod::Delete,
        VerbClass::Delete | VerbClass::Create | VerbClass::Action => HttpMethod::Post,
    }
}

/// An operation as the matcher sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationKey {
    pub method: HttpMethod,
    pub path: String,
    /// [`polar_codegen::ir::Operation::qualified_name`].
    pub name: String,
}

/// How an action found its operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum MatchKind {
    /// Same inferred method and path.
    Exact,
    /// Inferred PATCH, the path has a PUT (a full-replacement update) and no PATCH.
    PutForUpdate,
    /// The inferred method is not on the path, but the path has exactly one
    /// operation and the title's [`VerbClass`] accepts its method: the verb does not
    /// say how Polar spells the request ("Rotate webhook signing secret" is a PATCH,
    /// "Update benefits for a product" a POST). A read verb never matches a write
    /// operation and a create/update/delete verb never matches a GET.
    OnlyOperationOnPath,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionMatch {
    pub title: String,
    pub path: String,
    pub inferred: HttpMethod,
    /// The operation's method (differs from `inferred` unless `kind` is `Exact`).
    pub method: HttpMethod,
    pub operation: String,
    pub kind: MatchKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogCoverage {
    /// `(event, webhook variant name)` for triggers with a webhook.
    pub matched_triggers: Vec<(String, String)>,
    pub unmatched_triggers: Vec<Trigger>,
    pub matched_actions: Vec<ActionMatch>,
    pub unmatched_actions: Vec<Action>,
    /// Webhook events the catalog does not list.
    pub webhooks_not_in_catalog: Vec<String>,
    /// Qualified names of operations no catalog action maps to.
    pub operations_not_in_catalog: Vec<String>,
}

impl CatalogCoverage {
    pub fn is_complete(&self) -> bool {
        self.unmatched_triggers.is_empty() && self.unmatched_actions.is_empty()
    }
}

/// Maps each trigger to a webhook (by event name) and each action to an operation
/// (by method and normalized path, see [`MatchKind`]).
pub fn match_catalog(catalog: &Catalog, api: &Api) -> CatalogCoverage {
    let operations: Vec<OperationKey> = api
        .operations
        .iter()
        .map(|op| OperationKey {
            method: op.http_method,
            path: op.path.clone(),
            name: op.qualified_name(),
        })
        .collect();
    let webhooks: Vec<(String, String)> = api
        .webhooks
        .iter()
        .map(|w| w.event.clone())
        .zip(polar_codegen::plan::webhook_variants(&api.webhooks))
        .collect();
    match_keys(catalog, &operations, &webhooks)
}

/// [`match_catalog`] over plain keys, so it also runs on a raw spec.
pub fn match_keys(
    catalog: &Catalog,
    operations: &[OperationKey],
    webhooks: &[(String, String)],
) -> CatalogCoverage {
    let mut coverage = CatalogCoverage {
        matched_triggers: Vec::new(),
        unmatched_triggers: Vec::new(),
        matched_actions: Vec::new(),
        unmatched_actions: Vec::new(),
        webhooks_not_in_catalog: Vec::new(),
        operations_not_in_catalog: Vec::new(),
    };
    for trigger in &catalog.triggers {
        match webhooks.iter().find(|(event, _)| *event == trigger.event) {
            Some((event, variant)) => coverage
                .matched_triggers
                .push((event.clone(), variant.clone())),
            None => coverage.unmatched_triggers.push(trigger.clone()),
        }
    }
    coverage.webhooks_not_in_catalog = webhooks
        .iter()
        .filter(|(event, _)| !catalog.triggers.iter().any(|t| t.event == *event))
        .map(|(event, _)| event.clone())
        .collect();

    let mut used = vec![false; operations.len()];
    for action in &catalog.actions {
        match find_operation(action, operations) {
            Some((index, kind)) => {
                used[index] = true;
                let op = &operations[index];
                coverage.matched_actions.push(ActionMatch {
                    title: action.title.clone(),
                    path: action.path.clone(),
                    inferred: action.method,
                    method: op.method,
                    operation: op.name.clone(),
                    kind,
                });
            }
            None => coverage.unmatched_actions.push(action.clone()),
        }
    }
    coverage.operations_not_in_catalog = operations
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(op, _)| op.name.clone())
        .collect();
    coverage.operations_not_in_catalog.sort();
    coverage
}

fn find_operation(action: &Action, operations: &[OperationKey]) -> Option<(usize, MatchKind)> {
    let path = normalize_path(&action.path);
    let on_path: Vec<usize> = (0..operations.len())
        .filter(|&i| normalize_path(&operations[i].path) == path)
        .collect();
    let with_method = |m: HttpMethod| on_path.iter().copied().find(|&i| operations[i].method == m);
    if let Some(i) = with_method(action.method) {
        return Some((i, MatchKind::Exact));
    }
    if action.method == HttpMethod::Patch {
        if let Some(i) = with_method(HttpMethod::Put) {
            return Some((i, MatchKind::PutForUpdate));
        }
    }
    match on_path.as_slice() {
        [only] if VerbClass::of_title(&action.title).accepts(operations[*only].method) => {
            Some((*only, MatchKind::OnlyOperationOnPath))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use polar_codegen::ir::{
        ApiInfo, Docs, Operation, ResponseBody, SuccessResponse, TypeId, Webhook,
    };
    use polar_codegen::names::upper_camel;

    const SAMPLE: &str = "\
order.paid
Featured trigger shown in the page header.
Polar
2 triggers and 4 actions for Polar workflows.
Real-time push from the source.
order.paid
Fires when an order is paid
customer_seat.claimed
Fires when a seat is claimed.
Operations are the actions a workflow can take.
Manage benefits.
Get a benefit by ID
/v1/benefits/{id}Retrieve a benefit.
Revoke a token
/v1/oauth2/revokeInvalidates a token.
Manage seats.
Assign a seat
/v1/customer-seatsProvision a seat.
Update a seat
/v1/customer-seats/{seat_id}Modify it.
";

    fn sample() -> Catalog {
        let with_footer = format!("{SAMPLE}A footer line without a newline.");
        parse_catalog(&with_footer, Path::new("sample.txt")).expect("sample parses")
    }

    #[test]
    fn parses_sample() {
        let catalog = sample();
        let events: Vec<&str> = catalog.triggers.iter().map(|t| t.event.as_str()).collect();
        assert_eq!(events, ["order.paid", "customer_seat.claimed"]);
        assert_eq!(
            catalog.triggers[0].description,
            "Fires when an order is paid"
        );
        let categories: Vec<(&str, &str)> = catalog
            .categories
            .iter()
            .map(|c| (c.name.as_str(), c.description.as_str()))
            .collect();
        assert_eq!(
            categories,
            [
                ("benefits", "Manage benefits."),
                ("customer-seats", "Manage seats.")
            ]
        );
        let actions: Vec<(&str, &str, &str, HttpMethod, &str)> = catalog
            .actions
            .iter()
            .map(|a| {
                (
                    a.category.as_str(),
                    a.title.as_str(),
                    a.path.as_str(),
                    a.method,
                    a.description.as_str(),
                )
            })
            .collect();
        assert_eq!(
            actions,
            [
                (
                    "benefits",
                    "Get a benefit by ID",
                    "/v1/benefits/{id}",
                    HttpMethod::Get,
                    "Retrieve a benefit."
                ),
                (
                    "benefits",
                    "Revoke a token",
                    "/v1/oauth2/revoke",
                    HttpMethod::Post,
                    "Invalidates a token."
                ),
                (
                    "customer-seats",
                    "Assign a seat",
                    "/v1/customer-seats",
                    HttpMethod::Post,
                    "Provision a seat."
                ),
                (
                    "customer-seats",
                    "Update a seat",
                    "/v1/customer-seats/{seat_id}",
                    HttpMethod::Patch,
                    "Modify it."
                ),
            ]
        );
    }

    #[test]
    fn format_errors_name_file_and_line() {
        let cases: Vec<(String, &str)> = vec![
            (
                SAMPLE.replace("2 triggers and 4 actions", "Two triggers"),
                "sample.txt:0: no `N triggers",
            ),
            (
                SAMPLE.replace("2 triggers and 4 actions", "3 triggers and 4 actions"),
                "declares 3 triggers and 4 actions, found 2 and 4",
            ),
            (
                SAMPLE.replace("/v1/customer-seatsProvision", "/v1/customer-seatsprovision"),
                "sample.txt:18: cannot tell where the path ends",
            ),
            (
                SAMPLE.replace("Fires when an order is paid\n", ""),
                "sample.txt:6: trigger `order.paid` has no description",
            ),
            (
                SAMPLE.replace("Modify it.\n", "Modify it.\n/v1/twice\n"),
                "sample.txt:21: a path line must follow an action title",
            ),
            (
                SAMPLE.replace("Manage seats.\n", "Manage seats.\nMore prose.\n"),
                "sample.txt:16: expected one category description",
            ),
        ];
        for (text, expected) in cases {
            let err = parse_catalog(&text, Path::new("sample.txt"))
                .expect_err(expected)
                .to_string();
            assert!(err.contains(expected), "expected `{expected}`, got `{err}`");
        }
    }

    #[test]
    fn infers_methods_from_verbs_and_paths() {
        let cases = [
            ("List all benefits", "/v1/benefits/", HttpMethod::Get),
            (
                "Look up a customer by your external ID",
                "/v1/customers/external/{external_id}",
                HttpMethod::Get,
            ),
            ("Export orders as CSV", "/v1/orders/export", HttpMethod::Get),
            ("Create a new benefit", "/v1/benefits/", HttpMethod::Post),
            (
                "Add a new payment method",
                "/v1/customer-portal/customers/me/payment-methods",
                HttpMethod::Post,
            ),
            ("Update a benefit", "/v1/benefits/{id}", HttpMethod::Patch),
            ("Delete a benefit", "/v1/benefits/{id}", HttpMethod::Delete),
            ("Remove a member", "/v1/members/{id}/", HttpMethod::Delete),
            (
                "Cancel your subscription",
                "/v1/customer-portal/subscriptions/{id}",
                HttpMethod::Delete,
            ),
            (
                "Revoke an access or refresh token",
                "/v1/oauth2/revoke",
                HttpMethod::Post,
            ),
            (
                "Activate a license key",
                "/v1/license-keys/activate",
                HttpMethod::Post,
            ),
            (
                "Confirm a retry payment",
                "/v1/customer-portal/orders/{id}/confirm-payment",
                HttpMethod::Post,
            ),
        ];
        for (title, path, expected) in cases {
            assert_eq!(infer_method(title, path), expected, "{title}");
        }
    }

    fn op(method: HttpMethod, path: &str, group: &str, name: &str) -> Operation {
        Operation {
            operation_id: format!("{group}:{name}"),
            group: vec![group.to_owned()],
            method_name: name.to_owned(),
            http_method: method,
            path: path.to_owned(),
            path_template: polar_codegen::ir::PathTemplate::parse(path).unwrap_or_default(),
            params: Vec::new(),
            body: None,
            success: SuccessResponse {
                status: 200,
                body: ResponseBody::Empty,
            },
            errors: Vec::new(),
            security: vec![polar_codegen::ir::SecurityRequirement {
                schemes: vec!["oat".to_owned()],
            }],
            pagination: None,
            docs: Docs::default(),
            restored: false,
            origin: String::new(),
        }
    }

    fn test_api(operations: Vec<Operation>, events: &[&str]) -> Api {
        Api {
            info: ApiInfo {
                title: "Test".into(),
                version: "2026-10".into(),
                description: None,
            },
            servers: Vec::new(),
            types: BTreeMap::new(),
            operations,
            webhooks: events
                .iter()
                .map(|e| Webhook {
                    event: (*e).to_owned(),
                    payload: TypeId(format!("Webhook{}Payload", upper_camel(e))),
                    docs: Docs::default(),
                })
                .collect(),
        }
    }

    #[test]
    fn matches_catalog_against_ir() {
        let api = test_api(
            vec![
                op(HttpMethod::Get, "/v1/benefits/{id}", "benefits", "get"),
                op(
                    HttpMethod::Post,
                    "/v1/oauth2/revoke",
                    "oauth2",
                    "revoke_token",
                ),
                op(
                    HttpMethod::Post,
                    "/v1/customer-seats/",
                    "customer_seats",
                    "assign_seat",
                ),
                op(
                    HttpMethod::Get,
                    "/v1/customer-seats/",
                    "customer_seats",
                    "list_seats",
                ),
                op(
                    HttpMethod::Put,
                    "/v1/customer-seats/{id}",
                    "customer_seats",
                    "update_seat",
                ),
                op(HttpMethod::Get, "/v1/other", "other", "get"),
            ],
            &["order.paid", "order.refunded"],
        );
        let coverage = match_catalog(&sample(), &api);
        assert_eq!(
            coverage.matched_triggers,
            [("order.paid".to_owned(), "OrderPaid".to_owned())]
        );
        let unmatched: Vec<&str> = coverage
            .unmatched_triggers
            .iter()
            .map(|t| t.event.as_str())
            .collect();
        assert_eq!(unmatched, ["customer_seat.claimed"]);
        assert_eq!(coverage.webhooks_not_in_catalog, ["order.refunded"]);
        let matched: Vec<(&str, &str, MatchKind)> = coverage
            .matched_actions
            .iter()
            .map(|m| (m.title.as_str(), m.operation.as_str(), m.kind))
            .collect();
        assert_eq!(
            matched,
            [
                ("Get a benefit by ID", "benefits.get", MatchKind::Exact),
                ("Revoke a token", "oauth2.revoke_token", MatchKind::Exact),
                (
                    "Assign a seat",
                    "customer_seats.assign_seat",
                    MatchKind::Exact
                ),
                (
                    "Update a seat",
                    "customer_seats.update_seat",
                    MatchKind::PutForUpdate
                ),
            ]
        );
        assert!(coverage.unmatched_actions.is_empty());
        assert_eq!(
            coverage.operations_not_in_catalog,
            ["customer_seats.list_seats", "other.get"]
        );
        assert!(!coverage.is_complete());

        // A path with a single operation matches when the verb class allows its method:
        // a write verb ("Revoke") any write method, a read verb ("Get") only GET. A path
        // with several operations and none of the inferred method does not match.
        let api = test_api(
            vec![
                op(
                    HttpMethod::Patch,
                    "/v1/benefits/{benefit_id}",
                    "benefits",
                    "update",
                ),
                op(HttpMethod::Patch, "/v1/oauth2/revoke/", "oauth2", "revoke"),
                op(
                    HttpMethod::Get,
                    "/v1/customer-seats",
                    "customer_seats",
                    "list",
                ),
                op(
                    HttpMethod::Delete,
                    "/v1/customer-seats",
                    "customer_seats",
                    "clear",
                ),
            ],
            &[],
        );
        let coverage = match_catalog(&sample(), &api);
        let matched: Vec<(&str, &str, MatchKind)> = coverage
            .matched_actions
            .iter()
            .map(|m| (m.title.as_str(), m.operation.as_str(), m.kind))
            .collect();
        assert_eq!(
            matched,
            [(
                "Revoke a token",
                "oauth2.revoke",
                MatchKind::OnlyOperationOnPath
            )]
        );
        let unmatched: BTreeSet<&str> = coverage
            .unmatched_actions
            .iter()
            .map(|a| a.title.as_str())
            .collect();
        assert_eq!(
            unmatched,
            BTreeSet::from(["Get a benefit by ID", "Assign a seat", "Update a seat"])
        );
    }

    #[test]
    fn verb_classes_limit_loose_matches() {
        let cases = [
            ("Create a new member", HttpMethod::Get, false),
            ("Get a member", HttpMethod::Post, false),
            ("Update benefits for a product", HttpMethod::Post, true),
            ("Rotate webhook signing secret", HttpMethod::Patch, true),
            ("Inspect token validity", HttpMethod::Post, true),
            ("Initiate OAuth2 authorization", HttpMethod::Get, true),
        ];
        for (title, method, accepted) in cases {
            assert_eq!(
                VerbClass::of_title(title).accepts(method),
                accepted,
                "{title}"
            );
        }
    }

    /// The shared seed catalog (`POLAR_WORKFLOW_CATALOG`, else `../shared/seed/…`); `None`
    /// (the test is skipped, saying why) when it is not available.
    fn seed_catalog() -> Option<Catalog> {
        Some(load_catalog(&crate::paths::workflow_catalog()?).expect("seed catalog parses"))
    }

    #[test]
    fn seed_catalog_counts() {
        let Some(catalog) = seed_catalog() else {
            return;
        };
        assert_eq!(catalog.triggers.len(), 35);
        assert_eq!(catalog.actions.len(), 169);
        let events: BTreeSet<&str> = catalog.triggers.iter().map(|t| t.event.as_str()).collect();
        assert_eq!(
            events.len(),
            35,
            "no duplicate triggers (the header sample is skipped)"
        );
        assert!(catalog.actions.iter().all(|a| a.path.starts_with("/v1/")));
        assert!(catalog.categories.iter().all(|c| !c.name.is_empty()));
    }

    /// Operations and webhooks of a raw spec, named `group.name_override`.
    fn raw_keys(spec: &serde_json::Value) -> (Vec<OperationKey>, Vec<(String, String)>) {
        let mut operations = Vec::new();
        for (method, path) in polar_codegen::tools::overlay_check::operations(spec) {
            let op = &spec["paths"][&path][method.to_ascii_lowercase()];
            let http = match method.as_str() {
                "GET" => HttpMethod::Get,
                "POST" => HttpMethod::Post,
                "PUT" => HttpMethod::Put,
                "PATCH" => HttpMethod::Patch,
                "DELETE" => HttpMethod::Delete,
                _ => HttpMethod::Head,
            };
            let name = format!(
                "{}.{}",
                op["x-speakeasy-group"].as_str().unwrap_or("?"),
                op["x-speakeasy-name-override"].as_str().unwrap_or("?")
            );
            operations.push(OperationKey {
                method: http,
                path,
                name,
            });
        }
        let webhooks = spec["webhooks"]
            .as_object()
            .map(|w| w.keys().map(|k| (k.clone(), upper_camel(k))).collect())
            .unwrap_or_default();
        (operations, webhooks)
    }

    fn coverage_of(spec_path: &Path, with_overlays: bool) -> Option<CatalogCoverage> {
        use polar_codegen::overlay::{apply_all, load_overlays};
        let catalog = seed_catalog()?;
        let mut spec = polar_codegen::load::load_json(spec_path).expect("spec loads");
        if with_overlays {
            let overlays = load_overlays(&crate::paths::overlays()).expect("overlays");
            apply_all(&mut spec, &overlays).expect("apply overlays");
        }
        let (operations, webhooks) = raw_keys(&spec);
        Some(match_keys(&catalog, &operations, &webhooks))
    }

    #[test]
    fn seed_catalog_against_current_spec() {
        let Some(before) = coverage_of(&crate::paths::current_spec(), false) else {
            return;
        };
        assert_eq!(
            before.matched_triggers.len(),
            35,
            "{:?}",
            before.unmatched_triggers
        );
        assert_eq!(before.matched_actions.len(), 161);
        let missing: BTreeSet<String> = before
            .unmatched_actions
            .iter()
            .map(|a| format!("{} {}", a.method.as_str(), a.path))
            .collect();
        let restored: BTreeSet<String> = crate::restored::RESTORED_ROUTES
            .iter()
            .map(|(m, p)| format!("{m} {p}"))
            .collect();
        assert_eq!(
            missing, restored,
            "the overlay restores exactly the missing actions"
        );

        let after = coverage_of(&crate::paths::current_spec(), true).expect("catalog loaded above");
        assert!(after.is_complete(), "{:?}", after.unmatched_actions);
        let loose: Vec<String> = after
            .matched_actions
            .iter()
            .filter(|m| m.kind != MatchKind::Exact)
            .map(|m| {
                format!(
                    "{:?}: {} ({} → {})",
                    m.kind,
                    m.title,
                    m.inferred.as_str(),
                    m.method.as_str()
                )
            })
            .collect();
        eprintln!("loose matches:\n  {}", loose.join("\n  "));
        assert_eq!(loose.len(), 5, "{loose:#?}");
        let restored_names: BTreeSet<&str> = after
            .matched_actions
            .iter()
            .filter(|m| restored.contains(&format!("{} {}", m.method.as_str(), m.path)))
            .map(|m| m.operation.as_str())
            .collect();
        assert_eq!(
            restored_names,
            BTreeSet::from([
                "members.create_member",
                "members.get_member",
                "members.update_member",
                "members.delete_member",
                "organization_access_tokens.list",
                "organization_access_tokens.create",
                "organization_access_tokens.update",
                "organization_access_tokens.delete",
            ])
        );
        eprintln!(
            "2026-10 + overlays: {} webhooks not in the catalog, {} operations not in the catalog",
            after.webhooks_not_in_catalog.len(),
            after.operations_not_in_catalog.len()
        );
    }

    /// Catalog actions (`METHOD path`) and triggers (events) a raw spec has no
    /// operation or webhook for, with or without the project overlays.
    fn gaps(
        spec: &serde_json::Value,
        with_overlays: bool,
    ) -> Option<(BTreeSet<String>, BTreeSet<String>)> {
        use polar_codegen::overlay::{apply_all, load_overlays};
        let catalog = seed_catalog()?;
        let mut spec = spec.clone();
        if with_overlays {
            let overlays = load_overlays(&crate::paths::overlays()).expect("overlays");
            apply_all(&mut spec, &overlays).expect("apply overlays");
        }
        let (operations, webhooks) = raw_keys(&spec);
        let coverage = match_keys(&catalog, &operations, &webhooks);
        assert_eq!(
            coverage.matched_actions.len() + coverage.unmatched_actions.len(),
            catalog.actions.len()
        );
        let actions = coverage
            .unmatched_actions
            .iter()
            .map(|a| format!("{} {}", a.method.as_str(), a.path))
            .collect();
        let triggers = coverage
            .unmatched_triggers
            .iter()
            .map(|t| t.event.clone())
            .collect();
        Some((actions, triggers))
    }

    /// The older spec (2026-07-21) lacks exactly the catalog actions the restore
    /// overlay brings back, every other trigger and action resolves, and with the
    /// overlays nothing is missing. Removing one more operation from it changes the
    /// gaps, so the check can fail.
    #[test]
    fn seed_catalog_against_older_spec() {
        let Some(older) = crate::paths::older_spec() else {
            return;
        };
        let spec = polar_codegen::load::load_json(&older).expect("older spec loads");
        let Some((actions, triggers)) = gaps(&spec, false) else {
            return;
        };
        eprintln!(
            "2026-07-21 as published: {} catalog actions and {} triggers unresolved: {actions:?} {triggers:?}",
            actions.len(),
            triggers.len()
        );
        let restored: BTreeSet<String> = crate::restored::RESTORED_ROUTES
            .iter()
            .map(|(m, p)| format!("{m} {p}"))
            .collect();
        assert_eq!(actions, restored, "unresolved actions on the older spec");
        assert_eq!(
            triggers,
            BTreeSet::new(),
            "unresolved triggers on the older spec"
        );
        let (actions, triggers) = gaps(&spec, true).expect("catalog loaded above");
        assert!(
            actions.is_empty() && triggers.is_empty(),
            "with the overlays: {actions:?} {triggers:?}"
        );

        // The same check on the older spec without one action's operation and one
        // trigger's webhook reports both.
        let mut broken = spec.clone();
        broken["paths"]["/v1/products/{id}"]
            .as_object_mut()
            .expect("GET /v1/products/{id} in the older spec")
            .shift_remove("get")
            .expect("get");
        broken["webhooks"]
            .as_object_mut()
            .expect("webhooks")
            .shift_remove("order.paid")
            .expect("order.paid webhook");
        let (actions, triggers) = gaps(&broken, true).expect("catalog loaded above");
        assert_eq!(triggers, BTreeSet::from(["order.paid".to_owned()]));
        assert_eq!(actions.len(), 1, "{actions:?}");
    }
}
