//! The service tree: one service type per `x-speakeasy-group` (nested by `.`), its
//! module and file, accessor names, and per operation the method and builder names.

use std::collections::BTreeMap;

use crate::error::SpecError;
use crate::ir::{Api, Operation};
use crate::names::{snake, upper_camel, Namespace};

use super::SERVICES_DIR;

/// One node of the service tree, with every name it is printed under.
#[derive(Debug, Clone)]
pub struct ServicePlan {
    /// Module name (and, from the parent, the accessor's target module).
    pub module: String,
    /// Accessor method on the parent service (or on `Client` for top-level services).
    pub accessor: String,
    /// Service struct name, e.g. `CustomerPortalCustomers`.
    pub type_name: String,
    /// Group path as on the wire, e.g. `customer_portal.customers`.
    pub group: String,
    /// The Cargo feature of the top-level group this node belongs to.
    pub feature: String,
    /// Output file, relative to the crate root.
    pub file: String,
    /// Operations of this group, as indices into `Api::operations`.
    pub operations: Vec<usize>,
    pub children: Vec<ServicePlan>,
}

/// The names of one operation's method and builder.
#[derive(Debug, Clone)]
pub struct OperationNames {
    /// Method on the service.
    pub method: String,
    /// Request builder struct.
    pub builder: String,
    /// Service struct the method is on.
    pub service: String,
    /// `Client` accessor chain down to the service, e.g. `["customer_portal", "customers"]`.
    pub accessors: Vec<String>,
}

#[derive(Default)]
struct Node<'a> {
    /// Module name (none for the root).
    name: Option<String>,
    /// Group path as on the wire.
    path: Vec<String>,
    operations: Vec<(usize, &'a Operation)>,
    children: BTreeMap<String, Node<'a>>,
}

/// The top-level services (children of `Client`), and every operation's names.
pub fn plan_services(api: &Api) -> Result<(Vec<ServicePlan>, Vec<OperationNames>), SpecError> {
    reject_duplicate_method_names(&api.operations)?;
    let mut root = Node::default();
    for (index, op) in api.operations.iter().enumerate() {
        let mut node = &mut root;
        for (depth, part) in op.group.iter().enumerate() {
            node = node.children.entry(snake(part)).or_insert_with(|| Node {
                name: Some(snake(part)),
                path: op.group[..=depth].to_vec(),
                ..Node::default()
            });
        }
        node.operations.push((index, op));
    }
    let mut names: Vec<Option<OperationNames>> = vec![None; api.operations.len()];
    let services = root
        .children
        .values()
        .map(|child| {
            let module = child.name.clone().unwrap_or_default();
            build(child, module.clone(), SERVICES_DIR, &[], &mut names)
        })
        .collect();
    let names = names
        .into_iter()
        .map(|n| n.expect("every operation sits in the service tree"))
        .collect();
    Ok((services, names))
}

/// Two operations that would become the same method (`group.method`) are an error: a
/// silently renamed method would be an unstable public API.
fn reject_duplicate_method_names(operations: &[Operation]) -> Result<(), SpecError> {
    let mut seen: std::collections::BTreeMap<String, &Operation> = Default::default();
    for op in operations {
        let key = format!(
            "{}.{}",
            op.group
                .iter()
                .map(|g| snake(g))
                .collect::<Vec<_>>()
                .join("."),
            snake(&op.method_name)
        );
        if let Some(first) = seen.insert(key.clone(), op) {
            return Err(SpecError::new(
                &op.origin,
                format!(
                    "operation `{}` becomes the method `{key}`, as does `{}` at {}; set a distinct x-speakeasy-name-override",
                    op.operation_id, first.operation_id, first.origin
                ),
            ));
        }
    }
    Ok(())
}

fn build(
    node: &Node,
    accessor: String,
    dir: &str,
    parents: &[String],
    names: &mut [Option<OperationNames>],
) -> ServicePlan {
    let module = node.name.clone().unwrap_or_default();
    let type_name =
        super::names::one_casing(&node.path.iter().map(|p| upper_camel(p)).collect::<String>());
    let mut accessors = parents.to_vec();
    accessors.push(accessor.clone());
    let mut methods = Namespace::new();
    for (index, op) in &node.operations {
        let method = methods.claim(snake(&op.method_name));
        names[*index] = Some(OperationNames {
            builder: format!("{type_name}{}Builder", upper_camel(&op.method_name)),
            method,
            service: type_name.clone(),
            accessors: accessors.clone(),
        });
    }
    let file = if node.children.is_empty() {
        format!("{dir}/{module}.rs")
    } else {
        format!("{dir}/{module}/mod.rs")
    };
    let child_dir = format!("{dir}/{module}");
    let children = node
        .children
        .values()
        .map(|child| {
            let name = child.name.clone().unwrap_or_else(|| "service".to_owned());
            let accessor = methods.claim(name);
            build(child, accessor, &child_dir, &accessors, names)
        })
        .collect();
    let operations: Vec<usize> = node.operations.iter().map(|(i, _)| *i).collect();
    let feature = node
        .operations
        .first()
        .map(|(_, op)| super::features::operation_feature(op))
        .unwrap_or_default();
    let mut plan = ServicePlan {
        module,
        accessor,
        type_name,
        group: node
            .path
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("."),
        feature,
        file,
        operations,
        children,
    };
    if plan.feature.is_empty() {
        plan.feature = plan
            .children
            .first()
            .map(|c| c.feature.clone())
            .unwrap_or_default();
    }
    plan
}
