//! The public API of `polar-generated`'s hand-written code (lib.rs, the runtime, the
//! seams), snapshotted: a change to what users can name, or to a signature, shows up
//! here and must be reviewed (`cargo insta review`). The generated models and
//! operations are covered by the `full_spec` surface snapshots.

use polar_tests::public_api::public_api;

#[test]
fn hand_written_public_api() {
    let surface = public_api(&polar_tests::generated_crate(), "polar", &["generated"])
        .unwrap_or_else(|err| panic!("cannot read polar-generated: {err}"));
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!("public_api", surface);
    });
}

/// The walker on a tiny crate: what is public, hidden, re-exported or cfg-gated.
#[test]
fn walker_honours_visibility_reexports_hidden_and_cfg() {
    let dir = std::env::temp_dir().join(format!("public-api-walker-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("inner")).unwrap();
    std::fs::write(
        src.join("lib.rs"),
        r#"
mod inner;
mod gen;
pub use gen::*;
pub use inner::{Shown as Renamed, shown_fn};
#[cfg(feature = "x")]
pub use inner::Gated;
#[doc(hidden)]
pub mod hidden { pub fn secret() {} }
pub(crate) fn crate_only() {}
#[doc(hidden)]
#[macro_export]
macro_rules! hidden_macro { () => {} }
#[macro_export]
macro_rules! shown_macro { () => {} }
"#,
    )
    .unwrap();
    std::fs::write(
        src.join("inner/mod.rs"),
        r#"
/// Docs are not part of the surface.
#[derive(Debug, Clone)]
pub struct Shown { pub visible: u8, hidden: u8 }
impl Shown {
    pub fn new() -> Self { todo!() }
    pub(crate) fn internal(&self) {}
    #[doc(hidden)]
    pub fn hook(&self) {}
}
impl std::fmt::Display for Shown { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { Ok(()) } }
pub fn shown_fn(x: u8) -> u8 { x }
pub struct Gated;
pub struct NotReexported;
"#,
    )
    .unwrap();
    let surface = public_api(&dir, "tiny", &["gen"]).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    insta::assert_snapshot!(surface, @r#"
    tiny::*
        pub use crate::gen::* (generated)
    tiny::Gated
        #[cfg(feature = "x")]
        pub struct Gated;
    tiny::Renamed
        #[derive(Debug, Clone)]
        pub struct Shown {
            pub visible: u8,
        }
        // and private fields
        impl Shown: pub fn new() -> Self
        impl std::fmt::Display for Shown
    tiny::hidden
        #[doc(hidden)] mod (not expanded)
    tiny::hidden_macro
        #[doc(hidden)] macro_rules! hidden_macro
    tiny::shown_fn
        pub fn shown_fn(x: u8) -> u8 {}
    tiny::shown_macro
        macro_rules! shown_macro
"#);
}

#[test]
fn unreadable_crates_are_errors_naming_the_file() {
    let missing = std::env::temp_dir().join("public-api-walker-no-such-crate");
    let err = public_api(&missing, "x", &[]).unwrap_err().to_string();
    assert!(err.contains("src/lib.rs"), "{err}");

    let dir = std::env::temp_dir().join(format!("public-api-walker-bad-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("src/lib.rs"), "pub fn broken( {").unwrap();
    let err = public_api(&dir, "x", &[]).unwrap_err().to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(err.contains("src/lib.rs: "), "{err}");
}
