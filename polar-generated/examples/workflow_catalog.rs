//! Try the workflow catalog without writing code.
//!
//! ```text
//! cargo run --example workflow_catalog -- triggers
//! cargo run --example workflow_catalog -- actions [GROUP]
//! cargo run --example workflow_catalog -- schema customers:create
//! POLAR_ACCESS_TOKEN=polar_oat_... POLAR_ENVIRONMENT=sandbox \
//!     cargo run --example workflow_catalog -- invoke customers:list args.json [--all-pages]
//! POLAR_WEBHOOK_SECRET=polar_whs_... \
//!     cargo run --example workflow_catalog -- verify delivery.json
//! ```
//!
//! `invoke` reads the arguments from a JSON file (`-` for stdin) and talks to
//! `POLAR_BASE_URL`, or to the sandbox unless `POLAR_ENVIRONMENT=production`.
//! `verify` reads a delivery file `{"headers": {"webhook-id": …}, "body": "<raw body>"}`.

use std::process::ExitCode;

use polar::catalog::{self, InvokeOptions, TriggerEvent};
use polar::Webhook;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &[&str]) -> Result<(), String> {
    match args {
        ["triggers"] => {
            for t in catalog::triggers() {
                println!("{:<32} {:<16} {}", t.event_type, t.group, t.title);
            }
            Ok(())
        }
        ["actions", rest @ ..] => {
            let group = rest.first().copied();
            for a in catalog::actions()
                .iter()
                .filter(|a| group.is_none_or(|g| a.group == g))
            {
                let flags = [
                    (a.read_only, "read-only"),
                    (a.destructive, "destructive"),
                    (a.paginated, "paginated"),
                    (a.deprecated, "deprecated"),
                ]
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, name)| *name)
                .collect::<Vec<_>>()
                .join(",");
                println!("{:<48} {:<6} {:<40} {flags}", a.id, a.method, a.title);
            }
            Ok(())
        }
        ["schema", id] => {
            let action = catalog::action(id).ok_or_else(|| format!("no action `{id}`"))?;
            println!("{:#}", action.input_schema());
            Ok(())
        }
        ["invoke", id, file, rest @ ..] => {
            let text = if *file == "-" {
                std::io::read_to_string(std::io::stdin()).map_err(|e| e.to_string())?
            } else {
                std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?
            };
            let arguments: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| format!("{file}: {e}"))?;
            // Sandbox unless the environment says otherwise: trying things should not
            // touch production by accident.
            let mut builder = polar::ClientBuilder::from_env();
            if std::env::var_os("POLAR_ENVIRONMENT").is_none()
                && std::env::var_os("POLAR_BASE_URL").is_none()
            {
                builder = builder.environment(polar::Environment::Sandbox);
            }
            let client = builder.build().map_err(|e| e.to_string())?;
            let options = if rest.contains(&"--all-pages") {
                InvokeOptions::all_pages()
            } else {
                InvokeOptions::default()
            };
            match client.invoke_with(id, arguments, options).await {
                Ok(result) => {
                    println!("{result:#}");
                    Ok(())
                }
                Err(err) => {
                    if let Some(body) = err.error_body() {
                        eprintln!("{body:#}");
                    }
                    Err(err.to_string())
                }
            }
        }
        ["verify", file] => {
            let secret = std::env::var("POLAR_WEBHOOK_SECRET")
                .map_err(|_| "set POLAR_WEBHOOK_SECRET".to_owned())?;
            let webhook = Webhook::new(&secret).map_err(|e| e.to_string())?;
            let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
            let delivery: Delivery =
                serde_json::from_str(&text).map_err(|e| format!("{file}: {e}"))?;
            let headers: Vec<(String, String)> = delivery.headers.into_iter().collect();
            let event = TriggerEvent::verify(&webhook, delivery.body.as_bytes(), &headers)
                .map_err(|e| e.to_string())?;
            println!(
                "verified {} (dedupe key {}), trigger: {}",
                event.event_type,
                event.dedupe_key(),
                event.trigger().map_or("not in the catalog", |t| t.title)
            );
            println!("{:#}", event.payload);
            Ok(())
        }
        _ => Err(
            "usage: workflow_catalog triggers | actions [GROUP] | schema ID | \
                  invoke ID ARGS.json [--all-pages] | verify DELIVERY.json"
                .to_owned(),
        ),
    }
}

/// A saved delivery: its headers and raw body.
#[derive(serde::Deserialize)]
struct Delivery {
    headers: std::collections::BTreeMap<String, String>,
    body: String,
}
