//! The public API of a crate's hand-written code, as text for an `insta` snapshot.
//!
//! A `syn` walk from `src/lib.rs` (works on stable, unlike rustdoc JSON): every item a
//! user can name, by its public path, with its signature, derives, `#[cfg]`s and the
//! methods and trait impls of each public type. It honours `pub` versus `pub(crate)`
//! and private items, public modules and re-exports (`pub use`, globs, renames),
//! `#[doc(hidden)]` (listed as hidden, not expanded) and `#[macro_export]`. Modules
//! named as opaque (the generated code) are not read: their re-exports are listed by
//! path, with the hand-written impls on their types.

/// The module-tree walk, also used by tests that read generated code structurally.
pub mod tree;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

pub use tree::TreeError;
use tree::{cfgs_of, flatten_use, is_doc_hidden, Module, UseEntry};

/// The public surface of the crate at `crate_dir`, named `crate_name` in paths.
pub fn public_api(
    crate_dir: &Path,
    crate_name: &str,
    opaque: &[&str],
) -> Result<String, TreeError> {
    let modules = tree::load(&tree::lib_rs(crate_dir), opaque)?;
    let mut walker = Walker {
        modules: &modules,
        entries: BTreeMap::new(),
    };
    walker.module(&[], crate_name, &BTreeSet::new())?;
    for module in &modules {
        for item in &module.items {
            if let syn::Item::Macro(m) = item {
                let exported = m.attrs.iter().any(|a| a.path().is_ident("macro_export"));
                if let (true, Some(name)) = (exported, &m.ident) {
                    let hidden = is_doc_hidden(&m.attrs);
                    let path = format!("{crate_name}::{name}");
                    let text = if hidden {
                        "#[doc(hidden)] macro_rules!"
                    } else {
                        "macro_rules!"
                    };
                    walker
                        .entries
                        .insert(path, Entry::text(format!("{text} {name}")));
                }
            }
        }
    }
    Ok(walker.render())
}

/// What a public path leads to.
struct Entry {
    cfgs: BTreeSet<String>,
    /// The definition's module path and name, to print each definition once.
    key: Option<String>,
    /// Key of the impls to list: a type name, or `trait Name`.
    impls_of: Option<String>,
    text: String,
}

impl Entry {
    fn text(text: String) -> Entry {
        Entry {
            cfgs: BTreeSet::new(),
            key: None,
            impls_of: None,
            text,
        }
    }
}

enum Resolved<'m> {
    Item(&'m Module, &'m syn::Item),
    Module(&'m Module),
    /// Inside a module that is not read (generated code).
    Opaque(String),
    /// Another crate.
    External(String),
}

struct Walker<'m> {
    modules: &'m [Module],
    entries: BTreeMap<String, Entry>,
}

impl<'m> Walker<'m> {
    fn find(&self, path: &[String]) -> Option<&'m Module> {
        self.modules.iter().find(|m| m.path == path)
    }

    /// Lists the public items of the module at `path` under the public prefix `prefix`.
    fn module(
        &mut self,
        path: &[String],
        prefix: &str,
        cfgs: &BTreeSet<String>,
    ) -> Result<(), TreeError> {
        let module = self
            .find(path)
            .ok_or_else(|| TreeError(format!("module {} not found", path.join("::"))))?;
        for item in &module.items {
            if !is_pub(item) {
                continue;
            }
            let mut cfgs = cfgs.clone();
            cfgs.extend(cfgs_of(attrs(item)));
            if let syn::Item::Use(u) = item {
                for entry in flatten_use(&u.tree) {
                    self.reexport(module, &entry, prefix, &cfgs, is_doc_hidden(&u.attrs))?;
                }
                continue;
            }
            let Some(name) = item_name(item) else {
                continue;
            };
            let public = format!("{prefix}::{name}");
            if is_doc_hidden(attrs(item)) {
                let kind = if matches!(item, syn::Item::Mod(_)) {
                    "mod"
                } else {
                    "item"
                };
                self.entries.insert(
                    public,
                    Entry {
                        cfgs,
                        ..Entry::text(format!("#[doc(hidden)] {kind} (not expanded)"))
                    },
                );
                continue;
            }
            if let syn::Item::Mod(_) = item {
                let mut child = path.to_vec();
                child.push(name.clone());
                self.entries.insert(
                    public.clone(),
                    Entry {
                        cfgs: cfgs.clone(),
                        ..Entry::text("pub mod".into())
                    },
                );
                self.module(&child, &public, &cfgs)?;
                continue;
            }
            self.entries.insert(public, definition(module, item, cfgs));
        }
        Ok(())
    }

    fn reexport(
        &mut self,
        from: &'m Module,
        entry: &UseEntry,
        prefix: &str,
        cfgs: &BTreeSet<String>,
        hidden: bool,
    ) -> Result<(), TreeError> {
        let (resolved, extra) = self.resolve(from, &entry.target)?;
        let mut cfgs = cfgs.clone();
        cfgs.extend(extra);
        let Some(name) = &entry.name else {
            return match resolved {
                Resolved::Module(m) if !m.opaque => self.module(&m.path, prefix, &cfgs),
                Resolved::Module(Module { path, .. }) => {
                    let path = format!("crate::{}", path.join("::"));
                    self.entries.insert(
                        format!("{prefix}::*"),
                        Entry {
                            cfgs,
                            ..Entry::text(format!("pub use {path}::* (generated)"))
                        },
                    );
                    Ok(())
                }
                Resolved::Opaque(path) => {
                    self.entries.insert(
                        format!("{prefix}::*"),
                        Entry {
                            cfgs,
                            ..Entry::text(format!("pub use {path}::* (generated)"))
                        },
                    );
                    Ok(())
                }
                _ => Err(TreeError(format!(
                    "cannot expand glob {}::*",
                    entry.target.join("::")
                ))),
            };
        };
        let public = format!("{prefix}::{name}");
        if hidden {
            self.entries.insert(
                public,
                Entry {
                    cfgs,
                    ..Entry::text("#[doc(hidden)] re-export (not expanded)".into())
                },
            );
            return Ok(());
        }
        match resolved {
            Resolved::Item(module, item) => {
                self.entries.insert(public, definition(module, item, cfgs));
            }
            Resolved::Module(m) => {
                if m.hidden {
                    self.entries.insert(
                        public,
                        Entry {
                            cfgs,
                            ..Entry::text("#[doc(hidden)] mod (not expanded)".into())
                        },
                    );
                } else {
                    self.entries.insert(
                        public.clone(),
                        Entry {
                            cfgs: cfgs.clone(),
                            ..Entry::text("pub mod".into())
                        },
                    );
                    self.module(&m.path, &public, &cfgs)?;
                }
            }
            Resolved::Opaque(path) => {
                self.entries.insert(
                    public,
                    Entry {
                        cfgs,
                        impls_of: Some(name.clone()),
                        ..Entry::text(format!("pub use {path} (generated)"))
                    },
                );
            }
            Resolved::External(path) => {
                self.entries.insert(
                    public,
                    Entry {
                        cfgs,
                        ..Entry::text(format!("pub use {path} (external crate)"))
                    },
                );
            }
        }
        Ok(())
    }

    /// Follows a `use` path written in `from`; also returns the `#[cfg]`s of the
    /// `use` items passed on the way.
    fn resolve(
        &self,
        from: &'m Module,
        target: &[String],
    ) -> Result<(Resolved<'m>, Vec<String>), TreeError> {
        let mut current: Vec<String> = from.path.clone();
        let mut rest = target;
        match rest.first().map(String::as_str) {
            Some("crate") => {
                current.clear();
                rest = &rest[1..];
            }
            Some("self") => rest = &rest[1..],
            Some("super") => {
                while rest.first().map(String::as_str) == Some("super") {
                    current.pop();
                    rest = &rest[1..];
                }
            }
            _ => {}
        }
        let mut cfgs = Vec::new();
        for (i, segment) in rest.iter().enumerate() {
            let module = self
                .find(&current)
                .ok_or_else(|| TreeError(format!("module {} not found", current.join("::"))))?;
            if module.opaque {
                let mut path = current.clone();
                path.extend(rest[i..].iter().cloned());
                return Ok((
                    Resolved::Opaque(format!("crate::{}", path.join("::"))),
                    cfgs,
                ));
            }
            let last = i + 1 == rest.len();
            let mut child = current.clone();
            child.push(segment.clone());
            if let Some(m) = self.find(&child) {
                if last {
                    return Ok((Resolved::Module(m), cfgs));
                }
                current = child;
                continue;
            }
            if last {
                if let Some(item) = module.items.iter().find(|it| {
                    item_name(it).as_deref() == Some(segment) && !matches!(it, syn::Item::Use(_))
                }) {
                    return Ok((Resolved::Item(module, item), cfgs));
                }
            }
            // A name brought in by a `use` of this module.
            let imported = module.items.iter().find_map(|it| match it {
                syn::Item::Use(u) => flatten_use(&u.tree)
                    .into_iter()
                    .find(|e| e.name.as_deref() == Some(segment))
                    .map(|e| (e, cfgs_of(&u.attrs))),
                _ => None,
            });
            if let Some((entry, use_cfgs)) = imported {
                cfgs.extend(use_cfgs);
                // `use reqwest;`: another crate, bound under its own name.
                if entry.target == [segment.clone()] {
                    let mut path = entry.target.clone();
                    path.extend(rest[i + 1..].iter().cloned());
                    return Ok((Resolved::External(path.join("::")), cfgs));
                }
                let mut target = entry.target.clone();
                target.extend(rest[i + 1..].iter().cloned());
                let (resolved, more) = self.resolve(module, &target)?;
                cfgs.extend(more);
                return Ok((resolved, cfgs));
            }
            if i == 0 {
                return Ok((Resolved::External(rest.join("::")), cfgs));
            }
            return Err(TreeError(format!(
                "cannot resolve {} from {}",
                target.join("::"),
                from.path.join("::")
            )));
        }
        Err(TreeError(format!(
            "empty path {} from {}",
            target.join("::"),
            from.path.join("::")
        )))
    }

    fn render(&self) -> String {
        let impls = collect_impls(self.modules);
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        let mut out = String::new();
        for (path, entry) in &self.entries {
            let _ = write!(out, "{path}");
            if let Some(first) = entry.key.as_deref().and_then(|k| seen.get(k)) {
                let _ = writeln!(out, " = {first}");
                continue;
            }
            out.push('\n');
            if let Some(key) = entry.key.as_deref() {
                seen.insert(key, path);
            }
            for cfg in &entry.cfgs {
                let _ = writeln!(out, "    #[{cfg}]");
            }
            for line in entry.text.lines() {
                let _ = writeln!(out, "    {line}");
            }
            if let Some(name) = &entry.impls_of {
                for (cfgs, line) in impls.get(name.as_str()).into_iter().flatten() {
                    // The entry's own `#[cfg]`s are printed once, above.
                    let extra: Vec<&str> = cfgs
                        .iter()
                        .filter(|c| !entry.cfgs.contains(*c))
                        .map(String::as_str)
                        .collect();
                    if extra.is_empty() {
                        let _ = writeln!(out, "    {line}");
                    } else {
                        let _ = writeln!(out, "    #[{}] {line}", extra.join(", "));
                    }
                }
            }
        }
        out
    }
}

fn is_pub(item: &syn::Item) -> bool {
    let vis = match item {
        syn::Item::Const(i) => &i.vis,
        syn::Item::Enum(i) => &i.vis,
        syn::Item::Fn(i) => &i.vis,
        syn::Item::Mod(i) => &i.vis,
        syn::Item::Static(i) => &i.vis,
        syn::Item::Struct(i) => &i.vis,
        syn::Item::Trait(i) => &i.vis,
        syn::Item::Type(i) => &i.vis,
        syn::Item::Union(i) => &i.vis,
        syn::Item::Use(i) => &i.vis,
        _ => return false,
    };
    matches!(vis, syn::Visibility::Public(_))
}

fn item_name(item: &syn::Item) -> Option<String> {
    Some(
        match item {
            syn::Item::Const(i) => &i.ident,
            syn::Item::Enum(i) => &i.ident,
            syn::Item::Fn(i) => &i.sig.ident,
            syn::Item::Mod(i) => &i.ident,
            syn::Item::Static(i) => &i.ident,
            syn::Item::Struct(i) => &i.ident,
            syn::Item::Trait(i) => &i.ident,
            syn::Item::Type(i) => &i.ident,
            syn::Item::Union(i) => &i.ident,
            syn::Item::Macro(i) => i.ident.as_ref()?,
            _ => return None,
        }
        .to_string(),
    )
}

fn attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Union(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        _ => &[],
    }
}

/// The attributes that are part of an item's API: derives, `non_exhaustive`,
/// `deprecated`, `must_use`, `repr`.
fn api_attrs(attrs: &[syn::Attribute]) -> Vec<syn::Attribute> {
    const KEEP: &[&str] = &["derive", "non_exhaustive", "deprecated", "must_use", "repr"];
    attrs
        .iter()
        .filter(|a| KEEP.iter().any(|k| a.path().is_ident(k)))
        .cloned()
        .collect()
}

/// Variant and field attributes worth showing: only `#[cfg]`.
fn cfg_attrs(attrs: &[syn::Attribute]) -> Vec<syn::Attribute> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .cloned()
        .collect()
}

fn definition(module: &Module, item: &syn::Item, mut cfgs: BTreeSet<String>) -> Entry {
    cfgs.extend(module.cfgs.iter().cloned());
    cfgs.extend(cfgs_of(attrs(item)));
    let name = item_name(item).unwrap_or_default();
    // Impls are looked up by type name, or by `trait Name` for a trait.
    let impls_key = if matches!(item, syn::Item::Trait(_)) {
        format!("trait {name}")
    } else {
        name.clone()
    };
    let mut item = item.clone();
    let mut private_fields = false;
    let is_type = matches!(
        item,
        syn::Item::Struct(_)
            | syn::Item::Enum(_)
            | syn::Item::Union(_)
            | syn::Item::Type(_)
            | syn::Item::Trait(_)
    );
    match &mut item {
        syn::Item::Struct(s) => {
            s.attrs = api_attrs(&s.attrs);
            let fields = std::mem::replace(&mut s.fields, syn::Fields::Unit);
            s.fields = match fields {
                syn::Fields::Named(mut named) => {
                    let before = named.named.len();
                    named.named = named
                        .named
                        .into_iter()
                        .filter(|f| matches!(f.vis, syn::Visibility::Public(_)))
                        .map(strip_field)
                        .collect();
                    private_fields = named.named.len() != before;
                    syn::Fields::Named(named)
                }
                syn::Fields::Unnamed(mut unnamed) => {
                    for f in unnamed.unnamed.iter_mut() {
                        if !matches!(f.vis, syn::Visibility::Public(_)) {
                            private_fields = true;
                            f.ty = syn::parse_quote!(_);
                        }
                        *f = strip_field(f.clone());
                    }
                    syn::Fields::Unnamed(unnamed)
                }
                syn::Fields::Unit => syn::Fields::Unit,
            };
        }
        syn::Item::Enum(e) => {
            e.attrs = api_attrs(&e.attrs);
            for v in e.variants.iter_mut() {
                v.attrs = cfg_attrs(&v.attrs);
                for f in v.fields.iter_mut() {
                    *f = strip_field(f.clone());
                }
            }
        }
        syn::Item::Fn(f) => {
            f.attrs = api_attrs(&f.attrs);
            *f.block = syn::parse_quote!({});
        }
        syn::Item::Trait(t) => {
            t.attrs = api_attrs(&t.attrs);
            for it in t.items.iter_mut() {
                if let syn::TraitItem::Fn(f) = it {
                    f.attrs.clear();
                    f.default = None;
                }
            }
        }
        syn::Item::Const(c) => c.attrs = api_attrs(&c.attrs),
        syn::Item::Static(s) => s.attrs = api_attrs(&s.attrs),
        syn::Item::Type(t) => t.attrs = api_attrs(&t.attrs),
        syn::Item::Union(u) => u.attrs = api_attrs(&u.attrs),
        _ => {}
    }
    let mut text = unparse(item);
    if private_fields {
        text.push_str("// and private fields\n");
    }
    Entry {
        cfgs,
        key: Some(format!("{}::{name}", module.path.join("::"))),
        impls_of: is_type.then_some(impls_key),
        text,
    }
}

fn strip_field(mut f: syn::Field) -> syn::Field {
    f.attrs = cfg_attrs(&f.attrs);
    f
}

fn unparse(item: syn::Item) -> String {
    prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![item],
    })
}

/// One impl line: its `#[cfg]`s and its text.
type ImplLine = (Vec<String>, String);

/// For each type name (last path segment of an impl's self type) and each trait name
/// (as `trait Name`), the impls in the hand-written code outside hidden modules:
/// `impl Trait for Type` headers and public inherent methods.
fn collect_impls(modules: &[Module]) -> BTreeMap<String, Vec<ImplLine>> {
    let one_line = |text: &str| {
        text.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("( ", "(")
            .replace(", )", ")")
            .replace("< ", "<")
            .replace(", >", ">")
    };
    let mut out: BTreeMap<String, Vec<ImplLine>> = BTreeMap::new();
    for module in modules.iter().filter(|m| !m.hidden) {
        for item in &module.items {
            let syn::Item::Impl(imp) = item else { continue };
            // `impl Trait for &T` has no type name: it is listed under the trait only.
            let name = match &*imp.self_ty {
                syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                _ => None,
            };
            let mut cfgs: Vec<String> = module.cfgs.clone();
            cfgs.extend(cfgs_of(&imp.attrs));
            let mut header = imp.clone();
            header.items.clear();
            header.attrs.clear();
            let header = unparse(syn::Item::Impl(header));
            let header = one_line(header.trim().trim_end_matches("{}"));
            if let Some((_, trait_path, _)) = &imp.trait_ {
                let line = (cfgs.clone(), header.clone());
                if let Some(name) = name {
                    out.entry(name).or_default().push(line.clone());
                }
                if let Some(t) = trait_path.segments.last() {
                    out.entry(format!("trait {}", t.ident))
                        .or_default()
                        .push(line);
                }
                continue;
            }
            let Some(name) = name else { continue };
            for it in &imp.items {
                let syn::ImplItem::Fn(f) = it else { continue };
                if !matches!(f.vis, syn::Visibility::Public(_)) || is_doc_hidden(&f.attrs) {
                    continue;
                }
                let mut fn_cfgs = cfgs.clone();
                fn_cfgs.extend(cfgs_of(&f.attrs));
                let sig = syn::ItemFn {
                    attrs: Vec::new(),
                    vis: f.vis.clone(),
                    sig: f.sig.clone(),
                    block: Box::new(syn::parse_quote!({})),
                };
                let text = unparse(syn::Item::Fn(sig));
                let text = one_line(text.trim().trim_end_matches("{}"));
                out.entry(name.clone())
                    .or_default()
                    .push((fn_cfgs, format!("{header}: {text}")));
            }
        }
    }
    for lines in out.values_mut() {
        lines.sort();
        lines.dedup();
    }
    out
}
