//! What the pipeline hands from its printing stages (`emit`, `test_support`) to `write`.

/// One output file, relative to the root of the crate it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}
