//! API-surface diff between two [`Api`]s, classified by what it means for users of
//! the generated Rust crate. The comparison goes through the IR, never through spec
//! text, so reordering or rewording the spec produces no noise.
//!
//! # What counts as breaking
//!
//! A change is *breaking* when code that compiled against the old crate may stop
//! compiling (or silently lose a capability it relied on). The generated code's shape
//! decides this:
//!
//! - Enums (from `enum` schemas), unions and the webhook event enum are
//!   `#[non_exhaustive]` and carry an `Unknown` variant, so **adding** a value, variant
//!   or webhook event is not breaking; removing or renaming one is.
//! - Structs are `#[non_exhaustive]` too: users read their public fields and build the
//!   ones they send with `new` (one argument per required field) and a setter per
//!   optional field. So adding an *optional* field anywhere is not breaking; adding a
//!   *required* field to an input struct (request bodies and parameters,
//!   `usage.input`) is, because `new` gains an argument. Output and webhook structs
//!   are only received: adding any field to them is not breaking.
//! - Removing a field is breaking. A field whose type, requiredness, nullability or
//!   boxing changes is breaking when its *Rust* type changes (see `emit::models`:
//!   required non-null `T`; required nullable or optional `Option<T>`; optional
//!   nullable in a request type `Option<Option<T>>`). So an output field going from
//!   required-nullable to optional is reported, but not as breaking, and a struct
//!   that starts being sent breaks through its optional nullable fields.
//! - A type that loses a use loses a derived impl (`Serialize` for input,
//!   `Deserialize` for output and webhook): breaking. Gaining a use is not.
//! - A type or operation that leaves a cargo feature it used to be in: breaking
//!   (builds enabling only that feature lose it). Joining features is not.
//! - Types are matched by spec id. Inline types get ids from where they occur
//!   (`Parent.field`, `op.error403`, `Name#2`), so a removed and an added type with
//!   the same Rust name and kind, or the same unambiguous shape, are one type whose id
//!   changed: silent when the Rust name is kept, a breaking rename otherwise, and
//!   references to it do not count as type changes.
//! - Operations: removing or renaming (a new qualified name on the same method and
//!   path, or with the same operationId) is breaking. Required parameters are positional method arguments and optional ones
//!   are builder setters, so adding a required parameter, removing any, changing a
//!   type, flipping requiredness or reordering required ones is breaking; adding an
//!   optional parameter, or renaming a path parameter in place (`{id}` →
//!   `{customer_id}`), is not. Changing
//!   the request body type, its requiredness, the success body type or pagination
//!   is breaking. A removed error status is breaking (a `match` arm on it no longer
//!   compiles); an added one is not (error enums are non-exhaustive). Path, HTTP
//!   method, success status, auth and deprecation changes are wire or documentation
//!   changes, reported but not breaking.
//! - Deprecation and documentation never break anything.

mod differ;
mod paths;
mod renames;
mod report;
mod show;
#[cfg(test)]
mod tests;
mod types;

pub use paths::normalize_path;
pub use report::{Change, ChangeKind, DiffReport, DiffSummary, Item, SurfaceCounts};
pub use show::show_type;

use crate::ir::Api;
use crate::plan;
use differ::Differ;
use renames::type_renames;

/// Whether `api` looks like a Polar API worth comparing: it has operations and
/// webhook events. Any OpenAPI 3.1 document
/// normalizes, so without this a wrong file would diff as "everything removed".
pub fn check_polar_like(api: &Api) -> Result<(), String> {
    let mut missing = Vec::new();
    if api.operations.is_empty() {
        missing.push("no operations under `paths`");
    }
    if api.webhooks.is_empty() {
        missing.push("no `webhooks`");
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "not a Polar-like OpenAPI document ({})",
            missing.join(", ")
        ))
    }
}

/// Compares two APIs; see the module docs for the classification rules.
pub fn diff_apis(old: &Api, new: &Api) -> DiffReport {
    let mut d = Differ {
        renames: type_renames(old, new),
        changes: Vec::new(),
        boxed: (
            plan::boxing::cycle_edges(&old.types),
            plan::boxing::cycle_edges(&new.types),
        ),
        features: (
            plan::features::type_features(old),
            plan::features::type_features(new),
        ),
        names: (plan::type_names(old), plan::type_names(new)),
    };
    d.operations(old, new);
    d.webhooks(old, new);
    d.types(old, new);
    let mut changes = d.changes;
    changes.sort_by(|a, b| {
        b.breaking.cmp(&a.breaking).then_with(|| {
            (a.item, &a.subject, a.kind, &a.detail).cmp(&(b.item, &b.subject, b.kind, &b.detail))
        })
    });
    changes.dedup();
    let mut summary = DiffSummary {
        old_version: old.info.version.clone(),
        new_version: new.info.version.clone(),
        old: SurfaceCounts::of(old),
        new: SurfaceCounts::of(new),
        ..DiffSummary::default()
    };
    for c in &changes {
        if c.breaking {
            summary.breaking += 1;
        } else {
            summary.non_breaking += 1;
        }
        *summary
            .by_item
            .entry(c.item)
            .or_default()
            .entry(c.kind)
            .or_default() += 1;
    }
    DiffReport { summary, changes }
}
