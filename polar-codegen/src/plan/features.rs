//! Cargo features: one per top-level operation group, plus `webhooks` for the event
//! types; each model is gated by the features whose operations or events reach it.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, Operation, ResponseBody, TypeId, TypeRef};

/// The feature that gates webhook event types.
pub const WEBHOOKS_FEATURE: &str = "webhooks";

/// Feature names the crate defines itself; a group with such a name gets `-api` appended.
pub const RESERVED_FEATURES: &[&str] = &["default", "api", "full", "webhooks", "minimal"];

/// The feature gating an operation: its kebab-case top-level group.
pub fn operation_feature(op: &Operation) -> String {
    let top = op.group.first().map(String::as_str).unwrap_or("default");
    let feature = top.replace('_', "-");
    if feature == WEBHOOKS_FEATURE {
        // The group manages webhook endpoints; `webhooks` is the event feature.
        "webhook-endpoints".to_owned()
    } else if RESERVED_FEATURES.contains(&feature.as_str()) {
        format!("{feature}-api")
    } else {
        feature
    }
}

/// The features that reach each named type.
pub fn type_features(api: &Api) -> BTreeMap<TypeId, BTreeSet<String>> {
    let mut roots: Vec<(&TypeRef, String)> = Vec::new();
    for op in &api.operations {
        let feature = operation_feature(op);
        for param in &op.params {
            roots.push((&param.ty, feature.clone()));
        }
        if let Some(body) = &op.body {
            roots.push((&body.ty, feature.clone()));
        }
        if let ResponseBody::Json(ty) = &op.success.body {
            roots.push((ty, feature.clone()));
        }
        for error in &op.errors {
            roots.push((&error.ty, feature.clone()));
        }
    }
    let payloads: Vec<TypeRef> = api
        .webhooks
        .iter()
        .map(|hook| TypeRef::Named(hook.payload.clone()))
        .collect();
    for payload in &payloads {
        roots.push((payload, WEBHOOKS_FEATURE.to_owned()));
    }
    let mut out: BTreeMap<TypeId, BTreeSet<String>> = BTreeMap::new();
    for (ty, feature) in roots {
        let mut stack: Vec<&TypeId> = ty.named();
        while let Some(id) = stack.pop() {
            let Some(def) = api.types.get(id) else {
                continue;
            };
            if !out.entry(id.clone()).or_default().insert(feature.clone()) {
                continue;
            }
            for child in def.kind.refs() {
                stack.extend(child.named());
            }
        }
    }
    out
}

/// One operation-group feature.
#[derive(Debug, Clone)]
pub struct GroupFeature {
    /// Cargo feature name, e.g. `customer-portal`.
    pub name: String,
    /// The top-level `x-speakeasy-group`, e.g. `customer_portal`.
    pub group: String,
    /// `Client` accessor (and module under `services`), e.g. `customer_portal`.
    pub accessor: String,
    pub operations: usize,
    /// Named models compiled when this feature is on.
    pub models: usize,
    /// Of those, the models no other feature reaches.
    pub own_models: usize,
}

/// Every feature of the generated crate, in name order.
#[derive(Debug, Clone)]
pub struct Features {
    pub groups: Vec<GroupFeature>,
    /// Models the webhook events reach.
    pub webhook_models: usize,
    pub webhook_own_models: usize,
    pub webhook_events: usize,
    /// Every used model (the `full` build).
    pub total_models: usize,
    pub total_operations: usize,
    /// Hand-written features and targets the groups allow.
    pub manifest: Manifest,
}

impl Features {
    /// Count operations and models per feature; `accessors` are the planned `Client`
    /// accessor chains of the operations, in order.
    pub fn new(
        api: &Api,
        type_features: &BTreeMap<TypeId, BTreeSet<String>>,
        accessors: &[&[String]],
    ) -> Self {
        let mut groups: BTreeMap<String, GroupFeature> = BTreeMap::new();
        for (op, chain) in api.operations.iter().zip(accessors) {
            let name = operation_feature(op);
            let entry = groups.entry(name.clone()).or_insert_with(|| GroupFeature {
                name,
                group: op.group.first().cloned().unwrap_or_default(),
                accessor: chain.first().cloned().unwrap_or_default(),
                operations: 0,
                models: 0,
                own_models: 0,
            });
            entry.operations += 1;
        }
        let (mut webhook_models, mut webhook_own_models, mut total_models) = (0, 0, 0);
        let none = BTreeSet::new();
        for def in api.types.values().filter(|d| d.usage.is_used()) {
            total_models += 1;
            let features = type_features.get(&def.id).unwrap_or(&none);
            let own = features.len() == 1;
            for feature in features {
                if feature == WEBHOOKS_FEATURE {
                    webhook_models += 1;
                    webhook_own_models += usize::from(own);
                } else if let Some(group) = groups.get_mut(feature) {
                    group.models += 1;
                    group.own_models += usize::from(own);
                }
            }
        }
        let groups: Vec<GroupFeature> = groups.into_values().collect();
        Features {
            manifest: Manifest::new(&groups),
            groups,
            webhook_models,
            webhook_own_models,
            webhook_events: api.webhooks.len(),
            total_models,
            total_operations: api.operations.len(),
        }
    }
}

/// A hand-written feature of the crate (code under `polar-generated/src/` outside
/// `generated/`) built on operation-group features. The template
/// `Cargo.toml.askama` wires each to its groups; a spec that lacks one of the groups
/// cannot provide it, so the feature is left out of the manifest (with a note), never
/// written as a feature that enables a feature that does not exist.
#[derive(Debug, Clone, Copy)]
pub struct HandWrittenFeature {
    pub name: &'static str,
    /// The operation-group features it enables.
    pub groups: &'static [&'static str],
}

/// Every hand-written feature built on operation groups, in the order `full` lists them.
pub const HAND_WRITTEN_FEATURES: &[HandWrittenFeature] = &[
    HandWrittenFeature {
        name: "oauth-connect",
        groups: &["oauth2"],
    },
    HandWrittenFeature {
        name: "file-uploads",
        groups: &["files"],
    },
    HandWrittenFeature {
        name: "ingest",
        groups: &["events"],
    },
];

/// Features the manifest defines whatever the spec.
pub const FIXED_FEATURES: &[&str] = &[
    "default",
    "api",
    "full",
    WEBHOOKS_FEATURE,
    "catalog",
    "__client",
    "tracing",
    "axum",
];

/// A `[[test]]`, `[[bench]]` or `[[example]]` target with required features.
#[derive(Debug, Clone, Copy)]
struct TargetSpec {
    kind: &'static str,
    name: &'static str,
    required: &'static [&'static str],
    harness: bool,
}

const fn target(
    kind: &'static str,
    name: &'static str,
    required: &'static [&'static str],
) -> TargetSpec {
    TargetSpec {
        kind,
        name,
        required,
        harness: true,
    }
}

const fn bench(name: &'static str, required: &'static [&'static str]) -> TargetSpec {
    TargetSpec {
        kind: "bench",
        name,
        required,
        harness: false,
    }
}

/// The targets of `polar-generated` that need features, in manifest order.
const TARGETS: &[TargetSpec] = &[
    target("example", "workflow_catalog", &["full"]),
    target("example", "axum_webhook", &["axum"]),
    target("test", "oauth_connect", &["oauth-connect"]),
    target("test", "file_uploads", &["file-uploads"]),
    target("test", "file_uploads_memory", &["file-uploads"]),
    target("test", "catalog", &["full"]),
    target("test", "dispatch", &["full"]),
    target("test", "doc_snippets", &["full"]),
    target("test", "tracing_spans", &["tracing"]),
    target("test", "webhooks_axum", &["axum"]),
    target("test", "webhook_vectors", &["webhooks"]),
    target("test", "webhook_parse", &["webhooks"]),
    target("test", "webhook_verified", &["webhooks"]),
    target("test", "ingest_faults", &["ingest"]),
    target("test", "ingest_spool", &["ingest"]),
    target("test", "ingest_backpressure", &["ingest"]),
    target("test", "client_load", &["events"]),
    bench("ingest_throughput", &["ingest"]),
    bench("client_overhead", &["events"]),
    bench("webhook_verify_parse", &["webhooks"]),
    bench("invoke_overhead", &["full"]),
];

/// A hand-written feature the spec cannot provide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub name: String,
    /// Its operation-group features the spec has no operations for.
    pub missing_groups: Vec<String>,
}

/// One target of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestTarget {
    /// `test`, `bench` or `example`.
    pub kind: String,
    pub name: String,
    pub required: Vec<String>,
    pub harness: bool,
    /// Required features this manifest does not define: the target is not built.
    pub missing: Vec<String>,
}

impl ManifestTarget {
    /// `"a", "b"` for the manifest.
    pub fn required_list(&self) -> String {
        quoted(&self.required)
    }

    /// `"a", "b"` of the missing features.
    pub fn missing_list(&self) -> String {
        quoted(&self.missing)
    }
}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the manifest defines beyond the group features, decided from the groups the
/// spec has.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// Hand-written features the spec's groups provide, in `full` order.
    pub hand_written: Vec<String>,
    pub left_out: Vec<LeftOut>,
    pub targets: Vec<ManifestTarget>,
}

impl Manifest {
    /// Decides the hand-written features and targets for these group features.
    pub fn new(groups: &[GroupFeature]) -> Manifest {
        let has_group = |name: &str| groups.iter().any(|g| g.name == name);
        let mut manifest = Manifest::default();
        for feature in HAND_WRITTEN_FEATURES {
            let missing_groups: Vec<String> = feature
                .groups
                .iter()
                .filter(|g| !has_group(g))
                .map(|g| (*g).to_owned())
                .collect();
            if missing_groups.is_empty() {
                manifest.hand_written.push(feature.name.to_owned());
            } else {
                manifest.left_out.push(LeftOut {
                    name: feature.name.to_owned(),
                    missing_groups,
                });
            }
        }
        let defined = |name: &str| {
            FIXED_FEATURES.contains(&name)
                || has_group(name)
                || manifest.hand_written.iter().any(|f| f == name)
        };
        let targets = TARGETS
            .iter()
            .map(|t| ManifestTarget {
                kind: t.kind.to_owned(),
                name: t.name.to_owned(),
                required: t.required.iter().map(|f| (*f).to_owned()).collect(),
                harness: t.harness,
                missing: t
                    .required
                    .iter()
                    .filter(|f| !defined(f))
                    .map(|f| (*f).to_owned())
                    .collect(),
            })
            .collect();
        manifest.targets = targets;
        manifest
    }

    /// The hand-written feature `name` is in the manifest.
    pub fn has(&self, name: &str) -> bool {
        self.hand_written.iter().any(|f| f == name)
    }

    /// Features the crate's own code names in `cfg`s that this manifest does not
    /// define (left-out features and their missing groups), for `check-cfg`.
    pub fn undefined_cfg_features(&self) -> Vec<String> {
        let mut out: BTreeSet<String> = BTreeSet::new();
        for left in &self.left_out {
            out.insert(left.name.clone());
            out.extend(left.missing_groups.iter().cloned());
        }
        for t in &self.targets {
            out.extend(t.missing.iter().cloned());
        }
        out.into_iter().collect()
    }

    /// `"a", "b"` of [`Manifest::undefined_cfg_features`].
    pub fn undefined_cfg_list(&self) -> String {
        quoted(&self.undefined_cfg_features())
    }

    /// One line per left-out feature and unbuilt target, printed by `generate`.
    pub fn notes(&self) -> Vec<String> {
        let mut notes: Vec<String> = self
            .left_out
            .iter()
            .map(|left| {
                format!(
                    "feature `{}` left out of polar-generated/Cargo.toml: the spec has no \
                     operations in the group(s) it needs ({})",
                    left.name,
                    quoted(&left.missing_groups)
                )
            })
            .collect();
        notes.extend(
            self.targets
                .iter()
                .filter(|t| !t.missing.is_empty())
                .map(|t| {
                    format!(
                        "{} `{}` is not built: it needs {}, which this spec cannot provide",
                        t.kind,
                        t.name,
                        t.missing_list()
                    )
                }),
        );
        notes
    }
}
