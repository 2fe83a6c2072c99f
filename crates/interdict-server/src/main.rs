//! `interdict-server`: serves decisions over HTTP. Loads the policies and the store once,
//! reloads both on `SIGHUP` (or `POST /v1/reload`), and shuts down gracefully on `SIGTERM` or
//! Ctrl-C, finishing the requests under way.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use interdict::Sources;
use interdict::lists::Release;
use interdict_server::{Config, Service, serve};

/// Serve Interdict decisions over HTTP (see GET /v1/openapi.json).
#[derive(Debug, Parser)]
#[command(name = "interdict-server", version)]
struct Args {
    /// Policy files or folders; repeatable.
    #[arg(long = "policy", required = true)]
    policies: Vec<PathBuf>,
    /// The facts file: the store's entities, relations and designations.
    #[arg(long)]
    facts: PathBuf,
    /// A sanctions list to merge into the store, as KIND=PATH[@DATE]: `ofac=FOLDER@2024-05-03`,
    /// `un=FILE.xml`, `eu=FILE.xml`, `uk=FILE.csv`, `ftm=FILE.json`; repeatable. With lists,
    /// parties not on one are screened by name against those that are.
    #[arg(long = "list", value_parser = parse_release)]
    lists: Vec<Release>,
    /// Use lists smaller than any real release of their kind (an excerpt, knowingly); without
    /// it such a list is refused as a broken download.
    #[arg(long)]
    accept_small_lists: bool,
    /// A file of licences to merge into the store; repeatable.
    #[arg(long = "licences")]
    licences: Vec<PathBuf>,
    /// The lowest screening score (0-1) that counts as a name match.
    #[arg(long, default_value_t = interdict::screen::DEFAULT_THRESHOLD)]
    threshold: f64,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The largest request body accepted, in bytes.
    #[arg(long, default_value_t = 8 * 1024 * 1024)]
    max_body_bytes: usize,
    /// The longest a request may take, in milliseconds.
    #[arg(long, default_value_t = 30_000)]
    timeout_ms: u64,
}

fn parse_release(text: &str) -> Result<Release, String> {
    text.parse()
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut sources = Sources::new(&args.facts);
    for mut list in args.lists {
        list.accept_small = args.accept_small_lists;
        sources = sources.with_list(list);
    }
    for file in args.licences {
        sources = sources.with_licences(file);
    }
    let mut config = Config::new(args.policies, sources);
    config.threshold = args.threshold;
    config.max_body_bytes = args.max_body_bytes;
    config.request_timeout = Duration::from_millis(args.timeout_ms);
    let service = match Service::start(config) {
        Ok(service) => service,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(error.exit_code());
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(run(service, args.listen))
}

async fn run(service: std::sync::Arc<Service>, listen: SocketAddr) -> ExitCode {
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("error: cannot listen on {listen}: {error}");
            return ExitCode::from(2);
        }
    };
    let engine = service.engine();
    eprintln!(
        "interdict-server: listening on {listen}; policies {}, store {} ({} entities)",
        engine.policies.digest(),
        engine.store.digest(),
        engine.store.facts().entity_count()
    );
    drop(engine);
    tokio::spawn(reload_on_hangup(std::sync::Arc::clone(&service)));
    match serve(listener, service, shutdown_signal()).await {
        Ok(()) => {
            eprintln!("interdict-server: stopped");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// Reloads policies and store on each `SIGHUP`, saying what happened.
async fn reload_on_hangup(service: std::sync::Arc<Service>) {
    let Ok(mut hangups) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
    else {
        eprintln!("interdict-server: cannot watch for SIGHUP; reload with POST /v1/reload");
        return;
    };
    while hangups.recv().await.is_some() {
        match service.reload().await {
            Ok(engine) => eprintln!(
                "interdict-server: reloaded; policies {}, store {}",
                engine.policies.digest(),
                engine.store.digest()
            ),
            Err(error) => eprintln!("interdict-server: reload failed, still serving: {error}"),
        }
    }
}

/// Completes on Ctrl-C or `SIGTERM`.
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
    eprintln!("interdict-server: shutting down, finishing the requests under way");
}
