//! The diff report: changes, their kinds and the summary counts, as text or JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::ir::Api;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Renamed,
    Changed,
}

impl ChangeKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// What kind of API element a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Item {
    Operation,
    Parameter,
    Webhook,
    Type,
    Field,
    EnumValue,
    UnionVariant,
}

impl Item {
    pub fn plural(&self) -> &'static str {
        match self {
            Item::Operation => "operations",
            Item::Parameter => "parameters",
            Item::Webhook => "webhook events",
            Item::Type => "types",
            Item::Field => "fields",
            Item::EnumValue => "enum values",
            Item::UnionVariant => "union variants",
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Item::Operation => "operation",
            Item::Parameter => "parameter",
            Item::Webhook => "webhook",
            Item::Type => "type",
            Item::Field => "field",
            Item::EnumValue => "enum value",
            Item::UnionVariant => "union variant",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub item: Item,
    /// Stable name of the element: an operation's qualified name, an event name, a
    /// type id, `Type.field`, `Type::value`, `operation(param)`.
    pub subject: String,
    pub detail: String,
    pub breaking: bool,
}

/// Size of one API surface.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SurfaceCounts {
    pub operations: usize,
    pub webhooks: usize,
    pub types: usize,
}

impl SurfaceCounts {
    pub fn of(api: &Api) -> SurfaceCounts {
        SurfaceCounts {
            operations: api.operations.len(),
            webhooks: api.webhooks.len(),
            types: api.types.len(),
        }
    }
}

/// Totals of a report, for its heading and for CI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DiffSummary {
    pub old_version: String,
    pub new_version: String,
    pub old: SurfaceCounts,
    pub new: SurfaceCounts,
    pub breaking: usize,
    pub non_breaking: usize,
    /// Number of changes per item and kind, e.g. `operation` → `added` → 9.
    pub by_item: BTreeMap<Item, BTreeMap<ChangeKind, usize>>,
}

impl DiffSummary {
    /// The heading of [`DiffReport::to_text`].
    pub fn to_text(&self) -> String {
        let surface = |version: &str, c: SurfaceCounts| {
            format!(
                "(API version {version}): {} operations, {} webhook events, {} types",
                c.operations, c.webhooks, c.types
            )
        };
        let mut out = String::new();
        let _ = writeln!(out, "Old {}", surface(&self.old_version, self.old));
        let _ = writeln!(out, "New {}", surface(&self.new_version, self.new));
        let _ = writeln!(
            out,
            "{} breaking, {} non-breaking change(s)",
            self.breaking, self.non_breaking
        );
        for item in self.by_item.keys() {
            let kinds: Vec<String> = [
                ChangeKind::Added,
                ChangeKind::Removed,
                ChangeKind::Renamed,
                ChangeKind::Changed,
            ]
            .into_iter()
            .filter_map(|kind| match self.count(*item, kind) {
                0 => None,
                n => Some(format!("{n} {}", kind.as_str())),
            })
            .collect();
            let _ = writeln!(out, "  {}: {}", item.plural(), kinds.join(", "));
        }
        out
    }

    fn count(&self, item: Item, kind: ChangeKind) -> usize {
        self.by_item
            .get(&item)
            .and_then(|kinds| kinds.get(&kind))
            .copied()
            .unwrap_or(0)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    pub summary: DiffSummary,
    /// Breaking changes first, then by item, subject, kind and detail.
    pub changes: Vec<Change>,
}

impl DiffReport {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.breaking)
    }

    pub fn has_breaking(&self) -> bool {
        self.breaking().next().is_some()
    }

    /// Human-readable report: the summary, then breaking changes, then the others,
    /// one line per change.
    pub fn to_text(&self) -> String {
        let mut out = self.summary.to_text();
        out.push('\n');
        if self.changes.is_empty() {
            out.push_str("No API surface changes.\n");
            return out;
        }
        out.push_str(&self.changes_text());
        out
    }

    /// One line per change, breaking changes first.
    pub fn changes_text(&self) -> String {
        let mut out = String::new();
        for (breaking, heading) in [(true, "Breaking changes"), (false, "Non-breaking changes")] {
            let group: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.breaking == breaking)
                .collect();
            if group.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push('\n');
            }
            let _ = writeln!(out, "{heading} ({}):", group.len());
            for c in group {
                let _ = writeln!(
                    out,
                    "- {} {} `{}`: {}",
                    c.kind.as_str(),
                    c.item.as_str(),
                    c.subject,
                    c.detail
                );
            }
        }
        out
    }
}
