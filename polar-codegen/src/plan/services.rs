//! The service tree: one service type per `x-speakeasy-group` (nested by `.`), its
//! module and file, accessor names, and per operation the method and builder names.

use std::collections::BTreeMap;

use crate::ir::{Api, Operation};
use crate::names::{upper_camel, Namespace, RustName};

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
    name: Option<RustName>,
    path: Vec<RustName>,
    operations: Vec<(usize, &'a Operation)>,
    children: BTreeMap<String, Node<'a>>,
}

/// The top-level services (children of `Client`), and every operation's names.
pub fn plan_services(api: &Api) -> (Vec<ServicePlan>, Vec<OperationNames>) {
    let mut root = Node::default();
    for (index, op) in api.operations.iter().enumerate() {
        let mut node = &mut root;
        for (depth, part) in op.group.iter().enumerate() {
            node = node
                .children
                .entry(part.rust.clone())
                .or_insert_with(|| Node {
                    name: Some(part.clone()),
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
            let module = child
                .name
                .as_ref()
                .map(|n| n.rust.clone())
                .unwrap_or_default();
            build(child, module.clone(), SERVICES_DIR, &[], &mut names)
        })
        .collect();
    let names = names
        .into_iter()
        .map(|n| n.expect("every operation sits in the service tree"))
        .collect();
    (services, names)
}

fn build(
    node: &Node,
    accessor: String,
    dir: &str,
    parents: &[String],
    names: &mut [Option<OperationNames>],
) -> ServicePlan {
    let module = node
        .name
        .as_ref()
        .map(|n| n.rust.clone())
        .unwrap_or_default();
    let type_name: String = node.path.iter().map(|p| upper_camel(&p.wire)).collect();
    let mut accessors = parents.to_vec();
    accessors.push(accessor.clone());
    let mut methods = Namespace::new();
    for (index, op) in &node.operations {
        let method = methods.claim(op.method_name.clone());
        names[*index] = Some(OperationNames {
            builder: format!("{type_name}{}Builder", upper_camel(&method.wire)),
            method: method.rust,
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
            let name = child
                .name
                .clone()
                .unwrap_or_else(|| RustName::value_name("service"));
            let accessor = methods.claim(name).rust;
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
            .map(|p| p.wire.as_str())
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
