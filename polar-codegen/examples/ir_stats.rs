//! Prints counts from the normalized IR of a spec (a development aid).
fn main() {
    let path = std::env::args().nth(1).expect("usage: ir_stats SPEC");
    let spec = polar_codegen::load::load_json(std::path::Path::new(&path)).unwrap();
    let t = std::time::Instant::now();
    let api = polar_codegen::normalize::normalize(&spec).unwrap_or_else(|e| panic!("{e}"));
    eprintln!("normalize: {:?}", t.elapsed());
    let mut kinds = std::collections::BTreeMap::new();
    for def in api.types.values() {
        *kinds.entry(def.kind.label()).or_insert(0) += 1;
    }
    println!(
        "operations {} webhooks {} types {} {:?}",
        api.operations.len(),
        api.webhooks.len(),
        api.types.len(),
        kinds
    );
    let boxed: Vec<_> = api
        .types
        .values()
        .filter_map(|d| match &d.kind {
            polar_codegen::ir::TypeKind::Struct(s) => Some(
                s.fields
                    .iter()
                    .filter(|f| f.boxed)
                    .map(move |f| format!("{}.{}", d.name.rust, f.name.rust)),
            ),
            _ => None,
        })
        .flatten()
        .collect();
    println!("boxed {boxed:?}");
    for op in api.operations.iter().take(3) {
        println!(
            "{} {:?} {} {:?}",
            op.qualified_name(),
            op.http_method,
            op.path,
            op.auth
        );
    }
    let inline: Vec<_> = api
        .types
        .values()
        .filter(|d| d.id.0.contains('.'))
        .map(|d| d.name.rust.clone())
        .collect();
    println!(
        "inline {} e.g. {:?}",
        inline.len(),
        &inline[..inline.len().min(40)]
    );
}
