//! The overlay `spec/overlays/010-restore-catalog-actions.yaml` restores 8 operations
//! Polar no longer lists publicly and marks them deprecated with a note saying so.
//! The generated methods must carry that note in `#[deprecated]`, so users see it in
//! compiler warnings, not only in the docs. The checked-in services are read with `syn`:
//! an operation's method is the `&self` method returning the builder whose request
//! names its operationId.

use std::collections::BTreeMap;

use polar_codegen::ir::Operation;
use polar_tests::paths;
use polar_tests::public_api::tree::{self, Module};
use syn::punctuated::Punctuated;
use syn::visit::Visit;

const RESTORED: [&str; 8] = [
    "members:create_member",
    "members:get_member",
    "members:update_member",
    "members:delete_member",
    "organization_access_tokens:list",
    "organization_access_tokens:create",
    "organization_access_tokens:update",
    "organization_access_tokens:delete",
];

const NOTE: &str = "Polar no longer lists this endpoint publicly";

fn restored_operations() -> Vec<Operation> {
    let api = polar_codegen::load_api(&paths::current_spec(), Some(&paths::overlays()))
        .expect("spec loads");
    let ops: Vec<Operation> = api
        .operations
        .into_iter()
        .filter(|op| RESTORED.contains(&op.operation_id.as_str()))
        .collect();
    assert_eq!(
        ops.len(),
        RESTORED.len(),
        "all restored operations are in the IR"
    );
    ops
}

/// The checked-in service modules of `polar-generated`, parsed with `syn` (the big
/// modules that hold no service methods are left unread).
fn service_modules() -> Vec<Module> {
    let lib_rs = tree::lib_rs(&polar_tests::generated_crate());
    let unread = [
        "generated::models",
        "generated::catalog_data",
        "generated::invoke",
    ];
    let modules = tree::load(&lib_rs, &unread)
        .unwrap_or_else(|err| panic!("cannot parse polar-generated: {err}"));
    modules
        .into_iter()
        .filter(|m| {
            m.path
                .starts_with(&["generated".to_owned(), "services".to_owned()])
        })
        .collect()
}

/// A service method (`&self`, returns an operation's builder), as parsed.
struct ServiceMethod {
    module: String,
    name: String,
    attrs: Vec<syn::Attribute>,
}

/// Every operation's service method, by operationId: the builder whose request
/// carries `RequestSpec { operation_id: "…" }`, then the `&self` method returning it.
fn methods_by_operation(modules: &[Module]) -> BTreeMap<String, Vec<ServiceMethod>> {
    let mut builders: BTreeMap<String, String> = BTreeMap::new();
    for item in modules.iter().flat_map(|m| &m.items) {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let mut ids = OperationIds::default();
        ids.visit_item_impl(block);
        if let Some(builder) = last_ident(&block.self_ty) {
            for id in ids.0 {
                let previous = builders.insert(builder.clone(), id);
                assert!(previous.is_none(), "`{builder}` sends two operations");
            }
        }
    }
    let mut methods: BTreeMap<String, Vec<ServiceMethod>> = BTreeMap::new();
    for module in modules {
        for item in &module.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            if block.trait_.is_some() {
                continue;
            }
            for impl_item in &block.items {
                let syn::ImplItem::Fn(f) = impl_item else {
                    continue;
                };
                let by_shared_ref = matches!(
                    f.sig.receiver(),
                    Some(r) if r.reference.is_some() && r.mutability.is_none()
                );
                let syn::ReturnType::Type(_, returns) = &f.sig.output else {
                    continue;
                };
                let Some(operation) = last_ident(returns).and_then(|b| builders.get(&b)) else {
                    continue;
                };
                if by_shared_ref {
                    methods
                        .entry(operation.clone())
                        .or_default()
                        .push(ServiceMethod {
                            module: module.path.join("::"),
                            name: f.sig.ident.to_string(),
                            attrs: f.attrs.clone(),
                        });
                }
            }
        }
    }
    methods
}

/// The string `operation_id` fields of the `RequestSpec { … }` literals in an item.
#[derive(Default)]
struct OperationIds(Vec<String>);

impl<'ast> Visit<'ast> for OperationIds {
    fn visit_expr_struct(&mut self, expr: &'ast syn::ExprStruct) {
        let is_request_spec = expr
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "RequestSpec");
        for field in expr.fields.iter().filter(|_| is_request_spec) {
            let syn::Member::Named(name) = &field.member else {
                continue;
            };
            if name == "operation_id" {
                if let Some(id) = string_literal(&field.expr) {
                    self.0.push(id);
                }
            }
        }
        syn::visit::visit_expr_struct(self, expr);
    }
}

fn string_literal(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// `Name` of a type written `path::Name<'a>`.
fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The `note` of `#[deprecated(note = "…")]`, or why there is none.
fn deprecation_note(attrs: &[syn::Attribute]) -> Result<String, String> {
    let attr = attrs
        .iter()
        .find(|a| a.path().is_ident("deprecated"))
        .ok_or("no #[deprecated]")?;
    let args = attr
        .parse_args_with(Punctuated::<syn::MetaNameValue, syn::Token![,]>::parse_terminated)
        .map_err(|err| format!("#[deprecated] is not `note = \"…\"`: {err}"))?;
    args.iter()
        .find(|nv| nv.path.is_ident("note"))
        .and_then(|nv| string_literal(&nv.value))
        .ok_or_else(|| "#[deprecated] has no string `note`".to_owned())
}

/// The lines of the doc comment (`#[doc = "…"]` attributes), trimmed.
fn doc_lines(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => string_literal(&nv.value),
            _ => None,
        })
        .flat_map(|doc| doc.lines().map(|l| l.trim().to_owned()).collect::<Vec<_>>())
        .collect()
}

#[test]
fn restored_operations_are_deprecated_with_the_note() {
    let methods = methods_by_operation(&service_modules());
    for op in restored_operations() {
        assert!(op.docs.deprecated, "{} is deprecated", op.operation_id);
        let description = op.docs.description.as_deref().unwrap_or_default();
        assert!(
            description.contains(NOTE),
            "{}: {description}",
            op.operation_id
        );

        let found = methods
            .get(&op.operation_id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let [method] = found else {
            panic!(
                "{}: expected one service method returning its builder, found {}",
                op.operation_id,
                found.len()
            );
        };
        let at = format!("{}::{}", method.module, method.name);
        // The note is the operation's description, which says why it is deprecated.
        let note = deprecation_note(&method.attrs).unwrap_or_else(|why| panic!("{at}: {why}"));
        assert_eq!(note, description, "{at}: the deprecation note");
        assert!(
            doc_lines(&method.attrs).contains(&"**Deprecated** in the Polar API.".to_owned()),
            "{at}: the docs say it is deprecated"
        );
    }
}

/// The search above finds methods: every operation has exactly one, and a
/// method Polar does not deprecate has no `#[deprecated]`.
#[test]
fn every_operation_has_one_service_method() {
    let methods = methods_by_operation(&service_modules());
    let api = polar_tests::current_api();
    for op in &api.operations {
        let found = methods
            .get(&op.operation_id)
            .map(Vec::len)
            .unwrap_or_default();
        assert_eq!(found, 1, "{}: service methods", op.operation_id);
        let method = &methods[&op.operation_id][0];
        assert_eq!(
            deprecation_note(&method.attrs).is_ok(),
            op.docs.deprecated,
            "{}::{}: #[deprecated] iff the operation is deprecated",
            method.module,
            method.name
        );
    }
    assert_eq!(
        methods.len(),
        api.operations.len(),
        "no method for an unknown operation"
    );
}

/// Exactly the overlay's operations carry the `x-polar-sdk-restored` marker; operations
/// Polar itself deprecates keep the generic note.
#[test]
fn only_restored_operations_are_marked_restored() {
    let api = polar_codegen::load_api(&paths::current_spec(), Some(&paths::overlays()))
        .expect("spec loads");
    let with_note: Vec<&str> = api
        .operations
        .iter()
        .filter(|op| op.restored)
        .map(|op| op.operation_id.as_str())
        .collect();
    let mut expected = RESTORED.to_vec();
    expected.sort_unstable();
    let mut got = with_note.clone();
    got.sort_unstable();
    assert_eq!(got, expected);
}
