//! Interdict as an HTTP JSON service, for a payment switch or procurement system that asks for a
//! decision on each payment as it happens.
//!
//! The service loads the policies and the store (facts, lists, licences) once, decides each
//! request against them without re-indexing, and replaces both together, atomically, on
//! `POST /v1/reload` or `SIGHUP`: requests already being decided finish on the engine they
//! started with, and every decision names the policy and store digests it used.
//!
//! | route | what it does |
//! |---|---|
//! | `POST /v1/decisions` | decides one request, or an array of them: the same JSON `interdict eval --format json` prints |
//! | `POST /v1/screen` | screens a name against the loaded lists: the same JSON as `interdict screen --format json` |
//! | `GET /v1/health` | the digests in use and the size of the store |
//! | `GET /metrics` | Prometheus text: decisions by outcome, latency, errors, reloads, digests |
//! | `POST /v1/reload` | reloads policies and store from the same files |
//! | `GET /v1/openapi.json` | the OpenAPI 3.1 description of these routes |
//!
//! Every error is a JSON object `{"error": {"code", "message", "exit_code"}}`: `code` is the
//! name [`interdict::Error::code`] gives (plus `invalid_json`, `body_too_large`, `timeout`,
//! `not_found` for what only HTTP can get wrong), and `exit_code` is the one the `interdict`
//! command ends with on the same problem.

mod metrics;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use interdict::{Decision, PolicySet, Request, Shared, Sources, Store, decide, explain};
use serde::Deserialize;

pub use metrics::Metrics;

/// The OpenAPI description served at `GET /v1/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// What the service loads, reloads from, and how much it accepts.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// Policy files or folders.
    pub policies: Vec<PathBuf>,
    /// The store's facts, lists and licences.
    pub sources: Sources,
    /// The screening threshold, when lists are loaded.
    pub threshold: f64,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// The most requests one call to `/v1/decisions` may carry.
    pub max_batch: usize,
    /// The longest one HTTP request may take before it is answered with a timeout.
    pub request_timeout: Duration,
}

impl Config {
    /// A configuration with the default limits: 8 MiB bodies, batches of 10,000, 30 seconds.
    pub fn new(policies: Vec<PathBuf>, sources: Sources) -> Config {
        Config {
            policies,
            sources,
            threshold: interdict::screen::DEFAULT_THRESHOLD,
            max_body_bytes: 8 * 1024 * 1024,
            max_batch: 10_000,
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// Policies and store, loaded together and replaced together.
#[derive(Debug)]
pub struct Engine {
    /// The compiled policies.
    pub policies: PolicySet,
    /// The store requests are decided against.
    pub store: Store,
}

impl Engine {
    /// Loads the policies and the store the configuration names.
    pub fn load(config: &Config) -> Result<Engine, interdict::Error> {
        let policies = PolicySet::load(&config.policies)?;
        let store = config.sources.load_store(config.threshold)?;
        policies.check_facts(store.facts())?;
        Ok(Engine { policies, store })
    }
}

/// The running service: its configuration, the engine in use and its metrics.
#[derive(Debug)]
pub struct Service {
    config: Config,
    engine: Shared<Engine>,
    metrics: Metrics,
    /// Held while a reload builds its engine, so two reloads never race.
    reloading: tokio::sync::Mutex<()>,
}

impl Service {
    /// Loads the engine the configuration names.
    pub fn start(config: Config) -> Result<Arc<Service>, interdict::Error> {
        let engine = Engine::load(&config)?;
        Ok(Arc::new(Service {
            config,
            engine: Shared::new(engine),
            metrics: Metrics::default(),
            reloading: tokio::sync::Mutex::new(()),
        }))
    }

    /// The engine in use now.
    pub fn engine(&self) -> Arc<Engine> {
        self.engine.load()
    }

    /// Loads policies and store again, off the request path, and puts them in place; on an
    /// error the engine in use stays.
    pub async fn reload(&self) -> Result<Arc<Engine>, ReloadError> {
        let _one_at_a_time = self.reloading.lock().await;
        let config = self.config.clone();
        let loaded = tokio::task::spawn_blocking(move || Engine::load(&config)).await;
        match loaded {
            Ok(Ok(engine)) => {
                self.engine.replace(engine);
                self.metrics.reloaded(true);
                Ok(self.engine.load())
            }
            Ok(Err(error)) => {
                self.metrics.reloaded(false);
                Err(ReloadError::Load(error))
            }
            // The loading thread stopped; the engine in use stays, and the error says so.
            Err(join) => {
                self.metrics.reloaded(false);
                Err(ReloadError::Stopped(join.to_string()))
            }
        }
    }
}

/// Why a reload left the engine in use in place.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReloadError {
    /// The policies or the store did not load.
    #[error(transparent)]
    Load(#[from] interdict::Error),
    /// The loading thread stopped before it finished.
    #[error("loading stopped: {0}")]
    Stopped(String),
}

impl From<ReloadError> for ApiError {
    fn from(error: ReloadError) -> ApiError {
        match error {
            ReloadError::Load(error) => ApiError::from(error),
            ReloadError::Stopped(message) => {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
            }
        }
    }
}

/// The service's routes, with the body limit and the time bound applied.
pub fn router(service: Arc<Service>) -> Router {
    Router::new()
        .route("/v1/decisions", post(decisions))
        .route("/v1/screen", post(screen))
        .route("/v1/health", get(health))
        .route("/v1/reload", post(reload))
        .route("/v1/openapi.json", get(openapi))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(service.config.max_body_bytes))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&service),
            bounded,
        ))
        .with_state(service)
}

/// Serves `service` on `listener` until `shutdown` completes, then finishes the requests under
/// way and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    service: Arc<Service>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(service))
        .with_graceful_shutdown(shutdown)
        .await
}

/// A failed call, as the JSON body `{"error": {"code", "message", "exit_code"}}`.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    code: &'static str,
    exit_code: u8,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            exit_code: 2,
            message: message.into(),
        }
    }

    /// A body that could not be read: too large, or cut off.
    fn body(rejection: BytesRejection) -> ApiError {
        let status = rejection.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                status,
                "body_too_large",
                "the request body is larger than the service accepts; send fewer requests per call",
            )
        } else {
            ApiError::new(status, "unreadable_body", rejection.body_text())
        }
    }

    /// A body that is not JSON.
    fn json(error: &serde_json::Error) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the body is not JSON: {error}"),
        )
    }

    /// JSON that is not what the route takes.
    fn shape(what: String) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request", what)
    }
}

impl From<interdict::Error> for ApiError {
    fn from(error: interdict::Error) -> ApiError {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: error.code(),
            exit_code: error.exit_code(),
            message: error.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": {"code": self.code, "message": self.message, "exit_code": self.exit_code}
        });
        let mut response = json_response(self.status, body.to_string() + "\n");
        response.extensions_mut().insert(ErrorCode(self.code));
        response
    }
}

/// The code of an error response, for the metrics.
#[derive(Debug, Clone, Copy)]
struct ErrorCode(&'static str);

fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Bounds the time of every request and counts error responses by code.
async fn bounded(
    State(service): State<Arc<Service>>,
    request: axum::extract::Request,
    next: Next,
) -> Response {
    let limit = service.config.request_timeout;
    let response = match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!(
                "the request took longer than {} ms; send smaller batches",
                limit.as_millis()
            ),
        )
        .into_response(),
    };
    if let Some(ErrorCode(code)) = response.extensions().get::<ErrorCode>() {
        service.metrics.failed(code);
    }
    response
}

/// The requests in a body: one request object, or an array of them.
fn requests(body: &[u8], max_batch: usize) -> Result<Vec<Request>, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| ApiError::json(&e))?;
    match value {
        serde_json::Value::Array(items) => {
            if items.len() > max_batch {
                return Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "batch_too_large",
                    format!(
                        "{} requests in one call; send at most {max_batch}",
                        items.len()
                    ),
                ));
            }
            items
                .into_iter()
                .enumerate()
                .map(|(position, item)| {
                    serde_json::from_value(item)
                        .map_err(|e| ApiError::shape(format!("requests[{position}]: {e}")))
                })
                .collect()
        }
        other => serde_json::from_value(other)
            .map(|request| vec![request])
            .map_err(|e| ApiError::shape(format!("the request: {e}"))),
    }
}

/// `POST /v1/decisions`.
async fn decisions(
    State(service): State<Arc<Service>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let started = Instant::now();
    let body = body.map_err(ApiError::body)?;
    let requests = requests(&body, service.config.max_batch)?;
    let engine = service.engine();
    // Deciding is CPU work: it runs beside the threads that take connections.
    let decided = tokio::task::spawn_blocking(move || decide_all(&engine, &requests))
        .await
        .map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                format!("deciding stopped: {e}"),
            )
        })??;
    service.metrics.decided(&decided, started.elapsed());
    Ok(json_response(
        StatusCode::OK,
        explain::json(&decided) + "\n",
    ))
}

fn decide_all(engine: &Engine, requests: &[Request]) -> Result<Vec<Decision>, ApiError> {
    requests
        .iter()
        .map(|request| {
            decide(&engine.policies, &engine.store, request)
                .map_err(|e| ApiError::from(interdict::Error::from(e)))
        })
        .collect()
}

/// The body of `POST /v1/screen`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScreenQuery {
    /// The name to screen.
    query: String,
    /// The most matches returned.
    #[serde(default = "default_limit")]
    limit: usize,
    /// The lowest score returned; the service's threshold by default.
    #[serde(default)]
    threshold: Option<f64>,
}

fn default_limit() -> usize {
    5
}

/// `POST /v1/screen`.
async fn screen(
    State(service): State<Arc<Service>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(ApiError::body)?;
    let value: serde_json::Value = serde_json::from_slice(&body).map_err(|e| ApiError::json(&e))?;
    let query: ScreenQuery =
        serde_json::from_value(value).map_err(|e| ApiError::shape(format!("the query: {e}")))?;
    let threshold = query.threshold.unwrap_or(service.config.threshold);
    if !(0.0..=1.0).contains(&threshold) || query.limit == 0 || query.limit > 100 {
        return Err(ApiError::shape(
            "`threshold` is between 0 and 1, and `limit` between 1 and 100".to_owned(),
        ));
    }
    let engine = service.engine();
    let Some(screening) = engine.store.screening() else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "no_lists",
            "the service screens nothing: start it with sanctions lists (`--list`)",
        ));
    };
    let report = screening
        .index()
        .report(&query.query, threshold, query.limit);
    let body = serde_json::to_string(&report)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    Ok(json_response(StatusCode::OK, body + "\n"))
}

/// `GET /v1/health`.
async fn health(State(service): State<Arc<Service>>) -> Response {
    let engine = service.engine();
    let body = serde_json::json!({
        "status": "ok",
        "policy_digest": engine.policies.digest(),
        "store_digest": engine.store.digest(),
        "entities": engine.store.facts().entity_count(),
        "screening": engine.store.screening().is_some(),
    });
    json_response(StatusCode::OK, body.to_string() + "\n")
}

/// `POST /v1/reload`.
async fn reload(State(service): State<Arc<Service>>) -> Result<Response, ApiError> {
    let engine = service.reload().await?;
    let body = serde_json::json!({
        "status": "reloaded",
        "policy_digest": engine.policies.digest(),
        "store_digest": engine.store.digest(),
    });
    Ok(json_response(StatusCode::OK, body.to_string() + "\n"))
}

/// `GET /metrics`.
async fn metrics(State(service): State<Arc<Service>>) -> Response {
    let text = service.metrics.render(&service.engine());
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        text,
    )
        .into_response()
}

/// `GET /v1/openapi.json`.
async fn openapi() -> Response {
    json_response(StatusCode::OK, OPENAPI.to_owned())
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such route; see GET /v1/openapi.json",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "the route does not take this method; see GET /v1/openapi.json",
    )
}
