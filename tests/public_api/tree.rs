//! The crate's module tree as `syn` parses it: every `mod` followed to its file
//! (`#[path]` honoured), with the `#[cfg]`s and `#[doc(hidden)]` each module inherits.

use std::path::{Path, PathBuf};

use quote::ToTokens;

/// One module of the walked crate.
pub struct Module {
    /// Names from the crate root, e.g. `["runtime", "client"]`.
    pub path: Vec<String>,
    /// The module's items (empty for an opaque module).
    pub items: Vec<syn::Item>,
    /// `#[cfg(...)]` conditions, the module's own and its parents', as written.
    pub cfgs: Vec<String>,
    /// Declared `pub` (and every parent too): reachable by users by this path.
    pub public: bool,
    /// `#[doc(hidden)]` on the module or a parent.
    pub hidden: bool,
    /// Not read: its items are outside the walked surface (the generated code).
    pub opaque: bool,
}

/// Why the tree could not be read.
#[derive(Debug)]
pub struct TreeError(pub String);

impl std::fmt::Display for TreeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads the crate whose root file is `lib_rs`; modules named in `opaque` (by their
/// path from the root, e.g. `"generated"`) are listed but not read.
pub fn load(lib_rs: &Path, opaque: &[&str]) -> Result<Vec<Module>, TreeError> {
    let items = parse_file(lib_rs)?.items;
    let dir = lib_rs.parent().unwrap_or(Path::new(".")).to_owned();
    let mut out = Vec::new();
    let root = Module {
        path: Vec::new(),
        items,
        cfgs: Vec::new(),
        public: true,
        hidden: false,
        opaque: false,
    };
    load_children(&root, &dir, opaque, &mut out)?;
    out.insert(0, root);
    Ok(out)
}

fn parse_file(path: &Path) -> Result<syn::File, TreeError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| TreeError(format!("{}: {e}", path.display())))?;
    syn::parse_file(&text).map_err(|e| TreeError(format!("{}: {e}", path.display())))
}

/// `dir` is where the files of `parent`'s child modules live.
fn load_children(
    parent: &Module,
    dir: &Path,
    opaque: &[&str],
    out: &mut Vec<Module>,
) -> Result<(), TreeError> {
    for item in &parent.items {
        let syn::Item::Mod(m) = item else { continue };
        let name = m.ident.to_string();
        let mut path = parent.path.clone();
        path.push(name.clone());
        let mut cfgs = parent.cfgs.clone();
        cfgs.extend(cfgs_of(&m.attrs));
        let is_opaque = opaque.contains(&path.join("::").as_str());
        let (items, child_dir) = match (&m.content, is_opaque) {
            (_, true) => (Vec::<syn::Item>::new(), dir.join(&name)),
            (Some((_, items)), false) => (items.clone(), dir.join(&name)),
            (None, false) => {
                let file = match path_attr(&m.attrs) {
                    Some(relative) => dir.join(relative),
                    None if dir.join(format!("{name}.rs")).exists() => {
                        dir.join(format!("{name}.rs"))
                    }
                    None => dir.join(&name).join("mod.rs"),
                };
                let child_dir = if file.file_name().is_some_and(|f| f == "mod.rs") {
                    file.parent().unwrap_or(dir).to_owned()
                } else {
                    dir.join(&name)
                };
                (parse_file(&file)?.items, child_dir)
            }
        };
        let module = Module {
            path,
            items,
            cfgs,
            public: parent.public && matches!(m.vis, syn::Visibility::Public(_)),
            hidden: parent.hidden || is_doc_hidden(&m.attrs),
            opaque: is_opaque,
        };
        load_children(&module, &child_dir, opaque, out)?;
        out.push(module);
    }
    Ok(())
}

fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| {
        let syn::Meta::NameValue(nv) = &a.meta else {
            return None;
        };
        if !nv.path.is_ident("path") {
            return None;
        }
        match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        }
    })
}

/// The `#[cfg(...)]` attributes, as written (`cfg(feature = "webhooks")`).
pub fn cfgs_of(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .map(|a| a.meta.to_token_stream().to_string().replace(" (", "("))
        .collect()
}

/// `#[doc(hidden)]`.
pub fn is_doc_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("doc")
            && matches!(&a.meta, syn::Meta::List(list) if list.tokens.to_string() == "hidden")
    })
}

/// One name a `use` item brings in: the path it names and the name it binds
/// (`None` for a glob).
#[derive(Debug, Clone)]
pub struct UseEntry {
    pub target: Vec<String>,
    pub name: Option<String>,
}

/// Flattens `use a::{b, c::d as e, f::*}` into its entries.
pub fn flatten_use(tree: &syn::UseTree) -> Vec<UseEntry> {
    fn walk(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<UseEntry>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                walk(&p.tree, prefix, out);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let mut target = prefix.clone();
                let name = n.ident.to_string();
                // `use a::b::{self}` names the module `b`.
                if name != "self" {
                    target.push(name.clone());
                }
                let bound = target.last().cloned().unwrap_or(name);
                out.push(UseEntry {
                    target,
                    name: Some(bound),
                });
            }
            syn::UseTree::Rename(r) => {
                let mut target = prefix.clone();
                target.push(r.ident.to_string());
                out.push(UseEntry {
                    target,
                    name: Some(r.rename.to_string()),
                });
            }
            syn::UseTree::Glob(_) => out.push(UseEntry {
                target: prefix.clone(),
                name: None,
            }),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    walk(t, prefix, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(tree, &mut Vec::new(), &mut out);
    out
}

/// Where a crate's `src/lib.rs` is.
pub fn lib_rs(crate_dir: &Path) -> PathBuf {
    crate_dir.join("src/lib.rs")
}
