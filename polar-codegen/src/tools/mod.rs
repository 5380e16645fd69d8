//! Tools built on the pipeline, not part of it: the breaking-change report between two
//! specs, the plain-text API surface for snapshots, and the check of which operations
//! the project's overlays restore.

pub mod diff;
pub mod overlay_check;
pub mod surface;
