//! The names a user reads in every spec we have: no machine-made names may come back with a
//! new Polar spec (numbered types, `Minus…` sort keys, two casings of one acronym, names
//! too long to read, raw identifiers such as `r#type`), and no two types share a name,
//! literal unit types (`polar::literals`) included.

use std::collections::BTreeMap;

use polar_tests::{current_spec, overlays_dir, paths};

/// Every generated type name (models, literals, services and request builders) and every member name (fields,
/// variants, operation parameters) of the spec at `path`.
fn names(path: &std::path::Path) -> (Vec<String>, Vec<(String, String)>) {
    let api = polar_codegen::load_api(path, Some(&overlays_dir()))
        .unwrap_or_else(|err| panic!("cannot load {}: {err}", path.display()));
    let plan = polar_codegen::plan::plan(&api).expect("plan");
    let mut types = Vec::new();
    let mut members = Vec::new();
    for id in plan.types.keys() {
        let name = plan.type_name(id).to_owned();
        for member in plan.members(id) {
            members.push((name.clone(), member.clone()));
        }
        types.push(name);
    }
    types.extend(plan.literals.values().cloned());
    // Service and request-builder structs (one name per service, however many operations).
    // A service may share a model's name (`services::Metrics`, `models::Metrics` from the
    // spec): users reach it as `client.metrics()` and never import both.
    let models: std::collections::BTreeSet<String> = types.iter().cloned().collect();
    let mut services = std::collections::BTreeSet::new();
    for op_plan in &plan.operations {
        if !models.contains(&op_plan.names.service) {
            services.insert(op_plan.names.service.clone());
        }
        types.push(op_plan.names.builder.clone());
    }
    types.extend(services);
    for (op, op_plan) in api.operations.iter().zip(&plan.operations) {
        for param in &op_plan.params {
            members.push((op.operation_id.clone(), param.clone()));
        }
    }
    (types, members)
}

fn problems(types: &[String], members: &[(String, String)]) -> Vec<String> {
    let mut found = Vec::new();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for name in types {
        *seen.entry(name.as_str()).or_default() += 1;
        // A status code (`…Error403`) is a number people write; any other is a collision.
        let digits = name.trim_end_matches(|c: char| c.is_ascii_digit());
        let numbered = digits.len() < name.len()
            && !digits.ends_with("Error")
            && !digits.ends_with("OAuth")
            && digits.ends_with(|c: char| c.is_ascii_lowercase());
        if numbered {
            found.push(format!("numbered type name {name}"));
        }
        if name.contains("Oauth2") {
            found.push(format!("{name}: OAuth2 is spelled OAuth2"));
        }
        if name.len() > 64 {
            found.push(format!("{name}: {} characters", name.len()));
        }
    }
    for (name, count) in seen {
        if count > 1 {
            found.push(format!("{name} names {count} types"));
        }
    }
    for (owner, member) in members {
        // `MinusCreatedAt` is a descending sort key (`CreatedAtDesc`); `EtcGmtMinus1` is a
        // time zone and reads as written.
        let minus_word = member
            .match_indices("Minus")
            .any(|(at, _)| member[at + 5..].starts_with(|c: char| c.is_ascii_uppercase()));
        if minus_word {
            found.push(format!("{owner}::{member}: a sort key reads `…Desc`"));
        }
        if polar_codegen::names::is_keyword(member) {
            found.push(format!(
                "{owner}::{member}: a keyword, written `r#{member}`"
            ));
        }
    }
    found
}

/// The current spec, the history and 2026-04.
fn every_spec() -> Vec<std::path::PathBuf> {
    let mut specs = vec![current_spec()];
    specs.extend(paths::history_specs());
    specs.extend(paths::reference_spec("2026-04.openapi.json"));
    specs
}

#[test]
fn public_names_read_as_a_person_would_write_them() {
    let specs = every_spec();
    let mut report = Vec::new();
    for spec in &specs {
        let (types, members) = names(spec);
        assert!(
            types.len() > 100,
            "{}: too few types to judge",
            spec.display()
        );
        for problem in problems(&types, &members) {
            report.push(format!("{}: {problem}", spec.display()));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn the_check_catches_each_kind_of_name() {
    let types: Vec<String> = [
        "WebhookEvent2",
        "Oauth2TokenBody",
        "Item",
        "Item",
        "OrdersError403",
    ]
    .map(str::to_owned)
    .to_vec();
    let members = vec![
        (
            "CheckoutSortProperty".to_owned(),
            "MinusCreatedAt".to_owned(),
        ),
        ("Timezone".to_owned(), "EtcGmtMinus1".to_owned()),
        ("Benefit".to_owned(), "type".to_owned()),
        ("Benefit".to_owned(), "type_".to_owned()),
    ];
    let found = problems(&types, &members);
    assert_eq!(found.len(), 5, "{found:#?}");
    assert!(found.iter().any(|p| p.contains("r#type")));
    assert!(found.iter().any(|p| p.contains("WebhookEvent2")));
    assert!(found.iter().any(|p| p.contains("Oauth2TokenBody")));
    assert!(found.iter().any(|p| p.contains("Item names 2")));
    assert!(found.iter().any(|p| p.contains("MinusCreatedAt")));
}

/// Every model has docs a reader can use: the schema's own (not a title repeating the
/// name), else where the type appears (`Used as Order.discount, …`).
#[test]
fn every_model_has_docs_in_every_spec() {
    let specs = every_spec();
    let mut undocumented = Vec::new();
    for spec in &specs {
        let api = polar_codegen::load_api(spec, Some(&overlays_dir())).expect("loads");
        let plan = polar_codegen::plan::plan(&api).expect("plan");
        for id in plan.types.keys() {
            let def = &api.types[id];
            let name = plan.type_name(id);
            let own = polar_codegen::plan::usage_docs::says_something(&def.docs, name);
            if !own && !plan.usage_docs.contains_key(id) {
                undocumented.push(format!("{}: {name}", spec.display()));
            }
        }
    }
    assert!(
        undocumented.is_empty(),
        "models without docs:\n{}",
        undocumented.join("\n")
    );
}
